import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** A colleague as records name them: who wrote, signed or checked something. */
export interface StaffRef {
  id: string;
  displayName: string;
}

/** The display names of the given staff of one clinic, in one query (ids may repeat or be null). */
export async function staffNames(db: Kysely<Database>, clinicId: string, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('staff_user').select(['id', 'display_name']).where('clinic_id', '=', clinicId).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export function staffRef(names: Map<string, string>, id: string | null | undefined): StaffRef | null {
  return id ? { id, displayName: names.get(id) ?? '(former staff)' } : null;
}
