import type { Insertable, Selectable } from 'kysely';
import { instructionsText, procedureInstructions, type Assessment, type InstructionItem, type Medication } from '../science/index.js';
import type { Dialect } from '../store/db.js';
import { fromJson, toJson } from '../store/json.js';
import type { InstructionReason, InstructionSendTable } from '../store/schema-pathway.js';
import type { OutboxStatus, PatientRow } from '../store/schema.js';
import { recordAudit, subjectOf, type AuditSubject } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { ServiceError, conflict } from './errors.js';
import { newId } from './ids.js';
import { enqueueMail } from './outbox.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { latestAssessment, loadEpisodeContext } from './pathway-common.js';
import { loadPathwaySettings, type PathwaySettings } from './pathway-settings.js';

/**
 * Pre- and post-procedure instructions: computed from the episode's planned date, the clinic's
 * wash-out settings and the medicines in the latest assessment; emailed through the outbox and
 * printable. When the planned date moves (PUT /api/v1/episodes/:id/procedure-date, owned by the
 * follow-up service), `onPlannedProcedureDateChanged` recomputes and re-sends them in the same
 * transaction — but only to a patient who was sent instructions before.
 */

export interface InstructionSendView {
  id: string;
  plannedProcedureOn: string | null;
  reason: InstructionReason;
  to: string;
  outboxId: string;
  /** Where the email is in the outbox (pending until SMTP delivers it); null if the outbox row is gone. */
  deliveryStatus: OutboxStatus | null;
  /** When the outbox handed it to the mail server. */
  deliveredAt: string | null;
  createdAt: string;
  createdBy: StaffRef | null;
}

export interface InstructionsView {
  episodeId: string;
  plannedProcedureOn: string | null;
  /** Empty until a procedure date is planned. */
  items: InstructionItem[];
  /** The email/print text. */
  text: string | null;
  patientEmail: string | null;
  /** Sent for the current planned date (false when never sent, or sent for another date). */
  upToDate: boolean;
  sends: InstructionSendView[];
}

async function medicationsOf(trx: Trx, clinicId: string, episodeId: string): Promise<Medication[]> {
  const assessment = await latestAssessment(trx, clinicId, episodeId);
  return assessment ? (fromJson<Assessment>(assessment.data_json)?.medications ?? []) : [];
}

async function compute(trx: Trx, clinicId: string, timeZone: string, patient: PatientRow, episodeId: string, plannedOn: string, settings: PathwaySettings, updated: boolean) {
  const clinic = await trx.selectFrom('clinic').select('name').where('id', '=', clinicId).executeTakeFirstOrThrow();
  const instructions = procedureInstructions({ plannedOn, settings, medications: await medicationsOf(trx, clinicId, episodeId), today: todayIso(timeZone) });
  const text = instructionsText(instructions, {
    clinicName: clinic.name, patientName: `${patient.given_name} ${patient.family_name}`, extraBefore: settings.instructionsBeforeText, extraAfter: settings.instructionsAfterText, updated,
  });
  return { instructions, text, clinicName: clinic.name };
}

async function send(trx: Trx, dialect: Dialect, who: AuditSubject, args: { clinicId: string; timeZone: string; patient: PatientRow; episodeId: string; plannedOn: string; reason: InstructionReason; createdBy: string | null }) {
  const settings = await loadPathwaySettings(trx, args.clinicId);
  const { instructions, text, clinicName } = await compute(trx, args.clinicId, args.timeZone, args.patient, args.episodeId, args.plannedOn, settings, args.reason === 'date-changed');
  const to = args.patient.email!;
  const outboxId = await enqueueMail(trx, {
    clinicId: args.clinicId, kind: 'procedure-instructions', to,
    subject: args.reason === 'date-changed' ? `${clinicName}: new date and instructions for your procedure` : `${clinicName}: instructions for your procedure`,
    text,
  });
  return recordSend(trx, dialect, who, {
    clinic_id: args.clinicId, episode_id: args.episodeId, patient_id: args.patient.id, planned_procedure_on: args.plannedOn, reason: args.reason,
    to_address: to, outbox_id: outboxId, content_json: toJson(instructions), created_by: args.createdBy,
  });
}

/** Stores what was emailed (the outbox row it went out as) and audits it. */
async function recordSend(trx: Trx, dialect: Dialect, who: AuditSubject, values: Omit<Selectable<InstructionSendTable>, 'id' | 'created_at' | 'content_json'> & { content_json: string | null }) {
  const row = { id: newId(), ...values, created_at: nowIso() } satisfies Insertable<InstructionSendTable>;
  await trx.insertInto('instruction_send').values(row).execute();
  // The address is patient data: the audit trail keeps the fact, not the value.
  await recordAudit(trx, dialect, who, { action: 'create', entityType: 'instruction_send', entityId: row.id, patientId: row.patient_id, detail: { episodeId: row.episode_id, plannedProcedureOn: row.planned_procedure_on, reason: row.reason } });
  return row;
}

async function sendsOf(trx: Trx, clinicId: string, episodeId: string): Promise<InstructionSendView[]> {
  const rows = await trx.selectFrom('instruction_send as s').leftJoin('outbox as o', (join) => join.onRef('o.id', '=', 's.outbox_id').onRef('o.clinic_id', '=', 's.clinic_id'))
    .selectAll('s').select(['o.status as delivery_status', 'o.sent_at as delivered_at'])
    .where('s.clinic_id', '=', clinicId).where('s.episode_id', '=', episodeId).orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').execute();
  const names = await staffNames(trx, clinicId, rows.map((r) => r.created_by));
  return rows.map((r) => ({
    id: r.id, plannedProcedureOn: r.planned_procedure_on, reason: r.reason, to: r.to_address, outboxId: r.outbox_id, deliveryStatus: r.delivery_status ?? null, deliveredAt: r.delivered_at ?? null,
    createdAt: r.created_at, createdBy: staffRef(names, r.created_by),
  }));
}

/** The instructions as they stand now, and what was sent. Audited. */
export async function getInstructions(services: Services, actor: Actor, episodeId: string): Promise<InstructionsView> {
  assertCan(actor, 'assessment:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode, patient } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'instructions', entityId: episodeId, patientId: patient.id });
    const sends = await sendsOf(trx, actor.clinicId, episodeId);
    const plannedOn = episode.planned_procedure_on;
    const base = { episodeId, plannedProcedureOn: plannedOn, patientEmail: patient.email, sends, upToDate: sends[0] !== undefined && sends[0].plannedProcedureOn === plannedOn && plannedOn !== null };
    if (!plannedOn) return { ...base, items: [], text: null };
    const { instructions, text } = await compute(trx, actor.clinicId, actor.timeZone, patient, episodeId, plannedOn, await loadPathwaySettings(trx, actor.clinicId), false);
    return { ...base, items: instructions.items, text };
  });
}

/** Emails the instructions for the planned date to the patient (through the outbox). */
export async function sendInstructions(services: Services, actor: Actor, episodeId: string): Promise<InstructionSendView> {
  assertCan(actor, 'instructions:send');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode, patient } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
    if (episode.status === 'cancelled') throw conflict('This episode was cancelled.');
    if (!episode.planned_procedure_on) throw new ServiceError('conflict', 'Plan the procedure date first: the instructions are dated from it.', { data: { code: 'no-planned-date' } });
    if (!patient.email) throw new ServiceError('conflict', 'The patient has no email address: add one, or print the instructions and hand them over.', { data: { code: 'no-email' } });
    const previous = await trx.selectFrom('instruction_send').select('id').where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).limit(1).executeTakeFirst();
    const row = await send(trx, store.dialect, subjectOf(actor), {
      clinicId: actor.clinicId, timeZone: actor.timeZone, patient, episodeId, plannedOn: episode.planned_procedure_on, reason: previous ? 'resend' : 'initial', createdBy: actor.userId,
    });
    return { id: row.id, plannedProcedureOn: row.planned_procedure_on, reason: row.reason, to: row.to_address, outboxId: row.outbox_id, deliveryStatus: 'pending', deliveredAt: null, createdAt: row.created_at, createdBy: { id: actor.userId, displayName: (await staffNames(trx, actor.clinicId, [actor.userId])).get(actor.userId) ?? actor.label } };
  });
}

/**
 * Called inside the procedure-date transaction (services/follow-up.ts `applyProcedureDate`). A patient
 * who has been sent instructions gets them again for the new date, marked as replacing the old
 * ones; when the date is cleared they are told that the earlier dates no longer apply. After the
 * injection is recorded nothing is sent (the date then only records when it happened).
 */
export async function onPlannedProcedureDateChanged(trx: Trx, dialect: Dialect, who: AuditSubject, clinicId: string, episodeId: string, previous: string | null, next: string | null): Promise<void> {
  if (previous === next) return;
  // Once the injection is recorded the date only follows it (the follow-up anchor): the patient
  // is not told of a "new date" for a procedure they have already had.
  const injected = await trx.selectFrom('injection_procedure').select('id').where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).limit(1).executeTakeFirst();
  if (injected) return;
  const sent = await trx.selectFrom('instruction_send').select('id').where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId).limit(1).executeTakeFirst();
  if (!sent) return;
  const episode = await trx.selectFrom('episode').select(['patient_id', 'status']).where('id', '=', episodeId).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  const patient = await trx.selectFrom('patient').selectAll().where('id', '=', episode.patient_id).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  if (!patient.email || episode.status === 'cancelled') return;
  const clinic = await trx.selectFrom('clinic').select(['name', 'time_zone']).where('id', '=', clinicId).executeTakeFirstOrThrow();
  if (next !== null) {
    await send(trx, dialect, who, { clinicId, timeZone: clinic.time_zone, patient, episodeId, plannedOn: next, reason: 'date-changed', createdBy: who.actorId });
    return;
  }
  const outboxId = await enqueueMail(trx, {
    clinicId, kind: 'procedure-instructions', to: patient.email, subject: `${clinic.name}: your procedure date is to be confirmed`,
    text: [
      `Dear ${patient.given_name} ${patient.family_name},`, '',
      'Your procedure no longer has a confirmed date. The dates in the instructions we sent you earlier do not apply for now;',
      'you may take your usual medicines as before. We will send new instructions when a new date is agreed.', '',
      clinic.name,
    ].join('\n'),
  });
  await recordSend(trx, dialect, who, {
    clinic_id: clinicId, episode_id: episodeId, patient_id: patient.id, planned_procedure_on: null, reason: 'date-changed', to_address: patient.email,
    outbox_id: outboxId, content_json: toJson({ plannedOn: null, items: [] }), created_by: who.actorId,
  });
}

export interface InstructionsPrint {
  clinicName: string;
  patient: { givenName: string; familyName: string; mrn: string; birthDate: string };
  plannedProcedureOn: string;
  items: InstructionItem[];
  extraBefore: string | null;
  extraAfter: string | null;
  printedAt: string;
  printedBy: string;
  timeZone: string;
}

/** What the printable instructions show; an audited read. */
export async function getInstructionsPrint(services: Services, actor: Actor, episodeId: string): Promise<InstructionsPrint> {
  assertCan(actor, 'assessment:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode, patient } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    if (!episode.planned_procedure_on) throw new ServiceError('conflict', 'Plan the procedure date first: the instructions are dated from it.', { data: { code: 'no-planned-date' } });
    const settings = await loadPathwaySettings(trx, actor.clinicId);
    const { instructions, clinicName } = await compute(trx, actor.clinicId, actor.timeZone, patient, episodeId, episode.planned_procedure_on, settings, false);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'instructions', entityId: episodeId, patientId: patient.id, detail: { print: true } });
    return {
      clinicName, patient: { givenName: patient.given_name, familyName: patient.family_name, mrn: patient.mrn, birthDate: patient.birth_date },
      plannedProcedureOn: episode.planned_procedure_on, items: instructions.items, extraBefore: settings.instructionsBeforeText, extraAfter: settings.instructionsAfterText,
      printedAt: nowIso(), printedBy: actor.label, timeZone: actor.timeZone,
    };
  });
}
