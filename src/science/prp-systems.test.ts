import { describe, expect, it } from 'vitest';
import { findPrpSystem, PRP_SOURCES, PRP_SYSTEMS, type NumberRange, type Sourced } from './prp-systems.js';

const facts = (system: (typeof PRP_SYSTEMS)[number]): [string, Sourced<unknown>][] =>
  Object.entries(system).filter((entry): entry is [string, Sourced<unknown>] => typeof entry[1] === 'object' && entry[1] !== null && 'source' in entry[1]);

describe('catalogue of PRP systems', () => {
  it('has unique ids and a known source for every value', () => {
    expect(new Set(PRP_SYSTEMS.map((s) => s.id)).size).toBe(PRP_SYSTEMS.length);
    for (const system of PRP_SYSTEMS) {
      for (const [name, fact] of facts(system)) {
        expect(PRP_SOURCES, `${system.id}.${name}`).toHaveProperty(fact.source);
        // Values taken from Autolog's own notes are unverified by definition.
        if (fact.source === 'autolog-notes') expect(fact.verified, `${system.id}.${name}`).toBe(false);
      }
    }
  });

  it('holds only positive, ordered ranges', () => {
    const ranges: NumberRange[] = [];
    for (const system of PRP_SYSTEMS) {
      for (const key of ['bloodInMl', 'prpOutMl', 'fold', 'prpPlateletsKPerUl', 'recoveryPercent'] as const) {
        if (system[key]) ranges.push(system[key]!.value);
      }
      for (const spin of system.spins?.value ?? []) {
        ranges.push(spin.minutes);
        if (spin.rcf) ranges.push(spin.rcf);
        expect(spin.rcf !== undefined || spin.rpm !== undefined, system.id).toBe(true);
      }
    }
    for (const r of ranges) {
      expect(r.min).toBeGreaterThan(0);
      expect(r.max).toBeGreaterThanOrEqual(r.min);
    }
  });

  it('holds the manual double-spin protocols of preparation.md', () => {
    const spins = (id: string) => findPrpSystem(id)!.spins!.value.map((s) => [s.rcf!.min, s.rcf!.max, s.minutes.min, s.minutes.max]);
    expect(spins('manual-perez-2014')).toEqual([[100, 100, 10, 10], [400, 400, 10, 10]]);
    expect(spins('manual-jo-2013')).toEqual([[900, 900, 5, 5], [1500, 1500, 15, 15]]);
    expect(spins('manual-muthu-2022')).toEqual([[100, 100, 15, 15], [1600, 1600, 20, 20]]);
    expect(spins('manual-iadvl-2021')).toEqual([[100, 300, 5, 10], [400, 700, 10, 17]]);
    expect(spins('manual-amable-2013')).toEqual([[300, 300, 5, 5], [700, 700, 17, 17]]);
    expect(findPrpSystem('manual-amable-2013')!.spins!.verified).toBe(false);
    expect(findPrpSystem('manual-muthu-2022')!.fold!.value.min).toBe(6.4);
  });

  it('keeps the anticoagulant near 1 part in 10 where the kit table gives both volumes', () => {
    for (const system of PRP_SYSTEMS) {
      const blood = system.bloodInMl?.value.min;
      const ac = system.anticoagulant?.value.volumeMl?.min;
      if (blood === undefined || ac === undefined) continue;
      // ACD-A or citrate about 1:9 with blood (ACP 1.5 + 13.5 mL; World J Orthop 2022).
      expect(ac / (ac + blood), system.id).toBeGreaterThan(0.08);
      expect(ac / (ac + blood), system.id).toBeLessThan(0.12);
    }
  });
});
