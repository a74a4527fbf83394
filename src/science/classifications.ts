/**
 * The published PRP classification systems, computed from one preparation: PAW, PLRA, DEPA,
 * MARSPILL, Mishra and Dohan Ehrenfest.
 *
 * Convention for incomplete input (the same in every system): a part that needs a field the
 * input lacks is `null`, the field's path is listed in `missing`, and `code` is `null` whenever a
 * required part is `null`. Nothing is guessed. A few parts are optional in the paper itself (the
 * PAW neutrophil letter, the PLRA neutrophil percentage): their absent fields are still listed in
 * `missing`, so a screen can ask for them, but the code is produced without them.
 *
 * Where a paper leaves a boundary open (e.g. whether "3–5" includes 3), the choice is written
 * beside the threshold.
 */
import { cellCompositionPct, checkPreparationInput, concentrationFactor, plateletDoseBillion, plateletRecoveryPercent, purityPercent } from './preparation-metrics.js';
import type { PreparationInput } from './preparation-types.js';
import { formatSignificant } from './units.js';

type Sign = '+' | '-';

/** True / false for exogenous activation, null when the activation was not recorded. */
function exogenousActivation(input: PreparationInput, missing: string[]): boolean | null {
  if (input.activation === undefined) {
    missing.push('activation.agent');
    return null;
  }
  return input.activation.agent !== 'none';
}

/** Above / at-or-below baseline for a count present in both samples; null (and `missing`) otherwise. */
function aboveBaseline(
  input: PreparationInput,
  count: 'wbcKPerUl' | 'neutrophilsKPerUl',
  missing: string[],
): boolean | null {
  const prp = input.prp[count];
  const baseline = input.wholeBlood[count];
  if (baseline === undefined) missing.push(`wholeBlood.${count}`);
  if (prp === undefined) missing.push(`prp.${count}`);
  if (prp === undefined || baseline === undefined) return null;
  return prp > baseline;
}

// ---------------------------------------------------------------------------------------------
// PAW — DeLong 2012, Arthroscopy 28:998

export type PawPlatelets = 'P1' | 'P2' | 'P3' | 'P4';

export interface PawClassification {
  /** e.g. `P4-x-Bβ`; `P2-A` without neutrophil counts; `P3-Bα` when not activated. */
  code: string | null;
  platelets: PawPlatelets;
  /** Exogenous activation ("x" in the code). */
  activated: boolean | null;
  whiteCells: 'A' | 'B' | null;
  neutrophils: 'α' | 'β' | null;
  missing: string[];
}

// PAW platelet bands, absolute PRP count in 10³/µL (DeLong 2012, Arthroscopy 28:998).
export const PAW_P2_MAX_K_PER_UL = 750;
export const PAW_P3_MAX_K_PER_UL = 1250;

/**
 * PAW classification (Platelets, Activation, White cells; DeLong 2012). P1 at or below the
 * baseline count, P2 above baseline up to 750, P3 up to 1,250, P4 above 1,250 × 10³/µL; "x" for
 * exogenous activation; white cells A above baseline, B at or below; neutrophils α above
 * baseline, β at or below.
 */
export function classifyPaw(input: PreparationInput): PawClassification {
  checkPreparationInput(input);
  const missing: string[] = [];
  const prpPlt = input.prp.plateletsKPerUl;
  // DeLong 2012, Arthroscopy: P1 ≤ baseline; P2 > baseline to 750; P3 > 750 to 1,250; P4 > 1,250 × 10³/µL.
  const platelets: PawPlatelets =
    prpPlt <= input.wholeBlood.plateletsKPerUl ? 'P1' : prpPlt <= PAW_P2_MAX_K_PER_UL ? 'P2' : prpPlt <= PAW_P3_MAX_K_PER_UL ? 'P3' : 'P4';
  const activated = exogenousActivation(input, missing);
  // DeLong 2012: A = white cells above baseline, B = at or below.
  const wbcAbove = aboveBaseline(input, 'wbcKPerUl', missing);
  const whiteCells = wbcAbove === null ? null : wbcAbove ? 'A' : 'B';
  // DeLong 2012: α = neutrophils above baseline, β = below (equal counted with β, as for B).
  const neutrophilsAbove = aboveBaseline(input, 'neutrophilsKPerUl', missing);
  const neutrophils = neutrophilsAbove === null ? null : neutrophilsAbove ? 'α' : 'β';

  const code =
    activated === null || whiteCells === null
      ? null
      : [platelets, ...(activated ? ['x'] : []), `${whiteCells}${neutrophils ?? ''}`].join('-');
  return { code, platelets, activated, whiteCells, neutrophils, missing };
}

// ---------------------------------------------------------------------------------------------
// PLRA — Mautner 2015, PM&R 7(4S):S53

export interface PlraClassification {
  /** e.g. `P1200k·5mL L+(N62%) R- A-`; k = 10³/µL. */
  code: string | null;
  plateletsKPerUl: number;
  injectedVolumeMl: number;
  leukocytes: Sign | null;
  /** The percentage the L sign was decided on: white cells as % of all cells counted in the PRP. */
  leukocytePctOfCells: number | null;
  /** Neutrophils as % of the PRP's white cells (reported beside L). */
  neutrophilPctOfLeukocytes: number | null;
  redCells: Sign | null;
  activation: Sign | null;
  missing: string[];
}

// PLRA leukocyte and red-cell cut-off: "+" above 1 %, "−" below (Mautner 2015, PM&R 7(4 Suppl):S53–S59).
// The PubMed abstract confirms the parts (platelet count, white cells, red cells, activation, volume) but
// not the cut-off. [M] unverified: what the 1 % is a percentage of. One review table (Frontiers Vet Sci
// 2021;8:641818, Table 1) reads L as neutrophils among white cells and R as red cells in the PRP; Autolog
// reads L as white cells among all cells counted in the PRP and R as the PRP haematocrit (the paper itself
// was not reachable). A value of exactly 1 % is "−".
export const PLRA_CUTOFF_PCT = 1;

/**
 * PLRA classification (Platelets with injected volume, Leukocytes ±, Red cells ±, Activation ±;
 * Mautner 2015). See {@link PLRA_CUTOFF_PCT} for how the 1 % cut-offs are read.
 */
export function classifyPlra(input: PreparationInput): PlraClassification {
  const { injectedVolumeMl } = checkPreparationInput(input);
  const missing: string[] = [];
  const prp = input.prp;

  if (prp.wbcKPerUl === undefined) missing.push('prp.wbcKPerUl');
  if (prp.rbcMPerUl === undefined) missing.push('prp.rbcMPerUl');
  const leukocytePctOfCells =
    prp.wbcKPerUl === undefined || prp.rbcMPerUl === undefined
      ? null
      : cellCompositionPct({ plateletsKPerUl: prp.plateletsKPerUl, wbcKPerUl: prp.wbcKPerUl, rbcMPerUl: prp.rbcMPerUl }).wbcPct;
  const leukocytes: Sign | null = leukocytePctOfCells === null ? null : leukocytePctOfCells > PLRA_CUTOFF_PCT ? '+' : '-';

  let neutrophilPctOfLeukocytes: number | null = null;
  if (prp.neutrophilsKPerUl === undefined) missing.push('prp.neutrophilsKPerUl');
  else if (prp.wbcKPerUl !== undefined && prp.wbcKPerUl > 0) neutrophilPctOfLeukocytes = (prp.neutrophilsKPerUl / prp.wbcKPerUl) * 100;

  if (prp.hematocritPct === undefined) missing.push('prp.hematocritPct');
  const redCells: Sign | null = prp.hematocritPct === undefined ? null : prp.hematocritPct > PLRA_CUTOFF_PCT ? '+' : '-';

  const activated = exogenousActivation(input, missing);
  const activation: Sign | null = activated === null ? null : activated ? '+' : '-';

  const neutrophilPart = neutrophilPctOfLeukocytes === null ? '' : `(N${formatSignificant(Math.round(neutrophilPctOfLeukocytes))}%)`;
  const code =
    leukocytes === null || redCells === null || activation === null
      ? null
      : `P${formatSignificant(prp.plateletsKPerUl)}k·${formatSignificant(injectedVolumeMl)}mL L${leukocytes}${neutrophilPart} R${redCells} A${activation}`;
  return {
    code,
    plateletsKPerUl: prp.plateletsKPerUl,
    injectedVolumeMl,
    leukocytes,
    leukocytePctOfCells,
    neutrophilPctOfLeukocytes,
    redCells,
    activation,
    missing,
  };
}

// ---------------------------------------------------------------------------------------------
// DEPA — Magalon 2016, BMJ Open Sport Exerc Med 2:e000060

export type DepaLetter = 'A' | 'B' | 'C' | 'D';

export interface DepaClassification {
  /** e.g. `B-C-D-none`: dose, efficiency, purity letters, then `exogenous` or `none`. */
  code: string | null;
  dose: DepaLetter;
  efficiency: DepaLetter;
  purity: DepaLetter | null;
  activation: 'exogenous' | 'none' | null;
  /** The numbers the letters were decided on. */
  plateletDoseBillion: number;
  recoveryPercent: number;
  purityPercent: number | null;
  missing: string[];
}

/**
 * DEPA dose bands in 10⁹ platelets: A > 5, B 3–5, C 1–3, D < 1 (Magalon 2016, BMJ Open Sport Exerc Med
 * 2:e000060). Abstract (PMC5117023): doses of 20 published preparations spanned 0.21–5.43 × 10⁹ and only
 * the Magellan (the top dose) scored A, which fits A > 5 but does not print it. [M] unverified: the
 * numbers 5, 3 and 1 are from preparation.md; the paper's table was not reachable.
 * Boundaries: exactly 5 is B, exactly 3 is B, exactly 1 is C.
 */
export function depaDoseLetter(plateletDoseBillion: number): DepaLetter {
  return plateletDoseBillion > 5 ? 'A' : plateletDoseBillion >= 3 ? 'B' : plateletDoseBillion >= 1 ? 'C' : 'D';
}

/**
 * DEPA efficiency (recovery) and purity bands in %: A > 90, B 70–90, C 30–70, D < 30
 * (Magalon 2016, BMJ Open Sport Exerc Med 2:e000060). A is confirmed by the abstract (PMC5117023):
 * purity A means platelets over 90 % of platelets + red + white cells, and no device recovered over
 * 90 % of the drawn platelets (so none scored efficiency A). [M] unverified: B–D (70 and 30) are from
 * preparation.md. Boundaries: exactly 90 is B, 70 is B, 30 is C.
 */
export function depaPercentLetter(percent: number): DepaLetter {
  return percent > 90 ? 'A' : percent >= 70 ? 'B' : percent >= 30 ? 'C' : 'D';
}

/** DEPA classification (Dose, Efficiency, Purity, Activation; Magalon 2016). */
export function classifyDepa(input: PreparationInput): DepaClassification {
  const { injectedVolumeMl } = checkPreparationInput(input);
  const missing: string[] = [];
  const { wholeBlood, prp } = input;
  const dose = plateletDoseBillion(prp.plateletsKPerUl, injectedVolumeMl);
  const recovery = plateletRecoveryPercent({
    prpPlateletsKPerUl: prp.plateletsKPerUl,
    prpVolumeMl: prp.volumeMl,
    wholeBloodPlateletsKPerUl: wholeBlood.plateletsKPerUl,
    wholeBloodVolumeMl: wholeBlood.volumeMl,
  });
  if (prp.wbcKPerUl === undefined) missing.push('prp.wbcKPerUl');
  if (prp.rbcMPerUl === undefined) missing.push('prp.rbcMPerUl');
  const purity =
    prp.wbcKPerUl === undefined || prp.rbcMPerUl === undefined
      ? null
      : purityPercent({ plateletsKPerUl: prp.plateletsKPerUl, wbcKPerUl: prp.wbcKPerUl, rbcMPerUl: prp.rbcMPerUl });
  const activated = exogenousActivation(input, missing);
  const activation = activated === null ? null : activated ? 'exogenous' : 'none';

  const doseLetter = depaDoseLetter(dose);
  const efficiencyLetter = depaPercentLetter(recovery);
  const purityLetter = purity === null ? null : depaPercentLetter(purity);
  const code = purityLetter === null || activation === null ? null : `${doseLetter}-${efficiencyLetter}-${purityLetter}-${activation}`;
  return {
    code,
    dose: doseLetter,
    efficiency: efficiencyLetter,
    purity: purityLetter,
    activation,
    plateletDoseBillion: dose,
    recoveryPercent: recovery,
    purityPercent: purity,
    missing,
  };
}

// ---------------------------------------------------------------------------------------------
// MARSPILL — Lana 2017, Regen Med 12(5):565. [M] unverified: every field below comes from
// preparation.md. Searches by title, authors and terms (Nov 2026) found neither the paper, its abstract
// nor a review table that lists its fields, so nothing here is confirmed.

export type MarspillFold = 'PL2-3' | 'PL4-6' | 'PL6-8' | 'PL8-10';

export interface MarspillClassification {
  /** e.g. `H/A-/R-/Sp2/PL4-6/G+/Lc+/Lg-` (Autolog's rendering, parts in MARSPILL order). */
  code: string | null;
  /** H = handmade (manual), M = machine (device). */
  method: 'H' | 'M' | null;
  activation: Sign | null;
  /** RBC-rich (+) or RBC-poor (−). */
  redCells: Sign | null;
  spins: 1 | 2 | null;
  plateletFold: MarspillFold | null;
  imageGuidance: Sign | null;
  /** Leukocyte-rich (+) or leukocyte-poor (−). */
  leukocytes: Sign | null;
  lightActivation: Sign | null;
  missing: string[];
  /** Why a present value could not be placed in the scheme (e.g. a fold outside 2–10×). */
  notes: string[];
}

/**
 * MARSPILL platelet-fold bands as given in preparation.md: 2–3×, 4–6×, 6–8×, 8–10× (Lana 2017, Regen
 * Med). [M] unverified: no copy of the paper was found to check them. The bands overlap and leave
 * gaps, so Autolog uses [2, 4), [4, 6), [6, 8), [8, 10]; a fold below 2 or above 10 has no band (null,
 * with a note).
 */
export function marspillFoldBand(concentrationFactor: number): MarspillFold | null {
  if (concentrationFactor < 2 || concentrationFactor > 10) return null;
  return concentrationFactor < 4 ? 'PL2-3' : concentrationFactor < 6 ? 'PL4-6' : concentrationFactor < 8 ? 'PL6-8' : 'PL8-10';
}

/**
 * MARSPILL classification (Method, Activation, Red cells, Spins, Platelet fold, Image guidance,
 * Leukocytes, Light activation; Lana 2017). RBC-rich is read with the PLRA cut-off (PRP
 * haematocrit > 1 %) and leukocyte-rich as white cells above baseline (as PAW's "A"): the paper's
 * own cut-offs were not available [M].
 */
export function classifyMarspill(input: PreparationInput): MarspillClassification {
  checkPreparationInput(input);
  const missing: string[] = [];
  const notes: string[] = [];

  if (input.method === undefined) missing.push('method');
  const method = input.method === undefined ? null : input.method === 'manual' ? 'H' : 'M';

  const activated = exogenousActivation(input, missing);
  const activation: Sign | null = activated === null ? null : activated ? '+' : '-';
  const lightActivation: Sign | null = input.activation === undefined ? null : input.activation.agent === 'light' ? '+' : '-';

  if (input.prp.hematocritPct === undefined) missing.push('prp.hematocritPct');
  // Same 1 % haematocrit cut-off as PLRA R (Mautner 2015, PM&R) — Autolog's reading, see PLRA_CUTOFF_PCT.
  const redCells: Sign | null = input.prp.hematocritPct === undefined ? null : input.prp.hematocritPct > PLRA_CUTOFF_PCT ? '+' : '-';

  let spins: 1 | 2 | null = null;
  if (input.spins === undefined || input.spins.length === 0) missing.push('spins');
  else if (input.spins.length === 1 || input.spins.length === 2) spins = input.spins.length;
  else notes.push(`spins: ${input.spins.length} spins recorded; MARSPILL only has one or two.`);

  const cf = concentrationFactor(input.prp.plateletsKPerUl, input.wholeBlood.plateletsKPerUl);
  const plateletFold = marspillFoldBand(cf);
  if (plateletFold === null) notes.push(`prp.plateletsKPerUl: concentration factor ${formatSignificant(Math.round(cf * 100) / 100)}× is outside the MARSPILL bands (2–10×).`);

  if (input.imageGuided === undefined) missing.push('imageGuided');
  const imageGuidance: Sign | null = input.imageGuided === undefined ? null : input.imageGuided ? '+' : '-';

  const wbcAbove = aboveBaseline(input, 'wbcKPerUl', missing);
  const leukocytes: Sign | null = wbcAbove === null ? null : wbcAbove ? '+' : '-';

  const parts = [method, activation, redCells, spins, plateletFold, imageGuidance, leukocytes, lightActivation];
  const code = parts.some((part) => part === null)
    ? null
    : `${method}/A${activation}/R${redCells}/Sp${spins}/${plateletFold}/G${imageGuidance}/Lc${leukocytes}/Lg${lightActivation}`;
  return { code, method, activation, redCells, spins, plateletFold, imageGuidance, leukocytes, lightActivation, missing, notes };
}

// ---------------------------------------------------------------------------------------------
// Mishra — Mishra 2012, Curr Pharm Biotechnol

export interface MishraClassification {
  /** e.g. `1A`. */
  code: string | null;
  type: 1 | 2 | 3 | 4 | null;
  suffix: 'A' | 'B';
  missing: string[];
}

// Mishra 2012, Curr Pharm Biotechnol: suffix A at ≥ 5× baseline platelets, B below.
export const MISHRA_A_MIN_FOLD = 5;

/**
 * Mishra sports-medicine classification: type 1 white cells increased, not activated; 2 increased,
 * activated; 3 minimal, not activated; 4 minimal, activated; suffix A ≥ 5× baseline platelets,
 * B < 5×. "Increased" is read as PRP white cells above the whole-blood count.
 */
export function classifyMishra(input: PreparationInput): MishraClassification {
  checkPreparationInput(input);
  const missing: string[] = [];
  const wbcAbove = aboveBaseline(input, 'wbcKPerUl', missing);
  const activated = exogenousActivation(input, missing);
  const cf = concentrationFactor(input.prp.plateletsKPerUl, input.wholeBlood.plateletsKPerUl);
  // Mishra 2012, Curr Pharm Biotechnol: A = 5× baseline or higher, B = under 5×.
  const suffix = cf >= MISHRA_A_MIN_FOLD ? 'A' : 'B';
  // Mishra 2012: types 1/2 white cells increased, 3/4 minimal; even types are activated.
  const type = wbcAbove === null || activated === null ? null : ((wbcAbove ? 1 : 3) + (activated ? 1 : 0)) as 1 | 2 | 3 | 4;
  return { code: type === null ? null : `${type}${suffix}`, type, suffix, missing };
}

// ---------------------------------------------------------------------------------------------
// Dohan Ehrenfest — Dohan Ehrenfest 2009, Trends Biotechnol 27:158

export type DohanEhrenfestFamily = 'P-PRP' | 'L-PRP' | 'P-PRF' | 'L-PRF';

export interface DohanEhrenfestClassification {
  family: DohanEhrenfestFamily | null;
  missing: string[];
}

/**
 * Dohan Ehrenfest families: leukocyte content (pure vs leukocyte-rich) × fibrin architecture
 * (PRP: liquid or gel with a light fibrin network; PRF: a dense fibrin clot, `form: 'fibrin'`).
 * Leukocyte-rich is read as PRP white cells above the whole-blood count, as in PAW.
 */
export function classifyDohanEhrenfest(input: PreparationInput): DohanEhrenfestClassification {
  checkPreparationInput(input);
  const missing: string[] = [];
  const wbcAbove = aboveBaseline(input, 'wbcKPerUl', missing);
  if (input.form === undefined) missing.push('form');
  if (wbcAbove === null || input.form === undefined) return { family: null, missing };
  // Dohan Ehrenfest 2009, Trends Biotechnol: P-/L- by leukocytes, PRP/PRF by fibrin density.
  const family = `${wbcAbove ? 'L' : 'P'}-${input.form === 'fibrin' ? 'PRF' : 'PRP'}` as DohanEhrenfestFamily;
  return { family, missing };
}

// ---------------------------------------------------------------------------------------------

export interface AllClassifications {
  paw: PawClassification;
  plra: PlraClassification;
  depa: DepaClassification;
  marspill: MarspillClassification;
  mishra: MishraClassification;
  dohanEhrenfest: DohanEhrenfestClassification;
}

/** Every classification of one preparation (input is validated once per system; all pure). */
export function classifyAll(input: PreparationInput): AllClassifications {
  return {
    paw: classifyPaw(input),
    plra: classifyPlra(input),
    depa: classifyDepa(input),
    marspill: classifyMarspill(input),
    mishra: classifyMishra(input),
    dohanEhrenfest: classifyDohanEhrenfest(input),
  };
}
