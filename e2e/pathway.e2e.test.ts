import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RED_FLAG_CODES, redFlagField } from '../src/science/index.js';
import { assessmentBody, PROCEDURE_CONSENT, SVG_SIGNATURE } from '../src/http/testing/pathway.js';
import path from 'node:path';
import { DESKTOP, PHONE, apiCall, newContext as openContext, screenshotDir, shoot as shootTo, signIn, useBrowserServer } from './harness.js';

/**
 * The bedside in a real browser against the real server on a fresh SQLite file. Assessment,
 * decision, consent, draw and preparation are made through the API; then a clinician opens the
 * episode's pathway page, scans a product with the wrong wristband and is stopped by a DO NOT
 * INJECT panel (nothing injected, the failed check audited), scans the right one, and records the
 * injection against the PRP prepared.
 */

const ADMIN = { clinicName: 'Harbour Spine Clinic', displayName: 'Ada Lindqvist', email: 'ada@harbour-spine.test', password: 'granite ferry lantern 42' };
const CLINICIAN = { displayName: 'Dr Priya Raman', email: 'priya@harbour-spine.test', password: 'needles patience fluoroscopy 7', role: 'clinician' };
const PATIENT = { mrn: 'HSC-004711', givenName: 'Grace', familyName: 'Hopper', birthDate: '1960-12-09', sex: 'female' };

const server = useBrowserServer();

/** A calendar date n days before today (UTC), as the date inputs take it. */
const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const newContext = (viewport: { width: number; height: number }): Promise<BrowserContext> => openContext(server.browser, viewport, { baseURL: server.baseUrl });
const shoot = (page: Page, name: string, fullPage = false): Promise<void> => shootTo(page, name, { fullPage });

const call = apiCall;

describe('bedside verification', () => {
  let admin: BrowserContext;
  let adminCsrf: string;
  let clinician: BrowserContext;
  let csrf: string;
  let page: Page;
  let episodeId: string;
  let specimen: { id: string; code: string; displayCode: string };

  beforeAll(async () => {
    admin = await newContext(DESKTOP);
    adminCsrf = (await call<{ csrfToken: string }>(admin.request, '', 'POST', '/api/v1/setup', { ...ADMIN, timeZone: 'Europe/London' })).csrfToken;
    const patient = await call<{ id: string }>(admin.request, adminCsrf, 'POST', '/api/v1/patients', PATIENT);
    episodeId = (await call<{ id: string }>(admin.request, adminCsrf, 'POST', `/api/v1/patients/${patient.id}/episodes`, { indication: 'degenerative-disc-disease' })).id;
    await call(admin.request, adminCsrf, 'POST', '/api/v1/staff', CLINICIAN);
    const template = await call<{ id: string }>(admin.request, adminCsrf, 'POST', '/api/v1/consent-templates', { kind: 'procedure', title: 'Consent to PRP injection for back pain', bodyMarkdown: PROCEDURE_CONSENT });

    // The clinician signs in in the browser; the steps before the bedside go through the API with the same session.
    clinician = await newContext(DESKTOP);
    page = await signIn(clinician, CLINICIAN);
    csrf = (await call<{ csrfToken: string }>(clinician.request, '', 'GET', '/api/v1/auth/session')).csrfToken;
    const r = clinician.request;
    const assessment = await call<{ id: string }>(r, csrf, 'POST', `/api/v1/episodes/${episodeId}/assessments`, assessmentBody(), 201);
    await call(r, csrf, 'POST', `/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'eligible', rationale: 'Discogenic pain at L4/L5, concordant imaging.', password: CLINICIAN.password }, 201);
    await call(r, csrf, 'POST', `/api/v1/episodes/${episodeId}/consents`, { templateId: template.id, signedName: 'Grace Hopper', signature: SVG_SIGNATURE }, 201);
    specimen = await call(r, csrf, 'POST', `/api/v1/episodes/${episodeId}/specimens`, { drawVolumeMl: 27, tubeCount: 1 }, 201);
    await call(r, csrf, 'POST', `/api/v1/specimens/${specimen.id}/events`, { type: 'centrifuged' }, 200);
    await call(r, csrf, 'POST', `/api/v1/specimens/${specimen.id}/events`, { type: 'prepared', prpVolumeMl: 4 }, 200);
  });

  afterAll(async () => {
    await clinician?.close();
    await admin?.close();
  });

  it('shows the pathway from the episode row, with each step’s state, who and when', async () => {
    await page.goto('/app/patients');
    await page.getByRole('link', { name: /Hopper/ }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Hopper, Grace' }).waitFor();
    await page.getByRole('table', { name: 'Episodes of care' }).getByRole('link', { name: /^Degenerative disc disease/ }).click();
    await page.waitForURL(`**/app/episodes/${episodeId}`);
    await page.getByRole('heading', { level: 1, name: 'Pathway: Hopper, Grace' }).waitFor();
    const step = (code: string) => page.locator(`.pathway-step[data-step="${code}"]`);
    expect(await step('decision').locator('.step-chip').innerText()).toBe('Done');
    expect(await step('decision').innerText()).toContain(CLINICIAN.displayName);
    expect(await step('preparation').locator('.step-chip').innerText()).toBe('Done');
    expect(await step('verification').locator('.step-chip').innerText()).toBe('Pending');
    expect(await step('injection').locator('.step-chip').innerText()).toBe('Pending');
    await shoot(page, 'pathway-timeline-desktop.png', true);
  });

  it('blocks a product scanned against the wrong wristband: DO NOT INJECT, nothing injected, the failed check audited', async () => {
    const form = page.getByRole('form', { name: 'Bedside identity check' });
    // A keyboard-wedge scanner types the code and presses Enter: focus moves on, nothing is submitted.
    await form.getByLabel('Product code').click();
    await page.keyboard.type(specimen.code);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bedside-mrn');
    await page.keyboard.type('HSC-004712');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bedside-birthDate');
    await form.getByLabel('Birth date').fill(PATIENT.birthDate);
    await form.getByRole('button', { name: 'Check identity' }).click();

    const stop = page.getByRole('alert').filter({ hasText: 'DO NOT INJECT' });
    await stop.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('do-not-inject'))).toBe(true);
    const text = await stop.innerText();
    expect(text).toMatch(/wristband|MRN/i);
    await expect.poll(() => stop.locator('li').count()).toBeGreaterThan(0);
    // Full width of its panel, and red.
    const box = await stop.boundingBox();
    const panel = await page.locator('#bedside .panel-body').boundingBox();
    expect(box!.width).toBeGreaterThan(panel!.width - 60);
    expect(await stop.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(180, 35, 24)');
    await shoot(page, 'bedside-mismatch-desktop.png');
    // The injection form is not offered, and the timeline shows the block.
    await expect.poll(() => page.getByRole('form', { name: 'Record the injection' }).count()).toBe(0);
    await page.locator('.pathway-step[data-step="verification"] .step-chip', { hasText: 'Blocked' }).waitFor();

    const procedures = await call<unknown[]>(clinician.request, csrf, 'GET', `/api/v1/episodes/${episodeId}/procedures`);
    expect(procedures).toEqual([]);
    const audit = await call<{ action: string; entityType: string; detail: { result?: string; mismatches?: string[] } | null }[]>(admin.request, adminCsrf, 'GET', '/api/v1/audit?entityType=bedside_verification');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail?.result).toBe('failed');
    expect(audit[0]!.detail?.mismatches?.length).toBeGreaterThan(0);
    const specimenNow = await call<{ status: string }>(clinician.request, csrf, 'GET', `/api/v1/specimens/${specimen.id}`);
    expect(specimenNow.status).toBe('prepared');
  });

  it('is readable on a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.locator('.do-not-inject').scrollIntoViewIfNeeded();
    await shoot(page, 'bedside-mismatch-phone.png');
    const box = await page.locator('.do-not-inject').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
  });

  it('passes the right wristband and records the injection against the PRP prepared', async () => {
    await page.getByRole('button', { name: 'Start a new check' }).click();
    const form = page.getByRole('form', { name: 'Bedside identity check' });
    await form.getByLabel('Product code').fill(specimen.displayCode.toLowerCase());
    await form.getByLabel('Wristband MRN').fill(PATIENT.mrn);
    await form.getByLabel('Birth date').fill(PATIENT.birthDate);
    await shoot(page, 'bedside-ready-desktop.png');
    await form.getByRole('button', { name: 'Check identity' }).click();
    await page.getByText('Check passed.').waitFor();
    await page.locator('.pathway-step[data-step="verification"] .step-chip', { hasText: 'Done' }).waitFor();
    await page.setViewportSize(PHONE);
    await page.locator('#bedside').scrollIntoViewIfNeeded();
    await shoot(page, 'bedside-passed-phone.png');
    await page.setViewportSize(DESKTOP);

    const injection = page.getByRole('form', { name: 'Record the injection' });
    await injection.getByLabel('Image guidance').selectOption('fluoroscopy');
    await injection.getByLabel('Target 1: structure').selectOption('intervertebral-disc');
    await injection.getByLabel('Target 1: level').selectOption('L4/L5');
    await injection.getByLabel('Target 1: volume in mL').fill('5');
    await injection.getByText('more than was prepared').waitFor();
    expect(await injection.getByRole('button', { name: 'Record injection' }).isDisabled()).toBe(true);
    await injection.getByLabel('Target 1: volume in mL').fill('1.5');
    await injection.getByText('1.5 mL of 4 mL available').waitFor();
    // Who: me by default, from the clinic's clinicians; an assistant from any colleague.
    await expect.poll(() => injection.getByLabel('Performing clinician').locator('option:checked').innerText()).toBe(`${CLINICIAN.displayName} (me)`);
    await injection.getByLabel(/^Assistant/).selectOption({ label: ADMIN.displayName });
    await injection.getByLabel(/^Needle gauge/).fill('22');
    await injection.getByLabel(/^Needle length/).fill('90');
    await injection.getByLabel(/^Needle type/).selectOption('Spinal (Quincke)');
    await injection.getByLabel('Contrast used').check();
    await injection.getByLabel(/^Contrast agent/).fill('Iohexol');
    await injection.getByLabel(/^Contrast volume/).fill('0.5');
    // An intradiscal target without prophylaxis is pointed out before the record is made.
    const prophylaxisWarning = injection.getByText(/intradiscal target with no antibiotic prophylaxis/);
    await prophylaxisWarning.waitFor();
    await injection.getByLabel('Antibiotic prophylaxis given').check();
    await expect.poll(() => prophylaxisWarning.count()).toBe(0);
    await injection.getByLabel('Antibiotic (optional)').fill('Cefazolin');
    await injection.getByLabel(/^Antibiotic dose/).fill('1000');
    await injection.getByLabel(/^Antibiotic route/).selectOption('IV');
    await injection.getByLabel(/^Antibiotic timing/).fill('30 minutes before');
    await injection.getByLabel(/^Local anaesthetic agent/).fill('Lidocaine');
    await injection.getByLabel(/^Local anaesthetic concentration/).fill('1');
    await injection.getByLabel(/^Local anaesthetic volume/).fill('2');
    await injection.getByLabel(/^Discharge instructions/).fill('Rest today; paracetamol if needed; call the clinic for fever or new leg weakness.');
    // The form itself, whole (it is longer than a screen), without the sticky top bar across it.
    const shootForm = async (name: string) => {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await injection.screenshot({ path: path.join(screenshotDir, name), animations: 'disabled', style: '.topbar { position: static !important; }' });
    };
    await shootForm('injection-form-desktop.png');
    await page.setViewportSize(PHONE);
    await shootForm('injection-form-phone.png');
    const phoneForm = await injection.boundingBox();
    expect(phoneForm!.x + phoneForm!.width).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await injection.getByRole('button', { name: 'Record injection' }).click();

    // The record, readable: every field, not a one-line notice.
    const record = page.locator('#injection .procedure-record');
    await record.waitFor();
    const text = (await record.innerText()).replace(/\s+/g, ' ');
    for (const shown of ['1.5 mL of 4 mL', 'Intervertebral disc', 'L4/L5', CLINICIAN.displayName, ADMIN.displayName, 'Fluoroscopy', '22 G, 90 mm, Spinal (Quincke)', 'Used, Iohexol, 0.5 mL',
      'Given, Cefazolin, 1000 mg, IV, 30 minutes before', 'Lidocaine, 1 %, 2 mL, given separately', 'call the clinic for fever']) expect(text).toContain(shown);
    await page.locator('.pathway-step[data-step="injection"] .step-chip', { hasText: 'Done' }).waitFor();
    // The section's top just under the sticky top bar.
    const toInjection = () => page.evaluate(() => { document.getElementById('injection')!.scrollIntoView(); window.scrollBy(0, -(document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0) - 8); });
    await toInjection();
    await shoot(page, 'injection-record-desktop.png');
    await page.setViewportSize(PHONE);
    await toInjection();
    await shoot(page, 'injection-record-phone.png');
    await page.setViewportSize(DESKTOP);
    const procedures = await call<{ totalVolumeMl: number; specimenId: string }[]>(clinician.request, csrf, 'GET', `/api/v1/episodes/${episodeId}/procedures`);
    expect(procedures).toHaveLength(1);
    expect(procedures[0]).toMatchObject({
      totalVolumeMl: 1.5, specimenId: specimen.id, imageGuidance: 'fluoroscopy', performedBy: { displayName: CLINICIAN.displayName }, assistant: { displayName: ADMIN.displayName },
      needle: { gauge: 22, lengthMm: 90, type: 'Spinal (Quincke)' }, contrast: { used: true, agent: 'Iohexol', volumeMl: 0.5 },
      antibioticProphylaxis: { given: true, agent: 'Cefazolin', doseMg: 1000, route: 'IV', timing: '30 minutes before' },
      localAnaesthetic: { agent: 'Lidocaine', concentrationPct: 1, volumeMl: 2, mixedWithPrp: false }, immediateComplications: { none: true }, warnings: [],
    });
  });

  it('records a draw, opens its label, and asks before a second patient’s product shares the centrifuge', async () => {
    const r = clinician.request;
    const template = (await call<{ id: string; kind: string; current: boolean }[]>(r, csrf, 'GET', '/api/v1/consent-templates')).find((t) => t.kind === 'procedure' && t.current)!;
    const ready = async (p: { mrn: string; givenName: string; familyName: string }) => {
      const patient = await call<{ id: string }>(admin.request, adminCsrf, 'POST', '/api/v1/patients', { ...p, birthDate: '1971-03-02', sex: 'male' }, 201);
      const episode = await call<{ id: string }>(admin.request, adminCsrf, 'POST', `/api/v1/patients/${patient.id}/episodes`, { indication: 'degenerative-disc-disease' }, 201);
      const assessment = await call<{ id: string }>(r, csrf, 'POST', `/api/v1/episodes/${episode.id}/assessments`, assessmentBody(), 201);
      await call(r, csrf, 'POST', `/api/v1/episodes/${episode.id}/decisions`, { assessmentId: assessment.id, outcome: 'eligible', rationale: 'Discogenic pain.', password: CLINICIAN.password }, 201);
      await call(r, csrf, 'POST', `/api/v1/episodes/${episode.id}/consents`, { templateId: template.id, signedName: `${p.givenName} ${p.familyName}`, signature: SVG_SIGNATURE }, 201);
      return episode.id;
    };
    const other = await ready({ mrn: 'HSC-009001', givenName: 'Alan', familyName: 'Turing' });
    const otherSpecimen = await call<{ id: string }>(r, csrf, 'POST', `/api/v1/episodes/${other}/specimens`, { drawVolumeMl: 27 }, 201);
    await call(r, csrf, 'POST', `/api/v1/specimens/${otherSpecimen.id}/events`, { type: 'centrifuged' }, 200);
    const mine = await ready({ mrn: 'HSC-009002', givenName: 'Edsger', familyName: 'Dijkstra' });

    await page.goto(`/app/episodes/${mine}`);
    await page.getByRole('heading', { level: 1, name: 'Pathway: Dijkstra, Edsger' }).waitFor();
    const draw = page.getByRole('form', { name: 'Record the blood draw' });
    await draw.getByLabel('Blood drawn (mL)').fill('27');
    await draw.getByLabel('Tubes').fill('1');
    await draw.getByRole('button', { name: 'Record draw' }).click();
    const card = page.locator('.specimen-card');
    await card.locator('.badge', { hasText: 'Drawn' }).waitFor();
    const specimens = await call<{ id: string; status: string }[]>(r, csrf, 'GET', `/api/v1/episodes/${mine}/specimens`);
    expect(specimens).toHaveLength(1);
    expect(await card.getByRole('link', { name: 'Print label' }).getAttribute('href')).toBe(`/api/v1/specimens/${specimens[0]!.id}/label`);
    expect(await card.getByRole('link', { name: 'Print label' }).getAttribute('target')).toBe('_blank');
    const label = await r.get(`/api/v1/specimens/${specimens[0]!.id}/label`);
    expect(label.status()).toBe(200);

    await card.getByRole('button', { name: 'Centrifuged' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'Separate run?' });
    await warning.waitFor();
    await shoot(page, 'custody-separate-run-desktop.png');
    await warning.getByRole('button', { name: 'Yes, this is a separate centrifuge run' }).click();
    await card.locator('.badge', { hasText: 'Centrifuged' }).waitFor();
    await card.getByRole('button', { name: 'Prepared…' }).click();
    const prepared = page.getByRole('form', { name: 'Record the preparation' });
    await prepared.getByLabel('PRP volume (mL)').fill('4');
    await prepared.getByRole('button', { name: 'Record preparation' }).click();
    await card.locator('.badge', { hasText: 'Prepared' }).waitFor();
    expect((await call<{ status: string; prpVolumeMl: number }>(r, csrf, 'GET', `/api/v1/specimens/${specimens[0]!.id}`))).toMatchObject({ status: 'prepared', prpVolumeMl: 4 });
    await page.locator('.pathway-step[data-step="preparation"] .step-chip', { hasText: 'Done' }).waitFor();
  });

  it('assesses with live contraindications and signs the decision with the password', async () => {
    const patient = await call<{ id: string }>(admin.request, adminCsrf, 'POST', '/api/v1/patients', { mrn: 'HSC-009003', givenName: 'Barbara', familyName: 'Liskov', birthDate: '1979-11-07', sex: 'female' }, 201);
    const episode = await call<{ id: string }>(admin.request, adminCsrf, 'POST', `/api/v1/patients/${patient.id}/episodes`, { indication: 'degenerative-disc-disease' }, 201);
    await page.goto(`/app/episodes/${episode.id}`);
    await page.getByRole('heading', { level: 1, name: 'Pathway: Liskov, Barbara' }).waitFor();
    await page.getByRole('button', { name: 'Assess' }).click();
    const form = page.getByRole('form', { name: 'Assessment' });
    await form.getByRole('checkbox', { name: /^Degenerative disc disease/ }).check();
    await form.getByRole('checkbox', { name: 'L4/L5' }).check();
    await form.getByLabel('Platelets (× 10³/µL)').fill('240');
    await form.getByLabel('Haemoglobin (g/dL)').fill('13.5');
    await form.getByLabel('Labs taken on').fill(new Date().toISOString().slice(0, 10));
    await form.getByRole('checkbox', { name: 'Pregnant' }).check();
    await form.locator('.live-findings').getByText('Absolute contraindications').waitFor();
    await form.getByRole('checkbox', { name: 'Pregnant' }).uncheck();
    await form.locator('.live-findings').getByText('No contraindication found.').waitFor();
    // Structured imaging, a row per imaged level; a new row offers the planned level first.
    await form.getByLabel('Imaging study').selectOption('mri');
    await form.getByLabel('Imaging date').fill(daysAgo(40));
    await form.getByRole('button', { name: 'Add imaged level' }).click();
    expect(await form.getByLabel('Imaged level 1: Level').inputValue()).toBe('L4/L5');
    await form.getByLabel('Imaged level 1: Pfirrmann grade').selectOption('4');
    await form.getByLabel('Imaged level 1: Modic change').selectOption('1');
    await form.getByLabel('Imaged level 1: Annular fissure').selectOption('yes');
    await form.getByLabel('Imaged level 1: Disc contour').selectOption('protrusion');
    await form.getByLabel('Imaged level 1: Facet arthropathy').selectOption('mild');
    await form.getByRole('button', { name: 'Add imaged level' }).click();
    await form.getByLabel('Imaged level 2: Level').selectOption('L5/S1');
    await form.getByLabel('Imaged level 2: Pfirrmann grade').selectOption('3');
    // A steroid injection without its date: the server's 400 lands on that row's date input.
    await form.getByRole('button', { name: 'Add steroid injection' }).click();
    await form.getByLabel('Steroid injection 1: Site').fill('L4/L5 right facet');
    await form.getByLabel('Steroid injection 1: Level').selectOption('L4/L5');
    await form.getByLabel('Steroid injection 1: Side').selectOption('right');
    await form.getByRole('button', { name: 'Save assessment' }).click();
    const injectionDate = form.getByLabel('Steroid injection 1: Date');
    await expect.poll(() => injectionDate.getAttribute('aria-invalid')).toBe('true');
    await form.locator('.error-summary').getByRole('link', { name: /^Steroid injection 1: date/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('assessment-priorTreatments-steroidInjections-0-on');
    await injectionDate.fill(daysAgo(200));
    await form.getByLabel('Imaged level 1: Level').scrollIntoViewIfNeeded();
    await shoot(page, 'assessment-imaging-desktop.png');
    await form.getByRole('button', { name: 'Add medicine' }).click();
    await form.getByLabel('Medicine 1: name').fill('Ibuprofen');
    await form.locator('.live-findings').getByText('Relative contraindications').waitFor();
    await shoot(page, 'assessment-live-desktop.png');
    await page.setViewportSize(PHONE);
    await shoot(page, 'assessment-form-phone.png', true);
    await page.setViewportSize(DESKTOP);
    await form.getByRole('button', { name: 'Save assessment' }).click();

    // The read view shows what was saved, and the API has it structured.
    const summary = page.locator('#assessment .assessment-summary');
    await summary.waitFor();
    expect((await summary.locator('.imaging-table tbody tr').first().innerText()).replace(/\s+/g, ' ').trim()).toBe('L4/L5 IV Type 1 Yes Protrusion Mild');
    expect(await summary.innerText()).toContain('L4/L5 right facet');
    await summary.scrollIntoViewIfNeeded();
    await shoot(page, 'assessment-read-desktop.png');
    const saved = await call<{ assessment: { imaging: unknown; priorTreatments: { steroidInjections: unknown[] } } }[]>(clinician.request, csrf, 'GET', `/api/v1/episodes/${episode.id}/assessments`);
    expect(saved[0]!.assessment.imaging).toMatchObject({
      study: 'mri', performedOn: daysAgo(40),
      discs: [{ level: 'L4/L5', pfirrmannGrade: 4, modicType: 1, annularFissure: true, contour: 'protrusion', facetArthropathy: 'mild' }, { level: 'L5/S1', pfirrmannGrade: 3, modicType: null }],
    });
    expect(saved[0]!.assessment.priorTreatments.steroidInjections).toEqual([{ on: daysAgo(200), site: 'L4/L5 right facet', level: 'L4/L5', side: 'right' }]);
    // A new version starts from the latest one.
    await page.getByRole('button', { name: 'New assessment version' }).click();
    const next = page.getByRole('form', { name: 'Assessment' });
    expect(await next.getByLabel('Imaged level 1: Pfirrmann grade').inputValue()).toBe('4');
    expect(await next.getByLabel('Steroid injection 1: Site').inputValue()).toBe('L4/L5 right facet');
    await next.getByRole('button', { name: 'Cancel' }).click();
    await summary.waitFor();

    const decision = page.getByRole('form', { name: 'Eligibility decision' });
    await decision.getByText('Relative contraindications').waitFor();
    await decision.getByRole('checkbox').first().check();
    await decision.getByLabel('Decision').selectOption('eligible');
    await decision.getByLabel('Rationale').fill('Discogenic pain at L4/L5; NSAID to be stopped before the procedure.');
    await decision.getByLabel('Your password').fill('not my password');
    await decision.getByRole('button', { name: 'Sign decision' }).click();
    const passwordField = decision.getByLabel('Your password');
    await expect.poll(() => passwordField.getAttribute('aria-invalid')).toBe('true');
    await decision.getByLabel('Your password').fill(CLINICIAN.password);
    await decision.getByRole('button', { name: 'Sign decision' }).click();
    await page.locator('.pathway-step[data-step="decision"] .step-chip', { hasText: 'Done' }).waitFor();
    const decisions = await call<{ outcome: string; acknowledgedFindings: string[] }[]>(clinician.request, csrf, 'GET', `/api/v1/episodes/${episode.id}/decisions`);
    expect(decisions[0]).toMatchObject({ outcome: 'eligible', acknowledgedFindings: ['nsaid'] });
  });

  it('takes the procedure consent on a tablet: text, typed name, drawn signature, printable', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('button', { name: 'Sign on this tablet' }).click();
    const form = page.getByRole('form', { name: 'Sign the consent' });
    await form.getByRole('heading', { name: /Consent to PRP injection for back pain/ }).waitFor();
    expect(await form.locator('.consent-text h2').first().innerText()).toBe('What the procedure is');
    await form.getByLabel('Your full name').fill('Barbara Liskov');
    await form.getByRole('button', { name: 'I consent — sign' }).click();
    await form.getByText('Sign in the box with a finger or stylus.').first().waitFor();
    const pad = (await form.locator('canvas.signature-pad').boundingBox())!;
    await page.mouse.move(pad.x + 20, pad.y + 120);
    await page.mouse.down();
    for (let x = 20; x < 300; x += 10) await page.mouse.move(pad.x + x, pad.y + 90 + Math.sin(x / 20) * 40);
    await page.mouse.up();
    await shoot(page, 'consent-tablet.png');
    await form.getByRole('button', { name: 'I consent — sign' }).click();
    const print = page.locator('#consent').getByRole('link', { name: 'Print' });
    await print.waitFor();
    await page.locator('.pathway-step[data-step="consent"] .step-chip', { hasText: 'Done' }).waitFor();
    const res = await clinician.request.get((await print.getAttribute('href'))!);
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('Barbara Liskov');
    await page.setViewportSize(DESKTOP);
  });

  it('pins the failed bedside check on the administrator’s worklist until it is acknowledged with a note', async () => {
    const adminPage = await admin.newPage();
    await adminPage.goto('/app/worklist');
    await adminPage.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    const alerts = adminPage.getByRole('region', { name: /Alerts/ });
    const failed = alerts.getByRole('listitem').filter({ hasText: 'Bedside identity check failed' });
    await failed.first().waitFor();
    await alerts.getByRole('link', { name: 'Hopper, Grace' }).waitFor();
    await shoot(adminPage, 'worklist-admin-desktop.png', true);
    const before = await failed.count();
    // Empty note: the server's 400 lands on the field.
    await failed.first().getByRole('button', { name: 'Acknowledge…' }).click();
    const form = adminPage.getByRole('form', { name: /Acknowledge the failed bedside check of Grace Hopper/ });
    const note = form.getByLabel('What was done');
    await expect.poll(() => adminPage.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await form.getByRole('button', { name: 'Acknowledge alert' }).click();
    await expect.poll(() => note.getAttribute('aria-invalid')).toBe('true');
    await shoot(adminPage, 'worklist-acknowledge-desktop.png');
    await note.fill('Wrong wristband scanned; product set aside, patient identified again and the check passed.');
    await form.getByRole('button', { name: 'Acknowledge alert' }).click();
    await expect.poll(() => failed.count()).toBe(before - 1);
    const audit = await call<{ action: string; detail: { acknowledged?: boolean } | null }[]>(admin.request, adminCsrf, 'GET', '/api/v1/audit?entityType=bedside_verification');
    expect(audit.filter((e) => e.action === 'update' && e.detail?.acknowledged === true)).toHaveLength(1);
    const verifications = (await call<{ verifications: { result: string; acknowledgedBy: { displayName: string } | null; acknowledgementNote: string | null }[] }>(admin.request, adminCsrf, 'GET', `/api/v1/specimens/${specimen.id}`)).verifications;
    expect(verifications.find((v) => v.result === 'failed')).toMatchObject({ acknowledgedBy: { displayName: ADMIN.displayName }, acknowledgementNote: expect.stringContaining('set aside') });
    await adminPage.close();
  });

  it('reports a serious adverse event, flags it, and clears the flag with a clinician’s review', async () => {
    await page.goto(`/app/episodes/${episodeId}`);
    await page.getByRole('heading', { level: 1, name: 'Pathway: Hopper, Grace' }).waitFor();
    await page.getByRole('button', { name: 'Report an adverse event' }).click();
    const form = page.getByRole('form', { name: 'Report an adverse event' });
    await form.getByLabel('Category').selectOption('vasovagal');
    await form.getByLabel('Severity').selectOption('severe');
    await form.getByLabel('Relatedness').selectOption('probable');
    await form.getByLabel('Outcome').selectOption('recovered');
    await form.getByLabel('What happened').fill('Fainted ten minutes after the injection; recovered lying down.');
    await form.getByRole('button', { name: 'Report' }).click();
    const section = page.locator('#adverse-events');
    await section.getByText('Serious — awaiting review').waitFor();
    await section.getByLabel('Review note').fill('Reviewed: vasovagal, no further action.');
    await section.getByRole('button', { name: 'Record review' }).click();
    await section.getByText(/Reviewed .*no further action/).waitFor();
    await expect.poll(() => section.getByText('Serious — awaiting review').count()).toBe(0);
    const events = await call<{ flagged: boolean; reviewedAt: string | null }[]>(clinician.request, csrf, 'GET', `/api/v1/episodes/${episodeId}/adverse-events`);
    expect(events).toHaveLength(1);
    expect(events[0]!.flagged).toBe(false);
    expect(events[0]!.reviewedAt).not.toBeNull();
  });

  it('lists the consultation requests from the public screening for the coordinator to call', async () => {
    const lead = await server.app.inject({
      method: 'POST', url: '/screening/consultation', remoteAddress: '192.0.2.77', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        painLocations: 'lower-back', duration: 'over-12-months', tried: 'nothing-yet', ...Object.fromEntries(RED_FLAG_CODES.map((c) => [redFlagField(c), 'no'])),
        name: 'Margaret Hamilton', phone: '+44 20 7946 0000', consentToContact: 'yes',
      }).toString(),
    });
    expect(lead.statusCode).toBe(303);
    const adminPage = await admin.newPage();
    await adminPage.goto('/app/worklist');
    await adminPage.getByRole('link', { name: 'All leads' }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Leads' }).waitFor();
    const table = adminPage.getByRole('table', { name: 'Consultation requests' });
    await table.getByText('Margaret Hamilton').waitFor();
    await table.getByLabel('Status: Margaret Hamilton').selectOption('contacted');
    await table.getByText('No consultation request.').or(adminPage.getByText('No consultation request.')).waitFor();
    const leads = await call<{ name: string; status: string }[]>(admin.request, adminCsrf, 'GET', '/api/v1/leads');
    expect(leads.find((l) => l.name === 'Margaret Hamilton')?.status).toBe('contacted');
    await adminPage.close();
  });
});
