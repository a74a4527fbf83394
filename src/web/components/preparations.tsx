import { Link } from 'react-router';
import { api } from '../api.js';
import { formatDate, formatInstant } from '../format.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import type { EpisodeView, PreparationView } from '../types.js';
import { DataTable } from './data-table.js';
import { Badge, LoadError } from './status.js';

// No science import here: the patient page stays light; the lab screen loads the science with it.
const twoDecimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * One episode's PRP preparations, in draw order, with the figures a clinician looks for first
 * (concentration factor, PAW code, MIBO completeness) and links to the lab screen and the
 * printable report. The list is read (and audited) once per episode shown.
 */
export function EpisodePreparations({ episode, label }: { episode: EpisodeView; label: string }) {
  const { can } = useSession();
  const list = useLoad((signal) => api.get<PreparationView[]>(`/episodes/${episode.id}/preparations`, undefined, signal), [episode.id, episode.updatedAt]);
  const caption = `Preparations: ${label}, opened ${formatDate(episode.openedOn)}`;
  const titleId = `preparations-${episode.id}`;
  return (
    <section className="episode-preparations" aria-labelledby={titleId}>
      <div className="subsection-header">
        <h3 id={titleId} className="subsection-title">
          Preparations <span className="muted">· {label}, opened {formatDate(episode.openedOn)}</span>
          {list.data && <span className="count">{list.data.length}</span>}
        </h3>
        {can('preparation:write') && episode.status !== 'cancelled' && (
          <Link className="button button-small" to={`/preparations/new?episode=${episode.id}`} aria-label={`Record preparation: ${label}`}>Record preparation</Link>
        )}
      </div>
      {list.error && <LoadError problem={list.error} onRetry={list.reload} />}
      {list.data && (
        <DataTable<PreparationView>
          caption={caption}
          captionHidden
          rows={list.data}
          rowKey={(p) => p.id}
          empty="No preparation recorded for this episode."
          columns={[
            { header: 'Drawn', rowHeader: true, className: 'nowrap', cell: (p) => <Link to={`/preparations/${p.id}`}>{formatInstant(p.draw.drawnAt)}</Link> },
            {
              header: 'Protocol',
              cell: (p) => (p.protocol ? <>{p.protocol.name} <span className="muted">v{p.protocol.version}</span></> : p.systemName ?? <span className="muted">—</span>),
            },
            { header: 'CF', className: 'num', cell: (p) => (p.computed.metrics ? `${twoDecimals.format(p.computed.metrics.concentrationFactor)}×` : '—') },
            { header: 'PAW', cell: (p) => <span className="mono">{p.computed.classifications?.paw?.code ?? '—'}</span> },
            {
              header: 'MIBO',
              className: 'num',
              cell: (p) => (
                <>
                  {Math.round(p.computed.completeness.percent)} %
                  {!p.computed.upToDate && <> <Badge tone="warning">science {p.computed.scienceVersion}</Badge></>}
                </>
              ),
            },
            {
              header: 'Links',
              className: 'actions-cell',
              cell: (p) => (
                <span className="row-actions">
                  <Link className="button button-small" to={`/preparations/${p.id}`} aria-label={`Open preparation drawn ${formatInstant(p.draw.drawnAt)}`}>Open</Link>
                  <a className="button button-small button-quiet" href={`/api/v1/preparations/${p.id}/report`} target="_blank" rel="noopener" aria-label={`Printable report of the preparation drawn ${formatInstant(p.draw.drawnAt)} (opens in a new tab)`}>Report</a>
                </span>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
