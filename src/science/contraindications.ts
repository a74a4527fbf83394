/**
 * The contraindication engine: an assessment, the clinic's settings and the planned procedure
 * date in; absolute and relative findings out, each with the reason in words and its source.
 * Absolute findings block an "eligible" decision unless a clinician overrides them with a written
 * reason; relative findings must be acknowledged. The engine only reports: the clinician decides.
 *
 * Sources (marked [V] where checked against the source or a faithful copy, [M] where not):
 * - LE: Le et al. 2018 (Medscape, "Platelet-rich plasma"), as reproduced in PRP kit labelling —
 *   absolute: platelet dysfunction syndrome, critical thrombocytopenia, haemodynamic instability,
 *   septicaemia, local infection at the site, patient unwilling to accept risks; relative: tobacco,
 *   recent fever or illness, cancer (especially haematopoietic or of bone), Hb < 10 g/dL,
 *   platelets < 10⁵/µL, NSAIDs within 48 h, corticosteroid injection at the site within 1 month,
 *   systemic corticosteroids within 2 weeks [V: kit labelling page].
 * - SCHIPPINGER: Schippinger 2015, Orthop J Sports Med 3(6) — PRP made under NSAIDs shows impaired
 *   platelet aggregation [V].
 * - TRIALS: usual exclusions of spine PRP trials (BioMed Res Int 2022) — bleeding disorder,
 *   pregnancy or breastfeeding, active infection, contrast allergy, spine surgery within 6 months,
 *   inflammatory arthritis, extruded or sequestered disc [V].
 * - ASRA: Narouze et al., ASRA/ESRA/AAPM/INS/NANS/WIP guidelines on interventional spine and pain
 *   procedures in patients on antiplatelet and anticoagulant medications (Reg Anesth Pain Med
 *   2015;40:182, 2nd ed. 2018;43:225) — low/intermediate/high bleeding-risk categories [V]; the 2018
 *   edition moved thoracolumbar facet procedures to low risk (ASRA News, Aug 2019) [V]. From its
 *   summary table (as reproduced by UpToDate): warfarin stopped 5 days with a normal INR before
 *   intermediate- and high-risk procedures; aspirin before intermediate-risk ones left to a shared
 *   assessment, 6 days before high-risk ones when taken for primary prevention; NSAIDs need no stop
 *   for intermediate risk [V: secondary copy]. Its P2Y12-inhibitor and DOAC rows were not checked [M].
 * - AABB: Kaufman et al. 2015, Ann Intern Med 162:205 (AABB platelet transfusion guideline) — suggests
 *   platelets before an elective diagnostic lumbar puncture when the count is below 50 × 10⁹/L (weak
 *   recommendation, very-low-quality evidence) [V: abstract].
 * - VAN_VEEN: van Veen, Nokes & Makris 2010, Br J Haematol 148:15 — review: 40 × 10⁹/L judged safe for
 *   a lumbar puncture and 80 for epidural or spinal anaesthesia; 50–80 before an epidural is an
 *   individual risk–benefit decision [V: abstract].
 * - RUETZLER: Ruetzler et al. 2018, Anesth Analg 127:897 — NSQIP, 235,010 ASA I–II elective surgical
 *   patients with normal labs: 30-day morbidity 1.7–1.8 % when the labs were up to 2 months old and
 *   2.0 % at 2–3 months [V: abstract]. Surgery, not injections; no limit for PRP was found.
 */
import type { Assessment, SpinalLevel } from './assessment.js';
import { checkAssessment } from './assessment.js';
import { ScienceInputError } from './errors.js';
import { addCalendarDuration, daysBetweenIsoDates, requireIsoDate } from './follow-up-schedule-calendar.js';

export const CONTRAINDICATION_SOURCES = {
  le: 'Le 2018 (Medscape, platelet-rich plasma), as in PRP kit labelling',
  schippinger: 'Schippinger 2015, Orthop J Sports Med 3(6):2325967115588896',
  trials: 'Usual exclusions of spine PRP trials (BioMed Res Int 2022)',
  asra: 'Narouze 2018, Reg Anesth Pain Med 43:225 (ASRA/ESRA interventional spine guidelines)',
  aabb: 'Kaufman 2015, Ann Intern Med 162:205 (AABB platelet transfusion guideline)',
  vanVeen: 'van Veen 2010, Br J Haematol 148:15 (platelet counts for neuraxial procedures)',
  clinic: 'Clinic policy (Autolog default; set by the clinic)',
} as const;

/** Wash-out windows and thresholds: clinic settings, with documented defaults. */
export interface ContraindicationSettings {
  /** Whole days between the last NSAID dose and the procedure day. */
  nsaidWashoutDays: number;
  /** Days after the procedure before NSAIDs may be taken again (instructions only). */
  nsaidResumeDaysAfter: number;
  antiplateletWashoutDays: number;
  anticoagulantWashoutDays: number;
  systemicSteroidWashoutDays: number;
  steroidInjectionWashoutDays: number;
  spineSurgeryWithinDays: number;
  /** Below this the count is "critical thrombocytopenia": an absolute finding. */
  plateletsAbsoluteBelowKPerUl: number;
  plateletsRelativeBelowKPerUl: number;
  haemoglobinRelativeBelowGPerDl: number;
  /** Labs older than this on the procedure day must be acknowledged (or repeated). */
  labsMaxAgeDays: number;
  /** Relative findings the clinic treats as absolute (e.g. `anticoagulant`). */
  escalateToAbsolute: FindingCode[];
}

export const DEFAULT_CONTRAINDICATION_SETTINGS: ContraindicationSettings = {
  // Le 2018: NSAIDs within 48 h are a relative contraindication [V]; clinics ask for 3–4 days before
  // and 1 week after (example clinic protocols) [V as practice, not evidence]: 3 and 7 here.
  nsaidWashoutDays: 3,
  nsaidResumeDaysAfter: 7,
  // No PRP or spine guideline gives one antiplatelet interval: ASRA 2018 leaves aspirin before intermediate-risk
  // procedures to a shared assessment [V: secondary copy]; prasugrel 7 days and ticagrelor 5 days before surgery
  // (ACC/AHA UA/NSTEMI guideline, pocket edition) [V: secondary]; one PRP clinic's patient instructions ask
  // 10 days for aspirin [V as practice]. 10 covers the longest of these but stays a clinic choice [M];
  // stopping is the prescriber's decision.
  antiplateletWashoutDays: 10,
  // ASRA 2018: warfarin stopped 5 days (normal INR) before intermediate- and high-risk procedures [V: secondary
  // copy of the guideline table]. DOAC intervals are drug- and kidney-specific: agree them with the prescriber.
  anticoagulantWashoutDays: 5,
  systemicSteroidWashoutDays: 14, // Le 2018: within 2 weeks [V]
  steroidInjectionWashoutDays: 30, // Le 2018: at the site within 1 month [V]
  spineSurgeryWithinDays: 183, // trial exclusion: spine surgery within 6 months [V]
  // "Critical thrombocytopenia" has no number in Le 2018. 50 × 10³/µL: AABB 2015 suggests transfusing below 50
  // before an elective lumbar puncture; van Veen 2010 calls 50–80 before an epidural an individual decision (80
  // judged safe) [V: abstracts]. Counts from 50 up to the relative threshold (100) stay a relative finding to
  // acknowledge. (A 2025 AABB/ICTMG update reportedly lowers the lumbar-puncture figure to 20 [M: not checked];
  // an epidural needle is not a lumbar puncture, so 50 stays.)
  plateletsAbsoluteBelowKPerUl: 50,
  plateletsRelativeBelowKPerUl: 100, // Le 2018: platelets < 10⁵/µL [V]
  haemoglobinRelativeBelowGPerDl: 10, // Le 2018: Hb < 10 g/dL [V]
  // Clinic policy: no published limit for PRP or spine injections found [M]. Ruetzler 2018 (surgery): slightly more
  // 30-day morbidity with labs 2–3 months old than with labs ≤ 2 months old [V: abstract]; a clinic may set 60.
  labsMaxAgeDays: 90,
  escalateToAbsolute: [],
};

export const FINDING_CODES = [
  // absolute by default
  'active-systemic-infection', 'infection-near-site', 'bleeding-disorder', 'haemodynamic-instability', 'critical-thrombocytopenia', 'pregnancy',
  // relative by default
  'thrombocytopenia', 'anaemia', 'labs-missing', 'labs-old', 'nsaid', 'antiplatelet', 'anticoagulant', 'systemic-steroid', 'steroid-injection',
  'recent-fever-or-illness', 'cancer', 'tobacco', 'breastfeeding', 'contrast-allergy', 'recent-spine-surgery', 'inflammatory-arthritis', 'disc-extrusion',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

// Pregnancy: an exclusion in spine PRP trials (BioMed Res Int 2022, Table 1) [V]; no PRP source found calls it
// absolute (Le 2018 does not list it). Absolute here by Autolog policy: an elective procedure with no safety data in
// pregnancy, usually done under X-ray.
const ABSOLUTE_DEFAULT_CODES = ['active-systemic-infection', 'infection-near-site', 'bleeding-disorder', 'haemodynamic-instability', 'critical-thrombocytopenia', 'pregnancy'] as const;
const ABSOLUTE_BY_DEFAULT = new Set<FindingCode>(ABSOLUTE_DEFAULT_CODES);
export type EscalatableCode = Exclude<FindingCode, (typeof ABSOLUTE_DEFAULT_CODES)[number]>;
/** The relative findings a clinic may escalate to absolute. No setting relaxes an absolute one: only a clinician, per patient, with a reason. */
export const ESCALATABLE_CODES = FINDING_CODES.filter((c): c is EscalatableCode => !ABSOLUTE_BY_DEFAULT.has(c));

export type FindingSeverity = 'absolute' | 'relative';

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  /** What was found and why it matters, in words a colleague reads at once. */
  reason: string;
  source: string;
  /** The assessment field the finding comes from (the form highlights it). */
  field: string;
}

export interface ContraindicationResult {
  plannedDate: string | null;
  absolute: Finding[];
  relative: Finding[];
}

/** Each setting's source, for the settings screen. */
export const CONTRAINDICATION_SETTING_SOURCES: Record<Exclude<keyof ContraindicationSettings, 'escalateToAbsolute'>, { source: string; verified: boolean }> = {
  nsaidWashoutDays: { source: `${CONTRAINDICATION_SOURCES.le} (48 h); ${CONTRAINDICATION_SOURCES.schippinger}; clinic protocols ask 3–4 days`, verified: true },
  nsaidResumeDaysAfter: { source: 'Clinic protocols (about 1 week after)', verified: true },
  antiplateletWashoutDays: { source: `Clinic policy; no published interval for PRP. ${CONTRAINDICATION_SOURCES.asra}: aspirin before intermediate-risk procedures is a shared decision; prasugrel 7 days, ticagrelor 5 days before surgery (ACC/AHA UA/NSTEMI guideline). 10 days covers these; agree with the prescriber`, verified: false },
  anticoagulantWashoutDays: { source: `${CONTRAINDICATION_SOURCES.asra} — warfarin 5 days with a normal INR before intermediate- and high-risk procedures; DOACs drug-specific (agree with the prescriber)`, verified: true },
  systemicSteroidWashoutDays: { source: `${CONTRAINDICATION_SOURCES.le} (2 weeks)`, verified: true },
  steroidInjectionWashoutDays: { source: `${CONTRAINDICATION_SOURCES.le} (1 month, at the site)`, verified: true },
  spineSurgeryWithinDays: { source: `${CONTRAINDICATION_SOURCES.trials} (6 months)`, verified: true },
  plateletsAbsoluteBelowKPerUl: { source: `Critical thrombocytopenia (Le 2018, no number); 50 × 10³/µL: ${CONTRAINDICATION_SOURCES.aabb} (lumbar puncture < 50) and ${CONTRAINDICATION_SOURCES.vanVeen} (epidural at 50–80 an individual decision)`, verified: true },
  plateletsRelativeBelowKPerUl: { source: `${CONTRAINDICATION_SOURCES.le} (< 10⁵/µL)`, verified: true },
  haemoglobinRelativeBelowGPerDl: { source: `${CONTRAINDICATION_SOURCES.le} (< 10 g/dL)`, verified: true },
  labsMaxAgeDays: { source: `${CONTRAINDICATION_SOURCES.clinic}; no published limit for PRP found (Ruetzler 2018, Anesth Analg 127:897: surgical morbidity slightly higher with labs 2–3 months old than ≤ 2 months)`, verified: false },
};

const NUMERIC_LIMITS: Record<Exclude<keyof ContraindicationSettings, 'escalateToAbsolute'>, [min: number, max: number]> = {
  nsaidWashoutDays: [0, 60],
  nsaidResumeDaysAfter: [0, 60],
  antiplateletWashoutDays: [0, 60],
  anticoagulantWashoutDays: [0, 60],
  systemicSteroidWashoutDays: [0, 180],
  steroidInjectionWashoutDays: [0, 365],
  spineSurgeryWithinDays: [0, 3650],
  plateletsAbsoluteBelowKPerUl: [0, 450],
  plateletsRelativeBelowKPerUl: [0, 450],
  haemoglobinRelativeBelowGPerDl: [0, 20],
  labsMaxAgeDays: [1, 3650],
};

/**
 * The defaults with the clinic's overrides applied and checked.
 * @throws ScienceInputError naming `settings.<key>` for an out-of-range value or an unknown code
 */
export function resolveContraindicationSettings(overrides: Partial<ContraindicationSettings> = {}): ContraindicationSettings {
  const merged: ContraindicationSettings = { ...DEFAULT_CONTRAINDICATION_SETTINGS, ...overrides };
  for (const [key, [min, max]] of Object.entries(NUMERIC_LIMITS) as [keyof typeof NUMERIC_LIMITS, [number, number]][]) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (key.endsWith('Days') && !Number.isInteger(value))) {
      throw new ScienceInputError(`settings.${key}`, `${key.endsWith('Days') ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
  }
  if (merged.plateletsAbsoluteBelowKPerUl > merged.plateletsRelativeBelowKPerUl) {
    throw new ScienceInputError('settings.plateletsAbsoluteBelowKPerUl', `at most the relative threshold (${merged.plateletsRelativeBelowKPerUl})`);
  }
  merged.escalateToAbsolute.forEach((code, i) => {
    if (!(ESCALATABLE_CODES as readonly string[]).includes(code)) throw new ScienceInputError(`settings.escalateToAbsolute[${i}]`, `one of ${ESCALATABLE_CODES.join(', ')}`);
  });
  return merged;
}

const MEDICINE_WORDS = { nsaid: 'NSAID', antiplatelet: 'antiplatelet medicine', anticoagulant: 'anticoagulant', 'systemic-steroid': 'systemic steroid' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Runs every rule. `plannedDate` (YYYY-MM-DD) anchors the wash-out windows and the age of the
 * labs; without it, medicines still being taken are reported with the window they need.
 * @throws ScienceInputError for an impossible assessment or settings
 */
export function assessContraindications(assessment: Assessment, settings: ContraindicationSettings, plannedDate: string | null): ContraindicationResult {
  checkAssessment(assessment);
  const s = resolveContraindicationSettings(settings);
  if (plannedDate !== null) requireIsoDate(plannedDate, 'plannedDate');
  const findings: Finding[] = [];
  const add = (code: FindingCode, field: string, reason: string, source: string) => {
    const severity: FindingSeverity = ABSOLUTE_BY_DEFAULT.has(code) || s.escalateToAbsolute.includes(code) ? 'absolute' : 'relative';
    findings.push({ code, severity, reason, source, field });
  };
  const c = assessment.conditions;

  // Absolute (Le 2018 unless stated).
  if (c.activeSystemicInfection) add('active-systemic-infection', 'conditions.activeSystemicInfection', 'Active systemic infection (septicaemia): injecting is unsafe until it has resolved.', CONTRAINDICATION_SOURCES.le);
  if (c.infectionNearSite) add('infection-near-site', 'conditions.infectionNearSite', 'Infection at or near the injection site.', CONTRAINDICATION_SOURCES.le);
  if (c.bleedingDisorder) add('bleeding-disorder', 'conditions.bleedingDisorder', 'Bleeding disorder or platelet dysfunction syndrome: the product may not work and bleeding risk is raised.', `${CONTRAINDICATION_SOURCES.le}; ${CONTRAINDICATION_SOURCES.trials}`);
  if (c.haemodynamicInstability) add('haemodynamic-instability', 'conditions.haemodynamicInstability', 'Haemodynamic instability.', CONTRAINDICATION_SOURCES.le);
  if (c.pregnant) add('pregnancy', 'conditions.pregnant', 'Pregnancy: excluded from spine PRP studies, and image guidance uses radiation.', `${CONTRAINDICATION_SOURCES.trials}; absolute by clinic policy`);

  // Blood counts.
  const { plateletsKPerUl: platelets, haemoglobinGPerDl: hb, takenOn } = assessment.labs;
  if (platelets !== undefined && platelets !== null) {
    if (platelets < s.plateletsAbsoluteBelowKPerUl) {
      add('critical-thrombocytopenia', 'labs.plateletsKPerUl', `Platelets ${platelets} × 10³/µL, below the critical threshold of ${s.plateletsAbsoluteBelowKPerUl}.`, `${CONTRAINDICATION_SOURCES.le}; threshold: ${CONTRAINDICATION_SOURCES.aabb}; ${CONTRAINDICATION_SOURCES.vanVeen}`);
    } else if (platelets < s.plateletsRelativeBelowKPerUl) {
      add('thrombocytopenia', 'labs.plateletsKPerUl', `Platelets ${platelets} × 10³/µL, below ${s.plateletsRelativeBelowKPerUl}: fewer platelets to concentrate and a higher bleeding risk.`, CONTRAINDICATION_SOURCES.le);
    }
  }
  if (hb !== undefined && hb !== null && hb < s.haemoglobinRelativeBelowGPerDl) {
    add('anaemia', 'labs.haemoglobinGPerDl', `Haemoglobin ${hb} g/dL, below ${s.haemoglobinRelativeBelowGPerDl} g/dL.`, CONTRAINDICATION_SOURCES.le);
  }
  const missing = [platelets === undefined || platelets === null ? 'platelet count' : null, hb === undefined || hb === null ? 'haemoglobin' : null].filter(Boolean);
  if (missing.length > 0) {
    add('labs-missing', missing[0] === 'platelet count' ? 'labs.plateletsKPerUl' : 'labs.haemoglobinGPerDl', `No ${missing.join(' or ')} on record: the count thresholds cannot be checked.`, CONTRAINDICATION_SOURCES.clinic);
  }
  if (takenOn && plannedDate && missing.length < 2) {
    const age = daysBetweenIsoDates(takenOn, plannedDate);
    if (age > s.labsMaxAgeDays) add('labs-old', 'labs.takenOn', `The blood counts are from ${takenOn}, ${plural(age, 'day')} before the procedure (limit ${s.labsMaxAgeDays}).`, CONTRAINDICATION_SOURCES.clinic);
  }

  // Medicines: a wash-out window of N days means at least N whole days between the last dose
  // and the procedure day, so the last allowed dose falls on plannedDate − N.
  const windows: Record<'nsaid' | 'antiplatelet' | 'anticoagulant' | 'systemic-steroid', { days: number; source: string; why: string }> = {
    nsaid: { days: s.nsaidWashoutDays, source: `${CONTRAINDICATION_SOURCES.le}; ${CONTRAINDICATION_SOURCES.schippinger}`, why: 'NSAIDs impair the aggregation of the platelets in the product' },
    antiplatelet: { days: s.antiplateletWashoutDays, source: `${CONTRAINDICATION_SOURCES.asra}; clinic setting`, why: 'antiplatelet medicines impair platelet function and raise bleeding risk; stopping is for the prescriber to agree' },
    anticoagulant: { days: s.anticoagulantWashoutDays, source: CONTRAINDICATION_SOURCES.asra, why: 'bleeding risk at a spinal injection; interruption must be agreed with the prescriber (drug-specific intervals)' },
    'systemic-steroid': { days: s.systemicSteroidWashoutDays, source: CONTRAINDICATION_SOURCES.le, why: 'systemic corticosteroids may blunt the healing response' },
  };
  assessment.medications.forEach((m, i) => {
    const w = windows[m.class];
    const word = MEDICINE_WORDS[m.class];
    const field = `medications[${i}]`;
    if (!plannedDate) {
      if (m.ongoing) add(m.class, field, `${m.name} (${word}) is still being taken; it needs ${plural(w.days, 'day')} without a dose before the procedure, whose date is not set yet — ${w.why}.`, w.source);
      else if (m.lastDoseOn) add(m.class, field, `${m.name} (${word}) last taken ${m.lastDoseOn}; the procedure date is not set, so the ${plural(w.days, 'day')} wash-out cannot be checked.`, w.source);
      return;
    }
    const lastAllowed = addCalendarDuration(plannedDate, { days: -w.days });
    if (m.ongoing) {
      add(m.class, field, `${m.name} (${word}) is still being taken; the last dose must be on or before ${lastAllowed} (${plural(w.days, 'day')} before the procedure) — ${w.why}.`, w.source);
    } else if (m.lastDoseOn && m.lastDoseOn > lastAllowed) {
      const gap = daysBetweenIsoDates(m.lastDoseOn, plannedDate);
      add(m.class, field, `${m.name} (${word}) last taken ${m.lastDoseOn}, ${gap < 0 ? 'after' : plural(gap, 'day') + ' before'} the procedure; the clinic asks for ${plural(w.days, 'day')} — ${w.why}.`, w.source);
    }
  });

  // Earlier treatment.
  const planned = new Set<SpinalLevel>(assessment.levels);
  assessment.priorTreatments.steroidInjections.forEach((inj, i) => {
    if (!plannedDate) return;
    const gap = daysBetweenIsoDates(inj.on, plannedDate);
    if (gap >= 0 && gap < s.steroidInjectionWashoutDays) {
      const atSite = inj.level ? (planned.has(inj.level) ? ` at a level to be treated (${inj.level})` : ` (${inj.level}, not a planned level)`) : '';
      add('steroid-injection', `priorTreatments.steroidInjections[${i}].on`, `Steroid injection on ${inj.on}${atSite}, ${plural(gap, 'day')} before the procedure (the clinic asks for ${s.steroidInjectionWashoutDays}).`, CONTRAINDICATION_SOURCES.le);
    }
  });
  assessment.priorTreatments.surgeries.forEach((surgery, i) => {
    if (!plannedDate || !surgery.on) return;
    const gap = daysBetweenIsoDates(surgery.on, plannedDate);
    if (gap >= 0 && gap < s.spineSurgeryWithinDays) {
      add('recent-spine-surgery', `priorTreatments.surgeries[${i}].on`, `Spine surgery (${surgery.description}) on ${surgery.on}, ${plural(gap, 'day')} before the procedure.`, CONTRAINDICATION_SOURCES.trials);
    }
  });

  // Other relative findings.
  if (c.recentFeverOrIllness) add('recent-fever-or-illness', 'conditions.recentFeverOrIllness', 'Recent fever or illness.', CONTRAINDICATION_SOURCES.le);
  if (c.cancer !== 'none') {
    const kind = c.cancerHaematologicalOrBone ? 'haematological or bone ' : '';
    add('cancer', 'conditions.cancer', `${c.cancer === 'active' ? 'Active' : 'History of'} ${kind}cancer${c.cancerHaematologicalOrBone ? ' (the type Le 2018 singles out)' : ''}: growth factors and a spinal lesion must be considered.`, CONTRAINDICATION_SOURCES.le);
  }
  if (c.tobaccoUse) add('tobacco', 'conditions.tobaccoUse', 'Tobacco use: may reduce the response.', CONTRAINDICATION_SOURCES.le);
  if (c.breastfeeding) add('breastfeeding', 'conditions.breastfeeding', 'Breastfeeding: excluded from spine PRP studies.', CONTRAINDICATION_SOURCES.trials);
  if (c.contrastAllergy) add('contrast-allergy', 'conditions.contrastAllergy', 'Allergy to contrast medium: plan guidance without contrast or with prophylaxis.', CONTRAINDICATION_SOURCES.trials);
  if (c.inflammatoryArthritis) add('inflammatory-arthritis', 'conditions.inflammatoryArthritis', 'Inflammatory arthritis: excluded from spine PRP studies; the pain may have another cause.', CONTRAINDICATION_SOURCES.trials);
  if (assessment.indications.includes('degenerative-disc-disease')) {
    for (const [i, disc] of (assessment.imaging?.discs ?? []).entries()) {
      if ((disc.contour === 'extrusion' || disc.contour === 'sequestration') && (planned.size === 0 || planned.has(disc.level))) {
        add('disc-extrusion', `imaging.discs[${i}].contour`, `Disc ${disc.contour} at ${disc.level}: excluded from intradiscal PRP studies.`, CONTRAINDICATION_SOURCES.trials);
      }
    }
  }

  return {
    plannedDate,
    absolute: findings.filter((f) => f.severity === 'absolute'),
    relative: findings.filter((f) => f.severity === 'relative'),
  };
}

/**
 * Whether a decision of "eligible" may be signed against `result`: every relative finding
 * acknowledged (by code) and, if any absolute finding stands, an override reason of substance.
 * Returns what is still missing, in words; an empty list means it may be signed.
 */
export function eligibilityBlockers(result: ContraindicationResult, acknowledged: readonly string[], overrideReason: string | null | undefined): { field: string; message: string }[] {
  const blockers: { field: string; message: string }[] = [];
  if (result.absolute.length > 0 && (overrideReason ?? '').trim().length < OVERRIDE_REASON_MIN_CHARS) {
    blockers.push({
      field: 'overrideReason',
      message: `Absolute contraindication${result.absolute.length === 1 ? '' : 's'} (${result.absolute.map((f) => f.code).join(', ')}): "eligible" needs a written override reason of at least ${OVERRIDE_REASON_MIN_CHARS} characters.`,
    });
  }
  const unacknowledged = [...new Set(result.relative.map((f) => f.code))].filter((code) => !acknowledged.includes(code));
  if (unacknowledged.length > 0) {
    blockers.push({ field: 'acknowledgedFindings', message: `Acknowledge each relative contraindication before signing "eligible": ${unacknowledged.join(', ')}.` });
  }
  return blockers;
}

/** A reason has to say something: "ok" is not a reason. */
export const OVERRIDE_REASON_MIN_CHARS = 20;
