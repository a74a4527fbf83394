import { beforeAll, describe, expect, it } from 'vitest';
import { FollowUpScheduler } from '../jobs/follow-up-scheduler.js';
import { INSTRUMENT_CODES, ODI_SECTIONS, isResponder, meanChange, studentTQuantile, wilsonInterval, type ResponderRule } from '../science/index.js';
import { outcomeSummary, refreshOutcomeRollup } from '../services/outcome-summary.js';
import { hashToken } from '../services/secrets.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { daysFromToday, formPost, instantIn, linksSentTo, patientWithEpisode, planProcedure, quietLog } from './testing/follow-up-fixtures.js';
import { TestClient, useClinicServer } from './testing/test-server.js';

/** A licensed-looking ODI file: neutral placeholder wording, generic linkIds, options in printed order. */
function odiFile(sections = 10, options = 6) {
  return {
    resourceType: 'Questionnaire', status: 'active', version: '2.1a-clinic-copy', title: 'Clinic ODI (test copy)', copyright: 'Test placeholder, not the licensed text.',
    item: Array.from({ length: sections }, (_, s) => ({
      linkId: `section-${s + 1}`, type: 'choice', text: `Section ${s + 1} placeholder`,
      answerOption: Array.from({ length: options }, (_, o) => ({ valueCoding: { code: `s${s + 1}o${o + 1}`, display: `Statement ${o + 1}` } })),
    })),
  };
}

describe.each(DIALECTS)('outcomes on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let scheduler: FollowUpScheduler;
  beforeAll(async () => {
    scheduler = new FollowUpScheduler(server.services, quietLog);
  });

  const followUp = async (episodeId: string) => (await admin.get(`/api/v1/episodes/${episodeId}/follow-up`)).json();

  it('attaches the default protocol when the procedure is planned, and moves every open time point with the date', async () => {
    const { episodeId } = await patientWithEpisode(admin);
    const planned = await planProcedure(admin, episodeId, '2027-03-31');
    expect(planned.timePoints.map((t) => [t.code, t.dueOn, t.windowStartOn, t.windowEndOn])).toEqual([
      ['baseline', '2027-03-24', '2027-03-01', '2027-03-31'], // baseline due before the injection, window ends on the day
      ['6w', '2027-05-12', '2027-04-28', '2027-05-26'],
      ['3m', '2027-06-30', '2027-06-16', '2027-07-14'],
      ['6m', '2027-09-30', '2027-09-02', '2027-10-28'],
      ['12m', '2028-03-31', '2028-03-03', '2028-04-28'],
      ['24m', '2029-03-31', '2029-03-03', '2029-04-28'],
    ]);
    const baseline = planned.timePoints[0]!;
    // A baseline answered on paper stays where it is; everything still open moves.
    const entered = await admin.post(`/api/v1/time-points/${baseline.id}/responses`, { instrumentCode: 'nrs-back', mode: 'paper', answers: { intensity: 6 } });
    expect(entered.statusCode).toBe(201);
    for (const code of ['nrs-leg', 'peg', 'start-back']) {
      const answers = code === 'peg' ? { pain: 5, enjoyment: 4, activity: 6 } : code === 'nrs-leg' ? { intensity: 2 } : Object.fromEntries([...Array.from({ length: 8 }, (_, i) => [`q${i + 1}`, 'disagree']), ['q9', 'slightly']]);
      expect((await admin.post(`/api/v1/time-points/${baseline.id}/responses`, { instrumentCode: code, mode: 'paper', answers })).statusCode).toBe(201);
    }
    const moved = await planProcedure(admin, episodeId, '2027-04-30');
    expect(moved.timePoints[0]).toMatchObject({ code: 'baseline', status: 'completed', dueOn: '2027-03-24' });
    expect(moved.timePoints.slice(1).map((t) => [t.code, t.dueOn])).toEqual([
      ['6w', '2027-06-11'], ['3m', '2027-07-30'], ['6m', '2027-10-30'], ['12m', '2028-04-30'], ['24m', '2029-04-30'],
    ]);
    const episode = (await admin.get(`/api/v1/episodes/${episodeId}`)).json();
    expect(episode.plannedProcedureOn).toBe('2027-04-30');
  });

  it('refuses an impossible procedure date, naming the field', async () => {
    const { episodeId } = await patientWithEpisode(admin);
    const bad = await admin.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: '2027-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('plannedProcedureOn');
  });

  it('stops every email when the episode is cancelled, and resumes when it is reopened', async () => {
    const email = 'cancel@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(10));
    expect((await admin.patch(`/api/v1/episodes/${episodeId}`, { status: 'cancelled' })).statusCode).toBe(200);
    await scheduler.runOnce();
    expect(await linksSentTo(server.store, email)).toEqual([]);
    const view = await followUp(episodeId);
    expect(view.schedule.status).toBe('stopped');
    expect(view.timePoints.every((t: { status: string; stopReason: string }) => t.status === 'stopped' && t.stopReason === 'episode-cancelled')).toBe(true);
    await admin.patch(`/api/v1/episodes/${episodeId}`, { status: 'open' });
    await scheduler.runOnce();
    expect(await linksSentTo(server.store, email)).toHaveLength(1);
  });

  it('re-checks eligibility at send time: a cancellation written behind the service still stops the email', async () => {
    const email = 'behind@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await server.store.db.updateTable('episode').set({ status: 'cancelled' }).where('id', '=', episodeId).execute();
    await scheduler.runOnce();
    expect(await linksSentTo(server.store, email)).toEqual([]);
    expect((await followUp(episodeId)).timePoints[0]).toMatchObject({ status: 'stopped', stopReason: 'episode-cancelled' });
  });

  it('stores the link only as a SHA-256 hash, and shows a kind page for an unknown or expired link', async () => {
    const email = 'token@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await scheduler.runOnce();
    const [token] = await linksSentTo(server.store, email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    const links = await server.store.db.selectFrom('survey_link').selectAll().execute();
    expect(links.some((l) => l.token_hash === hashToken(token!))).toBe(true);
    expect(JSON.stringify(links)).not.toContain(token);
    const page = await admin.get(`/survey?t=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('Harbour Spine Clinic');

    const unknown = await admin.get(`/survey?t=${'x'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('We could not open this link');
    // Move the procedure far back: the open baseline moves with it, its window closes, the link expires.
    await planProcedure(admin, episodeId, daysFromToday(-200));
    const expired = await admin.get(`/survey?t=${token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has closed');
    expect(expired.body).toContain('Harbour Spine Clinic');
  });

  it('rate-limits link guessing per address', async () => {
    const guesser = new TestClient(server.app, '203.0.113.77');
    for (let i = 0; i < 10; i++) expect((await guesser.get(`/survey?t=${'g'.repeat(42)}${i}`)).statusCode).toBe(404);
    const blocked = await guesser.get(`/survey?t=${'g'.repeat(43)}`);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    const rows = await server.store.db.selectFrom('throttle').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('203.0.113.77');
    // Another address is not affected.
    expect((await new TestClient(server.app, '198.51.100.9').get(`/survey?t=${'h'.repeat(43)}`)).statusCode).toBe(404);
  });

  it('saves a page once however often it is submitted, refuses an out-of-range answer naming the question, and completes the time point', async () => {
    const email = 'survey@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email, givenName: 'Ada' });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await scheduler.runOnce();
    const [t] = await linksSentTo(server.store, email);
    const patient = new TestClient(server.app, '192.0.2.10');

    const outOfRange = await formPost(patient, '/survey', { t: t!, step: 'nrs-back', action: 'next', 'a:intensity': '11' });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.body).toContain('Question 1: please choose a number from 0 to 10.');
    expect(outOfRange.body).toContain('href="#q1"');
    const missing = await formPost(patient, '/survey', { t: t!, step: 'peg', action: 'next', 'a:pain': '4' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Please answer question 2.');
    expect(missing.body).toContain('Please answer question 3.');
    expect(await server.store.db.selectFrom('survey_response').select('id').where('episode_id', '=', episodeId).where('status', '=', 'completed').execute()).toHaveLength(0);

    const first = await formPost(patient, '/survey', { t: t!, step: 'nrs-back', action: 'next', 'a:intensity': '7' });
    const again = await formPost(patient, '/survey', { t: t!, step: 'nrs-back', action: 'next', 'a:intensity': '7' });
    expect([first.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(first.headers.location).toContain('step=nrs-leg');
    const rows = await server.store.db.selectFrom('survey_response').selectAll().where('episode_id', '=', episodeId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ instrument_code: 'nrs-back', status: 'completed', score: 7, mode: 'web', science_version: expect.any(String), recall_period: 'P7D' });

    // Partial answers are kept and offered again.
    const later = await formPost(patient, '/survey', { t: t!, step: 'peg', action: 'later', 'a:pain': '6' });
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('Your answers are saved');
    const resumed = await patient.get(`/survey?t=${t}&step=peg`);
    expect(resumed.body).toMatch(/name="a:pain" checked="" value="6"/);

    await formPost(patient, '/survey', { t: t!, step: 'nrs-leg', action: 'next', 'a:intensity': '2' });
    await formPost(patient, '/survey', { t: t!, step: 'peg', action: 'next', 'a:pain': '6', 'a:enjoyment': '5', 'a:activity': '7' });
    const startBack = { t: t!, step: 'start-back', action: 'next', ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a:q${i + 1}`, i >= 4 ? 'agree' : 'disagree'])), 'a:q9': 'extremely' };
    const last = await formPost(patient, '/survey', startBack);
    expect(last.statusCode).toBe(303);
    const lastAgain = await formPost(patient, '/survey', startBack);
    expect(lastAgain.statusCode).toBe(303);
    const done = await patient.get(last.headers.location as string);
    expect(done.body).toContain('Thank you, Ada');
    expect(done.body).toContain('<svg');
    const all = await server.store.db.selectFrom('survey_response').selectAll().where('episode_id', '=', episodeId).execute();
    expect(all).toHaveLength(4);
    const sb = all.find((r) => r.instrument_code === 'start-back')!;
    expect(sb.score).toBe(5);
    expect(JSON.parse(typeof sb.score_detail_json === 'string' ? sb.score_detail_json : JSON.stringify(sb.score_detail_json))).toEqual({ psychosocial: 5, risk: 'high' });
    const view = await followUp(episodeId);
    expect(view.timePoints[0]).toMatchObject({ code: 'baseline', status: 'completed', state: 'completed', nextSendOn: null });
    // One audit event per saved page, none for the identical repeats.
    const events = await server.store.db.selectFrom('audit_event').select(['action', 'entity_type']).where('patient_id', '=', view.patientId).where('entity_type', '=', 'survey_response').execute();
    expect(events.filter((e) => e.action === 'create')).toHaveLength(4);
  });

  it('refuses an out-of-range phone answer naming the item, and audits every read of the answers', async () => {
    const { episodeId, patientId } = await patientWithEpisode(admin);
    const plan = await planProcedure(admin, episodeId, daysFromToday(5));
    const tp = plan.timePoints[0]!;
    const bad = await admin.post(`/api/v1/time-points/${tp.id}/responses`, { instrumentCode: 'peg', mode: 'phone', answers: { pain: 4, enjoyment: 12, activity: -1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('answers.enjoyment');
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['answers.enjoyment', 'answers.activity']);
    const notAsked = await admin.post(`/api/v1/time-points/${tp.id}/responses`, { instrumentCode: 'pgic', mode: 'phone', answers: { change: 'no-change' } });
    expect(notAsked.json().field).toBe('instrumentCode');
    const before = await server.store.db.selectFrom('audit_event').select('id').where('patient_id', '=', patientId).where('action', '=', 'read').execute();
    await followUp(episodeId);
    const after = await server.store.db.selectFrom('audit_event').select(['id', 'entity_type']).where('patient_id', '=', patientId).where('action', '=', 'read').execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('lets a patient stop follow-up from the link', async () => {
    const email = 'stop@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await scheduler.runOnce();
    const [t] = await linksSentTo(server.store, email);
    const confirm = await admin.get(`/survey/stop?t=${t}`);
    expect(confirm.body).toContain('Stop these questions?');
    const stopped = await formPost(admin, '/survey/stop', { t: t!, confirm: 'yes' });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.body).toContain('We will not send you more questions');
    const view = await followUp(episodeId);
    expect(view.schedule).toMatchObject({ status: 'stopped', stopReason: 'opted-out' });
    expect(view.timePoints[0].contacts.map((c: { kind: string }) => c.kind)).toEqual(['invitation', 'opt-out']);
    await scheduler.runOnce(instantIn(3));
    expect(await linksSentTo(server.store, email)).toHaveLength(1);
  });

  it('imports a licensed ODI copy checked against 10 sections × 6 statements, then asks and scores it', async () => {
    const before = (await admin.get('/api/v1/instruments')).json().find((i: { code: string }) => i.code === 'odi');
    expect(before).toMatchObject({ available: false, wording: 'import-required' });
    expect(before.licence).toContain('does not include its wording');
    expect((await admin.get('/api/v1/instruments/odi')).statusCode).toBe(404);
    const short = await admin.post('/api/v1/instruments', { code: 'odi', questionnaire: odiFile(9) });
    expect(short.statusCode).toBe(400);
    expect(short.json().field).toBe('questionnaire.item');
    expect(short.json().detail).toContain('10 sections × 6 statements');
    const fiveOptions = await admin.post('/api/v1/instruments', { code: 'odi', questionnaire: odiFile(10, 5) });
    expect(fiveOptions.statusCode).toBe(400);
    const imported = await admin.post('/api/v1/instruments', { code: 'odi', questionnaire: odiFile() });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ code: 'odi', available: true, source: 'imported', version: '2.1a-clinic-copy' });
    const q = (await admin.get('/api/v1/instruments/odi')).json();
    expect(q.item.map((i: { linkId: string }) => i.linkId)).toEqual([...ODI_SECTIONS]);
    expect(q.item[0].answerOption.map((o: { valueCoding: { code: string; display: string } }) => o.valueCoding.code)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(q.item[0].answerOption[5].valueCoding.display).toBe('Statement 6');

    const email = 'odi@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await scheduler.runOnce();
    const [t] = await linksSentTo(server.store, email);
    const page = await admin.get(`/survey?t=${t}&step=odi`);
    expect(page.body).toContain('Section 1 placeholder');
    expect(page.body).toContain('used under licence by Harbour Spine Clinic');
    // Sections 1–9 answered 2, the last one skipped: 18 / 45 × 100 = 40 % (Fairbank & Pynsent 2000).
    const form: Record<string, string> = { t: t!, step: 'odi', action: 'next' };
    ODI_SECTIONS.slice(0, 9).forEach((s) => { form[`a:${s}`] = '2'; });
    expect((await formPost(admin, '/survey', form)).statusCode).toBe(303);
    const row = await server.store.db.selectFrom('survey_response').selectAll().where('episode_id', '=', episodeId).where('instrument_code', '=', 'odi').executeTakeFirstOrThrow();
    expect(row.score).toBe(40);
    expect(row.instrument_version).toBe('2.1a-clinic-copy');
    expect(row.instrument_id).toBe((await server.store.db.selectFrom('instrument').select('id').where('active', '=', 1).executeTakeFirstOrThrow()).id);
  });

  it('lists due time points that email did not bring in on the phone worklist, and logs calls', async () => {
    const { episodeId } = await patientWithEpisode(admin, { email: null, givenName: 'Noemail' });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await scheduler.runOnce();
    const list = (await admin.get('/api/v1/follow-up/worklist')).json() as { timePointId: string; episodeId: string; reasons: string[]; patient: { givenName: string } }[];
    const item = list.find((i) => i.episodeId === episodeId)!;
    expect(item.reasons).toContain('no-email');
    expect(item.patient.givenName).toBe('Noemail');
    const call = await admin.post(`/api/v1/time-points/${item.timePointId}/calls`, { outcome: 'no-answer', note: 'Left a voicemail' });
    expect(call.statusCode).toBe(201);
    const failure = await admin.post(`/api/v1/episodes/${episodeId}/treatment-failures`, { kind: 'repeat-injection', occurredOn: daysFromToday(-1) });
    expect(failure.statusCode).toBe(201);
    const future = await admin.post(`/api/v1/episodes/${episodeId}/treatment-failures`, { kind: 'surgery', occurredOn: daysFromToday(30) });
    expect(future.json().field).toBe('occurredOn');
    const view = await followUp(episodeId);
    expect(view.timePoints[0].contacts[0]).toMatchObject({ kind: 'call', outcome: 'no-answer' });
    expect(view.treatmentFailures).toEqual([expect.objectContaining({ kind: 'repeat-injection' })]);
  });

  it('summarises a hand-checked cohort: completion, mean change with its t interval, responders with Wilson', async () => {
    const indication = 'lumbar-radicular-pain';
    // Procedure 100 days ago: baseline and 6 weeks are past, 3 months is due now.
    const cohort: { baseline: number; threeMonths?: number; pgic?: string }[] = [
      { baseline: 8, threeMonths: 4, pgic: 'much-improved' },
      { baseline: 6, threeMonths: 5 },
      { baseline: 7, threeMonths: 3, pgic: 'minimally-improved' },
      { baseline: 5 },
    ];
    for (const c of cohort) {
      const { episodeId } = await patientWithEpisode(admin, { indication, email: null });
      const plan = await planProcedure(admin, episodeId, daysFromToday(-100));
      const at = (code: string) => plan.timePoints.find((t) => t.code === code)!.id;
      const enter = async (tp: string, instrumentCode: string, answers: Record<string, unknown>) => {
        const res = await admin.post(`/api/v1/time-points/${tp}/responses`, { instrumentCode, mode: 'phone', answers });
        expect(res.statusCode, res.body).toBe(201);
      };
      await enter(at('baseline'), 'nrs-back', { intensity: c.baseline });
      if (c.threeMonths !== undefined) await enter(at('3m'), 'nrs-back', { intensity: c.threeMonths });
      if (c.pgic) await enter(at('3m'), 'pgic', { change: c.pgic });
    }
    const summary = (await admin.get(`/api/v1/outcomes/summary?indication=${indication}`)).json();
    const row = summary.instruments.find((r: { timePoint: string; instrument: string }) => r.timePoint === '3m' && r.instrument === 'nrs-back');
    // Changes −4, −1, −4: mean −3, SD √3, t(0.975, 2) = 4.3027 → −3 ± 4.3027.
    expect(row).toMatchObject({ due: 4, completed: 3, completionPercent: 75, meanScore: 4, baselineN: 4 });
    expect(row.change.n).toBe(3);
    expect(row.change.mean).toBeCloseTo(-3, 12);
    expect(row.change.sd).toBeCloseTo(Math.sqrt(3), 12);
    expect(row.change.lower).toBeCloseTo(-3 - 4.302652729749464, 9);
    expect(row.change.upper).toBeCloseTo(-3 + 4.302652729749464, 9);
    expect(row.change.lower).toBeCloseTo(meanChange([[8, 4], [6, 5], [7, 3]]).lower!, 12);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749464, 9);
    const baselineRow = summary.instruments.find((r: { timePoint: string; instrument: string }) => r.timePoint === 'baseline' && r.instrument === 'nrs-back');
    expect(baselineRow).toMatchObject({ completed: 4, meanScore: 6.5, change: null });

    // Wilson 20.8 %–93.9 %.
    // Default rule for the back-pain NRS (Ostelo 2008: 2 points or 30 %): −4 yes, −1 (17 %) no, −4 yes → 2 of 3.
    const nrsBack = (r: { timePoint: string; instrument: string }) => r.timePoint === '3m' && r.instrument === 'nrs-back';
    const responders = summary.responders.find(nrsBack);
    expect(responders).toMatchObject({ evaluable: 3, responders: 2, rule: summary.responderRules.find((e: { instrument: string }) => e.instrument === 'nrs-back').text });
    // One figure per instrument with a rule and data: no leg-pain or ODI answers here, so no such rows.
    expect(summary.responders.filter((r: { timePoint: string }) => r.timePoint === '3m').map((r: { instrument: string }) => r.instrument)).toEqual(['nrs-back']);
    expect(responders.lower).toBeCloseTo(0.2077, 4);
    expect(responders.upper).toBeCloseTo(0.9385, 4);
    expect(responders.lower).toBeCloseTo(wilsonInterval(2, 3).lower!, 12);

    // A combined rule is counted in SQL exactly as isResponder decides (three-valued: a missing PGIC
    // leaves "any" undecided unless the other part holds).
    const rule: ResponderRule = { kind: 'any', rules: [{ kind: 'percent', instrument: INSTRUMENT_CODES.nrsBack, percent: 50 }, { kind: 'pgic', atLeast: 'much-improved' }] };
    expect((await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: { 'nrs-back': rule } })).statusCode).toBe(200);
    const expected = cohort.filter((c) => c.threeMonths !== undefined).map((c) => isResponder(rule, { 'nrs-back': c.baseline }, { 'nrs-back': c.threeMonths, pgic: c.pgic === 'much-improved' ? 2 : c.pgic ? 3 : null }));
    const combined = (await admin.get(`/api/v1/outcomes/summary?indication=${indication}`)).json().responders.find(nrsBack);
    expect(combined.evaluable).toBe(expected.filter((e) => e !== null).length);
    expect(combined.responders).toBe(expected.filter((e) => e === true).length);
    expect(combined.rule).toContain('OR');
    await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: null });

    // The rollup a large clinic is summarised from gives the same figures as the live queries.
    const staff = await server.store.db.selectFrom('staff_user').select(['id', 'clinic_id', 'email']).where('email', '=', 'ada@clinic.test').executeTakeFirstOrThrow();
    const actor = { userId: staff.id, clinicId: staff.clinic_id, role: 'admin' as const, timeZone: 'UTC', label: staff.email, ip: '127.0.0.1' };
    expect(await refreshOutcomeRollup(server.store, staff.clinic_id, new Date().toISOString(), { minTimePoints: 0 })).toBe(true);
    const monthStart = `${daysFromToday(-100).slice(0, 7)}-01`;
    for (const filters of [{ indication }, { indication, from: monthStart }, {}]) {
      const live = await outcomeSummary(server.services, actor, filters, { source: 'live' });
      const rolled = await outcomeSummary(server.services, actor, filters, { source: 'rollup' });
      expect(rolled.source).toBe('rollup');
      const strip = ({ source: _s, computedAt: _c, ...rest }: typeof live) => rest;
      expect(JSON.parse(JSON.stringify(strip(rolled)))).toEqual(JSON.parse(JSON.stringify(strip(live))));
    }
    // A range that does not cover whole months is always computed live.
    expect((await outcomeSummary(server.services, actor, { from: `${monthStart.slice(0, 7)}-02` }, { source: 'rollup' })).source).toBe('live');

    const none = (await admin.get(`/api/v1/outcomes/summary?indication=${indication}&from=${daysFromToday(-50)}`)).json();
    expect(none.instruments).toEqual([]);
    expect((await admin.get('/api/v1/outcomes/summary?from=2027-01-02&to=2027-01-01')).json().field).toBe('to');
  });

  it('pairs a follow-up with a baseline entered after it, and follows a corrected baseline', async () => {
    const indication = 'sacroiliac-joint-pain';
    const { episodeId } = await patientWithEpisode(admin, { indication, email: null });
    const plan = await planProcedure(admin, episodeId, daysFromToday(-100));
    const at = (code: string) => plan.timePoints.find((t) => t.code === code)!.id;
    const change = async () => (await admin.get(`/api/v1/outcomes/summary?indication=${indication}`)).json().instruments
      .find((r: { timePoint: string; instrument: string }) => r.timePoint === '3m' && r.instrument === 'nrs-back').change;
    await admin.post(`/api/v1/time-points/${at('3m')}/responses`, { instrumentCode: 'nrs-back', mode: 'phone', answers: { intensity: 4 } });
    expect(await change()).toMatchObject({ n: 0, mean: null });
    await admin.post(`/api/v1/time-points/${at('baseline')}/responses`, { instrumentCode: 'nrs-back', mode: 'paper', answers: { intensity: 9 } });
    expect(await change()).toMatchObject({ n: 1, mean: -5 });
    await admin.post(`/api/v1/time-points/${at('baseline')}/responses`, { instrumentCode: 'nrs-back', mode: 'paper', answers: { intensity: 7 } });
    expect(await change()).toMatchObject({ n: 1, mean: -3 });
  });

  it('keeps outcome data to its clinic’s roles: a lab account may not read or write it', async () => {
    await admin.post('/api/v1/staff', { email: 'lab-outcomes@clinic.test', displayName: 'Lab', role: 'lab', password: 'quartz meadow spindle 71' });
    const lab = await new TestClient(server.app).signIn('lab-outcomes@clinic.test', 'quartz meadow spindle 71');
    expect((await lab.get('/api/v1/outcomes/summary')).statusCode).toBe(403);
    const coordinator = await admin.post('/api/v1/staff', { email: 'coord-outcomes@clinic.test', displayName: 'Coord', role: 'coordinator', password: 'violet harbour kettle 93' });
    expect(coordinator.statusCode).toBe(201);
    const coord = await new TestClient(server.app).signIn('coord-outcomes@clinic.test', 'violet harbour kettle 93');
    expect((await coord.post('/api/v1/instruments', { code: 'odi', questionnaire: odiFile() })).statusCode).toBe(403);
    expect((await coord.get('/api/v1/outcomes/summary')).statusCode).toBe(200);
  });

  it('shades each chart on the patient\'s progress page by the responder rule of its own instrument', async () => {
    const rules = {
      'nrs-back': { kind: 'absolute', instrument: 'nrs-back', points: 3, direction: 'decrease' },
      'nrs-leg': { kind: 'any', rules: [{ kind: 'absolute', instrument: 'nrs-leg', points: 4, direction: 'decrease' }, { kind: 'percent', instrument: 'nrs-leg', percent: 30 }] },
      odi: { kind: 'absolute', instrument: 'odi', points: 15, direction: 'decrease' },
    };
    expect((await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: rules })).statusCode).toBe(200);
    const email = 'bands@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email, givenName: 'Bea' });
    await planProcedure(admin, episodeId, daysFromToday(10));
    await scheduler.runOnce();
    const [t] = await linksSentTo(server.store, email);
    const patient = new TestClient(server.app, '192.0.2.11');
    await formPost(patient, '/survey', { t: t!, step: 'nrs-back', action: 'next', 'a:intensity': '7' });
    await formPost(patient, '/survey', { t: t!, step: 'nrs-leg', action: 'next', 'a:intensity': '6' });
    await formPost(patient, '/survey', { t: t!, step: 'peg', action: 'next', 'a:pain': '6', 'a:enjoyment': '5', 'a:activity': '7' });
    let last = await formPost(patient, '/survey', { t: t!, step: 'start-back', action: 'next', ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a:q${i + 1}`, 'disagree'])), 'a:q9': 'not-at-all' });
    // The ODI is asked once the clinic has imported its licensed copy (an earlier test does): 9 sections × 2 = 40 %.
    const odiAsked = String(last.headers.location).includes('step=odi');
    if (odiAsked) last = await formPost(patient, '/survey', { t: t!, step: 'odi', action: 'next', ...Object.fromEntries(ODI_SECTIONS.slice(0, 9).map((s) => [`a:${s}`, '2'])) });
    expect(last.statusCode, last.body).toBe(303);
    const done = (await patient.get(last.headers.location as string)).body;
    expect(done).toContain('Thank you, Bea');
    const captions = [...done.matchAll(/<figcaption[^>]*>([^<]*)<\/figcaption>/g)].map((m) => m[1]);
    // Each chart by its own instrument's rule (back 3, leg 4, ODI 15 points) — not the first rule for all, nor Ostelo's 2 and 10.
    expect(captions).toEqual([
      expect.stringContaining('at least 3 points'), expect.stringContaining('at least 4 points'), ...(odiAsked ? [expect.stringContaining('at least 15 points')] : []),
    ]);
    await admin.request('PUT', '/api/v1/outcome-settings', { responderRules: null });
  });
});
