import { useMemo, useState, type FormEvent } from 'react';
import { CANCER_STATUSES, MEDICATION_CLASSES, SIDES, SPINAL_LEVELS, IMAGING_STUDIES, type Assessment } from '../../science/assessment.js';
import { assessContraindications, DEFAULT_CONTRAINDICATION_SETTINGS, type ContraindicationResult, type ContraindicationSettings, type Finding } from '../../science/contraindications.js';
import { ScienceInputError } from '../../science/errors.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useSession } from '../session.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';

/** GET /api/v1/episodes/:id/assessments (one row). */
export interface AssessmentRecord {
  id: string;
  version: number;
  assessment: Assessment;
  createdAt: string;
  createdBy: { id: string; displayName: string } | null;
  evaluation: (ContraindicationResult & { scienceVersion: string; evaluatedAt: string }) | null;
}

const CONDITIONS: [keyof Assessment['conditions'], string][] = [
  ['activeSystemicInfection', 'Active systemic infection'], ['infectionNearSite', 'Infection near the injection site'], ['bleedingDisorder', 'Bleeding disorder'],
  ['haemodynamicInstability', 'Haemodynamic instability'], ['recentFeverOrIllness', 'Recent fever or illness'], ['pregnant', 'Pregnant'], ['breastfeeding', 'Breastfeeding'],
  ['tobaccoUse', 'Tobacco use'], ['contrastAllergy', 'Contrast allergy'], ['inflammatoryArthritis', 'Inflammatory arthritis'],
];
const MED_LABELS: Record<string, string> = { anticoagulant: 'Anticoagulant', antiplatelet: 'Antiplatelet', nsaid: 'NSAID', 'systemic-steroid': 'Systemic steroid' };
const CANCER_LABELS: Record<string, string> = { none: 'None', history: 'History of cancer', active: 'Active cancer' };
const num = (v: string) => (v.trim() === '' ? null : Number(v));

interface MedRow { class: string; name: string; ongoing: boolean; lastDoseOn: string }

/** The clinician's assessment, with the contraindication findings computed as it is typed (the same code the server runs). */
export function AssessmentForm({ episodeId, settings, plannedDate, onSaved }: { episodeId: string; settings: ContraindicationSettings | undefined; plannedDate: string | null; onSaved: () => void }) {
  const { meta } = useSession();
  const [indications, setIndications] = useState<string[]>([]);
  const [levels, setLevels] = useState<string[]>([]);
  const [side, setSide] = useState('');
  const [duration, setDuration] = useState('');
  const [study, setStudy] = useState('');
  const [imagingText, setImagingText] = useState('');
  const [physio, setPhysio] = useState(false);
  const [physioWeeks, setPhysioWeeks] = useState('');
  const [meds, setMeds] = useState<MedRow[]>([]);
  const [platelets, setPlatelets] = useState('');
  const [hb, setHb] = useState('');
  const [labsOn, setLabsOn] = useState('');
  const [conditions, setConditions] = useState<Record<string, boolean>>({});
  const [cancer, setCancer] = useState('none');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `assessment-${f.replace(/[^a-zA-Z0-9]+/g, '-')}`;

  const body = {
    // side is left out when empty: the API's nullable side enum does not list null (see the report).
    indications, levels, ...(side && { side }), painDurationMonths: num(duration),
    imaging: study ? { study, discs: [], findingsText: imagingText.trim() || null } : null,
    priorTreatments: { physiotherapy: { done: physio, weeks: physio ? num(physioWeeks) : null }, steroidInjections: [], surgeries: [] },
    medications: meds.map((m) => ({ class: m.class, name: m.name.trim(), ongoing: m.ongoing, lastDoseOn: m.lastDoseOn || null })),
    labs: { plateletsKPerUl: num(platelets), haemoglobinGPerDl: num(hb), takenOn: labsOn || null },
    conditions: { ...Object.fromEntries(CONDITIONS.map(([k]) => [k, Boolean(conditions[k])])), cancer },
    notes: notes.trim() || null,
  };
  const live = useMemo(() => {
    try {
      return { result: assessContraindications(body as unknown as Assessment, settings ?? DEFAULT_CONTRAINDICATION_SETTINGS, plannedDate) };
    } catch (error) {
      return { incomplete: error instanceof ScienceInputError ? `${error.field}: ${error.message}` : String(error) };
    }
  }, [JSON.stringify(body), settings, plannedDate]);

  const known: Record<string, FieldInfo> = { indications: { label: 'Indications' }, levels: { label: 'Levels' }, painDurationMonths: { label: 'Pain duration' } };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/episodes/${episodeId}/assessments`, body);
      announce('Assessment saved.');
      onSaved();
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), known));
    } finally {
      setBusy(false);
    }
  }
  const toggle = (list: string[], set: (v: string[]) => void, value: string) => set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Assessment">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The assessment was not saved" />
      <fieldset className="fieldset" id={fieldId('indications')}>
        <legend>Indications</legend>
        <div className="choice-list">
          {meta?.indications.map((i) => <label key={i.code} className="choice"><input type="checkbox" checked={indications.includes(i.code)} onChange={() => toggle(indications, setIndications, i.code)} /> {i.label}</label>)}
        </div>
      </fieldset>
      <fieldset className="fieldset" id={fieldId('levels')}>
        <legend>Levels</legend>
        <div className="choice-list choice-row">
          {SPINAL_LEVELS.map((l) => <label key={l} className="choice"><input type="checkbox" checked={levels.includes(l)} onChange={() => toggle(levels, setLevels, l)} /> {l}</label>)}
        </div>
      </fieldset>
      <div className="form-grid">
        <SelectField id={fieldId('side')} label="Side" value={side} onChange={(e) => setSide(e.target.value)} optional>
          <option value="">—</option>
          {SIDES.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
        </SelectField>
        <TextField id={fieldId('painDurationMonths')} label="Pain duration (months)" type="number" min={0} value={duration} onChange={(e) => setDuration(e.target.value)} error={errors.fields.painDurationMonths} optional />
        <SelectField id={fieldId('imaging')} label="Imaging study" value={study} onChange={(e) => setStudy(e.target.value)} optional>
          <option value="">None</option>
          {IMAGING_STUDIES.map((s) => <option key={s} value={s}>{s.toUpperCase()}</option>)}
        </SelectField>
        {study && <TextField id={fieldId('imagingText')} label="Imaging findings" value={imagingText} onChange={(e) => setImagingText(e.target.value)} optional />}
        <label className="choice"><input type="checkbox" checked={physio} onChange={(e) => setPhysio(e.target.checked)} /> Physiotherapy done</label>
        {physio && <TextField id={fieldId('physioWeeks')} label="Physiotherapy (weeks)" type="number" min={0} value={physioWeeks} onChange={(e) => setPhysioWeeks(e.target.value)} optional />}
        <TextField id={fieldId('plateletsKPerUl')} label="Platelets (× 10³/µL)" type="number" min={0} value={platelets} onChange={(e) => setPlatelets(e.target.value)} optional />
        <TextField id={fieldId('haemoglobinGPerDl')} label="Haemoglobin (g/dL)" type="number" min={0} step="any" value={hb} onChange={(e) => setHb(e.target.value)} optional />
        <TextField id={fieldId('takenOn')} label="Labs taken on" type="date" value={labsOn} onChange={(e) => setLabsOn(e.target.value)} optional />
      </div>
      <fieldset className="fieldset">
        <legend>Medications</legend>
        {meds.map((m, i) => (
          <div key={i} className="form-grid med-row">
            <SelectField label={`Medicine ${i + 1}: class`} value={m.class} onChange={(e) => setMeds(meds.map((x, j) => (j === i ? { ...x, class: e.target.value } : x)))}>
              {MEDICATION_CLASSES.map((c) => <option key={c} value={c}>{MED_LABELS[c] ?? c}</option>)}
            </SelectField>
            <TextField label={`Medicine ${i + 1}: name`} value={m.name} onChange={(e) => setMeds(meds.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
            <TextField label={`Medicine ${i + 1}: last dose`} type="date" value={m.lastDoseOn} onChange={(e) => setMeds(meds.map((x, j) => (j === i ? { ...x, lastDoseOn: e.target.value } : x)))} optional />
            <label className="choice"><input type="checkbox" checked={m.ongoing} onChange={(e) => setMeds(meds.map((x, j) => (j === i ? { ...x, ongoing: e.target.checked } : x)))} /> Still taking it</label>
          </div>
        ))}
        <button type="button" className="button button-small add-button" onClick={() => setMeds([...meds, { class: 'nsaid', name: '', ongoing: true, lastDoseOn: '' }])}>Add medicine</button>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Conditions</legend>
        <div className="choice-list">
          {CONDITIONS.map(([k, label]) => <label key={k} className="choice"><input type="checkbox" checked={Boolean(conditions[k])} onChange={(e) => setConditions({ ...conditions, [k]: e.target.checked })} /> {label}</label>)}
        </div>
        <SelectField id={fieldId('cancer')} label="Cancer" value={cancer} onChange={(e) => setCancer(e.target.value)}>
          {CANCER_STATUSES.map((c) => <option key={c} value={c}>{CANCER_LABELS[c] ?? c}</option>)}
        </SelectField>
      </fieldset>
      <TextAreaField id={fieldId('notes')} label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} optional rows={2} maxLength={5000} />
      <div className="live-findings" aria-live="polite">
        <h3 className="subsection-title">Contraindications (as typed)</h3>
        {'result' in live && live.result ? <FindingList result={live.result} /> : <p className="muted">Not evaluated yet: {live.incomplete}</p>}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save assessment'}</button>
      </div>
    </form>
  );
}

export function FindingList({ result, acknowledged, onAcknowledge }: { result: ContraindicationResult; acknowledged?: string[]; onAcknowledge?: (code: string, on: boolean) => void }) {
  if (result.absolute.length === 0 && result.relative.length === 0) return <p className="muted">No contraindication found.</p>;
  const item = (f: Finding) => (
    <li key={f.code} className={`finding finding-${f.severity}`}>
      {onAcknowledge && f.severity === 'relative'
        ? <label className="choice"><input type="checkbox" checked={acknowledged?.includes(f.code) ?? false} onChange={(e) => onAcknowledge(f.code, e.target.checked)} /> <span><strong>{f.reason}</strong> <span className="muted small">Source: {f.source}</span></span></label>
        : <><strong>{f.reason}</strong> <span className="muted small">Source: {f.source}</span></>}
    </li>
  );
  return (
    <>
      {result.absolute.length > 0 && <div className="notice notice-error"><p><strong>Absolute contraindications</strong></p><ul className="finding-list">{result.absolute.map(item)}</ul></div>}
      {result.relative.length > 0 && <div className="notice notice-warning"><p><strong>Relative contraindications{onAcknowledge ? ' — tick each to acknowledge' : ''}</strong></p><ul className="finding-list">{result.relative.map(item)}</ul></div>}
    </>
  );
}

const OUTCOME_LABELS: Record<string, string> = { eligible: 'Eligible', 'not-eligible': 'Not eligible', deferred: 'Deferred' };

const DECISION_FIELDS: Record<string, FieldInfo> = {
  outcome: { label: 'Decision' }, rationale: { label: 'Rationale' }, overrideReason: { label: 'Override reason' }, password: { label: 'Your password' }, acknowledgedFindings: { label: 'Acknowledgements' },
};

/** The signed eligibility decision on the latest assessment: findings shown, relative ones acknowledged, absolute ones overridden only with a reason. */
export function DecisionForm({ episodeId, assessment, onSigned }: { episodeId: string; assessment: AssessmentRecord; onSigned: () => void }) {
  const [outcome, setOutcome] = useState('');
  const [rationale, setRationale] = useState('');
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [override, setOverride] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [changed, setChanged] = useState(false);
  const [signedAs, setSignedAs] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `decision-${f}`;
  const ev = assessment.evaluation;
  const hasAbsolute = (ev?.absolute.length ?? 0) > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/episodes/${episodeId}/decisions`, {
        assessmentId: assessment.id, ...(outcome && { outcome }), rationale: rationale.trim(), acknowledgedFindings: acknowledged,
        overrideReason: override.trim() || null, password,
      });
      setPassword('');
      setSignedAs(OUTCOME_LABELS[outcome] ?? outcome);
      setOutcome('');
      setRationale('');
      setAcknowledged([]);
      setOverride('');
      announce('Decision signed.');
      onSigned();
    } catch (error) {
      const problem = problemOf(error);
      setPassword('');
      if (problem.status === 409 && problem.code === 'assessment-changed') {
        setChanged(true);
        onSigned();
      } else setErrors(formErrorsOf(problem, DECISION_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  if (signedAs) {
    return (
      <div className="form">
        <Notice kind="success"><strong>Decision signed: {signedAs}.</strong> It cannot be changed; a later change is a new decision.</Notice>
        <div><button type="button" className="button button-small" onClick={() => setSignedAs(undefined)}>Sign a new decision</button></div>
      </div>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Eligibility decision">
      {changed && <Notice kind="warning">The assessment changed while you were deciding; the latest version is shown. Read it again before signing.</Notice>}
      <ErrorSummary errors={errors} fieldId={fieldId} title="The decision was not signed" />
      <p className="muted small">On assessment version {assessment.version}{assessment.createdBy ? ` by ${assessment.createdBy.displayName}` : ''}.</p>
      {ev && <FindingList result={ev} acknowledged={acknowledged} onAcknowledge={(code, on) => setAcknowledged(on ? [...acknowledged, code] : acknowledged.filter((c) => c !== code))} />}
      <div className="form-grid">
        <SelectField id={fieldId('outcome')} label="Decision" value={outcome} onChange={(e) => setOutcome(e.target.value)} error={errors.fields.outcome}>
          <option value="">Choose…</option>
          <option value="eligible">Eligible</option>
          <option value="not-eligible">Not eligible</option>
          <option value="deferred">Deferred</option>
        </SelectField>
      </div>
      <TextAreaField id={fieldId('rationale')} label="Rationale" value={rationale} onChange={(e) => setRationale(e.target.value)} error={errors.fields.rationale} rows={2} maxLength={5000} />
      {hasAbsolute && outcome === 'eligible' && (
        <TextAreaField id={fieldId('overrideReason')} label="Override reason" hint="Required to sign “eligible” over an absolute contraindication; audited." value={override} onChange={(e) => setOverride(e.target.value)} error={errors.fields.overrideReason} rows={2} maxLength={2000} />
      )}
      <TextField id={fieldId('password')} label="Your password" hint="Your signature." type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.fields.password} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || (hasAbsolute && outcome === 'eligible' && override.trim() === '')}>{busy ? 'Signing…' : 'Sign decision'}</button>
      </div>
    </form>
  );
}
