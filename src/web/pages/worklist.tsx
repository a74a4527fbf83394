import { Link } from 'react-router';
import { api } from '../api.js';
import { PageHeader } from '../components/layout.js';
import { LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import type { WorkItem, Worklist } from '../pathway-types.js';
import '../pathway.css';

const ALERT_LABELS: Record<string, string> = { 'serious-adverse-event': 'Serious adverse event', 'identity-mismatch': 'Bedside identity check failed' };

/** The role's worklist, with the clinic-wide alerts (serious adverse events, failed bedside checks) pinned on top. */
export function WorklistPage() {
  useTitle('Worklist');
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
