import type { KyselyPlugin } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCIENCE_VERSION } from '../science/index.js';
import { createServer } from '../server.js';
import type { Actor, Services } from '../services/context.js';
import { listPreparations } from '../services/preparations.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { TestClient, addStaff, useClinicServer } from './testing/test-server.js';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const protocolSpec = {
  name: 'Lumbar double spin',
  description: 'Soft then hard spin in 15 mL conical tubes.',
  spins: [{ rcf: 100, minutes: 15, temperatureC: 22 }, { rcf: 1600, minutes: 20, temperatureC: 22 }],
  rotor: { radiusCm: 10, type: 'swing-out' },
  centrifuge: 'Bench centrifuge, asset 17',
  tubes: { description: '15 mL conical, ACD-A prefilled', count: 3, volumeMl: 10 },
  anticoagulant: { agent: 'ACD-A', parts: 1, bloodParts: 9 },
  drawVolumeMl: 27,
  targetVolumeMl: 4,
};

/** A full manual double-spin preparation; counts pasted as analyser lines. */
function fullPreparation(protocolId: string) {
  return {
    protocolId,
    protocolVersion: 1,
    draw: { drawnAt: hoursAgo(2), tubeLot: 'T-2291', kitLot: 'K-88' },
    wholeBlood: { volumeMl: 27, sampleAnticoagulant: 'edta', analyserLine: 'PLT 200 WBC 6.0 NEUT# 3.6 RBC 4.6 HCT 42' },
    prp: { volumeMl: 4, analyserLine: 'PLT: 1280 10^3/uL; WBC 1.2; NEUT# 0.2; RBC 0.02 10^12/L; HCT 0.2 %' },
    activation: { agent: 'none' },
    injectedVolumeMl: 3,
    injectedAt: hoursAgo(0.5),
    localAnaesthetic: { agent: 'lidocaine 1 %', mixedWithPrp: false },
    form: 'liquid',
    imageGuided: true,
    imagingModality: 'fluoroscopy',
    site: 'L4-L5 disc',
    injections: { count: 1 },
    preparedAt: hoursAgo(1),
  };
}

describe.each(DIALECTS)('preparations on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let lab: TestClient;
  let clinician: TestClient;
  let coordinator: TestClient;
  let patientId: string;
  let episodeId: string;
  let protocolId: string;

  beforeAll(async () => {
    const person = async (email: string, role: string) => (await addStaff(admin, { email, displayName: `${role} person`, role, password: `a long ${role} passphrase` })).client;
    lab = await person('lab@clinic.test', 'lab');
    clinician = await person('doc@clinic.test', 'clinician');
    coordinator = await person('coord@clinic.test', 'coordinator');
    patientId = (await admin.post('/api/v1/patients', { mrn: 'PRP-1', givenName: 'Ines', familyName: 'Ferreira', birthDate: '1971-04-02', sex: 'female' })).json().id;
    episodeId = (await admin.post(`/api/v1/patients/${patientId}/episodes`, { indication: 'degenerative-disc-disease' })).json().id;
  });

  it('versions a protocol and gives rpm beside × g for the clinic’s rotor', async () => {
    const created = await lab.post('/api/v1/protocols', protocolSpec);
    expect(created.statusCode, created.body).toBe(201);
    protocolId = created.json().id;
    expect(created.json()).toMatchObject({ currentVersion: 1, version: { version: 1, rotor: { radiusCm: 10, type: 'swing-out' } } });
    // rpm = √(RCF / (1.118e-5 × r)) (Dhurat 2014): 100 g → 946 rpm, 1,600 g → 3,783 rpm at 10 cm.
    expect(created.json().version.spins.map((s: { rpm: number }) => s.rpm)).toEqual([946, 3783]);

    const v2 = await lab.post(`/api/v1/protocols/${protocolId}/versions`, { ...protocolSpec, spins: [{ rcf: 100, minutes: 15 }, { rcf: 1500, minutes: 15 }] });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json().currentVersion).toBe(2);
    expect(v2.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = (await clinician.get(`/api/v1/protocols/${protocolId}?version=1`)).json();
    expect(v1.version.spins.map((s: { rcf: number }) => s.rcf)).toEqual([100, 1600]);
    expect((await clinician.get('/api/v1/protocols')).json().map((p: { version: number }) => p.version)).toEqual([2]);
    expect((await clinician.get(`/api/v1/protocols/${protocolId}?version=9`)).statusCode).toBe(404);
  });

  it('refuses a bad or duplicate protocol, and protocol edits by clinicians', async () => {
    const taken = await admin.post('/api/v1/protocols', protocolSpec);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().field).toBe('name');
    const bad = await lab.post('/api/v1/protocols', { ...protocolSpec, name: 'Other', rotor: { radiusCm: 0, type: 'swing-out' }, systemId: 'no-such-kit' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('rotor.radiusCm');
    // The schema and the science library share one temperature range, so 55 °C is refused up front.
    const hot = await lab.post('/api/v1/protocols', { ...protocolSpec, name: 'Other', spins: [{ rcf: 100, minutes: 10, temperatureC: 55 }] });
    expect(hot.json().errors).toEqual([{ field: 'spins[0].temperatureC', message: 'must be at most 40' }]);
    const semantic = await lab.post('/api/v1/protocols', { ...protocolSpec, name: 'Other', systemId: 'no-such-kit' });
    expect(semantic.statusCode).toBe(400);
    expect(semantic.json().errors.map((e: { field: string }) => e.field)).toEqual(['systemId']);
    expect((await clinician.post('/api/v1/protocols', { ...protocolSpec, name: 'Mine' })).statusCode).toBe(403);
    expect((await clinician.post(`/api/v1/protocols/${protocolId}/versions`, protocolSpec)).statusCode).toBe(403);
  });

  it('lists the catalogue of systems with a source for every value', async () => {
    const catalogue = (await clinician.get('/api/v1/prp-systems')).json();
    const acp = catalogue.systems.find((s: { id: string }) => s.id === 'arthrex-acp');
    expect(acp.bloodInMl).toMatchObject({ value: { min: 13.5, max: 13.5 }, source: 'dejnek-2022', verified: true });
    expect(catalogue.sources['dejnek-2022'].citation).toContain('World J Orthop');
    expect(catalogue.systems.some((s: { kind: string }) => s.kind === 'manual-protocol')).toBe(true);
  });

  let preparationId: string;

  it('records a full double-spin preparation and reads it back with metrics, classifications and the science version', async () => {
    const res = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, fullPreparation(protocolId));
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    preparationId = p.id;
    // Pre-filled from protocol version 1: spins, ACD-A 1:9 of 27 mL, manual method.
    expect(p.protocol).toMatchObject({ id: protocolId, version: 1, name: 'Lumbar double spin' });
    expect(p.spins).toEqual([{ rcf: 100, minutes: 15, temperatureC: 22, rpm: 946 }, { rcf: 1600, minutes: 20, temperatureC: 22, rpm: 3783 }]);
    expect(p.anticoagulant).toEqual({ agent: 'ACD-A', volumeMl: 3 });
    expect(p.method).toBe('manual');
    // Counts read from the pasted lines, units converted.
    expect(p.wholeBlood).toMatchObject({ plateletsKPerUl: 200, wbcKPerUl: 6, neutrophilsKPerUl: 3.6, rbcMPerUl: 4.6, hematocritPct: 42 });
    expect(p.prp).toMatchObject({ plateletsKPerUl: 1280, wbcKPerUl: 1.2, rbcMPerUl: 0.02, hematocritPct: 0.2 });
    expect(p.preparedBy.displayName).toBe('lab person');

    const read = (await clinician.get(`/api/v1/preparations/${preparationId}`)).json();
    const c = read.computed;
    expect(c.scienceVersion).toBe(SCIENCE_VERSION);
    expect(c.upToDate).toBe(true);
    expect(c.metrics.concentrationFactor).toBeCloseTo(6.4, 10);
    expect(c.metrics.plateletDoseBillion).toBeCloseTo(3.84, 10);
    expect(c.metrics.recoveryPercent).toBeCloseTo(94.81, 2);
    expect(c.classifications.paw.code).toBe('P4-Bβ');
    expect(c.classifications.depa.code).toBe('B-A-A-none');
    expect(c.classifications.mishra.code).toBe('3A');
    expect(c.classifications.dohanEhrenfest.family).toBe('P-PRP');
    expect(c.classifications.marspill.code).toBe('H/A-/R-/Sp2/PL6-8/G+/Lc-/Lg-');
    expect(c.classifications.plra.code).toBe('P1280k·3mL L-(N17%) R- A-');
    expect(c.completeness.missing).toEqual(expect.arrayContaining(['concomitant-medication', 'rehabilitation', 'outcome-measures']));
    expect(c.completeness.present).toEqual(expect.arrayContaining(['system-or-protocol', 'spin-force-time', 'local-anaesthetic']));
    expect(c.productAgeHours).toBeCloseTo(1.5, 2);
    expect(c.warnings).toEqual([]);

    const row = await server.store.db.selectFrom('preparation').select(['science_version', 'concentration_factor', 'wb_platelets_k_per_ul', 'clinic_id']).where('id', '=', preparationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ science_version: SCIENCE_VERSION, wb_platelets_k_per_ul: 200 });
    expect(row.concentration_factor).toBeCloseTo(6.4, 10);

    expect((await coordinator.get(`/api/v1/episodes/${episodeId}/preparations`)).json().map((x: { id: string }) => x.id)).toEqual([preparationId]);
    const history = (await admin.get(`/api/v1/patients/${patientId}/audit`)).json() as { action: string; entityType: string; entityId: string | null }[];
    const mine = history.filter((e) => e.entityType === 'preparation');
    expect(mine.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'read']));
    expect(mine.filter((e) => e.action === 'read').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the record across a restart of the server', async () => {
    const restarted = await createServer({ services: server.services, webDir: undefined });
    await restarted.ready();
    try {
      const again = new TestClient(restarted);
      await again.signIn('doc@clinic.test', 'a long clinician passphrase');
      const p = (await again.get(`/api/v1/preparations/${preparationId}`)).json();
      expect(p.computed.classifications.paw.code).toBe('P4-Bβ');
      expect(p.draw.tubeLot).toBe('T-2291');
    } finally {
      await restarted.close();
    }
  });

  it('rejects a count typed in the wrong unit with the field and the conversion, and saves nothing', async () => {
    const count = async () => (await server.store.db.selectFrom('preparation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = Number(await count());
    const body = { draw: { drawnAt: hoursAgo(1) }, wholeBlood: { volumeMl: 27, plateletsKPerUl: 245000 }, prp: { volumeMl: 40, plateletsKPerUl: 1100 } };
    const res = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().field).toBe('wholeBlood.plateletsKPerUl');
    expect(res.json().detail).toContain('did you mean 245 × 10³/µL');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['wholeBlood.plateletsKPerUl', 'prp.volumeMl']);

    const conflict = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: hoursAgo(1) }, wholeBlood: { plateletsKPerUl: 250, analyserLine: 'PLT 245 WBC 6.1' } });
    expect(conflict.statusCode).toBe(400);
    expect(conflict.json().field).toBe('wholeBlood.plateletsKPerUl');
    const unreadable = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: hoursAgo(1) }, prp: { analyserLine: 'HGB 13 MCV 88' } });
    expect(unreadable.json().field).toBe('prp.analyserLine');
    const future = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(future.json().field).toBe('draw.drawnAt');
    const unknownProtocol = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: hoursAgo(1) }, protocolId: '01890000-0000-7000-8000-000000000000' });
    expect(unknownProtocol.json().field).toBe('protocolId');
    const typo = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: hoursAgo(1) }, prp: { platelets: 1000 } });
    expect(typo.json().field).toBe('prp.platelets');
    expect(Number(await count())).toBe(before);
  });

  it('names a protocol version that does not exist and every staff id that is not the clinic’s', async () => {
    const noVersion = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: hoursAgo(1) }, protocolId, protocolVersion: 9 });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().field).toBe('protocolVersion');
    const stranger = '01890000-0000-7000-8000-000000000001';
    const res = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, { draw: { drawnAt: hoursAgo(1), drawnById: stranger }, preparedById: stranger });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['draw.drawnById', 'preparedById']);
  });

  it('warns about bupivacaine in the PRP, a product older than the limit, and a concentration factor below 1', async () => {
    const res = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, {
      draw: { drawnAt: hoursAgo(6) },
      wholeBlood: { volumeMl: 20, plateletsKPerUl: 240 },
      prp: { volumeMl: 5, plateletsKPerUl: 200 },
      injectedAt: hoursAgo(1),
      localAnaesthetic: { agent: 'bupivacaine 0.5 %', mixedWithPrp: true, volumeMl: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const warnings = res.json().computed.warnings as { code: string; field: string }[];
    expect(warnings.map((w) => `${w.code}@${w.field}`)).toEqual(expect.arrayContaining([
      'concentration-factor-below-1@prp.plateletsKPerUl', 'anaesthetic-bupivacaine@localAnaesthetic.agent', 'product-age@injectedAt',
    ]));
    expect(res.json().computed.productAgeLimitHours).toBe(4);
    expect(res.json().computed.classifications.paw.platelets).toBe('P1');
  });

  it('recomputes and audits on edit (field names only), and clears a field with null', async () => {
    // The stored analyser line gave the PRP platelets, so a typed correction clears it.
    const res = await lab.patch(`/api/v1/preparations/${preparationId}`, { prp: { plateletsKPerUl: 700, analyserLine: null }, concomitantMedication: 'none', rehabilitation: 'walking programme' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().prp).toMatchObject({ plateletsKPerUl: 700, wbcKPerUl: 1.2, analyserLine: null });
    expect(res.json().computed.classifications.paw.code).toBe('P2-Bβ');
    expect(res.json().computed.completeness.present).toEqual(expect.arrayContaining(['concomitant-medication', 'rehabilitation']));
    const cleared = (await lab.patch(`/api/v1/preparations/${preparationId}`, { rehabilitation: null })).json();
    expect(cleared.rehabilitation).toBeNull();
    const events = (await admin.get(`/api/v1/audit?entityType=preparation&action=update`)).json() as { entityId: string; detail: { fields: string[] } }[];
    const first = events.find((e) => e.entityId === preparationId && e.detail.fields.includes('prp.plateletsKPerUl'))!;
    expect(first.detail.fields).toEqual(['prp.plateletsKPerUl', 'prp.analyserLine', 'concomitantMedication', 'rehabilitation']);
    expect(JSON.stringify(first.detail)).not.toContain('700');
    const bad = await lab.patch(`/api/v1/preparations/${preparationId}`, { injectedVolumeMl: 9 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('injectedVolumeMl');
  });

  it('never recomputes silently: a record stamped by another version keeps its values until an audited recompute', async () => {
    const stored = await server.store.db.selectFrom('preparation').select(['computed']).where('id', '=', preparationId).executeTakeFirstOrThrow();
    const old = typeof stored.computed === 'string' ? JSON.parse(stored.computed) : stored.computed;
    old.metrics.concentrationFactor = 1.23;
    await server.store.db.updateTable('preparation').set({ science_version: '0.0.1', computed: JSON.stringify(old) }).where('id', '=', preparationId).execute();

    const read = (await clinician.get(`/api/v1/preparations/${preparationId}`)).json();
    expect(read.computed).toMatchObject({ scienceVersion: '0.0.1', upToDate: false, currentScienceVersion: SCIENCE_VERSION });
    expect(read.computed.metrics.concentrationFactor).toBe(1.23);

    expect((await clinician.post(`/api/v1/preparations/${preparationId}/recompute`)).statusCode).toBe(403);
    // Sent the way a plain client sends an action: no body, no content type.
    const recomputed = await lab.request('POST', `/api/v1/preparations/${preparationId}/recompute`);
    expect(recomputed.statusCode, recomputed.body).toBe(200);
    expect(recomputed.json().computed).toMatchObject({ scienceVersion: SCIENCE_VERSION, upToDate: true });
    expect(recomputed.json().computed.metrics.concentrationFactor).toBeCloseTo(3.5, 10);
    const events = (await admin.get(`/api/v1/audit?entityType=preparation&action=recompute`)).json() as { entityId: string; patientId: string; detail: Record<string, unknown> }[];
    expect(events[0]).toMatchObject({ entityId: preparationId, patientId, detail: { fromScienceVersion: '0.0.1', toScienceVersion: SCIENCE_VERSION } });
    expect(events[0]!.detail.changed).toEqual(['metrics.concentrationFactor']);
  });

  it('lets the lab and admin write, and clinicians and coordinators only read', async () => {
    const body = { draw: { drawnAt: hoursAgo(1) } };
    expect((await clinician.post(`/api/v1/episodes/${episodeId}/preparations`, body)).statusCode).toBe(403);
    expect((await coordinator.post(`/api/v1/episodes/${episodeId}/preparations`, body)).statusCode).toBe(403);
    expect((await clinician.patch(`/api/v1/preparations/${preparationId}`, { notes: 'x' })).statusCode).toBe(403);
    expect((await clinician.post('/api/v1/analyser-line', { line: 'PLT 245' })).statusCode).toBe(403);
    expect((await admin.post(`/api/v1/episodes/${episodeId}/preparations`, body)).statusCode).toBe(201);
    expect((await coordinator.get(`/api/v1/preparations/${preparationId}`)).statusCode).toBe(200);
  });

  it('prints a one-page report as HTML with identifiers, counts, classifications and completeness', async () => {
    const res = await clinician.get(`/api/v1/preparations/${preparationId}/report`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/^<!doctype html>/);
    for (const text of ['FERREIRA', 'PRP-1', '2 Apr 1971', 'Lumbar double spin, version 1', 'P2-Bβ', 'DEPA', 'Dohan Ehrenfest', 'Reporting completeness', 'For autologous use only', `autolog/science ${SCIENCE_VERSION}`]) {
      expect(res.body, text).toContain(text);
    }
    expect(res.body).not.toContain('<script');
    const events = (await admin.get(`/api/v1/patients/${patientId}/audit`)).json() as { action: string; entityType: string; detail: { report?: boolean } | null }[];
    expect(events.some((e) => e.entityType === 'preparation' && e.action === 'read' && e.detail?.report === true)).toBe(true);
  });

  it('reads an analyser line through the API, naming the field when it cannot', async () => {
    const ok = await lab.post('/api/v1/analyser-line', { line: 'PLT: 245 10^3/uL WBC 6,1 HGB 13.2', sample: 'wholeBlood' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().counts).toEqual({ plateletsKPerUl: 245, wbcKPerUl: 6.1 });
    expect(ok.json().ignored).toEqual([{ label: 'HGB', reason: 'not part of a preparation record' }]);
    const wrongUnit = (await lab.post('/api/v1/analyser-line', { line: 'PLT 245000', sample: 'wholeBlood' })).json();
    expect(wrongUnit.warnings[0].message).toContain('did you mean 245');
    const bad = await lab.post('/api/v1/analyser-line', { line: 'nothing useful here' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('line');
  });

  it('changes a count the stored analyser line gave only with a new line or with the line cleared', async () => {
    const created = await lab.post(`/api/v1/episodes/${episodeId}/preparations`, {
      draw: { drawnAt: hoursAgo(2) },
      wholeBlood: { volumeMl: 27, analyserLine: 'PLT 200 WBC 6.0', hematocritPct: 41 },
      prp: { volumeMl: 4, analyserLine: 'PLT 1000 WBC 0.5' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const url = `/api/v1/preparations/${id}`;
    const updates = async () => ((await admin.get('/api/v1/audit?entityType=preparation&action=update')).json() as { entityId: string; detail: { fields: string[] } }[])
      .filter((e) => e.entityId === id);

    // A count changed or cleared behind the line's back: refused, every such count named, nothing saved.
    const stale = await lab.patch(url, { wholeBlood: { plateletsKPerUl: 250 }, prp: { wbcKPerUl: 0.4 }, notes: 'recount' });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().errors.map((e: { field: string }) => e.field)).toEqual(['wholeBlood.plateletsKPerUl', 'prp.wbcKPerUl']);
    expect(stale.json().errors[0].message).toContain('"wholeBlood.analyserLine": null');
    const cleared = await lab.patch(url, { wholeBlood: { plateletsKPerUl: null } });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json().field).toBe('wholeBlood.plateletsKPerUl');
    const unchanged = (await lab.get(url)).json();
    expect(unchanged.wholeBlood).toMatchObject({ plateletsKPerUl: 200, analyserLine: 'PLT 200 WBC 6.0' });
    expect(unchanged.prp.wbcKPerUl).toBe(0.5);
    expect(unchanged.notes).toBeNull();
    expect(unchanged.updatedAt).toBe(created.json().updatedAt);
    expect(await updates()).toEqual([]);

    // A count the line does not give was typed, and changes alone.
    const typed = await lab.patch(url, { wholeBlood: { hematocritPct: 40 } });
    expect(typed.statusCode, typed.body).toBe(200);
    expect(typed.json().wholeBlood).toMatchObject({ hematocritPct: 40, analyserLine: 'PLT 200 WBC 6.0' });

    // A new line gives the new counts; a typed count beside it must agree with it.
    const disagree = await lab.patch(url, { wholeBlood: { analyserLine: 'PLT 260 WBC 6.0', plateletsKPerUl: 270 } });
    expect(disagree.statusCode).toBe(400);
    expect(disagree.json().field).toBe('wholeBlood.plateletsKPerUl');
    const newLine = await lab.patch(url, { wholeBlood: { analyserLine: 'PLT 260 WBC 6.0' } });
    expect(newLine.statusCode, newLine.body).toBe(200);
    expect(newLine.json().wholeBlood).toMatchObject({ plateletsKPerUl: 260, wbcKPerUl: 6, analyserLine: 'PLT 260 WBC 6.0' });

    // Clearing the line records the count as typed; the other counts the line gave stay.
    const byHand = await lab.patch(url, { prp: { analyserLine: null, plateletsKPerUl: 900 } });
    expect(byHand.statusCode, byHand.body).toBe(200);
    expect(byHand.json().prp).toMatchObject({ plateletsKPerUl: 900, wbcKPerUl: 0.5, analyserLine: null });
    expect(byHand.json().computed.metrics.concentrationFactor).toBeCloseTo(900 / 260, 10);
    const afterwards = await lab.patch(url, { prp: { wbcKPerUl: 0.4 } });
    expect(afterwards.statusCode, afterwards.body).toBe(200);

    const events = await updates();
    expect(events.map((e) => e.detail.fields).reverse()).toEqual([
      ['wholeBlood.hematocritPct'],
      ['wholeBlood.plateletsKPerUl', 'wholeBlood.analyserLine'],
      ['prp.plateletsKPerUl', 'prp.analyserLine'],
      ['prp.wbcKPerUl'],
    ]);
    expect(JSON.stringify(events)).not.toContain('PLT');

    // A record saved before the rule, whose line already disagrees, still takes unrelated edits.
    await server.store.db.updateTable('preparation').set({ wb_platelets_k_per_ul: 255 }).where('id', '=', id).execute();
    const unrelated = await lab.patch(url, { notes: 'recount pending' });
    expect(unrelated.statusCode, unrelated.body).toBe(200);
    const wrongFix = await lab.patch(url, { wholeBlood: { plateletsKPerUl: 258 } });
    expect(wrongFix.json().field).toBe('wholeBlood.plateletsKPerUl');
    expect(wrongFix.json().detail).toContain('must stay 260');
    // Bringing the count back to what the kept line says is what the lab screen sends; it is taken.
    const fixed = await lab.patch(url, { wholeBlood: { plateletsKPerUl: 260 } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().wholeBlood).toMatchObject({ plateletsKPerUl: 260, analyserLine: 'PLT 260 WBC 6.0' });
  });

  it('lists an episode’s preparations exactly as each reads alone, with the same number of queries for one or many', async () => {
    const staffId = async (email: string) => (await server.store.db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const clinicianId = await staffId('doc@clinic.test');
    const one = (await admin.post(`/api/v1/patients/${patientId}/episodes`, { indication: 'degenerative-disc-disease' })).json().id as string;
    const many = (await admin.post(`/api/v1/patients/${patientId}/episodes`, { indication: 'degenerative-disc-disease' })).json().id as string;
    const bodies = [
      fullPreparation(protocolId),
      { ...fullPreparation(protocolId), protocolVersion: 2, draw: { drawnAt: hoursAgo(3), drawnById: clinicianId } },
      { draw: { drawnAt: hoursAgo(4) }, wholeBlood: { volumeMl: 20, plateletsKPerUl: 240 }, prp: { volumeMl: 5, plateletsKPerUl: 900 } },
      { draw: { drawnAt: hoursAgo(2.5), drawnById: clinicianId }, systemId: 'arthrex-acp', notes: 'second kit' },
      { ...fullPreparation(protocolId), draw: { drawnAt: hoursAgo(1.5) } },
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await (i % 2 === 0 ? lab : admin).post(`/api/v1/episodes/${many}/preparations`, body);
      expect(res.statusCode, res.body).toBe(201);
    }
    expect((await lab.post(`/api/v1/episodes/${one}/preparations`, fullPreparation(protocolId))).statusCode).toBe(201);

    const listed = (await coordinator.get(`/api/v1/episodes/${many}/preparations`)).json() as { id: string; protocol: { version: number } | null }[];
    expect(listed).toHaveLength(bodies.length);
    const alone = [];
    for (const p of listed) alone.push((await coordinator.get(`/api/v1/preparations/${p.id}`)).json());
    expect(listed).toEqual(alone);
    expect(listed.map((p) => p.protocol?.version ?? null)).toEqual([null, 2, null, 1, 1]);

    // Counted below the HTTP layer, on the same database: every query the listing compiles.
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => { queries += 1; return args.node; },
      transformResult: async (args) => args.result,
    };
    const services: Services = { ...server.services, store: { ...server.store, db: server.store.db.withPlugin(counting) } };
    const lab0 = await server.store.db.selectFrom('staff_user').select(['id', 'clinic_id']).where('email', '=', 'lab@clinic.test').executeTakeFirstOrThrow();
    const actor: Actor = { userId: lab0.id, clinicId: lab0.clinic_id, role: 'lab', timeZone: 'UTC', label: 'lab@clinic.test', ip: '127.0.0.1' };
    const countFor = async (episode: string, expected: number) => {
      queries = 0;
      expect(await listPreparations(services, actor, episode)).toHaveLength(expected);
      return queries;
    };
    const forOne = await countFor(one, 1);
    expect(await countFor(many, bodies.length)).toBe(forOne);
  });
});
