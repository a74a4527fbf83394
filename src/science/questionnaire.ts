/**
 * Instruments as data: the subset of the FHIR R4 Questionnaire resource that Autolog renders,
 * validates and scores (https://hl7.org/fhir/R4/questionnaire.html). A clinic's licensed copy of
 * an instrument arrives as such a JSON document; the survey page and the staff app both render
 * any instrument from it, and answers are checked against it here, without I/O.
 *
 * Supported: items with `linkId`, `text`, `type` (group, display, choice, integer, decimal,
 * boolean, string, text), `required`, `answerOption` (valueCoding / valueInteger / valueString),
 * `enableWhen` + `enableBehavior`, nested `item`, and the minValue / maxValue / ordinalValue /
 * questionnaire-itemControl extensions. Answers are a map linkId → value (a choice answer is the
 * option's key: its coding code, or its integer or string value as text).
 */
import { ScienceInputError } from './errors.js';

/** Extension URLs (FHIR R4 core extensions; `recallPeriod` is Autolog's own). */
export const QUESTIONNAIRE_EXTENSIONS = {
  /** https://hl7.org/fhir/R4/extension-minvalue.html */
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  /** https://hl7.org/fhir/R4/extension-maxvalue.html */
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  /** https://hl7.org/fhir/R4/extension-ordinalvalue.html — the score of an answer option */
  ordinalValue: 'http://hl7.org/fhir/StructureDefinition/ordinalValue',
  /** https://hl7.org/fhir/R4/extension-questionnaire-itemcontrol.html ('lower' / 'upper' labels) */
  itemControl: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
  /** Autolog: the recall period the wording asks about, as an ISO 8601 duration ('P7D', 'PT24H') */
  recallPeriod: 'urn:autolog:fhir:StructureDefinition/recall-period',
} as const;

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

export interface Extension {
  url: string;
  valueInteger?: number;
  valueDecimal?: number;
  valueString?: string;
  valueCode?: string;
  valueCoding?: Coding;
  valueCodeableConcept?: { coding?: Coding[]; text?: string };
}

export type QuestionnaireItemType = 'group' | 'display' | 'choice' | 'integer' | 'decimal' | 'boolean' | 'string' | 'text';

export const ANSWERABLE_TYPES: readonly QuestionnaireItemType[] = ['choice', 'integer', 'decimal', 'boolean', 'string', 'text'];

export interface AnswerOption {
  valueCoding?: Coding;
  valueInteger?: number;
  valueString?: string;
  extension?: Extension[];
}

export type EnableWhenOperator = 'exists' | '=' | '!=' | '>' | '<' | '>=' | '<=';

export interface EnableWhen {
  question: string;
  operator: EnableWhenOperator;
  answerBoolean?: boolean;
  answerInteger?: number;
  answerDecimal?: number;
  answerString?: string;
  answerCoding?: Coding;
}

export interface QuestionnaireItem {
  linkId: string;
  text?: string;
  type: QuestionnaireItemType;
  required?: boolean;
  maxLength?: number;
  answerOption?: AnswerOption[];
  enableWhen?: EnableWhen[];
  enableBehavior?: 'all' | 'any';
  extension?: Extension[];
  item?: QuestionnaireItem[];
}

export interface Questionnaire {
  resourceType: 'Questionnaire';
  /** canonical URL; Autolog's built-ins use `urn:autolog:instrument:<code>` */
  url?: string;
  version?: string;
  name?: string;
  title?: string;
  status: 'draft' | 'active' | 'retired' | 'unknown';
  description?: string;
  copyright?: string;
  code?: Coding[];
  extension?: Extension[];
  item: QuestionnaireItem[];
}

/** One answer: a choice option's key, a number, a boolean or free text. */
export type AnswerValue = string | number | boolean;
export type Answers = Readonly<Record<string, AnswerValue>>;

// ---------------------------------------------------------------------------------------------
// Reading a questionnaire
// ---------------------------------------------------------------------------------------------

/** An answerable item with its 1-based number in questionnaire order (what a patient sees). */
export interface NumberedItem {
  item: QuestionnaireItem;
  number: number;
}

/** Every answerable item, depth first in questionnaire order, numbered 1, 2, 3… */
export function answerableItems(questionnaire: Questionnaire): NumberedItem[] {
  const out: NumberedItem[] = [];
  const walk = (items: readonly QuestionnaireItem[] | undefined) => {
    for (const item of items ?? []) {
      if (ANSWERABLE_TYPES.includes(item.type)) out.push({ item, number: out.length + 1 });
      walk(item.item);
    }
  };
  walk(questionnaire.item);
  return out;
}

function extensionValue(extensions: readonly Extension[] | undefined, url: string): Extension | undefined {
  return extensions?.find((e) => e.url === url);
}

/** Inclusive bounds of an integer or decimal item (minValue / maxValue extensions), if declared. */
export function itemRange(item: QuestionnaireItem): { min: number | undefined; max: number | undefined } {
  const min = extensionValue(item.extension, QUESTIONNAIRE_EXTENSIONS.minValue);
  const max = extensionValue(item.extension, QUESTIONNAIRE_EXTENSIONS.maxValue);
  return { min: min?.valueInteger ?? min?.valueDecimal, max: max?.valueInteger ?? max?.valueDecimal };
}

/** A choice option as the renderer and the checker see it. */
export interface OptionView {
  /** what is submitted and stored: the coding code, or the integer / string value as text */
  key: string;
  label: string;
  /** the option's score (ordinalValue extension, or the integer value) */
  ordinal: number | undefined;
}

export function optionViews(item: QuestionnaireItem): OptionView[] {
  return (item.answerOption ?? []).map((o) => {
    const ordinal = extensionValue(o.extension, QUESTIONNAIRE_EXTENSIONS.ordinalValue)?.valueDecimal
      ?? extensionValue(o.extension, QUESTIONNAIRE_EXTENSIONS.ordinalValue)?.valueInteger
      ?? o.valueInteger;
    if (o.valueCoding) return { key: o.valueCoding.code, label: o.valueCoding.display ?? o.valueCoding.code, ordinal };
    if (o.valueInteger !== undefined) return { key: String(o.valueInteger), label: String(o.valueInteger), ordinal };
    return { key: o.valueString ?? '', label: o.valueString ?? '', ordinal };
  });
}

/**
 * Text of the `lower` / `upper` display children (questionnaire-itemControl), used as the labels
 * of the two ends of a 0–10 scale ("0 = no pain").
 */
export function scaleLabels(item: QuestionnaireItem): { lower: string | undefined; upper: string | undefined } {
  const label = (control: string) =>
    item.item?.find((child) => child.type === 'display' && extensionValue(child.extension, QUESTIONNAIRE_EXTENSIONS.itemControl)?.valueCodeableConcept?.coding?.some((c) => c.code === control))?.text;
  return { lower: label('lower'), upper: label('upper') };
}

/** Display children that are plain help text (itemControl 'help' or none). */
export function helpTexts(item: QuestionnaireItem): string[] {
  return (item.item ?? [])
    .filter((child) => child.type === 'display')
    .filter((child) => {
      const codes = extensionValue(child.extension, QUESTIONNAIRE_EXTENSIONS.itemControl)?.valueCodeableConcept?.coding?.map((c) => c.code) ?? [];
      return !codes.includes('lower') && !codes.includes('upper');
    })
    .map((child) => child.text ?? '')
    .filter(Boolean);
}

/** The recall period the wording uses ('P7D' …), from the questionnaire or the item. */
export function recallPeriodOf(questionnaire: Questionnaire): string | null {
  return extensionValue(questionnaire.extension, QUESTIONNAIRE_EXTENSIONS.recallPeriod)?.valueCode
    ?? extensionValue(questionnaire.extension, QUESTIONNAIRE_EXTENSIONS.recallPeriod)?.valueString
    ?? null;
}

// ---------------------------------------------------------------------------------------------
// enableWhen
// ---------------------------------------------------------------------------------------------

/**
 * Whether an item is shown, given the answers so far (FHIR R4 Questionnaire.item.enableWhen):
 * 'enabled' or 'disabled'; 'pending' when the decision waits on a question not answered yet
 * (a page without JavaScript shows such an item with its condition spelt out).
 */
export function enableState(item: QuestionnaireItem, answers: Answers): 'enabled' | 'disabled' | 'pending' {
  const conditions = item.enableWhen ?? [];
  if (conditions.length === 0) return 'enabled';
  const results = conditions.map((c) => evaluateCondition(c, answers));
  const behaviour = item.enableBehavior ?? 'all';
  if (behaviour === 'all') {
    if (results.includes(false)) return 'disabled';
    return results.includes(null) ? 'pending' : 'enabled';
  }
  if (results.includes(true)) return 'enabled';
  return results.includes(null) ? 'pending' : 'disabled';
}

/** true / false, or null when the question it depends on has no answer yet. */
function evaluateCondition(condition: EnableWhen, answers: Answers): boolean | null {
  const has = Object.prototype.hasOwnProperty.call(answers, condition.question);
  const answer = has ? answers[condition.question] : undefined;
  if (condition.operator === 'exists') return (answer !== undefined) === (condition.answerBoolean ?? true);
  if (answer === undefined) return null;
  const expected: AnswerValue | undefined = condition.answerCoding?.code ?? condition.answerInteger ?? condition.answerDecimal ?? condition.answerBoolean ?? condition.answerString;
  if (expected === undefined) return null;
  const a = typeof expected === 'number' ? Number(answer) : answer;
  switch (condition.operator) {
    case '=': return a === expected;
    case '!=': return a !== expected;
    case '>': return a > expected;
    case '<': return a < expected;
    case '>=': return a >= expected;
    case '<=': return a <= expected;
  }
}

/** With FHIR's rule that an unanswered question makes a condition false: the final decision. */
export function isItemEnabled(item: QuestionnaireItem, answers: Answers): boolean {
  const state = enableState(item, answers);
  if (state !== 'pending') return state === 'enabled';
  const results = (item.enableWhen ?? []).map((c) => evaluateCondition(c, answers) ?? false);
  return (item.enableBehavior ?? 'all') === 'all' ? results.every(Boolean) : results.some(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Checking answers
// ---------------------------------------------------------------------------------------------

export type AnswerProblemKind = 'required' | 'out-of-range' | 'not-a-whole-number' | 'not-a-number' | 'not-an-option' | 'not-yes-or-no' | 'too-long' | 'unknown-question';

/** One problem with one answer, in terms a page can turn into a sentence for the patient. */
export interface AnswerProblem {
  linkId: string;
  /** 1-based number of the question as shown (0 for an unknown linkId) */
  number: number;
  text: string;
  kind: AnswerProblemKind;
  min?: number;
  max?: number;
}

/** Longest free-text answer accepted when the item declares no maxLength. */
export const DEFAULT_TEXT_MAX_LENGTH = 2000;

export interface CheckedAnswers {
  /** the answers to keep: normalised types, disabled items and empty answers dropped */
  answers: Record<string, AnswerValue>;
  problems: AnswerProblem[];
}

/**
 * Checks raw answers against a questionnaire: every value in range and of the right kind, and
 * (with `complete`) every enabled required item answered. Values arrive as text from HTML forms
 * or typed from the API; both are normalised (integer → number, boolean → true/false).
 */
export function checkAnswers(questionnaire: Questionnaire, raw: Readonly<Record<string, unknown>>, options: { complete: boolean }): CheckedAnswers {
  const items = answerableItems(questionnaire);
  const byLinkId = new Map(items.map((n) => [n.item.linkId, n]));
  const problems: AnswerProblem[] = [];
  const answers: Record<string, AnswerValue> = {};
  for (const linkId of Object.keys(raw)) {
    if (!byLinkId.has(linkId)) problems.push({ linkId, number: 0, text: '', kind: 'unknown-question' });
  }
  for (const { item, number } of items) {
    const value = raw[item.linkId];
    if (value === undefined || value === null || value === '') continue;
    const problem = (kind: AnswerProblemKind, extra: { min?: number; max?: number } = {}) => problems.push({ linkId: item.linkId, number, text: item.text ?? '', kind, ...extra });
    switch (item.type) {
      case 'integer':
      case 'decimal': {
        const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
        const { min, max } = itemRange(item);
        if (!Number.isFinite(n)) { problem(item.type === 'integer' ? 'not-a-whole-number' : 'not-a-number', { min, max }); break; }
        if (item.type === 'integer' && !Number.isInteger(n)) { problem('not-a-whole-number', { min, max }); break; }
        if ((min !== undefined && n < min) || (max !== undefined && n > max)) { problem('out-of-range', { min, max }); break; }
        answers[item.linkId] = n;
        break;
      }
      case 'choice': {
        const key = typeof value === 'number' ? String(value) : value;
        if (typeof key !== 'string' || !optionViews(item).some((o) => o.key === key)) { problem('not-an-option'); break; }
        answers[item.linkId] = key;
        break;
      }
      case 'boolean': {
        const b = value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined;
        if (b === undefined) { problem('not-yes-or-no'); break; }
        answers[item.linkId] = b;
        break;
      }
      case 'string':
      case 'text': {
        if (typeof value !== 'string') { problem('too-long', { max: item.maxLength ?? DEFAULT_TEXT_MAX_LENGTH }); break; }
        const text = value.trim();
        if (text.length > (item.maxLength ?? DEFAULT_TEXT_MAX_LENGTH)) { problem('too-long', { max: item.maxLength ?? DEFAULT_TEXT_MAX_LENGTH }); break; }
        if (text) answers[item.linkId] = text;
        break;
      }
      default:
        break;
    }
  }
  // Answers to items that the other answers switch off are not kept (FHIR enableWhen).
  for (const { item } of items) {
    if (answers[item.linkId] !== undefined && !isItemEnabled(item, answers)) delete answers[item.linkId];
  }
  if (options.complete) {
    const answeredWithProblem = new Set(problems.map((p) => p.linkId));
    for (const { item, number } of items) {
      if (item.required && answers[item.linkId] === undefined && !answeredWithProblem.has(item.linkId) && isItemEnabled(item, answers)) {
        problems.push({ linkId: item.linkId, number, text: item.text ?? '', kind: 'required' });
      }
    }
  }
  problems.sort((a, b) => a.number - b.number);
  return { answers, problems };
}

// ---------------------------------------------------------------------------------------------
// Structural validation (imports)
// ---------------------------------------------------------------------------------------------

const ITEM_TYPES: readonly QuestionnaireItemType[] = ['group', 'display', ...ANSWERABLE_TYPES];
const OPERATORS: readonly EnableWhenOperator[] = ['exists', '=', '!=', '>', '<', '>=', '<='];
const LINK_ID = /^[A-Za-z0-9._\-/:]{1,255}$/;
/** Limits that keep an imported document to the size of a real questionnaire. */
const MAX_ITEMS = 500;
const MAX_TEXT = 4000;

/**
 * Checks that a JSON document is a Questionnaire Autolog can render and returns it typed.
 * @throws ScienceInputError naming the path of the first problem (e.g. `item[3].answerOption`)
 */
export function validateQuestionnaire(json: unknown, field = 'questionnaire'): Questionnaire {
  const q = json as Record<string, unknown>;
  if (typeof q !== 'object' || q === null || Array.isArray(q)) throw new ScienceInputError(field, 'a FHIR Questionnaire JSON object');
  if (q['resourceType'] !== 'Questionnaire') throw new ScienceInputError(`${field}.resourceType`, '"Questionnaire"');
  for (const key of ['title', 'version', 'url', 'name', 'description', 'copyright'] as const) {
    if (q[key] !== undefined && (typeof q[key] !== 'string' || (q[key] as string).length > MAX_TEXT)) throw new ScienceInputError(`${field}.${key}`, `text of at most ${MAX_TEXT} characters`);
  }
  if (q['status'] !== undefined && !['draft', 'active', 'retired', 'unknown'].includes(q['status'] as string)) {
    throw new ScienceInputError(`${field}.status`, 'one of draft, active, retired, unknown');
  }
  if (!Array.isArray(q['item']) || q['item'].length === 0) throw new ScienceInputError(`${field}.item`, 'a non-empty array of items');
  const linkIds = new Set<string>();
  let count = 0;
  const checkItems = (items: unknown[], path: string) => {
    items.forEach((raw, index) => {
      const at = `${path}[${index}]`;
      if (++count > MAX_ITEMS) throw new ScienceInputError(at, `at most ${MAX_ITEMS} items in all`);
      const item = raw as Record<string, unknown>;
      if (typeof item !== 'object' || item === null) throw new ScienceInputError(at, 'an item object');
      if (typeof item['linkId'] !== 'string' || !LINK_ID.test(item['linkId'])) throw new ScienceInputError(`${at}.linkId`, 'a linkId of letters, digits and . _ - / : (1–255 characters)');
      if (linkIds.has(item['linkId'])) throw new ScienceInputError(`${at}.linkId`, `a linkId not used by another item ("${item['linkId']}" is repeated)`);
      linkIds.add(item['linkId']);
      if (!ITEM_TYPES.includes(item['type'] as QuestionnaireItemType)) throw new ScienceInputError(`${at}.type`, `one of ${ITEM_TYPES.join(', ')}`);
      if (item['text'] !== undefined && (typeof item['text'] !== 'string' || item['text'].length > MAX_TEXT)) throw new ScienceInputError(`${at}.text`, `text of at most ${MAX_TEXT} characters`);
      if (item['type'] !== 'display' && item['type'] !== 'group' && typeof item['text'] !== 'string') throw new ScienceInputError(`${at}.text`, 'the question text');
      if (item['required'] !== undefined && typeof item['required'] !== 'boolean') throw new ScienceInputError(`${at}.required`, 'true or false');
      if (item['type'] === 'choice') {
        const options = item['answerOption'];
        if (!Array.isArray(options) || options.length < 2) throw new ScienceInputError(`${at}.answerOption`, 'at least two answer options');
        const keys = new Set<string>();
        options.forEach((o: Record<string, unknown>, i) => {
          const coding = o?.['valueCoding'] as Record<string, unknown> | undefined;
          const key = coding && typeof coding['code'] === 'string' ? coding['code'] : Number.isInteger(o?.['valueInteger']) ? String(o['valueInteger']) : typeof o?.['valueString'] === 'string' ? o['valueString'] : undefined;
          if (!key) throw new ScienceInputError(`${at}.answerOption[${i}]`, 'a valueCoding with a code, a valueInteger or a valueString');
          if (keys.has(key)) throw new ScienceInputError(`${at}.answerOption[${i}]`, `an option whose code is not repeated ("${key}")`);
          keys.add(key);
        });
      }
      if (item['type'] === 'integer' || item['type'] === 'decimal') {
        const { min, max } = itemRange(item as unknown as QuestionnaireItem);
        if (min !== undefined && max !== undefined && min > max) throw new ScienceInputError(`${at}.extension`, 'a minValue not above the maxValue');
      }
      if (item['enableWhen'] !== undefined) {
        if (!Array.isArray(item['enableWhen'])) throw new ScienceInputError(`${at}.enableWhen`, 'an array of conditions');
        (item['enableWhen'] as Record<string, unknown>[]).forEach((c, i) => {
          if (typeof c?.['question'] !== 'string') throw new ScienceInputError(`${at}.enableWhen[${i}].question`, 'the linkId of another item');
          if (!OPERATORS.includes(c['operator'] as EnableWhenOperator)) throw new ScienceInputError(`${at}.enableWhen[${i}].operator`, `one of ${OPERATORS.join(' ')}`);
        });
      }
      if (item['item'] !== undefined) {
        if (!Array.isArray(item['item'])) throw new ScienceInputError(`${at}.item`, 'an array of items');
        checkItems(item['item'], `${at}.item`);
      }
    });
  };
  checkItems(q['item'] as unknown[], `${field}.item`);
  // Conditions may only point at items that exist (checked once every linkId is known).
  const checkRefs = (items: QuestionnaireItem[], path: string) => items.forEach((item, index) => {
    (item.enableWhen ?? []).forEach((c, i) => {
      if (!linkIds.has(c.question)) throw new ScienceInputError(`${path}[${index}].enableWhen[${i}].question`, `the linkId of an item in this questionnaire ("${c.question}" is not one)`);
    });
    if (item.item) checkRefs(item.item, `${path}[${index}].item`);
  });
  checkRefs(q['item'] as QuestionnaireItem[], `${field}.item`);
  return { status: 'active', ...(q as object) } as Questionnaire;
}
