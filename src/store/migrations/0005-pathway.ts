import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// Leads, assessments, decisions, consent, instructions, specimens and custody, procedures, adverse events (pathway issue).
export async function up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {}
