/**
 * Responder rules: whether one patient's change from baseline counts as a clinically important
 * improvement. The rule is a clinic setting stored as data (this union, JSON-serialisable) and
 * recorded with every figure it produced (outcomes.md §3).
 */
import { ScienceInputError } from './errors.js';
import { INSTRUMENT_CODES } from './instrument-scoring.js';
import { isPgicAtLeast, isPgicCategory, type PgicCategory } from './instrument-pgic.js';

/** Which way a score moves when the patient gets better. */
export type ImprovementDirection = 'decrease' | 'increase';

/**
 * A responder rule.
 * - `absolute`: improvement of at least `points` in the instrument's units, in `direction`.
 * - `percent`: reduction of at least `percent` % of the baseline score. Only for scores where
 *   higher is worse and 0 means none (NRS, ODI, PEG, RMDQ).
 * - `pgic`: the follow-up PGIC answer is `atLeast` this category or better.
 * - `all` / `any`: every / some sub-rule holds (three-valued, see `isResponder`).
 */
export type ResponderRule =
  | { readonly kind: 'absolute'; readonly instrument: string; readonly points: number; readonly direction: ImprovementDirection }
  | { readonly kind: 'percent'; readonly instrument: string; readonly percent: number }
  | { readonly kind: 'pgic'; readonly atLeast: PgicCategory }
  | { readonly kind: 'all'; readonly rules: readonly ResponderRule[] }
  | { readonly kind: 'any'; readonly rules: readonly ResponderRule[] };

/**
 * Scores by instrument code (`INSTRUMENT_CODES`) at one time point; null or absent = not
 * collected. PGIC is stored under `pgic` as its 1–7 value (1 = very much improved) and is only
 * read from the follow-up map.
 */
export type OutcomeScores = Readonly<Record<string, number | null | undefined>>;

/**
 * Slack for binary rounding when comparing with a threshold, so that e.g. a PEG of 7 → 4.9
 * (exactly 30 % in decimal) is not lost to floating point. Far below any reported precision.
 */
const THRESHOLD_TOLERANCE = 1e-9;

/**
 * Applies a responder rule to one patient.
 *
 * Returns true or false when the data decide it and null when they do not: a score the rule
 * needs is missing, or a percent rule meets a baseline of 0 (no percentage of nothing). Never
 * guesses. `all` / `any` use three-valued (Kleene) logic: `all` is false as soon as one sub-rule
 * is false and null if none is false but one is null; `any` is true as soon as one is true.
 *
 * Change is follow-up − baseline (as in `meanChange`); thresholds are inclusive ("at least").
 *
 * @param rule the responder rule (validated; a bad rule throws ScienceInputError naming `rule…`)
 * @param baseline scores at baseline by instrument code
 * @param followUp scores at the follow-up time point by instrument code (PGIC here)
 */
export function isResponder(rule: ResponderRule, baseline: OutcomeScores, followUp: OutcomeScores): boolean | null {
  validateResponderRule(rule, 'rule');
  return evaluate(rule, baseline ?? {}, followUp ?? {});
}

function evaluate(rule: ResponderRule, baseline: OutcomeScores, followUp: OutcomeScores): boolean | null {
  switch (rule.kind) {
    case 'absolute': {
      const before = readScore(baseline, rule.instrument, 'baseline');
      const after = readScore(followUp, rule.instrument, 'followUp');
      if (before === null || after === null) return null;
      const change = after - before; // follow-up − baseline
      const improvement = rule.direction === 'decrease' ? -change : change;
      return improvement >= rule.points - THRESHOLD_TOLERANCE;
    }
    case 'percent': {
      const before = readScore(baseline, rule.instrument, 'baseline');
      const after = readScore(followUp, rule.instrument, 'followUp');
      if (before === null || after === null) return null;
      if (before < 0) throw new ScienceInputError(`baseline.${rule.instrument}`, 'at least 0 for a percent rule');
      if (before === 0) return null;
      // Ostelo 2008 / IMMPACT 2008: percent improvement = (baseline − follow-up) / baseline × 100
      const improvementPercent = ((before - after) / before) * 100;
      return improvementPercent >= rule.percent - THRESHOLD_TOLERANCE;
    }
    case 'pgic': {
      const answer = readScore(followUp, INSTRUMENT_CODES.pgic, 'followUp');
      if (answer === null) return null;
      if (!Number.isInteger(answer) || answer < 1 || answer > 7) {
        throw new ScienceInputError(`followUp.${INSTRUMENT_CODES.pgic}`, 'a whole number from 1 (very much improved) to 7 (very much worse)');
      }
      return isPgicAtLeast(answer, rule.atLeast);
    }
    case 'all': {
      let unknown = false;
      for (const sub of rule.rules) {
        const result = evaluate(sub, baseline, followUp);
        if (result === false) return false;
        if (result === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'any': {
      let unknown = false;
      for (const sub of rule.rules) {
        const result = evaluate(sub, baseline, followUp);
        if (result === true) return true;
        if (result === null) unknown = true;
      }
      return unknown ? null : false;
    }
  }
}

function readScore(scores: OutcomeScores, instrument: string, mapName: string): number | null {
  const value: unknown = Object.prototype.hasOwnProperty.call(scores, instrument) ? scores[instrument] : undefined;
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ScienceInputError(`${mapName}.${instrument}`, 'a finite number, or null when not collected');
  }
  return value;
}

/**
 * Checks a rule's shape and thresholds (rules come from clinic settings as JSON).
 * @throws ScienceInputError naming the path, e.g. `rule.rules[1].points`
 */
export function validateResponderRule(rule: unknown, field = 'rule'): asserts rule is ResponderRule {
  if (typeof rule !== 'object' || rule === null) throw new ScienceInputError(field, 'a responder rule object');
  const r = rule as Record<string, unknown>;
  switch (r['kind']) {
    case 'absolute':
      requireInstrument(r['instrument'], `${field}.instrument`);
      if (typeof r['points'] !== 'number' || !Number.isFinite(r['points']) || r['points'] <= 0) {
        throw new ScienceInputError(`${field}.points`, 'a number of points greater than 0');
      }
      if (r['direction'] !== 'decrease' && r['direction'] !== 'increase') {
        throw new ScienceInputError(`${field}.direction`, "'decrease' or 'increase' (the direction of improvement)");
      }
      return;
    case 'percent':
      requireInstrument(r['instrument'], `${field}.instrument`);
      if (r['instrument'] === INSTRUMENT_CODES.pgic) throw new ScienceInputError(`${field}.instrument`, 'a scored instrument (use a pgic rule for PGIC)');
      if (typeof r['percent'] !== 'number' || !Number.isFinite(r['percent']) || r['percent'] <= 0 || r['percent'] > 100) {
        throw new ScienceInputError(`${field}.percent`, 'a percentage above 0 and at most 100');
      }
      return;
    case 'pgic':
      if (!isPgicCategory(r['atLeast'])) throw new ScienceInputError(`${field}.atLeast`, 'a PGIC category code');
      return;
    case 'all':
    case 'any': {
      const rules = r['rules'];
      if (!Array.isArray(rules) || rules.length === 0) throw new ScienceInputError(`${field}.rules`, 'a non-empty array of responder rules');
      rules.forEach((sub, i) => validateResponderRule(sub, `${field}.rules[${i}]`));
      return;
    }
    default:
      throw new ScienceInputError(`${field}.kind`, "one of 'absolute', 'percent', 'pgic', 'all', 'any'");
  }
}

function requireInstrument(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new ScienceInputError(field, 'an instrument code');
}

/** Every instrument code a rule reads (PGIC included), in first-use order. */
export function responderInstruments(rule: ResponderRule): string[] {
  validateResponderRule(rule, 'rule');
  const out: string[] = [];
  const walk = (r: ResponderRule) => {
    const add = (code: string) => { if (!out.includes(code)) out.push(code); };
    if (r.kind === 'absolute' || r.kind === 'percent') add(r.instrument);
    else if (r.kind === 'pgic') add(INSTRUMENT_CODES.pgic);
    else r.rules.forEach(walk);
  };
  walk(rule);
  return out;
}

/**
 * The rule in words, printed beside every responder figure it produced, e.g.
 * "nrs-back improved by at least 2 points AND odi improved by at least 30 %".
 */
export function describeResponderRule(rule: ResponderRule): string {
  validateResponderRule(rule, 'rule');
  const text = (r: ResponderRule, nested: boolean): string => {
    switch (r.kind) {
      case 'absolute': return `${r.instrument} ${r.direction === 'decrease' ? 'fell' : 'rose'} by at least ${r.points} point${r.points === 1 ? '' : 's'} from baseline`;
      case 'percent': return `${r.instrument} fell by at least ${r.percent} % from baseline`;
      case 'pgic': return `PGIC "${r.atLeast}" or better`;
      case 'all':
      case 'any': {
        const joined = r.rules.map((sub) => text(sub, true)).join(r.kind === 'all' ? ' AND ' : ' OR ');
        return nested && r.rules.length > 1 ? `(${joined})` : joined;
      }
    }
  };
  return text(rule, false);
}

// ---------------------------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------------------------

/** A named responder rule with the source it comes from. */
export interface ResponderPreset {
  readonly id: string;
  readonly label: string;
  /** citation of the threshold */
  readonly source: string;
  /** true when the threshold is from memory and has not been checked against the paper */
  readonly unverified: boolean;
  readonly rule: ResponderRule;
}

const OSTELO_2008 =
  'Ostelo RWJG et al. Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine 2008';
const IMMPACT_2008 =
  'Dworkin RH et al. Interpreting the clinical importance of treatment outcomes in chronic pain clinical trials: IMMPACT recommendations. J Pain 2008;9(2):105–121';
const LEVI_2016 =
  'Levi D et al. Intradiscal platelet-rich plasma injection for chronic discogenic low back pain: preliminary results from a prospective trial. Pain Med 2016;17(6):1010–1022';

/**
 * Responder presets a clinic can pick (or combine with `all` / `any`). Pain presets use the
 * back-pain NRS; choose `nrs-leg` for radicular pain by copying the rule.
 */
export const RESPONDER_PRESETS = {
  osteloNrs2Points: {
    id: 'ostelo-2008-nrs-2-points',
    label: 'Back pain NRS improved by at least 2 points',
    source: OSTELO_2008, // minimal important change NRS 2 points (0–10)
    unverified: false,
    rule: { kind: 'absolute', instrument: INSTRUMENT_CODES.nrsBack, points: 2, direction: 'decrease' },
  },
  osteloOdi10Points: {
    id: 'ostelo-2008-odi-10-points',
    label: 'ODI improved by at least 10 points',
    source: OSTELO_2008, // minimal important change ODI 10 points (0–100)
    unverified: false,
    rule: { kind: 'absolute', instrument: INSTRUMENT_CODES.odi, points: 10, direction: 'decrease' },
  },
  osteloNrs30Percent: {
    id: 'ostelo-2008-nrs-30-percent',
    label: 'Back pain NRS improved by at least 30 %',
    source: OSTELO_2008, // 30 % improvement from baseline accepted as clinically meaningful
    unverified: false,
    rule: { kind: 'percent', instrument: INSTRUMENT_CODES.nrsBack, percent: 30 },
  },
  osteloOdi30Percent: {
    id: 'ostelo-2008-odi-30-percent',
    label: 'ODI improved by at least 30 %',
    source: OSTELO_2008, // 30 % improvement from baseline accepted as clinically meaningful
    unverified: false,
    rule: { kind: 'percent', instrument: INSTRUMENT_CODES.odi, percent: 30 },
  },
  immpactNrs30Percent: {
    id: 'immpact-2008-nrs-30-percent',
    label: 'Back pain NRS reduced by at least 30 % (moderately important)',
    source: IMMPACT_2008, // ≥ 30 % reduction = moderately important
    unverified: false,
    rule: { kind: 'percent', instrument: INSTRUMENT_CODES.nrsBack, percent: 30 },
  },
  immpactNrs50Percent: {
    id: 'immpact-2008-nrs-50-percent',
    label: 'Back pain NRS reduced by at least 50 % (substantial)',
    source: IMMPACT_2008, // ≥ 50 % reduction = substantial
    unverified: false,
    rule: { kind: 'percent', instrument: INSTRUMENT_CODES.nrsBack, percent: 50 },
  },
  immpactPgicMuchImproved: {
    id: 'immpact-2008-pgic-much-improved',
    label: 'PGIC much improved or better (moderately important)',
    source: IMMPACT_2008, // PGIC "much improved" = moderately important [M]: mapping not seen verbatim
    unverified: true,
    rule: { kind: 'pgic', atLeast: 'much-improved' },
  },
  levi2016: {
    id: 'levi-2016-pain-50-percent-and-odi-30-percent',
    label: 'Pain reduced by at least 50 % and ODI improved by at least 30 %',
    // [M] unverified: the paper's "strict categorical success" is recalled as ≥ 50 % pain (VAS)
    // and ≥ 30 % ODI improvement; the thresholds were not seen in the text. Applied to the NRS.
    source: LEVI_2016,
    unverified: true,
    rule: {
      kind: 'all',
      rules: [
        { kind: 'percent', instrument: INSTRUMENT_CODES.nrsBack, percent: 50 },
        { kind: 'percent', instrument: INSTRUMENT_CODES.odi, percent: 30 },
      ],
    },
  },
} as const satisfies Record<string, ResponderPreset>;
