import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { jsonColumnType } from '../json.js';

// Outcome summary filters by clinician and target structure, and responder rules per instrument.
//
// injection_target: one row per target of a recorded injection, the normalised copy of
// injection_procedure.targets_json (written in the same transaction by recordProcedure), so that
// "episodes injected into a facet joint" is an index lookup, not a JSON scan of every procedure.
// The summary filters with EXISTS on (clinic_id, structure, episode_id) and, for the clinician,
// on injection_procedure (clinic_id, performed_by, episode_id): both index-only on PostgreSQL.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('injection_target')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('procedure_id', 'text', (c) => c.notNull().references('injection_procedure.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('structure', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('side', 'text')
    .addColumn('volume_ml', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('injection_target_pk', ['clinic_id', 'procedure_id', 'position'])
    .execute();
  await db.schema.createIndex('injection_target_structure').on('injection_target').columns(['clinic_id', 'structure', 'episode_id']).execute();
  await db.schema.createIndex('injection_procedure_performer').on('injection_procedure').columns(['clinic_id', 'performed_by', 'episode_id']).execute();
  await backfillInjectionTargets(db, dialect);

  // Responder rules per instrument (instrument code → rule); null = Autolog's defaults. The older
  // single responder_rule_json is still read for a clinic that set one (it becomes the rule of
  // the instrument it reads, see services/outcome-settings.ts).
  await db.schema.alterTable('outcome_settings').addColumn('responder_rules_json', jsonColumnType(dialect)).execute();
}

/** Copies every recorded injection's targets into injection_target (idempotent: skips procedures already copied). */
export async function backfillInjectionTargets(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`
      insert into injection_target (clinic_id, procedure_id, episode_id, position, structure, level, side, volume_ml)
      select p.clinic_id, p.id, p.episode_id, (t.ord - 1)::integer, t.value->>'structure', t.value->>'level', t.value->>'side', (t.value->>'volumeMl')::double precision
      from injection_procedure p cross join lateral jsonb_array_elements(p.targets_json) with ordinality as t(value, ord)
      where not exists (select 1 from injection_target x where x.clinic_id = p.clinic_id and x.procedure_id = p.id)`.execute(db);
  } else {
    await sql`
      insert into injection_target (clinic_id, procedure_id, episode_id, position, structure, level, side, volume_ml)
      select p.clinic_id, p.id, p.episode_id, cast(t.key as integer), json_extract(t.value, '$.structure'), json_extract(t.value, '$.level'), json_extract(t.value, '$.side'), json_extract(t.value, '$.volumeMl')
      from injection_procedure p, json_each(p.targets_json) t
      where not exists (select 1 from injection_target x where x.clinic_id = p.clinic_id and x.procedure_id = p.id)`.execute(db);
  }
}
