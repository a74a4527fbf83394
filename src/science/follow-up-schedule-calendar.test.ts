import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { expectInputError } from './testing/expect-input-error.js';
import { addCalendarDuration, compareIsoDates, daysBetweenIsoDates, daysInMonth, isIsoDate } from './follow-up-schedule-calendar.js';

const isoDate = fc
  .integer({ min: Date.UTC(1950, 0, 1) / 86_400_000, max: Date.UTC(2150, 0, 1) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

describe('isIsoDate and daysInMonth', () => {
  it('accepts only real dates in YYYY-MM-DD', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-04-31')).toBe(false);
    expect(isIsoDate('2024-4-01')).toBe(false);
    expect(isIsoDate('2024-04-01T00:00:00Z')).toBe(false);
    expect(isIsoDate(new Date(0))).toBe(false);
  });
  it('applies the Gregorian leap rule', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(1900, 2), daysInMonth(2000, 2)]).toEqual([29, 28, 28, 29]);
  });
  it('orders dates', () => {
    expect(compareIsoDates('2024-01-31', '2024-02-01')).toBeLessThan(0);
    expect(compareIsoDates('2024-02-01', '2024-02-01')).toBe(0);
  });
});

describe('addCalendarDuration', () => {
  it('adds months with end-of-month clamping, applied once', () => {
    expect(addCalendarDuration('2024-01-31', { months: 1 })).toBe('2024-02-29');
    expect(addCalendarDuration('2023-01-31', { months: 1 })).toBe('2023-02-28');
    expect(addCalendarDuration('2023-01-31', { months: 2 })).toBe('2023-03-31');
    expect(addCalendarDuration('2023-03-31', { months: -1 })).toBe('2023-02-28');
    expect(addCalendarDuration('2023-05-15', { years: 1, months: -5 })).toBe('2023-12-15');
  });

  it('adds days and weeks across month and year ends', () => {
    expect(addCalendarDuration('2024-12-25', { weeks: 1 })).toBe('2025-01-01');
    expect(addCalendarDuration('2024-03-01', { days: -1 })).toBe('2024-02-29');
    expect(addCalendarDuration('2024-01-31', { months: 1, days: 1 })).toBe('2024-03-01');
  });

  it('rejects bad dates, durations and results outside years 1000–9999', () => {
    expectInputError(() => addCalendarDuration('2024-02-30', { days: 1 }), 'date');
    expectInputError(() => addCalendarDuration('2024-02-01', { days: Number.NaN }), 'duration.days');
    expectInputError(() => addCalendarDuration('9999-12-01', { months: 1 }), 'duration');
  });

  it('property: adding then subtracting days returns the start date', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -3000, max: 3000 }), (date, days) => {
        const moved = addCalendarDuration(date, { days });
        expect(daysBetweenIsoDates(date, moved)).toBe(days);
        expect(addCalendarDuration(moved, { days: -days })).toBe(date);
      }),
    );
  });
});
