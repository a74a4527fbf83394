import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ErrorSummary } from '../components/error-summary.js';
import { TextAreaField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import type { Alert, WorkItem, Worklist } from '../pathway-types.js';
import { useSession } from '../session.js';
import '../pathway.css';

const ALERT_LABELS: Record<string, string> = { 'serious-adverse-event': 'Serious adverse event', 'identity-mismatch': 'Bedside identity check failed' };

/** The role's worklist, with the clinic-wide alerts (serious adverse events, failed bedside checks) pinned on top. */
export function WorklistPage() {
  useTitle('Worklist');
  const { can } = useSession();
  const list = useLoad((signal) => api.get<Worklist>('/worklist', undefined, signal), []);
  const w = list.data;
  const who = (item: WorkItem) => (item.patient ? `${item.patient.familyName}, ${item.patient.givenName} (${item.patient.mrn})` : item.name ?? '—');
  return (
    <>
      <PageHeader title="Worklist" />
      {list.error && <LoadError problem={list.error} onRetry={list.reload} />}
      {!w && !list.error && <Loading label="Loading the worklist…" />}
      {w && (
        <div className="pathway-layout">
          {w.alerts.length > 0 && (
            <section className="worklist-alerts" role="region" aria-labelledby="alerts-title">
              <h2 id="alerts-title" className="worklist-alerts-title">Alerts <span className="count">{w.alerts.length}</span></h2>
              <ul>
                {w.alerts.map((a) => (
                  <li key={`${a.kind}-${a.entityId}`}>
                    <strong>{ALERT_LABELS[a.kind] ?? a.kind}</strong> · <Link to={`/episodes/${a.episodeId}`}>{a.patient.familyName}, {a.patient.givenName}</Link> · {a.summary} <span className="small">{formatInstant(a.at)}</span>
                    {a.kind === 'identity-mismatch' && can('custody-alert:acknowledge') && <Acknowledge alert={a} onDone={list.reload} />}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {w.sections.map((s) => (
            <section key={s.code} className="panel" aria-labelledby={`wl-${s.code}`}>
              <div className="panel-header"><h2 id={`wl-${s.code}`} className="panel-title">{s.title} <span className="count">{s.items.length}</span></h2>{s.code === 'leads-to-call' && <Link to="/leads">All leads</Link>}</div>
              <div className="panel-body">
                {s.items.length === 0 ? <p className="muted">Nothing to do.</p> : (
                  <ul className="worklist-items">
                    {s.items.map((item, i) => (
                      <li key={`${item.episodeId ?? item.leadId ?? i}-${i}`}>
                        {item.episodeId ? <Link to={`/episodes/${item.episodeId}`}>{who(item)}</Link> : <strong>{who(item)}</strong>} · {item.summary}{' '}
                        <span className="muted small">{/^\d{4}-\d{2}-\d{2}$/.test(item.at) ? formatDate(item.at) : formatInstant(item.at)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </section>
          ))}
        </div>
      )}
    </>
  );
}

/**
 * Closes a failed bedside check's alert: the clinician or administrator writes what was checked
 * and done; the server records who and when, audits it, and the alert leaves every worklist.
 */
function Acknowledge({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const id = `ack-${alert.entityId}`;
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/bedside-verifications/${alert.entityId}/acknowledge`, { note: note.trim() });
      announce('Alert acknowledged.');
      onDone();
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), { note: { label: 'What was done' } }));
      setBusy(false);
    }
  }
  if (!open) {
    return <div className="alert-actions"><button type="button" className="button button-small" onClick={() => { setOpen(true); requestAnimationFrame(() => document.getElementById(id)?.focus()); }}>Acknowledge…</button></div>;
  }
  return (
    <form onSubmit={submit} noValidate className="form alert-ack-form" aria-label={`Acknowledge the failed bedside check of ${alert.patient.givenName} ${alert.patient.familyName}`}>
      <ErrorSummary errors={errors} fieldId={() => id} title="The alert was not acknowledged" />
      <TextAreaField id={id} label="What was done" hint="e.g. product set aside, patient and product identified again; recorded with your name." value={note} onChange={(e) => setNote(e.target.value)} error={errors.fields.note} rows={2} maxLength={2000} />
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" disabled={busy}>{busy ? 'Saving…' : 'Acknowledge alert'}</button>
        <button type="button" className="button button-quiet button-small" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
