import type { ColumnType } from 'kysely';

/** JSON column: written as a JSON string (`toJson`), read back as text (SQLite) or parsed (jsonb); read through `fromJson`. */
type JsonColumn = ColumnType<unknown, string | null, string | null>;

/** Tables of the clinical pathway (screening leads, assessment, decision, consent, custody, procedure, adverse events). */
export interface PathwayTables {
  pathway_settings: PathwaySettingsTable;
  lead: LeadTable;
  assessment: AssessmentTable;
  eligibility_decision: EligibilityDecisionTable;
  consent_template: ConsentTemplateTable;
  consent: ConsentTable;
  instruction_send: InstructionSendTable;
  specimen: SpecimenTable;
  custody_event: CustodyEventTable;
  bedside_verification: BedsideVerificationTable;
  injection_procedure: InjectionProcedureTable;
  adverse_event: AdverseEventTable;
}

/**
 * A clinic's pathway settings: `settings_json` holds only what differs from Autolog's defaults
 * (wash-outs and thresholds of the contraindication engine, the product's time limit).
 */
export interface PathwaySettingsTable {
  clinic_id: string;
  settings_json: JsonColumn;
  instructions_before_text: string | null;
  instructions_after_text: string | null;
  updated_at: string;
  updated_by: string | null;
}

export type LeadStatus = 'new' | 'contacted' | 'booked' | 'closed';

/** A consultation request from the public self-screening. */
export interface LeadTable {
  id: string;
  clinic_id: string;
  status: LeadStatus;
  name: string;
  email: string | null;
  phone: string | null;
  preferred_time: string | null;
  /** The person ticked "you may contact me" (required; kept as the record of consent). */
  contact_consent_at: string;
  /** `{ painLocations, duration, tried }` — red flags were all answered no, or nothing was stored. */
  answers_json: JsonColumn;
  patient_id: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

/** One version of an episode's assessment; a change is a new version, never an edit. */
export interface AssessmentTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  version: number;
  /** The whole `Assessment` of autolog/science. */
  data_json: JsonColumn;
  created_at: string;
  created_by: string;
}

export type DecisionOutcome = 'eligible' | 'not-eligible' | 'deferred';

/** A signed eligibility decision. Never changed: a new decision supersedes it. */
export interface EligibilityDecisionTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  assessment_id: string;
  assessment_version: number;
  outcome: DecisionOutcome;
  rationale: string;
  /** The engine's `ContraindicationResult` the clinician signed against. */
  findings_json: JsonColumn;
  /** Codes of the relative findings acknowledged. */
  acknowledged_json: JsonColumn;
  override_reason: string | null;
  planned_procedure_on: string | null;
  science_version: string;
  settings_json: JsonColumn;
  supersedes_id: string | null;
  signed_by: string;
  signed_by_label: string;
  signed_at: string;
}

export type ConsentKind = 'procedure' | 'registry';

/** One version of the clinic's consent text; a change is a new version. */
export interface ConsentTemplateTable {
  id: string;
  clinic_id: string;
  kind: ConsentKind;
  version: number;
  title: string;
  body_markdown: string;
  body_sha256: string;
  created_at: string;
  created_by: string;
}

export type SignatureKind = 'png' | 'svg-path';
export type ConsentStatus = 'signed' | 'withdrawn';

/** A signed consent: immutable apart from a later withdrawal. */
export interface ConsentTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  kind: ConsentKind;
  template_id: string;
  template_version: number;
  /** SHA-256 of the exact text signed, so a print can prove it shows that text. */
  body_sha256: string;
  signed_name: string;
  signature_kind: SignatureKind;
  /** A PNG data URL, or SVG path data. */
  signature_data: string;
  signature_width: number;
  signature_height: number;
  signed_at: string;
  collected_by: string;
  status: ConsentStatus;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}

export type InstructionReason = 'initial' | 'resend' | 'date-changed';

/** Instructions emailed to a patient, with what they said. */
export interface InstructionSendTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  planned_procedure_on: string | null;
  reason: InstructionReason;
  to_address: string;
  outbox_id: string;
  content_json: JsonColumn;
  created_at: string;
  created_by: string | null;
}

export type SpecimenStatus = 'drawn' | 'centrifuged' | 'prepared' | 'verified' | 'injected' | 'discarded';

/** The patient's drawn blood and the product made from it, followed from arm to injection. */
export interface SpecimenTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  /** Canonical specimen code (what the barcode carries); unique in the clinic. */
  code: string;
  status: SpecimenStatus;
  drawn_at: string;
  drawn_by: string;
  expires_at: string;
  product_age_limit_hours: number;
  draw_volume_ml: number | null;
  tube_count: number | null;
  preparation_id: string | null;
  prp_volume_ml: number | null;
  discard_reason: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** One step in a specimen's custody: who, when, what. Append-only. */
export interface CustodyEventTable {
  id: string;
  clinic_id: string;
  specimen_id: string;
  episode_id: string;
  patient_id: string;
  type: SpecimenStatus;
  at: string;
  by_id: string;
  by_label: string;
  detail_json: JsonColumn;
  recorded_at: string;
}

/** Every bedside identity check, passed or failed. */
export interface BedsideVerificationTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  specimen_id: string | null;
  scanned_code: string;
  scanned_mrn: string;
  entered_birth_date: string;
  result: 'passed' | 'failed';
  mismatches_json: JsonColumn;
  expired: number;
  expiry_override_reason: string | null;
  verified_by: string;
  verified_by_label: string;
  verified_at: string;
  /** A failed check's alert, acknowledged by a clinician or administrator with a note (migration 0007). */
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
}

/** The injection. Immutable once recorded. */
export interface InjectionProcedureTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  specimen_id: string;
  preparation_id: string | null;
  verification_id: string;
  performed_at: string;
  performed_by: string;
  assistant_id: string | null;
  targets_json: JsonColumn;
  total_volume_ml: number;
  prp_available_ml: number;
  image_guidance: string;
  needle_json: JsonColumn;
  local_anaesthetic_json: JsonColumn;
  contrast_json: JsonColumn;
  antibiotic_json: JsonColumn;
  complications_json: JsonColumn;
  discharge_instructions: string | null;
  warnings_json: JsonColumn;
  notes: string | null;
  science_version: string;
  created_at: string;
  created_by: string;
}

export type AdverseEventCategory = 'pain-flare' | 'infection-discitis' | 'vasovagal' | 'bleeding-haematoma' | 'neurological' | 'allergic' | 'other';
export type AdverseEventSeverity = 'mild' | 'moderate' | 'severe' | 'life-threatening';
export type AdverseEventRelatedness = 'unrelated' | 'unlikely' | 'possible' | 'probable' | 'definite';
export type AdverseEventOutcome = 'recovered' | 'recovering' | 'not-recovered' | 'recovered-with-sequelae' | 'fatal' | 'unknown';

export interface AdverseEventTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  procedure_id: string | null;
  onset_on: string;
  category: AdverseEventCategory;
  severity: AdverseEventSeverity;
  /** Serious events stay flagged on every home screen until a clinician reviews them. */
  serious: number;
  relatedness: AdverseEventRelatedness;
  outcome: AdverseEventOutcome;
  description: string;
  reported_at: string;
  reported_by: string;
  updated_at: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
}
