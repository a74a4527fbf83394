import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore } from '../store/testing/test-store.js';
import type { Store } from '../store/db.js';
import { buildApp } from './app.js';
import type { FastifyInstance } from 'fastify';

describe('serving the staff app', () => {
  let store: Store;
  let app: FastifyInstance;
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-web-'));
  beforeAll(async () => {
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Autolog</title><script type="module" src="/app/assets/app-1234.js"></script>');
    fs.writeFileSync(path.join(webDir, 'assets', 'app-1234.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
    store = await createTestStore('sqlite');
    app = await buildApp({ services: { store, config: { publicUrl: 'http://localhost', smtpUrl: undefined, secureCookies: false, dataDir: webDir } }, webDir });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('answers deep links with index.html, revalidated on every visit', async () => {
    const res = await app.inject({ url: '/app/patients/0190f0c4-0000-7000-8000-000000000000' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year and compresses them', async () => {
    const res = await app.inject({ url: '/app/assets/app-1234.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.rawPayload.length).toBeLessThan(1000);
  });

  it('answers 404 for a missing asset instead of the app page', async () => {
    const res = await app.inject({ url: '/app/assets/gone-9999.js' });
    expect(res.statusCode).toBe(404);
  });

  it('redirects /app to /app/', async () => {
    const res = await app.inject({ url: '/app' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/app/');
  });
});
