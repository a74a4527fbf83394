/**
 * Patient Global Impression of Change (PGIC): one item, seven ordered categories. Stored as a
 * category code or as its 1–7 value; there is no sum. Only codes live here — the clinic stores
 * which wording it showed (outcomes.md §2).
 */
import { ScienceInputError } from './errors.js';

/**
 * The seven PGIC categories, best first, with the 1–7 values of the CGI improvement item
 * (1 = very much improved, 4 = no change, 7 = very much worse).
 * Sources: Guy W. ECDEU Assessment Manual for Psychopharmacology, 1976 (CGI-I, 1–7 coding,
 * confirmed against the NIDA Data Share CGI description); patient-rated use: Farrar JT et al.
 * Pain 2001;94:149–158.
 */
export const PGIC_CATEGORIES = [
  { code: 'very-much-improved', value: 1 },
  { code: 'much-improved', value: 2 },
  { code: 'minimally-improved', value: 3 },
  { code: 'no-change', value: 4 },
  { code: 'minimally-worse', value: 5 },
  { code: 'much-worse', value: 6 },
  { code: 'very-much-worse', value: 7 },
] as const;

export type PgicCategory = (typeof PGIC_CATEGORIES)[number]['code'];
export type PgicValue = (typeof PGIC_CATEGORIES)[number]['value'];

/** True for one of the seven PGIC category codes. */
export function isPgicCategory(value: unknown): value is PgicCategory {
  return PGIC_CATEGORIES.some((c) => c.code === value);
}

/** The 1–7 value of a category code (1 = very much improved). */
export function pgicValue(category: PgicCategory): PgicValue {
  const found = PGIC_CATEGORIES.find((c) => c.code === category);
  if (!found) throw new ScienceInputError('category', `one of ${PGIC_CATEGORIES.map((c) => c.code).join(', ')}`);
  return found.value;
}

/** The category code of a 1–7 value. */
export function pgicCategory(value: number): PgicCategory {
  const found = PGIC_CATEGORIES.find((c) => c.value === value);
  if (!found) throw new ScienceInputError('value', 'a whole number from 1 (very much improved) to 7 (very much worse)');
  return found.code;
}

/**
 * True when `answer` is `threshold` or better (e.g. answer "very much improved" is at least
 * "much improved"). Accepts codes or 1–7 values.
 */
export function isPgicAtLeast(answer: PgicCategory | number, threshold: PgicCategory): boolean {
  const answerValue = typeof answer === 'number' ? pgicValue(pgicCategory(answer)) : pgicValue(answer);
  return answerValue <= pgicValue(threshold); // lower value = more improved (Guy 1976 coding)
}

/**
 * IMMPACT benchmarks for PGIC: minimally improved = minimally important, much improved =
 * moderately important, very much improved = substantial improvement.
 * Source: Dworkin RH et al. Interpreting the clinical importance of treatment outcomes in chronic
 * pain clinical trials: IMMPACT recommendations. J Pain 2008;9(2):105–121.
 * [M] the minimal and substantial rows were seen in a summary of the paper's Table 1; the
 * "much improved = moderate" row was garbled there and is from memory.
 */
export const PGIC_IMMPACT_BENCHMARKS = {
  minimal: 'minimally-improved',
  moderate: 'much-improved',
  substantial: 'very-much-improved',
} as const satisfies Record<string, PgicCategory>;
