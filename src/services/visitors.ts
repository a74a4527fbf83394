import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isbot } from 'isbot';
import type { Store } from '../store/db.js';
import { nowIso } from './clock.js';

/**
 * Anonymous readers of the public site: what we may know about them, and no more.
 * - No cookies and no stored addresses. An address is only ever kept as an HMAC under the day's
 *   random salt (the rate-limit keys of `throttle.ts`), and salts are deleted after two days, so an old
 *   hash cannot be linked back to an address even by trying all four billion IPv4 addresses.
 * - The comment form carries the time it was shown, signed with the same day's salt, so the
 *   server can tell a form filled in by a person from one posted a second after it was fetched
 *   without keeping any per-visitor state.
 */

const SALT_DAYS_KEPT = 2;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function existingSalt(store: Store, day: string): Promise<string | undefined> {
  return (await store.db.selectFrom('visitor_salt').select('salt').where('day', '=', day).executeTakeFirst())?.salt;
}

/** The day's secret, created by whichever request needs it first (safe under concurrency). */
export async function dailySalt(store: Store, day: string): Promise<string> {
  const existing = await existingSalt(store, day);
  if (existing) return existing;
  await store.db.insertInto('visitor_salt').values({ day, salt: randomBytes(32).toString('base64url'), created_at: nowIso() })
    .onConflict((oc) => oc.column('day').doNothing()).execute();
  const oldest = dayOf(Date.parse(`${day}T00:00:00Z`) - (SALT_DAYS_KEPT - 1) * 86_400_000);
  await store.db.deleteFrom('visitor_salt').where('day', '<', oldest).execute();
  // Whichever insert won (this one or a concurrent request's) is the day's salt.
  const salt = await existingSalt(store, day);
  if (!salt) throw new Error(`visitor_salt for ${day} vanished right after it was written`);
  return salt;
}

function hmac(salt: string, purpose: string, ...parts: string[]): string {
  return createHmac('sha256', salt).update(`${purpose}\u0000${parts.join('\u0000')}`).digest('base64url');
}

/** Seconds a person needs at least to read the notice and write a comment. */
export const MIN_SECONDS_TO_COMMENT = 5;
/** A form older than this is refused (reload the page): it also bounds replay of one token. */
export const MAX_FORM_AGE_SECONDS = 24 * 3600;

/** `<issued ms>.<signature>`: the time the comment form was shown, for this article only. */
export async function issueCommentFormToken(store: Store, articleId: string, issuedAtMs = Date.now()): Promise<string> {
  const salt = await dailySalt(store, dayOf(issuedAtMs));
  return `${issuedAtMs}.${hmac(salt, 'comment-form', articleId, String(issuedAtMs)).slice(0, 32)}`;
}

export type FormTokenCheck = 'ok' | 'too-fast' | 'expired' | 'invalid';

export async function checkCommentFormToken(store: Store, articleId: string, token: string, nowMs = Date.now()): Promise<FormTokenCheck> {
  const match = /^(\d{13})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return 'invalid';
  const issuedAtMs = Number(match[1]);
  if (nowMs - issuedAtMs > MAX_FORM_AGE_SECONDS * 1000) return 'expired';
  const salt = await existingSalt(store, dayOf(issuedAtMs));
  if (!salt) return issuedAtMs < nowMs ? 'expired' : 'invalid';
  const expected = Buffer.from(hmac(salt, 'comment-form', articleId, String(issuedAtMs)).slice(0, 32));
  if (!timingSafeEqual(expected, Buffer.from(match[2]!))) return 'invalid';
  if (nowMs - issuedAtMs < MIN_SECONDS_TO_COMMENT * 1000) return 'too-fast';
  return 'ok';
}

/**
 * Crawlers, link previewers and monitoring tools, by user agent (the `isbot` list, kept up to
 * date upstream). A request without any user agent is not a browser either.
 */
export function isKnownBot(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.trim() === '') return true;
  return isbot(userAgent);
}
