import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestStore } from '../store/testing/test-store.js';
import { inTransaction } from './db-helpers.js';
import { addressKey, clearKey, countHit, lockedSeconds, refusalOf, stableKey, type ThrottleKey, type ThrottleRule } from './throttle.js';

const DAILY: ThrottleRule = { scope: 'comment', windowSeconds: 86_400, window: 'fixed', max: 3, minSecondsBetween: 20 };
const LOCKING: ThrottleRule = { scope: 'login-account', windowSeconds: 15 * 60, window: 'from-first-hit', max: 3, lockSeconds: 10 * 60 };
const at = (text: string) => Date.parse(text);

describe.each(DIALECTS)('throttle on %s', (dialect) => {
  const store = useTestStore(dialect);
  const hit = (rule: ThrottleRule, key: ThrottleKey, nowMs: number) => inTransaction(store, (trx) => countHit(trx, rule, key, nowMs));
  const rows = () => store.db.selectFrom('throttle').selectAll().execute();

  beforeAll(async () => {
    for (const id of ['clinic-a', 'clinic-b']) await store.db.insertInto('clinic').values({ id, name: id, time_zone: 'UTC', created_at: '2026-01-01T00:00:00.000Z' }).execute();
  });

  it('is one table: migration 0006 dropped the four per-feature tables', async () => {
    const names = (await store.db.introspection.getTables()).map((t) => t.name);
    expect(names).toContain('throttle');
    for (const old of ['login_throttle', 'comment_throttle', 'survey_throttle', 'screening_throttle']) expect(names).not.toContain(old);
  });

  it('keeps no address: an HMAC per scope and clinic under the day\'s salt, and a stable hash for sign-in keys', async () => {
    const nowMs = at('2026-03-10T12:00:00.000Z');
    const a = await addressKey(store, 'comment', 'clinic-a', '203.0.113.9', nowMs);
    expect(a.hash).not.toContain('203.0.113.9');
    expect(await addressKey(store, 'comment', 'clinic-a', '203.0.113.9', nowMs + 1000)).toEqual(a);
    expect((await addressKey(store, 'comment', 'clinic-b', '203.0.113.9', nowMs)).hash).not.toBe(a.hash);
    expect((await addressKey(store, 'screening', 'clinic-a', '203.0.113.9', nowMs)).hash).not.toBe(a.hash);
    // The next day's salt gives the same address another key.
    expect((await addressKey(store, 'comment', 'clinic-a', '203.0.113.9', nowMs + 86_400_000)).hash).not.toBe(a.hash);
    const account = stableKey('login-account', 'ada@clinic.test');
    expect(account).toEqual(stableKey('login-account', 'ada@clinic.test'));
    expect(account.hash).not.toContain('ada');
    expect(stableKey('login-ip', 'ada@clinic.test').hash).not.toBe(account.hash);
  });

  it('counts hits in a fixed UTC-day window, refuses past the maximum until midnight, and starts again the next day', async () => {
    const key: ThrottleKey = { clinicId: 'clinic-a', hash: 'fixed-window' };
    const day = at('2026-03-10T08:00:00.000Z');
    const counted = [];
    for (let i = 0; i < 4; i++) counted.push(await hit(DAILY, key, day + i * 60_000));
    expect(counted.map((h) => h.hits)).toEqual([1, 2, 3, 4]);
    expect(counted[0]!.windowStart).toBe('2026-03-10T00:00:00.000Z');
    expect(counted.slice(0, 3).map((h, i) => refusalOf(DAILY, h, day + i * 60_000))).toEqual([null, null, null]);
    const nowMs = day + 3 * 60_000;
    expect(refusalOf(DAILY, counted[3]!, nowMs)).toEqual({ reason: 'limit', retryAfterSeconds: (at('2026-03-11T00:00:00.000Z') - nowMs) / 1000 });
    // One second before midnight it is still the same window; at midnight a new one opens.
    expect((await hit(DAILY, key, at('2026-03-10T23:59:59.000Z'))).hits).toBe(5);
    const next = await hit(DAILY, key, at('2026-03-11T00:00:30.000Z'));
    expect(next).toMatchObject({ hits: 1, windowStart: '2026-03-11T00:00:00.000Z', previousAt: '2026-03-10T23:59:59.000Z' });
  });

  it('asks for a pause between two hits of one key', async () => {
    const key: ThrottleKey = { clinicId: 'clinic-b', hash: 'spacing' };
    const first = at('2026-03-10T09:00:00.000Z');
    expect(refusalOf(DAILY, await hit(DAILY, key, first), first)).toBeNull();
    const soon = first + 5_500;
    expect(refusalOf(DAILY, await hit(DAILY, key, soon), soon)).toEqual({ reason: 'too-soon', retryAfterSeconds: 15 });
    const later = soon + 20_000;
    expect(refusalOf(DAILY, await hit(DAILY, key, later), later)).toBeNull();
  });

  it('does not count a hit whose transaction the caller rolls back (a refused request)', async () => {
    const key: ThrottleKey = { clinicId: 'clinic-a', hash: 'rolled-back' };
    const nowMs = at('2026-03-10T10:00:00.000Z');
    await hit(DAILY, key, nowMs);
    await expect(inTransaction(store, async (trx) => {
      const h = await countHit(trx, DAILY, key, nowMs + 1000);
      if (refusalOf(DAILY, h, nowMs + 1000)) throw new Error('refused');
    })).rejects.toThrow('refused');
    const row = (await rows()).find((r) => r.key_hash === 'rolled-back');
    expect(row).toMatchObject({ hits: 1, last_at: '2026-03-10T10:00:00.000Z', clinic_id: 'clinic-a', scope: 'comment' });
  });

  it('opens a window with the first hit, locks at the maximum, and forgets a cleared key', async () => {
    const key = stableKey('login-account', 'lock@clinic.test');
    const t0 = at('2026-03-10T11:00:00.000Z');
    expect(await lockedSeconds(store.db, 'login-account', key, t0)).toBe(0);
    expect((await hit(LOCKING, key, t0)).hits).toBe(1);
    // The window runs 15 minutes from the first hit: a hit just after it starts a new window.
    expect((await hit(LOCKING, key, t0 + 15 * 60_000 - 1000)).hits).toBe(2);
    const reopened = await hit(LOCKING, key, t0 + 15 * 60_000);
    expect(reopened).toMatchObject({ hits: 1, windowStart: '2026-03-10T11:15:00.000Z', lockedUntil: null });
    const t1 = t0 + 15 * 60_000;
    expect((await hit(LOCKING, key, t1 + 1000)).lockedUntil).toBeNull();
    const third = await hit(LOCKING, key, t1 + 2000);
    expect(third).toMatchObject({ hits: 3, lockedUntil: new Date(t1 + 2000 + 10 * 60_000).toISOString() });
    expect(await lockedSeconds(store.db, 'login-account', key, t1 + 2000)).toBe(600);
    expect(await lockedSeconds(store.db, 'login-account', key, t1 + 2000 + 599_500)).toBe(1);
    expect(await lockedSeconds(store.db, 'login-account', key, t1 + 2000 + 600_000)).toBe(0);
    // Another scope with the same hash is another key.
    expect(await lockedSeconds(store.db, 'login-ip', key, t1 + 2000)).toBe(0);
    await inTransaction(store, (trx) => clearKey(trx, 'login-account', key));
    expect(await lockedSeconds(store.db, 'login-account', key, t1 + 3000)).toBe(0);
    expect((await hit(LOCKING, key, t1 + 3000)).hits).toBe(1);
  });

  it('counts N parallel hits as N', async () => {
    const key: ThrottleKey = { clinicId: null, hash: 'parallel' };
    const rule: ThrottleRule = { scope: 'survey-link', windowSeconds: 3600, window: 'from-first-hit', max: 1000 };
    const nowMs = at('2026-03-10T12:00:00.000Z');
    const counted = await Promise.all(Array.from({ length: 24 }, () => hit(rule, key, nowMs)));
    expect(counted.map((h) => h.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect((await rows()).find((r) => r.key_hash === 'parallel')?.hits).toBe(24);
  });

  it('sweeps rows of the scope that can no longer matter, and only those', async () => {
    const nowMs = at('2026-03-20T12:00:00.000Z');
    await hit(DAILY, { clinicId: null, hash: 'old-comment' }, at('2026-03-17T12:00:00.000Z'));
    await hit(DAILY, { clinicId: null, hash: 'recent-comment' }, at('2026-03-19T12:00:00.000Z'));
    await hit(LOCKING, { clinicId: null, hash: 'old-login' }, at('2026-03-17T12:00:00.000Z'));
    await hit(DAILY, { clinicId: null, hash: 'today' }, nowMs);
    const left = (await rows()).map((r) => r.key_hash);
    expect(left).not.toContain('old-comment');
    expect(left).toEqual(expect.arrayContaining(['recent-comment', 'old-login', 'today']));
  });
});
