import type { Insertable, Selectable } from 'kysely';
import { describeScreeningAnswers, type ScreeningAnswers } from '../science/index.js';
import { fromJson, toJson } from '../store/json.js';
import type { LeadStatus, LeadTable } from '../store/schema-pathway.js';
import { recordAudit, subjectOf, type AuditSubject } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction } from './db-helpers.js';
import { invalidAll, notFound, ServiceError } from './errors.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { addressKey, enforceLimit, type ThrottleRule } from './throttle.js';

/**
 * Consultation requests from the public self-screening, and the coordinator's work on them.
 * A request is stored only when everything about it is acceptable — red flags all answered no,
 * honeypot empty, fields valid, the address under its daily limit; a rejected request leaves no
 * trace (not even a throttle count). The address itself is never stored: the limit counts an HMAC
 * of it under the day's salt (throttle.ts, visitors.ts), which is deleted after two days.
 */

type LeadRow = Selectable<LeadTable>;

export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'booked', 'closed'];

export const LEAD_LIMITS = {
  nameChars: 120,
  emailChars: 254,
  phoneChars: 40,
  preferredTimeChars: 200,
  perAddressPerDay: 3,
  secondsBetweenFromOneAddress: 30,
} as const;

export interface ConsultationRequestInput {
  answers: ScreeningAnswers;
  name: string;
  email?: string | null;
  phone?: string | null;
  preferredTime?: string | null;
  consentToContact: boolean;
  /** The hidden field people never see and simple bots fill in. */
  honeypot?: string | null;
  /** The sender's network address: hashed for the rate limit, never stored. */
  address: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+()\-. ]{6,40}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const oneLine = (text: string | null | undefined) => (text ?? '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();

/**
 * Stores a consultation request as a lead. `discarded` means the honeypot was filled: the caller
 * answers as if it had worked, so a bot learns nothing.
 */
export async function submitConsultationRequest(services: Services, clinicId: string, input: ConsultationRequestInput, nowMs = Date.now()): Promise<{ outcome: 'stored' | 'discarded'; leadId: string | null }> {
  if (input.honeypot && input.honeypot.trim() !== '') return { outcome: 'discarded', leadId: null };
  const name = oneLine(input.name);
  const email = oneLine(input.email).toLowerCase() || null;
  const phone = oneLine(input.phone) || null;
  const preferredTime = oneLine(input.preferredTime) || null;
  const errors: { field: string; message: string }[] = [];
  if (!name) errors.push({ field: 'name', message: 'Please tell us your name.' });
  else if (name.length > LEAD_LIMITS.nameChars) errors.push({ field: 'name', message: `Please keep your name under ${LEAD_LIMITS.nameChars} characters.` });
  if (!email && !phone) errors.push({ field: 'email', message: 'Please give an email address or a phone number, so we can reach you.' });
  if (email && (email.length > LEAD_LIMITS.emailChars || !EMAIL.test(email))) errors.push({ field: 'email', message: 'That email address does not look right.' });
  if (phone && !PHONE.test(phone)) errors.push({ field: 'phone', message: 'A phone number may contain only digits, spaces and + ( ) - . (at least 6).' });
  if (preferredTime && preferredTime.length > LEAD_LIMITS.preferredTimeChars) errors.push({ field: 'preferredTime', message: `Please keep this under ${LEAD_LIMITS.preferredTimeChars} characters.` });
  if (!input.consentToContact) errors.push({ field: 'consentToContact', message: 'Please tick the box to let us contact you; without it we cannot reply.' });
  if (errors.length > 0) throw invalidAll(errors);

  const { store } = services;
  const key = await addressKey(store, SCREENING_THROTTLE.scope, clinicId, input.address, nowMs);
  return inTransaction(store, async (trx) => {
    await enforceLimit(trx, SCREENING_THROTTLE, key, nowMs, {
      limit: 'We have already received several requests from your connection today. If you need to reach us, please call the clinic.',
      'too-soon': 'Your request has just been sent. Please wait a moment before sending another.',
    });
    const now = new Date(nowMs).toISOString();
    const row = {
      id: newId(), clinic_id: clinicId, status: 'new' as const, name, email, phone, preferred_time: preferredTime, contact_consent_at: now,
      answers_json: toJson(input.answers), patient_id: null, note: null, created_at: now, updated_at: now, updated_by: null,
    } satisfies Insertable<LeadTable>;
    await trx.insertInto('lead').values(row).execute();
    // No actor and no address: the public form is the source.
    const who: AuditSubject = { clinicId, actorId: null, actorLabel: 'public self-screening', ip: null };
    await recordAudit(trx, store.dialect, who, { action: 'create', entityType: 'lead', entityId: row.id, detail: { via: 'screening' } });
    return { outcome: 'stored' as const, leadId: row.id };
  });
}

/** Consultation requests per address and UTC day, and a pause between two (services/throttle.ts). */
const SCREENING_THROTTLE: ThrottleRule = {
  scope: 'screening', windowSeconds: 86_400, window: 'fixed', max: LEAD_LIMITS.perAddressPerDay, minSecondsBetween: LEAD_LIMITS.secondsBetweenFromOneAddress,
};

// ---------------------------------------------------------------- staff side

export interface LeadView {
  id: string;
  status: LeadStatus;
  name: string;
  email: string | null;
  phone: string | null;
  preferredTime: string | null;
  contactConsentAt: string;
  answers: ScreeningAnswers;
  /** The answers in words. */
  answerLabels: { painLocations: string[]; duration: string; tried: string[] };
  patientId: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: StaffRef | null;
}

function present(row: LeadRow, names: Map<string, string>): LeadView {
  const answers = fromJson<ScreeningAnswers>(row.answers_json)!;
  return {
    id: row.id, status: row.status, name: row.name, email: row.email, phone: row.phone, preferredTime: row.preferred_time, contactConsentAt: row.contact_consent_at,
    answers, answerLabels: describeScreeningAnswers(answers), patientId: row.patient_id, note: row.note, createdAt: row.created_at, updatedAt: row.updated_at,
    updatedBy: staffRef(names, row.updated_by),
  };
}

/** Leads by status, oldest first (who has waited longest is called first). A search of personal data: audited. */
export async function listLeads(services: Services, actor: Actor, options: { status?: LeadStatus; limit?: number } = {}): Promise<LeadView[]> {
  assertCan(actor, 'lead:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    let q = trx.selectFrom('lead').selectAll().where('clinic_id', '=', actor.clinicId);
    if (options.status) q = q.where('status', '=', options.status);
    const rows = await q.orderBy('created_at').orderBy('id').limit(Math.min(options.limit ?? 100, 500)).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'search', entityType: 'lead', detail: { status: options.status ?? null, results: rows.length } });
    const names = await staffNames(trx, actor.clinicId, rows.map((r) => r.updated_by));
    return rows.map((r) => present(r, names));
  });
}

export async function getLead(services: Services, actor: Actor, id: string): Promise<LeadView> {
  assertCan(actor, 'lead:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('lead').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('lead');
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'lead', entityId: id, patientId: row.patient_id });
    return present(row, await staffNames(trx, actor.clinicId, [row.updated_by]));
  });
}

/** The coordinator's progress on a lead: status, a note, and the patient record it became. */
export async function updateLead(services: Services, actor: Actor, id: string, input: { status?: LeadStatus; note?: string | null; patientId?: string | null }): Promise<LeadView> {
  assertCan(actor, 'lead:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('lead').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('lead');
    if (input.patientId) {
      const patient = await trx.selectFrom('patient').select('id').where('id', '=', input.patientId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
      if (!patient) throw new ServiceError('invalid', 'patientId: no patient with that id in this clinic.', { field: 'patientId' });
    }
    const next: LeadRow = {
      ...row,
      status: input.status ?? row.status,
      note: input.note === undefined ? row.note : input.note?.trim() || null,
      patient_id: input.patientId === undefined ? row.patient_id : input.patientId,
      updated_at: nowIso(),
      updated_by: actor.userId,
    };
    const changed = (['status', 'note', 'patient_id'] as const).filter((k) => next[k] !== row[k]);
    if (changed.length === 0) return present(row, await staffNames(trx, actor.clinicId, [row.updated_by]));
    await trx.updateTable('lead').set({ status: next.status, note: next.note, patient_id: next.patient_id, updated_at: next.updated_at, updated_by: next.updated_by })
      .where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'lead', entityId: id, patientId: next.patient_id, detail: { fields: changed, status: next.status } });
    return present(next, await staffNames(trx, actor.clinicId, [next.updated_by]));
  });
}
