import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { jsonColumnType } from '../json.js';

// Clinic protocols and preparation records (preparation issue). Portable types only: text,
// integer, and double precision for measured quantities (REAL affinity on SQLite, float8 on
// PostgreSQL — never `real`, which is single precision on PostgreSQL).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const json = jsonColumnType(dialect);
  const float = 'double precision';

  await db.schema
    .createTable('prep_protocol')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('prep_protocol_clinic_name', ['clinic_id', 'name'])
    .execute();

  await db.schema
    .createTable('prep_protocol_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('protocol_id', 'text', (c) => c.notNull().references('prep_protocol.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('system_id', 'text')
    .addColumn('spins', json, (c) => c.notNull())
    .addColumn('rotor_radius_cm', float, (c) => c.notNull())
    .addColumn('rotor_type', 'text', (c) => c.notNull())
    .addColumn('centrifuge', 'text')
    .addColumn('tubes', json)
    .addColumn('anticoagulant_agent', 'text')
    .addColumn('anticoagulant_parts', float)
    .addColumn('anticoagulant_blood_parts', float)
    .addColumn('draw_volume_ml', float)
    .addColumn('target_volume_ml', float)
    .addColumn('activation_agent', 'text')
    .addColumn('activation_detail', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text', (c) => c.references('staff_user.id'))
    .addUniqueConstraint('prep_protocol_version_number', ['clinic_id', 'protocol_id', 'version'])
    .execute();

  await db.schema
    .createTable('preparation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('protocol_id', 'text', (c) => c.references('prep_protocol.id'))
    .addColumn('protocol_version_id', 'text', (c) => c.references('prep_protocol_version.id'))
    .addColumn('protocol_version', 'integer')
    .addColumn('system_id', 'text')
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .addColumn('drawn_by_id', 'text', (c) => c.references('staff_user.id'))
    .addColumn('tube_lot', 'text')
    .addColumn('kit_lot', 'text')
    .addColumn('draw_volume_ml', float)
    .addColumn('anticoagulant_agent', 'text')
    .addColumn('anticoagulant_volume_ml', float)
    .addColumn('spins', json)
    .addColumn('wb_sample_anticoagulant', 'text')
    .addColumn('wb_platelets_k_per_ul', float)
    .addColumn('wb_wbc_k_per_ul', float)
    .addColumn('wb_neutrophils_k_per_ul', float)
    .addColumn('wb_rbc_m_per_ul', float)
    .addColumn('wb_hematocrit_pct', float)
    .addColumn('wb_analyser_line', 'text')
    .addColumn('prp_volume_ml', float)
    .addColumn('prp_platelets_k_per_ul', float)
    .addColumn('prp_wbc_k_per_ul', float)
    .addColumn('prp_neutrophils_k_per_ul', float)
    .addColumn('prp_rbc_m_per_ul', float)
    .addColumn('prp_hematocrit_pct', float)
    .addColumn('prp_analyser_line', 'text')
    .addColumn('activation_agent', 'text')
    .addColumn('activation_detail', 'text')
    .addColumn('activation_timing', 'text')
    .addColumn('activation_minutes_before_injection', float)
    .addColumn('injected_volume_ml', float)
    .addColumn('injected_at', 'text')
    .addColumn('local_anaesthetic_agent', 'text')
    .addColumn('local_anaesthetic_mixed', 'integer')
    .addColumn('local_anaesthetic_volume_ml', float)
    .addColumn('method', 'text')
    .addColumn('form', 'text')
    .addColumn('image_guided', 'integer')
    .addColumn('imaging_modality', 'text')
    .addColumn('site', 'text')
    .addColumn('injection_count', 'integer')
    .addColumn('injection_interval_days', 'integer')
    .addColumn('concomitant_medication', 'text')
    .addColumn('rehabilitation', 'text')
    .addColumn('outcome_measures', json)
    .addColumn('prepared_by_id', 'text', (c) => c.references('staff_user.id'))
    .addColumn('prepared_at', 'text')
    .addColumn('notes', 'text')
    .addColumn('science_version', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('product_age_limit_hours', float, (c) => c.notNull())
    .addColumn('concentration_factor', float)
    .addColumn('platelet_dose_billion', float)
    .addColumn('recovery_pct', float)
    .addColumn('completeness_pct', float, (c) => c.notNull())
    .addColumn('computed', json, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // An episode's preparations in draw order; a patient's across episodes; the lab's worklist by
  // day; and which stored results a science upgrade would recompute.
  await db.schema.createIndex('preparation_clinic_episode').on('preparation').columns(['clinic_id', 'episode_id', 'drawn_at']).execute();
  await db.schema.createIndex('preparation_clinic_patient').on('preparation').columns(['clinic_id', 'patient_id', 'drawn_at']).execute();
  await db.schema.createIndex('preparation_clinic_drawn').on('preparation').columns(['clinic_id', 'drawn_at']).execute();
  await db.schema.createIndex('preparation_clinic_protocol').on('preparation').columns(['clinic_id', 'protocol_version_id']).execute();
  await db.schema.createIndex('preparation_clinic_science').on('preparation').columns(['clinic_id', 'science_version']).execute();
}
