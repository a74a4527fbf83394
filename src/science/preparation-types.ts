/**
 * Shapes of a PRP preparation as the science library sees it.
 *
 * Units are part of every numeric name: platelets, white cells and neutrophils in 10³/µL
 * (= 10⁹/L), red cells in 10⁶/µL (= 10¹²/L), haematocrit in %, volumes in mL, force in × g.
 * The helpers in `units.ts` convert from the units analysers and papers also use.
 */

/** Exogenous activation agents Autolog records; `none` means the PRP was injected unactivated. */
export const ACTIVATION_AGENTS = [
  'none',
  'calcium-chloride',
  'calcium-gluconate',
  'thrombin',
  'autologous-thrombin',
  'light',
  'other',
] as const;
export type ActivationAgent = (typeof ACTIVATION_AGENTS)[number];

/** `manual` = tubes and a lab centrifuge ("handmade"); `device` = a commercial closed system. */
export const PREPARATION_METHODS = ['manual', 'device'] as const;
export type PreparationMethod = (typeof PREPARATION_METHODS)[number];

/** Physical form of the product at delivery (fibrin = platelet-rich fibrin, a dense clot). */
export const PREPARATION_FORMS = ['liquid', 'gel', 'fibrin'] as const;
export type PreparationForm = (typeof PREPARATION_FORMS)[number];

/** When an exogenous activator met the PRP, for the reporting record. */
export const ACTIVATION_TIMINGS = ['before-injection', 'at-injection', 'in-situ'] as const;
export type ActivationTiming = (typeof ACTIVATION_TIMINGS)[number];

export const IMAGING_MODALITIES = ['fluoroscopy', 'ultrasound', 'ct', 'other'] as const;
export type ImagingModality = (typeof IMAGING_MODALITIES)[number];

/** A complete blood count, as far as it was measured. Only platelets are always required. */
export interface BloodCounts {
  plateletsKPerUl: number;
  wbcKPerUl?: number;
  neutrophilsKPerUl?: number;
  rbcMPerUl?: number;
  hematocritPct?: number;
}

/** One centrifugation step, recorded in × g (never rpm: see `centrifuge.ts`). */
export interface SpinStep {
  rcf: number;
  minutes: number;
  temperatureC?: number;
}

export interface ActivationRecord {
  agent: ActivationAgent;
  detail?: string;
}

/** What the metrics and classification functions need to know about one preparation. */
export interface PreparationInput {
  /** Blood drawn, anticoagulant excluded. */
  wholeBlood: BloodCounts & { volumeMl: number };
  /** The final product. */
  prp: BloodCounts & { volumeMl: number };
  /** Defaults to `prp.volumeMl`. */
  injectedVolumeMl?: number;
  anticoagulant?: { agent: string; volumeMl: number };
  activation?: ActivationRecord;
  spins?: SpinStep[];
  method?: PreparationMethod;
  form?: PreparationForm;
  imageGuided?: boolean;
}

/**
 * Everything a clinic should write down about one PRP treatment, following the MIBO checklist
 * (Murray 2017, JBJS Am 99:809). A superset of {@link PreparationInput} in which every field is
 * optional, because the point of the record is to find out what is still missing.
 */
export interface PreparationRecord {
  wholeBlood?: Partial<BloodCounts & { volumeMl: number }>;
  prp?: Partial<BloodCounts & { volumeMl: number }>;
  injectedVolumeMl?: number;
  anticoagulant?: { agent?: string; volumeMl?: number };
  activation?: {
    agent?: ActivationAgent;
    detail?: string;
    timing?: ActivationTiming;
    minutesBeforeInjection?: number;
  };
  spins?: Partial<SpinStep>[];
  method?: PreparationMethod;
  form?: PreparationForm;
  imageGuided?: boolean;
  imagingModality?: ImagingModality;
  /** A commercial kit by name, or a reference to the clinic's written manual protocol. */
  system?: { name?: string; protocol?: string };
  /** Planned or given injections in this course, and the days between them. */
  injections?: { count?: number; intervalDays?: number };
  /** Target structure, e.g. "L4-L5 disc" or "right SI joint". */
  site?: string;
  /** `agent: 'none'` records that no local anaesthetic was used; `volumeMl` is what was mixed in. */
  localAnaesthetic?: { agent?: string; mixedWithPrp?: boolean; volumeMl?: number };
  /** Medication that could change the outcome (e.g. NSAIDs), or "none". */
  concomitantMedication?: string;
  /** Post-injection rehabilitation protocol, or "none". */
  rehabilitation?: string;
  /** Identifiers of the validated instruments used to follow the patient (e.g. "odi", "nrs"). */
  outcomeMeasures?: string[];
}

/** True when `value` is one of the activation agents above (for data arriving as JSON). */
export function isActivationAgent(value: unknown): value is ActivationAgent {
  return typeof value === 'string' && (ACTIVATION_AGENTS as readonly string[]).includes(value);
}
