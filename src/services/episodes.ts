import { ICD10_PATTERN, INDICATION_CODES, suggestedIcd10, type IndicationCode } from '../science/indications.js';
import type { EpisodeRow, EpisodeStatus } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { invalid, notFound } from './errors.js';
import { onEpisodeStatusChanged } from './follow-up.js';
import { newId } from './ids.js';
import { patientInClinic } from './patients.js';
import { assertCan } from './permissions.js';

export const EPISODE_STATUSES: readonly EpisodeStatus[] = ['open', 'closed', 'cancelled'];

export interface EpisodeView {
  id: string;
  patientId: string;
  indication: IndicationCode;
  icd10Code: string;
  status: EpisodeStatus;
  openedOn: string;
  closedOn: string | null;
  notes: string | null;
  /** Planned procedure date; set through the outcomes API, which attaches the follow-up schedule. */
  plannedProcedureOn: string | null;
  createdAt: string;
  updatedAt: string;
}

export function presentEpisode(e: EpisodeRow): EpisodeView {
  return {
    id: e.id, patientId: e.patient_id, indication: e.indication as IndicationCode, icd10Code: e.icd10_code, status: e.status,
    openedOn: e.opened_on, closedOn: e.closed_on, notes: e.notes, plannedProcedureOn: e.planned_procedure_on, createdAt: e.created_at, updatedAt: e.updated_at,
  };
}

export interface NewEpisodeInput {
  indication: IndicationCode;
  icd10Code?: string;
  openedOn?: string;
  notes?: string | null;
}

function resolveIcd10(indication: IndicationCode, given: string | undefined): string {
  const code = (given ?? suggestedIcd10(indication)).trim().toUpperCase();
  if (!code) throw invalid('icd10Code', 'Give the ICD-10 code for an "other" indication.');
  if (!ICD10_PATTERN.test(code)) throw invalid('icd10Code', `"${code}" is not an ICD-10 code (for example M51.36).`);
  return code;
}

export async function createEpisode(services: Services, actor: Actor, patientId: string, input: NewEpisodeInput): Promise<EpisodeView> {
  assertCan(actor, 'episode:write');
  if (!INDICATION_CODES.includes(input.indication)) throw invalid('indication', `Indication must be one of ${INDICATION_CODES.join(', ')}.`);
  const icd10 = resolveIcd10(input.indication, input.icd10Code);
  const openedOn = input.openedOn ?? todayIso(actor.timeZone);
  if (openedOn > todayIso(actor.timeZone)) throw invalid('openedOn', 'An episode cannot be opened in the future.');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    await patientInClinic(trx, actor, patientId);
    const now = nowIso();
    const row: EpisodeRow = {
      id: newId(), clinic_id: actor.clinicId, patient_id: patientId, indication: input.indication, icd10_code: icd10, status: 'open',
      opened_on: openedOn, closed_on: null, notes: input.notes || null, created_at: now, updated_at: now, planned_procedure_on: null,
    };
    await trx.insertInto('episode').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'episode', entityId: row.id, patientId, detail: { indication: row.indication } });
    return presentEpisode(row);
  });
}

export async function listEpisodes(services: Services, actor: Actor, patientId: string): Promise<EpisodeView[]> {
  assertCan(actor, 'episode:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    await patientInClinic(trx, actor, patientId);
    const rows = await trx.selectFrom('episode').selectAll().where('clinic_id', '=', actor.clinicId).where('patient_id', '=', patientId).orderBy('opened_on', 'desc').orderBy('id', 'desc').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'episode', patientId, detail: { list: true, count: rows.length } });
    return rows.map(presentEpisode);
  });
}

export async function getEpisode(services: Services, actor: Actor, id: string): Promise<EpisodeView> {
  assertCan(actor, 'episode:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('episode').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('episode');
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'episode', entityId: id, patientId: row.patient_id });
    return presentEpisode(row);
  });
}

export interface EpisodeUpdate {
  indication?: IndicationCode;
  icd10Code?: string;
  status?: EpisodeStatus;
  openedOn?: string;
  closedOn?: string | null;
  notes?: string | null;
}

export async function updateEpisode(services: Services, actor: Actor, id: string, input: EpisodeUpdate): Promise<EpisodeView> {
  assertCan(actor, 'episode:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const current = await trx.selectFrom('episode').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!current) throw notFound('episode');
    const next: EpisodeRow = { ...current };
    if (input.indication !== undefined) {
      next.indication = input.indication;
      next.icd10_code = resolveIcd10(input.indication, input.icd10Code);
    } else if (input.icd10Code !== undefined) {
      next.icd10_code = resolveIcd10(current.indication as IndicationCode, input.icd10Code);
    }
    if (input.openedOn !== undefined) next.opened_on = input.openedOn;
    if (input.notes !== undefined) next.notes = input.notes || null;
    if (input.status !== undefined) next.status = input.status;
    if (input.closedOn !== undefined) next.closed_on = input.closedOn;
    // Closing or cancelling dates the episode; reopening clears the date.
    if (next.status === 'open') next.closed_on = null;
    else if (next.closed_on === null) next.closed_on = todayIso(actor.timeZone);
    if (next.closed_on !== null && next.closed_on < next.opened_on) throw invalid('closedOn', `The episode cannot close (${next.closed_on}) before it opened (${next.opened_on}).`);
    if (next.opened_on > todayIso(actor.timeZone)) throw invalid('openedOn', 'An episode cannot be opened in the future.');
    next.updated_at = nowIso();
    const changed = (Object.keys(next) as (keyof EpisodeRow)[]).filter((k) => k !== 'updated_at' && next[k] !== current[k]);
    if (changed.length === 0) return presentEpisode(current);
    const { id: _id, clinic_id: _c, patient_id: _p, created_at: _created, ...values } = next;
    await trx.updateTable('episode').set(values).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'episode', entityId: id, patientId: current.patient_id, detail: { fields: changed, status: next.status } });
    // Cancelling stops every follow-up email in the same transaction; reopening resumes them.
    if (next.status !== current.status) await onEpisodeStatusChanged(trx, store.dialect, subjectOf(actor), actor.clinicId, id, current.status, next.status);
    return presentEpisode(next);
  });
}
