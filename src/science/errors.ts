/**
 * Thrown by every science function for input that cannot be right (NaN, a negative count, a
 * PRP volume larger than the blood drawn). `field` is the path of the offending input, so the
 * HTTP layer and the lab screen can point at it.
 */
export class ScienceInputError extends Error {
  override readonly name = 'ScienceInputError';
  constructor(
    readonly field: string,
    readonly allowed: string,
    message?: string,
  ) {
    super(message ?? `${field} must be ${allowed}`);
  }
}

/** A plausible but unusual input, reported alongside a result instead of thrown. */
export interface ScienceWarning {
  field: string;
  code: string;
  message: string;
}

/** Asserts a finite number within [min, max] (either bound optional, inclusive unless exclusive). */
export function requireNumber(
  value: unknown,
  field: string,
  range: { min?: number; max?: number; minExclusive?: boolean } = {},
): number {
  const allowed = describeRange(range);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ScienceInputError(field, allowed, `${field} must be a finite number (${allowed})`);
  const { min, max, minExclusive } = range;
  if (min !== undefined && (minExclusive ? value <= min : value < min)) throw new ScienceInputError(field, allowed);
  if (max !== undefined && value > max) throw new ScienceInputError(field, allowed);
  return value;
}

function describeRange({ min, max, minExclusive }: { min?: number; max?: number; minExclusive?: boolean }): string {
  if (min !== undefined && max !== undefined) return `${minExclusive ? 'above' : 'at least'} ${min} and at most ${max}`;
  if (min !== undefined) return minExclusive ? `greater than ${min}` : `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return 'a finite number';
}
