import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// Articles, revisions, references, comments, daily view counts (education issue).
export async function up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {}
