import {
  SCIENCE_VERSION, assessContraindications, checkAssessment, eligibilityBlockers,
  type Assessment, type ContraindicationResult, type ContraindicationSettings,
} from '../science/index.js';
import type { Insertable } from 'kysely';
import { fromJson, toJson } from '../store/json.js';
import type { AssessmentTable, DecisionOutcome, EligibilityDecisionTable } from '../store/schema-pathway.js';
import { recordAudit, subjectOf } from './audit.js';
import { confirmPasswordSignature } from './auth.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, isUniqueViolation, type Trx } from './db-helpers.js';
import { conflict, invalidAll, notFound, ServiceError } from './errors.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { latestAssessment, latestDecision, loadEpisodeContext, type AssessmentRow, type DecisionRow } from './pathway-common.js';
import { loadPathwaySettings } from './pathway-settings.js';

/**
 * The clinician's assessment of an episode and the signed eligibility decision.
 * - An assessment is versioned: every save is a new version; nothing is overwritten.
 * - The contraindication engine (autolog/science) reads the latest version with the clinic's
 *   settings and the episode's planned date. Views show its result as of now; a decision stores
 *   the result it was signed against, with the science version.
 * - A decision is signed by re-entering the password, never changed, and superseded by a newer one.
 */

export const DECISION_OUTCOMES: readonly DecisionOutcome[] = ['eligible', 'not-eligible', 'deferred'];

export interface Evaluation extends ContraindicationResult {
  scienceVersion: string;
  /** Evaluated now, with the clinic's current settings and the episode's planned date. */
  evaluatedAt: string;
}

export interface AssessmentView {
  id: string;
  episodeId: string;
  patientId: string;
  version: number;
  assessment: Assessment;
  createdAt: string;
  createdBy: StaffRef | null;
  /** null when the stored record no longer passes the running science library's checks. */
  evaluation: Evaluation | null;
}

function evaluate(assessment: Assessment, settings: ContraindicationSettings, plannedDate: string | null): Evaluation | null {
  try {
    return { ...assessContraindications(assessment, settings, plannedDate), scienceVersion: SCIENCE_VERSION, evaluatedAt: nowIso() };
  } catch {
    return null;
  }
}

function presentAssessment(row: AssessmentRow, names: Map<string, string>, evaluation: Evaluation | null): AssessmentView {
  return {
    id: row.id, episodeId: row.episode_id, patientId: row.patient_id, version: row.version, assessment: fromJson<Assessment>(row.data_json)!,
    createdAt: row.created_at, createdBy: staffRef(names, row.created_by), evaluation,
  };
}

/** Dates of things that have happened may not be in the future (a planned last dose may). */
function checkPastDates(a: Assessment, today: string): void {
  const errors: { field: string; message: string }[] = [];
  const past = (date: string | null | undefined, field: string) => {
    if (date && date > today) errors.push({ field, message: `${field} (${date}) is in the future.` });
  };
  past(a.imaging?.performedOn, 'imaging.performedOn');
  past(a.labs.takenOn, 'labs.takenOn');
  a.priorTreatments.steroidInjections.forEach((s, i) => past(s.on, `priorTreatments.steroidInjections[${i}].on`));
  a.priorTreatments.surgeries.forEach((s, i) => past(s.on, `priorTreatments.surgeries[${i}].on`));
  if (errors.length > 0) throw invalidAll(errors);
}

/** Saves a new version of the episode's assessment and returns it with the engine's findings. */
export async function createAssessment(services: Services, actor: Actor, episodeId: string, input: Assessment): Promise<AssessmentView> {
  assertCan(actor, 'assessment:write');
  checkAssessment(input);
  checkPastDates(input, todayIso(actor.timeZone));
  const { store } = services;
  try {
    return await inTransaction(store, async (trx) => {
      const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
      if (episode.status === 'cancelled') throw conflict('This episode was cancelled; reopen it before assessing.');
      const previous = await latestAssessment(trx, actor.clinicId, episodeId);
      const now = nowIso();
      const row = {
        id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, version: (previous?.version ?? 0) + 1,
        data_json: toJson(input), created_at: now, created_by: actor.userId,
      } satisfies Insertable<AssessmentTable>;
      await trx.insertInto('assessment').values(row).execute();
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'assessment', entityId: row.id, patientId: episode.patient_id, detail: { episodeId, version: row.version } });
      const settings = await loadPathwaySettings(trx, actor.clinicId);
      return presentAssessment(row, await staffNames(trx, actor.clinicId, [actor.userId]), evaluate(input, settings, episode.planned_procedure_on));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Someone saved this assessment at the same moment; reload it and save again.');
    throw error;
  }
}

/** Every version of the episode's assessment, newest first, each evaluated as of now. Audited. */
export async function listAssessments(services: Services, actor: Actor, episodeId: string): Promise<AssessmentView[]> {
  assertCan(actor, 'assessment:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const rows = await trx.selectFrom('assessment').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).orderBy('version', 'desc').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'assessment', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    const settings = await loadPathwaySettings(trx, actor.clinicId);
    const names = await staffNames(trx, actor.clinicId, rows.map((r) => r.created_by));
    return rows.map((r) => presentAssessment(r, names, evaluate(fromJson<Assessment>(r.data_json)!, settings, episode.planned_procedure_on)));
  });
}

export async function getAssessment(services: Services, actor: Actor, id: string): Promise<AssessmentView> {
  assertCan(actor, 'assessment:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('assessment').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('assessment');
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, row.episode_id);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'assessment', entityId: id, patientId: row.patient_id });
    const settings = await loadPathwaySettings(trx, actor.clinicId);
    return presentAssessment(row, await staffNames(trx, actor.clinicId, [row.created_by]), evaluate(fromJson<Assessment>(row.data_json)!, settings, episode.planned_procedure_on));
  });
}

// ---------------------------------------------------------------------------------------------
// Decisions

export interface DecisionInput {
  assessmentId: string;
  outcome: DecisionOutcome;
  rationale: string;
  /** Codes of the relative findings the clinician has read and accepts. */
  acknowledgedFindings?: string[];
  /** Required to sign "eligible" over an absolute contraindication. */
  overrideReason?: string | null;
  /** The signature: the signed-in clinician's own password. */
  password: string;
}

export interface DecisionView {
  id: string;
  episodeId: string;
  patientId: string;
  outcome: DecisionOutcome;
  rationale: string;
  assessmentId: string;
  assessmentVersion: number;
  /** What the engine found when the decision was signed (with the science version that found it). */
  findings: ContraindicationResult;
  acknowledgedFindings: string[];
  /** Absolute findings the clinician signed over, with the reason. */
  overridden: string[];
  overrideReason: string | null;
  plannedProcedureOn: string | null;
  scienceVersion: string;
  supersedesId: string | null;
  signedBy: StaffRef | null;
  signedAt: string;
  /** This is the episode's latest decision. */
  current: boolean;
  /** A newer assessment exists: the decision no longer covers what the record says. */
  outdated: boolean;
}

function presentDecision(row: DecisionRow, names: Map<string, string>, latest: { decisionId: string | null; assessmentId: string | null }): DecisionView {
  const findings = fromJson<ContraindicationResult>(row.findings_json)!;
  return {
    id: row.id, episodeId: row.episode_id, patientId: row.patient_id, outcome: row.outcome, rationale: row.rationale, assessmentId: row.assessment_id,
    assessmentVersion: row.assessment_version, findings, acknowledgedFindings: fromJson<string[]>(row.acknowledged_json) ?? [],
    overridden: row.override_reason ? findings.absolute.map((f) => f.code) : [], overrideReason: row.override_reason, plannedProcedureOn: row.planned_procedure_on,
    scienceVersion: row.science_version, supersedesId: row.supersedes_id, signedBy: staffRef(names, row.signed_by), signedAt: row.signed_at,
    current: latest.decisionId === row.id, outdated: latest.assessmentId !== null && latest.assessmentId !== row.assessment_id,
  };
}

/**
 * Signs an eligibility decision on the episode's latest assessment. "eligible" needs every relative
 * finding acknowledged and, over an absolute finding, a written override reason; both are stored
 * and audited. The password is checked first: a wrong one signs nothing and counts as a failed
 * sign-in.
 */
export async function signDecision(services: Services, actor: Actor, episodeId: string, input: DecisionInput): Promise<DecisionView> {
  assertCan(actor, 'decision:sign');
  const { store } = services;
  const rationale = input.rationale.trim();
  if (!rationale) throw new ServiceError('invalid', 'Write the reasoning behind the decision.', { field: 'rationale' });
  // Before anything is read or written: the signature must be the signer's.
  await confirmPasswordSignature(store, actor, input.password, 'eligibility-decision');
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
    if (episode.status === 'cancelled') throw conflict('This episode was cancelled; reopen it before deciding.');
    const assessment = await latestAssessment(trx, actor.clinicId, episodeId);
    if (!assessment) throw conflict('There is no assessment to decide on: record the assessment first.');
    if (assessment.id !== input.assessmentId) {
      throw new ServiceError('conflict', `The assessment changed while you were reading it (now version ${assessment.version}). Review the latest version and sign again.`, {
        field: 'assessmentId', data: { code: 'assessment-changed', latestAssessmentId: assessment.id, latestVersion: assessment.version },
      });
    }
    const settings = await loadPathwaySettings(trx, actor.clinicId);
    const { productAgeLimitHours: _p, instructionsBeforeText: _b, instructionsAfterText: _a, updatedAt: _u, ...engineSettings } = settings;
    const findings = assessContraindications(fromJson<Assessment>(assessment.data_json)!, engineSettings, episode.planned_procedure_on);
    const present = new Set(findings.relative.map((f) => f.code));
    const acknowledged = [...new Set(input.acknowledgedFindings ?? [])].filter((code) => present.has(code as never));
    const overrideReason = input.outcome === 'eligible' && findings.absolute.length > 0 ? input.overrideReason?.trim() || null : null;
    if (input.outcome === 'eligible') {
      const blockers = eligibilityBlockers(findings, acknowledged, overrideReason);
      if (blockers.length > 0) throw invalidAll(blockers);
    }
    const previous = await latestDecision(trx, actor.clinicId, episodeId);
    const now = nowIso();
    const row = {
      id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, assessment_id: assessment.id, assessment_version: assessment.version,
      outcome: input.outcome, rationale, findings_json: toJson(findings), acknowledged_json: toJson(acknowledged), override_reason: overrideReason,
      planned_procedure_on: episode.planned_procedure_on, science_version: SCIENCE_VERSION, settings_json: toJson(engineSettings), supersedes_id: previous?.id ?? null,
      signed_by: actor.userId, signed_by_label: actor.label, signed_at: now,
    } satisfies Insertable<EligibilityDecisionTable>;
    await trx.insertInto('eligibility_decision').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'create', entityType: 'eligibility_decision', entityId: row.id, patientId: episode.patient_id,
      detail: {
        episodeId, outcome: row.outcome, assessmentVersion: row.assessment_version, signature: 'password', scienceVersion: SCIENCE_VERSION,
        absolute: findings.absolute.map((f) => f.code), relative: findings.relative.map((f) => f.code), acknowledged,
        overridden: overrideReason ? findings.absolute.map((f) => f.code) : [], supersedes: row.supersedes_id,
      },
    });
    return presentDecision(row, await staffNames(trx, actor.clinicId, [actor.userId]), { decisionId: row.id, assessmentId: assessment.id });
  });
}

async function decisionContext(trx: Trx, clinicId: string, episodeId: string) {
  const [decision, assessment] = await Promise.all([latestDecision(trx, clinicId, episodeId), latestAssessment(trx, clinicId, episodeId)]);
  return { decisionId: decision?.id ?? null, assessmentId: assessment?.id ?? null };
}

/** The episode's decisions, newest first. Audited. */
export async function listDecisions(services: Services, actor: Actor, episodeId: string): Promise<DecisionView[]> {
  assertCan(actor, 'assessment:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const rows = await trx.selectFrom('eligibility_decision').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId)
      .orderBy('signed_at', 'desc').orderBy('id', 'desc').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'eligibility_decision', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    // Newest first, in latestDecision's order: the first row is the current decision.
    const latest = { decisionId: rows[0]?.id ?? null, assessmentId: (await latestAssessment(trx, actor.clinicId, episodeId))?.id ?? null };
    const names = await staffNames(trx, actor.clinicId, rows.map((r) => r.signed_by));
    return rows.map((r) => presentDecision(r, names, latest));
  });
}

export async function getDecision(services: Services, actor: Actor, id: string): Promise<DecisionView> {
  assertCan(actor, 'assessment:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('eligibility_decision').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('decision');
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'eligibility_decision', entityId: id, patientId: row.patient_id });
    return presentDecision(row, await staffNames(trx, actor.clinicId, [row.signed_by]), await decisionContext(trx, actor.clinicId, row.episode_id));
  });
}
