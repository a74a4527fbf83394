import { describe, expect, it } from 'vitest';
import { expectInputError } from './testing/expect-input-error.js';
import { QUESTIONNAIRE_EXTENSIONS, answerableItems, checkAnswers, enableState, isItemEnabled, validateQuestionnaire, type Questionnaire } from './questionnaire.js';

const range = (min: number, max: number) => [{ url: QUESTIONNAIRE_EXTENSIONS.minValue, valueInteger: min }, { url: QUESTIONNAIRE_EXTENSIONS.maxValue, valueInteger: max }];

const q: Questionnaire = validateQuestionnaire({
  resourceType: 'Questionnaire', status: 'active', title: 'Test',
  item: [
    { linkId: 'pain', type: 'integer', text: 'Pain now?', required: true, extension: range(0, 10) },
    { linkId: 'had-surgery', type: 'choice', text: 'Surgery since?', required: true, answerOption: [{ valueCoding: { code: 'yes', display: 'Yes' } }, { valueCoding: { code: 'no', display: 'No' } }] },
    {
      linkId: 'surgery-group', type: 'group', text: 'About the surgery',
      item: [{ linkId: 'surgery-month', type: 'string', text: 'Which month?', required: true, enableWhen: [{ question: 'had-surgery', operator: '=', answerCoding: { code: 'yes' } }] }],
    },
    { linkId: 'comment', type: 'text', text: 'Anything else?', maxLength: 20 },
  ],
});

describe('answerableItems', () => {
  it('numbers questions as a patient sees them, groups and displays excluded', () => {
    expect(answerableItems(q).map((n) => [n.item.linkId, n.number])).toEqual([['pain', 1], ['had-surgery', 2], ['surgery-month', 3], ['comment', 4]]);
  });
});

describe('enableWhen', () => {
  const item = q.item[2]!.item![0]!;
  it('is pending until the controlling question is answered, then enabled or disabled', () => {
    expect(enableState(item, {})).toBe('pending');
    expect(isItemEnabled(item, {})).toBe(false); // FHIR: an unanswered question makes the condition false
    expect(enableState(item, { 'had-surgery': 'yes' })).toBe('enabled');
    expect(enableState(item, { 'had-surgery': 'no' })).toBe('disabled');
  });
});

describe('checkAnswers', () => {
  it('normalises form text and accepts a complete, valid page', () => {
    const r = checkAnswers(q, { pain: '7', 'had-surgery': 'yes', 'surgery-month': ' March ', comment: '' }, { complete: true });
    expect(r.problems).toEqual([]);
    expect(r.answers).toEqual({ pain: 7, 'had-surgery': 'yes', 'surgery-month': 'March' });
  });

  it('names each bad answer by its question number, with the allowed range', () => {
    const r = checkAnswers(q, { pain: '11', 'had-surgery': 'maybe', comment: 'x'.repeat(21) }, { complete: true });
    expect(r.problems.map((p) => [p.linkId, p.number, p.kind])).toEqual([['pain', 1, 'out-of-range'], ['had-surgery', 2, 'not-an-option'], ['comment', 4, 'too-long']]);
    expect(r.problems[0]).toMatchObject({ min: 0, max: 10, text: 'Pain now?' });
    expect(checkAnswers(q, { pain: '3.5' }, { complete: false }).problems[0]!.kind).toBe('not-a-whole-number');
    expect(checkAnswers(q, { pain: 'lots' }, { complete: false }).problems[0]!.kind).toBe('not-a-whole-number');
  });

  it('asks for required answers only on a complete page, and only for enabled items', () => {
    expect(checkAnswers(q, { pain: 2 }, { complete: false }).problems).toEqual([]);
    expect(checkAnswers(q, { pain: 2, 'had-surgery': 'no' }, { complete: true }).problems).toEqual([]);
    expect(checkAnswers(q, { pain: 2, 'had-surgery': 'yes' }, { complete: true }).problems.map((p) => [p.linkId, p.kind])).toEqual([['surgery-month', 'required']]);
  });

  it('drops answers to items the other answers switch off, and reports unknown questions', () => {
    const r = checkAnswers(q, { pain: 2, 'had-surgery': 'no', 'surgery-month': 'May', bogus: 1 }, { complete: false });
    expect(r.answers).toEqual({ pain: 2, 'had-surgery': 'no' });
    expect(r.problems).toEqual([expect.objectContaining({ linkId: 'bogus', kind: 'unknown-question' })]);
  });
});

describe('validateQuestionnaire', () => {
  const base = { resourceType: 'Questionnaire', item: [{ linkId: 'a', type: 'integer', text: 'A?' }] };
  it('names the path of the first structural problem', () => {
    expectInputError(() => validateQuestionnaire({ ...base, resourceType: 'Patient' }), 'questionnaire.resourceType');
    expectInputError(() => validateQuestionnaire({ ...base, item: [] }), 'questionnaire.item');
    expectInputError(() => validateQuestionnaire({ ...base, item: [{ linkId: 'a', type: 'integer', text: 'A' }, { linkId: 'a', type: 'integer', text: 'B' }] }), 'questionnaire.item[1].linkId');
    expectInputError(() => validateQuestionnaire({ ...base, item: [{ linkId: 'a', type: 'slider', text: 'A' }] }), 'questionnaire.item[0].type');
    expectInputError(() => validateQuestionnaire({ ...base, item: [{ linkId: 'a', type: 'choice', text: 'A', answerOption: [{ valueCoding: { code: 'x' } }] }] }), 'questionnaire.item[0].answerOption');
    expectInputError(() => validateQuestionnaire({ ...base, item: [{ linkId: 'a', type: 'integer', text: 'A', enableWhen: [{ question: 'nope', operator: 'exists', answerBoolean: true }] }] }), 'questionnaire.item[0].enableWhen[0].question');
  });
});
