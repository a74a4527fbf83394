import type { Logger } from 'pino';
import { addCalendarDuration, answerableItems } from '../science/index.js';
import { recordAudit, type AuditSubject } from '../services/audit.js';
import { nowIso } from '../services/clock.js';
import type { Services } from '../services/context.js';
import { inTransaction } from '../services/db-helpers.js';
import { clinicToday } from '../services/follow-up.js';
import { newId } from '../services/ids.js';
import { activeInstruments, type ResolvedInstrument } from '../services/instruments.js';
import { askedInstruments } from '../services/outcome-responses.js';
import { loadOutcomeSettings, type OutcomeSettings } from '../services/outcome-settings.js';
import { refreshOutcomeRollup, rollupDue } from '../services/outcome-summary.js';
import { enqueueMail } from '../services/outbox.js';
import { hashToken, newToken } from '../services/secrets.js';
import type { FollowUpStopReason } from '../store/schema-outcomes.js';
import { followUpMail } from './follow-up-mail.js';
import { repeat } from './repeat.js';

type LogLike = Pick<Logger, 'info' | 'warn' | 'error'>;

export type SendOutcome = 'sent' | 'locked' | 'not-due' | 'stopped' | 'window-closed' | 'not-open-yet' | 'no-email' | 'already-sent';

export interface RunSummary {
  sent: number;
  /** time points looked at but not emailed, by why */
  skipped: Partial<Record<SendOutcome, number>>;
}

/** The scheduler acts under this name in the audit trail. */
const SCHEDULER: Omit<AuditSubject, 'clinicId'> = { actorId: null, actorLabel: 'follow-up scheduler', ip: null };

/**
 * Emails each due time point its personal link, then reminders on the clinic's reminder days,
 * until the time point is completed or its window closes. Each send is one transaction that
 * claims the send number (unique per time point: the same email can never go twice, whichever
 * of several servers gets there first; on PostgreSQL the time point row is also taken with
 * FOR UPDATE SKIP LOCKED), creates the link (only its hash is stored), queues the email in the
 * outbox, and logs the contact. Eligibility is re-checked inside that transaction: a cancelled
 * episode, an opt-out, a closed window or a missing address stops the send.
 */
export class FollowUpScheduler {
  private loop: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly services: Services,
    private readonly log: LogLike,
    private readonly options: { intervalMs?: number; batchSize?: number } = {},
  ) {}

  start(): void {
    this.loop = repeat(() => this.runOnce(), this.options.intervalMs ?? 60_000, (err) => this.log.error({ err }, 'follow-up scheduler run failed'));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** One pass over every clinic at the instant `now`. Safe to repeat and to run on several servers at once. */
  async runOnce(now: string = nowIso()): Promise<RunSummary> {
    const summary: RunSummary = { sent: 0, skipped: {} };
    // Clinic by clinic, so every query uses an index that starts with clinic_id.
    const clinics = await this.services.store.db.selectFrom('clinic').select(['id', 'name', 'time_zone']).orderBy('id').execute();
    for (const clinic of clinics) {
      await this.runClinic(clinic, now, summary);
      // Large clinics' outcome summaries are read from a per-month rollup rebuilt here.
      try {
        if (await rollupDue(this.services.store, clinic.id, now)) await refreshOutcomeRollup(this.services.store, clinic.id, now);
      } catch (err) {
        this.log.error({ err, clinicId: clinic.id }, 'outcome rollup refresh failed; summaries are computed live meanwhile');
      }
    }
    return summary;
  }

  private async runClinic(clinic: { id: string; name: string; time_zone: string }, now: string, summary: RunSummary): Promise<void> {
    const { db } = this.services.store;
    const today = clinicToday(clinic.time_zone, now);
    const batchSize = this.options.batchSize ?? 200;
    let settings: OutcomeSettings | undefined;
    let instruments: Map<string, ResolvedInstrument> | undefined;
    const tried = new Set<string>();
    for (;;) {
      const due = await db.selectFrom('follow_up_time_point').select('id')
        .where('clinic_id', '=', clinic.id).where('status', '=', 'open').where('next_send_on', '<=', today)
        .orderBy('next_send_on').orderBy('id').limit(batchSize).execute();
      const fresh = due.filter((r) => !tried.has(r.id));
      if (fresh.length === 0) return;
      settings ??= await loadOutcomeSettings(db, clinic.id);
      instruments ??= await activeInstruments(db, clinic.id);
      for (const { id } of fresh) {
        tried.add(id);
        try {
          const outcome = await this.sendOne(clinic, settings, instruments, id, today, now);
          if (outcome === 'sent') summary.sent++;
          else summary.skipped[outcome] = (summary.skipped[outcome] ?? 0) + 1;
        } catch (err) {
          this.log.error({ err, clinicId: clinic.id, timePointId: id }, 'follow-up send failed; will retry on the next run');
        }
      }
      if (due.length < batchSize) return;
    }
  }

  private async sendOne(clinic: { id: string; name: string; time_zone: string }, settings: OutcomeSettings, instruments: Map<string, ResolvedInstrument>, id: string, today: string, now: string): Promise<SendOutcome> {
    const { store, config } = this.services;
    return inTransaction(store, async (trx) => {
      let q = trx.selectFrom('follow_up_time_point').selectAll().where('id', '=', id).where('clinic_id', '=', clinic.id);
      if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const tp = await q.executeTakeFirst();
      if (!tp) return 'locked';
      if (tp.status !== 'open' || tp.next_send_on === null || tp.next_send_on > today) return 'not-due';
      const setTp = (values: { next_send_on?: string | null; status?: 'stopped'; stop_reason?: FollowUpStopReason }) =>
        trx.updateTable('follow_up_time_point').set({ ...values, updated_at: now }).where('id', '=', tp.id).where('clinic_id', '=', clinic.id).execute();

      // Eligibility, re-checked at send time (outcomes.md §4: registries that skip this email
      // patients who no longer qualify).
      const episode = await trx.selectFrom('episode').select(['status']).where('id', '=', tp.episode_id).where('clinic_id', '=', clinic.id).executeTakeFirstOrThrow();
      const schedule = await trx.selectFrom('follow_up_schedule').select(['status', 'stop_reason']).where('id', '=', tp.schedule_id).where('clinic_id', '=', clinic.id).executeTakeFirstOrThrow();
      const stop: FollowUpStopReason | null = episode.status === 'cancelled' ? 'episode-cancelled' : schedule.status === 'stopped' ? (schedule.stop_reason ?? 'episode-cancelled') : null;
      if (stop) { await setTp({ status: 'stopped', stop_reason: stop, next_send_on: null }); return 'stopped'; }
      if (today > tp.window_end_on) { await setTp({ next_send_on: null }); return 'window-closed'; }
      if (today < tp.window_start_on) { await setTp({ next_send_on: tp.window_start_on }); return 'not-open-yet'; }
      const patient = await trx.selectFrom('patient').select(['email', 'given_name', 'preferred_language']).where('id', '=', tp.patient_id).where('clinic_id', '=', clinic.id).executeTakeFirstOrThrow();
      // No address: nothing to send; the time point waits on the coordinator's phone worklist.
      if (!patient.email) { await setTp({ next_send_on: null }); return 'no-email'; }

      const sendNumber = tp.sends;
      const reminderDays = settings.reminderDays;
      const invitationDay = sendNumber === 0 || !tp.invited_at ? today : clinicToday(clinic.time_zone, tp.invited_at);
      const nextDay = (after: number): string | null => {
        if (after >= reminderDays.length) return null;
        let next = addCalendarDuration(invitationDay, { days: reminderDays[after]! });
        const tomorrow = addCalendarDuration(today, { days: 1 });
        if (next < tomorrow) next = tomorrow; // after downtime: one email a day, never a burst
        return next > tp.window_end_on ? null : next;
      };
      if (sendNumber > reminderDays.length) { await setTp({ next_send_on: null }); return 'not-due'; }

      const contactId = newId();
      const claimed = await trx.insertInto('follow_up_contact').values({
        id: contactId, clinic_id: clinic.id, time_point_id: tp.id, patient_id: tp.patient_id, channel: 'email', kind: sendNumber === 0 ? 'invitation' : 'reminder',
        send_number: sendNumber, outbox_id: null, outcome: null, note: null, created_at: now, created_by: null, created_by_label: SCHEDULER.actorLabel,
      }).onConflict((oc) => oc.columns(['clinic_id', 'time_point_id', 'send_number']).doNothing()).returning('id').executeTakeFirst();
      if (!claimed) {
        // Sent already (the counter lagged): move the counter on, send nothing.
        await trx.updateTable('follow_up_time_point').set({ sends: sendNumber + 1, next_send_on: nextDay(sendNumber), updated_at: now }).where('id', '=', tp.id).execute();
        return 'already-sent';
      }

      const token = newToken();
      await trx.insertInto('survey_link').values({ token_hash: hashToken(token), clinic_id: clinic.id, time_point_id: tp.id, created_at: now, last_used_at: null }).execute();
      const asked = askedInstruments(tp, instruments);
      const questions = asked.reduce((n, i) => n + answerableItems(i.questionnaire).length, 0);
      const mail = followUpMail({
        clinicName: clinic.name, contactText: settings.contactText, givenName: patient.given_name, timePointLabel: tp.label, windowEndOn: tp.window_end_on,
        link: `${config.publicUrl}/survey?t=${token}`, minutes: Math.max(1, Math.ceil(questions / 4)), sendNumber, language: patient.preferred_language,
      });
      const outboxId = await enqueueMail(trx, { clinicId: clinic.id, kind: sendNumber === 0 ? 'follow-up-invitation' : 'follow-up-reminder', to: patient.email, ...mail });
      await trx.updateTable('follow_up_contact').set({ outbox_id: outboxId }).where('id', '=', contactId).execute();
      await trx.updateTable('follow_up_time_point').set({ sends: sendNumber + 1, invited_at: tp.invited_at ?? now, next_send_on: nextDay(sendNumber), updated_at: now })
        .where('id', '=', tp.id).where('clinic_id', '=', clinic.id).execute();
      await recordAudit(trx, store.dialect, { clinicId: clinic.id, ...SCHEDULER }, {
        action: 'create', entityType: 'follow_up_contact', entityId: contactId, patientId: tp.patient_id, detail: { timePoint: tp.code, kind: sendNumber === 0 ? 'invitation' : 'reminder', sendNumber },
      });
      this.log.info({ clinicId: clinic.id, timePointId: tp.id, sendNumber }, sendNumber === 0 ? 'follow-up invitation queued' : 'follow-up reminder queued');
      return 'sent';
    });
  }
}
