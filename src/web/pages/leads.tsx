import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Notice } from '../components/error-summary.js';
import { SelectField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { PatientForm } from '../components/patient-form.js';
import { LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant } from '../format.js';
import { problemOf } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { announce } from '../announce.js';
import { patientDraftFromLead } from '../lead-patient.js';
import { useSession } from '../session.js';
import type { LeadView } from '../pathway-types.js';
import type { Page, PatientSummary, PatientView, Problem } from '../types.js';

const STATUS_LABELS: Record<string, string> = { new: 'New', contacted: 'Contacted', booked: 'Booked', closed: 'Closed' };

type Acting = { lead: LeadView; mode: 'create' | 'link' };

/**
 * Consultation requests from the public self-screening, oldest first: the coordinator calls them
 * back, and turns a request into a patient record (a new one, or the record of a returning patient).
 */
export function LeadsPage() {
  useTitle('Leads');
  const { can } = useSession();
  const [status, setStatus] = useState('new');
  const leads = useLoad((signal) => api.get<LeadView[]>('/leads', { status: status || undefined }, signal), [status]);
  const [error, setError] = useState<Problem | undefined>(undefined);
  const [acting, setActing] = useState<Acting | undefined>(undefined);
  const mayRegister = can('lead:write') && can('patient:write');

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

  if (acting) {
    return (
      <>
        <PageHeader title={acting.mode === 'create' ? 'Patient record from a request' : 'Link a request to a patient'} eyebrow={<button type="button" className="link-button" onClick={() => setActing(undefined)}>Leads</button>} />
        {acting.mode === 'create'
          ? <CreatePatientFromLead lead={acting.lead} onCancel={() => setActing(undefined)} />
          : <LinkLeadToPatient lead={acting.lead} onCancel={() => setActing(undefined)} />}
      </>
    );
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
              { header: 'Contact', cell: (l) => <>{l.phone && <div><a href={`tel:${l.phone}`}>{l.phone}</a></div>}{l.email && <div style={{ overflowWrap: 'anywhere' }}><a href={`mailto:${l.email}`}>{l.email}</a></div>}</> },
              { header: 'Screening', cell: (l) => <span className="small">{l.answerLabels.painLocations.join(', ')} · {l.answerLabels.duration} · tried: {l.answerLabels.tried.join(', ')}</span> },
              { header: 'Received', className: 'nowrap', cell: (l) => formatInstant(l.createdAt) },
              {
                header: 'Status', cell: (l) => can('lead:write')
                  ? <select className="input input-small" aria-label={`Status: ${l.name}`} value={l.status} onChange={(e) => void move(l, e.target.value)}>
                      {Object.entries(STATUS_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
                    </select>
                  : STATUS_LABELS[l.status],
              },
              {
                header: 'Patient record', cell: (l) => l.patientId
                  ? <Link to={`/patients/${l.patientId}`} aria-label={`Patient record of ${l.name}`}>Open patient record</Link>
                  : mayRegister
                    ? <div className="row-actions" style={{ flexWrap: 'wrap' }}>
                        <button type="button" className="button button-small" aria-label={`Create patient record: ${l.name}`} onClick={() => setActing({ lead: l, mode: 'create' })}>Create patient record</button>
                        <button type="button" className="button button-small button-quiet" aria-label={`Link to existing patient: ${l.name}`} onClick={() => setActing({ lead: l, mode: 'link' })}>Link to existing patient</button>
                      </div>
                    : <span className="muted">None yet</span>,
              },
            ]}
          />
        </section>
      )}
    </>
  );
}

/** What the person told the public screening, for the coordinator's call. */
function LeadSummary({ lead }: { lead: LeadView }) {
  return (
    <dl className="details details-compact">
      <div className="details-row"><dt>Name given</dt><dd>{lead.name}</dd></div>
      <div className="details-row"><dt>Contact</dt><dd>{[lead.phone, lead.email].filter(Boolean).join(' · ') || '—'}</dd></div>
      <div className="details-row"><dt>Screening</dt><dd>{lead.answerLabels.painLocations.join(', ')} · {lead.answerLabels.duration} · tried: {lead.answerLabels.tried.join(', ')}</dd></div>
      <div className="details-row"><dt>Received</dt><dd>{formatInstant(lead.createdAt)}</dd></div>
    </dl>
  );
}

/** Moves focus to a panel's heading when it opens, so keyboard and screen-reader users start there. */
function useFocusOnOpen() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const frame = requestAnimationFrame(() => ref.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  return ref;
}

/** The lead becomes a new patient: the form pre-filled from the request, then the lead is linked (booked) and, if asked, an episode opened. */
function CreatePatientFromLead({ lead, onCancel }: { lead: LeadView; onCancel: () => void }) {
  const { meta, can } = useSession();
  const navigate = useNavigate();
  const heading = useFocusOnOpen();
  const [indication, setIndication] = useState('');
  const [error, setError] = useState<{ problem: Problem; patient: PatientView } | undefined>(undefined);

  async function registered(patient: PatientView) {
    const name = `${patient.givenName} ${patient.familyName}`;
    try {
      await api.patch<LeadView>(`/leads/${lead.id}`, { patientId: patient.id, status: 'booked' });
      if (indication) await api.post(`/patients/${patient.id}/episodes`, { indication });
      announce(`${name} is registered from the consultation request.`);
      navigate(`/patients/${patient.id}`, { state: { flash: `${name} is registered from the consultation request${indication ? ', with an episode of care open' : ''}.` } });
    } catch (e) {
      setError({ problem: problemOf(e), patient });
    }
  }

  return (
    <section className="panel panel-padded panel-form" aria-labelledby="lead-create-title">
      <h2 id="lead-create-title" className="panel-title" tabIndex={-1} ref={heading}>New patient from {lead.name}’s request</h2>
      <LeadSummary lead={lead} />
      <p className="muted" style={{ marginTop: 12 }}>The name is split as a suggestion: check it with the patient, and ask for the birth date and sex. The request is marked booked and linked to the record.</p>
      {error && (
        <Notice kind="error">
          {error.patient.givenName} {error.patient.familyName} is registered, but the rest did not complete: {error.problem.detail}{' '}
          <Link to={`/patients/${error.patient.id}`}>Open the patient record</Link>
        </Notice>
      )}
      {can('episode:write') && (
        <div className="form-grid" style={{ marginBottom: 16 }}>
          <SelectField id="lead-episode-indication" label="Also open an episode of care for" optional value={indication} onChange={(e) => setIndication(e.target.value)} hint="Opened once the patient is registered; the clinician assesses it." className="span-2">
            <option value="">Not now</option>
            {meta?.indications.map((i) => <option key={i.code} value={i.code}>{i.label}</option>)}
          </SelectField>
        </div>
      )}
      <PatientForm initial={patientDraftFromLead(lead)} onSaved={(p) => void registered(p)} onCancel={onCancel} />
    </section>
  );
}

/** A returning patient: find the record and link the request to it. */
function LinkLeadToPatient({ lead, onCancel }: { lead: LeadView; onCancel: () => void }) {
  const navigate = useNavigate();
  const heading = useFocusOnOpen();
  const [q, setQ] = useState(lead.name);
  const [searched, setSearched] = useState(lead.name);
  const [error, setError] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const found = useLoad(async (signal): Promise<Page<PatientSummary> | undefined> => (searched.trim() ? api.get<Page<PatientSummary>>('/patients', { q: searched.trim(), pageSize: 10 }, signal) : undefined), [searched]);

  function search(event: FormEvent) {
    event.preventDefault();
    setSearched(q);
  }

  async function link(patient: PatientSummary) {
    setBusy(true);
    setError(undefined);
    try {
      await api.patch<LeadView>(`/leads/${lead.id}`, { patientId: patient.id, status: 'booked' });
      announce(`The request is linked to ${patient.givenName} ${patient.familyName}.`);
      navigate(`/patients/${patient.id}`, { state: { flash: `${lead.name}’s consultation request is linked to this record.` } });
    } catch (e) {
      setError(problemOf(e));
      setBusy(false);
    }
  }

  return (
    <section className="panel panel-padded panel-form" aria-labelledby="lead-link-title">
      <h2 id="lead-link-title" className="panel-title" tabIndex={-1} ref={heading}>Link {lead.name}’s request to a patient</h2>
      <LeadSummary lead={lead} />
      {error && <Notice kind="error">{error.detail}</Notice>}
      <form onSubmit={search} className="form" role="search" aria-label="Find the patient" style={{ marginTop: 16 }}>
        <TextField id="lead-link-q" label="Name or MRN" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" spellCheck={false} maxLength={100} />
        <div className="form-actions">
          <button type="submit" className="button">Search</button>
          <button type="button" className="button button-quiet" onClick={onCancel}>Cancel</button>
        </div>
      </form>
      {found.error && <LoadError problem={found.error} onRetry={found.reload} />}
      {found.data && (
        <DataTable<PatientSummary>
          caption="Matching patients"
          rows={found.data.items}
          rowKey={(p) => p.id}
          empty="No patient matches. Try the family name alone, or the MRN — or create a new record."
          columns={[
            { header: 'Patient', rowHeader: true, cell: (p) => <Link to={`/patients/${p.id}`}>{p.familyName}, {p.givenName}</Link> },
            { header: 'MRN', className: 'mono', cell: (p) => p.mrn },
            { header: 'Birth date', className: 'nowrap', cell: (p) => formatDate(p.birthDate) },
            { header: 'Action', cell: (p) => <button type="button" className="button button-small" disabled={busy} aria-label={`Link to ${p.familyName}, ${p.givenName}`} onClick={() => void link(p)}>Link</button> },
          ]}
        />
      )}
    </section>
  );
}
