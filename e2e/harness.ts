import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
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
