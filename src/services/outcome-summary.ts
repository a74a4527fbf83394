import { sql, type RawBuilder } from 'kysely';
import {
  BASELINE_TIME_POINT_CODE, INJECTION_STRUCTURES, INSTRUMENTS, meanChangeFromSums, pgicValue, responderInstruments, wilsonInterval,
  type MeanChange, type ResponderRule,
} from '../science/index.js';
import type { Store } from '../store/db.js';
import type { RollupKind } from '../store/schema-outcomes.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { addSeconds, nowIso, todayIso } from './clock.js';
import { invalid } from './errors.js';
import { loadOutcomeSettings, responderRuleEntries, type ResponderRuleEntry, type ResponderRules } from './outcome-settings.js';
import { assertCan } from './permissions.js';

/**
 * The clinic's outcome summary: per indication × time point × instrument, how many were due,
 * invited and completed, the mean score, the mean change from baseline with its 95 % t
 * interval, and per indication × time point the responders with a Wilson 95 % interval under
 * each of the clinic's responder rules (one per instrument, printed beside its figure).
 *
 * Built for 1,000,000 episodes: three GROUP BY queries aggregate in the database, each reading
 * narrow covering indexes that lead with clinic_id (index-only scans on PostgreSQL); a follow-up
 * response carries its baseline score, so the paired change needs no self-join and comes back as
 * n, Σd and Σd² (only its interval is computed here); the responder rule is compiled to one SQL
 * boolean expression per instrument. No per-patient loop in this process.
 *
 * Filters by the recorded injection (clinician, target structure) are EXISTS semi-joins on
 * injection_procedure (clinic_id, performed_by, episode_id) and injection_target (clinic_id,
 * structure, episode_id); with both, one EXISTS asks for the same procedure.
 *
 * A large clinic is answered from the rollup (outcome_rollup): additive cells per procedure month,
 * built by the scheduler, for each (clinician_id, structure) pair where '' means "any":
 *   ('', '')  every episode (today's summary);
 *   (c, '')   the episodes with a recorded injection performed by c;
 *   ('', s)   the episodes with a target in structure s;
 *   (c, s)    the episodes with an injection by c that has a target in s (the same procedure).
 * An episode's pairs are DISTINCT (episode, clinician, structure) rows of its recorded injections —
 * exactly the episodes the live EXISTS filter selects — so each episode counts once per cell: an
 * episode with two targets in the same structure counts once in that structure's cell, and an
 * episode with targets in two structures (or injections by two clinicians) sits in both cells.
 * Cells of different structures (or clinicians) therefore overlap and must never be summed
 * together; no read does: a read fixes one (clinician_id, structure) pair — '' for a filter not
 * given — and sums only over months and indications, along which every episode sits in exactly one
 * cell. The unfiltered totals come from the ('', '') cells, never from adding up structures.
 *
 * Building those cells in one pass over the data: episodes with the same set of pairs (their
 * "signature": few distinct ones, as a clinic has few clinicians and structures) are grouped
 * together by the three queries, then each signature's small aggregated rows are added into every
 * cell of its pairs here. Measured on PostgreSQL at 100,000 episodes (bench/outcome-summary.ts): a
 * rebuild takes 7–9 s this way; one GROUP BY pass per dimension pair read the data four times over
 * (its queries alone 25 s, the rebuild 40 s), and one UNION ALL join to every (episode, pair) row was
 * slower still (27 s of queries). (SQLite has no GROUPING SETS, and they would not help: the pairs
 * are rows, not columns.)
 */

export interface SummaryFilters {
  /** procedure date from (inclusive), YYYY-MM-DD */
  from?: string;
  /** procedure date to (inclusive), YYYY-MM-DD */
  to?: string;
  indication?: string;
  /** the clinician who performed the recorded injection (staff id) */
  clinicianId?: string;
  /** a structure injected (injection target code, e.g. facet-joint) */
  structure?: string;
}

export interface TimePointSummary {
  indication: string;
  timePoint: string;
  label: string;
  /** time points attached (stopped ones included) */
  scheduled: number;
  /** window opened, not stopped (the completion denominator) */
  due: number;
  /** at least one email sent */
  invited: number;
  /** every instrument answered */
  completed: number;
  stopped: number;
  optedOut: number;
}

export interface InstrumentSummary {
  indication: string;
  timePoint: string;
  label: string;
  instrument: string;
  due: number;
  invited: number;
  /** completed responses to this instrument */
  completed: number;
  /** completed / due × 100; null when nothing is due */
  completionPercent: number | null;
  /** responses with a score (an ODI with two sections missing has none) */
  scored: number;
  meanScore: number | null;
  /** completed baselines of this instrument in the same cohort (report beside the change's n) */
  baselineN: number;
  /** follow-up − baseline over complete pairs (null at baseline); negative = better when higher is worse */
  change: MeanChange | null;
}

export interface ResponderSummary {
  indication: string;
  timePoint: string;
  label: string;
  /** the instrument whose responder rule this is */
  instrument: string;
  /** follow-ups for which the rule could decide */
  evaluable: number;
  responders: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  rule: string;
}

export interface OutcomeSummary {
  asOf: string;
  /** 'live': computed now; 'rollup': summed from the month cells the scheduler built at `computedAt` */
  source: 'live' | 'rollup';
  computedAt: string;
  filters: SummaryFilters;
  confidence: number;
  /** the clinic's responder rules, one per instrument, each printed beside its figures */
  responderRules: ResponderRuleEntry[];
  timePoints: TimePointSummary[];
  instruments: InstrumentSummary[];
  responders: ResponderSummary[];
}

/** Slack when comparing with a rule's threshold, as `isResponder` uses (responder.ts). */
const THRESHOLD_TOLERANCE = 1e-9;

/**
 * The responder rule as one SQL boolean over the pivot columns f<i> (follow-up) and b<i>
 * (baseline) of each instrument the rule reads. SQL's AND / OR / comparisons with NULL are
 * exactly the three-valued (Kleene) logic of `isResponder`: a missing score makes a sub-rule
 * unknown, `all` is false as soon as one part is false, `any` true as soon as one is true.
 */
function responderRuleSql(rule: ResponderRule, column: (instrument: string, which: 'f' | 'b') => RawBuilder<number>): RawBuilder<boolean> {
  switch (rule.kind) {
    case 'absolute': {
      const f = column(rule.instrument, 'f');
      const b = column(rule.instrument, 'b');
      const improvement = rule.direction === 'decrease' ? sql`(${b} - ${f})` : sql`(${f} - ${b})`;
      return sql<boolean>`(${improvement} >= ${rule.points - THRESHOLD_TOLERANCE})`;
    }
    case 'percent': {
      const f = column(rule.instrument, 'f');
      const b = column(rule.instrument, 'b');
      // Ostelo 2008 / IMMPACT 2008: (baseline − follow-up) / baseline × 100; unknown for a baseline of 0
      return sql<boolean>`(case when ${b} = 0 then null else ((${b} - ${f}) * 100.0 / ${b}) >= ${rule.percent - THRESHOLD_TOLERANCE} end)`;
    }
    case 'pgic':
      // PGIC is stored as its 1–7 value; lower is better (Guy 1976 coding)
      return sql<boolean>`(${column('pgic', 'f')} <= ${pgicValue(rule.atLeast)})`;
    case 'all':
    case 'any':
      return sql<boolean>`(${sql.join(rule.rules.map((r) => responderRuleSql(r, column)), rule.kind === 'all' ? sql` and ` : sql` or `)})`;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A clinic with at least this many time points is summarised from the rollup when it is fresh.
 * Live costs about 3 µs per time point on SQLite (bench/run.ts at 2,000 patients: 13,914 time
 * points, 45 ms p50 for the three queries), so above ~5,000 the live summary would leave the
 * 50 ms budget; the rollup of such a clinic rebuilds in well under a second.
 */
const ROLLUP_MIN_TIME_POINTS = 5_000;
/** The scheduler rebuilds a large clinic's rollup this often (and checks a small clinic's size). */
const ROLLUP_REFRESH_SECONDS = 10 * 60;
/** A rollup older than this is not used: the summary is computed live instead. */
const ROLLUP_MAX_AGE_SECONDS = 30 * 60;

/** A rollup cell's dimensions ('' = all); `signature` groups the rows of episodes with the same pairs (refresh only). */
interface Dimensions { clinician_id?: string; structure?: string; signature?: number }
export interface TimePointRow extends Dimensions { indication: string; code: string; month?: string; position: number; label: string; scheduled: number; due: number; invited: number; completed: number; stopped: number; opted_out: number }
export interface InstrumentRow extends Dimensions { indication: string; code: string; month?: string; instrument: string; completed: number; scored: number; sum_score: number | null; pairs: number; sum_d: number | null; sum_d2: number | null }
interface ResponderRow extends Dimensions { indication: string; code: string; month?: string; instrument: string; responders: number; evaluable: number }
interface Rows { timePoints: TimePointRow[]; instruments: InstrumentRow[]; responders: ResponderRow[] }

/**
 * The three GROUP BY queries over one clinic's cohort; with `byMonth` also grouped by the month
 * of the procedure (what the rollup stores). Every figure is a count or a sum, so month cells add up.
 */
export interface SummaryQueries {
  timePoints: RawBuilder<TimePointRow>;
  instruments: RawBuilder<InstrumentRow>;
  /** null when the clinic has no responder rule */
  responders: RawBuilder<Record<string, unknown> & Dimensions & { indication: string; code: string; month?: string }> | null;
  /** the instrument of responders_<i> / evaluable_<i> */
  ruleInstruments: string[];
}

/**
 * The summary's three GROUP BY queries (exported for the benchmark's EXPLAIN, bench/outcome-summary.ts).
 * With `bySignature` (the rollup refresh, after `createSignatures`) also grouped by the episode's signature.
 */
export function summaryQueries(clinicId: string, today: string, rules: ResponderRules, filters: SummaryFilters, byMonth: boolean, bySignature = false): SummaryQueries {
  const cohort = (alias: string) => {
    const e = (column: string) => sql.ref(`${alias}.${column}`);
    const parts: RawBuilder<unknown>[] = [sql`${e('clinic_id')} = ${clinicId}`];
    if (filters.from) parts.push(sql`${e('planned_procedure_on')} >= ${filters.from}`);
    if (filters.to) parts.push(sql`${e('planned_procedure_on')} <= ${filters.to}`);
    if (filters.indication) parts.push(sql`${e('indication')} = ${filters.indication}`);
    if (filters.clinicianId && filters.structure) {
      parts.push(sql`exists (select 1 from injection_procedure ip join injection_target it on it.clinic_id = ip.clinic_id and it.procedure_id = ip.id
        where ip.clinic_id = ${e('clinic_id')} and ip.episode_id = ${e('id')} and ip.performed_by = ${filters.clinicianId} and it.structure = ${filters.structure})`);
    } else if (filters.clinicianId) {
      parts.push(sql`exists (select 1 from injection_procedure ip where ip.clinic_id = ${e('clinic_id')} and ip.episode_id = ${e('id')} and ip.performed_by = ${filters.clinicianId})`);
    } else if (filters.structure) {
      parts.push(sql`exists (select 1 from injection_target it where it.clinic_id = ${e('clinic_id')} and it.episode_id = ${e('id')} and it.structure = ${filters.structure})`);
    }
    return sql.join(parts, sql` and `);
  };
  // An episode without a recorded injection has no signature row: signature 0, only in the ('', '') cells.
  const dimJoin = bySignature ? sql`left join rollup_signature g on g.episode_id = e.id` : sql``;
  const cellGroup = sql`${byMonth ? sql`, substr(e.planned_procedure_on, 1, 7)` : sql``}${bySignature ? sql`, coalesce(g.signature, 0)` : sql``}`;
  const cellColumns = sql`${byMonth ? sql`substr(e.planned_procedure_on, 1, 7) as month,` : sql``}${bySignature ? sql` coalesce(g.signature, 0) as signature,` : sql``}`;

  const timePoints = sql<TimePointRow>`
    select e.indication as indication, t.code as code, ${cellColumns} min(t.position) as position, min(t.label) as label,
      count(*) as scheduled,
      sum(case when t.status = 'completed' or (t.status <> 'stopped' and t.window_start_on <= ${today}) then 1 else 0 end) as due,
      sum(case when t.invited_at is not null then 1 else 0 end) as invited,
      sum(case when t.status = 'completed' then 1 else 0 end) as completed,
      sum(case when t.status = 'stopped' then 1 else 0 end) as stopped,
      sum(case when t.stop_reason = 'opted-out' then 1 else 0 end) as opted_out
    from episode e ${dimJoin}
    join follow_up_time_point t on t.clinic_id = e.clinic_id and t.episode_id = e.id
    where ${cohort('e')}
    group by e.indication, t.code ${cellGroup}`;

  // A follow-up response carries its baseline score: the paired change is Σd and Σd² of one table.
  const instruments = sql<InstrumentRow>`
    select e.indication as indication, r.time_point_code as code, ${cellColumns} r.instrument_code as instrument,
      count(*) as completed, count(r.score) as scored, sum(r.score) as sum_score,
      sum(case when r.score is not null and r.baseline_score is not null then 1 else 0 end) as pairs,
      sum(r.score - r.baseline_score) as sum_d,
      sum((r.score - r.baseline_score) * (r.score - r.baseline_score)) as sum_d2
    from episode e ${dimJoin}
    join survey_response r on r.clinic_id = e.clinic_id and r.episode_id = e.id and r.status = 'completed'
    where ${cohort('e')}
    group by e.indication, r.time_point_code, r.instrument_code ${cellGroup}`;

  // Responders: one row per episode × follow-up time point with every scored instrument a rule
  // reads side by side (f = follow-up, b = baseline), then each instrument's compiled rule counted
  // per indication × time point — one pass whatever the number of rules.
  const entries = Object.entries(rules);
  const codes = [...new Set(entries.flatMap(([, rule]) => responderInstruments(rule)))];
  const alias = (code: string, which: 'f' | 'b') => `${which}${codes.indexOf(code)}`;
  const pivot = codes.flatMap((code) => [
    sql`max(case when r.instrument_code = ${code} then r.score end) as ${sql.ref(alias(code, 'f'))}`,
    sql`max(case when r.instrument_code = ${code} then r.baseline_score end) as ${sql.ref(alias(code, 'b'))}`,
  ]);
  const counts = entries.flatMap(([, rule], i) => {
    const decided = responderRuleSql(rule, (code, which) => sql<number>`${sql.ref(`p.${alias(code, which)}`)}`);
    return [
      sql`sum(case when ${decided} then 1 else 0 end) as ${sql.ref(`responders_${i}`)}`,
      sql`sum(case when ${decided} is null then 0 else 1 end) as ${sql.ref(`evaluable_${i}`)}`,
    ];
  });
  const responders = entries.length === 0 ? null : sql<Record<string, unknown> & Dimensions & { indication: string; code: string; month?: string }>`
      select p.indication as indication, p.time_point_code as code, ${byMonth ? sql`p.month as month,` : sql``} ${bySignature ? sql`p.signature as signature,` : sql``} ${sql.join(counts)}
      from (
        select e.indication as indication, ${cellColumns} r.episode_id as episode_id, r.time_point_code as time_point_code, ${sql.join(pivot)}
        from episode e ${dimJoin}
        join survey_response r on r.clinic_id = e.clinic_id and r.episode_id = e.id and r.status = 'completed'
        where ${cohort('e')} and r.time_point_code <> ${BASELINE_TIME_POINT_CODE} and r.instrument_code in (${sql.join(codes)})
        group by e.indication, r.episode_id, r.time_point_code ${cellGroup}
      ) p
      group by p.indication, p.time_point_code ${byMonth ? sql`, p.month` : sql``} ${bySignature ? sql`, p.signature` : sql``}`;
  return { timePoints, instruments, responders, ruleInstruments: entries.map(([instrument]) => instrument) };
}

async function aggregate(trx: Trx, clinicId: string, today: string, rules: ResponderRules, filters: SummaryFilters, byMonth: boolean, bySignature = false): Promise<Rows> {
  const q = summaryQueries(clinicId, today, rules, filters, byMonth, bySignature);
  const timePoints = (await q.timePoints.execute(trx)).rows;
  const instruments = (await q.instruments.execute(trx)).rows;
  const responders: ResponderRow[] = [];
  if (q.responders) {
    for (const w of (await q.responders.execute(trx)).rows) {
      q.ruleInstruments.forEach((instrument, i) => {
        responders.push({
          indication: w.indication, code: w.code, ...(byMonth ? { month: w.month } : {}), ...(bySignature ? { signature: Number(w.signature) } : {}),
          instrument, responders: Number(w[`responders_${i}`]), evaluable: Number(w[`evaluable_${i}`]),
        });
      });
    }
  }
  return { timePoints, instruments, responders };
}

/**
 * The (episode_id, clinician_id, structure) pairs of the clinic's recorded injections: (c, ''),
 * ('', s) and (c, s) — every cell an episode sits in besides ('', ''). DISTINCT: an episode counts
 * once per cell however many injections or targets put it there; (c, s) takes the clinician and the
 * structure from the same procedure, as the live filter does.
 */
function injectionPairs(clinicId: string): RawBuilder<{ episode_id: string; clinician_id: string; structure: string }> {
  return sql`select distinct ip.episode_id as episode_id, ip.performed_by as clinician_id, '' as structure
      from injection_procedure ip where ip.clinic_id = ${clinicId}
    union all select distinct it.episode_id, '', it.structure
      from injection_target it where it.clinic_id = ${clinicId}
    union all select distinct ip.episode_id, ip.performed_by, it.structure
      from injection_procedure ip join injection_target it on it.clinic_id = ip.clinic_id and it.procedure_id = ip.id where ip.clinic_id = ${clinicId}`;
}

interface Pair { clinician_id: string; structure: string }

/**
 * Fills the transaction's temporary table rollup_signature (episode → a small integer naming its
 * set of pairs; episodes with equal sets share it) and returns each signature's pairs.
 */
async function createSignatures(trx: Trx, dialect: Store['dialect'], clinicId: string): Promise<Map<number, Pair[]>> {
  const pg = dialect === 'postgres';
  await sql`create temporary table rollup_signature (episode_id text primary key, signature integer not null) ${pg ? sql`on commit drop` : sql``}`.execute(trx);
  // Staff ids (UUIDs) and structure codes hold no '|' or ',': equal strings are equal sets.
  const token = sql`p.clinician_id || '|' || p.structure`;
  const set = pg ? sql`string_agg(${token}, ',' order by p.clinician_id, p.structure)` : sql`group_concat(${token}, ',' order by p.clinician_id, p.structure)`;
  await sql`insert into rollup_signature (episode_id, signature)
    select z.episode_id, dense_rank() over (order by z.pairs) from (select p.episode_id as episode_id, ${set} as pairs from (${injectionPairs(clinicId)}) p group by p.episode_id) z`.execute(trx);
  if (pg) await sql`analyze rollup_signature`.execute(trx);
  const rows = (await sql<Pair & { signature: number }>`select distinct g.signature as signature, p.clinician_id as clinician_id, p.structure as structure
    from (${injectionPairs(clinicId)}) p join rollup_signature g on g.episode_id = p.episode_id`.execute(trx)).rows;
  const pairs = new Map<number, Pair[]>();
  for (const r of rows) {
    const list = pairs.get(Number(r.signature)) ?? [];
    list.push({ clinician_id: r.clinician_id, structure: r.structure });
    pairs.set(Number(r.signature), list);
  }
  return pairs;
}

const addNullable = (a: number | null, b: number | string | null): number | null => (b === null ? a : (a ?? 0) + Number(b));

/**
 * The rows grouped by signature, added into every cell of the signature's pairs and into ('', '').
 * Counts and sums only (and the time point's position and label, which are the same in every row).
 */
function expandSignatures(rows: Rows, pairsOf: Map<number, Pair[]>): Rows {
  const ALL: Pair = { clinician_id: '', structure: '' };
  function add<T extends Dimensions & { indication: string; code: string; month?: string }>(list: T[], key: (r: T) => string, merge: (into: T, r: T) => void): T[] {
    const cells = new Map<string, T>();
    for (const r of list) {
      for (const pair of [ALL, ...(pairsOf.get(Number(r.signature ?? 0)) ?? [])]) {
        const k = `${pair.clinician_id}\u0000${pair.structure}\u0000${r.indication}\u0000${r.month ?? ''}\u0000${r.code}\u0000${key(r)}`;
        const cell = cells.get(k);
        if (cell) merge(cell, r);
        else cells.set(k, { ...r, ...pair, signature: undefined });
      }
    }
    return [...cells.values()];
  }
  return {
    timePoints: add(rows.timePoints, () => '', (c, r) => {
      c.position = Math.min(Number(c.position), Number(r.position));
      if (r.label < c.label) c.label = r.label;
      for (const f of ['scheduled', 'due', 'invited', 'completed', 'stopped', 'opted_out'] as const) c[f] = Number(c[f]) + Number(r[f]);
    }),
    instruments: add(rows.instruments, (r) => r.instrument, (c, r) => {
      for (const f of ['completed', 'scored', 'pairs'] as const) c[f] = Number(c[f]) + Number(r[f]);
      for (const f of ['sum_score', 'sum_d', 'sum_d2'] as const) c[f] = addNullable(c[f] === null ? null : Number(c[f]), r[f]);
    }),
    responders: add(rows.responders, (r) => r.instrument, (c, r) => {
      c.responders += r.responders;
      c.evaluable += r.evaluable;
    }),
  };
}

/**
 * Rebuilds one clinic's rollup (per procedure month × clinician × structure, see the top of this
 * file) when it is large enough to need one; for a small clinic it only records the size it saw. One server at a time per clinic (the state row is
 * taken with FOR UPDATE SKIP LOCKED on PostgreSQL). Returns whether cells were written.
 */
export async function refreshOutcomeRollup(store: Store, clinicId: string, now: string = nowIso(), options: { minTimePoints?: number } = {}): Promise<boolean> {
  const minTimePoints = options.minTimePoints ?? ROLLUP_MIN_TIME_POINTS;
  return inTransaction(store, async (trx) => {
    await trx.insertInto('outcome_rollup_state').values({ clinic_id: clinicId, computed_at: null, as_of: null, rule_json: null, time_points: 0 })
      .onConflict((oc) => oc.column('clinic_id').doNothing()).execute();
    let q = trx.selectFrom('outcome_rollup_state').selectAll().where('clinic_id', '=', clinicId);
    if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
    if (!(await q.executeTakeFirst())) return false; // another server is refreshing it
    const clinic = await trx.selectFrom('clinic').select('time_zone').where('id', '=', clinicId).executeTakeFirstOrThrow();
    const today = todayIso(clinic.time_zone, new Date(now));
    const size = Number((await trx.selectFrom('follow_up_time_point').select((eb) => eb.fn.countAll<number>().as('n')).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow()).n);
    await trx.deleteFrom('outcome_rollup').where('clinic_id', '=', clinicId).execute();
    const settings = await loadOutcomeSettings(trx, clinicId);
    let written = false;
    if (size >= minTimePoints) {
      const pairsOf = await createSignatures(trx, store.dialect, clinicId);
      const rows = await aggregate(trx, clinicId, today, settings.responderRules, {}, true, true);
      if (store.dialect === 'sqlite') await sql`drop table temp.rollup_signature`.execute(trx);
      await writeCells(trx, clinicId, expandSignatures(rows, pairsOf));
      written = true;
    }
    await trx.updateTable('outcome_rollup_state').set({ computed_at: now, as_of: today, rule_json: JSON.stringify(settings.responderRules), time_points: size }).where('clinic_id', '=', clinicId).execute();
    return written;
  });
}

/** Inserts the cells (rows with their clinician_id and structure). */
async function writeCells(trx: Trx, clinicId: string, rows: Rows): Promise<void> {
  const base = (r: Dimensions & { indication: string; code: string; month?: string }, kind: RollupKind, instrument = '') => ({
    clinic_id: clinicId, kind, clinician_id: r.clinician_id ?? '', structure: r.structure ?? '',
    indication: r.indication, procedure_month: r.month ?? '', time_point_code: r.code, instrument_code: instrument,
    position: null, label: null, scheduled: null, due: null, invited: null, completed: null, stopped: null, opted_out: null,
    scored: null, sum_score: null, pairs: null, sum_d: null, sum_d2: null, responders: null, evaluable: null,
  });
  const cells = [
    ...rows.timePoints.map((r) => ({ ...base(r, 'time-point'), position: Number(r.position), label: r.label, scheduled: Number(r.scheduled), due: Number(r.due), invited: Number(r.invited), completed: Number(r.completed), stopped: Number(r.stopped), opted_out: Number(r.opted_out) })),
    ...rows.instruments.map((r) => ({ ...base(r, 'instrument', r.instrument), completed: Number(r.completed), scored: Number(r.scored), sum_score: r.sum_score === null ? null : Number(r.sum_score), pairs: Number(r.pairs), sum_d: r.sum_d === null ? null : Number(r.sum_d), sum_d2: r.sum_d2 === null ? null : Number(r.sum_d2) })),
    ...rows.responders.map((r) => ({ ...base(r, 'responders', r.instrument), responders: Number(r.responders), evaluable: Number(r.evaluable) })),
  ];
  // 24 columns × 400 rows: under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters
  for (let i = 0; i < cells.length; i += 400) await trx.insertInto('outcome_rollup').values(cells.slice(i, i + 400)).execute();
}

/** Whether the scheduler should rebuild (or re-measure) this clinic's rollup now. */
export async function rollupDue(store: Store, clinicId: string, now: string = nowIso()): Promise<boolean> {
  const state = await store.db.selectFrom('outcome_rollup_state').select('computed_at').where('clinic_id', '=', clinicId).executeTakeFirst();
  return !state?.computed_at || addSeconds(state.computed_at, ROLLUP_REFRESH_SECONDS) <= now;
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * The rollup's cells summed over a month-aligned cohort, in the shape of the live queries: the cells
 * of one (clinician_id, structure) pair only ('' for a filter not given), summed over months and
 * indications — never across clinicians or structures, whose cells overlap.
 */
async function fromRollup(trx: Trx, clinicId: string, filters: SummaryFilters): Promise<Rows> {
  const cells = (kind: RollupKind) => {
    let q = trx.selectFrom('outcome_rollup').where('clinic_id', '=', clinicId).where('kind', '=', kind)
      .where('clinician_id', '=', filters.clinicianId ?? '').where('structure', '=', filters.structure ?? '');
    if (filters.from) q = q.where('procedure_month', '>=', filters.from.slice(0, 7));
    if (filters.to) q = q.where('procedure_month', '<=', filters.to.slice(0, 7));
    if (filters.indication) q = q.where('indication', '=', filters.indication);
    return q;
  };
  const sum = (column: 'scheduled' | 'due' | 'invited' | 'completed' | 'stopped' | 'opted_out' | 'scored' | 'sum_score' | 'pairs' | 'sum_d' | 'sum_d2' | 'responders' | 'evaluable') => sql<number>`sum(${sql.ref(column)})`.as(column);
  const timePoints = await cells('time-point').select(['indication', 'time_point_code as code', sql<number>`min(position)`.as('position'), sql<string>`min(label)`.as('label'),
    sum('scheduled'), sum('due'), sum('invited'), sum('completed'), sum('stopped'), sum('opted_out')]).groupBy(['indication', 'time_point_code']).execute();
  const instruments = await cells('instrument').select(['indication', 'time_point_code as code', 'instrument_code as instrument',
    sum('completed'), sum('scored'), sum('sum_score'), sum('pairs'), sum('sum_d'), sum('sum_d2')]).groupBy(['indication', 'time_point_code', 'instrument_code']).execute();
  const responders = await cells('responders').select(['indication', 'time_point_code as code', 'instrument_code as instrument', sum('responders'), sum('evaluable')]).groupBy(['indication', 'time_point_code', 'instrument_code']).execute();
  return { timePoints: timePoints as TimePointRow[], instruments: instruments as InstrumentRow[], responders: responders as ResponderRow[] };
}

export interface SummaryOptions {
  /** 'auto' (default): the rollup when the clinic is large, it is fresh and the range is whole months; else live */
  source?: 'auto' | 'live' | 'rollup';
}

export async function outcomeSummary(services: Services, actor: Actor, filters: SummaryFilters, options: SummaryOptions = {}): Promise<OutcomeSummary> {
  assertCan(actor, 'outcome:read');
  if (filters.from && !DATE.test(filters.from)) throw invalid('from', 'Use a date written YYYY-MM-DD.');
  if (filters.to && !DATE.test(filters.to)) throw invalid('to', 'Use a date written YYYY-MM-DD.');
  if (filters.from && filters.to && filters.from > filters.to) throw invalid('to', 'The end of the date range is before its start.');
  if (filters.structure && !(INJECTION_STRUCTURES as readonly string[]).includes(filters.structure)) throw invalid('structure', `Use one of ${INJECTION_STRUCTURES.join(', ')}.`);
  const { store } = services;
  const clinicId = actor.clinicId;
  return inTransaction(store, async (trx) => {
    if (filters.clinicianId) {
      const staff = await trx.selectFrom('staff_user').select('id').where('id', '=', filters.clinicianId).where('clinic_id', '=', clinicId).executeTakeFirst();
      if (!staff) throw invalid('clinicianId', 'No staff member of this clinic has that id.');
    }
    const settings = await loadOutcomeSettings(trx, clinicId);
    const today = todayIso(actor.timeZone);
    const rules = settings.responderRules;
    // The rollup's cells are whole procedure months (and any clinician / structure, see fromRollup).
    const monthAligned = (!filters.from || filters.from.endsWith('-01')) && (!filters.to || filters.to === lastDayOfMonth(filters.to.slice(0, 7)));
    let useRollup = false;
    let computedAt = nowIso();
    if (options.source !== 'live' && monthAligned) {
      const state = await trx.selectFrom('outcome_rollup_state').selectAll().where('clinic_id', '=', clinicId).executeTakeFirst();
      const fresh = state?.computed_at && state.as_of === today && state.rule_json === JSON.stringify(rules)
        && addSeconds(state.computed_at, ROLLUP_MAX_AGE_SECONDS) > nowIso();
      const large = (state?.time_points ?? 0) >= ROLLUP_MIN_TIME_POINTS;
      useRollup = Boolean(fresh && (large || options.source === 'rollup'));
      if (useRollup) computedAt = state!.computed_at!;
    }
    const rows = useRollup ? await fromRollup(trx, clinicId, filters) : await aggregate(trx, clinicId, today, rules, filters, false);
    return present(rows, { today, filters, rules, source: useRollup ? 'rollup' : 'live', computedAt });
  });
}

function present(rows: Rows, context: { today: string; filters: SummaryFilters; rules: ResponderRules; source: 'live' | 'rollup'; computedAt: string }): OutcomeSummary {
  const { timePoints: timePointRows, instruments: instrumentRows, responders: responderRows } = rows;
  const pointKey = (indication: string, code: string) => `${indication}\u0000${code}`;
  const points = new Map(timePointRows.map((r) => [pointKey(r.indication, r.code), r]));
  const positionOf = (indication: string, code: string) => Number(points.get(pointKey(indication, code))?.position ?? 999);
  const labelOf = (indication: string, code: string) => points.get(pointKey(indication, code))?.label ?? code;
  const instrumentOrder = Object.keys(INSTRUMENTS);
  const baselines = new Map(instrumentRows.filter((r) => r.code === BASELINE_TIME_POINT_CODE).map((r) => [`${r.indication}\u0000${r.instrument}`, Number(r.completed)]));
  const byPoint = <T extends { indication: string; timePoint: string }>(a: T, b: T) => a.indication.localeCompare(b.indication) || positionOf(a.indication, a.timePoint) - positionOf(b.indication, b.timePoint);

  const timePoints: TimePointSummary[] = timePointRows.map((r) => ({
    indication: r.indication, timePoint: r.code, label: r.label, scheduled: Number(r.scheduled), due: Number(r.due), invited: Number(r.invited),
    completed: Number(r.completed), stopped: Number(r.stopped), optedOut: Number(r.opted_out),
  })).sort(byPoint);

  const instruments: InstrumentSummary[] = instrumentRows.map((r) => {
    const point = points.get(pointKey(r.indication, r.code));
    const due = Number(point?.due ?? 0);
    const completed = Number(r.completed);
    const scored = Number(r.scored);
    return {
      indication: r.indication, timePoint: r.code, label: labelOf(r.indication, r.code), instrument: r.instrument,
      due, invited: Number(point?.invited ?? 0), completed, completionPercent: due > 0 ? (completed / due) * 100 : null,
      scored, meanScore: scored > 0 && r.sum_score !== null ? Number(r.sum_score) / scored : null,
      baselineN: baselines.get(`${r.indication}\u0000${r.instrument}`) ?? 0,
      change: r.code === BASELINE_TIME_POINT_CODE ? null : meanChangeFromSums({ n: Number(r.pairs), sum: Number(r.sum_d ?? 0), sumOfSquares: Number(r.sum_d2 ?? 0) }),
    };
  }).sort((a, b) => byPoint(a, b) || instrumentOrder.indexOf(a.instrument) - instrumentOrder.indexOf(b.instrument));

  const ruleList = responderRuleEntries(context.rules);
  const ruleText = new Map(ruleList.map((e) => [e.instrument, e.text]));
  // A rule that decided nobody here (its instrument not asked, or no baseline pairs) prints no figure.
  const responders: ResponderSummary[] = responderRows.filter((r) => ruleText.has(r.instrument) && Number(r.evaluable) > 0).map((r) => ({
    indication: r.indication, timePoint: r.code, label: labelOf(r.indication, r.code), instrument: r.instrument, evaluable: Number(r.evaluable), responders: Number(r.responders),
    ...wilsonInterval(Number(r.responders), Number(r.evaluable)), rule: ruleText.get(r.instrument)!,
  })).sort((a, b) => byPoint(a, b) || instrumentOrder.indexOf(a.instrument) - instrumentOrder.indexOf(b.instrument));

  return {
    asOf: context.today, filters: context.filters, confidence: 0.95, source: context.source, computedAt: context.computedAt,
    responderRules: ruleList, timePoints, instruments, responders,
  };
}
