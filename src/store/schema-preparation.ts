import type { ColumnType } from 'kysely';

/**
 * A JSON column: written as a JSON string (`store/json.ts` `toJson`), read back as text on SQLite
 * and parsed on PostgreSQL (jsonb), so reads go through `fromJson`.
 */
type JsonColumn = ColumnType<unknown, string | null, string | null>;

/** Tables of the preparation capability (clinic protocols and their versions, preparation records). */
export interface PreparationTables {
  prep_protocol: ProtocolTable;
  prep_protocol_version: ProtocolVersionTable;
  preparation: PreparationTable;
}

/** A clinic's named protocol; its content lives in versions, which are never changed. */
export interface ProtocolTable {
  id: string;
  clinic_id: string;
  /** The current version's name (unique in the clinic). */
  name: string;
  current_version: number;
  created_at: string;
  updated_at: string;
}

export interface ProtocolVersionTable {
  id: string;
  clinic_id: string;
  protocol_id: string;
  version: number;
  name: string;
  description: string | null;
  /** A catalogue id from science/prp-systems.ts when the protocol runs a commercial kit. */
  system_id: string | null;
  /** `[{ rcf, minutes, temperatureC? }]`, force in × g. */
  spins: JsonColumn;
  rotor_radius_cm: number;
  rotor_type: string;
  centrifuge: string | null;
  /** `{ description, count, volumeMl? }`. */
  tubes: JsonColumn;
  anticoagulant_agent: string | null;
  anticoagulant_parts: number | null;
  anticoagulant_blood_parts: number | null;
  draw_volume_ml: number | null;
  target_volume_ml: number | null;
  activation_agent: string | null;
  activation_detail: string | null;
  notes: string | null;
  created_at: string;
  created_by_id: string | null;
}

/**
 * One PRP preparation on an episode. Counts and volumes are real columns with their unit in the
 * name; spins and the computed results are JSON. The computed results are stored with the
 * science library version that produced them and are only replaced by an edit or an explicit,
 * audited recompute.
 */
export interface PreparationTable {
  id: string;
  clinic_id: string;
  episode_id: string;
  patient_id: string;
  protocol_id: string | null;
  protocol_version_id: string | null;
  protocol_version: number | null;
  system_id: string | null;

  drawn_at: string;
  drawn_by_id: string | null;
  tube_lot: string | null;
  kit_lot: string | null;
  /** Blood drawn, anticoagulant excluded. */
  draw_volume_ml: number | null;
  anticoagulant_agent: string | null;
  anticoagulant_volume_ml: number | null;

  spins: JsonColumn;

  /** Anticoagulant of the baseline CBC tube (EDTA = native count; ACD-A dilutes it ~10 %). */
  wb_sample_anticoagulant: string | null;
  wb_platelets_k_per_ul: number | null;
  wb_wbc_k_per_ul: number | null;
  wb_neutrophils_k_per_ul: number | null;
  wb_rbc_m_per_ul: number | null;
  wb_hematocrit_pct: number | null;
  /** The analyser line the baseline counts were read from, when pasted. */
  wb_analyser_line: string | null;

  prp_volume_ml: number | null;
  prp_platelets_k_per_ul: number | null;
  prp_wbc_k_per_ul: number | null;
  prp_neutrophils_k_per_ul: number | null;
  prp_rbc_m_per_ul: number | null;
  prp_hematocrit_pct: number | null;
  prp_analyser_line: string | null;

  activation_agent: string | null;
  activation_detail: string | null;
  activation_timing: string | null;
  activation_minutes_before_injection: number | null;

  injected_volume_ml: number | null;
  injected_at: string | null;
  local_anaesthetic_agent: string | null;
  /** 1 = mixed into the PRP, 0 = given separately. */
  local_anaesthetic_mixed: number | null;
  local_anaesthetic_volume_ml: number | null;

  method: string | null;
  form: string | null;
  image_guided: number | null;
  imaging_modality: string | null;
  site: string | null;
  injection_count: number | null;
  injection_interval_days: number | null;
  concomitant_medication: string | null;
  rehabilitation: string | null;
  /** `["odi", "nrs"]`. */
  outcome_measures: JsonColumn;

  prepared_by_id: string | null;
  prepared_at: string | null;
  notes: string | null;

  /** Version of autolog/science that computed the values below. */
  science_version: string;
  computed_at: string;
  product_age_limit_hours: number;
  /** Copies of the headline results as columns, so outcome queries can group by them. */
  concentration_factor: number | null;
  platelet_dose_billion: number | null;
  recovery_pct: number | null;
  completeness_pct: number;
  /** `{ metrics, classifications, completeness, warnings, missingForMetrics, productAgeHours }`. */
  computed: JsonColumn;

  created_at: string;
  created_by_id: string;
  updated_at: string;
}
