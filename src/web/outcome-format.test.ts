import { describe, expect, it } from 'vitest';
import { INSTRUMENTS } from '../science/instruments.js';
import { RESPONDER_PRESETS, isResponder, responderInstruments, validateResponderRule } from '../science/responder.js';
import type { Questionnaire } from '../science/questionnaire.js';
import {
  chartGeometry, checkEntry, entryServerErrors, formatCompletion, formatInterval, formatNumber, formatProportionInterval, formatSigned,
  groupSummary, parseReminderDays, presetIdOf, responderChoices, visibleLinkIds,
} from './outcome-format.js';
import type { TrajectoryView } from './outcome-types.js';

describe('numbers', () => {
  it('uses a real minus sign and never shows −0.0', () => {
    expect(formatNumber(-5)).toBe('−5.0');
    expect(formatNumber(-0.01)).toBe('0.0');
    expect(formatNumber(null)).toBe('—');
    expect(formatSigned(2)).toBe('+2.0');
    expect(formatSigned(-2.25, 2)).toBe('−2.25');
    expect(formatSigned(0)).toBe('0.0');
  });

  it('writes intervals, and says when there is none', () => {
    expect(formatInterval(-7.12, -2.88)).toBe('95 % CI −7.1 to −2.9');
    expect(formatInterval(null, null)).toBe('no interval (fewer than 2)');
    expect(formatProportionInterval(0.2065, 1)).toBe('95 % CI 21 % to 100 %');
    expect(formatCompletion(3, 4, 75)).toBe('3 / 4 (75 %)');
    expect(formatCompletion(0, 0, null)).toBe('0 / 0');
  });
});

describe('groupSummary', () => {
  it('joins counts, instruments and responders by indication × time point, in order', () => {
    const row = { indication: 'ddd', label: '6 weeks' };
    const groups = groupSummary({
      timePoints: [
        { ...row, timePoint: 'baseline', label: 'Baseline', scheduled: 1, due: 1, invited: 1, completed: 1, stopped: 0, optedOut: 0 },
        { ...row, timePoint: '6w', scheduled: 1, due: 1, invited: 1, completed: 1, stopped: 0, optedOut: 0 },
      ],
      instruments: [
        { ...row, timePoint: '6w', instrument: 'nrs-back', due: 1, invited: 1, completed: 1, completionPercent: 100, scored: 1, meanScore: 3, baselineN: 1, change: { n: 1, mean: -5, sd: null, lower: null, upper: null } as never },
        { ...row, timePoint: '6w', instrument: 'peg', due: 1, invited: 1, completed: 1, completionPercent: 100, scored: 1, meanScore: 2.7, baselineN: 1, change: null },
      ],
      responders: [
        { ...row, timePoint: '6w', instrument: 'nrs-back', evaluable: 1, responders: 1, estimate: 1, lower: 0.2, upper: 1, rule: 'r' },
        { ...row, timePoint: '6w', instrument: 'odi', evaluable: 1, responders: 0, estimate: 0, lower: 0, upper: 0.8, rule: 'o' },
      ],
    });
    expect(groups.map((g) => g.key)).toEqual(['ddd|baseline', 'ddd|6w']);
    expect(groups[0]!.instruments).toEqual([]);
    expect(groups[1]!.instruments.map((i) => i.instrument)).toEqual(['nrs-back', 'peg']);
    expect(groups[0]!.responders).toEqual([]);
    expect(groups[1]!.responders.map((r) => [r.instrument, r.responders])).toEqual([['nrs-back', 1], ['odi', 0]]);
    expect(groups[1]!.counts?.completed).toBe(1);
  });
});

describe('staff answer entry', () => {
  const peg = INSTRUMENTS['peg']!.questionnaire!;
  const pgic = INSTRUMENTS['pgic']!.questionnaire!;

  it('checks with the science library: missing and out-of-range answers land at their question', () => {
    const checked = checkEntry(peg, { pain: '11', enjoyment: '', activity: '3.5' });
    expect(Object.keys(checked.errors).sort()).toEqual(['activity', 'enjoyment', 'pain']);
    expect(checked.errors['pain']).toBe('Question 1 takes a value from 0 to 10.');
    expect(checked.errors['enjoyment']).toBe('Question 2 needs an answer.');
    expect(checked.errors['activity']).toContain('whole number');
  });

  it('normalises answers to what the API takes', () => {
    expect(checkEntry(peg, { pain: ' 7 ', enjoyment: '6', activity: '0' })).toEqual({ answers: { pain: 7, enjoyment: 6, activity: 0 }, errors: {} });
    expect(checkEntry(pgic, { change: 'much-improved' })).toEqual({ answers: { change: 'much-improved' }, errors: {} });
    expect(checkEntry(pgic, { change: 'better' }).errors['change']).toContain('choose one of the answers');
  });

  it('hides and drops questions that enableWhen switches off', () => {
    const q: Questionnaire = {
      resourceType: 'Questionnaire', status: 'active', item: [
        { linkId: 'any', type: 'boolean', required: true, text: 'Any leg pain?' },
        { linkId: 'how', type: 'integer', required: true, text: 'How bad?', enableWhen: [{ question: 'any', operator: '=', answerBoolean: true }] },
      ],
    };
    expect([...visibleLinkIds(q, {})]).toEqual(['any']);
    expect([...visibleLinkIds(q, { any: 'true' })]).toEqual(['any', 'how']);
    expect(checkEntry(q, { any: 'false', how: '4' })).toEqual({ answers: { any: false }, errors: {} });
    expect(checkEntry(q, { any: 'true' }).errors).toEqual({ how: 'Question 2 needs an answer.' });
  });

  it('spreads the server’s answers.<linkId> errors onto the questions', () => {
    expect(entryServerErrors([{ field: 'answers.pain', message: 'question 1 needs an answer' }, { field: 'instrumentCode', message: 'no' }])).toEqual({
      fields: { pain: 'Question 1 needs an answer' }, general: ['instrumentCode: no'],
    });
    expect(entryServerErrors(undefined)).toEqual({ fields: {}, general: [] });
  });
});

describe('chartGeometry', () => {
  const t: TrajectoryView = {
    instrument: 'nrs-back', title: 'Back pain (NRS 0–10)', label: 'Back pain', scoreMin: 0, scoreMax: 10, higherIsWorse: true, baseline: 8,
    importantChange: { points: 2, percent: null, source: 'Ostelo' },
    points: [
      { timePoint: 'baseline', label: 'Baseline', dueOn: '2026-01-01', completedAt: null, score: 8 },
      { timePoint: '6w', label: '6 weeks', dueOn: '2026-02-12', completedAt: null, score: 3 },
    ],
  };

  it('spaces time points evenly, maps scores onto the axis and describes the chart in words', () => {
    const g = chartGeometry(t, 320, 160);
    expect(g.points.map((p) => p.x)).toEqual([g.plot.left, g.plot.right]);
    expect(g.points[0]!.y).toBeCloseTo(g.plot.bottom - 0.8 * (g.plot.bottom - g.plot.top));
    expect(g.description).toBe('Back pain: Baseline 8, 6 weeks 3.');
    expect(g.ticks.map((tick) => tick.value)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('draws the band baseline ± the important change (points, or percent of baseline), clamped to the scale', () => {
    const g = chartGeometry(t, 320, 160);
    const span = g.plot.bottom - g.plot.top;
    expect(g.band!.y1).toBeCloseTo(g.plot.top); // 8 + 2 = 10, the top
    expect(g.band!.y2).toBeCloseTo(g.plot.bottom - 0.6 * span);
    expect(g.band!.label).toBe('2 points');
    const pct = chartGeometry({ ...t, importantChange: { points: null, percent: 50, source: 'x' } });
    expect(pct.band!.label).toBe('50 %');
    expect(chartGeometry({ ...t, baseline: null }).band).toBeNull();
    expect(chartGeometry({ ...t, importantChange: null }).band).toBeNull();
  });

  it('puts a single point in the middle', () => {
    const g = chartGeometry({ ...t, points: [t.points[0]!] });
    expect(g.points[0]!.x).toBe((g.plot.left + g.plot.right) / 2);
  });
});

describe('settings', () => {
  it('parses reminder days as the server will accept them', () => {
    expect(parseReminderDays('3, 7, 14')).toEqual({ days: [3, 7, 14] });
    expect(parseReminderDays('')).toEqual({ days: [] });
    expect(parseReminderDays('3, 3')).toHaveProperty('error');
    expect(parseReminderDays('3, x')).toHaveProperty('error');
    expect(parseReminderDays('0')).toHaveProperty('error');
    expect(parseReminderDays('1 2 3 4 5 6')).toHaveProperty('error');
  });

  it('recognises a preset whatever the key order of the stored rule', () => {
    const presets = Object.values(RESPONDER_PRESETS);
    expect(presetIdOf({ direction: 'decrease', points: 2, instrument: 'nrs-back', kind: 'absolute' }, presets)).toBe('ostelo-2008-nrs-2-points');
    expect(presetIdOf({ kind: 'absolute', instrument: 'nrs-back', points: 3, direction: 'decrease' }, presets)).toBeUndefined();
  });
});

describe('responderChoices', () => {
  it('offers only valid rules that read the instrument they are listed under', () => {
    for (const code of ['nrs-back', 'nrs-leg', 'odi', 'peg', 'pgic']) {
      const choices = responderChoices(code);
      expect(choices.length).toBeGreaterThan(0);
      expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
      for (const c of choices) {
        expect(() => validateResponderRule(c.rule)).not.toThrow();
        expect(responderInstruments(c.rule)).toEqual([code]);
        expect(c.source).not.toBe('');
      }
    }
  });

  it('puts the Ostelo 2008 "points or 30 %" rule first: ODI 10 points, NRS 2 points', () => {
    const odi = responderChoices('odi')[0]!.rule;
    // 40 → 31: 9 points, 22.5 % — neither; 40 → 30: 10 points; 20 → 14: 6 points but 30 %.
    expect(isResponder(odi, { odi: 40 }, { odi: 31 })).toBe(false);
    expect(isResponder(odi, { odi: 40 }, { odi: 30 })).toBe(true);
    expect(isResponder(odi, { odi: 20 }, { odi: 14 })).toBe(true);
    const nrs = responderChoices('nrs-leg')[0]!.rule;
    expect(isResponder(nrs, { 'nrs-leg': 3 }, { 'nrs-leg': 2 })).toBe(true); // 1 point but 33 %
    expect(isResponder(nrs, { 'nrs-leg': 9 }, { 'nrs-leg': 8 })).toBe(false);
  });
});
