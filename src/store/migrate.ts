import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect, Store } from './db.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-education.js';
import * as m0003 from './migrations/0003-preparation.js';
import * as m0004 from './migrations/0004-outcomes.js';
import * as m0005 from './migrations/0005-pathway.js';
import * as m0006 from './migrations/0006-throttle.js';
import * as m0007 from './migrations/0007-bedside-alert-ack.js';
import * as m0008 from './migrations/0008-outcome-filters.js';
import * as m0009 from './migrations/0009-rollup-dimensions.js';
import * as m0010 from './migrations/0010-pathway-indexes.js';

interface DialectAwareMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Every migration, in order. Names are never changed once released. */
const MIGRATIONS: Record<string, DialectAwareMigration> = {
  '0001-foundation': m0001,
  '0002-education': m0002,
  '0003-preparation': m0003,
  '0004-outcomes': m0004,
  '0005-pathway': m0005,
  '0006-throttle': m0006,
  '0007-bedside-alert-ack': m0007,
  '0008-outcome-filters': m0008,
  '0009-rollup-dimensions': m0009,
  '0010-pathway-indexes': m0010,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.dialect) }]),
    );
  }
}

/** Brings the schema up to date; each migration runs in its own transaction. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: new StaticProvider(store.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
