/**
 * The outcomes API's shapes (follow-up, worklist, summary, instruments, settings), taken from the
 * server's own presenters: type-only imports, nothing of the server reaches the bundle.
 */
export type { FollowUpView, TimePointView, ContactView, ResponseView, TreatmentFailureView, TrajectoryView, WorklistItem, WorklistReason } from '../services/follow-up.js';
export type { OutcomeSummary, InstrumentSummary, ResponderSummary, TimePointSummary } from '../services/outcome-summary.js';
export type { InstrumentView } from '../services/instruments.js';
export type { OutcomeSettings } from '../services/outcome-settings.js';
export type { Questionnaire, QuestionnaireItem } from '../science/questionnaire.js';
