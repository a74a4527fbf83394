import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ACTIVATION_AGENTS } from '../../science/preparation-types.js';
import { ROTOR_TYPES } from '../../science/preparation-record.js';
import type { CatalogueSpin, NumberRange, PrpSystem, Sourced } from '../../science/prp-systems.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { SpinGrid } from '../components/spin-grid.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { formatInstant } from '../format.js';
import { problemOf, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { EMPTY_SPIN, type SpinRow } from '../preparation-form.js';
import {
  checkProtocol,
  emptyProtocolValues,
  protocolFieldId,
  protocolProblemErrors,
  protocolValuesOf,
  spinsSummary,
  type ProtocolValues,
} from '../protocol-form.js';
import { useSession } from '../session.js';
import type { PrpCatalogue, ProtocolVersionView, ProtocolView } from '../types.js';
import { ACTIVATION_LABELS } from './preparation.js';

const ROTOR_LABELS: Record<string, string> = { 'swing-out': 'Swing-out (swinging bucket)', 'fixed-angle': 'Fixed-angle' };
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

type Editing = { mode: 'new' } | { mode: 'version'; protocolId: string; base: ProtocolVersionView };

/**
 * The clinic's preparation protocols: the list at their current version, one protocol with its
 * version history, the editor (a change is a new version; preparations keep the version they
 * followed), and the built-in catalogue of commercial systems with a source for every value.
 */
export function ProtocolsPage() {
  useTitle('Protocols');
  const { can } = useSession();
  const manage = can('protocol:manage');
  const [params, setParams] = useSearchParams();
  const openId = params.get('protocol') ?? undefined;
  const openVersion = params.get('version') ?? undefined;
  const list = useLoad((signal) => api.get<ProtocolVersionView[]>('/protocols', undefined, signal), []);
  const catalogue = useLoad((signal) => api.get<PrpCatalogue>('/prp-systems', undefined, signal), []);
  const [editing, setEditing] = useState<Editing | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  // Bumped on every save, so an open protocol shows its new version and history.
  const [revision, setRevision] = useState(0);

  function open(protocolId: string, version?: number) {
    const next = new URLSearchParams({ protocol: protocolId });
    if (version !== undefined) next.set('version', String(version));
    setParams(next);
  }

  return (
    <>
      <PageHeader title="Protocols">
        {manage && !editing && (
          <button type="button" className="button button-primary" onClick={() => { setMessage(undefined); setEditing({ mode: 'new' }); }}>New protocol</button>
        )}
      </PageHeader>
      <p className="page-intro muted">
        Spins are recorded in × g, which travels between centrifuges; the rpm column is for this clinic’s rotor. Changing a protocol adds a version,
        and every preparation keeps the version it followed.
      </p>
      {message && <Notice kind="success">{message}</Notice>}
      {editing && (
        <section className="panel panel-padded" aria-labelledby="editor-title">
          <h2 id="editor-title" className="panel-title">
            {editing.mode === 'new' ? 'New protocol' : `New version of ${editing.base.name} (after v${editing.base.version})`}
          </h2>
          <ProtocolEditor
            editing={editing}
            systems={catalogue.data?.systems ?? []}
            onDone={(saved) => {
              setEditing(undefined);
              if (!saved) return;
              const text = editing.mode === 'new' ? `${saved.name} is saved as version 1.` : `${saved.name} is saved as version ${saved.currentVersion}.`;
              setMessage(text);
              announce(text);
              list.reload();
              setRevision((r) => r + 1);
              open(saved.id);
            }}
          />
        </section>
      )}
      {list.error && <LoadError problem={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <section className="panel" aria-labelledby="protocols-title">
          <div className="panel-header">
            <h2 id="protocols-title" className="panel-title">Clinic protocols <span className="count">{list.data.length}</span></h2>
          </div>
          <DataTable<ProtocolVersionView>
            caption="Clinic protocols"
            captionHidden
            rows={list.data}
            rowKey={(p) => p.protocolId}
            empty={manage ? 'No protocol yet. Add the clinic’s first with “New protocol”.' : 'No protocol yet.'}
            columns={[
              {
                header: 'Protocol', rowHeader: true,
                cell: (p) => (
                  <>
                    <button type="button" className="link-button strong" onClick={() => open(p.protocolId)} aria-current={openId === p.protocolId ? 'true' : undefined}>{p.name}</button>
                    {p.systemName && <div className="muted small">{p.systemName}</div>}
                  </>
                ),
              },
              { header: 'Version', cell: (p) => `v${p.version}`, className: 'nowrap' },
              { header: 'Spins', cell: (p) => <SpinsWithRpm spins={p.spins} /> },
              { header: 'Rotor', cell: (p) => `${p.rotor.radiusCm} cm, ${p.rotor.type}`, className: 'nowrap' },
              { header: 'Anticoagulant', cell: (p) => (p.anticoagulant ? `${p.anticoagulant.agent} ${p.anticoagulant.parts}:${p.anticoagulant.bloodParts}` : '—') },
              { header: 'Target', className: 'num nowrap', cell: (p) => (p.targetVolumeMl === null ? '—' : `${p.targetVolumeMl} mL`) },
              { header: 'Changed', className: 'nowrap', cell: (p) => formatInstant(p.createdAt) },
            ]}
          />
        </section>
      )}
      {openId && (
        <ProtocolDetail
          key={`${openId}:${openVersion ?? ''}:${revision}`}
          protocolId={openId}
          version={openVersion}
          manage={manage && !editing}
          onVersion={(n) => open(openId, n)}
          onClose={() => setParams(new URLSearchParams())}
          onNewVersion={(base) => { setMessage(undefined); setEditing({ mode: 'version', protocolId: openId, base }); window.scrollTo({ top: 0 }); }}
        />
      )}
      {catalogue.error && <LoadError problem={catalogue.error} onRetry={catalogue.reload} />}
      {catalogue.data && <Catalogue catalogue={catalogue.data} />}
    </>
  );
}

/** "100 g × 15 min (946 rpm)" per line. */
function SpinsWithRpm({ spins }: { spins: ProtocolVersionView['spins'] }) {
  return (
    <ol className="spin-list">
      {spins.map((s, i) => (
        <li key={i}>
          {s.rcf.toLocaleString()} g × {s.minutes} min{s.temperatureC !== undefined && `, ${s.temperatureC} °C`} <span className="muted">({s.rpm.toLocaleString()} rpm)</span>
        </li>
      ))}
    </ol>
  );
}

function ProtocolDetail({ protocolId, version, manage, onVersion, onClose, onNewVersion }: {
  protocolId: string;
  version: string | undefined;
  manage: boolean;
  onVersion: (version: number) => void;
  onClose: () => void;
  onNewVersion: (base: ProtocolVersionView) => void;
}) {
  const protocol = useLoad((signal) => api.get<ProtocolView>(`/protocols/${protocolId}`, version ? { version } : undefined, signal), [protocolId, version]);
  if (protocol.error) return <LoadError problem={protocol.error} onRetry={protocol.reload} />;
  if (!protocol.data) return <Loading label="Loading the protocol…" />;
  const p = protocol.data;
  const v = p.version;
  const rows: [string, ReactNode][] = [
    ['Rotor', `${v.rotor.radiusCm} cm to the tube bottom, ${lowerFirst(ROTOR_LABELS[v.rotor.type] ?? v.rotor.type)}`],
    ['Centrifuge', v.centrifuge ?? '—'],
    ['Commercial system', v.systemName ?? '—'],
    ['Tubes', v.tubes ? `${v.tubes.count} × ${v.tubes.description}${v.tubes.volumeMl !== undefined ? ` (${v.tubes.volumeMl} mL)` : ''}` : '—'],
    ['Anticoagulant', v.anticoagulant ? `${v.anticoagulant.agent}, ${v.anticoagulant.parts} part to ${v.anticoagulant.bloodParts} parts blood` : '—'],
    ['Planned draw', v.drawVolumeMl === null ? '—' : `${v.drawVolumeMl} mL`],
    ['Target PRP volume', v.targetVolumeMl === null ? '—' : `${v.targetVolumeMl} mL`],
    ['Activation', v.activation ? `${ACTIVATION_LABELS[v.activation.agent] ?? v.activation.agent}${v.activation.detail ? `, ${v.activation.detail}` : ''}` : '—'],
  ];
  return (
    <section className="panel" aria-labelledby="protocol-detail-title">
      <div className="panel-header">
        <h2 id="protocol-detail-title" className="panel-title">
          {v.name} <Badge tone={v.version === p.currentVersion ? 'accent' : 'neutral'}>v{v.version}{v.version === p.currentVersion ? ' · current' : ''}</Badge>
        </h2>
        <span className="row-actions">
          {manage && <button type="button" className="button button-small" onClick={() => onNewVersion(v)}>New version{v.version === p.currentVersion ? '' : ' from this one'}</button>}
          <button type="button" className="button button-small button-quiet" onClick={onClose}>Close</button>
        </span>
      </div>
      <div className="panel-body protocol-detail">
        <div>
          {v.description && <p>{v.description}</p>}
          <table className="data-table spin-table">
            <caption className="visually-hidden">Spins of {v.name} version {v.version}</caption>
            <thead><tr><th scope="col">Spin</th><th scope="col" className="num">× g</th><th scope="col" className="num">Minutes</th><th scope="col" className="num">°C</th><th scope="col" className="num">rpm ({v.rotor.radiusCm} cm)</th></tr></thead>
            <tbody>
              {v.spins.map((s, i) => (
                <tr key={i}><th scope="row">{i + 1}</th><td className="num">{s.rcf.toLocaleString()}</td><td className="num">{s.minutes}</td><td className="num">{s.temperatureC ?? '—'}</td><td className="num">{s.rpm.toLocaleString()}</td></tr>
              ))}
            </tbody>
          </table>
          <dl className="details details-compact">
            {rows.map(([label, value]) => <div key={label} className="details-row"><dt>{label}</dt><dd>{value}</dd></div>)}
          </dl>
          {v.notes && <p className="notes small">{v.notes}</p>}
        </div>
        <div className="version-history">
          <h3 className="subsection-title">Version history</h3>
          <ol className="version-list" reversed>
            {p.versions.map((h) => (
              <li key={h.versionId}>
                {h.version === v.version ? <strong>v{h.version} {h.name}</strong> : (
                  <button type="button" className="link-button" onClick={() => onVersion(h.version)}>v{h.version} {h.name}</button>
                )}
                <div className="muted small">{formatInstant(h.createdAt)}{h.createdBy && ` · ${h.createdBy.displayName}`}</div>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}

function ProtocolEditor({ editing, systems, onDone }: { editing: Editing; systems: PrpSystem[]; onDone: (saved: ProtocolView | undefined) => void }) {
  const [values, setValues] = useState<ProtocolValues>(() => (editing.mode === 'new' ? emptyProtocolValues() : protocolValuesOf(editing.base)));
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: undefined });
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const check = checkProtocol(values);
  // After a refused save, the messages follow the typing; before it, nobody is told off mid-word.
  const shown = attempted ? { ...check.errors, ...errors.fields } : errors.fields;

  const set = (path: string, value: string) => {
    setErrors((e) => ({ ...e, fields: Object.fromEntries(Object.entries(e.fields).filter(([p]) => p !== path)) }));
    setValues((v) => ({ ...v, fields: { ...v.fields, [path]: value } }));
  };
  const setSpin = (index: number, part: keyof SpinRow, value: string) => {
    const path = `spins[${index}].${part}`;
    setErrors((e) => ({ ...e, fields: Object.fromEntries(Object.entries(e.fields).filter(([p]) => p !== path && p !== 'spins')) }));
    setValues((v) => ({ ...v, spins: v.spins.map((row, i) => (i === index ? { ...row, [part]: value } : row)) }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (!check.spec) {
      setErrors({ fields: check.errors, general: undefined });
      return;
    }
    setBusy(true);
    try {
      const saved = editing.mode === 'new'
        ? await api.post<ProtocolView>('/protocols', check.spec)
        : await api.post<ProtocolView>(`/protocols/${editing.protocolId}/versions`, check.spec);
      onDone(saved);
    } catch (error) {
      setErrors(protocolProblemErrors(problemOf(error)));
      setBusy(false);
    }
  }

  const v = (path: string) => values.fields[path] ?? '';
  const text = (path: string, label: ReactNode, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField id={protocolFieldId(path)} label={label} value={v(path)} onChange={(e) => set(path, e.target.value)} error={shown[path]} autoComplete="off" {...extra} />
  );
  const number = (path: string, label: string, unit?: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) =>
    text(path, <>{label}{unit && <span className="unit"> {unit}</span>}</>, { inputMode: 'decimal', inputClassName: 'num-input', ...extra });
  const radius = v('rotor.radiusCm');

  return (
    <form onSubmit={submit} noValidate className="form" aria-label={editing.mode === 'new' ? 'New protocol' : 'New protocol version'}>
      <ErrorSummary errors={errors} fieldId={protocolFieldId} title="The protocol was not saved" />
      <div className="dense-grid">
        {text('name', 'Name', { required: true, maxLength: 120, className: 'field-wide', autoFocus: true })}
        <SelectField id={protocolFieldId('systemId')} label="Commercial system" value={v('systemId')} onChange={(e) => set('systemId', e.target.value)} error={shown.systemId} optional className="field-wide">
          <option value="">None (manual)</option>
          {systems.map((s) => <option key={s.id} value={s.id}>{s.maker ? `${s.maker} ` : ''}{s.name}</option>)}
        </SelectField>
        {text('description', 'Description', { optional: true, maxLength: 2000, className: 'field-full' })}
      </div>

      <fieldset className="fieldset">
        <legend>Rotor</legend>
        <div className="dense-grid">
          {number('rotor.radiusCm', 'Radius', 'cm', { required: true, hint: 'Axis to tube bottom' })}
          <SelectField id={protocolFieldId('rotor.type')} label="Type" value={v('rotor.type')} onChange={(e) => set('rotor.type', e.target.value)} error={shown['rotor.type']}>
            {ROTOR_TYPES.map((t) => <option key={t} value={t}>{t === 'swing-out' ? 'Swing-out' : 'Fixed-angle'}</option>)}
          </SelectField>
          {text('centrifuge', 'Centrifuge', { maxLength: 200, placeholder: 'e.g. make, model, asset tag', className: 'field-wide' })}
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Spins</legend>
        <SpinGrid
          spins={values.spins} radiusCm={radius} minRows={1} fieldId={protocolFieldId} errorAt={(path) => shown[path]}
          onChange={setSpin} onRemove={(i) => setValues((val) => ({ ...val, spins: val.spins.filter((_, k) => k !== i) }))}
        />
        {shown.spins && <p className="field-error">{shown.spins}</p>}
        <div>
          <button type="button" id={protocolFieldId('spins')} className="button button-small" disabled={values.spins.length >= 4}
            onClick={() => setValues((val) => ({ ...val, spins: [...val.spins, { ...EMPTY_SPIN }] }))}>Add spin</button>
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Draw and product <span className="optional">(optional)</span></legend>
        <div className="dense-grid">
          {text('anticoagulant.agent', 'Anticoagulant', { placeholder: 'e.g. ACD-A', maxLength: 60 })}
          {number('anticoagulant.parts', 'Parts anticoagulant', undefined, { placeholder: 'e.g. 1' })}
          {number('anticoagulant.bloodParts', 'to parts blood', undefined, { placeholder: 'e.g. 9' })}
          {number('drawVolumeMl', 'Planned draw', 'mL')}
          {text('tubes.description', 'Tubes', { placeholder: 'e.g. 15 mL conical, ACD-A prefilled', maxLength: 200, className: 'field-wide' })}
          {number('tubes.count', 'Tubes per preparation', undefined, { inputMode: 'numeric' })}
          {number('tubes.volumeMl', 'Tube volume', 'mL')}
          {number('targetVolumeMl', 'Target PRP volume', 'mL')}
          <SelectField id={protocolFieldId('activation.agent')} label="Activation" value={v('activation.agent')} onChange={(e) => set('activation.agent', e.target.value)} error={shown['activation.agent']}>
            <option value="">Not specified</option>
            {ACTIVATION_AGENTS.map((a) => <option key={a} value={a}>{ACTIVATION_LABELS[a] ?? a}</option>)}
          </SelectField>
          {text('activation.detail', 'Activation detail', { maxLength: 200, className: 'field-wide' })}
        </div>
      </fieldset>
      <TextAreaField id={protocolFieldId('notes')} label="Notes" value={v('notes')} onChange={(e) => set('notes', e.target.value)} error={shown.notes} optional rows={2} maxLength={5000} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : editing.mode === 'new' ? 'Save protocol' : 'Save as new version'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(undefined)}>Cancel</button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// The catalogue of commercial systems and published manual protocols

const range = (r: NumberRange, unit = ''): string => `${r.min === r.max ? r.min.toLocaleString() : `${r.min.toLocaleString()}–${r.max.toLocaleString()}`}${unit}`;

function catalogueSpins(spins: CatalogueSpin[]): string {
  return spins.map((s) => `${s.rcf ? `${range(s.rcf)} g` : s.rpm !== undefined ? `${s.rpm.toLocaleString()} rpm` : '?'} × ${range(s.minutes)} min${s.temperatureC !== undefined ? ` at ${s.temperatureC} °C` : ''}`).join(' → ');
}

/** The systems with every value's source; values not checked against their source are marked [M]. */
function Catalogue({ catalogue }: { catalogue: PrpCatalogue }) {
  const sourceIds = Object.keys(catalogue.sources);
  const fact = <T,>(f: Sourced<T> | undefined, show: (value: T) => ReactNode): ReactNode => {
    if (!f) return null;
    const n = sourceIds.indexOf(f.source) + 1;
    return (
      <span className="fact">
        {show(f.value)}
        {!f.verified && <> <abbr className="unverified" title="From memory or a secondary source; not checked against the source">[M]</abbr></>}
        {' '}<a className="source-ref" href={`#source-${f.source}`} title={catalogue.sources[f.source]?.citation}>[{n}]</a>
        {f.note && <span className="fact-note">{f.note}</span>}
      </span>
    );
  };
  const devices = catalogue.systems.filter((s) => s.kind === 'device');
  const manual = catalogue.systems.filter((s) => s.kind !== 'device');
  const columns = [
    {
      header: 'System', rowHeader: true,
      cell: (s: PrpSystem) => <>{s.name}{s.maker && <div className="muted small">{s.maker}</div>}{s.notes && <div className="fact-note">{s.notes}</div>}</>,
    },
    { header: 'Blood in', cell: (s: PrpSystem) => fact(s.bloodInMl, (r) => range(r, ' mL')) },
    { header: 'Anticoagulant', cell: (s: PrpSystem) => fact(s.anticoagulant, (a) => `${a.agent}${a.volumeMl ? `, ${range(a.volumeMl, ' mL')}` : ''}`) },
    { header: 'PRP out', cell: (s: PrpSystem) => fact(s.prpOutMl, (r) => range(r, ' mL')) },
    { header: 'Spins', cell: (s: PrpSystem) => fact(s.spins, catalogueSpins) },
    {
      header: 'Yield',
      cell: (s: PrpSystem) => (
        <>
          {fact(s.fold, (r) => `${range(r)}× baseline`)}
          {fact(s.prpPlateletsKPerUl, (r) => `${range(r)} × 10³/µL`)}
          {fact(s.recoveryPercent, (r) => `${range(r)} % recovered`)}
        </>
      ),
    },
    {
      header: 'Cells',
      cell: (s: PrpSystem) => (
        <>
          {fact(s.leukocytes, (l) => `leukocytes ${l}`)}
          {fact(s.redCells, (r) => `red cells ${r}`)}
        </>
      ),
    },
  ];
  return (
    <section className="panel" aria-labelledby="catalogue-title">
      <div className="panel-header">
        <h2 id="catalogue-title" className="panel-title">PRP systems catalogue</h2>
        <span className="panel-note">Reference only: each lab validates its own protocol. <abbr className="unverified" title="From memory or a secondary source">[M]</abbr> = not checked against the source.</span>
      </div>
      <h3 className="table-heading">Commercial devices</h3>
      <DataTable<PrpSystem> caption="Commercial PRP devices" captionHidden rows={devices} rowKey={(s) => s.id} empty="None." columns={columns} />
      <h3 className="table-heading">Published manual protocols</h3>
      <DataTable<PrpSystem> caption="Published manual double-spin protocols" captionHidden rows={manual} rowKey={(s) => s.id} empty="None." columns={columns} />
      <div className="panel-footer">
        <h3 className="subsection-title">Sources</h3>
        <ol className="source-list">
          {sourceIds.map((id) => {
            const source = catalogue.sources[id]!;
            return (
              <li key={id} id={`source-${id}`}>
                {source.citation}
                {source.url && <> · <a href={source.url} target="_blank" rel="noopener noreferrer">{source.url.replace(/^https?:\/\//, '')}</a></>}
              </li>
            );
          })}
        </ol>
        <p className="small muted">Protocols of this clinic are listed above; <Link to="/patients">record a preparation</Link> from a patient’s episode of care.</p>
      </div>
    </section>
  );
}
