import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { expectInputError } from './testing/expect-input-error.js';
import { RESPONDER_PRESETS, describeResponderRule, isResponder, responderInstruments, validateResponderRule, type ResponderRule } from './responder.js';

const nrs2: ResponderRule = { kind: 'absolute', instrument: 'nrs-back', points: 2, direction: 'decrease' };
const odi30: ResponderRule = { kind: 'percent', instrument: 'odi', percent: 30 };
const pgicMuch: ResponderRule = { kind: 'pgic', atLeast: 'much-improved' };

describe('absolute rules', () => {
  it('counts an improvement of at least the threshold (inclusive)', () => {
    expect(isResponder(nrs2, { 'nrs-back': 7 }, { 'nrs-back': 5 })).toBe(true);
    expect(isResponder(nrs2, { 'nrs-back': 7 }, { 'nrs-back': 6 })).toBe(false);
    expect(isResponder(nrs2, { 'nrs-back': 3 }, { 'nrs-back': 6 })).toBe(false); // worse
  });

  it('supports higher-is-better scores', () => {
    const eqVas: ResponderRule = { kind: 'absolute', instrument: 'eq-vas', points: 10, direction: 'increase' };
    expect(isResponder(eqVas, { 'eq-vas': 50 }, { 'eq-vas': 60 })).toBe(true);
    expect(isResponder(eqVas, { 'eq-vas': 50 }, { 'eq-vas': 40 })).toBe(false);
  });

  it('is null when either score is missing', () => {
    expect(isResponder(nrs2, {}, { 'nrs-back': 5 })).toBeNull();
    expect(isResponder(nrs2, { 'nrs-back': 7 }, { 'nrs-back': null })).toBeNull();
    expect(isResponder(nrs2, { 'nrs-back': 7 }, { 'nrs-leg': 2 })).toBeNull();
  });

  it('property: more improvement never turns a responder into a non-responder', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (b, f1, f2) => {
        const [better, worse] = f1 <= f2 ? [f1, f2] : [f2, f1];
        if (isResponder(nrs2, { 'nrs-back': b }, { 'nrs-back': worse })) {
          expect(isResponder(nrs2, { 'nrs-back': b }, { 'nrs-back': better })).toBe(true);
        }
        expect(isResponder(nrs2, { 'nrs-back': b }, { 'nrs-back': better })).toBe(b - better >= 2);
      }),
    );
  });
});

describe('percent rules', () => {
  it('compares the reduction with the baseline', () => {
    expect(isResponder(odi30, { odi: 40 }, { odi: 28 })).toBe(true); // exactly 30 %
    expect(isResponder(odi30, { odi: 40 }, { odi: 29 })).toBe(false);
    expect(isResponder(odi30, { odi: 40 }, { odi: 50 })).toBe(false);
  });

  it('is not defeated by binary rounding at the threshold (PEG 7 → 4.9)', () => {
    const peg30: ResponderRule = { kind: 'percent', instrument: 'peg', percent: 30 };
    expect(isResponder(peg30, { peg: 7 }, { peg: 4.9 })).toBe(true);
    expect(isResponder(peg30, { peg: 7 }, { peg: 4.91 })).toBe(false);
  });

  it('is null for a zero baseline or missing data', () => {
    expect(isResponder(odi30, { odi: 0 }, { odi: 0 })).toBeNull();
    expect(isResponder(odi30, { odi: 40 }, {})).toBeNull();
  });

  it('rejects a negative baseline', () => {
    expectInputError(() => isResponder(odi30, { odi: -4 }, { odi: 0 }), 'baseline.odi');
  });
});

describe('PGIC rules', () => {
  it('reads the follow-up PGIC value (1 = very much improved)', () => {
    expect(isResponder(pgicMuch, {}, { pgic: 1 })).toBe(true);
    expect(isResponder(pgicMuch, {}, { pgic: 2 })).toBe(true);
    expect(isResponder(pgicMuch, {}, { pgic: 3 })).toBe(false);
    expect(isResponder(pgicMuch, { pgic: 1 }, {})).toBeNull(); // baseline PGIC is ignored
  });
  it('rejects a value outside 1–7', () => {
    expectInputError(() => isResponder(pgicMuch, {}, { pgic: 0 }), 'followUp.pgic');
    expectInputError(() => isResponder(pgicMuch, {}, { pgic: 2.5 }), 'followUp.pgic');
  });
});

describe('combined rules (three-valued)', () => {
  const yes: ResponderRule = { kind: 'absolute', instrument: 'a', points: 1, direction: 'decrease' };
  const no: ResponderRule = { kind: 'absolute', instrument: 'b', points: 1, direction: 'decrease' };
  const unknown: ResponderRule = { kind: 'absolute', instrument: 'c', points: 1, direction: 'decrease' };
  const baseline = { a: 5, b: 5, c: 5 };
  const followUp = { a: 3, b: 5, c: null };
  const check = (rule: ResponderRule) => isResponder(rule, baseline, followUp);

  it('all: false beats unknown, unknown beats true', () => {
    expect(check({ kind: 'all', rules: [yes, yes] })).toBe(true);
    expect(check({ kind: 'all', rules: [yes, no] })).toBe(false);
    expect(check({ kind: 'all', rules: [unknown, no] })).toBe(false);
    expect(check({ kind: 'all', rules: [yes, unknown] })).toBeNull();
  });

  it('any: true beats unknown, unknown beats false', () => {
    expect(check({ kind: 'any', rules: [no, no] })).toBe(false);
    expect(check({ kind: 'any', rules: [no, yes] })).toBe(true);
    expect(check({ kind: 'any', rules: [unknown, yes] })).toBe(true);
    expect(check({ kind: 'any', rules: [no, unknown] })).toBeNull();
  });

  it('nests', () => {
    expect(check({ kind: 'any', rules: [{ kind: 'all', rules: [yes, no] }, { kind: 'all', rules: [yes] }] })).toBe(true);
  });
});

describe('rule validation', () => {
  it('names the bad part of the rule', () => {
    expectInputError(() => isResponder({ ...nrs2, points: 0 }, {}, {}), 'rule.points');
    expectInputError(() => isResponder({ ...nrs2, direction: 'down' as never }, {}, {}), 'rule.direction');
    expectInputError(() => isResponder({ ...odi30, percent: 130 }, {}, {}), 'rule.percent');
    expectInputError(() => isResponder({ kind: 'pgic', atLeast: 'better' as never }, {}, {}), 'rule.atLeast');
    expectInputError(() => isResponder({ kind: 'all', rules: [] }, {}, {}), 'rule.rules');
    expectInputError(() => isResponder({ kind: 'any', rules: [nrs2, { ...odi30, instrument: '' }] }, {}, {}), 'rule.rules[1].instrument');
    expectInputError(() => isResponder({ kind: 'median' } as never, {}, {}), 'rule.kind');
  });

  it('rejects a score that is not a number', () => {
    expectInputError(() => isResponder(nrs2, { 'nrs-back': Number.NaN }, { 'nrs-back': 2 }), 'baseline.nrs-back');
    expectInputError(() => isResponder(nrs2, { 'nrs-back': 7 }, { 'nrs-back': '2' as never }), 'followUp.nrs-back');
  });
});

describe('presets', () => {
  it('are all valid rules with a source', () => {
    for (const preset of Object.values(RESPONDER_PRESETS)) {
      expect(() => validateResponderRule(preset.rule)).not.toThrow();
      expect(preset.source.length).toBeGreaterThan(20);
    }
    const ids = Object.values(RESPONDER_PRESETS).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('Ostelo 2008: NRS 2 points, ODI 10 points, 30 %', () => {
    expect(isResponder(RESPONDER_PRESETS.osteloNrs2Points.rule, { 'nrs-back': 6 }, { 'nrs-back': 4 })).toBe(true);
    expect(isResponder(RESPONDER_PRESETS.osteloOdi10Points.rule, { odi: 40 }, { odi: 31 })).toBe(false);
    expect(isResponder(RESPONDER_PRESETS.osteloOdi10Points.rule, { odi: 40 }, { odi: 30 })).toBe(true);
    expect(isResponder(RESPONDER_PRESETS.osteloNrs30Percent.rule, { 'nrs-back': 10 }, { 'nrs-back': 7 })).toBe(true);
  });

  it('IMMPACT 2008: 30 % and 50 %', () => {
    expect(isResponder(RESPONDER_PRESETS.immpactNrs50Percent.rule, { 'nrs-back': 8 }, { 'nrs-back': 4 })).toBe(true);
    expect(isResponder(RESPONDER_PRESETS.immpactNrs50Percent.rule, { 'nrs-back': 8 }, { 'nrs-back': 5 })).toBe(false);
  });

  it('Levi 2016 needs both pain and ODI and is flagged unverified', () => {
    const { rule, unverified } = RESPONDER_PRESETS.levi2016;
    expect(unverified).toBe(true);
    expect(isResponder(rule, { 'nrs-back': 8, odi: 40 }, { 'nrs-back': 4, odi: 28 })).toBe(true);
    expect(isResponder(rule, { 'nrs-back': 8, odi: 40 }, { 'nrs-back': 4, odi: 30 })).toBe(false);
    expect(isResponder(rule, { 'nrs-back': 8, odi: 40 }, { 'nrs-back': 4 })).toBeNull();
  });
});

describe('describing a rule and the instruments it reads', () => {
  it('prints the rule beside its figures, with AND / OR and brackets', () => {
    expect(describeResponderRule(nrs2)).toBe('nrs-back fell by at least 2 points from baseline');
    expect(describeResponderRule({ kind: 'any', rules: [{ kind: 'all', rules: [nrs2, odi30] }, pgicMuch] }))
      .toBe('(nrs-back fell by at least 2 points from baseline AND odi fell by at least 30 % from baseline) OR PGIC "much-improved" or better');
  });

  it('lists each instrument once, PGIC included', () => {
    expect(responderInstruments({ kind: 'all', rules: [nrs2, odi30, pgicMuch, { kind: 'percent', instrument: 'nrs-back', percent: 50 }] })).toEqual(['nrs-back', 'odi', 'pgic']);
    expect(responderInstruments(RESPONDER_PRESETS.levi2016.rule)).toEqual(['nrs-back', 'odi']);
  });
});
