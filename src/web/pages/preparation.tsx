import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { SCIENCE_VERSION } from '../../science/version.js';
import {
  ACTIVATION_AGENTS,
  ACTIVATION_TIMINGS,
  IMAGING_MODALITIES,
  PREPARATION_FORMS,
  PREPARATION_METHODS,
} from '../../science/preparation-types.js';
import { SAMPLE_ANTICOAGULANTS } from '../../science/preparation-record.js';
import { PRP_SYSTEMS } from '../../science/prp-systems.js';
import { formatSignificant } from '../../science/units.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { LiveResults } from '../components/live-results.js';
import { SpinGrid } from '../components/spin-grid.js';
import { LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant, patientName } from '../format.js';
import { problemOf, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import {
  COUNT_KEYS,
  COUNT_LABELS,
  EMPTY_SPIN,
  SAMPLES,
  SAMPLE_LABELS,
  applyLine,
  applyProtocol,
  checkValues,
  createBody,
  emptyValues,
  fieldDomId,
  focusPathFor,
  isDirty,
  patchBody,
  problemFieldErrors,
  protocolAnticoagulantMl,
  readLine,
  suggestedCount,
  valuesFromView,
  type PrepValues,
  type Sample,
  type SpinRow,
} from '../preparation-form.js';
import { spinsSummary } from '../protocol-form.js';
import { useSession } from '../session.js';
import type { EpisodeView, PatientView, PreparationView, ProtocolVersionView, StaffView } from '../types.js';

const SAMPLE_TUBE_LABELS: Record<string, string> = { edta: 'EDTA (native count)', 'acd-a': 'ACD-A (diluted about 10 %)', 'sodium-citrate': 'Sodium citrate (diluted)', other: 'Other' };
const METHOD_LABELS: Record<string, string> = { manual: 'Manual', device: 'Commercial device' };
const FORM_LABELS: Record<string, string> = { liquid: 'Liquid', gel: 'Gel', fibrin: 'Fibrin (PRF)' };
export const ACTIVATION_LABELS: Record<string, string> = {
  none: 'None', 'calcium-chloride': 'Calcium chloride', 'calcium-gluconate': 'Calcium gluconate', thrombin: 'Thrombin (bovine)',
  'autologous-thrombin': 'Autologous thrombin', light: 'Light', other: 'Other',
};
const TIMING_LABELS: Record<string, string> = { 'before-injection': 'Before injection', 'at-injection': 'At injection', 'in-situ': 'In situ' };
const IMAGING_LABELS: Record<string, string> = { fluoroscopy: 'Fluoroscopy', ultrasound: 'Ultrasound', ct: 'CT', other: 'Other' };
const NO_SUMMARY: FormErrors = { fields: {}, general: undefined };
const SAMPLE_TITLES: Record<Sample, string> = { wholeBlood: 'Baseline (whole blood)', prp: 'PRP' };
const LINE_EXAMPLES: Record<Sample, string> = { wholeBlood: 'PLT 245 WBC 6.1 RBC 4.5 HCT 41', prp: 'PLT 1420 WBC 0.9 RBC 0.03 HCT 0.3' };

/**
 * The lab screen: one preparation, new (`/preparations/new?episode=…`) or stored
 * (`/preparations/:id`). The form is on the left; on the right, what the science library makes
 * of it as the technician types. Saving creates the record, then sends only what changed.
 */
export function PreparationPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const flash = (location.state as { flash?: string } | null)?.flash;
  useTitle(id ? 'Preparation' : 'Record a preparation');

  const preparation = useLoad((signal) => (id ? api.get<PreparationView>(`/preparations/${id}`, undefined, signal) : Promise.resolve(undefined)), [id]);
  const episodeId = preparation.data?.episodeId ?? (id ? undefined : params.get('episode') ?? undefined);
  const episode = useLoad((signal) => (episodeId ? api.get<EpisodeView>(`/episodes/${episodeId}`, undefined, signal) : Promise.resolve(undefined)), [episodeId]);
  const patientId = preparation.data?.patientId ?? episode.data?.patientId;
  const patient = useLoad((signal) => (patientId ? api.get<PatientView>(`/patients/${patientId}`, undefined, signal) : Promise.resolve(undefined)), [patientId]);
  const protocols = useLoad((signal) => api.get<ProtocolVersionView[]>('/protocols', undefined, signal), []);
  const staff = useLoad((signal) => api.get<StaffView[]>('/staff', undefined, signal), []);

  const error = preparation.error ?? episode.error ?? patient.error;
  const p = patient.data;
  const e = episode.data;
  const { meta } = useSession();
  const indication = e ? meta?.indications.find((i) => i.code === e.indication)?.label ?? e.indication : undefined;

  if (!id && !params.get('episode')) {
    return (
      <>
        <PageHeader title="Record a preparation" eyebrow={<Link to="/patients">Patients</Link>} />
        <Notice kind="info">Open the patient, then choose “Record preparation” on the episode of care the preparation belongs to.</Notice>
      </>
    );
  }
  if (error) {
    return (
      <>
        <PageHeader title={error.status === 404 ? 'Not found' : 'Preparation'} eyebrow={<Link to="/patients">Patients</Link>} />
        <LoadError problem={error} onRetry={error.status === 404 ? undefined : () => { preparation.reload(); episode.reload(); patient.reload(); }} />
      </>
    );
  }
  const ready = (!id || preparation.data) && e && p && protocols.data && staff.data;
  const stored = preparation.data;
  return (
    <>
      <PageHeader
        title={id ? 'Preparation' : 'Record a preparation'}
        eyebrow={p ? <Link to={`/patients/${p.id}`}>{patientName(p)}</Link> : <Link to="/patients">Patients</Link>}
      >
        {stored && (
          <a className="button" href={`/api/v1/preparations/${stored.id}/report`} target="_blank" rel="noopener">Printable report</a>
        )}
      </PageHeader>
      {p && e && (
        <p className="page-subtitle">
          <span>MRN <span className="mono">{p.mrn}</span></span>
          <span>Born {formatDate(p.birthDate)}</span>
          <span>{indication} <span className="mono">{e.icd10Code}</span></span>
          {stored && <span>Drawn {formatInstant(stored.draw.drawnAt)}</span>}
        </p>
      )}
      {flash && <Notice kind="success">{flash}</Notice>}
      {protocols.error && <LoadError problem={protocols.error} onRetry={protocols.reload} />}
      {staff.error && <LoadError problem={staff.error} onRetry={staff.reload} />}
      {!ready && !protocols.error && !staff.error && <Loading label="Loading the preparation…" />}
      {ready && (
        <PreparationForm
          key={stored?.id ?? 'new'}
          episode={e}
          stored={stored}
          protocols={protocols.data!}
          staff={staff.data!}
          onStored={(view) => {
            preparation.set(view);
            // The "recorded" flash belonged to the creation; it should not stay beside later messages.
            if (flash) navigate('.', { replace: true, state: null });
          }}
        />
      )}
    </>
  );
}

interface FormProps {
  episode: EpisodeView;
  stored: PreparationView | undefined;
  protocols: ProtocolVersionView[];
  staff: StaffView[];
  onStored: (view: PreparationView) => void;
}

function PreparationForm({ episode, stored, protocols, staff, onStored }: FormProps) {
  const { session, can } = useSession();
  const navigate = useNavigate();
  const writable = can('preparation:write');
  const [initial, setInitial] = useState<PrepValues>(() => (stored ? valuesFromView(stored) : emptyValues(new Date(), session?.user.id ?? '')));
  const [values, setValues] = useState<PrepValues>(initial);
  // Paths a protocol filled in that nobody has changed since: a new protocol may replace them.
  const [auto, setAuto] = useState<Set<string>>(() => new Set());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<FormErrors>({ fields: {}, general: undefined });
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [recomputing, setRecomputing] = useState(false);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [lineFocus, setLineFocus] = useState<Sample | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);

  const selected = values.fields.protocolId ?? '';
  const listed = protocols.find((pr) => pr.protocolId === selected);
  const linked = stored?.protocol && stored.protocol.id === selected ? stored.protocol : undefined;
  const protocolContext = linked ? { name: linked.name, version: linked.version } : listed ? { name: listed.name, version: listed.version } : null;
  const rotorRadiusCm = linked?.rotorRadiusCm ?? listed?.rotor.radiusCm;

  const check = useMemo(
    () => checkValues(values, { protocol: protocolContext, ...(stored && { productAgeLimitHours: stored.computed.productAgeLimitHours }) }),
    [values, protocolContext?.name, protocolContext?.version, stored],
  );
  const dirty = useMemo(() => isDirty(initial, values), [initial, values]);

  // Leaving with unsaved typing asks first (reload, closing the tab).
  useEffect(() => {
    if (!writable || !dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [writable, dirty]);

  /** Live errors for fields that hold something; "required" ones only once saving was tried. */
  function errorAt(path: string): string | undefined {
    const server = serverErrors[path];
    if (server) return server;
    const local = check.errors[path];
    if (!local) return undefined;
    const spin = /^spins\[(\d+)\]\.(\w+)$/.exec(path);
    const raw = spin ? values.spins[Number(spin[1])]?.[spin[2] as keyof SpinRow] : values.fields[path];
    return (raw ?? '').trim() === '' && !attempted ? undefined : local;
  }

  function edited(paths: string[]) {
    setSaved(undefined);
    setServerErrors((errs) => {
      if (!paths.some((p) => errs[p])) return errs;
      const next = { ...errs };
      for (const p of paths) delete next[p];
      return next;
    });
    setAuto((a) => {
      if (!paths.some((p) => a.has(p))) return a;
      const next = new Set(a);
      for (const p of paths) next.delete(p);
      return next;
    });
  }

  function setField(path: string, value: string) {
    edited([path]);
    setValues((v) => {
      let next: PrepValues = { ...v, fields: { ...v.fields, [path]: value } };
      // The anticoagulant volume follows the blood drawn while it is the protocol's suggestion.
      if (path === 'wholeBlood.volumeMl' && listed && (auto.has('anticoagulant.volumeMl') || (v.fields['anticoagulant.volumeMl'] ?? '') === '')) {
        const ml = protocolAnticoagulantMl(next, listed);
        if (ml !== undefined) {
          next = { ...next, fields: { ...next.fields, 'anticoagulant.volumeMl': ml } };
          setAuto((a) => new Set(a).add('anticoagulant.volumeMl'));
        }
      }
      return next;
    });
  }

  function setLine(sample: Sample, line: string) {
    const linePath = `${sample}.analyserLine`;
    const reading = line.trim() === '' ? undefined : readLine(sample, line);
    const countPaths = reading?.ok ? COUNT_KEYS.filter((k) => reading.result.counts[k] !== undefined).map((k) => `${sample}.${k}`) : [];
    edited([linePath, ...countPaths]);
    setValues((v) => {
      const next = { ...v, fields: { ...v.fields, [linePath]: line } };
      return reading?.ok ? applyLine(next, sample, reading.result) : next;
    });
  }

  function chooseProtocol(protocolId: string) {
    edited(['protocolId']);
    const protocol = protocols.find((pr) => pr.protocolId === protocolId) ?? null;
    const result = applyProtocol(values, protocol, auto);
    setValues(result.values);
    setAuto(result.auto);
    if (protocol && result.auto.size > 0) announce(`Filled in from ${protocol.name} version ${protocol.version}.`);
  }

  function setSpin(index: number, part: keyof SpinRow, value: string) {
    edited([`spins[${index}].${part}`, 'spins']);
    setValues((v) => ({ ...v, spins: v.spins.map((row, i) => (i === index ? { ...row, [part]: value } : row)) }));
  }

  function addSpin() {
    edited(['spins']);
    setValues((v) => ({ ...v, spins: [...v.spins, { ...EMPTY_SPIN }] }));
    requestAnimationFrame(() => document.getElementById(fieldDomId(`spins[${values.spins.length}].rcf`))?.focus());
  }

  function removeSpin(index: number) {
    edited(['spins']);
    // Server errors of spins are by position; after removing one they no longer point right.
    setServerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([p]) => !p.startsWith('spins'))));
    setValues((v) => ({ ...v, spins: v.spins.filter((_, i) => i !== index) }));
    announce(`Spin ${index + 1} removed.`);
  }

  function focusField(path: string) {
    const target = focusPathFor(path, values.spins.length);
    const element = document.getElementById(fieldDomId(target));
    element?.scrollIntoView({ block: 'center' });
    element?.focus({ preventScroll: true });
  }

  async function recompute() {
    if (!stored) return;
    setRecomputing(true);
    try {
      const view = await api.post<PreparationView>(`/preparations/${stored.id}/recompute`, {});
      onStored(view);
      setSaved(`Results recomputed with science ${view.computed.scienceVersion}.`);
      announce('Results recomputed.');
    } catch (error) {
      setSummary({ fields: {}, general: problemOf(error).detail });
    } finally {
      setRecomputing(false);
    }
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!writable || busy) return;
    setAttempted(true);
    setSaved(undefined);
    const local = Object.fromEntries(Object.entries(check.errors).map(([path, message]) => [path, message]));
    if (Object.keys(local).length > 0) {
      setSummary({ fields: local, general: undefined });
      return;
    }
    const version = listed?.version;
    const body = stored ? patchBody(initial, values, version) : createBody(values, version);
    if (stored && Object.keys(body).length === 0) {
      setSummary({ fields: {}, general: undefined });
      setSaved('Nothing has changed since the last save.');
      return;
    }
    setBusy(true);
    try {
      if (!stored) {
        const created = await api.post<PreparationView>(`/episodes/${episode.id}/preparations`, body);
        announce('Preparation recorded.');
        navigate(`/preparations/${created.id}`, { replace: true, state: { flash: 'The preparation is recorded.' } });
        return;
      }
      const updated = await api.patch<PreparationView>(`/preparations/${stored.id}`, body);
      const next = valuesFromView(updated);
      setInitial(next);
      setValues(next);
      setAuto(new Set());
      setServerErrors({});
      setSummary({ fields: {}, general: undefined });
      setAttempted(false);
      onStored(updated);
      setSaved('The changes are saved; the results were recomputed.');
      announce('Preparation saved.');
    } catch (error) {
      const { fields, general } = problemFieldErrors(problemOf(error));
      setServerErrors(fields);
      setSummary({ fields, general });
    } finally {
      setBusy(false);
    }
  }

  /** Enter moves to the next field (a long form should not be sent half-filled); Ctrl/⌘+Enter saves. */
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Enter') return;
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      void submit();
      return;
    }
    if (target.tagName !== 'INPUT' || ['checkbox', 'radio', 'submit', 'button'].includes((target as HTMLInputElement).type)) return;
    event.preventDefault();
    const controls = Array.from(formRef.current?.querySelectorAll<HTMLElement>('input, select, textarea') ?? []).filter((el) => !(el as HTMLInputElement).disabled);
    controls[controls.indexOf(target) + 1]?.focus();
  }

  const v = (path: string) => values.fields[path] ?? '';
  const text = (path: string, label: ReactNode, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField id={fieldDomId(path)} label={label} value={v(path)} onChange={(ev) => setField(path, ev.target.value)} error={errorAt(path)} autoComplete="off" {...extra} />
  );
  const number = (path: string, label: ReactNode, unit: string | undefined, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    text(path, <>{label}{unit && <span className="unit"> {unit}</span>}</>, { inputMode: 'decimal', inputClassName: 'num-input', spellCheck: false, ...extra })
  );
  const choice = (path: string, label: ReactNode, options: readonly string[], labels: Record<string, string>, empty = 'Not recorded', extra: Partial<Parameters<typeof SelectField>[0]> = {}) => (
    <SelectField id={fieldDomId(path)} label={label} value={v(path)} onChange={(ev) => setField(path, ev.target.value)} error={errorAt(path)} {...extra}>
      <option value="">{empty}</option>
      {options.map((o) => <option key={o} value={o}>{labels[o] ?? o}</option>)}
    </SelectField>
  );
  const activeStaff = staff.filter((s) => s.active || Object.values(values.fields).includes(s.id));
  const staffChoice = (path: string, label: string) => (
    <SelectField id={fieldDomId(path)} label={label} value={v(path)} onChange={(ev) => setField(path, ev.target.value)} error={errorAt(path)}>
      <option value="">Not recorded</option>
      {activeStaff.map((s) => <option key={s.id} value={s.id}>{s.displayName}{s.id === session?.user.id ? ' (you)' : ''}</option>)}
    </SelectField>
  );
  const countField = (sample: Sample, key: (typeof COUNT_KEYS)[number]) => {
    const path = `${sample}.${key}`;
    const fix = errorAt(path) ? suggestedCount(path, v(path)) : undefined;
    return (
      <div key={path} className="count-field">
        {number(path, COUNT_LABELS[key].short, COUNT_LABELS[key].unit, { 'aria-label': `${SAMPLE_LABELS[sample]} ${COUNT_LABELS[key].short} (${COUNT_LABELS[key].label}) ${COUNT_LABELS[key].unit}` })}
        {fix !== undefined && (
          <button type="button" className="button button-small fix-button" onClick={() => setField(path, String(fix))}>
            Use {formatSignificant(fix)} {COUNT_LABELS[key].unit}
          </button>
        )}
      </div>
    );
  };

  const readOnly = !writable;
  const episodeClosed = !stored && episode.status === 'cancelled';
  const outdated = stored && !stored.computed.upToDate;
  const errorCount = Object.keys(check.errors).length;
  // The summary keeps what was refused (redrawing it would take focus from the field being
  // corrected) and goes away once nothing it lists is wrong any more.
  const summaryLive = Boolean(summary.general) || Object.keys(summary.fields).some((p) => check.errors[p] || serverErrors[p]);
  const summaryShown = summaryLive ? summary : NO_SUMMARY;

  return (
    <div className="lab-layout">
      <form ref={formRef} id="preparation-form" className="lab-form form" onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label={stored ? 'Preparation' : 'New preparation'}>
        <ErrorSummary errors={summaryShown} fieldId={(path) => fieldDomId(focusPathFor(path, values.spins.length))} title={stored ? 'The changes were not saved' : 'The preparation was not saved'} />
        {saved && <Notice kind="success">{saved}</Notice>}
        {readOnly && <Notice kind="info">You can read this preparation; recording and changing preparations is for the lab.</Notice>}
        {episodeClosed && <Notice kind="warning">This episode was cancelled: reopen it before recording a preparation on it.</Notice>}
        {writable && <p className="form-hint small muted">Enter moves to the next field · Ctrl+Enter saves. Counts in × 10³/µL (platelets, white cells), × 10⁶/µL (red cells).</p>}
        <fieldset className="fieldset-plain" disabled={readOnly}>
          <section className="panel panel-padded" aria-labelledby="draw-title">
            <h2 id="draw-title" className="panel-title">Blood draw</h2>
            <div className="dense-grid">
              {text('draw.drawnAt', 'Drawn at', { type: 'datetime-local', required: true, className: 'field-wide' })}
              {staffChoice('draw.drawnById', 'Drawn by')}
              {number('wholeBlood.volumeMl', 'Blood drawn', 'mL', { hint: 'Without anticoagulant' })}
              {text('anticoagulant.agent', 'Anticoagulant', { placeholder: 'e.g. ACD-A', list: 'anticoagulant-agents' })}
              {number('anticoagulant.volumeMl', 'Anticoagulant volume', 'mL', auto.has('anticoagulant.volumeMl') ? { hint: 'From the protocol’s ratio' } : {})}
              {text('draw.tubeLot', 'Tube lot', { spellCheck: false, inputClassName: 'mono' })}
              {text('draw.kitLot', 'Kit lot', { spellCheck: false, inputClassName: 'mono' })}
            </div>
            <datalist id="anticoagulant-agents">
              <option value="ACD-A" />
              <option value="sodium citrate 3.2 %" />
            </datalist>
          </section>

          <section className="panel panel-padded" aria-labelledby="protocol-title">
            <h2 id="protocol-title" className="panel-title">Protocol and spins</h2>
            <div className="dense-grid">
              <SelectField
                id={fieldDomId('protocolId')} label="Protocol" value={selected} onChange={(ev) => chooseProtocol(ev.target.value)} error={errorAt('protocolId')} className="field-wide"
                hint={protocolHint(listed, linked)}
              >
                <option value="">No clinic protocol</option>
                {protocols.map((pr) => <option key={pr.protocolId} value={pr.protocolId}>{pr.name} · v{pr.version}</option>)}
                {linked && !listed && <option value={linked.id}>{linked.name} · v{linked.version}</option>}
              </SelectField>
              <SelectField id={fieldDomId('systemId')} label="Commercial system" value={v('systemId')} onChange={(ev) => setField('systemId', ev.target.value)} error={errorAt('systemId')}>
                <option value="">None</option>
                <optgroup label="Devices">
                  {PRP_SYSTEMS.filter((s) => s.kind === 'device').map((s) => <option key={s.id} value={s.id}>{s.maker ? `${s.maker} ` : ''}{s.name}</option>)}
                </optgroup>
                <optgroup label="Published manual protocols">
                  {PRP_SYSTEMS.filter((s) => s.kind === 'manual-protocol').map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                </optgroup>
              </SelectField>
              {choice('method', 'Method', PREPARATION_METHODS, METHOD_LABELS)}
            </div>
            <div className="spins" role="group" aria-labelledby="spins-title">
              <h3 id="spins-title" className="subsection-title">Spins actually run</h3>
              {values.spins.length > 0 && (
                <SpinGrid
                  spins={values.spins} radiusCm={rotorRadiusCm ? String(rotorRadiusCm) : ''} rpmTitle={rotorRadiusCm ? `On the protocol’s ${rotorRadiusCm} cm rotor` : undefined}
                  fieldId={fieldDomId} errorAt={errorAt} onChange={setSpin} onRemove={removeSpin}
                />
              )}
              {values.spins.length === 0 && <p className="muted small">No spins recorded{selected ? '' : ' — choose a protocol to fill them in, or add them'}.</p>}
              {errorAt('spins') && <p className="field-error">{errorAt('spins')}</p>}
              <button type="button" id={fieldDomId('spins')} className="button button-small" onClick={addSpin}>Add spin</button>
            </div>
          </section>

          <section className="panel panel-padded" aria-labelledby="counts-title">
            <h2 id="counts-title" className="panel-title">Counts</h2>
            <div className="sample-grid">
              {SAMPLES.map((sample) => (
                <fieldset key={sample} className="sample-card">
                  <legend>{SAMPLE_TITLES[sample]}</legend>
                  {text(`${sample}.analyserLine`, 'Paste analyser line', {
                    inputClassName: 'mono', spellCheck: false, placeholder: LINE_EXAMPLES[sample], maxLength: 500,
                    onChange: (ev) => setLine(sample, ev.target.value),
                    hint: lineHint(sample, v(`${sample}.analyserLine`)),
                    // A line being typed is not judged until the box is left (a paste is read at once).
                    error: lineFocus === sample && !attempted ? serverErrors[`${sample}.analyserLine`] : errorAt(`${sample}.analyserLine`),
                    onFocus: () => setLineFocus(sample),
                    onBlur: () => setLineFocus(undefined),
                  })}
                  <div className="count-grid">{COUNT_KEYS.map((key) => countField(sample, key))}</div>
                  {sample === 'wholeBlood' && choice('wholeBlood.sampleAnticoagulant', 'Counted from', SAMPLE_ANTICOAGULANTS, SAMPLE_TUBE_LABELS)}
                  {sample === 'prp' && number('prp.volumeMl', 'Final PRP volume', 'mL')}
                </fieldset>
              ))}
            </div>
          </section>

          <section className="panel panel-padded" aria-labelledby="product-title">
            <h2 id="product-title" className="panel-title">Product</h2>
            <div className="dense-grid">
              {choice('activation.agent', 'Activation', ACTIVATION_AGENTS, ACTIVATION_LABELS)}
              {text('activation.detail', 'Activation detail', { placeholder: 'e.g. 10 % CaCl₂, 50 µL/mL' })}
              {choice('activation.timing', 'Activation timing', ACTIVATION_TIMINGS, TIMING_LABELS)}
              {number('activation.minutesBeforeInjection', 'Minutes before injection', undefined)}
              {choice('form', 'Form', PREPARATION_FORMS, FORM_LABELS)}
              {staffChoice('preparedById', 'Prepared by')}
              {text('preparedAt', 'Prepared at', { type: 'datetime-local', className: 'field-wide' })}
            </div>
          </section>

          <section className="panel panel-padded" aria-labelledby="delivery-title">
            <h2 id="delivery-title" className="panel-title">Injection</h2>
            <div className="dense-grid">
              {number('injectedVolumeMl', 'Injected volume', 'mL')}
              {text('injectedAt', 'Injected at', { type: 'datetime-local', className: 'field-wide' })}
              {text('site', 'Site injected', { placeholder: 'e.g. L4-L5 disc' })}
              {choice('imageGuided', 'Image guidance', ['yes', 'no'], { yes: 'Yes', no: 'No' })}
              {choice('imagingModality', 'Imaging', IMAGING_MODALITIES, IMAGING_LABELS)}
              {text('localAnaesthetic.agent', 'Local anaesthetic', { placeholder: 'e.g. lidocaine 1 %, or none', list: 'anaesthetics' })}
              {number('localAnaesthetic.volumeMl', 'Anaesthetic volume', 'mL')}
              {choice('localAnaesthetic.mixedWithPrp', 'Anaesthetic given', ['mixed', 'separate'], { mixed: 'Mixed into the PRP', separate: 'Injected separately' })}
              {number('injections.count', 'Injections in the course', undefined, { inputMode: 'numeric' })}
              {number('injections.intervalDays', 'Days between', undefined, { inputMode: 'numeric' })}
              {text('outcomeMeasures', 'Outcome measures', { placeholder: 'e.g. odi, nrs', hint: 'Questionnaire codes, separated by commas' })}
              {text('concomitantMedication', 'Concomitant medication', { placeholder: 'e.g. none, or NSAIDs stopped 7 days before', className: 'field-wide' })}
              {text('rehabilitation', 'Rehabilitation', { placeholder: 'e.g. none, or the clinic’s 6-week programme', className: 'field-wide' })}
            </div>
            <datalist id="anaesthetics">
              <option value="none" />
              <option value="lidocaine 1 %" />
              <option value="ropivacaine 0.5 %" />
              <option value="bupivacaine 0.25 %" />
            </datalist>
            <TextAreaField id={fieldDomId('notes')} label="Notes" value={v('notes')} onChange={(ev) => setField('notes', ev.target.value)} error={errorAt('notes')} optional rows={2} maxLength={5000} className="notes-field" />
          </section>
        </fieldset>
      </form>

      <LiveResults
        evaluation={check.evaluation}
        errorCount={errorCount}
        scienceVersion={SCIENCE_VERSION}
        stored={stored}
        dirty={dirty}
        valueOf={v}
        onFocus={focusField}
        onUseValue={(path, value) => {
          setField(path, String(value));
          focusField(path);
        }}
        {...(writable && outdated && { onRecompute: () => void recompute() })}
        recomputing={recomputing}
      />

      {writable && (
        <div className="lab-actions form-actions">
          <button type="submit" form="preparation-form" className="button button-primary" disabled={busy || episodeClosed}>
            {busy ? 'Saving…' : stored ? 'Save changes' : 'Save preparation'}
          </button>
          <Link className="button button-quiet" to={`/patients/${episode.patientId}`}>{stored ? 'Back to patient' : 'Cancel'}</Link>
          {stored && dirty && <span className="small muted">Unsaved changes</span>}
        </div>
      )}
    </div>
  );
}

function protocolHint(listed: ProtocolVersionView | undefined, linked: PreparationView['protocol'] | undefined): ReactNode {
  if (linked && listed && listed.version !== linked.version) return `Recorded with version ${linked.version}; the current version is ${listed.version}.`;
  if (!listed) return linked ? `Version ${linked.version}.` : 'Choosing one fills in its spins, anticoagulant and method where empty.';
  const parts = [spinsSummary(listed.spins), `rotor ${listed.rotor.radiusCm} cm ${listed.rotor.type}`];
  if (listed.anticoagulant) parts.push(`${listed.anticoagulant.agent} ${listed.anticoagulant.parts}:${listed.anticoagulant.bloodParts}`);
  if (listed.targetVolumeMl !== null) parts.push(`target ${listed.targetVolumeMl} mL`);
  return parts.join(' · ');
}

/** What the pasted line was read as, under the box: "Read PLT 245, WBC 6.1 … · ignored HGB". */
function lineHint(sample: Sample, line: string): ReactNode {
  if (line.trim() === '') return 'Fills the counts below; the line is kept with the record.';
  const reading = readLine(sample, line);
  if (!reading.ok) return undefined;
  const read = reading.result.readings.map((r) => `${COUNT_LABELS[r.field].short} ${formatSignificant(r.value)}${r.printedUnit ? ` (from ${formatSignificant(r.printedValue)} ${r.printedUnit})` : ''}`);
  const ignored = reading.result.ignored.map((i) => i.label);
  const unknown = reading.result.unrecognised;
  return (
    <>
      Read {read.join(', ')}
      {ignored.length > 0 && <> · ignored {ignored.join(', ')}</>}
      {unknown.length > 0 && <> · not understood: {unknown.join(' ')}</>}
    </>
  );
}
