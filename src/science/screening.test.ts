import { describe, expect, it } from 'vitest';
import { RED_FLAG_CODES, describeScreeningAnswers, redFlagField, screeningOutcome } from './screening.js';

const allNo = Object.fromEntries(RED_FLAG_CODES.map((code) => [redFlagField(code), 'no']));
const complete = { painLocations: ['lower-back', 'buttock'], duration: '3-to-12-months', tried: ['exercise-physiotherapy'], ...allNo };

describe('self-screening', () => {
  it('asks for a consultation only when every red flag is answered no', () => {
    const outcome = screeningOutcome(complete);
    expect(outcome).toEqual({ kind: 'consultation', answers: { painLocations: ['lower-back', 'buttock'], duration: '3-to-12-months', tried: ['exercise-physiotherapy'] } });
  });

  it.each(RED_FLAG_CODES)('sends to urgent care on a yes to %s, whatever else the form holds', (code) => {
    expect(screeningOutcome({ [redFlagField(code)]: 'yes' })).toEqual({ kind: 'urgent', flags: [code] });
    expect(screeningOutcome({ ...complete, [redFlagField(code)]: 'yes' })).toEqual({ kind: 'urgent', flags: [code] });
  });

  it('treats an unanswered red flag as incomplete, never as a no', () => {
    const rest: Record<string, unknown> = { ...complete };
    delete rest[redFlagField('fever')];
    const outcome = screeningOutcome(rest);
    expect(outcome.kind).toBe('incomplete');
    expect(outcome.kind === 'incomplete' && outcome.errors.map((e) => e.field)).toEqual(['flag-fever']);
  });

  it('reports every missing answer at once and ignores unknown codes', () => {
    const outcome = screeningOutcome({ painLocations: ['elbow'], ...allNo });
    expect(outcome.kind === 'incomplete' && outcome.errors.map((e) => e.field)).toEqual(['painLocations', 'duration', 'tried']);
  });

  it('describes stored answers in words', () => {
    expect(describeScreeningAnswers({ painLocations: ['leg-below-knee'], duration: 'over-12-months', tried: ['nothing-yet'] }))
      .toEqual({ painLocations: ['Leg, below the knee'], duration: 'More than a year', tried: ['Nothing yet'] });
  });
});
