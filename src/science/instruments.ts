/**
 * The instrument catalogue: for each instrument code, its structure (linkIds and answer codes),
 * the Questionnaire Autolog ships (wording written for this project) or none when the wording is
 * licensed, and its scoring function. A clinic's licensed copy is mapped onto the same structure
 * by `canonicaliseQuestionnaire`, so every copy of an instrument is scored by the same code.
 *
 * Never paste a licensed questionnaire's wording here (DESIGN.md, Sources of domain facts).
 */
import { ScienceInputError } from './errors.js';
import {
  INSTRUMENT_CODES, ODI_SECTIONS, START_BACK_BOTHERSOME_SCALE, scoreNrs, scoreOdi, scorePeg, scoreStartBack,
  type InstrumentCode, type OdiSectionScore, type StartBackItems,
} from './instrument-scoring.js';
import { PGIC_CATEGORIES, isPgicCategory, pgicValue } from './instrument-pgic.js';
import {
  QUESTIONNAIRE_EXTENSIONS, answerableItems, itemRange, optionViews, validateQuestionnaire,
  type Answers, type Extension, type Questionnaire, type QuestionnaireItem,
} from './questionnaire.js';

/** A built-in or canonicalised questionnaire's canonical URL. */
export function instrumentUrl(code: string): string {
  return `urn:autolog:instrument:${code}`;
}

/** Version of the wording Autolog ships; stored with every response to a built-in. */
export const BUILT_IN_WORDING_VERSION = 'autolog-1';

/** One answerable item of an instrument's structure, in questionnaire order. */
export type StructureItem =
  | { readonly linkId: string; readonly type: 'choice'; readonly options: readonly { readonly code: string; readonly ordinal: number }[] }
  | { readonly linkId: string; readonly type: 'integer'; readonly min: number; readonly max: number };

/** A stored score: the number summaries aggregate, plus the instrument's sub-results. */
export interface InstrumentScore {
  /** the instrument's score (null when the answers do not allow one, e.g. ODI with 2 sections missing) */
  score: number | null;
  detail: Record<string, unknown>;
}

export interface InstrumentSpec {
  readonly code: InstrumentCode;
  readonly title: string;
  /** short name for charts and tables */
  readonly shortLabel: string;
  readonly scoreMin: number;
  readonly scoreMax: number;
  readonly higherIsWorse: boolean;
  /** false for baseline-only instruments (STarT Back is a risk grouping, not an outcome) */
  readonly outcome: boolean;
  /** 'import-required': the wording is licensed; the clinic imports its copy */
  readonly wording: 'built-in' | 'import-required';
  /** licence and source, shown to staff beside the instrument */
  readonly licence: string;
  readonly structure: readonly StructureItem[];
  readonly questionnaire: Questionnaire | null;
  score(answers: Answers): InstrumentScore;
}

// ---------------------------------------------------------------------------------------------
// Building blocks of the built-in questionnaires
// ---------------------------------------------------------------------------------------------

const LOINC = 'http://loinc.org';

function itemControl(code: 'lower' | 'upper' | 'help'): Extension {
  return { url: QUESTIONNAIRE_EXTENSIONS.itemControl, valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/questionnaire-item-control', code }] } };
}

/** A 0–10 rating: an integer item with its bounds and the labels of both ends. */
function ratingItem(linkId: string, text: string, lower: string, upper: string, help?: string): QuestionnaireItem {
  return {
    linkId, text, type: 'integer', required: true,
    extension: [{ url: QUESTIONNAIRE_EXTENSIONS.minValue, valueInteger: 0 }, { url: QUESTIONNAIRE_EXTENSIONS.maxValue, valueInteger: 10 }],
    item: [
      { linkId: `${linkId}.lower`, type: 'display', text: lower, extension: [itemControl('lower')] },
      { linkId: `${linkId}.upper`, type: 'display', text: upper, extension: [itemControl('upper')] },
      ...(help ? [{ linkId: `${linkId}.help`, type: 'display' as const, text: help, extension: [itemControl('help')] }] : []),
    ],
  };
}

function choiceItem(linkId: string, text: string, options: readonly { code: string; display: string; ordinal: number }[]): QuestionnaireItem {
  return {
    linkId, text, type: 'choice', required: true,
    answerOption: options.map((o) => ({ valueCoding: { code: o.code, display: o.display }, extension: [{ url: QUESTIONNAIRE_EXTENSIONS.ordinalValue, valueDecimal: o.ordinal }] })),
  };
}

function builtIn(code: InstrumentCode, title: string, fields: { description: string; copyright: string; recall?: string; loinc?: { code: string; display: string } }, item: QuestionnaireItem[]): Questionnaire {
  return {
    resourceType: 'Questionnaire', url: instrumentUrl(code), version: BUILT_IN_WORDING_VERSION, name: code.replace(/-/g, '_'), title, status: 'active',
    description: fields.description, copyright: fields.copyright,
    ...(fields.loinc && { code: [{ system: LOINC, ...fields.loinc }] }),
    ...(fields.recall && { extension: [{ url: QUESTIONNAIRE_EXTENSIONS.recallPeriod, valueCode: fields.recall }] }),
    item,
  };
}

/** The structure of a questionnaire's answerable items (for built-ins, derived from their wording). */
function structureOf(q: Questionnaire): StructureItem[] {
  return answerableItems(q).map(({ item }) => {
    if (item.type === 'integer') {
      const { min, max } = itemRange(item);
      return { linkId: item.linkId, type: 'integer', min: min ?? 0, max: max ?? 10 };
    }
    return { linkId: item.linkId, type: 'choice', options: optionViews(item).map((o, i) => ({ code: o.key, ordinal: o.ordinal ?? i })) };
  });
}

const OWN_WORDING = 'Wording written for Autolog (Apache-2.0).';

// ---------------------------------------------------------------------------------------------
// NRS back and leg pain
// ---------------------------------------------------------------------------------------------

/** 7-day recall, as recommended for trials by Chiarotto 2018 (Pain) and used by the ICHOM LBP set. */
export const NRS_RECALL_PERIOD = 'P7D';

/** What the back and the leg scale share; only their wording differs. */
const NRS_FIELDS = {
  copyright: `${OWN_WORDING} 0–10 numeric rating scale as in the ICHOM Low Back Pain Standard Set (Clement 2015).`,
  recall: NRS_RECALL_PERIOD, loinc: { code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' },
};

const NRS_BACK = builtIn(INSTRUMENT_CODES.nrsBack, 'Back pain', {
  description: 'One question about the pain in your lower back.', ...NRS_FIELDS,
}, [ratingItem('intensity', 'Thinking of the last 7 days, how bad has the pain in your lower back been on average?', '0 means no pain at all', '10 means the worst pain you can imagine')]);

const NRS_LEG = builtIn(INSTRUMENT_CODES.nrsLeg, 'Leg pain', {
  description: 'One question about pain that goes into your leg or legs.', ...NRS_FIELDS,
}, [ratingItem('intensity', 'Thinking of the last 7 days, how bad has the pain in your leg or legs been on average?', '0 means no pain at all', '10 means the worst pain you can imagine', 'If you have had no pain in your legs, choose 0.')]);

function scoreNrsAnswers(answers: Answers): InstrumentScore {
  const value = answers['intensity'];
  if (value === undefined) return { score: null, detail: { reason: 'unanswered' } };
  return { score: scoreNrs(value as number).score, detail: {} };
}

// ---------------------------------------------------------------------------------------------
// PEG-3
// ---------------------------------------------------------------------------------------------

const PEG = builtIn(INSTRUMENT_CODES.peg, 'Pain and daily life', {
  description: 'Three questions about your pain and how it affects your life.',
  copyright: `${OWN_WORDING} Three 0–10 items in the structure of the PEG (Krebs 2009, J Gen Intern Med); not the published wording.`,
  recall: NRS_RECALL_PERIOD, loinc: { code: '91148-7', display: 'PEG 3-item pain scale' },
}, [
  ratingItem('pain', 'Over the last 7 days, how strong has your pain been on average?', '0 means no pain at all', '10 means as bad as you can imagine'),
  ratingItem('enjoyment', 'Over the last 7 days, how much has pain spoilt your enjoyment of life?', '0 means not at all', '10 means completely'),
  ratingItem('activity', 'Over the last 7 days, how much has pain got in the way of your everyday activities?', '0 means not at all', '10 means completely'),
]);

function scorePegAnswers(answers: Answers): InstrumentScore {
  const items = ['pain', 'enjoyment', 'activity'].map((k) => answers[k]);
  if (items.some((v) => v === undefined)) return { score: null, detail: { reason: 'missing-items' } };
  return { score: scorePeg(items as [number, number, number]).score, detail: {} };
}

// ---------------------------------------------------------------------------------------------
// PGIC
// ---------------------------------------------------------------------------------------------

/** Autolog's plain-language labels of the seven PGIC categories (Guy 1976 coding, best first). */
const PGIC_LABELS: Record<(typeof PGIC_CATEGORIES)[number]['code'], string> = {
  'very-much-improved': 'Very much better',
  'much-improved': 'Much better',
  'minimally-improved': 'A little better',
  'no-change': 'No change',
  'minimally-worse': 'A little worse',
  'much-worse': 'Much worse',
  'very-much-worse': 'Very much worse',
};

const PGIC = builtIn(INSTRUMENT_CODES.pgic, 'Overall change', {
  description: 'One question about how things have changed since your treatment.',
  copyright: `${OWN_WORDING} Seven ordered categories of the Patient Global Impression of Change (Guy 1976; Farrar 2001, Pain).`,
}, [choiceItem('change', 'Compared with how you were before this treatment, how would you describe your back pain and its effect on your life now?',
  PGIC_CATEGORIES.map((c) => ({ code: c.code, display: PGIC_LABELS[c.code], ordinal: c.value })))]);

function scorePgicAnswers(answers: Answers): InstrumentScore {
  const value = answers['change'];
  if (value === undefined) return { score: null, detail: { reason: 'unanswered' } };
  if (!isPgicCategory(value)) throw new ScienceInputError('answers.change', 'a PGIC category code');
  // Stored as the 1–7 value (1 = very much improved), as responder rules read it.
  return { score: pgicValue(value), detail: { category: value } };
}

// ---------------------------------------------------------------------------------------------
// STarT Back
// ---------------------------------------------------------------------------------------------

const AGREE_DISAGREE = [{ code: 'disagree', display: 'Disagree', ordinal: 0 }, { code: 'agree', display: 'Agree', ordinal: 1 }] as const;
const BOTHER_LABELS = ['Not at all', 'Slightly', 'Moderately', 'Very much', 'Extremely'];

/**
 * Autolog's own plain-language statements for the nine STarT Back item concepts (Hill 2008), in
 * the tool's order; scored with `scoreStartBack`. Not Keele's validated wording.
 */
const START_BACK_STATEMENTS = [
  'In the last 2 weeks, my pain has spread down one or both legs.',
  'In the last 2 weeks, I have also had pain in my shoulder or neck.',
  'Because of my back pain, I have only walked short distances.',
  'In the last 2 weeks, getting dressed has taken me longer than usual because of my back pain.',
  'I feel that being physically active is not really safe for someone with a back like mine.',
  'Worrying thoughts have been on my mind much of the time.',
  'I feel that my back pain is awful and will never get better.',
  'Overall, I have not enjoyed the things I used to enjoy.',
] as const;

const START_BACK = builtIn(INSTRUMENT_CODES.startBack, 'How your back pain affects you', {
  description: 'Think about the last 2 weeks. For each statement, choose whether you agree or disagree. There are no right or wrong answers.',
  copyright: `${OWN_WORDING} Follows the item concepts and scoring of the Keele STarT Back Screening Tool (Hill 2008); this is not Keele's validated wording. A clinic that holds Keele's licence (free for non-commercial use) can import the validated copy under the code start-back.`,
  recall: 'P14D',
}, [
  ...START_BACK_STATEMENTS.map((text, i) => choiceItem(`q${i + 1}`, text, AGREE_DISAGREE)),
  choiceItem('q9', 'Overall, how much has your back pain bothered you in the last 2 weeks?', START_BACK_BOTHERSOME_SCALE.map((code, i) => ({ code, display: BOTHER_LABELS[i]!, ordinal: i }))),
]);

function scoreStartBackAnswers(answers: Answers): InstrumentScore {
  const keys = Array.from({ length: 9 }, (_, i) => `q${i + 1}`);
  if (keys.some((k) => answers[k] === undefined)) return { score: null, detail: { reason: 'missing-items' } };
  const items = keys.slice(0, 8).map((k) => (answers[k] === 'agree' ? 1 : 0)) as number[];
  const bothered = START_BACK_BOTHERSOME_SCALE.indexOf(answers['q9'] as (typeof START_BACK_BOTHERSOME_SCALE)[number]);
  if (bothered < 0) throw new ScienceInputError('answers.q9', `one of ${START_BACK_BOTHERSOME_SCALE.join(', ')}`);
  const result = scoreStartBack([...items, bothered] as unknown as StartBackItems);
  return { score: result.total, detail: { psychosocial: result.psychosocial, risk: result.risk } };
}

// ---------------------------------------------------------------------------------------------
// ODI v2.1a — structure and scoring only
// ---------------------------------------------------------------------------------------------

/**
 * What staff and patients are told about the ODI. Its wording is © Fairbank and distributed by
 * Mapi Research Trust under a user agreement (outcomes.md §2), so it is not in this repository.
 */
export const ODI_LICENCE_NOTE =
  'The Oswestry Disability Index (ODI v2.1a) is © Jeremy Fairbank and distributed by Mapi Research Trust under a user agreement. ' +
  'Autolog does not include its wording: an administrator imports the clinic’s licensed copy once, as a FHIR Questionnaire JSON file ' +
  '(10 sections, each with 6 statements scored 0–5), and it is then offered, scored and reported like any other instrument.';

/** ODI v2.1a: ten sections (Fairbank & Pynsent 2000), six statements each, scored 0–5 in order. */
const ODI_STRUCTURE: StructureItem[] = ODI_SECTIONS.map((linkId) => ({
  linkId, type: 'choice', options: [0, 1, 2, 3, 4, 5].map((n) => ({ code: String(n), ordinal: n })),
}));

function scoreOdiAnswers(answers: Answers): InstrumentScore {
  const sections = ODI_SECTIONS.map((s) => (answers[s] === undefined ? null : Number(answers[s]) as OdiSectionScore));
  const result = scoreOdi(sections);
  return { score: result.percent, detail: { answered: result.answered, ...(result.band && { band: result.band }), ...(result.reason && { reason: result.reason }) } };
}

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

function spec(fields: Omit<InstrumentSpec, 'structure'> & { structure?: StructureItem[] }): InstrumentSpec {
  return { ...fields, structure: fields.structure ?? structureOf(fields.questionnaire!) };
}

/** A 0–10 pain scale: the back and the leg differ only in code, label and wording. */
function nrsSpec(code: InstrumentCode, shortLabel: string, questionnaire: Questionnaire): InstrumentSpec {
  return spec({
    code, title: `${shortLabel} (NRS 0–10)`, shortLabel, scoreMin: 0, scoreMax: 10, higherIsWorse: true, outcome: true,
    wording: 'built-in', licence: 'Free to use; wording written for Autolog.', questionnaire, score: scoreNrsAnswers,
  });
}

/** Every instrument Autolog can score, by code. */
export const INSTRUMENTS: Readonly<Record<string, InstrumentSpec>> = {
  [INSTRUMENT_CODES.nrsBack]: nrsSpec(INSTRUMENT_CODES.nrsBack, 'Back pain', NRS_BACK),
  [INSTRUMENT_CODES.nrsLeg]: nrsSpec(INSTRUMENT_CODES.nrsLeg, 'Leg pain', NRS_LEG),
  [INSTRUMENT_CODES.odi]: spec({
    code: INSTRUMENT_CODES.odi, title: 'Oswestry Disability Index v2.1a (0–100)', shortLabel: 'Difficulty with daily life (ODI)', scoreMin: 0, scoreMax: 100, higherIsWorse: true, outcome: true,
    wording: 'import-required', licence: ODI_LICENCE_NOTE, questionnaire: null, structure: ODI_STRUCTURE, score: scoreOdiAnswers,
  }),
  [INSTRUMENT_CODES.peg]: spec({
    code: INSTRUMENT_CODES.peg, title: 'PEG-3 pain and interference (0–10)', shortLabel: 'Pain and daily life (PEG)', scoreMin: 0, scoreMax: 10, higherIsWorse: true, outcome: true,
    wording: 'built-in', licence: 'Structure of the PEG (Krebs 2009), whose items derive from the Brief Pain Inventory (© Cleeland) [M]; wording written for Autolog.', questionnaire: PEG, score: scorePegAnswers,
  }),
  [INSTRUMENT_CODES.pgic]: spec({
    code: INSTRUMENT_CODES.pgic, title: 'Patient Global Impression of Change (1–7)', shortLabel: 'Overall change (PGIC)', scoreMin: 1, scoreMax: 7, higherIsWorse: true, outcome: true,
    wording: 'built-in', licence: 'Derived from the public-domain CGI [M]; wording written for Autolog (stored with each answer).', questionnaire: PGIC, score: scorePgicAnswers,
  }),
  [INSTRUMENT_CODES.startBack]: spec({
    code: INSTRUMENT_CODES.startBack, title: 'STarT Back risk group (0–9, baseline)', shortLabel: 'STarT Back', scoreMin: 0, scoreMax: 9, higherIsWorse: true, outcome: false,
    wording: 'built-in', licence: 'Scoring of the Keele STarT Back Screening Tool (Hill 2008; © Keele University, free for non-commercial use); Autolog’s own wording of the item concepts.', questionnaire: START_BACK, score: scoreStartBackAnswers,
  }),
};

/** The spec of an instrument code. @throws ScienceInputError naming `field` for an unknown code */
export function instrumentSpec(code: string, field = 'instrument'): InstrumentSpec {
  const found = Object.prototype.hasOwnProperty.call(INSTRUMENTS, code) ? INSTRUMENTS[code] : undefined;
  if (!found) throw new ScienceInputError(field, `one of ${Object.keys(INSTRUMENTS).join(', ')}`);
  return found;
}

/**
 * Scores answers keyed by the instrument's canonical linkIds (as stored). Answers must already
 * have passed `checkAnswers` against the canonical questionnaire.
 */
export function scoreInstrument(code: string, answers: Answers): InstrumentScore {
  return instrumentSpec(code).score(answers);
}

// ---------------------------------------------------------------------------------------------
// Importing a clinic's licensed copy
// ---------------------------------------------------------------------------------------------

export interface CanonicalisedQuestionnaire {
  /** the clinic's questionnaire with linkIds and answer codes mapped onto the instrument's structure */
  questionnaire: Questionnaire;
  /** original linkId → canonical linkId */
  linkMap: Record<string, string>;
}

/**
 * Maps an imported Questionnaire onto an instrument's structure, keeping the clinic's wording.
 *
 * Questions are matched by linkId when every expected linkId is present (e.g. `pain-intensity` …
 * `travelling` for the ODI), otherwise by position. Answer options are matched by code when the
 * codes are the expected ones, otherwise by ordinalValue when every option has one, otherwise by
 * position (the ODI scores its six statements 0–5 in printed order: Fairbank & Pynsent 2000).
 *
 * @throws ScienceInputError naming the path of the first mismatch (e.g. `questionnaire.item[4].answerOption`)
 */
export function canonicaliseQuestionnaire(code: string, json: unknown): CanonicalisedQuestionnaire {
  const instrument = instrumentSpec(code, 'code');
  const q = validateQuestionnaire(json);
  const items = answerableItems(q);
  const expected = instrument.structure;
  if (items.length !== expected.length) {
    const shape = code === INSTRUMENT_CODES.odi ? ' (ODI v2.1a: 10 sections × 6 statements)' : '';
    throw new ScienceInputError('questionnaire.item', `exactly ${expected.length} questions for ${instrument.title}${shape}; this file has ${items.length}`);
  }
  const importedIds = new Set(items.map((n) => n.item.linkId));
  const byLinkId = expected.every((s) => importedIds.has(s.linkId));
  const pairs = expected.map((s, i) => ({ structure: s, item: byLinkId ? items.find((n) => n.item.linkId === s.linkId)!.item : items[i]!.item, position: i }));

  const linkMap: Record<string, string> = {};
  const replacements = new Map<QuestionnaireItem, QuestionnaireItem>();
  for (const { structure, item, position } of pairs) {
    const at = `questionnaire question ${position + 1} ("${item.linkId}")`;
    linkMap[item.linkId] = structure.linkId;
    if (structure.type === 'integer') {
      const { min, max } = itemRange(item);
      if (item.type !== 'integer' || min !== structure.min || max !== structure.max) {
        throw new ScienceInputError(at, `an integer question from ${structure.min} to ${structure.max} (minValue / maxValue extensions)`);
      }
      replacements.set(item, { ...item, linkId: structure.linkId });
      continue;
    }
    const options = optionViews(item);
    if (item.type !== 'choice' || options.length !== structure.options.length) {
      throw new ScienceInputError(at, `a choice question with exactly ${structure.options.length} answer options`);
    }
    const codes = new Set(structure.options.map((o) => o.code));
    const ordinals = options.map((o) => o.ordinal);
    const byCode = options.every((o) => codes.has(o.key));
    const byOrdinal = !byCode && ordinals.every((o) => o !== undefined) && new Set(ordinals).size === options.length
      && ordinals.every((o) => structure.options.some((s) => s.ordinal === o));
    const mapped = options.map((o, i) => {
      const target = byCode ? structure.options.find((s) => s.code === o.key)! : byOrdinal ? structure.options.find((s) => s.ordinal === o.ordinal)! : structure.options[i]!;
      return { valueCoding: { code: target.code, display: o.label }, extension: [{ url: QUESTIONNAIRE_EXTENSIONS.ordinalValue, valueDecimal: target.ordinal }] };
    });
    replacements.set(item, { ...item, linkId: structure.linkId, answerOption: mapped });
  }

  const rewrite = (list: readonly QuestionnaireItem[]): QuestionnaireItem[] => list.map((original) => {
    const item = replacements.get(original) ?? original;
    const next: QuestionnaireItem = { ...item };
    if (item.enableWhen) next.enableWhen = item.enableWhen.map((c) => ({ ...c, question: linkMap[c.question] ?? c.question }));
    if (item.item) next.item = rewrite(item.item);
    return next;
  });
  const canonical: Questionnaire = { ...q, item: rewrite(q.item) };
  // The canonical copy must itself be valid (a rewritten linkId could collide with another item's).
  validateQuestionnaire(canonical);
  return { questionnaire: canonical, linkMap };
}
