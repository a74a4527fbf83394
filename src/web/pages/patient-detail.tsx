import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../api.js';
import { AuditTable } from '../components/audit-table.js';
import { Episodes } from '../components/episodes.js';
import { Notice } from '../components/error-summary.js';
import { PageHeader } from '../components/layout.js';
import { PatientForm } from '../components/patient-form.js';
import { LoadError, Loading } from '../components/status.js';
import { SEX_LABELS, ageOf, formatDate, formatInstant } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { AuditEventView, EpisodeView, PatientView } from '../types.js';

const HISTORY_PAGE = 50;

/** One patient: details (editable), episodes of care, and who has read or changed the record. */
export function PatientDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const flash = (location.state as { flash?: string } | null)?.flash;
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  // Bumped after every change so the history shows it (and the reads the page itself made).
  const [version, setVersion] = useState(0);

  const patient = useLoad((signal) => api.get<PatientView>(`/patients/${id}`, undefined, signal), [id]);
  const episodes = useLoad((signal) => api.get<EpisodeView[]>(`/patients/${id}/episodes`, undefined, signal), [id]);
  const p = patient.data;
  // Not the patient's name: titles end up in browser history, which browsers may sync elsewhere.
  useTitle('Patient record');

  if (patient.error) {
    return (
      <>
        <PageHeader title={patient.error.status === 404 ? 'Patient not found' : 'Patient'} eyebrow={<Link to="/patients">Patients</Link>} />
        <LoadError problem={patient.error} onRetry={patient.error.status === 404 ? undefined : patient.reload} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={p ? `${p.familyName}, ${p.givenName}` : 'Patient'}
        eyebrow={<Link to="/patients">Patients</Link>}
      >
        {p && can('patient:write') && !editing && (
          <button type="button" className="button" onClick={() => { setSaved(undefined); setEditing(true); }}>Edit details</button>
        )}
      </PageHeader>
      {p && (
        <p className="page-subtitle">
          <span>MRN <span className="mono">{p.mrn}</span></span>
          <span>Born {formatDate(p.birthDate)} ({ageOf(p.birthDate)} years)</span>
          <span>{SEX_LABELS[p.sex]}</span>
        </p>
      )}
      {(saved ?? flash) && !editing && <Notice kind="success">{saved ?? flash}</Notice>}
      {!p && <Loading label="Loading patient…" />}
      {p && (
        <div className="patient-grid">
          <section className="panel" aria-labelledby="details-title">
            <div className="panel-header">
              <h2 id="details-title" className="panel-title">{editing ? 'Edit details' : 'Details'}</h2>
            </div>
            <div className="panel-body">
              {editing ? (
                <PatientForm
                  patient={p}
                  onSaved={(next) => {
                    patient.set(next);
                    setEditing(false);
                    setSaved('The changes are saved.');
                    // The flash belonged to the registration; it should not come back.
                    if (flash) navigate('.', { replace: true, state: null });
                    setVersion((v) => v + 1);
                  }}
                  onCancel={() => setEditing(false)}
                />
              ) : (
                <PatientDetails patient={p} />
              )}
            </div>
          </section>
          {episodes.error && <LoadError problem={episodes.error} onRetry={episodes.reload} />}
          {episodes.data && (
            <Episodes
              patientId={p.id}
              episodes={episodes.data}
              onChanged={() => {
                episodes.reload();
                setVersion((v) => v + 1);
              }}
            />
          )}
          <History patientId={p.id} version={version} />
        </div>
      )}
    </>
  );
}

function PatientDetails({ patient: p }: { patient: PatientView }) {
  const rows: [string, ReactNode][] = [
    ['Family name', p.familyName],
    ['Given name', p.givenName],
    ['Birth date', formatDate(p.birthDate)],
    ['Sex', SEX_LABELS[p.sex] ?? p.sex],
    ['MRN', <span className="mono">{p.mrn}</span>],
    ['Preferred language', p.preferredLanguage ?? <span className="muted">—</span>],
    ['Email', p.email ? <a href={`mailto:${p.email}`}>{p.email}</a> : <span className="muted">—</span>],
    ['Phone', p.phone ? <a href={`tel:${p.phone.replace(/[^0-9+]/g, '')}`}>{p.phone}</a> : <span className="muted">—</span>],
  ];
  return (
    <>
      <dl className="details">
        {rows.map(([label, value]) => (
          <div key={label} className="details-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div className="details-row details-wide">
          <dt>Notes</dt>
          <dd className="notes">{p.notes ?? <span className="muted">—</span>}</dd>
        </div>
      </dl>
      <p className="meta-line">Registered {formatInstant(p.createdAt)} · last changed {formatInstant(p.updatedAt)}</p>
    </>
  );
}

/** The patient's audit history, newest first, in pages of HISTORY_PAGE. */
function History({ patientId, version }: { patientId: string; version: number }) {
  const { can } = useSession();
  const [older, setOlder] = useState<AuditEventView[]>([]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [exhausted, setExhausted] = useState(false);
  const first = useLoad(async (signal) => {
    const events = await api.get<AuditEventView[]>(`/patients/${patientId}/audit`, { limit: HISTORY_PAGE }, signal);
    setOlder([]);
    setExhausted(events.length < HISTORY_PAGE);
    return events;
  }, [patientId, version]);
  const events = [...(first.data ?? []), ...older];

  async function showOlder() {
    const last = events[events.length - 1];
    if (!last) return;
    setLoadingOlder(true);
    try {
      const more = await api.get<AuditEventView[]>(`/patients/${patientId}/audit`, { limit: HISTORY_PAGE, beforeSeq: last.seq });
      setOlder((o) => [...o, ...more]);
      setExhausted(more.length < HISTORY_PAGE);
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-header">
        <h2 id="history-title" className="panel-title">Audit history</h2>
        <span className="panel-note">
          Every view and change of this record, newest first
          {can('audit:read') && <> · <Link to={`/audit?patientId=${patientId}`}>Open in audit trail</Link></>}
        </span>
      </div>
      {first.error && <div className="panel-body"><LoadError problem={first.error} onRetry={first.reload} /></div>}
      {first.data && <AuditTable events={events} caption="Audit history" busy={first.loading} />}
      {first.data && !exhausted && (
        <div className="panel-footer">
          <button type="button" className="button button-small" onClick={() => void showOlder()} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Show older events'}
          </button>
        </div>
      )}
    </section>
  );
}
