/**
 * The assessment form's state (strings, as the inputs hold them) and its conversion to and from
 * the Assessment the API and the contraindication engine take; plus the labels that put a
 * server's 400 on the right input, whatever the depth of the field (`imaging.discs[0].pfirrmannGrade`).
 * Pure: no React, unit-tested beside.
 */
import {
  DISC_CONTOURS, FACET_ARTHROPATHY_GRADES, MEDICATION_CLASSES, MODIC_TYPES, PFIRRMANN_GRADES, SIDES, SPINAL_LEVELS,
  type Assessment, type Conditions, type DiscContour, type FacetArthropathyGrade, type ImagingStudy, type MedicationClass,
  type ModicType, type PfirrmannGrade, type Side, type SpinalLevel, type CancerStatus,
} from '../science/assessment.js';
import type { IndicationCode } from '../science/indications.js';
import { nullable, numberOrNull, spreadProblem, type FormErrors } from './forms.js';
import type { Problem } from './types.js';

export type BooleanCondition = Exclude<keyof Conditions, 'cancer' | 'cancerHaematologicalOrBone'>;

export const CONDITION_LABELS: [BooleanCondition, string][] = [
  ['activeSystemicInfection', 'Active systemic infection'], ['infectionNearSite', 'Infection near the injection site'], ['bleedingDisorder', 'Bleeding disorder (incl. platelet dysfunction)'],
  ['haemodynamicInstability', 'Haemodynamic instability'], ['recentFeverOrIllness', 'Recent fever or illness'], ['pregnant', 'Pregnant'], ['breastfeeding', 'Breastfeeding'],
  ['tobaccoUse', 'Tobacco use'], ['contrastAllergy', 'Contrast allergy'], ['inflammatoryArthritis', 'Inflammatory arthritis'],
];
export const CANCER_LABELS: Record<CancerStatus, string> = { none: 'None', history: 'History of cancer', active: 'Active cancer' };
export const CANCER_BONE_LABEL = 'Haematological cancer, or cancer in or spread to bone';
export const MEDICATION_LABELS: Record<MedicationClass, string> = { anticoagulant: 'Anticoagulant', antiplatelet: 'Antiplatelet', nsaid: 'NSAID', 'systemic-steroid': 'Systemic steroid' };
export const STUDY_LABELS: Record<ImagingStudy, string> = { mri: 'MRI', ct: 'CT', 'x-ray': 'X-ray', other: 'Other' };
export const SIDE_LABELS: Record<Side, string> = { left: 'Left', right: 'Right', bilateral: 'Bilateral', midline: 'Midline' };
export const PFIRRMANN_LABELS: Record<PfirrmannGrade, string> = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV', 5: 'V' };
export const MODIC_LABELS: Record<ModicType, string> = { 0: 'None', 1: 'Type 1', 2: 'Type 2', 3: 'Type 3' };
export const CONTOUR_LABELS: Record<DiscContour, string> = { normal: 'Normal', bulge: 'Bulge', protrusion: 'Protrusion', extrusion: 'Extrusion', sequestration: 'Sequestration' };
export const FACET_LABELS: Record<FacetArthropathyGrade, string> = { none: 'None', mild: 'Mild', moderate: 'Moderate', severe: 'Severe' };

/** Annular fissure as a select: yes, no, or '' = unknown (not seen either way, or not reported). */
export type Fissure = '' | 'yes' | 'no';

export interface DiscRow { level: string; pfirrmannGrade: string; modicType: string; annularFissure: Fissure; contour: string; facetArthropathy: string }
export interface InjectionRow { on: string; site: string; level: string; side: string }
export interface SurgeryRow { on: string; description: string; levels: string[] }
export interface MedicationRow { class: string; name: string; ongoing: boolean; lastDoseOn: string }

export interface AssessmentFormState {
  indications: string[];
  levels: string[];
  side: string;
  painDurationMonths: string;
  /** '' = no imaging recorded. */
  study: string;
  performedOn: string;
  discs: DiscRow[];
  findingsText: string;
  physiotherapyDone: boolean;
  physiotherapyWeeks: string;
  steroidInjections: InjectionRow[];
  surgeries: SurgeryRow[];
  otherTreatments: string;
  medications: MedicationRow[];
  plateletsKPerUl: string;
  haemoglobinGPerDl: string;
  labsTakenOn: string;
  conditions: Record<BooleanCondition, boolean>;
  cancer: CancerStatus;
  cancerHaematologicalOrBone: boolean;
  notes: string;
}

export function emptyAssessmentState(): AssessmentFormState {
  return {
    indications: [], levels: [], side: '', painDurationMonths: '',
    study: '', performedOn: '', discs: [], findingsText: '',
    physiotherapyDone: false, physiotherapyWeeks: '', steroidInjections: [], surgeries: [], otherTreatments: '',
    medications: [], plateletsKPerUl: '', haemoglobinGPerDl: '', labsTakenOn: '',
    conditions: Object.fromEntries(CONDITION_LABELS.map(([k]) => [k, false])) as Record<BooleanCondition, boolean>,
    cancer: 'none', cancerHaematologicalOrBone: false, notes: '',
  };
}

/** The next imaged level not yet in the table (cranial to caudal), for a new row. */
export function emptyDiscRow(taken: readonly DiscRow[], preferred: readonly string[] = []): DiscRow {
  const used = new Set(taken.map((d) => d.level));
  const level = preferred.find((l) => !used.has(l)) ?? SPINAL_LEVELS.find((l) => !used.has(l)) ?? '';
  return { level, pfirrmannGrade: '', modicType: '', annularFissure: '', contour: '', facetArthropathy: '' };
}
export const emptyInjectionRow = (): InjectionRow => ({ on: '', site: '', level: '', side: '' });
export const emptySurgeryRow = (): SurgeryRow => ({ on: '', description: '', levels: [] });
export const emptyMedicationRow = (): MedicationRow => ({ class: 'nsaid', name: '', ongoing: true, lastDoseOn: '' });

const fissureOf = (f: Fissure): boolean | null => (f === 'yes' ? true : f === 'no' ? false : null);

/** The request body (and the engine's input) for the form as it stands. Empty fields become null. */
export function assessmentOf(s: AssessmentFormState): Assessment {
  return {
    indications: s.indications as IndicationCode[],
    levels: SPINAL_LEVELS.filter((l) => s.levels.includes(l)),
    side: nullable(s.side) as Side | null,
    painDurationMonths: numberOrNull(s.painDurationMonths),
    imaging: s.study === '' ? null : {
      study: s.study as ImagingStudy,
      performedOn: nullable(s.performedOn),
      discs: s.discs.map((d) => ({
        level: d.level as SpinalLevel,
        pfirrmannGrade: numberOrNull(d.pfirrmannGrade) as PfirrmannGrade | null,
        modicType: numberOrNull(d.modicType) as ModicType | null,
        annularFissure: fissureOf(d.annularFissure),
        contour: nullable(d.contour) as DiscContour | null,
        facetArthropathy: nullable(d.facetArthropathy) as FacetArthropathyGrade | null,
      })),
      findingsText: nullable(s.findingsText),
    },
    priorTreatments: {
      physiotherapy: { done: s.physiotherapyDone, weeks: s.physiotherapyDone ? numberOrNull(s.physiotherapyWeeks) : null },
      steroidInjections: s.steroidInjections.map((r) => ({ on: r.on, site: r.site.trim(), level: nullable(r.level) as SpinalLevel | null, side: nullable(r.side) as Side | null })),
      surgeries: s.surgeries.map((r) => ({ on: nullable(r.on), description: r.description.trim(), levels: SPINAL_LEVELS.filter((l) => r.levels.includes(l)) })),
      other: nullable(s.otherTreatments),
    },
    medications: s.medications.map((m) => ({ class: m.class as MedicationClass, name: m.name.trim(), ongoing: m.ongoing, lastDoseOn: nullable(m.lastDoseOn) })),
    labs: { plateletsKPerUl: numberOrNull(s.plateletsKPerUl), haemoglobinGPerDl: numberOrNull(s.haemoglobinGPerDl), takenOn: nullable(s.labsTakenOn) },
    conditions: { ...s.conditions, cancer: s.cancer, cancerHaematologicalOrBone: s.cancer !== 'none' && s.cancerHaematologicalOrBone },
    notes: nullable(s.notes),
  };
}

const str = (v: number | string | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** A saved assessment back into the form: a new version starts from the latest one. */
export function stateOf(a: Assessment): AssessmentFormState {
  const empty = emptyAssessmentState();
  return {
    indications: [...a.indications],
    levels: [...a.levels],
    side: str(a.side),
    painDurationMonths: str(a.painDurationMonths),
    study: a.imaging?.study ?? '',
    performedOn: str(a.imaging?.performedOn),
    discs: (a.imaging?.discs ?? []).map((d): DiscRow => ({
      level: d.level, pfirrmannGrade: str(d.pfirrmannGrade), modicType: str(d.modicType),
      annularFissure: d.annularFissure === true ? 'yes' : d.annularFissure === false ? 'no' : '',
      contour: str(d.contour), facetArthropathy: str(d.facetArthropathy),
    })),
    findingsText: str(a.imaging?.findingsText),
    physiotherapyDone: a.priorTreatments.physiotherapy.done,
    physiotherapyWeeks: str(a.priorTreatments.physiotherapy.weeks),
    steroidInjections: a.priorTreatments.steroidInjections.map((r) => ({ on: r.on, site: r.site, level: str(r.level), side: str(r.side) })),
    surgeries: a.priorTreatments.surgeries.map((r) => ({ on: str(r.on), description: r.description, levels: [...(r.levels ?? [])] })),
    otherTreatments: str(a.priorTreatments.other),
    medications: a.medications.map((m) => ({ class: m.class, name: m.name, ongoing: m.ongoing, lastDoseOn: str(m.lastDoseOn) })),
    plateletsKPerUl: str(a.labs.plateletsKPerUl),
    haemoglobinGPerDl: str(a.labs.haemoglobinGPerDl),
    labsTakenOn: str(a.labs.takenOn),
    conditions: Object.fromEntries(CONDITION_LABELS.map(([k]) => [k, Boolean(a.conditions[k])])) as Record<BooleanCondition, boolean>,
    cancer: a.conditions.cancer ?? empty.cancer,
    cancerHaematologicalOrBone: Boolean(a.conditions.cancerHaematologicalOrBone),
    notes: str(a.notes),
  };
}

/** The id of the input for an API field path: `imaging.discs[0].pfirrmannGrade` → `assessment-imaging-discs-0-pfirrmannGrade`. */
export function assessmentFieldId(path: string): string {
  return `assessment-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-$/, '')}`;
}

const TOP_LABELS: Record<string, string> = {
  indications: 'Indications', levels: 'Levels', side: 'Side', painDurationMonths: 'Pain duration', notes: 'Notes',
  'imaging.study': 'Imaging study', 'imaging.performedOn': 'Imaging date', 'imaging.discs': 'Imaged levels', 'imaging.findingsText': 'Imaging findings',
  'priorTreatments.physiotherapy.done': 'Physiotherapy', 'priorTreatments.physiotherapy.weeks': 'Physiotherapy weeks',
  'priorTreatments.steroidInjections': 'Steroid injections', 'priorTreatments.surgeries': 'Surgeries', 'priorTreatments.other': 'Other treatments',
  medications: 'Medications', 'labs.plateletsKPerUl': 'Platelets', 'labs.haemoglobinGPerDl': 'Haemoglobin', 'labs.takenOn': 'Labs taken on',
  'conditions.cancer': 'Cancer', 'conditions.cancerHaematologicalOrBone': 'Haematological or bone cancer',
};
const ROW_LABELS: Record<string, { row: string; fields: Record<string, string> }> = {
  'imaging.discs': { row: 'Imaged level', fields: { level: 'level', pfirrmannGrade: 'Pfirrmann grade', modicType: 'Modic change', annularFissure: 'annular fissure', contour: 'disc contour', facetArthropathy: 'facet arthropathy' } },
  'priorTreatments.steroidInjections': { row: 'Steroid injection', fields: { on: 'date', site: 'site', level: 'level', side: 'side' } },
  'priorTreatments.surgeries': { row: 'Surgery', fields: { on: 'date', description: 'description', levels: 'levels' } },
  medications: { row: 'Medicine', fields: { class: 'class', name: 'name', ongoing: 'still taking it', lastDoseOn: 'last dose' } },
};

/**
 * The form's name for an API field path, or undefined when the form has no such input.
 * `priorTreatments.steroidInjections[1].on` → `Steroid injection 2: date`; `levels[0]` → `Levels`.
 */
export function assessmentFieldLabel(path: string): string | undefined {
  if (TOP_LABELS[path]) return TOP_LABELS[path];
  const row = /^(.+)\[(\d+)\]\.([a-zA-Z]+)(?:\[\d+\])?$/.exec(path);
  if (row) {
    const spec = ROW_LABELS[row[1]!];
    const field = spec?.fields[row[3]!];
    return spec && field ? `${spec.row} ${Number(row[2]) + 1}: ${field}` : undefined;
  }
  const list = /^(indications|levels)\[\d+\]$/.exec(path);
  if (list) return TOP_LABELS[list[1]!];
  const cond = /^conditions\.([a-zA-Z]+)$/.exec(path);
  if (cond) return CONDITION_LABELS.find(([k]) => k === cond[1])?.[1];
  return undefined;
}

/** Where an error on `path` is shown: list items (`levels[0]`, `surgeries[0].levels[1]`) go to their list's control. */
export function assessmentErrorKey(path: string): string {
  return path.replace(/^(indications|levels)\[\d+\]$/, '$1').replace(/^(priorTreatments\.surgeries\[\d+\]\.levels)\[\d+\]$/, '$1');
}

/** The input a contraindication finding points at (a medicine's finding names the row: its name input), or undefined. */
export function findingInputId(field: string): string | undefined {
  const path = /^medications\[\d+\]$/.test(field) ? `${field}.name` : field;
  return assessmentFieldLabel(path) ? assessmentFieldId(assessmentErrorKey(path)) : undefined;
}

/**
 * A problem document spread over the form: each error on its field (keyed by the API path, which
 * is also what `assessmentFieldId` turns into the input's id), as a sentence with the field's label;
 * whatever names no field of this form goes above it.
 */
export function assessmentProblemErrors(problem: Problem): FormErrors {
  return spreadProblem(problem, (field, message) => {
    const label = assessmentFieldLabel(field);
    // Validator messages are fragments ("must be a valid date"); service and science messages name the raw path.
    const text = message.startsWith(field) ? message.slice(field.length).trim() : message;
    const sentence = label ? sentenceOf(label, text) : `${field} ${text}`;
    return label ? { key: assessmentErrorKey(field), text: sentence } : { key: undefined, text: sentence.endsWith('.') ? sentence : `${sentence}.` };
  });
}

function sentenceOf(label: string, text: string): string {
  if (text === 'is required' || text === 'must not be empty') return `${label} is required.`;
  const body = /^(is |must |should |\()/.test(text) ? `${label} ${text}` : `${label}: ${text}`;
  return body.endsWith('.') ? body : `${body}.`;
}

// Enumerations re-exported for the form, so it reads its options from one place.
export { DISC_CONTOURS, FACET_ARTHROPATHY_GRADES, MEDICATION_CLASSES, MODIC_TYPES, PFIRRMANN_GRADES, SIDES, SPINAL_LEVELS };
