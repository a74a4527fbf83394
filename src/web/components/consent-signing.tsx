import { useEffect, useRef, useState, type FormEvent, type PointerEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { ConsentView, TemplateView } from '../pathway-types.js';
import { ErrorSummary } from './error-summary.js';
import { TextAreaField, TextField } from './field.js';
import { Badge, LoadError } from './status.js';

export type ConsentKind = ConsentView['kind'];

const FIELDS: Record<string, FieldInfo> = { signedName: { label: 'Your full name' }, signature: { label: 'Signature' }, templateId: { label: 'Consent text' } };

/** What differs between the consent kinds on the episode page; the signing flow is the same. */
const KIND_TEXT: Record<ConsentKind, { panelId: string; title: string; sign: string; form: string; none: string; missing: string; signedAnnounce: string; intro?: string }> = {
  procedure: {
    panelId: 'consent', title: 'Consent', sign: 'Sign on this tablet', form: 'Sign the consent', none: 'No consent signed yet.',
    missing: 'The clinic has not written its procedure consent yet.', signedAnnounce: 'Consent signed.',
  },
  registry: {
    panelId: 'registry-consent', title: 'Research registry consent', sign: 'Sign the registry consent on this tablet', form: 'Sign the registry consent',
    none: 'Not asked yet, or the patient declined: the episode stays out of research exports.',
    missing: 'The clinic has not written its registry consent yet (Pathway settings).', signedAnnounce: 'Registry consent signed.',
    intro: 'Optional. With it, the patient’s data may enter research exports (without their name); it can be withdrawn at any time.',
  },
};

/** Element ids of a kind's form: the procedure consent keeps its original `consent-…` ids. */
const idsOf = (kind: ConsentKind) => (f: string) => (kind === 'procedure' ? `consent-${f}` : `${kind}-consent-${f}`);

/**
 * The episode's consents of one kind (each printable), and signing the clinic's current text of
 * that kind on a tablet: the procedure consent, or the optional research registry consent. Either
 * can be withdrawn with a reason (the procedure consent only before the injection).
 */
export function ConsentPanel({ episodeId, kind = 'procedure', onChanged }: { episodeId: string; kind?: ConsentKind; onChanged: () => void }) {
  const { can } = useSession();
  const text = KIND_TEXT[kind];
  const [version, setVersion] = useState(0);
  const consents = useLoad((signal) => api.get<ConsentView[]>(`/episodes/${episodeId}/consents`, undefined, signal), [episodeId, version]);
  const [signing, setSigning] = useState(false);
  const [withdrawing, setWithdrawing] = useState<string | undefined>(undefined);
  const list = (consents.data ?? []).filter((c) => c.kind === kind);
  const signed = list.some((c) => c.status === 'signed');
  const titleId = `${text.panelId}-title`;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  return (
    <section className="panel" id={text.panelId} aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId} className="panel-title">{text.title} <span className="count">{list.length}</span></h2>
        {can('consent:write') && !signing && !signed && <button type="button" className="button button-small" onClick={() => setSigning(true)}>{text.sign}</button>}
      </div>
      <div className="panel-body">
        {text.intro && <p className="muted small">{text.intro}</p>}
        {consents.error && <LoadError problem={consents.error} onRetry={consents.reload} />}
        {list.length > 0 && (
          <ul className="consent-list">
            {list.map((c) => (
              <li key={c.id}>
                <strong>{c.title}</strong> (version {c.templateVersion}) — signed “{c.signedName}” {formatInstant(c.signedAt)}
                {c.collectedBy && <>, collected by {c.collectedBy.displayName}</>}{' '}
                <Badge tone={c.status === 'signed' ? 'success' : 'warning'}>{c.status === 'signed' ? 'Signed' : 'Withdrawn'}</Badge>{' '}
                <a href={`/api/v1/consents/${c.id}/print`} target="_blank" rel="noopener">Print<span className="visually-hidden"> version {c.templateVersion} signed {formatInstant(c.signedAt)}</span></a>
                {c.status === 'withdrawn' && (
                  <p className="small consent-withdrawal">
                    Withdrawn {formatInstant(c.withdrawnAt)}{c.withdrawnBy ? ` (recorded by ${c.withdrawnBy.displayName})` : ''}: {c.withdrawalReason}
                  </p>
                )}
                {c.status === 'signed' && can('consent:write') && withdrawing !== c.id && (
                  <div><button type="button" className="button button-small button-quiet" onClick={() => setWithdrawing(c.id)}>Withdraw…</button></div>
                )}
                {withdrawing === c.id && <WithdrawConsent consent={c} onDone={(done) => { setWithdrawing(undefined); if (done) changed(); }} />}
              </li>
            ))}
          </ul>
        )}
        {signing && <SignConsent episodeId={episodeId} kind={kind} onDone={(done) => { setSigning(false); if (done) changed(); }} />}
        {!signing && consents.data && list.length === 0 && <p className="muted">{text.none}</p>}
      </div>
    </section>
  );
}

const WITHDRAW_FIELDS: Record<string, FieldInfo> = { reason: { label: 'Reason' } };

/** Records that the patient withdrew a consent: why, or at whose request. The signed copy is kept. */
// What a withdrawal changes, said where it is recorded.
const WITHDRAWAL_EFFECT: Record<ConsentKind, string> = {
  procedure: 'The signed copy is kept; no blood is drawn and no injection recorded for this episode until the patient signs again. Not possible once the injection is done.',
  registry: 'The signed copy is kept; from now on the patient’s data stays out of research exports.',
};

function WithdrawConsent({ consent, onDone }: { consent: ConsentView; onDone: (withdrawn: boolean) => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `withdraw-${consent.id}-${f}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setErrors({ fields: { reason: 'Say why, or at whose request, the consent is withdrawn.' }, general: undefined });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post<ConsentView>(`/consents/${consent.id}/withdraw`, { reason: reason.trim() });
      announce('Consent withdrawn.');
      onDone(true);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), WITHDRAW_FIELDS));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form consent-withdraw" aria-label="Withdraw the consent">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The withdrawal was not recorded" />
      <TextAreaField id={fieldId('reason')} label="Reason" rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} error={errors.fields.reason}
        hint={`The patient’s words, or at whose request. ${WITHDRAWAL_EFFECT[consent.kind]}`} />
      <div className="form-actions">
        <button type="submit" className="button button-danger" disabled={busy}>{busy ? 'Recording…' : 'Record the withdrawal'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}

function SignConsent({ episodeId, kind, onDone }: { episodeId: string; kind: ConsentKind; onDone: (signed: boolean) => void }) {
  const text = KIND_TEXT[kind];
  const fieldId = idsOf(kind);
  const templates = useLoad((signal) => api.get<TemplateView[]>('/consent-templates', undefined, signal), []);
  const template = templates.data?.find((t) => t.kind === kind && t.current);
  const [name, setName] = useState('');
  const [drawn, setDrawn] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | undefined>(undefined);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    // Draw at the device's pixel density so the exported PNG is sharp.
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const rect = c.getBoundingClientRect();
    c.width = Math.round(rect.width * ratio);
    c.height = Math.round(rect.height * ratio);
    const ctx = c.getContext('2d')!;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#111';
  }, [template?.id]);

  const point = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  function down(e: PointerEvent<HTMLCanvasElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    last.current = point(e);
  }
  function move(e: PointerEvent<HTMLCanvasElement>) {
    if (!last.current) return;
    const p = point(e);
    const ctx = e.currentTarget.getContext('2d')!;
    ctx.beginPath();
    ctx.moveTo(last.current.x, last.current.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last.current = p;
    setDrawn(true);
  }
  const up = () => {
    last.current = undefined;
  };
  function clear() {
    const c = canvas.current!;
    c.getContext('2d')!.clearRect(0, 0, c.width, c.height);
    setDrawn(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!template) return;
    if (!drawn) {
      setErrors({ fields: { signature: 'Sign in the box with a finger or stylus.' }, general: undefined });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post<ConsentView>(`/episodes/${episodeId}/consents`, { templateId: template.id, signedName: name.trim(), signature: { kind: 'png', dataUrl: canvas.current!.toDataURL('image/png') } });
      announce(text.signedAnnounce);
      onDone(true);
    } catch (error) {
      const problem = problemOf(error);
      setErrors(formErrorsOf(problem, FIELDS));
      if (problem.code === 'template-superseded') templates.reload();
      setBusy(false);
    }
  }

  if (templates.error) return <LoadError problem={templates.error} onRetry={templates.reload} />;
  if (!templates.data) return null;
  if (!template) return <p className="muted">{text.missing}</p>;
  return (
    <form onSubmit={submit} noValidate className="form consent-form" aria-label={text.form}>
      <ErrorSummary errors={errors} fieldId={fieldId} title="The consent was not signed" />
      {/* Scrolls when long: focusable, so a keyboard can scroll it (WCAG 2.1.1). */}
      <article className="consent-text" aria-labelledby={fieldId('text-title')} tabIndex={0}>
        <h3 id={fieldId('text-title')}>{template.title} <span className="muted small">(version {template.version})</span></h3>
        {/* Rendered from Markdown and sanitised by the server (sanitize-html, the article policy). */}
        <div dangerouslySetInnerHTML={{ __html: template.bodyHtml }} />
      </article>
      <TextField id={fieldId('signedName')} label="Your full name" value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.signedName} autoComplete="off" maxLength={200} />
      <div className={`field${errors.fields.signature ? ' field-invalid' : ''}`}>
        <span className="field-label" id={fieldId('signature-label')}>Signature</span>
        <canvas
          id={fieldId('signature')} ref={canvas} className="signature-pad" tabIndex={0} role="img" aria-labelledby={fieldId('signature-label')}
          aria-describedby={errors.fields.signature ? fieldId('signature-error') : undefined}
          onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up}
        />
        {errors.fields.signature && <p className="field-error" id={fieldId('signature-error')}>{errors.fields.signature}</p>}
        <div><button type="button" className="button button-small button-quiet" onClick={clear}>Clear signature</button></div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Signing…' : 'I consent — sign'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
