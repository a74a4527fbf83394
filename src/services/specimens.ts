import { randomBytes } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import {
  canMoveCustody, checkBedsideIdentity, formatSpecimenCode, isOpenCustody, normaliseSpecimenCode, productExpiresAt, specimenCodeFrom,
  type CustodyState, type Mismatch,
} from '../science/index.js';
import { fromJson, toJson } from '../store/json.js';
import type { BedsideVerificationTable, CustodyEventTable, SpecimenTable } from '../store/schema-pathway.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, isUniqueViolation, type Trx } from './db-helpers.js';
import { ServiceError, conflict, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { enqueueMail } from './outbox.js';
import { assertCan, can } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { assertReadyForTreatment, checkPastInstant, loadEpisodeContext } from './pathway-common.js';
import { loadPathwaySettings } from './pathway-settings.js';

/**
 * Chain of custody of the patient's own blood: the draw (which makes the label), each step with
 * who and when (centrifuged → prepared → verified at the bedside → injected, or discarded with a
 * reason), and the bedside identity check. A mismatch at the bedside is recorded and audited,
 * the clinic's administrators are alerted, and the request ends in an unmistakable 409 — the
 * injection cannot be recorded without a passed check for this very product and episode.
 */

type SpecimenRow = Selectable<SpecimenTable>;
type CustodyEventRow = Selectable<CustodyEventTable>;
type VerificationRow = Selectable<BedsideVerificationTable>;

export interface CustodyEventView {
  id: string;
  type: CustodyState;
  at: string;
  by: StaffRef | null;
  detail: Record<string, unknown> | null;
  recordedAt: string;
}

export interface VerificationView {
  id: string;
  episodeId: string;
  specimenId: string | null;
  result: 'passed' | 'failed';
  mismatches: Mismatch[];
  expired: boolean;
  expiryOverrideReason: string | null;
  verifiedBy: StaffRef | null;
  verifiedAt: string;
  /** A failed check's alert, closed by a clinician or administrator with a note. */
  acknowledgedAt: string | null;
  acknowledgedBy: StaffRef | null;
  acknowledgementNote: string | null;
}

export interface SpecimenView {
  id: string;
  episodeId: string;
  patientId: string;
  /** Canonical code (what the barcode carries) and the grouped form people read. */
  code: string;
  displayCode: string;
  status: CustodyState;
  drawnAt: string;
  drawnBy: StaffRef | null;
  expiresAt: string;
  productAgeLimitHours: number;
  expired: boolean;
  drawVolumeMl: number | null;
  tubeCount: number | null;
  preparationId: string | null;
  prpVolumeMl: number | null;
  discardReason: string | null;
  note: string | null;
  events: CustodyEventView[];
  verifications: VerificationView[];
}

function presentVerification(v: VerificationRow, names: Map<string, string>): VerificationView {
  return {
    id: v.id, episodeId: v.episode_id, specimenId: v.specimen_id, result: v.result, mismatches: fromJson<Mismatch[]>(v.mismatches_json) ?? [], expired: v.expired === 1,
    expiryOverrideReason: v.expiry_override_reason, verifiedBy: staffRef(names, v.verified_by), verifiedAt: v.verified_at,
    acknowledgedAt: v.acknowledged_at ?? null, acknowledgedBy: staffRef(names, v.acknowledged_by ?? null), acknowledgementNote: v.acknowledgement_note ?? null,
  };
}

async function presentSpecimens(trx: Trx, clinicId: string, rows: SpecimenRow[]): Promise<SpecimenView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const events = await trx.selectFrom('custody_event').selectAll().where('clinic_id', '=', clinicId).where('specimen_id', 'in', ids).orderBy('recorded_at').orderBy('id').execute();
  const verifications = await trx.selectFrom('bedside_verification').selectAll().where('clinic_id', '=', clinicId).where('specimen_id', 'in', ids).orderBy('verified_at').orderBy('id').execute();
  const names = await staffNames(trx, clinicId, [...rows.map((r) => r.drawn_by), ...events.map((e) => e.by_id), ...verifications.flatMap((v) => [v.verified_by, v.acknowledged_by])]);
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id, episodeId: r.episode_id, patientId: r.patient_id, code: r.code, displayCode: formatSpecimenCode(r.code), status: r.status, drawnAt: r.drawn_at,
    drawnBy: staffRef(names, r.drawn_by), expiresAt: r.expires_at, productAgeLimitHours: r.product_age_limit_hours,
    expired: isOpenCustody(r.status) && now > Date.parse(r.expires_at),
    drawVolumeMl: r.draw_volume_ml, tubeCount: r.tube_count, preparationId: r.preparation_id, prpVolumeMl: r.prp_volume_ml, discardReason: r.discard_reason, note: r.note,
    events: events.filter((e) => e.specimen_id === r.id).map((e: CustodyEventRow) => ({
      id: e.id, type: e.type, at: e.at, by: staffRef(names, e.by_id), detail: fromJson<Record<string, unknown>>(e.detail_json), recordedAt: e.recorded_at,
    })),
    verifications: verifications.filter((v) => v.specimen_id === r.id).map((v) => presentVerification(v, names)),
  }));
}

async function appendEvent(trx: Trx, actor: Actor, specimen: SpecimenRow, type: CustodyState, at: string, detail: Record<string, unknown> | null): Promise<string> {
  const row = {
    id: newId(), clinic_id: actor.clinicId, specimen_id: specimen.id, episode_id: specimen.episode_id, patient_id: specimen.patient_id, type, at,
    by_id: actor.userId, by_label: actor.label, detail_json: toJson(detail), recorded_at: nowIso(),
  } satisfies Insertable<CustodyEventTable>;
  await trx.insertInto('custody_event').values(row).execute();
  return row.id;
}

async function loadSpecimen(trx: Trx, services: Services, clinicId: string, id: string, lock = false): Promise<SpecimenRow> {
  let q = trx.selectFrom('specimen').selectAll().where('id', '=', id).where('clinic_id', '=', clinicId);
  if (lock && services.store.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('specimen');
  return row;
}

export interface DrawInput {
  drawnAt?: string;
  drawVolumeMl?: number | null;
  tubeCount?: number | null;
  note?: string | null;
}

/**
 * Records the blood draw: the specimen gets its code (the label's barcode) and its expiry from the
 * clinic's time limit. Only for an episode with a current "eligible" decision and a signed consent.
 */
export async function drawSpecimen(services: Services, actor: Actor, episodeId: string, input: DrawInput): Promise<SpecimenView> {
  assertCan(actor, 'custody:write');
  const drawnAt = input.drawnAt ? checkPastInstant(input.drawnAt, 'drawnAt') : nowIso();
  if (Date.now() - Date.parse(drawnAt) > 24 * 3_600_000) throw invalid('drawnAt', 'drawnAt is more than a day ago: a product that old cannot be used.');
  const { store } = services;
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(store, async (trx) => {
        const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
        if (episode.status !== 'open') throw conflict(`This episode is ${episode.status}.`);
        await assertReadyForTreatment(trx, actor.clinicId, episodeId);
        const { productAgeLimitHours } = await loadPathwaySettings(trx, actor.clinicId);
        const now = nowIso();
        const row = {
          id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, code: specimenCodeFrom(randomBytes(7)), status: 'drawn' as const,
          drawn_at: drawnAt, drawn_by: actor.userId, expires_at: productExpiresAt(drawnAt, productAgeLimitHours), product_age_limit_hours: productAgeLimitHours,
          draw_volume_ml: input.drawVolumeMl ?? null, tube_count: input.tubeCount ?? null, preparation_id: null, prp_volume_ml: null, discard_reason: null,
          note: input.note?.trim() || null, created_at: now, updated_at: now,
        } satisfies Insertable<SpecimenTable>;
        await trx.insertInto('specimen').values(row).execute();
        await appendEvent(trx, actor, row, 'drawn', drawnAt, { drawVolumeMl: row.draw_volume_ml, tubeCount: row.tube_count });
        await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'specimen', entityId: row.id, patientId: row.patient_id, detail: { episodeId, code: row.code, custody: 'drawn', expiresAt: row.expires_at } });
        return (await presentSpecimens(trx, actor.clinicId, [row]))[0]!;
      });
    } catch (error) {
      // A clash of two random 50-bit codes: astronomically rare, but retried rather than surfaced.
      if (isUniqueViolation(error) && attempt < 3) continue;
      throw error;
    }
  }
}

export async function listSpecimens(services: Services, actor: Actor, episodeId: string): Promise<SpecimenView[]> {
  assertCan(actor, 'custody:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const rows = await trx.selectFrom('specimen').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).orderBy('drawn_at').orderBy('id').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'specimen', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    return presentSpecimens(trx, actor.clinicId, rows);
  });
}

export async function getSpecimen(services: Services, actor: Actor, id: string): Promise<SpecimenView> {
  assertCan(actor, 'custody:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await loadSpecimen(trx, services, actor.clinicId, id);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'specimen', entityId: id, patientId: row.patient_id });
    return (await presentSpecimens(trx, actor.clinicId, [row]))[0]!;
  });
}

export type CustodyStepInput =
  | { type: 'centrifuged'; at?: string; confirmSeparateRun?: boolean; note?: string | null }
  | { type: 'prepared'; at?: string; preparationId?: string | null; prpVolumeMl?: number | null; note?: string | null }
  | { type: 'discarded'; at?: string; reason: string };

/**
 * One lab step. Starting a centrifuge run while another patient's product is mid-preparation
 * answers 409 (`other-patient-in-progress`) unless the lab confirms it is a separate run: one
 * patient per run keeps tubes from being swapped.
 */
export async function recordCustodyStep(services: Services, actor: Actor, specimenId: string, input: CustodyStepInput): Promise<SpecimenView> {
  assertCan(actor, 'custody:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const specimen = await loadSpecimen(trx, services, actor.clinicId, specimenId, true);
    if (!canMoveCustody(specimen.status, input.type)) {
      throw new ServiceError('conflict', `This product is ${specimen.status}; it cannot be marked ${input.type} now.`, { field: 'type', data: { code: 'custody-order', custodyState: specimen.status } });
    }
    const at = checkPastInstant(input.at ?? nowIso(), 'at', { notBefore: specimen.drawn_at, notBeforeLabel: 'the draw' });
    const detail: Record<string, unknown> = {};
    const update: Partial<Insertable<SpecimenTable>> = { status: input.type, updated_at: nowIso() };
    if (input.type === 'centrifuged') {
      // What the lab needs to find the other tubes (their code and draw time) — never the other patient's identifiers.
      const others = await trx.selectFrom('specimen').select(['code', 'drawn_at'])
        .where('clinic_id', '=', actor.clinicId).where('status', '=', 'centrifuged').where('patient_id', '!=', specimen.patient_id).orderBy('drawn_at').execute();
      if (others.length > 0 && !input.confirmSeparateRun) {
        const drawn = (iso: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short', timeZone: actor.timeZone }).format(new Date(iso));
        throw new ServiceError('conflict', `Another patient's product is still being prepared (${others.map((o) => `${formatSpecimenCode(o.code)}, drawn ${drawn(o.drawn_at)}`).join('; ')}). One patient per centrifuge run: finish that one first, or confirm that this is a separate run.`, {
          data: { code: 'other-patient-in-progress', openSpecimens: others.map((o) => formatSpecimenCode(o.code)), openSpecimensDrawnAt: others.map((o) => o.drawn_at) },
        });
      }
      if (others.length > 0) detail.confirmedSeparateRunWith = others.map((o) => o.code);
    } else if (input.type === 'prepared') {
      let volume = input.prpVolumeMl ?? null;
      if (input.preparationId) {
        const prep = await trx.selectFrom('preparation').select(['id', 'episode_id', 'prp_volume_ml']).where('id', '=', input.preparationId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
        if (!prep) throw new ServiceError('invalid', 'preparationId: no preparation with that id in this clinic.', { field: 'preparationId' });
        if (prep.episode_id !== specimen.episode_id) throw new ServiceError('invalid', 'preparationId: that preparation belongs to another episode.', { field: 'preparationId' });
        volume ??= prep.prp_volume_ml;
        update.preparation_id = prep.id;
        detail.preparationId = prep.id;
      }
      if (volume === null || !(volume > 0)) throw new ServiceError('invalid', 'Give the volume of PRP prepared (prpVolumeMl), or link a preparation that records it.', { field: 'prpVolumeMl' });
      update.prp_volume_ml = volume;
      detail.prpVolumeMl = volume;
    } else {
      const reason = input.reason.trim();
      if (reason.length < 3) throw invalid('reason', 'Say why the product is discarded.');
      update.discard_reason = reason;
      detail.reason = reason;
    }
    if ('note' in input && input.note?.trim()) detail.note = input.note.trim();
    await trx.updateTable('specimen').set(update).where('id', '=', specimenId).where('clinic_id', '=', actor.clinicId).execute();
    const eventId = await appendEvent(trx, actor, specimen, input.type, at, Object.keys(detail).length > 0 ? detail : null);
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'create', entityType: 'custody_event', entityId: eventId, patientId: specimen.patient_id,
      detail: { specimenId, custody: input.type, from: specimen.status, ...(detail.confirmedSeparateRunWith ? { confirmedSeparateRun: true } : {}) },
    });
    return (await presentSpecimens(trx, actor.clinicId, [{ ...specimen, ...update } as SpecimenRow]))[0]!;
  });
}

export interface BedsideInput {
  specimenCode: string;
  mrn: string;
  birthDate: string;
  /** A product past the clinic's time limit may be used only by a clinician, with a reason. */
  expiryOverrideReason?: string | null;
}

/**
 * The bedside check before an injection, for the episode the procedure is for. Every attempt is
 * stored. A mismatch (or an expired product without an override) is committed, audited and
 * alerted, and then refused with 409 naming each identifier that did not match.
 */
export async function verifyAtBedside(services: Services, actor: Actor, episodeId: string, input: BedsideInput): Promise<VerificationView> {
  assertCan(actor, 'custody:write');
  const { store } = services;
  const overrideReason = input.expiryOverrideReason?.trim() || null;
  if (overrideReason && !can(actor.role, 'procedure:write')) throw new ServiceError('forbidden', 'Only a clinician may use a product past its time limit.');
  const outcome = await inTransaction(store, async (trx) => {
    const { episode, patient } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
    await assertReadyForTreatment(trx, actor.clinicId, episodeId);
    const code = normaliseSpecimenCode(input.specimenCode);
    const specimen = code ? await trx.selectFrom('specimen').selectAll().where('clinic_id', '=', actor.clinicId).where('code', '=', code).executeTakeFirst() : undefined;
    const now = nowIso();
    const check = checkBedsideIdentity(
      input,
      { episodeId, patientId: patient.id, mrn: patient.mrn, birthDate: patient.birth_date },
      specimen ? { episodeId: specimen.episode_id, patientId: specimen.patient_id, state: specimen.status, expiresAt: specimen.expires_at } : null,
      now,
    );
    const expiryBlocks = check.expired && (overrideReason === null || overrideReason.length < 10);
    const passed = check.mismatches.length === 0 && !expiryBlocks;
    const row = {
      id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: patient.id, specimen_id: specimen?.id ?? null,
      scanned_code: input.specimenCode.trim().slice(0, 100), scanned_mrn: input.mrn.trim().slice(0, 100), entered_birth_date: input.birthDate.slice(0, 10),
      result: passed ? 'passed' as const : 'failed' as const, mismatches_json: toJson(check.mismatches), expired: check.expired ? 1 : 0,
      expiry_override_reason: check.expired && passed ? overrideReason : null, verified_by: actor.userId, verified_by_label: actor.label, verified_at: now,
    } satisfies Insertable<BedsideVerificationTable>;
    await trx.insertInto('bedside_verification').values(row).execute();
    // Field names only: what was scanned may be another patient's identifiers.
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'create', entityType: 'bedside_verification', entityId: row.id, patientId: patient.id,
      detail: { episodeId, specimenId: row.specimen_id, result: row.result, mismatches: check.mismatches.map((m) => m.field), expired: check.expired, expiryOverridden: row.expiry_override_reason !== null },
    });
    if (passed && specimen) {
      await trx.updateTable('specimen').set({ status: 'verified', updated_at: now }).where('id', '=', specimen.id).where('clinic_id', '=', actor.clinicId).execute();
      await appendEvent(trx, actor, specimen, 'verified', now, { verificationId: row.id, ...(row.expiry_override_reason ? { expiryOverridden: true } : {}) });
    }
    if (check.mismatches.length > 0) await alertClinic(trx, services, actor, episode.id, row.id, check.mismatches);
    return { row, check, expiryBlocks };
  });
  const names = await staffNames(store.db, actor.clinicId, [actor.userId]);
  const view = presentVerification(outcome.row as unknown as VerificationRow, names);
  if (outcome.check.mismatches.length > 0) {
    throw new ServiceError('conflict', `IDENTITY MISMATCH — DO NOT INJECT. ${outcome.check.mismatches.map((m) => m.message).join(' ')} This check was recorded and the clinic has been alerted.`, {
      data: { code: 'identity-mismatch', mismatches: outcome.check.mismatches, verificationId: view.id },
    });
  }
  if (outcome.expiryBlocks) {
    throw new ServiceError('conflict', 'This product is past the clinic’s time limit from draw to injection. Do not inject it, or — as a clinician — override with a reason (at least 10 characters).', {
      field: 'expiryOverrideReason', data: { code: 'product-expired', verificationId: view.id },
    });
  }
  return view;
}

/**
 * Closes the alert of a failed bedside check: a clinician or an administrator says what was done
 * (product set aside, patient informed …). Audited with who and when; the alert leaves every
 * worklist. The check itself is never changed otherwise, and a check is acknowledged once.
 */
export async function acknowledgeBedsideAlert(services: Services, actor: Actor, verificationId: string, input: { note: string }): Promise<VerificationView> {
  assertCan(actor, 'custody-alert:acknowledge');
  const note = input.note.trim();
  if (note.length < 3) throw invalid('note', 'Write what was checked and done about the failed check.');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    let q = trx.selectFrom('bedside_verification').selectAll().where('id', '=', verificationId).where('clinic_id', '=', actor.clinicId);
    if (store.dialect === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw notFound('bedside check');
    if (row.result !== 'failed') throw new ServiceError('conflict', 'This bedside check passed: there is no alert to acknowledge.', { data: { code: 'not-an-alert' } });
    if (row.acknowledged_at) throw new ServiceError('conflict', 'This alert has already been acknowledged.', { data: { code: 'already-acknowledged' } });
    const now = nowIso();
    await trx.updateTable('bedside_verification').set({ acknowledged_at: now, acknowledged_by: actor.userId, acknowledgement_note: note })
      .where('id', '=', verificationId).where('clinic_id', '=', actor.clinicId).where('acknowledged_at', 'is', null).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'update', entityType: 'bedside_verification', entityId: verificationId, patientId: row.patient_id,
      detail: { episodeId: row.episode_id, acknowledged: true, mismatches: (fromJson<Mismatch[]>(row.mismatches_json) ?? []).map((m) => m.field) },
    });
    const next = { ...row, acknowledged_at: now, acknowledged_by: actor.userId, acknowledgement_note: note };
    return presentVerification(next, await staffNames(trx, actor.clinicId, [row.verified_by, actor.userId]));
  });
}

/** Tells the clinic's administrators at once (email through the outbox; no patient identifiers in the message). */
async function alertClinic(trx: Trx, services: Services, actor: Actor, episodeId: string, verificationId: string, mismatches: Mismatch[]): Promise<void> {
  const admins = await trx.selectFrom('staff_user').select('email').where('clinic_id', '=', actor.clinicId).where('role', '=', 'admin').where('active', '=', 1).execute();
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: actor.timeZone }).format(new Date());
  for (const admin of admins) {
    await enqueueMail(trx, {
      clinicId: actor.clinicId, kind: 'custody-alert', to: admin.email, subject: 'Autolog: a bedside identity check failed',
      text: [
        `A bedside identity check failed at ${when} (checked by ${actor.label}). The injection was blocked.`, '',
        `What did not match: ${mismatches.map((m) => m.field).join(', ')}.`, '',
        `Review it in the staff app: ${services.config.publicUrl}/app/episodes/${episodeId} (verification ${verificationId}).`,
      ].join('\n'),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The label

export interface SpecimenLabel {
  clinicName: string;
  timeZone: string;
  patient: { givenName: string; familyName: string; birthDate: string; mrn: string };
  code: string;
  displayCode: string;
  drawnAt: string;
  expiresAt: string;
  drawnBy: string | null;
}

/** What the printed label shows (two identifiers, the code, draw time and expiry). Audited: it is patient data. */
export async function getSpecimenLabel(services: Services, actor: Actor, id: string): Promise<SpecimenLabel> {
  assertCan(actor, 'custody:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await loadSpecimen(trx, services, actor.clinicId, id);
    const { patient } = await loadEpisodeContext(trx, services, actor.clinicId, row.episode_id);
    const clinic = await trx.selectFrom('clinic').select(['name', 'time_zone']).where('id', '=', actor.clinicId).executeTakeFirstOrThrow();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'specimen', entityId: id, patientId: row.patient_id, detail: { label: true } });
    return {
      clinicName: clinic.name, timeZone: clinic.time_zone, patient: { givenName: patient.given_name, familyName: patient.family_name, birthDate: patient.birth_date, mrn: patient.mrn },
      code: row.code, displayCode: formatSpecimenCode(row.code), drawnAt: row.drawn_at, expiresAt: row.expires_at,
      drawnBy: (await staffNames(trx, actor.clinicId, [row.drawn_by])).get(row.drawn_by) ?? null,
    };
  });
}

/** Just the code, for the barcode image (no patient data, so not audited). */
export async function specimenCode(services: Services, actor: Actor, id: string): Promise<string> {
  assertCan(actor, 'custody:read');
  const row = await services.store.db.selectFrom('specimen').select('code').where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
  if (!row) throw notFound('specimen');
  return row.code;
}

/**
 * The episode's most recent bedside check, whatever product it was for. The injection requires it
 * to be a pass for the very product being injected: a failed scan after a pass must be followed by
 * a new, passing one.
 */
export async function latestBedsideCheck(trx: Trx, clinicId: string, episodeId: string): Promise<VerificationRow | undefined> {
  return trx.selectFrom('bedside_verification').selectAll().where('clinic_id', '=', clinicId).where('episode_id', '=', episodeId)
    .orderBy('verified_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export { appendEvent as appendCustodyEvent, loadSpecimen };
