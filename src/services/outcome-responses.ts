import { BASELINE_TIME_POINT_CODE, SCIENCE_VERSION, ScienceInputError, checkAnswers, type AnswerProblem, type Answers } from '../science/index.js';
import type { Dialect } from '../store/db.js';
import { fromJson, toJson } from '../store/json.js';
import type { FollowUpTimePointRow, ResponseMode, ResponseStatus, SurveyResponseRow } from '../store/schema-outcomes.js';
import { recordAudit, type AuditSubject } from './audit.js';
import { nowIso } from './clock.js';
import type { Trx } from './db-helpers.js';
import { newId } from './ids.js';
import type { ResolvedInstrument } from './instruments.js';

/**
 * Saving one instrument's answers for one time point — the one path shared by the patient's
 * survey page and staff entry of phone or paper answers, so both check, score and store alike.
 */
export interface SaveResponseInput {
  timePoint: FollowUpTimePointRow;
  instrument: ResolvedInstrument;
  /** linkId → value as received (form text or JSON) */
  raw: Readonly<Record<string, unknown>>;
  /** true: every required answer must be there, and the response is scored and completed */
  complete: boolean;
  mode: ResponseMode;
  enteredBy: string | null;
}

export type SaveResult =
  | { ok: true; response: SurveyResponseRow; changed: boolean; timePointCompleted: boolean }
  | { ok: false; problems: AnswerProblem[]; answers: Record<string, unknown> };

function sameAnswers(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown) => JSON.stringify(Object.entries((v ?? {}) as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return canonical(a) === canonical(b);
}

/**
 * Checks, scores and upserts one response inside the caller's transaction, then completes the
 * time point when every instrument it asks is completed. The unique key (time point ×
 * instrument) makes a repeated submission an update of the same row, never a second response;
 * an identical repeat changes nothing at all.
 */
export async function saveResponse(trx: Trx, dialect: Dialect, who: AuditSubject, input: SaveResponseInput, askedCodes: readonly string[]): Promise<SaveResult> {
  const { timePoint: tp, instrument } = input;
  const checked = checkAnswers(instrument.questionnaire, input.raw, { complete: input.complete });
  if (checked.problems.length > 0) return { ok: false, problems: checked.problems, answers: { ...input.raw } };

  const existing = await trx.selectFrom('survey_response').selectAll()
    .where('clinic_id', '=', tp.clinic_id).where('episode_id', '=', tp.episode_id).where('time_point_code', '=', tp.code).where('instrument_code', '=', instrument.code)
    .executeTakeFirst();
  const status: ResponseStatus = input.complete ? 'completed' : 'in-progress';
  // An identical repeat (a double submit, or "finish later" on answers already completed) changes nothing.
  if (existing && (existing.status === status || existing.status === 'completed') && existing.mode === input.mode && sameAnswers(fromJson(existing.answers_json), checked.answers)) {
    return { ok: true, response: existing, changed: false, timePointCompleted: tp.status === 'completed' };
  }

  let score: number | null = null;
  let detail: Record<string, unknown> | null = null;
  if (input.complete) {
    try {
      ({ score, detail } = instrument.spec.score(checked.answers as Answers));
    } catch (error) {
      // checkAnswers already holds answers to the questionnaire's ranges; a scoring refusal means
      // the imported copy and the structure disagree — report it against the item, never a 500.
      if (error instanceof ScienceInputError) return { ok: false, problems: [{ linkId: error.field.replace(/^answers\./, ''), number: 0, text: '', kind: 'not-an-option' }], answers: { ...input.raw } };
      throw error;
    }
  }
  const now = nowIso();
  const isBaseline = tp.code === BASELINE_TIME_POINT_CODE;
  const baseline = isBaseline ? undefined : await trx.selectFrom('survey_response').select('score')
    .where('clinic_id', '=', tp.clinic_id).where('episode_id', '=', tp.episode_id).where('time_point_code', '=', BASELINE_TIME_POINT_CODE)
    .where('instrument_code', '=', instrument.code).where('status', '=', 'completed').executeTakeFirst();
  const values = {
    baseline_score: baseline?.score ?? null,
    time_point_id: tp.id, patient_id: tp.patient_id, instrument_version: instrument.version, instrument_id: instrument.instrumentId,
    answers_json: toJson(checked.answers), status, mode: input.mode, recall_period: instrument.recallPeriod,
    score, score_detail_json: toJson(detail), science_version: input.complete ? SCIENCE_VERSION : null,
    entered_by: input.enteredBy, updated_at: now, completed_at: input.complete ? (existing?.completed_at && existing.status === 'completed' ? existing.completed_at : now) : null,
  };
  await trx.insertInto('survey_response').values({
    id: newId(), clinic_id: tp.clinic_id, episode_id: tp.episode_id, time_point_code: tp.code, instrument_code: instrument.code, started_at: now, ...values,
  }).onConflict((oc) => oc.columns(['clinic_id', 'episode_id', 'time_point_code', 'instrument_code']).doUpdateSet(values)).execute();
  if (isBaseline) {
    // Every follow-up of this instrument carries the baseline it is compared with.
    await trx.updateTable('survey_response').set({ baseline_score: input.complete ? score : null })
      .where('clinic_id', '=', tp.clinic_id).where('episode_id', '=', tp.episode_id).where('instrument_code', '=', instrument.code)
      .where('time_point_code', '!=', BASELINE_TIME_POINT_CODE).execute();
  }
  const response = await trx.selectFrom('survey_response').selectAll()
    .where('clinic_id', '=', tp.clinic_id).where('episode_id', '=', tp.episode_id).where('time_point_code', '=', tp.code).where('instrument_code', '=', instrument.code)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, dialect, who, {
    action: existing ? 'update' : 'create', entityType: 'survey_response', entityId: response.id, patientId: tp.patient_id,
    detail: { instrument: instrument.code, timePoint: tp.code, status, mode: input.mode },
  });

  let timePointCompleted = tp.status === 'completed';
  if (input.complete && tp.status === 'open') {
    const done = await trx.selectFrom('survey_response').select('instrument_code')
      .where('clinic_id', '=', tp.clinic_id).where('time_point_id', '=', tp.id).where('status', '=', 'completed').execute();
    const doneCodes = new Set(done.map((r) => r.instrument_code));
    if (askedCodes.every((c) => doneCodes.has(c))) {
      await trx.updateTable('follow_up_time_point').set({ status: 'completed', completed_at: now, next_send_on: null, updated_at: now })
        .where('clinic_id', '=', tp.clinic_id).where('id', '=', tp.id).where('status', '=', 'open').execute();
      timePointCompleted = true;
    }
  }
  return { ok: true, response, changed: true, timePointCompleted };
}

/** The instruments a time point asks that the clinic can ask now, in the time point's order. */
export function askedInstruments(tp: FollowUpTimePointRow, active: Map<string, ResolvedInstrument>): ResolvedInstrument[] {
  const codes = fromJson<string[]>(tp.instruments_json) ?? [];
  return codes.map((c) => active.get(c)).filter((i): i is ResolvedInstrument => Boolean(i));
}
