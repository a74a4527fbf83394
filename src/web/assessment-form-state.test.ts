import { describe, expect, it } from 'vitest';
import { checkAssessment } from '../science/assessment.js';
import { assessContraindications, DEFAULT_CONTRAINDICATION_SETTINGS } from '../science/contraindications.js';
import { cleanAssessment } from '../science/testing/assessment-fixture.js';
import {
  assessmentErrorKey, assessmentFieldId, assessmentFieldLabel, assessmentOf, assessmentProblemErrors, emptyAssessmentState, emptyDiscRow, findingInputId, stateOf,
  type AssessmentFormState,
} from './assessment-form-state.js';

function filled(): AssessmentFormState {
  const s = emptyAssessmentState();
  return {
    ...s,
    indications: ['degenerative-disc-disease', 'lumbar-facet-joint-pain'],
    levels: ['L5/S1', 'L4/L5'],
    side: 'right',
    painDurationMonths: '18',
    study: 'mri',
    performedOn: '2026-01-10',
    discs: [
      { level: 'L4/L5', pfirrmannGrade: '4', modicType: '1', annularFissure: 'yes', contour: 'protrusion', facetArthropathy: 'moderate' },
      { level: 'L5/S1', pfirrmannGrade: '', modicType: '', annularFissure: '', contour: '', facetArthropathy: '' },
    ],
    findingsText: '  High-intensity zone at L4/L5. ',
    physiotherapyDone: true,
    physiotherapyWeeks: '12',
    steroidInjections: [{ on: '2025-11-03', site: ' L4/L5 right facet ', level: 'L4/L5', side: 'right' }],
    surgeries: [{ on: '', description: 'Microdiscectomy', levels: ['L5/S1'] }],
    otherTreatments: '',
    medications: [{ class: 'nsaid', name: 'Naproxen', ongoing: false, lastDoseOn: '2026-02-20' }],
    plateletsKPerUl: '240',
    haemoglobinGPerDl: '13.5',
    labsTakenOn: '2026-02-01',
    conditions: { ...s.conditions, tobaccoUse: true },
    cancer: 'history',
    cancerHaematologicalOrBone: true,
    notes: '',
  };
}

describe('assessment form state', () => {
  it('builds the Assessment the API takes: numbers, booleans and nulls where the inputs hold text', () => {
    const a = assessmentOf(filled());
    expect(() => checkAssessment(a)).not.toThrow();
    expect(a).toEqual({
      indications: ['degenerative-disc-disease', 'lumbar-facet-joint-pain'],
      levels: ['L4/L5', 'L5/S1'], // cranial to caudal, whatever order they were ticked in
      side: 'right',
      painDurationMonths: 18,
      imaging: {
        study: 'mri', performedOn: '2026-01-10', findingsText: 'High-intensity zone at L4/L5.',
        discs: [
          { level: 'L4/L5', pfirrmannGrade: 4, modicType: 1, annularFissure: true, contour: 'protrusion', facetArthropathy: 'moderate' },
          { level: 'L5/S1', pfirrmannGrade: null, modicType: null, annularFissure: null, contour: null, facetArthropathy: null },
        ],
      },
      priorTreatments: {
        physiotherapy: { done: true, weeks: 12 },
        steroidInjections: [{ on: '2025-11-03', site: 'L4/L5 right facet', level: 'L4/L5', side: 'right' }],
        surgeries: [{ on: null, description: 'Microdiscectomy', levels: ['L5/S1'] }],
        other: null,
      },
      medications: [{ class: 'nsaid', name: 'Naproxen', ongoing: false, lastDoseOn: '2026-02-20' }],
      labs: { plateletsKPerUl: 240, haemoglobinGPerDl: 13.5, takenOn: '2026-02-01' },
      conditions: {
        activeSystemicInfection: false, infectionNearSite: false, bleedingDisorder: false, haemodynamicInstability: false, recentFeverOrIllness: false,
        pregnant: false, breastfeeding: false, tobaccoUse: true, contrastAllergy: false, inflammatoryArthritis: false,
        cancer: 'history', cancerHaematologicalOrBone: true,
      },
      notes: null,
    });
  });

  it('keeps Modic 0 ("none seen") and annular fissure "no" as values, not as blanks', () => {
    const s = filled();
    s.discs = [{ level: 'L3/L4', pfirrmannGrade: '2', modicType: '0', annularFissure: 'no', contour: 'normal', facetArthropathy: 'none' }];
    expect(assessmentOf(s).imaging!.discs[0]).toEqual({ level: 'L3/L4', pfirrmannGrade: 2, modicType: 0, annularFissure: false, contour: 'normal', facetArthropathy: 'none' });
    expect(stateOf(assessmentOf(s)).discs[0]).toEqual(s.discs[0]);
  });

  it('drops what a hidden input still holds: no imaging without a study, no weeks without physiotherapy, no bone-cancer flag without cancer', () => {
    const s = { ...filled(), study: '', physiotherapyDone: false, cancer: 'none' as const };
    const a = assessmentOf(s);
    expect(a.imaging).toBeNull();
    expect(a.priorTreatments.physiotherapy).toEqual({ done: false, weeks: null });
    expect(a.conditions.cancerHaematologicalOrBone).toBe(false);
  });

  it('reads a saved assessment back into the form, so a new version starts from the latest one', () => {
    const s = filled();
    const back = stateOf(assessmentOf(s));
    expect(assessmentOf(back)).toEqual(assessmentOf(s));
    expect(back.findingsText).toBe('High-intensity zone at L4/L5.');
    expect(back.levels).toEqual(['L4/L5', 'L5/S1']);
    // A stored record written before some fields existed still opens.
    const old = cleanAssessment({ side: undefined, imaging: { study: 'mri', discs: [{ level: 'L4/L5' }] } });
    const opened = stateOf(old);
    expect(opened.side).toBe('');
    expect(opened.discs[0]).toEqual({ level: 'L4/L5', pfirrmannGrade: '', modicType: '', annularFissure: '', contour: '', facetArthropathy: '' });
    expect(opened.cancerHaematologicalOrBone).toBe(false);
  });

  it('feeds the engine: a disc extrusion at a planned level and a recent steroid injection are found, at their rows', () => {
    const s = filled();
    s.discs[0]!.contour = 'extrusion';
    s.steroidInjections[0]!.on = '2026-02-25';
    s.medications[0]!.ongoing = true;
    const result = assessContraindications(assessmentOf(s), DEFAULT_CONTRAINDICATION_SETTINGS, '2026-03-10');
    const fields = [...result.absolute, ...result.relative].map((f) => f.field);
    expect(fields).toContain('imaging.discs[0].contour');
    expect(fields).toContain('priorTreatments.steroidInjections[0].on');
    // Each finding links to the input it came from; a medicine's finding names its row.
    expect(fields.map(findingInputId)).toEqual(fields.map((f) => (f === 'medications[0]' ? 'assessment-medications-0-name' : assessmentFieldId(f))));
    expect(fields).toContain('medications[0]');
    expect(findingInputId('conditions.pregnant')).toBe('assessment-conditions-pregnant');
    expect(findingInputId('plannedDate')).toBeUndefined();
  });

  it('offers the next free level for a new imaging row, the planned levels first', () => {
    expect(emptyDiscRow([], ['L4/L5']).level).toBe('L4/L5');
    expect(emptyDiscRow([{ ...emptyDiscRow([]), level: 'L4/L5' }], ['L4/L5', 'L5/S1']).level).toBe('L5/S1');
    expect(emptyDiscRow([{ ...emptyDiscRow([]), level: 'L1/L2' }]).level).toBe('L2/L3');
  });
});

describe('server problems on the assessment form', () => {
  it('puts a validator error on a nested row field, by the id of its input', () => {
    const errors = assessmentProblemErrors({
      type: 'urn:autolog:problem:invalid', title: 'The request has an invalid value', status: 400, detail: '…',
      field: 'imaging.discs[1].pfirrmannGrade',
      errors: [
        { field: 'imaging.discs[1].pfirrmannGrade', message: 'must be one of 1, 2, 3, 4, 5' },
        { field: 'priorTreatments.steroidInjections[0].on', message: 'must be a valid date (YYYY-MM-DD)' },
        { field: 'priorTreatments.steroidInjections[0].site', message: 'must not be empty' },
      ],
    });
    expect(errors).toEqual({
      fields: {
        'imaging.discs[1].pfirrmannGrade': 'Imaged level 2: Pfirrmann grade must be one of 1, 2, 3, 4, 5.',
        'priorTreatments.steroidInjections[0].on': 'Steroid injection 1: date must be a valid date (YYYY-MM-DD).',
        'priorTreatments.steroidInjections[0].site': 'Steroid injection 1: site is required.',
      },
      general: undefined,
    });
    expect(assessmentFieldId('imaging.discs[1].pfirrmannGrade')).toBe('assessment-imaging-discs-1-pfirrmannGrade');
    expect(assessmentFieldId('labs.plateletsKPerUl')).toBe('assessment-labs-plateletsKPerUl');
  });

  it('reads a science or service error that names the raw path in its message', () => {
    const science = assessmentProblemErrors({
      type: 'urn:autolog:problem:invalid', title: 'x', status: 400, field: 'medications[0].lastDoseOn',
      detail: 'medications[0].lastDoseOn must be the date of the last dose when the medicine is no longer taken',
    });
    expect(science.fields).toEqual({ 'medications[0].lastDoseOn': 'Medicine 1: last dose must be the date of the last dose when the medicine is no longer taken.' });
    const future = assessmentProblemErrors({
      type: 'urn:autolog:problem:invalid', title: 'x', status: 400, field: 'priorTreatments.surgeries[0].on', detail: 'x',
      errors: [{ field: 'priorTreatments.surgeries[0].on', message: 'priorTreatments.surgeries[0].on (2099-01-01) is in the future.' }],
    });
    expect(future.fields).toEqual({ 'priorTreatments.surgeries[0].on': 'Surgery 1: date (2099-01-01) is in the future.' });
  });

  it('sends list items to their list, and what the form does not know above the form', () => {
    expect(assessmentErrorKey('levels[2]')).toBe('levels');
    expect(assessmentErrorKey('priorTreatments.surgeries[0].levels[1]')).toBe('priorTreatments.surgeries[0].levels');
    expect(assessmentFieldLabel('priorTreatments.surgeries[0].levels[1]')).toBe('Surgery 1: levels');
    const errors = assessmentProblemErrors({
      type: 'urn:autolog:problem:invalid', title: 'x', status: 400, detail: 'd',
      errors: [{ field: 'levels[2]', message: 'must be one of L1/L2' }, { field: 'imaging.discs[0].colour', message: 'is not a known field' }],
    });
    expect(errors.fields).toEqual({ levels: 'Levels must be one of L1/L2.' });
    expect(errors.general).toBe('imaging.discs[0].colour is not a known field.');
    expect(assessmentProblemErrors({ type: 't', title: 'x', status: 409, detail: 'Someone saved this assessment at the same moment.' }))
      .toEqual({ fields: {}, general: 'Someone saved this assessment at the same moment.' });
  });
});
