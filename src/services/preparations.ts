import type { Insertable, Selectable, Updateable } from 'kysely';
import {
  evaluatePreparation,
  findPrpSystem,
  parseAnalyserLine,
  prefillFromProtocol,
  protocolLabel,
  rpmFromRcf,
  ScienceInputError,
  SCIENCE_VERSION,
  type ActivationAgent,
  type ActivationTiming,
  type AllClassifications,
  type AnalyserLineResult,
  type AnalyserSample,
  type FieldError,
  type ImagingModality,
  type MetricValues,
  type PreparationEvaluation,
  type PreparationForm,
  type PreparationMethod,
  type PreparationRecord,
  type ReportingCompleteness,
  type SampleAnticoagulant,
  type ScienceWarning,
  type SpinStep,
} from '../science/index.js';
import { INDICATIONS } from '../science/indications.js';
import { fromJson, toJson } from '../store/json.js';
import type { PreparationTable } from '../store/schema-preparation.js';
import type { Sex } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { invalidAll, notFound, ServiceError } from './errors.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';
import { loadEpisodeContext } from './pathway-common.js';
import { staffNames, type StaffRef } from './staff-refs.js';
import { loadPathwaySettings } from './pathway-settings.js';
import { loadProtocolVersion, toScienceProtocol, type ProtocolVersionView } from './protocols.js';

type PreparationRow = Selectable<PreparationTable>;


export interface CountFields {
  plateletsKPerUl?: number | null;
  wbcKPerUl?: number | null;
  neutrophilsKPerUl?: number | null;
  rbcMPerUl?: number | null;
  hematocritPct?: number | null;
  /** The analyser's line as pasted; counts it gives fill the fields left empty. */
  analyserLine?: string | null;
}

/**
 * A preparation as the API takes it. Where the science library has a field, the path is the
 * same (`wholeBlood.plateletsKPerUl`, `prp.volumeMl`, `spins[1].rcf`), so an error the science
 * raises names the request's own field. `wholeBlood.volumeMl` is the blood drawn, anticoagulant
 * excluded. On PATCH the body is a JSON merge patch (RFC 7396): `null` clears, objects merge,
 * lists replace.
 */
export interface PreparationFields {
  protocolId?: string | null;
  protocolVersion?: number | null;
  systemId?: string | null;
  draw?: { drawnAt?: string; drawnById?: string | null; tubeLot?: string | null; kitLot?: string | null } | null;
  wholeBlood?: (CountFields & { volumeMl?: number | null; sampleAnticoagulant?: SampleAnticoagulant | null }) | null;
  prp?: (CountFields & { volumeMl?: number | null }) | null;
  anticoagulant?: { agent?: string | null; volumeMl?: number | null } | null;
  spins?: SpinStep[] | null;
  activation?: { agent?: ActivationAgent | null; detail?: string | null; timing?: ActivationTiming | null; minutesBeforeInjection?: number | null } | null;
  injectedVolumeMl?: number | null;
  injectedAt?: string | null;
  localAnaesthetic?: { agent?: string | null; mixedWithPrp?: boolean | null; volumeMl?: number | null } | null;
  method?: PreparationMethod | null;
  form?: PreparationForm | null;
  imageGuided?: boolean | null;
  imagingModality?: ImagingModality | null;
  site?: string | null;
  injections?: { count?: number | null; intervalDays?: number | null } | null;
  concomitantMedication?: string | null;
  rehabilitation?: string | null;
  outcomeMeasures?: string[] | null;
  preparedById?: string | null;
  preparedAt?: string | null;
  notes?: string | null;
}

export interface NewPreparationInput extends PreparationFields {
  draw: { drawnAt: string; drawnById?: string | null; tubeLot?: string | null; kitLot?: string | null };
}

/** What was computed, when, by which version of the science library. */
export interface ComputedView {
  scienceVersion: string;
  /** The version the server runs now; when it differs, POST …/recompute brings the record up to date. */
  currentScienceVersion: string;
  upToDate: boolean;
  computedAt: string;
  productAgeLimitHours: number;
  productAgeHours: number | null;
  missingForMetrics: string[];
  metrics: MetricValues | null;
  classifications: AllClassifications | null;
  completeness: ReportingCompleteness;
  warnings: ScienceWarning[];
}

type Nullish<T> = { [K in keyof T]-?: T[K] | null };
type Counts = Nullish<Omit<CountFields, 'analyserLine'>> & { analyserLine: string | null };

export interface PreparationView {
  id: string;
  episodeId: string;
  patientId: string;
  protocol: { id: string; versionId: string; version: number; name: string; rotorRadiusCm: number } | null;
  systemId: string | null;
  systemName: string | null;
  draw: { drawnAt: string; drawnBy: StaffRef | null; tubeLot: string | null; kitLot: string | null };
  wholeBlood: Counts & { volumeMl: number | null; sampleAnticoagulant: SampleAnticoagulant | null };
  prp: Counts & { volumeMl: number | null };
  anticoagulant: { agent: string | null; volumeMl: number | null };
  /** Spins actually run; `rpm` is for the linked protocol's rotor (null without a protocol). */
  spins: (SpinStep & { rpm: number | null })[];
  activation: { agent: ActivationAgent | null; detail: string | null; timing: ActivationTiming | null; minutesBeforeInjection: number | null };
  injectedVolumeMl: number | null;
  injectedAt: string | null;
  localAnaesthetic: { agent: string | null; mixedWithPrp: boolean | null; volumeMl: number | null };
  method: PreparationMethod | null;
  form: PreparationForm | null;
  imageGuided: boolean | null;
  imagingModality: ImagingModality | null;
  site: string | null;
  injections: { count: number | null; intervalDays: number | null };
  concomitantMedication: string | null;
  rehabilitation: string | null;
  outcomeMeasures: string[];
  preparedBy: StaffRef | null;
  preparedAt: string | null;
  notes: string | null;
  computed: ComputedView;
  createdAt: string;
  createdBy: StaffRef | null;
  updatedAt: string;
}

/**
 * The longest a product may wait from draw to injection before the record warns. The one place
 * the limit is read: the default is 4 h (Wilson & Fortier 2018, Am J Orthop); the clinic may set
 * its own in the pathway settings, which the bedside check uses too.
 */
export async function productAgeLimitHours(trx: Trx, clinicId: string): Promise<number> {
  return (await loadPathwaySettings(trx, clinicId)).productAgeLimitHours;
}

// ---------------------------------------------------------------------------------------------
// The record document ↔ row. One table of (API path, column, kind) drives reading, writing and
// the list of changed fields in the audit trail.

type Kind = 'text' | 'number' | 'boolean' | 'json';
type Column = Exclude<keyof PreparationRow, 'id' | 'clinic_id' | 'episode_id' | 'patient_id' | 'science_version' | 'computed_at' | 'product_age_limit_hours' | 'concentration_factor' | 'platelet_dose_billion' | 'recovery_pct' | 'completeness_pct' | 'computed' | 'created_at' | 'created_by_id' | 'updated_at'>;

const FIELDS: readonly (readonly [path: string, column: Column, kind: Kind])[] = [
  ['protocolId', 'protocol_id', 'text'],
  ['protocolVersion', 'protocol_version', 'number'],
  ['systemId', 'system_id', 'text'],
  ['draw.drawnAt', 'drawn_at', 'text'],
  ['draw.drawnById', 'drawn_by_id', 'text'],
  ['draw.tubeLot', 'tube_lot', 'text'],
  ['draw.kitLot', 'kit_lot', 'text'],
  ['wholeBlood.volumeMl', 'draw_volume_ml', 'number'],
  ['wholeBlood.sampleAnticoagulant', 'wb_sample_anticoagulant', 'text'],
  ['wholeBlood.plateletsKPerUl', 'wb_platelets_k_per_ul', 'number'],
  ['wholeBlood.wbcKPerUl', 'wb_wbc_k_per_ul', 'number'],
  ['wholeBlood.neutrophilsKPerUl', 'wb_neutrophils_k_per_ul', 'number'],
  ['wholeBlood.rbcMPerUl', 'wb_rbc_m_per_ul', 'number'],
  ['wholeBlood.hematocritPct', 'wb_hematocrit_pct', 'number'],
  ['wholeBlood.analyserLine', 'wb_analyser_line', 'text'],
  ['prp.volumeMl', 'prp_volume_ml', 'number'],
  ['prp.plateletsKPerUl', 'prp_platelets_k_per_ul', 'number'],
  ['prp.wbcKPerUl', 'prp_wbc_k_per_ul', 'number'],
  ['prp.neutrophilsKPerUl', 'prp_neutrophils_k_per_ul', 'number'],
  ['prp.rbcMPerUl', 'prp_rbc_m_per_ul', 'number'],
  ['prp.hematocritPct', 'prp_hematocrit_pct', 'number'],
  ['prp.analyserLine', 'prp_analyser_line', 'text'],
  ['anticoagulant.agent', 'anticoagulant_agent', 'text'],
  ['anticoagulant.volumeMl', 'anticoagulant_volume_ml', 'number'],
  ['spins', 'spins', 'json'],
  ['activation.agent', 'activation_agent', 'text'],
  ['activation.detail', 'activation_detail', 'text'],
  ['activation.timing', 'activation_timing', 'text'],
  ['activation.minutesBeforeInjection', 'activation_minutes_before_injection', 'number'],
  ['injectedVolumeMl', 'injected_volume_ml', 'number'],
  ['injectedAt', 'injected_at', 'text'],
  ['localAnaesthetic.agent', 'local_anaesthetic_agent', 'text'],
  ['localAnaesthetic.mixedWithPrp', 'local_anaesthetic_mixed', 'boolean'],
  ['localAnaesthetic.volumeMl', 'local_anaesthetic_volume_ml', 'number'],
  ['method', 'method', 'text'],
  ['form', 'form', 'text'],
  ['imageGuided', 'image_guided', 'boolean'],
  ['imagingModality', 'imaging_modality', 'text'],
  ['site', 'site', 'text'],
  ['injections.count', 'injection_count', 'number'],
  ['injections.intervalDays', 'injection_interval_days', 'number'],
  ['concomitantMedication', 'concomitant_medication', 'text'],
  ['rehabilitation', 'rehabilitation', 'text'],
  ['outcomeMeasures', 'outcome_measures', 'json'],
  ['preparedById', 'prepared_by_id', 'text'],
  ['preparedAt', 'prepared_at', 'text'],
  ['notes', 'notes', 'text'],
];

const COUNT_KEYS = ['plateletsKPerUl', 'wbcKPerUl', 'neutrophilsKPerUl', 'rbcMPerUl', 'hematocritPct'] as const;
const INSTANT_PATHS = ['draw.drawnAt', 'injectedAt', 'preparedAt'] as const;

type Doc = Record<string, unknown>;

function isPlainObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getPath(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), doc);
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Doc;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined || value === null) delete node[last];
  else node[last] = value;
}

/** RFC 7396 JSON merge patch: `null` removes, objects merge recursively, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Doc = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The document with nulls, empty strings and empty objects removed (how a record is compared and stored). */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (!isPlainObject(value)) return typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value === null ? undefined : value;
  const out: Doc = {};
  for (const [key, v] of Object.entries(value)) {
    const c = clean(v);
    if (c !== undefined && !(isPlainObject(c) && Object.keys(c).length === 0)) out[key] = c;
  }
  return out;
}

/** Every path the body mentions (objects walked, lists and scalars are leaves). */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (!isPlainObject(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, v]) => pathsOf(v, prefix ? `${prefix}.${key}` : key));
}

function docFromRow(row: PreparationRow): Doc {
  const doc: Doc = {};
  for (const [path, column, kind] of FIELDS) {
    const raw = row[column];
    if (raw === null || raw === undefined) continue;
    setPath(doc, path, kind === 'boolean' ? raw === 1 : kind === 'json' ? fromJson(raw) : raw);
  }
  return doc;
}

function columnsFromDoc(doc: Doc): Record<Column, string | number | null> {
  const values: Record<string, unknown> = {};
  for (const [path, column, kind] of FIELDS) {
    const v = getPath(doc, path);
    values[column] = v === undefined ? null : kind === 'boolean' ? (v ? 1 : 0) : kind === 'json' ? toJson(v) : v;
  }
  return values as Record<Column, string | number | null>;
}

function changedPaths(before: Doc, after: Doc): string[] {
  return FIELDS.map(([path]) => path).filter((path) => canonical(getPath(before, path)) !== canonical(getPath(after, path)));
}

// ---------------------------------------------------------------------------------------------
// Checks that need the database or the clock; the science checks the rest.

// Clocks on a lab PC drift: a draw a few minutes "in the future" is a clock, not an error.
const CLOCK_SKEW_MS = 5 * 60_000;

function timeErrors(doc: Doc, now: number): FieldError[] {
  const errors: FieldError[] = [];
  const at = (path: string) => {
    const v = getPath(doc, path);
    return typeof v === 'string' ? Date.parse(v) : undefined;
  };
  for (const path of INSTANT_PATHS) {
    const ms = at(path);
    if (ms !== undefined && ms > now + CLOCK_SKEW_MS) errors.push({ field: path, message: `${path} is in the future.` });
  }
  const drawn = at('draw.drawnAt');
  const prepared = at('preparedAt');
  const injected = at('injectedAt');
  if (drawn !== undefined && prepared !== undefined && prepared < drawn) errors.push({ field: 'preparedAt', message: 'preparedAt is before the blood was drawn (draw.drawnAt).' });
  if (prepared !== undefined && injected !== undefined && injected < prepared) errors.push({ field: 'injectedAt', message: 'injectedAt is before the product was prepared (preparedAt).' });
  return errors;
}

async function staffErrors(trx: Trx, clinicId: string, doc: Doc): Promise<FieldError[]> {
  const named = ['draw.drawnById', 'preparedById'].flatMap((path) => {
    const id = getPath(doc, path);
    return typeof id === 'string' ? [{ path, id }] : [];
  });
  const names = await staffNames(trx, clinicId, named.map((n) => n.id));
  return named.filter((n) => !names.has(n.id)).map(({ path }) => ({ field: path, message: `${path}: no staff member with that id in this clinic.` }));
}

/**
 * Fills counts from pasted analyser lines. A count typed in the same request must agree with the
 * line; otherwise the line's value replaces the stored one (the line is the source).
 */
function applyAnalyserLines(doc: Doc, explicit: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  for (const sample of ['wholeBlood', 'prp'] as const satisfies readonly AnalyserSample[]) {
    const line = getPath(doc, `${sample}.analyserLine`);
    if (typeof line !== 'string' || !explicit.has(`${sample}.analyserLine`)) continue;
    let parsed: AnalyserLineResult;
    try {
      parsed = parseAnalyserLine(line, { sample, field: `${sample}.analyserLine` });
    } catch (error) {
      if (!(error instanceof ScienceInputError)) throw error;
      errors.push({ field: error.field, message: error.message });
      continue;
    }
    for (const key of COUNT_KEYS) {
      const fromLine = parsed.counts[key];
      if (fromLine === undefined) continue;
      const path = `${sample}.${key}`;
      const typed = getPath(doc, path);
      if (explicit.has(path) && typeof typed === 'number' && typed !== fromLine) {
        errors.push({ field: path, message: `${path} was typed as ${typed} but the analyser line says ${fromLine}; correct one of them.` });
      } else {
        setPath(doc, path, fromLine);
      }
    }
  }
  return errors;
}

/**
 * A count the stored analyser line gives may change only to agree with that line, unless the
 * PATCH sends a new line (which must then agree with the counts beside it) or clears the line
 * with `analyserLine: null`; so the record never claims the analyser gave a count it did not.
 * Counts the line does not give were typed and may change alone. A stored line the parser no
 * longer reads vouches for no value, so no count may change under it. Records that already
 * disagree are left as they are until one of those counts is changed.
 */
function staleLineErrors(before: Doc, after: Doc, explicit: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  for (const sample of ['wholeBlood', 'prp'] as const satisfies readonly AnalyserSample[]) {
    const linePath = `${sample}.analyserLine`;
    const line = getPath(before, linePath);
    // A line sent in this patch was checked against the counts by applyAnalyserLines; a sample
    // cleared whole (`prp: null`) took its line with it.
    if (typeof line !== 'string' || explicit.has(linePath) || getPath(after, linePath) !== line) continue;
    let given: Partial<Record<(typeof COUNT_KEYS)[number], number>> | undefined;
    try {
      given = parseAnalyserLine(line, { sample, field: linePath }).counts;
    } catch (error) {
      if (!(error instanceof ScienceInputError)) throw error;
    }
    for (const key of COUNT_KEYS) {
      const path = `${sample}.${key}`;
      const value = getPath(after, path);
      if (given && (given[key] === undefined || given[key] === value)) continue;
      if (canonical(getPath(before, path)) === canonical(value)) continue;
      errors.push({
        field: path,
        message: given
          ? `${path} must stay ${given[key]}, as the stored analyser line (${linePath}) says; to change it, send the new ${linePath}, or clear the line with "${linePath}": null so the count is recorded as typed.`
          : `${path} cannot change while the stored analyser line (${linePath}), which can no longer be read, is kept; send a new ${linePath}, or clear it with "${linePath}": null.`,
      });
    }
  }
  return errors;
}

/** The science library's view of the document (API-only fields left out). */
function toRecord(doc: Doc, protocol: ProtocolVersionView | null): PreparationRecord {
  const counts = (sample: 'wholeBlood' | 'prp') => {
    const source = (getPath(doc, sample) ?? {}) as Doc;
    const out: Doc = {};
    for (const key of [...COUNT_KEYS, 'volumeMl']) if (source[key] !== undefined) out[key] = source[key];
    return out;
  };
  const systemId = getPath(doc, 'systemId') as string | undefined;
  const systemName = systemId ? findPrpSystem(systemId)?.name : undefined;
  const record = clean({
    wholeBlood: counts('wholeBlood'),
    prp: counts('prp'),
    injectedVolumeMl: doc.injectedVolumeMl,
    anticoagulant: doc.anticoagulant,
    activation: doc.activation,
    spins: doc.spins,
    method: doc.method,
    form: doc.form,
    imageGuided: doc.imageGuided,
    imagingModality: doc.imagingModality,
    system: { name: systemName, protocol: protocol ? protocolLabel(protocol) : undefined },
    injections: doc.injections,
    site: doc.site,
    localAnaesthetic: doc.localAnaesthetic,
    concomitantMedication: doc.concomitantMedication,
    rehabilitation: doc.rehabilitation,
    outcomeMeasures: doc.outcomeMeasures,
  });
  return record as PreparationRecord;
}

function evaluate(doc: Doc, protocol: ProtocolVersionView | null, limitHours: number): PreparationEvaluation {
  const drawnAt = getPath(doc, 'draw.drawnAt') as string | undefined;
  const injectedAt = doc.injectedAt as string | undefined;
  const preparedAt = doc.preparedAt as string | undefined;
  const productAt = injectedAt ?? preparedAt;
  return evaluatePreparation(toRecord(doc, protocol), {
    ...(drawnAt !== undefined && { drawnAtMs: Date.parse(drawnAt) }),
    ...(productAt !== undefined && { productAtMs: Date.parse(productAt), productAtField: injectedAt !== undefined ? 'injectedAt' : 'preparedAt' }),
    productAgeLimitHours: limitHours,
  });
}

interface StoredComputation {
  metrics: MetricValues | null;
  classifications: AllClassifications | null;
  completeness: ReportingCompleteness;
  warnings: ScienceWarning[];
  missingForMetrics: string[];
  productAgeHours: number | null;
}

function computedColumns(result: PreparationEvaluation, now: string) {
  const stored: StoredComputation = {
    metrics: result.metrics, classifications: result.classifications, completeness: result.completeness,
    warnings: result.warnings, missingForMetrics: result.missingForMetrics, productAgeHours: result.productAgeHours,
  };
  return {
    science_version: SCIENCE_VERSION,
    computed_at: now,
    product_age_limit_hours: result.productAgeLimitHours,
    concentration_factor: result.metrics?.concentrationFactor ?? null,
    platelet_dose_billion: result.metrics?.plateletDoseBillion ?? null,
    recovery_pct: result.metrics?.recoveryPercent ?? null,
    completeness_pct: result.completeness.percent,
    computed: toJson(stored),
  };
}

/** Normalises instants to UTC ISO text, so they compare and sort as text. */
function normaliseInstants(doc: Doc): void {
  for (const path of INSTANT_PATHS) {
    const v = getPath(doc, path);
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) setPath(doc, path, new Date(Date.parse(v)).toISOString());
  }
}

async function resolveProtocol(trx: Trx, clinicId: string, doc: Doc): Promise<{ protocol: ProtocolVersionView | null; errors: FieldError[] }> {
  const id = doc.protocolId;
  if (typeof id !== 'string') {
    if (doc.protocolVersion !== undefined) return { protocol: null, errors: [{ field: 'protocolVersion', message: 'protocolVersion needs a protocolId.' }] };
    return { protocol: null, errors: [] };
  }
  const version = typeof doc.protocolVersion === 'number' ? doc.protocolVersion : undefined;
  const found = await loadProtocolVersion(trx, clinicId, id, version);
  if (!found) {
    const exists = version !== undefined && (await loadProtocolVersion(trx, clinicId, id));
    return exists
      ? { protocol: null, errors: [{ field: 'protocolVersion', message: `The protocol has no version ${version}.` }] }
      : { protocol: null, errors: [{ field: 'protocolId', message: 'No protocol with that id in this clinic.' }] };
  }
  doc.protocolVersion = found.version;
  return { protocol: found, errors: [] };
}

async function protocolOfRow(trx: Trx, row: PreparationRow): Promise<ProtocolVersionView | null> {
  if (row.protocol_id === null || row.protocol_version === null) return null;
  return loadProtocolVersion(trx, row.clinic_id, row.protocol_id, row.protocol_version);
}

// ---------------------------------------------------------------------------------------------
// Presenting

/** What a preparation shows of its protocol: a full protocol version view is one. */
type ProtocolRef = Pick<ProtocolVersionView, 'protocolId' | 'versionId' | 'version' | 'name'> & { rotor: Pick<ProtocolVersionView['rotor'], 'radiusCm'> };

const staffIdsOf = (row: PreparationRow) => [row.drawn_by_id, row.prepared_by_id, row.created_by_id];

async function present(trx: Trx, row: PreparationRow, protocol: ProtocolRef | null): Promise<PreparationView> {
  return presentWith(row, protocol, await staffNames(trx, row.clinic_id, staffIdsOf(row)));
}

/**
 * Several preparations of one clinic with a fixed number of queries, whatever their count: one
 * for the staff they name and one for the protocol versions they followed.
 */
async function presentAll(trx: Trx, clinicId: string, rows: readonly PreparationRow[]): Promise<PreparationView[]> {
  const names = await staffNames(trx, clinicId, rows.flatMap(staffIdsOf));
  const key = (protocolId: string, version: number) => `${protocolId}#${version}`;
  const pairs = new Map<string, [string, number]>();
  for (const row of rows) {
    if (row.protocol_id !== null && row.protocol_version !== null) pairs.set(key(row.protocol_id, row.protocol_version), [row.protocol_id, row.protocol_version]);
  }
  const protocols = new Map<string, ProtocolRef>();
  if (pairs.size > 0) {
    // The same rows loadProtocolVersion finds: the version of a protocol of this clinic.
    const found = await trx
      .selectFrom('prep_protocol_version as v')
      .innerJoin('prep_protocol as p', (join) => join.onRef('p.id', '=', 'v.protocol_id').onRef('p.clinic_id', '=', 'v.clinic_id'))
      .select(['v.id', 'v.protocol_id', 'v.version', 'v.name', 'v.rotor_radius_cm'])
      .where('v.clinic_id', '=', clinicId)
      .where((eb) => eb.or([...pairs.values()].map(([protocolId, version]) => eb.and([eb('v.protocol_id', '=', protocolId), eb('v.version', '=', version)]))))
      .execute();
    for (const v of found) {
      protocols.set(key(v.protocol_id, v.version), { protocolId: v.protocol_id, versionId: v.id, version: v.version, name: v.name, rotor: { radiusCm: v.rotor_radius_cm } });
    }
  }
  return rows.map((row) => presentWith(row, row.protocol_id !== null && row.protocol_version !== null ? protocols.get(key(row.protocol_id, row.protocol_version)) ?? null : null, names));
}

function presentWith(row: PreparationRow, protocol: ProtocolRef | null, names: ReadonlyMap<string, string>): PreparationView {
  const ref = (id: string | null): StaffRef | null => (id === null ? null : { id, displayName: names.get(id) ?? '(unknown)' });
  const doc = docFromRow(row);
  const get = <T>(path: string): T | null => (getPath(doc, path) as T | undefined) ?? null;
  const counts = (sample: 'wholeBlood' | 'prp'): Counts => ({
    plateletsKPerUl: get(`${sample}.plateletsKPerUl`), wbcKPerUl: get(`${sample}.wbcKPerUl`), neutrophilsKPerUl: get(`${sample}.neutrophilsKPerUl`),
    rbcMPerUl: get(`${sample}.rbcMPerUl`), hematocritPct: get(`${sample}.hematocritPct`), analyserLine: get(`${sample}.analyserLine`),
  });
  const computed = fromJson<StoredComputation>(row.computed)!;
  const radius = protocol?.rotor.radiusCm;
  return {
    id: row.id,
    episodeId: row.episode_id,
    patientId: row.patient_id,
    protocol: protocol && { id: protocol.protocolId, versionId: protocol.versionId, version: protocol.version, name: protocol.name, rotorRadiusCm: protocol.rotor.radiusCm },
    systemId: row.system_id,
    systemName: row.system_id ? findPrpSystem(row.system_id)?.name ?? null : null,
    draw: { drawnAt: row.drawn_at, drawnBy: ref(row.drawn_by_id), tubeLot: row.tube_lot, kitLot: row.kit_lot },
    wholeBlood: { ...counts('wholeBlood'), volumeMl: row.draw_volume_ml, sampleAnticoagulant: row.wb_sample_anticoagulant as SampleAnticoagulant | null },
    prp: { ...counts('prp'), volumeMl: row.prp_volume_ml },
    anticoagulant: { agent: row.anticoagulant_agent, volumeMl: row.anticoagulant_volume_ml },
    spins: (get<SpinStep[]>('spins') ?? []).map((s) => ({ ...s, rpm: radius ? Math.round(rpmFromRcf(s.rcf, radius)) : null })),
    activation: { agent: get('activation.agent'), detail: get('activation.detail'), timing: get('activation.timing'), minutesBeforeInjection: get('activation.minutesBeforeInjection') },
    injectedVolumeMl: row.injected_volume_ml,
    injectedAt: row.injected_at,
    localAnaesthetic: { agent: row.local_anaesthetic_agent, mixedWithPrp: get('localAnaesthetic.mixedWithPrp'), volumeMl: row.local_anaesthetic_volume_ml },
    method: row.method as PreparationMethod | null,
    form: row.form as PreparationForm | null,
    imageGuided: get('imageGuided'),
    imagingModality: row.imaging_modality as ImagingModality | null,
    site: row.site,
    injections: { count: row.injection_count, intervalDays: row.injection_interval_days },
    concomitantMedication: row.concomitant_medication,
    rehabilitation: row.rehabilitation,
    outcomeMeasures: get<string[]>('outcomeMeasures') ?? [],
    preparedBy: ref(row.prepared_by_id),
    preparedAt: row.prepared_at,
    notes: row.notes,
    computed: {
      scienceVersion: row.science_version,
      currentScienceVersion: SCIENCE_VERSION,
      upToDate: row.science_version === SCIENCE_VERSION,
      computedAt: row.computed_at,
      productAgeLimitHours: row.product_age_limit_hours,
      ...computed,
    },
    createdAt: row.created_at,
    createdBy: ref(row.created_by_id),
    updatedAt: row.updated_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Use cases

async function loadRow(trx: Trx, services: Services, actor: Actor, id: string, { lock }: { lock: boolean }): Promise<PreparationRow> {
  let q = trx.selectFrom('preparation').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId);
  if (lock && services.store.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('preparation');
  return row;
}

/**
 * Records a preparation on an episode. With a protocol, what the record leaves empty is
 * pre-filled from it (spins, anticoagulant from its ratio, method, activation). Everything is
 * checked at once; nothing is saved unless all of it is valid.
 */
export async function createPreparation(services: Services, actor: Actor, episodeId: string, input: NewPreparationInput): Promise<PreparationView> {
  assertCan(actor, 'preparation:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const episode = await trx.selectFrom('episode').select(['id', 'patient_id', 'status']).where('id', '=', episodeId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!episode) throw notFound('episode');
    if (episode.status === 'cancelled') throw new ServiceError('conflict', 'This episode was cancelled; reopen it before recording a preparation on it.');
    const doc = clean(input) as Doc;
    if (doc.preparedById === undefined) doc.preparedById = actor.userId;
    normaliseInstants(doc);
    const explicit = new Set(pathsOf(input));
    const errors: FieldError[] = [...applyAnalyserLines(doc, explicit)];
    const { protocol, errors: protocolErrors } = await resolveProtocol(trx, actor.clinicId, doc);
    errors.push(...protocolErrors);
    if (protocol) {
      if (doc.systemId === undefined && protocol.systemId) doc.systemId = protocol.systemId;
      // Pre-filling only adds what the record leaves empty, so its result replaces these parts whole.
      const filled = prefillFromProtocol(toRecord(doc, protocol), toScienceProtocol(protocol));
      for (const key of ['spins', 'anticoagulant', 'method', 'activation'] as const) {
        if (filled[key] !== undefined) doc[key] = clean(filled[key]);
      }
    }
    errors.push(...systemErrors(doc), ...timeErrors(doc, Date.now()), ...(await staffErrors(trx, actor.clinicId, doc)));
    const limit = await productAgeLimitHours(trx, actor.clinicId);
    const result = evaluate(doc, protocol, limit);
    errors.push(...result.errors);
    if (errors.length > 0) throw invalidAll(errors);

    const now = nowIso();
    const insert = {
      id: newId(), clinic_id: actor.clinicId, episode_id: episode.id, patient_id: episode.patient_id,
      ...columnsFromDoc(doc),
      protocol_version_id: protocol?.versionId ?? null,
      ...computedColumns(result, now),
      created_at: now, created_by_id: actor.userId, updated_at: now,
    } as Insertable<PreparationTable>;
    await trx.insertInto('preparation').values(insert).execute();
    // JSON columns hold their text here, which fromJson reads the same as what the database returns.
    const row = insert as unknown as PreparationRow;
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'create', entityType: 'preparation', entityId: row.id, patientId: row.patient_id,
      detail: { episodeId: episode.id, protocolVersionId: row.protocol_version_id, scienceVersion: SCIENCE_VERSION },
    });
    return present(trx, row, protocol);
  });
}

function systemErrors(doc: Doc): FieldError[] {
  const id = doc.systemId;
  return typeof id === 'string' && !findPrpSystem(id) ? [{ field: 'systemId', message: `systemId "${id}" is not in the catalogue of PRP systems (GET /api/v1/prp-systems).` }] : [];
}

/** One preparation; the read is audited with the patient's id (it is patient data). */
export async function getPreparation(services: Services, actor: Actor, id: string): Promise<PreparationView> {
  assertCan(actor, 'preparation:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await loadRow(trx, services, actor, id, { lock: false });
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'preparation', entityId: id, patientId: row.patient_id });
    return present(trx, row, await protocolOfRow(trx, row));
  });
}

/** An episode's preparations, in draw order; audited as one read of the patient's data. */
export async function listPreparations(services: Services, actor: Actor, episodeId: string): Promise<PreparationView[]> {
  assertCan(actor, 'preparation:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const episode = await trx.selectFrom('episode').select(['id', 'patient_id']).where('id', '=', episodeId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!episode) throw notFound('episode');
    const rows = await trx.selectFrom('preparation').selectAll().where('clinic_id', '=', actor.clinicId).where('episode_id', '=', episodeId).orderBy('drawn_at').orderBy('id').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'preparation', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    return presentAll(trx, actor.clinicId, rows);
  });
}

/**
 * Changes a preparation with a JSON merge patch, checks the whole result, recomputes every
 * derived value with the running science library and audits the changed field names.
 */
export async function updatePreparation(services: Services, actor: Actor, id: string, patch: PreparationFields): Promise<PreparationView> {
  assertCan(actor, 'preparation:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await loadRow(trx, services, actor, id, { lock: true });
    const before = docFromRow(row);
    const doc = clean(mergePatch(before, patch)) as Doc;
    normaliseInstants(doc);
    const explicit = new Set(pathsOf(patch));
    const errors: FieldError[] = [...applyAnalyserLines(doc, explicit), ...staleLineErrors(before, doc, explicit)];
    if (explicit.has('protocolId') && !explicit.has('protocolVersion') && patch.protocolId !== null) delete doc.protocolVersion;
    if (patch.protocolId === null) delete doc.protocolVersion;
    const { protocol, errors: protocolErrors } = await resolveProtocol(trx, actor.clinicId, doc);
    errors.push(...protocolErrors, ...systemErrors(doc), ...timeErrors(doc, Date.now()), ...(await staffErrors(trx, actor.clinicId, doc)));
    const result = evaluate(doc, protocol, await productAgeLimitHours(trx, actor.clinicId));
    errors.push(...result.errors);
    if (errors.length > 0) throw invalidAll(errors);

    const changed = changedPaths(before, doc);
    if (changed.length === 0) return present(trx, row, protocol);
    const now = nowIso();
    const values = { ...columnsFromDoc(doc), protocol_version_id: protocol?.versionId ?? null, ...computedColumns(result, now), updated_at: now } as Updateable<PreparationTable>;
    await trx.updateTable('preparation').set(values).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    const next = { ...row, ...values } as PreparationRow;
    // Field names only: the values are patient data and the audit trail is exported as CSV.
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'update', entityType: 'preparation', entityId: id, patientId: row.patient_id,
      detail: { fields: changed, fromScienceVersion: row.science_version, scienceVersion: SCIENCE_VERSION },
    });
    return present(trx, next, protocol);
  });
}

/** JSON with object keys sorted, so values read back from jsonb (which reorders keys) compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** Which computed outputs differ between two stored computations (paths, never values). */
function changedOutputs(before: StoredComputation, after: StoredComputation): string[] {
  const flat = (c: StoredComputation): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(c.metrics ?? {})) out[`metrics.${key}`] = canonical(value);
    for (const [system, value] of Object.entries(c.classifications ?? {})) out[`classifications.${system}`] = canonical(value);
    out['completeness.percent'] = canonical(c.completeness.percent);
    out['completeness.missing'] = canonical(c.completeness.missing);
    out.warnings = JSON.stringify(c.warnings.map((w) => `${w.code}@${w.field}`).sort());
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]).sort();
}

/**
 * Recomputes a preparation's metrics, classifications, completeness and warnings with the
 * running science library. Never done implicitly: a library upgrade leaves stored results as
 * they were until someone asks, and each recompute is audited with the versions and the names
 * of the outputs that changed.
 */
export async function recomputePreparation(services: Services, actor: Actor, id: string): Promise<PreparationView> {
  assertCan(actor, 'preparation:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await loadRow(trx, services, actor, id, { lock: true });
    const protocol = await protocolOfRow(trx, row);
    const result = evaluate(docFromRow(row), protocol, await productAgeLimitHours(trx, actor.clinicId));
    if (result.errors.length > 0) {
      throw new ServiceError('conflict', `The current science library (${SCIENCE_VERSION}) rejects this record: ${result.errors.map((e) => e.message).join('; ')} Correct it with PATCH; the stored results were left as they were.`, {
        field: result.errors[0]!.field, data: { errors: result.errors },
      });
    }
    const now = nowIso();
    const computed = computedColumns(result, now);
    const changed = changedOutputs(fromJson<StoredComputation>(row.computed)!, fromJson<StoredComputation>(computed.computed)!);
    await trx.updateTable('preparation').set({ ...computed, updated_at: now }).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'recompute', entityType: 'preparation', entityId: id, patientId: row.patient_id,
      detail: { fromScienceVersion: row.science_version, toScienceVersion: SCIENCE_VERSION, changed },
    });
    return present(trx, { ...row, ...computed, updated_at: now }, protocol);
  });
}

/** Reads a pasted analyser line (no data is stored, so nothing is audited). */
export function readAnalyserLine(actor: Actor, input: { line: string; sample?: AnalyserSample }): AnalyserLineResult {
  assertCan(actor, 'preparation:write');
  return parseAnalyserLine(input.line, { ...(input.sample && { sample: input.sample }), field: 'line' });
}

export interface PreparationReport {
  clinicName: string;
  /** IANA zone the clinic's times are shown in. */
  clinicTimeZone: string;
  patient: { id: string; mrn: string; givenName: string; familyName: string; birthDate: string; sex: Sex };
  episode: { id: string; indication: string; indicationLabel: string; icd10Code: string };
  preparation: PreparationView;
  protocol: ProtocolVersionView | null;
  printedAt: string;
  printedBy: string;
}

/** Everything the printable one-page report shows; the read is audited with the patient's id. */
export async function getPreparationReport(services: Services, actor: Actor, id: string): Promise<PreparationReport> {
  assertCan(actor, 'preparation:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await loadRow(trx, services, actor, id, { lock: false });
    const { patient, episode } = await loadEpisodeContext(trx, services, actor.clinicId, row.episode_id);
    const clinic = await trx.selectFrom('clinic').select(['name', 'time_zone']).where('id', '=', actor.clinicId).executeTakeFirstOrThrow();
    const protocol = await protocolOfRow(trx, row);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'preparation', entityId: id, patientId: row.patient_id, detail: { report: true } });
    return {
      clinicName: clinic.name,
      clinicTimeZone: clinic.time_zone,
      patient: { id: patient.id, mrn: patient.mrn, givenName: patient.given_name, familyName: patient.family_name, birthDate: patient.birth_date, sex: patient.sex },
      episode: {
        id: episode.id, indication: episode.indication, icd10Code: episode.icd10_code,
        indicationLabel: INDICATIONS.find((i) => i.code === episode.indication)?.label ?? episode.indication,
      },
      preparation: await present(trx, row, protocol),
      protocol,
      printedAt: nowIso(),
      printedBy: actor.label,
    };
  });
}
