/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD'), proleptic Gregorian, in UTC, without a clock
 * or time zone: a follow-up due "3 months after 31 January" is a calendar date, the same for
 * every server and browser.
 *
 * Kept in-house (about 60 lines) because the usual libraries work on `Date` objects in local
 * time; `Temporal.PlainDate` is the intended replacement once it ships in Node and browsers.
 */
import { ScienceInputError } from './errors.js';

/** A calendar duration; every part a whole number, negative to go back. */
export interface CalendarDuration {
  readonly years?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const MS_PER_DAY = 86_400_000;
/** Sanity bound for a duration part: 1200 months = 100 years, 36 525 days ≈ 100 years. */
const MAX_DURATION = { years: 100, months: 1200, weeks: 5218, days: 36_525 } as const;

interface CivilDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

/** True when `value` is a real calendar date written 'YYYY-MM-DD' (year 1000–9999). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && toCivil(value) !== null;
}

/**
 * Validates an ISO date string and returns it unchanged.
 * @throws ScienceInputError naming `field` for a wrong format or an impossible date (2025-02-30)
 */
export function requireIsoDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || toCivil(value) === null) {
    throw new ScienceInputError(field, "a real calendar date written 'YYYY-MM-DD'");
  }
  return value;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  // Gregorian leap rule: every 4th year, except centuries not divisible by 400 (ISO 8601)
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Adds a calendar duration to an ISO date. Years and months move first, on the calendar, with
 * the day clamped to the end of a shorter month (2024-01-31 + 1 month = 2024-02-29; 2023-01-31 +
 * 1 month = 2023-02-28); then weeks and days. Years and months are applied as one total of
 * months, so clamping happens once (Jan 31 + 2 months = Mar 31, not Mar 28).
 *
 * @param field name of the duration in error messages (e.g. `timePoints[2].offset`)
 * @throws ScienceInputError for an invalid date or duration, or a result outside years 1000–9999
 */
export function addCalendarDuration(date: string, duration: CalendarDuration, field = 'duration'): string {
  const start = toCivil(requireIsoDate(date, 'date'));
  if (start === null) throw new ScienceInputError('date', "a real calendar date written 'YYYY-MM-DD'");
  const years = durationPart(duration, 'years', field);
  const months = durationPart(duration, 'months', field);
  const weeks = durationPart(duration, 'weeks', field);
  const days = durationPart(duration, 'days', field);

  const monthIndex = start.year * 12 + (start.month - 1) + years * 12 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(start.day, daysInMonth(year, month)); // end-of-month clamping
  // Date.UTC only converts numbers (no clock, no time zone); it normalises day overflow.
  const ms = Date.UTC(year, month - 1, day + weeks * 7 + days);
  const result = new Date(ms);
  const resultYear = result.getUTCFullYear();
  if (resultYear < MIN_YEAR || resultYear > MAX_YEAR) {
    throw new ScienceInputError(field, `a date that stays within years ${MIN_YEAR}–${MAX_YEAR} after adding the duration`);
  }
  return formatIsoDate(resultYear, result.getUTCMonth() + 1, result.getUTCDate());
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetweenIsoDates(from: string, to: string): number {
  return Math.round((toEpochMs(requireIsoDate(to, 'to')) - toEpochMs(requireIsoDate(from, 'from'))) / MS_PER_DAY);
}

/** Orders two ISO dates: negative, 0 or positive like a sort comparator. */
export function compareIsoDates(a: string, b: string): number {
  requireIsoDate(a, 'a');
  requireIsoDate(b, 'b');
  return a < b ? -1 : a > b ? 1 : 0; // fixed-width 'YYYY-MM-DD' sorts as text
}

// ---------------------------------------------------------------------------------------------

function toCivil(value: string): CivilDate | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function toEpochMs(value: string): number {
  const civil = toCivil(value);
  if (civil === null) throw new ScienceInputError('date', "a real calendar date written 'YYYY-MM-DD'");
  return Date.UTC(civil.year, civil.month - 1, civil.day);
}

function formatIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function durationPart(duration: CalendarDuration, part: keyof CalendarDuration, field: string): number {
  if (typeof duration !== 'object' || duration === null) throw new ScienceInputError(field, 'a duration such as { months: 3 }');
  const value: unknown = duration[part];
  if (value === undefined) return 0;
  const limit = MAX_DURATION[part];
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > limit) {
    throw new ScienceInputError(`${field}.${part}`, `a whole number from −${limit} to ${limit}`);
  }
  return value;
}
