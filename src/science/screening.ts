/**
 * The public self-screening ("Could PRP help my back pain?"): its questions, the red flags, and
 * the one rule that reads the answers. It never decides who is a candidate — only whether the
 * person should seek urgent care now, or may ask for a consultation with a clinician.
 *
 * Red flags follow the AHCPR guideline "Acute Low Back Problems in Adults" (Bigos et al. 1994,
 * Table 1: major trauma, history of cancer, fever or unexplained weight loss, saddle anaesthesia,
 * recent bladder dysfunction, severe or progressive neurological deficit) [V: NCBI Bookshelf
 * NBK52120], with bowel problems added as a sign of cauda equina compression (cauda equina
 * warning lists: faecal incontinence or reduced anal tone) [V: secondary clinical sources].
 */

export const PAIN_LOCATIONS = [
  { code: 'lower-back', label: 'Lower back' },
  { code: 'buttock', label: 'Buttock or back of the hip' },
  { code: 'leg-above-knee', label: 'Leg, above the knee' },
  { code: 'leg-below-knee', label: 'Leg, below the knee' },
  { code: 'middle-back', label: 'Middle back (between the shoulder blades)' },
  { code: 'neck', label: 'Neck' },
] as const;
export type PainLocation = (typeof PAIN_LOCATIONS)[number]['code'];

export const PAIN_DURATIONS = [
  { code: 'under-6-weeks', label: 'Less than 6 weeks' },
  { code: '6-weeks-to-3-months', label: '6 weeks to 3 months' },
  { code: '3-to-12-months', label: '3 to 12 months' },
  { code: 'over-12-months', label: 'More than a year' },
] as const;
export type PainDuration = (typeof PAIN_DURATIONS)[number]['code'];

export const TREATMENTS_TRIED = [
  { code: 'exercise-physiotherapy', label: 'Exercise or physiotherapy' },
  { code: 'pain-medication', label: 'Painkillers or anti-inflammatory medicines' },
  { code: 'manual-therapy', label: 'Chiropractic, osteopathy or massage' },
  { code: 'steroid-injection', label: 'A steroid (cortisone) injection' },
  { code: 'other-injection', label: 'Another injection or nerve procedure' },
  { code: 'surgery', label: 'Back surgery' },
  { code: 'nothing-yet', label: 'Nothing yet' },
] as const;
export type TreatmentTried = (typeof TREATMENTS_TRIED)[number]['code'];

/** Each red flag is a yes/no question that must be answered; any "yes" means urgent care, now. */
export const RED_FLAGS = [
  { code: 'bladder-bowel', question: 'Since the pain started, have you had new problems with your bladder or bowel — for example trouble passing urine, not feeling when you need to go, or leaking?', short: 'new bladder or bowel problems' },
  { code: 'saddle-numbness', question: 'Do you have numbness or tingling around your bottom, genitals or inner thighs (the area that would touch a saddle)?', short: 'numbness around the bottom, genitals or inner thighs' },
  { code: 'leg-weakness', question: 'Is one or both of your legs getting weaker — for example a foot that drags or catches, or a knee that gives way?', short: 'leg weakness that is getting worse' },
  { code: 'fever', question: 'Do you have a fever, or feel hot and shivery, as well as the back pain?', short: 'fever' },
  { code: 'weight-loss', question: 'Have you lost weight recently without trying to?', short: 'weight loss you cannot explain' },
  { code: 'cancer-history', question: 'Have you ever had cancer?', short: 'a history of cancer' },
  { code: 'trauma', question: 'Did the pain start after a serious injury, such as a fall from a height or a road accident?', short: 'a serious injury' },
] as const;
export type RedFlagCode = (typeof RED_FLAGS)[number]['code'];
export const RED_FLAG_CODES = RED_FLAGS.map((f) => f.code) as RedFlagCode[];

export interface ScreeningAnswers {
  painLocations: PainLocation[];
  duration: PainDuration;
  tried: TreatmentTried[];
}

export interface ScreeningFieldError {
  field: string;
  message: string;
}

/**
 * What the answers lead to. `urgent` wins over everything else, including missing or malformed
 * answers elsewhere: a person who said yes to a red flag is told to seek care whatever else the
 * form holds. `incomplete` lists what must be answered before anything else is shown.
 */
export type ScreeningOutcome =
  | { kind: 'urgent'; flags: RedFlagCode[] }
  | { kind: 'incomplete'; errors: ScreeningFieldError[] }
  | { kind: 'consultation'; answers: ScreeningAnswers };

const codesOf = <T extends { code: string }>(list: readonly T[]) => new Set<string>(list.map((x) => x.code));
const LOCATION_CODES = codesOf(PAIN_LOCATIONS);
const DURATION_CODES = codesOf(PAIN_DURATIONS);
const TRIED_CODES = codesOf(TREATMENTS_TRIED);

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The field name of a red flag's yes/no answer in the form. */
export function redFlagField(code: RedFlagCode): string {
  return `flag-${code}`;
}

/**
 * Reads the form as posted (`painLocations`, `duration`, `tried`, `flag-<code>` = yes|no).
 * Unknown option codes are ignored rather than reported: they can only come from a tampered form.
 */
export function screeningOutcome(form: Record<string, unknown>): ScreeningOutcome {
  const flags = RED_FLAG_CODES.filter((code) => list(form[redFlagField(code)]).includes('yes'));
  if (flags.length > 0) return { kind: 'urgent', flags };
  const errors: ScreeningFieldError[] = [];
  const painLocations = [...new Set(list(form.painLocations).filter((c) => LOCATION_CODES.has(c)))] as PainLocation[];
  if (painLocations.length === 0) errors.push({ field: 'painLocations', message: 'Tell us where the pain is (choose at least one place).' });
  const duration = list(form.duration).find((c) => DURATION_CODES.has(c)) as PainDuration | undefined;
  if (!duration) errors.push({ field: 'duration', message: 'Tell us how long you have had the pain.' });
  const tried = [...new Set(list(form.tried).filter((c) => TRIED_CODES.has(c)))] as TreatmentTried[];
  if (tried.length === 0) errors.push({ field: 'tried', message: 'Tell us what you have tried so far (or choose “Nothing yet”).' });
  for (const flag of RED_FLAGS) {
    if (!list(form[redFlagField(flag.code)]).includes('no')) errors.push({ field: redFlagField(flag.code), message: `Please answer: ${flag.question}` });
  }
  if (errors.length > 0) return { kind: 'incomplete', errors };
  return { kind: 'consultation', answers: { painLocations, duration: duration!, tried } };
}

/** Labels for stored answers (the staff app shows a lead's answers in words). */
export function describeScreeningAnswers(answers: ScreeningAnswers): { painLocations: string[]; duration: string; tried: string[] } {
  const label = <T extends { code: string; label: string }>(items: readonly T[], code: string) => items.find((i) => i.code === code)?.label ?? code;
  return {
    painLocations: answers.painLocations.map((c) => label(PAIN_LOCATIONS, c)),
    duration: label(PAIN_DURATIONS, answers.duration),
    tried: answers.tried.map((c) => label(TREATMENTS_TRIED, c)),
  };
}
