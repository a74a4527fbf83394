/**
 * Reads the one-line summary a haematology analyser prints or exports ("PLT 245 WBC 6.1 RBC 4.5
 * HCT 41") into Autolog's count fields and units.
 *
 * Tolerant of what analysers and people do to such a line: upper or lower case, `:` or `=` after
 * the name, commas, semicolons, tabs or pipes between readings, decimal commas ("6,1"), units
 * after the number ("245 10^3/uL", "6.1 x10E9/L", "4.5 T/L", "0.41 L/L", "245000 /µL"), and
 * readings Autolog does not record (HGB, MCV, differential percentages), which are listed as
 * ignored. A printed unit is converted explicitly; a number without a unit is taken to be in
 * Autolog's unit and never rescaled by guessing — a value that looks like another unit comes
 * back as a warning that suggests the conversion (see `suspectWrongUnit`).
 */
import { ScienceInputError, type ScienceWarning } from './errors.js';
import type { BloodCounts } from './preparation-types.js';
import { formatSignificant, suspectWrongUnit, unitSuspicionWarning, type CountFieldName } from './units.js';

export type AnalyserSample = 'wholeBlood' | 'prp';

/** One reading taken from the line. */
export interface AnalyserReading {
  field: CountFieldName;
  /** The analyte's name as printed. */
  label: string;
  /** The number as printed (after reading a decimal comma). */
  printedValue: number;
  /** The unit as printed, or null when none was. */
  printedUnit: string | null;
  /** The value in Autolog's unit for `field`. */
  value: number;
}

export interface AnalyserLineResult {
  counts: Partial<BloodCounts>;
  readings: AnalyserReading[];
  /** Readings recognised but not recorded by Autolog, with the reason. */
  ignored: { label: string; reason: string }[];
  /** Text that could not be read as a reading (sample ids, dates, unknown names). */
  unrecognised: string[];
  /** Plausibility warnings, with the field path `sample.field` (only when `sample` is given). */
  warnings: ScienceWarning[];
}

/** Names analysers print for each count Autolog records (compared upper-case, without `#`). */
const ANALYTE_NAMES: Readonly<Record<CountFieldName, readonly string[]>> = {
  plateletsKPerUl: ['PLT', 'PLAT', 'PLATELET', 'PLATELETS', 'THR', 'THROMBO', 'THROMBOCYTES'],
  wbcKPerUl: ['WBC', 'WBCS', 'WCC', 'LEU', 'LEUK', 'LEUKO', 'LEUCO', 'LEUKOCYTES', 'LEUCOCYTES'],
  neutrophilsKPerUl: ['NEUT', 'NEU', 'NE', 'NEUTRO', 'NEUTROPHILS', 'ANC'],
  rbcMPerUl: ['RBC', 'RBCS', 'RCC', 'ERY', 'ERYTHRO', 'ERYTHROCYTES'],
  hematocritPct: ['HCT', 'HKT', 'HT', 'PCV', 'HEMATOCRIT', 'HAEMATOCRIT'],
};

/** Analytes an analyser line commonly carries that are not part of a preparation record. */
const KNOWN_UNRECORDED = new Set([
  'HGB', 'HB', 'HEMOGLOBIN', 'HAEMOGLOBIN', 'MCV', 'MCH', 'MCHC', 'RDW', 'RDW-CV', 'RDW-SD', 'MPV', 'PDW', 'PCT', 'P-LCR', 'P-LCC',
  'LYM', 'LYMPH', 'LY', 'MON', 'MONO', 'MO', 'EOS', 'EO', 'BAS', 'BASO', 'BA', 'GRAN', 'GRA', 'MID', 'MXD', 'IG', 'NRBC', 'RET',
]);

const FIELD_BY_NAME = new Map<string, CountFieldName>(
  (Object.entries(ANALYTE_NAMES) as [CountFieldName, readonly string[]][]).flatMap(([field, names]) => names.map((name) => [name, field] as const)),
);

const SUPERSCRIPTS: Record<string, string> = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9' };

/**
 * The unit after a number. Groups: `exp` + `per` for 10^n per volume, `prefix` + `per2` for
 * K/µL, M/µL, G/L, T/L, `per3` for cells per volume, `pct` for %, `ll` for L/L.
 */
const UNIT =
  String.raw`(?:(?:x\s*)?10\s*(?:\^|\*\*|\*|e)\s*(?<exp>\d{1,2})\s*\/\s*(?<per>ul|mm3|l)` +
  String.raw`|(?<prefix>k|m|g|t)\s*\/\s*(?<per2>ul|mm3|l)` +
  String.raw`|(?:cells\s*)?\/\s*(?<per3>ul|mm3)` +
  String.raw`|(?<ll>l\s*\/\s*l)` +
  String.raw`|(?<pct>%)` +
  // Units of the readings Autolog ignores (fL, pg, g/dL, mmol/L): consumed so they are not "unrecognised".
  String.raw`|(?<other>fl|pg|g\s*\/\s*dl|g\s*\/\s*l|mmol\s*\/\s*l))(?![a-z])`;

/** name [(unit)] [:|=] number [unit]. The name may end in # or %. */
const READING = new RegExp(
  String.raw`(?<![a-z0-9])(?<label>[a-z][a-z\-]*[#%]?)\s*(?:\((?<labelUnit>[^)]*)\))?\s*[:=]?\s*(?<number>[-+]?\d+(?:\.\d+)?)(?![\d.])\s*(?<unit>${UNIT})?`,
  'gi',
);

/** Flags analysers print beside a value (high, low, review). */
const FLAG = /^(?:h|l|hh|ll|a|r|\*+|!+|\+|-)$/i;

/** Scale of one printed unit in cells per µL (`null` for %, L/L and ignored units). */
interface ParsedUnit {
  text: string;
  cellsPerUlPerUnit: number | null;
  kind: 'count' | 'percent' | 'fraction' | 'other';
}

function readUnit(groups: Record<string, string | undefined>, text: string): ParsedUnit | null {
  const perVolume = (per: string): number => (per.toLowerCase() === 'l' ? 1e-6 : 1); // 1 L = 10⁶ µL; 1 mm³ = 1 µL
  if (groups.exp !== undefined && groups.per !== undefined) return { text, cellsPerUlPerUnit: 10 ** Number(groups.exp) * perVolume(groups.per), kind: 'count' };
  if (groups.prefix !== undefined && groups.per2 !== undefined) {
    const exp = { k: 3, m: 6, g: 9, t: 12 }[groups.prefix.toLowerCase() as 'k' | 'm' | 'g' | 't'];
    return { text, cellsPerUlPerUnit: 10 ** exp * perVolume(groups.per2), kind: 'count' };
  }
  if (groups.per3 !== undefined) return { text, cellsPerUlPerUnit: 1, kind: 'count' };
  if (groups.ll !== undefined) return { text, cellsPerUlPerUnit: null, kind: 'fraction' };
  if (groups.pct !== undefined) return { text, cellsPerUlPerUnit: null, kind: 'percent' };
  if (groups.other !== undefined) return { text, cellsPerUlPerUnit: null, kind: 'other' };
  return null;
}

/** Decimal commas become points; thousands separators ("245,000") are removed. */
function normalise(line: string): string {
  // Superscripts first: NFKC would turn "10³" into "103".
  return line
    .replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, (digits) => `^${[...digits].map((d) => SUPERSCRIPTS[d]).join('')}`)
    .normalize('NFKC')
    .replace(/[µμ]/g, 'u')
    .replace(/×/g, 'x')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .replace(/(\d),(\d)/g, '$1.$2')
    .replace(/[;,|\t]+/g, ' ');
}

/**
 * Reads an analyser line into counts in Autolog's units.
 *
 * @param options.sample which sample the line is from, so plausibility warnings can name the
 *   field (`wholeBlood.plateletsKPerUl`) and know what is usual.
 * @param options.field the input's name, used in errors (default `line`).
 * @throws ScienceInputError (naming `options.field`) when the line is empty, holds no count
 *   Autolog records, gives one count twice with different values, or prints a unit that does not
 *   fit the count (e.g. platelets in %).
 */
export function parseAnalyserLine(line: string, options: { sample?: AnalyserSample; field?: string } = {}): AnalyserLineResult {
  const field = options.field ?? 'line';
  if (typeof line !== 'string' || line.trim() === '') {
    throw new ScienceInputError(field, 'a line such as "PLT 245 WBC 6.1 RBC 4.5 HCT 41"', `${field} is empty: paste the analyser's line, e.g. "PLT 245 WBC 6.1 RBC 4.5 HCT 41".`);
  }
  const text = normalise(line);
  const readings: AnalyserReading[] = [];
  const ignored: AnalyserLineResult['ignored'] = [];
  const unrecognised: string[] = [];
  const consumed: [number, number][] = [];

  for (const match of text.matchAll(READING)) {
    const groups = match.groups as Record<string, string | undefined>;
    const rawLabel = groups.label!;
    const upper = rawLabel.toUpperCase();
    const printedValue = Number(groups.number);
    const unit = (groups.unit ? readUnit(groups, groups.unit.trim()) : null) ?? (groups.labelUnit ? readLabelUnit(groups.labelUnit) : null);
    const start = match.index;
    consumed.push([start, start + match[0].length]);

    const isPercentLabel = upper.endsWith('%');
    const name = upper.replace(/[#%]$/, '').replace(/-+$/, '');
    const countField = FIELD_BY_NAME.get(name);

    if (countField === undefined) {
      if (KNOWN_UNRECORDED.has(name) || (isPercentLabel && name.length > 0)) {
        ignored.push({ label: rawLabel, reason: isPercentLabel ? 'a percentage of the white cells; Autolog records absolute counts' : 'not part of a preparation record' });
      } else {
        unrecognised.push(match[0].trim());
      }
      continue;
    }
    if (printedValue < 0) throw new ScienceInputError(field, `${rawLabel} at least 0`, `${field}: ${rawLabel} is negative (${formatSignificant(printedValue)}).`);
    if (countField === 'hematocritPct') {
      readings.push(hematocritReading(rawLabel, printedValue, unit, field));
      continue;
    }
    if (isPercentLabel || unit?.kind === 'percent') {
      if (countField === 'neutrophilsKPerUl') {
        ignored.push({ label: rawLabel, reason: 'a percentage of the white cells; Autolog records the absolute neutrophil count (NEUT#)' });
        continue;
      }
      throw new ScienceInputError(field, `${rawLabel} as a count`, `${field}: ${rawLabel} is printed as a percentage; a ${rawLabel} count is needed.`);
    }
    if (unit !== null && unit.kind !== 'count') {
      throw new ScienceInputError(field, `${rawLabel} as a count`, `${field}: "${unit.text}" is not a unit for a ${rawLabel} count.`);
    }
    // Platelets, white cells and neutrophils are kept in 10³/µL, red cells in 10⁶/µL (SI prefixes).
    const scale = countField === 'rbcMPerUl' ? 1e6 : 1e3;
    const value = unit === null ? printedValue : roundSignificant((printedValue * unit.cellsPerUlPerUnit!) / scale);
    readings.push({ field: countField, label: rawLabel, printedValue, printedUnit: unit?.text ?? null, value });
  }

  for (const piece of leftovers(text, consumed)) {
    if (!FLAG.test(piece)) unrecognised.push(piece);
  }

  const counts: Partial<BloodCounts> = {};
  for (const reading of readings) {
    const previous = counts[reading.field];
    if (previous !== undefined && previous !== reading.value) {
      throw new ScienceInputError(
        field,
        'each count once',
        `${field} gives ${reading.label} twice with different values (${formatSignificant(previous)} and ${formatSignificant(reading.value)}); keep the one that belongs to this sample.`,
      );
    }
    counts[reading.field] = reading.value;
  }
  if (readings.length === 0) {
    throw new ScienceInputError(
      field,
      'at least one of PLT, WBC, NEUT#, RBC, HCT followed by a number',
      `${field} has no platelet, white-cell, neutrophil, red-cell or haematocrit reading; expected e.g. "PLT 245 WBC 6.1 RBC 4.5 HCT 41".`,
    );
  }

  const warnings: ScienceWarning[] = [];
  if (options.sample !== undefined) {
    for (const reading of readings) {
      const suspicion = suspectWrongUnit(`${options.sample}.${reading.field}`, reading.value);
      if (suspicion) warnings.push(unitSuspicionWarning(suspicion));
    }
  }
  return { counts, readings, ignored, unrecognised, warnings };
}

function hematocritReading(label: string, printedValue: number, unit: ParsedUnit | null, field: string): AnalyserReading {
  if (unit === null || unit.kind === 'percent') return { field: 'hematocritPct', label, printedValue, printedUnit: unit?.text ?? null, value: printedValue };
  // L/L is the SI form of the haematocrit: a fraction of 1.
  if (unit.kind === 'fraction') return { field: 'hematocritPct', label, printedValue, printedUnit: unit.text, value: roundSignificant(printedValue * 100) };
  throw new ScienceInputError(field, `${label} in % or L/L`, `${field}: "${unit.text}" is not a unit for a haematocrit; use % or L/L.`);
}

/** A unit printed in brackets after the name, e.g. "PLT(10^3/uL) 245". */
function readLabelUnit(text: string): ParsedUnit | null {
  const match = new RegExp(`^\\s*${UNIT}\\s*$`, 'i').exec(text);
  return match ? readUnit(match.groups as Record<string, string | undefined>, text.trim()) : null;
}

function leftovers(text: string, consumed: [number, number][]): string[] {
  const pieces: string[] = [];
  let position = 0;
  for (const [start, end] of consumed) {
    pieces.push(text.slice(position, start));
    position = end;
  }
  pieces.push(text.slice(position));
  return pieces.flatMap((piece) => piece.split(/\s+/)).map((piece) => piece.replace(/^[:=]+|[:=]+$/g, '')).filter((piece) => piece !== '');
}

/** Converted values keep 12 significant digits so 6.1 × 10⁹/L reads back as 6.1, not 6.1000000000000005. */
function roundSignificant(value: number): number {
  return Number(value.toPrecision(12));
}
