import { describe, it, expect } from 'vitest';
import { ScienceInputError } from './errors.js';
import { PGIC_CATEGORIES, PGIC_IMMPACT_BENCHMARKS, isPgicAtLeast, isPgicCategory, pgicCategory, pgicValue } from './instrument-pgic.js';

describe('PGIC categories', () => {
  it('has seven categories coded 1–7, best first', () => {
    expect(PGIC_CATEGORIES.map((c) => c.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(PGIC_CATEGORIES[0].code).toBe('very-much-improved');
    expect(PGIC_CATEGORIES[3].code).toBe('no-change');
    expect(PGIC_CATEGORIES[6].code).toBe('very-much-worse');
  });

  it('converts between codes and values', () => {
    for (const { code, value } of PGIC_CATEGORIES) {
      expect(pgicValue(code)).toBe(value);
      expect(pgicCategory(value)).toBe(code);
    }
    expect(() => pgicCategory(0)).toThrow(ScienceInputError);
    expect(() => pgicCategory(2.5)).toThrow(ScienceInputError);
    expect(() => pgicValue('better' as never)).toThrow(ScienceInputError);
  });

  it('recognises codes only', () => {
    expect(isPgicCategory('much-improved')).toBe(true);
    expect(isPgicCategory('Much improved')).toBe(false);
    expect(isPgicCategory(2)).toBe(false);
  });

  it('orders answers against a threshold', () => {
    expect(isPgicAtLeast('very-much-improved', 'much-improved')).toBe(true);
    expect(isPgicAtLeast('much-improved', 'much-improved')).toBe(true);
    expect(isPgicAtLeast('minimally-improved', 'much-improved')).toBe(false);
    expect(isPgicAtLeast(2, 'much-improved')).toBe(true);
    expect(isPgicAtLeast(7, 'very-much-worse')).toBe(true);
    expect(() => isPgicAtLeast(8, 'no-change')).toThrow(ScienceInputError);
  });

  it('maps the IMMPACT benchmarks to categories', () => {
    expect(PGIC_IMMPACT_BENCHMARKS).toEqual({ minimal: 'minimally-improved', moderate: 'much-improved', substantial: 'very-much-improved' });
  });
});
