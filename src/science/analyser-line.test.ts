import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAnalyserLine } from './analyser-line.js';
import { thrownInputError } from './testing/expect-input-error.js';

describe('parseAnalyserLine', () => {
  it('reads the common "PLT 245 WBC 6.1 RBC 4.5 HCT 41" line in Autolog units', () => {
    const result = parseAnalyserLine('PLT 245 WBC 6.1 RBC 4.5 HCT 41');
    expect(result.counts).toEqual({ plateletsKPerUl: 245, wbcKPerUl: 6.1, rbcMPerUl: 4.5, hematocritPct: 41 });
    expect(result.unrecognised).toEqual([]);
    expect(result.readings.map((r) => r.printedUnit)).toEqual([null, null, null, null]);
  });

  it('tolerates case, colons, equals signs, separators and tabs', () => {
    for (const line of ['plt: 245; wbc: 6.1; rbc: 4.5; hct: 41', 'PLT=245,WBC=6.1,RBC=4.5,HCT=41', 'PLT\t245 | WBC\t6.1 | RBC\t4.5 | HCT\t41', 'Plt 245  Wbc 6.1  Rbc 4.5  Hct 41']) {
      expect(parseAnalyserLine(line).counts, line).toEqual({ plateletsKPerUl: 245, wbcKPerUl: 6.1, rbcMPerUl: 4.5, hematocritPct: 41 });
    }
  });

  it('converts printed units explicitly', () => {
    expect(parseAnalyserLine('PLT: 245 10^3/uL').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 245 x10^9/L').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 245 10³/µL').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 245 K/µL').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 245 G/L').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 245000 /µL').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 245,000 /mm3').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('PLT 2.45 x 10^5/uL').counts.plateletsKPerUl).toBe(245);
    expect(parseAnalyserLine('WBC 6.1 x10E9/L').counts.wbcKPerUl).toBe(6.1);
    expect(parseAnalyserLine('RBC 4.5 10^12/L').counts.rbcMPerUl).toBe(4.5);
    expect(parseAnalyserLine('RBC 4.5 T/L').counts.rbcMPerUl).toBe(4.5);
    expect(parseAnalyserLine('RBC 4500000 /uL').counts.rbcMPerUl).toBe(4.5);
    expect(parseAnalyserLine('HCT 0.41 L/L').counts.hematocritPct).toBe(41);
    expect(parseAnalyserLine('HCT 41 %').counts.hematocritPct).toBe(41);
    expect(parseAnalyserLine('PLT(10^9/L) 245').counts.plateletsKPerUl).toBe(245);
  });

  it('reads decimal commas and neutrophil counts, and ignores what a preparation does not record', () => {
    const result = parseAnalyserLine('WBC 6,1 NEUT# 3,6 NEUT% 59 LYM% 30 HGB 13.5 g/dL MCV 88 fL MPV 9.8 fL');
    expect(result.counts).toEqual({ wbcKPerUl: 6.1, neutrophilsKPerUl: 3.6 });
    expect(result.ignored.map((i) => i.label)).toEqual(['NEUT%', 'LYM%', 'HGB', 'MCV', 'MPV']);
    expect(result.unrecognised).toEqual([]);
  });

  it('skips analyser flags and reports text it cannot read', () => {
    const result = parseAnalyserLine('Sample 0042 PLT 480 H WBC 12.1 H');
    expect(result.counts).toEqual({ plateletsKPerUl: 480, wbcKPerUl: 12.1 });
    expect(result.unrecognised).toEqual(['Sample 0042']);
  });

  it('never rescales a number printed without a unit, but warns with the conversion', () => {
    const result = parseAnalyserLine('PLT 245000', { sample: 'wholeBlood' });
    expect(result.counts.plateletsKPerUl).toBe(245000);
    expect(result.warnings[0]).toMatchObject({ field: 'wholeBlood.plateletsKPerUl', code: 'suspected-wrong-unit' });
    expect(result.warnings[0]!.message).toContain('did you mean 245 × 10³/µL');
    expect(parseAnalyserLine('HCT 0.41', { sample: 'wholeBlood' }).warnings[0]!.message).toContain('did you mean 41 %');
    expect(parseAnalyserLine('PLT 245 WBC 6.1', { sample: 'wholeBlood' }).warnings).toEqual([]);
  });

  it('names the input in every error', () => {
    expect(thrownInputError(() => parseAnalyserLine('   ', { field: 'prp.analyserLine' })).field).toBe('prp.analyserLine');
    expect(thrownInputError(() => parseAnalyserLine('HGB 13.5 MCV 88')).message).toContain('no platelet');
    const twice = thrownInputError(() => parseAnalyserLine('PLT 245 PLT 250'));
    expect(twice.field).toBe('line');
    expect(twice.message).toContain('twice');
    expect(parseAnalyserLine('PLT 245 PLT 245').counts.plateletsKPerUl).toBe(245);
    expect(thrownInputError(() => parseAnalyserLine('PLT 12 %')).message).toContain('percentage');
    expect(thrownInputError(() => parseAnalyserLine('HCT 41 10^3/uL')).message).toContain('haematocrit');
    expect(thrownInputError(() => parseAnalyserLine('PLT -5')).message).toContain('negative');
  });

  it('reads back any platelet count printed in 10⁹/L as the same number in 10³/µL (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999 }), (tenths) => {
        const value = tenths / 10;
        return parseAnalyserLine(`PLT ${value} x10^9/L`).counts.plateletsKPerUl === value;
      }),
    );
  });
});
