import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PreparationRecord } from './preparation-types.js';
import { isPathPresent, MIBO_PRP_ITEMS, reportingCompleteness } from './reporting-completeness.js';

const complete: PreparationRecord = {
  wholeBlood: { plateletsKPerUl: 220, volumeMl: 27, wbcKPerUl: 6, neutrophilsKPerUl: 3.5, rbcMPerUl: 4.7, hematocritPct: 43 },
  prp: { plateletsKPerUl: 1100, volumeMl: 3, wbcKPerUl: 20, neutrophilsKPerUl: 8, rbcMPerUl: 0.5, hematocritPct: 4 },
  injectedVolumeMl: 3,
  anticoagulant: { agent: 'ACD-A', volumeMl: 3 },
  activation: { agent: 'calcium-chloride', timing: 'at-injection' },
  spins: [{ rcf: 1100, minutes: 15, temperatureC: 22 }],
  method: 'device',
  form: 'liquid',
  imageGuided: true,
  imagingModality: 'fluoroscopy',
  system: { name: 'Mini GPS III' },
  injections: { count: 2, intervalDays: 28 },
  site: 'L4-L5 disc',
  localAnaesthetic: { agent: 'none' },
  concomitantMedication: 'none',
  rehabilitation: 'walking programme, 6 weeks',
  outcomeMeasures: ['odi', 'nrs'],
};

describe('MIBO_PRP_ITEMS', () => {
  it('has unique ids and a label for every item', () => {
    const ids = MIBO_PRP_ITEMS.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of MIBO_PRP_ITEMS) {
      expect(item.label.length).toBeGreaterThan(5);
      expect(item.satisfiedBy.length).toBeGreaterThan(0);
    }
  });

  it('covers what preparation.md says a PRP record must capture', () => {
    const ids = MIBO_PRP_ITEMS.map((item) => item.id);
    for (const id of ['draw-volume', 'anticoagulant', 'system-or-protocol', 'spin-force-time', 'final-volume', 'platelets-blood', 'platelets-prp', 'white-cells', 'neutrophils', 'red-cells', 'activation-agent', 'activation-timing', 'injected-volume', 'injection-count', 'injection-interval', 'site', 'image-guidance', 'local-anaesthetic', 'concomitant-medication', 'rehabilitation', 'outcome-measures']) {
      expect(ids).toContain(id);
    }
  });
});

describe('reportingCompleteness', () => {
  it('scores a complete record 100 %', () => {
    const result = reportingCompleteness(complete);
    expect(result.missing).toEqual([]);
    expect(result.percent).toBe(100);
    expect(result.present).toHaveLength(MIBO_PRP_ITEMS.length);
  });

  it('scores an empty record 0 % with every applicable item missing', () => {
    const result = reportingCompleteness({});
    expect(result.present).toEqual([]);
    expect(result.percent).toBe(0);
    expect(result.missing).toContain('draw-volume');
    expect(result.notApplicable).toEqual([]);
  });

  it('counts false and 0-free answers like "no image guidance" as present', () => {
    const result = reportingCompleteness({ imageGuided: false });
    expect(result.present).toEqual(['image-guidance']);
  });

  it('does not count empty text or lists', () => {
    const result = reportingCompleteness({ site: '  ', outcomeMeasures: [] });
    expect(result.present).toEqual([]);
  });

  it('accepts a manual protocol instead of a kit name, and haematocrit instead of a red-cell count', () => {
    const result = reportingCompleteness({ system: { protocol: 'SOP-PRP-03 v2' }, prp: { hematocritPct: 0.5 } });
    expect(result.present).toEqual(['system-or-protocol', 'red-cells']);
  });

  it('needs both samples for white cells and neutrophils', () => {
    const result = reportingCompleteness({ prp: { wbcKPerUl: 1, neutrophilsKPerUl: 0.2 } });
    expect(result.missing).toContain('white-cells');
    expect(result.missing).toContain('neutrophils');
  });

  it('needs force, time and temperature on every spin', () => {
    const result = reportingCompleteness({ spins: [{ rcf: 100, minutes: 10, temperatureC: 20 }, { rcf: 400, minutes: 10 }] });
    expect(result.present).toEqual(['spin-force-time']);
    expect(result.missing).toContain('spin-temperature');
  });

  it('skips activation timing when nothing was added, and the interval for a single injection', () => {
    const result = reportingCompleteness({ activation: { agent: 'none' }, injections: { count: 1 } });
    expect(result.notApplicable).toEqual(['activation-timing', 'injection-interval']);
    expect(result.present).toEqual(['activation-agent', 'injection-count']);
    expect(result.percent).toBeCloseTo((2 / (MIBO_PRP_ITEMS.length - 2)) * 100, 10);
  });

  it('points each missing item at the field to fill', () => {
    const item = reportingCompleteness({}).items.find((i) => i.id === 'anticoagulant');
    expect(item).toMatchObject({ status: 'missing', fields: ['anticoagulant.agent', 'anticoagulant.volumeMl'] });
  });

  it('never loses completeness when a field is added', () => {
    const keys = Object.keys(complete) as (keyof PreparationRecord)[];
    fc.assert(
      fc.property(fc.subarray(keys), fc.constantFrom(...keys), (subset, extra) => {
        const pick = (ks: (keyof PreparationRecord)[]): PreparationRecord => Object.fromEntries(ks.map((k) => [k, complete[k]])) as PreparationRecord;
        const before = reportingCompleteness(pick(subset)).present.length;
        const after = reportingCompleteness(pick([...subset, extra])).present.length;
        return after >= before;
      }),
    );
  });

  it('keeps the percentage between 0 and 100', () => {
    const keys = Object.keys(complete) as (keyof PreparationRecord)[];
    fc.assert(
      fc.property(fc.subarray(keys), (subset) => {
        const record = Object.fromEntries(subset.map((k) => [k, complete[k]])) as PreparationRecord;
        const { percent } = reportingCompleteness(record);
        return percent >= 0 && percent <= 100;
      }),
    );
  });
});

describe('isPathPresent', () => {
  it('walks nested objects and lists', () => {
    expect(isPathPresent({ a: { b: 0 } }, 'a.b')).toBe(true);
    expect(isPathPresent({ a: { b: Number.NaN } }, 'a.b')).toBe(false);
    expect(isPathPresent({ a: [{ b: 1 }, { b: 2 }] }, 'a[].b')).toBe(true);
    expect(isPathPresent({ a: [{ b: 1 }, {}] }, 'a[].b')).toBe(false);
    expect(isPathPresent({ a: [] }, 'a[].b')).toBe(false);
    expect(isPathPresent(null, 'a')).toBe(false);
  });
});
