import { useState, type FormEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { formatDate, formatInstant, todayIso } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { AdverseEventChange, AdverseEventView } from '../pathway-types.js';
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
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
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
        {a.updatedAt !== a.reportedAt && a.updatedAt !== a.reviewedAt && <> Last updated {formatInstant(a.updatedAt)}.</>}
        {a.reviewedAt && <> Reviewed {formatInstant(a.reviewedAt)}{a.reviewedBy ? ` by ${a.reviewedBy.displayName}` : ''}: {a.reviewNote}</>}</p>
      <div className="row-actions">
        {can('adverse-event:write') && !editing && <button type="button" className="button button-small" onClick={() => setEditing(true)}>Update…</button>}
        <button type="button" className="button button-small button-quiet" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>{showHistory ? 'Hide history' : 'History'}</button>
      </div>
      {editing && <EditForm event={a} onDone={(changed) => { setEditing(false); if (changed) onReviewed(); }} />}
      {showHistory && <History id={a.id} version={a.updatedAt} />}
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

/** What changed since the report: outcome, severity, relatedness, seriousness, description. Only changed fields are sent. */
function EditForm({ event: a, onDone }: { event: AdverseEventView; onDone: (changed: boolean) => void }) {
  const [v, setV] = useState({ severity: a.severity as string, relatedness: a.relatedness as string, outcome: a.outcome as string, description: a.description, serious: a.serious });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const id = (f: string) => `ae-edit-${a.id}-${f}`;
  const set = (k: 'severity' | 'relatedness' | 'outcome' | 'description') => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const willBeSerious = v.serious || v.severity === 'severe' || v.severity === 'life-threatening' || v.outcome === 'fatal';
  async function submit(e: FormEvent) {
    e.preventDefault();
    const patch: Record<string, unknown> = {};
    if (v.severity !== a.severity) patch.severity = v.severity;
    if (v.relatedness !== a.relatedness) patch.relatedness = v.relatedness;
    if (v.outcome !== a.outcome) patch.outcome = v.outcome;
    if (v.description.trim() !== a.description) patch.description = v.description.trim();
    if (v.serious !== a.serious) patch.serious = v.serious;
    if (Object.keys(patch).length === 0) {
      onDone(false);
      return;
    }
    setBusy(true);
    try {
      const updated = await api.patch<AdverseEventView>(`/adverse-events/${a.id}`, patch);
      announce(updated.flagged && !a.flagged ? 'Adverse event updated; it is serious and back on the review list.' : 'Adverse event updated.');
      onDone(true);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), FIELDS));
      setBusy(false);
    }
  }
  const select = (k: 'severity' | 'relatedness' | 'outcome', labels: Record<string, string>) => (
    <SelectField id={id(k)} label={FIELDS[k]!.label} value={v[k]} onChange={set(k)} error={errors.fields[k]}>
      {Object.entries(labels).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
    </SelectField>
  );
  return (
    <form onSubmit={submit} noValidate className="form panel-inset" aria-label="Update the adverse event">
      <ErrorSummary errors={errors} fieldId={(f) => id(f)} title="The adverse event was not updated" />
      <div className="form-grid">
        {select('severity', SEVERITIES)}
        {select('relatedness', RELATEDNESS)}
        {select('outcome', OUTCOMES)}
        <label className="choice"><input type="checkbox" checked={v.serious} onChange={(e) => setV({ ...v, serious: e.target.checked })} /> Serious (hospitalisation, lasting disability …)</label>
      </div>
      <TextAreaField id={id('description')} label="What happened" hint="Add what is known now; the record keeps who changed what and when." value={v.description} onChange={set('description')} error={errors.fields.description} rows={3} maxLength={5000} />
      {willBeSerious && !a.serious && <p className="hint">Saving makes this a serious event: it is flagged on every home screen until a clinician reviews it.</p>}
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" disabled={busy}>{busy ? 'Saving…' : 'Save changes'}</button>
        <button type="button" className="button button-quiet button-small" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}

const FIELD_WORDS: Record<string, { label: string; values?: Record<string, string> }> = {
  severity: { label: 'severity', values: SEVERITIES }, relatedness: { label: 'relatedness', values: RELATEDNESS }, outcome: { label: 'outcome', values: OUTCOMES },
  serious: { label: 'serious' }, description: { label: 'description' },
};
const valueWord = (field: string, value: unknown) => (typeof value === 'boolean' ? (value ? 'yes' : 'no') : (FIELD_WORDS[field]?.values?.[String(value)] ?? String(value)).toLowerCase());

/** The event's history from its audit trail: the report, each change (old → new), reviews. */
function History({ id, version }: { id: string; version: string }) {
  const history = useLoad((signal) => api.get<AdverseEventChange[]>(`/adverse-events/${id}/history`, undefined, signal), [id, version]);
  if (history.error) return <LoadError problem={history.error} onRetry={history.reload} />;
  if (!history.data) return <p className="muted small">Loading the history…</p>;
  return (
    <ol className="ae-history small" aria-label="History of this adverse event">
      {history.data.map((h, i) => (
        <li key={i}>
          <span className="muted">{formatInstant(h.at)}{h.by ? ` · ${h.by}` : ''}</span>{' '}
          {h.kind === 'reported' ? 'Reported.' : h.kind === 'reviewed' ? 'Reviewed.' : (
            <>
              {h.fields.map((f, j) => {
                const c = h.changes[f];
                return <span key={f}>{j > 0 ? '; ' : ''}{FIELD_WORDS[f]?.label ?? f}{c ? `: ${valueWord(f, c.from)} → ${valueWord(f, c.to)}` : ' changed'}</span>;
              })}.
              {h.reviewCleared && ' Back on the review list.'}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
