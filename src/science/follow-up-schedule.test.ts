import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { expectInputError } from './testing/expect-input-error.js';
import { DEFAULT_FOLLOW_UP_PROTOCOL, followUpSchedule, type FollowUpProtocol } from './follow-up-schedule.js';
import { addCalendarDuration, daysBetweenIsoDates } from './follow-up-schedule-calendar.js';

/** ISO dates from 1950 to 2150, built from a day count (no clock involved). */
const isoDate = fc
  .integer({ min: Date.UTC(1950, 0, 1) / 86_400_000, max: Date.UTC(2150, 0, 1) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

describe('followUpSchedule with the default protocol', () => {
  it('places every time point for a mid-month procedure', () => {
    expect(followUpSchedule('2025-01-15', DEFAULT_FOLLOW_UP_PROTOCOL)).toEqual([
      { code: 'baseline', label: 'Baseline', dueDate: '2025-01-08', windowStart: '2024-12-16', windowEnd: '2025-01-15' },
      { code: '6w', label: '6 weeks', dueDate: '2025-02-26', windowStart: '2025-02-12', windowEnd: '2025-03-12' },
      { code: '3m', label: '3 months', dueDate: '2025-04-15', windowStart: '2025-04-01', windowEnd: '2025-04-29' },
      { code: '6m', label: '6 months', dueDate: '2025-07-15', windowStart: '2025-06-17', windowEnd: '2025-08-12' },
      { code: '12m', label: '12 months', dueDate: '2026-01-15', windowStart: '2025-12-18', windowEnd: '2026-02-12' },
      { code: '24m', label: '24 months', dueDate: '2027-01-15', windowStart: '2026-12-18', windowEnd: '2027-02-12' },
    ]);
  });

  it('clamps month arithmetic to the end of the month', () => {
    const byCode = (anchor: string) => Object.fromEntries(followUpSchedule(anchor, DEFAULT_FOLLOW_UP_PROTOCOL).map((p) => [p.code, p.dueDate]));
    expect(byCode('2024-11-30')['3m']).toBe('2025-02-28');
    expect(byCode('2023-11-30')['3m']).toBe('2024-02-29'); // leap year
    expect(byCode('2024-08-31')['6m']).toBe('2025-02-28');
    expect(byCode('2024-02-29')['12m']).toBe('2025-02-28');
    expect(byCode('2024-02-29')['24m']).toBe('2026-02-28');
  });

  it('property: baseline window is the 30 days up to the procedure; every window holds its due date; due dates and windows are ordered', () => {
    fc.assert(
      fc.property(isoDate, (anchor) => {
        const schedule = followUpSchedule(anchor, DEFAULT_FOLLOW_UP_PROTOCOL);
        expect(schedule.map((p) => p.code)).toEqual(['baseline', '6w', '3m', '6m', '12m', '24m']);
        const baseline = schedule[0];
        expect(baseline?.windowEnd).toBe(anchor);
        expect(daysBetweenIsoDates(baseline?.windowStart ?? '', anchor)).toBe(30);
        for (const point of schedule) {
          expect(point.windowStart <= point.dueDate && point.dueDate <= point.windowEnd).toBe(true);
        }
        for (let i = 1; i < schedule.length; i++) {
          const previous = schedule[i - 1];
          const current = schedule[i];
          if (!previous || !current) throw new Error('missing time point');
          expect(previous.dueDate < current.dueDate).toBe(true);
          expect(previous.windowEnd < current.windowStart).toBe(true); // windows never overlap
        }
      }),
    );
  });

  it('property: moving the procedure date moves the due dates (the schedule follows the anchor)', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 60 }), (anchor, shiftDays) => {
        const later = addCalendarDuration(anchor, { days: shiftDays });
        const before = followUpSchedule(anchor, DEFAULT_FOLLOW_UP_PROTOCOL);
        const after = followUpSchedule(later, DEFAULT_FOLLOW_UP_PROTOCOL);
        before.forEach((point, i) => expect(point.dueDate <= (after[i]?.dueDate ?? '')).toBe(true));
      }),
    );
  });
});

describe('followUpSchedule with a custom protocol', () => {
  it('orders time points by due date and defaults windows to the due date', () => {
    const protocol: FollowUpProtocol = {
      timePoints: [
        { code: '1m', label: '1 month', offset: { months: 1 } },
        { code: '30d', label: '30 days', offset: { days: 30 } },
      ],
    };
    // From 31 January (non-leap), 1 month is 28 February, before 2 March (30 days).
    expect(followUpSchedule('2023-01-31', protocol).map((p) => [p.code, p.dueDate, p.windowStart, p.windowEnd])).toEqual([
      ['1m', '2023-02-28', '2023-02-28', '2023-02-28'],
      ['30d', '2023-03-02', '2023-03-02', '2023-03-02'],
    ]);
    // From 1 March, 1 month (1 April) comes after 30 days (31 March).
    expect(followUpSchedule('2023-03-01', protocol).map((p) => p.code)).toEqual(['30d', '1m']);
  });

  it('validates the anchor date', () => {
    for (const bad of ['2025-02-30', '2025-2-3', '20250101', '', '2025-13-01', '1900-02-29', '0999-01-01', 20250101]) {
      expectInputError(() => followUpSchedule(bad as string, DEFAULT_FOLLOW_UP_PROTOCOL), 'anchorDate');
    }
    expect(() => followUpSchedule('2000-02-29', DEFAULT_FOLLOW_UP_PROTOCOL)).not.toThrow(); // 400-year leap rule
  });

  it('validates the protocol, naming the time point', () => {
    const point = { code: 'x', label: 'X', offset: { weeks: 2 } };
    expectInputError(() => followUpSchedule('2025-01-01', { timePoints: [point, point] }), 'protocol.timePoints[1].code');
    expectInputError(() => followUpSchedule('2025-01-01', { timePoints: [{ ...point, code: '' }] }), 'protocol.timePoints[0].code');
    expectInputError(() => followUpSchedule('2025-01-01', { timePoints: [{ ...point, offset: { weeks: 1.5 } }] }), 'protocol.timePoints[0].offset.weeks');
    expectInputError(() => followUpSchedule('2025-01-01', { timePoints: [{ ...point, windowBefore: { days: -3 } }] }), 'protocol.timePoints[0].windowBefore.days');
    expectInputError(() => followUpSchedule('2025-01-01', {} as FollowUpProtocol), 'protocol.timePoints');
  });
});
