import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams, Link } from 'react-router';
import { announce } from '../announce.js';
import { api, apiUrl } from '../api.js';
import { ACTION_LABELS, AuditTable, ENTITY_LABELS } from '../components/audit-table.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Loading } from '../components/status.js';
import { formErrorsOf, problemOf, type FieldInfo } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import type { AuditEventView, AuditVerification } from '../types.js';

const FILTERS = ['action', 'entityType', 'from', 'to', 'patientId'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const FILTER_FIELDS: Record<string, FieldInfo> = {
  action: { label: 'Action' }, entityType: { label: 'Record type' }, from: { label: 'From' }, to: { label: 'To' }, patientId: { label: 'Patient id' },
};
const fieldId = (field: string) => `audit-${field}`;
const PAGE = 100;

/** The clinic's audit trail: filter, page back in time, export as CSV, verify the hash chain. */
export function AuditPage() {
  useTitle('Audit trail');
  const [params, setParams] = useSearchParams();
  const applied: Filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;
  const key = FILTERS.map((k) => applied[k]).join('|');
  const [draft, setDraft] = useState<Filters>(applied);
  const [older, setOlder] = useState<AuditEventView[]>([]);
  const [exhausted, setExhausted] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  // Open on wide screens; on a phone the filters fold away so the events come first.
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia('(min-width: 821px)').matches);

  const first = useLoad(async (signal) => {
    const events = await api.get<AuditEventView[]>('/audit', { ...applied, limit: PAGE }, signal);
    setOlder([]);
    setExhausted(events.length < PAGE);
    announce(`${events.length}${events.length === PAGE ? ' or more' : ''} events`);
    return events;
  }, [key]);
  const events = [...(first.data ?? []), ...older];
  // Back / forward through earlier filters shows them in the form too.
  useEffect(() => setDraft(applied), [key]);
  const errors = useMemo(() => (first.error ? formErrorsOf(first.error, FILTER_FIELDS) : undefined), [first.error]);

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const k of FILTERS) if (draft[k].trim()) next.set(k, draft[k].trim());
    setParams(next);
  }

  async function showOlder() {
    const last = events[events.length - 1];
    if (!last) return;
    setLoadingOlder(true);
    try {
      const more = await api.get<AuditEventView[]>('/audit', { ...applied, limit: PAGE, beforeSeq: last.seq });
      setOlder((o) => [...o, ...more]);
      setExhausted(more.length < PAGE);
    } finally {
      setLoadingOlder(false);
    }
  }

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const activeFilters = FILTERS.filter((k) => applied[k]).length;
  const filtered = activeFilters > 0;
  return (
    <>
      <PageHeader title="Audit trail" eyebrow={<Link to="/clinic">Clinic</Link>}>
        <a className="button" href={apiUrl('/audit/export.csv', applied)} download>Export CSV</a>
      </PageHeader>
      <VerifyChain />
      <details className="panel panel-padded filter-disclosure" open={filtersOpen || Boolean(errors)} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
        <summary>Filters{activeFilters > 0 && <span className="muted"> · {activeFilters} applied</span>}</summary>
        <form className="filter-bar" onSubmit={apply} noValidate aria-label="Filter the audit trail">
          {errors && <ErrorSummary errors={errors} fieldId={fieldId} title="The filter was refused" />}
          <div className="filter-grid">
            <SelectField id={fieldId('action')} label="Action" value={draft.action} onChange={set('action')} error={errors?.fields.action}>
              <option value="">Any</option>
              {Object.entries(ACTION_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
            </SelectField>
            <SelectField id={fieldId('entityType')} label="Record type" value={draft.entityType} onChange={set('entityType')} error={errors?.fields.entityType}>
              <option value="">Any</option>
              {Object.entries(ENTITY_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
            </SelectField>
            <TextField id={fieldId('from')} label="From" type="date" value={draft.from} onChange={set('from')} error={errors?.fields.from} />
            <TextField id={fieldId('to')} label="To" type="date" value={draft.to} onChange={set('to')} error={errors?.fields.to} />
            <TextField id={fieldId('patientId')} label="Patient id" value={draft.patientId} onChange={set('patientId')} error={errors?.fields.patientId} spellCheck={false} autoComplete="off" inputClassName="mono" className="filter-wide" />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary">Apply filters</button>
            {filtered && <button type="button" className="button button-quiet" onClick={() => { setDraft({ action: '', entityType: '', from: '', to: '', patientId: '' }); setParams(new URLSearchParams()); }}>Clear</button>}
          </div>
        </form>
      </details>
      {!first.data && !first.error && <Loading label="Loading events…" />}
      {first.data && (
        <section className="panel" aria-labelledby="events-title">
          <div className="panel-header">
            <h2 id="events-title" className="panel-title">{filtered ? 'Matching events' : 'All events'} <span className="count">{events.length}{!exhausted && '+'}</span></h2>
            <span className="panel-note">Newest first</span>
          </div>
          <AuditTable events={events} caption="Audit events" showPatient busy={first.loading} />
          {!exhausted && (
            <div className="panel-footer">
              <button type="button" className="button button-small" onClick={() => void showOlder()} disabled={loadingOlder}>{loadingOlder ? 'Loading…' : 'Show older events'}</button>
            </div>
          )}
        </section>
      )}
    </>
  );
}

/** Recomputes the hash chain on the server and says whether any event was altered or removed. */
function VerifyChain() {
  const [result, setResult] = useState<AuditVerification | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.get<AuditVerification>('/audit/verify');
      setResult(r);
      announce(r.ok ? `Chain intact: ${r.events} events checked.` : `Chain broken at event ${r.firstBreak?.chainSeq}.`);
    } catch (e) {
      setError(problemOf(e).detail);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="verify-bar">
      <button type="button" className="button" onClick={() => void verify()} disabled={busy}>{busy ? 'Verifying…' : 'Verify chain'}</button>
      <div className="verify-result">
        {error && <Notice kind="error">{error}</Notice>}
        {result?.ok && <Notice kind="success">The chain is intact: all {result.events.toLocaleString()} events match their hashes and none is missing.</Notice>}
        {result && !result.ok && result.firstBreak && (
          <Notice kind="error">
            The chain is broken at event {result.firstBreak.chainSeq}{result.firstBreak.eventId && <> (<span className="mono">{result.firstBreak.eventId}</span>)</>}: {result.firstBreak.reason}. Events from there on cannot be trusted; keep a copy of the database and investigate.
          </Notice>
        )}
        {!result && !error && <span className="muted small">Recomputes every event’s hash to show that no event was altered or deleted.</span>}
      </div>
    </div>
  );
}
