import type { Logger } from 'pino';
import type { Store } from '../store/db.js';
import type { OutboxRow } from '../store/schema.js';
import { addSeconds, nowIso } from '../services/clock.js';
import { inTransaction } from '../services/db-helpers.js';
import type { MailSender } from '../mail/transport.js';
import { repeat } from './repeat.js';

/** Retry delays after the 1st, 2nd, … failed attempt; after the last one the message is marked failed. */
export const RETRY_DELAYS_SECONDS = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 24 * 3600];
/** A message left in `sending` this long (the process died mid-send) is tried again. */
const STALE_SENDING_SECONDS = 10 * 60;
export const NO_SMTP_NOTE = 'SMTP_URL is not set: kept in the outbox until mail is configured.';

type LogLike = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Delivers the outbox. Messages are claimed in a short transaction (with SKIP LOCKED on
 * PostgreSQL so several servers can share the work), sent outside it, then marked. A crash
 * between sending and marking means a message may go twice, never that it is lost.
 */
export class OutboxWorker {
  private loop: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly sender: MailSender | undefined,
    private readonly log: LogLike,
    private readonly options: { intervalMs?: number; batchSize?: number } = {},
  ) {}

  start(): void {
    this.loop = repeat(() => this.runOnce(), this.options.intervalMs ?? 5000, (err) => this.log.error({ err }, 'outbox run failed'));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.sender?.close();
  }

  /** One pass: returns how many messages were handled (sent, retried or noted). */
  async runOnce(): Promise<number> {
    if (!this.sender) return this.noteUnsendable();
    const now = nowIso();
    await this.store.db.updateTable('outbox').set({ status: 'pending' }).where('status', '=', 'sending').where('next_attempt_at', '<', addSeconds(now, -STALE_SENDING_SECONDS)).execute();
    const claimed = await this.claim(now);
    for (const message of claimed) await this.deliver(message);
    return claimed.length;
  }

  private async claim(now: string): Promise<OutboxRow[]> {
    return inTransaction(this.store, async (trx) => {
      let q = trx.selectFrom('outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(this.options.batchSize ?? 20);
      if (this.store.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length > 0) {
        await trx.updateTable('outbox').set({ status: 'sending', next_attempt_at: now }).where('id', 'in', rows.map((r) => r.id)).execute();
      }
      return rows;
    });
  }

  private async deliver(message: OutboxRow): Promise<void> {
    const attempts = message.attempts + 1;
    try {
      await this.sender!.send({ to: message.to_address, subject: message.subject, text: message.text_body });
      await this.store.db.updateTable('outbox').set({ status: 'sent', attempts, sent_at: nowIso(), last_error: null }).where('id', '=', message.id).execute();
      this.log.info({ outboxId: message.id, kind: message.kind }, 'mail sent');
    } catch (err) {
      const delay = RETRY_DELAYS_SECONDS[attempts - 1];
      const error = err instanceof Error ? err.message : String(err);
      await this.store.db.updateTable('outbox').set({
        status: delay === undefined ? 'failed' : 'pending', attempts, last_error: error.slice(0, 500),
        next_attempt_at: delay === undefined ? nowIso() : addSeconds(nowIso(), delay),
      }).where('id', '=', message.id).execute();
      this.log.warn({ outboxId: message.id, kind: message.kind, attempts, error }, delay === undefined ? 'mail failed for good' : 'mail failed; will retry');
    }
  }

  /** Without SMTP nothing is sent; each new message is logged once and stays pending. */
  private async noteUnsendable(): Promise<number> {
    const fresh = await this.store.db.selectFrom('outbox').select(['id', 'kind', 'to_address', 'subject']).where('status', '=', 'pending').where('last_error', 'is', null).limit(100).execute();
    for (const m of fresh) this.log.warn({ outboxId: m.id, kind: m.kind, to: m.to_address, subject: m.subject }, 'mail kept in the outbox: SMTP_URL is not set');
    if (fresh.length > 0) await this.store.db.updateTable('outbox').set({ last_error: NO_SMTP_NOTE }).where('id', 'in', fresh.map((m) => m.id)).execute();
    return fresh.length;
  }
}
