import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../store/testing/test-store.js';
import { ADMIN_PASSWORD, TestClient, createTestServer, useClinicServer } from './testing/test-server.js';

const patient = { mrn: 'MRN-001', givenName: 'Grace', familyName: 'Hopper', birthDate: '1960-12-09', sex: 'female' };

describe.each(DIALECTS)('staff API on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);

  it('refuses a second setup once an account exists', async () => {
    const res = await new TestClient(server.app).post('/api/v1/setup', { clinicName: 'X', displayName: 'Y', email: 'y@x.test', password: 'another long passphrase' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await new TestClient(server.app).get('/api/v1/setup')).json()).toEqual({ needed: false });
  });

  it('creates, reads, searches and edits a patient, auditing each step', async () => {
    const created = await admin.post('/api/v1/patients', patient);
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await admin.get(`/api/v1/patients/${id}`)).json()).toMatchObject({ mrn: 'MRN-001', familyName: 'Hopper' });
    const found = (await admin.get('/api/v1/patients?q=hop')).json();
    expect(found.total).toBe(1);
    expect(found.items[0].id).toBe(id);
    expect((await admin.get('/api/v1/patients?q=grace%20hopper')).json().total).toBe(1);
    expect((await admin.get('/api/v1/patients?q=MRN-0')).json().total).toBe(1);
    expect((await admin.get('/api/v1/patients?q=zzz')).json().total).toBe(0);
    expect((await admin.get('/api/v1/patients?birthDate=1960-12-09')).json().total).toBe(1);
    const edited = await admin.patch(`/api/v1/patients/${id}`, { phone: '+44 20 7946 0000' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().phone).toBe('+44 20 7946 0000');
    const history = (await admin.get(`/api/v1/patients/${id}/audit`)).json() as { action: string }[];
    expect(history.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'read', 'update']));
  });

  it('warns about a likely duplicate and saves only when confirmed', async () => {
    const dup = await admin.post('/api/v1/patients', { ...patient, mrn: 'MRN-002', givenName: 'GRACE ' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('likely-duplicate');
    expect(dup.json().duplicates[0].mrn).toBe('MRN-001');
    const confirmed = await admin.post('/api/v1/patients', { ...patient, mrn: 'MRN-002', confirmNotDuplicate: true });
    expect(confirmed.statusCode).toBe(201);
  });

  it('names the field of bad input and saves nothing', async () => {
    const before = (await admin.get('/api/v1/patients')).json().total;
    const bad = await admin.post('/api/v1/patients', { ...patient, mrn: 'MRN-9', birthDate: '1960-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('birthDate');
    const unknown = await admin.post('/api/v1/patients', { ...patient, mrn: 'MRN-10', favouriteColour: 'blue' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('favouriteColour');
    const missing = await admin.post('/api/v1/patients', { mrn: 'MRN-11' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['givenName', 'familyName', 'birthDate', 'sex']));
    const phone = await admin.post('/api/v1/patients', { ...patient, mrn: 'MRN-12', phone: 'call me' });
    expect(phone.json().errors).toEqual([{ field: 'phone', message: 'must contain only digits, spaces and + ( ) - .' }]);
    const taken = await admin.post('/api/v1/patients', { ...patient, givenName: 'Other', mrn: 'MRN-001' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().field).toBe('mrn');
    expect((await admin.get('/api/v1/patients')).json().total).toBe(before);
  });

  it('opens, closes and lists episodes with ICD-10 codes', async () => {
    const p = (await admin.post('/api/v1/patients', { ...patient, mrn: 'MRN-EP', givenName: 'Edith', familyName: 'Clarke' })).json();
    const ep = await admin.post(`/api/v1/patients/${p.id}/episodes`, { indication: 'lumbar-facet-joint-pain', openedOn: '2026-01-05' });
    expect(ep.statusCode).toBe(201);
    expect(ep.json().icd10Code).toBe('M47.816');
    expect((await admin.post(`/api/v1/patients/${p.id}/episodes`, { indication: 'other' })).json().field).toBe('icd10Code');
    const closed = await admin.patch(`/api/v1/episodes/${ep.json().id}`, { status: 'closed', closedOn: '2026-03-01' });
    expect(closed.json()).toMatchObject({ status: 'closed', closedOn: '2026-03-01' });
    const early = await admin.patch(`/api/v1/episodes/${ep.json().id}`, { closedOn: '2025-12-31' });
    expect(early.statusCode).toBe(400);
    expect(early.json().field).toBe('closedOn');
    const list = (await admin.get(`/api/v1/patients/${p.id}/episodes`)).json();
    expect(list).toHaveLength(1);
  });

  it('takes "today" in the clinic’s time zone', async () => {
    const { todayIso } = await import('../services/clock.js');
    const east = await createTestServer(dialect);
    try {
      const c = new TestClient(east.app);
      await c.post('/api/v1/setup', { clinicName: 'Line Islands', timeZone: 'Pacific/Kiritimati', displayName: 'K', email: 'k@k.test', password: ADMIN_PASSWORD });
      expect((await c.get('/api/v1/auth/session')).json().clinic.timeZone).toBe('Pacific/Kiritimati');
      const p = (await c.post('/api/v1/patients', patient)).json();
      // UTC+14: for ten hours a day this date is "tomorrow" in UTC.
      const res = await c.post(`/api/v1/patients/${p.id}/episodes`, { indication: 'sacroiliac-joint-pain', openedOn: todayIso('Pacific/Kiritimati') });
      expect(res.statusCode).toBe(201);
    } finally {
      await east.close();
    }
  });

  it('refuses writes without the CSRF token', async () => {
    const res = await admin.request('POST', '/api/v1/patients', { ...patient, mrn: 'MRN-CSRF' }, { 'x-csrf-token': 'wrong' });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toContain('x-csrf-token');
  });

  it('refuses anonymous requests with 401 and a forbidden role with 403', async () => {
    expect((await new TestClient(server.app).get('/api/v1/patients')).statusCode).toBe(401);
    await admin.post('/api/v1/staff', { email: 'lab@clinic.test', displayName: 'Lab Tech', role: 'lab', password: 'centrifuge at 1500 g' });
    const lab = await new TestClient(server.app).signIn('lab@clinic.test', 'centrifuge at 1500 g');
    expect((await lab.get('/api/v1/patients')).statusCode).toBe(200);
    const denied = await lab.post('/api/v1/patients', { ...patient, mrn: 'MRN-LAB' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toContain('patient:write');
    expect((await lab.get('/api/v1/audit')).statusCode).toBe(403);
  });

  it('rejects a common or short password when adding staff', async () => {
    const common = await admin.post('/api/v1/staff', { email: 'c@clinic.test', displayName: 'C', role: 'clinician', password: '123qweasdzxc' });
    expect(common.statusCode).toBe(400);
    expect(common.json()).toMatchObject({ field: 'password' });
    const short = await admin.post('/api/v1/staff', { email: 'c@clinic.test', displayName: 'C', role: 'clinician', password: 'short' });
    expect(short.json().detail).toContain('12');
  });

  it('logs out and the old cookie stops working', async () => {
    const c = await new TestClient(server.app).signIn('ada@clinic.test', ADMIN_PASSWORD);
    const cookie = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    c.cookie = cookie;
    expect((await c.get('/api/v1/auth/session')).statusCode).toBe(401);
  });
});
