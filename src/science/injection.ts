/**
 * The injection (procedure) record: where the PRP went and how much, with the checks a record
 * must pass — the volumes given may not add up to more than was prepared — and the warnings a
 * careful colleague would raise.
 */
import type { ScienceWarning } from './errors.js';
import { ScienceInputError, requireNumber } from './errors.js';
import { SIDES, SPINAL_LEVELS, type Side, type SpinalLevel } from './assessment.js';

export const INJECTION_STRUCTURES = [
  'intervertebral-disc', 'facet-joint', 'sacroiliac-joint', 'epidural-interlaminar', 'epidural-transforaminal', 'epidural-caudal', 'paraspinal-muscle', 'ligament', 'other',
] as const;
export type InjectionStructure = (typeof INJECTION_STRUCTURES)[number];

export const INJECTION_STRUCTURE_LABELS: Record<InjectionStructure, string> = {
  'intervertebral-disc': 'Intervertebral disc',
  'facet-joint': 'Facet joint',
  'sacroiliac-joint': 'Sacroiliac joint',
  'epidural-interlaminar': 'Epidural, interlaminar',
  'epidural-transforaminal': 'Epidural, transforaminal',
  'epidural-caudal': 'Epidural, caudal',
  'paraspinal-muscle': 'Paraspinal muscle',
  ligament: 'Ligament',
  other: 'Other',
};

export const IMAGE_GUIDANCE = ['fluoroscopy', 'ultrasound', 'ct', 'none'] as const;
export type ImageGuidance = (typeof IMAGE_GUIDANCE)[number];

/** Structures reached at a lumbar level (a level is required); the SI joint and caudal route have none. */
const NEEDS_LEVEL = new Set<InjectionStructure>(['intervertebral-disc', 'facet-joint', 'epidural-interlaminar', 'epidural-transforaminal']);
const NO_LEVEL = new Set<InjectionStructure>(['sacroiliac-joint', 'epidural-caudal']);
/** Paired structures: a side is required. */
const NEEDS_SIDE = new Set<InjectionStructure>(['facet-joint', 'sacroiliac-joint', 'epidural-transforaminal']);

export interface InjectionTarget {
  structure: InjectionStructure;
  level?: SpinalLevel | null;
  side?: Side | null;
  volumeMl: number;
  /** For "other", or a detail ("medial branch"). */
  description?: string | null;
}

export interface InjectionCheckInput {
  targets: InjectionTarget[];
  /** PRP available from the linked preparation, mL. */
  prpAvailableMl: number;
  imageGuidance: ImageGuidance;
  localAnaesthetic?: { agent: string; mixedWithPrp: boolean } | null;
  antibioticProphylaxis?: { given: boolean } | null;
  contrastUsed?: boolean;
}

export interface InjectionCheck {
  totalVolumeMl: number;
  warnings: ScienceWarning[];
}

// Rounding to 0.001 mL keeps 1.1 + 2.2 from exceeding 3.3.
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Checks an injection record.
 * @throws ScienceInputError naming `targets[i].…` or `targets` (sum above the PRP available)
 */
export function checkInjection(input: InjectionCheckInput): InjectionCheck {
  requireNumber(input.prpAvailableMl, 'prpAvailableMl', { min: 0, minExclusive: true, max: 500 });
  if (!Array.isArray(input.targets) || input.targets.length === 0) throw new ScienceInputError('targets', 'at least one target');
  if (input.targets.length > 20) throw new ScienceInputError('targets', 'at most 20 targets');
  if (!(IMAGE_GUIDANCE as readonly string[]).includes(input.imageGuidance)) throw new ScienceInputError('imageGuidance', `one of ${IMAGE_GUIDANCE.join(', ')}`);
  const seen = new Set<string>();
  input.targets.forEach((t, i) => {
    const at = `targets[${i}]`;
    if (!(INJECTION_STRUCTURES as readonly string[]).includes(t.structure)) throw new ScienceInputError(`${at}.structure`, `one of ${INJECTION_STRUCTURES.join(', ')}`);
    requireNumber(t.volumeMl, `${at}.volumeMl`, { min: 0, minExclusive: true, max: 50 });
    const level = t.level ?? null;
    const side = t.side ?? null;
    if (level !== null && !(SPINAL_LEVELS as readonly string[]).includes(level)) throw new ScienceInputError(`${at}.level`, `one of ${SPINAL_LEVELS.join(', ')}`);
    if (side !== null && !(SIDES as readonly string[]).includes(side)) throw new ScienceInputError(`${at}.side`, `one of ${SIDES.join(', ')}`);
    if (NEEDS_LEVEL.has(t.structure) && level === null) throw new ScienceInputError(`${at}.level`, `a level (L1/L2 to L5/S1) for a ${INJECTION_STRUCTURE_LABELS[t.structure].toLowerCase()} injection`);
    if (NO_LEVEL.has(t.structure) && level !== null) throw new ScienceInputError(`${at}.level`, `empty: a ${INJECTION_STRUCTURE_LABELS[t.structure].toLowerCase()} injection has no disc level`);
    if (NEEDS_SIDE.has(t.structure) && (side === null || side === 'midline')) throw new ScienceInputError(`${at}.side`, 'left, right or bilateral');
    if (t.structure === 'other' && !t.description?.trim()) throw new ScienceInputError(`${at}.description`, 'a description of the target');
    const key = `${t.structure}|${level}|${side}`;
    if (seen.has(key)) throw new ScienceInputError(`${at}`, 'a target listed once (add the volumes together)');
    seen.add(key);
  });
  const totalVolumeMl = round3(input.targets.reduce((sum, t) => sum + t.volumeMl, 0));
  if (totalVolumeMl > round3(input.prpAvailableMl)) {
    throw new ScienceInputError('targets', `volumes adding up to at most the ${round3(input.prpAvailableMl)} mL of PRP prepared`, `The target volumes add up to ${totalVolumeMl} mL, but only ${round3(input.prpAvailableMl)} mL of PRP was prepared.`);
  }

  const warnings: ScienceWarning[] = [];
  const la = input.localAnaesthetic;
  // Bupivacaine 0.75 % reduced platelet viability; lidocaine 1 % and ropivacaine 0.5 % were acceptable up to 1:1 (Dregalla 2021, J Orthop Res 39:2744) [V].
  if (la?.mixedWithPrp && /bupivacaine|marcain|sensorcaine/i.test(la.agent)) {
    warnings.push({ field: 'localAnaesthetic.agent', code: 'bupivacaine-mixed', message: 'Bupivacaine mixed into PRP reduced platelet viability in vitro (Dregalla 2021); lidocaine or ropivacaine, or giving it separately, is preferred.' });
  }
  const intradiscal = input.targets.some((t) => t.structure === 'intervertebral-disc');
  // Discitis is the most feared complication of disc access (review, Spine J 2009;9:936, PMID 19643677) [V: abstract].
  // Whether prophylaxis prevents it is unproven: that review found no consensus; Willems 2004 (J Spinal Disord Tech,
  // PMID 15167342) found 0.25 % discitis per patient without antibiotics and did not support routine use
  // [V: abstracts]. Cutibacterium acnes discitis is the main intradiscal-PRP risk (Prysak 2019, Regen Med)
  // [V: abstract]. So a warning to record the decision, never a block; the clinic decides whether to give it.
  if (intradiscal && !input.antibioticProphylaxis?.given) {
    warnings.push({ field: 'antibioticProphylaxis', code: 'intradiscal-without-prophylaxis', message: 'An intradiscal injection without recorded antibiotic prophylaxis.' });
  }
  // Multisociety consensus with the FDA Safe Use Initiative asks for radiographic guidance for interlaminar and
  // transforaminal epidural injections (Rathmell 2015, Anesthesiology 122:974) [V: abstract]. The intradiscal PRP trials
  // injected after (image-guided) discography, and Wu 2016 (facet, fluoroscopy), Singla 2017 (SI, ultrasound) and Bise
  // 2020 (epidural, CT) used imaging (domain/preparation.md §5) [V]; that every spine PRP study did is not checked [M].
  if (input.imageGuidance === 'none' && input.targets.some((t) => t.structure === 'intervertebral-disc' || t.structure.startsWith('epidural') || t.structure === 'facet-joint')) {
    warnings.push({ field: 'imageGuidance', code: 'spinal-target-without-guidance', message: 'A disc, facet or epidural target without image guidance.' });
  }
  return { totalVolumeMl, warnings };
}
