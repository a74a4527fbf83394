import type { Insertable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import {
  BASELINE_TIME_POINT_CODE, DEFAULT_FOLLOW_UP_PROTOCOL, PGIC_CATEGORIES, SCIENCE_VERSION, addCalendarDuration, followUpSchedule, scorePeg, type InjectionStructure,
} from '../science/index.js';
import { BUILT_IN_WORDING_VERSION, NRS_RECALL_PERIOD } from '../science/instruments.js';
import type { Store } from '../store/db.js';
import { toJson } from '../store/json.js';
import type { FollowUpScheduleTable, FollowUpTimePointTable, InjectionTargetTable, SurveyResponseTable } from '../store/schema-outcomes.js';
import type { BedsideVerificationTable, InjectionProcedureTable, SpecimenTable } from '../store/schema-pathway.js';
import { recordAudit } from './audit.js';
import { inTransaction } from './db-helpers.js';
import { DEFAULT_INSTRUMENTS } from './outcome-settings.js';
import { inChunks, setPlannedDates } from './synthetic-batches.js';
import { seededIds, seededRandom } from './synthetic-random.js';

/**
 * Deterministic synthetic follow-up for a synthetic clinic: a planned procedure date for every
 * episode, the default schedule, and answers with registry-like fall-off (outcomes.md §4: ~90 %
 * at baseline to ~50 % at two years) and an invented, indication-dependent improvement. For demos,
 * screenshots and the summary's scaling check (EXPLAIN at 100,000 episodes) — never a finding.
 * Every episode whose date has passed also gets a recorded injection (specimen, passed bedside
 * check, procedure and its targets) by one of three clinicians, into structures that fit its
 * indication, so the summary's clinician and structure filters have something to filter.
 * Written in batches straight to the tables, as the synthetic clinic is.
 */

export interface SyntheticOutcomeOptions {
  seed: number;
  /** the clinic's "today" (YYYY-MM-DD): windows after it are not answered yet */
  asOf: string;
}


/** Structures injected per indication (first = most common), and how often a second target is added. */
const STRUCTURES_BY_INDICATION: Record<string, readonly InjectionStructure[]> = {
  'degenerative-disc-disease': ['intervertebral-disc', 'intervertebral-disc', 'intervertebral-disc', 'facet-joint'],
  'lumbar-facet-joint-pain': ['facet-joint', 'facet-joint', 'paraspinal-muscle'],
  'sacroiliac-joint-pain': ['sacroiliac-joint', 'sacroiliac-joint', 'ligament'],
  'lumbar-radicular-pain': ['epidural-transforaminal', 'epidural-transforaminal', 'epidural-interlaminar', 'epidural-caudal'],
  other: ['paraspinal-muscle', 'ligament', 'facet-joint', 'other'],
};
const LEVELS = ['L3/L4', 'L4/L5', 'L5/S1'] as const;
const NEEDS_LEVEL = new Set<InjectionStructure>(['intervertebral-disc', 'facet-joint', 'epidural-interlaminar', 'epidural-transforaminal']);
const NEEDS_SIDE = new Set<InjectionStructure>(['facet-joint', 'sacroiliac-joint', 'epidural-transforaminal']);

/** Three clinicians perform the synthetic injections: the demo clinician and two inactive synthetic colleagues. */
async function syntheticClinicians(store: Store, clinicId: string, asOf: string): Promise<string[]> {
  const existing = await store.db.selectFrom('staff_user').select('id').where('clinic_id', '=', clinicId).where('role', '=', 'clinician').orderBy('email').execute();
  const ids = existing.map((r) => r.id);
  const names = ['Dr Robin Reyes (synthetic)', 'Dr Sam Okafor (synthetic)'];
  for (let i = 0; ids.length < 3 && i < names.length; i++) {
    const id = uuidv7({ msecs: Date.parse(`${asOf}T00:00:00Z`) - 400 * 86_400_000 + i, random: Uint8Array.from({ length: 16 }, (_, k) => (k * 37 + i * 11 + clinicId.length) & 255) });
    // Inactive, with no usable password: names for the figures, never an account to sign in with.
    await store.db.insertInto('staff_user').values({
      id, clinic_id: clinicId, email: `synthetic-clinician-${i + 1}.${clinicId.slice(-12)}@demo.autolog.test`, display_name: names[i]!, role: 'clinician',
      password_hash: '!synthetic', active: 0, created_at: `${asOf}T00:00:00.000Z`, updated_at: `${asOf}T00:00:00.000Z`, last_login_at: null,
    }).execute();
    ids.push(id);
  }
  return ids;
}

/** Share of due time points answered, by time point (illustrative, shaped like outcomes.md §4). */
const COMPLETION: Record<string, number> = { baseline: 0.9, '6w': 0.75, '3m': 0.7, '6m': 0.62, '12m': 0.55, '24m': 0.48 };
/** Fraction of the full (6-month) effect reached at each time point — invented for the demo. */
const EFFECT_SHAPE: Record<string, number> = { baseline: 0, '6w': 0.55, '3m': 0.85, '6m': 1, '12m': 0.95, '24m': 0.85 };
/** Invented mean fall of back pain (NRS points) at 6 months, per indication. */
const EFFECT_BY_INDICATION: Record<string, number> = {
  'degenerative-disc-disease': 2.2, 'lumbar-facet-joint-pain': 1.4, 'sacroiliac-joint-pain': 1.8, 'lumbar-radicular-pain': 2.0, other: 0.8,
};

export async function buildSyntheticOutcomes(store: Store, clinicId: string, options: SyntheticOutcomeOptions, onProgress?: (episodes: number) => void): Promise<{ episodes: number; timePoints: number; responses: number; injections: number }> {
  const random = seededRandom(options.seed * 7919 + 17);
  const normal = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));
  const asOfMs = Date.parse(`${options.asOf}T12:00:00Z`);
  const id = seededIds(random, asOfMs - 300 * 86_400_000);
  const iso = (date: string) => `${date}T10:00:00.000Z`;
  // The injections draw from their own seeded stream, so the answers are the same as without them.
  const procedureRandom = seededRandom(options.seed * 104_729 + 3);
  const procedureId = seededIds(procedureRandom, asOfMs - 600 * 86_400_000);
  const clinicians = await syntheticClinicians(store, clinicId, options.asOf);
  let episodes = 0;
  let timePoints = 0;
  let responses = 0;
  let injections = 0;
  let after = '';
  for (;;) {
    const page = await store.db.selectFrom('episode').select(['id', 'patient_id', 'indication', 'opened_on', 'status'])
      .where('clinic_id', '=', clinicId).where('id', '>', after).orderBy('id').limit(500).execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const schedules: FollowUpScheduleTable[] = [];
    const points: FollowUpTimePointTable[] = [];
    const answers: SurveyResponseTable[] = [];
    const dates: [string, string][] = [];
    const specimens: Insertable<SpecimenTable>[] = [];
    const checks: Insertable<BedsideVerificationTable>[] = [];
    const procedures: Insertable<InjectionProcedureTable>[] = [];
    const targets: InjectionTargetTable[] = [];
    for (const e of page) {
      const anchor = addCalendarDuration(e.opened_on, { days: 7 + Math.floor(random() * 50) });
      dates.push([e.id, anchor]);
      if (e.status !== 'cancelled' && anchor <= options.asOf && clinicians.length > 0) {
        const by = clinicians[Math.floor(procedureRandom() * clinicians.length)]!;
        const choices = STRUCTURES_BY_INDICATION[e.indication] ?? STRUCTURES_BY_INDICATION.other!;
        const picked = [choices[Math.floor(procedureRandom() * choices.length)]!];
        if (procedureRandom() < 0.25) picked.push(choices[Math.floor(procedureRandom() * choices.length)]!);
        const specimenId = procedureId();
        const checkId = procedureId();
        const id = procedureId();
        const drawnAt = `${anchor}T09:00:00.000Z`;
        const performedAt = `${anchor}T10:00:00.000Z`;
        const volumes = picked.map(() => 1 + Math.round(procedureRandom() * 20) / 10);
        const total = Math.round(volumes.reduce((a, b) => a + b, 0) * 1000) / 1000;
        specimens.push({
          id: specimenId, clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, code: `SYN-${specimenId.slice(-12).toUpperCase()}`, status: 'injected',
          drawn_at: drawnAt, drawn_by: by, expires_at: `${anchor}T13:00:00.000Z`, product_age_limit_hours: 4, draw_volume_ml: 27, tube_count: 1, preparation_id: null,
          prp_volume_ml: Math.max(4, Math.ceil(total)), discard_reason: null, note: null, created_at: drawnAt, updated_at: performedAt,
        } satisfies Insertable<SpecimenTable>);
        checks.push({
          id: checkId, clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, specimen_id: specimenId, scanned_code: 'synthetic', scanned_mrn: 'synthetic',
          entered_birth_date: 'synthetic', result: 'passed', mismatches_json: toJson([]), expired: 0, expiry_override_reason: null, verified_by: by,
          verified_by_label: 'autolog demo', verified_at: `${anchor}T09:55:00.000Z`,
        } satisfies Insertable<BedsideVerificationTable>);
        const targetList = picked.map((structure, position) => ({
          structure, level: NEEDS_LEVEL.has(structure) ? LEVELS[Math.floor(procedureRandom() * LEVELS.length)]! : null,
          side: NEEDS_SIDE.has(structure) ? (procedureRandom() < 0.5 ? 'left' : 'right') : null, volumeMl: volumes[position]!,
        }));
        procedures.push({
          id, clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, specimen_id: specimenId, preparation_id: null, verification_id: checkId,
          performed_at: performedAt, performed_by: by, assistant_id: null, targets_json: toJson(targetList), total_volume_ml: total, prp_available_ml: Math.max(4, Math.ceil(total)),
          image_guidance: 'fluoroscopy', needle_json: null, local_anaesthetic_json: null, contrast_json: null, antibiotic_json: null, complications_json: toJson({ none: true }),
          discharge_instructions: null, warnings_json: toJson([]), notes: null, science_version: SCIENCE_VERSION, created_at: performedAt, created_by: by,
        } satisfies Insertable<InjectionProcedureTable>);
        targetList.forEach((t, position) => targets.push({
          clinic_id: clinicId, procedure_id: id, episode_id: e.id, position, structure: t.structure, level: t.level, side: t.side, volume_ml: t.volumeMl,
        }));
      }
      const scheduleId = id();
      const stopped = e.status === 'cancelled' || random() < 0.03;
      schedules.push({
        id: scheduleId, clinic_id: clinicId, episode_id: e.id, patient_id: e.patient_id, anchor_on: anchor, protocol_json: toJson(DEFAULT_FOLLOW_UP_PROTOCOL),
        status: stopped ? 'stopped' : 'active', stop_reason: stopped ? 'opted-out' : null, stopped_at: stopped ? iso(anchor) : null, created_at: iso(e.opened_on), updated_at: iso(e.opened_on),
      });
      const baselineBack = clamp(6.3 + 1.6 * normal(), 2, 10);
      const baselineLeg = clamp(baselineBack * 0.6 + 1.5 * normal(), 0, 10);
      const responsiveness = 1 + 0.6 * normal();
      const effect = EFFECT_BY_INDICATION[e.indication] ?? 1;
      // Filled when the baseline is answered; follow-ups carry it (as saveResponse keeps it).
      let baselineScores: { back: number | null; leg: number | null; peg: number | null } = { back: null, leg: null, peg: null };
      followUpSchedule(anchor, DEFAULT_FOLLOW_UP_PROTOCOL).forEach((p, position) => {
        const tpId = id();
        const started = p.windowStart <= options.asOf;
        const closed = p.windowEnd < options.asOf;
        const answered = !stopped && started && random() < (COMPLETION[p.code] ?? 0.5) * (closed ? 1 : 0.5);
        const invited = started && !stopped && random() < 0.92;
        const baseline = p.code === BASELINE_TIME_POINT_CODE;
        const answeredOn = answered ? (p.dueDate <= options.asOf ? p.dueDate : p.windowStart) : null;
        points.push({
          id: tpId, clinic_id: clinicId, schedule_id: scheduleId, episode_id: e.id, patient_id: e.patient_id, code: p.code, label: p.label, position,
          due_on: p.dueDate, window_start_on: p.windowStart, window_end_on: p.windowEnd,
          instruments_json: toJson(baseline ? DEFAULT_INSTRUMENTS.baseline : DEFAULT_INSTRUMENTS.followUp),
          status: stopped ? 'stopped' : answered ? 'completed' : 'open', stop_reason: stopped ? 'opted-out' : null,
          sends: invited ? 1 + Math.floor(random() * 4) : 0, next_send_on: null, invited_at: invited ? iso(p.windowStart) : null,
          completed_at: answeredOn ? iso(answeredOn) : null, created_at: iso(e.opened_on), updated_at: iso(e.opened_on),
        });
        if (!answered || !answeredOn) return;
        const fall = effect * (EFFECT_SHAPE[p.code] ?? 1) * responsiveness;
        const back = clamp(baselineBack - fall + 1.1 * normal(), 0, 10);
        const leg = clamp(baselineLeg - fall * 0.8 + 1.1 * normal(), 0, 10);
        const peg = [clamp(back + normal(), 0, 10), clamp(back + 0.5 + normal(), 0, 10), clamp(back + 0.3 + normal(), 0, 10)] as [number, number, number];
        const baselineOf: Record<string, number | null> = baseline ? {} : { 'nrs-back': baselineScores.back, 'nrs-leg': baselineScores.leg, peg: baselineScores.peg };
        const row = (instrument: string, answersJson: Record<string, unknown>, score: number, detail: Record<string, unknown> = {}): SurveyResponseTable => ({
          baseline_score: baselineOf[instrument] ?? null,
          id: id(), clinic_id: clinicId, time_point_id: tpId, episode_id: e.id, patient_id: e.patient_id, time_point_code: p.code, instrument_code: instrument,
          instrument_version: BUILT_IN_WORDING_VERSION, instrument_id: null, answers_json: toJson(answersJson), status: 'completed', mode: random() < 0.85 ? 'web' : 'phone',
          recall_period: instrument === 'pgic' ? null : NRS_RECALL_PERIOD, score, score_detail_json: toJson(detail), science_version: SCIENCE_VERSION, entered_by: null,
          started_at: iso(answeredOn), updated_at: iso(answeredOn), completed_at: iso(answeredOn),
        });
        answers.push(row('nrs-back', { intensity: back }, back), row('nrs-leg', { intensity: leg }, leg),
          row('peg', { pain: peg[0], enjoyment: peg[1], activity: peg[2] }, scorePeg(peg).score));
        if (baseline) baselineScores = { back, leg, peg: scorePeg(peg).score };
        if (!baseline) {
          const category = PGIC_CATEGORIES[clamp(4 - (baselineBack - back) / 1.3 + 0.7 * normal(), 1, 7) - 1]!;
          answers.push(row('pgic', { change: category.code }, category.value, { category: category.code }));
        }
      });
    }
    await inTransaction(store, async (trx) => {
      await inChunks(dates, 200, (part) => setPlannedDates(trx, clinicId, part));
      await inChunks(schedules, 200, (part) => trx.insertInto('follow_up_schedule').values(part).execute());
      await inChunks(points, 100, (part) => trx.insertInto('follow_up_time_point').values(part).execute());
      await inChunks(answers, 100, (part) => trx.insertInto('survey_response').values(part).execute());
      await inChunks(specimens, 100, (part) => trx.insertInto('specimen').values(part).execute());
      await inChunks(checks, 100, (part) => trx.insertInto('bedside_verification').values(part).execute());
      await inChunks(procedures, 50, (part) => trx.insertInto('injection_procedure').values(part).execute());
      await inChunks(targets, 200, (part) => trx.insertInto('injection_target').values(part).execute());
      await recordAudit(trx, store.dialect, { clinicId, actorId: null, actorLabel: 'autolog demo', ip: null }, {
        action: 'create', entityType: 'follow_up_schedule', detail: { synthetic: true, episodes: page.length, timePoints: points.length, responses: answers.length, injections: procedures.length },
      });
    });
    episodes += page.length;
    timePoints += points.length;
    responses += answers.length;
    injections += procedures.length;
    onProgress?.(episodes);
  }
  return { episodes, timePoints, responses, injections };
}
