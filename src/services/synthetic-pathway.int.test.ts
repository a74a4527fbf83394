import { beforeAll, describe, expect, it } from 'vitest';
import { normaliseSpecimenCode, type ContraindicationResult } from '../science/index.js';
import type { Store } from '../store/db.js';
import { fromJson } from '../store/json.js';
import { DIALECTS, createTestStore, useTestStore } from '../store/testing/test-store.js';
import { verifyAuditChains } from './audit.js';
import type { Actor, Services } from './context.js';
import { getEpisodeTimeline, getWorklist } from './pathway-overview.js';
import { buildSyntheticClinic } from './synthetic-clinic.js';
import { buildSyntheticOutcomes } from './synthetic-outcomes.js';
import { buildSyntheticPathway, type SyntheticPathwayResult } from './synthetic-pathway.js';

const OPTIONS = { seed: 42, patients: 60, asOf: '2026-06-30' };

describe.each(DIALECTS)('synthetic pathway on %s', (dialect) => {
  const store = useTestStore(dialect);
  let services: Services;
  let clinicId: string;
  let result: SyntheticPathwayResult;
  let clinician: Actor;

  beforeAll(async () => {
    services = { store, config: { publicUrl: 'http://demo.test', smtpUrl: undefined, secureCookies: false, dataDir: '' } };
    clinicId = (await buildSyntheticClinic(store, OPTIONS)).clinicId;
    await buildSyntheticOutcomes(store, clinicId, OPTIONS);
    result = await buildSyntheticPathway(store, clinicId, OPTIONS);
    const staff = await store.db.selectFrom('staff_user').select(['id', 'email']).where('clinic_id', '=', clinicId).where('role', '=', 'clinician').executeTakeFirstOrThrow();
    clinician = { userId: staff.id, clinicId, role: 'clinician', timeZone: 'Europe/London', label: staff.email, ip: '127.0.0.1' };
  });

  it('fills a realistic share of episodes, from screening to injection', async () => {
    const episodes = Number((await store.db.selectFrom('episode').select((eb) => eb.fn.countAll().as('n')).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow()).n);
    expect(result.assessments).toBeGreaterThan(episodes * 0.6);
    expect(result.assessments).toBeLessThan(episodes);
    expect(result.decisions).toBeLessThanOrEqual(result.assessments);
    expect(result.procedures).toBeGreaterThan(episodes * 0.3);
    expect(result.leads).toBeGreaterThan(8);
    const linked = await store.db.selectFrom('lead').select('id').where('clinic_id', '=', clinicId).where('patient_id', 'is not', null).execute();
    expect(linked.length).toBeGreaterThan(0);
    const fresh = await store.db.selectFrom('lead').select('id').where('clinic_id', '=', clinicId).where('status', '=', 'new').execute();
    expect(fresh.length).toBeGreaterThan(0);
  });

  it('keeps every record consistent with the rules the services enforce', async () => {
    // Eligible decisions never stand on an absolute finding; every relative one is acknowledged.
    const decisions = await store.db.selectFrom('eligibility_decision').select(['outcome', 'findings_json', 'acknowledged_json']).where('clinic_id', '=', clinicId).execute();
    for (const d of decisions.filter((x) => x.outcome === 'eligible')) {
      const findings = fromJson<ContraindicationResult>(d.findings_json)!;
      expect(findings.absolute).toEqual([]);
      expect(new Set(fromJson<string[]>(d.acknowledged_json))).toEqual(new Set(findings.relative.map((f) => f.code)));
    }
    // Injections: given on the planned date (the follow-up anchor), within the PRP prepared, after a passed check of the same product.
    const procedures = await store.db.selectFrom('injection_procedure as ip')
      .innerJoin('episode as e', (j) => j.onRef('e.id', '=', 'ip.episode_id').onRef('e.clinic_id', '=', 'ip.clinic_id'))
      .innerJoin('specimen as s', (j) => j.onRef('s.id', '=', 'ip.specimen_id').onRef('s.clinic_id', '=', 'ip.clinic_id'))
      .innerJoin('bedside_verification as v', (j) => j.onRef('v.id', '=', 'ip.verification_id').onRef('v.clinic_id', '=', 'ip.clinic_id'))
      .leftJoin('follow_up_schedule as f', (j) => j.onRef('f.episode_id', '=', 'ip.episode_id').onRef('f.clinic_id', '=', 'ip.clinic_id'))
      .select(['ip.id', 'ip.performed_at', 'ip.total_volume_ml', 'ip.prp_available_ml', 'e.planned_procedure_on', 's.status', 's.expires_at', 's.code', 'v.result', 'v.specimen_id', 'ip.specimen_id as used', 'f.anchor_on'])
      .where('ip.clinic_id', '=', clinicId).execute();
    expect(procedures.length).toBe(result.procedures);
    for (const p of procedures) {
      expect(p.performed_at.slice(0, 10)).toBe(p.planned_procedure_on);
      expect(p.anchor_on).toBe(p.planned_procedure_on);
      expect(p.performed_at <= '2026-06-30T23:59:59Z').toBe(true);
      expect(p.total_volume_ml).toBeLessThanOrEqual(p.prp_available_ml);
      expect(p.performed_at < p.expires_at).toBe(true);
      expect(p.status).toBe('injected');
      expect(p.result).toBe('passed');
      expect(p.specimen_id).toBe(p.used);
      expect(normaliseSpecimenCode(p.code)).toBe(p.code);
    }
    const targets = await store.db.selectFrom('injection_target').select('procedure_id').where('clinic_id', '=', clinicId).execute();
    expect(new Set(targets.map((t) => t.procedure_id)).size).toBe(procedures.length);
    const verified = await verifyAuditChains(store.db, clinicId);
    expect(verified.ok).toBe(true);
  });

  it('shows an injected episode’s timeline with every step done, and the worklists have work', async () => {
    const injected = await store.db.selectFrom('injection_procedure').select('episode_id').where('clinic_id', '=', clinicId).orderBy('episode_id').executeTakeFirstOrThrow();
    const timeline = await getEpisodeTimeline(services, clinician, injected.episode_id);
    const state = Object.fromEntries(timeline.steps.map((s) => [s.step, s.state]));
    for (const step of ['assessment', 'decision', 'consent', 'draw', 'preparation', 'verification', 'injection'] as const) expect(state[step], step).toBe('done');
    // Instructions went out for the date of the injection (when the patient has an email address), through the outbox.
    const sent = await store.db.selectFrom('instruction_send as i').innerJoin('outbox as o', (j) => j.onRef('o.id', '=', 'i.outbox_id'))
      .innerJoin('episode as e', (j) => j.onRef('e.id', '=', 'i.episode_id')).select(['i.planned_procedure_on', 'e.planned_procedure_on as planned', 'o.status', 'o.text_body'])
      .where('i.clinic_id', '=', clinicId).execute();
    expect(sent.length).toBe(result.instructionsSent);
    expect(sent.length).toBeGreaterThan(result.procedures / 2);
    for (const s of sent) {
      expect(s.planned_procedure_on).toBe(s.planned);
      expect(s.status).toBe('sent');
    }
    expect(timeline.steps.find((s) => s.step === 'injection')!.by?.displayName).toMatch(/^Dr /);
    // A patient who came from the public screening: the episode's first step shows what they answered.
    const screened = await store.db.selectFrom('lead as l').innerJoin('episode as e', (j) => j.onRef('e.patient_id', '=', 'l.patient_id').onRef('e.clinic_id', '=', 'l.clinic_id'))
      .select('e.id').where('l.clinic_id', '=', clinicId).orderBy('e.id').executeTakeFirstOrThrow();
    const screening = (await getEpisodeTimeline(services, clinician, screened.id)).steps.find((s) => s.step === 'screening')!;
    expect(screening.state).toBe('done');
    expect(screening.summary).toContain('Lower back');
    const coordinator = await getWorklist(services, { ...clinician, role: 'admin' }, { role: 'coordinator' });
    expect(coordinator.sections.find((s) => s.code === 'leads-to-call')!.items.length).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed gives the same records', async () => {
    const again = await createTestStore(dialect);
    try {
      const otherClinic = (await buildSyntheticClinic(again, OPTIONS)).clinicId;
      await buildSyntheticOutcomes(again, otherClinic, OPTIONS);
      expect(await buildSyntheticPathway(again, otherClinic, OPTIONS)).toEqual(result);
      const codes = async (s: Store, c: string) => (await s.db.selectFrom('specimen').select('code').where('clinic_id', '=', c).orderBy('id').execute()).map((r) => r.code);
      expect(await codes(again, otherClinic)).toEqual(await codes(store, clinicId));
    } finally {
      await again.close();
    }
  });
});
