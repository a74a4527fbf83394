/**
 * How completely a PRP treatment is documented, item by item, against what the MIBO reporting
 * checklist asks of PRP studies (Murray 2017, JBJS Am 99(10):809–819, Delphi consensus). Published
 * studies report only ~43–59 % of the items (Stone; DeClercq; e.g. Stone's review of knee-OA RCTs:
 * 53.1 ± 10.4 % on a 44-point split of the items); Autolog shows the technician what is still missing.
 *
 * The items below are Autolog's own wording of what a PRP record must capture, derived from the
 * MIBO PRP checklist (23 items in 12 categories: confirmed by the abstract of Stone et al.'s
 * systematic review; its journal, given elsewhere as OJSM, was not checked); they are not the
 * checklist text, and one MIBO item can map to several of ours (e.g. counts in blood and in PRP).
 */
import type { PreparationRecord } from './preparation-types.js';

export type MiboCategory =
  | 'blood-draw'
  | 'processing'
  | 'product'
  | 'activation'
  | 'delivery'
  | 'co-interventions'
  | 'outcomes';

export interface MiboItem {
  /** Stable identifier; stored with results, never renamed. */
  id: string;
  category: MiboCategory;
  /** What the technician or clinician must record, in their words. */
  label: string;
  /**
   * Field paths that satisfy the item: any one inner list, all of its paths present. `a[].b`
   * means "a is a non-empty list and every element has b".
   */
  satisfiedBy: readonly (readonly string[])[];
  /** When given and false, the item does not apply to this record (e.g. timing of "no activation"). */
  appliesTo?: (record: PreparationRecord) => boolean;
}

const notNoActivation = (record: PreparationRecord): boolean => record.activation?.agent !== 'none';
const severalInjections = (record: PreparationRecord): boolean => (record.injections?.count ?? 2) > 1;

// Items derived from the MIBO PRP checklist (Murray 2017, JBJS Am 99:809); wording is Autolog's.
export const MIBO_PRP_ITEMS: readonly MiboItem[] = [
  { id: 'draw-volume', category: 'blood-draw', label: 'Volume of blood drawn (mL, without anticoagulant)', satisfiedBy: [['wholeBlood.volumeMl']] },
  { id: 'anticoagulant', category: 'blood-draw', label: 'Anticoagulant used and its volume (mL)', satisfiedBy: [['anticoagulant.agent', 'anticoagulant.volumeMl']] },
  {
    id: 'system-or-protocol',
    category: 'processing',
    label: 'Commercial kit by name, or the manual protocol followed',
    satisfiedBy: [['system.name'], ['system.protocol']],
  },
  { id: 'spin-force-time', category: 'processing', label: 'Every spin: force (× g) and minutes', satisfiedBy: [['spins[].rcf', 'spins[].minutes']] },
  { id: 'spin-temperature', category: 'processing', label: 'Every spin: temperature (°C)', satisfiedBy: [['spins[].temperatureC']] },
  { id: 'final-volume', category: 'product', label: 'Volume of PRP obtained (mL)', satisfiedBy: [['prp.volumeMl']] },
  { id: 'platelets-blood', category: 'product', label: "Platelet count of the patient's blood (× 10³/µL)", satisfiedBy: [['wholeBlood.plateletsKPerUl']] },
  { id: 'platelets-prp', category: 'product', label: 'Platelet count of the PRP (× 10³/µL)', satisfiedBy: [['prp.plateletsKPerUl']] },
  { id: 'white-cells', category: 'product', label: 'White-cell count of blood and PRP (× 10³/µL)', satisfiedBy: [['wholeBlood.wbcKPerUl', 'prp.wbcKPerUl']] },
  {
    id: 'neutrophils',
    category: 'product',
    label: 'Neutrophil count of blood and PRP (white-cell differential)',
    satisfiedBy: [['wholeBlood.neutrophilsKPerUl', 'prp.neutrophilsKPerUl']],
  },
  { id: 'red-cells', category: 'product', label: 'Red cells in the PRP (count or haematocrit)', satisfiedBy: [['prp.rbcMPerUl'], ['prp.hematocritPct']] },
  { id: 'activation-agent', category: 'activation', label: 'Activation: agent added, or none', satisfiedBy: [['activation.agent']] },
  {
    id: 'activation-timing',
    category: 'activation',
    label: 'Activation: when the agent met the PRP',
    satisfiedBy: [['activation.timing']],
    appliesTo: notNoActivation,
  },
  { id: 'injected-volume', category: 'delivery', label: 'Volume injected (mL)', satisfiedBy: [['injectedVolumeMl']] },
  { id: 'injection-count', category: 'delivery', label: 'Number of injections in the course', satisfiedBy: [['injections.count']] },
  {
    id: 'injection-interval',
    category: 'delivery',
    label: 'Days between injections',
    satisfiedBy: [['injections.intervalDays']],
    appliesTo: severalInjections,
  },
  { id: 'site', category: 'delivery', label: 'Structure injected (e.g. L4-L5 disc)', satisfiedBy: [['site']] },
  { id: 'image-guidance', category: 'delivery', label: 'Image guidance used, or none', satisfiedBy: [['imageGuided']] },
  { id: 'local-anaesthetic', category: 'co-interventions', label: 'Local anaesthetic used (agent), or none', satisfiedBy: [['localAnaesthetic.agent']] },
  { id: 'concomitant-medication', category: 'co-interventions', label: 'Other medication that may affect the result, or none', satisfiedBy: [['concomitantMedication']] },
  { id: 'rehabilitation', category: 'co-interventions', label: 'Rehabilitation after the injection, or none', satisfiedBy: [['rehabilitation']] },
  { id: 'outcome-measures', category: 'outcomes', label: 'Validated outcome questionnaires used for follow-up', satisfiedBy: [['outcomeMeasures']] },
];

export type MiboItemStatus = 'present' | 'missing' | 'not-applicable';

export interface MiboItemResult {
  id: string;
  category: MiboCategory;
  label: string;
  status: MiboItemStatus;
  /** Paths that would satisfy the item (the first alternative when missing), for the screen to link to. */
  fields: string[];
}

export interface ReportingCompleteness {
  items: MiboItemResult[];
  /** Ids of items present. */
  present: string[];
  /** Ids of applicable items still missing. */
  missing: string[];
  /** Ids of items that do not apply to this record. */
  notApplicable: string[];
  /** present ÷ applicable × 100; 100 when nothing applies. */
  percent: number;
}

/**
 * Which MIBO-derived items a record documents, which are missing, and the percentage complete.
 * A value counts as present when it is not undefined/null, not empty text and not an empty list;
 * `false` and `0` are present (e.g. "no image guidance" is an answer).
 */
export function reportingCompleteness(record: PreparationRecord): ReportingCompleteness {
  const items: MiboItemResult[] = MIBO_PRP_ITEMS.map((item) => {
    if (item.appliesTo && !item.appliesTo(record)) {
      return { id: item.id, category: item.category, label: item.label, status: 'not-applicable', fields: [...(item.satisfiedBy[0] ?? [])] };
    }
    const satisfying = item.satisfiedBy.find((paths) => paths.every((path) => isPathPresent(record, path)));
    return {
      id: item.id,
      category: item.category,
      label: item.label,
      status: satisfying ? 'present' : 'missing',
      fields: [...(satisfying ?? item.satisfiedBy[0] ?? [])],
    };
  });
  const ids = (status: MiboItemStatus): string[] => items.filter((item) => item.status === status).map((item) => item.id);
  const present = ids('present');
  const missing = ids('missing');
  const applicable = present.length + missing.length;
  return {
    items,
    present,
    missing,
    notApplicable: ids('not-applicable'),
    percent: applicable === 0 ? 100 : (present.length / applicable) * 100,
  };
}

/** Whether `path` (dot-separated, `[]` = every element of a non-empty list) holds a value in `root`. */
export function isPathPresent(root: unknown, path: string): boolean {
  return presentAt(root, path.split('.'));
}

function presentAt(value: unknown, segments: string[]): boolean {
  const [head, ...rest] = segments;
  if (head === undefined) return hasValue(value);
  if (typeof value !== 'object' || value === null) return false;
  if (head.endsWith('[]')) {
    const list = (value as Record<string, unknown>)[head.slice(0, -2)];
    return Array.isArray(list) && list.length > 0 && list.every((element) => presentAt(element, rest));
  }
  return presentAt((value as Record<string, unknown>)[head], rest);
}

function hasValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
