import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, apiCall, localInput, newContext as openContext, shoot, signIn, textOf, useBrowserServer } from './harness.js';

/**
 * The lab's journey in a real browser against the real server on a fresh SQLite file: a lab
 * account writes a double-spin protocol (and a second version of it), records a preparation by
 * pasting analyser lines and sees it classified as it types, is stopped by a count in the wrong
 * unit and by the server's own checks, saves, finds the record intact after a reload, opens the
 * printable report, and recomputes results stored by an older science version.
 */

const ADMIN = { clinicName: 'Harbour Spine Clinic', displayName: 'Ada Lindqvist', email: 'ada@harbour-spine.test', password: 'granite ferry lantern 42' };
const LAB = { displayName: 'Lars Okafor', email: 'lars@harbour-spine.test', password: 'centrifuge tidal maple 9', role: 'lab' };
const BASELINE_LINE = 'PLT 245 WBC 6.1 RBC 4.5 HCT 41';
const PRP_LINE = 'PLT 1420 WBC 0.9 RBC 0.03 HCT 0.3 HGB 0.1';

const server = useBrowserServer();

const newContext = (viewport: { width: number; height: number }): Promise<BrowserContext> => openContext(server.browser, viewport, { baseURL: server.baseUrl });

/** JSON through the API with the context's session cookie and CSRF token. */
const apiPost = <T>(request: APIRequestContext, csrf: string, url: string, data: unknown): Promise<T> => apiCall<T>(request, csrf, 'POST', url, data);


const preparationCount = async () => Number((await server.store.db.selectFrom('preparation').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('lab screen', () => {
  let lab: BrowserContext;
  let page: Page;
  let patientUrl: string;
  let preparationUrl: string;

  beforeAll(async () => {
    // The administrator sets the clinic up, registers a patient with an episode, and adds a lab account, all through the API.
    const admin = await newContext(DESKTOP);
    const session = await apiPost<{ csrfToken: string }>(admin.request, '', '/api/v1/setup', { ...ADMIN, timeZone: 'Europe/London' });
    const patient = await apiPost<{ id: string }>(admin.request, session.csrfToken, '/api/v1/patients', { mrn: 'HSC-000123', givenName: 'Grace', familyName: 'Hopper', birthDate: '1960-12-09', sex: 'female' });
    await apiPost(admin.request, session.csrfToken, `/api/v1/patients/${patient.id}/episodes`, { indication: 'degenerative-disc-disease' });
    await apiPost(admin.request, session.csrfToken, '/api/v1/staff', LAB);
    await admin.close();
    patientUrl = `/app/patients/${patient.id}`;

    lab = await newContext(DESKTOP);
    page = await signIn(lab, LAB);
  });

  afterAll(async () => {
    await lab?.close();
  });

  it('lets the lab write a double-spin protocol in × g, with rpm for its rotor, and a second version', async () => {
    expect(await textOf(page.getByRole('navigation', { name: 'Main' }))).toBe('Worklist Patients Protocols');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Protocols' }).click();
    await page.getByRole('heading', { level: 1, name: 'Protocols' }).waitFor();
    // The catalogue marks values not checked against their source.
    const catalogue = page.getByRole('table', { name: 'Commercial PRP devices' });
    await catalogue.getByText('Mini GPS III').waitFor();
    await expect.poll(() => catalogue.locator('abbr.unverified').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'New protocol' }).click();
    const editor = page.getByRole('form', { name: 'New protocol' });
    await editor.getByLabel('Name', { exact: true }).fill('Lumbar double spin');
    await editor.getByLabel('Radius').fill('10');
    await editor.getByLabel('Spin 1 force (× g)').fill('100');
    await editor.getByLabel('Spin 1 minutes').fill('15');
    await editor.getByLabel('Spin 2 force (× g)').fill('1600');
    await editor.getByLabel('Spin 2 minutes').fill('20');
    // rpm = √(RCF / (1.118e-5 × r)) (Dhurat 2014): 946 and 3,783 rpm on a 10 cm rotor.
    expect(await textOf(editor.getByLabel('Spin 1 rpm'))).toBe('946');
    expect(await textOf(editor.getByLabel('Spin 2 rpm'))).toBe('3,783');
    await editor.getByLabel(/^Anticoagulant/).fill('ACD-A');
    await editor.getByLabel('Parts anticoagulant').fill('1');
    await editor.getByLabel('to parts blood').fill('9');
    await editor.getByLabel('Target PRP volume').fill('4');
    await shoot(page, 'protocol-editor-desktop.png');
    await editor.getByRole('button', { name: 'Save protocol' }).click();
    await page.getByRole('main').getByText('Lumbar double spin is saved as version 1.').waitFor();

    const detail = page.getByRole('region', { name: /Lumbar double spin/ });
    await detail.getByRole('button', { name: 'New version' }).click();
    const versionEditor = page.getByRole('form', { name: 'New protocol version' });
    await versionEditor.getByLabel('Spin 1 temperature (°C)').fill('22');
    await versionEditor.getByLabel('Spin 2 temperature (°C)').fill('22');
    await versionEditor.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('main').getByText('Lumbar double spin is saved as version 2.').waitFor();
    const history = page.getByRole('region', { name: /Lumbar double spin/ }).locator('.version-list li');
    await history.filter({ hasText: 'v2 Lumbar double spin' }).waitFor();
    await expect.poll(() => history.count()).toBe(2);
    const list = page.getByRole('table', { name: 'Clinic protocols' });
    expect(await textOf(list.getByRole('row').nth(1))).toContain('100 g × 15 min, 22 °C (946 rpm)');
    await shoot(page, 'protocols-desktop.png');
    await page.getByRole('heading', { name: 'PRP systems catalogue' }).scrollIntoViewIfNeeded();
    await shoot(page, 'protocols-catalogue-desktop.png');
  });

  it('records a double-spin preparation from pasted analyser lines, classifying it live, and refuses what cannot be right', async () => {
    await page.goto(patientUrl);
    await page.getByRole('heading', { level: 1, name: 'Hopper, Grace' }).waitFor();
    await page.getByText('No preparation recorded for this episode.').waitFor();
    await page.getByRole('link', { name: /^Record preparation/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a preparation' }).waitFor();
    expect(await textOf(page.locator('.page-subtitle'))).toContain('HSC-000123');

    // A count typed in cells/µL is caught at its field, with the conversion, and nothing is saved.
    const baselinePlatelets = page.getByLabel('Baseline PLT');
    await baselinePlatelets.fill('245000');
    const describedBy = (await baselinePlatelets.getAttribute('aria-describedby')) ?? '';
    const error = page.locator(`[id="${describedBy.split(' ')[0]}"]`);
    expect(await textOf(error)).toContain('Baseline platelets = 245000 looks like a value in cells/µL; did you mean 245 × 10³/µL?');
    expect(await baselinePlatelets.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Use 245 × 10³/µL' }).waitFor();
    await page.getByRole('button', { name: 'Save preparation' }).click();
    await page.getByRole('alert').filter({ hasText: 'The preparation was not saved' }).waitFor();
    expect(page.url()).toMatch(/\/app\/preparations\/new\?episode=/);
    expect(await preparationCount()).toBe(0);
    await shoot(page, 'lab-wrong-unit-desktop.png');

    // Choosing the protocol fills the spins and the anticoagulant; its volume follows the blood drawn (1:9).
    await page.getByLabel('Protocol', { exact: true }).selectOption({ label: 'Lumbar double spin · v2' });
    expect(await page.getByLabel('Spin 2 force (× g)').inputValue()).toBe('1600');
    expect(await textOf(page.getByLabel('Spin 2 rpm'))).toBe('3,783');
    expect(await page.getByLabel('Anticoagulant', { exact: true }).inputValue()).toBe('ACD-A');
    await page.getByLabel('Blood drawn').fill('27');
    expect(await page.getByLabel('Anticoagulant volume').inputValue()).toBe('3');
    await page.getByLabel('Drawn at').fill(await localInput(page, -90));

    // Pasting the analyser lines fills the counts (and replaces the wrong one).
    await page.getByRole('group', { name: 'Baseline (whole blood)' }).getByLabel('Paste analyser line').fill(BASELINE_LINE);
    expect(await baselinePlatelets.inputValue()).toBe('245');
    expect(await baselinePlatelets.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Baseline HCT').inputValue()).toBe('41');
    const prpGroup = page.getByRole('group', { name: 'PRP' });
    await prpGroup.getByLabel('Paste analyser line').fill(PRP_LINE);
    expect(await textOf(prpGroup.locator('.hint').first())).toContain('ignored HGB');
    expect(await page.getByLabel('PRP WBC').inputValue()).toBe('0.9');
    await prpGroup.getByLabel('Final PRP volume').fill('4');

    await page.getByLabel('Activation', { exact: true }).selectOption('none');
    await page.getByLabel('Form', { exact: true }).selectOption('liquid');
    await page.getByLabel('Prepared at').fill(await localInput(page, -30));
    await page.getByLabel('Injected volume').fill('3');
    await page.getByLabel('Site injected').fill('L4-L5 disc');
    await page.getByLabel('Image guidance').selectOption('yes');
    await page.getByLabel('Imaging', { exact: true }).selectOption('fluoroscopy');

    // Live, before anything is saved: metrics and every classification.
    const results = page.getByRole('complementary', { name: 'Live results' });
    await results.locator('[data-system="paw"]').filter({ hasText: 'P4-B' }).waitFor();
    expect(await textOf(results.locator('.metric').filter({ hasText: 'Concentration factor' }))).toContain('5.80×');
    expect(await textOf(results.locator('.metric').filter({ hasText: 'Platelet dose' }))).toContain('4.26 × 10⁹');
    expect(await textOf(results.locator('[data-system="mishra"]'))).toBe('3A');
    expect(await textOf(results.locator('[data-system="dohanEhrenfest"]'))).toBe('P-PRP');
    // The PAW neutrophil letter is optional; the screen offers the missing counts.
    expect(await textOf(results.getByRole('row', { name: /PAW/ }))).toContain('could add');

    // Bupivacaine mixed into the PRP is a calm warning, not a refusal.
    await page.getByLabel('Local anaesthetic').fill('bupivacaine 0.25 %');
    await page.getByLabel('Anaesthetic given').selectOption('mixed');
    const warnings = results.getByRole('list', { name: 'Warnings' });
    await warnings.getByText(/bupivacaine 0\.25 % mixed into PRP reduces platelet viability/).waitFor();
    await page.getByLabel('Local anaesthetic').fill('lidocaine 1 %');
    await warnings.waitFor({ state: 'detached' });

    // MIBO completeness lists what is missing; choosing an item goes to its field.
    const missing = results.getByRole('list', { name: 'Missing reporting items' });
    await missing.getByRole('button', { name: /Rehabilitation after the injection/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prep-rehabilitation');
    await page.getByLabel('Rehabilitation').fill('none');
    await page.getByLabel('Concomitant medication').fill('none');

    // An injection time in the future: the age warning shows at once, and the server's own check lands at the field.
    await page.getByLabel('Injected at').fill(await localInput(page, 24 * 60));
    await warnings.getByText(/beyond the 4 h limit from draw to injection/).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await results.evaluate((aside) => aside.scrollTo(0, 0));
    await shoot(page, 'lab-desktop.png');
    await page.getByRole('heading', { name: 'Counts' }).scrollIntoViewIfNeeded();
    await shoot(page, 'lab-desktop-counts.png');
    await page.getByRole('button', { name: 'Save preparation' }).click();
    await page.locator('#prep-injectedAt-error').filter({ hasText: 'Injected at is in the future.' }).waitFor();
    expect(await page.getByLabel('Injected at').getAttribute('aria-invalid')).toBe('true');
    expect(await preparationCount()).toBe(0);

    await page.getByLabel('Injected at').fill(await localInput(page, -10));
    expect(await page.getByLabel('Injected at').getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'Save preparation' }).click();
    await page.waitForURL(/\/app\/preparations\/[0-9a-f-]{36}$/);
    preparationUrl = page.url();
    await page.getByRole('main').getByText('The preparation is recorded.').waitFor();
    expect(await preparationCount()).toBe(1);
  });

  it('shows the saved record after a reload, edits only what changed, and opens the printable report', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Preparation' }).waitFor();
    expect(await page.getByLabel('Baseline PLT').inputValue()).toBe('245');
    expect(await page.getByRole('group', { name: 'PRP' }).getByLabel('Paste analyser line').inputValue()).toBe(PRP_LINE);
    expect(await page.getByLabel('Spin 1 temperature (°C)').inputValue()).toBe('22');
    const results = page.getByRole('complementary', { name: 'Live results' });
    await results.locator('[data-system="paw"]').filter({ hasText: 'P4-B' }).waitFor();
    expect(await textOf(results.locator('.panel-note'))).toContain('as saved');

    // A change is sent as a merge patch of the changed fields, and the audit trail names them.
    await page.getByLabel('Outcome measures').fill('odi, nrs');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('main').getByText('The changes are saved; the results were recomputed.').waitFor();
    const update = await server.store.db.selectFrom('audit_event').select('detail').where('entity_type', '=', 'preparation').where('action', '=', 'update').executeTakeFirstOrThrow();
    expect(JSON.parse(String(update.detail)).fields).toEqual(['outcomeMeasures']);

    const [report] = await Promise.all([lab.waitForEvent('page'), page.getByRole('link', { name: 'Printable report' }).click()]);
    await report.waitForLoadState();
    const sheet = await textOf(report.locator('body'));
    expect(sheet).toContain('HSC-000123');
    expect(sheet).toContain('P4-B');
    expect(sheet).toContain('Lumbar double spin');
    await shoot(report, 'lab-report-desktop.png');
    await report.close();

    await page.goto(patientUrl);
    const table = page.getByRole('table', { name: /^Preparations: Degenerative disc disease/ });
    const row = table.getByRole('row').nth(1);
    expect(await textOf(row)).toContain('Lumbar double spin v2');
    expect(await textOf(row)).toContain('5.80×');
    expect(await textOf(row)).toContain('P4-B');
    expect(await row.getByRole('link', { name: /Printable report/ }).getAttribute('target')).toBe('_blank');
    await shoot(page, 'lab-patient-desktop.png');
  });

  it('shows results stored by an older science version as they are, until someone recomputes them', async () => {
    await server.store.db.updateTable('preparation').set({ science_version: '0.0.1' }).execute();
    await page.goto(preparationUrl);
    const results = page.getByRole('complementary', { name: 'Live results' });
    const stale = results.getByText('Saved results are from science 0.0.1');
    await stale.waitFor();
    // Opening the record changed nothing: no recompute happens by itself.
    expect((await server.store.db.selectFrom('preparation').select('science_version').executeTakeFirstOrThrow()).science_version).toBe('0.0.1');
    await results.getByRole('button', { name: /^Recompute with/ }).click();
    await page.getByRole('main').getByText(/Results recomputed with science/).waitFor();
    await stale.waitFor({ state: 'detached' });
    expect((await server.store.db.selectFrom('preparation').select('science_version').executeTakeFirstOrThrow()).science_version).not.toBe('0.0.1');
    const recompute = await server.store.db.selectFrom('audit_event').select('detail').where('action', '=', 'recompute').executeTakeFirstOrThrow();
    expect(JSON.parse(String(recompute.detail)).fromScienceVersion).toBe('0.0.1');
  });

  it('on a phone: one column, the results under the form, Save within reach', async () => {
    const phone = await server.browser.newContext({ viewport: PHONE, locale: 'en-GB', timezoneId: 'Europe/London', reducedMotion: 'reduce', baseURL: server.baseUrl, storageState: await lab.storageState() });
    const phonePage = await phone.newPage();
    await phonePage.goto(preparationUrl);
    await phonePage.getByRole('heading', { level: 1, name: 'Preparation' }).waitFor();
    await phonePage.getByRole('complementary', { name: 'Live results' }).locator('[data-system="paw"]').filter({ hasText: 'P4-B' }).waitFor();
    const form = await phonePage.locator('.lab-form').boundingBox();
    const aside = await phonePage.getByRole('complementary', { name: 'Live results' }).boundingBox();
    expect(aside!.y).toBeGreaterThan(form!.y + form!.height - 1);
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phonePage.getByRole('button', { name: 'Save changes' }).waitFor();
    expect(await phonePage.getByRole('button', { name: 'Save changes' }).isVisible()).toBe(true);
    await shoot(phonePage, 'lab-phone.png');
    await phonePage.getByRole('group', { name: 'PRP' }).scrollIntoViewIfNeeded();
    await shoot(phonePage, 'lab-phone-counts.png');
    await phonePage.getByRole('complementary', { name: 'Live results' }).scrollIntoViewIfNeeded();
    await shoot(phonePage, 'lab-phone-results.png');
    await phone.close();
  });
});
