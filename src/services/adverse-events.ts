import type { Insertable, Selectable } from 'kysely';
import type {
  AdverseEventCategory, AdverseEventOutcome, AdverseEventRelatedness, AdverseEventSeverity, AdverseEventTable,
} from '../store/schema-pathway.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction } from './db-helpers.js';
import { ServiceError, conflict, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { loadEpisodeContext } from './pathway-common.js';

/**
 * Adverse events after a PRP treatment, recorded at any time. A serious event (severe,
 * life-threatening, fatal, or marked serious by the reporter — seriousness is not severity, after
 * ICH E2A [M]) stays flagged on every home screen until a clinician has reviewed it; making an
 * event serious after a review flags it again.
 */

type AdverseEventRow = Selectable<AdverseEventTable>;

export const ADVERSE_EVENT_CATEGORIES: readonly AdverseEventCategory[] = ['pain-flare', 'infection-discitis', 'vasovagal', 'bleeding-haematoma', 'neurological', 'allergic', 'other'];
export const ADVERSE_EVENT_SEVERITIES: readonly AdverseEventSeverity[] = ['mild', 'moderate', 'severe', 'life-threatening'];
export const ADVERSE_EVENT_RELATEDNESS: readonly AdverseEventRelatedness[] = ['unrelated', 'unlikely', 'possible', 'probable', 'definite'];
export const ADVERSE_EVENT_OUTCOMES: readonly AdverseEventOutcome[] = ['recovered', 'recovering', 'not-recovered', 'recovered-with-sequelae', 'fatal', 'unknown'];

export interface AdverseEventInput {
  onsetOn: string;
  category: AdverseEventCategory;
  severity: AdverseEventSeverity;
  relatedness: AdverseEventRelatedness;
  outcome: AdverseEventOutcome;
  description: string;
  procedureId?: string | null;
  /** Serious by a criterion other than severity (hospitalisation, lasting disability …). */
  serious?: boolean;
}

export interface AdverseEventView {
  id: string;
  episodeId: string;
  patientId: string;
  procedureId: string | null;
  onsetOn: string;
  category: AdverseEventCategory;
  severity: AdverseEventSeverity;
  serious: boolean;
  relatedness: AdverseEventRelatedness;
  outcome: AdverseEventOutcome;
  description: string;
  reportedAt: string;
  reportedBy: StaffRef | null;
  updatedAt: string;
  reviewedAt: string | null;
  reviewedBy: StaffRef | null;
  reviewNote: string | null;
  /** Serious and not yet reviewed: shown on every home screen. */
  flagged: boolean;
}

export function isSerious(e: { severity: AdverseEventSeverity; outcome: AdverseEventOutcome; serious?: boolean }): boolean {
  return e.serious === true || e.severity === 'severe' || e.severity === 'life-threatening' || e.outcome === 'fatal';
}

export function presentAdverseEvent(r: AdverseEventRow, names: Map<string, string>): AdverseEventView {
  return {
    id: r.id, episodeId: r.episode_id, patientId: r.patient_id, procedureId: r.procedure_id, onsetOn: r.onset_on, category: r.category, severity: r.severity,
    serious: r.serious === 1, relatedness: r.relatedness, outcome: r.outcome, description: r.description, reportedAt: r.reported_at, reportedBy: staffRef(names, r.reported_by),
    updatedAt: r.updated_at, reviewedAt: r.reviewed_at, reviewedBy: staffRef(names, r.reviewed_by), reviewNote: r.review_note, flagged: r.serious === 1 && r.reviewed_at === null,
  };
}

export async function reportAdverseEvent(services: Services, actor: Actor, episodeId: string, input: AdverseEventInput): Promise<AdverseEventView> {
  assertCan(actor, 'adverse-event:write');
  const description = input.description.trim();
  if (!description) throw invalid('description', 'Describe what happened.');
  if (input.onsetOn > todayIso(actor.timeZone)) throw invalid('onsetOn', 'The onset date is in the future.');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    if (input.procedureId) {
      const procedure = await trx.selectFrom('injection_procedure').select(['episode_id', 'performed_at']).where('id', '=', input.procedureId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
      if (!procedure || procedure.episode_id !== episodeId) throw new ServiceError('invalid', 'procedureId: no procedure with that id in this episode.', { field: 'procedureId' });
      if (input.onsetOn < procedure.performed_at.slice(0, 10)) throw invalid('onsetOn', 'The onset is before the procedure it is linked to.');
    }
    const now = nowIso();
    const row = {
      id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, procedure_id: input.procedureId ?? null, onset_on: input.onsetOn,
      category: input.category, severity: input.severity, serious: isSerious(input) ? 1 : 0, relatedness: input.relatedness, outcome: input.outcome, description,
      reported_at: now, reported_by: actor.userId, updated_at: now, reviewed_at: null, reviewed_by: null, review_note: null,
    } satisfies Insertable<AdverseEventTable>;
    await trx.insertInto('adverse_event').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'create', entityType: 'adverse_event', entityId: row.id, patientId: episode.patient_id,
      detail: { episodeId, category: row.category, severity: row.severity, serious: row.serious === 1 },
    });
    return presentAdverseEvent(row, await staffNames(trx, actor.clinicId, [actor.userId]));
  });
}

const SEVERITY_RANK: Record<AdverseEventSeverity, number> = { mild: 0, moderate: 1, severe: 2, 'life-threatening': 3 };

export type AdverseEventUpdate = Partial<Pick<AdverseEventInput, 'severity' | 'relatedness' | 'outcome' | 'description' | 'serious'>>;

/** Follows an event over time (outcome, severity …); audited with the changed field names. */
export async function updateAdverseEvent(services: Services, actor: Actor, id: string, input: AdverseEventUpdate): Promise<AdverseEventView> {
  assertCan(actor, 'adverse-event:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('adverse_event').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('adverse event');
    const next: AdverseEventRow = {
      ...row,
      severity: input.severity ?? row.severity, relatedness: input.relatedness ?? row.relatedness, outcome: input.outcome ?? row.outcome,
      description: input.description !== undefined ? input.description.trim() : row.description,
    };
    if (!next.description) throw invalid('description', 'Describe what happened.');
    next.serious = isSerious({ severity: next.severity, outcome: next.outcome, serious: input.serious ?? row.serious === 1 }) ? 1 : 0;
    const changed = (['severity', 'relatedness', 'outcome', 'description', 'serious'] as const).filter((k) => next[k] !== row[k]);
    if (changed.length === 0) return presentAdverseEvent(row, await staffNames(trx, actor.clinicId, [row.reported_by, row.reviewed_by]));
    // Worse after a review — newly serious, raised to severe or life-threatening, or fatal: it needs a clinician's eyes again.
    const reflag = row.reviewed_at !== null && (
      (next.serious === 1 && row.serious === 0)
      || (SEVERITY_RANK[next.severity] > SEVERITY_RANK[row.severity] && SEVERITY_RANK[next.severity] >= SEVERITY_RANK.severe)
      || (next.outcome === 'fatal' && row.outcome !== 'fatal'));
    if (reflag) Object.assign(next, { reviewed_at: null, reviewed_by: null, review_note: null });
    next.updated_at = nowIso();
    await trx.updateTable('adverse_event').set({
      severity: next.severity, relatedness: next.relatedness, outcome: next.outcome, description: next.description, serious: next.serious, updated_at: next.updated_at,
      reviewed_at: next.reviewed_at, reviewed_by: next.reviewed_by, review_note: next.review_note,
    }).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    // The coded fields with their old and new values (the history shown in the staff app); the description's text stays out of the audit trail.
    const changes = Object.fromEntries(changed.filter((k) => k !== 'description').map((k) => [k, k === 'serious' ? { from: row.serious === 1, to: next.serious === 1 } : { from: row[k], to: next[k] }]));
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'update', entityType: 'adverse_event', entityId: id, patientId: row.patient_id,
      detail: { fields: changed, changes, serious: next.serious === 1, ...(reflag ? { reviewCleared: true } : {}) },
    });
    return presentAdverseEvent(next, await staffNames(trx, actor.clinicId, [next.reported_by, next.reviewed_by]));
  });
}

/** A clinician's review; a serious event stops being flagged. */
export async function reviewAdverseEvent(services: Services, actor: Actor, id: string, input: { note: string }): Promise<AdverseEventView> {
  assertCan(actor, 'adverse-event:review');
  const note = input.note.trim();
  if (!note) throw invalid('note', 'Write what was reviewed and decided.');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('adverse_event').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('adverse event');
    if (row.reviewed_at) throw conflict('This event has already been reviewed.');
    const now = nowIso();
    await trx.updateTable('adverse_event').set({ reviewed_at: now, reviewed_by: actor.userId, review_note: note, updated_at: now }).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'adverse_event', entityId: id, patientId: row.patient_id, detail: { reviewed: true, serious: row.serious === 1 } });
    return presentAdverseEvent({ ...row, reviewed_at: now, reviewed_by: actor.userId, review_note: note, updated_at: now }, await staffNames(trx, actor.clinicId, [row.reported_by, actor.userId]));
  });
}

export async function listAdverseEvents(services: Services, actor: Actor, episodeId: string): Promise<AdverseEventView[]> {
  assertCan(actor, 'adverse-event:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const rows = await trx.selectFrom('adverse_event').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).orderBy('onset_on').orderBy('id').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'adverse_event', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    const names = await staffNames(trx, actor.clinicId, rows.flatMap((r) => [r.reported_by, r.reviewed_by]));
    return rows.map((r) => presentAdverseEvent(r, names));
  });
}

type ChangeValue = string | boolean | null;

export interface AdverseEventChange {
  at: string;
  /** The colleague's name (or the audit's label for a former account). */
  by: string | null;
  kind: 'reported' | 'updated' | 'reviewed';
  /** Changed coded fields with old and new values; `description` is listed in `fields` only. */
  fields: string[];
  changes: Record<string, { from: ChangeValue; to: ChangeValue }>;
  /** A worsening after a review put the event back on the review list. */
  reviewCleared: boolean;
}

/**
 * The history of an event, read from its audit trail (report, every change with the coded values
 * before and after, reviews), oldest first. Audited as a read of patient data.
 */
export async function adverseEventHistory(services: Services, actor: Actor, id: string): Promise<AdverseEventChange[]> {
  assertCan(actor, 'adverse-event:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('adverse_event').select(['id', 'patient_id']).where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('adverse event');
    const events = await trx.selectFrom('audit_event').select(['at', 'actor_id', 'actor_label', 'action', 'detail', 'chain_seq'])
      .where('clinic_id', '=', actor.clinicId).where('entity_type', '=', 'adverse_event').where('entity_id', '=', id).where('action', 'in', ['create', 'update'])
      .orderBy('chain_seq').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'adverse_event', entityId: id, patientId: row.patient_id, detail: { history: true } });
    const names = await staffNames(trx, actor.clinicId, events.map((e) => e.actor_id));
    return events.map((e) => {
      const detail: Record<string, unknown> = e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {};
      const kind = e.action === 'create' ? 'reported' as const : detail.reviewed === true ? 'reviewed' as const : 'updated' as const;
      return {
        at: e.at, by: (e.actor_id ? names.get(e.actor_id) : undefined) ?? e.actor_label, kind, fields: Array.isArray(detail.fields) ? (detail.fields as string[]) : [],
        changes: (detail.changes && typeof detail.changes === 'object' ? detail.changes : {}) as AdverseEventChange['changes'],
        reviewCleared: detail.reviewCleared === true,
      };
    });
  });
}
