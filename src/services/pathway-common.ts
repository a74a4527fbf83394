import type { Kysely, Selectable } from 'kysely';
import type { AssessmentTable, ConsentKind, ConsentTable, EligibilityDecisionTable } from '../store/schema-pathway.js';
import type { Database, EpisodeRow, PatientRow, Role } from '../store/schema.js';
import type { Services } from './context.js';
import type { Trx } from './db-helpers.js';
import { ServiceError, notFound } from './errors.js';
import type { StaffRef } from './staff-refs.js';

/**
 * What several pathway use cases share: loading an episode with its patient (tenancy), staff
 * names for "who", and the two gates every step after the decision passes — a current "eligible"
 * decision and a signed procedure consent. The gates live here once so that the draw, the
 * bedside check and the injection refuse for exactly the same reasons.
 */

export type AssessmentRow = Selectable<AssessmentTable>;
export type DecisionRow = Selectable<EligibilityDecisionTable>;
export type ConsentRow = Selectable<ConsentTable>;

export interface EpisodeContext {
  episode: EpisodeRow;
  patient: PatientRow;
}

/** The episode and its patient, or 404 when either is not the actor's clinic's. */
export async function loadEpisodeContext(trx: Trx, services: Services, clinicId: string, episodeId: string, options: { lock?: boolean } = {}): Promise<EpisodeContext> {
  let q = trx.selectFrom('episode').selectAll().where('id', '=', episodeId).where('clinic_id', '=', clinicId);
  // Serialises the pathway steps of one episode on PostgreSQL (SQLite transactions are already serial).
  if (options.lock && services.store.dialect === 'postgres') q = q.forUpdate();
  const episode = await q.executeTakeFirst();
  if (!episode) throw notFound('episode');
  const patient = await trx.selectFrom('patient').selectAll().where('id', '=', episode.patient_id).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  return { episode, patient };
}

/** An active staff member of this clinic (with their role), or a 400 naming the field. */
export async function assertStaffInClinic(trx: Trx, clinicId: string, id: string, field: string): Promise<{ role: Role }> {
  const found = await trx.selectFrom('staff_user').select('role').where('id', '=', id).where('clinic_id', '=', clinicId).where('active', '=', 1).executeTakeFirst();
  if (!found) throw new ServiceError('invalid', `${field}: no active staff member with that id in this clinic.`, { field });
  return found;
}

export async function latestAssessment(trx: Trx, clinicId: string, episodeId: string): Promise<AssessmentRow | undefined> {
  return trx.selectFrom('assessment').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function latestDecision(trx: Trx, clinicId: string, episodeId: string): Promise<DecisionRow | undefined> {
  return trx.selectFrom('eligibility_decision').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId)
    .orderBy('signed_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The episode's signed, not withdrawn consent of a kind (the most recent one). */
export async function activeConsent(trx: Trx, clinicId: string, episodeId: string, kind: ConsentKind): Promise<ConsentRow | undefined> {
  return trx.selectFrom('consent').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).where('kind', '=', kind).where('status', '=', 'signed')
    .orderBy('signed_at', 'desc').limit(1).executeTakeFirst();
}

function gate(code: string, message: string): ServiceError {
  return new ServiceError('conflict', message, { data: { code } });
}

/**
 * The episode may go on to the draw, the bedside check and the injection: its latest decision
 * is "eligible", that decision was signed on the latest assessment, and a procedure consent is
 * signed and not withdrawn. Each refusal is a 409 with a `code` the staff app can act on.
 */
export async function assertReadyForTreatment(trx: Trx, clinicId: string, episodeId: string): Promise<{ decision: DecisionRow; assessment: AssessmentRow | undefined; consent: ConsentRow }> {
  const decision = await latestDecision(trx, clinicId, episodeId);
  if (!decision) throw gate('no-decision', 'No eligibility decision has been signed for this episode: a clinician must assess and decide first.');
  if (decision.outcome !== 'eligible') throw gate('not-eligible', `The current decision for this episode is "${decision.outcome}", not "eligible".`);
  const assessment = await latestAssessment(trx, clinicId, episodeId);
  if (assessment && assessment.id !== decision.assessment_id) {
    throw gate('decision-outdated', `The assessment changed (now version ${assessment.version}) after the eligibility decision (version ${decision.assessment_version}): a clinician must sign a new decision.`);
  }
  const consent = await activeConsent(trx, clinicId, episodeId, 'procedure');
  if (!consent) throw gate('no-consent', 'The patient has not signed the procedure consent for this episode (or withdrew it).');
  return { decision, assessment, consent };
}

// Clocks on a ward PC drift: a few minutes "in the future" is a clock, not an error.
export const CLOCK_SKEW_MS = 5 * 60_000;

/** An instant given by a person (draw time, injection time): not in the future, not absurdly old. */
export function checkPastInstant(iso: string, field: string, options: { notBefore?: string; notBeforeLabel?: string } = {}): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ServiceError('invalid', `${field} must be an ISO-8601 date and time.`, { field });
  if (ms > Date.now() + CLOCK_SKEW_MS) throw new ServiceError('invalid', `${field} is in the future.`, { field });
  if (options.notBefore && ms < Date.parse(options.notBefore)) throw new ServiceError('invalid', `${field} is before ${options.notBeforeLabel ?? options.notBefore}.`, { field });
  return new Date(ms).toISOString();
}
