import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURE_CONSENT } from '../src/http/testing/pathway.js';
import { RED_FLAG_CODES, redFlagField } from '../src/science/index.js';
import { DESKTOP, PHONE, apiCall, localInput, newContext as openContext, shoot, signIn, textOf, useBrowserServer } from './harness.js';

/**
 * One patient walks the whole path in Chromium, against the real server on a fresh SQLite file:
 * the public self-screening (no red flag) and a consultation request → the coordinator finds the
 * lead, registers the patient from it and opens an episode → the clinician assesses and signs
 * "eligible" with the password → the patient signs the procedure consent on the tablet → the
 * draw and its label → the lab records the preparation and the custody steps → the bedside check
 * passes → the injection is recorded → the episode timeline shows every step done, with who and
 * when. Only the clinic, its staff and the consent text are set up through the API.
 */

const ADMIN = { clinicName: 'Harbour Spine Clinic', displayName: 'Ada Lindqvist', email: 'ada@harbour-spine.test', password: 'granite ferry lantern 42' };
const CLINICIAN = { displayName: 'Dr Priya Raman', email: 'priya@harbour-spine.test', password: 'needles patience fluoroscopy 7', role: 'clinician' };
const LAB = { displayName: 'Lars Okafor', email: 'lars@harbour-spine.test', password: 'centrifuge tidal maple 9', role: 'lab' };
const COORDINATOR = { displayName: 'Cora Mensah', email: 'cora@harbour-spine.test', password: 'phone calls before lunch 3', role: 'coordinator' };
const PATIENT = { name: 'Margaret Hamilton', givenName: 'Margaret', familyName: 'Hamilton', email: 'margaret.hamilton@example.org', phone: '+44 20 7946 0321', mrn: 'HSC-007001', birthDate: '1966-08-17' };

const server = useBrowserServer();

const newContext = (viewport: { width: number; height: number }): Promise<BrowserContext> => openContext(server.browser, viewport, { baseURL: server.baseUrl });

const call = apiCall;


describe('the whole path, from the public screening to a recorded injection', () => {
  let admin: BrowserContext;
  let coordinator: BrowserContext;
  let clinician: BrowserContext;
  let lab: BrowserContext;
  let clinicianPage: Page;
  let patientUrl: string;
  let episodeId: string;

  beforeAll(async () => {
    admin = await newContext(DESKTOP);
    const csrf = (await call<{ csrfToken: string }>(admin.request, '', 'POST', '/api/v1/setup', { ...ADMIN, timeZone: 'Europe/London' })).csrfToken;
    for (const staff of [CLINICIAN, LAB, COORDINATOR]) await call(admin.request, csrf, 'POST', '/api/v1/staff', staff);
    await call(admin.request, csrf, 'POST', '/api/v1/consent-templates', { kind: 'procedure', title: 'Consent to PRP injection for back pain', bodyMarkdown: PROCEDURE_CONSENT });
  });

  afterAll(async () => {
    for (const c of [admin, coordinator, clinician, lab]) await c?.close();
  });

  it('a visitor answers the public self-screening with no red flag and asks for a consultation', async () => {
    const visitor = await newContext(PHONE);
    const page = await visitor.newPage();
    await page.goto('/screening');
    await page.getByRole('heading', { level: 1, name: 'Could PRP help my back pain?' }).waitFor();
    await page.getByRole('checkbox', { name: 'Lower back' }).check();
    await page.getByRole('radio', { name: 'More than a year' }).check();
    await page.getByRole('checkbox', { name: 'Exercise or physiotherapy' }).check();
    const noes = await page.getByRole('radio', { name: 'No', exact: true }).all();
    expect(noes.length).toBeGreaterThanOrEqual(7);
    for (const no of noes) await no.check();
    await page.getByRole('button', { name: 'See what happens next' }).click();
    await page.getByRole('heading', { level: 1, name: 'What a clinician will look at' }).waitFor();
    await page.getByLabel('Your name').fill(PATIENT.name);
    await page.getByLabel(/^Email/).fill(PATIENT.email);
    await page.getByLabel(/^Phone/).fill(PATIENT.phone);
    await page.getByRole('checkbox', { name: /I agree that the clinic may contact me/ }).check();
    await page.getByRole('button', { name: 'Ask for a consultation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thank you — we have your request' }).waitFor();
    await visitor.close();
  });

  it('the coordinator finds the lead, registers the patient from it and opens an episode', async () => {
    coordinator = await newContext(DESKTOP);
    const page = await signIn(coordinator, COORDINATOR);
    const leadsToCall = page.getByRole('region', { name: /Consultation requests to call/ });
    await leadsToCall.getByText(PATIENT.name).waitFor();
    await leadsToCall.getByRole('link', { name: 'All leads' }).click();
    await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor();
    const table = page.getByRole('table', { name: 'Consultation requests' });
    await table.getByText(PATIENT.name).waitFor();
    await shoot(page, 'leads-desktop.png');
    await page.setViewportSize(PHONE);
    await shoot(page, 'leads-phone.png', { fullPage: true });
    await page.setViewportSize(DESKTOP);
    await table.getByRole('button', { name: `Create patient record: ${PATIENT.name}` }).click();
    // Focus moves to the panel's heading, so a keyboard user starts there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lead-create-title');

    const form = page.getByRole('form', { name: 'New patient' });
    // Pre-filled from the request; the rest is asked on the phone.
    expect(await form.getByLabel('Family name').inputValue()).toBe(PATIENT.familyName);
    expect(await form.getByLabel('Given name').inputValue()).toBe(PATIENT.givenName);
    expect(await form.getByLabel(/^Email/).inputValue()).toBe(PATIENT.email);
    expect(await form.getByLabel(/^Phone/).inputValue()).toBe(PATIENT.phone);
    await form.getByLabel('Birth date').fill(PATIENT.birthDate);
    await form.getByLabel('Sex').selectOption('female');
    await form.getByLabel('MRN').fill(PATIENT.mrn);
    await page.getByLabel(/^Also open an episode of care for/).selectOption('degenerative-disc-disease');
    await shoot(page, 'lead-to-patient-desktop.png', { fullPage: true });
    await page.setViewportSize(PHONE);
    await shoot(page, 'lead-to-patient-phone.png', { fullPage: true });
    const formBox = await form.boundingBox();
    expect(formBox!.x + formBox!.width).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await form.getByRole('button', { name: 'Register patient' }).click();

    await page.waitForURL(/\/app\/patients\/[0-9a-f-]{36}$/);
    patientUrl = page.url();
    await page.getByRole('heading', { level: 1, name: `${PATIENT.familyName}, ${PATIENT.givenName}` }).waitFor();
    await page.getByText(`${PATIENT.givenName} ${PATIENT.familyName} is registered from the consultation request, with an episode of care open.`).waitFor();
    await page.getByRole('table', { name: 'Episodes of care' }).getByRole('link', { name: /^Degenerative disc disease/ }).click();
    await page.waitForURL(/\/app\/episodes\/[0-9a-f-]{36}$/);
    episodeId = new URL(page.url()).pathname.split('/').at(-1)!;

    // The lead is booked and linked to the record; the leads page links to it.
    const leads = await call<{ name: string; status: string; patientId: string | null }[]>(coordinator.request, '', 'GET', '/api/v1/leads');
    const lead = leads.find((l) => l.name === PATIENT.name)!;
    expect(lead.status).toBe('booked');
    expect(patientUrl.endsWith(`/patients/${lead.patientId}`)).toBe(true);
    await page.goto('/app/leads');
    await page.getByLabel('Show').selectOption('booked');
    await page.getByRole('table', { name: 'Consultation requests' }).getByRole('link', { name: `Patient record of ${PATIENT.name}` }).waitFor();
  });

  it('the clinician assesses and signs the decision "eligible" with the password', async () => {
    clinician = await newContext(DESKTOP);
    clinicianPage = await signIn(clinician, CLINICIAN);
    const page = clinicianPage;
    await page.goto(`/app/episodes/${episodeId}`);
    await page.getByRole('heading', { level: 1, name: `Pathway: ${PATIENT.familyName}, ${PATIENT.givenName}` }).waitFor();
    // The screening the patient came from is the first step.
    const screening = page.locator('.pathway-step[data-step="screening"]');
    expect(await screening.locator('.step-chip').innerText()).toBe('Done');
    expect(await screening.innerText()).toContain('Lower back');

    await page.getByRole('button', { name: 'Assess' }).click();
    const form = page.getByRole('form', { name: 'Assessment' });
    await form.getByRole('checkbox', { name: /^Degenerative disc disease/ }).check();
    await form.getByRole('checkbox', { name: 'L4/L5' }).check();
    await form.getByLabel('Platelets (× 10³/µL)').fill('250');
    await form.getByLabel('Haemoglobin (g/dL)').fill('13.2');
    await form.getByLabel('Labs taken on').fill(new Date().toISOString().slice(0, 10));
    await form.locator('.live-findings').getByText('No contraindication found.').waitFor();
    await form.getByRole('button', { name: 'Save assessment' }).click();

    const decision = page.getByRole('form', { name: 'Eligibility decision' });
    await decision.getByLabel('Decision').selectOption('eligible');
    await decision.getByLabel('Rationale').fill('Discogenic pain at L4/L5 with concordant imaging; conservative care failed.');
    await decision.getByLabel('Your password').fill(CLINICIAN.password);
    await decision.getByRole('button', { name: 'Sign decision' }).click();
    await page.locator('.pathway-step[data-step="decision"] .step-chip', { hasText: 'Done' }).waitFor();
  });

  it('the patient signs the procedure consent on the tablet', async () => {
    const page = clinicianPage;
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('button', { name: 'Sign on this tablet' }).click();
    const form = page.getByRole('form', { name: 'Sign the consent' });
    await form.getByRole('heading', { name: /Consent to PRP injection for back pain/ }).waitFor();
    await form.getByLabel('Your full name').fill(PATIENT.name);
    const pad = (await form.locator('canvas.signature-pad').boundingBox())!;
    await page.mouse.move(pad.x + 20, pad.y + 100);
    await page.mouse.down();
    for (let x = 20; x < 300; x += 10) await page.mouse.move(pad.x + x, pad.y + 80 + Math.sin(x / 25) * 35);
    await page.mouse.up();
    await form.getByRole('button', { name: 'I consent — sign' }).click();
    await page.locator('.pathway-step[data-step="consent"] .step-chip', { hasText: 'Done' }).waitFor();
    await page.setViewportSize(DESKTOP);
  });

  it('the clinician records the draw, and its label prints', async () => {
    const page = clinicianPage;
    const draw = page.getByRole('form', { name: 'Record the blood draw' });
    await draw.getByLabel('Blood drawn (mL)').fill('27');
    await draw.getByLabel('Tubes').fill('1');
    await draw.getByRole('button', { name: 'Record draw' }).click();
    const card = page.locator('.specimen-card');
    await card.locator('.badge', { hasText: 'Drawn' }).waitFor();
    const label = await clinician.request.get((await card.getByRole('link', { name: 'Print label' }).getAttribute('href'))!);
    expect(label.status()).toBe(200);
    await page.locator('.pathway-step[data-step="draw"] .step-chip', { hasText: 'Done' }).waitFor();
  });

  it('the lab sees the draw, records the preparation and the custody steps', async () => {
    lab = await newContext(DESKTOP);
    const page = await signIn(lab, LAB);
    const draws = page.getByRole('region', { name: /draws awaiting preparation/ });
    await draws.getByRole('link', { name: new RegExp(PATIENT.familyName) }).waitFor();

    // The lab's record of the preparation, from the patient's page.
    await page.goto(patientUrl);
    await page.getByRole('heading', { level: 1, name: `${PATIENT.familyName}, ${PATIENT.givenName}` }).waitFor();
    await page.getByRole('link', { name: /^Record preparation/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a preparation' }).waitFor();
    await page.getByLabel('Blood drawn').fill('27');
    await page.getByLabel('Drawn at').fill(await localInput(page, -30));
    await page.getByRole('group', { name: 'PRP' }).getByLabel('Final PRP volume').fill('4');
    await page.getByLabel('Prepared at').fill(await localInput(page, -5));
    await page.getByRole('button', { name: 'Save preparation' }).click();
    await page.waitForURL(/\/app\/preparations\/[0-9a-f-]{36}$/);
    await page.getByRole('main').getByText('The preparation is recorded.').waitFor();

    // The product's custody: centrifuged, then prepared and tied to that record.
    await page.goto(`/app/episodes/${episodeId}`);
    await page.getByRole('heading', { level: 1, name: `Pathway: ${PATIENT.familyName}, ${PATIENT.givenName}` }).waitFor();
    const card = page.locator('.specimen-card');
    await card.getByRole('button', { name: 'Centrifuged' }).click();
    await card.locator('.badge', { hasText: 'Centrifuged' }).waitFor();
    await card.getByRole('button', { name: 'Prepared…' }).click();
    const prepared = page.getByRole('form', { name: 'Record the preparation' });
    await prepared.getByLabel('PRP volume (mL)').fill('4');
    const record = prepared.getByLabel(/^Preparation record/);
    await expect.poll(() => record.locator('option').count()).toBeGreaterThan(1);
    await record.selectOption({ index: 1 });
    await prepared.getByRole('button', { name: 'Record preparation' }).click();
    await card.locator('.badge', { hasText: 'Prepared' }).waitFor();
    await page.locator('.pathway-step[data-step="preparation"] .step-chip', { hasText: 'Done' }).waitFor();
  });

  it('the bedside check passes and the clinician records the injection', async () => {
    const page = clinicianPage;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Pathway: ${PATIENT.familyName}, ${PATIENT.givenName}` }).waitFor();
    const specimens = await call<{ code: string }[]>(clinician.request, '', 'GET', `/api/v1/episodes/${episodeId}/specimens`);
    expect(specimens).toHaveLength(1);
    const check = page.getByRole('form', { name: 'Bedside identity check' });
    await check.getByLabel('Product code').fill(specimens[0]!.code);
    await check.getByLabel('Wristband MRN').fill(PATIENT.mrn);
    await check.getByLabel('Birth date').fill(PATIENT.birthDate);
    await check.getByRole('button', { name: 'Check identity' }).click();
    await page.getByText('Check passed.').waitFor();

    const injection = page.getByRole('form', { name: 'Record the injection' });
    await injection.getByLabel('Image guidance').selectOption('fluoroscopy');
    await injection.getByLabel('Target 1: structure').selectOption('intervertebral-disc');
    await injection.getByLabel('Target 1: level').selectOption('L4/L5');
    await injection.getByLabel('Target 1: volume in mL').fill('2');
    await injection.getByLabel(/^Local anaesthetic agent/).fill('Lidocaine 1 %');
    await injection.getByLabel(/^Local anaesthetic volume/).fill('2');
    await injection.getByRole('button', { name: 'Record injection' }).click();
    await page.locator('.pathway-step[data-step="injection"] .step-chip', { hasText: 'Done' }).waitFor();
  });

  it('the episode timeline shows every step done, with who and when', async () => {
    const page = clinicianPage;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Pathway: ${PATIENT.familyName}, ${PATIENT.givenName}` }).waitFor();
    const step = (code: string) => page.locator(`.pathway-step[data-step="${code}"]`);
    const expected: [string, string | null][] = [
      ['screening', null], ['assessment', CLINICIAN.displayName], ['decision', CLINICIAN.displayName], ['consent', CLINICIAN.displayName],
      ['draw', CLINICIAN.displayName], ['preparation', LAB.displayName], ['verification', CLINICIAN.displayName], ['injection', CLINICIAN.displayName],
    ];
    for (const [code, who] of expected) {
      expect(await textOf(step(code).locator('.step-chip')), code).toBe('Done');
      // When: every done step carries its instant; who: every step a member of staff did.
      expect(await step(code).locator('time').count(), code).toBe(1);
      if (who) expect(await textOf(step(code).locator('.pathway-step-meta')), code).toContain(who);
    }
    await shoot(page, 'whole-path-timeline-desktop.png', { fullPage: true });
    await page.setViewportSize(PHONE);
    await page.locator('.pathway-steps').scrollIntoViewIfNeeded();
    await shoot(page, 'whole-path-timeline-phone.png');
    const box = await page.locator('.pathway-steps').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
  });

  it('links a returning patient’s new request to the record they already have', async () => {
    const res = await server.app.inject({
      method: 'POST', url: '/screening/consultation', remoteAddress: '192.0.2.41', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        painLocations: 'lower-back', duration: 'over-12-months', tried: 'exercise-physiotherapy', ...Object.fromEntries(RED_FLAG_CODES.map((c) => [redFlagField(c), 'no'])),
        name: PATIENT.name, phone: PATIENT.phone, consentToContact: 'yes',
      }).toString(),
    });
    expect(res.statusCode).toBe(303);
    const page = await coordinator.newPage();
    await page.goto('/app/leads');
    const table = page.getByRole('table', { name: 'Consultation requests' });
    await table.getByRole('button', { name: `Link to existing patient: ${PATIENT.name}` }).click();
    // The search starts from the name given; the record is found and linked.
    const search = page.getByRole('search', { name: 'Find the patient' });
    expect(await search.getByLabel('Name or MRN').inputValue()).toBe(PATIENT.name);
    const matches = page.getByRole('table', { name: 'Matching patients' });
    await matches.getByText(PATIENT.mrn).waitFor();
    await shoot(page, 'lead-link-desktop.png');
    await matches.getByRole('button', { name: `Link to ${PATIENT.familyName}, ${PATIENT.givenName}` }).click();
    await page.waitForURL(patientUrl);
    await page.getByText(`${PATIENT.name}’s consultation request is linked to this record.`).waitFor();
    const leads = await call<{ status: string; patientId: string | null; createdAt: string }[]>(coordinator.request, '', 'GET', '/api/v1/leads');
    expect(leads.filter((l) => patientUrl.endsWith(`/patients/${l.patientId}`)).map((l) => l.status)).toEqual(['booked', 'booked']);
    await page.close();
  });
});
