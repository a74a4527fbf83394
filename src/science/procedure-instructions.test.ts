import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTRAINDICATION_SETTINGS } from './contraindications.js';
import { formatInstructionDate, instructionsText, procedureInstructions } from './procedure-instructions.js';

describe('procedure instructions', () => {
  it('dates the last NSAID dose from the planned date and the clinic’s wash-out', () => {
    // 2026-03-06 is a Friday; 3 days of wash-out → last dose Tuesday 3 March.
    const result = procedureInstructions({ plannedOn: '2026-03-06', settings: DEFAULT_CONTRAINDICATION_SETTINGS, medications: [], today: '2026-02-20' });
    const nsaid = result.items.find((i) => i.code === 'nsaid-stop')!;
    expect(nsaid).toMatchObject({ date: '2026-03-03', past: false });
    expect(nsaid.text).toContain('Tuesday 3 March');
    expect(result.items.find((i) => i.code === 'nsaid-resume')!.date).toBe('2026-03-13');
    expect(result.items.some((i) => i.code === 'antiplatelet')).toBe(false);
  });

  it('adds medicine-specific items and marks dates already past', () => {
    const result = procedureInstructions({
      plannedOn: '2026-03-06', settings: { ...DEFAULT_CONTRAINDICATION_SETTINGS, nsaidWashoutDays: 7 }, today: '2026-03-01',
      medications: [{ class: 'antiplatelet', name: 'Clopidogrel', ongoing: true }, { class: 'anticoagulant', name: 'Apixaban', ongoing: true }],
    });
    expect(result.items.find((i) => i.code === 'nsaid-stop')).toMatchObject({ date: '2026-02-27', past: true });
    expect(result.items.find((i) => i.code === 'antiplatelet')!.text).toContain('Do not stop it on your own');
    expect(result.items.find((i) => i.code === 'anticoagulant')!.text).toContain('Apixaban');
    const text = instructionsText(result, { clinicName: 'Harbour Spine Clinic', patientName: 'Grace Hopper', updated: true });
    expect(text).toContain('Your procedure date has changed. It is now Friday 6 March 2026.');
    expect(text).toContain('This date has passed');
  });

  it('shows the year only when it differs from the procedure’s', () => {
    expect(formatInstructionDate('2026-12-29', '2027')).toBe('Tuesday 29 December 2026');
    expect(formatInstructionDate('2027-01-02', '2027')).toBe('Saturday 2 January');
  });
});
