/**
 * Staff API latency at demo scale (DESIGN.md budget: p99 < 50 ms on a 2-core machine).
 * Builds the same data as `autolog demo` (synthetic clinic, then outcomes, then the pathway) in a
 * temp SQLite file (or DATABASE_URL), serves it on loopback and sends a bounded number of
 * sequential requests per endpoint from this process, signed in as the demo staff who use them.
 *
 *   npm run bench -- [--patients 2000] [--requests 500] [--only <text in the endpoint name>]
 *
 * With DATABASE_URL pointing at a database that already holds the demo data, the data are reused
 * (after migrating to the latest schema), so a change can be measured again without rebuilding.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createServer } from '../src/server.js';
import { openStore } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { isSetupNeeded } from '../src/services/auth.js';
import { buildSyntheticClinic, DEMO_PASSWORD, DEMO_STAFF } from '../src/services/synthetic-clinic.js';
import { buildSyntheticOutcomes } from '../src/services/synthetic-outcomes.js';
import { buildSyntheticPathway } from '../src/services/synthetic-pathway.js';
import { refreshOutcomeRollup } from '../src/services/outcome-summary.js';
import type { Role } from '../src/store/schema.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '2000' }, requests: { type: 'string', default: '500' }, only: { type: 'string' } } });
const patients = Number(values.patients);
const requests = Number(values.requests);
const asOf = '2026-06-30';
const seed = 7;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-bench-'));
const store = openStore(process.env.DATABASE_URL ?? path.join(dir, 'bench.db'));
await migrateToLatest(store);
if (await isSetupNeeded(store)) {
  // The same steps, in the same order, as the demo command in src/cli.ts.
  let t0 = performance.now();
  const clinic = await buildSyntheticClinic(store, { seed, patients, asOf });
  console.log(`synthetic clinic: ${clinic.patients} patients, ${clinic.episodes} episodes in ${((performance.now() - t0) / 1000).toFixed(1)} s (${store.dialect})`);
  t0 = performance.now();
  const outcomes = await buildSyntheticOutcomes(store, clinic.clinicId, { seed, asOf });
  console.log(`outcomes: ${outcomes.timePoints} time points, ${outcomes.responses} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const pathway = await buildSyntheticPathway(store, clinic.clinicId, { seed, asOf });
  console.log(`pathway: ${pathway.leads} leads, ${pathway.assessments} assessments, ${pathway.consents} consents, ${pathway.specimens} specimens, ${pathway.procedures} injections, ${pathway.adverseEvents} adverse events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} else {
  console.log(`using the data already in ${store.describe} (${store.dialect})`);
}
// PostgreSQL plans from table statistics, which autovacuum gathers soon after a bulk load; gather
// them now (a server with autovacuum off, like a test server, never would, and its plans for the
// worklist's anti-joins are then 100 times slower).
if (store.dialect === 'postgres') await sql`analyze`.execute(store.db);

const app = await createServer({ services: { store, config: { publicUrl: 'http://127.0.0.1', smtpUrl: undefined, secureCookies: false, dataDir: dir } }, webDir: undefined });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
const base = `http://127.0.0.1:${port}`;

type Headers = Record<string, string>;
const sessions = {} as Record<Role, Headers>;
for (const staff of DEMO_STAFF) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staff.email, password: DEMO_PASSWORD }) });
  if (login.status !== 200) throw new Error(`login ${staff.email}: HTTP ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  sessions[staff.role] = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}
const headers = sessions.admin;
const somePatients = (await (await fetch(`${base}/api/v1/patients?pageSize=100`, { headers })).json()) as { items: { id: string }[] };
const ids = somePatients.items.map((p) => p.id);

// 100 episodes spread over the clinic (every stage of the pathway), half of them with an injection
// (the fullest timelines, custody trails and follow-up schedules).
const allEpisodes = (await store.db.selectFrom('episode').select('id').orderBy('id').execute()).map((e) => e.id);
const injected = (await store.db.selectFrom('injection_procedure').select('episode_id').distinct().orderBy('episode_id').execute()).map((e) => e.episode_id);
const spread = (list: string[], n: number) => Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor((i * list.length) / Math.min(n, list.length))]!);
const episodes = [...spread(allEpisodes, 50), ...spread(injected, 50)];
console.log(`${allEpisodes.length} episodes, ${injected.length} with an injection; measuring ${requests} requests per endpoint\n`);

const results: { name: string; p50: number; p95: number; p99: number }[] = [];
async function measure(name: string, call: (i: number) => Promise<Response>): Promise<void> {
  if (values.only !== undefined && !name.includes(values.only)) return;
  for (let i = 0; i < 20; i++) await (await call(i)).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const res = await call(i);
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${name}: HTTP ${res.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  const row = { name, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
  results.push(row);
  const f = (v: number) => v.toFixed(1).padStart(7);
  console.log(`${name.padEnd(44)} p50 ${f(row.p50)} ms   p95 ${f(row.p95)} ms   p99 ${f(row.p99)} ms${row.p99 >= 50 ? '   OVER BUDGET' : ''}`);
}
const get = (who: Role, url: string) => fetch(`${base}/api/v1${url}`, { headers: sessions[who] });
const episode = (i: number) => episodes[i % episodes.length]!;

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`load average at the start: ${load()} (on ${os.cpus().length} cores); the first line is the floor: a signed-in call that only looks up the session`);
const surnames = ['sm', 'jo', 'wil', 'br', 'ta', 'mi', 'ga', 'le'];
await measure('GET /auth/session (floor)', () => get('clinician', '/auth/session'));
await measure('GET /patients (first page)', () => fetch(`${base}/api/v1/patients`, { headers }));
await measure('GET /patients?q=<prefix>', (i) => fetch(`${base}/api/v1/patients?q=${surnames[i % surnames.length]}`, { headers }));
await measure('GET /patients/:id (audited read)', (i) => fetch(`${base}/api/v1/patients/${ids[i % ids.length]}`, { headers }));
await measure('GET /patients/:id/episodes', (i) => fetch(`${base}/api/v1/patients/${ids[i % ids.length]}/episodes`, { headers }));
await measure('PATCH /patients/:id', (i) => fetch(`${base}/api/v1/patients/${ids[i % ids.length]}`, { method: 'PATCH', headers, body: JSON.stringify({ notes: `bench ${i}` }) }));
await measure('GET /audit (latest 100)', () => fetch(`${base}/api/v1/audit`, { headers }));

for (const { role } of DEMO_STAFF) await measure(`GET /worklist (${role})`, () => get(role, '/worklist'));
await measure('GET /episodes/:id/timeline', (i) => get('clinician', `/episodes/${episode(i)}/timeline`));
await measure('GET /episodes/:id/specimens', (i) => get('lab', `/episodes/${episode(i)}/specimens`));
await measure('GET /episodes/:id/procedures', (i) => get('clinician', `/episodes/${episode(i)}/procedures`));
await measure('GET /episodes/:id/assessments', (i) => get('clinician', `/episodes/${episode(i)}/assessments`));
await measure('GET /episodes/:id/adverse-events', (i) => get('clinician', `/episodes/${episode(i)}/adverse-events`));
await measure('GET /episodes/:id/consents', (i) => get('coordinator', `/episodes/${episode(i)}/consents`));
await measure('GET /episodes/:id/instructions', (i) => get('coordinator', `/episodes/${episode(i)}/instructions`));
await measure('GET /leads', () => get('coordinator', '/leads'));
await measure('GET /episodes/:id/follow-up', (i) => get('coordinator', `/episodes/${episode(i)}/follow-up`));
await measure('GET /follow-up/worklist', () => get('coordinator', '/follow-up/worklist'));
// A served clinic's scheduler keeps the summary's rollup at most 30 minutes old: build it as it would.
const clinicId = (await store.db.selectFrom('clinic').select('id').executeTakeFirstOrThrow()).id;
if (values.only === undefined || 'GET /outcomes/summary'.includes(values.only)) {
  const t0 = performance.now();
  await refreshOutcomeRollup(store, clinicId);
  const { source } = (await (await get('clinician', '/outcomes/summary')).json()) as { source: string };
  console.log(`(outcome rollup rebuilt in ${(performance.now() - t0).toFixed(0)} ms; the default summary now answers from: ${source})`);
}
await measure('GET /outcomes/summary (default)', () => get('clinician', '/outcomes/summary'));
await measure('GET /outcomes/summary?live=true', () => get('clinician', '/outcomes/summary?live=true'));

console.log(`load average at the end: ${load()}`);
const over = results.filter((r) => r.p99 >= 50);
console.log(`\n${over.length === 0 ? 'every endpoint measured is within' : `${over.length} endpoint(s) over`} the budget (p99 < 50 ms)${over.length ? `: ${over.map((r) => r.name).join(', ')}` : ''}`);

await app.close();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
