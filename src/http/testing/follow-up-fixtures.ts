import type { Store } from '../../store/db.js';
import type { TestClient } from './test-server.js';

/** Factories for the outcomes tests: patients with an episode, dates relative to today, survey links from the outbox. */

let mrnCounter = 0;

/** 'YYYY-MM-DD', `days` from today (UTC, as the test clinic's time zone is UTC). */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instant `days` from now, for the scheduler's `runOnce(now)`. */
export function instantIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export async function patientWithEpisode(client: TestClient, options: { email?: string | null; indication?: string; givenName?: string } = {}): Promise<{ patientId: string; episodeId: string }> {
  mrnCounter++;
  const patient = await client.post('/api/v1/patients', {
    mrn: `FU-${mrnCounter}-${Math.random().toString(36).slice(2, 8)}`, givenName: options.givenName ?? `Pat${mrnCounter}`, familyName: 'Follow', birthDate: '1970-05-0' + ((mrnCounter % 9) + 1),
    sex: 'female', email: options.email === undefined ? `pat${mrnCounter}@example.test` : options.email, confirmNotDuplicate: true,
  });
  if (patient.statusCode !== 201) throw new Error(`patient: ${patient.statusCode} ${patient.body}`);
  const episode = await client.post(`/api/v1/patients/${patient.json().id}/episodes`, { indication: options.indication ?? 'degenerative-disc-disease' });
  if (episode.statusCode !== 201) throw new Error(`episode: ${episode.statusCode} ${episode.body}`);
  return { patientId: patient.json().id, episodeId: episode.json().id };
}

export async function planProcedure(client: TestClient, episodeId: string, date: string | null) {
  const res = await client.request('PUT', `/api/v1/episodes/${episodeId}/procedure-date`, { plannedProcedureOn: date });
  if (res.statusCode !== 200) throw new Error(`procedure-date: ${res.statusCode} ${res.body}`);
  return res.json() as { timePoints: { id: string; code: string; dueOn: string; windowStartOn: string; windowEndOn: string; status: string; sends: number }[] };
}

/** Survey links emailed to `to`, oldest first (the raw token exists only in the email). */
export async function linksSentTo(store: Store, to: string): Promise<string[]> {
  const rows = await store.db.selectFrom('outbox').select(['text_body', 'created_at', 'id']).where('to_address', '=', to).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => /\/survey\?t=([A-Za-z0-9_-]+)/.exec(r.text_body)?.[1]).filter((t): t is string => Boolean(t));
}

/** A urlencoded form post, as a browser sends it. */
export function formPost(client: TestClient, url: string, form: Record<string, string>) {
  return client.app.inject({
    method: 'POST', url, remoteAddress: client.ip,
    payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export const quietLog = { info: () => {}, warn: () => {}, error: () => {} };
