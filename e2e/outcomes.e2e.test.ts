import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FollowUpScheduler } from '../src/jobs/follow-up-scheduler.js';
import { ADMIN_PASSWORD, TestClient, setUpClinic } from '../src/http/testing/test-server.js';
import { DESKTOP, PHONE, newContext as openContext, shoot, signIn as signInAs, textOf, useBrowserServer } from './harness.js';

/**
 * Outcomes in the staff app, in a real browser against the real server on a fresh SQLite file:
 * a coordinator plans the procedure date and sees the schedule; the patient answers the baseline
 * from the emailed link; the date is moved (the open time points move with it); the coordinator
 * takes the 6-week answers by phone (the browser refuses an out-of-range answer before sending);
 * the Outcomes page shows the change with its interval and the responder rule; the phone
 * worklist lists a patient without email and logs a call; a treatment failure is recorded.
 */


const COORDINATOR = { displayName: 'Cora Mensah', email: 'cora@harbour-spine.test', password: 'harbour lantern follow 7', role: 'coordinator' };
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

const server = useBrowserServer();
let admin: TestClient;

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  admin = await setUpClinic(server.app);
  expect((await admin.post('/api/v1/staff', COORDINATOR)).statusCode).toBe(201);
});

const newContext = (viewport: { width: number; height: number }): Promise<BrowserContext> => openContext(server.browser, viewport, { baseURL: server.baseUrl });

/** Signs in as the coordinator unless told otherwise. */
const signIn = (page: Page, who: { email: string; password: string } = COORDINATOR): Promise<Page> => signInAs(page, who);

async function latestLink(to: string): Promise<string> {
  const mail = await server.store.db.selectFrom('outbox').select('text_body').where('to_address', '=', to).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const link = /http:\/\/127\.0\.0\.1(\/survey\?t=[A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1];
  if (!link) throw new Error(`no survey link in: ${mail.text_body}`);
  return `${server.baseUrl}${link}`;
}

/** The patient's baseline on the survey pages (as survey.e2e.test.ts): back pain 8, leg pain 5, PEG, STarT Back. */
async function answerBaselineAsPatient(link: string): Promise<void> {
  const context = await newContext(PHONE);
  const page = await context.newPage();
  const choose = (q: number, answer: string) => page.locator(`#q${q} label`).filter({ hasText: new RegExp(`^${answer}$`) }).click();
  const next = () => Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /^Save and (continue|finish)$/ }).click()]);
  await page.goto(link);
  await choose(1, '8'); await next();
  await choose(1, '5'); await next();
  await choose(1, '7'); await choose(2, '6'); await choose(3, '7'); await next();
  for (let q = 1; q <= 8; q++) await choose(q, q >= 5 ? 'Agree' : 'Disagree');
  await choose(9, 'Very much');
  await next();
  expect((await page.locator('h1').innerText()).trim()).toBe('Thank you, Grace');
  await context.close();
}

describe('outcomes in the staff app', () => {
  let context: BrowserContext;
  let page: Page;
  let episodeId: string;
  const email = 'grace@example.test';
  const scheduler = () => new FollowUpScheduler(server.services, quiet);

  beforeAll(async () => {
    const grace = (await admin.post('/api/v1/patients', { mrn: 'HSC-1', givenName: 'Grace', familyName: 'Hopper', birthDate: '1960-12-09', sex: 'female', email, phone: '+44 20 7946 0123' })).json();
    episodeId = (await admin.post(`/api/v1/patients/${grace.id}/episodes`, { indication: 'degenerative-disc-disease' })).json().id;
    // A second patient without an email address: only the phone can reach her.
    const alan = (await admin.post('/api/v1/patients', { mrn: 'HSC-2', givenName: 'Ada', familyName: 'Lovelace', birthDate: '1975-12-10', sex: 'female', phone: '+44 20 7946 0555' })).json();
    const other = (await admin.post(`/api/v1/patients/${alan.id}/episodes`, { indication: 'lumbar-facet-joint-pain' })).json();
    expect((await admin.request('PUT', `/api/v1/episodes/${other.id}/procedure-date`, { plannedProcedureOn: day(10) })).statusCode).toBe(200);
    context = await newContext(DESKTOP);
    page = await context.newPage();
    await signIn(page);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('shows Outcomes and Follow-up in the coordinator’s navigation', async () => {
    const nav = await textOf(page.getByRole('navigation', { name: 'Main' }));
    expect(nav).toContain('Outcomes');
    expect(nav).toContain('Follow-up');
  });

  it('plans the procedure date from the patient’s episode and shows the schedule’s time points', async () => {
    // Staff land on their worklist: the patient is found in the patient list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('link', { name: /Hopper/ }).first().click();
    await page.getByRole('link', { name: /^Follow-up: Degenerative disc disease/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Follow-up' }).waitFor();
    expect(await textOf(page.getByRole('region', { name: 'Time points' }))).toContain('No follow-up yet');
    expect(await textOf(page.getByText(/moving it moves every open time point/))).toBeTruthy();
    await page.getByLabel('Planned procedure date').fill(day(7));
    await page.getByRole('button', { name: 'Plan the procedure' }).click();
    await page.locator('#main').getByText(/the follow-up schedule is attached/).waitFor();
    const timeline = page.locator('.timeline-item');
    await expect.poll(() => timeline.count()).toBe(6);
    const labels = await page.locator('.timeline-title').allInnerTexts();
    expect(labels[0]).toBe('Baseline');
    expect(labels).toContain('6 weeks');
    expect(await textOf(timeline.first())).toContain('Due now');
    expect(await textOf(timeline.nth(1))).toContain('Upcoming');
    await shoot(page, 'outcomes-follow-up-planned.png');
  });

  it('shows the invitation with its delivery status, and the baseline scores once the patient has answered', async () => {
    await scheduler().runOnce();
    await answerBaselineAsPatient(await latestLink(email));
    await page.reload();
    const baseline = page.locator('.timeline-item').first();
    const text = await textOf(baseline);
    expect(text).toContain('Completed');
    expect(text).toMatch(/Invitation · waiting in outbox · follow-up scheduler/);
    expect(await textOf(baseline.getByRole('list', { name: 'Scores at Baseline' }))).toMatch(/Back pain 8 · survey link/);
  });

  it('moves every open time point when the date moves, and takes the 6-week answers by phone', async () => {
    const sixWeeks = page.locator('.timeline-item').nth(1);
    const dueBefore = await textOf(sixWeeks.locator('.timeline-facts'));
    await page.getByLabel('Planned procedure date').fill(day(-42));
    await page.getByRole('button', { name: 'Move the date' }).click();
    await page.locator('#main').getByText(/every open time point moved with it/).waitFor();
    await sixWeeks.getByText('Due now').waitFor();
    expect(await textOf(sixWeeks.locator('.timeline-facts'))).not.toBe(dueBefore);
    // The completed baseline stays where it was.
    expect(await textOf(page.locator('.timeline-item').first())).toContain('Completed');

    await sixWeeks.getByRole('button', { name: 'Enter answers' }).click();
    const form = sixWeeks.getByRole('form', { name: /^Answers: Back pain/ });
    const answer = form.getByLabel(/^1\./);
    await answer.fill('11');
    await form.getByRole('button', { name: /^Save/ }).click();
    expect(await textOf(form.locator('.field-error'))).toBe('Error: Question 1 takes a value from 0 to 10.');
    expect(await textOf(form.getByRole('alert'))).toContain('nothing was sent');
    await answer.fill('3');
    await form.getByRole('button', { name: /^Save/ }).click();

    const leg = sixWeeks.getByRole('form', { name: /^Answers: Leg pain/ });
    await leg.getByLabel(/^1\./).fill('2');
    await leg.getByRole('button', { name: /^Save/ }).click();
    const peg = sixWeeks.getByRole('form', { name: /^Answers: Pain and daily life/ });
    await peg.getByLabel(/^1\./).fill('3');
    await peg.getByLabel(/^2\./).fill('2');
    await peg.getByLabel(/^3\./).fill('3');
    await peg.getByRole('button', { name: /^Save/ }).click();
    const pgic = sixWeeks.getByRole('form', { name: /^Answers: Overall change/ });
    await pgic.getByText('Much better', { exact: true }).click();
    await pgic.getByRole('button', { name: /^Save/ }).click();
    await sixWeeks.getByText('Completed', { exact: true }).waitFor();
    expect(await textOf(sixWeeks.getByRole('list', { name: 'Scores at 6 weeks' }))).toMatch(/Back pain 3 · by phone/);

    // The trajectory: a hand-drawn SVG with a text alternative.
    expect(await page.locator('.trajectory svg desc').first().textContent()).toBe('Back pain: Baseline 8, 6 weeks 3. Shaded: within 2 points of baseline (smaller than an important change).');
    await sixWeeks.getByRole('button', { name: 'Enter answers' }).click();
    await shoot(page, 'outcomes-follow-up.png', { fullPage: true });
  });

  it('records a treatment failure', async () => {
    await page.getByRole('button', { name: 'Record a treatment failure' }).click();
    await page.getByLabel('What happened').selectOption('repeat-injection');
    await page.getByLabel('Date', { exact: true }).fill(day(-1));
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    expect(await textOf(page.getByRole('region', { name: /Treatment failures/ }).locator('.failure-list'))).toContain('Repeat injection');
  });

  it('shows the change, its interval and the responders with the rule on the Outcomes page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outcomes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Outcomes' }).waitFor();
    const card = page.getByRole('region', { name: /^Degenerative disc disease.* · 6 weeks$/ });
    const text = await textOf(card);
    expect(text).toContain('−5.0');
    // One responder figure per instrument with a rule (defaults: Ostelo 2008, 2 points or 30 %), each with its rule.
    expect(text).toContain('Back pain: 1 / 1');
    expect(text).toContain('Rule: nrs-back fell by at least 2 points from baseline OR nrs-back fell by at least 30 % from baseline');
    expect(await textOf(card.getByRole('row', { name: /Back pain/ }))).toMatch(/1 \/ 1 \(100 %\)/);
    const baselineCard = page.getByRole('region', { name: /^Degenerative disc disease.* · Baseline$/ });
    expect(await textOf(baselineCard.getByRole('row', { name: /STarT Back/ }))).toMatch(/1 \/ 1 \(100 %\) 5\.0$/);
    expect(await textOf(page.locator('.summary-source'))).toMatch(/^(Computed now|From the pre-aggregated)/);
    await page.getByRole('button', { name: 'Compute now' }).click();
    await page.locator('.summary-source').getByText(/^Computed now/).waitFor();
    await shoot(page, 'outcomes-summary.png', { fullPage: true });

    // Filters by the recorded injection: no injection is recorded in this clinic, so the cohort is empty.
    await page.getByLabel('Structure injected').selectOption({ label: 'Facet joint' });
    expect(await page.getByLabel('Injected by').locator('option').allTextContents()).toContain('Any clinician');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('No follow-up in this cohort yet.').waitFor();
    expect(page.url()).toContain('structure=facet-joint');
    expect(await textOf(page.locator('.summary-source'))).toContain('injections into the facet joint');
    await page.getByLabel('Structure injected').selectOption({ label: 'Any structure' });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await card.waitFor();

    const phone = await newContext(PHONE);
    const phonePage = await phone.newPage();
    await signIn(phonePage);
    await phonePage.goto('/app/outcomes');
    const phoneCard = phonePage.getByRole('region', { name: /^Degenerative.* · 6 weeks$/ });
    await phoneCard.waitFor();
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shoot(phonePage, 'outcomes-summary-phone.png');
    await phoneCard.locator('.responders').scrollIntoViewIfNeeded();
    await shoot(phonePage, 'outcomes-summary-phone-card.png');
    await phonePage.goto(`/app/episodes/${episodeId}/follow-up`);
    await phonePage.locator('.timeline-item').first().waitFor();
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shoot(phonePage, 'outcomes-follow-up-phone.png');
    await phonePage.locator('.timeline-item').nth(1).scrollIntoViewIfNeeded();
    await shoot(phonePage, 'outcomes-follow-up-phone-timeline.png');
    await phonePage.locator('.trajectory').first().scrollIntoViewIfNeeded();
    await shoot(phonePage, 'outcomes-follow-up-phone-chart.png');
    await phone.close();
  });

  it('lists the patient without email on the phone worklist and logs a call', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Follow-up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Follow-up' }).waitFor();
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Lovelace/ }) });
    expect(await textOf(item.getByRole('list', { name: 'Why this patient is listed' }))).toContain('No email address');
    await expect.poll(() => page.getByRole('heading', { name: /Hopper/ }).count()).toBe(0);
    await item.getByRole('button', { name: 'Log a call' }).click();
    await item.getByLabel(/Call note/).fill('Left a message with her partner.');
    await shoot(page, 'outcomes-worklist.png');
    await item.getByRole('button', { name: 'No answer' }).click();
    await item.getByText('Call logged (no-answer).').waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await item.getByText(/last contact/).waitFor();

    // On a phone: the worklist item opens the answer form rendered from the instrument's Questionnaire.
    const phone = await newContext(PHONE);
    const phonePage = await phone.newPage();
    await signIn(phonePage);
    await phonePage.goto('/app/follow-up');
    const phoneItem = phonePage.getByRole('listitem').filter({ has: phonePage.getByRole('heading', { name: /Lovelace/ }) });
    await phoneItem.getByRole('button', { name: 'Enter answers' }).click();
    const form = phoneItem.getByRole('form', { name: /^Answers: Back pain/ });
    await form.getByLabel(/^1\./).fill('6');
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await form.scrollIntoViewIfNeeded();
    await shoot(phonePage, 'outcomes-worklist-phone.png');
    await form.getByRole('button', { name: /^Save/ }).click();
    await phoneItem.getByText('Back pain (NRS 0–10) saved (score 6).').waitFor();
    // The next instrument's form replaces the saved one once the save has come back.
    const next = phoneItem.getByRole('form', { name: /^Answers: Leg pain/ });
    await next.waitFor();
    await expect.poll(() => next.count()).toBe(1);
    await phone.close();
  });

  it('lets an administrator import the clinic’s licensed ODI copy from a file and change the settings', async () => {
    const adminContext = await newContext(DESKTOP);
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, { email: 'ada@clinic.test', password: ADMIN_PASSWORD });
    await adminPage.goto('/app/outcome-settings');
    await adminPage.getByRole('heading', { level: 1, name: 'Instruments and settings' }).waitFor();
    const odi = adminPage.getByRole('listitem').filter({ hasText: 'Oswestry Disability Index' });
    expect(await textOf(odi)).toContain('Needs the clinic’s licensed copy');
    expect(await textOf(odi.locator('.notice-warning'))).toContain('The wording of this instrument is licensed');

    // Not an ODI: refused with the server's reason, nothing imported.
    await odi.getByLabel('Questionnaire file for odi').setInputFiles({ name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ resourceType: 'Questionnaire', status: 'active', item: [{ linkId: 'a', type: 'integer', text: 'One question' }] })) });
    await odi.getByRole('button', { name: 'Import' }).click();
    expect(await textOf(odi.locator('.field-error'))).toContain('exactly 10 questions');

    // A stand-in with the ODI's structure (10 sections × 6 statements); placeholder text, not the licensed wording.
    const standIn = {
      resourceType: 'Questionnaire', status: 'active', title: 'ODI (test stand-in)', version: 'test-1',
      item: Array.from({ length: 10 }, (_, i) => ({
        linkId: `s${i + 1}`, type: 'choice', required: true, text: `Section ${i + 1}`,
        answerOption: Array.from({ length: 6 }, (_, j) => ({ valueCoding: { code: String(j), display: `Statement ${j}` } })),
      })),
    };
    await odi.getByLabel('Questionnaire file for odi').setInputFiles({ name: 'odi.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(standIn)) });
    await odi.getByRole('button', { name: 'Import' }).click();
    await odi.getByText('odi.json is imported').waitFor();
    await odi.getByText('Imported · test-1').waitFor();

    await adminPage.getByLabel('Reminder days').fill('7, 3');
    await adminPage.getByRole('button', { name: 'Save settings' }).click();
    expect(await textOf(adminPage.locator('.field-error'))).toContain('must increase');
    await adminPage.getByLabel('Reminder days').fill('3, 7');
    await adminPage.getByRole('group', { name: 'Responder rules' }).getByLabel('Back pain (NRS 0–10)').selectOption({ label: 'Improved by at least 50 % (substantial)' });
    await adminPage.getByRole('group', { name: 'Responder rules' }).getByLabel('Patient Global Impression of Change (1–7)').selectOption({ label: 'Much improved or better' });
    await adminPage.getByLabel('Contact line for patients').fill('Questions? Call the clinic on 020 7946 0000.');
    await adminPage.getByRole('button', { name: 'Save settings' }).click();
    await adminPage.getByText(/The settings are saved/).waitFor();
    const settings = (await admin.get('/api/v1/outcome-settings')).json();
    expect(settings).toMatchObject({ reminderDays: [3, 7], contactText: 'Questions? Call the clinic on 020 7946 0000.' });
    expect(settings.responderRules).toEqual({
      'nrs-back': { kind: 'percent', instrument: 'nrs-back', percent: 50 },
      'nrs-leg': { kind: 'any', rules: [{ kind: 'absolute', instrument: 'nrs-leg', points: 2, direction: 'decrease' }, { kind: 'percent', instrument: 'nrs-leg', percent: 30 }] },
      odi: { kind: 'any', rules: [{ kind: 'absolute', instrument: 'odi', points: 10, direction: 'decrease' }, { kind: 'percent', instrument: 'odi', percent: 30 }] },
      pgic: { kind: 'pgic', atLeast: 'much-improved' },
    });
    await shoot(adminPage, 'outcomes-settings.png', { fullPage: true });
    await adminContext.close();
  });
});
