import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { AnswerEntry, CALL_OUTCOME_LABELS, CallLogger } from '../components/outcome-entry.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { TrajectoryChart } from '../components/trajectory-chart.js';
import { formatDate, formatInstant, patientName, todayIso } from '../format.js';
import { problemOf } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { formatScore } from '../outcome-format.js';
import type { FollowUpView, InstrumentView, TimePointView, TreatmentFailureView } from '../outcome-types.js';
import { useSession } from '../session.js';
import type { EpisodeView, PatientView } from '../types.js';

export const STATE_LABELS: Record<TimePointView['state'], string> = { upcoming: 'Upcoming', due: 'Due now', completed: 'Completed', missed: 'Missed', stopped: 'Stopped' };
const STATE_TONE: Record<TimePointView['state'], 'neutral' | 'accent' | 'success' | 'warning' | 'danger'> = { upcoming: 'neutral', due: 'accent', completed: 'success', missed: 'danger', stopped: 'warning' };
const STOP_LABELS: Record<string, string> = { 'episode-cancelled': 'episode cancelled', 'opted-out': 'patient opted out', 'procedure-unplanned': 'procedure date cleared' };
const FAILURE_LABELS: Record<string, string> = { 'repeat-injection': 'Repeat injection', surgery: 'Surgery', 'other-escalation': 'Other escalation' };
const DELIVERY_LABELS: Record<string, string> = { pending: 'waiting in outbox', sending: 'sending', sent: 'delivered to mail server', failed: 'bounced' };
const KIND_LABELS: Record<string, string> = { invitation: 'Invitation', reminder: 'Reminder', call: 'Call' };
const MODE_LABELS: Record<string, string> = { web: 'survey link', phone: 'by phone', paper: 'on paper' };

/**
 * One episode's follow-up (`/episodes/:id/follow-up`): the planned procedure date that anchors the
 * schedule, every time point with its window, contacts and scores, the patient's trajectory, and
 * treatment failures.
 */
export function EpisodeFollowUpPage() {
  const { id = '' } = useParams();
  const { can, meta } = useSession();
  useTitle('Follow-up');
  const episode = useLoad((signal) => api.get<EpisodeView>(`/episodes/${id}`, undefined, signal), [id]);
  const followUp = useLoad((signal) => api.get<FollowUpView>(`/episodes/${id}/follow-up`, undefined, signal), [id]);
  const patientId = episode.data?.patientId;
  const patient = useLoad((signal) => (patientId ? api.get<PatientView>(`/patients/${patientId}`, undefined, signal) : Promise.resolve(undefined)), [patientId]);
  const instruments = useLoad((signal) => api.get<InstrumentView[]>('/instruments', undefined, signal), []);
  const titles = Object.fromEntries((instruments.data ?? []).map((i) => [i.code, i.title]));
  const error = episode.error ?? followUp.error ?? patient.error;
  const e = episode.data;
  const f = followUp.data;
  const p = patient.data;
  const indication = e ? meta?.indications.find((i) => i.code === e.indication)?.label ?? e.indication : undefined;
  const writable = can('outcome:write');

  if (error) {
    return (
      <>
        <PageHeader title={error.status === 404 ? 'Episode not found' : 'Follow-up'} eyebrow={<Link to="/patients">Patients</Link>} />
        <LoadError problem={error} onRetry={error.status === 404 ? undefined : () => { episode.reload(); followUp.reload(); }} />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Follow-up" eyebrow={p ? <Link to={`/patients/${p.id}`}>{patientName(p)}</Link> : <Link to="/patients">Patients</Link>} />
      {p && e && (
        <p className="page-subtitle">
          <span>MRN <span className="mono">{p.mrn}</span></span>
          <span>{indication} <span className="mono">{e.icd10Code}</span></span>
          <span>Episode opened {formatDate(e.openedOn)}</span>
        </p>
      )}
      {!f || !e ? <Loading label="Loading the follow-up…" /> : (
        <div className="follow-up-layout">
          <ProcedureDate followUp={f} episode={e} writable={writable} onChanged={(next) => { followUp.set(next); episode.reload(); }} />
          <section className="panel" aria-labelledby="timeline-title">
            <div className="panel-header">
              <h2 id="timeline-title" className="panel-title">Time points <span className="count">{f.timePoints.length}</span></h2>
              {f.schedule && <span className="panel-note">Anchored on {formatDate(f.schedule.anchorOn)} · today {formatDate(f.today)}</span>}
            </div>
            {f.timePoints.length === 0 ? (
              <p className="empty">No follow-up yet: plan the procedure date and the clinic’s schedule is attached.</p>
            ) : (
              <ol className="timeline">
                {f.timePoints.map((tp) => (
                  <TimePointItem key={tp.id} tp={tp} titles={titles} writable={writable && tp.state !== 'stopped'} onChanged={followUp.reload} />
                ))}
              </ol>
            )}
          </section>
          {f.trajectories.length > 0 && (
            <section className="panel panel-padded" aria-labelledby="trajectory-title">
              <h2 id="trajectory-title" className="panel-title">Trajectory</h2>
              <p className="small muted">Responder rules of the clinic: {f.responderRules.map((r) => `${titles[r.instrument]?.replace(/ \(.*\)$/, '') ?? r.instrument}: ${r.text}`).join('; ') || 'none'}.</p>
              <div className="trajectory-grid-list">
                {f.trajectories.map((t) => <TrajectoryChart key={t.instrument} trajectory={t} />)}
              </div>
            </section>
          )}
          <TreatmentFailures episodeId={e.id} failures={f.treatmentFailures} writable={writable} onAdded={followUp.reload} />
        </div>
      )}
    </>
  );
}

function ProcedureDate({ followUp: f, episode, writable, onChanged }: { followUp: FollowUpView; episode: EpisodeView; writable: boolean; onChanged: (next: FollowUpView) => void }) {
  const [date, setDate] = useState(f.plannedProcedureOn ?? '');
  const [error, setError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const cancelled = episode.status === 'cancelled';

  async function save(value: string | null) {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const next = await api.put<FollowUpView>(`/episodes/${episode.id}/procedure-date`, { plannedProcedureOn: value });
      setDate(next.plannedProcedureOn ?? '');
      const message = value === null
        ? 'The procedure date is cleared: follow-up is paused until a date is set again.'
        : f.plannedProcedureOn ? `The procedure is now planned for ${formatDate(value)}; every open time point moved with it.` : `The procedure is planned for ${formatDate(value)}; the follow-up schedule is attached.`;
      setSaved(message);
      announce(message);
      onChanged(next);
    } catch (e) {
      setError(problemOf(e).detail);
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!date) {
      setError('Enter the planned procedure date.');
      return;
    }
    void save(date);
  }

  return (
    <section className="panel panel-padded" aria-labelledby="procedure-title">
      <h2 id="procedure-title" className="panel-title">Planned procedure</h2>
      {f.schedule?.status === 'stopped' && <Notice kind="warning">Follow-up is stopped ({STOP_LABELS[f.schedule.stopReason ?? ''] ?? f.schedule.stopReason}): nothing more is sent.</Notice>}
      {saved && <Notice kind="success">{saved}</Notice>}
      {writable && !cancelled ? (
        <form className="form procedure-form" onSubmit={submit} noValidate aria-label="Plan or move the procedure">
          <TextField
            id="planned-procedure-on" label="Planned procedure date" type="date" value={date} onChange={(ev) => setDate(ev.target.value)} error={error}
            hint="The follow-up schedule hangs off this date: moving it moves every open time point (baseline, 6 weeks, months…) with it. Completed and stopped time points stay where they are; links already sent follow their time point."
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>{f.plannedProcedureOn ? 'Move the date' : 'Plan the procedure'}</button>
            {f.plannedProcedureOn && <button type="button" className="button button-quiet" disabled={busy} onClick={() => void save(null)}>Clear the date</button>}
          </div>
        </form>
      ) : (
        <p>{f.plannedProcedureOn ? formatDate(f.plannedProcedureOn) : 'Not planned.'}{cancelled && <span className="muted"> · The episode is cancelled: reopen it to plan the procedure.</span>}</p>
      )}
    </section>
  );
}

function TimePointItem({ tp, titles, writable, onChanged }: { tp: TimePointView; titles: Record<string, string>; writable: boolean; onChanged: () => void }) {
  const [open, setOpen] = useState<'call' | 'answers' | undefined>(undefined);
  const completed = tp.responses.filter((r) => r.status === 'completed');
  const titleId = `tp-${tp.id}`;
  return (
    <li className={`timeline-item timeline-${tp.state}`} aria-labelledby={titleId}>
      <div className="timeline-head">
        <h3 id={titleId} className="timeline-title">{tp.label}</h3>
        <Badge tone={STATE_TONE[tp.state]}>{STATE_LABELS[tp.state]}</Badge>
        {tp.stopReason && <span className="small muted">{STOP_LABELS[tp.stopReason] ?? tp.stopReason}</span>}
      </div>
      <dl className="timeline-facts">
        <div><dt>Due</dt><dd>{formatDate(tp.dueOn)}</dd></div>
        <div><dt>Window</dt><dd>{formatDate(tp.windowStartOn)} – {formatDate(tp.windowEndOn)}</dd></div>
        <div><dt>Emails</dt><dd>{tp.sends}{tp.nextSendOn && tp.state !== 'completed' && tp.state !== 'stopped' ? <span className="muted"> · next {formatDate(tp.nextSendOn)}</span> : ''}</dd></div>
        <div><dt>Asks</dt><dd>{tp.instruments.map((c) => titles[c]?.replace(/ \(.*\)$/, '') ?? c).join(', ') || '—'}
          {tp.notImported.length > 0 && <span className="muted small"> · not asked until the clinic imports its licensed copy: {tp.notImported.map((c) => titles[c]?.replace(/ \(.*\)$/, '') ?? c).join(', ')}</span>}</dd></div>
      </dl>
      {completed.length > 0 && (
        <ul className="score-list" aria-label={`Scores at ${tp.label}`}>
          {completed.map((r) => (
            <li key={r.id}>
              <span className="score-name">{titles[r.instrument]?.replace(/ \(.*\)$/, '') ?? r.instrument}</span>{' '}
              <strong className="score-value">{r.score === null ? 'no score' : formatScore(r.score)}</strong>
              <span className="muted small"> · {MODE_LABELS[r.mode] ?? r.mode}{r.completedAt ? `, ${formatInstant(r.completedAt)}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
      {tp.contacts.length > 0 && (
        <ul className="contact-list" aria-label={`Contacts about ${tp.label}`}>
          {tp.contacts.map((c) => (
            <li key={c.id}>
              <span className="nowrap">{formatInstant(c.at)}</span> · {KIND_LABELS[c.kind] ?? c.kind}{c.sendNumber ? ` ${c.sendNumber}` : ''}
              {c.channel === 'email' && c.delivery && <> · <Badge tone={c.delivery === 'failed' ? 'danger' : c.delivery === 'sent' ? 'success' : 'neutral'}>{DELIVERY_LABELS[c.delivery] ?? c.delivery}</Badge></>}
              {c.outcome && <> · {CALL_OUTCOME_LABELS[c.outcome] ?? c.outcome}</>}
              {c.by && <span className="muted"> · {c.by}</span>}
              {c.note && <div className="muted small">{c.note}</div>}
            </li>
          ))}
        </ul>
      )}
      {writable && tp.state !== 'upcoming' && (
        <div className="timeline-actions">
          <button type="button" className="button button-small" aria-expanded={open === 'call'} onClick={() => setOpen(open === 'call' ? undefined : 'call')}>Log a call</button>
          <button type="button" className="button button-small" aria-expanded={open === 'answers'} onClick={() => setOpen(open === 'answers' ? undefined : 'answers')}>Enter answers</button>
        </div>
      )}
      {open === 'call' && <div className="panel-inset"><CallLogger timePointId={tp.id} what={tp.label} onLogged={() => { setOpen(undefined); onChanged(); }} /></div>}
      {open === 'answers' && (
        <div className="panel-inset">
          <AnswerEntry timePointId={tp.id} instruments={tp.instruments} answered={completed.map((r) => r.instrument)} titles={titles} onSaved={onChanged} />
        </div>
      )}
    </li>
  );
}

function TreatmentFailures({ episodeId, failures, writable, onAdded }: { episodeId: string; failures: TreatmentFailureView[]; writable: boolean; onAdded: () => void }) {
  const [adding, setAdding] = useState(false);
  const [kind, setKind] = useState('');
  const [occurredOn, setOccurredOn] = useState(todayIso());
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!kind) local.kind = 'Choose what happened.';
    if (!occurredOn) local.occurredOn = 'Enter the date it happened.';
    setErrors(local);
    setGeneral(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await api.post(`/episodes/${episodeId}/treatment-failures`, { kind, occurredOn, notes: notes.trim() || null });
      announce('Treatment failure recorded.');
      setAdding(false);
      setKind('');
      setNotes('');
      onAdded();
    } catch (e) {
      const problem = problemOf(e);
      if (problem.field && ['kind', 'occurredOn', 'notes'].includes(problem.field)) setErrors({ [problem.field]: problem.detail });
      else setGeneral(problem.detail);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="failures-title">
      <div className="panel-header">
        <h2 id="failures-title" className="panel-title">Treatment failures <span className="count">{failures.length}</span></h2>
        {writable && !adding && <button type="button" className="button button-small" onClick={() => setAdding(true)}>Record a treatment failure</button>}
      </div>
      {adding && (
        <div className="panel-body panel-inset">
          <form className="form" onSubmit={submit} noValidate aria-label="Record a treatment failure">
            {general && <Notice kind="error">{general}</Notice>}
            <div className="form-grid">
              <SelectField id="failure-kind" label="What happened" value={kind} onChange={(e) => setKind(e.target.value)} error={errors.kind} autoFocus>
                <option value="">Choose…</option>
                {Object.entries(FAILURE_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
              </SelectField>
              <TextField id="failure-date" label="Date" type="date" value={occurredOn} max={todayIso()} onChange={(e) => setOccurredOn(e.target.value)} error={errors.occurredOn} />
              <TextAreaField id="failure-notes" label="Notes" optional rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} error={errors.notes} />
            </div>
            <p className="small muted">Follow-up continues after a failure (outcomes are analysed as treated); the date feeds the time-to-failure analysis.</p>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Recording…' : 'Record'}</button>
              <button type="button" className="button button-quiet" onClick={() => setAdding(false)}>Cancel</button>
            </div>
          </form>
        </div>
      )}
      {failures.length === 0 ? <p className="empty">No treatment failure recorded.</p> : (
        <ul className="failure-list">
          {failures.map((x) => (
            <li key={x.id}><strong>{FAILURE_LABELS[x.kind] ?? x.kind}</strong> · {formatDate(x.occurredOn)}{x.notes && <div className="muted small">{x.notes}</div>}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
