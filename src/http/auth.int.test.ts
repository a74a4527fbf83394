import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../store/testing/test-store.js';
import { ADMIN_PASSWORD, TestClient, createTestServer, useClinicServer } from './testing/test-server.js';

describe.each(DIALECTS)('sign-in and sessions on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);

  const password = 'spin twice at 100 g';
  async function newColleague(email: string, role = 'clinician') {
    const res = await admin.post('/api/v1/staff', { email, displayName: email.split('@')[0], role, password });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  }

  it('sets an HttpOnly, SameSite=Lax session cookie and keeps no token in the database', async () => {
    const res = await new TestClient(server.app).post('/api/v1/auth/login', { email: 'ADA@Clinic.TEST', password: ADMIN_PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'autolog_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const stored = await server.store.db.selectFrom('staff_session').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie.value);
  });

  it('says a wrong password is wrong, then locks the account after five failures', async () => {
    await newColleague('lock@clinic.test');
    const c = new TestClient(server.app, '10.1.1.1');
    for (let i = 0; i < 5; i++) {
      const res = await c.post('/api/v1/auth/login', { email: 'lock@clinic.test', password: 'not the password' });
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toBe('The email or password is incorrect.');
    }
    const locked = await c.post('/api/v1/auth/login', { email: 'lock@clinic.test', password });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().detail).toMatch(/locked/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    const failures = await server.store.db.selectFrom('audit_event').select('action').where('action', '=', 'login-failed').execute();
    expect(failures.length).toBeGreaterThanOrEqual(5);
  });

  it('limits failed sign-ins per network address across accounts', async () => {
    const c = new TestClient(server.app, '10.9.9.9');
    for (let i = 0; i < 20; i++) await c.post('/api/v1/auth/login', { email: `nobody${i}@clinic.test`, password: 'whatever it is' });
    const res = await c.post('/api/v1/auth/login', { email: 'ada@clinic.test', password: ADMIN_PASSWORD });
    expect(res.statusCode).toBe(429);
    // Another address is not affected.
    expect((await new TestClient(server.app, '10.9.9.10').post('/api/v1/auth/login', { email: 'ada@clinic.test', password: ADMIN_PASSWORD })).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes and after 12 hours in all, each with its own message', async () => {
    await newColleague('idle@clinic.test');
    const idle = await new TestClient(server.app).signIn('idle@clinic.test', password);
    await server.store.db.updateTable('staff_session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() }).execute();
    const res = await idle.get('/api/v1/auth/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('30 minutes without activity');

    const long = await new TestClient(server.app).signIn('idle@clinic.test', password);
    await server.store.db.updateTable('staff_session').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const res2 = await long.get('/api/v1/auth/session');
    expect(res2.json().detail).toContain('maximum length');
    // The later tests' `admin` takes this new session (the old one has just been ended).
    Object.assign(admin, await new TestClient(server.app).signIn('ada@clinic.test', ADMIN_PASSWORD));
  });

  it('deactivating an account ends its sessions and refuses its sign-in', async () => {
    const id = await newColleague('leaver@clinic.test', 'coordinator');
    const leaver = await new TestClient(server.app).signIn('leaver@clinic.test', password);
    expect((await admin.patch(`/api/v1/staff/${id}`, { active: false })).statusCode).toBe(200);
    expect((await leaver.get('/api/v1/patients')).statusCode).toBe(401);
    const again = await new TestClient(server.app).post('/api/v1/auth/login', { email: 'leaver@clinic.test', password });
    expect(again.statusCode).toBe(403);
    expect(again.json().detail).toContain('deactivated');
  });

  it('keeps the last administrator', async () => {
    const me = (await admin.get('/api/v1/auth/session')).json().user.id;
    const res = await admin.patch(`/api/v1/staff/${me}`, { role: 'clinician' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('role');
  });

  it('resets a password through a single-use emailed link', async () => {
    await newColleague('forgot@clinic.test');
    const anon = new TestClient(server.app, '10.2.2.2');
    const ask = await anon.post('/api/v1/auth/password-reset', { email: 'forgot@clinic.test' });
    expect(ask.statusCode).toBe(202);
    const unknown = await anon.post('/api/v1/auth/password-reset', { email: 'nobody@clinic.test' });
    expect(unknown.json()).toEqual(ask.json());
    const mail = await server.store.db.selectFrom('outbox').selectAll().where('to_address', '=', 'forgot@clinic.test').where('kind', '=', 'password-reset').executeTakeFirstOrThrow();
    const token = /#token=([\w-]+)/.exec(mail.text_body)![1]!;
    expect(mail.text_body).toContain('http://autolog.test/app/reset-password#token=');
    const weak = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().field).toBe('password');
    expect((await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'a brand new passphrase' })).statusCode).toBe(204);
    const reused = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'another new passphrase' });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().field).toBe('token');
    await new TestClient(server.app).signIn('forgot@clinic.test', 'a brand new passphrase');
  });
});

describe('cookies behind https', () => {
  it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
    const server = await createTestServer('sqlite', { publicUrl: 'https://clinic.example', secureCookies: true });
    try {
      const res = await new TestClient(server.app).post('/api/v1/setup', { clinicName: 'S', displayName: 'S', email: 's@s.test', password: ADMIN_PASSWORD });
      expect(res.cookies.find((c) => c.name === 'autolog_session')?.secure).toBe(true);
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await server.close();
    }
  });
});
