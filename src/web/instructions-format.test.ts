import { describe, expect, it } from 'vitest';
import { deliveryOf, instructionDate, sendBlockedReason } from './instructions-format.js';

describe('instructions panel wording', () => {
  it('says why the instructions cannot be emailed', () => {
    expect(sendBlockedReason({ plannedProcedureOn: null, patientEmail: 'a@example.test' })).toMatch(/Plan the procedure date/);
    expect(sendBlockedReason({ plannedProcedureOn: '2026-03-10', patientEmail: null })).toMatch(/no email address/);
    expect(sendBlockedReason({ plannedProcedureOn: '2026-03-10', patientEmail: 'a@example.test' })).toBeUndefined();
  });

  it('writes dates as the patient reads them, with the year only when it differs from the procedure’s', () => {
    expect(instructionDate('2026-03-03', '2026-03-06')).toBe('Tuesday 3 March');
    expect(instructionDate('2025-12-29', '2026-01-02')).toBe('Monday 29 December 2025');
    expect(instructionDate('2026-03-06', '2026-03-06', true)).toBe('Friday 6 March 2026');
  });

  it('names the outbox state of each email', () => {
    expect(deliveryOf({ deliveryStatus: 'sent', deliveredAt: '2026-03-01T10:00:00.000Z' })).toEqual({ label: 'Delivered to the mail server', tone: 'success' });
    expect(deliveryOf({ deliveryStatus: 'pending', deliveredAt: null }).label).toBe('Waiting in the outbox');
    expect(deliveryOf({ deliveryStatus: 'failed', deliveredAt: null }).tone).toBe('danger');
    expect(deliveryOf({ deliveryStatus: null, deliveredAt: null }).label).toBe('Unknown');
  });
});
