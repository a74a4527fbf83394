import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FollowUpScheduler } from '../src/jobs/follow-up-scheduler.js';
import { publishedArticle } from '../src/http/testing/education.js';
import { daysFromToday, linksSentTo, planProcedure, quietLog } from '../src/http/testing/follow-up-fixtures.js';
import { CLINICIAN_PASSWORD, COORDINATOR_PASSWORD, LAB_PASSWORD, assessmentBody, patientAndEpisode, preparedSpecimen, readyForTreatment, type PathwayStaff } from '../src/http/testing/pathway.js';
import { ADMIN_PASSWORD, addStaff, setUpClinic } from '../src/http/testing/test-server.js';
import { RED_FLAG_CODES, redFlagField } from '../src/science/index.js';
import { DESKTOP, PHONE, expectAccessible, newContext, screenshotDir, shoot as shootTo, useBrowserServer } from './harness.js';

/**
 * WCAG 2.1 A and AA, checked by axe-core on every kind of screen a patient or a member of staff
 * meets, on a phone and on a desktop: the public site, the screening and where it leads, the
 * survey pages, and the staff app as each role sees it. A violation fails with the rule, the
 * element and the help text; the fix belongs in the page, not in an exception here. What axe cannot
 * see is checked by hand below: keyboard focus shows a ring and is never hidden under a sticky bar,
 * and the survey keeps 44 px targets and no sideways scrolling on a 320 px screen.
 */

const ADMIN_EMAIL = 'ada@clinic.test';
const ROLES = {
  clinician: { email: 'clinician@clinic.test', password: CLINICIAN_PASSWORD },
  lab: { email: 'lab@clinic.test', password: LAB_PASSWORD },
  coordinator: { email: 'coordinator@clinic.test', password: COORDINATOR_PASSWORD },
  admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
} as const;
type Role = keyof typeof ROLES;

const server = useBrowserServer();
let articleSlug: string;
let surveyUrl: string;
let patientId: string;
/** Assessed, decided, consented, its product prepared: the bedside check is open. */
let readyEpisodeId: string;
/** The ready episode's wristband and product, for the bedside check. */
let bedside: { code: string; mrn: string; birthDate: string };
/** Nothing done yet: the clinician can open the assessment form. */
let freshEpisodeId: string;
/** Assessed only: the decision form is open. */
let assessedEpisodeId: string;
/** Assessed and found eligible: the consent can be signed on the tablet. */
let decidedEpisodeId: string;
/** A second patient's survey link, answered in the test: the thank-you page with the chart. */
let answeredSurveyUrl: string;

beforeAll(async () => {
  const { app, store, services } = server;
  const admin = await setUpClinic(app, { email: ADMIN_EMAIL });
  const signedIn = (role: Exclude<Role, 'admin'>) => addStaff(admin, { ...ROLES[role], displayName: `${role[0]!.toUpperCase()}${role.slice(1)} Example`, role });
  const clinician = await signedIn('clinician');
  const lab = await signedIn('lab');
  const coordinator = await signedIn('coordinator');
  const staff: PathwayStaff = { clinician: clinician.client, clinicianId: clinician.id, lab: lab.client, labId: lab.id, coordinator: coordinator.client };

  articleSlug = (await publishedArticle(admin, {
    slug: 'prp-for-disc-pain', title: 'PRP injections into the disc: what the trials found', summary: 'What the small trials of PRP for disc pain found.',
    bodyMarkdown: 'Platelet-rich plasma is made from your own blood [^1].\n\n## The trials so far\n\nThe trials are small.',
    references: [{ citation: 'Tuakli-Wosornu YA, et al. Lumbar intradiskal PRP injections. PM&R. 2016;8(1):1–10.', doi: '10.1016/j.pmrj.2015.08.010' }],
  })).slug;

  const ready = await patientAndEpisode(admin, { givenName: 'Grace', familyName: 'Hopper', email: 'grace@example.test' });
  patientId = ready.patientId;
  readyEpisodeId = ready.episodeId;
  await readyForTreatment(staff, admin, readyEpisodeId, 'Grace Hopper');
  bedside = { code: (await preparedSpecimen(staff, readyEpisodeId)).code, mrn: ready.mrn, birthDate: ready.birthDate };
  const answered = await patientAndEpisode(admin, { givenName: 'Alan', familyName: 'Turing', email: 'alan@example.test' });
  await planProcedure(admin, readyEpisodeId, daysFromToday(7));
  await planProcedure(admin, answered.episodeId, daysFromToday(7));
  await new FollowUpScheduler(services, quietLog).runOnce();
  const link = async (email: string) => {
    const token = (await linksSentTo(store, email)).at(-1);
    if (!token) throw new Error(`no survey link was emailed to ${email}`);
    return `${server.baseUrl}/survey?t=${token}`;
  };
  surveyUrl = await link('grace@example.test');
  answeredSurveyUrl = await link('alan@example.test');
  freshEpisodeId = (await patientAndEpisode(admin, { givenName: 'Barbara', familyName: 'Liskov' })).episodeId;
  assessedEpisodeId = (await patientAndEpisode(admin, { givenName: 'Edsger', familyName: 'Dijkstra' })).episodeId;
  const assessment = await staff.clinician.post(`/api/v1/episodes/${assessedEpisodeId}/assessments`, assessmentBody());
  if (assessment.statusCode !== 201) throw new Error(`assessment: ${assessment.statusCode} ${assessment.body}`);
  decidedEpisodeId = (await patientAndEpisode(admin, { givenName: 'Katherine', familyName: 'Johnson' })).episodeId;
  const decided = (await staff.clinician.post(`/api/v1/episodes/${decidedEpisodeId}/assessments`, assessmentBody())).json() as { id: string };
  const decision = await staff.clinician.post(`/api/v1/episodes/${decidedEpisodeId}/decisions`, { assessmentId: decided.id, outcome: 'eligible', rationale: 'Discogenic pain at L4/L5.', password: CLINICIAN_PASSWORD });
  if (decision.statusCode !== 201) throw new Error(`decision: ${decision.statusCode} ${decision.body}`);

  const lead = await app.inject({
    method: 'POST', url: '/screening/consultation', remoteAddress: '192.0.2.77', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      painLocations: 'lower-back', duration: 'over-12-months', tried: 'nothing-yet', ...Object.fromEntries(RED_FLAG_CODES.map((c) => [redFlagField(c), 'no'])),
      name: 'Margaret Hamilton', phone: '+44 20 7946 0000', consentToContact: 'yes',
    }).toString(),
  });
  expect(lead.statusCode).toBe(303);
}, 120_000);

/** Waits until the page has loaded its data: no request in flight, no loading message, nothing busy. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.loading, [aria-busy="true"]').count()).toBe(0);
}

describe('the check', () => {
  it('fails with the rule, the element and the help text, and an exception covers one rule on one element only', async () => {
    const context = await newContext(server.browser, PHONE, { baseURL: server.baseUrl });
    const p = await context.newPage();
    await p.goto('/screening/thanks');
    await settled(p);
    await p.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p class="faint" style="color:#bbb">Faint words</p><input id="nameless">'));
    const error = await expectAccessible(p, { label: 'a spoiled page' }).then(() => null, (e: Error) => e.message);
    expect(error).toMatch(/^2 accessibility violation\(s\) on a spoiled page:/);
    expect(error).toMatch(/- color-contrast \(serious\): Elements must meet minimum color contrast ratio thresholds — https:\/\/dequeuniversity.com\S+\n {4}\.faint: /);
    expect(error).toMatch(/- label \(critical\): Form elements must have labels — \S+\n {4}#nameless: /);
    const rest = await expectAccessible(p, { exceptions: [{ rule: 'color-contrast', selector: '.faint', why: 'the check of the check' }] }).then(() => null, (e: Error) => e.message);
    expect(rest).toMatch(/^1 accessibility violation/);
    expect(rest).toContain('#nameless');
    await context.close();
  });
});

describe.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('accessibility on a %s', (device, viewport) => {
  const contexts = new Map<string, BrowserContext>();
  let page: Page;

  /** A page in a context signed in as `role` (or signed out), reused across the tests. */
  async function pageAs(role: Role | 'visitor'): Promise<Page> {
    let context = contexts.get(role);
    if (!context) {
      context = await newContext(server.browser, viewport, { baseURL: server.baseUrl });
      if (role !== 'visitor') {
        const res = await context.request.post('/api/v1/auth/login', { data: ROLES[role] });
        if (!res.ok()) throw new Error(`sign-in as ${role}: ${res.status()}`);
      }
      contexts.set(role, context);
    }
    await page?.close();
    page = await context.newPage();
    return page;
  }

  async function visit(role: Role | 'visitor', url: string): Promise<Page> {
    const p = await pageAs(role);
    await p.goto(url);
    await settled(p);
    return p;
  }

  const check = (p: Page, name: string) => expectAccessible(p, { label: `${name} (${device})` });

  afterAll(async () => {
    await page?.close();
    for (const context of contexts.values()) await context.close();
  });

  describe('public pages', () => {
    it('home', async () => check(await visit('visitor', '/'), 'home'));
    it('article', async () => check(await visit('visitor', `/articles/${articleSlug}`), 'article'));
    it('screening form, and the same form with its errors', async () => {
      const p = await visit('visitor', '/screening');
      await check(p, 'screening form');
      // The browser's own checks stop an empty form; the server's error page is what a browser without them shows.
      await p.evaluate(() => { for (const form of document.forms) form.noValidate = true; });
      await Promise.all([p.waitForLoadState('load'), p.locator('form[action="/screening"] button[type="submit"]').last().click()]);
      await settled(p);
      await check(p, 'screening form with errors');
    });
    it('screening: urgent care', async () => {
      const p = await visit('visitor', '/screening');
      await p.locator('input[name="painLocations"][value="lower-back"]').check();
      await p.locator('input[name="duration"][value="over-12-months"]').check();
      await p.locator('input[name="tried"][value="nothing-yet"]').check();
      for (const code of RED_FLAG_CODES) await p.locator(`input[name="${redFlagField(code)}"][value="${code === RED_FLAG_CODES[0] ? 'yes' : 'no'}"]`).check();
      await Promise.all([p.waitForLoadState('load'), p.locator('form[action="/screening"] button[type="submit"]').last().click()]);
      await settled(p);
      expect(await p.locator('h1').innerText()).toMatch(/urgent|today|now/i);
      await check(p, 'urgent care');
    });
    it('screening: consultation request', async () => {
      const p = await visit('visitor', '/screening');
      await p.locator('input[name="painLocations"][value="lower-back"]').check();
      await p.locator('input[name="duration"][value="over-12-months"]').check();
      await p.locator('input[name="tried"][value="nothing-yet"]').check();
      for (const code of RED_FLAG_CODES) await p.locator(`input[name="${redFlagField(code)}"][value="no"]`).check();
      await Promise.all([p.waitForLoadState('load'), p.locator('form[action="/screening"] button[type="submit"]').last().click()]);
      await settled(p);
      await check(p, 'consultation request');
    });
    it('screening: thank you', async () => check(await visit('visitor', '/screening/thanks'), 'screening thank-you'));
  });

  describe('survey pages', () => {
    it('baseline question, and the same page with its error', async () => {
      const p = await visit('visitor', surveyUrl);
      await check(p, 'survey baseline');
      await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: /^Save and (continue|finish)$/ }).click()]);
      await settled(p);
      await p.getByRole('alert').waitFor();
      await check(p, 'survey with an error');
    });
    it('an invalid link', async () => check(await visit('visitor', '/survey?t=not-a-real-link'), 'survey invalid link'));
    it('the thank-you page with the chart', async () => {
      const p = await visit('visitor', answeredSurveyUrl);
      // Answered once (on the phone); a completed link shows the thank-you page again.
      const choose = (q: number, answer: string) => p.locator(`#q${q} label`).filter({ hasText: new RegExp(`^${answer}$`) }).click();
      const next = () => Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: /^Save and (continue|finish)$/ }).click()]);
      if (await p.locator('#q1').count() > 0) {
        await choose(1, '8'); await next();
        await choose(1, '5'); await next();
        await choose(1, '7'); await choose(2, '6'); await choose(3, '7'); await next();
        for (let q = 1; q <= 8; q++) await choose(q, q >= 5 ? 'Agree' : 'Disagree');
        await choose(9, 'Very much');
        await next();
      }
      expect(await p.locator('h1').innerText()).toMatch(/^Thank you/);
      await check(p, 'survey thank-you');
    });
  });

  describe('staff app', () => {
    it('login, and its error', async () => {
      const p = await visit('visitor', '/app/login');
      await check(p, 'login');
      await p.getByLabel('Email').fill(ROLES.admin.email);
      await p.getByLabel('Password').fill('not the password');
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.locator('[role="alert"], .error-summary, [aria-invalid="true"]').first().waitFor();
      await check(p, 'login with an error');
    });
    it('the main menu', async () => {
      const p = await visit('admin', '/app/worklist');
      const menu = p.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) {
        await menu.click();
        await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('true');
      }
      await check(p, 'main menu');
    });
    it('new patient, with its errors', async () => {
      const p = await visit('admin', '/app/patients/new');
      await p.getByRole('button', { name: 'Register patient' }).click();
      await p.locator('.error-summary').waitFor();
      await check(p, 'new patient with errors');
    });
    for (const role of ['admin', 'clinician', 'lab', 'coordinator'] as const) {
      it(`worklist as ${role}`, async () => check(await visit(role, '/app/worklist'), `worklist (${role})`));
    }
    it('patient list', async () => check(await visit('admin', '/app/patients'), 'patient list'));
    it('patient page', async () => check(await visit('clinician', `/app/patients/${patientId}`), 'patient page'));
    it('episode pathway, ready for the bedside check', async () => check(await visit('clinician', `/app/episodes/${readyEpisodeId}`), 'episode pathway'));
    it('episode pathway with the assessment form open', async () => {
      const p = await visit('clinician', `/app/episodes/${freshEpisodeId}`);
      await p.getByRole('button', { name: 'Assess' }).click();
      await p.getByRole('form', { name: 'Assessment' }).waitFor();
      await check(p, 'assessment form');
    });
    it('episode pathway: the decision form', async () => {
      const p = await visit('clinician', `/app/episodes/${assessedEpisodeId}`);
      await p.getByRole('form', { name: 'Eligibility decision' }).waitFor();
      await check(p, 'decision form');
    });
    it('episode pathway: the consent signed on the tablet', async () => {
      const p = await visit('coordinator', `/app/episodes/${decidedEpisodeId}`);
      await p.locator('#consent').getByRole('button', { name: 'Sign on this tablet' }).click();
      await p.getByRole('form', { name: 'Sign the consent' }).waitFor();
      await check(p, 'consent signing');
    });
    it('episode pathway: the bedside check passed, the injection form and an adverse event report open', async () => {
      const p = await visit('clinician', `/app/episodes/${readyEpisodeId}`);
      const bedsideForm = p.getByRole('form', { name: 'Bedside identity check' });
      if (await bedsideForm.count() > 0) {
        await bedsideForm.getByLabel('Product code').fill(bedside.code);
        await bedsideForm.getByLabel('Wristband MRN').fill(bedside.mrn);
        await bedsideForm.getByLabel('Birth date').fill(bedside.birthDate);
        await bedsideForm.getByRole('button', { name: 'Check identity' }).click();
      }
      await p.getByRole('form', { name: 'Record the injection' }).waitFor();
      await p.getByRole('button', { name: 'Report an adverse event' }).click();
      await p.getByRole('form', { name: 'Report an adverse event' }).waitFor();
      await check(p, 'injection and adverse-event forms');
    });
    it('lab preparation', async () => {
      const p = await visit('lab', `/app/preparations/new?episode=${readyEpisodeId}`);
      await p.getByRole('heading', { level: 1, name: 'Record a preparation' }).waitFor();
      await check(p, 'lab preparation');
    });
    it('outcomes summary', async () => check(await visit('coordinator', '/app/outcomes'), 'outcomes'));
    it('a patient record made from a lead', async () => {
      const p = await visit('coordinator', '/app/leads');
      await p.getByRole('button', { name: 'Create patient record: Margaret Hamilton' }).click();
      await p.getByRole('heading', { level: 1, name: 'Patient record from a request' }).waitFor();
      await check(p, 'patient record from a lead');
    });
    it('leads', async () => {
      const p = await visit('coordinator', '/app/leads');
      await p.getByText('Margaret Hamilton').first().waitFor();
      await check(p, 'leads');
    });
    it('clinic', async () => check(await visit('admin', '/app/clinic'), 'clinic'));
    it('pathway settings', async () => check(await visit('admin', '/app/pathway-settings'), 'pathway settings'));
  });
});

/** Where keyboard focus went after one Tab: whether it shows a ring, and whether it can be seen (not off screen, not under a sticky bar). */
interface FocusStop { what: string; ring: boolean; inSight: boolean }

/** Presses Tab (or Shift+Tab) `count` times and describes every stop. */
async function tabStops(page: Page, count: number, backwards = false): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    stops.push(await page.evaluate(() => {
      const active = document.activeElement as HTMLElement;
      const what = `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''} “${(active.getAttribute('aria-label') ?? active.textContent ?? '').trim().slice(0, 40)}”`;
      // A survey tile's radio is transparent over its box: the box shows the ring.
      const shown = active.matches('.tile input') ? active.nextElementSibling as HTMLElement : active;
      const style = getComputedStyle(shown);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
      const box = active.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      const inSight = hit !== null && (active.contains(hit) || (hit.closest('label') !== null && hit.closest('label') === active.closest('label')));
      return { what, ring, inSight };
    }));
  }
  return stops;
}

/** Every stop must show its ring and be in sight; the names of those that are not. */
const unseen = (stops: FocusStop[]) => stops.filter((s) => !(s.ring && s.inSight)).map((s) => `${s.what}${s.ring ? '' : ' (no ring)'}${s.inSight ? '' : ' (hidden)'}`);

describe('keyboard focus', () => {
  let context: BrowserContext;
  let page: Page;

  afterAll(async () => {
    await context?.close();
  });

  it('is always visible on the survey page, and a tile shows its ring', async () => {
    context = await newContext(server.browser, PHONE, { baseURL: server.baseUrl });
    page = await context.newPage();
    await page.goto(surveyUrl);
    await settled(page);
    const stops = await tabStops(page, 5);
    expect(stops.map((s) => s.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^input /), expect.stringMatching(/^button .*Save and continue/)]));
    expect(unseen(stops)).toEqual([]);
    await page.keyboard.press('Shift+Tab'); await page.keyboard.press('Shift+Tab'); await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: path.join(screenshotDir, 'focus-survey-tile-phone.png') });
    await context.close();
  });

  it('never hides a focused field under the sticky save bar of the lab screen on a phone', async () => {
    context = await newContext(server.browser, PHONE, { baseURL: server.baseUrl });
    await context.request.post('/api/v1/auth/login', { data: ROLES.lab });
    page = await context.newPage();
    await page.goto(`/app/preparations/new?episode=${readyEpisodeId}`);
    await settled(page);
    const stops = await tabStops(page, 30);
    expect(unseen(stops)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotDir, 'focus-lab-phone.png') });
    await context.close();
  });

  it('never hides a focused control under the sticky top bar when going back up the pathway page', async () => {
    context = await newContext(server.browser, DESKTOP, { baseURL: server.baseUrl });
    await context.request.post('/api/v1/auth/login', { data: ROLES.clinician });
    page = await context.newPage();
    await page.goto(`/app/episodes/${readyEpisodeId}`);
    await settled(page);
    // From the last control on the page, upwards.
    await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main a[href], main button, main input, main select, main textarea')].at(-1)!.focus());
    const stops = await tabStops(page, 30, true);
    expect(unseen(stops)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotDir, 'focus-pathway-desktop.png') });
    await context.close();
  });
});

describe('survey on the narrowest phone (320 px)', () => {
  it('keeps every control at least 44 × 44 px, with and without an error, and never scrolls sideways', async () => {
    const context = await newContext(server.browser, { width: 320, height: 640 }, { baseURL: server.baseUrl });
    const page = await context.newPage();
    const measure = () => page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      // The answer tiles, the option rows and the buttons; links inside a sentence are exempt (WCAG 2.5.5), and the skip link shows only when focused.
      small: [...document.querySelectorAll<HTMLElement>('.tile span, .option, button, main a:not(.skip)')]
        .filter((e) => getComputedStyle(e).display !== 'inline')
        .map((e) => ({ what: (e.textContent ?? '').trim().slice(0, 30), box: e.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 44 || box.height < 44)
        .map(({ what, box }) => `${what}: ${Math.round(box.width)} × ${Math.round(box.height)}`),
    }));
    await page.goto(surveyUrl);
    await settled(page);
    expect(await measure()).toEqual({ scrollWidth: 320, small: [] });
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /^Save and (continue|finish)$/ }).click()]);
    await page.getByRole('alert').waitFor();
    expect(await measure()).toEqual({ scrollWidth: 320, small: [] });
    await shootTo(page, 'survey-error-320.png', { fullPage: true });
    await context.close();
  });
});
