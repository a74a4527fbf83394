/**
 * Every sentence of the survey pages, by language. A translation is a copy of `en` with the
 * same keys (TypeScript checks that none is missing); the patient's preferred language picks it.
 * Questionnaire wording is not here: it comes with each instrument (FHIR Questionnaire).
 */
import type { AnswerProblemKind } from '../../science/index.js';

export interface ProblemText {
  number: number;
  min?: number | undefined;
  max?: number | undefined;
}

const en = {
  lang: 'en',
  locale: 'en-GB',
  pageTitle: (what: string, clinic: string) => `${what} – ${clinic}`,
  surveyName: 'Your health questions',
  skipToContent: 'Skip to the questions',
  greeting: (name: string, timePoint: string) => `Hello ${name}. These are your ${timePoint.toLowerCase()} questions.`,
  whyWeAsk: 'We ask everyone the same questions before and after treatment, so that you and your clinician can see how you are doing.',
  progress: (current: number, total: number) => `Questionnaire ${current} of ${total}`,
  answerBy: (date: string) => `Please answer by ${date}. Your answers are saved each time you press a button, so you can stop and come back later.`,
  questionNumber: (n: number) => `Question ${n}`,
  optional: '(optional)',
  scaleEnds: (lower: string, upper: string) => `${lower}. ${upper}.`,
  conditional: (n: number) => `Only answer this if it applies given your answer to question ${n}.`,
  yes: 'Yes',
  no: 'No',
  saveAndContinue: 'Save and continue',
  saveAndFinish: 'Save and finish',
  back: 'Back',
  finishLater: 'Save and finish later',
  errorSummaryTitle: 'Please check your answers',
  problem: {
    required: (p: ProblemText) => `Please answer question ${p.number}.`,
    'out-of-range': (p: ProblemText) => `Question ${p.number}: please choose a number from ${p.min} to ${p.max}.`,
    'not-a-whole-number': (p: ProblemText) => p.min !== undefined ? `Question ${p.number}: please choose a whole number from ${p.min} to ${p.max}.` : `Question ${p.number}: please enter a whole number.`,
    'not-a-number': (p: ProblemText) => `Question ${p.number}: please enter a number.`,
    'not-an-option': (p: ProblemText) => `Question ${p.number}: please choose one of the answers shown.`,
    'not-yes-or-no': (p: ProblemText) => `Question ${p.number}: please choose yes or no.`,
    'too-long': (p: ProblemText) => `Question ${p.number}: please shorten your answer to ${p.max} characters or fewer.`,
    'unknown-question': () => 'Some of the answers sent did not belong to this page and were not saved. Please check the page and try again.',
  } satisfies Record<AnswerProblemKind, (p: ProblemText) => string>,
  licensedCopy: (clinic: string) => `This questionnaire is used under licence by ${clinic}.`,
  savedTitle: 'Your answers are saved',
  savedBody: (date: string) => `You can close this page now. To carry on, open the link in your email again — it works until ${date}.`,
  carryOnNow: 'Carry on now',
  doneTitle: (name: string) => `Thank you, ${name}`,
  doneBody: 'Your answers are saved, and your clinician can see them.',
  nextQuestions: (label: string, date: string) => `Your next questions (${label.toLowerCase()}) will be emailed to you around ${date}.`,
  progressTitle: 'Your progress',
  progressIntro: 'Each chart shows your answers over time. A lower score means less pain or less difficulty.',
  progressOnlyOne: 'After your next questions, you will see here how your answers change over time.',
  importantBand: (points: number) => `Shaded: at least ${points} point${points === 1 ? '' : 's'} better than before treatment — a change most people notice.`,
  chartSummary: (title: string, values: string) => `${title}: ${values}.`,
  /** Short axis label of a time point code ('6w' → '6 wk'). */
  shortTimePoint: (code: string, label: string) => code === 'baseline' ? 'Before' : /^\d+w$/.test(code) ? `${code.slice(0, -1)} wk` : /^\d+m$/.test(code) ? `${code.slice(0, -1)} mo` : label,
  contactTitle: 'Questions or worries?',
  contactFallback: (clinic: string) => `Please contact ${clinic}.`,
  urgentCare: 'If your pain is suddenly much worse, or you have new numbness, weakness, or problems controlling your bladder or bowels, seek urgent medical care now.',
  invalidTitle: 'We could not open this link',
  invalidBody: 'The link may be incomplete: some email programs break long links over two lines. Try copying the whole link from your email into the address bar. If it still does not work, please contact the clinic that sent it.',
  expiredTitle: 'This link has closed',
  expiredBody: 'Thank you for looking. The time for these questions has passed, so this link no longer works. You do not need to do anything: we will email you when your next questions are due.',
  stoppedTitle: 'There are no questions to answer',
  stoppedBody: 'Follow-up questions for this treatment have been stopped, so there is nothing to answer here.',
  notYetTitle: 'These questions are not open yet',
  notYetBody: (date: string) => `They open on ${date}. We will email you then.`,
  throttledTitle: 'Please wait a moment',
  throttledBody: (minutes: number) => `There have been too many attempts to open survey links from this connection. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  errorTitle: 'Something went wrong',
  errorBody: 'We could not handle that request. Please go back to the link in your email and try again.',
  optOutLink: 'I would rather not answer these questions',
  optOutTitle: 'Stop these questions?',
  optOutBody: 'If you stop, we will not email you any more questions about this treatment. Your care will not change, and you can still contact the clinic at any time.',
  optOutConfirm: 'Yes, stop the questions',
  optOutCancel: 'No, take me back',
  optedOutTitle: 'We will not send you more questions',
  optedOutBody: 'Thank you for letting us know. Your answers so far are kept with your record.',
} as const;

export type Messages = typeof en;

const CATALOGUES: Record<string, Messages> = { en };

/** The catalogue for a BCP 47 tag ('fr-CA' → 'fr'), English when there is none yet. */
export function messagesFor(language: string | null | undefined): Messages {
  const primary = (language ?? 'en').toLowerCase().split('-')[0]!;
  return CATALOGUES[primary] ?? en;
}

export function formatDate(iso: string, m: Messages): string {
  return new Intl.DateTimeFormat(m.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
}
