import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { jsonColumnType } from '../json.js';

// Leads, assessments, decisions, consent, instructions, specimens and custody, procedures, adverse
// events (pathway issue). Portable types only (text, integer, double precision); every index on a
// clinic's rows starts with clinic_id. Signed and clinical records are append-only by design: the
// services never update a decision, a signed consent (except its withdrawal), a custody event, a
// bedside verification or a procedure.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const json = jsonColumnType(dialect);
  const float = 'double precision';

  await db.schema
    .createTable('pathway_settings')
    .addColumn('clinic_id', 'text', (c) => c.primaryKey().references('clinic.id'))
    .addColumn('settings_json', json, (c) => c.notNull())
    .addColumn('instructions_before_text', 'text')
    .addColumn('instructions_after_text', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('screening_throttle')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('screening_throttle_pk', ['clinic_id', 'day', 'address_hash'])
    .execute();

  await db.schema
    .createTable('lead')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('preferred_time', 'text')
    .addColumn('contact_consent_at', 'text', (c) => c.notNull())
    .addColumn('answers_json', json, (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.references('patient.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('staff_user.id'))
    .execute();
  // The coordinator's "leads to call" (status, oldest first) and a patient's screening on the timeline.
  await db.schema.createIndex('lead_clinic_status').on('lead').columns(['clinic_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('lead_clinic_patient').on('lead').columns(['clinic_id', 'patient_id']).execute();

  await db.schema
    .createTable('assessment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data_json', json, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addUniqueConstraint('assessment_episode_version', ['clinic_id', 'episode_id', 'version'])
    .execute();

  await db.schema
    .createTable('eligibility_decision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id'))
    .addColumn('assessment_version', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('findings_json', json, (c) => c.notNull())
    .addColumn('acknowledged_json', json, (c) => c.notNull())
    .addColumn('override_reason', 'text')
    .addColumn('planned_procedure_on', 'text')
    .addColumn('science_version', 'text', (c) => c.notNull())
    .addColumn('settings_json', json, (c) => c.notNull())
    .addColumn('supersedes_id', 'text', (c) => c.references('eligibility_decision.id'))
    .addColumn('signed_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('signed_by_label', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eligibility_decision_episode').on('eligibility_decision').columns(['clinic_id', 'episode_id', 'signed_at']).execute();

  await db.schema
    .createTable('consent_template')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addUniqueConstraint('consent_template_version', ['clinic_id', 'kind', 'version'])
    .execute();

  await db.schema
    .createTable('consent')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull().references('consent_template.id'))
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('signed_name', 'text', (c) => c.notNull())
    .addColumn('signature_kind', 'text', (c) => c.notNull())
    .addColumn('signature_data', 'text', (c) => c.notNull())
    .addColumn('signature_width', 'integer', (c) => c.notNull())
    .addColumn('signature_height', 'integer', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('collected_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text', (c) => c.references('staff_user.id'))
    .addColumn('withdrawal_reason', 'text')
    .execute();
  await db.schema.createIndex('consent_episode').on('consent').columns(['clinic_id', 'episode_id', 'kind', 'signed_at']).execute();
  // Research exports ask "may this patient's data be used?" per patient.
  await db.schema.createIndex('consent_patient').on('consent').columns(['clinic_id', 'patient_id', 'kind', 'status']).execute();

  await db.schema
    .createTable('instruction_send')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('planned_procedure_on', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox.id'))
    .addColumn('content_json', json, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('staff_user.id'))
    .execute();
  await db.schema.createIndex('instruction_send_episode').on('instruction_send').columns(['clinic_id', 'episode_id', 'created_at']).execute();

  await db.schema
    .createTable('specimen')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .addColumn('drawn_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('product_age_limit_hours', float, (c) => c.notNull())
    .addColumn('draw_volume_ml', float)
    .addColumn('tube_count', 'integer')
    .addColumn('preparation_id', 'text', (c) => c.references('preparation.id'))
    .addColumn('prp_volume_ml', float)
    .addColumn('discard_reason', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('specimen_clinic_code', ['clinic_id', 'code'])
    .execute();
  await db.schema.createIndex('specimen_episode').on('specimen').columns(['clinic_id', 'episode_id', 'drawn_at']).execute();
  // The lab's worklist and the one-patient-per-centrifuge check: open specimens by state.
  await db.schema.createIndex('specimen_status').on('specimen').columns(['clinic_id', 'status', 'drawn_at']).execute();

  await db.schema
    .createTable('custody_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('specimen_id', 'text', (c) => c.notNull().references('specimen.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_id', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('by_label', 'text', (c) => c.notNull())
    .addColumn('detail_json', json)
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custody_event_specimen').on('custody_event').columns(['clinic_id', 'specimen_id', 'recorded_at']).execute();
  await db.schema.createIndex('custody_event_episode').on('custody_event').columns(['clinic_id', 'episode_id', 'recorded_at']).execute();

  await db.schema
    .createTable('bedside_verification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('specimen_id', 'text', (c) => c.references('specimen.id'))
    .addColumn('scanned_code', 'text', (c) => c.notNull())
    .addColumn('scanned_mrn', 'text', (c) => c.notNull())
    .addColumn('entered_birth_date', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('mismatches_json', json, (c) => c.notNull())
    .addColumn('expired', 'integer', (c) => c.notNull())
    .addColumn('expiry_override_reason', 'text')
    .addColumn('verified_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('verified_by_label', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bedside_verification_episode').on('bedside_verification').columns(['clinic_id', 'episode_id', 'verified_at']).execute();
  // Failed checks are alerts on every home screen for a week.
  await db.schema.createIndex('bedside_verification_result').on('bedside_verification').columns(['clinic_id', 'result', 'verified_at']).execute();

  await db.schema
    .createTable('injection_procedure')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('specimen_id', 'text', (c) => c.notNull().references('specimen.id'))
    .addColumn('preparation_id', 'text', (c) => c.references('preparation.id'))
    .addColumn('verification_id', 'text', (c) => c.notNull().references('bedside_verification.id'))
    .addColumn('performed_at', 'text', (c) => c.notNull())
    .addColumn('performed_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('assistant_id', 'text', (c) => c.references('staff_user.id'))
    .addColumn('targets_json', json, (c) => c.notNull())
    .addColumn('total_volume_ml', float, (c) => c.notNull())
    .addColumn('prp_available_ml', float, (c) => c.notNull())
    .addColumn('image_guidance', 'text', (c) => c.notNull())
    .addColumn('needle_json', json)
    .addColumn('local_anaesthetic_json', json)
    .addColumn('contrast_json', json)
    .addColumn('antibiotic_json', json)
    .addColumn('complications_json', json, (c) => c.notNull())
    .addColumn('discharge_instructions', 'text')
    .addColumn('warnings_json', json, (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('science_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff_user.id'))
    // One injection per product: the same syringe can never be recorded twice.
    .addUniqueConstraint('injection_procedure_specimen', ['clinic_id', 'specimen_id'])
    .execute();
  await db.schema.createIndex('injection_procedure_episode').on('injection_procedure').columns(['clinic_id', 'episode_id', 'performed_at']).execute();

  await db.schema
    .createTable('adverse_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('episode_id', 'text', (c) => c.notNull().references('episode.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patient.id'))
    .addColumn('procedure_id', 'text', (c) => c.references('injection_procedure.id'))
    .addColumn('onset_on', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('serious', 'integer', (c) => c.notNull())
    .addColumn('relatedness', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('staff_user.id'))
    .addColumn('review_note', 'text')
    .execute();
  await db.schema.createIndex('adverse_event_episode').on('adverse_event').columns(['clinic_id', 'episode_id', 'onset_on']).execute();
  // Unreviewed (serious first) for the clinician's worklist and the home-screen flag.
  await db.schema.createIndex('adverse_event_review').on('adverse_event').columns(['clinic_id', 'reviewed_at', 'serious']).execute();
}
