/**
 * Staff API latency at demo scale (DESIGN.md budget: p99 < 50 ms on a 2-core machine).
 * Builds a synthetic clinic in a temp SQLite file (or DATABASE_URL), serves it on loopback and
 * sends a bounded number of sequential requests per endpoint from this process.
 *
 *   npm run bench -- [--patients 2000] [--requests 500]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createServer } from '../src/server.js';
import { openStore } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { buildSyntheticClinic, DEMO_PASSWORD, DEMO_STAFF } from '../src/services/synthetic-clinic.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '2000' }, requests: { type: 'string', default: '500' } } });
const patients = Number(values.patients);
const requests = Number(values.requests);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-bench-'));
const store = openStore(process.env.DATABASE_URL ?? path.join(dir, 'bench.db'));
await migrateToLatest(store);
const t0 = performance.now();
await buildSyntheticClinic(store, { seed: 7, patients, asOf: '2026-06-30' });
console.log(`synthetic clinic: ${patients} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s (${store.dialect})`);

const app = await createServer({ services: { store, config: { publicUrl: 'http://127.0.0.1', smtpUrl: undefined, secureCookies: false, dataDir: dir } }, webDir: undefined });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
const base = `http://127.0.0.1:${port}`;

const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_STAFF[0]!.email, password: DEMO_PASSWORD }) });
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const { csrfToken } = (await login.json()) as { csrfToken: string };
const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
const somePatients = (await (await fetch(`${base}/api/v1/patients?pageSize=100`, { headers })).json()) as { items: { id: string }[] };
const ids = somePatients.items.map((p) => p.id);

async function measure(name: string, call: (i: number) => Promise<Response>): Promise<void> {
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
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`${name.padEnd(34)} p50 ${q(0.5).padStart(6)} ms   p95 ${q(0.95).padStart(6)} ms   p99 ${q(0.99).padStart(6)} ms`);
}

const surnames = ['sm', 'jo', 'wil', 'br', 'ta', 'mi', 'ga', 'le'];
await measure('GET /patients (first page)', () => fetch(`${base}/api/v1/patients`, { headers }));
await measure('GET /patients?q=<prefix>', (i) => fetch(`${base}/api/v1/patients?q=${surnames[i % surnames.length]}`, { headers }));
await measure('GET /patients/:id (audited read)', (i) => fetch(`${base}/api/v1/patients/${ids[i % ids.length]}`, { headers }));
await measure('GET /patients/:id/episodes', (i) => fetch(`${base}/api/v1/patients/${ids[i % ids.length]}/episodes`, { headers }));
await measure('PATCH /patients/:id', (i) => fetch(`${base}/api/v1/patients/${ids[i % ids.length]}`, { method: 'PATCH', headers, body: JSON.stringify({ notes: `bench ${i}` }) }));
await measure('GET /audit (latest 100)', () => fetch(`${base}/api/v1/audit`, { headers }));

await app.close();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
