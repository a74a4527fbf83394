import type { Insertable, Selectable } from 'kysely';
import {
  SCIENCE_VERSION, assessContraindications, checkInjection,
  type Assessment, type ContraindicationResult, type ImageGuidance, type InjectionTarget, type ScienceWarning,
} from '../science/index.js';
import { fromJson, toJson } from '../store/json.js';
import type { InjectionProcedureTable } from '../store/schema-pathway.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, isUniqueViolation, type Trx } from './db-helpers.js';
import { ServiceError, conflict, notFound } from './errors.js';
import { anchorFollowUpOnInjection } from './follow-up.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { assertReadyForTreatment, assertStaffInClinic, checkPastInstant, loadEpisodeContext, type AssessmentRow } from './pathway-common.js';
import { loadPathwaySettings } from './pathway-settings.js';
import { appendCustodyEvent, latestBedsideCheck, loadSpecimen } from './specimens.js';

/**
 * The injection record. It can only be written for a product that passed the bedside check for
 * this episode and is within its time limit (or was overridden at the check), on an episode with a
 * current "eligible" decision and a signed consent. The target volumes may not add up to more PRP
 * than was prepared. The record is immutable; the product's custody ends in "injected".
 */

type ProcedureRow = Selectable<InjectionProcedureTable>;

export interface ProcedureInput {
  specimenId: string;
  performedAt?: string;
  performedById?: string;
  assistantId?: string | null;
  targets: InjectionTarget[];
  imageGuidance: ImageGuidance;
  needle?: { gauge?: number | null; lengthMm?: number | null; type?: string | null } | null;
  localAnaesthetic?: { agent: string; concentrationPct?: number | null; volumeMl?: number | null; doseMg?: number | null; mixedWithPrp: boolean } | null;
  contrast?: { used: boolean; agent?: string | null; volumeMl?: number | null } | null;
  /** Timing is free text as clinics write it ("30 min before", "in the disc, mixed with contrast"). */
  antibioticProphylaxis?: { given: boolean; agent?: string | null; doseMg?: number | null; route?: string | null; timing?: string | null } | null;
  immediateComplications?: { none: boolean; items?: string[]; note?: string | null } | null;
  dischargeInstructions?: string | null;
  notes?: string | null;
}

export interface ProcedureView {
  id: string;
  episodeId: string;
  patientId: string;
  specimenId: string;
  preparationId: string | null;
  verificationId: string;
  performedAt: string;
  performedBy: StaffRef | null;
  assistant: StaffRef | null;
  targets: InjectionTarget[];
  totalVolumeMl: number;
  prpAvailableMl: number;
  imageGuidance: ImageGuidance;
  needle: ProcedureInput['needle'];
  localAnaesthetic: ProcedureInput['localAnaesthetic'];
  contrast: ProcedureInput['contrast'];
  antibioticProphylaxis: ProcedureInput['antibioticProphylaxis'];
  immediateComplications: NonNullable<ProcedureInput['immediateComplications']>;
  dischargeInstructions: string | null;
  /** What a colleague would point out (bupivacaine mixed in, contraindications new since the decision). */
  warnings: ScienceWarning[];
  notes: string | null;
  scienceVersion: string;
  createdAt: string;
  createdBy: StaffRef | null;
}

function present(row: ProcedureRow, names: Map<string, string>): ProcedureView {
  return {
    id: row.id, episodeId: row.episode_id, patientId: row.patient_id, specimenId: row.specimen_id, preparationId: row.preparation_id, verificationId: row.verification_id,
    performedAt: row.performed_at, performedBy: staffRef(names, row.performed_by), assistant: staffRef(names, row.assistant_id), targets: fromJson<InjectionTarget[]>(row.targets_json) ?? [],
    totalVolumeMl: row.total_volume_ml, prpAvailableMl: row.prp_available_ml, imageGuidance: row.image_guidance as ImageGuidance, needle: fromJson(row.needle_json),
    localAnaesthetic: fromJson(row.local_anaesthetic_json), contrast: fromJson(row.contrast_json), antibioticProphylaxis: fromJson(row.antibiotic_json),
    immediateComplications: fromJson(row.complications_json) ?? { none: true }, dischargeInstructions: row.discharge_instructions,
    warnings: fromJson<ScienceWarning[]>(row.warnings_json) ?? [], notes: row.notes, scienceVersion: row.science_version, createdAt: row.created_at, createdBy: staffRef(names, row.created_by),
  };
}

/**
 * The performing clinician must be an active clinician of this clinic (the injection is a
 * clinician's act); the assistant, if any, an active colleague of the same clinic, not the
 * performer. A 400 names the field; another clinic's staff are simply unknown here.
 */
async function assertPerformerAndAssistant(trx: Trx, clinicId: string, performedBy: string, assistantId: string | null): Promise<void> {
  const performer = await assertStaffInClinic(trx, clinicId, performedBy, 'performedById');
  if (performer.role !== 'clinician') throw new ServiceError('invalid', 'performedById: the performing clinician must be a clinician of this clinic.', { field: 'performedById' });
  if (assistantId === null) return;
  await assertStaffInClinic(trx, clinicId, assistantId, 'assistantId');
  if (assistantId === performedBy) throw new ServiceError('invalid', 'assistantId: the assistant cannot be the performing clinician.', { field: 'assistantId' });
}

/** Contraindications that stand on the day of the injection (in the latest assessment) but were not in the signed decision. */
async function newFindings(trx: Trx, clinicId: string, assessment: AssessmentRow | undefined, decisionFindings: ContraindicationResult, performedOn: string): Promise<ScienceWarning[]> {
  if (!assessment) return [];
  const settings = await loadPathwaySettings(trx, clinicId);
  const now = assessContraindications(fromJson<Assessment>(assessment.data_json)!, settings, performedOn);
  const signed = new Set([...decisionFindings.absolute, ...decisionFindings.relative].map((f) => `${f.code}|${f.field}`));
  return [...now.absolute, ...now.relative].filter((f) => !signed.has(`${f.code}|${f.field}`)).map((f) => ({
    field: f.field, code: `finding-since-decision:${f.code}`, message: `Not in the signed decision (dated for ${decisionFindings.plannedDate ?? 'no date'}): ${f.reason}`,
  }));
}

export async function recordProcedure(services: Services, actor: Actor, episodeId: string, input: ProcedureInput): Promise<ProcedureView> {
  assertCan(actor, 'procedure:write');
  const { store } = services;
  try {
    return await inTransaction(store, async (trx) => {
      const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
      const { decision, assessment } = await assertReadyForTreatment(trx, actor.clinicId, episodeId);
      const specimen = await loadSpecimen(trx, services, actor.clinicId, input.specimenId, true).catch((error: unknown) => {
        if (error instanceof ServiceError && error.kind === 'not-found') throw new ServiceError('invalid', 'specimenId: no specimen with that id in this clinic.', { field: 'specimenId' });
        throw error;
      });
      if (specimen.episode_id !== episodeId) throw new ServiceError('conflict', 'This product belongs to another episode. Do not inject it.', { field: 'specimenId', data: { code: 'identity-mismatch' } });
      if (specimen.status === 'injected') throw conflict('This product has already been injected.');
      const verification = await latestBedsideCheck(trx, actor.clinicId, episodeId);
      if (specimen.status !== 'verified' || !verification || verification.result !== 'passed' || verification.specimen_id !== specimen.id) {
        throw new ServiceError('conflict', 'The last bedside identity check for this patient was not a pass for this product: scan the product and the wristband again first.', { field: 'specimenId', data: { code: 'not-verified' } });
      }
      const performedAt = checkPastInstant(input.performedAt ?? nowIso(), 'performedAt', { notBefore: specimen.drawn_at, notBeforeLabel: 'the blood draw' });
      if (Date.parse(performedAt) > Date.parse(specimen.expires_at) && !verification.expiry_override_reason) {
        throw new ServiceError('conflict', 'This product is past the clinic’s time limit from draw to injection; a clinician must override the expiry at the bedside check, with a reason.', { data: { code: 'product-expired' } });
      }
      const performedBy = input.performedById ?? actor.userId;
      await assertPerformerAndAssistant(trx, actor.clinicId, performedBy, input.assistantId ?? null);
      const prpAvailableMl = specimen.prp_volume_ml ?? 0;
      const check = checkInjection({
        targets: input.targets, prpAvailableMl, imageGuidance: input.imageGuidance, localAnaesthetic: input.localAnaesthetic ?? null,
        antibioticProphylaxis: input.antibioticProphylaxis ?? null, contrastUsed: input.contrast?.used ?? false,
      });
      const warnings = [...check.warnings, ...(await newFindings(trx, actor.clinicId, assessment, fromJson<ContraindicationResult>(decision.findings_json)!, todayIso(actor.timeZone, new Date(performedAt))))];
      const complications = input.immediateComplications ?? { none: true };
      const row = {
        id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, specimen_id: specimen.id, preparation_id: specimen.preparation_id,
        verification_id: verification.id, performed_at: performedAt, performed_by: performedBy, assistant_id: input.assistantId ?? null,
        targets_json: toJson(input.targets.map((t) => ({ structure: t.structure, level: t.level ?? null, side: t.side ?? null, volumeMl: t.volumeMl, ...(t.description?.trim() ? { description: t.description.trim() } : {}) }))),
        total_volume_ml: check.totalVolumeMl, prp_available_ml: prpAvailableMl, image_guidance: input.imageGuidance, needle_json: toJson(input.needle ?? null),
        local_anaesthetic_json: toJson(input.localAnaesthetic ?? null), contrast_json: toJson(input.contrast ?? null), antibiotic_json: toJson(input.antibioticProphylaxis ?? null),
        complications_json: toJson(complications), discharge_instructions: input.dischargeInstructions?.trim() || null, warnings_json: toJson(warnings),
        notes: input.notes?.trim() || null, science_version: SCIENCE_VERSION, created_at: nowIso(), created_by: actor.userId,
      } satisfies Insertable<InjectionProcedureTable>;
      await trx.insertInto('injection_procedure').values(row).execute();
      // The targets, one row each, for the outcome summary's structure filter (migration 0008).
      await trx.insertInto('injection_target').values(input.targets.map((t, position) => ({
        clinic_id: actor.clinicId, procedure_id: row.id, episode_id: episodeId, position, structure: t.structure, level: t.level ?? null, side: t.side ?? null, volume_ml: t.volumeMl,
      }))).execute();
      // The follow-up schedule is anchored on the day the injection was given (outcomes issue).
      await anchorFollowUpOnInjection(trx, store.dialect, subjectOf(actor), actor.clinicId, episodeId, performedAt);
      await trx.updateTable('specimen').set({ status: 'injected', updated_at: row.created_at }).where('id', '=', specimen.id).where('clinic_id', '=', actor.clinicId).execute();
      await appendCustodyEvent(trx, actor, specimen, 'injected', performedAt, { procedureId: row.id, totalVolumeMl: row.total_volume_ml });
      await recordAudit(trx, store.dialect, subjectOf(actor), {
        action: 'create', entityType: 'injection_procedure', entityId: row.id, patientId: episode.patient_id,
        detail: { episodeId, specimenId: specimen.id, verificationId: verification.id, targets: input.targets.length, totalVolumeMl: row.total_volume_ml, warnings: warnings.map((w) => w.code), custody: 'injected' },
      });
      return present(row as unknown as ProcedureRow, await staffNames(trx, actor.clinicId, [performedBy, row.assistant_id, actor.userId]));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('This product has already been injected.');
    throw error;
  }
}

export async function listProcedures(services: Services, actor: Actor, episodeId: string): Promise<ProcedureView[]> {
  assertCan(actor, 'procedure:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const rows = await trx.selectFrom('injection_procedure').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).orderBy('performed_at').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'injection_procedure', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    const names = await staffNames(trx, actor.clinicId, rows.flatMap((r) => [r.performed_by, r.assistant_id, r.created_by]));
    return rows.map((r) => present(r, names));
  });
}

export async function getProcedure(services: Services, actor: Actor, id: string): Promise<ProcedureView> {
  assertCan(actor, 'procedure:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('injection_procedure').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('procedure');
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'injection_procedure', entityId: id, patientId: row.patient_id });
    return present(row, await staffNames(trx, actor.clinicId, [row.performed_by, row.assistant_id, row.created_by]));
  });
}
