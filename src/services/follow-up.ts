import {
  BASELINE_TIME_POINT_CODE, INSTRUMENTS, RESPONDER_PRESETS, ScienceInputError, addCalendarDuration, describeResponderRule, followUpSchedule, instrumentSpec, isIsoDate,
  type FollowUpProtocol, type ResponderRule,
} from '../science/index.js';
import type { Dialect } from '../store/db.js';
import { fromJson, toJson } from '../store/json.js';
import type {
  CallOutcome, FollowUpContactRow, FollowUpScheduleRow, FollowUpStopReason, FollowUpTimePointRow, ResponseMode, SurveyResponseRow,
  TimePointStatus, TreatmentFailureKind, TreatmentFailureRow,
} from '../store/schema-outcomes.js';
import type { EpisodeRow, OutboxStatus } from '../store/schema.js';
import { recordAudit, subjectOf, type AuditSubject } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { ServiceError, conflict, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { activeInstruments } from './instruments.js';
import { onPlannedProcedureDateChanged } from './instructions.js';
import { askedInstruments, saveResponse } from './outcome-responses.js';
import { loadOutcomeSettings, type ResponderRuleEntry, type ResponderRules } from './outcome-settings.js';
import { assertCan } from './permissions.js';

/**
 * Follow-up schedules: the clinic's protocol placed on the calendar from the episode's planned
 * procedure date, moved when that date moves, stopped when the episode is cancelled or the
 * patient opts out (outcomes.md §4: exactly where other registries fail). The scheduler
 * (jobs/follow-up-scheduler.ts) emails the links; this file holds the staff use cases.
 */

/** The clinic's calendar date at an instant (the scheduler runs "as of" an instant; UTC if the zone is unknown). */
export function clinicToday(timeZone: string, atIso: string = nowIso()): string {
  try {
    return todayIso(timeZone, new Date(atIso));
  } catch {
    return atIso.slice(0, 10);
  }
}

async function clinicTodayFor(trx: Trx, clinicId: string, atIso: string = nowIso()): Promise<string> {
  const clinic = await trx.selectFrom('clinic').select('time_zone').where('id', '=', clinicId).executeTakeFirst();
  return clinicToday(clinic?.time_zone ?? 'UTC', atIso);
}

export type TimePointState = 'upcoming' | 'due' | 'completed' | 'missed' | 'stopped';

/** Where a time point stands on `today`: only 'due' ones are emailed. */
function timePointState(tp: Pick<FollowUpTimePointRow, 'status' | 'window_start_on' | 'window_end_on'>, today: string): TimePointState {
  if (tp.status === 'stopped') return 'stopped';
  if (tp.status === 'completed') return 'completed';
  if (today < tp.window_start_on) return 'upcoming';
  if (today > tp.window_end_on) return 'missed';
  return 'due';
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface ContactView {
  id: string;
  kind: FollowUpContactRow['kind'];
  channel: FollowUpContactRow['channel'];
  sendNumber: number | null;
  at: string;
  outcome: CallOutcome | null;
  note: string | null;
  by: string | null;
  /** the email's delivery status in the outbox ('failed' = bounced for good) */
  delivery: OutboxStatus | null;
}

export interface ResponseView {
  id: string;
  timePoint: string;
  instrument: string;
  instrumentVersion: string;
  status: SurveyResponseRow['status'];
  mode: ResponseMode;
  answers: Record<string, unknown>;
  score: number | null;
  scoreDetail: Record<string, unknown> | null;
  scienceVersion: string | null;
  recallPeriod: string | null;
  startedAt: string;
  completedAt: string | null;
}

export interface TimePointView {
  id: string;
  code: string;
  label: string;
  dueOn: string;
  windowStartOn: string;
  windowEndOn: string;
  status: TimePointStatus;
  state: TimePointState;
  stopReason: FollowUpStopReason | null;
  /** what the patient is asked: the protocol's instruments the clinic can offer now */
  instruments: string[];
  /** in the protocol but not asked: licensed wording (the ODI) the clinic has not imported */
  notImported: string[];
  sends: number;
  nextSendOn: string | null;
  invitedAt: string | null;
  completedAt: string | null;
  contacts: ContactView[];
  responses: ResponseView[];
}

export interface TreatmentFailureView {
  id: string;
  kind: TreatmentFailureKind;
  occurredOn: string;
  notes: string | null;
  createdAt: string;
}

export interface TrajectoryView {
  instrument: string;
  title: string;
  /** short name for charts ("Back pain") */
  label: string;
  scoreMin: number;
  scoreMax: number;
  higherIsWorse: boolean;
  baseline: number | null;
  /** minimal important change for the chart's band: from the clinic's rule, else Ostelo 2008 */
  importantChange: { points: number | null; percent: number | null; source: string } | null;
  points: { timePoint: string; label: string; dueOn: string; completedAt: string | null; score: number }[];
}

export interface FollowUpView {
  episodeId: string;
  patientId: string;
  episodeStatus: string;
  plannedProcedureOn: string | null;
  today: string;
  schedule: { id: string; anchorOn: string; status: FollowUpScheduleRow['status']; stopReason: FollowUpStopReason | null; protocol: FollowUpProtocol } | null;
  timePoints: TimePointView[];
  treatmentFailures: TreatmentFailureView[];
  trajectories: TrajectoryView[];
  /** the clinic's first responder rule (back-pain NRS by default) */
  responderRule: { rule: ResponderRule; text: string };
  /** every responder rule of the clinic, one per instrument */
  responderRules: ResponderRuleEntry[];
}

function presentResponse(r: SurveyResponseRow): ResponseView {
  return {
    id: r.id, timePoint: r.time_point_code, instrument: r.instrument_code, instrumentVersion: r.instrument_version, status: r.status, mode: r.mode,
    answers: fromJson<Record<string, unknown>>(r.answers_json) ?? {}, score: r.score, scoreDetail: fromJson<Record<string, unknown>>(r.score_detail_json),
    scienceVersion: r.science_version, recallPeriod: r.recall_period, startedAt: r.started_at, completedAt: r.completed_at,
  };
}

function presentFailure(f: TreatmentFailureRow): TreatmentFailureView {
  return { id: f.id, kind: f.kind, occurredOn: f.occurred_on, notes: f.notes, createdAt: f.created_at };
}

type ContactWithDelivery = FollowUpContactRow & { delivery: OutboxStatus | null };

function presentContact(c: ContactWithDelivery): ContactView {
  return { id: c.id, kind: c.kind, channel: c.channel, sendNumber: c.send_number, at: c.created_at, outcome: c.outcome, note: c.note, by: c.created_by_label, delivery: c.delivery };
}

/**
 * Minimal important change of an instrument for the chart band: the clinic's rule for that
 * instrument first, else Ostelo 2008.
 */
function importantChangeOf(code: string, rules: ResponderRules): TrajectoryView['importantChange'] {
  const rule = rules[code];
  const found: { points: number | null; percent: number | null } = { points: null, percent: null };
  const walk = (r: ResponderRule) => {
    if (r.kind === 'absolute' && r.instrument === code && found.points === null) found.points = r.points;
    else if (r.kind === 'percent' && r.instrument === code && found.percent === null) found.percent = r.percent;
    else if (r.kind === 'all' || r.kind === 'any') r.rules.forEach(walk);
  };
  if (rule) walk(rule);
  if (found.points !== null || found.percent !== null) return { ...found, source: 'clinic responder rule' };
  // Ostelo 2008 (Spine): NRS 2 points, ODI 10 points
  if (code === 'nrs-back' || code === 'nrs-leg') return { points: RESPONDER_PRESETS.osteloNrs2Points.rule.points, percent: null, source: RESPONDER_PRESETS.osteloNrs2Points.source };
  if (code === 'odi') return { points: RESPONDER_PRESETS.osteloOdi10Points.rule.points, percent: null, source: RESPONDER_PRESETS.osteloOdi10Points.source };
  return null;
}

/** Scores over time per instrument, ordered by time point (the patient's chart and the staff chart). */
export function trajectories(timePoints: Pick<FollowUpTimePointRow, 'code' | 'label' | 'due_on' | 'position'>[], responses: SurveyResponseRow[], rules: ResponderRules): TrajectoryView[] {
  const order = new Map(timePoints.map((t) => [t.code, t]));
  const byInstrument = new Map<string, SurveyResponseRow[]>();
  for (const r of responses) {
    if (r.status !== 'completed' || r.score === null) continue;
    byInstrument.set(r.instrument_code, [...(byInstrument.get(r.instrument_code) ?? []), r]);
  }
  const out: TrajectoryView[] = [];
  for (const [code, rows] of byInstrument) {
    const spec = instrumentSpec(code);
    if (!spec.outcome) continue;
    const points = rows
      .filter((r) => order.has(r.time_point_code))
      .sort((a, b) => order.get(a.time_point_code)!.position - order.get(b.time_point_code)!.position)
      .map((r) => { const t = order.get(r.time_point_code)!; return { timePoint: t.code, label: t.label, dueOn: t.due_on, completedAt: r.completed_at, score: r.score! }; });
    out.push({
      instrument: code, title: spec.title, label: spec.shortLabel, scoreMin: spec.scoreMin, scoreMax: spec.scoreMax, higherIsWorse: spec.higherIsWorse,
      baseline: points.find((p) => p.timePoint === BASELINE_TIME_POINT_CODE)?.score ?? null, importantChange: importantChangeOf(code, rules), points,
    });
  }
  // In Autolog's instrument order, as the summary and the responder rules list them.
  const instrumentOrder = Object.keys(INSTRUMENTS);
  return out.sort((a, b) => instrumentOrder.indexOf(a.instrument) - instrumentOrder.indexOf(b.instrument));
}

/** A time point's instruments split into those asked and those waiting for the clinic's licensed copy. */
function offeredInstruments(instrumentsJson: unknown, active: ReadonlyMap<string, unknown>): { instruments: string[]; notImported: string[] } {
  const codes = fromJson<string[]>(instrumentsJson) ?? [];
  return { instruments: codes.filter((c) => active.has(c)), notImported: codes.filter((c) => !active.has(c)) };
}

// ---------------------------------------------------------------------------------------------
// Attaching and moving the schedule
// ---------------------------------------------------------------------------------------------

async function episodeInClinic(trx: Trx, clinicId: string, episodeId: string) {
  const episode = await trx.selectFrom('episode').selectAll().where('id', '=', episodeId).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!episode) throw notFound('episode');
  return episode;
}

function scheduleFor(anchorOn: string, protocol: FollowUpProtocol) {
  try {
    return followUpSchedule(anchorOn, protocol);
  } catch (error) {
    if (error instanceof ScienceInputError) {
      if (error.field === 'anchorDate') throw invalid('plannedProcedureOn', `${anchorOn} is not a real calendar date (use YYYY-MM-DD).`);
      throw invalid('plannedProcedureOn', `The clinic's follow-up protocol does not fit this date: ${error.message}.`);
    }
    throw error;
  }
}

/**
 * Sets (or clears, with null) the episode's planned procedure date. The first date attaches the
 * clinic's protocol and creates the time points; a later date moves every open time point with
 * it (completed and stopped ones stay where they were); null stops the follow-up until a date is
 * set again. Links already sent stay valid: they follow their time point's window.
 */
export async function setProcedureDate(services: Services, actor: Actor, episodeId: string, input: { plannedProcedureOn: string | null }): Promise<FollowUpView> {
  assertCan(actor, 'outcome:write');
  const date = input.plannedProcedureOn;
  if (date !== null && !isIsoDate(date)) throw invalid('plannedProcedureOn', `${date} is not a real calendar date (use YYYY-MM-DD).`);
  const { store } = services;
  await inTransaction(store, async (trx) => {
    const episode = await episodeInClinic(trx, actor.clinicId, episodeId);
    if (episode.status === 'cancelled' && date !== null) throw conflict('This episode is cancelled: reopen it before planning its procedure.');
    await applyProcedureDate(trx, store.dialect, subjectOf(actor), actor.clinicId, episode, date);
  });
  return readFollowUp(services, actor, episodeId, false);
}

/**
 * Anchors the follow-up on the injection when it is recorded (called by recordProcedure inside
 * its transaction, after the procedure row is written): the performed date in the clinic's time
 * zone becomes the planned procedure date; when it differs, every open time point moves with it
 * (the baseline stays due before the injection); an episode that never had a date gets its
 * schedule now. Only the episode's first injection anchors it — a repeat injection is a treatment
 * failure, not a new anchor. Returns the anchor date, or null when nothing was changed.
 */
export async function anchorFollowUpOnInjection(trx: Trx, dialect: Dialect, who: AuditSubject, clinicId: string, episodeId: string, performedAt: string): Promise<string | null> {
  const injections = await trx.selectFrom('injection_procedure').select((eb) => eb.fn.countAll<number>().as('n')).where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
  if (Number(injections.n) !== 1) return null;
  const episode = await episodeInClinic(trx, clinicId, episodeId);
  if (episode.status === 'cancelled') return null;
  const performedOn = await clinicTodayFor(trx, clinicId, performedAt);
  const schedule = await trx.selectFrom('follow_up_schedule').select(['anchor_on', 'status', 'stop_reason']).where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).executeTakeFirst();
  const unchanged = episode.planned_procedure_on === performedOn && schedule?.anchor_on === performedOn && !(schedule.status === 'stopped' && schedule.stop_reason === 'procedure-unplanned');
  if (unchanged) return null;
  await applyProcedureDate(trx, dialect, who, clinicId, episode, performedOn, { reason: 'injection-recorded' });
  return performedOn;
}

/**
 * The transaction-level core of a procedure date change (a staff member's plan, or the recorded
 * injection): the episode's date, the instructions re-send, and the schedule attached, moved or
 * stopped — each audited.
 */
export async function applyProcedureDate(trx: Trx, dialect: Dialect, who: AuditSubject, clinicId: string, episode: EpisodeRow, date: string | null, options: { reason?: 'injection-recorded' } = {}): Promise<void> {
  const episodeId = episode.id;
  const now = nowIso();
  await trx.updateTable('episode').set({ planned_procedure_on: date, updated_at: now }).where('id', '=', episodeId).where('clinic_id', '=', clinicId).execute();
  // Instructions already sent to the patient are recomputed and re-sent for the new date (pathway),
  // unless the injection has happened (instructions.ts checks).
  await onPlannedProcedureDateChanged(trx, dialect, who, clinicId, episodeId, episode.planned_procedure_on, date);
  const schedule = await trx.selectFrom('follow_up_schedule').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).executeTakeFirst();
  const why = options.reason ? { reason: options.reason } : {};

  if (date === null) {
    if (schedule) await stopFollowUp(trx, dialect, who, clinicId, episodeId, 'procedure-unplanned');
    await recordAudit(trx, dialect, who, { action: 'update', entityType: 'episode', entityId: episodeId, patientId: episode.patient_id, detail: { fields: ['planned_procedure_on'], plannedProcedureOn: null, previous: episode.planned_procedure_on } });
    return;
  }

  if (!schedule) {
    const settings = await loadOutcomeSettings(trx, clinicId);
    const points = scheduleFor(date, settings.protocol);
    const scheduleId = newId();
    await trx.insertInto('follow_up_schedule').values({
      id: scheduleId, clinic_id: clinicId, episode_id: episodeId, patient_id: episode.patient_id, anchor_on: date,
      protocol_json: toJson(settings.protocol), status: 'active', stop_reason: null, stopped_at: null, created_at: now, updated_at: now,
    }).execute();
    await trx.insertInto('follow_up_time_point').values(points.map((p, position) => ({
      id: newId(), clinic_id: clinicId, schedule_id: scheduleId, episode_id: episodeId, patient_id: episode.patient_id,
      code: p.code, label: p.label, position, due_on: p.dueDate, window_start_on: p.windowStart, window_end_on: p.windowEnd,
      instruments_json: toJson(p.code === BASELINE_TIME_POINT_CODE ? settings.baselineInstruments : settings.followUpInstruments),
      status: 'open' as const, stop_reason: null, sends: 0, next_send_on: p.windowStart, invited_at: null, completed_at: null, created_at: now, updated_at: now,
    }))).execute();
    await recordAudit(trx, dialect, who, { action: 'create', entityType: 'follow_up_schedule', entityId: scheduleId, patientId: episode.patient_id, detail: { episodeId, plannedProcedureOn: date, timePoints: points.length, ...why } });
    return;
  }

  const protocol = fromJson<FollowUpProtocol>(schedule.protocol_json)!;
  const points = new Map(scheduleFor(date, protocol).map((p, position) => [p.code, { ...p, position }]));
  if (schedule.status === 'stopped' && schedule.stop_reason === 'procedure-unplanned') {
    await resumeFollowUp(trx, dialect, who, clinicId, episodeId, 'procedure-unplanned');
  }
  const open = await trx.selectFrom('follow_up_time_point').selectAll().where('clinic_id', '=', clinicId).where('schedule_id', '=', schedule.id).where('status', '=', 'open').execute();
  for (const tp of open) {
    const p = points.get(tp.code);
    if (!p) continue;
    // A point not yet emailed waits for its new window; one mid-reminders carries on, not before the window opens.
    const nextSendOn = tp.sends === 0 ? p.windowStart : tp.next_send_on === null ? null : (tp.next_send_on > p.windowStart ? tp.next_send_on : p.windowStart);
    await trx.updateTable('follow_up_time_point').set({
      due_on: p.dueDate, window_start_on: p.windowStart, window_end_on: p.windowEnd, position: p.position, next_send_on: nextSendOn, updated_at: now,
    }).where('id', '=', tp.id).where('clinic_id', '=', clinicId).execute();
  }
  await trx.updateTable('follow_up_schedule').set({ anchor_on: date, updated_at: now }).where('id', '=', schedule.id).execute();
  await recordAudit(trx, dialect, who, {
    action: 'update', entityType: 'follow_up_schedule', entityId: schedule.id, patientId: episode.patient_id,
    detail: { episodeId, plannedProcedureOn: date, previous: schedule.anchor_on, movedTimePoints: open.length, ...why },
  });
}

/** Stops a schedule and every open time point (nothing more is sent). Idempotent. */
export async function stopFollowUp(trx: Trx, dialect: Dialect, who: AuditSubject, clinicId: string, episodeId: string, reason: FollowUpStopReason): Promise<number> {
  const schedule = await trx.selectFrom('follow_up_schedule').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).executeTakeFirst();
  if (!schedule || schedule.status === 'stopped') return 0;
  const now = nowIso();
  await trx.updateTable('follow_up_schedule').set({ status: 'stopped', stop_reason: reason, stopped_at: now, updated_at: now }).where('id', '=', schedule.id).execute();
  const stopped = await trx.updateTable('follow_up_time_point').set({ status: 'stopped', stop_reason: reason, next_send_on: null, updated_at: now })
    .where('clinic_id', '=', clinicId).where('schedule_id', '=', schedule.id).where('status', '=', 'open').executeTakeFirst();
  const count = Number(stopped.numUpdatedRows);
  await recordAudit(trx, dialect, who, { action: 'update', entityType: 'follow_up_schedule', entityId: schedule.id, patientId: schedule.patient_id, detail: { episodeId, stopped: reason, timePoints: count } });
  return count;
}

/** Undoes `stopFollowUp` for the same reason (an episode reopened, a date set again). */
async function resumeFollowUp(trx: Trx, dialect: Dialect, who: AuditSubject, clinicId: string, episodeId: string, reason: FollowUpStopReason): Promise<void> {
  const schedule = await trx.selectFrom('follow_up_schedule').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).executeTakeFirst();
  if (!schedule || schedule.status !== 'stopped' || schedule.stop_reason !== reason) return;
  const now = nowIso();
  const today = await clinicTodayFor(trx, clinicId, now);
  await trx.updateTable('follow_up_schedule').set({ status: 'active', stop_reason: null, stopped_at: null, updated_at: now }).where('id', '=', schedule.id).execute();
  // A point never emailed waits for its window again; one mid-reminders carries on from today.
  const resumed = await trx.updateTable('follow_up_time_point')
    .set((eb) => ({ status: 'open', stop_reason: null, next_send_on: eb.case().when('sends', '=', 0).then(eb.ref('window_start_on')).else(today).end(), updated_at: now }))
    .where('clinic_id', '=', clinicId).where('schedule_id', '=', schedule.id).where('status', '=', 'stopped').where('stop_reason', '=', reason).executeTakeFirst();
  await recordAudit(trx, dialect, who, { action: 'update', entityType: 'follow_up_schedule', entityId: schedule.id, patientId: schedule.patient_id, detail: { episodeId, resumed: reason, timePoints: Number(resumed.numUpdatedRows) } });
}

/**
 * Called by `updateEpisode` inside its transaction when the status changes: cancelling stops all
 * follow-up; reopening a cancelled episode resumes it. (The scheduler also re-checks at send time.)
 */
export async function onEpisodeStatusChanged(trx: Trx, dialect: Dialect, who: AuditSubject, clinicId: string, episodeId: string, from: string, to: string): Promise<void> {
  if (to === 'cancelled') await stopFollowUp(trx, dialect, who, clinicId, episodeId, 'episode-cancelled');
  else if (from === 'cancelled') await resumeFollowUp(trx, dialect, who, clinicId, episodeId, 'episode-cancelled');
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** The episode's schedule, contacts, responses with scores, failures and trajectories (an audited read). */
export async function getFollowUp(services: Services, actor: Actor, episodeId: string): Promise<FollowUpView> {
  assertCan(actor, 'outcome:read');
  return readFollowUp(services, actor, episodeId, true);
}

async function readFollowUp(services: Services, actor: Actor, episodeId: string, audit: boolean): Promise<FollowUpView> {
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const episode = await episodeInClinic(trx, actor.clinicId, episodeId);
    const settings = await loadOutcomeSettings(trx, actor.clinicId);
    const active = await activeInstruments(trx, actor.clinicId);
    const today = todayIso(actor.timeZone);
    const schedule = await trx.selectFrom('follow_up_schedule').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).executeTakeFirst();
    const points = schedule ? await trx.selectFrom('follow_up_time_point').selectAll().where('clinic_id', '=', actor.clinicId).where('schedule_id', '=', schedule.id).orderBy('position').execute() : [];
    const contacts = points.length ? await trx.selectFrom('follow_up_contact as c').leftJoin('outbox as o', 'o.id', 'c.outbox_id').selectAll('c').select('o.status as delivery')
      .where('c.clinic_id', '=', actor.clinicId).where('c.time_point_id', 'in', points.map((p) => p.id)).orderBy('c.created_at').execute() : [];
    const responses = await trx.selectFrom('survey_response').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).execute();
    const failures = await trx.selectFrom('treatment_failure').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).orderBy('occurred_on').execute();
    if (audit) {
      // The answers are the patient's health data: reading them is audited like a chart read.
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'follow_up', entityId: episodeId, patientId: episode.patient_id, detail: { responses: responses.length } });
    }
    return {
      episodeId, patientId: episode.patient_id, episodeStatus: episode.status, plannedProcedureOn: episode.planned_procedure_on, today,
      schedule: schedule ? { id: schedule.id, anchorOn: schedule.anchor_on, status: schedule.status, stopReason: schedule.stop_reason, protocol: fromJson<FollowUpProtocol>(schedule.protocol_json)! } : null,
      timePoints: points.map((tp) => ({
        id: tp.id, code: tp.code, label: tp.label, dueOn: tp.due_on, windowStartOn: tp.window_start_on, windowEndOn: tp.window_end_on,
        status: tp.status, state: timePointState(tp, today), stopReason: tp.stop_reason,
        ...offeredInstruments(tp.instruments_json, active),
        sends: tp.sends, nextSendOn: tp.next_send_on, invitedAt: tp.invited_at, completedAt: tp.completed_at,
        contacts: contacts.filter((c) => c.time_point_id === tp.id).map((c) => presentContact(c as ContactWithDelivery)),
        responses: responses.filter((r) => r.time_point_id === tp.id).map(presentResponse),
      })),
      treatmentFailures: failures.map(presentFailure),
      trajectories: trajectories(points, responses, settings.responderRules),
      responderRule: { rule: settings.responderRule, text: settings.responderRuleText },
      responderRules: settings.responderRuleList,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Staff actions on a time point
// ---------------------------------------------------------------------------------------------

async function timePointInClinic(trx: Trx, clinicId: string, id: string): Promise<FollowUpTimePointRow> {
  const tp = await trx.selectFrom('follow_up_time_point').selectAll().where('id', '=', id).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!tp) throw notFound('follow-up time point');
  return tp;
}

export interface EnteredResponse {
  instrumentCode: string;
  answers: Record<string, unknown>;
  mode: Exclude<ResponseMode, 'web'>;
}

/** Answers given by phone or on paper, entered by a coordinator: checked and scored like the survey's. */
export async function enterResponse(services: Services, actor: Actor, timePointId: string, input: EnteredResponse): Promise<ResponseView> {
  assertCan(actor, 'outcome:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const tp = await timePointInClinic(trx, actor.clinicId, timePointId);
    if (tp.status === 'stopped') throw conflict(`Follow-up of this episode was stopped (${tp.stop_reason ?? 'stopped'}); no answers can be added to it.`);
    const asked = askedInstruments(tp, await activeInstruments(trx, actor.clinicId));
    const instrument = asked.find((i) => i.code === input.instrumentCode);
    if (!instrument) throw invalid('instrumentCode', `This time point asks ${asked.map((i) => i.code).join(', ')}; "${input.instrumentCode}" is not one of them.`);
    const result = await saveResponse(trx, store.dialect, subjectOf(actor), { timePoint: tp, instrument, raw: input.answers, complete: true, mode: input.mode, enteredBy: actor.userId }, asked.map((i) => i.code));
    if (!result.ok) {
      const errors = result.problems.map((p) => ({ field: `answers.${p.linkId}`, message: staffProblemText(p) }));
      throw new ServiceError('invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { field: errors[0]!.field, data: { errors } });
    }
    return presentResponse(result.response);
  });
}

function staffProblemText(p: { number: number; text: string; kind: string; min?: number; max?: number }): string {
  const q = p.number ? `question ${p.number} ("${p.text}")` : 'this linkId';
  switch (p.kind) {
    case 'required': return `${q} needs an answer`;
    case 'out-of-range': return `${q} takes a value from ${p.min} to ${p.max}`;
    case 'not-a-whole-number': return `${q} takes a whole number${p.min !== undefined ? ` from ${p.min} to ${p.max}` : ''}`;
    case 'not-a-number': return `${q} takes a number`;
    case 'not-an-option': return `${q} takes one of its answer option codes`;
    case 'not-yes-or-no': return `${q} takes true or false`;
    case 'too-long': return `${q} takes at most ${p.max} characters`;
    default: return 'is not a question of this instrument';
  }
}

/** A coordinator's phone call about a time point (reached / no answer / declined / wrong number). */
export async function recordCall(services: Services, actor: Actor, timePointId: string, input: { outcome: CallOutcome; note?: string | null }): Promise<ContactView> {
  assertCan(actor, 'outcome:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const tp = await timePointInClinic(trx, actor.clinicId, timePointId);
    const row: FollowUpContactRow = {
      id: newId(), clinic_id: actor.clinicId, time_point_id: tp.id, patient_id: tp.patient_id, channel: 'phone', kind: 'call', send_number: null, outbox_id: null,
      outcome: input.outcome, note: input.note?.trim() || null, created_at: nowIso(), created_by: actor.userId, created_by_label: actor.label,
    };
    await trx.insertInto('follow_up_contact').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'follow_up_contact', entityId: row.id, patientId: tp.patient_id, detail: { timePoint: tp.code, outcome: input.outcome } });
    return presentContact({ ...row, delivery: null });
  });
}

export const TREATMENT_FAILURE_KINDS: readonly TreatmentFailureKind[] = ['repeat-injection', 'surgery', 'other-escalation'];

/**
 * A treatment failure (repeat injection, surgery, other escalation) with its date: the event of
 * the later time-to-failure analysis. Follow-up continues (outcomes are analysed as treated).
 */
export async function recordTreatmentFailure(services: Services, actor: Actor, episodeId: string, input: { kind: TreatmentFailureKind; occurredOn: string; notes?: string | null }): Promise<TreatmentFailureView> {
  assertCan(actor, 'outcome:write');
  if (!isIsoDate(input.occurredOn)) throw invalid('occurredOn', `${input.occurredOn} is not a real calendar date (use YYYY-MM-DD).`);
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const episode = await episodeInClinic(trx, actor.clinicId, episodeId);
    if (input.occurredOn > todayIso(actor.timeZone)) throw invalid('occurredOn', 'A treatment failure cannot be recorded in the future.');
    const row: TreatmentFailureRow = {
      id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, kind: input.kind, occurred_on: input.occurredOn,
      notes: input.notes?.trim() || null, created_at: nowIso(), created_by: actor.userId,
    };
    await trx.insertInto('treatment_failure').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'treatment_failure', entityId: row.id, patientId: episode.patient_id, detail: { kind: row.kind, occurredOn: row.occurred_on } });
    return presentFailure(row);
  });
}

// ---------------------------------------------------------------------------------------------
// The coordinator's phone worklist
// ---------------------------------------------------------------------------------------------

/** Days before a window closes when a time point joins the phone worklist whatever the emails did. */
const WORKLIST_CLOSING_DAYS = 3;

export type WorklistReason = 'reminders-exhausted' | 'no-email' | 'bounced' | 'window-closing';

export interface WorklistItem {
  timePointId: string;
  episodeId: string;
  indication: string;
  timePoint: string;
  label: string;
  windowEndOn: string;
  /** the instruments to ask (those the clinic can offer) */
  instruments: string[];
  sends: number;
  lastContactAt: string | null;
  reasons: WorklistReason[];
  patient: { id: string; mrn: string; givenName: string; familyName: string; phone: string | null; email: string | null };
}

/**
 * Open, due time points that email has not brought in: every reminder sent, no email address,
 * a bounced email, or a window about to close. Soonest-closing first.
 */
export async function listWorklist(services: Services, actor: Actor, options: { limit?: number } = {}): Promise<WorklistItem[]> {
  assertCan(actor, 'outcome:read');
  const { store } = services;
  const limit = Math.min(options.limit ?? 100, 500);
  return inTransaction(store, async (trx) => {
    const settings = await loadOutcomeSettings(trx, actor.clinicId);
    const active = await activeInstruments(trx, actor.clinicId);
    const today = todayIso(actor.timeZone);
    const closing = addCalendarDuration(today, { days: WORKLIST_CLOSING_DAYS });
    const reminders = settings.reminderDays.length;
    const bounced = (eb: import('kysely').ExpressionBuilder<import('../store/schema.js').Database & { t: FollowUpTimePointRow }, 't'>) => eb.exists(
      eb.selectFrom('follow_up_contact as c').innerJoin('outbox as o', 'o.id', 'c.outbox_id').select('c.id')
        .whereRef('c.time_point_id', '=', 't.id').where('c.clinic_id', '=', actor.clinicId).where('o.status', '=', 'failed'),
    );
    const rows = await trx.selectFrom('follow_up_time_point as t')
      .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 't.patient_id').onRef('p.clinic_id', '=', 't.clinic_id'))
      .innerJoin('episode as e', (j) => j.onRef('e.id', '=', 't.episode_id').onRef('e.clinic_id', '=', 't.clinic_id'))
      .innerJoin('follow_up_schedule as s', (j) => j.onRef('s.id', '=', 't.schedule_id').onRef('s.clinic_id', '=', 't.clinic_id'))
      .select(['t.id', 't.episode_id', 't.code', 't.label', 't.window_end_on', 't.instruments_json', 't.sends', 'e.indication', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name', 'p.phone', 'p.email'])
      .select((eb) => [
        eb.selectFrom('follow_up_contact as c').select((e2) => e2.fn.max('c.created_at').as('m')).whereRef('c.time_point_id', '=', 't.id').where('c.clinic_id', '=', actor.clinicId).as('last_contact_at'),
        bounced(eb as never).as('bounced'),
      ])
      .where('t.clinic_id', '=', actor.clinicId).where('t.status', '=', 'open').where('t.window_end_on', '>=', today).where('t.window_start_on', '<=', today)
      .where('e.status', '!=', 'cancelled').where('s.status', '=', 'active')
      .where((eb) => eb.or([eb('t.sends', '>', reminders), eb('p.email', 'is', null), eb('t.window_end_on', '<=', closing), bounced(eb as never)]))
      .orderBy('t.window_end_on').orderBy('t.id').limit(limit).execute();
    // It lists names and phone numbers: a read of patient data, audited like a search.
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'search', entityType: 'follow_up_worklist', detail: { results: rows.length } });
    return rows.map((r) => {
      const reasons: WorklistReason[] = [];
      if (r.sends > reminders) reasons.push('reminders-exhausted');
      if (!r.email) reasons.push('no-email');
      if (r.bounced) reasons.push('bounced');
      if (r.window_end_on <= closing) reasons.push('window-closing');
      return {
        timePointId: r.id, episodeId: r.episode_id, indication: r.indication, timePoint: r.code, label: r.label, windowEndOn: r.window_end_on,
        instruments: offeredInstruments(r.instruments_json, active).instruments, sends: r.sends,
        lastContactAt: (r.last_contact_at as string | null) ?? null, reasons,
        patient: { id: r.patient_id, mrn: r.mrn, givenName: r.given_name, familyName: r.family_name, phone: r.phone, email: r.email },
      };
    });
  });
}
