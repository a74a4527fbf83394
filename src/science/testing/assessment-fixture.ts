import type { Assessment } from '../assessment.js';

/** An assessment with nothing for the contraindication engine to find; override what a test needs. */
export function cleanAssessment(overrides: Partial<Assessment> = {}): Assessment {
  return {
    indications: ['degenerative-disc-disease'], levels: ['L4/L5'], side: 'midline', painDurationMonths: 18,
    imaging: { study: 'mri', performedOn: '2026-01-10', discs: [{ level: 'L4/L5', pfirrmannGrade: 3, modicType: 0, annularFissure: true, contour: 'bulge', facetArthropathy: 'mild' }], findingsText: null },
    priorTreatments: { physiotherapy: { done: true, weeks: 12 }, steroidInjections: [], surgeries: [], other: null },
    medications: [], labs: { plateletsKPerUl: 240, haemoglobinGPerDl: 13.5, takenOn: '2026-02-01' },
    conditions: {
      activeSystemicInfection: false, infectionNearSite: false, bleedingDisorder: false, haemodynamicInstability: false, recentFeverOrIllness: false,
      cancer: 'none', pregnant: false, breastfeeding: false, tobaccoUse: false, contrastAllergy: false, inflammatoryArthritis: false,
    },
    ...overrides,
  };
}
