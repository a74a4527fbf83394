import type { Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FollowUpScheduler } from '../src/jobs/follow-up-scheduler.js';
import { TestClient, setUpClinic } from '../src/http/testing/test-server.js';
import { PHONE, shoot, useBrowserServer } from './harness.js';

/**
 * The patient's side of follow-up in a real browser on a phone-sized screen: the invitation's
 * link is taken from the outbox, the baseline questions are answered, the procedure happens (its
 * date moves the schedule), the 6-week link arrives, the follow-up is answered, the patient sees
 * the change on their chart, and the staff summary API shows it.
 */

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

// The survey pages need no staff app build.
const server = useBrowserServer({ staffApp: false });
let admin: TestClient;

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  admin = await setUpClinic(server.app);
});

async function latestLink(to: string): Promise<string> {
  const mail = await server.store.db.selectFrom('outbox').select('text_body').where('to_address', '=', to).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const link = /http:\/\/127\.0\.0\.1(\/survey\?t=[A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1];
  if (!link) throw new Error(`no survey link in: ${mail.text_body}`);
  return `${server.baseUrl}${link}`;
}

/** Chooses an answer the way a patient does: by tapping its visible label. */
async function choose(page: Page, question: number, answer: string): Promise<void> {
  await page.locator(`#q${question} label`).filter({ hasText: new RegExp(`^${answer}$`) }).click();
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim();
}

async function next(page: Page): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /^Save and (continue|finish)$/ }).click()]);
}

describe('patient survey on a phone', () => {
  it('answers the baseline and a follow-up from emailed links; the chart and the staff summary show the change', async () => {
    const email = 'grace@example.test';
    const patient = (await admin.post('/api/v1/patients', { mrn: 'E2E-1', givenName: 'Grace', familyName: 'Hopper', birthDate: '1960-12-09', sex: 'female', email })).json();
    const episode = (await admin.post(`/api/v1/patients/${patient.id}/episodes`, { indication: 'degenerative-disc-disease' })).json();
    expect((await admin.request('PUT', `/api/v1/episodes/${episode.id}/procedure-date`, { plannedProcedureOn: day(7) })).statusCode).toBe(200);
    const scheduler = new FollowUpScheduler(server.services, quiet);
    await scheduler.runOnce();

    const context = await server.browser.newContext({ viewport: PHONE, locale: 'en-GB', reducedMotion: 'reduce' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });

    // Baseline: back pain 8, leg pain 5, PEG, STarT Back.
    const firstLoad: Response[] = [];
    const record = (r: Response) => void firstLoad.push(r);
    page.on('response', record);
    await page.goto(await latestLink(email), { waitUntil: 'load' });
    page.off('response', record);
    expect(await heading(page)).toBe('Back pain');
    // What a patient's phone downloads for the first question: compressed bodies plus headers.
    let transferred = 0;
    for (const r of firstLoad) {
      const sizes = await r.request().sizes();
      transferred += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    console.log(`survey page, first question: ${firstLoad.length} responses, ${transferred} bytes on the wire`);
    expect(transferred).toBeLessThan(20 * 1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await next(page); // nothing chosen: the page says which question needs an answer
    expect(await page.getByRole('alert').innerText()).toContain('Please answer question 1.');
    await choose(page, 1, '8');
    await next(page);
    await choose(page, 1, '5');
    await next(page);
    await choose(page, 1, '7'); await choose(page, 2, '6'); await choose(page, 3, '7');
    await next(page);
    for (let q = 1; q <= 8; q++) await choose(page, q, q >= 5 ? 'Agree' : 'Disagree');
    await choose(page, 9, 'Very much');
    await next(page);
    expect(await heading(page)).toBe('Thank you, Grace');

    // The injection took place 6 weeks ago: moving the date moves every open time point with it.
    expect((await admin.request('PUT', `/api/v1/episodes/${episode.id}/procedure-date`, { plannedProcedureOn: day(-42) })).statusCode).toBe(200);
    await scheduler.runOnce();
    await page.goto(await latestLink(email));
    expect(await page.locator('main').innerText()).toContain('These are your 6 weeks questions.');
    await choose(page, 1, '3');
    await next(page);
    await choose(page, 1, '2');
    await next(page);
    await choose(page, 1, '3'); await choose(page, 2, '2'); await choose(page, 3, '3');
    await next(page);
    await choose(page, 1, 'Much better');
    await next(page);
    expect(await heading(page)).toBe('Thank you, Grace');
    expect(await page.locator('svg desc').first().textContent()).toBe('Back pain: Baseline 8, 6 weeks 3.');
    await expect.poll(() => page.locator('svg polyline').count()).toBeGreaterThan(0);
    await shoot(page, 'survey-done-phone.png', { fullPage: true });
    expect(scripts).toEqual([]);
    await context.close();

    // The staff summary shows the change: 8 → 3 on the back-pain NRS, a responder by the default rule.
    const summary = (await admin.get('/api/v1/outcomes/summary')).json();
    const sixWeeks = summary.instruments.find((r: { timePoint: string; instrument: string }) => r.timePoint === '6w' && r.instrument === 'nrs-back');
    expect(sixWeeks).toMatchObject({ completed: 1, meanScore: 3, change: { n: 1, mean: -5 } });
    expect(summary.responders.find((r: { timePoint: string }) => r.timePoint === '6w')).toMatchObject({ evaluable: 1, responders: 1 });
  });
});
