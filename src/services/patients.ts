import { sql } from 'kysely';
import type { PatientRow, Sex } from '../store/schema.js';
import { listAuditEvents, presentAuditEvent, recordAudit, subjectOf, type AuditEventView } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { escapeLike, inTransaction, isUniqueViolation, normaliseForSearch, type Trx } from './db-helpers.js';
import { ServiceError, conflict, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';

export interface PatientFields {
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex;
  email?: string | null;
  phone?: string | null;
  preferredLanguage?: string | null;
  notes?: string | null;
}

export interface PatientView extends Required<PatientFields> {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface PatientSummary {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex;
}

export function presentPatient(p: PatientRow): PatientView {
  return {
    id: p.id, mrn: p.mrn, givenName: p.given_name, familyName: p.family_name, birthDate: p.birth_date, sex: p.sex, email: p.email,
    phone: p.phone, preferredLanguage: p.preferred_language, notes: p.notes, createdAt: p.created_at, updatedAt: p.updated_at,
  };
}

function checkBirthDate(birthDate: string, timeZone: string): void {
  if (Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`)) || new Date(`${birthDate}T00:00:00Z`).toISOString().slice(0, 10) !== birthDate) {
    throw invalid('birthDate', `${birthDate} is not a real calendar date (use YYYY-MM-DD).`);
  }
  if (birthDate > todayIso(timeZone)) throw invalid('birthDate', 'The birth date is in the future.');
  if (birthDate < '1900-01-01') throw invalid('birthDate', 'The birth date is before 1900; check the year.');
}

/** Same clinic, same normalised name and birth date: most likely the same person entered twice. */
async function findLikelyDuplicates(trx: Trx, clinicId: string, nameSearch: string, birthDate: string, excludeId?: string): Promise<PatientSummary[]> {
  let q = trx.selectFrom('patient').selectAll().where('clinic_id', '=', clinicId).where('birth_date', '=', birthDate).where('name_search', '=', nameSearch);
  if (excludeId) q = q.where('id', '!=', excludeId);
  return (await q.limit(10).execute()).map(summarise);
}

function summarise(p: PatientRow): PatientSummary {
  return { id: p.id, mrn: p.mrn, givenName: p.given_name, familyName: p.family_name, birthDate: p.birth_date, sex: p.sex };
}

function duplicateError(duplicates: PatientSummary[]): ServiceError {
  const who = duplicates.map((d) => `${d.givenName} ${d.familyName} (MRN ${d.mrn})`).join(', ');
  return new ServiceError('conflict', `A patient with the same name and birth date already exists: ${who}. Open that record, or confirm that this is a different person.`, {
    data: { code: 'likely-duplicate', duplicates },
  });
}

function mrnTaken(mrn: string): ServiceError {
  return new ServiceError('conflict', `MRN ${mrn} is already used by another patient of this clinic.`, { field: 'mrn' });
}

export async function createPatient(services: Services, actor: Actor, input: PatientFields & { confirmNotDuplicate?: boolean }): Promise<PatientView> {
  assertCan(actor, 'patient:write');
  checkBirthDate(input.birthDate, actor.timeZone);
  const { store } = services;
  const now = nowIso();
  const row: PatientRow = {
    id: newId(), clinic_id: actor.clinicId, mrn: input.mrn.trim(), given_name: input.givenName.trim(), family_name: input.familyName.trim(),
    name_search: normaliseForSearch(`${input.familyName} ${input.givenName}`), birth_date: input.birthDate, sex: input.sex,
    email: input.email?.trim() || null, phone: input.phone?.trim() || null, preferred_language: input.preferredLanguage || null,
    notes: input.notes || null, created_at: now, updated_at: now,
  };
  try {
    return await inTransaction(store, async (trx) => {
      const mrnOwner = await trx.selectFrom('patient').select('id').where('clinic_id', '=', actor.clinicId).where('mrn', '=', row.mrn).executeTakeFirst();
      if (mrnOwner) throw mrnTaken(row.mrn);
      if (!input.confirmNotDuplicate) {
        const duplicates = await findLikelyDuplicates(trx, actor.clinicId, row.name_search, row.birth_date);
        if (duplicates.length > 0) throw duplicateError(duplicates);
      }
      await trx.insertInto('patient').values(row).execute();
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'patient', entityId: row.id, patientId: row.id });
      return presentPatient(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw mrnTaken(row.mrn);
    throw error;
  }
}

/** Passes when the patient is the actor's clinic's; 404 otherwise (another clinic's or none). */
export async function patientInClinic(trx: Trx, actor: Actor, patientId: string): Promise<void> {
  const p = await trx.selectFrom('patient').select('id').where('id', '=', patientId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
  if (!p) throw notFound('patient');
}

export async function getPatient(services: Services, actor: Actor, id: string): Promise<PatientView> {
  assertCan(actor, 'patient:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('patient').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('patient');
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'patient', entityId: id, patientId: id });
    return presentPatient(row);
  });
}

export async function updatePatient(services: Services, actor: Actor, id: string, input: Partial<PatientFields> & { confirmNotDuplicate?: boolean }): Promise<PatientView> {
  assertCan(actor, 'patient:write');
  if (input.birthDate !== undefined) checkBirthDate(input.birthDate, actor.timeZone);
  const { store } = services;
  try {
    return await inTransaction(store, async (trx) => {
      const current = await trx.selectFrom('patient').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
      if (!current) throw notFound('patient');
      const next: PatientRow = { ...current };
      if (input.mrn !== undefined) next.mrn = input.mrn.trim();
      if (input.givenName !== undefined) next.given_name = input.givenName.trim();
      if (input.familyName !== undefined) next.family_name = input.familyName.trim();
      if (input.birthDate !== undefined) next.birth_date = input.birthDate;
      if (input.sex !== undefined) next.sex = input.sex;
      if (input.email !== undefined) next.email = input.email?.trim() || null;
      if (input.phone !== undefined) next.phone = input.phone?.trim() || null;
      if (input.preferredLanguage !== undefined) next.preferred_language = input.preferredLanguage || null;
      if (input.notes !== undefined) next.notes = input.notes || null;
      next.name_search = normaliseForSearch(`${next.family_name} ${next.given_name}`);
      next.updated_at = nowIso();
      const changed = (Object.keys(next) as (keyof PatientRow)[]).filter((k) => k !== 'updated_at' && k !== 'name_search' && next[k] !== current[k]);
      if (changed.includes('mrn')) {
        const mrnOwner = await trx.selectFrom('patient').select('id').where('clinic_id', '=', actor.clinicId).where('mrn', '=', next.mrn).where('id', '!=', id).executeTakeFirst();
        if (mrnOwner) throw mrnTaken(next.mrn);
      }
      const identityChanged = changed.some((k) => k === 'given_name' || k === 'family_name' || k === 'birth_date');
      if (identityChanged && !input.confirmNotDuplicate) {
        const duplicates = await findLikelyDuplicates(trx, actor.clinicId, next.name_search, next.birth_date, id);
        if (duplicates.length > 0) throw duplicateError(duplicates);
      }
      if (changed.length === 0) return presentPatient(current);
      const { id: _id, clinic_id: _clinic, created_at: _created, ...values } = next;
      await trx.updateTable('patient').set(values).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
      // Field names only: the values are patient data and the audit trail is exported as CSV.
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'patient', entityId: id, patientId: id, detail: { fields: changed } });
      return presentPatient(next);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`MRN ${input.mrn} is already used by another patient of this clinic.`);
    throw error;
  }
}

export interface PatientSearch {
  /** Matches the start of the family or given name (any order), or the start of the MRN. */
  q?: string;
  birthDate?: string;
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export async function searchPatients(services: Services, actor: Actor, search: PatientSearch): Promise<Page<PatientSummary>> {
  assertCan(actor, 'patient:read');
  const { store } = services;
  const page = Math.max(1, search.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, search.pageSize ?? 25));
  const text = search.q?.trim();
  const tokens = text ? normaliseForSearch(text).split(' ').filter(Boolean).slice(0, 5) : [];
  const startsWith = (column: 'mrn' | 'name_search', prefix: string) => sql<boolean>`${sql.ref(column)} like ${`${escapeLike(prefix)}%`} escape '\\'`;
  const wordStartsWith = (prefix: string) => sql<boolean>`name_search like ${`% ${escapeLike(prefix)}%`} escape '\\'`;
  const matching = (trx: Trx) => {
    let q = trx.selectFrom('patient').where('clinic_id', '=', actor.clinicId);
    if (search.birthDate) q = q.where('birth_date', '=', search.birthDate);
    if (text) {
      q = q.where((eb) => eb.or([startsWith('mrn', text), eb.and(tokens.map((t) => eb.or([startsWith('name_search', t), wordStartsWith(t)])))]));
    }
    return q;
  };
  return inTransaction(store, async (trx) => {
    const total = await matching(trx).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await matching(trx).selectAll().orderBy('name_search').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute();
    // A search shows names and birth dates: it is a read of patient data, so it is audited.
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'search', entityType: 'patient', detail: { q: text ?? null, birthDate: search.birthDate ?? null, page, results: rows.length } });
    return { items: rows.map(summarise), page, pageSize, total: Number(total.n) };
  });
}

/**
 * Who read or changed one patient's data, newest first. Looking at that history is itself a
 * read of patient data, recorded as one event (not as a read of the patient record too).
 */
export async function patientAuditHistory(services: Services, actor: Actor, patientId: string, page: { beforeSeq?: number; limit?: number }): Promise<AuditEventView[]> {
  assertCan(actor, 'patient:read');
  const { store } = services;
  await inTransaction(store, async (trx) => {
    await patientInClinic(trx, actor, patientId);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'audit_history', entityId: patientId, patientId });
  });
  const rows = await listAuditEvents(store, actor.clinicId, { patientId, ...page });
  return rows.map(presentAuditEvent);
}
