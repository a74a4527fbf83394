/**
 * Follow-up schedules: from the procedure date (the anchor) and a protocol (data, a clinic
 * setting) to the dates each questionnaire is due and the window in which an answer counts.
 *
 * Pure: recompute whenever the procedure date changes (REDCap's invitations famously do not
 * follow a changed anchor — outcomes.md §4). Windows are inclusive on both ends.
 */
import { ScienceInputError } from './errors.js';
import { addCalendarDuration, compareIsoDates, requireIsoDate, type CalendarDuration } from './follow-up-schedule-calendar.js';

/** One time point of a protocol. Offsets and windows are calendar durations. */
export interface FollowUpTimePoint {
  /** stable code, unique within the protocol ('baseline', '6w', '3m', …) */
  readonly code: string;
  /** short label for staff screens */
  readonly label: string;
  /** due date = anchor + offset (negative before the procedure) */
  readonly offset: CalendarDuration;
  /** window opens at due date − windowBefore (default: on the due date) */
  readonly windowBefore?: CalendarDuration;
  /** window closes at due date + windowAfter (default: on the due date) */
  readonly windowAfter?: CalendarDuration;
}

/** A follow-up protocol: the list of time points. */
export interface FollowUpProtocol {
  readonly timePoints: readonly FollowUpTimePoint[];
}

/** A time point placed on the calendar. All dates 'YYYY-MM-DD'; windowStart ≤ dueDate ≤ windowEnd. */
export interface ScheduledTimePoint {
  code: string;
  label: string;
  dueDate: string;
  windowStart: string;
  windowEnd: string;
}

/**
 * Code of the time point that follow-ups are compared with (change from baseline, responders).
 * A protocol without it has no baseline and reports no change.
 */
export const BASELINE_TIME_POINT_CODE = 'baseline';

/**
 * Autolog's default protocol (outcomes.md §4 recommendation, built on the ICHOM Low Back Pain
 * Standard Set time points: baseline, 6, 12 and 24 months, 3 months optional — ICHOM LBP
 * Reference Guide v2.0.3, 2017; Clement 2015, Acta Orthop).
 *
 * - baseline: window from 30 days before the injection to the injection day (outcomes.md:
 *   "≤ 30 days before injection"); due 7 days before, an Autolog choice that leaves a week for
 *   reminders before the procedure.
 * - 6 weeks and 3 months: ± 2 weeks (outcomes.md §4).
 * - 6, 12 and 24 months: ± 4 weeks (outcomes.md §4).
 */
export const DEFAULT_FOLLOW_UP_PROTOCOL: FollowUpProtocol = {
  timePoints: [
    // outcomes.md §4: baseline ≤ 30 days before injection → window anchor − 30 d … anchor
    { code: 'baseline', label: 'Baseline', offset: { days: -7 }, windowBefore: { days: 23 }, windowAfter: { days: 7 } },
    // outcomes.md §4: 6 weeks, ± 2 weeks
    { code: '6w', label: '6 weeks', offset: { weeks: 6 }, windowBefore: { weeks: 2 }, windowAfter: { weeks: 2 } },
    // outcomes.md §4 (ICHOM optional 3 months): ± 2 weeks
    { code: '3m', label: '3 months', offset: { months: 3 }, windowBefore: { weeks: 2 }, windowAfter: { weeks: 2 } },
    // outcomes.md §4: ± 4 weeks at 6–24 months
    { code: '6m', label: '6 months', offset: { months: 6 }, windowBefore: { weeks: 4 }, windowAfter: { weeks: 4 } },
    // ICHOM LBP: 12 months; outcomes.md §4: ± 4 weeks
    { code: '12m', label: '12 months', offset: { months: 12 }, windowBefore: { weeks: 4 }, windowAfter: { weeks: 4 } },
    // ICHOM LBP: 24 months; outcomes.md §4: ± 4 weeks
    { code: '24m', label: '24 months', offset: { months: 24 }, windowBefore: { weeks: 4 }, windowAfter: { weeks: 4 } },
  ],
};

/**
 * Places every time point of `protocol` on the calendar relative to the procedure date.
 *
 * Month arithmetic is calendar arithmetic with end-of-month clamping (procedure on 31 January,
 * 1 month later is 28 or 29 February); see `addCalendarDuration`. Window edges are computed from
 * the due date. The result is ordered by due date (ties keep protocol order), because whether
 * `{ days: 30 }` falls before `{ months: 1 }` depends on the month.
 *
 * @param anchorDate procedure (injection) date, 'YYYY-MM-DD'
 * @param protocol time points; codes must be unique, windows must not be negative
 * @throws ScienceInputError naming `anchorDate` or `protocol.timePoints[i]…`
 */
export function followUpSchedule(anchorDate: string, protocol: FollowUpProtocol): ScheduledTimePoint[] {
  requireIsoDate(anchorDate, 'anchorDate');
  if (typeof protocol !== 'object' || protocol === null || !Array.isArray(protocol.timePoints)) {
    throw new ScienceInputError('protocol.timePoints', 'an array of time points');
  }
  const seen = new Set<string>();
  const scheduled = protocol.timePoints.map((point, index) => {
    const field = `protocol.timePoints[${index}]`;
    if (typeof point !== 'object' || point === null) throw new ScienceInputError(field, 'a time point');
    if (typeof point.code !== 'string' || point.code.trim() === '') throw new ScienceInputError(`${field}.code`, 'a non-empty code');
    if (seen.has(point.code)) throw new ScienceInputError(`${field}.code`, 'a code not used by another time point');
    seen.add(point.code);
    if (typeof point.label !== 'string') throw new ScienceInputError(`${field}.label`, 'a label');
    if (typeof point.offset !== 'object' || point.offset === null) throw new ScienceInputError(`${field}.offset`, 'a duration such as { months: 3 }');

    const dueDate = addCalendarDuration(anchorDate, point.offset, `${field}.offset`);
    const before = requireNonNegative(point.windowBefore ?? {}, `${field}.windowBefore`);
    const after = requireNonNegative(point.windowAfter ?? {}, `${field}.windowAfter`);
    const windowStart = addCalendarDuration(dueDate, negate(before), `${field}.windowBefore`);
    const windowEnd = addCalendarDuration(dueDate, after, `${field}.windowAfter`);
    return { code: point.code, label: point.label, dueDate, windowStart, windowEnd };
  });
  // Array.prototype.sort is stable (ES2019), so equal due dates keep protocol order.
  return scheduled.sort((a, b) => compareIsoDates(a.dueDate, b.dueDate));
}

function requireNonNegative(duration: CalendarDuration, field: string): CalendarDuration {
  if (typeof duration !== 'object' || duration === null) throw new ScienceInputError(field, 'a duration such as { weeks: 2 }');
  for (const part of ['years', 'months', 'weeks', 'days'] as const) {
    const value = duration[part];
    if (value !== undefined && (typeof value !== 'number' || value < 0)) {
      throw new ScienceInputError(`${field}.${part}`, 'a whole number ≥ 0 (a window cannot be negative)');
    }
  }
  return duration;
}

function negate(duration: CalendarDuration): CalendarDuration {
  return {
    years: -(duration.years ?? 0),
    months: -(duration.months ?? 0),
    weeks: -(duration.weeks ?? 0),
    days: -(duration.days ?? 0),
  };
}
