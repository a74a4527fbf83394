import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// Two lookups that scanned every row of a clinic, found by bench/run.ts at demo scale (2,000
// patients): both indexes lead with clinic_id like every other.
//
// eligibility_decision (clinic_id, assessment_id): the worklist's "assessments awaiting a decision"
// asks, for each of the clinic's assessments, whether a decision was signed on it. Without this
// index each probe read all of the clinic's decisions (≈ 160 ms per worklist of an administrator
// or clinician on SQLite).
//
// follow_up_time_point (clinic_id, schedule_id, position): an episode's follow-up page, the survey
// page and stopping or resuming a schedule read a schedule's time points in order; they scanned
// all of the clinic's time points.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('eligibility_decision_assessment').on('eligibility_decision').columns(['clinic_id', 'assessment_id']).execute();
  await db.schema.createIndex('follow_up_time_point_schedule').on('follow_up_time_point').columns(['clinic_id', 'schedule_id', 'position']).execute();
}
