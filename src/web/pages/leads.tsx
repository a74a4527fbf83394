import { useState } from 'react';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Notice } from '../components/error-summary.js';
import { PageHeader } from '../components/layout.js';
import { LoadError, Loading } from '../components/status.js';
import { formatInstant } from '../format.js';
import { problemOf } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { announce } from '../announce.js';
import { useSession } from '../session.js';
import type { LeadView } from '../pathway-types.js';
import type { Problem } from '../types.js';

const STATUS_LABELS: Record<string, string> = { new: 'New', contacted: 'Contacted', booked: 'Booked', closed: 'Closed' };

/** Consultation requests from the public self-screening, oldest first: the coordinator calls them back. */
export function LeadsPage() {
  useTitle('Leads');
  const { can } = useSession();
  const [status, setStatus] = useState('new');
  const leads = useLoad((signal) => api.get<LeadView[]>('/leads', { status: status || undefined }, signal), [status]);
  const [error, setError] = useState<Problem | undefined>(undefined);

  async function move(lead: LeadView, next: string) {
    setError(undefined);
    try {
      await api.patch<LeadView>(`/leads/${lead.id}`, { status: next });
      announce(`${lead.name}: ${STATUS_LABELS[next]?.toLowerCase()}.`);
      leads.reload();
    } catch (e) {
      setError(problemOf(e));
    }
  }

  return (
    <>
      <PageHeader title="Leads" />
      <div className="filter-bar">
        <label htmlFor="lead-status">Show</label>{' '}
        <select id="lead-status" className="input input-small" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All</option>
          {Object.entries(STATUS_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
        </select>
      </div>
      {error && <Notice kind="error">{error.detail}</Notice>}
      {leads.error && <LoadError problem={leads.error} onRetry={leads.reload} />}
      {!leads.data && !leads.error && <Loading label="Loading leads…" />}
      {leads.data && (
        <section className="panel">
          <DataTable<LeadView>
            caption="Consultation requests"
            rows={leads.data}
            rowKey={(l) => l.id}
            empty="No consultation request."
            columns={[
              { header: 'Name', rowHeader: true, cell: (l) => <>{l.name}{l.preferredTime && <div className="muted small">Prefers: {l.preferredTime}</div>}</> },
              { header: 'Contact', cell: (l) => <>{l.phone && <div><a href={`tel:${l.phone}`}>{l.phone}</a></div>}{l.email && <div><a href={`mailto:${l.email}`}>{l.email}</a></div>}</> },
              { header: 'Screening', cell: (l) => <span className="small">{l.answerLabels.painLocations.join(', ')} · {l.answerLabels.duration} · tried: {l.answerLabels.tried.join(', ')}</span> },
              { header: 'Received', className: 'nowrap', cell: (l) => formatInstant(l.createdAt) },
              {
                header: 'Status', cell: (l) => can('lead:write')
                  ? <select className="input input-small" aria-label={`Status: ${l.name}`} value={l.status} onChange={(e) => void move(l, e.target.value)}>
                      {Object.entries(STATUS_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
                    </select>
                  : STATUS_LABELS[l.status],
              },
            ]}
          />
        </section>
      )}
    </>
  );
}
