/**
 * A clinician's assessment of a patient for PRP: what the contraindication engine reads.
 * Structured where a rule or an outcome analysis needs the value; free text beside it.
 */
import { ScienceInputError, requireNumber } from './errors.js';
import { requireIsoDate } from './follow-up-schedule-calendar.js';
import { INDICATION_CODES, type IndicationCode } from './indications.js';

/** Lumbar motion segments, cranial to caudal. */
export const SPINAL_LEVELS = ['L1/L2', 'L2/L3', 'L3/L4', 'L4/L5', 'L5/S1'] as const;
export type SpinalLevel = (typeof SPINAL_LEVELS)[number];

export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
export type Side = (typeof SIDES)[number];

export const IMAGING_STUDIES = ['mri', 'ct', 'x-ray', 'other'] as const;
export type ImagingStudy = (typeof IMAGING_STUDIES)[number];

// Pfirrmann grades I–V of lumbar disc degeneration on T2-weighted MRI (Pfirrmann 2001, Spine 26(17):1873) [V].
export const PFIRRMANN_GRADES = [1, 2, 3, 4, 5] as const;
export type PfirrmannGrade = (typeof PFIRRMANN_GRADES)[number];

// Modic endplate marrow changes, types 1–3 (Modic 1988, Radiology) [V: three types]; 0 = none seen.
export const MODIC_TYPES = [0, 1, 2, 3] as const;
export type ModicType = (typeof MODIC_TYPES)[number];

export const FACET_ARTHROPATHY_GRADES = ['none', 'mild', 'moderate', 'severe'] as const;
export type FacetArthropathyGrade = (typeof FACET_ARTHROPATHY_GRADES)[number];

// Disc contour, after the lumbar disc nomenclature (Fardon 2014, Spine J, "Lumbar disc nomenclature 2.0") [M].
export const DISC_CONTOURS = ['normal', 'bulge', 'protrusion', 'extrusion', 'sequestration'] as const;
export type DiscContour = (typeof DISC_CONTOURS)[number];

export const MEDICATION_CLASSES = ['anticoagulant', 'antiplatelet', 'nsaid', 'systemic-steroid'] as const;
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];

export const CANCER_STATUSES = ['none', 'history', 'active'] as const;
export type CancerStatus = (typeof CANCER_STATUSES)[number];

export interface DiscFinding {
  level: SpinalLevel;
  pfirrmannGrade?: PfirrmannGrade | null;
  modicType?: ModicType | null;
  annularFissure?: boolean | null;
  contour?: DiscContour | null;
  facetArthropathy?: FacetArthropathyGrade | null;
}

export interface ImagingFindings {
  study: ImagingStudy;
  performedOn?: string | null;
  discs: DiscFinding[];
  findingsText?: string | null;
}

export interface SteroidInjection {
  on: string;
  /** Where it went, in the clinician's words ("L4/L5 right facet"). */
  site: string;
  level?: SpinalLevel | null;
  side?: Side | null;
}

export interface SpineSurgery {
  on?: string | null;
  description: string;
  levels?: SpinalLevel[];
}

export interface PriorTreatments {
  physiotherapy: { done: boolean; weeks?: number | null };
  steroidInjections: SteroidInjection[];
  surgeries: SpineSurgery[];
  other?: string | null;
}

/** One medicine of a class the rules care about. `ongoing` = still taking it. */
export interface Medication {
  class: MedicationClass;
  name: string;
  ongoing: boolean;
  /** The last dose taken (or planned, for a medicine being stopped). */
  lastDoseOn?: string | null;
}

export interface Labs {
  plateletsKPerUl?: number | null;
  haemoglobinGPerDl?: number | null;
  takenOn?: string | null;
}

export interface Conditions {
  activeSystemicInfection: boolean;
  infectionNearSite: boolean;
  /** A bleeding disorder, including a platelet dysfunction syndrome. */
  bleedingDisorder: boolean;
  haemodynamicInstability: boolean;
  recentFeverOrIllness: boolean;
  cancer: CancerStatus;
  /** Haematological cancer, or cancer in or spread to bone. */
  cancerHaematologicalOrBone?: boolean;
  pregnant: boolean;
  breastfeeding: boolean;
  tobaccoUse: boolean;
  contrastAllergy: boolean;
  inflammatoryArthritis: boolean;
}

export interface Assessment {
  indications: IndicationCode[];
  levels: SpinalLevel[];
  side?: Side | null;
  painDurationMonths?: number | null;
  imaging?: ImagingFindings | null;
  priorTreatments: PriorTreatments;
  medications: Medication[];
  labs: Labs;
  conditions: Conditions;
  notes?: string | null;
}

function oneOf<T>(values: readonly T[], value: unknown, field: string): T {
  if (!(values as readonly unknown[]).includes(value)) throw new ScienceInputError(field, `one of ${values.join(', ')}`);
  return value as T;
}

function optionalDate(value: unknown, field: string): void {
  if (value !== undefined && value !== null) requireIsoDate(value, field);
}

/**
 * Checks what types cannot: enumerations, ranges, real calendar dates, unique levels.
 * @throws ScienceInputError naming the first impossible field (e.g. `imaging.discs[0].pfirrmannGrade`)
 */
export function checkAssessment(a: Assessment): void {
  if (!Array.isArray(a.indications) || a.indications.length === 0) throw new ScienceInputError('indications', 'at least one indication');
  a.indications.forEach((code, i) => oneOf(INDICATION_CODES, code, `indications[${i}]`));
  if (new Set(a.indications).size !== a.indications.length) throw new ScienceInputError('indications', 'each indication once');
  a.levels.forEach((level, i) => oneOf(SPINAL_LEVELS, level, `levels[${i}]`));
  if (new Set(a.levels).size !== a.levels.length) throw new ScienceInputError('levels', 'each level once');
  if (a.side !== undefined && a.side !== null) oneOf(SIDES, a.side, 'side');
  if (a.painDurationMonths !== undefined && a.painDurationMonths !== null) requireNumber(a.painDurationMonths, 'painDurationMonths', { min: 0, max: 1200 });
  if (a.imaging) {
    oneOf(IMAGING_STUDIES, a.imaging.study, 'imaging.study');
    optionalDate(a.imaging.performedOn, 'imaging.performedOn');
    const seen = new Set<string>();
    a.imaging.discs.forEach((d, i) => {
      const at = `imaging.discs[${i}]`;
      oneOf(SPINAL_LEVELS, d.level, `${at}.level`);
      if (seen.has(d.level)) throw new ScienceInputError(`${at}.level`, 'each level once');
      seen.add(d.level);
      if (d.pfirrmannGrade !== undefined && d.pfirrmannGrade !== null) oneOf(PFIRRMANN_GRADES, d.pfirrmannGrade, `${at}.pfirrmannGrade`);
      if (d.modicType !== undefined && d.modicType !== null) oneOf(MODIC_TYPES, d.modicType, `${at}.modicType`);
      if (d.contour !== undefined && d.contour !== null) oneOf(DISC_CONTOURS, d.contour, `${at}.contour`);
      if (d.facetArthropathy !== undefined && d.facetArthropathy !== null) oneOf(FACET_ARTHROPATHY_GRADES, d.facetArthropathy, `${at}.facetArthropathy`);
    });
  }
  const p = a.priorTreatments;
  if (p.physiotherapy.weeks !== undefined && p.physiotherapy.weeks !== null) requireNumber(p.physiotherapy.weeks, 'priorTreatments.physiotherapy.weeks', { min: 0, max: 520 });
  p.steroidInjections.forEach((s, i) => {
    requireIsoDate(s.on, `priorTreatments.steroidInjections[${i}].on`);
    if (s.level !== undefined && s.level !== null) oneOf(SPINAL_LEVELS, s.level, `priorTreatments.steroidInjections[${i}].level`);
    if (s.side !== undefined && s.side !== null) oneOf(SIDES, s.side, `priorTreatments.steroidInjections[${i}].side`);
  });
  p.surgeries.forEach((s, i) => {
    optionalDate(s.on, `priorTreatments.surgeries[${i}].on`);
    (s.levels ?? []).forEach((level, j) => oneOf(SPINAL_LEVELS, level, `priorTreatments.surgeries[${i}].levels[${j}]`));
  });
  a.medications.forEach((m, i) => {
    oneOf(MEDICATION_CLASSES, m.class, `medications[${i}].class`);
    optionalDate(m.lastDoseOn, `medications[${i}].lastDoseOn`);
    if (!m.ongoing && !m.lastDoseOn) throw new ScienceInputError(`medications[${i}].lastDoseOn`, 'the date of the last dose when the medicine is no longer taken');
  });
  // Plausible, not normal, ranges: a value outside them is a typo or a unit slip (g/L for g/dL).
  if (a.labs.plateletsKPerUl !== undefined && a.labs.plateletsKPerUl !== null) requireNumber(a.labs.plateletsKPerUl, 'labs.plateletsKPerUl', { min: 0, max: 2000 });
  if (a.labs.haemoglobinGPerDl !== undefined && a.labs.haemoglobinGPerDl !== null) requireNumber(a.labs.haemoglobinGPerDl, 'labs.haemoglobinGPerDl', { min: 1, max: 25 });
  optionalDate(a.labs.takenOn, 'labs.takenOn');
  oneOf(CANCER_STATUSES, a.conditions.cancer, 'conditions.cancer');
}
