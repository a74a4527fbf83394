import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ScienceInputError } from './errors.js';
import {
  cellsPerLiterToKPerUl,
  cellsPerUlToKPerUl,
  cellsPerUlToMPerUl,
  countFieldName,
  formatSignificant,
  hematocritFractionToPct,
  hematocritPctToFraction,
  kPerUlToCellsPerUl,
  kPerUlToPerLiter9,
  mPerUlToCellsPerUl,
  mPerUlToKPerUl,
  mPerUlToPerLiter12,
  perLiter12ToMPerUl,
  perLiter9ToKPerUl,
  suspectWrongUnit,
  unitSuspicionWarning,
} from './units.js';

describe('conversions', () => {
  it('treats 10⁹/L and 10³/µL as the same number', () => {
    expect(perLiter9ToKPerUl(245)).toBe(245);
    expect(kPerUlToPerLiter9(245)).toBe(245);
    expect(perLiter12ToMPerUl(4.6)).toBe(4.6);
    expect(mPerUlToPerLiter12(4.6)).toBe(4.6);
  });

  it('scales cells/µL, cells/L and millions/µL correctly', () => {
    expect(cellsPerUlToKPerUl(245_000)).toBe(245);
    expect(kPerUlToCellsPerUl(245)).toBe(245_000);
    expect(cellsPerUlToMPerUl(4_500_000)).toBe(4.5);
    expect(mPerUlToCellsPerUl(4.5)).toBe(4_500_000);
    expect(mPerUlToKPerUl(1.2)).toBe(1200);
    expect(cellsPerLiterToKPerUl(2.45e11)).toBeCloseTo(245, 9);
    expect(hematocritFractionToPct(0.42)).toBeCloseTo(42, 9);
    expect(hematocritPctToFraction(42)).toBeCloseTo(0.42, 9);
  });

  it('rejects negative and non-finite values with the field name', () => {
    expect(() => cellsPerUlToKPerUl(-1, 'prp.plateletsKPerUl')).toThrow(/prp\.plateletsKPerUl/);
    expect(() => perLiter9ToKPerUl(Number.NaN)).toThrow(ScienceInputError);
    expect(() => hematocritFractionToPct(42)).toThrow(/at most 1/);
  });

  it('round-trips every pair', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (x) => {
        const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
        return (
          close(cellsPerUlToKPerUl(kPerUlToCellsPerUl(x)), x) &&
          close(cellsPerUlToMPerUl(mPerUlToCellsPerUl(x)), x) &&
          close(kPerUlToPerLiter9(perLiter9ToKPerUl(x)), x)
        );
      }),
    );
  });
});

describe('suspectWrongUnit', () => {
  it('reads a platelet count of 245000 as cells/µL and suggests 245 × 10³/µL', () => {
    const suspicion = suspectWrongUnit('wholeBlood.plateletsKPerUl', 245_000);
    expect(suspicion).not.toBeNull();
    expect(suspicion?.severity).toBe('impossible');
    expect(suspicion?.likelyUnit).toBe('cells/µL');
    expect(suspicion?.suggestedValue).toBe(245);
    expect(suspicion?.message).toContain('did you mean 245 × 10³/µL?');
  });

  it('reads a count per litre', () => {
    expect(suspectWrongUnit('prp.plateletsKPerUl', 1.2e12)?.suggestedValue).toBe(1200);
  });

  it('reads a PRP count of 1.2 as millions per µL, but only warns', () => {
    const suspicion = suspectWrongUnit('prp.plateletsKPerUl', 1.2);
    expect(suspicion?.severity).toBe('unusual');
    expect(suspicion?.suggestedValue).toBe(1200);
    expect(suspectWrongUnit('wholeBlood.plateletsKPerUl', 5)).toBeNull();
  });

  it('reads white cells in cells/µL and red cells in cells/µL or 10³/µL', () => {
    expect(suspectWrongUnit('wholeBlood.wbcKPerUl', 6500)?.suggestedValue).toBe(6.5);
    expect(suspectWrongUnit('wholeBlood.rbcMPerUl', 4_500_000)?.suggestedValue).toBe(4.5);
    expect(suspectWrongUnit('wholeBlood.rbcMPerUl', 4500)?.suggestedValue).toBe(4.5);
  });

  it('recognises a haematocrit typed into the red-cell field', () => {
    const suspicion = suspectWrongUnit('wholeBlood.rbcMPerUl', 42);
    expect(suspicion?.severity).toBe('impossible');
    expect(suspicion?.message).toMatch(/haematocrit/);
    expect(suspicion?.suggestedValue).toBeUndefined();
  });

  it('reads a whole-blood haematocrit of 0.42 as a fraction, but not a PRP one', () => {
    expect(suspectWrongUnit('wholeBlood.hematocritPct', 0.42)?.suggestedValue).toBe(42);
    expect(suspectWrongUnit('prp.hematocritPct', 0.42)).toBeNull();
  });

  it('leaves plausible values and unknown fields alone', () => {
    expect(suspectWrongUnit('wholeBlood.plateletsKPerUl', 245)).toBeNull();
    expect(suspectWrongUnit('prp.plateletsKPerUl', 2310)).toBeNull();
    expect(suspectWrongUnit('prp.wbcKPerUl', 0)).toBeNull();
    expect(suspectWrongUnit('prp.volumeMl', 1e6)).toBeNull();
  });

  it('suggests back the original count for any platelet count typed in cells/µL', () => {
    fc.assert(
      fc.property(fc.integer({ min: 11, max: 5000 }), (kPerUl) => {
        const suspicion = suspectWrongUnit('prp.plateletsKPerUl', kPerUl * 1000);
        return suspicion !== null && suspicion.severity === 'impossible' && suspicion.suggestedValue === kPerUl;
      }),
    );
  });

  it('never flags a normal whole-blood count', () => {
    fc.assert(fc.property(fc.double({ min: 1, max: 10_000, noNaN: true }), (v) => suspectWrongUnit('wholeBlood.plateletsKPerUl', v) === null));
  });

  it('turns a suspicion into a warning on the same field', () => {
    const suspicion = suspectWrongUnit('prp.plateletsKPerUl', 1.5);
    expect(suspicion).not.toBeNull();
    if (suspicion) expect(unitSuspicionWarning(suspicion)).toEqual({ field: 'prp.plateletsKPerUl', code: 'suspected-wrong-unit', message: suspicion.message });
  });
});

describe('helpers', () => {
  it('names count fields by their last path segment', () => {
    expect(countFieldName('wholeBlood.neutrophilsKPerUl')).toBe('neutrophilsKPerUl');
    expect(countFieldName('prp.volumeMl')).toBeNull();
  });

  it('formats numbers without float noise', () => {
    expect(formatSignificant(0.1 + 0.2)).toBe('0.3');
    expect(formatSignificant(245)).toBe('245');
  });
});
