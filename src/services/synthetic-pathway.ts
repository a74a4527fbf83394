import { createHash } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import {
  PAIN_DURATIONS, PRODUCT_AGE_LIMIT_HOURS_DEFAULT, SCIENCE_VERSION, TREATMENTS_TRIED, addCalendarDuration, assessContraindications, checkInjection,
  instructionsText, procedureInstructions, productExpiresAt, resolveContraindicationSettings, specimenCodeFrom,
  type Assessment, type DiscContour, type DiscFinding, type FacetArthropathyGrade, type ModicType, type PfirrmannGrade, type ImageGuidance, type ImagingStudy, type InjectionTarget, type Medication, type PainDuration, type ScreeningAnswers, type Side, type SpinalLevel,
} from '../science/index.js';
import type { Store } from '../store/db.js';
import type { Database, OutboxTable } from '../store/schema.js';
import { toJson } from '../store/json.js';
import type { InjectionTargetTable } from '../store/schema-outcomes.js';
import type {
  AdverseEventCategory, AdverseEventTable, AssessmentTable, BedsideVerificationTable, ConsentTable, ConsentTemplateTable, CustodyEventTable, DecisionOutcome,
  EligibilityDecisionTable, InjectionProcedureTable, InstructionSendTable, LeadTable, SpecimenTable,
} from '../store/schema-pathway.js';
import { recordAudit } from './audit.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { inChunks, setPlannedDates } from './synthetic-batches.js';
import { seededIds, seededRandom } from './synthetic-random.js';

/**
 * Deterministic synthetic pathway records for a synthetic clinic, so the demo's episode pages,
 * timelines and worklists have something in them: screening leads for some patients, structured
 * assessments, signed decisions (taken from the contraindication engine's own findings: absolute
 * → not eligible, relative → acknowledged), the dated instructions emailed (kept in the outbox as
 * sent), consents on two short DEMO consent texts, specimens
 * with every custody step and a passed bedside check, injections with performer and targets, and
 * a few adverse events. The shares and values are invented for the demo, never a finding.
 *
 * Runs after `buildSyntheticOutcomes`: the injection is given on the episode's planned procedure
 * date, which the follow-up schedule is anchored on (an episode without one gets one here). For
 * the demo it is the one source of injection records: the bare injections the outcomes generator
 * writes for its benchmark (specimen codes `SYN-…`, no custody steps, no consent) are replaced by
 * complete ones, keeping their performing clinician so the outcome summary's clinician filter
 * still has several to choose from. Written page by page, in batches, straight to the tables like
 * the other synthetic generators, with one audit event per page.
 */

export interface SyntheticPathwayOptions {
  seed: number;
  /** the clinic's "today" (YYYY-MM-DD): nothing is dated after it */
  asOf: string;
}

export interface SyntheticPathwayResult {
  leads: number;
  assessments: number;
  decisions: number;
  consents: number;
  instructionsSent: number;
  specimens: number;
  procedures: number;
  adverseEvents: number;
}

/** Short consent texts written for the demo clinic; clearly not a clinic's real consent. */
const DEMO_CONSENT_TEXTS = {
  procedure: {
    title: 'Consent to PRP injection for back pain (DEMO TEXT — not for real use)',
    body: [
      '> **Demo text.** Written for the synthetic demo clinic. A real clinic writes its own consent with its clinicians and lawyers.',
      '',
      '## What the procedure is',
      'Some of your blood is drawn from your arm, spun in a centrifuge to concentrate the platelets, and the platelet-rich plasma (PRP) is injected where your pain comes from, under imaging.',
      '',
      '## Benefits',
      'Some people have less pain and move better in the months after. Many do not: the evidence for back pain is still limited.',
      '',
      '## Risks',
      'A flare of pain for a few days is common. Fainting, bruising and, rarely, infection or nerve irritation can happen.',
      '',
      '## Alternatives',
      'Exercise and physiotherapy, medicines, other injections, or no treatment.',
      '',
      'You may change your mind at any time before the injection.',
    ].join('\n'),
  },
  registry: {
    title: 'Consent to the outcome registry (DEMO TEXT — not for real use)',
    body: [
      '> **Demo text.** Written for the synthetic demo clinic.',
      '',
      'Your answers to the follow-up questionnaires and your treatment record may be included, without your name, in research on how well PRP works. You may withdraw at any time; your care does not change.',
    ].join('\n'),
  },
} as const;


const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
/** An instant on a calendar day, `minutes` after 08:00 UTC (clinic hours in London). */
const onDay = (date: string, minutes: number) => new Date(Date.parse(`${date}T08:00:00Z`) + minutes * MINUTE_MS).toISOString();
const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE_MS).toISOString();

// A drawn scribble as SVG path data, within the signature pad's size; varied per patient.
function scribble(r: () => number): { d: string; width: number; height: number } {
  let d = `M ${10 + Math.floor(r() * 20)} ${60 + Math.floor(r() * 30)}`;
  for (let x = 40; x <= 300; x += 30) d += ` Q ${x - 15} ${Math.floor(10 + r() * 90)} ${x} ${Math.floor(30 + r() * 60)}`;
  return { d, width: 320, height: 110 };
}

type Rand = () => number;
const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
function weighted<T>(r: Rand, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [value, w] of items) if ((x -= w) < 0) return value;
  return items[items.length - 1]![0];
}
const round1 = (x: number) => Math.round(x * 10) / 10;

interface EpisodeCols {
  id: string; patient_id: string; indication: string; opened_on: string; status: string; planned_procedure_on: string | null;
  mrn: string; given_name: string; family_name: string; birth_date: string; sex: string; email: string | null; phone: string | null; patient_created_at: string;
}

/** The assessment a clinician might record for this indication: structured, valid for `checkAssessment`. */
function syntheticAssessment(r: Rand, e: EpisodeCols, assessedOn: string, anchor: string): Assessment {
  const indication = e.indication as Assessment['indications'][number];
  const disc = indication === 'degenerative-disc-disease';
  const facet = indication === 'lumbar-facet-joint-pain';
  const si = indication === 'sacroiliac-joint-pain';
  const radicular = indication === 'lumbar-radicular-pain';
  const lower = weighted<SpinalLevel>(r, [['L4/L5', 55], ['L5/S1', 45]]);
  const levels: SpinalLevel[] = si ? [] : r() < (disc || facet ? 0.3 : 0.1) ? (lower === 'L4/L5' ? ['L3/L4', 'L4/L5'] : ['L4/L5', 'L5/S1']) : [lower];
  const side: Side = disc ? 'midline' : radicular ? pick<Side>(r, ['left', 'right']) : si || facet ? weighted<Side>(r, [['bilateral', 40], ['left', 30], ['right', 30]]) : 'midline';
  const discs: DiscFinding[] = levels.map((level) => ({
    level,
    pfirrmannGrade: disc ? weighted<PfirrmannGrade>(r, [[3, 45], [4, 45], [5, 10]]) : pick<PfirrmannGrade>(r, [2, 3]),
    modicType: disc ? weighted<ModicType>(r, [[0, 55], [1, 25], [2, 20]]) : 0,
    annularFissure: r() < (disc ? 0.6 : 0.15),
    contour: radicular ? weighted<DiscContour>(r, [['protrusion', 75], ['extrusion', 25]]) : disc ? weighted<DiscContour>(r, [['bulge', 60], ['protrusion', 30], ['normal', 10]]) : pick<DiscContour>(r, ['normal', 'bulge']),
    facetArthropathy: facet ? pick<FacetArthropathyGrade>(r, ['moderate', 'severe']) : pick<FacetArthropathyGrade>(r, ['none', 'mild']),
  }));
  const hadMri = r() < 0.88;
  const medications: Medication[] = [];
  if (r() < 0.3) {
    const ongoing = r() < 0.6;
    medications.push({ class: 'nsaid', name: pick(r, ['Ibuprofen 400 mg', 'Naproxen 500 mg', 'Diclofenac 50 mg']), ongoing, lastDoseOn: ongoing ? null : addCalendarDuration(anchor, { days: -int(r, 5, 30) }) });
  }
  if (r() < 0.06) {
    const ongoing = r() < 0.5;
    medications.push({ class: 'antiplatelet', name: 'Aspirin 75 mg', ongoing, lastDoseOn: ongoing ? null : addCalendarDuration(anchor, { days: -int(r, 12, 40) }) });
  }
  if (r() < 0.02) medications.push({ class: 'anticoagulant', name: pick(r, ['Apixaban 5 mg', 'Warfarin']), ongoing: true, lastDoseOn: null });
  const female = e.sex === 'female';
  const steroidBefore = r() < 0.3;
  return {
    indications: [indication], levels, side, painDurationMonths: int(r, 4, 60),
    imaging: hadMri
      ? { study: 'mri', performedOn: addCalendarDuration(e.opened_on, { days: -int(r, 10, 150) }), discs, findingsText: r() < 0.3 ? 'Reported by the radiologist; reviewed with the patient.' : null }
      : { study: pick<ImagingStudy>(r, ['x-ray', 'ct']), performedOn: addCalendarDuration(e.opened_on, { days: -int(r, 10, 200) }), discs: [], findingsText: 'No MRI available; clinical diagnosis.' },
    priorTreatments: {
      physiotherapy: r() < 0.85 ? { done: true, weeks: int(r, 6, 24) } : { done: false, weeks: null },
      steroidInjections: steroidBefore ? [{ on: addCalendarDuration(e.opened_on, { days: -int(r, 60, 500) }), site: si ? 'SI joint' : facet ? 'facet joints' : 'epidural', level: levels[0] ?? null, side }] : [],
      surgeries: r() < 0.03 ? [{ on: addCalendarDuration(e.opened_on, { days: -int(r, 400, 3000) }), description: 'Microdiscectomy', levels: levels.slice(0, 1) }] : [],
      other: r() < 0.2 ? 'Acupuncture' : null,
    },
    medications,
    labs: {
      plateletsKPerUl: r() < 0.03 ? int(r, 80, 140) : int(r, 160, 390),
      haemoglobinGPerDl: round1(female ? 11.8 + r() * 3.4 : 13 + r() * 4),
      takenOn: addCalendarDuration(assessedOn, { days: -int(r, 0, 21) }),
    },
    conditions: {
      activeSystemicInfection: r() < 0.004, infectionNearSite: false, bleedingDisorder: r() < 0.004, haemodynamicInstability: false, recentFeverOrIllness: r() < 0.01,
      cancer: r() < 0.03 ? 'history' : 'none', pregnant: false, breastfeeding: false, tobaccoUse: r() < 0.15, contrastAllergy: r() < 0.02, inflammatoryArthritis: r() < 0.03,
    },
    notes: null,
  };
}

/** Where the PRP goes for this indication, within the volume prepared. */
function syntheticTargets(r: Rand, a: Assessment, prpMl: number): InjectionTarget[] {
  const indication = a.indications[0];
  const side = a.side ?? null;
  let targets: InjectionTarget[];
  if (indication === 'degenerative-disc-disease') targets = a.levels.map((level) => ({ structure: 'intervertebral-disc', level, side: null, volumeMl: 1.5 }));
  else if (indication === 'lumbar-facet-joint-pain') targets = a.levels.map((level) => ({ structure: 'facet-joint', level, side: side === 'midline' || side === null ? 'bilateral' : side, volumeMl: 1.5 }));
  else if (indication === 'sacroiliac-joint-pain') targets = [{ structure: 'sacroiliac-joint', level: null, side: side === 'midline' || side === null ? 'bilateral' : side, volumeMl: 3 }];
  else if (indication === 'lumbar-radicular-pain') targets = [{ structure: 'epidural-transforaminal', level: a.levels[0] ?? 'L5/S1', side: side === 'left' || side === 'right' ? side : 'left', volumeMl: 2 }];
  else targets = [{ structure: 'paraspinal-muscle', level: a.levels[0] ?? null, side: 'bilateral', volumeMl: 3 }];
  const wanted = targets.reduce((s, t) => s + t.volumeMl, 0);
  // Most of the product goes in; the share is scaled to what was prepared.
  const scale = Math.min(1, (prpMl * (0.7 + r() * 0.3)) / wanted);
  return targets.map((t) => ({ ...t, volumeMl: Math.max(0.5, Math.floor(t.volumeMl * scale * 10) / 10) }));
}

const RATIONALES: Record<DecisionOutcome, string[]> = {
  eligible: [
    'Concordant history, examination and imaging; conservative care has not helped. Risks and limited evidence discussed.',
    'Pain pattern and imaging agree; physiotherapy completed without lasting benefit. Patient understands the uncertain benefit.',
  ],
  'not-eligible': [
    'A contraindication stands; PRP is not appropriate now. Other options discussed.',
    'Pain source not clear enough to target; referred for further assessment.',
  ],
  deferred: [
    'Decision deferred until the medicines are reviewed with the GP and fresh bloods are back.',
    'Deferred: patient wants to finish the current physiotherapy block first.',
  ],
};

const AE_DESCRIPTIONS: Record<AdverseEventCategory, string> = {
  'pain-flare': 'More back pain for a few days after the injection; managed with paracetamol and rest.',
  vasovagal: 'Felt faint and pale shortly after the procedure; recovered lying down.',
  'bleeding-haematoma': 'Bruising and a small haematoma at the needle site.',
  neurological: 'Transient tingling in the leg on the injected side.',
  allergic: 'Itchy rash near the site, thought to be from the skin preparation.',
  'infection-discitis': 'Increasing back pain and fever two weeks after an intradiscal injection; admitted for suspected discitis.',
  other: 'Headache the evening after the procedure.',
};

type StaffMember = { id: string; label: string };

async function staffOf(store: Store, clinicId: string): Promise<Record<'admin' | 'clinician' | 'lab' | 'coordinator', StaffMember> & { byId: Map<string, StaffMember> }> {
  // The demo accounts are the active ones; the outcomes generator's extra clinicians are inactive.
  const rows = await store.db.selectFrom('staff_user').select(['id', 'role', 'display_name', 'active']).where('clinic_id', '=', clinicId).orderBy('created_at').orderBy('id').execute();
  const of = (role: string) => {
    const row = rows.find((s) => s.role === role && s.active === 1) ?? rows.find((s) => s.role === role) ?? rows[0];
    if (!row) throw new Error('The synthetic clinic has no staff.');
    return { id: row.id, label: row.display_name };
  };
  return { admin: of('admin'), clinician: of('clinician'), lab: of('lab'), coordinator: of('coordinator'), byId: new Map(rows.map((s) => [s.id, { id: s.id, label: s.display_name }])) };
}

/** The outcomes generator's bare injections of these episodes (its specimen codes start with SYN-): performer by episode, and the rows to replace. */
async function bareInjections(db: Kysely<Database>, clinicId: string, episodeIds: string[]) {
  const rows = await db.selectFrom('injection_procedure as ip')
    .innerJoin('specimen as s', (j) => j.onRef('s.id', '=', 'ip.specimen_id').onRef('s.clinic_id', '=', 'ip.clinic_id'))
    .select(['ip.id', 'ip.episode_id', 'ip.performed_by', 'ip.specimen_id', 'ip.verification_id'])
    .where('ip.clinic_id', '=', clinicId).where('ip.episode_id', 'in', episodeIds).where('s.code', 'like', 'SYN-%').execute();
  return { performer: new Map(rows.map((r) => [r.episode_id, r.performed_by])), rows };
}

async function removeBareInjections(trx: Trx, clinicId: string, rows: { id: string; specimen_id: string; verification_id: string }[]): Promise<void> {
  await inChunks(rows, 200, async (part) => {
    await trx.deleteFrom('injection_target').where('clinic_id', '=', clinicId).where('procedure_id', 'in', part.map((r) => r.id)).execute();
    await trx.deleteFrom('injection_procedure').where('clinic_id', '=', clinicId).where('id', 'in', part.map((r) => r.id)).execute();
    await trx.deleteFrom('bedside_verification').where('clinic_id', '=', clinicId).where('id', 'in', part.map((r) => r.verification_id)).execute();
    await trx.deleteFrom('specimen').where('clinic_id', '=', clinicId).where('id', 'in', part.map((r) => r.specimen_id)).execute();
  });
}

export async function buildSyntheticPathway(store: Store, clinicId: string, options: SyntheticPathwayOptions, onProgress?: (episodes: number) => void): Promise<SyntheticPathwayResult> {
  const r = seededRandom(options.seed * 104_729 + 31);
  const asOf = options.asOf;
  const asOfMs = Date.parse(`${asOf}T18:00:00Z`);
  const id = seededIds(r, asOfMs - 200 * DAY_MS);
  const staff = await staffOf(store, clinicId);
  const clinicName = (await store.db.selectFrom('clinic').select('name').where('id', '=', clinicId).executeTakeFirstOrThrow()).name;
  const settings = resolveContraindicationSettings({});
  const who = { clinicId, actorId: null, actorLabel: 'autolog demo', ip: null };
  const result: SyntheticPathwayResult = { leads: 0, assessments: 0, decisions: 0, consents: 0, instructionsSent: 0, specimens: 0, procedures: 0, adverseEvents: 0 };

  // The two demo consent texts, version 1 each.
  const templatesAt = new Date(Date.parse(`${asOf}T09:00:00Z`) - 800 * DAY_MS).toISOString();
  const templates = {
    procedure: { id: id(), clinic_id: clinicId, kind: 'procedure', version: 1, title: DEMO_CONSENT_TEXTS.procedure.title, body_markdown: DEMO_CONSENT_TEXTS.procedure.body, body_sha256: sha256(DEMO_CONSENT_TEXTS.procedure.body), created_at: templatesAt, created_by: staff.admin.id },
    registry: { id: id(), clinic_id: clinicId, kind: 'registry', version: 1, title: DEMO_CONSENT_TEXTS.registry.title, body_markdown: DEMO_CONSENT_TEXTS.registry.body, body_sha256: sha256(DEMO_CONSENT_TEXTS.registry.body), created_at: templatesAt, created_by: staff.admin.id },
  } satisfies Record<string, Insertable<ConsentTemplateTable>>;
  await inTransaction(store, async (trx) => {
    await trx.insertInto('consent_template').values([templates.procedure, templates.registry]).execute();
    await recordAudit(trx, store.dialect, who, { action: 'create', entityType: 'consent_template', detail: { synthetic: true, templates: 2 } });
  });

  const codes = new Set<string>();
  const specimenCode = () => {
    for (;;) {
      const code = specimenCodeFrom(Uint8Array.from({ length: 7 }, () => Math.floor(r() * 256)));
      if (!codes.has(code)) {
        codes.add(code);
        return code;
      }
    }
  };
  const screeningAnswers = (e: EpisodeCols): ScreeningAnswers => ({
    painLocations: ['lower-back', ...(e.indication === 'lumbar-radicular-pain' ? ['leg-below-knee' as const] : e.indication === 'sacroiliac-joint-pain' ? ['buttock' as const] : [])],
    duration: weighted<PainDuration>(r, [['3-to-12-months', 40], ['over-12-months', 60]]),
    tried: r() < 0.85 ? ['exercise-physiotherapy', ...(r() < 0.6 ? ['pain-medication' as const] : [])] : ['nothing-yet'],
  });

  let after = '';
  let lastPatient = '';
  let episodesDone = 0;
  for (;;) {
    const page: EpisodeCols[] = await store.db.selectFrom('episode as e')
      .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 'e.patient_id').onRef('p.clinic_id', '=', 'e.clinic_id'))
      .select(['e.id', 'e.patient_id', 'e.indication', 'e.opened_on', 'e.status', 'e.planned_procedure_on', 'p.mrn', 'p.given_name', 'p.family_name', 'p.birth_date', 'p.sex', 'p.email', 'p.phone', 'p.created_at as patient_created_at'])
      .where('e.clinic_id', '=', clinicId).where('e.id', '>', after).orderBy('e.id').limit(500).execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const bare = await bareInjections(store.db, clinicId, page.map((e) => e.id));
    const planned: [string, string][] = [];
    const leads: Insertable<LeadTable>[] = [];
    const assessments: Insertable<AssessmentTable>[] = [];
    const decisions: Insertable<EligibilityDecisionTable>[] = [];
    const consents: Insertable<ConsentTable>[] = [];
    const mails: Insertable<OutboxTable>[] = [];
    const sends: Insertable<InstructionSendTable>[] = [];
    const specimens: Insertable<SpecimenTable>[] = [];
    const custody: Insertable<CustodyEventTable>[] = [];
    const checks: Insertable<BedsideVerificationTable>[] = [];
    const procedures: Insertable<InjectionProcedureTable>[] = [];
    const targets: InjectionTargetTable[] = [];
    const adverse: Insertable<AdverseEventTable>[] = [];

    for (const e of page) {
      // Episodes of one patient are consecutive in id order: the first one may come from a screening.
      const firstOfPatient = e.patient_id !== lastPatient;
      lastPatient = e.patient_id;
      let anchor = e.planned_procedure_on;
      if (!anchor) {
        anchor = addCalendarDuration(e.opened_on, { days: int(r, 7, 56) });
        planned.push([e.id, anchor]);
      }
      if (firstOfPatient && r() < 0.3) {
        const createdAt = new Date(Date.parse(e.patient_created_at) - int(r, 2, 20) * DAY_MS - int(r, 0, 600) * MINUTE_MS).toISOString();
        leads.push({
          id: id(), clinic_id: clinicId, status: 'booked', name: `${e.given_name} ${e.family_name}`, email: e.email, phone: e.phone ?? (e.email ? null : '+44 20 7946 0000'),
          preferred_time: r() < 0.5 ? pick(r, ['Weekday mornings', 'After 5 pm', 'Any time']) : null, contact_consent_at: createdAt,
          answers_json: toJson(screeningAnswers(e)), patient_id: e.patient_id, note: null, created_at: createdAt, updated_at: e.patient_created_at, updated_by: staff.coordinator.id,
        });
      }
      if (e.status === 'cancelled' || r() >= 0.82) continue;
      const room = Math.max(0, Math.min(5, daysBetween(e.opened_on, anchor) - 1));
      const assessedOn = addCalendarDuration(e.opened_on, { days: int(r, 0, room) });
      if (assessedOn > asOf) continue;
      const assessment = syntheticAssessment(r, e, assessedOn, anchor);
      const assessmentRow = { id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, version: 1, data_json: toJson(assessment), created_at: onDay(assessedOn, int(r, 30, 480)), created_by: staff.clinician.id };
      assessments.push(assessmentRow);
      // Recent assessments are partly still waiting for the clinician's signature.
      if (daysBetween(assessedOn, asOf) < 10 && r() < 0.6) continue;
      const findings = assessContraindications(assessment, settings, anchor);
      const outcome: DecisionOutcome = findings.absolute.length > 0 ? 'not-eligible' : weighted<DecisionOutcome>(r, [['eligible', 86], ['deferred', 7], ['not-eligible', 7]]);
      const signedAt = addMinutes(assessmentRow.created_at, int(r, 20, 240));
      decisions.push({
        id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, assessment_id: assessmentRow.id, assessment_version: 1, outcome, rationale: pick(r, RATIONALES[outcome]),
        findings_json: toJson(findings), acknowledged_json: toJson(outcome === 'eligible' ? [...new Set(findings.relative.map((f) => f.code))] : []), override_reason: null, planned_procedure_on: anchor,
        science_version: SCIENCE_VERSION, settings_json: toJson(settings), supersedes_id: null, signed_by: staff.clinician.id, signed_by_label: staff.clinician.label, signed_at: signedAt,
      });
      if (outcome !== 'eligible') continue;

      // The coordinator emails the dated instructions once the patient is eligible (most patients have an address).
      const sentOn = signedAt.slice(0, 10);
      if (e.email && r() < 0.9) {
        const instructions = procedureInstructions({ plannedOn: anchor, settings, medications: assessment.medications, today: sentOn });
        const sentAt = addMinutes(signedAt, int(r, 30, 300));
        const outboxId = id();
        mails.push({
          id: outboxId, clinic_id: clinicId, kind: 'procedure-instructions', to_address: e.email, subject: `${clinicName}: instructions for your procedure`,
          text_body: instructionsText(instructions, { clinicName, patientName: `${e.given_name} ${e.family_name}` }), status: 'sent', attempts: 1, next_attempt_at: sentAt,
          last_error: null, created_at: sentAt, sent_at: addMinutes(sentAt, 1),
        });
        sends.push({
          id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, planned_procedure_on: anchor, reason: 'initial', to_address: e.email, outbox_id: outboxId,
          content_json: toJson(instructions), created_at: sentAt, created_by: staff.coordinator.id,
        });
      }

      // Consent: in the clinic, before the procedure day or on it; some upcoming patients have not signed yet.
      const signedDay = addCalendarDuration(anchor, { days: -int(r, 0, Math.max(0, Math.min(10, daysBetween(signedAt.slice(0, 10), anchor)))) });
      if (signedDay > asOf || (anchor > asOf && r() < 0.4)) continue;
      const consentAt = signedDay === signedAt.slice(0, 10) ? addMinutes(signedAt, int(r, 5, 60)) : onDay(signedDay, int(r, 0, 60));
      const signature = scribble(r);
      const consentRow = (kind: 'procedure' | 'registry') => ({
        id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, kind, template_id: templates[kind].id, template_version: 1, body_sha256: templates[kind].body_sha256,
        signed_name: `${e.given_name} ${e.family_name}`, signature_kind: 'svg-path' as const, signature_data: signature.d, signature_width: signature.width, signature_height: signature.height,
        signed_at: consentAt, collected_by: r() < 0.6 ? staff.coordinator.id : staff.clinician.id, status: 'signed' as const, withdrawn_at: null, withdrawn_by: null, withdrawal_reason: null,
      });
      consents.push(consentRow('procedure'));
      if (r() < 0.65) consents.push(consentRow('registry'));
      if (anchor > asOf || r() < 0.03) continue;

      // The procedure day: draw → centrifuged → prepared → bedside check → injection, within the product's time limit.
      const performer = staff.byId.get(bare.performer.get(e.id) ?? '') ?? staff.clinician;
      const drawnAt = onDay(anchor, int(r, 30, 240));
      const centrifugedAt = addMinutes(drawnAt, int(r, 8, 20));
      const preparedAt = addMinutes(centrifugedAt, int(r, 25, 45));
      const verifiedAt = addMinutes(preparedAt, int(r, 10, 40));
      const injectedAt = addMinutes(verifiedAt, int(r, 5, 15));
      const prpMl = round1(3 + r() * 5);
      const discarded = r() < 0.015;
      const specimen = {
        id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, code: specimenCode(), status: discarded ? 'discarded' as const : 'injected' as const,
        drawn_at: drawnAt, drawn_by: performer.id, expires_at: productExpiresAt(drawnAt, PRODUCT_AGE_LIMIT_HOURS_DEFAULT), product_age_limit_hours: PRODUCT_AGE_LIMIT_HOURS_DEFAULT,
        draw_volume_ml: pick(r, [27, 30, 54, 60]), tube_count: int(r, 1, 2), preparation_id: null, prp_volume_ml: discarded ? null : prpMl,
        discard_reason: discarded ? 'Tube cracked in the centrifuge; redraw planned.' : null, note: null, created_at: drawnAt, updated_at: discarded ? centrifugedAt : injectedAt,
      } satisfies Insertable<SpecimenTable>;
      specimens.push(specimen);
      const event = (type: CustodyEventTable['type'], at: string, by: { id: string; label: string }, detail: Record<string, unknown> | null) => custody.push({
        id: id(), clinic_id: clinicId, specimen_id: specimen.id, episode_id: e.id, patient_id: e.patient_id, type, at, by_id: by.id, by_label: by.label, detail_json: toJson(detail), recorded_at: at,
      });
      event('drawn', drawnAt, performer, null);
      if (discarded) {
        event('discarded', centrifugedAt, staff.lab, { reason: specimen.discard_reason });
        continue;
      }
      event('centrifuged', centrifugedAt, staff.lab, null);
      event('prepared', preparedAt, staff.lab, { prpVolumeMl: prpMl });
      const check = {
        id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, specimen_id: specimen.id, scanned_code: specimen.code, scanned_mrn: e.mrn, entered_birth_date: e.birth_date,
        result: 'passed' as const, mismatches_json: toJson([]), expired: 0, expiry_override_reason: null, verified_by: performer.id, verified_by_label: performer.label, verified_at: verifiedAt,
        acknowledged_at: null, acknowledged_by: null, acknowledgement_note: null,
      } satisfies Insertable<BedsideVerificationTable>;
      checks.push(check);
      event('verified', verifiedAt, performer, { verificationId: check.id });

      const sites = syntheticTargets(r, assessment, prpMl);
      const intradiscal = sites.some((t) => t.structure === 'intervertebral-disc');
      const guidance: ImageGuidance = sites.some((t) => t.structure === 'sacroiliac-joint' || t.structure === 'paraspinal-muscle') && r() < 0.5 ? 'ultrasound' : r() < 0.04 ? 'ct' : 'fluoroscopy';
      const localAnaesthetic = { agent: 'lidocaine 1 %', concentrationPct: 1, volumeMl: int(r, 2, 5), doseMg: null, mixedWithPrp: false };
      const antibiotic = intradiscal && r() < 0.92 ? { given: true, agent: 'cefazolin', doseMg: 1000, route: 'IV', timing: '30 min before' } : null;
      const contrast = guidance === 'fluoroscopy' ? { used: true, agent: 'iohexol 300', volumeMl: 0.5 } : { used: false };
      const checked = checkInjection({ targets: sites, prpAvailableMl: prpMl, imageGuidance: guidance, localAnaesthetic, antibioticProphylaxis: antibiotic, contrastUsed: contrast.used });
      const procedureId = id();
      procedures.push({
        id: procedureId, clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, specimen_id: specimen.id, preparation_id: null, verification_id: check.id,
        performed_at: injectedAt, performed_by: performer.id, assistant_id: null, targets_json: toJson(sites.map((t) => ({ structure: t.structure, level: t.level ?? null, side: t.side ?? null, volumeMl: t.volumeMl }))),
        total_volume_ml: checked.totalVolumeMl, prp_available_ml: prpMl, image_guidance: guidance,
        needle_json: toJson({ gauge: intradiscal ? 22 : 25, lengthMm: intradiscal ? 150 : 90, type: 'Quincke spinal' }), local_anaesthetic_json: toJson(localAnaesthetic),
        contrast_json: toJson(contrast), antibiotic_json: toJson(antibiotic), complications_json: toJson({ none: true }),
        discharge_instructions: 'Rest today; paracetamol for pain; no anti-inflammatory painkillers for a week; call the clinic with fever, new weakness or numbness.',
        warnings_json: toJson(checked.warnings), notes: null, science_version: SCIENCE_VERSION, created_at: injectedAt, created_by: performer.id,
      });
      sites.forEach((t, position) => targets.push({ clinic_id: clinicId, procedure_id: procedureId, episode_id: e.id, position, structure: t.structure, level: t.level ?? null, side: t.side ?? null, volume_ml: t.volumeMl }));
      event('injected', injectedAt, performer, { procedureId, totalVolumeMl: checked.totalVolumeMl });

      // A few adverse events after the injection; recent serious ones still wait for review (and show as alerts).
      if (r() < 0.06) {
        const category = weighted<AdverseEventCategory>(r, [['pain-flare', 58], ['vasovagal', 18], ['bleeding-haematoma', 9], ['neurological', 5], ['allergic', 4], ['other', 3], ['infection-discitis', intradiscal ? 4 : 0]]);
        const onset = addCalendarDuration(anchor, { days: category === 'infection-discitis' ? int(r, 7, 21) : category === 'vasovagal' ? 0 : int(r, 0, 3) });
        if (onset <= asOf) {
          const severity = category === 'infection-discitis' ? 'severe' as const : r() < 0.75 ? 'mild' as const : 'moderate' as const;
          const serious = severity === 'severe' ? 1 : 0;
          const reportedAt = onDay(addCalendarDuration(onset, { days: Math.min(int(r, 0, 2), daysBetween(onset, asOf)) }), int(r, 60, 480));
          const reviewed = daysBetween(reportedAt.slice(0, 10), asOf) > (serious ? 21 : 30) || (!serious && r() < 0.3);
          const recent = daysBetween(onset, asOf) < 14;
          adverse.push({
            id: id(), clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, procedure_id: procedureId, onset_on: onset, category, severity, serious,
            relatedness: category === 'pain-flare' || category === 'vasovagal' ? 'probable' : pick(r, ['possible', 'probable'] as const),
            outcome: recent ? 'recovering' : serious ? 'recovered-with-sequelae' : 'recovered', description: AE_DESCRIPTIONS[category],
            reported_at: reportedAt, reported_by: r() < 0.5 ? staff.coordinator.id : staff.clinician.id, updated_at: reportedAt,
            reviewed_at: reviewed ? addMinutes(reportedAt, int(r, 60, 2880)) : null, reviewed_by: reviewed ? staff.clinician.id : null,
            review_note: reviewed ? (serious ? 'Reviewed: treated as discitis with antibiotics; recovered. Technique and prophylaxis checked.' : 'Reviewed; expected and self-limiting.') : null,
          });
        }
      }
    }

    await inTransaction(store, async (trx) => {
      await removeBareInjections(trx, clinicId, bare.rows);
      await inChunks(planned, 200, (part) => setPlannedDates(trx, clinicId, part));
      await inChunks(leads, 100, (part) => trx.insertInto('lead').values(part).execute());
      await inChunks(assessments, 100, (part) => trx.insertInto('assessment').values(part).execute());
      await inChunks(decisions, 50, (part) => trx.insertInto('eligibility_decision').values(part).execute());
      await inChunks(consents, 50, (part) => trx.insertInto('consent').values(part).execute());
      await inChunks(mails, 50, (part) => trx.insertInto('outbox').values(part).execute());
      await inChunks(sends, 50, (part) => trx.insertInto('instruction_send').values(part).execute());
      await inChunks(specimens, 50, (part) => trx.insertInto('specimen').values(part).execute());
      await inChunks(custody, 100, (part) => trx.insertInto('custody_event').values(part).execute());
      await inChunks(checks, 50, (part) => trx.insertInto('bedside_verification').values(part).execute());
      await inChunks(procedures, 30, (part) => trx.insertInto('injection_procedure').values(part).execute());
      await inChunks(targets, 100, (part) => trx.insertInto('injection_target').values(part).execute());
      await inChunks(adverse, 50, (part) => trx.insertInto('adverse_event').values(part).execute());
      // One event per page: the synthetic rows are one generated import, not individual entries.
      await recordAudit(trx, store.dialect, who, {
        action: 'create', entityType: 'pathway', detail: {
          synthetic: true, episodes: page.length, leads: leads.length, assessments: assessments.length, decisions: decisions.length, consents: consents.length, instructionsSent: sends.length,
          specimens: specimens.length, procedures: procedures.length, adverseEvents: adverse.length, replacedBareInjections: bare.rows.length,
        },
      });
    });
    result.leads += leads.length;
    result.assessments += assessments.length;
    result.decisions += decisions.length;
    result.consents += consents.length;
    result.instructionsSent += sends.length;
    result.specimens += specimens.length;
    result.procedures += procedures.length;
    result.adverseEvents += adverse.length;
    episodesDone += page.length;
    onProgress?.(episodesDone);
  }

  // Fresh consultation requests nobody has called yet: the coordinator's worklist.
  const fresh: Insertable<LeadTable>[] = [];
  const names = ['Amelia Hart', 'Noah Fischer', 'Isla Moreno', 'Oliver Brandt', 'Maya Okonkwo', 'Leo van Dijk', 'Zara Haddad', 'Theo Lindqvist'];
  for (let i = 0; i < names.length; i++) {
    const createdAt = new Date(asOfMs - int(r, 1, 12 * 24) * 60 * MINUTE_MS).toISOString();
    const name = names[i]!;
    fresh.push({
      id: id(), clinic_id: clinicId, status: i % 4 === 3 ? 'contacted' : 'new', name, email: r() < 0.7 ? `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com` : null,
      phone: `+44 20 7946 0${String(100 + i * 37).padStart(3, '0')}`, preferred_time: r() < 0.5 ? pick(r, ['Weekday mornings', 'After 5 pm', 'Lunchtime']) : null, contact_consent_at: createdAt,
      answers_json: toJson({ painLocations: ['lower-back', ...(r() < 0.4 ? ['leg-below-knee' as const] : [])], duration: pick(r, PAIN_DURATIONS.slice(1)).code, tried: [pick(r, TREATMENTS_TRIED.slice(0, 3)).code] } satisfies ScreeningAnswers),
      patient_id: null, note: null, created_at: createdAt, updated_at: createdAt, updated_by: null,
    });
  }
  await inTransaction(store, async (trx) => {
    await trx.insertInto('lead').values(fresh).execute();
    await recordAudit(trx, store.dialect, who, { action: 'create', entityType: 'lead', detail: { synthetic: true, leads: fresh.length } });
  });
  result.leads += fresh.length;
  return result;
}

