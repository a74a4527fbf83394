import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classifyAll,
  classifyDepa,
  classifyDohanEhrenfest,
  classifyMarspill,
  classifyMishra,
  classifyPaw,
  classifyPlra,
  depaDoseLetter,
  depaPercentLetter,
  marspillFoldBand,
  type DepaLetter,
  type PawPlatelets,
} from './classifications.js';
import { ScienceInputError } from './errors.js';
import type { PreparationInput } from './preparation-types.js';

/** Leukocyte-poor, calcium-activated, 7.5× product: the PAW paper's P4-x-Bβ kind. */
const leukocytePoor: PreparationInput = {
  wholeBlood: { plateletsKPerUl: 200, volumeMl: 30, wbcKPerUl: 6, neutrophilsKPerUl: 3.6, rbcMPerUl: 4.6, hematocritPct: 42 },
  prp: { plateletsKPerUl: 1500, volumeMl: 3, wbcKPerUl: 1, neutrophilsKPerUl: 0.1, rbcMPerUl: 0.01, hematocritPct: 0.1 },
  activation: { agent: 'calcium-chloride' },
  spins: [
    { rcf: 100, minutes: 15 },
    { rcf: 1600, minutes: 20 },
  ],
  method: 'manual',
  form: 'liquid',
  imageGuided: true,
};

/** Leukocyte-rich device product (GPS III-like: ~4×, white cells above baseline), not activated. */
const leukocyteRich: PreparationInput = {
  wholeBlood: { plateletsKPerUl: 250, volumeMl: 54, wbcKPerUl: 7, neutrophilsKPerUl: 4.2, rbcMPerUl: 4.8, hematocritPct: 43 },
  prp: { plateletsKPerUl: 1000, volumeMl: 6, wbcKPerUl: 30, neutrophilsKPerUl: 12, rbcMPerUl: 0.8, hematocritPct: 7 },
  anticoagulant: { agent: 'ACD-A', volumeMl: 6 },
  activation: { agent: 'none' },
  spins: [{ rcf: 1100, minutes: 15 }],
  method: 'device',
  form: 'liquid',
  imageGuided: false,
};

/** Only what PreparationInput requires. */
const bare: PreparationInput = {
  wholeBlood: { plateletsKPerUl: 200, volumeMl: 27 },
  prp: { plateletsKPerUl: 1020, volumeMl: 3 },
};

describe('classifyPaw (DeLong 2012)', () => {
  it('codes the paper-style example P4-x-Bβ', () => {
    expect(classifyPaw(leukocytePoor)).toEqual({ code: 'P4-x-Bβ', platelets: 'P4', activated: true, whiteCells: 'B', neutrophils: 'β', missing: [] });
  });

  it('codes a leukocyte-rich unactivated product without the x', () => {
    expect(classifyPaw(leukocyteRich).code).toBe('P3-Aα');
  });

  it.each([
    [200, 'P1'],
    [201, 'P2'],
    [750, 'P2'],
    [751, 'P3'],
    [1250, 'P3'],
    [1251, 'P4'],
  ] as [number, PawPlatelets][])('grades %d × 10³/µL (baseline 200) as %s', (count, grade) => {
    expect(classifyPaw({ ...leukocytePoor, prp: { ...leukocytePoor.prp, plateletsKPerUl: count } }).platelets).toBe(grade);
  });

  it('puts white cells equal to baseline in B', () => {
    expect(classifyPaw({ ...leukocytePoor, prp: { ...leukocytePoor.prp, wbcKPerUl: 6 } }).whiteCells).toBe('B');
  });

  it('returns null code and lists missing fields instead of guessing', () => {
    const result = classifyPaw(bare);
    expect(result.code).toBeNull();
    expect(result.platelets).toBe('P3');
    expect(result.activated).toBeNull();
    expect(result.whiteCells).toBeNull();
    expect(result.missing).toEqual(['activation.agent', 'wholeBlood.wbcKPerUl', 'prp.wbcKPerUl', 'wholeBlood.neutrophilsKPerUl', 'prp.neutrophilsKPerUl']);
  });

  it('still codes without neutrophils, but asks for them', () => {
    const { neutrophilsKPerUl: _n, ...prp } = leukocytePoor.prp;
    const result = classifyPaw({ ...leukocytePoor, prp });
    expect(result.code).toBe('P4-x-B');
    expect(result.neutrophils).toBeNull();
    expect(result.missing).toEqual(['prp.neutrophilsKPerUl']);
  });

  it('never lowers the platelet grade when the PRP count rises', () => {
    const order: PawPlatelets[] = ['P1', 'P2', 'P3', 'P4'];
    fc.assert(
      fc.property(fc.double({ min: 50, max: 900, noNaN: true }), fc.double({ min: 10, max: 3000, noNaN: true }), fc.double({ min: 0, max: 2000, noNaN: true }), (baseline, count, extra) => {
        const grade = (plt: number): number =>
          order.indexOf(classifyPaw({ wholeBlood: { plateletsKPerUl: baseline, volumeMl: 60 }, prp: { plateletsKPerUl: plt, volumeMl: 5 } }).platelets);
        return grade(count + extra) >= grade(count);
      }),
    );
  });
});

describe('classifyPlra (Mautner 2015)', () => {
  it('codes a leukocyte-poor, red-cell-poor, activated product', () => {
    const result = classifyPlra(leukocytePoor);
    expect(result.leukocytes).toBe('-');
    expect(result.redCells).toBe('-');
    expect(result.activation).toBe('+');
    expect(result.neutrophilPctOfLeukocytes).toBeCloseTo(10, 10);
    expect(result.code).toBe('P1500k·3mL L-(N10%) R- A+');
    expect(result.missing).toEqual([]);
  });

  it('codes a leukocyte-rich, red-cell-rich product', () => {
    const result = classifyPlra(leukocyteRich);
    // 30,000 white cells among 1,000,000 + 30,000 + 800,000 cells/µL ≈ 1.6 %.
    expect(result.leukocytePctOfCells).toBeCloseTo(1.639, 3);
    expect(result.code).toBe('P1000k·6mL L+(N40%) R+ A-');
  });

  it('reports the injected volume, not the prepared one', () => {
    expect(classifyPlra({ ...leukocytePoor, injectedVolumeMl: 2 }).code).toBe('P1500k·2mL L-(N10%) R- A+');
  });

  it('treats exactly 1 % haematocrit as R-', () => {
    expect(classifyPlra({ ...leukocytePoor, prp: { ...leukocytePoor.prp, hematocritPct: 1 } }).redCells).toBe('-');
  });

  it('lists missing fields and gives no code', () => {
    const result = classifyPlra(bare);
    expect(result.code).toBeNull();
    expect(result.missing).toEqual(['prp.wbcKPerUl', 'prp.rbcMPerUl', 'prp.neutrophilsKPerUl', 'prp.hematocritPct', 'activation.agent']);
    expect(result.plateletsKPerUl).toBe(1020);
    expect(result.injectedVolumeMl).toBe(3);
  });
});

describe('classifyDepa (Magalon 2016)', () => {
  it('grades dose, efficiency, purity and activation', () => {
    const result = classifyDepa(leukocytePoor);
    // Dose 1,500 × 3 / 1,000 = 4.5 × 10⁹ (B); recovery 4,500 / 6,000 = 75 % (B); purity ≈ 99 % (A).
    expect(result.plateletDoseBillion).toBeCloseTo(4.5, 10);
    expect(result.recoveryPercent).toBeCloseTo(75, 10);
    expect(result).toMatchObject({ code: 'B-B-A-exogenous', dose: 'B', efficiency: 'B', purity: 'A', activation: 'exogenous', missing: [] });
  });

  it('gives a Magellan-like dose of 5.43 × 10⁹ an A', () => {
    expect(depaDoseLetter(5.43)).toBe('A');
  });

  it.each([
    [5.01, 'A'],
    [5, 'B'],
    [3, 'B'],
    [2.99, 'C'],
    [1, 'C'],
    [0.21, 'D'],
  ] as [number, DepaLetter][])('letters a dose of %d × 10⁹ as %s', (dose, letter) => {
    expect(depaDoseLetter(dose)).toBe(letter);
  });

  it.each([
    [95, 'A'],
    [90, 'B'],
    [70, 'B'],
    [69.9, 'C'],
    [30, 'C'],
    [29.9, 'D'],
  ] as [number, DepaLetter][])('letters %d percent as %s', (pct, letter) => {
    expect(depaPercentLetter(pct)).toBe(letter);
  });

  it('keeps dose and efficiency but no code when purity counts are missing', () => {
    const result = classifyDepa(bare);
    expect(result.dose).toBe('B');
    expect(result.purity).toBeNull();
    expect(result.code).toBeNull();
    expect(result.missing).toEqual(['prp.wbcKPerUl', 'prp.rbcMPerUl', 'activation.agent']);
  });

  it('never gives a better dose letter to a smaller dose', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (a, b) => (a <= b ? depaDoseLetter(a) >= depaDoseLetter(b) : true)));
  });
});

describe('classifyMarspill (Lana 2017)', () => {
  it('codes every field of a complete manual preparation', () => {
    expect(classifyMarspill(leukocytePoor)).toEqual({
      code: 'H/A+/R-/Sp2/PL6-8/G+/Lc-/Lg-',
      method: 'H',
      activation: '+',
      redCells: '-',
      spins: 2,
      plateletFold: 'PL6-8',
      imageGuidance: '+',
      leukocytes: '-',
      lightActivation: '-',
      missing: [],
      notes: [],
    });
  });

  it('codes a device product and light activation', () => {
    const result = classifyMarspill({ ...leukocyteRich, activation: { agent: 'light' } });
    expect(result.code).toBe('M/A+/R+/Sp1/PL4-6/G-/Lc+/Lg+');
  });

  it('places folds in half-open bands and leaves 1.5× unplaced with a note', () => {
    expect(marspillFoldBand(2)).toBe('PL2-3');
    expect(marspillFoldBand(3.5)).toBe('PL2-3');
    expect(marspillFoldBand(6)).toBe('PL6-8');
    expect(marspillFoldBand(10)).toBe('PL8-10');
    expect(marspillFoldBand(1.5)).toBeNull();
    const acpLike = classifyMarspill({ ...leukocytePoor, prp: { ...leukocytePoor.prp, plateletsKPerUl: 300 } });
    expect(acpLike.code).toBeNull();
    expect(acpLike.missing).toEqual([]);
    expect(acpLike.notes[0]).toMatch(/1\.5×/);
  });

  it('lists what it needs', () => {
    expect(classifyMarspill(bare).missing).toEqual(['method', 'activation.agent', 'prp.hematocritPct', 'spins', 'imageGuided', 'wholeBlood.wbcKPerUl', 'prp.wbcKPerUl']);
  });
});

describe('classifyMishra (Mishra 2012)', () => {
  it('types the four combinations', () => {
    expect(classifyMishra(leukocyteRich).code).toBe('1B');
    expect(classifyMishra({ ...leukocyteRich, activation: { agent: 'thrombin' } }).code).toBe('2B');
    expect(classifyMishra({ ...leukocytePoor, activation: { agent: 'none' } }).code).toBe('3A');
    expect(classifyMishra(leukocytePoor)).toEqual({ code: '4A', type: 4, suffix: 'A', missing: [] });
  });

  it('puts exactly 5× baseline in A', () => {
    expect(classifyMishra({ ...leukocytePoor, prp: { ...leukocytePoor.prp, plateletsKPerUl: 1000 } }).suffix).toBe('A');
    expect(classifyMishra({ ...leukocytePoor, prp: { ...leukocytePoor.prp, plateletsKPerUl: 999 } }).suffix).toBe('B');
  });

  it('keeps the suffix but no type when white cells or activation are missing', () => {
    expect(classifyMishra(bare)).toEqual({ code: null, type: null, suffix: 'A', missing: ['wholeBlood.wbcKPerUl', 'prp.wbcKPerUl', 'activation.agent'] });
  });
});

describe('classifyDohanEhrenfest (Dohan Ehrenfest 2009)', () => {
  it('names the four families', () => {
    expect(classifyDohanEhrenfest(leukocytePoor).family).toBe('P-PRP');
    expect(classifyDohanEhrenfest(leukocyteRich).family).toBe('L-PRP');
    expect(classifyDohanEhrenfest({ ...leukocytePoor, form: 'fibrin' }).family).toBe('P-PRF');
    expect(classifyDohanEhrenfest({ ...leukocyteRich, form: 'fibrin' }).family).toBe('L-PRF');
    expect(classifyDohanEhrenfest({ ...leukocyteRich, form: 'gel' }).family).toBe('L-PRP');
  });

  it('asks for the form and white cells instead of assuming them', () => {
    expect(classifyDohanEhrenfest(bare)).toEqual({ family: null, missing: ['wholeBlood.wbcKPerUl', 'prp.wbcKPerUl', 'form'] });
  });
});

describe('classifyAll', () => {
  it('returns all six systems', () => {
    const all = classifyAll(leukocytePoor);
    expect(all.paw.code).toBe('P4-x-Bβ');
    expect(all.plra.code).toBe('P1500k·3mL L-(N10%) R- A+');
    expect(all.depa.code).toBe('B-B-A-exogenous');
    expect(all.marspill.code).toBe('H/A+/R-/Sp2/PL6-8/G+/Lc-/Lg-');
    expect(all.mishra.code).toBe('4A');
    expect(all.dohanEhrenfest.family).toBe('P-PRP');
  });

  it('throws ScienceInputError for impossible input', () => {
    expect(() => classifyAll({ ...bare, prp: { plateletsKPerUl: 1000, volumeMl: 50 } })).toThrow(ScienceInputError);
  });

  it('agrees across systems on leukocytes and activation', () => {
    const arbitrary = fc.record({
      wbWbc: fc.double({ min: 2, max: 20, noNaN: true }),
      prpWbc: fc.double({ min: 0, max: 60, noNaN: true }),
      prpPlt: fc.double({ min: 50, max: 3000, noNaN: true }),
      agent: fc.constantFrom('none', 'calcium-chloride', 'thrombin', 'light'),
      form: fc.constantFrom('liquid', 'gel', 'fibrin'),
    });
    fc.assert(
      fc.property(arbitrary, ({ wbWbc, prpWbc, prpPlt, agent, form }) => {
        const input: PreparationInput = {
          wholeBlood: { plateletsKPerUl: 200, volumeMl: 60, wbcKPerUl: wbWbc },
          prp: { plateletsKPerUl: prpPlt, volumeMl: 6, wbcKPerUl: prpWbc },
          activation: { agent: agent as 'none' },
          form: form as 'liquid',
        };
        const all = classifyAll(input);
        const rich = all.paw.whiteCells === 'A';
        return (
          (all.mishra.type === 1 || all.mishra.type === 2) === rich &&
          all.dohanEhrenfest.family?.startsWith('L-') === rich &&
          all.marspill.leukocytes === (rich ? '+' : '-') &&
          all.paw.activated === (all.mishra.type === 2 || all.mishra.type === 4) &&
          (all.depa.activation === 'exogenous') === all.paw.activated
        );
      }),
    );
  });
});
