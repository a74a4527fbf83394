import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useSession } from '../session.js';
import type { BedsideMismatch, VerificationView } from '../pathway-types.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { TextAreaField, TextField } from './field.js';

const FIELDS: Record<string, FieldInfo> = {
  specimenCode: { label: 'Product code' },
  mrn: { label: 'Wristband MRN' },
  birthDate: { label: 'Birth date' },
  expiryOverrideReason: { label: 'Reason to use the expired product' },
};
const fieldId = (field: string) => `bedside-${field}`;

type Blocked =
  | { kind: 'mismatch'; detail: string; mismatches: BedsideMismatch[] }
  | { kind: 'expired'; detail: string };

/**
 * The check at the bedside, before the injection: the product label and the wristband are scanned
 * (a keyboard-wedge scanner types the code and presses Enter, which moves to the next field), and
 * the birth date is confirmed with the patient. A mismatch is a full-width stop, focused and read
 * out at once; an expired product can only be used by a clinician who writes down why.
 */
export function BedsideCheck({ episodeId, onChanged }: { episodeId: string; onChanged: () => void }) {
  const { can } = useSession();
  const [code, setCode] = useState('');
  const [mrn, setMrn] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [override, setOverride] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [blocked, setBlocked] = useState<Blocked | undefined>(undefined);
  const [passed, setPassed] = useState<VerificationView | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const stopRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (blocked?.kind === 'mismatch') stopRef.current?.focus();
  }, [blocked]);

  // The scanner ends each code with Enter: go to the next field instead of submitting half a check.
  const next = (field: string) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      document.getElementById(fieldId(field))?.focus();
    }
  };

  function startAgain() {
    setCode('');
    setMrn('');
    setBirthDate('');
    setOverride('');
    setBlocked(undefined);
    setErrors(NO_ERRORS);
    setPassed(undefined);
    requestAnimationFrame(() => document.getElementById(fieldId('specimenCode'))?.focus());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setPassed(undefined);
    const withOverride = blocked?.kind === 'expired' && override.trim() !== '';
    try {
      const view = await api.post<VerificationView>(`/episodes/${episodeId}/bedside-verifications`, {
        specimenCode: code.trim(), mrn: mrn.trim(), birthDate, ...(withOverride && { expiryOverrideReason: override.trim() }),
      });
      setBlocked(undefined);
      setPassed(view);
      announce('Bedside check passed: the product, wristband and birth date match this patient.');
      onChanged();
    } catch (error) {
      const problem = problemOf(error);
      if (problem.status === 409 && problem.code === 'identity-mismatch') {
        setBlocked({ kind: 'mismatch', detail: problem.detail, mismatches: Array.isArray(problem.mismatches) ? (problem.mismatches as BedsideMismatch[]) : [] });
        onChanged();
      } else if (problem.status === 409 && problem.code === 'product-expired') {
        setBlocked({ kind: 'expired', detail: problem.detail });
        onChanged();
      } else {
        setBlocked(undefined);
        setErrors(formErrorsOf(problem, FIELDS));
      }
    } finally {
      setBusy(false);
    }
  }

  if (blocked?.kind === 'mismatch') {
    return (
      <div className="do-not-inject" role="alert" tabIndex={-1} ref={stopRef} aria-labelledby="do-not-inject-title">
        <h3 id="do-not-inject-title" className="do-not-inject-title">DO NOT INJECT</h3>
        <p className="do-not-inject-lead">The product and the patient do not match. The injection is blocked; this check was recorded and the clinic has been alerted.</p>
        <ul className="do-not-inject-list">
          {blocked.mismatches.length > 0
            ? blocked.mismatches.map((m) => <li key={m.field}>{keepCodesWhole(m.message)}</li>)
            : <li>{blocked.detail}</li>}
        </ul>
        <p>Set the product aside. Check the label and the wristband again before a new check. The alert stays on every worklist until a clinician or an administrator acknowledges it there, saying what was done.</p>
        <button type="button" className="button do-not-inject-button" onClick={startAgain}>Start a new check</button>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="form bedside-form" aria-label="Bedside identity check">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The check was not made" />
      {passed && (
        <Notice kind="success">
          <strong>Check passed.</strong> The product, wristband and birth date match this patient{passed.expiryOverrideReason ? ' (expiry overridden)' : ''}. You may inject.
        </Notice>
      )}
      {blocked?.kind === 'expired' && (
        <div className="notice notice-error bedside-expired" role="alert">
          <p><strong>Product past its time limit.</strong> {blocked.detail}</p>
          {!can('procedure:write') && <p>Only a clinician may decide to use it. Do not inject.</p>}
        </div>
      )}
      <div className="bedside-grid">
        <TextField
          id={fieldId('specimenCode')} label="Product code" hint="Scan the label on the PRP syringe, or type the code."
          value={code} onChange={(e) => setCode(e.target.value)} onKeyDown={next('mrn')} error={errors.fields.specimenCode}
          inputClassName="mono scan-input" autoComplete="off" spellCheck={false} autoCapitalize="characters" required
        />
        <TextField
          id={fieldId('mrn')} label="Wristband MRN" hint="Scan the patient’s wristband."
          value={mrn} onChange={(e) => setMrn(e.target.value)} onKeyDown={next('birthDate')} error={errors.fields.mrn}
          inputClassName="mono scan-input" autoComplete="off" spellCheck={false} required
        />
        <TextField
          id={fieldId('birthDate')} label="Birth date" hint="Ask the patient to say it."
          type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} error={errors.fields.birthDate} inputClassName="scan-input" required
        />
      </div>
      {blocked?.kind === 'expired' && can('procedure:write') && (
        <TextAreaField
          id={fieldId('expiryOverrideReason')} label="Reason to use the expired product" hint="At least 10 characters; recorded with your name."
          value={override} onChange={(e) => setOverride(e.target.value)} error={errors.fields.expiryOverrideReason} rows={2} maxLength={1000}
        />
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Checking…' : blocked?.kind === 'expired' && override.trim() ? 'Check again with override' : 'Check identity'}</button>
        {(passed || blocked) && <button type="button" className="button button-quiet" onClick={startAgain}>Start a new check</button>}
      </div>
    </form>
  );
}

/** Identifiers in a message (MRN HSC-004711, code 7K4Q9-XMD2W-T) kept on one line and set in the code font, so they are read whole. */
function keepCodesWhole(message: string): ReactNode[] {
  return message.split(/(\b[A-Za-z0-9]*\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b|\b[A-Za-z]+-\d[A-Za-z0-9-]*\b|\d{4}-\d{2}-\d{2})/).map((part, i) =>
    i % 2 === 1 ? <span key={i} className="scan-value">{part}</span> : part);
}
