import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// A failed bedside identity check is an alert on the home screens until a clinician or an
// administrator acknowledges it with a note (who, when, what was done). Nullable columns on the
// existing table: a check is never changed otherwise, and the acknowledgement is audited.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('bedside_verification').addColumn('acknowledged_at', 'text').execute();
  await db.schema.alterTable('bedside_verification').addColumn('acknowledged_by', 'text', (c) => c.references('staff_user.id')).execute();
  await db.schema.alterTable('bedside_verification').addColumn('acknowledgement_note', 'text').execute();
}
