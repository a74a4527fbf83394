import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { CANCER_STATUSES, IMAGING_STUDIES, type Assessment } from '../../science/assessment.js';
import { assessContraindications, DEFAULT_CONTRAINDICATION_SETTINGS, type ContraindicationResult, type ContraindicationSettings } from '../../science/contraindications.js';
import { ScienceInputError } from '../../science/errors.js';
import { INDICATIONS } from '../../science/indications.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import {
  CANCER_BONE_LABEL, CANCER_LABELS, CONDITION_LABELS, CONTOUR_LABELS, DISC_CONTOURS, FACET_ARTHROPATHY_GRADES, FACET_LABELS, MEDICATION_CLASSES, MEDICATION_LABELS,
  MODIC_LABELS, MODIC_TYPES, PFIRRMANN_GRADES, PFIRRMANN_LABELS, SIDES, SIDE_LABELS, SPINAL_LEVELS, STUDY_LABELS,
  assessmentFieldId, assessmentFieldLabel, assessmentOf, assessmentProblemErrors, emptyAssessmentState, emptyDiscRow, emptyInjectionRow, emptyMedicationRow,
  emptySurgeryRow, findingInputId, stateOf, type AssessmentFormState, type Fissure,
} from '../assessment-form-state.js';
import { NO_ERRORS, problemOf, type FormErrors } from '../forms.js';
import { FindingList } from './assessment-decision.js';
import { ErrorSummary } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';

const MAX_ROWS = { discs: SPINAL_LEVELS.length, steroidInjections: 30, surgeries: 10, medications: 30 };

function replaceAt<T>(list: readonly T[], i: number, patch: Partial<T>): T[] {
  return list.map((row, j) => (j === i ? { ...row, ...patch } : row));
}
function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}
function toggled(list: readonly string[], value: string, on: boolean): string[] {
  return on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
}

/** A row control's label: the short name shown, the row named for a screen reader (`Imaged level 1: Modic change`). */
function rowLabel(row: string, name: string): ReactNode {
  return <><span className="visually-hidden">{row}: </span>{name}</>;
}

/** A group of checkboxes (indications, levels) with its error, focusable from the error summary. */
function CheckGroup({ path, legend, error, className, children }: { path: string; legend: ReactNode; error: string | undefined; className?: string; children: ReactNode }) {
  const id = assessmentFieldId(path);
  return (
    <fieldset className={`fieldset${error ? ' field-invalid' : ''}`} id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className={`choice-list${className ? ` ${className}` : ''}`}>{children}</div>
      {error && <p className="field-error" id={`${id}-error`}><span className="visually-hidden">Error: </span>{error}</p>}
    </fieldset>
  );
}

interface Props {
  episodeId: string;
  settings: ContraindicationSettings | undefined;
  plannedDate: string | null;
  /** The latest saved version, to start the new one from. */
  initial?: { version: number; assessment: Assessment } | undefined;
  onSaved: () => void;
  onCancel?: () => void;
}

/**
 * The clinician's assessment, structured where a rule or an analysis reads the value: indications,
 * levels, imaging per level, prior treatments, medicines, labs, conditions. The contraindication
 * findings are computed beside it as it is typed, by the same code the server runs.
 */
export function AssessmentForm({ episodeId, settings, plannedDate, initial, onSaved, onCancel }: Props) {
  const [s, setS] = useState<AssessmentFormState>(() => (initial ? stateOf(initial.assessment) : emptyAssessmentState()));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [focusId, setFocusId] = useState<string | undefined>(undefined);
  const edit = (change: (prev: AssessmentFormState) => Partial<AssessmentFormState>) => setS((prev) => ({ ...prev, ...change(prev) }));
  const patch = (values: Partial<AssessmentFormState>) => setS((prev) => ({ ...prev, ...values }));
  const err = (path: string) => errors.fields[path];
  const id = assessmentFieldId;

  // A new row takes the focus at its first control; a removed row gives it to its section's add button.
  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(undefined);
  }, [focusId]);

  const body = useMemo(() => assessmentOf(s), [s]);
  const live = useMemo((): { result?: ContraindicationResult; incomplete?: string; field?: string } => {
    try {
      return { result: assessContraindications(body, settings ?? DEFAULT_CONTRAINDICATION_SETTINGS, plannedDate) };
    } catch (error) {
      if (error instanceof ScienceInputError) return { incomplete: error.message.startsWith(error.field) ? error.message.slice(error.field.length).trim() : error.message, field: error.field };
      return { incomplete: String(error) };
    }
  }, [body, settings, plannedDate]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/episodes/${episodeId}/assessments`, body);
      announce('Assessment saved.');
      onSaved();
    } catch (error) {
      setErrors(assessmentProblemErrors(problemOf(error)));
    } finally {
      setBusy(false);
    }
  }

  const incompleteField = live.field;
  const incompleteLabel = incompleteField ? assessmentFieldLabel(incompleteField) : undefined;

  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Assessment">
      <ErrorSummary errors={errors} fieldId={id} title="The assessment was not saved" />
      {initial && <p className="muted small">Starts from version {initial.version}: change what is different; saving makes version {initial.version + 1}.</p>}
      <div className="assessment-columns">
        <div className="assessment-fields">
          {/* ------------------------------------------------ the problem */}
          <CheckGroup path="indications" legend="Indications" error={err('indications')}>
            {INDICATIONS.map((i) => (
              <label key={i.code} className="choice">
                <input type="checkbox" name="indications" value={i.code} checked={s.indications.includes(i.code)} onChange={(e) => { const on = e.target.checked; edit((p) => ({ indications: toggled(p.indications, i.code, on) })); }} /> {i.label}
              </label>
            ))}
          </CheckGroup>
          <CheckGroup path="levels" legend="Levels" error={err('levels')} className="choice-row">
            {SPINAL_LEVELS.map((l) => (
              <label key={l} className="choice">
                <input type="checkbox" name="levels" value={l} checked={s.levels.includes(l)} onChange={(e) => { const on = e.target.checked; edit((p) => ({ levels: toggled(p.levels, l, on) })); }} /> {l}
              </label>
            ))}
          </CheckGroup>
          <div className="form-grid">
            <SelectField id={id('side')} name="side" label="Side" value={s.side} onChange={(e) => patch({ side: e.target.value })} error={err('side')} optional>
              <option value="">—</option>
              {SIDES.map((v) => <option key={v} value={v}>{SIDE_LABELS[v]}</option>)}
            </SelectField>
            <TextField id={id('painDurationMonths')} name="painDurationMonths" label="Pain duration (months)" type="number" inputMode="decimal" min={0} max={1200} step="any" value={s.painDurationMonths} onChange={(e) => patch({ painDurationMonths: e.target.value })} error={err('painDurationMonths')} optional />
          </div>

          {/* ------------------------------------------------ imaging */}
          <fieldset className="fieldset assessment-section">
            <legend>Imaging</legend>
            <div className="form-grid">
              <SelectField id={id('imaging.study')} name="imaging.study" label="Imaging study" value={s.study} onChange={(e) => patch({ study: e.target.value })} error={err('imaging.study')} optional>
                <option value="">None</option>
                {IMAGING_STUDIES.map((v) => <option key={v} value={v}>{STUDY_LABELS[v]}</option>)}
              </SelectField>
              {s.study && <TextField id={id('imaging.performedOn')} name="imaging.performedOn" label="Imaging date" type="date" value={s.performedOn} onChange={(e) => patch({ performedOn: e.target.value })} error={err('imaging.performedOn')} optional />}
            </div>
            {s.study && (
              <>
                {s.discs.map((d, i) => {
                  const at = `imaging.discs[${i}]`;
                  const row = `Imaged level ${i + 1}`;
                  const set = (change: Partial<typeof d>) => edit((p) => ({ discs: replaceAt(p.discs, i, change) }));
                  return (
                    <fieldset key={i} className="repeat-row disc-row">
                      <legend className="visually-hidden">{row}</legend>
                      <SelectField id={id(`${at}.level`)} name={`${at}.level`} label={rowLabel(row, 'Level')} value={d.level} onChange={(e) => set({ level: e.target.value })} error={err(`${at}.level`)}>
                        {SPINAL_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
                      </SelectField>
                      <SelectField id={id(`${at}.pfirrmannGrade`)} name={`${at}.pfirrmannGrade`} label={rowLabel(row, 'Pfirrmann grade')} value={d.pfirrmannGrade} onChange={(e) => set({ pfirrmannGrade: e.target.value })} error={err(`${at}.pfirrmannGrade`)}>
                        <option value="">—</option>
                        {PFIRRMANN_GRADES.map((g) => <option key={g} value={g}>{PFIRRMANN_LABELS[g]}</option>)}
                      </SelectField>
                      <SelectField id={id(`${at}.modicType`)} name={`${at}.modicType`} label={rowLabel(row, 'Modic change')} value={d.modicType} onChange={(e) => set({ modicType: e.target.value })} error={err(`${at}.modicType`)}>
                        <option value="">—</option>
                        {MODIC_TYPES.map((m) => <option key={m} value={m}>{MODIC_LABELS[m]}</option>)}
                      </SelectField>
                      <SelectField id={id(`${at}.annularFissure`)} name={`${at}.annularFissure`} label={rowLabel(row, 'Annular fissure')} value={d.annularFissure} onChange={(e) => set({ annularFissure: e.target.value as Fissure })} error={err(`${at}.annularFissure`)}>
                        <option value="">Unknown</option>
                        <option value="yes">Yes</option>
                        <option value="no">No</option>
                      </SelectField>
                      <SelectField id={id(`${at}.contour`)} name={`${at}.contour`} label={rowLabel(row, 'Disc contour')} value={d.contour} onChange={(e) => set({ contour: e.target.value })} error={err(`${at}.contour`)}>
                        <option value="">—</option>
                        {DISC_CONTOURS.map((c) => <option key={c} value={c}>{CONTOUR_LABELS[c]}</option>)}
                      </SelectField>
                      <SelectField id={id(`${at}.facetArthropathy`)} name={`${at}.facetArthropathy`} label={rowLabel(row, 'Facet arthropathy')} value={d.facetArthropathy} onChange={(e) => set({ facetArthropathy: e.target.value })} error={err(`${at}.facetArthropathy`)}>
                        <option value="">—</option>
                        {FACET_ARTHROPATHY_GRADES.map((g) => <option key={g} value={g}>{FACET_LABELS[g]}</option>)}
                      </SelectField>
                      <div className="repeat-row-actions">
                        <button type="button" className="button button-small button-quiet" aria-label={`Remove imaged level ${i + 1}`} onClick={() => { edit((p) => ({ discs: removeAt(p.discs, i) })); setFocusId(id('imaging.discs')); }}>Remove</button>
                      </div>
                    </fieldset>
                  );
                })}
                <button type="button" id={id('imaging.discs')} className="button button-small add-button" disabled={s.discs.length >= MAX_ROWS.discs}
                  onClick={() => { edit((p) => ({ discs: [...p.discs, emptyDiscRow(p.discs, p.levels)] })); setFocusId(id(`imaging.discs[${s.discs.length}].level`)); }}>
                  Add imaged level
                </button>
                <TextAreaField id={id('imaging.findingsText')} name="imaging.findingsText" label="Imaging findings" hint="What the report says beyond the table." value={s.findingsText} onChange={(e) => patch({ findingsText: e.target.value })} error={err('imaging.findingsText')} optional rows={2} maxLength={5000} />
              </>
            )}
          </fieldset>

          {/* ------------------------------------------------ prior treatments */}
          <fieldset className="fieldset assessment-section">
            <legend>Prior treatments</legend>
            <div className="form-grid">
              <label className="choice"><input type="checkbox" id={id('priorTreatments.physiotherapy.done')} name="priorTreatments.physiotherapy.done" checked={s.physiotherapyDone} onChange={(e) => patch({ physiotherapyDone: e.target.checked })} /> Physiotherapy done</label>
              {s.physiotherapyDone && <TextField id={id('priorTreatments.physiotherapy.weeks')} name="priorTreatments.physiotherapy.weeks" label="Physiotherapy (weeks)" type="number" inputMode="decimal" min={0} max={520} step="any" value={s.physiotherapyWeeks} onChange={(e) => patch({ physiotherapyWeeks: e.target.value })} error={err('priorTreatments.physiotherapy.weeks')} optional />}
            </div>
            <h3 className="subsection-title">Steroid injections</h3>
            {s.steroidInjections.map((r, i) => {
              const at = `priorTreatments.steroidInjections[${i}]`;
              const row = `Steroid injection ${i + 1}`;
              const set = (change: Partial<typeof r>) => edit((p) => ({ steroidInjections: replaceAt(p.steroidInjections, i, change) }));
              return (
                <fieldset key={i} className="repeat-row injection-row">
                  <legend className="visually-hidden">{row}</legend>
                  <TextField id={id(`${at}.on`)} name={`${at}.on`} label={rowLabel(row, 'Date')} type="date" value={r.on} onChange={(e) => set({ on: e.target.value })} error={err(`${at}.on`)} />
                  <TextField id={id(`${at}.site`)} name={`${at}.site`} label={rowLabel(row, 'Site')} placeholder="e.g. L4/L5 right facet" value={r.site} onChange={(e) => set({ site: e.target.value })} error={err(`${at}.site`)} maxLength={200} />
                  <SelectField id={id(`${at}.level`)} name={`${at}.level`} label={rowLabel(row, 'Level')} value={r.level} onChange={(e) => set({ level: e.target.value })} error={err(`${at}.level`)} optional>
                    <option value="">—</option>
                    {SPINAL_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
                  </SelectField>
                  <SelectField id={id(`${at}.side`)} name={`${at}.side`} label={rowLabel(row, 'Side')} value={r.side} onChange={(e) => set({ side: e.target.value })} error={err(`${at}.side`)} optional>
                    <option value="">—</option>
                    {SIDES.map((v) => <option key={v} value={v}>{SIDE_LABELS[v]}</option>)}
                  </SelectField>
                  <div className="repeat-row-actions">
                    <button type="button" className="button button-small button-quiet" aria-label={`Remove steroid injection ${i + 1}`} onClick={() => { edit((p) => ({ steroidInjections: removeAt(p.steroidInjections, i) })); setFocusId(id('priorTreatments.steroidInjections')); }}>Remove</button>
                  </div>
                </fieldset>
              );
            })}
            <button type="button" id={id('priorTreatments.steroidInjections')} className="button button-small add-button" disabled={s.steroidInjections.length >= MAX_ROWS.steroidInjections}
              onClick={() => { edit((p) => ({ steroidInjections: [...p.steroidInjections, emptyInjectionRow()] })); setFocusId(id(`priorTreatments.steroidInjections[${s.steroidInjections.length}].on`)); }}>
              Add steroid injection
            </button>
            <h3 className="subsection-title">Spine surgery</h3>
            {s.surgeries.map((r, i) => {
              const at = `priorTreatments.surgeries[${i}]`;
              const row = `Surgery ${i + 1}`;
              const set = (change: Partial<typeof r>) => edit((p) => ({ surgeries: replaceAt(p.surgeries, i, change) }));
              return (
                <fieldset key={i} className="repeat-row surgery-row">
                  <legend className="visually-hidden">{row}</legend>
                  <TextField id={id(`${at}.on`)} name={`${at}.on`} label={rowLabel(row, 'Date')} type="date" value={r.on} onChange={(e) => set({ on: e.target.value })} error={err(`${at}.on`)} optional />
                  <TextField id={id(`${at}.description`)} name={`${at}.description`} label={rowLabel(row, 'Operation')} placeholder="e.g. microdiscectomy" value={r.description} onChange={(e) => set({ description: e.target.value })} error={err(`${at}.description`)} maxLength={500} />
                  <CheckGroup path={`${at}.levels`} legend={rowLabel(row, 'Levels')} error={err(`${at}.levels`)} className="choice-row">
                    {SPINAL_LEVELS.map((l) => (
                      <label key={l} className="choice">
                        <input type="checkbox" name={`${at}.levels`} value={l} checked={r.levels.includes(l)} onChange={(e) => set({ levels: toggled(r.levels, l, e.target.checked) })} /> {l}
                      </label>
                    ))}
                  </CheckGroup>
                  <div className="repeat-row-actions">
                    <button type="button" className="button button-small button-quiet" aria-label={`Remove surgery ${i + 1}`} onClick={() => { edit((p) => ({ surgeries: removeAt(p.surgeries, i) })); setFocusId(id('priorTreatments.surgeries')); }}>Remove</button>
                  </div>
                </fieldset>
              );
            })}
            <button type="button" id={id('priorTreatments.surgeries')} className="button button-small add-button" disabled={s.surgeries.length >= MAX_ROWS.surgeries}
              onClick={() => { edit((p) => ({ surgeries: [...p.surgeries, emptySurgeryRow()] })); setFocusId(id(`priorTreatments.surgeries[${s.surgeries.length}].on`)); }}>
              Add surgery
            </button>
            <TextAreaField id={id('priorTreatments.other')} name="priorTreatments.other" label="Other treatments" value={s.otherTreatments} onChange={(e) => patch({ otherTreatments: e.target.value })} error={err('priorTreatments.other')} optional rows={2} maxLength={2000} />
          </fieldset>

          {/* ------------------------------------------------ medications */}
          <fieldset className="fieldset assessment-section">
            <legend>Medications</legend>
            <p className="hint">Anticoagulants, antiplatelets, NSAIDs and systemic steroids: the medicines with a wash-out before PRP.</p>
            {s.medications.map((m, i) => {
              const at = `medications[${i}]`;
              const row = `Medicine ${i + 1}`;
              const set = (change: Partial<typeof m>) => edit((p) => ({ medications: replaceAt(p.medications, i, change) }));
              return (
                <fieldset key={i} className="repeat-row med-row">
                  <legend className="visually-hidden">{row}</legend>
                  <SelectField id={id(`${at}.class`)} name={`${at}.class`} label={rowLabel(row, 'Class')} value={m.class} onChange={(e) => set({ class: e.target.value })} error={err(`${at}.class`)}>
                    {MEDICATION_CLASSES.map((c) => <option key={c} value={c}>{MEDICATION_LABELS[c]}</option>)}
                  </SelectField>
                  {/* "Medicine 1: name" etc. read as one label, as before the split. */}
                  <TextField id={id(`${at}.name`)} name={`${at}.name`} label={rowLabel(row, 'Name')} value={m.name} onChange={(e) => set({ name: e.target.value })} error={err(`${at}.name`)} maxLength={120} />
                  <label className="choice"><input type="checkbox" id={id(`${at}.ongoing`)} name={`${at}.ongoing`} checked={m.ongoing} onChange={(e) => set({ ongoing: e.target.checked })} /> <span><span className="visually-hidden">{row}: </span>Still taking it</span></label>
                  <TextField id={id(`${at}.lastDoseOn`)} name={`${at}.lastDoseOn`} label={rowLabel(row, 'Last dose')} type="date" value={m.lastDoseOn} onChange={(e) => set({ lastDoseOn: e.target.value })} error={err(`${at}.lastDoseOn`)} optional={m.ongoing} hint={m.ongoing ? undefined : 'Required when no longer taken.'} />
                  <div className="repeat-row-actions">
                    <button type="button" className="button button-small button-quiet" aria-label={`Remove medicine ${i + 1}`} onClick={() => { edit((p) => ({ medications: removeAt(p.medications, i) })); setFocusId(id('medications')); }}>Remove</button>
                  </div>
                </fieldset>
              );
            })}
            <button type="button" id={id('medications')} className="button button-small add-button" disabled={s.medications.length >= MAX_ROWS.medications}
              onClick={() => { edit((p) => ({ medications: [...p.medications, emptyMedicationRow()] })); setFocusId(id(`medications[${s.medications.length}].class`)); }}>
              Add medicine
            </button>
          </fieldset>

          {/* ------------------------------------------------ labs */}
          <fieldset className="fieldset assessment-section">
            <legend>Labs</legend>
            <div className="form-grid form-grid-3">
              <TextField id={id('labs.plateletsKPerUl')} name="labs.plateletsKPerUl" label="Platelets (× 10³/µL)" type="number" inputMode="decimal" min={0} step="any" value={s.plateletsKPerUl} onChange={(e) => patch({ plateletsKPerUl: e.target.value })} error={err('labs.plateletsKPerUl')} optional />
              <TextField id={id('labs.haemoglobinGPerDl')} name="labs.haemoglobinGPerDl" label="Haemoglobin (g/dL)" type="number" inputMode="decimal" min={0} step="any" value={s.haemoglobinGPerDl} onChange={(e) => patch({ haemoglobinGPerDl: e.target.value })} error={err('labs.haemoglobinGPerDl')} optional />
              <TextField id={id('labs.takenOn')} name="labs.takenOn" label="Labs taken on" type="date" value={s.labsTakenOn} onChange={(e) => patch({ labsTakenOn: e.target.value })} error={err('labs.takenOn')} optional />
            </div>
          </fieldset>

          {/* ------------------------------------------------ conditions */}
          <fieldset className="fieldset assessment-section">
            <legend>Conditions</legend>
            <div className="choice-list">
              {CONDITION_LABELS.map(([k, label]) => (
                <label key={k} className="choice">
                  <input type="checkbox" id={id(`conditions.${k}`)} name={`conditions.${k}`} checked={s.conditions[k]} onChange={(e) => { const on = e.target.checked; edit((p) => ({ conditions: { ...p.conditions, [k]: on } })); }} /> {label}
                </label>
              ))}
            </div>
            <div className="form-grid">
              <SelectField id={id('conditions.cancer')} name="conditions.cancer" label="Cancer" value={s.cancer} onChange={(e) => patch({ cancer: e.target.value as AssessmentFormState['cancer'] })} error={err('conditions.cancer')}>
                {CANCER_STATUSES.map((c) => <option key={c} value={c}>{CANCER_LABELS[c]}</option>)}
              </SelectField>
              {s.cancer !== 'none' && (
                <label className="choice cancer-bone">
                  <input type="checkbox" id={id('conditions.cancerHaematologicalOrBone')} name="conditions.cancerHaematologicalOrBone" checked={s.cancerHaematologicalOrBone} onChange={(e) => patch({ cancerHaematologicalOrBone: e.target.checked })} /> {CANCER_BONE_LABEL}
                </label>
              )}
            </div>
          </fieldset>

          <TextAreaField id={id('notes')} name="notes" label="Notes" value={s.notes} onChange={(e) => patch({ notes: e.target.value })} error={err('notes')} optional rows={2} maxLength={5000} />
        </div>

        <aside className="live-findings" aria-labelledby="assessment-live-title">
          <h3 id="assessment-live-title" className="subsection-title">Contraindications (as typed)</h3>
          <div aria-live="polite">
            {live.result
              ? <FindingList result={live.result} fieldIdOf={findingInputId} />
              : (
                <p className="muted">
                  Not evaluated yet:{' '}
                  {incompleteField && incompleteLabel
                    ? <a href={`#${id(incompleteField)}`} onClick={(e) => { e.preventDefault(); document.getElementById(id(incompleteField))?.focus(); }}>{incompleteLabel} {live.incomplete}</a>
                    : live.incomplete}
                </p>
              )}
          </div>
        </aside>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save assessment'}</button>
        {onCancel && <button type="button" className="button" onClick={onCancel} disabled={busy}>Cancel</button>}
      </div>
    </form>
  );
}
