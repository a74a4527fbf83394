/**
 * Quantities computed from one PRP preparation (concentration factor, platelet dose, recovery,
 * leukocyte factor, purity), the checks that reject impossible input, and the handling warnings
 * (baseline count, anaesthetic mixed in, product age).
 *
 * Formulas and thresholds come from /shared/domain/preparation.md; each names its source.
 */
import { requireNumber, ScienceInputError, type ScienceWarning } from './errors.js';
import {
  ACTIVATION_AGENTS,
  isActivationAgent,
  PREPARATION_FORMS,
  PREPARATION_METHODS,
  type BloodCounts,
  type PreparationInput,
} from './preparation-types.js';
import { countFieldName, formatSignificant, kPerUlToCellsPerUl, mPerUlToCellsPerUl, PLAUSIBLE_COUNT_MAX, suspectWrongUnit, unitSuspicionWarning } from './units.js';

// Relative contraindication below 100 × 10³/µL: Le 2018, Medscape (PRP kit labelling).
export const BASELINE_PLATELETS_LOW_K_PER_UL = 100;
// Autolog plausibility bound, well above the 150–450 normal range (Fitzpatrick 2017, OJSM); no paper sets 600.
export const BASELINE_PLATELETS_HIGH_K_PER_UL = 600;
// Whole blood and PRP kept up to 4 h at room temperature showed no growth-factor change
// (Wilson, Cole, Goodale & Fortier 2018, Am J Orthop, doi:10.12788/ajo.2018.0022).
export const PRODUCT_AGE_LIMIT_HOURS_DEFAULT = 4;
// Autolog plausibility bound for a centrifuge chamber (refrigerated 4 °C to warm 37 °C protocols fit inside).
export const SPIN_TEMPERATURE_RANGE_C = { min: 0, max: 40 } as const;

/** Result of {@link preparationMetrics}. Optional members are present only when their counts are. */
export interface PreparationMetrics {
  /** PRP platelets ÷ whole-blood platelets ("fold", "× baseline"). */
  concentrationFactor: number;
  /** Platelets injected, in 10⁹ (DEPA "dose"). */
  plateletDoseBillion: number;
  /** Share of the drawn platelets that ended up in the PRP, in % (DEPA "efficiency"). */
  recoveryPercent: number;
  /** PRP white cells ÷ whole-blood white cells; needs both WBC counts. */
  leukocyteFactor?: number;
  /** Platelets as % of all platelets + white + red cells in the PRP (DEPA "purity"); needs PRP WBC and RBC. */
  purityPercent?: number;
  warnings: ScienceWarning[];
}

/** A validated preparation with the injected volume resolved and the warnings found while checking. */
export interface CheckedPreparation {
  input: PreparationInput;
  injectedVolumeMl: number;
  warnings: ScienceWarning[];
}

/**
 * Validates a preparation and returns it with the injected volume resolved. Throws
 * `ScienceInputError` naming the field path and allowed range for anything that cannot be right:
 * NaN, negative or zero counts that a ratio divides by, counts in an impossible unit (with the
 * likely unit in the message), PRP volume above the blood drawn plus anticoagulant, injected
 * volume above the PRP volume, spin time or force ≤ 0, unknown activation agents.
 *
 * Returns warnings for values that are possible but unusual (baseline platelets outside
 * 100–600 × 10³/µL, a count that looks like another unit).
 */
export function checkPreparationInput(input: PreparationInput): CheckedPreparation {
  const warnings: ScienceWarning[] = [];
  requireObject(input, 'input');
  requireObject(input.wholeBlood, 'wholeBlood');
  requireObject(input.prp, 'prp');

  checkCounts(input.wholeBlood, 'wholeBlood', warnings);
  checkCounts(input.prp, 'prp', warnings);

  let anticoagulantMl = 0;
  if (input.anticoagulant !== undefined) {
    requireObject(input.anticoagulant, 'anticoagulant');
    requireText(input.anticoagulant.agent, 'anticoagulant.agent');
    anticoagulantMl = requireNumber(input.anticoagulant.volumeMl, 'anticoagulant.volumeMl', { min: 0 });
  }

  const wholeBloodMl = requireNumber(input.wholeBlood.volumeMl, 'wholeBlood.volumeMl', { min: 0, minExclusive: true });
  // The PRP is drawn out of the anticoagulated blood, so it can never exceed blood + anticoagulant.
  const maxPrpMl = wholeBloodMl + anticoagulantMl;
  const prpMl = requireNumber(input.prp.volumeMl, 'prp.volumeMl', { min: 0, minExclusive: true, max: maxPrpMl });
  const injectedVolumeMl =
    input.injectedVolumeMl === undefined
      ? prpMl
      : requireNumber(input.injectedVolumeMl, 'injectedVolumeMl', { min: 0, minExclusive: true, max: prpMl });

  if (input.activation !== undefined) {
    requireObject(input.activation, 'activation');
    if (!isActivationAgent(input.activation.agent)) {
      throw new ScienceInputError('activation.agent', `one of ${ACTIVATION_AGENTS.join(', ')}`);
    }
    if (input.activation.detail !== undefined && typeof input.activation.detail !== 'string') {
      throw new ScienceInputError('activation.detail', 'text');
    }
  }

  if (input.spins !== undefined) {
    if (!Array.isArray(input.spins)) throw new ScienceInputError('spins', 'a list of spins');
    input.spins.forEach((spin, index) => {
      const path = `spins[${index}]`;
      requireObject(spin, path);
      requireNumber(spin.rcf, `${path}.rcf`, { min: 0, minExclusive: true });
      requireNumber(spin.minutes, `${path}.minutes`, { min: 0, minExclusive: true });
      if (spin.temperatureC !== undefined) requireNumber(spin.temperatureC, `${path}.temperatureC`, SPIN_TEMPERATURE_RANGE_C);
    });
  }

  requireOneOf(input.method, 'method', PREPARATION_METHODS);
  requireOneOf(input.form, 'form', PREPARATION_FORMS);
  if (input.imageGuided !== undefined && typeof input.imageGuided !== 'boolean') {
    throw new ScienceInputError('imageGuided', 'true or false');
  }

  const baselineWarning = baselinePlateletsWarning(input.wholeBlood.plateletsKPerUl);
  if (baselineWarning) warnings.push(baselineWarning);

  return { input, injectedVolumeMl, warnings };
}

/**
 * A warning when the baseline (whole-blood) platelet count is outside 100–600 × 10³/µL: below is
 * a relative contraindication, above is more often a count or unit error than a patient.
 */
export function baselinePlateletsWarning(baselineKPerUl: number): ScienceWarning | null {
  if (baselineKPerUl < BASELINE_PLATELETS_LOW_K_PER_UL) {
    return {
      field: 'wholeBlood.plateletsKPerUl',
      code: 'baseline-platelets-low',
      message: `Baseline platelets ${formatSignificant(baselineKPerUl)} × 10³/µL are below ${BASELINE_PLATELETS_LOW_K_PER_UL} × 10³/µL, a relative contraindication to PRP.`,
    };
  }
  if (baselineKPerUl > BASELINE_PLATELETS_HIGH_K_PER_UL) {
    return {
      field: 'wholeBlood.plateletsKPerUl',
      code: 'baseline-platelets-high',
      message: `Baseline platelets ${formatSignificant(baselineKPerUl)} × 10³/µL are above ${BASELINE_PLATELETS_HIGH_K_PER_UL} × 10³/µL; check the count and its unit.`,
    };
  }
  return null;
}

/**
 * Computes the standard quantities of one preparation. Example: whole blood 200 × 10³/µL × 30 mL,
 * PRP 1,000 × 10³/µL × 5 mL → concentration factor 5, dose 5 × 10⁹, recovery 83.3 %.
 *
 * @throws ScienceInputError for impossible input (see {@link checkPreparationInput}).
 */
export function preparationMetrics(input: PreparationInput): PreparationMetrics {
  const checked = checkPreparationInput(input);
  const { wholeBlood, prp } = checked.input;
  const warnings = [...checked.warnings];

  const cf = concentrationFactor(prp.plateletsKPerUl, wholeBlood.plateletsKPerUl);
  const recovery = plateletRecoveryPercent({
    prpPlateletsKPerUl: prp.plateletsKPerUl,
    prpVolumeMl: prp.volumeMl,
    wholeBloodPlateletsKPerUl: wholeBlood.plateletsKPerUl,
    wholeBloodVolumeMl: wholeBlood.volumeMl,
  });

  // A product at or below baseline is not platelet-rich: PAW grade P1 (DeLong 2012, Arthroscopy).
  if (cf < 1) {
    warnings.push({
      field: 'prp.plateletsKPerUl',
      code: 'concentration-factor-below-1',
      message: `The PRP has fewer platelets than the blood it came from (concentration factor ${formatSignificant(round(cf, 2))}); check the sample and the counts.`,
    });
  }
  if (recovery > 100) {
    warnings.push({
      field: 'prp.plateletsKPerUl',
      code: 'recovery-above-100',
      message: `The PRP holds ${formatSignificant(round(recovery, 1))} % of the platelets drawn, which is impossible; check the volumes, the count units, and whether the baseline was counted in diluted (anticoagulated) blood.`,
    });
  }

  const metrics: PreparationMetrics = {
    concentrationFactor: cf,
    plateletDoseBillion: plateletDoseBillion(prp.plateletsKPerUl, checked.injectedVolumeMl),
    recoveryPercent: recovery,
    warnings,
  };
  if (prp.wbcKPerUl !== undefined && wholeBlood.wbcKPerUl !== undefined) {
    metrics.leukocyteFactor = leukocyteFactor(prp.wbcKPerUl, wholeBlood.wbcKPerUl);
  }
  if (prp.wbcKPerUl !== undefined && prp.rbcMPerUl !== undefined) {
    metrics.purityPercent = purityPercent({ plateletsKPerUl: prp.plateletsKPerUl, wbcKPerUl: prp.wbcKPerUl, rbcMPerUl: prp.rbcMPerUl });
  }
  return metrics;
}

/**
 * PRP platelets ÷ whole-blood platelets (same unit). Record whether the baseline was counted in
 * native (EDTA) or anticoagulated blood: ACD-A dilutes it by about 10 %.
 */
// ~10 %: ACD-A is about 1 part in 10 of the tube (ACP 1.5 mL + 13.5 mL blood; World J Orthop 2022;13(6):587).
export function concentrationFactor(prpPlateletsKPerUl: number, wholeBloodPlateletsKPerUl: number): number {
  requireNumber(prpPlateletsKPerUl, 'prp.plateletsKPerUl', { min: 0 });
  requireNumber(wholeBloodPlateletsKPerUl, 'wholeBlood.plateletsKPerUl', { min: 0, minExclusive: true });
  // Concentration factor = PLT_PRP / PLT_WB (Fitzpatrick 2017, OJSM; DeLong 2012, Arthroscopy).
  return prpPlateletsKPerUl / wholeBloodPlateletsKPerUl;
}

/** Platelets injected, in 10⁹: 1,000 × 10³/µL × 5 mL = 5 × 10⁹. */
export function plateletDoseBillion(prpPlateletsKPerUl: number, injectedVolumeMl: number): number {
  requireNumber(prpPlateletsKPerUl, 'prp.plateletsKPerUl', { min: 0 });
  requireNumber(injectedVolumeMl, 'injectedVolumeMl', { min: 0 });
  // Dose (10⁹) = PLT (10³/µL = 10⁶/mL) × V (mL) / 1,000 (Magalon 2016, BMJ Open Sport Exerc Med: DEPA dose).
  return (prpPlateletsKPerUl * injectedVolumeMl) / 1000;
}

/** Share of drawn platelets recovered in the PRP, in %. The whole-blood volume excludes anticoagulant. */
export function plateletRecoveryPercent(values: {
  prpPlateletsKPerUl: number;
  prpVolumeMl: number;
  wholeBloodPlateletsKPerUl: number;
  wholeBloodVolumeMl: number;
}): number {
  const prpPlt = requireNumber(values.prpPlateletsKPerUl, 'prp.plateletsKPerUl', { min: 0 });
  const prpMl = requireNumber(values.prpVolumeMl, 'prp.volumeMl', { min: 0 });
  const wbPlt = requireNumber(values.wholeBloodPlateletsKPerUl, 'wholeBlood.plateletsKPerUl', { min: 0, minExclusive: true });
  const wbMl = requireNumber(values.wholeBloodVolumeMl, 'wholeBlood.volumeMl', { min: 0, minExclusive: true });
  // Recovery = (PLT_PRP × V_PRP) / (PLT_WB × V_WB) × 100 (Magalon 2016, BMJ Open Sport Exerc Med: DEPA efficiency).
  return ((prpPlt * prpMl) / (wbPlt * wbMl)) * 100;
}

/** PRP white cells ÷ whole-blood white cells. */
export function leukocyteFactor(prpWbcKPerUl: number, wholeBloodWbcKPerUl: number): number {
  requireNumber(prpWbcKPerUl, 'prp.wbcKPerUl', { min: 0 });
  requireNumber(wholeBloodWbcKPerUl, 'wholeBlood.wbcKPerUl', { min: 0, minExclusive: true });
  // Leukocyte factor = WBC_PRP / WBC_WB, the white-cell analogue of the concentration factor (DeLong 2012, Arthroscopy).
  return prpWbcKPerUl / wholeBloodWbcKPerUl;
}

/** Each cell type as a percentage of all platelets + white cells + red cells counted in a sample. */
export interface CellCompositionPct {
  plateletsPct: number;
  wbcPct: number;
  rbcPct: number;
}

/**
 * Splits a sample's cells into platelets, white cells and red cells, each as % of their sum,
 * after converting all three to cells/µL (red cells are counted in 10⁶/µL, the others in 10³/µL).
 */
export function cellCompositionPct(counts: { plateletsKPerUl: number; wbcKPerUl: number; rbcMPerUl: number }): CellCompositionPct {
  const plt = kPerUlToCellsPerUl(counts.plateletsKPerUl, 'prp.plateletsKPerUl');
  const wbc = kPerUlToCellsPerUl(counts.wbcKPerUl, 'prp.wbcKPerUl');
  const rbc = mPerUlToCellsPerUl(counts.rbcMPerUl, 'prp.rbcMPerUl');
  const total = plt + wbc + rbc;
  if (total <= 0) throw new ScienceInputError('prp.plateletsKPerUl', 'greater than 0', 'prp has no cells counted: platelets, white and red cells are all 0');
  return { plateletsPct: (plt / total) * 100, wbcPct: (wbc / total) * 100, rbcPct: (rbc / total) * 100 };
}

/** Platelets as % of all platelets + white + red cells in the PRP (DEPA purity). */
export function purityPercent(counts: { plateletsKPerUl: number; wbcKPerUl: number; rbcMPerUl: number }): number {
  // Purity = PLT / (PLT + WBC + RBC) × 100, all in cells/µL (Magalon 2016, BMJ Open Sport Exerc Med).
  return cellCompositionPct(counts).plateletsPct;
}

/**
 * A warning when a local anaesthetic is mixed into the PRP. Bupivacaine (any brand, including
 * levobupivacaine and liposomal forms, treated alike to be safe) is always flagged; lidocaine 1 %
 * and ropivacaine 0.5 % are accepted up to equal volumes with the PRP; other agents are flagged
 * as unstudied. Returns null for no agent ("", "none").
 *
 * @param options.volumeRatioToPrp anaesthetic volume ÷ PRP volume, when known.
 */
export function anaestheticWarning(agentName: string, options: { volumeRatioToPrp?: number } = {}): ScienceWarning | null {
  if (typeof agentName !== 'string') throw new ScienceInputError('localAnaesthetic.agent', 'text');
  const name = agentName.trim().toLowerCase();
  if (name === '' || name === 'none') return null;
  const ratio = options.volumeRatioToPrp === undefined ? undefined : requireNumber(options.volumeRatioToPrp, 'volumeRatioToPrp', { min: 0 });
  const field = 'localAnaesthetic.agent';

  // Bupivacaine 0.75 % reduced platelet viability in PRP (Dregalla 2021, J Orthop Res 39:2744).
  if (/bupivacaine|marcaine|sensorcaine|exparel/.test(name)) {
    return {
      field,
      code: 'anaesthetic-bupivacaine',
      message: `${agentName.trim()} mixed into PRP reduces platelet viability; inject it separately or use lidocaine 1 % or ropivacaine 0.5 %.`,
    };
  }
  // Lidocaine 1 % and ropivacaine 0.5 % acceptable up to 1:1 with PRP (Dregalla 2021, J Orthop Res 39:2744).
  if (/lidocaine|lignocaine|xylocaine|ropivacaine|naropin/.test(name)) {
    if (ratio !== undefined && ratio > 1) {
      return {
        field: 'volumeRatioToPrp',
        code: 'anaesthetic-ratio',
        message: `${agentName.trim()} was mixed at more than 1 part per part of PRP; platelet viability was only shown to hold up to 1:1.`,
      };
    }
    return null;
  }
  return {
    field,
    code: 'anaesthetic-unstudied',
    message: `No platelet-viability data on file for ${agentName.trim()} mixed into PRP; consider injecting it separately.`,
  };
}

/**
 * A warning when the product is older than `limitHours` at instant `atMs` (e.g. the injection),
 * counted from the blood draw at `drawnAtMs`. Both instants are epoch milliseconds and passed
 * in, so the function stays pure.
 *
 * @throws ScienceInputError when `atMs` is before `drawnAtMs` or the limit is not positive.
 */
export function productAgeWarning(drawnAtMs: number, atMs: number, limitHours: number = PRODUCT_AGE_LIMIT_HOURS_DEFAULT): ScienceWarning | null {
  requireNumber(drawnAtMs, 'drawnAtMs');
  requireNumber(atMs, 'atMs', { min: drawnAtMs });
  requireNumber(limitHours, 'limitHours', { min: 0, minExclusive: true });
  const ageHours = (atMs - drawnAtMs) / 3_600_000;
  // Default 4 h: no growth-factor change up to 4 h at room temperature (Wilson & Fortier 2018, Am J Orthop).
  if (ageHours <= limitHours) return null;
  return {
    field: 'atMs',
    code: 'product-age',
    message: `The product is ${formatSignificant(round(ageHours, 1))} h old, beyond the ${formatSignificant(limitHours)} h limit from draw to injection.`,
  };
}

function checkCounts(counts: BloodCounts, prefix: 'wholeBlood' | 'prp', warnings: ScienceWarning[]): void {
  // Platelets divide the concentration factor and recovery (whole blood) and DEPA purity (PRP).
  requireCount(counts.plateletsKPerUl, `${prefix}.plateletsKPerUl`, true, warnings);
  // Whole-blood white cells divide the leukocyte factor; a PRP can legitimately read 0.
  if (counts.wbcKPerUl !== undefined) requireCount(counts.wbcKPerUl, `${prefix}.wbcKPerUl`, prefix === 'wholeBlood', warnings);
  if (counts.neutrophilsKPerUl !== undefined) {
    const neutrophils = requireCount(counts.neutrophilsKPerUl, `${prefix}.neutrophilsKPerUl`, false, warnings);
    if (counts.wbcKPerUl !== undefined && neutrophils > counts.wbcKPerUl) {
      throw new ScienceInputError(
        `${prefix}.neutrophilsKPerUl`,
        `at most ${prefix}.wbcKPerUl (${formatSignificant(counts.wbcKPerUl)})`,
        `${prefix}.neutrophilsKPerUl (${formatSignificant(neutrophils)}) cannot exceed the white-cell count ${prefix}.wbcKPerUl (${formatSignificant(counts.wbcKPerUl)}): neutrophils are white cells.`,
      );
    }
  }
  if (counts.rbcMPerUl !== undefined) requireCount(counts.rbcMPerUl, `${prefix}.rbcMPerUl`, false, warnings);
  if (counts.hematocritPct !== undefined) requireCount(counts.hematocritPct, `${prefix}.hematocritPct`, false, warnings);
}

/**
 * Checks one count at `field` (a path such as `prp.wbcKPerUl`): a finite number, above 0 when
 * `positive`, and not in an impossible unit — that throws `ScienceInputError` whose message
 * proposes the conversion ("… did you mean 245 × 10³/µL?"). A count that only looks like another
 * unit adds a warning.
 */
export function requireCount(value: unknown, field: string, positive: boolean, warnings: ScienceWarning[]): number {
  const name = countFieldName(field);
  const max = name === null ? Infinity : PLAUSIBLE_COUNT_MAX[name];
  const count = requireNumber(value, field, { min: 0, minExclusive: positive });
  const suspicion = suspectWrongUnit(field, count);
  if (suspicion?.severity === 'impossible' || count > max) {
    const allowed = `${positive ? 'greater than 0' : 'at least 0'} and at most ${formatSignificant(max)}`;
    throw new ScienceInputError(field, allowed, suspicion?.message ?? `${field} must be ${allowed}`);
  }
  if (suspicion) warnings.push(unitSuspicionWarning(suspicion));
  return count;
}

function requireObject(value: unknown, field: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScienceInputError(field, 'an object');
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new ScienceInputError(field, 'non-empty text');
}

function requireOneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (value !== undefined && !(typeof value === 'string' && allowed.includes(value))) {
    throw new ScienceInputError(field, `one of ${allowed.join(', ')}`);
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
