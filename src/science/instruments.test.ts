import { describe, expect, it } from 'vitest';
import { expectInputError } from './testing/expect-input-error.js';
import { INSTRUMENTS, canonicaliseQuestionnaire, instrumentSpec, scoreInstrument } from './instruments.js';
import { ODI_SECTIONS } from './instrument-scoring.js';
import { QUESTIONNAIRE_EXTENSIONS, answerableItems, checkAnswers, validateQuestionnaire } from './questionnaire.js';

describe('the built-in questionnaires', () => {
  it('are valid FHIR Questionnaires whose structure matches their scoring', () => {
    for (const spec of Object.values(INSTRUMENTS)) {
      if (!spec.questionnaire) continue;
      expect(() => validateQuestionnaire(spec.questionnaire)).not.toThrow();
      expect(answerableItems(spec.questionnaire).map((n) => n.item.linkId)).toEqual(spec.structure.map((s) => s.linkId));
    }
  });

  it('ship no ODI wording: the ODI has a structure of 10 sections × 6 options and no questionnaire', () => {
    const odi = instrumentSpec('odi');
    expect(odi.questionnaire).toBeNull();
    expect(odi.wording).toBe('import-required');
    expect(odi.structure).toHaveLength(10);
    expect(odi.structure.every((s) => s.type === 'choice' && s.options.length === 6)).toBe(true);
  });

  it('store the recall period of the pain ratings', () => {
    expect(INSTRUMENTS['nrs-back']!.questionnaire!.extension).toEqual([{ url: QUESTIONNAIRE_EXTENSIONS.recallPeriod, valueCode: 'P7D' }]);
  });
});

describe('scoring by instrument code', () => {
  it('scores each built-in from its canonical linkIds', () => {
    expect(scoreInstrument('nrs-back', { intensity: 6 })).toEqual({ score: 6, detail: {} });
    expect(scoreInstrument('peg', { pain: 6, enjoyment: 4, activity: 5 }).score).toBe(5);
    expect(scoreInstrument('peg', { pain: 6, enjoyment: 4 })).toEqual({ score: null, detail: { reason: 'missing-items' } });
    expect(scoreInstrument('pgic', { change: 'much-improved' })).toEqual({ score: 2, detail: { category: 'much-improved' } });
    const startBack = { q1: 'agree', q2: 'agree', q3: 'disagree', q4: 'disagree', q5: 'agree', q6: 'agree', q7: 'agree', q8: 'disagree', q9: 'very-much' };
    expect(scoreInstrument('start-back', startBack)).toEqual({ score: 6, detail: { psychosocial: 4, risk: 'high' } });
    const odi = Object.fromEntries(ODI_SECTIONS.map((s) => [s, '1']));
    expect(scoreInstrument('odi', odi)).toEqual({ score: 20, detail: { answered: 10, band: 'minimal' } });
    const { [ODI_SECTIONS[7]]: _skipped, [ODI_SECTIONS[8]]: _also, ...twoMissing } = odi;
    expect(scoreInstrument('odi', twoMissing)).toEqual({ score: null, detail: { answered: 8, reason: 'too-many-missing-sections' } });
  });

  it('refuses an unknown code, naming the field', () => {
    expectInputError(() => instrumentSpec('eq-5d'), 'instrument');
  });
});

describe('importing a licensed copy', () => {
  const file = (linkIds: string[], options: (s: number, o: number) => Record<string, unknown>) => ({
    resourceType: 'Questionnaire', status: 'active', title: 'ODI copy',
    item: [
      { linkId: 'intro', type: 'display', text: 'Placeholder introduction' },
      ...linkIds.map((linkId, s) => ({ linkId, type: 'choice', text: `Section ${s + 1}`, answerOption: Array.from({ length: 6 }, (_, o) => options(s, o)) })),
    ],
  });

  it('maps questions in order and options in printed order (scored 0–5), keeping the clinic’s text', () => {
    const { questionnaire, linkMap } = canonicaliseQuestionnaire('odi', file(ODI_SECTIONS.map((_, i) => `Q${i + 1}`), (s, o) => ({ valueCoding: { code: `S${s}O${o}`, display: `Statement ${o}` } })));
    expect(linkMap).toMatchObject({ Q1: 'pain-intensity', Q10: 'travelling' });
    const items = answerableItems(questionnaire);
    expect(items.map((n) => n.item.linkId)).toEqual([...ODI_SECTIONS]);
    expect(items[0]!.item.answerOption!.map((o) => [o.valueCoding!.code, o.valueCoding!.display])).toEqual([0, 1, 2, 3, 4, 5].map((n) => [String(n), `Statement ${n}`]));
    expect(questionnaire.item[0]).toMatchObject({ type: 'display', text: 'Placeholder introduction' });
    expect(checkAnswers(questionnaire, { 'pain-intensity': '5' }, { complete: true }).problems).toEqual([]);
  });

  it('uses the expected linkIds when present, and ordinalValue scores when given', () => {
    const reversed = file([...ODI_SECTIONS].reverse(), (_s, o) => ({ valueString: `Option ${o}`, extension: [{ url: QUESTIONNAIRE_EXTENSIONS.ordinalValue, valueDecimal: 5 - o }] }));
    const { questionnaire } = canonicaliseQuestionnaire('odi', reversed);
    const travelling = answerableItems(questionnaire).find((n) => n.item.linkId === 'travelling')!;
    expect(answerableItems(questionnaire)[0]!.item.linkId).toBe('travelling'); // the file's order is kept
    expect(travelling.item.answerOption!.map((o) => [o.valueCoding!.code, o.valueCoding!.display])[0]).toEqual(['5', 'Option 0']);
  });

  it('refuses a file that is not 10 sections × 6 statements, saying what was expected', () => {
    expectInputError(() => canonicaliseQuestionnaire('odi', file(ODI_SECTIONS.slice(0, 9).map(String), (_s, o) => ({ valueString: `o${o}` }))), 'questionnaire.item');
    const fiveOptions = file(ODI_SECTIONS.map(String), (_s, o) => ({ valueString: `o${o}` }));
    (fiveOptions.item[3] as { answerOption: unknown[] }).answerOption.pop();
    expectInputError(() => canonicaliseQuestionnaire('odi', fiveOptions), 'questionnaire question 3 ("lifting")');
    expectInputError(() => canonicaliseQuestionnaire('odi', { resourceType: 'Questionnaire' }), 'questionnaire.item');
  });

  it('replaces a built-in wording with a licensed one of the same structure', () => {
    const keele = structuredClone(INSTRUMENTS['start-back']!.questionnaire!);
    keele.item.forEach((item, i) => { item.linkId = `item${i + 1}`; item.text = `Licensed statement ${i + 1}`; });
    const { questionnaire } = canonicaliseQuestionnaire('start-back', keele);
    expect(answerableItems(questionnaire).map((n) => n.item.linkId)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9']);
    expect(questionnaire.item[0]!.text).toBe('Licensed statement 1');
  });
});
