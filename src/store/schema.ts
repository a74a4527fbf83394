import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { EducationTables } from './schema-education.js';
import type { PreparationTables } from './schema-preparation.js';
import type { OutcomesTables } from './schema-outcomes.js';
import type { PathwayTables } from './schema-pathway.js';

/**
 * The tables, as Kysely sees them. Conventions (DESIGN.md, Storage):
 * - ids are UUIDv7 text; instants are ISO-8601 UTC text (`2026-11-27T23:37:34.000Z`), dates are
 *   `YYYY-MM-DD` text; JSON goes through `store/json.ts`.
 * - every clinical row carries `clinic_id`.
 */
export interface Database extends EducationTables, PreparationTables, OutcomesTables, PathwayTables {
  clinic: ClinicTable;
  staff_user: StaffUserTable;
  staff_session: StaffSessionTable;
  throttle: ThrottleTable;
  password_reset: PasswordResetTable;
  patient: PatientTable;
  episode: EpisodeTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  outbox: OutboxTable;
}

export interface ClinicTable {
  id: string;
  name: string;
  time_zone: string;
  created_at: string;
}

export type Role = 'admin' | 'clinician' | 'lab' | 'coordinator';

export interface StaffUserTable {
  id: string;
  clinic_id: string;
  email: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface StaffSessionTable {
  /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
  token_hash: string;
  user_id: string;
  clinic_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string;
  user_agent: string;
}

/**
 * Every per-address and per-account limit (services/throttle.ts): one row per scope and key.
 * `key_hash` is a hash, never an address or an email; `clinic_id` is null for server-wide limits.
 */
export interface ThrottleTable {
  scope: string;
  key_hash: string;
  clinic_id: string | null;
  /** When the current window began (aligned to the window for fixed windows, e.g. UTC midnight). */
  window_start: string;
  /** Hits counted in the current window. */
  hits: number;
  last_at: string;
  /** The hit before the last one, whatever its window (for a minimum spacing between hits). */
  previous_at: string | null;
  locked_until: string | null;
}

export interface PasswordResetTable {
  token_hash: string;
  user_id: string;
  clinic_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientTable {
  id: string;
  clinic_id: string;
  mrn: string;
  given_name: string;
  family_name: string;
  /** Lower-cased, accent-free "family given" for search. */
  name_search: string;
  birth_date: string;
  sex: Sex;
  email: string | null;
  phone: string | null;
  preferred_language: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export type EpisodeStatus = 'open' | 'closed' | 'cancelled';

export interface EpisodeTable {
  id: string;
  clinic_id: string;
  patient_id: string;
  indication: string;
  icd10_code: string;
  status: EpisodeStatus;
  opened_on: string;
  closed_on: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  /** Planned injection date; follow-up schedules hang off it (added by 0004-outcomes). */
  planned_procedure_on: string | null;
}

export interface AuditEventTable {
  id: string;
  /** The hash chain this event belongs to: the clinic id, or `system`. */
  chain: string;
  chain_seq: number;
  clinic_id: string | null;
  at: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  patient_id: string | null;
  ip: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  chain: string;
  seq: number;
  hash: string;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: string;
  clinic_id: string | null;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export type ClinicRow = Selectable<ClinicTable>;
export type StaffUserRow = Selectable<StaffUserTable>;
export type PatientRow = Selectable<PatientTable>;
export type NewPatientRow = Insertable<PatientTable>;
export type PatientUpdate = Updateable<PatientTable>;
export type EpisodeRow = Selectable<EpisodeTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type OutboxRow = Selectable<OutboxTable>;
// Generated is re-exported so later tables can use database-assigned columns.
export type { Generated };
