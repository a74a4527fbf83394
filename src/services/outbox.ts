import type { Store } from '../store/db.js';
import type { OutboxRow } from '../store/schema.js';
import { nowIso } from './clock.js';
import type { Trx } from './db-helpers.js';
import { newId } from './ids.js';

export interface OutgoingMail {
  clinicId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Puts a message in the durable outbox inside the caller's transaction: the message exists
 * exactly when the change that caused it does, and the worker sends it later (with retries).
 */
export async function enqueueMail(trx: Trx, mail: OutgoingMail): Promise<string> {
  const id = newId();
  const now = nowIso();
  await trx.insertInto('outbox').values({
    id, clinic_id: mail.clinicId, kind: mail.kind, to_address: mail.to, subject: mail.subject, text_body: mail.text,
    status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, created_at: now, sent_at: null,
  }).execute();
  return id;
}

export interface OutboxView {
  id: string;
  kind: string;
  to: string;
  subject: string;
  status: OutboxRow['status'];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export function presentOutbox(row: OutboxRow): OutboxView {
  return {
    id: row.id, kind: row.kind, to: row.to_address, subject: row.subject, status: row.status, attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at, lastError: row.last_error, createdAt: row.created_at, sentAt: row.sent_at,
  };
}

/** The clinic's outgoing mail, newest first. Message bodies hold reset links, so they are not listed. */
export async function listOutbox(store: Store, clinicId: string, options: { status?: OutboxRow['status']; limit?: number } = {}): Promise<OutboxView[]> {
  let q = store.db.selectFrom('outbox').selectAll().where('clinic_id', '=', clinicId);
  if (options.status) q = q.where('status', '=', options.status);
  const rows = await q.orderBy('created_at', 'desc').limit(Math.min(options.limit ?? 100, 1000)).execute();
  return rows.map(presentOutbox);
}
