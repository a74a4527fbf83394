import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { DIALECTS, useTestStore } from './testing/test-store.js';

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  const store = useTestStore(dialect);

  it('are applied once and re-running them is a no-op', async () => {
    expect(await migrateToLatest(store)).toEqual([]);
    const tables = await store.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['clinic', 'staff_user', 'patient', 'episode', 'audit_event', 'outbox']));
  });

  it('enforces foreign keys', async () => {
    await expect(store.db.insertInto('episode').values({
      id: 'e1', clinic_id: 'nope', patient_id: 'nope', indication: 'other', icd10_code: 'M54.5', status: 'open', opened_on: '2026-01-01', closed_on: null, notes: null, created_at: 'x', updated_at: 'x',
    }).execute()).rejects.toThrow(/foreign key/i);
  });

  if (dialect === 'sqlite') {
    it('runs SQLite in WAL mode with a busy timeout', async () => {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
      expect(Number(Object.values(timeout.rows[0]!)[0])).toBeGreaterThanOrEqual(5000);
    });
  }
});
