import { useState, type FormEvent } from 'react';
import type { Assessment } from '../../science/assessment.js';
import type { ContraindicationResult, Finding } from '../../science/contraindications.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';

/** The eligibility decision and the contraindication findings; the assessment form is in assessment-form.tsx. */

/** GET /api/v1/episodes/:id/assessments (one row). */
export interface AssessmentRecord {
  id: string;
  version: number;
  assessment: Assessment;
  createdAt: string;
  createdBy: { id: string; displayName: string } | null;
  evaluation: (ContraindicationResult & { scienceVersion: string; evaluatedAt: string }) | null;
}

/**
 * The engine's findings, absolute then relative, each with its reason and source. On the form,
 * `fieldIdOf` turns each reason into a link to the input it came from.
 */
export function FindingList({ result, acknowledged, onAcknowledge, fieldIdOf }: { result: ContraindicationResult; acknowledged?: string[]; onAcknowledge?: (code: string, on: boolean) => void; fieldIdOf?: (field: string) => string | undefined }) {
  if (result.absolute.length === 0 && result.relative.length === 0) return <p className="muted">No contraindication found.</p>;
  const reason = (f: Finding) => {
    const target = fieldIdOf?.(f.field);
    if (!target) return <strong>{f.reason}</strong>;
    return <a href={`#${target}`} onClick={(e) => { e.preventDefault(); document.getElementById(target)?.focus(); }}><strong>{f.reason}</strong></a>;
  };
  const item = (f: Finding) => (
    <li key={`${f.code}-${f.field}`} className={`finding finding-${f.severity}`}>
      {onAcknowledge && f.severity === 'relative'
        ? <label className="choice"><input type="checkbox" checked={acknowledged?.includes(f.code) ?? false} onChange={(e) => onAcknowledge(f.code, e.target.checked)} /> <span><strong>{f.reason}</strong> <span className="muted small">Source: {f.source}</span></span></label>
        : <>{reason(f)} <span className="muted small">Source: {f.source}</span></>}
    </li>
  );
  return (
    <>
      {result.absolute.length > 0 && <div className="notice notice-error"><p><strong>Absolute contraindications</strong></p><ul className="finding-list">{result.absolute.map(item)}</ul></div>}
      {result.relative.length > 0 && <div className="notice notice-warning"><p><strong>Relative contraindications{onAcknowledge ? ' — tick each to acknowledge' : ''}</strong></p><ul className="finding-list">{result.relative.map(item)}</ul></div>}
    </>
  );
}

const OUTCOME_LABELS: Record<string, string> = { eligible: 'Eligible', 'not-eligible': 'Not eligible', deferred: 'Deferred' };

const DECISION_FIELDS: Record<string, FieldInfo> = {
  outcome: { label: 'Decision' }, rationale: { label: 'Rationale' }, overrideReason: { label: 'Override reason' }, password: { label: 'Your password' }, acknowledgedFindings: { label: 'Acknowledgements' },
};

/** The signed eligibility decision on the latest assessment: findings shown, relative ones acknowledged, absolute ones overridden only with a reason. */
export function DecisionForm({ episodeId, assessment, onSigned }: { episodeId: string; assessment: AssessmentRecord; onSigned: () => void }) {
  const [outcome, setOutcome] = useState('');
  const [rationale, setRationale] = useState('');
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [override, setOverride] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [changed, setChanged] = useState(false);
  const [signedAs, setSignedAs] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `decision-${f}`;
  const ev = assessment.evaluation;
  const hasAbsolute = (ev?.absolute.length ?? 0) > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/episodes/${episodeId}/decisions`, {
        assessmentId: assessment.id, ...(outcome && { outcome }), rationale: rationale.trim(), acknowledgedFindings: acknowledged,
        overrideReason: override.trim() || null, password,
      });
      setPassword('');
      setSignedAs(OUTCOME_LABELS[outcome] ?? outcome);
      setOutcome('');
      setRationale('');
      setAcknowledged([]);
      setOverride('');
      announce('Decision signed.');
      onSigned();
    } catch (error) {
      const problem = problemOf(error);
      setPassword('');
      if (problem.status === 409 && problem.code === 'assessment-changed') {
        setChanged(true);
        onSigned();
      } else setErrors(formErrorsOf(problem, DECISION_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  if (signedAs) {
    return (
      <div className="form">
        <Notice kind="success"><strong>Decision signed: {signedAs}.</strong> It cannot be changed; a later change is a new decision.</Notice>
        <div><button type="button" className="button button-small" onClick={() => setSignedAs(undefined)}>Sign a new decision</button></div>
      </div>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Eligibility decision">
      {changed && <Notice kind="warning">The assessment changed while you were deciding; the latest version is shown. Read it again before signing.</Notice>}
      <ErrorSummary errors={errors} fieldId={fieldId} title="The decision was not signed" />
      <p className="muted small">On assessment version {assessment.version}{assessment.createdBy ? ` by ${assessment.createdBy.displayName}` : ''}.</p>
      {ev && <FindingList result={ev} acknowledged={acknowledged} onAcknowledge={(code, on) => setAcknowledged(on ? [...acknowledged, code] : acknowledged.filter((c) => c !== code))} />}
      <div className="form-grid">
        <SelectField id={fieldId('outcome')} label="Decision" value={outcome} onChange={(e) => setOutcome(e.target.value)} error={errors.fields.outcome}>
          <option value="">Choose…</option>
          <option value="eligible">Eligible</option>
          <option value="not-eligible">Not eligible</option>
          <option value="deferred">Deferred</option>
        </SelectField>
      </div>
      <TextAreaField id={fieldId('rationale')} label="Rationale" value={rationale} onChange={(e) => setRationale(e.target.value)} error={errors.fields.rationale} rows={2} maxLength={5000} />
      {hasAbsolute && outcome === 'eligible' && (
        <TextAreaField id={fieldId('overrideReason')} label="Override reason" hint="Required to sign “eligible” over an absolute contraindication; audited." value={override} onChange={(e) => setOverride(e.target.value)} error={errors.fields.overrideReason} rows={2} maxLength={2000} />
      )}
      <TextField id={fieldId('password')} label="Your password" hint="Your signature." type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.fields.password} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || (hasAbsolute && outcome === 'eligible' && override.trim() === '')}>{busy ? 'Signing…' : 'Sign decision'}</button>
      </div>
    </form>
  );
}
