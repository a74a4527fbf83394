/**
 * The preparation record as the lab fills it in, field by field: checks that work on a partial
 * record, pre-filling from a clinic protocol, and one evaluation — metrics, every
 * classification, MIBO reporting completeness and warnings — that the staff app runs live in the
 * browser and the server stores. Both sides call the same function so the screen and the stored
 * record can never disagree.
 */
import { classifyAll, type AllClassifications } from './classifications.js';
import { rpmFromRcf } from './centrifuge.js';
import { requireNumber, ScienceInputError, type ScienceWarning } from './errors.js';
import {
  anaestheticWarning,
  baselinePlateletsWarning,
  preparationMetrics,
  productAgeWarning,
  PRODUCT_AGE_LIMIT_HOURS_DEFAULT,
  requireCount,
  SPIN_TEMPERATURE_RANGE_C,
  type PreparationMetrics,
} from './preparation-metrics.js';
import {
  ACTIVATION_AGENTS,
  ACTIVATION_TIMINGS,
  IMAGING_MODALITIES,
  PREPARATION_FORMS,
  PREPARATION_METHODS,
  type ActivationRecord,
  type BloodCounts,
  type PreparationInput,
  type PreparationRecord,
  type SpinStep,
} from './preparation-types.js';
import { findPrpSystem } from './prp-systems.js';
import { reportingCompleteness, type ReportingCompleteness } from './reporting-completeness.js';
import { formatSignificant } from './units.js';

/**
 * The tube the baseline CBC was counted from. EDTA counts are native; ACD-A or citrate dilute
 * the blood by about a tenth, which lowers the baseline and raises the concentration factor
 * (preparation.md §2: record whether the whole-blood count is native or anticoagulated).
 */
export const SAMPLE_ANTICOAGULANTS = ['edta', 'acd-a', 'sodium-citrate', 'other'] as const;
export type SampleAnticoagulant = (typeof SAMPLE_ANTICOAGULANTS)[number];

/** Swing-out (swinging-bucket) or fixed-angle rotor: record which, beside its radius. */
export const ROTOR_TYPES = ['swing-out', 'fixed-angle'] as const;
export type RotorType = (typeof ROTOR_TYPES)[number];

/** What of a clinic protocol the science needs: spins in × g, the rotor, the anticoagulant ratio. */
export interface PreparationProtocol {
  name: string;
  version: number;
  /** A catalogue entry (`prp-systems.ts`) when the protocol runs a commercial kit. */
  systemId?: string;
  spins: SpinStep[];
  rotor: { radiusCm: number; type: RotorType };
  /** e.g. ACD-A 1 part to 9 parts blood: `{ agent: 'ACD-A', parts: 1, bloodParts: 9 }`. */
  anticoagulant?: { agent: string; parts: number; bloodParts: number };
  activation?: ActivationRecord;
}

/** A stored protocol version as both the server and the lab screen hold it (ids, rpm and nulls included). */
export interface StoredProtocolLike {
  name: string;
  version: number;
  systemId?: string | null;
  spins: readonly { rcf: number; minutes: number; temperatureC?: number }[];
  rotor: { radiusCm: number; type: RotorType };
  anticoagulant?: { agent: string; parts: number; bloodParts: number } | null;
  activation?: ActivationRecord | null;
}

/** The science library's view of a stored protocol version, for checks and pre-filling. */
export function preparationProtocolOf(v: StoredProtocolLike): PreparationProtocol {
  return {
    name: v.name,
    version: v.version,
    ...(v.systemId && { systemId: v.systemId }),
    spins: v.spins.map((s) => ({ rcf: s.rcf, minutes: s.minutes, ...(s.temperatureC !== undefined && { temperatureC: s.temperatureC }) })),
    rotor: v.rotor,
    ...(v.anticoagulant && { anticoagulant: v.anticoagulant }),
    ...(v.activation && { activation: v.activation }),
  };
}

/** A field and what is wrong with it, as a screen shows it inline. */
export interface FieldError {
  field: string;
  message: string;
}

/** A spin with the rotor speed that produces its force on the clinic's centrifuge. */
export interface SpinSetting extends SpinStep {
  rpm: number;
}

// Largest number of spins a protocol may list: double spin plus a wash or two; more is a typo.
export const MAX_SPINS = 4;

/** Runs each check and gathers every `ScienceInputError` instead of stopping at the first. */
function gather(checks: (() => unknown)[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ScienceInputError)) throw error;
      errors.push({ field: error.field, message: error.message });
    }
  }
  return errors;
}

function requireOneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (value !== undefined && !(typeof value === 'string' && allowed.includes(value))) {
    throw new ScienceInputError(field, `one of ${allowed.join(', ')}`);
  }
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new ScienceInputError(field, 'non-empty text');
}

function spinChecks(spins: readonly Partial<SpinStep>[], prefix = 'spins', { complete }: { complete: boolean }): (() => unknown)[] {
  const checks: (() => unknown)[] = [];
  if (spins.length > MAX_SPINS) checks.push(() => { throw new ScienceInputError(prefix, `at most ${MAX_SPINS} spins`); });
  spins.forEach((spin, index) => {
    const path = `${prefix}[${index}]`;
    if (complete || spin.rcf !== undefined) checks.push(() => requireNumber(spin.rcf, `${path}.rcf`, { min: 0, minExclusive: true }));
    if (complete || spin.minutes !== undefined) checks.push(() => requireNumber(spin.minutes, `${path}.minutes`, { min: 0, minExclusive: true }));
    if (spin.temperatureC !== undefined) checks.push(() => requireNumber(spin.temperatureC, `${path}.temperatureC`, SPIN_TEMPERATURE_RANGE_C));
  });
  return checks;
}

/**
 * Every problem with a clinic protocol, each naming its field (`spins[1].rcf`,
 * `rotor.radiusCm`, `anticoagulant.bloodParts`, `systemId`). Empty when the protocol is usable.
 */
export function protocolErrors(protocol: PreparationProtocol): FieldError[] {
  const checks: (() => unknown)[] = [
    () => requireText(protocol.name, 'name'),
    () => {
      if (!Array.isArray(protocol.spins) || protocol.spins.length === 0) throw new ScienceInputError('spins', 'at least one spin');
    },
    () => requireNumber(protocol.rotor?.radiusCm, 'rotor.radiusCm', { min: 0, minExclusive: true }),
    () => requireOneOf(protocol.rotor?.type, 'rotor.type', ROTOR_TYPES),
  ];
  if (Array.isArray(protocol.spins)) checks.push(...spinChecks(protocol.spins, 'spins', { complete: true }));
  if (protocol.anticoagulant !== undefined) {
    checks.push(
      () => requireText(protocol.anticoagulant?.agent, 'anticoagulant.agent'),
      () => requireNumber(protocol.anticoagulant?.parts, 'anticoagulant.parts', { min: 0, minExclusive: true }),
      () => requireNumber(protocol.anticoagulant?.bloodParts, 'anticoagulant.bloodParts', { min: 0, minExclusive: true }),
    );
  }
  if (protocol.systemId !== undefined) {
    checks.push(() => {
      if (!findPrpSystem(protocol.systemId!)) throw new ScienceInputError('systemId', 'the id of a system in the catalogue', `systemId "${protocol.systemId}" is not in the catalogue of PRP systems.`);
    });
  }
  if (protocol.activation !== undefined) checks.push(() => requireOneOf(protocol.activation?.agent, 'activation.agent', ACTIVATION_AGENTS));
  return gather(checks);
}

/**
 * The rpm to set on the clinic's centrifuge for each spin of a protocol, from its × g and the
 * rotor radius (Dhurat 2014: protocols travel in × g; rpm is local to a rotor). Rounded to whole rpm.
 */
export function protocolSpinSettings(spins: readonly SpinStep[], radiusCm: number): SpinSetting[] {
  return spins.map((spin) => ({ ...spin, rpm: Math.round(rpmFromRcf(spin.rcf, radiusCm)) }));
}

/** Protocol label used as the MIBO "manual protocol followed" entry, e.g. "Double spin v3". */
export function protocolLabel(protocol: Pick<PreparationProtocol, 'name' | 'version'>): string {
  return `${protocol.name} v${protocol.version}`;
}

/**
 * The record with what the protocol says filled in where the record says nothing: spins,
 * anticoagulant (volume from the protocol's ratio and the blood drawn), method, system or
 * protocol name, and activation. Measured values (volumes drawn and obtained, counts) are never
 * filled in: the lab must enter what actually happened. Pure: returns a new record.
 */
export function prefillFromProtocol(record: PreparationRecord, protocol: PreparationProtocol): PreparationRecord {
  const next: PreparationRecord = { ...record };
  if (next.spins === undefined || next.spins.length === 0) next.spins = protocol.spins.map((spin) => ({ ...spin }));
  if (protocol.anticoagulant) {
    const { agent, parts, bloodParts } = protocol.anticoagulant;
    const anticoagulant = { ...next.anticoagulant };
    if (anticoagulant.agent === undefined) anticoagulant.agent = agent;
    const drawnMl = next.wholeBlood?.volumeMl;
    if (anticoagulant.volumeMl === undefined && anticoagulant.agent === agent && drawnMl !== undefined && drawnMl > 0) {
      // Anticoagulant volume = blood drawn × parts ÷ blood parts (ACD-A 1:9: 27 mL blood → 3 mL), to 0.1 mL.
      anticoagulant.volumeMl = Math.round(((drawnMl * parts) / bloodParts) * 10) / 10;
    }
    next.anticoagulant = anticoagulant;
  }
  const system = protocol.systemId === undefined ? undefined : findPrpSystem(protocol.systemId);
  if (next.method === undefined) next.method = system ? 'device' : 'manual';
  next.system = { ...next.system };
  if (next.system.name === undefined && system) next.system.name = system.name;
  if (next.system.protocol === undefined) next.system.protocol = protocolLabel(protocol);
  if (next.activation === undefined && protocol.activation) next.activation = { ...protocol.activation };
  return next;
}

/** The four values every metric needs. */
export const METRIC_INPUT_FIELDS = ['wholeBlood.plateletsKPerUl', 'wholeBlood.volumeMl', 'prp.plateletsKPerUl', 'prp.volumeMl'] as const;

/**
 * The record as the metrics and classifications take it, or null with the missing fields when
 * the record does not yet hold the four values every metric needs. Parts the science functions
 * would reject as incomplete (an anticoagulant without volume, a spin without minutes) are left out.
 */
export function toPreparationInput(record: PreparationRecord): { input: PreparationInput | null; missing: string[] } {
  const wb = record.wholeBlood ?? {};
  const prp = record.prp ?? {};
  const missing = METRIC_INPUT_FIELDS.filter((path) => {
    const [sample, key] = path.split('.') as ['wholeBlood' | 'prp', 'plateletsKPerUl' | 'volumeMl'];
    return (sample === 'wholeBlood' ? wb : prp)[key] === undefined;
  });
  if (missing.length > 0) return { input: null, missing: [...missing] };
  const counts = (sample: Partial<BloodCounts & { volumeMl: number }>) => ({
    plateletsKPerUl: sample.plateletsKPerUl!,
    volumeMl: sample.volumeMl!,
    ...(sample.wbcKPerUl !== undefined && { wbcKPerUl: sample.wbcKPerUl }),
    ...(sample.neutrophilsKPerUl !== undefined && { neutrophilsKPerUl: sample.neutrophilsKPerUl }),
    ...(sample.rbcMPerUl !== undefined && { rbcMPerUl: sample.rbcMPerUl }),
    ...(sample.hematocritPct !== undefined && { hematocritPct: sample.hematocritPct }),
  });
  const input: PreparationInput = { wholeBlood: counts(wb), prp: counts(prp) };
  if (record.injectedVolumeMl !== undefined) input.injectedVolumeMl = record.injectedVolumeMl;
  if (record.anticoagulant?.agent !== undefined && record.anticoagulant.volumeMl !== undefined) {
    input.anticoagulant = { agent: record.anticoagulant.agent, volumeMl: record.anticoagulant.volumeMl };
  }
  if (record.activation?.agent !== undefined) {
    input.activation = { agent: record.activation.agent, ...(record.activation.detail !== undefined && { detail: record.activation.detail }) };
  }
  if (record.spins !== undefined && record.spins.length > 0 && record.spins.every((s) => s.rcf !== undefined && s.minutes !== undefined)) {
    input.spins = record.spins.map((s) => ({ rcf: s.rcf!, minutes: s.minutes!, ...(s.temperatureC !== undefined && { temperatureC: s.temperatureC }) }));
  }
  if (record.method !== undefined) input.method = record.method;
  if (record.form !== undefined) input.form = record.form;
  if (record.imageGuided !== undefined) input.imageGuided = record.imageGuided;
  return { input, missing: [] };
}

/**
 * Checks whatever a partial record holds, the same way the metrics will once it is complete:
 * counts (including a count in the wrong unit, with the conversion in the message), volumes
 * (PRP no more than blood + anticoagulant, injected no more than PRP), spins, and the fixed
 * lists. Returns every error at once, and the warnings for unusual values.
 */
export function checkPreparationRecord(record: PreparationRecord): { errors: FieldError[]; warnings: ScienceWarning[] } {
  const warnings: ScienceWarning[] = [];
  const checks: (() => unknown)[] = [];
  const wb = record.wholeBlood ?? {};
  const prp = record.prp ?? {};

  for (const [prefix, counts] of [['wholeBlood', wb], ['prp', prp]] as const) {
    // Positivity as in the metrics: platelets divide (both samples), whole-blood white cells divide the leukocyte factor.
    if (counts.plateletsKPerUl !== undefined) checks.push(() => requireCount(counts.plateletsKPerUl, `${prefix}.plateletsKPerUl`, true, warnings));
    if (counts.wbcKPerUl !== undefined) checks.push(() => requireCount(counts.wbcKPerUl, `${prefix}.wbcKPerUl`, prefix === 'wholeBlood', warnings));
    if (counts.neutrophilsKPerUl !== undefined) {
      checks.push(() => {
        const neutrophils = requireCount(counts.neutrophilsKPerUl, `${prefix}.neutrophilsKPerUl`, false, warnings);
        if (typeof counts.wbcKPerUl === 'number' && neutrophils > counts.wbcKPerUl) {
          throw new ScienceInputError(
            `${prefix}.neutrophilsKPerUl`,
            `at most ${prefix}.wbcKPerUl (${formatSignificant(counts.wbcKPerUl)})`,
            `${prefix}.neutrophilsKPerUl (${formatSignificant(neutrophils)}) cannot exceed the white-cell count ${prefix}.wbcKPerUl (${formatSignificant(counts.wbcKPerUl)}): neutrophils are white cells.`,
          );
        }
      });
    }
    if (counts.rbcMPerUl !== undefined) checks.push(() => requireCount(counts.rbcMPerUl, `${prefix}.rbcMPerUl`, false, warnings));
    if (counts.hematocritPct !== undefined) checks.push(() => requireCount(counts.hematocritPct, `${prefix}.hematocritPct`, false, warnings));
  }

  const wbOk = typeof wb.volumeMl === 'number' && Number.isFinite(wb.volumeMl) && wb.volumeMl > 0;
  if (wb.volumeMl !== undefined) checks.push(() => requireNumber(wb.volumeMl, 'wholeBlood.volumeMl', { min: 0, minExclusive: true }));
  const anticoagulantMl = record.anticoagulant?.volumeMl;
  if (record.anticoagulant?.agent !== undefined) checks.push(() => requireText(record.anticoagulant?.agent, 'anticoagulant.agent'));
  if (anticoagulantMl !== undefined) checks.push(() => requireNumber(anticoagulantMl, 'anticoagulant.volumeMl', { min: 0 }));
  if (prp.volumeMl !== undefined) {
    checks.push(() => {
      // The PRP is drawn out of the anticoagulated blood, so it can never exceed blood + anticoagulant.
      // As in the metrics, the anticoagulant counts once it is named (agent and volume).
      const acMl = record.anticoagulant?.agent !== undefined && typeof anticoagulantMl === 'number' && anticoagulantMl > 0 ? anticoagulantMl : 0;
      const max = wbOk ? wb.volumeMl! + acMl : undefined;
      requireNumber(prp.volumeMl, 'prp.volumeMl', { min: 0, minExclusive: true, ...(max !== undefined && { max }) });
    });
  }
  if (record.injectedVolumeMl !== undefined) {
    checks.push(() => {
      const max = typeof prp.volumeMl === 'number' && prp.volumeMl > 0 ? prp.volumeMl : undefined;
      requireNumber(record.injectedVolumeMl, 'injectedVolumeMl', { min: 0, minExclusive: true, ...(max !== undefined && { max }) });
    });
  }
  if (record.spins !== undefined) {
    checks.push(() => {
      if (!Array.isArray(record.spins)) throw new ScienceInputError('spins', 'a list of spins');
    });
    if (Array.isArray(record.spins)) checks.push(...spinChecks(record.spins, 'spins', { complete: false }));
  }
  if (record.activation !== undefined) {
    checks.push(() => requireOneOf(record.activation?.agent, 'activation.agent', ACTIVATION_AGENTS));
    checks.push(() => requireOneOf(record.activation?.timing, 'activation.timing', ACTIVATION_TIMINGS));
    if (record.activation.minutesBeforeInjection !== undefined) {
      checks.push(() => requireNumber(record.activation?.minutesBeforeInjection, 'activation.minutesBeforeInjection', { min: 0 }));
    }
  }
  checks.push(
    () => requireOneOf(record.method, 'method', PREPARATION_METHODS),
    () => requireOneOf(record.form, 'form', PREPARATION_FORMS),
    () => requireOneOf(record.imagingModality, 'imagingModality', IMAGING_MODALITIES),
  );
  if (record.localAnaesthetic?.volumeMl !== undefined) checks.push(() => requireNumber(record.localAnaesthetic?.volumeMl, 'localAnaesthetic.volumeMl', { min: 0 }));
  if (record.injections?.count !== undefined) {
    checks.push(() => {
      requireNumber(record.injections?.count, 'injections.count', { min: 1 });
      if (!Number.isInteger(record.injections?.count)) throw new ScienceInputError('injections.count', 'a whole number');
    });
  }
  if (record.injections?.intervalDays !== undefined) checks.push(() => requireNumber(record.injections?.intervalDays, 'injections.intervalDays', { min: 0 }));

  const errors = gather(checks);
  if (typeof wb.plateletsKPerUl === 'number' && !errors.some((e) => e.field === 'wholeBlood.plateletsKPerUl')) {
    const baseline = baselinePlateletsWarning(wb.plateletsKPerUl);
    if (baseline) warnings.push(baseline);
  }
  return { errors, warnings };
}

/** Instants the evaluation needs, passed in so the function stays pure (epoch milliseconds). */
export interface EvaluationContext {
  drawnAtMs?: number;
  /** When the product was used (injected) or, failing that, prepared: its age is counted to here. */
  productAtMs?: number;
  /** The record field `productAtMs` came from, for the warning (`injectedAt`, `preparedAt`). */
  productAtField?: string;
  /** The clinic's limit from draw to use; default 4 h (`PRODUCT_AGE_LIMIT_HOURS_DEFAULT`). */
  productAgeLimitHours?: number;
}

export type MetricValues = Omit<PreparationMetrics, 'warnings'>;

/** Everything computed from one record. */
export interface PreparationEvaluation {
  /** Every field that cannot be right; when not empty, nothing below is to be trusted or saved. */
  errors: FieldError[];
  warnings: ScienceWarning[];
  /** Which of the four values the metrics need are still missing (metrics are null until none are). */
  missingForMetrics: string[];
  metrics: MetricValues | null;
  classifications: AllClassifications | null;
  completeness: ReportingCompleteness;
  /** Hours from draw to use (or preparation), when both are known. */
  productAgeHours: number | null;
  productAgeLimitHours: number;
}

/**
 * Evaluates a (possibly partial) preparation record: checks it, computes the metrics and all six
 * classifications once the four core values are present, scores MIBO reporting completeness,
 * and gathers the warnings a technician must see — implausible counts, concentration factor
 * below 1, an anaesthetic mixed into the PRP (bupivacaine always), product older than the limit.
 */
export function evaluatePreparation(record: PreparationRecord, context: EvaluationContext = {}): PreparationEvaluation {
  const limitHours = context.productAgeLimitHours ?? PRODUCT_AGE_LIMIT_HOURS_DEFAULT;
  const checked = checkPreparationRecord(record);
  const errors = [...checked.errors];
  const warnings = [...checked.warnings];
  const { input, missing } = toPreparationInput(record);

  let metrics: MetricValues | null = null;
  let classifications: AllClassifications | null = null;
  if (input !== null && errors.length === 0) {
    try {
      const { warnings: metricWarnings, ...values } = preparationMetrics(input);
      metrics = values;
      warnings.push(...metricWarnings);
      classifications = classifyAll(input);
    } catch (error) {
      if (!(error instanceof ScienceInputError)) throw error;
      errors.push({ field: error.field, message: error.message });
    }
  }

  const anaesthetic = record.localAnaesthetic;
  if (anaesthetic?.agent !== undefined && anaesthetic.mixedWithPrp !== false) {
    const prpMl = record.prp?.volumeMl;
    const ratio = anaesthetic.volumeMl !== undefined && prpMl !== undefined && prpMl > 0 ? anaesthetic.volumeMl / prpMl : undefined;
    const warning = anaestheticWarning(anaesthetic.agent, ratio === undefined ? {} : { volumeRatioToPrp: ratio });
    if (warning) warnings.push({ ...warning, field: warning.field === 'volumeRatioToPrp' ? 'localAnaesthetic.volumeMl' : warning.field });
  }

  let productAgeHours: number | null = null;
  const { drawnAtMs, productAtMs } = context;
  if (drawnAtMs !== undefined && productAtMs !== undefined) {
    const field = context.productAtField ?? 'preparedAt';
    if (productAtMs < drawnAtMs) {
      errors.push({ field, message: `${field} is before the blood was drawn.` });
    } else {
      productAgeHours = (productAtMs - drawnAtMs) / 3_600_000;
      const warning = productAgeWarning(drawnAtMs, productAtMs, limitHours);
      if (warning) warnings.push({ ...warning, field });
    }
  }

  return {
    errors,
    warnings: dedupe(warnings),
    missingForMetrics: missing,
    metrics: errors.length === 0 ? metrics : null,
    classifications: errors.length === 0 ? classifications : null,
    completeness: reportingCompleteness(record),
    productAgeHours,
    productAgeLimitHours: limitHours,
  };
}

function dedupe(warnings: ScienceWarning[]): ScienceWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.code}|${w.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
