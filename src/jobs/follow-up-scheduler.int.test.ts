import { describe, expect, it } from 'vitest';
import { daysFromToday, formPost, instantIn, linksSentTo, patientWithEpisode, planProcedure, quietLog } from '../http/testing/follow-up-fixtures.js';
import { useClinicServer } from '../http/testing/test-server.js';
import { DEFAULT_REMINDER_DAYS } from '../services/outcome-settings.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { FollowUpScheduler } from './follow-up-scheduler.js';
import { OutboxWorker } from './outbox-worker.js';

describe.each(DIALECTS)('follow-up scheduler on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);

  const contacts = (episodeId: string) => server.store.db.selectFrom('follow_up_contact as c').innerJoin('follow_up_time_point as t', 't.id', 'c.time_point_id')
    .select(['c.send_number', 'c.kind', 'c.outbox_id', 't.code']).where('t.episode_id', '=', episodeId).orderBy('c.send_number').execute();

  it('sends the invitation and each reminder (days 3, 7, 14) exactly once across repeated runs, then stops', async () => {
    expect(DEFAULT_REMINDER_DAYS).toEqual([3, 7, 14]);
    const email = 'reminders@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    // Procedure in 20 days: the baseline window is open from today until the procedure day.
    await planProcedure(admin, episodeId, daysFromToday(20));
    const scheduler = new FollowUpScheduler(server.services, quietLog);
    for (const day of [0, 0, 1, 2, 3, 3, 4, 6, 7, 7, 13, 14, 14, 15, 19, 20, 21, 30]) await scheduler.runOnce(instantIn(day));
    const sent = await contacts(episodeId);
    expect(sent.map((c) => [c.code, c.send_number, c.kind])).toEqual([
      ['baseline', 0, 'invitation'], ['baseline', 1, 'reminder'], ['baseline', 2, 'reminder'], ['baseline', 3, 'reminder'],
    ]);
    const mails = await server.store.db.selectFrom('outbox').select(['kind', 'subject', 'text_body']).where('to_address', '=', email).orderBy('created_at').orderBy('id').execute();
    expect(mails.map((m) => m.kind)).toEqual(['follow-up-invitation', 'follow-up-reminder', 'follow-up-reminder', 'follow-up-reminder']);
    expect(mails[1]!.subject).toContain('Reminder');
    // Each email carries its own link; every one of them opens the same time point.
    const links = await linksSentTo(server.store, email);
    expect(new Set(links).size).toBe(4);
    for (const t of links) expect((await admin.get(`/survey?t=${t}`)).statusCode).toBe(200);
  });

  it('never sends the same email twice when several servers run at once', async () => {
    const email = 'concurrent@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(20));
    const servers = [0, 1, 2].map(() => new FollowUpScheduler(server.services, quietLog));
    await Promise.all(servers.map((s) => s.runOnce()));
    await Promise.all(servers.map((s) => s.runOnce(instantIn(3))));
    expect((await contacts(episodeId)).map((c) => c.send_number)).toEqual([0, 1]);
  });

  it('after downtime sends one email a day, not a burst, and nothing once the window has closed', async () => {
    const email = 'downtime@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(20));
    const scheduler = new FollowUpScheduler(server.services, quietLog);
    await scheduler.runOnce(instantIn(0));
    // Down from day 1 to day 10: reminders 1 (day 3) and 2 (day 7) are both overdue.
    await scheduler.runOnce(instantIn(10));
    await scheduler.runOnce(instantIn(10));
    expect((await contacts(episodeId)).map((c) => c.send_number)).toEqual([0, 1]);
    await scheduler.runOnce(instantIn(11));
    expect((await contacts(episodeId)).map((c) => c.send_number)).toEqual([0, 1, 2]);
    await scheduler.runOnce(instantIn(40)); // after the window: nothing more
    expect((await contacts(episodeId)).map((c) => c.send_number)).toEqual([0, 1, 2]);
  });

  it('stops reminding once the questions are answered', async () => {
    const email = 'answered@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(20));
    const scheduler = new FollowUpScheduler(server.services, quietLog);
    await scheduler.runOnce();
    const [t] = await linksSentTo(server.store, email);
    const pages: Record<string, string>[] = [
      { step: 'nrs-back', 'a:intensity': '5' }, { step: 'nrs-leg', 'a:intensity': '1' },
      { step: 'peg', 'a:pain': '5', 'a:enjoyment': '4', 'a:activity': '4' },
      { step: 'start-back', ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a:q${i + 1}`, 'disagree'])), 'a:q9': 'moderately' },
    ];
    for (const page of pages) expect((await formPost(admin, '/survey', { t: t!, action: 'next', ...page })).statusCode).toBe(303);
    await scheduler.runOnce(instantIn(3));
    await scheduler.runOnce(instantIn(7));
    expect((await contacts(episodeId)).map((c) => c.send_number)).toEqual([0]);
  });

  it('shows a bounced invitation (the outbox’s failed status) on the contact log and the phone worklist', async () => {
    const email = 'bounce@example.test';
    const { episodeId } = await patientWithEpisode(admin, { email });
    await planProcedure(admin, episodeId, daysFromToday(20));
    await new FollowUpScheduler(server.services, quietLog).runOnce();
    const failing = { send: async () => { throw new Error('550 no such mailbox'); }, close: () => {} };
    const worker = new OutboxWorker(server.store, failing as never, quietLog);
    // The worker gives up after its last retry; fast-forward the retries by making each one due now.
    for (let i = 0; i < 8; i++) {
      await server.store.db.updateTable('outbox').set({ next_attempt_at: new Date(0).toISOString() }).where('to_address', '=', email).where('status', '=', 'pending').execute();
      await worker.runOnce();
    }
    const view = (await admin.get(`/api/v1/episodes/${episodeId}/follow-up`)).json();
    expect(view.timePoints[0].contacts[0]).toMatchObject({ kind: 'invitation', delivery: 'failed' });
    const worklist = (await admin.get('/api/v1/follow-up/worklist')).json() as { episodeId: string; reasons: string[] }[];
    expect(worklist.find((w) => w.episodeId === episodeId)?.reasons).toContain('bounced');
  });
});
