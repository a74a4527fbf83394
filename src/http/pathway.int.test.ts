import bwipjs from 'bwip-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { RED_FLAG_CODES, redFlagField } from '../science/index.js';
import { insertStaff } from '../services/auth.js';
import { SPECIMEN_BARCODE_OPTIONS } from '../services/specimen-barcode.js';
import { DIALECTS } from '../store/testing/test-store.js';
import {
  CLINICIAN_PASSWORD, SVG_SIGNATURE, assessmentBody, consentTemplates, pathwayStaff, patientAndEpisode, pngSignature, preparedSpecimen, readyForTreatment,
  type PathwayStaff,
} from './testing/pathway.js';
import { TestClient, useClinicServer } from './testing/test-server.js';

const noFlags = Object.fromEntries(RED_FLAG_CODES.map((code) => [redFlagField(code), 'no']));
const screeningForm: Record<string, string> = { painLocations: 'lower-back', duration: '3-to-12-months', tried: 'exercise-physiotherapy', ...noFlags };
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** A urlencoded body with repeated keys (several checkboxes). */
const form = (entries: [string, string][]) => new URLSearchParams(entries).toString();

describe.each(DIALECTS)('clinical pathway on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let staff: PathwayStaff;

  const count = async (table: 'lead' | 'throttle' | 'eligibility_decision' | 'bedside_verification' | 'injection_procedure' | 'audit_event') =>
    Number((await server.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const audit = async (entityType: string) => (await admin.get(`/api/v1/audit?entityType=${entityType}&limit=500`)).json() as { action: string; entityId: string | null; patientId: string | null; detail: Record<string, unknown> | null }[];
  const postForm = (url: string, body: string, ip = '198.51.100.7') => server.app.inject({ method: 'POST', url, remoteAddress: ip, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  beforeAll(async () => {
    staff = await pathwayStaff(admin);
  });

  it('walks the whole path from a public screening to a recorded injection, every step audited and on the timeline', async () => {
    // 1. The public self-screening, then the consultation request.
    const questions = await server.app.inject({ method: 'GET', url: '/screening' });
    expect(questions.statusCode).toBe(200);
    expect(questions.body).toContain('id="consultation"');
    const answered = await postForm('/screening', form([['painLocations', 'lower-back'], ['painLocations', 'buttock'], ['duration', 'over-12-months'], ['tried', 'exercise-physiotherapy'], ['tried', 'steroid-injection'], ...Object.entries(noFlags)]));
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('What a clinician will look at');
    expect(answered.body).toContain('id="consultation"');
    expect(answered.body).not.toMatch(/you are a (good )?candidate/i);
    const requested = await postForm('/screening/consultation', form([
      ['painLocations', 'lower-back'], ['painLocations', 'buttock'], ['duration', 'over-12-months'], ['tried', 'exercise-physiotherapy'], ['tried', 'steroid-injection'], ...Object.entries(noFlags),
      ['name', 'Grace Hopper'], ['email', 'grace@example.test'], ['phone', '+44 20 7946 0000'], ['preferredTime', 'weekday mornings'], ['consentToContact', 'yes'], ['website', ''],
    ]));
    expect(requested.statusCode).toBe(303);
    expect(requested.headers.location).toBe('/screening/thanks#main');
    expect((await server.app.inject({ method: 'GET', url: '/screening/thanks' })).body).toContain('we have your request');

    // 2. The coordinator calls the lead and registers the patient.
    const coordinatorList = (await staff.coordinator.get('/api/v1/worklist')).json();
    const leadItem = coordinatorList.sections.find((s: { code: string }) => s.code === 'leads-to-call').items.find((i: { name: string }) => i.name === 'Grace Hopper');
    expect(leadItem).toBeDefined();
    const lead = (await staff.coordinator.get(`/api/v1/leads/${leadItem.leadId}`)).json();
    expect(lead).toMatchObject({ status: 'new', email: 'grace@example.test', answers: { painLocations: ['lower-back', 'buttock'], duration: 'over-12-months' } });
    expect(lead.answerLabels.tried).toEqual(['Exercise or physiotherapy', 'A steroid (cortisone) injection']);
    const { patientId, episodeId, mrn, birthDate } = await patientAndEpisode(staff.coordinator, { givenName: 'Grace', familyName: 'Hopper', email: 'grace@example.test' });
    expect((await staff.coordinator.patch(`/api/v1/leads/${lead.id}`, { status: 'booked', patientId })).json()).toMatchObject({ status: 'booked', patientId });

    // 3. Assessment and a signed decision.
    const assessment = await staff.clinician.post(`/api/v1/episodes/${episodeId}/assessments`, assessmentBody());
    expect(assessment.statusCode).toBe(201);
    expect(assessment.json()).toMatchObject({ version: 1, evaluation: { absolute: [], relative: [] } });
    const awaiting = (await staff.clinician.get('/api/v1/worklist')).json().sections.find((s: { code: string }) => s.code === 'assessments-awaiting-decision');
    expect(awaiting.items.map((i: { episodeId: string }) => i.episodeId)).toContain(episodeId);
    const decision = await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.json().id, outcome: 'eligible', rationale: 'Discogenic pain, concordant MRI.', password: CLINICIAN_PASSWORD });
    expect(decision.statusCode).toBe(201);
    expect(decision.json()).toMatchObject({ outcome: 'eligible', current: true, outdated: false, signedBy: { id: staff.clinicianId } });
    const pendingConsent = (await staff.coordinator.get('/api/v1/worklist')).json().sections.find((s: { code: string }) => s.code === 'consents-pending');
    expect(pendingConsent.items.map((i: { episodeId: string }) => i.episodeId)).toContain(episodeId);

    // 4. Consent on the tablet (drawn PNG signature) and the optional registry consent.
    const templates = await consentTemplates(admin);
    const consent = await staff.coordinator.post(`/api/v1/episodes/${episodeId}/consents`, { templateId: templates.procedure, signedName: 'Grace Hopper', signature: pngSignature() });
    expect(consent.statusCode).toBe(201);
    expect(consent.json()).toMatchObject({ kind: 'procedure', templateVersion: 1, status: 'signed', signature: { kind: 'png', width: 360, height: 120 } });
    expect((await staff.coordinator.post(`/api/v1/episodes/${episodeId}/consents`, { templateId: templates.registry, signedName: 'Grace Hopper', signature: SVG_SIGNATURE })).statusCode).toBe(201);

    // 5. Procedure date and instructions; moving the date re-sends them.
    const planned = daysFromToday(10);
    expect((await staff.coordinator.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: planned })).statusCode).toBe(200);
    const pendingInstructions = (await staff.coordinator.get('/api/v1/worklist')).json().sections.find((s: { code: string }) => s.code === 'instructions-pending');
    expect(pendingInstructions.items.map((i: { episodeId: string }) => i.episodeId)).toContain(episodeId);
    const instructions = (await staff.coordinator.get(`/api/v1/episodes/${episodeId}/instructions`)).json();
    const lastNsaid = instructions.items.find((i: { code: string }) => i.code === 'nsaid-stop');
    expect(lastNsaid.date).toBe(daysFromToday(7));
    const sent = await staff.coordinator.post(`/api/v1/episodes/${episodeId}/instructions/send`);
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ reason: 'initial', plannedProcedureOn: planned, to: 'grace@example.test' });
    const moved = daysFromToday(14);
    expect((await staff.coordinator.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: moved })).statusCode).toBe(200);
    const mails = await server.store.db.selectFrom('outbox').select(['subject', 'text_body']).where('to_address', '=', 'grace@example.test').where('kind', '=', 'procedure-instructions').orderBy('created_at').execute();
    expect(mails).toHaveLength(2);
    const weekday = (iso: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).formatToParts(new Date(`${iso}T00:00:00Z`)).map((p) => p.value).join('').replace(',', '');
    expect(mails[0]!.text_body).toContain(weekday(daysFromToday(7)));
    expect(mails[1]!.subject).toContain('new date');
    expect(mails[1]!.text_body).toContain('Your procedure date has changed');
    expect(mails[1]!.text_body).toContain(weekday(daysFromToday(11)));
    expect((await staff.coordinator.get(`/api/v1/episodes/${episodeId}/instructions`)).json()).toMatchObject({ upToDate: true, plannedProcedureOn: moved });

    // 6. The draw, the label, the lab's steps with a linked preparation record.
    const drawn = await staff.lab.post(`/api/v1/episodes/${episodeId}/specimens`, { drawVolumeMl: 27, tubeCount: 1 });
    expect(drawn.statusCode).toBe(201);
    const specimen = drawn.json();
    expect(specimen).toMatchObject({ status: 'drawn', productAgeLimitHours: 4, expired: false });
    expect(Date.parse(specimen.expiresAt) - Date.parse(specimen.drawnAt)).toBe(4 * 3_600_000);
    const labList = (await staff.lab.get('/api/v1/worklist')).json().sections.find((s: { code: string }) => s.code === 'draws-awaiting-preparation');
    expect(labList.items.map((i: { specimenId: string }) => i.specimenId)).toContain(specimen.id);
    const label = await staff.lab.get(`/api/v1/specimens/${specimen.id}/label?copies=2`);
    expect(label.statusCode).toBe(200);
    expect(label.headers['cache-control']).toBe('no-store');
    for (const text of ['FOR AUTOLOGOUS USE ONLY', 'HOPPER, Grace', mrn, specimen.displayCode, 'data:image/png;base64,', 'Expires']) expect(label.body).toContain(text);
    expect(label.body.match(/class="label"/g)).toHaveLength(2);
    expect((await staff.lab.post(`/api/v1/specimens/${specimen.id}/events`, { type: 'centrifuged' })).statusCode).toBe(200);
    const preparation = await staff.lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: specimen.drawnAt }, prp: { volumeMl: 4.5 } });
    expect(preparation.statusCode).toBe(201);
    const prepared = await staff.lab.post(`/api/v1/specimens/${specimen.id}/events`, { type: 'prepared', preparationId: preparation.json().id });
    expect(prepared.json()).toMatchObject({ status: 'prepared', prpVolumeMl: 4.5, preparationId: preparation.json().id });

    // 7. Bedside check and the injection.
    const checked = await staff.clinician.post(`/api/v1/episodes/${episodeId}/bedside-verifications`, { specimenCode: specimen.displayCode.toLowerCase(), mrn, birthDate });
    expect(checked.statusCode).toBe(201);
    expect(checked.json()).toMatchObject({ result: 'passed', mismatches: [], specimenId: specimen.id });
    const injected = await staff.clinician.post(`/api/v1/episodes/${episodeId}/procedures`, {
      specimenId: specimen.id, assistantId: staff.labId, imageGuidance: 'fluoroscopy',
      targets: [{ structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 2 }, { structure: 'facet-joint', level: 'L4/L5', side: 'left', volumeMl: 1.5 }],
      needle: { gauge: 22, lengthMm: 150, type: 'spinal (Quincke)' }, localAnaesthetic: { agent: 'Lidocaine 1 %', volumeMl: 3, mixedWithPrp: false },
      contrast: { used: true, agent: 'Iohexol', volumeMl: 0.5 }, antibioticProphylaxis: { given: true, agent: 'Cefazolin', doseMg: 1000, route: 'IV' },
      immediateComplications: { none: true }, dischargeInstructions: 'Rest today; paracetamol as needed; call if fever.',
    });
    expect(injected.statusCode).toBe(201);
    expect(injected.json()).toMatchObject({ totalVolumeMl: 3.5, prpAvailableMl: 4.5, warnings: [], preparationId: preparation.json().id, assistant: { id: staff.labId }, performedBy: { id: staff.clinicianId } });
    expect((await staff.clinician.get(`/api/v1/specimens/${specimen.id}`)).json().events.map((e: { type: string }) => e.type)).toEqual(['drawn', 'centrifuged', 'prepared', 'verified', 'injected']);
    const again = await staff.clinician.post(`/api/v1/episodes/${episodeId}/procedures`, { specimenId: specimen.id, imageGuidance: 'fluoroscopy', targets: [{ structure: 'paraspinal-muscle', volumeMl: 0.5 }] });
    expect(again.statusCode).toBe(409);

    // 8. The timeline shows every step with who and when.
    const timeline = (await staff.lab.get(`/api/v1/episodes/${episodeId}/timeline`)).json();
    const state = Object.fromEntries(timeline.steps.map((s: { step: string; state: string }) => [s.step, s.state]));
    expect(state).toMatchObject({
      screening: 'done', assessment: 'done', decision: 'done', consent: 'done', 'registry-consent': 'done', instructions: 'done', draw: 'done', preparation: 'done',
      verification: 'done', injection: 'done', 'adverse-events': 'not-applicable',
    });
    expect(timeline.steps.find((s: { step: string }) => s.step === 'decision').by.id).toBe(staff.clinicianId);
    const times = timeline.events.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort());
    expect(timeline.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['lead', 'assessment', 'decision', 'consent', 'instructions', 'custody-drawn', 'custody-verified', 'injection']));

    // 9. Every decision, consent and custody step is in the audit trail.
    expect((await audit('eligibility_decision')).some((e) => e.action === 'create' && e.patientId === patientId && e.detail?.outcome === 'eligible' && e.detail.signature === 'password')).toBe(true);
    expect((await audit('consent')).filter((e) => e.action === 'create' && e.patientId === patientId)).toHaveLength(2);
    expect((await audit('specimen')).some((e) => e.action === 'create' && e.entityId === specimen.id)).toBe(true);
    expect((await audit('custody_event')).filter((e) => e.patientId === patientId).map((e) => e.detail?.custody)).toEqual(expect.arrayContaining(['centrifuged', 'prepared']));
    expect((await audit('bedside_verification')).some((e) => e.patientId === patientId && e.detail?.result === 'passed')).toBe(true);
    expect((await audit('injection_procedure')).some((e) => e.action === 'create' && e.patientId === patientId && e.detail?.custody === 'injected')).toBe(true);
    expect((await audit('lead')).some((e) => e.action === 'create' && e.entityId === lead.id)).toBe(true);
    expect((await audit('instruction_send')).filter((e) => e.patientId === patientId).map((e) => e.detail?.reason)).toEqual(['date-changed', 'initial']);

    // 10. The procedure consent can no longer be withdrawn once the injection is done under it.
    const late = await staff.coordinator.post(`/api/v1/consents/${consent.json().id}/withdraw`, { reason: 'Patient asked after the procedure.' });
    expect(late.statusCode).toBe(409);
    expect((await staff.coordinator.get(`/api/v1/consents/${consent.json().id}`)).json().status).toBe('signed');
  });

  it('blocks "eligible" over an absolute contraindication unless overridden with a reason, and asks for every relative one to be acknowledged', async () => {
    const { episodeId } = await patientAndEpisode(staff.coordinator);
    const body = assessmentBody({ conditions: { ...assessmentBody().conditions, infectionNearSite: true, tobaccoUse: true }, medications: [{ class: 'nsaid', name: 'Ibuprofen', ongoing: true }] });
    const assessment = (await staff.clinician.post(`/api/v1/episodes/${episodeId}/assessments`, body)).json();
    expect(assessment.evaluation.absolute.map((f: { code: string }) => f.code)).toEqual(['infection-near-site']);
    expect(assessment.evaluation.relative.map((f: { code: string }) => f.code)).toEqual(['nsaid', 'tobacco']);
    expect(assessment.evaluation.absolute[0].source).toContain('Le 2018');
    const sign = (extra: Record<string, unknown>) => staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'eligible', rationale: 'Facet pain.', password: CLINICIAN_PASSWORD, ...extra });
    const blocked = await sign({});
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().errors.map((e: { field: string }) => e.field)).toEqual(['overrideReason', 'acknowledgedFindings']);
    const acknowledgedOnly = await sign({ acknowledgedFindings: ['nsaid', 'tobacco'] });
    expect(acknowledgedOnly.json().errors.map((e: { field: string }) => e.field)).toEqual(['overrideReason']);
    const partly = await sign({ acknowledgedFindings: ['nsaid'], overrideReason: 'Healed skin lesion; reviewed with dermatology, swab negative.' });
    expect(partly.json().errors.map((e: { field: string }) => e.field)).toEqual(['acknowledgedFindings']);
    expect(partly.json().errors[0].message).toContain('tobacco');
    expect(await count('eligibility_decision')).toBe(1);
    const overridden = await sign({ acknowledgedFindings: ['nsaid', 'tobacco'], overrideReason: 'Healed skin lesion; reviewed with dermatology, swab negative.' });
    expect(overridden.statusCode).toBe(201);
    expect(overridden.json()).toMatchObject({ overridden: ['infection-near-site'], acknowledgedFindings: ['nsaid', 'tobacco'], findings: { absolute: [{ code: 'infection-near-site' }] } });
    const event = (await audit('eligibility_decision')).find((e) => e.entityId === overridden.json().id)!;
    expect(event.detail).toMatchObject({ overridden: ['infection-near-site'], acknowledged: ['nsaid', 'tobacco'] });
    // "Not eligible" needs neither.
    expect((await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'not-eligible', rationale: 'Infection risk.', password: CLINICIAN_PASSWORD })).statusCode).toBe(201);
    // Only a clinician signs.
    expect((await admin.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'deferred', rationale: 'x', password: 'correct horse battery staple' })).statusCode).toBe(403);
  });

  it('refuses a decision signed with the wrong password, signs nothing and audits the attempt', async () => {
    const { episodeId } = await patientAndEpisode(staff.coordinator);
    const assessment = (await staff.clinician.post(`/api/v1/episodes/${episodeId}/assessments`, assessmentBody())).json();
    const before = await count('eligibility_decision');
    const wrong = await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'eligible', rationale: 'x', password: 'not my password at all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ field: 'password' });
    expect(await count('eligibility_decision')).toBe(before);
    expect((await audit('signature')).some((e) => e.action === 'login-failed' && e.detail?.purpose === 'eligibility-decision')).toBe(true);
    // The session still works and the right password signs.
    expect((await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'eligible', rationale: 'Criteria met.', password: CLINICIAN_PASSWORD })).statusCode).toBe(201);
  });

  it('never changes a decision: a later one supersedes it, and a newer assessment stops the draw', async () => {
    const { episodeId, givenName } = { ...(await patientAndEpisode(staff.coordinator, { givenName: 'Edith' })), givenName: 'Edith' };
    const { decisionId } = await readyForTreatment(staff, admin, episodeId, `${givenName} Pathway`);
    expect((await staff.clinician.patch(`/api/v1/decisions/${decisionId}`, { outcome: 'deferred' })).statusCode).toBe(404);
    const latest = (await staff.clinician.get(`/api/v1/episodes/${episodeId}/assessments`)).json()[0];
    const second = await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: latest.id, outcome: 'deferred', rationale: 'Wait for new MRI.', password: CLINICIAN_PASSWORD });
    expect(second.json()).toMatchObject({ supersedesId: decisionId, current: true });
    const decisions = (await staff.clinician.get(`/api/v1/episodes/${episodeId}/decisions`)).json();
    expect(decisions.map((d: { outcome: string; current: boolean }) => [d.outcome, d.current])).toEqual([['deferred', true], ['eligible', false]]);
    expect((await staff.lab.post(`/api/v1/episodes/${episodeId}/specimens`, {})).json()).toMatchObject({ status: 409, code: 'not-eligible' });
    await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: latest.id, outcome: 'eligible', rationale: 'MRI reviewed.', password: CLINICIAN_PASSWORD });
    await staff.clinician.post(`/api/v1/episodes/${episodeId}/assessments`, assessmentBody({ notes: 'New symptoms.' }));
    const outdated = await staff.lab.post(`/api/v1/episodes/${episodeId}/specimens`, {});
    expect(outdated.statusCode).toBe(409);
    expect(outdated.json().code).toBe('decision-outdated');
  });

  it('keeps a signed consent immutable, tied to its text version, and printable; withdrawal is recorded beside it', async () => {
    const { episodeId } = await patientAndEpisode(staff.coordinator, { givenName: 'Rosalind', familyName: 'Franklin' });
    const { consentId } = await readyForTreatment(staff, admin, episodeId, 'Rosalind Franklin');
    const original = (await staff.coordinator.get(`/api/v1/consents/${consentId}`)).json();
    expect((await staff.coordinator.patch(`/api/v1/consents/${consentId}`, { signedName: 'Someone else' })).statusCode).toBe(404);
    // A new version of the text: the old one can no longer be signed, the signed copy keeps its version.
    const v2 = (await admin.post('/api/v1/consent-templates', { kind: 'procedure', title: 'Consent to PRP injection for back pain', bodyMarkdown: 'Version two of the text, with the risks, the benefits and the alternatives explained again.' })).json();
    expect(v2.version).toBeGreaterThan(original.templateVersion);
    const stale = await staff.coordinator.post(`/api/v1/episodes/${episodeId}/consents`, { templateId: original.templateId, signedName: 'Rosalind Franklin', signature: SVG_SIGNATURE });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('template-superseded');
    const print = await staff.coordinator.get(`/api/v1/consents/${consentId}/print`);
    expect(print.statusCode).toBe(200);
    for (const text of ['FRANKLIN, Rosalind', 'Rosalind Franklin', 'What the procedure is', 'matches the text signed', `version ${original.templateVersion}`, '<path d="M 10 70']) expect(print.body).toContain(text);
    const withdrawn = await staff.coordinator.post(`/api/v1/consents/${consentId}/withdraw`, { reason: 'Patient changed her mind by phone.' });
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawalReason: 'Patient changed her mind by phone.' });
    const after = (await staff.coordinator.get(`/api/v1/consents/${consentId}`)).json();
    expect({ ...after, status: undefined, withdrawnAt: undefined, withdrawnBy: undefined, withdrawalReason: undefined }).toEqual({ ...original, status: undefined, withdrawnAt: undefined, withdrawnBy: undefined, withdrawalReason: undefined });
    expect((await staff.coordinator.get(`/api/v1/consents/${consentId}/print`)).body).toContain('WITHDRAWN');
    expect((await staff.lab.post(`/api/v1/episodes/${episodeId}/specimens`, {})).json().code).toBe('no-consent');
    expect((await audit('consent')).filter((e) => e.entityId === consentId).map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'update', 'read']));
  });

  it('accepts only real PNG or plain path signatures within limits', async () => {
    const { episodeId } = await patientAndEpisode(staff.coordinator);
    const { procedure } = await consentTemplates(admin);
    const sign = (signature: unknown) => staff.coordinator.post(`/api/v1/episodes/${episodeId}/consents`, { templateId: procedure, signedName: 'Pat Pathway', signature });
    expect((await sign({ kind: 'png', dataUrl: `data:image/png;base64,${Buffer.from('GIF89a not a png at all, really').toString('base64')}` })).json()).toMatchObject({ status: 400, field: 'signature.dataUrl' });
    expect((await sign({ kind: 'png', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' })).json()).toMatchObject({ status: 400, field: 'signature.dataUrl' });
    expect((await sign(pngSignature(5, 5))).json()).toMatchObject({ status: 400, field: 'signature.dataUrl' });
    expect((await sign({ ...SVG_SIGNATURE, d: 'M0 0 L10 10"/><script>alert(1)</script>' })).json()).toMatchObject({ status: 400, field: 'signature.d' });
    expect((await sign({ ...SVG_SIGNATURE, d: 'M 10 10' })).json()).toMatchObject({ status: 400, field: 'signature.d' });
    expect((await sign(SVG_SIGNATURE)).statusCode).toBe(201);
  });

  it('blocks the injection on a bedside mismatch, says what did not match, audits it and alerts the clinic', async () => {
    const a = await patientAndEpisode(staff.coordinator, { givenName: 'Alice', familyName: 'Able', birthDate: '1970-01-01' });
    const b = await patientAndEpisode(staff.coordinator, { givenName: 'Bea', familyName: 'Baker', birthDate: '1980-02-02' });
    await readyForTreatment(staff, admin, a.episodeId, 'Alice Able');
    await readyForTreatment(staff, admin, b.episodeId, 'Bea Baker');
    const specimenA = await preparedSpecimen(staff, a.episodeId);
    const specimenB = await preparedSpecimen(staff, b.episodeId);
    const before = { verifications: await count('bedside_verification'), procedures: await count('injection_procedure'), alerts: (await server.store.db.selectFrom('outbox').select('id').where('kind', '=', 'custody-alert').execute()).length };

    // Bea's syringe at Alice's bedside.
    const wrongProduct = await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { specimenCode: specimenB.code, mrn: a.mrn, birthDate: a.birthDate });
    expect(wrongProduct.statusCode).toBe(409);
    expect(wrongProduct.json()).toMatchObject({ code: 'identity-mismatch', mismatches: [{ field: 'specimen.patient' }] });
    expect(wrongProduct.json().detail).toMatch(/^IDENTITY MISMATCH — DO NOT INJECT/);
    expect(wrongProduct.json().detail).toContain('DIFFERENT PATIENT');
    // Wrong wristband, wrong birth date, an unknown code: each named.
    const wrongBand = await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { specimenCode: specimenB.code, mrn: b.mrn, birthDate: b.birthDate });
    expect(wrongBand.json().mismatches.map((m: { field: string }) => m.field)).toEqual(['mrn', 'birthDate', 'specimen.patient']);
    const unknown = await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { specimenCode: 'ZZZZZ-ZZZZZ-Z', mrn: a.mrn, birthDate: a.birthDate });
    expect(unknown.json().mismatches.map((m: { field: string }) => m.field)).toEqual(['specimenCode']);

    expect(await count('bedside_verification')).toBe(before.verifications + 3);
    const events = (await audit('bedside_verification')).filter((e) => e.patientId === a.patientId && e.detail?.result === 'failed');
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.detail?.mismatches)).toContainEqual(['specimen.patient']);
    const alerts = await server.store.db.selectFrom('outbox').select(['to_address', 'text_body']).where('kind', '=', 'custody-alert').execute();
    expect(alerts.length).toBe(before.alerts + 3);
    expect(alerts[0]!.to_address).toBe('ada@clinic.test');
    expect(alerts.map((m) => m.text_body).join('\n')).not.toContain('Alice');
    const home = (await staff.lab.get('/api/v1/worklist')).json();
    expect(home.alerts.filter((x: { kind: string; episodeId: string }) => x.kind === 'identity-mismatch' && x.episodeId === a.episodeId)).toHaveLength(3);

    // Nothing on the wrong patient, even by id.
    const inject = await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/procedures`, { specimenId: specimenB.id, imageGuidance: 'fluoroscopy', targets: [{ structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 1 }] });
    expect(inject.statusCode).toBe(409);
    expect(await count('injection_procedure')).toBe(before.procedures);
    const timeline = (await staff.clinician.get(`/api/v1/episodes/${a.episodeId}/timeline`)).json();
    expect(timeline.steps.find((s: { step: string }) => s.step === 'verification')).toMatchObject({ state: 'blocked' });

    // A failed scan after a pass must be followed by a new pass before the injection.
    const scanA = { specimenCode: specimenA.code, mrn: a.mrn, birthDate: a.birthDate };
    expect((await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, scanA)).statusCode).toBe(201);
    expect((await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { ...scanA, mrn: b.mrn })).statusCode).toBe(409);
    const injection = { specimenId: specimenA.id, imageGuidance: 'fluoroscopy', targets: [{ structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 1.5 }], antibioticProphylaxis: { given: true } };
    expect((await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/procedures`, injection)).json()).toMatchObject({ status: 409, code: 'not-verified' });
    expect((await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, scanA)).statusCode).toBe(201);
    expect((await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/procedures`, injection)).statusCode).toBe(201);
  });

  it('blocks an expired product unless a clinician overrides it with a reason', async () => {
    const p = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, p.episodeId, 'Pat Pathway');
    const specimen = await preparedSpecimen(staff, p.episodeId);
    await server.store.db.updateTable('specimen').set({ expires_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', specimen.id).execute();
    const scan = { specimenCode: specimen.code, mrn: p.mrn, birthDate: p.birthDate };
    const expired = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, scan);
    expect(expired.json()).toMatchObject({ status: 409, code: 'product-expired' });
    expect((await staff.lab.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { ...scan, expiryOverrideReason: 'Within validated stability window of our kit.' })).statusCode).toBe(403);
    const overridden = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { ...scan, expiryOverrideReason: 'Kit validated to 6 h; 20 minutes over.' });
    expect(overridden.statusCode).toBe(201);
    expect(overridden.json()).toMatchObject({ result: 'passed', expired: true, expiryOverrideReason: 'Kit validated to 6 h; 20 minutes over.' });
    expect((await audit('bedside_verification')).find((e) => e.entityId === overridden.json().id)?.detail).toMatchObject({ expiryOverridden: true });
  });

  it('refuses target volumes that add up to more PRP than was prepared', async () => {
    const p = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, p.episodeId, 'Pat Pathway');
    const specimen = await preparedSpecimen(staff, p.episodeId, 4);
    await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: p.mrn, birthDate: p.birthDate });
    const over = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/procedures`, {
      specimenId: specimen.id, imageGuidance: 'ultrasound', targets: [{ structure: 'sacroiliac-joint', side: 'left', volumeMl: 2.5 }, { structure: 'sacroiliac-joint', side: 'right', volumeMl: 2 }],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ field: 'targets' });
    expect(over.json().detail).toContain('4.5 mL');
    expect((await staff.clinician.get(`/api/v1/specimens/${specimen.id}`)).json().status).toBe('verified');
    const ok = await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/procedures`, {
      specimenId: specimen.id, imageGuidance: 'ultrasound', targets: [{ structure: 'sacroiliac-joint', side: 'left', volumeMl: 2 }, { structure: 'sacroiliac-joint', side: 'right', volumeMl: 2 }],
      localAnaesthetic: { agent: 'Bupivacaine 0.25 %', volumeMl: 1, mixedWithPrp: true },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().warnings.map((w: { code: string }) => w.code)).toEqual(['bupivacaine-mixed']);
  });

  it('records the whole injection record, naming the field of every problem, with a performer and assistant of this clinic', async () => {
    const p = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, p.episodeId, 'Pat Pathway');
    const specimen = await preparedSpecimen(staff, p.episodeId, 5);
    expect((await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: p.mrn, birthDate: p.birthDate })).statusCode).toBe(201);
    const colleague = (await admin.post('/api/v1/staff', { email: `second-clinician-${dialect}@clinic.test`, displayName: 'Dr Second', role: 'clinician', password: CLINICIAN_PASSWORD })).json();
    const clinicB = 'b0000000-0000-7000-8000-0000000000b7';
    await server.store.db.insertInto('clinic').values({ id: clinicB, name: 'Clinic B', time_zone: 'UTC', created_at: new Date().toISOString() }).execute();
    const outsider = await server.store.db.transaction().execute(async (trx) => insertStaff(trx, { clinicId: clinicB, email: `outsider-${dialect}@b.test`, displayName: 'Outsider', role: 'clinician', passwordHash: 'not-a-real-hash' }));
    const base = {
      specimenId: specimen.id, imageGuidance: 'fluoroscopy',
      targets: [{ structure: 'intervertebral-disc', level: 'L4/L5', volumeMl: 1.5 }, { structure: 'intervertebral-disc', level: 'L5/S1', volumeMl: 1.5 }],
    };
    const post = (body: Record<string, unknown>) => staff.clinician.post(`/api/v1/episodes/${p.episodeId}/procedures`, { ...base, ...body });
    const before = await count('injection_procedure');

    const badVolume = await post({ targets: [base.targets[0], { ...base.targets[1], volumeMl: 0 }] });
    expect(badVolume.statusCode).toBe(400);
    expect(badVolume.json().errors.map((e: { field: string }) => e.field)).toEqual(['targets[1].volumeMl']);
    const noLevel = await post({ targets: [base.targets[0], { structure: 'facet-joint', side: 'left', volumeMl: 1 }] });
    expect(noLevel.json()).toMatchObject({ status: 400, field: 'targets[1].level' });
    expect((await post({ needle: { gauge: 40 } })).json().errors.map((e: { field: string }) => e.field)).toEqual(['needle.gauge']);
    expect((await post({ antibioticProphylaxis: { given: true, timing: 'x'.repeat(101) } })).json().errors.map((e: { field: string }) => e.field)).toEqual(['antibioticProphylaxis.timing']);
    // Performer and assistant: staff of this clinic; the performer a clinician; not the same person.
    expect((await post({ performedById: outsider.id })).json()).toMatchObject({ status: 400, field: 'performedById' });
    expect((await post({ performedById: staff.labId })).json()).toMatchObject({ status: 400, field: 'performedById' });
    expect((await post({ assistantId: outsider.id })).json()).toMatchObject({ status: 400, field: 'assistantId' });
    expect((await post({ assistantId: '01900000-0000-7000-8000-000000000000' })).json()).toMatchObject({ status: 400, field: 'assistantId' });
    expect((await post({ performedById: colleague.id, assistantId: colleague.id })).json()).toMatchObject({ status: 400, field: 'assistantId' });
    expect(await count('injection_procedure')).toBe(before);
    expect((await staff.clinician.get(`/api/v1/specimens/${specimen.id}`)).json().status).toBe('verified');

    // Intradiscal without prophylaxis is recorded with a warning; here the full record, by a colleague with the lab assisting.
    const full = await post({
      performedById: colleague.id, assistantId: staff.labId,
      needle: { gauge: 22, lengthMm: 150, type: 'Whitacre (pencil-point)' },
      contrast: { used: true, agent: 'Iohexol', volumeMl: 0.5 },
      antibioticProphylaxis: { given: true, agent: 'Cefazolin', doseMg: 1000, route: 'IV', timing: '30 minutes before' },
      localAnaesthetic: { agent: 'Lidocaine', concentrationPct: 1, volumeMl: 3, doseMg: 30, mixedWithPrp: false },
      immediateComplications: { none: false, items: ['Vasovagal reaction'], note: 'Brief, recovered lying down.' },
      dischargeInstructions: 'Rest today; call if fever.', notes: 'Concordant pain at L4/L5.',
    });
    expect(full.statusCode).toBe(201);
    const record = (await staff.coordinator.get(`/api/v1/procedures/${full.json().id}`)).json();
    expect(record).toMatchObject({
      performedBy: { id: colleague.id, displayName: 'Dr Second' }, assistant: { id: staff.labId }, createdBy: { id: staff.clinicianId }, totalVolumeMl: 3, prpAvailableMl: 5,
      needle: { gauge: 22, lengthMm: 150, type: 'Whitacre (pencil-point)' }, contrast: { used: true, agent: 'Iohexol', volumeMl: 0.5 },
      antibioticProphylaxis: { given: true, agent: 'Cefazolin', doseMg: 1000, route: 'IV', timing: '30 minutes before' },
      localAnaesthetic: { agent: 'Lidocaine', concentrationPct: 1, volumeMl: 3, doseMg: 30, mixedWithPrp: false },
      immediateComplications: { none: false, items: ['Vasovagal reaction'], note: 'Brief, recovered lying down.' },
      dischargeInstructions: 'Rest today; call if fever.', notes: 'Concordant pain at L4/L5.', warnings: [],
    });

    // Without prophylaxis an intradiscal injection carries the warning.
    const q = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, q.episodeId, 'Pat Pathway');
    const second = await preparedSpecimen(staff, q.episodeId, 5);
    await staff.clinician.post(`/api/v1/episodes/${q.episodeId}/bedside-verifications`, { specimenCode: second.code, mrn: q.mrn, birthDate: q.birthDate });
    const bare = await staff.clinician.post(`/api/v1/episodes/${q.episodeId}/procedures`, { ...base, specimenId: second.id, antibioticProphylaxis: { given: false } });
    expect(bare.statusCode).toBe(201);
    expect(bare.json().warnings.map((w: { code: string }) => w.code)).toEqual(['intradiscal-without-prophylaxis']);
    expect(bare.json()).toMatchObject({ performedBy: { id: staff.clinicianId }, assistant: null });
  });

  it('keeps a failed bedside check on every worklist until a clinician or administrator acknowledges it with a note', async () => {
    const a = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, a.episodeId, 'Pat Pathway');
    const specimen = await preparedSpecimen(staff, a.episodeId);
    const failed = await staff.lab.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: 'WRONG-1', birthDate: a.birthDate });
    expect(failed.statusCode).toBe(409);
    const verificationId = failed.json().verificationId as string;
    const pinned = async (client: TestClient) => (await client.get('/api/v1/worklist')).json().alerts.some((x: { kind: string; entityId: string }) => x.kind === 'identity-mismatch' && x.entityId === verificationId);
    expect(await pinned(staff.lab)).toBe(true);
    // Older than a week: still pinned, because nobody has acted on it.
    await server.store.db.updateTable('bedside_verification').set({ verified_at: new Date(Date.now() - 9 * 86_400_000).toISOString() }).where('id', '=', verificationId).execute();
    expect(await pinned(staff.coordinator)).toBe(true);

    const url = `/api/v1/bedside-verifications/${verificationId}/acknowledge`;
    expect((await staff.lab.post(url, { note: 'Set aside.' })).statusCode).toBe(403);
    expect((await staff.coordinator.post(url, { note: 'Set aside.' })).statusCode).toBe(403);
    expect((await staff.clinician.post(url, { note: '' })).json()).toMatchObject({ status: 400, errors: [{ field: 'note' }] });
    expect((await staff.clinician.post(url, { note: '  ' })).json()).toMatchObject({ status: 400, field: 'note' });
    expect((await staff.clinician.post(url, { note: 'x', extra: true })).statusCode).toBe(400);
    const acknowledged = await staff.clinician.post(url, { note: 'Wristband misread; product and patient identified again, check passed.' });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({ id: verificationId, result: 'failed', acknowledgedBy: { id: staff.clinicianId }, acknowledgementNote: 'Wristband misread; product and patient identified again, check passed.' });
    expect(Date.parse(acknowledged.json().acknowledgedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await pinned(staff.lab)).toBe(false);
    expect(await pinned(admin)).toBe(false);
    expect((await admin.post(url, { note: 'Again.' })).json()).toMatchObject({ status: 409, code: 'already-acknowledged' });
    const event = (await audit('bedside_verification')).find((e) => e.entityId === verificationId && e.action === 'update');
    expect(event).toMatchObject({ patientId: a.patientId, detail: { acknowledged: true, mismatches: ['mrn'] } });
    // The check keeps its acknowledgement on the custody record.
    const onRecord = (await staff.lab.get(`/api/v1/specimens/${specimen.id}`)).json().verifications.find((v: { id: string }) => v.id === verificationId);
    expect(onRecord).toMatchObject({ acknowledgedBy: { id: staff.clinicianId } });

    // A passed check is no alert; an administrator may acknowledge too.
    const passed = await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: a.mrn, birthDate: a.birthDate });
    expect((await admin.post(`/api/v1/bedside-verifications/${passed.json().id}/acknowledge`, { note: 'Nothing.' })).json()).toMatchObject({ status: 409, code: 'not-an-alert' });
    const again = await staff.clinician.post(`/api/v1/episodes/${a.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: a.mrn, birthDate: '1901-01-01' });
    expect((await admin.post(`/api/v1/bedside-verifications/${again.json().verificationId}/acknowledge`, { note: 'Birth date typo; re-checked.' })).json()).toMatchObject({ acknowledgedBy: { displayName: expect.any(String) } });
    expect((await admin.post('/api/v1/bedside-verifications/01900000-0000-7000-8000-000000000000/acknowledge', { note: 'x y z' })).statusCode).toBe(404);
  });

  it('follows an adverse event over time: every change audited with old and new values, and a worsening after review flags it again', async () => {
    const p = await patientAndEpisode(staff.coordinator);
    const report = (body: Record<string, unknown>) => staff.coordinator.post(`/api/v1/episodes/${p.episodeId}/adverse-events`, {
      onsetOn: daysFromToday(0), category: 'pain-flare', relatedness: 'probable', outcome: 'recovering', description: 'Flare on day 2.', ...body,
    });
    const moderate = (await report({ severity: 'moderate' })).json();
    expect(moderate).toMatchObject({ serious: false, flagged: false });
    await staff.clinician.post(`/api/v1/adverse-events/${moderate.id}/review`, { note: 'Expected flare; analgesia.' });
    const quiet = await staff.coordinator.patch(`/api/v1/adverse-events/${moderate.id}`, { relatedness: 'definite', outcome: 'recovered', description: 'Flare on day 2; settled by day 6.' });
    expect(quiet.json()).toMatchObject({ relatedness: 'definite', outcome: 'recovered', flagged: false, reviewedBy: { id: staff.clinicianId } });
    const worse = await staff.coordinator.patch(`/api/v1/adverse-events/${moderate.id}`, { severity: 'severe' });
    expect(worse.json()).toMatchObject({ severity: 'severe', serious: true, flagged: true, reviewedAt: null });
    const events = (await audit('adverse_event')).filter((e) => e.entityId === moderate.id && e.action === 'update' && !e.detail?.reviewed);
    const first = events.find((e) => (e.detail?.fields as string[]).includes('relatedness'))!;
    expect(first.detail).toMatchObject({ fields: ['relatedness', 'outcome', 'description'], changes: { relatedness: { from: 'probable', to: 'definite' }, outcome: { from: 'recovering', to: 'recovered' } } });
    expect(JSON.stringify(first.detail)).not.toContain('settled by day 6');
    expect(events.find((e) => (e.detail?.fields as string[]).includes('severity'))!.detail).toMatchObject({ changes: { severity: { from: 'moderate', to: 'severe' }, serious: { from: false, to: true } }, reviewCleared: true });

    // Already serious and reviewed: raised to life-threatening, it needs a clinician's eyes again; a milder change does not.
    const serious = (await report({ severity: 'moderate', serious: true })).json();
    await staff.clinician.post(`/api/v1/adverse-events/${serious.id}/review`, { note: 'Admitted for observation.' });
    expect((await staff.coordinator.patch(`/api/v1/adverse-events/${serious.id}`, { severity: 'mild' })).json()).toMatchObject({ flagged: false });
    expect((await staff.coordinator.patch(`/api/v1/adverse-events/${serious.id}`, { severity: 'life-threatening' })).json()).toMatchObject({ flagged: true, reviewedAt: null });

    const history = await staff.coordinator.get(`/api/v1/adverse-events/${moderate.id}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.json().map((h: { kind: string }) => h.kind)).toEqual(['reported', 'reviewed', 'updated', 'updated']);
    expect(history.json()[2]).toMatchObject({ by: expect.stringMatching(/^Coordinator \d+$/), fields: ['relatedness', 'outcome', 'description'], changes: { outcome: { from: 'recovering', to: 'recovered' } } });
    expect(history.json()[3]).toMatchObject({ changes: { severity: { from: 'moderate', to: 'severe' } }, reviewCleared: true });
    expect((await staff.lab.get(`/api/v1/adverse-events/${moderate.id}/history`)).statusCode).toBe(403);
    expect((await audit('adverse_event')).some((e) => e.action === 'read' && e.entityId === moderate.id && e.detail?.history === true)).toBe(true);
    // Reviewed again, they leave the review list.
    for (const id of [moderate.id, serious.id]) expect((await staff.clinician.post(`/api/v1/adverse-events/${id}/review`, { note: 'Reviewed again after the change.' })).json()).toMatchObject({ flagged: false });
  });

  it('warns before a second patient’s centrifuge run while another is open', async () => {
    const a = await patientAndEpisode(staff.coordinator);
    const b = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, a.episodeId, 'Pat Pathway');
    await readyForTreatment(staff, admin, b.episodeId, 'Pat Pathway');
    const sa = (await staff.lab.post(`/api/v1/episodes/${a.episodeId}/specimens`, {})).json();
    const sb = (await staff.lab.post(`/api/v1/episodes/${b.episodeId}/specimens`, {})).json();
    expect((await staff.lab.post(`/api/v1/specimens/${sa.id}/events`, { type: 'centrifuged' })).statusCode).toBe(200);
    const second = await staff.lab.post(`/api/v1/specimens/${sb.id}/events`, { type: 'centrifuged' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'other-patient-in-progress', openSpecimens: [sa.displayCode], openSpecimensDrawnAt: [sa.drawnAt] });
    // The lab learns which tubes and when they were drawn — never the other patient's identifiers.
    expect(second.json().detail).toContain(sa.displayCode);
    expect(second.json().detail).toMatch(/drawn \d{1,2} \w+/);
    for (const identifier of [a.mrn, a.birthDate, 'Pathway', a.patientId]) expect(second.body).not.toContain(identifier);
    expect((await staff.lab.post(`/api/v1/specimens/${sb.id}/events`, { type: 'centrifuged', confirmSeparateRun: true })).statusCode).toBe(200);
    expect((await staff.lab.post(`/api/v1/specimens/${sb.id}/events`, { type: 'injected' })).statusCode).toBe(400);
    expect((await staff.lab.post(`/api/v1/specimens/${sa.id}/events`, { type: 'discarded', reason: 'Tube cracked in the centrifuge.' })).json()).toMatchObject({ status: 'discarded', discardReason: 'Tube cracked in the centrifuge.' });
    expect((await staff.lab.post(`/api/v1/specimens/${sa.id}/events`, { type: 'prepared', prpVolumeMl: 3 })).json()).toMatchObject({ status: 409, code: 'custody-order' });
  });

  it('serves the label barcode as a real Code 128 PNG of the specimen code', async () => {
    const p = await patientAndEpisode(staff.coordinator);
    await readyForTreatment(staff, admin, p.episodeId, 'Pat Pathway');
    const specimen = (await staff.lab.post(`/api/v1/episodes/${p.episodeId}/specimens`, {})).json();
    const res = await staff.lab.get(`/api/v1/specimens/${specimen.id}/barcode.png`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = res.rawPayload;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    // Code 128: 11 modules per symbol (start, data — two digits per symbol in code set C — and check), 13 for stop; plus the quiet zones.
    const symbol = bwipjs.raw('code128', specimen.code, {})[0] as unknown as { sbs: number[] };
    const modules = symbol.sbs.reduce((a, b) => a + b, 0);
    expect((modules - 13) % 11).toBe(0);
    expect((modules - 13) / 11).toBeGreaterThanOrEqual(2 + Math.ceil(specimen.code.length / 2));
    expect(png.readUInt32BE(16)).toBe((modules + 2 * SPECIMEN_BARCODE_OPTIONS.paddingwidth) * SPECIMEN_BARCODE_OPTIONS.scale);
    expect(png.readUInt32BE(20)).toBeGreaterThan(20);
    // The image is bwip-js's rendering of exactly this code (and not of another).
    expect(png.equals(await bwipjs.toBuffer({ ...SPECIMEN_BARCODE_OPTIONS, text: specimen.code }))).toBe(true);
    expect(png.equals(await bwipjs.toBuffer({ ...SPECIMEN_BARCODE_OPTIONS, text: 'ZZZZZZZZZZZ' }))).toBe(false);
  });

  it('flags a serious adverse event on every home screen until a clinician reviews it', async () => {
    const p = await patientAndEpisode(staff.coordinator);
    const reported = await staff.coordinator.post(`/api/v1/episodes/${p.episodeId}/adverse-events`, {
      onsetOn: daysFromToday(0), category: 'infection-discitis', severity: 'moderate', relatedness: 'probable', outcome: 'recovering', description: 'Fever and worsening back pain on day 5.', serious: true,
    });
    expect(reported.statusCode).toBe(201);
    expect(reported.json()).toMatchObject({ serious: true, flagged: true });
    const flaggedOn = async (client: TestClient) => (await client.get('/api/v1/worklist')).json().alerts.some((x: { entityId: string }) => x.entityId === reported.json().id);
    expect(await flaggedOn(staff.lab)).toBe(true);
    expect((await staff.lab.get('/api/v1/worklist?role=clinician')).statusCode).toBe(403);
    expect((await admin.get('/api/v1/worklist?role=lab')).json().role).toBe('lab');
    expect(await flaggedOn(staff.coordinator)).toBe(true);
    const toReview = (await staff.clinician.get('/api/v1/worklist')).json().sections.find((s: { code: string }) => s.code === 'adverse-events-to-review');
    expect(toReview.items).toContainEqual(expect.objectContaining({ adverseEventId: reported.json().id }));
    expect((await staff.coordinator.post(`/api/v1/adverse-events/${reported.json().id}/review`, { note: 'x' })).statusCode).toBe(403);
    const reviewed = await staff.clinician.post(`/api/v1/adverse-events/${reported.json().id}/review`, { note: 'MRI: early discitis; antibiotics started.' });
    expect(reviewed.json()).toMatchObject({ flagged: false, reviewedBy: { id: staff.clinicianId } });
    expect(await flaggedOn(staff.lab)).toBe(false);
    const future = await staff.coordinator.post(`/api/v1/episodes/${p.episodeId}/adverse-events`, { onsetOn: daysFromToday(3), category: 'other', severity: 'mild', relatedness: 'unlikely', outcome: 'unknown', description: 'x' });
    expect(future.json()).toMatchObject({ status: 400, field: 'onsetOn' });
    const mild = (await staff.coordinator.post(`/api/v1/episodes/${p.episodeId}/adverse-events`, { onsetOn: daysFromToday(0), category: 'pain-flare', severity: 'mild', relatedness: 'definite', outcome: 'recovering', description: 'Sore for two days.' })).json();
    expect(mild.flagged).toBe(false);
    const worse = await staff.coordinator.patch(`/api/v1/adverse-events/${mild.id}`, { severity: 'severe' });
    expect(worse.json()).toMatchObject({ serious: true, flagged: true });
  });

  it('takes wash-outs and thresholds from the clinic’s settings', async () => {
    const settings = (await staff.clinician.get('/api/v1/pathway-settings')).json();
    expect(settings.settings.nsaidWashoutDays).toBe(3);
    expect(settings.sources.plateletsRelativeBelowKPerUl.verified).toBe(true);
    expect((await staff.clinician.request('PUT', '/api/v1/pathway-settings', { nsaidWashoutDays: 7 })).statusCode).toBe(403);
    const bad = await admin.request('PUT', '/api/v1/pathway-settings', { plateletsAbsoluteBelowKPerUl: 150 });
    expect(bad.json()).toMatchObject({ status: 400, field: 'plateletsAbsoluteBelowKPerUl' });
    const updated = await admin.request('PUT', '/api/v1/pathway-settings', { nsaidWashoutDays: 7, escalateToAbsolute: ['anticoagulant'] });
    expect(updated.json().settings).toMatchObject({ nsaidWashoutDays: 7, escalateToAbsolute: ['anticoagulant'] });
    const { episodeId } = await patientAndEpisode(staff.coordinator);
    await staff.coordinator.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: daysFromToday(10) });
    const a = (await staff.clinician.post(`/api/v1/episodes/${episodeId}/assessments`, assessmentBody({ medications: [{ class: 'nsaid', name: 'Naproxen', ongoing: false, lastDoseOn: daysFromToday(5) }, { class: 'anticoagulant', name: 'Apixaban', ongoing: true }] }))).json();
    expect(a.evaluation.absolute.map((f: { code: string }) => f.code)).toEqual(['anticoagulant']);
    expect(a.evaluation.relative[0].reason).toContain('the clinic asks for 7 days');
    expect((await admin.request('PUT', '/api/v1/pathway-settings', { nsaidWashoutDays: null, escalateToAbsolute: null })).json().settings).toMatchObject({ nsaidWashoutDays: 3, escalateToAbsolute: [] });
    expect((await audit('pathway_settings')).length).toBeGreaterThanOrEqual(2);
  });
});

