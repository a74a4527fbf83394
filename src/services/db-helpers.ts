import type { Transaction } from 'kysely';
import type { Store } from '../store/db.js';
import type { Database } from '../store/schema.js';

export type Trx = Transaction<Database>;

/** Every write is one transaction: it commits whole before the caller answers, or not at all. */
export function inTransaction<T>(store: Store, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(fn);
}

/** Lower-case, accents removed, single spaces: the form names are searched in. */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Escapes LIKE wildcards so user text matches literally (used with ESCAPE '\\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Unique-constraint violations on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
