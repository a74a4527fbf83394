import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, newContext as openContext, shoot, textOf, useBrowserServer } from './harness.js';

/**
 * The staff app in a real browser against the real server on a fresh SQLite file: first-run
 * setup, registering, finding and opening a patient, the duplicate warning, field errors, and
 * returning to the same page after signing in again. Screenshots for the docs are taken on the way.
 */

const ADMIN = { name: 'Ada Lindqvist', email: 'ada@harbour-spine.test', password: 'granite ferry lantern 42' };
const GRACE = { mrn: 'HSC-000123', givenName: 'Grace', familyName: 'Hopper', birthDate: '1960-12-09' };

const server = useBrowserServer();

const newContext = (viewport: { width: number; height: number }): Promise<BrowserContext> => openContext(server.browser, viewport);

/** Registers patients through the API from inside the signed-in page (cookie + CSRF token). */
async function registerViaApi(page: Page, patients: Record<string, string>[]): Promise<void> {
  await page.evaluate(async (list) => {
    const session = await (await fetch('/api/v1/auth/session')).json() as { csrfToken: string };
    for (const p of list) {
      const res = await fetch('/api/v1/patients', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(p) });
      if (res.status !== 201) throw new Error(`could not register ${p.mrn}: ${res.status} ${await res.text()}`);
    }
  }, patients);
}

/** Opens one of the screens gathered on the Clinic page, as a person would: nav → Clinic → the screen. */
async function openClinicScreen(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clinic' }).click();
  await page.getByRole('heading', { level: 1, name: 'Clinic' }).waitFor();
  if (label === 'Staff') await shoot(page, 'clinic-admin-desktop.png');
  await page.getByRole('main').getByRole('link', { name: label, exact: true }).click();
}

describe('staff app', () => {
  let desktop: BrowserContext;
  let page: Page;
  let graceUrl: string;

  beforeAll(async () => {
    desktop = await newContext(DESKTOP);
    page = await desktop.newPage();
  });

  it('opens the setup page on first visit, and lands signed in after creating the clinic', async () => {
    const phone = await newContext(PHONE);
    const phonePage = await phone.newPage();
    await phonePage.goto(`${server.baseUrl}/app/`);
    await phonePage.getByRole('heading', { level: 1, name: 'Set up your clinic' }).waitFor();
    await shoot(phonePage, 'setup-phone.png');
    await phone.close();

    await page.goto(`${server.baseUrl}/app/`);
    await page.waitForURL('**/app/setup');
    await expect.poll(() => page.title()).toBe('Set up Autolog · Autolog');
    // The time zone is taken from the browser.
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/London');
    await page.getByLabel('Clinic name').fill('Harbour Spine Clinic');
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Password again').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create clinic and sign in' }).click();

    await page.waitForURL('**/app/worklist');
    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    const banner = await textOf(page.getByRole('banner'));
    expect(banner).toContain('Harbour Spine Clinic');
    expect(banner).toContain(ADMIN.name);
    expect(banner).toContain('Administrator');
    const nav = await textOf(page.getByRole('navigation', { name: 'Main' }));
    expect(nav).toBe('Worklist Patients Leads Protocols Outcomes Follow-up Articles Comments Clinic');
  });

  it('registers a patient, finds them by search, and shows the "create" event in their history', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('link', { name: 'New patient' }).click();
    await page.getByRole('heading', { level: 1, name: 'New patient' }).waitFor();
    await page.getByLabel('Family name').fill(GRACE.familyName);
    await page.getByLabel('Given name').fill(GRACE.givenName);
    await page.getByLabel('Birth date').fill(GRACE.birthDate);
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('MRN').fill(GRACE.mrn);
    await page.getByLabel('Preferred language').fill('en');
    await page.getByLabel('Email').fill('grace.hopper@example.org');
    await page.getByLabel('Phone').fill('+44 20 7946 0123');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.waitForURL(/\/app\/patients\/[0-9a-f-]{36}$/);
    graceUrl = page.url();
    expect(await textOf(page.getByText('Grace Hopper is registered.'))).toBeTruthy();

    // Some neighbours, so that the search has something to leave out.
    await registerViaApi(page, [
      { mrn: 'HSC-000124', givenName: 'Alan', familyName: 'Turing', birthDate: '1954-06-23', sex: 'male' },
      { mrn: 'HSC-000125', givenName: 'Ada', familyName: 'Lovelace', birthDate: '1975-12-10', sex: 'female', phone: '+44 20 7946 0555' },
      { mrn: 'HSC-000126', givenName: 'Edsger', familyName: 'Dijkstra', birthDate: '1950-05-11', sex: 'male' },
      { mrn: 'HSC-000127', givenName: 'Barbara', familyName: 'Liskov', birthDate: '1959-11-07', sex: 'female' },
      { mrn: 'HSC-000128', givenName: 'Margaret', familyName: 'Hamilton', birthDate: '1966-08-17', sex: 'female' },
      { mrn: 'HSC-000129', givenName: 'Donald', familyName: 'Knuth', birthDate: '1958-01-10', sex: 'male' },
      { mrn: 'HSC-000130', givenName: 'Frances', familyName: 'Allen', birthDate: '1962-08-04', sex: 'female' },
      { mrn: 'HSC-000131', givenName: 'Tony', familyName: 'Hoare', birthDate: '1964-01-11', sex: 'male' },
    ]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    const results = page.getByRole('table', { name: 'All patients, by family name' });
    await results.waitFor();
    await expect.poll(() => results.getByRole('row').count()).toBe(1 + 9);
    await shoot(page, 'patients-desktop.png');

    // Typing searches by itself after a pause, and the address bar keeps the search.
    await page.getByLabel('Name or MRN').fill('hop');
    await page.waitForURL(/[?&]q=hop\b/);
    const matches = page.getByRole('table', { name: 'Patients matching the search' });
    await matches.getByRole('link', { name: 'Hopper, Grace' }).waitFor();
    await page.getByLabel('Birth date').fill(GRACE.birthDate);
    await page.waitForURL(/birthDate=1960-12-09/);
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
    expect(await textOf(matches.getByRole('row').nth(1))).toContain(GRACE.mrn);

    await matches.getByRole('link', { name: 'Hopper, Grace' }).click();
    await page.waitForURL(graceUrl);
    await page.getByRole('heading', { level: 1, name: 'Hopper, Grace' }).waitFor();
    await expect.poll(() => page.title()).toBe('Patient record · Autolog');

    const history = page.getByRole('table', { name: 'Audit history' });
    await history.waitFor();
    const created = history.getByRole('row').filter({ hasText: 'Created' });
    expect(await textOf(created)).toContain(ADMIN.email);
    expect(await textOf(created)).toContain('Patient');

    // Opening an episode pre-fills the indication's suggested ICD-10 code.
    await page.getByRole('button', { name: 'Open episode' }).click();
    await page.getByLabel('Indication').selectOption('degenerative-disc-disease');
    expect(await page.getByLabel('ICD-10 code').inputValue()).toBe('M51.36');
    await page.getByRole('button', { name: 'Open episode' }).click();
    const episodes = page.getByRole('table', { name: 'Episodes of care' });
    await episodes.getByRole('row').filter({ hasText: 'M51.36' }).waitFor();
    expect(await textOf(episodes.getByRole('row').nth(1))).toContain('Open');
    await history.getByRole('row').filter({ hasText: 'indication: degenerative-disc-disease' }).waitFor();
    await shoot(page, 'patient-desktop.png');
  });

  it('warns about a likely duplicate and registers only when told it is a different person', async () => {
    await page.goto(`${server.baseUrl}/app/patients/new`);
    await page.getByLabel('Family name').fill('hopper');
    await page.getByLabel('Given name').fill('Grace ');
    await page.getByLabel('Birth date').fill(GRACE.birthDate);
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('MRN').fill('HSC-000999');
    await page.getByRole('button', { name: 'Register patient' }).click();

    const dialog = page.getByRole('dialog', { name: 'Possible duplicate' });
    await dialog.waitFor();
    const match = dialog.getByRole('link', { name: 'Hopper, Grace' });
    expect(await match.getAttribute('href')).toBe(new URL(graceUrl).pathname);
    expect(await textOf(dialog)).toContain(GRACE.mrn);
    await shoot(page, 'duplicate-desktop.png');

    // Going back keeps the form as it was and saves nothing.
    await dialog.getByRole('button', { name: 'Go back and check' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(/\/app\/patients\/new$/);

    await page.getByRole('button', { name: 'Register patient' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'This is a different person — save anyway' }).click();
    await page.waitForURL(/\/app\/patients\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toBe(graceUrl);
    await page.getByRole('heading', { level: 1, name: 'hopper, Grace' }).waitFor();
  });

  it('puts a refused field’s error next to that field and announces it', async () => {
    await page.goto(`${server.baseUrl}/app/patients/new`);
    await page.getByLabel('Family name').fill('Goldberg');
    await page.getByLabel('Given name').fill('Adele');
    await page.getByLabel('Birth date').fill('2999-01-01');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('MRN').fill('HSC-000200');
    await page.getByLabel('Phone').fill('call me maybe');
    await page.getByRole('button', { name: 'Register patient' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'The patient was not registered' });
    await summary.waitFor();
    // The summary takes focus so that keyboard and screen-reader users land on it.
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);

    const phone = page.getByLabel('Phone');
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).innerText();
    expect(errorText).toContain('only digits, spaces and + ( ) - .');
    // The message sits in the same field group as the input.
    expect(await page.locator('.field', { has: phone }).innerText()).toContain(errorText.replace(/^Error: /, ''));

    // With the phone fixed, the server's own check of the date is shown at the date.
    await phone.fill('+1 555 0100');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.locator('#patient-birthDate-error').filter({ hasText: 'The birth date is in the future.' }).waitFor();
    expect(await page.getByLabel('Birth date').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Phone').getAttribute('aria-invalid')).toBeNull();
    await shoot(page, 'field-error-desktop.png');
  });

  it('shows the admin screens: staff, audit trail with chain check, outbox without SMTP', async () => {
    await openClinicScreen(page, 'Staff');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ravi Menon');
    await page.getByLabel('Email').fill('ravi@harbour-spine.test');
    await page.getByLabel('Role', { exact: true }).selectOption('clinician');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('main').getByText('Ravi Menon is added as Clinician. An invitation to choose a password is in the outbox.').waitFor();
    await shoot(page, 'staff-desktop.png');

    await openClinicScreen(page, 'Audit trail');
    await page.getByRole('table', { name: 'Audit events' }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/The chain is intact: all [\d,]+ events match/).waitFor();
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csv).toBe('/api/v1/audit/export.csv');
    await page.getByLabel('Action').selectOption('create');
    await page.getByLabel('Record type').selectOption('patient');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=create&entityType=patient/);
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/api/v1/audit/export.csv?action=create&entityType=patient');
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 10);
    await shoot(page, 'audit-desktop.png');

    await openClinicScreen(page, 'Outbox');
    await page.getByText('Email is not being sent yet.').waitFor();
    await page.getByRole('table', { name: 'Outgoing email' }).getByText('ravi@harbour-spine.test').waitFor();
    await shoot(page, 'outbox-desktop.png');
  });

  it('lets an invited colleague choose a password from the emailed link, and shows them only what their role allows', async () => {
    const mail = await server.store.db.selectFrom('outbox').select('text_body').where('to_address', '=', 'ravi@harbour-spine.test').executeTakeFirstOrThrow();
    const link = new URL(/https?:\/\/\S+\/app\/reset-password#token=\S+/.exec(mail.text_body)?.[0] ?? '');
    const context = await newContext(DESKTOP);
    const ravi = await context.newPage();
    await ravi.goto(`${server.baseUrl}${link.pathname}${link.hash}`);
    await ravi.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    // The single-use token leaves the address bar (and so the history) at once.
    expect(new URL(ravi.url()).hash).toBe('');
    await ravi.getByLabel('New password', { exact: true }).fill('tidal basin orchard 7');
    await ravi.getByLabel('New password again').fill('tidal basin orchard 7');
    await ravi.getByRole('button', { name: 'Save new password' }).click();
    await ravi.getByRole('heading', { level: 1, name: 'Password changed' }).waitFor();
    await ravi.getByRole('link', { name: 'Sign in' }).click();
    await ravi.getByLabel('Email').fill('ravi@harbour-spine.test');
    await ravi.getByLabel('Password').fill('tidal basin orchard 7');
    await ravi.getByRole('button', { name: 'Sign in', exact: true }).click();
    await ravi.waitForURL('**/app/worklist');
    expect(await textOf(ravi.getByRole('navigation', { name: 'Main' }))).toBe('Worklist Patients Leads Protocols Outcomes Follow-up Articles Comments Clinic');
    // A clinician's Clinic page lists the settings they may read, not the administrator's screens.
    await ravi.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clinic' }).click();
    await ravi.getByRole('heading', { level: 1, name: 'Clinic' }).waitFor();
    expect(await ravi.locator('.clinic-screen-link').allInnerTexts()).toEqual(['Pathway settings', 'Outcome settings']);
    await shoot(ravi, 'clinic-clinician-desktop.png');
    expect(await textOf(ravi.getByRole('banner'))).toContain('Clinician');
    await ravi.goto(`${server.baseUrl}/app/audit`);
    await ravi.getByRole('heading', { level: 1, name: 'Not available for your role' }).waitFor();
    await context.close();
  });

  it('on a phone: sends a signed-out visitor to sign in, then back to the page they asked for', async () => {
    const phone = await newContext(PHONE);
    const phonePage = await phone.newPage();
    await phonePage.goto(graceUrl);
    await phonePage.waitForURL(/\/app\/login\?next=/);
    await phonePage.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await shoot(phonePage, 'login-phone.png');
    await phonePage.getByLabel('Email').fill(ADMIN.email);
    await phonePage.getByLabel('Password').fill(ADMIN.password);
    await phonePage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await phonePage.waitForURL(graceUrl);
    await phonePage.getByRole('heading', { level: 1, name: 'Hopper, Grace' }).waitFor();
    await phonePage.getByRole('table', { name: 'Audit history' }).waitFor();
    await shoot(phonePage, 'patient-phone.png');

    // The navigation folds into a menu button.
    const nav = phonePage.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await phonePage.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Patients' }).click();
    await phonePage.getByRole('table', { name: 'All patients, by family name' }).waitFor();
    await shoot(phonePage, 'patients-phone.png');
    await phonePage.getByRole('button', { name: 'Menu' }).click();
    await shoot(phonePage, 'menu-phone.png');
    await phone.close();
  });

  it('returns to the sign-in page when the session ends, back to the same page afterwards, and signs out', async () => {
    await page.goto(graceUrl);
    await page.getByRole('table', { name: 'Audit history' }).waitFor();
    // End every session on the server, as the idle timeout would.
    await server.store.db.deleteFrom('staff_session').execute();
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByLabel('Phone').fill('+44 20 7946 0999');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/app\/login\?next=%2Fpatients%2F/);
    await page.getByRole('main').getByText('You are not signed in, or your session has ended. Sign in to continue.').waitFor();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(graceUrl);
    await page.getByRole('heading', { level: 1, name: 'Hopper, Grace' }).waitFor();

    // Signing out on purpose starts the next person afresh, not on this patient's page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/login$/);
    await page.getByRole('main').getByText('You have signed out.').waitFor();
  });

  afterAll(async () => {
    await desktop?.close();
  });
});
