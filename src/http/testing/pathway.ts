import zlib from 'node:zlib';
import { cleanAssessment } from '../../science/testing/assessment-fixture.js';
import { RED_FLAG_CODES, redFlagField, type Assessment } from '../../science/index.js';
import { addStaff, type TestClient } from './test-server.js';

/** Factories for the pathway tests: staff of each role, consent texts, signatures, and a walk from assessment to injection. */

export const CLINICIAN_PASSWORD = 'needles, patience and fluoroscopy';
export const LAB_PASSWORD = 'centrifuge at sixteen hundred g';
export const COORDINATOR_PASSWORD = 'phone calls before lunch every day';

export interface PathwayStaff {
  clinician: TestClient;
  clinicianId: string;
  lab: TestClient;
  labId: string;
  coordinator: TestClient;
}

let counter = 0;

/** A clinician, a lab technician and a coordinator in the admin's clinic, each signed in. */
export async function pathwayStaff(admin: TestClient, domain = 'clinic.test'): Promise<PathwayStaff> {
  counter++;
  const add = (role: string, password: string) =>
    addStaff(admin, { email: `${role}${counter}@${domain}`, displayName: `${role[0]!.toUpperCase()}${role.slice(1)} ${counter}`, role, password });
  const clinician = await add('clinician', CLINICIAN_PASSWORD);
  const lab = await add('lab', LAB_PASSWORD);
  const coordinator = await add('coordinator', COORDINATOR_PASSWORD);
  return { clinician: clinician.client, clinicianId: clinician.id, lab: lab.client, labId: lab.id, coordinator: coordinator.client };
}

export const PROCEDURE_CONSENT = [
  '## What the procedure is',
  'A small amount of your blood is taken from your arm, spun in a centrifuge to concentrate the platelets, and injected into the painful structure under image guidance.',
  '## Risks',
  'Pain for a few days is common. Infection, bleeding, nerve irritation and fainting are uncommon.',
  '## Alternatives',
  'Exercise and physiotherapy, other injections, medicines, or no treatment.',
].join('\n\n');

export const REGISTRY_CONSENT = 'Your answers and your treatment record may be included, without your name, in research that studies how well PRP works. You may withdraw at any time.';

/** An SVG-path signature, as a pointer trace gives it. */
export const SVG_SIGNATURE = { kind: 'svg-path', d: 'M 10 70 C 40 10, 60 10, 80 60 S 120 110, 150 50 L 190 40 Q 230 30 260 70 L 300 65', width: 320, height: 110 } as const;

/** A real PNG of a scribble (what a signature canvas exports), as a data URL. */
export function pngSignature(width = 360, height = 120): { kind: 'png'; dataUrl: string } {
  const raw = Buffer.alloc((width * 4 + 1) * height, 0);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const curve = height / 2 + Math.sin(x / 18) * (height / 4) + Math.cos(x / 7) * 6;
      if (Math.abs(y - curve) < 2.2 && x > 15 && x < width - 15) raw.writeUInt32BE(0x111111ff, y * (width * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  return { kind: 'png', dataUrl: `data:image/png;base64,${png.toString('base64')}` };
}

export function assessmentBody(overrides: Partial<Assessment> = {}): Assessment {
  return cleanAssessment({ imaging: { study: 'mri', performedOn: '2025-11-10', discs: [{ level: 'L4/L5', pfirrmannGrade: 3, modicType: 1, annularFissure: true, contour: 'bulge', facetArthropathy: 'mild' }], findingsText: 'High-intensity zone posterior annulus L4/L5.' }, labs: { plateletsKPerUl: 240, haemoglobinGPerDl: 13.5, takenOn: new Date().toISOString().slice(0, 10) }, ...overrides });
}

let mrn = 0;

export async function patientAndEpisode(client: TestClient, patient: { givenName?: string; familyName?: string; birthDate?: string; email?: string | null } = {}): Promise<{ patientId: string; episodeId: string; mrn: string; birthDate: string }> {
  mrn++;
  const body = {
    mrn: `PW-${mrn}-${Math.random().toString(36).slice(2, 7)}`, givenName: patient.givenName ?? `Pat${mrn}`, familyName: patient.familyName ?? 'Pathway',
    birthDate: patient.birthDate ?? '1968-04-21', sex: 'female', email: patient.email === undefined ? `pw${mrn}@example.test` : patient.email, confirmNotDuplicate: true,
  };
  const p = await client.post('/api/v1/patients', body);
  if (p.statusCode !== 201) throw new Error(`patient: ${p.statusCode} ${p.body}`);
  const e = await client.post(`/api/v1/patients/${p.json().id}/episodes`, { indication: 'degenerative-disc-disease' });
  if (e.statusCode !== 201) throw new Error(`episode: ${e.statusCode} ${e.body}`);
  return { patientId: p.json().id, episodeId: e.json().id, mrn: body.mrn, birthDate: body.birthDate };
}

function ok<T = Record<string, unknown>>(res: { statusCode: number; body: string; json(): unknown }, status: number, what: string): T {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/** The clinic's consent texts (published once per clinic; later calls reuse the current ones). */
export async function consentTemplates(admin: TestClient): Promise<{ procedure: string; registry: string }> {
  const existing = ok<{ id: string; kind: string; current: boolean }[]>(await admin.get('/api/v1/consent-templates'), 200, 'templates');
  const current = (kind: string) => existing.find((t) => t.kind === kind && t.current)?.id;
  return {
    procedure: current('procedure') ?? ok<{ id: string }>(await admin.post('/api/v1/consent-templates', { kind: 'procedure', title: 'Consent to PRP injection for back pain', bodyMarkdown: PROCEDURE_CONSENT }), 201, 'template').id,
    registry: current('registry') ?? ok<{ id: string }>(await admin.post('/api/v1/consent-templates', { kind: 'registry', title: 'Consent to the outcomes registry', bodyMarkdown: REGISTRY_CONSENT }), 201, 'template').id,
  };
}

/** Assessment, eligible decision and signed procedure consent: ready for the draw. */
export async function readyForTreatment(staff: PathwayStaff, admin: TestClient, episodeId: string, patientName: string): Promise<{ assessmentId: string; decisionId: string; consentId: string }> {
  const assessment = ok<{ id: string }>(await staff.clinician.post(`/api/v1/episodes/${episodeId}/assessments`, assessmentBody()), 201, 'assessment');
  const decision = ok<{ id: string }>(await staff.clinician.post(`/api/v1/episodes/${episodeId}/decisions`, { assessmentId: assessment.id, outcome: 'eligible', rationale: 'Discogenic pain at L4/L5, concordant imaging.', password: CLINICIAN_PASSWORD }), 201, 'decision');
  const { procedure } = await consentTemplates(admin);
  const consent = ok<{ id: string }>(await staff.coordinator.post(`/api/v1/episodes/${episodeId}/consents`, { templateId: procedure, signedName: patientName, signature: SVG_SIGNATURE }), 201, 'consent');
  return { assessmentId: assessment.id, decisionId: decision.id, consentId: consent.id };
}

/** Draw → centrifuged → prepared (with a volume): a product waiting for the bedside check. */
export async function preparedSpecimen(staff: PathwayStaff, episodeId: string, prpVolumeMl = 4): Promise<{ id: string; code: string }> {
  const specimen = ok<{ id: string; code: string }>(await staff.lab.post(`/api/v1/episodes/${episodeId}/specimens`, { drawVolumeMl: 27, tubeCount: 1 }), 201, 'draw');
  ok(await staff.lab.post(`/api/v1/specimens/${specimen.id}/events`, { type: 'centrifuged' }), 200, 'centrifuged');
  ok(await staff.lab.post(`/api/v1/specimens/${specimen.id}/events`, { type: 'prepared', prpVolumeMl }), 200, 'prepared');
  return specimen;
}

/**
 * One of every pathway record in the admin's clinic, for the tenancy test: the ids, keyed by the
 * resource segment of their routes (`/api/v1/<resource>/:id`).
 */
export async function seedPathwayIds(admin: TestClient): Promise<Record<string, string>> {
  const staff = await pathwayStaff(admin, 'seed.test');
  const lead = await admin.app.inject({
    method: 'POST', url: '/screening/consultation', remoteAddress: '192.0.2.200', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      painLocations: 'lower-back', duration: 'over-12-months', tried: 'nothing-yet', ...Object.fromEntries(RED_FLAG_CODES.map((c) => [redFlagField(c), 'no'])),
      name: 'Seed Lead', phone: '+1 555 0100', consentToContact: 'yes',
    }).toString(),
  });
  if (lead.statusCode !== 303) throw new Error(`lead: ${lead.statusCode} ${lead.body}`);
  const leads = ok<{ id: string }[]>(await admin.get('/api/v1/leads?status=new'), 200, 'leads');
  const p = await patientAndEpisode(admin, { givenName: 'Seed', familyName: 'Pathway' });
  const ready = await readyForTreatment(staff, admin, p.episodeId, 'Seed Pathway');
  const templates = ok<{ id: string }[]>(await admin.get('/api/v1/consent-templates'), 200, 'templates');
  const specimen = await preparedSpecimen(staff, p.episodeId);
  const verification = ok<{ id: string }>(await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/bedside-verifications`, { specimenCode: specimen.code, mrn: p.mrn, birthDate: p.birthDate }), 201, 'verify');
  const procedure = ok<{ id: string }>(await staff.clinician.post(`/api/v1/episodes/${p.episodeId}/procedures`, { specimenId: specimen.id, imageGuidance: 'ultrasound', targets: [{ structure: 'paraspinal-muscle', volumeMl: 2 }] }), 201, 'procedure');
  const adverse = ok<{ id: string }>(await staff.coordinator.post(`/api/v1/episodes/${p.episodeId}/adverse-events`, { onsetOn: new Date().toISOString().slice(0, 10), category: 'pain-flare', severity: 'mild', relatedness: 'probable', outcome: 'recovering', description: 'Sore.' }), 201, 'adverse event');
  return {
    leads: leads[0]!.id, assessments: ready.assessmentId, decisions: ready.decisionId, 'consent-templates': templates[0]!.id, consents: ready.consentId,
    specimens: specimen.id, procedures: procedure.id, 'adverse-events': adverse.id, 'bedside-verifications': verification.id,
  };
}
