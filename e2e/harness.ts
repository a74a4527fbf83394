import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Services } from '../src/services/context.js';
import { createServer } from '../src/server.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';

/** What every browser test shares: the real server over a fresh SQLite file, and Debian's Chromium. */

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const webDir = path.join(repo, 'dist', 'web');
// README screenshots are refreshed on request (AUTOLOG_SCREENSHOTS=1); otherwise they go to e2e/artifacts (ignored by git).
export const screenshotDir = process.env.AUTOLOG_SCREENSHOTS === '1' ? path.join(repo, 'docs', 'screenshots') : path.join(repo, 'e2e', 'artifacts');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface E2eServer {
  app: FastifyInstance;
  store: Store;
  services: Services;
  baseUrl: string;
  /** DATA_DIR of this server (media uploads land under it). */
  dataDir: string;
  close(): Promise<void>;
}

/** Starts the whole server (API, staff app, public and survey pages) on a loopback port. */
export async function startServer(options: { staffApp?: boolean } = {}): Promise<E2eServer> {
  const staffApp = options.staffApp ?? true;
  if (staffApp && !fs.existsSync(path.join(webDir, 'index.html'))) {
    throw new Error(`The staff app is not built (${webDir} has no index.html). Run \`npm run build:web\` first.`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-e2e-'));
  const dataDir = path.join(tmp, 'data');
  const store = openStore(path.join(tmp, 'e2e.db'));
  await migrateToLatest(store);
  const services: Services = { store, config: { publicUrl: 'http://127.0.0.1', smtpUrl: undefined, secureCookies: false, dataDir } };
  const app = await createServer({ services, webDir: staffApp ? webDir : undefined });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(screenshotDir, { recursive: true });
  return {
    app, store, services, baseUrl, dataDir,
    close: async () => {
      await app.close();
      await store.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The server and the browser of one test file. */
export interface BrowserServer extends E2eServer {
  browser: Browser;
}

/**
 * Starts the server and Chromium in a `beforeAll` and closes both in an `afterAll` (hooks the file
 * registers later run after the start and before the close). The fields are there once the
 * `beforeAll` has run.
 */
export function useBrowserServer(options: { staffApp?: boolean } = {}): BrowserServer {
  const server = {} as BrowserServer;
  beforeAll(async () => {
    Object.assign(server, await startServer(options));
    server.browser = await launchBrowser();
  });
  afterAll(async () => {
    await server.browser?.close();
    await server.close?.();
  });
  return server;
}

/**
 * Signs in on the staff app's login page as a person does and waits for the worklist, where every
 * role lands. Given a context, it opens a new page; either way it returns the signed-in page.
 */
export async function signIn(on: Page | BrowserContext, who: { email: string; password: string }, loginUrl = '/app/login'): Promise<Page> {
  const page = 'newPage' in on ? await on.newPage() : on;
  await page.goto(loginUrl);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/app/worklist');
  await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
  return page;
}

/**
 * JSON through the API with a context's session cookie, sending `csrf` on writes. Throws unless the
 * status is `status` (when given) or a 2xx.
 */
export async function apiCall<T>(request: APIRequestContext, csrf: string, method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown, status?: number): Promise<T> {
  const res = method === 'GET' ? await request.get(url) : await request.fetch(url, { method, data, headers: { 'x-csrf-token': csrf } });
  if (status !== undefined ? res.status() !== status : !res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A British-locale context with reduced motion and a 10 s default wait. */
export async function newContext(browser: Browser, viewport: { width: number; height: number }, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London', reducedMotion: 'reduce', ...options });
  context.setDefaultTimeout(10_000);
  return context;
}

/** A screenshot without the blinking caret, into `screenshotDir`. */
export async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: path.join(screenshotDir, name), animations: 'disabled', ...options });
}

/** A locator's text with whitespace collapsed, once it is there. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
}

/** A `datetime-local` input value `minutes` from now, in the browser's own zone (what the page reads). */
export function localInput(page: Page, minutes: number): Promise<string> {
  return page.evaluate((m) => {
    const d = new Date(Date.now() + m * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, minutes);
}

const AXE_SCRIPT = path.join(repo, 'node_modules', 'axe-core', 'axe.min.js');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One rule that cannot apply to one element, and why (the reason is required, and read by reviewers). */
export interface AxeException { rule: string; selector: string; why: string }

/**
 * Runs axe-core on the page as it is now against WCAG 2.1 A and AA, and throws with a readable
 * list of the violations (rule, impact, the elements, the help text). The script is evaluated
 * through the DevTools protocol, so the pages' strict Content-Security-Policy does not block it.
 */
export async function expectAccessible(page: Page, options: { label?: string; exceptions?: AxeException[] } = {}): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(fs.readFileSync(AXE_SCRIPT, 'utf8'));
  const exceptions = (options.exceptions ?? []).map(({ rule, selector }) => ({ rule, selector }));
  const violations = await page.evaluate(async ({ tags, exceptions }) => {
    type Node = { target: unknown[]; element?: Element; failureSummary?: string };
    type Result = { id: string; impact: string | null; help: string; helpUrl: string; nodes: Node[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, elementRef: true, resultTypes: ['violations'] });
    return violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes
        .filter((n) => !exceptions.some((e) => e.rule === v.id && n.element?.matches(e.selector)))
        .map((n) => ({ target: n.target.map(String).join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
    })).filter((v) => v.nodes.length > 0);
  }, { tags: WCAG_21_AA, exceptions });
  if (violations.length === 0) return;
  const where = options.label ?? page.url();
  const lines = violations.flatMap((v) => [
    `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help} — ${v.helpUrl}`,
    ...v.nodes.slice(0, 8).map((n) => `    ${n.target}: ${n.summary}`),
    ...(v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more`] : []),
  ]);
  throw new Error(`${violations.length} accessibility violation(s) on ${where}:\n${lines.join('\n')}`);
}
