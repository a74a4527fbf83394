import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// Instruments, follow-up schedules and time points, survey invitations, responses, scores (outcomes issue).
export async function up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {}
