import { useState, type FormEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { formatDate, formatInstant, todayIso } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { AdverseEventView } from '../pathway-types.js';
import { ErrorSummary } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';
import { Badge, LoadError } from './status.js';

// The server's lists (services/adverse-events.ts), labelled for people; kept here so no server code enters the bundle.
const CATEGORIES: Record<string, string> = {
  'pain-flare': 'Post-injection pain flare', 'infection-discitis': 'Infection or discitis', vasovagal: 'Vasovagal reaction', 'bleeding-haematoma': 'Bleeding or haematoma',
  neurological: 'Neurological', allergic: 'Allergic', other: 'Other',
};
const SEVERITIES: Record<string, string> = { mild: 'Mild', moderate: 'Moderate', severe: 'Severe', 'life-threatening': 'Life-threatening' };
const RELATEDNESS: Record<string, string> = { unrelated: 'Unrelated', unlikely: 'Unlikely', possible: 'Possible', probable: 'Probable', definite: 'Definite' };
const OUTCOMES: Record<string, string> = { recovered: 'Recovered', recovering: 'Recovering', 'not-recovered': 'Not recovered', 'recovered-with-sequelae': 'Recovered with sequelae', fatal: 'Fatal', unknown: 'Unknown' };

const FIELDS: Record<string, FieldInfo> = {
  onsetOn: { label: 'Onset' }, category: { label: 'Category' }, severity: { label: 'Severity' }, relatedness: { label: 'Relatedness' }, outcome: { label: 'Outcome' }, description: { label: 'What happened' },
};
const fieldId = (f: string) => `ae-${f}`;

/** Adverse events after the injection: reported by anyone allowed, serious ones flagged until a clinician reviews them. */
export function AdverseEvents({ episodeId, onChanged }: { episodeId: string; onChanged: () => void }) {
  const { can } = useSession();
  const [version, setVersion] = useState(0);
  const list = useLoad((signal) => api.get<AdverseEventView[]>(`/episodes/${episodeId}/adverse-events`, undefined, signal), [episodeId, version]);
  const [reporting, setReporting] = useState(false);
  const refresh = () => { setVersion((v) => v + 1); onChanged(); };
  return (
    <section className="panel" id="adverse-events" aria-labelledby="ae-title">
      <div className="panel-header">
        <h2 id="ae-title" className="panel-title">Adverse events <span className="count">{list.data?.length ?? 0}</span></h2>
        {can('adverse-event:write') && !reporting && <button type="button" className="button button-small" onClick={() => setReporting(true)}>Report an adverse event</button>}
      </div>
      <div className="panel-body">
        {list.error && <LoadError problem={list.error} onRetry={list.reload} />}
        {reporting && <ReportForm episodeId={episodeId} onDone={(done) => { setReporting(false); if (done) refresh(); }} />}
        {list.data?.length === 0 && !reporting && <p className="muted">None reported.</p>}
        {list.data?.map((a) => <AdverseEventItem key={a.id} event={a} onReviewed={refresh} />)}
      </div>
    </section>
  );
}

function AdverseEventItem({ event: a, onReviewed }: { event: AdverseEventView; onReviewed: () => void }) {
  const { can } = useSession();
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  async function review(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await api.post(`/adverse-events/${a.id}/review`, { note: note.trim() });
      announce('Review recorded.');
      onReviewed();
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), { note: { label: 'Review note' } }));
      setBusy(false);
    }
  }
  return (
    <div className="ae-item">
      <p>
        <strong>{CATEGORIES[a.category] ?? a.category}</strong>, {SEVERITIES[a.severity]?.toLowerCase() ?? a.severity}, onset {formatDate(a.onsetOn)}{' '}
        {a.flagged && <Badge tone="danger">Serious — awaiting review</Badge>}{a.serious && !a.flagged && <Badge tone="warning">Serious</Badge>}
      </p>
      <p>{a.description}</p>
      <p className="muted small">Relatedness {RELATEDNESS[a.relatedness]?.toLowerCase()}; outcome {OUTCOMES[a.outcome]?.toLowerCase()}. Reported {formatInstant(a.reportedAt)}{a.reportedBy ? ` by ${a.reportedBy.displayName}` : ''}.
        {a.reviewedAt && <> Reviewed {formatInstant(a.reviewedAt)}{a.reviewedBy ? ` by ${a.reviewedBy.displayName}` : ''}: {a.reviewNote}</>}</p>
      {!a.reviewedAt && can('adverse-event:review') && (
        <form onSubmit={review} noValidate className="form panel-inset" aria-label="Review the adverse event">
          <ErrorSummary errors={errors} fieldId={() => `ae-review-${a.id}`} title="The review was not recorded" />
          <TextAreaField id={`ae-review-${a.id}`} label="Review note" value={note} onChange={(e) => setNote(e.target.value)} error={errors.fields.note} rows={2} maxLength={5000} />
          <div className="form-actions"><button type="submit" className="button button-primary button-small" disabled={busy}>Record review</button></div>
        </form>
      )}
    </div>
  );
}

function ReportForm({ episodeId, onDone }: { episodeId: string; onDone: (done: boolean) => void }) {
  const [v, setV] = useState({ onsetOn: todayIso(), category: '', severity: '', relatedness: '', outcome: '', description: '', serious: false });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const body = Object.fromEntries(Object.entries({ ...v, description: v.description.trim() }).filter(([, x]) => x !== ''));
    try {
      await api.post(`/episodes/${episodeId}/adverse-events`, body);
      announce('Adverse event reported.');
      onDone(true);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), FIELDS));
      setBusy(false);
    }
  }
  const select = (k: 'category' | 'severity' | 'relatedness' | 'outcome', labels: Record<string, string>) => (
    <SelectField id={fieldId(k)} label={FIELDS[k]!.label} value={v[k]} onChange={set(k)} error={errors.fields[k]}>
      <option value="">Choose…</option>
      {Object.entries(labels).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
    </SelectField>
  );
  return (
    <form onSubmit={submit} noValidate className="form panel-inset" aria-label="Report an adverse event">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The adverse event was not reported" />
      <div className="form-grid">
        <TextField id={fieldId('onsetOn')} label="Onset" type="date" value={v.onsetOn} onChange={set('onsetOn')} error={errors.fields.onsetOn} max={todayIso()} />
        {select('category', CATEGORIES)}
        {select('severity', SEVERITIES)}
        {select('relatedness', RELATEDNESS)}
        {select('outcome', OUTCOMES)}
        <label className="choice"><input type="checkbox" checked={v.serious} onChange={(e) => setV({ ...v, serious: e.target.checked })} /> Serious (hospitalisation, lasting disability …)</label>
      </div>
      <TextAreaField id={fieldId('description')} label="What happened" value={v.description} onChange={set('description')} error={errors.fields.description} rows={3} maxLength={5000} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Reporting…' : 'Report'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
