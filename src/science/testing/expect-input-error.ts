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

/** The ScienceInputError `run` throws, for tests that look at more than its field; fails otherwise. */
export function thrownInputError(run: () => unknown): ScienceInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScienceInputError) return error;
    throw error;
  }
  throw new Error('expected a ScienceInputError');
}
