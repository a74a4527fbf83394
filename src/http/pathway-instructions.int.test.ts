import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { smtpSender } from '../mail/transport.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { REGISTRY_CONSENT, SVG_SIGNATURE, consentTemplates, pathwayStaff, patientAndEpisode, type PathwayStaff } from './testing/pathway.js';
import { TestClient, useClinicServer } from './testing/test-server.js';

/**
 * What the staff app's pathway screens rely on: the delivery state of each instructions email
 * (from the outbox), the field-named refusals of the settings page, consent versions kept in
 * history, and the registry consent signed and withdrawn.
 */

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A real SMTP server on a loopback port that accepts everything. */
async function startSmtp(): Promise<{ url: string; received: string[][]; close(): Promise<void> }> {
  const received: string[][] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => { received.push(session.envelope.rcptTo.map((r) => r.address)); callback(); });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(DIALECTS)('pathway screens’ API on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let staff: PathwayStaff;

  beforeAll(async () => {
    staff = await pathwayStaff(admin);
  });

  it('shows each instructions email’s delivery state from the outbox: waiting, then delivered', async () => {
    const { episodeId } = await patientAndEpisode(staff.coordinator, { email: 'ada@example.test' });
    expect((await staff.coordinator.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: daysFromToday(12) })).statusCode).toBe(200);
    const sent = await staff.coordinator.post(`/api/v1/episodes/${episodeId}/instructions/send`);
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ reason: 'initial', deliveryStatus: 'pending', deliveredAt: null });
    const before = (await staff.coordinator.get(`/api/v1/episodes/${episodeId}/instructions`)).json();
    expect(before.sends).toHaveLength(1);
    expect(before.sends[0]).toMatchObject({ to: 'ada@example.test', deliveryStatus: 'pending', deliveredAt: null });

    const smtp = await startSmtp();
    try {
      const worker = new OutboxWorker(server.store, smtpSender(smtp.url, 'Autolog <no-reply@clinic.test>'), quiet);
      expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
      expect(smtp.received.flat()).toContain('ada@example.test');
    } finally {
      await smtp.close();
    }
    const after = (await staff.coordinator.get(`/api/v1/episodes/${episodeId}/instructions`)).json();
    expect(after.sends[0].deliveryStatus).toBe('sent');
    expect(Date.parse(after.sends[0].deliveredAt)).toBeGreaterThan(0);
  });

  it('tells a patient who was sent instructions that a cleared date no longer applies, and records that send', async () => {
    const { episodeId } = await patientAndEpisode(staff.coordinator, { email: 'cleared@example.test' });
    expect((await staff.coordinator.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: daysFromToday(12) })).statusCode).toBe(200);
    expect((await staff.coordinator.post(`/api/v1/episodes/${episodeId}/instructions/send`)).statusCode).toBe(201);
    expect((await staff.coordinator.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: null })).statusCode).toBe(200);
    const view = (await staff.coordinator.get(`/api/v1/episodes/${episodeId}/instructions`)).json();
    expect(view.sends.map((s: { reason: string; plannedProcedureOn: string | null }) => [s.reason, s.plannedProcedureOn])).toEqual([['date-changed', null], ['initial', daysFromToday(12)]]);
    const mails = await server.store.db.selectFrom('outbox').select('subject').where('to_address', '=', 'cleared@example.test').orderBy('created_at').execute();
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/instructions for your procedure$/), expect.stringMatching(/your procedure date is to be confirmed$/)]);
    const audited = (await admin.get('/api/v1/audit?entityType=instruction_send&limit=500')).json() as { action: string; entityId: string | null; detail: unknown }[];
    expect(audited.find((e) => e.entityId === view.sends[0].id)).toMatchObject({ action: 'create', detail: { episodeId, plannedProcedureOn: null, reason: 'date-changed' } });
  });

  it('refuses the send with a reason the screen can show when there is no email or no date', async () => {
    const noEmail = await patientAndEpisode(staff.coordinator, { email: null });
    expect((await staff.coordinator.request('PUT', `/api/v1/episodes/${noEmail.episodeId}/procedure-date`, { plannedProcedureOn: daysFromToday(12) })).statusCode).toBe(200);
    expect((await staff.coordinator.post(`/api/v1/episodes/${noEmail.episodeId}/instructions/send`)).json()).toMatchObject({ status: 409, code: 'no-email' });
    const view = (await staff.coordinator.get(`/api/v1/episodes/${noEmail.episodeId}/instructions`)).json();
    expect(view).toMatchObject({ patientEmail: null, upToDate: false, sends: [] });
    expect(view.items.length).toBeGreaterThan(0);
    const noDate = await patientAndEpisode(staff.coordinator);
    expect((await staff.coordinator.post(`/api/v1/episodes/${noDate.episodeId}/instructions/send`)).json()).toMatchObject({ status: 409, code: 'no-planned-date' });
  });

  it('names the refused setting and saves nothing; null restores the default', async () => {
    const before = (await admin.get('/api/v1/pathway-settings')).json();
    const tooLong = await admin.request('PUT', '/api/v1/pathway-settings', { nsaidWashoutDays: 100, instructionsBeforeText: 'Drink plenty of water.' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors).toContainEqual({ field: 'nsaidWashoutDays', message: 'must be at most 60' });
    expect((await admin.get('/api/v1/pathway-settings')).json()).toEqual(before);
    const fraction = await admin.request('PUT', '/api/v1/pathway-settings', { antiplateletWashoutDays: 2.5 });
    expect(fraction.json().errors.map((e: { field: string }) => e.field)).toContain('antiplateletWashoutDays');
    const saved = (await admin.request('PUT', '/api/v1/pathway-settings', { productAgeLimitHours: 3, instructionsAfterText: 'Call us if you have a fever.' })).json();
    expect(saved.settings).toMatchObject({ productAgeLimitHours: 3, instructionsAfterText: 'Call us if you have a fever.' });
    expect(saved.defaults.productAgeLimitHours).toBe(4);
    const restored = (await admin.request('PUT', '/api/v1/pathway-settings', { productAgeLimitHours: null, instructionsAfterText: null })).json();
    expect(restored.settings).toMatchObject({ productAgeLimitHours: 4, instructionsAfterText: null });
  });

  it('keeps earlier consent versions in the history and lets a registry consent be signed and withdrawn', async () => {
    await consentTemplates(admin);
    const v2 = await admin.post('/api/v1/consent-templates', { kind: 'registry', title: 'Consent to the outcomes registry (2)', bodyMarkdown: `${REGISTRY_CONSENT}\n\nYou can ask us what was exported.` });
    expect(v2.statusCode).toBe(201);
    const registry = ((await staff.coordinator.get('/api/v1/consent-templates?kind=registry')).json() as { version: number; current: boolean; createdBy: { displayName: string } }[]);
    expect(registry.map((t) => [t.version, t.current])).toEqual([[2, true], [1, false]]);
    expect(registry[1]!.createdBy.displayName).toBeTruthy();

    const { episodeId } = await patientAndEpisode(staff.coordinator);
    const signed = await staff.coordinator.post(`/api/v1/episodes/${episodeId}/consents`, { templateId: v2.json().id, signedName: 'Ada Lovelace', signature: SVG_SIGNATURE });
    expect(signed.statusCode).toBe(201);
    expect((await staff.coordinator.post(`/api/v1/consents/${signed.json().id}/withdraw`, { reason: '' })).json()).toMatchObject({ status: 400, field: 'reason' });
    const withdrawn = await staff.coordinator.post(`/api/v1/consents/${signed.json().id}/withdraw`, { reason: 'The patient asked by phone.' });
    expect(withdrawn.json()).toMatchObject({ kind: 'registry', status: 'withdrawn', withdrawalReason: 'The patient asked by phone.', withdrawnBy: { displayName: expect.any(String) } });
    const list = (await staff.coordinator.get(`/api/v1/episodes/${episodeId}/consents`)).json();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'withdrawn', signedName: 'Ada Lovelace', templateVersion: 2 });
  });
});
