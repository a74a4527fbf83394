import type { AnswerProblem, Questionnaire } from '../science/index.js';
import type { Store } from '../store/db.js';
import { fromJson } from '../store/json.js';
import type { FollowUpTimePointRow, SurveyResponseRow } from '../store/schema-outcomes.js';
import { recordAudit, type AuditSubject } from './audit.js';
import { nowIso } from './clock.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { clinicToday, stopFollowUp, trajectories, type TrajectoryView } from './follow-up.js';
import { newId } from './ids.js';
import { activeInstruments, type ResolvedInstrument } from './instruments.js';
import { askedInstruments, saveResponse } from './outcome-responses.js';
import { loadOutcomeSettings } from './outcome-settings.js';
import { hashToken } from './secrets.js';
import { addressKey, countHit, lockedSeconds, type ThrottleRule } from './throttle.js';

/**
 * The patient's side of follow-up, reached only through an emailed link: resolve the link,
 * show where the patient is, save answers (partially or complete), opt out, show progress.
 * The link's token is looked up by its SHA-256; the raw token is never stored.
 */

/** Wrong links from one address before it must wait (a 256-bit token cannot be guessed anyway; this keeps scanners off). */
const SURVEY_MAX_FAILURES = 10;
const SURVEY_THROTTLE_WINDOW_SECONDS = 15 * 60;
const SURVEY_LOCK_SECONDS = 15 * 60;

/** The audit trail's name for a patient acting through their link (no address is recorded). */
const PATIENT: Omit<AuditSubject, 'clinicId'> = { actorId: null, actorLabel: 'patient (survey link)', ip: null };

/** newToken(): 32 random bytes, base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ClinicFace {
  name: string;
  contactText: string | null;
}

export type StepStatus = 'not-started' | 'in-progress' | 'completed';

export interface SurveyStep {
  code: string;
  instrument: ResolvedInstrument;
  questionnaire: Questionnaire;
  status: StepStatus;
  /** saved answers (canonical linkIds) to prefill the form */
  answers: Record<string, unknown>;
}

export interface SurveyContext {
  clinicId: string;
  clinic: ClinicFace;
  timePoint: FollowUpTimePointRow;
  patient: { givenName: string; language: string | null };
  steps: SurveyStep[];
  today: string;
}

export type SurveyLink =
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'expired' | 'stopped'; clinic: ClinicFace }
  | { kind: 'not-yet'; clinic: ClinicFace; opensOn: string }
  | { kind: 'open'; context: SurveyContext }
  | { kind: 'completed'; context: SurveyContext };

// ---------------------------------------------------------------------------------------------
// Guessing protection
// ---------------------------------------------------------------------------------------------

/** Wrong links per address (an HMAC under the day's salt, never the address itself; services/throttle.ts). */
const SURVEY_THROTTLE: ThrottleRule = {
  scope: 'survey-link', windowSeconds: SURVEY_THROTTLE_WINDOW_SECONDS, window: 'from-first-hit', max: SURVEY_MAX_FAILURES, lockSeconds: SURVEY_LOCK_SECONDS,
};

/**
 * The guard every request through a link passes: an address that has guessed too often waits,
 * whatever it asks for; otherwise `run` gets the token's hash in one transaction, and a token that
 * is malformed or unknown (`isInvalid`) counts against the address.
 */
async function guarded<T>(
  store: Store, token: string, address: string, wrap: (link: { kind: 'invalid' } | { kind: 'throttled'; retryAfterSeconds: number }) => T,
  isInvalid: (result: T) => boolean, run: (trx: Trx, tokenHash: string, now: string) => Promise<T>,
): Promise<T> {
  const now = nowIso();
  const nowMs = Date.parse(now);
  const key = await addressKey(store, SURVEY_THROTTLE.scope, null, address, nowMs);
  const wait = await lockedSeconds(store.db, SURVEY_THROTTLE.scope, key, nowMs);
  if (wait > 0) return wrap({ kind: 'throttled', retryAfterSeconds: wait });
  const result = TOKEN_SHAPE.test(token) ? await inTransaction(store, (trx) => run(trx, hashToken(token), now)) : wrap({ kind: 'invalid' });
  if (isInvalid(result)) await inTransaction(store, (trx) => countHit(trx, SURVEY_THROTTLE, key, nowMs));
  return result;
}

const asLink = (link: SurveyLink): SurveyLink => link;
const isInvalidLink = (link: SurveyLink): boolean => link.kind === 'invalid';

// ---------------------------------------------------------------------------------------------
// Resolving a link
// ---------------------------------------------------------------------------------------------

/** The link's time point, or undefined for a token that was never issued. */
async function linkedTimePoint(trx: Trx, tokenHash: string): Promise<FollowUpTimePointRow | undefined> {
  const link = await trx.selectFrom('survey_link').select(['clinic_id', 'time_point_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!link) return undefined;
  return trx.selectFrom('follow_up_time_point').selectAll().where('id', '=', link.time_point_id).where('clinic_id', '=', link.clinic_id).executeTakeFirstOrThrow();
}

async function resolve(trx: Trx, tokenHash: string): Promise<SurveyLink> {
  const tp = await linkedTimePoint(trx, tokenHash);
  return tp ? linkState(trx, tp) : { kind: 'invalid' };
}

/** Where the patient stands through a link to this time point (its clinic's today). */
async function linkState(trx: Trx, tp: FollowUpTimePointRow): Promise<SurveyLink> {
  const clinicId = tp.clinic_id;
  const clinicRow = await trx.selectFrom('clinic').select(['name', 'time_zone']).where('id', '=', clinicId).executeTakeFirstOrThrow();
  const settings = await loadOutcomeSettings(trx, clinicId);
  const clinic: ClinicFace = { name: clinicRow.name, contactText: settings.contactText };
  const episode = await trx.selectFrom('episode').select('status').where('id', '=', tp.episode_id).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  const schedule = await trx.selectFrom('follow_up_schedule').select('status').where('id', '=', tp.schedule_id).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  const today = clinicToday(clinicRow.time_zone);
  // The link is valid for its time point's window, which follows the procedure date when it moves.
  if (today > tp.window_end_on) return { kind: 'expired', clinic };
  if (tp.status === 'stopped' || schedule.status === 'stopped' || episode.status === 'cancelled') return { kind: 'stopped', clinic };
  if (today < tp.window_start_on) return { kind: 'not-yet', clinic, opensOn: tp.window_start_on };
  const patient = await trx.selectFrom('patient').select(['given_name', 'preferred_language']).where('id', '=', tp.patient_id).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  const asked = askedInstruments(tp, await activeInstruments(trx, clinicId));
  const responses = await trx.selectFrom('survey_response').selectAll().where('clinic_id', '=', clinicId).where('time_point_id', '=', tp.id).execute();
  const steps = asked.map((instrument): SurveyStep => {
    const r = responses.find((x) => x.instrument_code === instrument.code);
    return {
      code: instrument.code, instrument, questionnaire: instrument.questionnaire,
      status: r ? (r.status === 'completed' ? 'completed' : 'in-progress') : 'not-started',
      answers: fromJson<Record<string, unknown>>(r?.answers_json) ?? {},
    };
  });
  const context: SurveyContext = { clinicId, clinic, timePoint: tp, patient: { givenName: patient.given_name, language: patient.preferred_language }, steps, today };
  return { kind: tp.status === 'completed' ? 'completed' : 'open', context };
}

/**
 * Resolves a link for a page view. A link that does not exist counts against the address; when
 * an address has guessed too often it waits, whatever it asks for.
 */
export async function openSurveyLink(store: Store, token: string, address: string): Promise<SurveyLink> {
  return guarded(store, token, address, asLink, isInvalidLink, resolve);
}

// ---------------------------------------------------------------------------------------------
// Saving answers
// ---------------------------------------------------------------------------------------------

export type SurveyAction = 'next' | 'back' | 'later';

export type SubmitResult =
  | { kind: 'link'; link: SurveyLink }
  | { kind: 'problems'; link: { kind: 'open'; context: SurveyContext }; step: string; problems: AnswerProblem[]; answers: Record<string, unknown> }
  | { kind: 'saved'; link: { kind: 'open' | 'completed'; context: SurveyContext }; step: string; action: SurveyAction; nextStep: string | null; completed: boolean };

/**
 * Saves one step's answers: 'next' requires a complete, valid page and scores it; 'back' and
 * 'later' keep whatever valid answers there are. Everything happens in one transaction that has
 * committed before the patient sees "saved" — nothing acknowledged is lost. A submission for a
 * time point already completed changes nothing (a double submit of the last page).
 */
export async function submitSurveyStep(store: Store, token: string, address: string, input: { step: string; action: SurveyAction; answers: Record<string, unknown> }): Promise<SubmitResult> {
  const wrap = (link: SurveyLink): SubmitResult => ({ kind: 'link', link });
  const isInvalid = (result: SubmitResult) => result.kind === 'link' && result.link.kind === 'invalid';
  return guarded(store, token, address, wrap, isInvalid, async (trx, tokenHash, now): Promise<SubmitResult> => {
    const link = await resolve(trx, tokenHash);
    if (link.kind !== 'open') return { kind: 'link', link };
    const { context } = link;
    const index = context.steps.findIndex((s) => s.code === input.step);
    if (index < 0) return { kind: 'link', link };
    const step = context.steps[index]!;
    const who = { clinicId: context.clinicId, ...PATIENT };
    const saved = await saveResponse(trx, store.dialect, who, {
      timePoint: context.timePoint, instrument: step.instrument, raw: input.answers, complete: input.action === 'next', mode: 'web', enteredBy: null,
    }, context.steps.map((s) => s.code));
    if (!saved.ok) return { kind: 'problems', link, step: step.code, problems: saved.problems, answers: saved.answers };
    await trx.updateTable('survey_link').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute();
    const after = await resolve(trx, tokenHash);
    if (after.kind !== 'open' && after.kind !== 'completed') return { kind: 'link', link: after };
    const steps = after.context.steps;
    let nextStep: string | null = null;
    if (input.action === 'back') nextStep = steps[Math.max(0, index - 1)]!.code;
    else if (input.action === 'next') nextStep = steps.slice(index + 1).find((s) => s.status !== 'completed')?.code ?? steps.find((s) => s.status !== 'completed')?.code ?? null;
    else nextStep = step.code;
    return { kind: 'saved', link: after, step: step.code, action: input.action, nextStep, completed: saved.timePointCompleted };
  });
}

/** The patient asks for no more questionnaires: the schedule stops, and the opt-out is logged and counted. */
export async function optOutFromLink(store: Store, token: string, address: string): Promise<SurveyLink> {
  return guarded(store, token, address, asLink, isInvalidLink, async (trx, tokenHash, now) => {
    const tp = await linkedTimePoint(trx, tokenHash);
    if (!tp) return { kind: 'invalid' };
    const link = await linkState(trx, tp);
    if (link.kind !== 'open' && link.kind !== 'completed' && link.kind !== 'not-yet') return link;
    const who = { clinicId: tp.clinic_id, ...PATIENT };
    await trx.insertInto('follow_up_contact').values({
      id: newId(), clinic_id: tp.clinic_id, time_point_id: tp.id, patient_id: tp.patient_id, channel: 'web', kind: 'opt-out', send_number: null,
      outbox_id: null, outcome: null, note: null, created_at: now, created_by: null, created_by_label: PATIENT.actorLabel,
    }).execute();
    await stopFollowUp(trx, store.dialect, who, tp.clinic_id, tp.episode_id, 'opted-out');
    return resolve(trx, tokenHash);
  });
}

export interface PatientProgress {
  trajectories: TrajectoryView[];
  /** the next time point still to come, if any */
  next: { label: string; opensOn: string } | null;
}

/** The patient's own scores over time for this episode (for the chart after submitting), and what comes next. */
export async function patientProgress(store: Store, context: SurveyContext): Promise<PatientProgress> {
  return inTransaction(store, async (trx) => {
    const settings = await loadOutcomeSettings(trx, context.clinicId);
    const points = await trx.selectFrom('follow_up_time_point').select(['code', 'label', 'due_on', 'position', 'status', 'window_start_on'])
      .where('clinic_id', '=', context.clinicId).where('schedule_id', '=', context.timePoint.schedule_id).orderBy('position').execute();
    const responses: SurveyResponseRow[] = await trx.selectFrom('survey_response').selectAll()
      .where('clinic_id', '=', context.clinicId).where('episode_id', '=', context.timePoint.episode_id).where('status', '=', 'completed').execute();
    // The patient looking at their own answers is still a read of health data: audited.
    await recordAudit(trx, store.dialect, { clinicId: context.clinicId, ...PATIENT }, { action: 'read', entityType: 'follow_up', entityId: context.timePoint.episode_id, patientId: context.timePoint.patient_id, detail: { progress: true } });
    const next = points.find((p) => p.status === 'open' && p.window_start_on > context.today);
    return { trajectories: trajectories(points, responses, settings.responderRules), next: next ? { label: next.label, opensOn: next.window_start_on } : null };
  });
}
