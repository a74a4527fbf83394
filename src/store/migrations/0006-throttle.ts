import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// One table for every per-address and per-account limit (services/throttle.ts), replacing
// login_throttle (0001), comment_throttle (0002), survey_throttle (0004) and screening_throttle
// (0005). Those four held only short-lived counters (a day at most, their keys hashed under
// salts that are deleted after two days), so they are dropped, not copied: the worst a deploy
// can do is give an address or an account a fresh count.
//
// A row is one key of one scope: `key_hash` is never a raw address or email (services/throttle.ts
// says how each scope hashes), and it folds in the clinic where a limit is per clinic, so
// (scope, key_hash) is the key. `clinic_id` is null for server-wide limits (sign-in, survey
// links); the table is not a clinic's data, so its index starts with scope, not clinic_id.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('throttle')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('clinic_id', 'text', (c) => c.references('clinic.id'))
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('previous_at', 'text')
    .addColumn('locked_until', 'text')
    .addPrimaryKeyConstraint('throttle_pk', ['scope', 'key_hash'])
    .execute();
  // Expired rows are swept by scope and age.
  await db.schema.createIndex('throttle_scope_window').on('throttle').columns(['scope', 'window_start']).execute();

  for (const table of ['login_throttle', 'comment_throttle', 'survey_throttle', 'screening_throttle']) {
    await db.schema.dropTable(table).execute();
  }
}
