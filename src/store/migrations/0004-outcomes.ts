import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { jsonColumnType } from '../json.js';

// Instruments, follow-up schedules and time points, survey links, contacts, responses, scores,
// treatment failures (outcomes issue). Portable types only; every index on a clinic's rows starts
// with clinic_id. Scores are double precision (REAL affinity in SQLite) so SQL can average them.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const json = jsonColumnType(dialect);

  // Until the pathway issue records the procedure itself, follow-ups hang off this planned date.
  await db.schema.alterTable('episode').addColumn('planned_procedure_on', 'text').execute();
  // Outcome summaries pick their cohort by procedure date; indication and id make it an index-only read.
  await db.schema.createIndex('episode_clinic_procedure').on('episode').columns(['clinic_id', 'planned_procedure_on', 'indication', 'id']).execute();

  await db.schema
    .createTable('outcome_settings')
    .addColumn('clinic_id', 'text', (c) => c.primaryKey().references('clinic.id'))
    .addColumn('contact_text', 'text')
    .addColumn('protocol_json', json)
    .addColumn('baseline_instruments_json', json)
    .addColumn('follow_up_instruments_json', json)
    .addColumn('reminder_days_json', json)
    .addColumn('responder_rule_json', json)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // Imported (licensed) copies of instruments; the built-ins live in src/science/instruments.ts.
  await db.schema
    .createTable('instrument')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('questionnaire_json', json, (c) => c.notNull())
    .addColumn('source_json', json, (c) => c.notNull())
    .addColumn('link_map_json', json, (c) => c.notNull())
    .addColumn('licence_note', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('instrument_clinic_code').on('instrument').columns(['clinic_id', 'code', 'active']).execute();

  await db.schema
    .createTable('follow_up_schedule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('anchor_on', 'text', (c) => c.notNull())
    .addColumn('protocol_json', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stop_reason', 'text')
    .addColumn('stopped_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('follow_up_schedule_episode', ['clinic_id', 'episode_id'])
    .execute();

  await db.schema
    .createTable('follow_up_time_point')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('follow_up_schedule.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('window_start_on', 'text', (c) => c.notNull())
    .addColumn('window_end_on', 'text', (c) => c.notNull())
    .addColumn('instruments_json', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stop_reason', 'text')
    .addColumn('sends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_send_on', 'text')
    .addColumn('invited_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('follow_up_time_point_code', ['clinic_id', 'episode_id', 'code'])
    .execute();
  // The summary's completion counts, read from this narrow index alone (index-only scan).
  await db.schema.createIndex('follow_up_time_point_summary').on('follow_up_time_point')
    .columns(['clinic_id', 'episode_id', 'code', 'status', 'window_start_on', 'invited_at', 'stop_reason']).execute();
  // The scheduler's work list (open, next send due) and the coordinator's phone worklist.
  await db.schema.createIndex('follow_up_time_point_send').on('follow_up_time_point').columns(['clinic_id', 'status', 'next_send_on']).execute();
  await db.schema.createIndex('follow_up_time_point_window').on('follow_up_time_point').columns(['clinic_id', 'status', 'window_end_on']).execute();

  // One row per emailed link: only the SHA-256 of the token is kept. Looked up by hash before the
  // clinic is known (like staff_session), hence the primary key on the hash alone.
  await db.schema
    .createTable('survey_link')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('time_point_id', 'text', (c) => c.notNull().references('follow_up_time_point.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('survey_link_clinic_time_point').on('survey_link').columns(['clinic_id', 'time_point_id']).execute();

  // Every contact attempt: emailed invitation (send 0) and reminders (1, 2, …), phone calls,
  // opt-outs. The unique send number makes each email go exactly once across servers.
  await db.schema
    .createTable('follow_up_contact')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('time_point_id', 'text', (c) => c.notNull().references('follow_up_time_point.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('send_number', 'integer')
    .addColumn('outbox_id', 'text', (c) => c.references('outbox.id'))
    .addColumn('outcome', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('staff_user.id'))
    .addColumn('created_by_label', 'text')
    .addUniqueConstraint('follow_up_contact_send', ['clinic_id', 'time_point_id', 'send_number'])
    .execute();

  await db.schema
    .createTable('survey_response')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('time_point_id', 'text', (c) => c.notNull().references('follow_up_time_point.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('time_point_code', 'text', (c) => c.notNull())
    .addColumn('instrument_code', 'text', (c) => c.notNull())
    .addColumn('instrument_version', 'text', (c) => c.notNull())
    .addColumn('instrument_id', 'text', (c) => c.references('instrument.id'))
    .addColumn('answers_json', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('recall_period', 'text')
    .addColumn('score', 'double precision')
    // A follow-up's copy of the completed baseline score of the same instrument (kept in step by
    // the one write path, services/outcome-responses.ts), so the summary needs no self-join.
    .addColumn('baseline_score', 'double precision')
    .addColumn('score_detail_json', json)
    .addColumn('science_version', 'text')
    .addColumn('entered_by', 'text', (c) => c.references('staff_user.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    // One response per time point and instrument: a double submit updates, never duplicates.
    // Also the baseline lookup of the summary (same episode and instrument, time point 'baseline').
    .addUniqueConstraint('survey_response_one', ['clinic_id', 'episode_id', 'time_point_code', 'instrument_code'])
    .execute();
  await db.schema.createIndex('survey_response_time_point').on('survey_response').columns(['clinic_id', 'time_point_id']).execute();
  // The summary reads one clinic's completed scores from this narrow index alone (index-only scan).
  await db.schema.createIndex('survey_response_summary').on('survey_response')
    .columns(['clinic_id', 'status', 'instrument_code', 'time_point_code', 'episode_id', 'score', 'baseline_score']).execute();

  await db.schema
    .createTable('treatment_failure')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('staff_user.id'))
    .execute();
  await db.schema.createIndex('treatment_failure_episode').on('treatment_failure').columns(['clinic_id', 'episode_id', 'occurred_on']).execute();

  // The outcome summary pre-aggregated per procedure month: additive counts and sums (Σ score,
  // Σd, Σd², responders) that any month-aligned cohort sums in milliseconds whatever the clinic's
  // size. Rebuilt by the scheduler for large clinics; small ones are always summarised live.
  await db.schema
    .createTable('outcome_rollup')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
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
    .addPrimaryKeyConstraint('outcome_rollup_pk', ['clinic_id', 'kind', 'indication', 'procedure_month', 'time_point_code', 'instrument_code'])
    .execute();
  await db.schema
    .createTable('outcome_rollup_state')
    .addColumn('clinic_id', 'text', (c) => c.primaryKey().references('clinic.id'))
    .addColumn('computed_at', 'text')
    .addColumn('as_of', 'text')
    .addColumn('rule_json', 'text')
    .addColumn('time_points', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Wrong survey links per address (an HMAC under the day's salt, never the address itself).
  await db.schema
    .createTable('survey_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
}
