import { formatInstructionDate } from '../science/procedure-instructions.js';
import type { InstructionSendView, InstructionsView } from './pathway-types.js';

/** The episode page's instructions panel: headings, labels and the reason a send is not possible. */

export const INSTRUCTION_PHASES = [
  { phase: 'before', title: 'Before the procedure' },
  { phase: 'day-of', title: 'On the day' },
  { phase: 'after', title: 'After the procedure' },
] as const;

export const SEND_REASON_LABELS: Record<InstructionSendView['reason'], string> = {
  initial: 'First send',
  resend: 'Sent again',
  'date-changed': 'Procedure date changed',
};

type Tone = 'neutral' | 'success' | 'warning' | 'danger';

/** The outbox state of a sent email, in words. */
export function deliveryOf(send: Pick<InstructionSendView, 'deliveryStatus' | 'deliveredAt'>): { label: string; tone: Tone } {
  switch (send.deliveryStatus) {
    case 'sent': return { label: 'Delivered to the mail server', tone: 'success' };
    case 'failed': return { label: 'Failed', tone: 'danger' };
    case 'pending': return { label: 'Waiting in the outbox', tone: 'neutral' };
    case 'sending': return { label: 'Sending', tone: 'neutral' };
    default: return { label: 'Unknown', tone: 'warning' };
  }
}

/** "Tuesday 3 March", with the year when it is not the procedure's (or always, with `withYear`). */
export function instructionDate(date: string, plannedOn: string, withYear = false): string {
  if (withYear) return `${formatInstructionDate(date)} ${date.slice(0, 4)}`;
  return formatInstructionDate(date, plannedOn.slice(0, 4));
}

/** Why "Send by email" is disabled, or undefined when it may be sent. */
export function sendBlockedReason(view: Pick<InstructionsView, 'plannedProcedureOn' | 'patientEmail'>): string | undefined {
  if (view.plannedProcedureOn === null) return 'Plan the procedure date first: the instructions are dated from it.';
  if (!view.patientEmail) return 'The patient has no email address: add one on the patient record, or print the instructions and hand them over.';
  return undefined;
}
