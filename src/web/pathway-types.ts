/**
 * The clinical pathway's API shapes (timeline, custody, bedside check, injection), taken from the
 * server's presenters. Type-only imports: nothing of the server ends up in the browser bundle.
 */
export type { EpisodeTimeline, TimelineStep, TimelineEvent, StepState, StepCode } from '../services/pathway-overview.js';
export type { SpecimenView, VerificationView, CustodyEventView } from '../services/specimens.js';
export type { ProcedureView } from '../services/procedures.js';

/** A mismatch of the bedside check, as the 409 `identity-mismatch` problem lists them. */
export interface BedsideMismatch {
  field: string;
  message: string;
}
export type { ConsentView, TemplateView } from '../services/consents.js';
export type { Worklist, WorklistSection, WorkItem, Alert } from '../services/pathway-overview.js';
export type { AdverseEventChange, AdverseEventView } from '../services/adverse-events.js';
export type { LeadView } from '../services/leads.js';
export type { InstructionsView, InstructionSendView } from '../services/instructions.js';
export type { PathwaySettingsView } from '../services/pathway-settings.js';
