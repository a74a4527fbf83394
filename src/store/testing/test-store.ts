import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { openStore, type Dialect, type Store } from '../db.js';
import { migrateToLatest } from '../migrate.js';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/**
 * A fresh, migrated store of the given dialect: a SQLite file in a temp dir, or a new database
 * on the suite's PostgreSQL server. Closing it removes it.
 */
export async function createTestStore(dialect: Dialect): Promise<Store> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-test-'));
    const store = openStore(path.join(dir, 'test.db'));
    await migrateToLatest(store);
    return { ...store, close: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const baseUrl = inject('postgresUrl');
  const name = `autolog_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(baseUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const store = openStore(url.toString(), { poolSize: 5 });
  await migrateToLatest(store);
  return {
    ...store,
    close: async () => {
      await store.close();
      await withAdmin(baseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * For a describe block: a fresh store of `dialect`, opened in a `beforeAll` and closed (removed) in
 * an `afterAll`. The object is filled in by the `beforeAll` (hooks registered later run after it),
 * so it can be taken at describe time.
 */
export function useTestStore(dialect: Dialect): Store {
  const store = {} as Store;
  beforeAll(async () => {
    Object.assign(store, await createTestStore(dialect));
  });
  afterAll(async () => store.close?.());
  return store;
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
