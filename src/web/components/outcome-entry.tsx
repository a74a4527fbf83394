import { useState, type FormEvent } from 'react';
import { optionViews, scaleLabels, helpTexts, answerableItems } from '../../science/questionnaire.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { problemOf } from '../forms.js';
import { useLoad } from '../hooks.js';
import { checkEntry, entryServerErrors, visibleLinkIds } from '../outcome-format.js';
import type { ContactView, Questionnaire, ResponseView } from '../outcome-types.js';
import { Notice } from './error-summary.js';
import { SelectField, TextAreaField } from './field.js';
import { LoadError, Loading } from './status.js';

export const CALL_OUTCOMES = [
  { code: 'reached', label: 'Reached' },
  { code: 'no-answer', label: 'No answer' },
  { code: 'declined', label: 'Declined' },
  { code: 'wrong-number', label: 'Wrong number' },
] as const;

export const CALL_OUTCOME_LABELS: Record<string, string> = Object.fromEntries(CALL_OUTCOMES.map((c) => [c.code, c.label]));

/** Logs a phone call about a time point: an optional note, then one button per outcome. */
export function CallLogger({ timePointId, what, onLogged }: { timePointId: string; what: string; onLogged: (contact: ContactView) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const noteId = `call-note-${timePointId}`;

  async function log(outcome: string) {
    setBusy(true);
    setError(undefined);
    try {
      const contact = await api.post<ContactView>(`/time-points/${timePointId}/calls`, { outcome, note: note.trim() || null });
      setNote('');
      announce(`Call logged: ${CALL_OUTCOME_LABELS[outcome]}.`);
      onLogged(contact);
    } catch (e) {
      setError(problemOf(e).detail);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="call-logger" role="group" aria-label={`Log a call: ${what}`}>
      <TextAreaField id={noteId} label="Call note" optional rows={1} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="call-buttons">
        <span className="small muted">Outcome of the call:</span>
        {CALL_OUTCOMES.map((o) => (
          <button key={o.code} type="button" className="button button-small" disabled={busy} onClick={() => void log(o.code)}>{o.label}</button>
        ))}
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}

/**
 * Answers a patient gave by phone or on paper, for one time point: choose the instrument, fill
 * the questions rendered from its Questionnaire, and send; the science library's answer check
 * runs first, so most mistakes are shown at the question before anything is sent.
 */
export function AnswerEntry({ timePointId, instruments, answered, titles, onSaved }: {
  timePointId: string;
  /** instrument codes the time point asks */
  instruments: string[];
  /** codes already completed */
  answered: string[];
  titles?: Record<string, string>;
  onSaved: (response: ResponseView) => void;
}) {
  const open = instruments.filter((c) => !answered.includes(c));
  const [code, setCode] = useState(open[0] ?? instruments[0] ?? '');
  const [mode, setMode] = useState<'phone' | 'paper'>('phone');
  const idBase = `entry-${timePointId}`;
  return (
    <div className="answer-entry">
      <div className="dense-grid">
        <SelectField id={`${idBase}-instrument`} label="Instrument" value={code} onChange={(e) => setCode(e.target.value)}>
          {instruments.map((c) => <option key={c} value={c}>{titles?.[c] ?? c}{answered.includes(c) ? ' (answered — replaces)' : ''}</option>)}
        </SelectField>
        <SelectField id={`${idBase}-mode`} label="Answers given" value={mode} onChange={(e) => setMode(e.target.value as 'phone' | 'paper')}>
          <option value="phone">By phone</option>
          <option value="paper">On paper</option>
        </SelectField>
      </div>
      {code && <QuestionnaireEntry key={code} timePointId={timePointId} code={code} mode={mode} onSaved={(r) => {
        onSaved(r);
        const next = open.find((c) => c !== code);
        if (next) setCode(next);
      }} />}
    </div>
  );
}

function QuestionnaireEntry({ timePointId, code, mode, onSaved }: { timePointId: string; code: string; mode: 'phone' | 'paper'; onSaved: (r: ResponseView) => void }) {
  const q = useLoad((signal) => api.get<Questionnaire>(`/instruments/${code}`, undefined, signal), [code]);
  if (q.error) return <LoadError problem={q.error} onRetry={q.error.status === 404 ? undefined : q.reload} />;
  if (!q.data) return <Loading label="Loading the questions…" />;
  return <QuestionnaireForm timePointId={timePointId} code={code} mode={mode} questionnaire={q.data} onSaved={onSaved} />;
}

function QuestionnaireForm({ timePointId, code, mode, questionnaire, onSaved }: { timePointId: string; code: string; mode: 'phone' | 'paper'; questionnaire: Questionnaire; onSaved: (r: ResponseView) => void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const visible = visibleLinkIds(questionnaire, values);
  const items = answerableItems(questionnaire).filter(({ item }) => visible.has(item.linkId));
  const domId = (linkId: string) => `${timePointId}-${code}-${linkId}`.replace(/[^A-Za-z0-9_-]/g, '-');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkEntry(questionnaire, values);
    setErrors(checked.errors);
    setGeneral(undefined);
    const first = Object.keys(checked.errors)[0];
    if (first) {
      setGeneral(`${Object.keys(checked.errors).length === 1 ? 'One answer needs' : `${Object.keys(checked.errors).length} answers need`} attention; nothing was sent.`);
      document.getElementById(domId(first))?.focus();
      return;
    }
    setBusy(true);
    try {
      const response = await api.post<ResponseView>(`/time-points/${timePointId}/responses`, { instrumentCode: code, mode, answers: checked.answers });
      announce(`${questionnaire.title ?? code} saved${response.score !== null ? `, score ${response.score}` : ''}.`);
      setValues({});
      onSaved(response);
    } catch (e) {
      const problem = problemOf(e);
      const spread = entryServerErrors(problem.errors);
      setErrors(spread.fields);
      setGeneral([Object.keys(spread.fields).length === 0 ? problem.detail : 'The server refused some answers; nothing was saved.', ...spread.general].join(' '));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form questionnaire-form" onSubmit={submit} noValidate aria-label={`Answers: ${questionnaire.title ?? code}`}>
      {questionnaire.description && <p className="small muted">{questionnaire.description}</p>}
      {general && <Notice kind="error">{general}</Notice>}
      <ol className="question-list">
        {items.map(({ item, number }) => {
          const id = domId(item.linkId);
          const error = errors[item.linkId];
          const errorId = error ? `${id}-error` : undefined;
          const set = (v: string) => setValues((old) => ({ ...old, [item.linkId]: v }));
          const v = values[item.linkId] ?? '';
          const scale = scaleLabels(item);
          const help = helpTexts(item);
          const hint = [scale.lower, scale.upper, ...help].filter(Boolean).join(' · ');
          const hintId = hint ? `${id}-hint` : undefined;
          const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
          return (
            <li key={item.linkId} className={`question${error ? ' field-invalid' : ''}`} value={number}>
              {item.type === 'choice' || item.type === 'boolean' ? (
                <fieldset className="fieldset-plain question-choices" aria-describedby={describedBy} id={id} tabIndex={-1}>
                  <legend className="question-text">{number}. {item.text}</legend>
                  <div className="choice-list">
                    {(item.type === 'boolean' ? [{ key: 'true', label: 'Yes' }, { key: 'false', label: 'No' }] : optionViews(item)).map((o) => (
                      <label key={o.key} className="choice">
                        <input type="radio" name={id} value={o.key} checked={v === o.key} onChange={() => set(o.key)} />
                        <span>{o.label}</span>
                      </label>
                    ))}
                  </div>
                  {error && <p className="field-error" id={errorId}><span className="visually-hidden">Error: </span>{error}</p>}
                </fieldset>
              ) : (
                <div className="field">
                  <label htmlFor={id} className="question-text">{number}. {item.text}</label>
                  {item.type === 'text' ? (
                    <textarea id={id} className="input" rows={2} value={v} onChange={(e) => set(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
                  ) : (
                    <input
                      id={id} className={`input${item.type === 'string' ? '' : ' num-input input-small'}`} value={v} onChange={(e) => set(e.target.value)}
                      inputMode={item.type === 'integer' ? 'numeric' : item.type === 'decimal' ? 'decimal' : undefined} autoComplete="off"
                      aria-invalid={error ? true : undefined} aria-describedby={describedBy}
                    />
                  )}
                  {error && <p className="field-error" id={errorId}><span className="visually-hidden">Error: </span>{error}</p>}
                </div>
              )}
              {hint && <p className="hint" id={hintId}>{hint}</p>}
            </li>
          );
        })}
      </ol>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : `Save ${questionnaire.title ?? code}`}</button>
      </div>
    </form>
  );
}
