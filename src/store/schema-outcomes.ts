import type { Selectable } from 'kysely';

/** Tables of the outcomes capability (instruments, schedules, invitations, responses, scores). */
export interface OutcomesTables {
  outcome_settings: OutcomeSettingsTable;
  instrument: InstrumentTable;
  follow_up_schedule: FollowUpScheduleTable;
  follow_up_time_point: FollowUpTimePointTable;
  survey_link: SurveyLinkTable;
  follow_up_contact: FollowUpContactTable;
  survey_response: SurveyResponseTable;
  treatment_failure: TreatmentFailureTable;
  outcome_rollup: OutcomeRollupTable;
  outcome_rollup_state: OutcomeRollupStateTable;
  injection_target: InjectionTargetTable;
}

/**
 * JSON columns: text in SQLite, jsonb in PostgreSQL. Written as a JSON string, read back as
 * text or parsed (store/json.ts `fromJson` handles both).
 */
export type JsonColumn = unknown;

/** A clinic's outcome settings; every null column means "Autolog's default". */
export interface OutcomeSettingsTable {
  clinic_id: string;
  /** How patients reach the clinic, shown on every survey page ("Call 020 … or email …"). */
  contact_text: string | null;
  protocol_json: JsonColumn | null;
  baseline_instruments_json: JsonColumn | null;
  follow_up_instruments_json: JsonColumn | null;
  reminder_days_json: JsonColumn | null;
  /** the clinic's single rule before per-instrument rules (read only when responder_rules_json is null) */
  responder_rule_json: JsonColumn | null;
  /** instrument code → responder rule (migration 0008) */
  responder_rules_json: JsonColumn | null;
  updated_at: string;
  updated_by: string | null;
}

/** A clinic's imported (licensed) copy of an instrument, mapped onto its structure. */
export interface InstrumentTable {
  id: string;
  clinic_id: string;
  code: string;
  version: string;
  title: string;
  /** canonical copy: linkIds and answer codes of the instrument's structure, the clinic's wording */
  questionnaire_json: JsonColumn;
  /** the file as imported */
  source_json: JsonColumn;
  link_map_json: JsonColumn;
  licence_note: string | null;
  active: number;
  imported_by: string;
  imported_at: string;
}

export type FollowUpScheduleStatus = 'active' | 'stopped';
export type FollowUpStopReason = 'episode-cancelled' | 'opted-out' | 'procedure-unplanned';

export interface FollowUpScheduleTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  /** The procedure date the time points are computed from. */
  anchor_on: string;
  /** The protocol in force when the schedule was attached (a copy: later setting changes do not move it). */
  protocol_json: JsonColumn;
  status: FollowUpScheduleStatus;
  stop_reason: FollowUpStopReason | null;
  stopped_at: string | null;
  created_at: string;
  updated_at: string;
}

export type TimePointStatus = 'open' | 'completed' | 'stopped';

export interface FollowUpTimePointTable {
  id: string;
  clinic_id: string;
  schedule_id: string;
  episode_id: string;
  patient_id: string;
  code: string;
  label: string;
  position: number;
  due_on: string;
  window_start_on: string;
  window_end_on: string;
  /** Instrument codes asked at this time point, in order. */
  instruments_json: JsonColumn;
  status: TimePointStatus;
  stop_reason: FollowUpStopReason | null;
  /** Emails sent so far (invitation + reminders). */
  sends: number;
  /** The day the next email is due; null when no more are planned. */
  next_send_on: string | null;
  invited_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SurveyLinkTable {
  /** SHA-256 of the link's token; the token itself is only ever in the email. */
  token_hash: string;
  clinic_id: string;
  time_point_id: string;
  created_at: string;
  last_used_at: string | null;
}

export type ContactChannel = 'email' | 'phone' | 'web';
export type ContactKind = 'invitation' | 'reminder' | 'call' | 'opt-out';
export type CallOutcome = 'reached' | 'no-answer' | 'declined' | 'wrong-number';

export interface FollowUpContactTable {
  id: string;
  clinic_id: string;
  time_point_id: string;
  patient_id: string;
  channel: ContactChannel;
  kind: ContactKind;
  /** 0 = invitation, 1… = reminders; null for calls and opt-outs. Unique per time point. */
  send_number: number | null;
  /** The email's outbox row: its status shows delivery and bounces ('failed'). */
  outbox_id: string | null;
  outcome: CallOutcome | null;
  note: string | null;
  created_at: string;
  created_by: string | null;
  created_by_label: string | null;
}

export type ResponseStatus = 'in-progress' | 'completed';
export type ResponseMode = 'web' | 'phone' | 'paper';

export interface SurveyResponseTable {
  id: string;
  clinic_id: string;
  time_point_id: string;
  episode_id: string;
  patient_id: string;
  time_point_code: string;
  instrument_code: string;
  /** The wording's version (built-in `autolog-1` or the imported copy's version). */
  instrument_version: string;
  /** The imported copy answered, when not a built-in. */
  instrument_id: string | null;
  /** linkId → answer, in the instrument's canonical linkIds. */
  answers_json: JsonColumn;
  status: ResponseStatus;
  mode: ResponseMode;
  recall_period: string | null;
  score: number | null;
  /** For a follow-up: the completed baseline's score of the same instrument (null at baseline or without one). */
  baseline_score: number | null;
  score_detail_json: JsonColumn | null;
  /** SCIENCE_VERSION of the library that computed `score`. */
  science_version: string | null;
  entered_by: string | null;
  started_at: string;
  updated_at: string;
  completed_at: string | null;
}

export type TreatmentFailureKind = 'repeat-injection' | 'surgery' | 'other-escalation';

export interface TreatmentFailureTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  kind: TreatmentFailureKind;
  occurred_on: string;
  notes: string | null;
  created_at: string;
  created_by: string | null;
}

export type RollupKind = 'time-point' | 'instrument' | 'responders';

/**
 * One additive cell of the pre-aggregated summary (columns used depend on `kind`). Cells of one
 * (clinician_id, structure) pair add up over months and indications; cells of different pairs
 * overlap and are never summed together (services/outcome-summary.ts).
 */
export interface OutcomeRollupTable {
  clinic_id: string;
  kind: RollupKind;
  /** staff id of a clinician who performed a recorded injection of the episode; '' = every episode */
  clinician_id: string;
  /** a structure injected in the episode (injection target code); '' = every episode */
  structure: string;
  indication: string;
  /** 'YYYY-MM' of the planned procedure date */
  procedure_month: string;
  time_point_code: string;
  /** '' for time-point cells; the rule's instrument for responder cells */
  instrument_code: string;
  position: number | null;
  label: string | null;
  scheduled: number | null;
  due: number | null;
  invited: number | null;
  completed: number | null;
  stopped: number | null;
  opted_out: number | null;
  scored: number | null;
  sum_score: number | null;
  pairs: number | null;
  sum_d: number | null;
  sum_d2: number | null;
  responders: number | null;
  evaluable: number | null;
}

export interface OutcomeRollupStateTable {
  clinic_id: string;
  computed_at: string | null;
  /** the clinic's date the counts of due time points were taken on */
  as_of: string | null;
  /** the responder rules (JSON text of the instrument → rule map) the responder cells were counted with */
  rule_json: string | null;
  time_points: number;
}

/**
 * One target of a recorded injection: the normalised copy of injection_procedure.targets_json,
 * written with the procedure (migration 0008), read by the outcome summary's structure filter.
 */
export interface InjectionTargetTable {
  clinic_id: string;
  procedure_id: string;
  episode_id: string;
  /** index in targets_json */
  position: number;
  structure: string;
  level: string | null;
  side: string | null;
  volume_ml: number;
}

export type InstrumentRow = Selectable<InstrumentTable>;
export type FollowUpScheduleRow = Selectable<FollowUpScheduleTable>;
export type FollowUpTimePointRow = Selectable<FollowUpTimePointTable>;
export type FollowUpContactRow = Selectable<FollowUpContactTable>;
export type SurveyResponseRow = Selectable<SurveyResponseTable>;
export type TreatmentFailureRow = Selectable<TreatmentFailureTable>;
