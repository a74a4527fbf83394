/**
 * Explicit unit conversions for blood counts, and detection of counts typed in the wrong unit.
 *
 * Autolog stores platelets, white cells and neutrophils in 10³/µL and red cells in 10⁶/µL.
 * Analysers and papers also use 10⁹/L, 10¹²/L, cells/µL and "million/µL". Several of these
 * conversions are the identity numerically; they exist so the code says which unit it came from.
 * Nothing here ever guesses: `suspectWrongUnit` only proposes, and callers decide to throw or warn.
 */
import { requireNumber, type ScienceWarning } from './errors.js';

// All factors below follow from the SI prefixes: 1 L = 10⁶ µL, so 10⁹/L = 10³/µL and 10¹²/L = 10⁶/µL.

/** 10⁹/L → 10³/µL (numerically the identity). */
export function perLiter9ToKPerUl(valuePerLiter9: number, field = 'value'): number {
  return requireNonNegative(valuePerLiter9, field);
}

/** 10³/µL → 10⁹/L (numerically the identity). */
export function kPerUlToPerLiter9(valueKPerUl: number, field = 'value'): number {
  return requireNonNegative(valueKPerUl, field);
}

/** 10¹²/L → 10⁶/µL (numerically the identity); the usual red-cell unit on European reports. */
export function perLiter12ToMPerUl(valuePerLiter12: number, field = 'value'): number {
  return requireNonNegative(valuePerLiter12, field);
}

/** 10⁶/µL → 10¹²/L (numerically the identity). */
export function mPerUlToPerLiter12(valueMPerUl: number, field = 'value'): number {
  return requireNonNegative(valueMPerUl, field);
}

/** cells/µL → 10³/µL, e.g. a platelet count of 245,000/µL → 245. */
export function cellsPerUlToKPerUl(cellsPerUl: number, field = 'value'): number {
  return requireNonNegative(cellsPerUl, field) / 1e3;
}

/** 10³/µL → cells/µL. */
export function kPerUlToCellsPerUl(valueKPerUl: number, field = 'value'): number {
  return requireNonNegative(valueKPerUl, field) * 1e3;
}

/** cells/µL → 10⁶/µL, e.g. 4,500,000 red cells/µL → 4.5. */
export function cellsPerUlToMPerUl(cellsPerUl: number, field = 'value'): number {
  return requireNonNegative(cellsPerUl, field) / 1e6;
}

/** 10⁶/µL → cells/µL. */
export function mPerUlToCellsPerUl(valueMPerUl: number, field = 'value'): number {
  return requireNonNegative(valueMPerUl, field) * 1e6;
}

/** 10⁶/µL ("million per µL", common for PRP platelet targets) → 10³/µL, e.g. 1.2 → 1,200. */
export function mPerUlToKPerUl(valueMPerUl: number, field = 'value'): number {
  return requireNonNegative(valueMPerUl, field) * 1e3;
}

/** cells/L → 10³/µL, e.g. 2.45 × 10¹¹/L → 245. */
export function cellsPerLiterToKPerUl(cellsPerLiter: number, field = 'value'): number {
  return requireNonNegative(cellsPerLiter, field) / 1e9;
}

/** Haematocrit as a fraction (0.42, as some analysers print it) → percent (42). */
export function hematocritFractionToPct(fraction: number, field = 'value'): number {
  return requireNumber(fraction, field, { min: 0, max: 1 }) * 100;
}

/** Haematocrit in percent → fraction. */
export function hematocritPctToFraction(pct: number, field = 'value'): number {
  return requireNumber(pct, field, { min: 0, max: 100 }) / 100;
}

function requireNonNegative(value: number, field: string): number {
  return requireNumber(value, field, { min: 0 });
}

/** The count fields Autolog knows, by the last segment of their path. */
export type CountFieldName = 'plateletsKPerUl' | 'wbcKPerUl' | 'neutrophilsKPerUl' | 'rbcMPerUl' | 'hematocritPct';

/**
 * Largest value accepted for each count before it is treated as impossible (probably the wrong
 * unit). These are Autolog plausibility bounds, deliberately generous: the highest device PRP in
 * preparation.md is ~2,310 × 10³/µL (Degen 2017, HSS J); normal blood is 150–450 platelets,
 * 4–11 white cells and 4–6 red cells in the units below.
 */
export const PLAUSIBLE_COUNT_MAX: Readonly<Record<CountFieldName, number>> = {
  plateletsKPerUl: 10_000,
  wbcKPerUl: 1_000,
  neutrophilsKPerUl: 1_000,
  rbcMPerUl: 15,
  hematocritPct: 100,
};

/**
 * A count that looks as if it was entered in another unit. `impossible` values cannot be right in
 * Autolog's unit (callers throw); `unusual` ones could be right (callers warn).
 */
export interface UnitSuspicion {
  field: string;
  value: number;
  severity: 'impossible' | 'unusual';
  /** The unit the value was probably entered in, in words a technician reads on a report. */
  likelyUnit: string;
  /** The value converted to Autolog's unit, when a single conversion explains it. */
  suggestedValue?: number;
  message: string;
}

const UNIT_LABEL: Record<CountFieldName, string> = {
  plateletsKPerUl: '× 10³/µL',
  wbcKPerUl: '× 10³/µL',
  neutrophilsKPerUl: '× 10³/µL',
  rbcMPerUl: '× 10⁶/µL',
  hematocritPct: '%',
};

/** Which count a field path names (`prp.wbcKPerUl` → `wbcKPerUl`), or null if it is not a count. */
export function countFieldName(field: string): CountFieldName | null {
  const last = field.slice(field.lastIndexOf('.') + 1);
  return last in PLAUSIBLE_COUNT_MAX ? (last as CountFieldName) : null;
}

/**
 * Looks at one count and says whether it was probably typed in another unit, with the value it
 * would have in Autolog's unit. `field` is the path (e.g. `wholeBlood.plateletsKPerUl`); the last
 * segment chooses the quantity and the first tells whole blood from PRP.
 *
 * Example: `suspectWrongUnit('wholeBlood.plateletsKPerUl', 245000)` → impossible, cells/µL,
 * suggestedValue 245, "… did you mean 245 × 10³/µL?".
 *
 * Returns null when the value is plausible as entered (or the field is not a known count).
 */
export function suspectWrongUnit(field: string, value: number): UnitSuspicion | null {
  const name = countFieldName(field);
  if (name === null || !Number.isFinite(value) || value <= 0) return null;
  const isWholeBlood = field.startsWith('wholeBlood');
  const max = PLAUSIBLE_COUNT_MAX[name];
  const unit = UNIT_LABEL[name];

  const suggest = (severity: UnitSuspicion['severity'], likelyUnit: string, suggestedValue: number): UnitSuspicion => ({
    field,
    value,
    severity,
    likelyUnit,
    suggestedValue,
    message: `${field} = ${formatSignificant(value)} looks like a value in ${likelyUnit}; did you mean ${formatSignificant(suggestedValue)} ${unit}?`,
  });

  switch (name) {
    case 'plateletsKPerUl':
      if (value >= 1e8) return suggest('impossible', 'cells/L', value / 1e9);
      if (value > max) return suggest('impossible', 'cells/µL', value / 1e3);
      // PRP targets are often written in millions/µL (IADVL 2021: 1–1.5 × 10⁶/µL), so 1.2 is suspicious.
      if (!isWholeBlood && value < 10) return suggest('unusual', '× 10⁶/µL', value * 1e3);
      if (isWholeBlood && value < 1) return suggest('unusual', '× 10⁶/µL', value * 1e3);
      return null;
    case 'wbcKPerUl':
    case 'neutrophilsKPerUl':
      if (value >= 1e8) return suggest('impossible', 'cells/L', value / 1e9);
      if (value > max) return suggest('impossible', 'cells/µL', value / 1e3);
      return null;
    case 'rbcMPerUl':
      if (value >= 1e10) return suggest('impossible', 'cells/L', value / 1e12);
      if (value >= 1e5) return suggest('impossible', 'cells/µL', value / 1e6);
      if (value >= 100) return suggest('impossible', '× 10³/µL', value / 1e3);
      if (value > max) {
        return {
          field,
          value,
          severity: 'impossible',
          likelyUnit: '% (haematocrit)',
          message: `${field} = ${formatSignificant(value)} is not a red-cell count in ${unit}; it looks like a haematocrit in %, which belongs in hematocritPct.`,
        };
      }
      return null;
    case 'hematocritPct':
      if (value > max) {
        return { field, value, severity: 'impossible', likelyUnit: 'unknown', message: `${field} = ${formatSignificant(value)} is above 100 %.` };
      }
      // A whole-blood haematocrit below 1 % is incompatible with life; it is a fraction (0.42).
      if (isWholeBlood && value < 1) return suggest('unusual', 'a fraction of 1', value * 100);
      return null;
  }
}

/** The suspicion as a warning to show beside a result. */
export function unitSuspicionWarning(suspicion: UnitSuspicion): ScienceWarning {
  return { field: suspicion.field, code: 'suspected-wrong-unit', message: suspicion.message };
}

/** Up to 6 significant digits, no trailing zeros: 245, 0.245, 2450000. */
export function formatSignificant(value: number): string {
  return String(Number(value.toPrecision(6)));
}
