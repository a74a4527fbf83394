import { createHash, createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Store } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { Trx } from './db-helpers.js';
import { ServiceError } from './errors.js';
import { dailySalt } from './visitors.js';

/**
 * Every per-address and per-account limit, over one table (`throttle`, migration 0006): failed
 * sign-ins per account and per address, comments and consultation requests per address and day,
 * wrong survey links per address.
 *
 * A rule counts hits of one key in a window. Windows are either `fixed` (aligned to multiples
 * of their length since the epoch: a one-day window is a UTC calendar day) or `from-first-hit`
 * (a window opens with the first hit after the previous one has ended). A rule may also lock the
 * key when it reaches its maximum, and ask for a minimum spacing between two hits.
 *
 * Counting is one atomic upsert (INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL), so
 * N parallel hits count N. A hit is counted in the caller's transaction: a caller that refuses
 * the request by throwing inside it rolls the hit back, so refused requests do not count.
 *
 * Keys are never stored in the clear: addresses are an HMAC under the day's random salt
 * (`addressKey`, unlinkable once the salt is deleted after two days); sign-in keys, which must
 * outlive midnight, are a SHA-256 (`stableKey`).
 */

export type ThrottleScope = 'login-account' | 'login-ip' | 'comment' | 'screening' | 'survey-link';

export interface ThrottleRule {
  scope: ThrottleScope;
  windowSeconds: number;
  window: 'fixed' | 'from-first-hit';
  /** Hits allowed in one window. With `lockSeconds`, the hit that reaches it locks the key. */
  max: number;
  lockSeconds?: number;
  /** The least time between two hits of one key. */
  minSecondsBetween?: number;
}

export interface ThrottleKey {
  /** The clinic, for per-clinic limits (it is also folded into the hash); null for server-wide ones. */
  clinicId: string | null;
  hash: string;
}

export interface Hit {
  /** Hits in the current window, this one included. */
  hits: number;
  windowStart: string;
  windowEndsAt: string;
  /** The hit before this one (any window), or null. */
  previousAt: string | null;
  lockedUntil: string | null;
}

export interface Refusal {
  reason: 'limit' | 'too-soon';
  retryAfterSeconds: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** An address as a key: an HMAC under the day's random salt, never the address itself. */
export async function addressKey(store: Store, scope: ThrottleScope, clinicId: string | null, address: string, atMs: number): Promise<ThrottleKey> {
  const salt = await dailySalt(store, iso(atMs).slice(0, 10));
  const hash = createHmac('sha256', salt).update(['throttle', scope, clinicId ?? '', address].join('\u0000')).digest('base64url');
  return { clinicId, hash };
}

/**
 * A key that must stay the same across days (a sign-in lockout must not end at midnight): a
 * SHA-256 of the scope and the value. Not a secret — the same emails and addresses are in the
 * staff and audit tables — but no address or email is readable in this table.
 */
export function stableKey(scope: ThrottleScope, value: string): ThrottleKey {
  return { clinicId: null, hash: createHash('sha256').update(`${scope}\u0000${value}`).digest('base64url') };
}

/** Seconds the key is still locked for (0 when it is not). */
export async function lockedSeconds(db: Kysely<Database>, scope: ThrottleScope, key: ThrottleKey, nowMs: number): Promise<number> {
  const row = await db.selectFrom('throttle').select('locked_until').where('scope', '=', scope).where('key_hash', '=', key.hash).executeTakeFirst();
  if (!row?.locked_until) return 0;
  const ms = Date.parse(row.locked_until) - nowMs;
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

function freshWindowStart(rule: ThrottleRule, nowMs: number): string {
  if (rule.window === 'from-first-hit') return iso(nowMs);
  const length = rule.windowSeconds * 1000;
  return iso(Math.floor(nowMs / length) * length);
}

/**
 * Counts one hit of the key and returns the count in its window. Locks the key when the rule
 * says so and the hit reaches the maximum (and clears an old lock otherwise). Also sweeps the
 * scope's rows that can no longer matter.
 */
export async function countHit(trx: Trx, rule: ThrottleRule, key: ThrottleKey, nowMs: number): Promise<Hit> {
  const now = iso(nowMs);
  const windowMs = rule.windowSeconds * 1000;
  // A row whose window, lock and spacing have all ended a day ago says nothing: the last hit and
  // any lock fall within (window + lock) of the window's start.
  const staleBefore = iso(nowMs - windowMs - ((rule.lockSeconds ?? 0) + (rule.minSecondsBetween ?? 0) + 86_400) * 1000);
  await trx.deleteFrom('throttle').where('scope', '=', rule.scope).where('window_start', '<', staleBefore).execute();

  const fresh = freshWindowStart(rule, nowMs);
  const open = sql<boolean>`${sql.ref('throttle.window_start')} > ${iso(nowMs - windowMs)}`;
  const row = await trx.insertInto('throttle')
    .values({ scope: rule.scope, key_hash: key.hash, clinic_id: key.clinicId, window_start: fresh, hits: 1, last_at: now, previous_at: null, locked_until: null })
    .onConflict((oc) => oc.columns(['scope', 'key_hash']).doUpdateSet({
      hits: sql<number>`case when ${open} then ${sql.ref('throttle.hits')} + 1 else 1 end`,
      window_start: sql<string>`case when ${open} then ${sql.ref('throttle.window_start')} else ${fresh} end`,
      previous_at: sql<string | null>`${sql.ref('throttle.last_at')}`,
      last_at: now,
      locked_until: null,
    }))
    .returning(['hits', 'window_start', 'previous_at'])
    .executeTakeFirstOrThrow();

  const hits = Number(row.hits);
  let lockedUntil: string | null = null;
  if (rule.lockSeconds !== undefined && hits >= rule.max) {
    lockedUntil = iso(nowMs + rule.lockSeconds * 1000);
    await trx.updateTable('throttle').set({ locked_until: lockedUntil }).where('scope', '=', rule.scope).where('key_hash', '=', key.hash).execute();
  }
  return { hits, windowStart: row.window_start, windowEndsAt: iso(Date.parse(row.window_start) + windowMs), previousAt: row.previous_at, lockedUntil };
}

/**
 * Whether a counted hit goes over the rule: more hits than `max` in the window (wait for the
 * window to end), or sooner than `minSecondsBetween` after the previous hit. Null when allowed.
 */
export function refusalOf(rule: ThrottleRule, hit: Hit, nowMs: number): Refusal | null {
  if (hit.hits > rule.max) return { reason: 'limit', retryAfterSeconds: Math.ceil((Date.parse(hit.windowEndsAt) - nowMs) / 1000) };
  if (rule.minSecondsBetween !== undefined && hit.previousAt !== null) {
    const since = (nowMs - Date.parse(hit.previousAt)) / 1000;
    if (since < rule.minSecondsBetween) return { reason: 'too-soon', retryAfterSeconds: Math.ceil(rule.minSecondsBetween - since) };
  }
  return null;
}

/**
 * Counts the hit and, when the rule refuses it, throws 'rate-limited' (429 with Retry-After) with
 * the caller's words; thrown inside the caller's transaction, the refused hit is not counted.
 */
export async function enforceLimit(trx: Trx, rule: ThrottleRule, key: ThrottleKey, nowMs: number, messages: Record<Refusal['reason'], string>): Promise<void> {
  const refusal = refusalOf(rule, await countHit(trx, rule, key, nowMs), nowMs);
  if (refusal) throw new ServiceError('rate-limited', messages[refusal.reason], { retryAfterSeconds: refusal.retryAfterSeconds });
}

/** Forgets the key's count and lock (a successful sign-in, a password reset). */
export async function clearKey(trx: Trx, scope: ThrottleScope, key: ThrottleKey): Promise<void> {
  await trx.deleteFrom('throttle').where('scope', '=', scope).where('key_hash', '=', key.hash).execute();
}
