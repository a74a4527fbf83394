/**
 * autolog/science — the pure domain library: no I/O, no clock, no randomness.
 * Usable from the server, the staff app and other projects (`import … from 'autolog/science'`).
 */
export { SCIENCE_VERSION } from './version.js';
export * from './errors.js';
export * from './indications.js';
export * from './preparation-types.js';
export * from './centrifuge.js';
export * from './units.js';
export * from './preparation-metrics.js';
export * from './classifications.js';
export * from './reporting-completeness.js';
export * from './prp-systems.js';
export * from './analyser-line.js';
export * from './preparation-record.js';
export * from './instrument-scoring.js';
export * from './instrument-pgic.js';
export * from './responder.js';
export * from './statistics.js';
export * from './follow-up-schedule-calendar.js';
export * from './follow-up-schedule.js';
export * from './questionnaire.js';
export * from './instruments.js';
export * from './screening.js';
export * from './assessment.js';
export * from './contraindications.js';
export * from './procedure-instructions.js';
export * from './custody.js';
export * from './injection.js';
