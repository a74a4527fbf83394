import { expect } from 'vitest';
import { ScienceInputError } from '../errors.js';

/** Asserts that `fn` throws a ScienceInputError naming `field`. */
export function expectInputError(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScienceInputError);
    expect((error as ScienceInputError).field).toBe(field);
    return;
  }
  throw new Error(`expected a ScienceInputError for ${field}`);
}
