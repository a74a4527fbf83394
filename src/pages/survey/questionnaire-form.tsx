import type { ReactNode } from 'react';
import {
  answerableItems, enableState, helpTexts, itemRange, optionViews, scaleLabels,
  type AnswerProblem, type Answers, type Questionnaire, type QuestionnaireItem,
} from '../../science/index.js';
import type { Messages } from './messages.js';

/**
 * Renders any FHIR Questionnaire as plain HTML form fields — no script: a radio group per choice
 * (fieldset + legend), a row of large tiles for a 0–10 rating, text inputs for numbers and text.
 * Field names are `a:<linkId>`. Items switched off by enableWhen are left out; items whose
 * condition waits on an answer on the same page are shown with the condition spelt out.
 */

const ANSWER_PREFIX = 'a:';

/** Largest integer range shown as tiles (0–10 is 11 tiles). */
const MAX_TILES = 11;

interface Props {
  questionnaire: Questionnaire;
  values: Readonly<Record<string, unknown>>;
  problems: readonly AnswerProblem[];
  m: Messages;
}

export function problemMessage(p: AnswerProblem, m: Messages): string {
  return m.problem[p.kind]({ number: p.number, min: p.min, max: p.max });
}

export function QuestionnaireFields({ questionnaire, values, problems, m }: Props): ReactNode {
  const numbers = new Map(answerableItems(questionnaire).map((n) => [n.item.linkId, n.number]));
  const answers = values as Answers;
  const render = (items: readonly QuestionnaireItem[] | undefined): ReactNode[] => (items ?? []).map((item) => {
    if (enableState(item, answers) === 'disabled') return null;
    if (item.type === 'group') {
      return (
        <section key={item.linkId}>
          {item.text && <h2>{item.text}</h2>}
          {render(item.item)}
        </section>
      );
    }
    if (item.type === 'display') return <p key={item.linkId} className="lead">{item.text}</p>;
    const number = numbers.get(item.linkId) ?? 0;
    const pendingOn = enableState(item, answers) === 'pending' ? numbers.get(item.enableWhen?.[0]?.question ?? '') : undefined;
    return (
      <Question key={item.linkId} item={item} number={number} value={values[item.linkId]} problem={problems.find((p) => p.linkId === item.linkId)} pendingOn={pendingOn} m={m}>
        {render(item.item?.filter((child) => child.type !== 'display'))}
      </Question>
    );
  });
  return <>{render(questionnaire.item)}</>;
}

interface QuestionProps {
  item: QuestionnaireItem;
  number: number;
  value: unknown;
  problem: AnswerProblem | undefined;
  pendingOn: number | undefined;
  m: Messages;
  children: ReactNode;
}

function Question({ item, number, value, problem, pendingOn, m, children }: QuestionProps): ReactNode {
  const id = `q${number}`;
  const name = `${ANSWER_PREFIX}${item.linkId}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const { lower, upper } = scaleLabels(item);
  const hints = [...(pendingOn ? [m.conditional(pendingOn)] : []), ...helpTexts(item)];
  // The ends of a scale are shown under the tiles; screen readers get them in the hint instead.
  const ends = lower && upper ? m.scaleEnds(lower, upper) : null;
  const describedBy = [hints.length || ends ? hintId : '', problem ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const current = value === undefined || value === null ? '' : String(value);
  const legend = (
    <>
      <span className="num">{m.questionNumber(number)}{item.required ? '' : ` ${m.optional}`}</span>
      {item.text}
    </>
  );
  const hint = (hints.length > 0 || ends) && (
    <p className="hint" id={hintId}>{hints.join(' ')}{ends && <span className="vh">{hints.length ? ' ' : ''}{ends}</span>}</p>
  );
  const error = problem && <p className="error-text" id={errorId}>{problemMessage(problem, m)}</p>;
  const { min, max } = itemRange(item);

  if (item.type === 'integer' && min !== undefined && max !== undefined && max - min + 1 <= MAX_TILES) {
    const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    return (
      <div id={id} className={problem ? 'question invalid' : 'question'}><fieldset aria-describedby={describedBy}>
        <legend>{legend}</legend>
        {hint}
        {error}
        <div className="scale">
          {values.map((v) => (
            <label className="tile" key={v}>
              <input type="radio" name={name} value={v} defaultChecked={current === String(v)} aria-invalid={problem ? true : undefined} />
              <span>{v}</span>
            </label>
          ))}
        </div>
        {lower && upper && <p className="ends" aria-hidden="true"><span>{lower}</span><span>{upper}</span></p>}
        {children}
      </fieldset></div>
    );
  }

  if (item.type === 'choice' || item.type === 'boolean') {
    const options = item.type === 'boolean' ? [{ key: 'true', label: m.yes }, { key: 'false', label: m.no }] : optionViews(item);
    return (
      <div id={id} className={problem ? 'question invalid' : 'question'}><fieldset aria-describedby={describedBy}>
        <legend>{legend}</legend>
        {hint}
        {error}
        <div className="options">
          {options.map((o) => (
            <label className="option" key={o.key}>
              <input type="radio" name={name} value={o.key} defaultChecked={current === o.key} aria-invalid={problem ? true : undefined} />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
        {children}
      </fieldset></div>
    );
  }

  const inputId = `${id}-input`;
  const maxLength = item.maxLength ?? undefined;
  return (
    <div id={id} className={problem ? 'question invalid' : 'question'}>
      <label className="field" htmlFor={inputId}>{legend}</label>
      {hint}
      {error}
      {item.type === 'text'
        ? <textarea id={inputId} name={name} rows={4} maxLength={maxLength} defaultValue={current} aria-describedby={describedBy} aria-invalid={problem ? true : undefined} />
        : <input id={inputId} name={name} type="text" defaultValue={current} maxLength={maxLength}
          inputMode={item.type === 'integer' ? 'numeric' : item.type === 'decimal' ? 'decimal' : undefined}
          autoComplete="off" aria-describedby={describedBy} aria-invalid={problem ? true : undefined} />}
      {children}
    </div>
  );
}

/** Answers posted by the form: the `a:`-prefixed fields, first value of each. */
export function answersFromForm(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (!key.startsWith(ANSWER_PREFIX)) continue;
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === 'string') out[key.slice(ANSWER_PREFIX.length)] = value;
  }
  return out;
}
