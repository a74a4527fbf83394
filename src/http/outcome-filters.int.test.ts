import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { outcomeSummary, refreshOutcomeRollup } from '../services/outcome-summary.js';
import { backfillInjectionTargets } from '../store/migrations/0008-outcome-filters.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { daysFromToday, planProcedure } from './testing/follow-up-fixtures.js';
import { pathwayStaff, patientAndEpisode, preparedSpecimen, readyForTreatment, type PathwayStaff } from './testing/pathway.js';
import { useClinicServer } from './testing/test-server.js';

type Target = { structure: string; level?: string; side?: string; volumeMl: number };
const DISC: Target = { structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 1.5 };
const FACET: Target = { structure: 'facet-joint', level: 'L4/L5', side: 'left', volumeMl: 1 };

/**
 * The summary's filters by the recorded injection (clinician, structure), the follow-up anchored
 * on the injection, the per-instrument responder rules, and the instruments a time point lists.
 */
describe.each(DIALECTS)('outcome filters and the injection anchor on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let a: PathwayStaff;
  let b: PathwayStaff;
  let n = 0;
  beforeAll(async () => {
    a = await pathwayStaff(admin, 'a.filters.test');
    b = await pathwayStaff(admin, 'b.filters.test');
  });

  /** An episode taken through the pathway to a recorded injection by `staff` into `targets`. */
  async function injected(staff: PathwayStaff, targets: Target[], options: { plannedOn?: string; beforeInjection?: (episodeId: string) => Promise<void> } = {}) {
    n++;
    const p = await patientAndEpisode(admin, { givenName: `Filter${n}`, familyName: 'Anchor' });
    if (options.plannedOn) await planProcedure(admin, p.episodeId, options.plannedOn);
    await readyForTreatment(staff, admin, p.episodeId, `Filter${n} Anchor`);
    await options.beforeInjection?.(p.episodeId);
    const specimen = await preparedSpecimen(staff, p.episodeId);
    const check = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: p.mrn, birthDate: p.birthDate });
    expect(check.statusCode, check.body).toBe(201);
    const procedure = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/procedures`, { specimenId: specimen.id, imageGuidance: 'fluoroscopy', targets });
    expect(procedure.statusCode, procedure.body).toBe(201);
    return { ...p, procedureId: procedure.json().id as string };
  }

  /** A second recorded injection in the same episode (another product), by `staff`. */
  async function injectAgain(staff: PathwayStaff, p: { episodeId: string; mrn: string; birthDate: string }, targets: Target[]) {
    const specimen = await preparedSpecimen(staff, p.episodeId);
    const check = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: p.mrn, birthDate: p.birthDate });
    expect(check.statusCode, check.body).toBe(201);
    const procedure = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/procedures`, { specimenId: specimen.id, imageGuidance: 'fluoroscopy', targets });
    expect(procedure.statusCode, procedure.body).toBe(201);
  }

  const followUp = async (episodeId: string) => (await admin.get(`/api/v1/episodes/${episodeId}/follow-up`)).json();
  const answer = async (episodeId: string, code: string, instrumentCode: string, answers: Record<string, unknown>) => {
    const tp = (await followUp(episodeId)).timePoints.find((t: { code: string }) => t.code === code);
    const res = await admin.post(`/api/v1/time-points/${tp.id}/responses`, { instrumentCode, mode: 'phone', answers });
    expect(res.statusCode, res.body).toBe(201);
  };
  const summary = async (query: Record<string, string> = {}) => {
    const res = await admin.get(`/api/v1/outcomes/summary?${new URLSearchParams(query).toString()}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const baselineBack = (s: { instruments: { timePoint: string; instrument: string; completed: number }[] }) =>
    s.instruments.find((r) => r.timePoint === 'baseline' && r.instrument === 'nrs-back')?.completed ?? 0;

  it('anchors the follow-up on the recorded injection: planned 3 days ago, injected today → every open time point moves 3 days, and no "new date" email', async () => {
    const planned = daysFromToday(-3);
    let before: { code: string; dueOn: string; windowStartOn: string; windowEndOn: string }[] = [];
    const p = await injected(a, [DISC], {
      plannedOn: planned,
      beforeInjection: async (episodeId) => {
        before = (await followUp(episodeId)).timePoints;
        expect((await admin.post(`/api/v1/episodes/${episodeId}/instructions/send`, {})).statusCode).toBe(201);
      },
    });
    const today = daysFromToday(0);
    const after = await followUp(p.episodeId);
    expect(after.plannedProcedureOn).toBe(today);
    expect(after.schedule.anchorOn).toBe(today);
    expect(after.timePoints.map((t: { code: string }) => t.code)).toEqual(before.map((t) => t.code));
    const shift = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    // The baseline stays due before the injection (its window ends on the day); 6 weeks … 24 months move by 3 days
    // (months are calendar months, so compare with the schedule of the new anchor day by day only for the day offsets).
    const baseline = after.timePoints[0];
    expect(baseline).toMatchObject({ code: 'baseline', windowEndOn: today, dueOn: shift(before[0]!.dueOn) });
    expect(baseline.dueOn < today).toBe(true);
    expect(after.timePoints[1]).toMatchObject({ code: '6w', dueOn: shift(before[1]!.dueOn), windowStartOn: shift(before[1]!.windowStartOn), windowEndOn: shift(before[1]!.windowEndOn) });
    for (const [i, t] of after.timePoints.entries()) expect(t.dueOn > before[i]!.dueOn).toBe(true);

    const sends = await server.store.db.selectFrom('instruction_send').select(['reason', 'planned_procedure_on']).where('episode_id', '=', p.episodeId).execute();
    expect(sends).toEqual([{ reason: 'initial', planned_procedure_on: planned }]);
    const audit = await server.store.db.selectFrom('audit_event').select(['entity_type', 'detail']).where('entity_type', '=', 'follow_up_schedule').where('patient_id', '=', p.patientId).execute();
    const moved = audit.map((e) => JSON.parse(e.detail ?? '{}')).find((d) => d.reason === 'injection-recorded');
    expect(moved).toMatchObject({ plannedProcedureOn: today, previous: planned, movedTimePoints: 6 });
  });

  it('attaches the schedule at the injection when no date was ever planned, and lists only instruments the clinic can ask', async () => {
    const p = await injected(b, [DISC, FACET]);
    const f = await followUp(p.episodeId);
    expect(f.plannedProcedureOn).toBe(daysFromToday(0));
    expect(f.timePoints).toHaveLength(6);
    // The ODI's licensed wording was never imported: not asked, and said so.
    expect(f.timePoints[0]).toMatchObject({ code: 'baseline', instruments: ['nrs-back', 'nrs-leg', 'peg', 'start-back'], notImported: ['odi'] });
    expect(f.timePoints[1]).toMatchObject({ code: '6w', instruments: ['nrs-back', 'nrs-leg', 'peg', 'pgic'], notImported: ['odi'] });
    // The baseline window closes today: the coordinator's worklist names the instruments to ask.
    const item = (await admin.get('/api/v1/follow-up/worklist')).json().find((i: { episodeId: string; timePoint: string }) => i.episodeId === p.episodeId && i.timePoint === 'baseline');
    expect(item.instruments).toEqual(['nrs-back', 'nrs-leg', 'peg', 'start-back']);
  });

  it('filters the summary by the injecting clinician and by the structure injected (both: the same injection), from the rollup exactly as live', async () => {
    const e1 = await injected(a, [DISC]);
    const e2 = await injected(a, [FACET]);
    const e3 = await injected(b, [DISC, FACET]); // two structures: in both structures' cells
    const e4 = await injected(b, [FACET, { ...FACET, side: 'right' }]); // two targets in one structure: counted once there
    const e5 = await injected(a, [{ structure: 'sacroiliac-joint', side: 'left', volumeMl: 2 }]);
    await injectAgain(b, e5, [DISC]); // injections by two clinicians: in both clinicians' cells, (a, disc) not among them
    for (const [e, base, six] of [[e1, 8, 4], [e2, 6, 6], [e3, 7, 3], [e4, 9, 5], [e5, 5, 1]] as const) {
      await answer(e.episodeId, 'baseline', 'nrs-back', { intensity: base });
      await answer(e.episodeId, '6w', 'nrs-back', { intensity: six });
    }
    expect(baselineBack(await summary())).toBe(5);
    expect(baselineBack(await summary({ clinicianId: a.clinicianId }))).toBe(3);
    expect(baselineBack(await summary({ clinicianId: b.clinicianId }))).toBe(3);
    expect(baselineBack(await summary({ structure: 'facet-joint' }))).toBe(3);
    expect(baselineBack(await summary({ structure: 'intervertebral-disc' }))).toBe(3);
    expect(baselineBack(await summary({ clinicianId: a.clinicianId, structure: 'facet-joint' }))).toBe(1);
    expect(baselineBack(await summary({ clinicianId: b.clinicianId, structure: 'intervertebral-disc' }))).toBe(2);
    expect(baselineBack(await summary({ clinicianId: a.clinicianId, structure: 'intervertebral-disc' }))).toBe(1);
    expect((await summary({ clinicianId: b.clinicianId, structure: 'sacroiliac-joint' })).instruments).toEqual([]);
    expect((await summary({ structure: 'epidural-caudal' })).instruments).toEqual([]);
    // Clinician A at 6 weeks: 8 → 4 and 5 → 1 respond, 6 → 6 does not.
    const byA = await summary({ clinicianId: a.clinicianId });
    expect(byA.responders.find((r: { timePoint: string; instrument: string }) => r.timePoint === '6w' && r.instrument === 'nrs-back')).toMatchObject({ evaluable: 3, responders: 2 });
    expect(byA.filters).toMatchObject({ clinicianId: a.clinicianId });

    // Bad filters answer 400 naming the field; a clinician of another clinic is unknown here.
    const bad = await admin.get('/api/v1/outcomes/summary?structure=kneecap');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('structure');
    const stranger = await admin.get(`/api/v1/outcomes/summary?clinicianId=${'0190a000-0000-7000-8000-000000000000'}`);
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().field).toBe('clinicianId');

    // The rollup has cells per clinician and structure: every combination read from it equals the live answer.
    const staff = await server.store.db.selectFrom('staff_user').select(['id', 'clinic_id', 'email']).where('email', '=', 'ada@clinic.test').executeTakeFirstOrThrow();
    const actor = { userId: staff.id, clinicId: staff.clinic_id, role: 'admin' as const, timeZone: 'UTC', label: staff.email, ip: '127.0.0.1' };
    expect(await refreshOutcomeRollup(server.store, staff.clinic_id, new Date().toISOString(), { minTimePoints: 0 })).toBe(true);
    const strip = ({ source: _s, computedAt: _c, ...rest }: Awaited<ReturnType<typeof outcomeSummary>>) => JSON.parse(JSON.stringify(rest));
    const thisMonth = `${daysFromToday(0).slice(0, 7)}-01`;
    let compared = 0;
    for (const clinicianId of [undefined, a.clinicianId, b.clinicianId]) {
      for (const structure of [undefined, 'facet-joint', 'intervertebral-disc', 'sacroiliac-joint', 'epidural-caudal']) {
        for (const range of [{}, { from: thisMonth }]) {
          const filters = { ...range, ...(clinicianId ? { clinicianId } : {}), ...(structure ? { structure } : {}) };
          const live = await outcomeSummary(server.services, actor, filters, { source: 'live' });
          const rolled = await outcomeSummary(server.services, actor, filters, { source: 'rollup' });
          expect(rolled.source).toBe('rollup');
          expect(strip(rolled), JSON.stringify(filters)).toEqual(strip(live));
          if (live.instruments.length > 0) compared++;
        }
      }
    }
    expect(compared).toBe(2 * 11); // 11 non-empty cohorts (ones with data really compared), in both ranges
    // Two facet targets in one episode count once in the facet cell; the structures' cells overlap (3 + 3 + 1 > 5).
    const rolledBack = async (filters: Record<string, string>) => (await outcomeSummary(server.services, actor, filters, { source: 'rollup' }))
      .instruments.find((r) => r.timePoint === 'baseline' && r.instrument === 'nrs-back')?.completed;
    expect(await rolledBack({ structure: 'facet-joint' })).toBe(3);
    expect(await rolledBack({ structure: 'intervertebral-disc' })).toBe(3);
    expect(await rolledBack({ structure: 'sacroiliac-joint' })).toBe(1);
    expect(await rolledBack({})).toBe(5);
    // A range that is not whole months is computed live, filtered or not.
    expect((await outcomeSummary(server.services, actor, { structure: 'facet-joint', from: `${thisMonth.slice(0, 7)}-02` }, { source: 'rollup' })).source).toBe('live');
  });

  it('copies every target into injection_target with the procedure, and the migration backfills the same rows', async () => {
    const p = await injected(b, [FACET, DISC]);
    const rows = () => server.store.db.selectFrom('injection_target').select(['procedure_id', 'episode_id', 'position', 'structure', 'level', 'side', 'volume_ml'])
      .orderBy('procedure_id').orderBy('position').execute();
    const written = await rows();
    expect(written.filter((r) => r.procedure_id === p.procedureId)).toEqual([
      { procedure_id: p.procedureId, episode_id: p.episodeId, position: 0, structure: 'facet-joint', level: 'L4/L5', side: 'left', volume_ml: 1 },
      { procedure_id: p.procedureId, episode_id: p.episodeId, position: 1, structure: 'intervertebral-disc', level: 'L4/L5', side: null, volume_ml: 1.5 },
    ]);
    await server.store.db.deleteFrom('injection_target').execute();
    await backfillInjectionTargets(server.store.db as unknown as Kysely<unknown>, server.store.dialect);
    expect((await rows()).map((r) => ({ ...r, volume_ml: Number(r.volume_ml), position: Number(r.position) }))).toEqual(written);
    // Idempotent: a second run adds nothing.
    await backfillInjectionTargets(server.store.db as unknown as Kysely<unknown>, server.store.dialect);
    expect(await rows()).toHaveLength(written.length);
  });

  it('keeps one responder rule per instrument, each printed beside its own figure', async () => {
    const settings = (await admin.get('/api/v1/outcome-settings')).json();
    expect(settings.responderRuleList.map((e: { instrument: string }) => e.instrument)).toEqual(['nrs-back', 'nrs-leg', 'odi']);
    expect(settings.responderRules.odi).toEqual({ kind: 'any', rules: [{ kind: 'absolute', instrument: 'odi', points: 10, direction: 'decrease' }, { kind: 'percent', instrument: 'odi', percent: 30 }] });

    const wrong = await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: { 'nrs-leg': { kind: 'percent', instrument: 'nrs-back', percent: 30 } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('responderRules.nrs-leg');
    const notOutcome = await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: { 'start-back': { kind: 'percent', instrument: 'start-back', percent: 30 } } });
    expect(notOutcome.json().field).toBe('responderRules.start-back');
    const badThreshold = await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: { 'nrs-back': { kind: 'percent', instrument: 'nrs-back', percent: 130 } } });
    expect(badThreshold.json().field).toBe('responderRules.nrs-back.percent');
    expect((await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: {} })).json().field).toBe('responderRules');

    const rules = { 'nrs-back': { kind: 'percent', instrument: 'nrs-back', percent: 50 }, 'nrs-leg': { kind: 'absolute', instrument: 'nrs-leg', points: 2, direction: 'decrease' } };
    const saved = await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: rules });
    expect(saved.statusCode, saved.body).toBe(200);
    const e = await injected(a, [DISC]);
    await answer(e.episodeId, 'baseline', 'nrs-back', { intensity: 8 });
    await answer(e.episodeId, 'baseline', 'nrs-leg', { intensity: 5 });
    await answer(e.episodeId, '6w', 'nrs-back', { intensity: 5 }); // −37.5 %: not 50 %
    await answer(e.episodeId, '6w', 'nrs-leg', { intensity: 3 }); // −2 points
    const s = await summary({ clinicianId: a.clinicianId });
    const at6w = s.responders.filter((r: { timePoint: string }) => r.timePoint === '6w');
    const back = at6w.find((r: { instrument: string }) => r.instrument === 'nrs-back');
    const leg = at6w.find((r: { instrument: string }) => r.instrument === 'nrs-leg');
    expect(leg).toMatchObject({ evaluable: 1, responders: 1, rule: 'nrs-leg fell by at least 2 points from baseline' });
    expect(back.rule).toBe('nrs-back fell by at least 50 % from baseline');
    expect(back.responders).toBe(2); // of the earlier test's episodes by A: 8 → 4 is −50 %, 5 → 1 is −80 %
    expect(s.responderRules.map((r: { instrument: string }) => r.instrument)).toEqual(['nrs-back', 'nrs-leg']);
    expect((await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: null })).json().responderRuleList).toHaveLength(3);
  });
});
