import { describe, expect, it } from 'vitest';
import { checkInjection } from './injection.js';
import { expectInputError } from './testing/expect-input-error.js';

const base = { prpAvailableMl: 4, imageGuidance: 'fluoroscopy' as const };

describe('injection record', () => {
  it('adds up the target volumes', () => {
    const result = checkInjection({ ...base, targets: [
      { structure: 'facet-joint', level: 'L4/L5', side: 'left', volumeMl: 1.1 },
      { structure: 'facet-joint', level: 'L4/L5', side: 'right', volumeMl: 2.2 },
      { structure: 'sacroiliac-joint', side: 'left', volumeMl: 0.7 },
    ] });
    expect(result).toEqual({ totalVolumeMl: 4, warnings: [] });
  });

  it('refuses volumes that add up to more than was prepared', () => {
    expectInputError(() => checkInjection({ ...base, targets: [{ structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 3 }, { structure: 'intervertebral-disc', level: 'L5/S1', volumeMl: 1.5 }] }), 'targets');
  });

  it('asks for a level, a side or a description where the structure needs one', () => {
    expectInputError(() => checkInjection({ ...base, targets: [{ structure: 'intervertebral-disc', volumeMl: 1 }] }), 'targets[0].level');
    expectInputError(() => checkInjection({ ...base, targets: [{ structure: 'sacroiliac-joint', level: 'L5/S1', side: 'left', volumeMl: 1 }] }), 'targets[0].level');
    expectInputError(() => checkInjection({ ...base, targets: [{ structure: 'facet-joint', level: 'L3/L4', volumeMl: 1 }] }), 'targets[0].side');
    expectInputError(() => checkInjection({ ...base, targets: [{ structure: 'other', volumeMl: 1 }] }), 'targets[0].description');
    expectInputError(() => checkInjection({ ...base, targets: [] }), 'targets');
    expectInputError(() => checkInjection({ ...base, targets: [{ structure: 'facet-joint', level: 'L3/L4', side: 'left', volumeMl: 0 }] }), 'targets[0].volumeMl');
  });

  it('warns about bupivacaine in the PRP, an intradiscal injection without prophylaxis and a spinal target without guidance', () => {
    const { warnings } = checkInjection({
      ...base, imageGuidance: 'none', targets: [{ structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 1.5 }],
      localAnaesthetic: { agent: 'Bupivacaine 0.5 %', mixedWithPrp: true }, antibioticProphylaxis: { given: false },
    });
    expect(warnings.map((w) => w.code)).toEqual(['bupivacaine-mixed', 'intradiscal-without-prophylaxis', 'spinal-target-without-guidance']);
    expect(checkInjection({ ...base, targets: [{ structure: 'paraspinal-muscle', volumeMl: 2 }], localAnaesthetic: { agent: 'bupivacaine', mixedWithPrp: false } }).warnings).toEqual([]);
  });
});
