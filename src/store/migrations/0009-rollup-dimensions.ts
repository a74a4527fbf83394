import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// The outcome rollup gets two dimensions, the clinician who performed a recorded injection and a
// structure injected ('' = all in each), so a summary filtered by them is read from the month cells
// too (services/outcome-summary.ts explains why such cells are exact although they overlap).
//
// Rollup rows are derived data: the table is recreated with the new columns in its primary key
// (SQLite cannot change a primary key in place), and every clinic's state is marked as never
// computed, so summaries are computed live until the scheduler's next pass rebuilds the cells.
// The key leads with what every read fixes (clinic, kind, clinician, structure), then the optional
// indication and the month range.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.dropTable('outcome_rollup').execute();
  await db.schema
    .createTable('outcome_rollup')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('clinician_id', 'text', (c) => c.notNull())
    .addColumn('structure', 'text', (c) => c.notNull())
    .addColumn('indication', 'text', (c) => c.notNull())
    .addColumn('procedure_month', 'text', (c) => c.notNull())
    .addColumn('time_point_code', 'text', (c) => c.notNull())
    .addColumn('instrument_code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer')
    .addColumn('label', 'text')
    .addColumn('scheduled', 'integer')
    .addColumn('due', 'integer')
    .addColumn('invited', 'integer')
    .addColumn('completed', 'integer')
    .addColumn('stopped', 'integer')
    .addColumn('opted_out', 'integer')
    .addColumn('scored', 'integer')
    .addColumn('sum_score', 'double precision')
    .addColumn('pairs', 'integer')
    .addColumn('sum_d', 'double precision')
    .addColumn('sum_d2', 'double precision')
    .addColumn('responders', 'integer')
    .addColumn('evaluable', 'integer')
    .addPrimaryKeyConstraint('outcome_rollup_pk', ['clinic_id', 'kind', 'clinician_id', 'structure', 'indication', 'procedure_month', 'time_point_code', 'instrument_code'])
    .execute();
  await sql`update outcome_rollup_state set computed_at = null, as_of = null`.execute(db);
}
