import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../services/permissions.js';
import { createTestServer, type TestServer } from './testing/test-server.js';

describe('route declarations', () => {
  let server: TestServer;
  beforeAll(async () => { server = await createTestServer('sqlite'); });
  afterAll(async () => server?.close());

  it('every registered route declares a known access level', () => {
    const routes = server.app.declaredRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const known = new Set<string>([...Object.keys(PERMISSIONS), 'public', 'signed-in']);
    const bad = routes.filter((r) => !r.access || !known.has(r.access)).map((r) => `${r.method} ${r.url}`);
    expect(bad).toEqual([]);
  });

  it('only setup, sign-in, password reset, health and docs are public', () => {
    const publicApi = server.app.declaredRoutes().filter((r) => r.access === 'public' && r.method !== 'HEAD' && r.url.startsWith('/api/v1')).map((r) => `${r.method} ${r.url}`).sort();
    expect(publicApi).toEqual([
      'GET /api/v1/setup', 'POST /api/v1/auth/login', 'POST /api/v1/auth/password-reset', 'POST /api/v1/auth/password-reset/confirm', 'POST /api/v1/setup',
    ]);
  });

  it('a route without a declaration stops start-up', async () => {
    const { buildApp } = await import('./app.js');
    const app = await buildApp({ services: server.services, webDir: undefined });
    app.get('/api/v1/undeclared', async () => 'oops');
    await expect(app.ready()).rejects.toThrow(/GET \/api\/v1\/undeclared/);
    await app.close().catch(() => {});
  });
});
