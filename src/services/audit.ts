import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { Dialect, Store } from '../store/db.js';
import type { AuditEventRow, Database } from '../store/schema.js';
import { nowIso } from './clock.js';
import type { Actor } from './context.js';
import { newId } from './ids.js';

export const GENESIS_HASH = '0'.repeat(64);
export const SYSTEM_CHAIN = 'system';

export type AuditAction =
  | 'create' | 'update' | 'delete' | 'read' | 'search' | 'export'
  // An explicit re-run of stored computations with the current science library.
  | 'recompute'
  | 'login' | 'login-failed' | 'logout' | 'password-reset-requested' | 'password-reset';

export interface AuditInput {
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  patientId?: string | null;
  /** Small, non-secret facts: changed field names, a search query, a reason. */
  detail?: Record<string, unknown>;
}

/** Who an event is about when there is no signed-in actor (a failed login, setup). */
export interface AuditSubject {
  clinicId: string | null;
  actorId: string | null;
  actorLabel: string | null;
  ip: string | null;
}

export function subjectOf(actor: Actor): AuditSubject {
  return { clinicId: actor.clinicId, actorId: actor.userId, actorLabel: actor.label, ip: actor.ip };
}

/**
 * Appends one event to its clinic's hash chain, inside the caller's transaction, so the event
 * exists exactly when the change it describes does. Each clinic has its own chain so clinics
 * never wait on each other (and a chain moves with its clinic if the data is ever sharded).
 */
export async function recordAudit(trx: Transaction<Database>, dialect: Dialect, who: AuditSubject, input: AuditInput): Promise<void> {
  const chain = who.clinicId ?? SYSTEM_CHAIN;
  await trx.insertInto('audit_head').values({ chain, seq: 0, hash: GENESIS_HASH }).onConflict((oc) => oc.column('chain').doNothing()).execute();
  let headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', chain);
  // The row lock serialises appends per chain on PostgreSQL; SQLite transactions are already serial.
  if (dialect === 'postgres') headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  const event: Omit<AuditEventRow, 'hash'> = {
    id: newId(),
    chain,
    chain_seq: head.seq + 1,
    clinic_id: who.clinicId,
    at: nowIso(),
    actor_id: who.actorId,
    actor_label: who.actorLabel,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId ?? null,
    patient_id: input.patientId ?? null,
    ip: who.ip,
    detail: input.detail ? JSON.stringify(input.detail) : null,
    prev_hash: head.hash,
  };
  const hash = eventHash(event);
  await trx.insertInto('audit_event').values({ ...event, hash }).execute();
  await trx.updateTable('audit_head').set({ seq: event.chain_seq, hash }).where('chain', '=', chain).execute();
}

/** SHA-256 over the previous hash and every stored field of the event, in a fixed order. */
export function eventHash(e: Omit<AuditEventRow, 'hash'>): string {
  const canonical = JSON.stringify([
    e.chain, e.chain_seq, e.id, e.at, e.clinic_id, e.actor_id, e.actor_label, e.action,
    e.entity_type, e.entity_id, e.patient_id, e.ip, e.detail,
  ]);
  return createHash('sha256').update(e.prev_hash).update(canonical).digest('hex');
}

export interface ChainBreak {
  chain: string;
  eventId: string | null;
  chainSeq: number;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  chains: number;
  events: number;
  firstBreak: ChainBreak | null;
}

/**
 * Walks every chain (or one clinic's) in order and names the first event whose stored hash,
 * predecessor link or sequence does not hold. Reads in pages so memory stays flat.
 */
export async function verifyAuditChains(db: Kysely<Database>, onlyChain?: string): Promise<VerifyResult> {
  let headsQuery = db.selectFrom('audit_head').select(['chain', 'seq', 'hash']).orderBy('chain');
  if (onlyChain) headsQuery = headsQuery.where('chain', '=', onlyChain);
  const heads = await headsQuery.execute();
  let events = 0;
  for (const head of heads) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (;;) {
      const page = await db.selectFrom('audit_event').selectAll().where('chain', '=', head.chain).where('chain_seq', '>=', expectedSeq).orderBy('chain_seq').limit(1000).execute();
      if (page.length === 0) break;
      for (const row of page) {
        events++;
        const fail = (reason: string): VerifyResult => ({ ok: false, chains: heads.length, events, firstBreak: { chain: head.chain, eventId: row.id, chainSeq: row.chain_seq, reason } });
        if (row.chain_seq !== expectedSeq) return { ok: false, chains: heads.length, events, firstBreak: { chain: head.chain, eventId: row.id, chainSeq: expectedSeq, reason: `event ${expectedSeq} is missing (next stored is ${row.chain_seq})` } };
        if (row.prev_hash !== prevHash) return fail('its previous-hash link does not match the event before it');
        const { hash, ...rest } = row;
        if (eventHash(rest) !== hash) return fail('its content does not match its hash (the event was altered)');
        prevHash = hash;
        expectedSeq++;
      }
    }
    if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
      return { ok: false, chains: heads.length, events, firstBreak: { chain: head.chain, eventId: null, chainSeq: expectedSeq, reason: `the chain head says ${head.seq} events but ${expectedSeq - 1} were found in order (events were deleted)` } };
    }
  }
  return { ok: true, chains: heads.length, events, firstBreak: null };
}

export interface AuditFilter {
  patientId?: string;
  actorId?: string;
  action?: string;
  entityType?: string;
  from?: string;
  to?: string;
  /** Paging by position in the clinic's chain, newest first. */
  beforeSeq?: number;
  limit?: number;
}

export interface AuditEventView {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  patientId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export function presentAuditEvent(row: AuditEventRow): AuditEventView {
  return {
    id: row.id, seq: row.chain_seq, at: row.at, actorId: row.actor_id, actor: row.actor_label, action: row.action,
    entityType: row.entity_type, entityId: row.entity_id, patientId: row.patient_id, ip: row.ip,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  };
}

/** One clinic's events, newest first. Tenancy: the chain is the clinic's own. */
export async function listAuditEvents(store: Store, clinicId: string, filter: AuditFilter): Promise<AuditEventRow[]> {
  let q = store.db.selectFrom('audit_event').selectAll().where('chain', '=', clinicId);
  if (filter.patientId) q = q.where('patient_id', '=', filter.patientId);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.from) q = q.where('at', '>=', filter.from);
  if (filter.to) q = q.where('at', '<', filter.to);
  if (filter.beforeSeq !== undefined) q = q.where('chain_seq', '<', filter.beforeSeq);
  return q.orderBy('chain_seq', 'desc').limit(Math.min(filter.limit ?? 100, 5000)).execute();
}

export function auditCsv(rows: AuditEventRow[]): string {
  return stringify(
    rows.map((r) => [r.chain_seq, r.at, r.actor_label ?? '', r.action, r.entity_type, r.entity_id ?? '', r.patient_id ?? '', r.ip ?? '', r.detail ?? '', r.hash]),
    { header: true, columns: ['seq', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'patient_id', 'ip', 'detail', 'hash'] },
  );
}
