import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { expectInputError } from './testing/expect-input-error.js';
import {
  ODI_BANDS,
  ODI_SECTION_COUNT,
  odiBand,
  scoreNrs,
  scoreOdi,
  scorePeg,
  scoreStartBack,
  type OdiSectionScore,
  type StartBackItems,
} from './instrument-scoring.js';

/** Ten sections summing to `total` (0–50), filled from the first section. */
function odiWithSum(total: number): OdiSectionScore[] {
  return Array.from({ length: 10 }, (_, i) => Math.max(0, Math.min(5, total - 5 * i)) as OdiSectionScore);
}

describe('scoreNrs', () => {
  it('accepts whole numbers 0–10', () => {
    expect(scoreNrs(0)).toEqual({ score: 0 });
    expect(scoreNrs(10)).toEqual({ score: 10 });
  });
  it('rejects anything else, naming the value', () => {
    for (const v of [-1, 11, 2.5, Number.NaN, '5' as unknown as number]) expectInputError(() => scoreNrs(v), 'value');
  });
});

describe('scoreOdi', () => {
  it('scores the extremes', () => {
    expect(scoreOdi(odiWithSum(0))).toEqual({ percent: 0, answered: 10, band: 'minimal' });
    expect(scoreOdi(odiWithSum(50))).toEqual({ percent: 100, answered: 10, band: 'bed-bound' });
  });

  it('puts the Fairbank & Pynsent 2000 band edges in the right band', () => {
    const bandOf = (sum: number) => scoreOdi(odiWithSum(sum)).band;
    expect([bandOf(10), bandOf(11)]).toEqual(['minimal', 'moderate']); // 20 % | 22 %
    expect([bandOf(20), bandOf(21)]).toEqual(['moderate', 'severe']); // 40 % | 42 %
    expect([bandOf(30), bandOf(31)]).toEqual(['severe', 'crippled']); // 60 % | 62 %
    expect([bandOf(40), bandOf(41)]).toEqual(['crippled', 'bed-bound']); // 80 % | 82 %
  });

  it('classifies fractional percents by upper edge', () => {
    expect(odiBand(20)).toBe('minimal');
    expect(odiBand(20.001)).toBe('moderate');
    expect(odiBand(21)).toBe('moderate');
    expect(odiBand(41)).toBe('severe');
    expect(odiBand(61)).toBe('crippled');
    expect(odiBand(81)).toBe('bed-bound');
    expectInputError(() => odiBand(101), 'percent');
  });

  it('drops one unanswered section from the denominator (16 of 45 → 35.6 %)', () => {
    const sections: (OdiSectionScore | null)[] = [2, 2, 2, 2, 2, 2, 2, 1, 1, null];
    const result = scoreOdi(sections);
    expect(result.answered).toBe(9);
    expect(result.percent).toBeCloseTo((16 / 45) * 100, 12);
    expect(result.band).toBe('moderate');
  });

  it('gives exactly 20 % for 9 of 45 (band edge with a missing section)', () => {
    const result = scoreOdi([1, 1, 1, 1, 1, 1, 1, 1, 1, null]);
    expect(result.percent).toBe(20);
    expect(result.band).toBe('minimal');
  });

  it('gives no score with two or more unanswered sections', () => {
    expect(scoreOdi([null, 1, 1, 1, 1, 1, 1, 1, 1, null])).toEqual({ percent: null, answered: 8, reason: 'too-many-missing-sections' });
    expect(scoreOdi(Array.from({ length: 10 }, () => null))).toEqual({ percent: null, answered: 0, reason: 'too-many-missing-sections' });
  });

  it('validates length and values, naming the section', () => {
    expectInputError(() => scoreOdi([1, 1, 1] as OdiSectionScore[]), 'sections');
    expectInputError(() => scoreOdi(odiWithSum(0).concat(0)), 'sections');
    expectInputError(() => scoreOdi([0, 0, 0, 6, 0, 0, 0, 0, 0, 0] as OdiSectionScore[]), 'sections[3]');
    expectInputError(() => scoreOdi([0, 0, 0, 0, 0, 0, 0, 0, 0, 2.5] as OdiSectionScore[]), 'sections[9]');
    expectInputError(() => scoreOdi([0, -1, 0, 0, 0, 0, 0, 0, 0, 0] as OdiSectionScore[]), 'sections[1]');
    expectInputError(() => scoreOdi([0, 0, undefined, 0, 0, 0, 0, 0, 0, 0] as unknown as OdiSectionScore[]), 'sections[2]');
    expectInputError(() => scoreOdi(null as unknown as OdiSectionScore[]), 'sections');
  });

  it('property: percent is in [0, 100], its band matches, and no score only with > 1 missing', () => {
    const section = fc.option(fc.constantFrom<OdiSectionScore>(0, 1, 2, 3, 4, 5), { nil: null, freq: 5 });
    fc.assert(
      fc.property(fc.array(section, { minLength: ODI_SECTION_COUNT, maxLength: ODI_SECTION_COUNT }), (sections) => {
        const result = scoreOdi(sections);
        const missing = sections.filter((s) => s === null).length;
        expect(result.answered).toBe(10 - missing);
        if (missing > 1) {
          expect(result.percent).toBeNull();
          return;
        }
        expect(result.percent).not.toBeNull();
        const percent = result.percent ?? NaN;
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
        const band = ODI_BANDS.find((b) => percent <= b.maxPercent)?.band;
        expect(result.band).toBe(band);
      }),
    );
  });
});

describe('scorePeg', () => {
  it('is the mean of the three items (Krebs 2009)', () => {
    expect(scorePeg([5, 6, 7])).toEqual({ score: 6 });
    expect(scorePeg([0, 0, 0])).toEqual({ score: 0 });
    expect(scorePeg([10, 10, 10])).toEqual({ score: 10 });
    expect(scorePeg([7, 7, 6]).score).toBeCloseTo(20 / 3, 12);
  });
  it('requires all three whole-number items 0–10', () => {
    expectInputError(() => scorePeg([11, 0, 0]), 'items[0]');
    expectInputError(() => scorePeg([1, null as unknown as number, 0]), 'items[1]');
    expectInputError(() => scorePeg([1, 2, 3.5]), 'items[2]');
    expectInputError(() => scorePeg([1, 2] as unknown as [number, number, number]), 'items');
  });
});

describe('scoreStartBack', () => {
  const items = (physical: number[], psychosocial: number[], bothersome: number) =>
    [...physical, ...psychosocial, bothersome] as unknown as StartBackItems;

  it('counts item 9 only for "very much" (3) or "extremely" (4)', () => {
    expect(scoreStartBack(items([0, 0, 0, 0], [0, 0, 0, 0], 2))).toEqual({ total: 0, psychosocial: 0, risk: 'low' });
    expect(scoreStartBack(items([0, 0, 0, 0], [0, 0, 0, 0], 3))).toEqual({ total: 1, psychosocial: 1, risk: 'low' });
    expect(scoreStartBack(items([0, 0, 0, 0], [0, 0, 0, 0], 4)).total).toBe(1);
  });

  it('applies the Hill 2008 group edges', () => {
    // total 3 → low (edge)
    expect(scoreStartBack(items([1, 1, 1, 0], [0, 0, 0, 0], 0)).risk).toBe('low');
    // total 4, subscale 0 → medium
    expect(scoreStartBack(items([1, 1, 1, 1], [0, 0, 0, 0], 0))).toEqual({ total: 4, psychosocial: 0, risk: 'medium' });
    // total 7, subscale 3 → medium (edge)
    expect(scoreStartBack(items([1, 1, 1, 1], [1, 1, 1, 0], 0))).toEqual({ total: 7, psychosocial: 3, risk: 'medium' });
    // total 4, subscale 4 → high (edge)
    expect(scoreStartBack(items([0, 0, 0, 0], [1, 1, 1, 0], 3))).toEqual({ total: 4, psychosocial: 4, risk: 'high' });
    // all positive → 9 / 5 high
    expect(scoreStartBack(items([1, 1, 1, 1], [1, 1, 1, 1], 4))).toEqual({ total: 9, psychosocial: 5, risk: 'high' });
  });

  it('requires all nine answers with valid values', () => {
    expectInputError(() => scoreStartBack([0, 0, 0] as unknown as StartBackItems), 'items');
    expectInputError(() => scoreStartBack(items([0, 0, 2, 0], [0, 0, 0, 0], 0)), 'items[2]');
    expectInputError(() => scoreStartBack(items([0, 0, 0, 0], [0, null as unknown as number, 0, 0], 0)), 'items[5]');
    expectInputError(() => scoreStartBack(items([0, 0, 0, 0], [0, 0, 0, 0], 5)), 'items[8]');
  });

  it('property: subscale ≤ total and the group follows the rules', () => {
    const bit = fc.constantFrom<0 | 1>(0, 1);
    fc.assert(
      fc.property(fc.array(bit, { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 4 }), (first8, ninth) => {
        const result = scoreStartBack([...first8, ninth] as unknown as StartBackItems);
        const item9 = ninth >= 3 ? 1 : 0;
        expect(result.total).toBe(first8.reduce<number>((a, b) => a + b, 0) + item9);
        expect(result.psychosocial).toBe(first8.slice(4).reduce<number>((a, b) => a + b, 0) + item9);
        expect(result.psychosocial).toBeLessThanOrEqual(result.total);
        const expected = result.total <= 3 ? 'low' : result.psychosocial >= 4 ? 'high' : 'medium';
        expect(result.risk).toBe(expected);
      }),
    );
  });
});
