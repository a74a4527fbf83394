import { useEffect, useRef, useState, type FormEvent, type PointerEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { ConsentView, TemplateView } from '../pathway-types.js';
import { ErrorSummary } from './error-summary.js';
import { TextField } from './field.js';
import { Badge, LoadError } from './status.js';

const FIELDS: Record<string, FieldInfo> = { signedName: { label: 'Your full name' }, signature: { label: 'Signature' }, templateId: { label: 'Consent text' } };
const fieldId = (f: string) => `consent-${f}`;

/** The episode's consents (each printable), and signing the clinic's current procedure consent on a tablet. */
export function ConsentPanel({ episodeId, onChanged }: { episodeId: string; onChanged: () => void }) {
  const { can } = useSession();
  const [version, setVersion] = useState(0);
  const consents = useLoad((signal) => api.get<ConsentView[]>(`/episodes/${episodeId}/consents`, undefined, signal), [episodeId, version]);
  const [signing, setSigning] = useState(false);
  const signed = (consents.data ?? []).some((c) => c.kind === 'procedure' && c.status === 'signed');
  return (
    <section className="panel" id="consent" aria-labelledby="consent-title">
      <div className="panel-header">
        <h2 id="consent-title" className="panel-title">Consent <span className="count">{consents.data?.length ?? 0}</span></h2>
        {can('consent:write') && !signing && !signed && <button type="button" className="button button-small" onClick={() => setSigning(true)}>Sign on this tablet</button>}
      </div>
      <div className="panel-body">
        {consents.error && <LoadError problem={consents.error} onRetry={consents.reload} />}
        {(consents.data ?? []).length > 0 && (
          <ul className="consent-list">
            {consents.data!.map((c) => (
              <li key={c.id}>
                <strong>{c.title}</strong> (version {c.templateVersion}) — signed “{c.signedName}” {formatInstant(c.signedAt)}{' '}
                <Badge tone={c.status === 'signed' ? 'success' : 'warning'}>{c.status === 'signed' ? 'Signed' : 'Withdrawn'}</Badge>{' '}
                <a href={`/api/v1/consents/${c.id}/print`} target="_blank" rel="noopener">Print</a>
              </li>
            ))}
          </ul>
        )}
        {signing && <SignConsent episodeId={episodeId} onDone={(done) => { setSigning(false); if (done) { setVersion((v) => v + 1); onChanged(); } }} />}
        {!signing && consents.data?.length === 0 && <p className="muted">No consent signed yet.</p>}
      </div>
    </section>
  );
}

function SignConsent({ episodeId, onDone }: { episodeId: string; onDone: (signed: boolean) => void }) {
  const templates = useLoad((signal) => api.get<TemplateView[]>('/consent-templates', undefined, signal), []);
  const template = templates.data?.find((t) => t.kind === 'procedure' && t.current);
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
      announce('Consent signed.');
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
  if (!template) return <p className="muted">The clinic has not written its procedure consent yet.</p>;
  return (
    <form onSubmit={submit} noValidate className="form consent-form" aria-label="Sign the consent">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The consent was not signed" />
      <article className="consent-text" aria-labelledby="consent-text-title">
        <h3 id="consent-text-title">{template.title} <span className="muted small">(version {template.version})</span></h3>
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
