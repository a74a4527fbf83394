import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// Clinic protocols and preparation records (preparation issue).
export async function up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {}
