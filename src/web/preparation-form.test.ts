import { describe, expect, it } from 'vitest';
import {
  applyLine,
  applyProtocol,
  checkValues,
  createBody,
  emptyValues,
  fieldDomId,
  focusPathFor,
  humanise,
  isDirty,
  labelOf,
  normalisePath,
  parseDecimal,
  patchBody,
  problemFieldErrors,
  protocolAnticoagulantMl,
  readLine,
  suggestedCount,
  type PrepValues,
} from './preparation-form.js';
import { fromLocalInput, toLocalInput } from './format.js';
import type { Problem, ProtocolVersionView } from './types.js';

const DRAWN = '2025-06-02T08:30';

function values(fields: Record<string, string>, spins: PrepValues['spins'] = []): PrepValues {
  return { fields: { 'draw.drawnAt': DRAWN, ...fields }, spins };
}

const DOUBLE_SPIN: ProtocolVersionView = {
  protocolId: '01a00000-0000-7000-8000-000000000001', versionId: '01a00000-0000-7000-8000-000000000002', version: 3, name: 'Lumbar double spin',
  description: null, systemId: null, systemName: null,
  spins: [{ rcf: 100, minutes: 15, rpm: 946 }, { rcf: 1600, minutes: 20, rpm: 3783 }],
  rotor: { radiusCm: 10, type: 'swing-out' }, centrifuge: null, tubes: null,
  anticoagulant: { agent: 'ACD-A', parts: 1, bloodParts: 9 }, drawVolumeMl: 27, targetVolumeMl: 4, activation: null, notes: null,
  createdAt: '2025-01-01T00:00:00.000Z', createdBy: null,
};

/** Muthu 2022-like double spin: 200 → 1,280 × 10³/µL, 27 mL → 4 mL, 3 mL injected. */
const FULL = values({
  'wholeBlood.volumeMl': '27', 'anticoagulant.agent': 'ACD-A', 'anticoagulant.volumeMl': '3',
  'wholeBlood.plateletsKPerUl': '200', 'wholeBlood.wbcKPerUl': '6.0', 'wholeBlood.neutrophilsKPerUl': '3.6',
  'prp.plateletsKPerUl': '1280', 'prp.wbcKPerUl': '1.2', 'prp.neutrophilsKPerUl': '0.2', 'prp.rbcMPerUl': '0.02', 'prp.hematocritPct': '0.2',
  'prp.volumeMl': '4', injectedVolumeMl: '3', 'activation.agent': 'none', method: 'manual', form: 'liquid', imageGuided: 'yes',
}, [{ rcf: '100', minutes: '15', temperatureC: '22' }, { rcf: '1600', minutes: '20', temperatureC: '22' }]);

describe('field paths and words', () => {
  it('names fields as the technician reads them, in both notations of a spin', () => {
    expect(labelOf('wholeBlood.plateletsKPerUl')).toBe('Baseline platelets');
    expect(labelOf('spins[1].rcf')).toBe('Spin 2 force (× g)');
    expect(normalisePath('spins.1.minutes')).toBe('spins[1].minutes');
    expect(normalisePath('draw')).toBe('draw.drawnAt');
    expect(fieldDomId('spins[0].rcf')).toBe('prep-spins-0-rcf');
    expect(fieldDomId('wholeBlood.plateletsKPerUl')).toBe('prep-wholeBlood-plateletsKPerUl');
  });

  it('puts paths in messages into words, lower-case mid-sentence, leaving ordinary words alone', () => {
    expect(humanise('wholeBlood.plateletsKPerUl = 245000 looks like a value in cells/µL; did you mean 245 × 10³/µL?'))
      .toBe('Baseline platelets = 245000 looks like a value in cells/µL; did you mean 245 × 10³/µL?');
    expect(humanise('prp.neutrophilsKPerUl (3) cannot exceed the white-cell count prp.wbcKPerUl (2)'))
      .toBe('PRP neutrophils (3) cannot exceed the white-cell count PRP white cells (2)');
    expect(humanise('injectedAt is before the product was prepared (preparedAt).')).toBe('Injected at is before the product was prepared (prepared at).');
    expect(humanise('the form and the site')).toBe('the form and the site');
  });

  it('focuses the form field behind a record path', () => {
    expect(focusPathFor('system.protocol', 0)).toBe('protocolId');
    expect(focusPathFor('spins[].temperatureC', 2)).toBe('spins[0].temperatureC');
    expect(focusPathFor('spins[].rcf', 0)).toBe('spins');
    expect(focusPathFor('prp.wbcKPerUl', 0)).toBe('prp.wbcKPerUl');
  });
});

describe('problems from the server', () => {
  const problem = (extra: Partial<Problem>): Problem => ({ type: 'urn:autolog:problem:invalid', title: 'Invalid', status: 400, detail: 'Bad.', ...extra });

  it('puts schema fragments and service sentences on their fields, in words', () => {
    const { fields, general } = problemFieldErrors(problem({
      errors: [
        { field: 'wholeBlood.volumeMl', message: 'must be at most 500' },
        { field: 'spins.0.minutes', message: 'is required' },
        { field: 'spins.1.rcf', message: 'must be > 0' },
        { field: 'injectedAt', message: 'injectedAt is in the future.' },
      ],
    }));
    expect(fields).toEqual({
      'wholeBlood.volumeMl': 'Blood drawn must be at most 500.',
      'spins[0].minutes': 'Spin 1 minutes is required.',
      'spins[1].rcf': 'Spin 2 force (× g) must be greater than 0.',
      injectedAt: 'Injected at is in the future.',
    });
    expect(general).toBeUndefined();
  });

  it('keeps what names no field of the form as a general message', () => {
    expect(problemFieldErrors(problem({ status: 409, detail: 'This episode was cancelled.' }))).toEqual({ fields: {}, general: 'This episode was cancelled.' });
    expect(problemFieldErrors(problem({ errors: [{ field: 'colour', message: 'is not a known field' }] })).general).toBe('colour is not a known field.');
  });
});

describe('typed text', () => {
  it('reads decimal commas and refuses what is not a number', () => {
    expect(parseDecimal('6,1')).toBe(6.1);
    expect(parseDecimal(' 245 ')).toBe(245);
    expect(parseDecimal('2x')).toBeUndefined();
    expect(parseDecimal('0x10')).toBeUndefined();
  });

  it('round-trips a datetime-local value through UTC', () => {
    const iso = fromLocalInput('2025-06-02T08:30')!;
    expect(toLocalInput(iso)).toBe('2025-06-02T08:30');
    expect(fromLocalInput('yesterday')).toBeUndefined();
  });

  it('starts a new record drawn now and prepared by the person signed in', () => {
    const v = emptyValues(new Date(2025, 5, 2, 8, 30, 12), 'me');
    expect(v.fields).toEqual({ 'draw.drawnAt': '2025-06-02T08:30', preparedById: 'me' });
  });
});

describe('checking and evaluating as the technician types', () => {
  it('computes metrics and every classification with the science library', () => {
    const { errors, evaluation } = checkValues(FULL, { protocol: { name: 'Lumbar double spin', version: 3 } });
    expect(errors).toEqual({});
    expect(evaluation.metrics?.concentrationFactor).toBeCloseTo(6.4, 10);
    expect(evaluation.metrics?.plateletDoseBillion).toBeCloseTo(3.84, 10);
    expect(evaluation.classifications?.paw.code).toBe('P4-Bβ');
    expect(evaluation.completeness.present).toContain('system-or-protocol');
  });

  it('names a count in the wrong unit at its field, with the conversion', () => {
    const v = values({ 'wholeBlood.plateletsKPerUl': '245000' });
    const { errors } = checkValues(v, { protocol: null });
    expect(errors['wholeBlood.plateletsKPerUl']).toBe('Baseline platelets = 245000 looks like a value in cells/µL; did you mean 245 × 10³/µL?');
    expect(suggestedCount('wholeBlood.plateletsKPerUl', '245000')).toBe(245);
    expect(suggestedCount('wholeBlood.plateletsKPerUl', '245')).toBeUndefined();
  });

  it('asks for the draw time, readable numbers and complete spins', () => {
    const v: PrepValues = { fields: { 'prp.volumeMl': 'four' }, spins: [{ rcf: '100', minutes: '', temperatureC: '' }, { rcf: '', minutes: '', temperatureC: '' }] };
    const { errors } = checkValues(v, { protocol: null });
    expect(errors['draw.drawnAt']).toBe('Enter when the blood was drawn.');
    expect(errors['prp.volumeMl']).toBe('PRP volume: enter a number, such as 4.5.');
    expect(errors['spins[0].minutes']).toBe('Spin 1 minutes is needed for every spin.');
    expect(Object.keys(errors)).toHaveLength(3);
  });

  it('warns, without refusing, about bupivacaine mixed into the PRP and an old product', () => {
    const v = { ...FULL, fields: { ...FULL.fields, 'localAnaesthetic.agent': 'bupivacaine 0.25 %', 'localAnaesthetic.mixedWithPrp': 'mixed', injectedAt: '2025-06-02T13:00' } };
    const { errors, evaluation } = checkValues(v, { protocol: null });
    expect(errors).toEqual({});
    expect(evaluation.warnings.map((w) => w.code).sort()).toEqual(['anaesthetic-bupivacaine', 'product-age']);
  });
});

describe('analyser lines', () => {
  it('fills the counts a line gives and keeps the others', () => {
    const reading = readLine('wholeBlood', 'PLT 245 WBC 6.1 RBC 4.5 HCT 41');
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    const v = applyLine(values({ 'wholeBlood.neutrophilsKPerUl': '3.5' }), 'wholeBlood', reading.result);
    expect(v.fields).toMatchObject({ 'wholeBlood.plateletsKPerUl': '245', 'wholeBlood.wbcKPerUl': '6.1', 'wholeBlood.rbcMPerUl': '4.5', 'wholeBlood.hematocritPct': '41', 'wholeBlood.neutrophilsKPerUl': '3.5' });
  });

  it('names an unreadable line at the line field', () => {
    const reading = readLine('prp', 'sample 17');
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.message).toMatch(/^PRP analyser line has no platelet/);
  });

  it('refuses a count changed by hand so that the kept line never contradicts it', () => {
    const v = values({ 'wholeBlood.analyserLine': 'PLT 245 WBC 6.1', 'wholeBlood.plateletsKPerUl': '250', 'wholeBlood.wbcKPerUl': '6.1' });
    const { errors } = checkValues(v, { protocol: null });
    expect(errors).toEqual({ 'wholeBlood.plateletsKPerUl': 'Baseline platelets is 250 but the pasted analyser line says 245; correct the count, or clear the line.' });
  });
});

describe('pre-filling from a protocol', () => {
  it('fills spins, anticoagulant from the ratio and method where the form is empty', () => {
    const { values: v, auto } = applyProtocol(values({ 'wholeBlood.volumeMl': '27' }), DOUBLE_SPIN, new Set());
    expect(v.fields).toMatchObject({ protocolId: DOUBLE_SPIN.protocolId, 'anticoagulant.agent': 'ACD-A', 'anticoagulant.volumeMl': '3', method: 'manual' });
    expect(v.spins).toEqual([{ rcf: '100', minutes: '15', temperatureC: '' }, { rcf: '1600', minutes: '20', temperatureC: '' }]);
    expect([...auto].sort()).toEqual(['anticoagulant.agent', 'anticoagulant.volumeMl', 'method', 'spins']);
  });

  it('keeps what the technician typed, and clears what an earlier protocol filled when another is chosen', () => {
    const first = applyProtocol(values({ method: 'device' }), DOUBLE_SPIN, new Set());
    expect(first.values.fields.method).toBe('device');
    const single: ProtocolVersionView = { ...DOUBLE_SPIN, protocolId: 'other', spins: [{ rcf: 1500, minutes: 5, rpm: 3663 }], anticoagulant: null };
    const second = applyProtocol(first.values, single, first.auto);
    expect(second.values.spins).toEqual([{ rcf: '1500', minutes: '5', temperatureC: '' }]);
    expect(second.values.fields['anticoagulant.agent']).toBe('');
    expect(second.values.fields.method).toBe('device');
  });

  it('recomputes the anticoagulant volume for the blood drawn', () => {
    expect(protocolAnticoagulantMl(values({ 'wholeBlood.volumeMl': '54', 'anticoagulant.agent': 'ACD-A', 'anticoagulant.volumeMl': '3' }), DOUBLE_SPIN)).toBe('6');
  });
});

describe('requests', () => {
  it('creates with everything filled in and the protocol version shown', () => {
    const body = createBody({ ...FULL, fields: { ...FULL.fields, protocolId: DOUBLE_SPIN.protocolId, outcomeMeasures: 'odi, nrs' } }, 3);
    expect(body).toMatchObject({
      protocolId: DOUBLE_SPIN.protocolId, protocolVersion: 3,
      draw: { drawnAt: fromLocalInput(DRAWN) },
      wholeBlood: { volumeMl: 27, plateletsKPerUl: 200 },
      spins: [{ rcf: 100, minutes: 15, temperatureC: 22 }, { rcf: 1600, minutes: 20, temperatureC: 22 }],
      imageGuided: true, outcomeMeasures: ['odi', 'nrs'],
    });
    expect(body).not.toHaveProperty('site');
  });

  it('patches only what changed; an emptied field is null and spins go whole', () => {
    const edited: PrepValues = {
      fields: { ...FULL.fields, 'prp.plateletsKPerUl': '1300', 'wholeBlood.wbcKPerUl': '6', injectedVolumeMl: '' },
      spins: [{ rcf: '100', minutes: '15', temperatureC: '22' }],
    };
    expect(patchBody(FULL, edited, undefined)).toEqual({ prp: { plateletsKPerUl: 1300 }, injectedVolumeMl: null, spins: [{ rcf: 100, minutes: 15, temperatureC: 22 }] });
    expect(isDirty(FULL, { ...FULL, fields: { ...FULL.fields, 'wholeBlood.wbcKPerUl': '6,0' } })).toBe(false);
  });

  it('changes a count under a saved analyser line only with a new line or with the line cleared, as the server requires', () => {
    const saved = values({ ...FULL.fields, 'prp.analyserLine': 'PLT 1280 WBC 1.2' }, FULL.spins);
    const pasted = readLine('prp', 'PLT 1300 WBC 1.2');
    if (!pasted.ok) throw new Error(pasted.message);
    const repasted = applyLine({ ...saved, fields: { ...saved.fields, 'prp.analyserLine': 'PLT 1300 WBC 1.2' } }, 'prp', pasted.result);
    expect(checkValues(repasted, { protocol: null }).errors).toEqual({});
    expect(patchBody(saved, repasted, undefined)).toEqual({ prp: { plateletsKPerUl: 1300, analyserLine: 'PLT 1300 WBC 1.2' } });

    const byHand = { ...saved, fields: { ...saved.fields, 'prp.analyserLine': '', 'prp.plateletsKPerUl': '1300' } };
    expect(checkValues(byHand, { protocol: null }).errors).toEqual({});
    expect(patchBody(saved, byHand, undefined)).toEqual({ prp: { plateletsKPerUl: 1300, analyserLine: null } });

    // With the line kept, the screen stops the change before it reaches the server.
    const kept = { ...saved, fields: { ...saved.fields, 'prp.plateletsKPerUl': '1300' } };
    expect(Object.keys(checkValues(kept, { protocol: null }).errors)).toEqual(['prp.plateletsKPerUl']);
  });
});
