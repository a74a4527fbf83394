import { answerableItems, checkAnswers, isItemEnabled, type AnswerProblem, type Questionnaire } from '../science/questionnaire.js';
import type { ResponderRule } from '../science/responder.js';
import type { InstrumentSummary, OutcomeSummary, ResponderSummary, TimePointSummary, TrajectoryView } from './outcome-types.js';

/**
 * Pure helpers of the outcome screens (follow-up, worklist, summary, chart): numbers as staff
 * read them, the summary grouped for cards, staff-entered answers checked with the science
 * library's own `checkAnswers`, and the geometry of the small trajectory chart.
 */

const MINUS = '−';

/** A number with `digits` decimals and a real minus sign; '—' when there is none. */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `${MINUS}${text}` : text;
}

/** A signed change: `+1.0`, `−5.0`, `0.0`. */
export function formatSigned(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = formatNumber(value, digits);
  return value > 0 && Number(Math.abs(value).toFixed(digits)) !== 0 ? `+${text}` : text;
}

/** `95 % CI −7.1 to −2.9`, or a reason when there is no interval (n < 2). */
export function formatInterval(lower: number | null | undefined, upper: number | null | undefined, digits = 1, signed = true): string {
  if (lower === null || lower === undefined || upper === null || upper === undefined) return 'no interval (fewer than 2)';
  const f = signed ? formatSigned : formatNumber;
  return `95 % CI ${f(lower, digits)} to ${f(upper, digits)}`;
}

/** A proportion (0–1) as a whole percentage: `0.4` → `40 %`. */
export function formatProportion(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${Math.round(value * 100)} %`;
}

/** A Wilson interval of a proportion: `95 % CI 21 % to 100 %`. */
export function formatProportionInterval(lower: number | null | undefined, upper: number | null | undefined): string {
  if (lower === null || lower === undefined || upper === null || upper === undefined) return 'no interval';
  return `95 % CI ${formatProportion(lower)} to ${formatProportion(upper)}`;
}

/** `completed / due (p %)`. */
export function formatCompletion(completed: number, due: number, percent: number | null): string {
  return `${completed} / ${due}${percent === null ? '' : ` (${Math.round(percent)} %)`}`;
}

// ---------------------------------------------------------------------------------------------
// Summary grouped for display: one card per indication × time point
// ---------------------------------------------------------------------------------------------

export interface SummaryGroup {
  key: string;
  indication: string;
  timePoint: string;
  label: string;
  counts: TimePointSummary | undefined;
  instruments: InstrumentSummary[];
  /** one per instrument with a responder rule, in the server's order */
  responders: ResponderSummary[];
}

/** The summary's three lists joined by indication × time point, in the server's order. */
export function groupSummary(summary: Pick<OutcomeSummary, 'timePoints' | 'instruments' | 'responders'>): SummaryGroup[] {
  const groups = new Map<string, SummaryGroup>();
  const keyOf = (r: { indication: string; timePoint: string }) => `${r.indication}|${r.timePoint}`;
  const groupOf = (r: { indication: string; timePoint: string; label: string }) => {
    const key = keyOf(r);
    let g = groups.get(key);
    if (!g) {
      g = { key, indication: r.indication, timePoint: r.timePoint, label: r.label, counts: undefined, instruments: [], responders: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const t of summary.timePoints) groupOf(t).counts = t;
  for (const i of summary.instruments) groupOf(i).instruments.push(i);
  for (const r of summary.responders) groupOf(r).responders.push(r);
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// Answers entered by staff
// ---------------------------------------------------------------------------------------------

/** A sentence for staff about one problem found by `checkAnswers`. */
export function answerProblemText(p: AnswerProblem): string {
  const q = p.number ? `Question ${p.number}` : 'An answer';
  switch (p.kind) {
    case 'required': return `${q} needs an answer.`;
    case 'out-of-range': return `${q} takes a value from ${p.min} to ${p.max}.`;
    case 'not-a-whole-number': return `${q} takes a whole number${p.min !== undefined && p.max !== undefined ? ` from ${p.min} to ${p.max}` : ''}.`;
    case 'not-a-number': return `${q} takes a number.`;
    case 'not-an-option': return `${q}: choose one of the answers listed.`;
    case 'not-yes-or-no': return `${q}: choose yes or no.`;
    case 'too-long': return `${q} takes at most ${p.max} characters.`;
    case 'unknown-question': return `“${p.linkId}” is not a question of this instrument.`;
  }
}

export interface CheckedEntry {
  /** linkId → answer to send (normalised by the science library) */
  answers: Record<string, string | number | boolean>;
  /** linkId → message; empty when the answers can be sent */
  errors: Record<string, string>;
}

/**
 * Checks what a coordinator typed or chose (text values from the form) against the instrument's
 * questionnaire, as the server will: every enabled required question answered, values in range.
 * Answers to questions the other answers switch off are dropped.
 */
export function checkEntry(questionnaire: Questionnaire, raw: Readonly<Record<string, string>>): CheckedEntry {
  const present: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v.trim() !== '') present[k] = v.trim();
  const checked = checkAnswers(questionnaire, present, { complete: true });
  const errors: Record<string, string> = {};
  for (const p of checked.problems) errors[p.linkId] ??= answerProblemText(p);
  return { answers: checked.answers, errors };
}

/** linkIds of the questions shown now, given the answers so far (enableWhen). */
export function visibleLinkIds(questionnaire: Questionnaire, raw: Readonly<Record<string, string>>): Set<string> {
  const present: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v.trim() !== '') present[k] = v.trim();
  // Typed values (numbers as numbers) so that numeric conditions compare as the server does.
  const typed = checkAnswers(questionnaire, present, { complete: false }).answers;
  return new Set(answerableItems(questionnaire).filter(({ item }) => isItemEnabled(item, typed)).map(({ item }) => item.linkId));
}

/** Server errors (`answers.<linkId>`) spread onto the form's questions; the rest is general. */
export function entryServerErrors(errors: readonly { field: string; message: string }[] | undefined): { fields: Record<string, string>; general: string[] } {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const e of errors ?? []) {
    const m = /^answers\.(.+)$/.exec(e.field);
    if (m) fields[m[1]!] ??= e.message.charAt(0).toUpperCase() + e.message.slice(1);
    else general.push(`${e.field}: ${e.message}`);
  }
  return { fields, general };
}

// ---------------------------------------------------------------------------------------------
// Trajectory chart geometry
// ---------------------------------------------------------------------------------------------

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  points: { x: number; y: number; label: string; score: number }[];
  /** the band of no important change around the baseline (null without a baseline or a threshold) */
  band: { y1: number; y2: number; label: string } | null;
  ticks: { y: number; value: number }[];
  /** text alternative: "Back pain: Baseline 8, 6 weeks 3." */
  description: string;
}

/**
 * Where the points of one instrument's trajectory go in a chart of `width` × `height`: time points
 * spaced evenly (their order, not calendar distance, matters to the reader), the score axis from
 * the instrument's minimum to its maximum, and the band baseline ± the important change.
 */
export function chartGeometry(t: TrajectoryView, width = 320, height = 160): ChartGeometry {
  const plot = { left: 40, right: width - 30, top: 12, bottom: height - 26 };
  const span = t.scoreMax - t.scoreMin || 1;
  const yOf = (v: number) => plot.bottom - ((Math.min(Math.max(v, t.scoreMin), t.scoreMax) - t.scoreMin) / span) * (plot.bottom - plot.top);
  const n = t.points.length;
  const xOf = (i: number) => (n <= 1 ? (plot.left + plot.right) / 2 : plot.left + (i / (n - 1)) * (plot.right - plot.left));
  const points = t.points.map((p, i) => ({ x: xOf(i), y: yOf(p.score), label: p.label, score: p.score }));
  let band: ChartGeometry['band'] = null;
  const mic = t.importantChange;
  if (t.baseline !== null && mic) {
    const delta = mic.points ?? (mic.percent !== null ? (Math.abs(t.baseline) * mic.percent) / 100 : null);
    if (delta !== null && delta > 0) {
      const label = mic.points !== null ? `${formatNumber(mic.points, 0)} point${mic.points === 1 ? '' : 's'}` : `${formatNumber(mic.percent, 0)} %`;
      band = { y1: yOf(t.baseline + delta), y2: yOf(t.baseline - delta), label };
    }
  }
  const step = span > 20 ? 25 : span > 8 ? 2 : 1;
  const ticks: ChartGeometry['ticks'] = [];
  for (let v = Math.ceil(t.scoreMin / step) * step; v <= t.scoreMax; v += step) ticks.push({ y: yOf(v), value: v });
  const description = `${t.label}: ${t.points.map((p) => `${p.label} ${formatScore(p.score)}`).join(', ')}.`;
  return { width, height, plot, points, band, ticks, description };
}

/** A score as stored: whole numbers plain, others with one decimal. */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : formatNumber(score, 1);
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** `3, 7, 14` → [3, 7, 14]; whole days from 1 to 365, increasing, at most 5. */
export function parseReminderDays(text: string): { days: number[] } | { error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) return { error: 'Reminder days are whole numbers of days, separated by commas (for example 3, 7, 14).' };
  const days = parts.map(Number);
  if (days.some((d) => d < 1 || d > 365)) return { error: 'Each reminder day is from 1 to 365.' };
  if (days.length > 5) return { error: 'At most 5 reminders.' };
  if (days.some((d, i) => i > 0 && d <= days[i - 1]!)) return { error: 'Reminder days must increase (for example 3, 7, 14).' };
  return { days };
}

/** JSON with sorted keys, so two equal rules compare equal whatever order their keys came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The id of the first preset whose rule is the clinic's rule, if any. */
export function presetIdOf(rule: unknown, presets: readonly { id: string; rule: unknown }[]): string | undefined {
  const target = canonicalJson(rule);
  return presets.find((p) => canonicalJson(p.rule) === target)?.id;
}

// ---------------------------------------------------------------------------------------------
// Responder rules per instrument (settings page)
// ---------------------------------------------------------------------------------------------

export interface ResponderChoice {
  id: string;
  label: string;
  rule: ResponderRule;
  source: string;
  /** true when the threshold's source has not been checked against the paper */
  unverified?: boolean;
}

const OSTELO = 'Ostelo 2008 (Spine), minimal important change';
const FARRAR = 'Farrar 2001 (Pain): about 2 points or about 30 % matched “much improved”';
const IMMPACT = 'IMMPACT, Dworkin 2008 (J Pain)';

/**
 * The rules a clinic can pick for one instrument, with their sources: Ostelo 2008 consensus (NRS
 * 2 points, ODI 10 points, or 30 % from baseline), IMMPACT 2008 (≥ 30 % moderate, ≥ 50 %
 * substantial; PGIC much improved). The first is Autolog's default where there is one.
 */
export function responderChoices(instrument: string): ResponderChoice[] {
  const points = instrument === 'odi' ? 10 : instrument === 'nrs-back' || instrument === 'nrs-leg' ? 2 : null;
  const percent = (p: number): ResponderRule => ({ kind: 'percent', instrument, percent: p });
  if (instrument === 'pgic') {
    return [
      { id: 'pgic-much', label: 'Much improved or better', rule: { kind: 'pgic', atLeast: 'much-improved' }, source: IMMPACT, unverified: true },
      { id: 'pgic-minimally', label: 'Minimally improved or better', rule: { kind: 'pgic', atLeast: 'minimally-improved' }, source: IMMPACT, unverified: true },
    ];
  }
  const out: ResponderChoice[] = [];
  if (points !== null) {
    const absolute: ResponderRule = { kind: 'absolute', instrument, points, direction: 'decrease' };
    out.push(
      { id: 'points-or-30', label: `Improved by at least ${points} points or 30 %`, rule: { kind: 'any', rules: [absolute, percent(30)] }, source: instrument === 'odi' ? OSTELO : `${OSTELO}; ${FARRAR}` },
      { id: 'points', label: `Improved by at least ${points} points`, rule: absolute, source: OSTELO },
    );
  }
  out.push(
    { id: 'percent-30', label: 'Improved by at least 30 %', rule: percent(30), source: points !== null ? OSTELO : IMMPACT },
    { id: 'percent-50', label: 'Improved by at least 50 % (substantial)', rule: percent(50), source: IMMPACT },
  );
  return out;
}
