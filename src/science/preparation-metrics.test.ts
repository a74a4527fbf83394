import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { thrownInputError } from './testing/expect-input-error.js';
import {
  anaestheticWarning,
  cellCompositionPct,
  checkPreparationInput,
  concentrationFactor,
  leukocyteFactor,
  plateletDoseBillion,
  plateletRecoveryPercent,
  preparationMetrics,
  productAgeWarning,
  purityPercent,
} from './preparation-metrics.js';
import type { PreparationInput } from './preparation-types.js';

const base: PreparationInput = {
  wholeBlood: { plateletsKPerUl: 200, volumeMl: 30, wbcKPerUl: 6, neutrophilsKPerUl: 3.6, rbcMPerUl: 4.6, hematocritPct: 42 },
  prp: { plateletsKPerUl: 1000, volumeMl: 5, wbcKPerUl: 1, neutrophilsKPerUl: 0.1, rbcMPerUl: 0.01, hematocritPct: 0.1 },
  anticoagulant: { agent: 'ACD-A', volumeMl: 3.3 },
  activation: { agent: 'none' },
  spins: [
    { rcf: 100, minutes: 15, temperatureC: 22 },
    { rcf: 1600, minutes: 20, temperatureC: 22 },
  ],
  method: 'manual',
  form: 'liquid',
  imageGuided: true,
};

describe('formulas (worked examples from preparation.md)', () => {
  it('doses 1,000 × 10³/µL × 5 mL as 5 × 10⁹ platelets', () => {
    expect(plateletDoseBillion(1000, 5)).toBe(5);
  });

  it('computes the fold of a Mini GPS III-like product (~5.1×)', () => {
    expect(concentrationFactor(1020, 200)).toBeCloseTo(5.1, 10);
  });

  it('computes recovery: ACP-like 1.5× in 4 mL from 13.5 mL is 44 %', () => {
    expect(plateletRecoveryPercent({ prpPlateletsKPerUl: 300, prpVolumeMl: 4, wholeBloodPlateletsKPerUl: 200, wholeBloodVolumeMl: 13.5 })).toBeCloseTo(44.44, 2);
  });

  it('computes purity with red cells converted from 10⁶/µL to cells/µL', () => {
    // 1,000,000 platelets + 1,000 white + 10,000 red cells per µL.
    expect(purityPercent({ plateletsKPerUl: 1000, wbcKPerUl: 1, rbcMPerUl: 0.01 })).toBeCloseTo(98.912, 3);
    // Half a million red cells per µL drags purity to two thirds.
    expect(purityPercent({ plateletsKPerUl: 1000, wbcKPerUl: 1, rbcMPerUl: 0.5 })).toBeCloseTo(66.62, 2);
  });

  it('splits composition into shares that add to 100 %', () => {
    const shares = cellCompositionPct({ plateletsKPerUl: 900, wbcKPerUl: 30, rbcMPerUl: 0.07 });
    expect(shares.plateletsPct + shares.wbcPct + shares.rbcPct).toBeCloseTo(100, 10);
    expect(shares.wbcPct).toBeCloseTo(3, 10);
  });

  it('computes the leukocyte factor', () => {
    expect(leukocyteFactor(30, 6)).toBe(5);
  });
});

describe('preparationMetrics', () => {
  it('computes every quantity for a complete preparation', () => {
    const metrics = preparationMetrics(base);
    expect(metrics.concentrationFactor).toBe(5);
    expect(metrics.plateletDoseBillion).toBe(5);
    expect(metrics.recoveryPercent).toBeCloseTo(83.33, 2);
    expect(metrics.leukocyteFactor).toBeCloseTo(1 / 6, 10);
    expect(metrics.purityPercent).toBeCloseTo(98.912, 3);
    expect(metrics.warnings).toEqual([]);
  });

  it('uses the injected volume for the dose when given', () => {
    expect(preparationMetrics({ ...base, injectedVolumeMl: 2 }).plateletDoseBillion).toBe(2);
  });

  it('leaves out leukocyteFactor and purityPercent when their counts are absent', () => {
    const metrics = preparationMetrics({ wholeBlood: { plateletsKPerUl: 250, volumeMl: 27 }, prp: { plateletsKPerUl: 1275, volumeMl: 3 } });
    expect('leukocyteFactor' in metrics).toBe(false);
    expect('purityPercent' in metrics).toBe(false);
    expect(metrics.concentrationFactor).toBeCloseTo(5.1, 10);
  });

  it('warns about baseline platelets below 100 and above 600 × 10³/µL', () => {
    const low = preparationMetrics({ ...base, wholeBlood: { ...base.wholeBlood, plateletsKPerUl: 90 } });
    expect(low.warnings.map((w) => w.code)).toContain('baseline-platelets-low');
    const high = preparationMetrics({ ...base, wholeBlood: { ...base.wholeBlood, plateletsKPerUl: 650 } });
    expect(high.warnings.map((w) => w.code)).toContain('baseline-platelets-high');
    const edge = preparationMetrics({ ...base, wholeBlood: { ...base.wholeBlood, plateletsKPerUl: 100 } });
    expect(edge.warnings.map((w) => w.code)).not.toContain('baseline-platelets-low');
  });

  it('warns when the concentration factor is below 1', () => {
    const metrics = preparationMetrics({ ...base, prp: { ...base.prp, plateletsKPerUl: 150 } });
    expect(metrics.warnings).toContainEqual(expect.objectContaining({ code: 'concentration-factor-below-1', field: 'prp.plateletsKPerUl' }));
  });

  it('warns when more platelets came out than went in', () => {
    const metrics = preparationMetrics({ ...base, prp: { ...base.prp, plateletsKPerUl: 2000, volumeMl: 4 }, wholeBlood: { ...base.wholeBlood, volumeMl: 10 } });
    expect(metrics.recoveryPercent).toBe(400);
    expect(metrics.warnings.map((w) => w.code)).toContain('recovery-above-100');
  });

  it('passes unusual-unit warnings through', () => {
    const metrics = preparationMetrics({ ...base, wholeBlood: { ...base.wholeBlood, hematocritPct: 0.42 } });
    expect(metrics.warnings).toContainEqual(expect.objectContaining({ field: 'wholeBlood.hematocritPct', code: 'suspected-wrong-unit' }));
  });
});

describe('impossible input', () => {
  it('names the field and suggests the unit for a platelet count in cells/µL', () => {
    const error = thrownInputError(() => preparationMetrics({ ...base, wholeBlood: { ...base.wholeBlood, plateletsKPerUl: 245_000 } }));
    expect(error.field).toBe('wholeBlood.plateletsKPerUl');
    expect(error.message).toContain('did you mean 245 × 10³/µL?');
    expect(error.allowed).toContain('10000');
  });

  it.each([
    ['wholeBlood.plateletsKPerUl', { ...base, wholeBlood: { ...base.wholeBlood, plateletsKPerUl: 0 } }],
    ['wholeBlood.plateletsKPerUl', { ...base, wholeBlood: { ...base.wholeBlood, plateletsKPerUl: Number.NaN } }],
    ['prp.plateletsKPerUl', { ...base, prp: { ...base.prp, plateletsKPerUl: -3 } }],
    ['wholeBlood.wbcKPerUl', { ...base, wholeBlood: { ...base.wholeBlood, wbcKPerUl: 0 } }],
    ['prp.neutrophilsKPerUl', { ...base, prp: { ...base.prp, neutrophilsKPerUl: 2 } }],
    ['prp.hematocritPct', { ...base, prp: { ...base.prp, hematocritPct: 140 } }],
    ['wholeBlood.volumeMl', { ...base, wholeBlood: { ...base.wholeBlood, volumeMl: 0 } }],
    ['prp.volumeMl', { ...base, prp: { ...base.prp, volumeMl: 40 } }],
    ['injectedVolumeMl', { ...base, injectedVolumeMl: 6 }],
    ['injectedVolumeMl', { ...base, injectedVolumeMl: 0 }],
    ['anticoagulant.volumeMl', { ...base, anticoagulant: { agent: 'ACD-A', volumeMl: -1 } }],
    ['anticoagulant.agent', { ...base, anticoagulant: { agent: ' ', volumeMl: 3 } }],
    ['spins[1].minutes', { ...base, spins: [{ rcf: 100, minutes: 10 }, { rcf: 400, minutes: 0 }] }],
    ['spins[0].rcf', { ...base, spins: [{ rcf: -100, minutes: 10 }] }],
    ['spins[0].temperatureC', { ...base, spins: [{ rcf: 100, minutes: 10, temperatureC: 80 }] }],
    ['activation.agent', { ...base, activation: { agent: 'CaCl2' } as unknown as PreparationInput['activation'] }],
    ['method', { ...base, method: 'machine' } as unknown as PreparationInput],
    ['form', { ...base, form: 'clot' } as unknown as PreparationInput],
    ['prp', { ...base, prp: undefined } as unknown as PreparationInput],
  ] as [string, PreparationInput][])('rejects %s', (field, input) => {
    expect(thrownInputError(() => preparationMetrics(input)).field).toBe(field);
  });

  it('allows PRP volume up to blood plus anticoagulant, not beyond', () => {
    const input = { ...base, wholeBlood: { ...base.wholeBlood, volumeMl: 10 }, prp: { ...base.prp, volumeMl: 11 }, anticoagulant: { agent: 'ACD-A', volumeMl: 1 } };
    expect(() => checkPreparationInput(input)).not.toThrow();
    expect(thrownInputError(() => checkPreparationInput({ ...input, prp: { ...input.prp, volumeMl: 11.5 } })).allowed).toContain('at most 11');
  });

  it('accepts a PRP white-cell count of 0 (leukocyte-poor product)', () => {
    expect(preparationMetrics({ ...base, prp: { ...base.prp, wbcKPerUl: 0, neutrophilsKPerUl: 0 } }).leukocyteFactor).toBe(0);
  });
});

describe('anaestheticWarning', () => {
  it('flags bupivacaine in any spelling or brand', () => {
    for (const name of ['bupivacaine 0.5%', 'Bupivacaine', 'levobupivacaine', 'Marcaine']) {
      expect(anaestheticWarning(name)?.code).toBe('anaesthetic-bupivacaine');
    }
  });

  it('accepts lidocaine and ropivacaine up to 1:1 and warns beyond', () => {
    expect(anaestheticWarning('lidocaine 1%')).toBeNull();
    expect(anaestheticWarning('ropivacaine 0.5%', { volumeRatioToPrp: 1 })).toBeNull();
    expect(anaestheticWarning('lidocaine 1%', { volumeRatioToPrp: 2 })?.code).toBe('anaesthetic-ratio');
  });

  it('flags agents without data and ignores "none"', () => {
    expect(anaestheticWarning('mepivacaine')?.code).toBe('anaesthetic-unstudied');
    expect(anaestheticWarning('none')).toBeNull();
    expect(anaestheticWarning('')).toBeNull();
  });
});

describe('productAgeWarning', () => {
  const drawnAtMs = Date.UTC(2025, 0, 1, 8, 0);
  const hour = 3_600_000;

  it('is silent up to 4 h and warns beyond', () => {
    expect(productAgeWarning(drawnAtMs, drawnAtMs + 4 * hour)).toBeNull();
    const warning = productAgeWarning(drawnAtMs, drawnAtMs + 4.5 * hour);
    expect(warning?.code).toBe('product-age');
    expect(warning?.message).toContain('4.5 h');
  });

  it('honours a clinic limit', () => {
    expect(productAgeWarning(drawnAtMs, drawnAtMs + 3 * hour, 2)?.code).toBe('product-age');
  });

  it('rejects an instant before the draw and a non-positive limit', () => {
    expect(thrownInputError(() => productAgeWarning(drawnAtMs, drawnAtMs - 1)).field).toBe('atMs');
    expect(thrownInputError(() => productAgeWarning(drawnAtMs, drawnAtMs, 0)).field).toBe('limitHours');
  });
});

describe('properties', () => {
  const preparation = fc
    .record({
      wbPlt: fc.double({ min: 20, max: 900, noNaN: true }),
      wbMl: fc.double({ min: 5, max: 120, noNaN: true }),
      prpPlt: fc.double({ min: 10, max: 5000, noNaN: true }),
      prpShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
    })
    .map(({ wbPlt, wbMl, prpPlt, prpShare }): PreparationInput => ({
      wholeBlood: { plateletsKPerUl: wbPlt, volumeMl: wbMl },
      prp: { plateletsKPerUl: prpPlt, volumeMl: wbMl * prpShare },
    }));

  it('makes the concentration factor strictly increasing in the PRP count', () => {
    fc.assert(
      fc.property(preparation, fc.double({ min: 1.001, max: 2, noNaN: true }), (input, k) => {
        const richer = { ...input, prp: { ...input.prp, plateletsKPerUl: input.prp.plateletsKPerUl * k } };
        return preparationMetrics(richer).concentrationFactor > preparationMetrics(input).concentrationFactor;
      }),
    );
  });

  it('ties recovery to fold and volumes: recovery = CF × V_PRP / V_WB × 100', () => {
    fc.assert(
      fc.property(preparation, (input) => {
        const m = preparationMetrics(input);
        const expected = (m.concentrationFactor * input.prp.volumeMl * 100) / input.wholeBlood.volumeMl;
        return Math.abs(m.recoveryPercent - expected) <= 1e-9 * expected;
      }),
    );
  });

  it('bounds the fold by the volume reduction whenever recovery is physically possible (≤ 100 %)', () => {
    fc.assert(
      fc.property(preparation, (input) => {
        const m = preparationMetrics(input);
        fc.pre(m.recoveryPercent <= 100);
        return m.concentrationFactor <= (input.wholeBlood.volumeMl / input.prp.volumeMl) * (1 + 1e-12);
      }),
    );
  });

  it('never doses more platelets than the whole PRP holds', () => {
    fc.assert(
      fc.property(preparation, fc.double({ min: 0.01, max: 1, noNaN: true }), (input, share) => {
        const whole = preparationMetrics(input).plateletDoseBillion;
        const part = preparationMetrics({ ...input, injectedVolumeMl: input.prp.volumeMl * share }).plateletDoseBillion;
        return part <= whole * (1 + 1e-12);
      }),
    );
  });

  it('lowers purity as red cells increase', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 3000, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (plt, wbc, rbc, more) => purityPercent({ plateletsKPerUl: plt, wbcKPerUl: wbc, rbcMPerUl: rbc + more }) < purityPercent({ plateletsKPerUl: plt, wbcKPerUl: wbc, rbcMPerUl: rbc }),
      ),
    );
  });

  it('rejects any negative count, naming its path', () => {
    const fields = ['plateletsKPerUl', 'wbcKPerUl', 'neutrophilsKPerUl', 'rbcMPerUl', 'hematocritPct'] as const;
    fc.assert(
      fc.property(fc.constantFrom('wholeBlood', 'prp') , fc.constantFrom(...fields), fc.double({ min: -1e6, max: -1e-6, noNaN: true }), (sample, field, value) => {
        const input: PreparationInput = { ...base, [sample]: { ...base[sample], [field]: value } };
        return thrownInputError(() => preparationMetrics(input)).field === `${sample}.${field}`;
      }),
    );
  });
});
