import { sql } from 'kysely';
import type { Trx } from './db-helpers.js';

/** Writing the synthetic generators' rows straight to the tables, a bounded number per statement. */

/** Calls `write` with consecutive slices of at most `size` rows. */
export async function inChunks<T>(rows: readonly T[], size: number, write: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** planned_procedure_on = CASE id WHEN … THEN … END: one statement for many (episode id, date) pairs. */
export async function setPlannedDates(trx: Trx, clinicId: string, part: readonly (readonly [string, string])[]): Promise<void> {
  await trx.updateTable('episode')
    .set({ planned_procedure_on: sql<string>`case id ${sql.join(part.map(([eid, d]) => sql`when ${eid} then ${d}`), sql` `)} end` })
    .where('clinic_id', '=', clinicId).where('id', 'in', part.map(([eid]) => eid)).execute();
}
