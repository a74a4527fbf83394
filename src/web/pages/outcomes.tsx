import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { INJECTION_STRUCTURES, INJECTION_STRUCTURE_LABELS } from '../../science/injection.js';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Notice } from '../components/error-summary.js';
import { SelectField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import { formatCompletion, formatInterval, formatNumber, formatProportion, formatProportionInterval, formatSigned, groupSummary, type SummaryGroup } from '../outcome-format.js';
import type { InstrumentSummary, InstrumentView, OutcomeSummary } from '../outcome-types.js';
import { useSession } from '../session.js';
import type { StaffView } from '../types.js';
import '../outcomes.css';

/**
 * The clinic's outcome summary (`/app/outcomes`): per indication × time point, how many were
 * due, invited and answered, the mean score and mean change from baseline with 95 % intervals,
 * and responders under each of the clinic's rules (one per instrument, printed beside the figure).
 * Filters: indication, procedure dates, and the recorded injection's clinician and structure.
 */
export function OutcomesPage() {
  useTitle('Outcomes');
  const { meta, can } = useSession();
  const [params, setParams] = useSearchParams();
  const applied = {
    indication: params.get('indication') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '',
    clinicianId: params.get('clinicianId') ?? '', structure: params.get('structure') ?? '',
  };
  const [form, setForm] = useState(applied);
  const [live, setLive] = useState(0);
  const summary = useLoad(
    (signal) => api.get<OutcomeSummary>('/outcomes/summary', { ...applied, live: live > 0 ? true : undefined }, signal),
    [applied.indication, applied.from, applied.to, applied.clinicianId, applied.structure, live],
  );
  const instruments = useLoad((signal) => api.get<InstrumentView[]>('/instruments', undefined, signal), []);
  const staff = useLoad((signal) => api.get<StaffView[]>('/staff', undefined, signal), []);
  // Who can perform an injection: clinicians, and anyone already chosen in the address bar.
  const clinicians = (staff.data ?? []).filter((m) => m.role === 'clinician' || m.id === applied.clinicianId);
  const byInjection = Boolean(applied.clinicianId || applied.structure);
  const titles = Object.fromEntries((instruments.data ?? []).map((i) => [i.code, i]));
  const labelOf = (code: string) => meta?.indications.find((i) => i.code === code)?.label ?? code;

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v) next.set(k, v);
    setParams(next, { replace: true });
  }

  const s = summary.data;
  const all = s ? groupSummary(s) : [];
  // Time points nobody has reached yet would be a column of empty cards: they are named in one line per indication.
  const groups = all.filter((g) => g.instruments.length > 0 || (g.counts?.due ?? 0) > 0);
  const waiting = new Map<string, { label: string; scheduled: number }[]>();
  for (const g of all) if (!groups.includes(g)) waiting.set(g.indication, [...(waiting.get(g.indication) ?? []), { label: g.label, scheduled: g.counts?.scheduled ?? 0 }]);
  return (
    <>
      <PageHeader title="Outcomes">
        {can('outcome:read') && <Link className="button" to="/outcome-settings">Instruments and settings</Link>}
      </PageHeader>
      <p className="page-intro">Patients’ own answers before the injection and at each follow-up, per indication. The cohort is the episodes whose procedure date (the injection’s, once recorded) falls in the range; “Injected by” and “Structure injected” keep the episodes with a recorded injection that matches.</p>
      <form className="filter-bar outcome-filters outcome-filters-wide" onSubmit={apply} aria-label="Filter the summary">
        <SelectField id="outcomes-indication" label="Indication" value={form.indication} onChange={(e) => setForm({ ...form, indication: e.target.value })}>
          <option value="">All indications</option>
          {meta?.indications.map((i) => <option key={i.code} value={i.code}>{i.label}</option>)}
        </SelectField>
        <TextField id="outcomes-from" label="Procedure from" type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        <TextField id="outcomes-to" label="Procedure to" type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        <SelectField id="outcomes-clinician" label="Injected by" value={form.clinicianId} onChange={(e) => setForm({ ...form, clinicianId: e.target.value })}>
          <option value="">Any clinician</option>
          {clinicians.map((m) => <option key={m.id} value={m.id}>{m.displayName}{m.active ? '' : ' (inactive)'}</option>)}
        </SelectField>
        <SelectField id="outcomes-structure" label="Structure injected" value={form.structure} onChange={(e) => setForm({ ...form, structure: e.target.value })}>
          <option value="">Any structure</option>
          {INJECTION_STRUCTURES.map((code) => <option key={code} value={code}>{INJECTION_STRUCTURE_LABELS[code]}</option>)}
        </SelectField>
        <div className="filter-buttons">
          <button type="submit" className="button button-primary">Show</button>
          <button type="button" className="button" onClick={() => setLive((n) => n + 1)} disabled={summary.loading}>Compute now</button>
        </div>
      </form>
      {summary.error && <LoadError problem={summary.error} onRetry={summary.reload} />}
      {!s && !summary.error && <Loading label="Computing the summary…" />}
      {s && (
        <>
          <div className="summary-source" aria-live="polite">
            {s.source === 'live'
              ? <>Computed now from every response ({formatInstant(s.computedAt)}).</>
              : <>From the pre-aggregated monthly table, rebuilt {formatInstant(s.computedAt)} (at most 30 minutes old). Choose “Compute now” for figures computed this moment.</>}
            {' '}As of {formatDate(s.asOf)}{s.filters && (applied.from || applied.to) ? `, procedures ${applied.from ? formatDate(applied.from) : 'from the start'} to ${applied.to ? formatDate(applied.to) : 'today'}` : ''}
            {byInjection && <>, injections{applied.clinicianId ? ` by ${staff.data?.find((m) => m.id === applied.clinicianId)?.displayName ?? 'the chosen clinician'}` : ''}{applied.structure ? ` into the ${(INJECTION_STRUCTURE_LABELS as Record<string, string>)[applied.structure]?.toLowerCase() ?? applied.structure}` : ''}</>}.
          </div>
          <Notice kind="info">
            <strong>Responder rules</strong>{s.responderRules.length === 0 ? ': none set.' : ', one figure per instrument:'}
            {s.responderRules.length > 0 && (
              <ul className="responder-rule-list">
                {s.responderRules.map((r) => <li key={r.instrument}>{titles[r.instrument]?.title ?? r.instrument}: {r.text}</li>)}
              </ul>
            )}
            Change is follow-up − baseline over patients with both; for pain and disability a negative change is an improvement. Intervals are 95 % (t for the mean change, Wilson for responders).
          </Notice>
          {all.length === 0 ? <p className="empty">No follow-up in this cohort yet.</p> : (
            <div className="summary-groups">
              {groups.map((g) => <SummaryCard key={g.key} group={g} indication={labelOf(g.indication)} titles={titles} />)}
            </div>
          )}
          {waiting.size > 0 && (
            <div className="summary-waiting">
              <h2 className="subsection-title">Not due yet</h2>
              <ul>
                {[...waiting].map(([indication, points]) => (
                  <li key={indication}>{labelOf(indication)}: {points.map((p) => `${p.label} (${p.scheduled} scheduled)`).join(', ')}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </>
  );
}

function SummaryCard({ group: g, indication, titles }: { group: SummaryGroup; indication: string; titles: Record<string, InstrumentView> }) {
  const titleId = `summary-${g.key.replace(/[^A-Za-z0-9]/g, '-')}`;
  const c = g.counts;
  const isBaseline = g.timePoint === 'baseline';
  const name = (code: string) => titles[code]?.title ?? code;
  return (
    <section className="panel summary-card" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId} className="panel-title">{indication} · {g.label}</h2>
        {c && (
          <span className="panel-note">
            {c.due} due · {c.invited} invited · {c.completed} completed{c.due > 0 ? ` (${Math.round((c.completed / c.due) * 100)} %)` : ''}
            {c.stopped > 0 && ` · ${c.stopped} stopped`}{c.optedOut > 0 && ` · ${c.optedOut} opted out`}
          </span>
        )}
      </div>
      <DataTable<InstrumentSummary>
        caption={`${indication}, ${g.label}: scores per instrument`}
        captionHidden
        rows={g.instruments}
        rowKey={(i) => i.instrument}
        empty="No instrument answered yet."
        columns={[
          { header: 'Instrument', rowHeader: true, cell: (i) => name(i.instrument) },
          { header: 'Invited', className: 'num', cell: (i) => String(i.invited) },
          { header: 'Completed', className: 'num nowrap', cell: (i) => formatCompletion(i.completed, i.due, i.completionPercent) },
          { header: 'Mean score', className: 'num', cell: (i) => <>{formatNumber(i.meanScore)}{i.scored !== i.completed && <span className="muted small"> (n {i.scored})</span>}</> },
          ...(isBaseline ? [] : [{
            header: 'Mean change',
            className: 'num',
            cell: (i: InstrumentSummary) => i.change && i.change.n > 0 ? (
              <span className="change">
                <strong>{formatSigned(i.change.mean)}</strong>
                <span className="muted small"> {formatInterval(i.change.lower, i.change.upper)}, n {i.change.n} of {i.baselineN} baselines</span>
              </span>
            ) : <span className="muted">no pairs yet</span>,
          }]),
        ]}
      />
      {!isBaseline && g.responders.length > 0 && (
        <div className="responders">
          <span className="responders-label">Responders</span>
          <ul className="responder-list">
            {g.responders.map((r) => (
              <li key={r.instrument}>
                <span>{name(r.instrument).replace(/ \(.*\)$/, '')}:</span>{' '}
                <strong>{r.responders} / {r.evaluable}</strong>
                {r.evaluable > 0 && <> · {formatProportion(r.estimate)} <span className="muted">(Wilson {formatProportionInterval(r.lower, r.upper)})</span></>}
                <div className="responder-rule small">Rule: {r.rule}</div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
