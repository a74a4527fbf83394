import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { Dialect, Store } from '../../store/db.js';
import { createTestStore } from '../../store/testing/test-store.js';
import type { Services } from '../../services/context.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../access.js';
import { createServer } from '../../server.js';

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  services: Services;
  close(): Promise<void>;
}

/** A real app over a real, freshly migrated store of the given dialect, with its own temporary data dir. */
export async function createTestServer(dialect: Dialect, config: Partial<Services['config']> = {}): Promise<TestServer> {
  const store = await createTestStore(dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-data-'));
  const services: Services = { store, config: { publicUrl: 'http://autolog.test', smtpUrl: undefined, secureCookies: false, dataDir, ...config } };
  const app = await createServer({ services, webDir: undefined });
  await app.ready();
  return { app, store, services, close: async () => { await app.close(); await store.close(); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

/**
 * For a describe block: a test server of `dialect`, started in a `beforeAll` and closed in an
 * `afterAll`. The object is filled in by the `beforeAll` (hooks registered later run after it), so
 * it can be taken at describe time.
 */
export function useTestServer(dialect: Dialect, config: Partial<Services['config']> = {}): TestServer {
  const server = {} as TestServer;
  beforeAll(async () => {
    Object.assign(server, await createTestServer(dialect, config));
  });
  afterAll(async () => server.close?.());
  return server;
}

/** `useTestServer` with first-run setup done: `admin` is the clinic's signed-in administrator (filled in by the same hooks). */
export function useClinicServer(dialect: Dialect): { server: TestServer; admin: TestClient } {
  const server = useTestServer(dialect);
  const admin = Object.create(TestClient.prototype) as TestClient;
  beforeAll(async () => {
    Object.assign(admin, await setUpClinic(server.app));
  });
  return { server, admin };
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export class TestClient {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(readonly app: FastifyInstance, readonly ip = '127.0.0.1') {}

  async request(method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method, url, remoteAddress: this.ip,
      headers: { ...(this.cookie && { cookie: `${SESSION_COOKIE}=${this.cookie}` }), ...(this.csrf && { [CSRF_HEADER]: this.csrf }), ...headers },
      ...(body !== undefined && { payload: body as object }),
    });
    const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value || undefined;
    const json = res.headers['content-type']?.toString().includes('json') ? res.json() : undefined;
    if (json && typeof json === 'object' && 'csrfToken' in json) this.csrf = String(json.csrfToken);
    return res;
  }
  get(url: string) { return this.request('GET', url); }
  post(url: string, body?: unknown) { return this.request('POST', url, body ?? {}); }
  patch(url: string, body: unknown) { return this.request('PATCH', url, body); }

  async signIn(email: string, password: string): Promise<this> {
    const res = await this.post('/api/v1/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    return this;
  }
}

export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Adds a staff account through the admin's client and signs it in from the admin's address. */
export async function addStaff(admin: TestClient, staff: { email: string; displayName: string; role: string; password: string }): Promise<{ id: string; client: TestClient }> {
  const res = await admin.post('/api/v1/staff', staff);
  if (res.statusCode !== 201) throw new Error(`staff: ${res.statusCode} ${res.body}`);
  return { id: res.json().id as string, client: await new TestClient(admin.app, admin.ip).signIn(staff.email, staff.password) };
}

/** Runs first-run setup and returns a signed-in admin client. */
export async function setUpClinic(app: FastifyInstance, opts: { clinicName?: string; email?: string; ip?: string } = {}): Promise<TestClient> {
  const client = new TestClient(app, opts.ip);
  const res = await client.post('/api/v1/setup', { clinicName: opts.clinicName ?? 'Harbour Spine Clinic', displayName: 'Ada Admin', email: opts.email ?? 'ada@clinic.test', password: ADMIN_PASSWORD });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return client;
}
