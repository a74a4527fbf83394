/**
 * The lab screen's form, without React: which fields it has (by the API's own paths, so a
 * server error lands where the science's would), how typed text becomes a record the science
 * library evaluates, the body of a create and the merge patch of an edit, and how paths in
 * messages are put into words. The science itself is imported, never re-implemented: the
 * browser and the server run the same `evaluatePreparation` and `prefillFromProtocol`.
 */
import { parseAnalyserLine, type AnalyserLineResult, type AnalyserSample } from '../science/analyser-line.js';
import { ScienceInputError } from '../science/errors.js';
import { PRODUCT_AGE_LIMIT_HOURS_DEFAULT } from '../science/preparation-metrics.js';
import {
  evaluatePreparation,
  preparationProtocolOf,
  prefillFromProtocol,
  protocolLabel,
  type PreparationEvaluation,
  type PreparationProtocol,
} from '../science/preparation-record.js';
import type { BloodCounts, PreparationRecord, SpinStep } from '../science/preparation-types.js';
import { findPrpSystem } from '../science/prp-systems.js';
import { formatSignificant, suspectWrongUnit } from '../science/units.js';
import { fromLocalInput, toLocalInput } from './format.js';
import { spreadProblem, type FormErrors } from './forms.js';
import type { PreparationView, Problem, ProtocolVersionView } from './types.js';

export type FieldKind = 'text' | 'number' | 'integer' | 'instant' | 'choice' | 'yesno' | 'given' | 'list';

export interface PrepField {
  /** The API's path of the field (`wholeBlood.plateletsKPerUl`); also the form's key. */
  path: string;
  /** How the field is named in messages and the error summary. */
  label: string;
  kind: FieldKind;
  unit?: string;
}

export const SAMPLES = ['wholeBlood', 'prp'] as const satisfies readonly AnalyserSample[];
export type Sample = (typeof SAMPLES)[number];
export const COUNT_KEYS = ['plateletsKPerUl', 'wbcKPerUl', 'neutrophilsKPerUl', 'rbcMPerUl', 'hematocritPct'] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export const SAMPLE_LABELS: Record<Sample, string> = { wholeBlood: 'Baseline', prp: 'PRP' };
export const COUNT_LABELS: Record<CountKey, { label: string; short: string; unit: string }> = {
  plateletsKPerUl: { label: 'platelets', short: 'PLT', unit: '× 10³/µL' },
  wbcKPerUl: { label: 'white cells', short: 'WBC', unit: '× 10³/µL' },
  neutrophilsKPerUl: { label: 'neutrophils', short: 'NEUT#', unit: '× 10³/µL' },
  rbcMPerUl: { label: 'red cells', short: 'RBC', unit: '× 10⁶/µL' },
  hematocritPct: { label: 'haematocrit', short: 'HCT', unit: '%' },
};

const field = (path: string, label: string, kind: FieldKind, unit?: string): PrepField => ({ path, label, kind, ...(unit && { unit }) });

const countFields = (sample: Sample): PrepField[] => [
  ...COUNT_KEYS.map((key) => field(`${sample}.${key}`, `${SAMPLE_LABELS[sample]} ${COUNT_LABELS[key].label}`, 'number', COUNT_LABELS[key].unit)),
  field(`${sample}.analyserLine`, `${SAMPLE_LABELS[sample]} analyser line`, 'text'),
];

/** Every field of the form except the spins, in the order of the screen. */
export const PREP_FIELDS: readonly PrepField[] = [
  field('draw.drawnAt', 'Drawn at', 'instant'),
  field('draw.drawnById', 'Drawn by', 'choice'),
  field('wholeBlood.volumeMl', 'Blood drawn', 'number', 'mL'),
  field('anticoagulant.agent', 'Anticoagulant', 'text'),
  field('anticoagulant.volumeMl', 'Anticoagulant volume', 'number', 'mL'),
  field('wholeBlood.sampleAnticoagulant', 'Baseline sample tube', 'choice'),
  field('draw.tubeLot', 'Tube lot', 'text'),
  field('draw.kitLot', 'Kit lot', 'text'),
  field('protocolId', 'Protocol', 'choice'),
  field('systemId', 'Commercial system', 'choice'),
  field('method', 'Method', 'choice'),
  ...countFields('wholeBlood'),
  ...countFields('prp'),
  field('prp.volumeMl', 'PRP volume', 'number', 'mL'),
  field('form', 'Form', 'choice'),
  field('activation.agent', 'Activation', 'choice'),
  field('activation.detail', 'Activation detail', 'text'),
  field('activation.timing', 'Activation timing', 'choice'),
  field('activation.minutesBeforeInjection', 'Activated minutes before injection', 'number', 'min'),
  field('preparedById', 'Prepared by', 'choice'),
  field('preparedAt', 'Prepared at', 'instant'),
  field('injectedVolumeMl', 'Injected volume', 'number', 'mL'),
  field('injectedAt', 'Injected at', 'instant'),
  field('site', 'Site injected', 'text'),
  field('imageGuided', 'Image guidance', 'yesno'),
  field('imagingModality', 'Imaging', 'choice'),
  field('localAnaesthetic.agent', 'Local anaesthetic', 'text'),
  field('localAnaesthetic.volumeMl', 'Anaesthetic volume', 'number', 'mL'),
  field('localAnaesthetic.mixedWithPrp', 'Anaesthetic given', 'given'),
  field('injections.count', 'Injections in the course', 'integer'),
  field('injections.intervalDays', 'Days between injections', 'integer'),
  field('concomitantMedication', 'Concomitant medication', 'text'),
  field('rehabilitation', 'Rehabilitation', 'text'),
  field('outcomeMeasures', 'Outcome measures', 'list'),
  field('notes', 'Notes', 'text'),
];

const FIELD_BY_PATH = new Map(PREP_FIELDS.map((f) => [f.path, f]));
const SPIN_PARTS = { rcf: 'force (× g)', minutes: 'minutes', temperatureC: 'temperature (°C)' } as const;
type SpinPart = keyof typeof SPIN_PARTS;
/** `spins[1].rcf` (the science's notation) or `spins.1.rcf` (the schema validator's). */
const SPIN_PATH = /^spins(?:\[(\d+)\]|\.(\d+))\.(rcf|minutes|temperatureC)$/;

/** Paths of the science record that are not form fields, and the field that answers them. */
const RECORD_ALIASES: Record<string, string> = { 'system.name': 'systemId', 'system.protocol': 'protocolId', draw: 'draw.drawnAt' };

/** The field's name in words: `wholeBlood.plateletsKPerUl` → "Baseline platelets", `spins[1].rcf` → "Spin 2 force (× g)". */
export function labelOf(path: string): string {
  const spin = SPIN_PATH.exec(path);
  if (spin) return `Spin ${Number(spin[1] ?? spin[2]) + 1} ${SPIN_PARTS[spin[3] as SpinPart]}`;
  if (path === 'spins' || path.startsWith('spins[]')) return path === 'spins' ? 'Spins' : `Every spin’s ${SPIN_PARTS[path.slice(8) as SpinPart] ?? path.slice(8)}`;
  return FIELD_BY_PATH.get(path)?.label ?? FIELD_BY_PATH.get(RECORD_ALIASES[path] ?? '')?.label ?? path;
}

/** `spins.1.rcf` → `spins[1].rcf`; `draw` → `draw.drawnAt`: the one notation the form uses. */
export function normalisePath(path: string): string {
  const spin = SPIN_PATH.exec(path);
  if (spin) return `spins[${spin[1] ?? spin[2]}].${spin[3]}`;
  return RECORD_ALIASES[path] ?? path;
}

/** Whether the form has a control for this path. */
export function isFormPath(path: string): boolean {
  return FIELD_BY_PATH.has(path) || SPIN_PATH.test(path) || path === 'spins';
}

/** The id of a field's control: `prep-wholeBlood-plateletsKPerUl`, `prep-spins-0-rcf`. */
export function fieldDomId(path: string): string {
  return `prep-${path.replace(/[.[\]]+/g, '-').replace(/-+$/, '')}`;
}

/**
 * The control to focus for a path the science names (a MIBO item's field, a classification's
 * missing input): record-only paths map to their form field, `spins[].x` to the first spin.
 */
export function focusPathFor(path: string, spinRows: number): string {
  if (RECORD_ALIASES[path]) return RECORD_ALIASES[path];
  if (path === 'spins' || path.startsWith('spins[]')) {
    const part = path.startsWith('spins[].') ? path.slice(8) : 'rcf';
    return spinRows > 0 ? `spins[0].${part}` : 'spins';
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Messages

const PATH_IN_TEXT = new RegExp(
  [
    String.raw`spins(?:\[\d+\]|\.\d+)\.(?:rcf|minutes|temperatureC)`,
    // Single lower-case words (site, form, method, notes) are left alone: they are also ordinary words.
    ...PREP_FIELDS.map((f) => f.path).filter((p) => /[.A-Z]/.test(p)).sort((a, b) => b.length - a.length).map((p) => p.replace(/[.[\]]/g, '\\$&')),
  ].join('|'),
  'g',
);

/**
 * A message with the API paths in it put into words: "wholeBlood.plateletsKPerUl = 245000 looks
 * like…" → "Baseline platelets = 245000 looks like…". The science writes paths so that any
 * client can point at the field; people read labels.
 */
export function humanise(message: string): string {
  return message.replace(PATH_IN_TEXT, (path, offset: number) => {
    const label = labelOf(normalisePath(path));
    const sentenceStart = offset === 0 || /[.;:]\s*$/.test(message.slice(0, offset));
    // "Baseline" becomes "baseline" mid-sentence; "PRP" stays as it is.
    return sentenceStart || /^.[A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  });
}

/**
 * A problem document spread over the form: every `errors[]` entry (or the single `field`) on its
 * field, in words; what names no field of the form goes in `general`. The schema validator sends
 * fragments ("must be at most 500") and the service whole sentences; both read as sentences here.
 */
export function problemFieldErrors(problem: Problem): FormErrors {
  return spreadProblem(problem, (field, message) => {
    const path = normalisePath(field);
    return { key: isFormPath(path) ? path : undefined, text: sentence(path, message) };
  });
}

function sentence(path: string, message: string): string {
  const fragment = /^(is |must |should )/.test(message);
  const text = fragment ? `${labelOf(path)} ${message.replace(/^must be > (\S+)$/, 'must be greater than $1')}` : humanise(message);
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

// ---------------------------------------------------------------------------------------------
// Values

export interface SpinRow {
  rcf: string;
  minutes: string;
  temperatureC: string;
}

/** What the form holds: the text of every field by path, and the spins as rows. */
export interface PrepValues {
  fields: Record<string, string>;
  spins: SpinRow[];
}

export const EMPTY_SPIN: SpinRow = { rcf: '', minutes: '', temperatureC: '' };

/** A new record: drawn now (to be corrected to the real time), prepared by the person signed in. */
export function emptyValues(now: Date, userId: string): PrepValues {
  return { fields: { 'draw.drawnAt': toLocalInput(now.toISOString()), preparedById: userId }, spins: [] };
}

const str = (v: number | string | null | undefined): string => (v === null || v === undefined ? '' : String(v));
const yesNo = (v: boolean | null): string => (v === null ? '' : v ? 'yes' : 'no');

/** The form's values for a stored preparation. */
export function valuesFromView(p: PreparationView): PrepValues {
  const fields: Record<string, string> = {
    protocolId: p.protocol?.id ?? '',
    systemId: p.systemId ?? '',
    method: p.method ?? '',
    'draw.drawnAt': toLocalInput(p.draw.drawnAt),
    'draw.drawnById': p.draw.drawnBy?.id ?? '',
    'draw.tubeLot': str(p.draw.tubeLot),
    'draw.kitLot': str(p.draw.kitLot),
    'wholeBlood.volumeMl': str(p.wholeBlood.volumeMl),
    'wholeBlood.sampleAnticoagulant': str(p.wholeBlood.sampleAnticoagulant),
    'anticoagulant.agent': str(p.anticoagulant.agent),
    'anticoagulant.volumeMl': str(p.anticoagulant.volumeMl),
    'prp.volumeMl': str(p.prp.volumeMl),
    form: str(p.form),
    'activation.agent': str(p.activation.agent),
    'activation.detail': str(p.activation.detail),
    'activation.timing': str(p.activation.timing),
    'activation.minutesBeforeInjection': str(p.activation.minutesBeforeInjection),
    preparedById: p.preparedBy?.id ?? '',
    preparedAt: toLocalInput(p.preparedAt),
    injectedVolumeMl: str(p.injectedVolumeMl),
    injectedAt: toLocalInput(p.injectedAt),
    site: str(p.site),
    imageGuided: yesNo(p.imageGuided),
    imagingModality: str(p.imagingModality),
    'localAnaesthetic.agent': str(p.localAnaesthetic.agent),
    'localAnaesthetic.volumeMl': str(p.localAnaesthetic.volumeMl),
    'localAnaesthetic.mixedWithPrp': p.localAnaesthetic.mixedWithPrp === null ? '' : p.localAnaesthetic.mixedWithPrp ? 'mixed' : 'separate',
    'injections.count': str(p.injections.count),
    'injections.intervalDays': str(p.injections.intervalDays),
    concomitantMedication: str(p.concomitantMedication),
    rehabilitation: str(p.rehabilitation),
    outcomeMeasures: p.outcomeMeasures.join(', '),
    notes: str(p.notes),
  };
  for (const sample of SAMPLES) {
    for (const key of COUNT_KEYS) fields[`${sample}.${key}`] = str(p[sample][key]);
    fields[`${sample}.analyserLine`] = str(p[sample].analyserLine);
  }
  return { fields, spins: p.spins.map((s) => ({ rcf: str(s.rcf), minutes: str(s.minutes), temperatureC: str(s.temperatureC) })) };
}

type Read = { ok: true; value: unknown } | { ok: false; message: string };

/** A decimal as typed: "4.5" or "4,5" (decimal comma); anything else is not a number. */
export function parseDecimal(raw: string): number | undefined {
  const text = raw.trim().replace(',', '.');
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The API value of one field's text; `undefined` when empty. */
function read(kind: FieldKind, raw: string | undefined, label: string): Read {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, value: undefined };
  switch (kind) {
    case 'text':
    case 'choice':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const value = parseDecimal(text);
      if (value === undefined) return { ok: false, message: `${label}: enter a number, such as 4.5.` };
      if (kind === 'integer' && !Number.isInteger(value)) return { ok: false, message: `${label} must be a whole number.` };
      return { ok: true, value };
    }
    case 'instant': {
      const iso = fromLocalInput(text);
      return iso === undefined ? { ok: false, message: `${label}: enter a date and time.` } : { ok: true, value: iso };
    }
    case 'yesno':
      return { ok: true, value: text === 'yes' };
    case 'given':
      return { ok: true, value: text === 'mixed' };
    case 'list': {
      const items = text.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '');
      return { ok: true, value: items.length > 0 ? items : undefined };
    }
  }
}

type Doc = Record<string, unknown>;

function setPath(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Doc;
  }
  node[keys[keys.length - 1]!] = value;
}

function getPath(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Doc)[key] : undefined), doc);
}

interface Parsed {
  /** The API document of everything readable (empty fields left out). */
  doc: Doc;
  /** Spins as the API takes them; rows with nothing typed are left out. */
  spins: Partial<SpinStep>[];
  errors: Record<string, string>;
}

function parse(values: PrepValues): Parsed {
  const doc: Doc = {};
  const errors: Record<string, string> = {};
  for (const f of PREP_FIELDS) {
    const r = read(f.kind, values.fields[f.path], f.label);
    if (!r.ok) errors[f.path] = r.message;
    else if (r.value !== undefined) setPath(doc, f.path, r.value);
  }
  const spins: Partial<SpinStep>[] = [];
  values.spins.forEach((row, index) => {
    if (!row.rcf.trim() && !row.minutes.trim() && !row.temperatureC.trim()) return;
    const spin: Partial<SpinStep> = {};
    for (const part of ['rcf', 'minutes', 'temperatureC'] as const) {
      const path = `spins[${index}].${part}`;
      const r = read('number', row[part], labelOf(path));
      if (!r.ok) errors[path] = r.message;
      else if (r.value !== undefined) spin[part] = r.value as number;
      else if (part !== 'temperatureC') errors[path] ??= `${labelOf(path)} is needed for every spin.`;
    }
    spins.push(spin);
  });
  return { doc, spins, errors };
}

/** The protocol as the science library takes it (the API adds rpm and ids): one mapping shared with the server. */
export const scienceProtocolOf = preparationProtocolOf;

/**
 * The science's view of the form, built the way the server builds it from a stored record
 * (services/preparations.ts `toRecord`): the commercial system by name, the protocol as
 * "name vN", API-only fields (times, people, lots) left out.
 */
function recordOf(parsed: Parsed, protocol: { name: string; version: number } | null): PreparationRecord {
  const { doc } = parsed;
  const counts = (sample: Sample) => {
    const source = (doc[sample] ?? {}) as Doc;
    const out: Partial<BloodCounts & { volumeMl: number }> = {};
    for (const key of [...COUNT_KEYS, 'volumeMl'] as const) if (typeof source[key] === 'number') out[key] = source[key];
    return out;
  };
  const systemName = typeof doc.systemId === 'string' ? findPrpSystem(doc.systemId)?.name : undefined;
  const record: PreparationRecord = { wholeBlood: counts('wholeBlood'), prp: counts('prp') };
  const copy = <K extends keyof PreparationRecord>(key: K) => {
    if (doc[key] !== undefined) record[key] = doc[key] as PreparationRecord[K];
  };
  (['injectedVolumeMl', 'anticoagulant', 'activation', 'method', 'form', 'imageGuided', 'imagingModality', 'injections', 'site', 'localAnaesthetic', 'concomitantMedication', 'rehabilitation', 'outcomeMeasures'] as const).forEach(copy);
  if (parsed.spins.length > 0) record.spins = parsed.spins;
  if (systemName || protocol) record.system = { ...(systemName && { name: systemName }), ...(protocol && { protocol: protocolLabel(protocol) }) };
  return record;
}

// ---------------------------------------------------------------------------------------------
// Analyser lines

export type LineReading = { ok: true; result: AnalyserLineResult } | { ok: false; message: string };

/** Reads one sample's pasted line with the science's parser; the message names the line field. */
export function readLine(sample: Sample, line: string): LineReading {
  try {
    return { ok: true, result: parseAnalyserLine(line, { sample, field: `${sample}.analyserLine` }) };
  } catch (error) {
    if (error instanceof ScienceInputError) return { ok: false, message: humanise(error.message) };
    throw error;
  }
}

/** The form with the counts a line gives written into their fields (other counts stay as typed). */
export function applyLine(values: PrepValues, sample: Sample, result: AnalyserLineResult): PrepValues {
  const fields = { ...values.fields };
  for (const key of COUNT_KEYS) {
    const value = result.counts[key];
    if (value !== undefined) fields[`${sample}.${key}`] = String(value);
  }
  return { ...values, fields };
}

/**
 * A kept line must agree with the counts beside it, as the server requires when both are sent;
 * a count changed by hand after pasting is named, so the stored line never contradicts a count.
 */
function lineErrors(values: PrepValues, parsed: Parsed): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const sample of SAMPLES) {
    const line = values.fields[`${sample}.analyserLine`] ?? '';
    if (line.trim() === '') continue;
    const reading = readLine(sample, line);
    if (!reading.ok) {
      errors[`${sample}.analyserLine`] = reading.message;
      continue;
    }
    for (const key of COUNT_KEYS) {
      const fromLine = reading.result.counts[key];
      const path = `${sample}.${key}`;
      if (fromLine === undefined || errors[path] || parsed.errors[path]) continue;
      const typed = getPath(parsed.doc, path);
      if (typed !== fromLine) {
        errors[path] = `${labelOf(path)} is ${typed === undefined ? 'empty' : formatSignificant(typed as number)} but the pasted analyser line says ${formatSignificant(fromLine)}; correct the count, or clear the line.`;
      }
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Checking and evaluating

export interface LabCheck {
  /** Every field that cannot be saved as it is, by path, in words (first problem per field). */
  errors: Record<string, string>;
  evaluation: PreparationEvaluation;
}

export interface CheckContext {
  /** The linked protocol, for the MIBO "protocol followed" item. */
  protocol: { name: string; version: number } | null;
  /** The clinic's limit from draw to use (the stored record's, else the science default). */
  productAgeLimitHours?: number;
}

/**
 * Checks and evaluates the form as it stands, the same way the server will: unreadable text,
 * the required draw time, incomplete spins, a pasted line that disagrees with a count, then
 * `evaluatePreparation` (counts in the wrong unit, volumes, product age…).
 */
export function checkValues(values: PrepValues, context: CheckContext): LabCheck {
  const parsed = parse(values);
  const errors: Record<string, string> = { ...parsed.errors };
  if ((values.fields['draw.drawnAt'] ?? '').trim() === '') errors['draw.drawnAt'] = 'Enter when the blood was drawn.';
  for (const [path, message] of Object.entries(lineErrors(values, parsed))) errors[path] ??= message;

  const drawnAt = getPath(parsed.doc, 'draw.drawnAt') as string | undefined;
  const injectedAt = parsed.doc.injectedAt as string | undefined;
  const productAt = injectedAt ?? (parsed.doc.preparedAt as string | undefined);
  const evaluation = evaluatePreparation(recordOf(parsed, context.protocol), {
    ...(drawnAt !== undefined && { drawnAtMs: Date.parse(drawnAt) }),
    ...(productAt !== undefined && { productAtMs: Date.parse(productAt), productAtField: injectedAt !== undefined ? 'injectedAt' : 'preparedAt' }),
    productAgeLimitHours: context.productAgeLimitHours ?? PRODUCT_AGE_LIMIT_HOURS_DEFAULT,
  });
  for (const e of evaluation.errors) errors[normalisePath(e.field)] ??= humanise(e.message);
  return { errors, evaluation };
}

/** The value a count "looks like" in Autolog's unit, when the science suspects another unit. */
export function suggestedCount(path: string, raw: string | undefined): number | undefined {
  const value = parseDecimal(raw ?? '');
  if (value === undefined) return undefined;
  return suspectWrongUnit(path, value)?.suggestedValue;
}

// ---------------------------------------------------------------------------------------------
// Protocol pre-filling

/**
 * Chooses a protocol: what an earlier protocol filled in and nobody changed is cleared, then
 * `prefillFromProtocol` fills what the record leaves empty (spins, anticoagulant and its volume
 * from the ratio, method, activation). `auto` is the set of paths filled this way, which later
 * typing removes from it.
 */
export function applyProtocol(values: PrepValues, protocol: ProtocolVersionView | null, auto: ReadonlySet<string>): { values: PrepValues; auto: Set<string> } {
  const fields: Record<string, string> = { ...values.fields, protocolId: protocol?.protocolId ?? '' };
  for (const path of auto) if (path !== 'spins') fields[path] = '';
  const cleared: PrepValues = { fields, spins: auto.has('spins') ? [] : values.spins };
  const nextAuto = new Set<string>();
  if (!protocol) return { values: cleared, auto: nextAuto };

  const parsed = parse(cleared);
  const filled = prefillFromProtocol(recordOf(parsed, protocol), scienceProtocolOf(protocol));
  const offer = (path: string, value: string | number | undefined) => {
    if (value === undefined || (fields[path] ?? '').trim() !== '') return;
    fields[path] = String(value);
    nextAuto.add(path);
  };
  offer('anticoagulant.agent', filled.anticoagulant?.agent);
  offer('anticoagulant.volumeMl', filled.anticoagulant?.volumeMl);
  offer('method', filled.method);
  offer('activation.agent', filled.activation?.agent);
  offer('activation.detail', filled.activation?.detail);
  offer('systemId', protocol.systemId ?? undefined);
  let spins = cleared.spins;
  if (parsed.spins.length === 0 && filled.spins && filled.spins.length > 0) {
    spins = filled.spins.map((s) => ({ rcf: str(s.rcf), minutes: str(s.minutes), temperatureC: str(s.temperatureC) }));
    nextAuto.add('spins');
  }
  return { values: { fields, spins }, auto: nextAuto };
}

/** The anticoagulant volume the protocol's ratio gives for the blood drawn now, if the protocol has one. */
export function protocolAnticoagulantMl(values: PrepValues, protocol: ProtocolVersionView): string | undefined {
  const fields = { ...values.fields, 'anticoagulant.volumeMl': '' };
  const parsed = parse({ ...values, fields });
  const filled = prefillFromProtocol(recordOf(parsed, protocol), scienceProtocolOf(protocol));
  return filled.anticoagulant?.volumeMl === undefined ? undefined : String(filled.anticoagulant.volumeMl);
}

// ---------------------------------------------------------------------------------------------
// Requests

/** The POST body: everything filled in (empty fields left out), the protocol at the version shown. */
export function createBody(values: PrepValues, protocolVersion: number | undefined): Doc {
  const { doc, spins } = parse(values);
  if (spins.length > 0) doc.spins = spins;
  if (doc.protocolId !== undefined && protocolVersion !== undefined) doc.protocolVersion = protocolVersion;
  return doc;
}

function canonical(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/**
 * The PATCH body (JSON merge patch): only the fields that differ from what was loaded; an
 * emptied field is sent as null, which clears it; the spins go whole when any of them changed.
 */
export function patchBody(initial: PrepValues, current: PrepValues, protocolVersion: number | undefined): Doc {
  const before = parse(initial);
  const after = parse(current);
  const patch: Doc = {};
  for (const f of PREP_FIELDS) {
    const a = getPath(before.doc, f.path);
    const b = getPath(after.doc, f.path);
    if (canonical(a) !== canonical(b)) setPath(patch, f.path, b === undefined ? null : b);
  }
  if (canonical(before.spins) !== canonical(after.spins)) patch.spins = after.spins.length > 0 ? after.spins : null;
  if (patch.protocolId !== undefined && patch.protocolId !== null && protocolVersion !== undefined) patch.protocolVersion = protocolVersion;
  return patch;
}

/** True when the form differs from what was loaded (in what would be saved, not in spacing). */
export function isDirty(initial: PrepValues, current: PrepValues): boolean {
  return Object.keys(patchBody(initial, current, undefined)).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Numbers on screen

/** A number with a fixed count of decimals in the reader's locale, or an em dash. */
export function formatFixed(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
