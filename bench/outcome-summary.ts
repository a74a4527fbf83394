/**
 * How the outcome summary scales: builds the synthetic clinic with its follow-up, answers and
 * injections (clinician, targets) on PostgreSQL, then prints EXPLAIN (ANALYZE, BUFFERS) of the
 * summary's three queries and the end-to-end time of the live summary, without and with each
 * filter (indication, dates, clinician, structure, clinician + structure). Then the rollup: the
 * time of a rebuild (refreshOutcomeRollup, cells per month × clinician × structure) and the
 * end-to-end time of each of those summaries answered from the rollup.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/autolog_bench npx tsx bench/outcome-summary.ts [--patients 87000] [--plans plans.txt] [--skip-live]
 *
 * ~87,000 synthetic patients give ~100,000 episodes. A database that already holds the synthetic
 * clinic is reused (delete it to rebuild). Run on demand, never in CI.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Services } from '../src/services/context.js';
import { DEMO_STAFF, buildSyntheticClinic } from '../src/services/synthetic-clinic.js';
import { buildSyntheticOutcomes } from '../src/services/synthetic-outcomes.js';
import { loadOutcomeSettings } from '../src/services/outcome-settings.js';
import { outcomeSummary, refreshOutcomeRollup, summaryQueries, type SummaryFilters } from '../src/services/outcome-summary.js';
import { openStore } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '87000' }, plans: { type: 'string' }, runs: { type: 'string', default: '5' }, 'skip-live': { type: 'boolean', default: false } } });
const url = process.env.DATABASE_URL;
if (!url?.startsWith('postgres')) throw new Error('Set DATABASE_URL to a PostgreSQL database: the plans are PostgreSQL plans.');
const store = openStore(url);
await migrateToLatest(store);
const asOf = '2026-06-30';

let clinic = await store.db.selectFrom('clinic').select(['id', 'time_zone']).executeTakeFirst();
if (!clinic) {
  const t0 = performance.now();
  const built = await buildSyntheticClinic(store, { seed: 7, patients: Number(values.patients), asOf }, (done) => { if (done % 10_000 === 0) process.stdout.write(`  ${done} patients\n`); });
  const outcomes = await buildSyntheticOutcomes(store, built.clinicId, { seed: 7, asOf }, (done) => { if (done % 20_000 < 500) process.stdout.write(`  ${done} episodes with follow-up\n`); });
  console.log(`built ${built.patients} patients, ${built.episodes} episodes, ${outcomes.timePoints} time points, ${outcomes.responses} answers, ${outcomes.injections} injections in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  clinic = await store.db.selectFrom('clinic').select(['id', 'time_zone']).executeTakeFirstOrThrow();
}
// As autovacuum leaves a settled database: statistics, and the visibility map index-only scans need.
await sql`vacuum analyze`.execute(store.db);
const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n);
console.log(`rows: episode ${await count('episode')}, follow_up_time_point ${await count('follow_up_time_point')}, survey_response ${await count('survey_response')}, injection_procedure ${await count('injection_procedure')}, injection_target ${await count('injection_target')}`);

// The busiest clinician and a mid-sized structure: a realistic filtered cohort.
const clinician = (await sql<{ performed_by: string; n: string }>`select performed_by, count(*) as n from injection_procedure where clinic_id = ${clinic.id} group by performed_by order by n desc limit 1`.execute(store.db)).rows[0]!.performed_by;
const settings = await loadOutcomeSettings(store.db, clinic.id);
const admin = await store.db.selectFrom('staff_user').select(['id', 'email']).where('clinic_id', '=', clinic.id).where('email', '=', DEMO_STAFF[0]!.email).executeTakeFirstOrThrow();
const services: Services = { store, config: { publicUrl: 'http://127.0.0.1', smtpUrl: undefined, secureCookies: false, dataDir: '.' } };
const actor = { userId: admin.id, clinicId: clinic.id, role: 'admin' as const, timeZone: clinic.time_zone, label: admin.email, ip: '127.0.0.1' };

const cases: [string, SummaryFilters][] = [
  ['no filter', {}],
  ['indication', { indication: 'lumbar-facet-joint-pain' }],
  ['dates (one year)', { from: '2025-07-01', to: '2026-06-30' }],
  ['clinician', { clinicianId: clinician }],
  ['structure', { structure: 'facet-joint' }],
  ['clinician + structure', { clinicianId: clinician, structure: 'intervertebral-disc' }],
  ['clinician + indication + dates', { clinicianId: clinician, indication: 'degenerative-disc-disease', from: '2025-07-01', to: '2026-06-30' }],
];

const planOut: string[] = [];
const runs = Number(values.runs);
const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
const liveCases = values['skip-live'] ? [] : cases;
if (liveCases.length > 0) console.log(`\n${'cohort'.padEnd(32)} ${'time points'.padStart(12)} ${'instruments'.padStart(12)} ${'responders'.padStart(12)}   live summary (median of ${runs})`);
for (const [name, filters] of liveCases) {
  const q = summaryQueries(clinic.id, asOf, settings.responderRules, filters, false);
  const timings: string[] = [];
  for (const [label, query] of [['time points', q.timePoints], ['instruments', q.instruments], ['responders', q.responders]] as const) {
    if (!query) { timings.push('—'); continue; }
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${query}`.execute(store.db)).rows.map((r) => r['QUERY PLAN']);
    planOut.push(`=== ${name}: ${label}\n${plan.join('\n')}\n`);
    timings.push(/Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1] ?? '?');
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await outcomeSummary(services, actor, filters, { source: 'live' });
    times.push(performance.now() - t0);
  }
  console.log(`${name.padEnd(32)} ${`${timings[0]} ms`.padStart(12)} ${`${timings[1]} ms`.padStart(12)} ${`${timings[2]} ms`.padStart(12)}   ${median(times).toFixed(0)} ms`);
}

// The rollup: a rebuild (all cells: every clinician × structure pair), then summaries read from it.
const rebuilds: number[] = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  const t0 = performance.now();
  await refreshOutcomeRollup(store, clinic.id);
  rebuilds.push(performance.now() - t0);
}
console.log(`\nrollup rebuild (refreshOutcomeRollup, median of ${rebuilds.length}): ${median(rebuilds).toFixed(0)} ms, ${await count('outcome_rollup')} cells`);

console.log(`\n${'cohort'.padEnd(32)} rollup summary (median of ${runs})`);
for (const [name, filters] of cases) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const s = await outcomeSummary(services, actor, filters, { source: 'rollup' });
    times.push(performance.now() - t0);
    if (s.source !== 'rollup') throw new Error(`${name}: answered ${s.source}`);
  }
  console.log(`${name.padEnd(32)} ${median(times).toFixed(1)} ms`);
}
if (planOut.length === 0) {
  // --skip-live: no plans
} else if (values.plans) {
  fs.writeFileSync(values.plans, planOut.join('\n'));
  console.log(`\nplans written to ${values.plans}`);
} else {
  console.log(`\n${planOut.filter((p) => /clinician \+ structure: responders|no filter: responders|structure: time points/.test(p.split('\n')[0]!)).join('\n')}`);
}
await store.close();
