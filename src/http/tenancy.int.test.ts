import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertStaff } from '../services/auth.js';
import { hashPassword } from '../services/secrets.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { ADMIN_PASSWORD, TestClient, createTestServer, setUpClinic, type TestServer } from './testing/test-server.js';
import { seedEducation } from './testing/education.js';

/**
 * Clinic B's administrator asks for every route that takes an id, with clinic A's ids: each must
 * answer 404, exactly as for an id that does not exist, so nothing leaks about other clinics.
 */
const PROTOCOL = { name: 'Double spin', spins: [{ rcf: 100, minutes: 15 }, { rcf: 1600, minutes: 20 }], rotor: { radiusCm: 10, type: 'swing-out' } };

describe.each(DIALECTS)('tenancy on %s', (dialect) => {
  let server: TestServer;
  let ids: Record<string, string>;
  let intruder: TestClient;

  beforeAll(async () => {
    server = await createTestServer(dialect);
    const a = await setUpClinic(server.app, { clinicName: 'Clinic A', email: 'a@a.test' });
    const patient = (await a.post('/api/v1/patients', { mrn: 'A-1', givenName: 'Ann', familyName: 'Able', birthDate: '1970-01-01', sex: 'female' })).json();
    const episode = (await a.post(`/api/v1/patients/${patient.id}/episodes`, { indication: 'sacroiliac-joint-pain' })).json();
    const staff = (await a.post('/api/v1/staff', { email: 'c@a.test', displayName: 'Cara', role: 'clinician', password: 'clinic a clinician pass' })).json();
    ids = { patients: patient.id, episodes: episode.id, staff: staff.id, ...(await seedEducation(server.app, server.store, a)) };
    // Preparation capability: a protocol and a preparation of clinic A.
    const protocol = (await a.post('/api/v1/protocols', PROTOCOL)).json();
    const preparation = (await a.post(`/api/v1/episodes/${episode.id}/preparations`, { protocolId: protocol.id, draw: { drawnAt: new Date().toISOString() } })).json();
    Object.assign(ids, { protocols: protocol.id, preparations: preparation.id });
    // Outcomes capability: planning the procedure attaches the follow-up schedule's time points.
    const followUp = (await a.request('PUT', `/api/v1/episodes/${episode.id}/procedure-date`, { plannedProcedureOn: '2027-01-15' })).json();
    Object.assign(ids, { 'time-points': followUp.timePoints[0].id });
    // A second clinic on the same server (setup only creates the first one).
    const clinicB = 'b0000000-0000-7000-8000-000000000001';
    await server.store.db.insertInto('clinic').values({ id: clinicB, name: 'Clinic B', time_zone: 'UTC', created_at: new Date().toISOString() }).execute();
    await server.store.db.transaction().execute(async (trx) => insertStaff(trx, { clinicId: clinicB, email: 'b@b.test', displayName: 'Bob', role: 'admin', passwordHash: await hashPassword(ADMIN_PASSWORD) }));
    intruder = await new TestClient(server.app).signIn('b@b.test', ADMIN_PASSWORD);
  });
  afterAll(async () => server?.close());

  const bodies: Record<string, unknown> = {
    'POST /api/v1/patients/:id/episodes': { indication: 'other', icd10Code: 'M54.5' },
    'PATCH /api/v1/patients/:id': { notes: 'x' },
    'PATCH /api/v1/episodes/:id': { notes: 'x' },
    'PATCH /api/v1/staff/:id': { displayName: 'x' },
    'PUT /api/v1/episodes/:id/procedure-date': { plannedProcedureOn: '2027-02-01' },
    'POST /api/v1/episodes/:id/treatment-failures': { kind: 'surgery', occurredOn: '2026-01-01' },
    'POST /api/v1/time-points/:id/responses': { instrumentCode: 'nrs-back', mode: 'phone', answers: { intensity: 3 } },
    'POST /api/v1/time-points/:id/calls': { outcome: 'reached' },
    'POST /api/v1/protocols/:id/versions': PROTOCOL,
    'POST /api/v1/episodes/:id/preparations': { draw: { drawnAt: '2025-01-05T09:00:00Z' } },
    'PATCH /api/v1/preparations/:id': { notes: 'x' },
    'PATCH /api/v1/comments/:id': { status: 'approved' },
    'POST /api/v1/comments/:id/replies': { bodyMarkdown: 'x' },
  };

  it('answers 404 to clinic B for every route that takes clinic A’s id', async () => {
    const routes = server.app.declaredRoutes().filter((r) => r.url.includes(':id') && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes) {
      const resource = route.url.split('/')[3]!;
      const id = ids[resource];
      expect(id, `no clinic-A id for ${route.url}: extend this test`).toBeDefined();
      const key = `${route.method} ${route.url}`;
      const res = await intruder.request(route.method as 'GET', route.url.replace(':id', id!), bodies[key] ?? (route.method === 'GET' ? undefined : {}));
      expect(res.statusCode, `${key} → ${res.body}`).toBe(404);
    }
  });

  it('clinic B’s search and audit trail show nothing of clinic A', async () => {
    expect((await intruder.get('/api/v1/patients?q=able')).json().total).toBe(0);
    const events = (await intruder.get('/api/v1/audit')).json() as { entityId: string | null }[];
    expect(events.some((e) => Object.values(ids).includes(e.entityId ?? ''))).toBe(false);
  });
});
