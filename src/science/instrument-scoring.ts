/**
 * Scoring of the patient-reported instruments Autolog collects: NRS pain, ODI, PEG and the
 * STarT Back screening tool. Pure functions over item codes; no licensed questionnaire wording
 * lives in this repository (the ODI's text is imported by the clinic; for STarT Back Autolog ships
 * its own plain-language wording of the item concepts, see instruments.ts, and a clinic holding
 * Keele's licence imports the validated text the same way).
 */
import { ScienceInputError } from './errors.js';

/**
 * Instrument codes used as keys of score maps (responder rules, stored observations).
 * One place for them, so the server, the survey pages and the browser agree.
 */
export const INSTRUMENT_CODES = {
  /** Pain NRS 0–10 for back pain (ICHOM LBP set; LOINC 72514-3 for a 0–10 pain score) */
  nrsBack: 'nrs-back',
  /** Pain NRS 0–10 for leg pain (ICHOM LBP set) */
  nrsLeg: 'nrs-leg',
  /** Oswestry Disability Index v2.1a, 0–100 */
  odi: 'odi',
  /** PEG-3 pain intensity and interference, 0–10 */
  peg: 'peg',
  /** Patient Global Impression of Change, 1–7 (see instrument-pgic.ts) */
  pgic: 'pgic',
  /** Roland–Morris Disability Questionnaire, 0–24 */
  rmdq: 'rmdq',
  /** Keele STarT Back screening tool (baseline risk, not an outcome) */
  startBack: 'start-back',
} as const;

export type InstrumentCode = (typeof INSTRUMENT_CODES)[keyof typeof INSTRUMENT_CODES];

// ---------------------------------------------------------------------------------------------
// NRS
// ---------------------------------------------------------------------------------------------

/**
 * Pain numeric rating scale: one whole number 0 (no pain) … 10 (worst imaginable); higher is
 * worse. The recall period (now / 24 h / 7 days) is stored with the answer, not here.
 * Source: ICHOM Low Back Pain Standard Set (Clement 2015, Acta Orthop); Chiarotto 2018 (Pain).
 */
export function scoreNrs(value: number): { score: number } {
  return { score: requireWhole(value, 'value', 0, 10) };
}

// ---------------------------------------------------------------------------------------------
// ODI
// ---------------------------------------------------------------------------------------------

/** Score of one ODI section: its six statements are scored 0 (first) … 5 (last). */
export type OdiSectionScore = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * The ten ODI v2.1a sections in questionnaire order (topic codes only, not the licensed text).
 * Source: Fairbank JCT, Pynsent PB. The Oswestry Disability Index. Spine 2000;25(22):2940.
 */
export const ODI_SECTIONS = [
  'pain-intensity',
  'personal-care',
  'lifting',
  'walking',
  'sitting',
  'standing',
  'sleeping',
  'sex-life',
  'social-life',
  'travelling',
] as const;

/** Number of ODI sections (Fairbank & Pynsent 2000). */
export const ODI_SECTION_COUNT = ODI_SECTIONS.length;

/**
 * At most this many sections may be unanswered before no score is given. The one-missing rule is
 * common practice (outcomes.md: "no score if more than one missing"), not a rule from one paper.
 */
export const ODI_MAX_MISSING_SECTIONS = 1;

/** ODI disability band (Fairbank & Pynsent 2000). */
export type OdiBand = 'minimal' | 'moderate' | 'severe' | 'crippled' | 'bed-bound';

/**
 * Upper edge (inclusive, percent) of each ODI band, in order.
 * Source: Fairbank & Pynsent 2000, Spine 25:2940 — 0–20 minimal, 21–40 moderate, 41–60 severe,
 * 61–80 crippled, 81–100 bed-bound (or exaggerating). Fractional scores (one section missing)
 * fall in the band whose upper edge they do not exceed: 20.0 is minimal, 22.2 moderate.
 */
export const ODI_BANDS: readonly { readonly band: OdiBand; readonly maxPercent: number }[] = [
  { band: 'minimal', maxPercent: 20 }, // Fairbank & Pynsent 2000
  { band: 'moderate', maxPercent: 40 }, // Fairbank & Pynsent 2000
  { band: 'severe', maxPercent: 60 }, // Fairbank & Pynsent 2000
  { band: 'crippled', maxPercent: 80 }, // Fairbank & Pynsent 2000
  { band: 'bed-bound', maxPercent: 100 }, // Fairbank & Pynsent 2000
];

/** Result of `scoreOdi`. */
export interface OdiScore {
  /** 0–100, higher is worse; null when too many sections are missing */
  percent: number | null;
  /** number of sections answered (0–10) */
  answered: number;
  /** disability band of `percent` (absent when there is no score) */
  band?: OdiBand;
  /** why there is no score (absent when there is one) */
  reason?: 'too-many-missing-sections';
}

/** The ODI band for a percent score 0–100 (Fairbank & Pynsent 2000). */
export function odiBand(percent: number): OdiBand {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new ScienceInputError('percent', 'a number from 0 to 100');
  }
  const found = ODI_BANDS.find((b) => percent <= b.maxPercent);
  return found ? found.band : 'bed-bound';
}

/**
 * Oswestry Disability Index v2.1a score.
 *
 * Formula (Fairbank & Pynsent 2000, Spine 25:2940): sum of section scores / (5 × sections
 * answered) × 100, so an unanswered section leaves the denominator. More than one unanswered
 * section gives no score (`ODI_MAX_MISSING_SECTIONS`). The percent is not rounded.
 *
 * @param sections exactly 10 entries in questionnaire order, each 0–5 or null (unanswered)
 * @throws ScienceInputError naming `sections` or `sections[i]` for a wrong length or value
 */
export function scoreOdi(sections: readonly (OdiSectionScore | null)[]): OdiScore {
  if (!Array.isArray(sections) || sections.length !== ODI_SECTION_COUNT) {
    throw new ScienceInputError('sections', `an array of exactly ${ODI_SECTION_COUNT} section scores (0–5 or null)`);
  }
  let sum = 0;
  let answered = 0;
  for (let i = 0; i < ODI_SECTION_COUNT; i++) {
    const value: unknown = sections[i];
    if (value === null) continue;
    sum += requireWhole(value, `sections[${i}]`, 0, 5, 'a whole number from 0 to 5, or null when unanswered');
    answered++;
  }
  if (ODI_SECTION_COUNT - answered > ODI_MAX_MISSING_SECTIONS) {
    return { percent: null, answered, reason: 'too-many-missing-sections' };
  }
  // Fairbank & Pynsent 2000: sum / (5 × answered) × 100 (multiply first: 9/45 gives exactly 20)
  const percent = (sum * 100) / (5 * answered);
  return { percent, answered, band: odiBand(percent) };
}

// ---------------------------------------------------------------------------------------------
// PEG
// ---------------------------------------------------------------------------------------------

/**
 * PEG-3 score: mean of three 0–10 items — average Pain, interference with Enjoyment of life,
 * interference with General activity — over the past week; 0–10, higher is worse. All three are
 * required.
 * Source: Krebs EE et al. Development and initial validation of the PEG, a three-item scale
 * assessing pain intensity and interference. J Gen Intern Med 2009;24(6):733.
 *
 * @param items [pain, enjoyment, activity], whole numbers 0–10
 */
export function scorePeg(items: readonly [number, number, number]): { score: number } {
  if (!Array.isArray(items) || items.length !== 3) {
    throw new ScienceInputError('items', 'an array of exactly 3 item scores [pain, enjoyment, activity], each 0–10');
  }
  const [pain, enjoyment, activity] = items.map((v: unknown, i) => requireWhole(v, `items[${i}]`, 0, 10)) as [number, number, number];
  // Krebs 2009: PEG score = mean of the three items
  return { score: (pain + enjoyment + activity) / 3 };
}

// ---------------------------------------------------------------------------------------------
// STarT Back
// ---------------------------------------------------------------------------------------------

/** Answer codes of STarT Back item 9 (bothersomeness), scored 0–4 (Hill 2008). */
export const START_BACK_BOTHERSOME_SCALE = ['not-at-all', 'slightly', 'moderately', 'very-much', 'extremely'] as const;

/** Item 9 counts as positive from this scale value up ("very much" = 3, "extremely" = 4; Hill 2008). */
export const START_BACK_BOTHERSOME_POSITIVE_FROM = 3;

/** Items 1–8 are agree (1) / disagree (0); item 9 is 0–4 on `START_BACK_BOTHERSOME_SCALE`. */
export type StartBackItems = readonly [0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1, 0 | 1 | 2 | 3 | 4];

export type StartBackRisk = 'low' | 'medium' | 'high';

/** Result of `scoreStartBack`. */
export interface StartBackScore {
  /** positive items, 0–9 */
  total: number;
  /** positive items among 5–9 (the psychosocial subscale), 0–5 */
  psychosocial: number;
  risk: StartBackRisk;
}

/**
 * Keele STarT Back screening tool (9-item version): total, psychosocial subscale and risk group.
 *
 * Source: Hill JC et al. A primary care back pain screening tool: identifying patient subgroups
 * for initial treatment. Arthritis Rheum 2008 (volume/pages [M] unverified). Items 1–8 agree = 1; item 9 counts 1
 * when "very much" or "extremely" bothersome; subscale = items 5–9; low risk: total ≤ 3; high
 * risk: subscale ≥ 4; otherwise medium. There is no published rule for missing items, so all nine
 * are required (the survey must not let one be skipped).
 *
 * @param items nine answers in questionnaire order
 */
export function scoreStartBack(items: StartBackItems): StartBackScore {
  if (!Array.isArray(items) || items.length !== 9) {
    throw new ScienceInputError('items', 'an array of exactly 9 answers (items 1–8: 0 or 1; item 9: 0–4)');
  }
  const values = items as readonly unknown[];
  let total = 0;
  let psychosocial = 0;
  for (let i = 0; i < 8; i++) {
    const positive = requireWhole(values[i], `items[${i}]`, 0, 1, '0 (disagree) or 1 (agree)');
    total += positive;
    if (i >= 4) psychosocial += positive; // items 5–8 belong to the psychosocial subscale (Hill 2008)
  }
  const bothersome = requireWhole(values[8], 'items[8]', 0, 4, 'a whole number from 0 (not at all) to 4 (extremely)');
  // Hill 2008: item 9 is positive for "very much" or "extremely"
  const item9 = bothersome >= START_BACK_BOTHERSOME_POSITIVE_FROM ? 1 : 0;
  total += item9;
  psychosocial += item9;
  return { total, psychosocial, risk: startBackRisk(total, psychosocial) };
}

/** Hill 2008 risk group from total (0–9) and psychosocial subscale (0–5). */
function startBackRisk(total: number, psychosocial: number): StartBackRisk {
  if (total <= 3) return 'low'; // Hill 2008: total 0–3 → low risk
  if (psychosocial >= 4) return 'high'; // Hill 2008: subscale 4–5 → high risk
  return 'medium'; // Hill 2008: total ≥ 4 and subscale ≤ 3 → medium risk
}

// ---------------------------------------------------------------------------------------------

function requireWhole(value: unknown, field: string, min: number, max: number, allowed = `a whole number from ${min} to ${max}`): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ScienceInputError(field, allowed);
  }
  return value;
}
