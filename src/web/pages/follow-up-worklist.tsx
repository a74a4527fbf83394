import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.js';
import { Notice } from '../components/error-summary.js';
import { PageHeader } from '../components/layout.js';
import { AnswerEntry, CallLogger } from '../components/outcome-entry.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant, patientName } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import type { FollowUpView, InstrumentView, WorklistItem } from '../outcome-types.js';
import { useSession } from '../session.js';

export const REASON_LABELS: Record<string, { label: string; tone: 'neutral' | 'accent' | 'warning' | 'danger' }> = {
  'reminders-exhausted': { label: 'Reminders used up', tone: 'warning' },
  'no-email': { label: 'No email address', tone: 'neutral' },
  bounced: { label: 'Email bounced', tone: 'danger' },
  'window-closing': { label: 'Window closing', tone: 'accent' },
};

/**
 * The coordinator's phone worklist (`/app/follow-up`): due time points that email has not
 * brought in, soonest-closing first. Each item logs a call or takes the answers by phone.
 */
export function FollowUpWorklistPage() {
  useTitle('Follow-up');
  const { meta } = useSession();
  const list = useLoad((signal) => api.get<WorklistItem[]>('/follow-up/worklist', { limit: 200 }, signal), []);
  const instruments = useLoad((signal) => api.get<InstrumentView[]>('/instruments', undefined, signal), []);
  const titles = Object.fromEntries((instruments.data ?? []).filter((i) => i.available).map((i) => [i.code, i.title]));
  const labelOf = (code: string) => meta?.indications.find((i) => i.code === code)?.label ?? code;
  return (
    <>
      <PageHeader title="Follow-up">
        <button type="button" className="button" onClick={list.reload} disabled={list.loading}>Refresh</button>
      </PageHeader>
      <p className="page-intro">Patients to phone: their time point is open and the emails have not brought the answers in. Soonest-closing window first.</p>
      {list.error && <LoadError problem={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading label="Loading the worklist…" />}
      {list.data && list.data.length === 0 && <p className="empty panel panel-padded">Nobody to phone today.</p>}
      {list.data && list.data.length > 0 && (
        <ol className="worklist" aria-label="Patients to phone">
          {list.data.map((item) => <WorklistEntry key={item.timePointId} item={item} indication={labelOf(item.indication)} titles={titles} onDone={list.reload} />)}
        </ol>
      )}
    </>
  );
}

function WorklistEntry({ item, indication, titles, onDone }: { item: WorklistItem; indication: string; titles: Record<string, string>; onDone: () => void }) {
  const { can } = useSession();
  const [open, setOpen] = useState<'call' | 'answers' | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const p = item.patient;
  const titleId = `work-${item.timePointId}`;
  return (
    <li className="panel worklist-item" aria-labelledby={titleId}>
      <div className="worklist-head">
        <div>
          <h2 id={titleId} className="panel-title"><Link to={`/patients/${p.id}`}>{patientName(p)}</Link> <span className="muted">· {item.label}</span></h2>
          <div className="small muted">MRN <span className="mono">{p.mrn}</span> · {indication} · window closes {formatDate(item.windowEndOn)} · {item.sends} email{item.sends === 1 ? '' : 's'}{item.lastContactAt ? ` · last contact ${formatInstant(item.lastContactAt)}` : ''}</div>
          {item.instruments.length > 0 && <div className="small muted">Asks {item.instruments.map((c) => titles[c]?.replace(/ \(.*\)$/, '') ?? c).join(', ')}</div>}
        </div>
        <ul className="chip-list" aria-label="Why this patient is listed">
          {item.reasons.map((r) => <li key={r}><Badge tone={REASON_LABELS[r]?.tone ?? 'neutral'}>{REASON_LABELS[r]?.label ?? r}</Badge></li>)}
        </ul>
      </div>
      <div className="worklist-contact">
        {p.phone ? <a className="button button-small" href={`tel:${p.phone.replace(/[^0-9+]/g, '')}`}>Call {p.phone}</a> : <span className="muted small">No phone number recorded.</span>}
        {can('outcome:write') && (
          <>
            <button type="button" className="button button-small" aria-expanded={open === 'call'} onClick={() => setOpen(open === 'call' ? undefined : 'call')}>Log a call</button>
            <button type="button" className="button button-small" aria-expanded={open === 'answers'} onClick={() => setOpen(open === 'answers' ? undefined : 'answers')}>Enter answers</button>
          </>
        )}
        <Link className="button button-small button-quiet" to={`/episodes/${item.episodeId}/follow-up`}>Open follow-up</Link>
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {open === 'call' && (
        <div className="panel-inset">
          <CallLogger timePointId={item.timePointId} what={`${patientName(p)}, ${item.label}`} onLogged={(c) => { setOpen(undefined); setMessage(`Call logged (${c.outcome ?? 'call'}).`); }} />
        </div>
      )}
      {open === 'answers' && <EntryForItem item={item} titles={titles} onDone={(m) => { setMessage(m); onDone(); }} />}
    </li>
  );
}

/** The answer form needs the time point's instruments: read from the episode's follow-up. */
function EntryForItem({ item, titles, onDone }: { item: WorklistItem; titles: Record<string, string>; onDone: (message: string) => void }) {
  const f = useLoad((signal) => api.get<FollowUpView>(`/episodes/${item.episodeId}/follow-up`, undefined, signal), [item.episodeId]);
  const tp = f.data?.timePoints.find((t) => t.id === item.timePointId);
  if (f.error) return <div className="panel-inset"><LoadError problem={f.error} onRetry={f.reload} /></div>;
  if (!tp || Object.keys(titles).length === 0) return <div className="panel-inset"><Loading label="Loading the questions…" /></div>;
  return (
    <div className="panel-inset">
      <AnswerEntry
        timePointId={tp.id} instruments={item.instruments.filter((c) => c in titles)} titles={titles}
        answered={tp.responses.filter((r) => r.status === 'completed').map((r) => r.instrument)}
        onSaved={(r) => { f.reload(); onDone(`${titles[r.instrument] ?? r.instrument} saved${r.score !== null ? ` (score ${r.score})` : ''}.`); }}
      />
    </div>
  );
}
