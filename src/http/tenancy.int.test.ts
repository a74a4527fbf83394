import { beforeAll, describe, expect, it } from 'vitest';
import { insertStaff } from '../services/auth.js';
import { can, type Permission } from '../services/permissions.js';
import { hashPassword } from '../services/secrets.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { ADMIN_PASSWORD, TestClient, setUpClinic, useTestServer } from './testing/test-server.js';
import { seedEducation } from './testing/education.js';
import { CLINICIAN_PASSWORD, LAB_PASSWORD, SVG_SIGNATURE, assessmentBody, seedPathwayIds } from './testing/pathway.js';

/**
 * Clinic B's administrator asks for every route that takes an id, with clinic A's ids: each must
 * answer 404, exactly as for an id that does not exist, so nothing leaks about other clinics.
 */
const PROTOCOL = { name: 'Double spin', spins: [{ rcf: 100, minutes: 15 }, { rcf: 1600, minutes: 20 }], rotor: { radiusCm: 10, type: 'swing-out' } };

describe.each(DIALECTS)('tenancy on %s', (dialect) => {
  const server = useTestServer(dialect);
  let ids: Record<string, string>;
  let intruder: TestClient;
  // Clinical steps are the clinician's or the lab's alone: clinic B's own clinician and lab try those.
  let intruders: Record<'clinician' | 'lab', TestClient>;

  beforeAll(async () => {
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
    // Pathway capability: a lead, assessment, decision, consent text and consent, specimen, procedure, adverse event.
    Object.assign(ids, await seedPathwayIds(a));
    // A second clinic on the same server (setup only creates the first one).
    const clinicB = 'b0000000-0000-7000-8000-000000000001';
    await server.store.db.insertInto('clinic').values({ id: clinicB, name: 'Clinic B', time_zone: 'UTC', created_at: new Date().toISOString() }).execute();
    await server.store.db.transaction().execute(async (trx) => insertStaff(trx, { clinicId: clinicB, email: 'b@b.test', displayName: 'Bob', role: 'admin', passwordHash: await hashPassword(ADMIN_PASSWORD) }));
    intruder = await new TestClient(server.app).signIn('b@b.test', ADMIN_PASSWORD);
    for (const [role, password] of [['clinician', CLINICIAN_PASSWORD], ['lab', LAB_PASSWORD]] as const) {
      await server.store.db.transaction().execute(async (trx) => insertStaff(trx, { clinicId: clinicB, email: `${role}@b.test`, displayName: role, role, passwordHash: await hashPassword(password) }));
    }
    intruders = { clinician: await new TestClient(server.app).signIn('clinician@b.test', CLINICIAN_PASSWORD), lab: await new TestClient(server.app).signIn('lab@b.test', LAB_PASSWORD) };
  });

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
    'POST /api/v1/episodes/:id/assessments': assessmentBody(),
    'POST /api/v1/episodes/:id/decisions': { assessmentId: 'b0000000-0000-7000-8000-0000000000a1', outcome: 'eligible', rationale: 'x', password: CLINICIAN_PASSWORD },
    'PATCH /api/v1/leads/:id': { note: 'x' },
    'POST /api/v1/episodes/:id/consents': { templateId: 'b0000000-0000-7000-8000-0000000000a2', signedName: 'Ann Able', signature: SVG_SIGNATURE },
    'POST /api/v1/consents/:id/withdraw': { reason: 'asked' },
    'POST /api/v1/specimens/:id/events': { type: 'centrifuged' },
    'POST /api/v1/episodes/:id/bedside-verifications': { specimenCode: 'X', mrn: 'A-1', birthDate: '1970-01-01' },
    'POST /api/v1/episodes/:id/procedures': { specimenId: 'b0000000-0000-7000-8000-0000000000a3', imageGuidance: 'none', targets: [{ structure: 'paraspinal-muscle', volumeMl: 1 }] },
    'POST /api/v1/episodes/:id/adverse-events': { onsetOn: '2026-01-01', category: 'other', severity: 'mild', relatedness: 'unlikely', outcome: 'unknown', description: 'x' },
    'PATCH /api/v1/adverse-events/:id': { outcome: 'recovered' },
    'POST /api/v1/adverse-events/:id/review': { note: 'x' },
    'POST /api/v1/bedside-verifications/:id/acknowledge': { note: 'Product set aside.' },
  };
  const clientFor = (access: string | undefined): TestClient => {
    if (!access || access === 'signed-in' || access === 'public' || can('admin', access as Permission)) return intruder;
    return can('clinician', access as Permission) ? intruders.clinician : intruders.lab;
  };

  it('answers 404 to clinic B for every route that takes clinic A’s id', async () => {
    const routes = server.app.declaredRoutes().filter((r) => r.url.includes(':id') && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes) {
      const resource = route.url.split('/')[3]!;
      const id = ids[resource];
      expect(id, `no clinic-A id for ${route.url}: extend this test`).toBeDefined();
      const key = `${route.method} ${route.url}`;
      const res = await clientFor(route.access).request(route.method as 'GET', route.url.replace(':id', id!), bodies[key] ?? (route.method === 'GET' ? undefined : {}));
      expect(res.statusCode, `${key} → ${res.body}`).toBe(404);
    }
  });

  it('clinic B’s search and audit trail show nothing of clinic A', async () => {
    expect((await intruder.get('/api/v1/patients?q=able')).json().total).toBe(0);
    const events = (await intruder.get('/api/v1/audit')).json() as { entityId: string | null }[];
    expect(events.some((e) => Object.values(ids).includes(e.entityId ?? ''))).toBe(false);
  });
});
