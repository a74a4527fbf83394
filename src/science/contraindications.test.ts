import { describe, expect, it } from 'vitest';
import { CONTRAINDICATION_SETTING_SOURCES, DEFAULT_CONTRAINDICATION_SETTINGS, assessContraindications, eligibilityBlockers, resolveContraindicationSettings } from './contraindications.js';
import { cleanAssessment } from './testing/assessment-fixture.js';
import { expectInputError } from './testing/expect-input-error.js';

const S = DEFAULT_CONTRAINDICATION_SETTINGS;
const codes = (r: { absolute: { code: string }[]; relative: { code: string }[] }) => ({ absolute: r.absolute.map((f) => f.code), relative: r.relative.map((f) => f.code) });

describe('contraindication engine', () => {
  it('finds nothing in a clean assessment', () => {
    expect(assessContraindications(cleanAssessment(), S, '2026-03-06')).toEqual({ plannedDate: '2026-03-06', absolute: [], relative: [] });
  });

  it('reports absolute findings with a reason and a source', () => {
    const a = cleanAssessment({ conditions: { ...cleanAssessment().conditions, activeSystemicInfection: true, pregnant: true }, labs: { plateletsKPerUl: 40, haemoglobinGPerDl: 12, takenOn: '2026-03-01' } });
    const result = assessContraindications(a, S, '2026-03-06');
    expect(codes(result)).toEqual({ absolute: ['active-systemic-infection', 'pregnancy', 'critical-thrombocytopenia'], relative: [] });
    const platelets = result.absolute.find((f) => f.code === 'critical-thrombocytopenia')!;
    expect(platelets).toMatchObject({ severity: 'absolute', field: 'labs.plateletsKPerUl' });
    expect(platelets.reason).toContain('40');
    expect(platelets.source).toContain('Le 2018');
    expect(platelets.source).toContain('Kaufman 2015');
  });

  it('pins the checked defaults to their sources, and words the unchecked ones as clinic policy', () => {
    expect(S).toMatchObject({ plateletsAbsoluteBelowKPerUl: 50, plateletsRelativeBelowKPerUl: 100, antiplateletWashoutDays: 10, anticoagulantWashoutDays: 5, labsMaxAgeDays: 90 });
    const src = CONTRAINDICATION_SETTING_SOURCES;
    expect(src.plateletsAbsoluteBelowKPerUl.verified).toBe(true);
    expect(src.plateletsAbsoluteBelowKPerUl.source).toMatch(/Kaufman 2015.*< 50.*van Veen 2010/);
    expect(src.anticoagulantWashoutDays.verified).toBe(true);
    expect(src.anticoagulantWashoutDays.source).toMatch(/Narouze 2018.*warfarin 5 days/);
    expect(src.antiplateletWashoutDays.verified).toBe(false);
    expect(src.labsMaxAgeDays.verified).toBe(false);
    for (const [key, { source, verified }] of Object.entries(src)) {
      // "Clinic policy" is how an unchecked default says so; a checked one names what it was checked against.
      if (verified) expect(source, key).not.toMatch(/^Clinic policy/);
      else expect(source, key).toMatch(/^Clinic policy/);
    }
  });

  it('takes thresholds from the clinic’s settings', () => {
    const a = cleanAssessment({ labs: { plateletsKPerUl: 90, haemoglobinGPerDl: 9.5, takenOn: '2026-03-01' } });
    expect(codes(assessContraindications(a, S, '2026-03-06'))).toEqual({ absolute: [], relative: ['thrombocytopenia', 'anaemia'] });
    expect(codes(assessContraindications(a, { ...S, plateletsRelativeBelowKPerUl: 80, haemoglobinRelativeBelowGPerDl: 9 }, '2026-03-06'))).toEqual({ absolute: [], relative: [] });
    expect(codes(assessContraindications(a, { ...S, plateletsAbsoluteBelowKPerUl: 95 }, '2026-03-06')).absolute).toEqual(['critical-thrombocytopenia']);
  });

  it('checks NSAID wash-out against the planned date: N whole days between the last dose and the procedure', () => {
    const nsaid = (lastDoseOn: string) => cleanAssessment({ medications: [{ class: 'nsaid', name: 'Ibuprofen', ongoing: false, lastDoseOn }] });
    expect(assessContraindications(nsaid('2026-03-03'), S, '2026-03-06').relative).toEqual([]);
    const late = assessContraindications(nsaid('2026-03-04'), S, '2026-03-06').relative;
    expect(late.map((f) => f.code)).toEqual(['nsaid']);
    expect(late[0]!.reason).toContain('2 days before');
    expect(late[0]!.field).toBe('medications[0]');
    const ongoing = assessContraindications(cleanAssessment({ medications: [{ class: 'nsaid', name: 'Naproxen', ongoing: true }] }), { ...S, nsaidWashoutDays: 7 }, '2026-03-06').relative[0]!;
    expect(ongoing.reason).toContain('on or before 2026-02-27');
    const undated = assessContraindications(cleanAssessment({ medications: [{ class: 'anticoagulant', name: 'Apixaban', ongoing: true }] }), S, null).relative[0]!;
    expect(undated).toMatchObject({ code: 'anticoagulant' });
    expect(undated.reason).toContain('not set');
  });

  it('reports recent steroid injections, surgery, stale and missing labs', () => {
    const a = cleanAssessment({
      priorTreatments: { physiotherapy: { done: false }, steroidInjections: [{ on: '2026-02-20', site: 'L4/L5 epidural', level: 'L4/L5' }, { on: '2025-06-01', site: 'SI joint' }], surgeries: [{ on: '2025-12-01', description: 'microdiscectomy', levels: ['L5/S1'] }] },
      labs: { plateletsKPerUl: 250, haemoglobinGPerDl: null, takenOn: '2025-10-01' },
    });
    const result = assessContraindications(a, S, '2026-03-06');
    expect(codes(result).relative).toEqual(['labs-missing', 'labs-old', 'steroid-injection', 'recent-spine-surgery']);
    expect(result.relative[2]!.reason).toContain('at a level to be treated');
  });

  it('lets a clinic escalate a relative finding, never relax an absolute one', () => {
    const a = cleanAssessment({ conditions: { ...cleanAssessment().conditions, cancer: 'history', tobaccoUse: true } });
    expect(codes(assessContraindications(a, S, '2026-03-06'))).toEqual({ absolute: [], relative: ['cancer', 'tobacco'] });
    expect(codes(assessContraindications(a, { ...S, escalateToAbsolute: ['cancer'] }, '2026-03-06'))).toEqual({ absolute: ['cancer'], relative: ['tobacco'] });
    expectInputError(() => resolveContraindicationSettings({ escalateToAbsolute: ['pregnancy'] as never }), 'settings.escalateToAbsolute[0]');
    expectInputError(() => resolveContraindicationSettings({ nsaidWashoutDays: 2.5 }), 'settings.nsaidWashoutDays');
    expectInputError(() => resolveContraindicationSettings({ plateletsAbsoluteBelowKPerUl: 120 }), 'settings.plateletsAbsoluteBelowKPerUl');
  });

  it('flags an extruded disc at a planned level for intradiscal treatment', () => {
    const a = cleanAssessment({ imaging: { study: 'mri', discs: [{ level: 'L4/L5', contour: 'extrusion' }, { level: 'L2/L3', contour: 'sequestration' }] } });
    expect(codes(assessContraindications(a, S, '2026-03-06')).relative).toEqual(['disc-extrusion']);
  });

  it('refuses impossible input, naming the field', () => {
    expectInputError(() => assessContraindications(cleanAssessment({ imaging: { study: 'mri', discs: [{ level: 'L4/L5', pfirrmannGrade: 6 as never }] } }), S, null), 'imaging.discs[0].pfirrmannGrade');
    expectInputError(() => assessContraindications(cleanAssessment({ indications: [] }), S, null), 'indications');
    expectInputError(() => assessContraindications(cleanAssessment({ labs: { haemoglobinGPerDl: 135 } }), S, null), 'labs.haemoglobinGPerDl');
    expectInputError(() => assessContraindications(cleanAssessment({ medications: [{ class: 'nsaid', name: 'x', ongoing: false }] }), S, null), 'medications[0].lastDoseOn');
    expectInputError(() => assessContraindications(cleanAssessment(), S, '2026-02-30'), 'plannedDate');
  });

  it('says what blocks an eligible decision', () => {
    const result = assessContraindications(cleanAssessment({ conditions: { ...cleanAssessment().conditions, infectionNearSite: true, tobaccoUse: true } }), S, '2026-03-06');
    expect(eligibilityBlockers(result, [], null).map((b) => b.field)).toEqual(['overrideReason', 'acknowledgedFindings']);
    expect(eligibilityBlockers(result, ['tobacco'], 'too short').map((b) => b.field)).toEqual(['overrideReason']);
    expect(eligibilityBlockers(result, ['tobacco'], 'Skin lesion healed at review; swab negative, dermatology agrees.')).toEqual([]);
  });
});
