import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSender } from '../mail/transport.js';
import { inTransaction } from '../services/db-helpers.js';
import { enqueueMail } from '../services/outbox.js';
import { DIALECTS, useTestStore } from '../store/testing/test-store.js';
import { NO_SMTP_NOTE, OutboxWorker, RETRY_DELAYS_SECONDS } from './outbox-worker.js';

interface Received { to: string[]; data: string }

/** A real SMTP server on a loopback port; rejects recipients at reject.test with a temporary error. */
async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@reject.test')) return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 450 }));
      callback();
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => { data += chunk.toString('utf8'); });
      stream.on('end', () => { received.push({ to: session.envelope.rcptTo.map((r) => r.address), data }); callback(); });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe.each(DIALECTS)('outbox worker on %s', (dialect) => {
  const store = useTestStore(dialect);
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
  });

  const enqueue = (to: string, subject: string) => inTransaction(store, (trx) => enqueueMail(trx, { clinicId: null, kind: 'test', to, subject, text: `Body of ${subject}` }));

  it('delivers pending mail through a real SMTP server and marks it sent', async () => {
    const id = await enqueue('grace@example.test', 'Your follow-up');
    const worker = new OutboxWorker(store, smtpSender(smtp.url, 'Autolog <no-reply@clinic.test>'), quiet);
    expect(await worker.runOnce()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['grace@example.test']);
    expect(smtp.received[0]!.data).toContain('Subject: Your follow-up');
    expect(smtp.received[0]!.data).toContain('Body of Your follow-up');
    const row = await store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(await worker.runOnce()).toBe(0);
  });

  it('keeps a message that fails and schedules a retry with backoff', async () => {
    const id = await enqueue('someone@reject.test', 'Will bounce');
    const worker = new OutboxWorker(store, smtpSender(smtp.url, 'Autolog <no-reply@clinic.test>'), quiet);
    await worker.runOnce();
    const row = await store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/busy|450/);
    const delaySeconds = (Date.parse(row.next_attempt_at) - Date.now()) / 1000;
    expect(delaySeconds).toBeGreaterThan(RETRY_DELAYS_SECONDS[0]! - 5);
    // After the last retry it is marked failed, still listed, never deleted.
    await store.db.updateTable('outbox').set({ attempts: RETRY_DELAYS_SECONDS.length, next_attempt_at: new Date(0).toISOString() }).where('id', '=', id).execute();
    await worker.runOnce();
    expect((await store.db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('failed');
  });

  it('without SMTP keeps every message pending and notes why, once', async () => {
    const id = await enqueue('later@example.test', 'Waits for SMTP');
    const warnings: unknown[] = [];
    const worker = new OutboxWorker(store, undefined, { ...quiet, warn: (o: unknown) => void warnings.push(o) });
    await worker.runOnce();
    await worker.runOnce();
    expect(warnings).toHaveLength(1);
    const row = await store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', last_error: NO_SMTP_NOTE });
    // Once SMTP is configured, the same message goes out.
    await new OutboxWorker(store, smtpSender(smtp.url, 'a@b.test'), quiet).runOnce();
    expect((await store.db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('sent');
  });
});
