import path from 'node:path';
import type { APIRequestContext, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURE_CONSENT, REGISTRY_CONSENT } from '../src/http/testing/pathway.js';
import { formatInstructionDate } from '../src/science/procedure-instructions.js';
import { DESKTOP, PHONE, apiCall, newContext as openContext, screenshotDir, shoot, useBrowserServer } from './harness.js';

/**
 * The administrator's pathway settings and the episode page's instructions and registry consent,
 * in a real browser against the real server on a fresh SQLite file: a new version of the
 * procedure consent (the first kept in history), a wash-out refused with a field error and then
 * changed, the instructions emailed through the outbox, and a registry consent signed on the
 * tablet and withdrawn with a reason.
 */

const ADMIN = { clinicName: 'Harbour Spine Clinic', displayName: 'Ada Lindqvist', email: 'ada@harbour-spine.test', password: 'granite ferry lantern 42' };
const PATIENT = { mrn: 'HSC-008120', givenName: 'Katherine', familyName: 'Johnson', birthDate: '1958-08-26', sex: 'female', email: 'katherine@example.test' };
const NO_EMAIL = { mrn: 'HSC-008121', givenName: 'Dorothy', familyName: 'Vaughan', birthDate: '1950-09-20', sex: 'female' };
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const PLANNED = daysFromToday(14);

const server = useBrowserServer();
let context: BrowserContext;
let page: Page;
let csrf: string;
let episodeId: string;
let noEmailEpisodeId: string;

/** The API with this file's session and its CSRF token. */
const call = <T>(request: APIRequestContext, method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown, status?: number): Promise<T> => apiCall<T>(request, csrf, method, url, data, status);

/** A screenshot of one section of the page (scrolled into view), beside the harness's page shots. */
async function shootSection(section: Locator, name: string): Promise<void> {
  await section.page().evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await section.screenshot({ path: path.join(screenshotDir, name), animations: 'disabled' });
}

beforeAll(async () => {
  context = await openContext(server.browser, DESKTOP, { baseURL: server.baseUrl });
  const r = context.request;
  csrf = (await call<{ csrfToken: string }>(r, 'POST', '/api/v1/setup', { ...ADMIN, timeZone: 'Europe/London' })).csrfToken;
  await call(r, 'POST', '/api/v1/consent-templates', { kind: 'procedure', title: 'Consent to PRP injection for back pain', bodyMarkdown: PROCEDURE_CONSENT }, 201);
  await call(r, 'POST', '/api/v1/consent-templates', { kind: 'registry', title: 'Consent to the outcomes registry', bodyMarkdown: REGISTRY_CONSENT }, 201);
  const patient = await call<{ id: string }>(r, 'POST', '/api/v1/patients', PATIENT);
  episodeId = (await call<{ id: string }>(r, 'POST', `/api/v1/patients/${patient.id}/episodes`, { indication: 'degenerative-disc-disease' })).id;
  await call(r, 'PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: PLANNED });
  const other = await call<{ id: string }>(r, 'POST', '/api/v1/patients', NO_EMAIL);
  noEmailEpisodeId = (await call<{ id: string }>(r, 'POST', `/api/v1/patients/${other.id}/episodes`, { indication: 'degenerative-disc-disease' })).id;
  await call(r, 'PUT', `/api/v1/episodes/${noEmailEpisodeId}/procedure-date`, { plannedProcedureOn: PLANNED });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await context?.close();
});

describe('pathway settings', () => {
  it('publishes a new version of the procedure consent with a live preview, keeping version 1 in the history', async () => {
    await page.goto('/app/worklist');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clinic' }).click();
    await page.getByRole('main').getByRole('link', { name: 'Pathway settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pathway settings' }).waitFor();
    const panel = page.locator('#consent-text-procedure');
    await panel.getByRole('heading', { name: 'Consent to PRP injection for back pain' }).waitFor();
    await panel.getByRole('button', { name: /New version/ }).click();
    const form = page.getByRole('form', { name: 'New version of the procedure consent' });
    await form.getByLabel('Title').fill('Consent to PRP injection for back pain (2026)');
    const text = form.getByLabel('Text (Markdown)');
    await text.fill(`${PROCEDURE_CONSENT}\n\n## Photographs\n\nWe may photograph the injection site for your record only.`);
    // The preview is rendered by the server's Markdown pipeline as the text is typed.
    await form.locator('.article-preview h2', { hasText: 'Photographs' }).waitFor();
    await shoot(page, 'pathway-settings-consent-editor-desktop.png');
    await form.getByRole('button', { name: 'Publish version 2' }).click();
    await panel.getByText('Version 2 is published').waitFor();
    await panel.getByRole('heading', { name: 'Consent to PRP injection for back pain (2026)' }).waitFor();
    const history = panel.getByRole('table', { name: 'Earlier versions of the procedure consent' });
    expect(await history.getByRole('row').nth(1).innerText()).toContain('Consent to PRP injection for back pain');
    expect(await history.getByRole('row').nth(1).innerText()).toContain(ADMIN.displayName);

    const versions = await call<{ version: number; current: boolean; bodyMarkdown: string }[]>(context.request, 'GET', '/api/v1/consent-templates?kind=procedure');
    expect(versions.map((v) => [v.version, v.current])).toEqual([[2, true], [1, false]]);
    expect(versions[1]!.bodyMarkdown).toBe(PROCEDURE_CONSENT.trim());
    await shoot(page, 'pathway-settings-desktop.png', { fullPage: true });
  });

  it('refuses a wash-out out of range with a field error and saves nothing; then changes it and resets it to the default', async () => {
    const field = page.getByRole('textbox', { name: /NSAID wash-out before the procedure/ });
    expect(await field.inputValue()).toBe('3');
    await field.fill('100');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'The settings were not saved' });
    await summary.waitFor();
    expect(await summary.innerText()).toContain('NSAID wash-out before the procedure must be at most 60');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const unchanged = await call<{ settings: { nsaidWashoutDays: number }; updatedAt: string | null }>(context.request, 'GET', '/api/v1/pathway-settings');
    expect(unchanged).toMatchObject({ settings: { nsaidWashoutDays: 3 }, updatedAt: null });
    await shoot(page, 'pathway-settings-error-desktop.png');

    await field.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The settings are saved.').waitFor();
    expect((await call<{ settings: { nsaidWashoutDays: number } }>(context.request, 'GET', '/api/v1/pathway-settings')).settings.nsaidWashoutDays).toBe(5);
    expect(await field.getAttribute('aria-invalid')).toBeNull();

    await page.getByRole('button', { name: 'Reset to default: NSAID wash-out before the procedure' }).click();
    expect(await field.inputValue()).toBe('3');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await call<{ settings: { nsaidWashoutDays: number } }>(context.request, 'GET', '/api/v1/pathway-settings')).settings.nsaidWashoutDays).toBe(3);
  });

  it('treats a relative finding as absolute when the clinic ticks it, and back again', async () => {
    const escalated = async () => (await call<{ settings: { escalateToAbsolute: string[] } }>(context.request, 'GET', '/api/v1/pathway-settings')).settings.escalateToAbsolute;
    const anticoagulant = page.getByRole('checkbox', { name: 'Anticoagulant inside its wash-out' });
    expect(await anticoagulant.isChecked()).toBe(false);
    await anticoagulant.check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(escalated).toEqual(['anticoagulant']);
    await page.getByRole('heading', { name: 'Contraindications: treated as absolute' }).scrollIntoViewIfNeeded();
    await shoot(page, 'pathway-settings-escalate-desktop.png');
    await anticoagulant.uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(escalated).toEqual([]);
  });

  it('fits a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Pathway settings' }).waitFor();
    await page.getByRole('textbox', { name: /NSAID wash-out before the procedure/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shoot(page, 'pathway-settings-phone.png', { fullPage: true });
    await page.setViewportSize(DESKTOP);
  });
});

describe('episode page: instructions and registry consent', () => {
  it('shows the dated instructions, emails them through the outbox and lists the send', async () => {
    await page.goto(`/app/episodes/${episodeId}`);
    await page.getByRole('heading', { level: 1, name: 'Pathway: Johnson, Katherine' }).waitFor();
    const panel = page.locator('#instructions');
    await panel.getByRole('heading', { name: 'Before the procedure' }).waitFor();
    // The NSAID wash-out (3 days, the default) dates the last dose.
    const lastNsaid = formatInstructionDate(daysFromToday(11), PLANNED.slice(0, 4));
    expect(await panel.locator('.instruction-list').first().innerText()).toContain(lastNsaid);
    const print = panel.getByRole('link', { name: /Print/ });
    const printed = await context.request.get((await print.getAttribute('href'))!);
    expect(printed.status()).toBe(200);
    expect(await printed.text()).toContain('Katherine');

    await panel.getByRole('button', { name: 'Send by email' }).click();
    await panel.getByText(`The instructions are in the outbox for ${PATIENT.email}.`).waitFor();
    const sends = panel.getByRole('table', { name: 'Emails sent' });
    await sends.getByRole('cell', { name: 'First send' }).waitFor();
    expect(await sends.innerText()).toContain('Waiting in the outbox');
    await panel.getByText('Sent for this date').waitFor();
    const mail = await server.store.db.selectFrom('outbox').select(['subject', 'text_body', 'status']).where('to_address', '=', PATIENT.email).where('kind', '=', 'procedure-instructions').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text_body).toContain(lastNsaid);
    await shootSection(panel, 'episode-instructions-desktop.png');

    await page.setViewportSize(PHONE);
    await panel.scrollIntoViewIfNeeded();
    await shootSection(panel, 'episode-instructions-phone.png');
    await page.setViewportSize(DESKTOP);
  });

  it('disables the send, saying why, when the patient has no email address', async () => {
    const other = await context.newPage();
    await other.goto(`/app/episodes/${noEmailEpisodeId}`);
    const send = other.locator('#instructions').getByRole('button', { name: 'Send by email' });
    await send.waitFor();
    expect(await send.isDisabled()).toBe(true);
    const reason = await other.locator(`#${(await send.getAttribute('aria-describedby'))!}`).innerText();
    expect(reason).toContain('no email address');
    await other.close();
  });

  it('signs the registry consent on the tablet and records its withdrawal with a reason', async () => {
    const panel = page.locator('#registry-consent');
    await panel.getByText('Not asked yet').waitFor();
    await panel.getByRole('button', { name: 'Sign the registry consent on this tablet' }).click();
    const form = page.getByRole('form', { name: 'Sign the registry consent' });
    await form.getByRole('heading', { name: /Consent to the outcomes registry/ }).waitFor();
    await form.getByLabel('Your full name').fill('Katherine Johnson');
    const pad = (await form.locator('canvas.signature-pad').boundingBox())!;
    await page.mouse.move(pad.x + 20, pad.y + 100);
    await page.mouse.down();
    for (let x = 20; x < 280; x += 10) await page.mouse.move(pad.x + x, pad.y + 80 + Math.cos(x / 18) * 35);
    await page.mouse.up();
    await form.getByRole('button', { name: 'I consent — sign' }).click();
    await panel.locator('.badge', { hasText: 'Signed' }).waitFor();
    // The procedure consent panel is separate and still unsigned.
    expect(await page.locator('#consent').getByText('No consent signed yet.').count()).toBe(1);
    await shootSection(panel, 'episode-registry-consent-signed-desktop.png');

    await panel.getByRole('button', { name: 'Withdraw…' }).click();
    const withdraw = panel.getByRole('form', { name: 'Withdraw the consent' });
    await withdraw.getByRole('button', { name: 'Record the withdrawal' }).click();
    await withdraw.getByRole('alert').filter({ hasText: 'The withdrawal was not recorded' }).waitFor();
    await expect.poll(() => withdraw.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await withdraw.getByLabel('Reason').fill('The patient asked by phone not to be in research exports.');
    await withdraw.getByRole('button', { name: 'Record the withdrawal' }).click();
    await panel.locator('.badge', { hasText: 'Withdrawn' }).waitFor();
    expect(await panel.innerText()).toContain('The patient asked by phone not to be in research exports.');
    expect(await panel.innerText()).toContain(`recorded by ${ADMIN.displayName}`);
    const consents = await call<{ kind: string; status: string; withdrawalReason: string }[]>(context.request, 'GET', `/api/v1/episodes/${episodeId}/consents`);
    expect(consents).toEqual([expect.objectContaining({ kind: 'registry', status: 'withdrawn', withdrawalReason: 'The patient asked by phone not to be in research exports.' })]);
    // It may be asked again: the sign button is back.
    await panel.getByRole('button', { name: 'Sign the registry consent on this tablet' }).waitFor();
    await shootSection(panel, 'episode-registry-consent-desktop.png');

    await page.setViewportSize(PHONE);
    await panel.scrollIntoViewIfNeeded();
    await shootSection(panel, 'episode-registry-consent-phone.png');
    await page.setViewportSize(DESKTOP);
  });
});
