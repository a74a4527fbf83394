/**
 * Pre- and post-procedure instructions computed from the planned date and the clinic's wash-out
 * settings ("Take your last anti-inflammatory painkiller no later than Tuesday 3 March"). The
 * dates are calendar dates; `today` (the clinic's date, passed in) only marks dates already past.
 */
import type { Medication } from './assessment.js';
import type { ContraindicationSettings } from './contraindications.js';
import { addCalendarDuration, requireIsoDate } from './follow-up-schedule-calendar.js';

export interface InstructionItem {
  code: string;
  phase: 'before' | 'day-of' | 'after';
  /** The date the item is about, when it has one. */
  date: string | null;
  text: string;
  /** The date is before `today`: the patient may need to call. */
  past: boolean;
}

export interface ProcedureInstructions {
  plannedOn: string;
  items: InstructionItem[];
}

/** "Tuesday 3 March" (with the year when it differs from the procedure's). */
export function formatInstructionDate(date: string, referenceYear?: string): string {
  requireIsoDate(date, 'date');
  const sameYear = referenceYear === undefined || date.slice(0, 4) === referenceYear;
  // Assembled from parts: ICU versions differ on the comma after the weekday.
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).formatToParts(new Date(`${date}T00:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')}${sameYear ? '' : ` ${date.slice(0, 4)}`}`;
}

export function procedureInstructions(input: {
  plannedOn: string;
  settings: Pick<ContraindicationSettings, 'nsaidWashoutDays' | 'nsaidResumeDaysAfter' | 'antiplateletWashoutDays' | 'anticoagulantWashoutDays' | 'systemicSteroidWashoutDays'>;
  medications: readonly Medication[];
  today: string;
}): ProcedureInstructions {
  const plannedOn = requireIsoDate(input.plannedOn, 'plannedOn');
  const today = requireIsoDate(input.today, 'today');
  const year = plannedOn.slice(0, 4);
  const day = (offset: number) => addCalendarDuration(plannedOn, { days: offset });
  const say = (date: string) => formatInstructionDate(date, year);
  const items: InstructionItem[] = [];
  const add = (code: string, phase: InstructionItem['phase'], date: string | null, text: string) => items.push({ code, phase, date, text, past: date !== null && date < today });
  const s = input.settings;
  const taking = (cls: Medication['class']) => input.medications.filter((m) => m.class === cls && (m.ongoing || (m.lastDoseOn ?? '') >= day(-60)));

  const lastNsaid = day(-s.nsaidWashoutDays);
  // NSAIDs impair the platelets that will be concentrated (Schippinger 2015) [V]; over-the-counter doses count.
  add('nsaid-stop', 'before', lastNsaid, `Last dose of any anti-inflammatory painkiller (such as ibuprofen, naproxen, diclofenac or aspirin for pain): ${say(lastNsaid)}. Paracetamol is fine.`);
  for (const m of taking('antiplatelet')) {
    const last = day(-s.antiplateletWashoutDays);
    add('antiplatelet', 'before', last, `You take ${m.name}. Do not stop it on your own: we will agree with the doctor who prescribed it whether to pause it. If they agree, the last dose would be on ${say(last)}.`);
  }
  for (const m of taking('anticoagulant')) {
    const last = day(-s.anticoagulantWashoutDays);
    add('anticoagulant', 'before', last, `You take ${m.name}, a blood thinner. Do not stop it unless your prescribing doctor and our clinician have agreed a plan; the plan may ask for the last dose around ${say(last)}, depending on the medicine.`);
  }
  for (const m of taking('systemic-steroid')) {
    add('systemic-steroid', 'before', null, `You take ${m.name}, a steroid medicine. Do not stop it suddenly; our clinician will talk with you about it before the procedure.`);
  }
  add('day-before', 'before', day(-1), `${say(day(-1))}: drink plenty of water and eat normally. A blood sample will be taken from your arm on the day.`);
  add('day-of', 'day-of', plannedOn, `${say(plannedOn)}, the procedure: bring a list of your medicines, wear loose clothing, and arrange for someone to take you home.`);
  const resume = day(s.nsaidResumeDaysAfter);
  add('nsaid-resume', 'after', resume, `No anti-inflammatory painkillers until ${say(resume)}, so they do not blunt the treatment. Paracetamol is fine.`);
  add('soreness', 'after', null, 'Soreness for a few days is common. Avoid heavy lifting and strenuous exercise for the first 48 hours; gentle walking helps.');
  add('warning-signs', 'after', null, 'Contact us at once, or seek urgent care, if you develop a fever, redness or swelling at the injection site, pain that keeps getting worse, new numbness or weakness in a leg, or new problems with your bladder or bowel.');
  return { plannedOn, items };
}

/** The instructions as plain text, for email and print. */
export function instructionsText(instructions: ProcedureInstructions, options: { clinicName: string; patientName: string; extraBefore?: string | null; extraAfter?: string | null; updated?: boolean }): string {
  const line = (i: InstructionItem) => `- ${i.text}${i.past ? ' (This date has passed: if you have taken this medicine since, please tell us.)' : ''}`;
  const phase = (p: InstructionItem['phase']) => instructions.items.filter((i) => i.phase === p).map(line);
  return [
    `Dear ${options.patientName},`,
    '',
    options.updated
      ? `Your procedure date has changed. It is now ${formatInstructionDate(instructions.plannedOn)} ${instructions.plannedOn.slice(0, 4)}. These instructions replace the ones we sent before.`
      : `Your procedure at ${options.clinicName} is planned for ${formatInstructionDate(instructions.plannedOn)} ${instructions.plannedOn.slice(0, 4)}.`,
    '',
    'Before the procedure',
    ...phase('before'),
    ...(options.extraBefore ? [`- ${options.extraBefore}`] : []),
    '',
    'On the day',
    ...phase('day-of'),
    '',
    'After the procedure',
    ...phase('after'),
    ...(options.extraAfter ? [`- ${options.extraAfter}`] : []),
    '',
    'If anything here is unclear, or you cannot follow it, call us before the procedure.',
    '',
    options.clinicName,
  ].join('\n');
}
