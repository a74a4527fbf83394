import { useState } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { STATUS_LABELS, STATUS_TONES } from '../article-form.js';
import type { ArticleView } from '../education-types.js';
import { formatInstant, fromLocalInput, toLocalInput } from '../format.js';
import { problemOf } from '../forms.js';
import type { Problem } from '../types.js';
import { Notice } from './error-summary.js';
import { TextField } from './field.js';
import { Badge } from './status.js';

interface Props {
  article: ArticleView;
  /** Unsaved changes in the form: publishing acts on the saved version, so save first. */
  dirty: boolean;
  onChange: (article: ArticleView, message: string) => void;
  /** A refusal that names a field of the main form (reviewer, review date) is shown there. */
  onProblem: (problem: Problem) => void;
}

/** Publish now, schedule for later, or take off the site. The server insists on a medical reviewer and review date. */
export function ArticlePublishing({ article, dirty, onChange, onProblem }: Props) {
  const [when, setWhen] = useState(article.status === 'scheduled' && article.publishAt ? toLocalInput(article.publishAt) : '');
  const [whenError, setWhenError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  async function act(path: 'publish' | 'unpublish', body: Record<string, unknown>, done: (a: ArticleView) => string) {
    setBusy(true);
    setWhenError(undefined);
    try {
      const saved = await api.post<ArticleView>(`/articles/${article.id}/${path}`, body);
      const message = done(saved);
      onChange(saved, message);
      announce(message);
    } catch (error) {
      const problem = problemOf(error);
      if (problem.field === 'publishAt') setWhenError(problem.detail);
      else onProblem(problem);
    } finally {
      setBusy(false);
    }
  }

  function schedule() {
    const iso = fromLocalInput(when);
    if (!iso) {
      setWhenError('Choose the date and time it should go live.');
      return;
    }
    if (Date.parse(iso) <= Date.now()) {
      setWhenError('That time has passed: choose a later one, or publish now.');
      return;
    }
    void act('publish', { publishAt: iso }, (a) => `Scheduled: it goes live on ${formatInstant(a.publishAt)}.`);
  }

  const live = article.status === 'published';
  return (
    <div className="publishing">
      <p className="publishing-status">
        <Badge tone={STATUS_TONES[article.status]}>{STATUS_LABELS[article.status]}</Badge>{' '}
        {article.status === 'draft' && 'Not on the site.'}
        {article.status === 'scheduled' && <>Goes live on {formatInstant(article.publishAt)}.</>}
        {live && <>On the site since {formatInstant(article.publishAt)}. <a href={`/articles/${article.slug}`} target="_blank" rel="noopener">View on the site<span className="visually-hidden"> (opens in a new tab)</span></a></>}
      </p>
      {dirty && <Notice kind="warning">You have unsaved changes. Publishing uses the saved version: save first.</Notice>}
      {!live && (
        <p className="hint">Publishing needs a medical reviewer and the date of their last review (under “Review and topic”): readers are told who checked the article.</p>
      )}
      <div className="form-actions">
        {!live && (
          <button type="button" className="button button-primary" disabled={busy || dirty}
            onClick={() => void act('publish', {}, () => 'Published: the article is on the site.')}>
            Publish now
          </button>
        )}
        {article.status !== 'draft' && (
          <button type="button" className="button" disabled={busy || dirty}
            onClick={() => void act('unpublish', {}, () => 'Unpublished: the article is a draft again and off the site.')}>
            Unpublish
          </button>
        )}
      </div>
      {!live && (
        <div className="schedule-row">
          <TextField
            id="article-publishAt" label={article.status === 'scheduled' ? 'Change the time it goes live' : 'Or schedule it'} type="datetime-local"
            value={when} onChange={(e) => setWhen(e.target.value)} error={whenError} min={toLocalInput(new Date().toISOString())}
            hint={`In your time zone (${zone}).`}
          />
          <button type="button" className="button" disabled={busy || dirty} onClick={schedule}>Schedule</button>
        </div>
      )}
    </div>
  );
}
