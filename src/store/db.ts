import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for logs (never includes a password). */
  describe: string;
  close(): Promise<void>;
}

// COUNT(*) and other int8 values: exact as JS numbers far beyond any clinic's row counts.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens the store named by `databaseUrl`: a postgres:// URL or a SQLite file path. */
export function openStore(databaseUrl: string, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Store {
  if (isPostgresUrl(databaseUrl)) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
    // An idle pooled connection can be cut by the server (restart, failover, a dropped database).
    // pg reports that as an 'error' event, which would crash the process if nobody listened; the
    // pool discards the client and the next query opens a new connection or fails visibly.
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(databaseUrl);
    url.password = '';
    return { db, dialect: 'postgres', describe: url.toString(), close: () => db.destroy() };
  }
  const file = databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // NORMAL in WAL mode survives a process crash (the case we promise); a power cut may lose
  // the last transactions, which FULL would prevent at a cost per commit.
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', describe: path.resolve(file), close: () => db.destroy() };
}

/**
 * SQLite transactions that start with BEGIN IMMEDIATE: a deferred transaction that reads and then
 * writes can fail with SQLITE_BUSY at once when another process (the CLI beside the server)
 * writes, whereas an immediate one waits its turn under busy_timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}
