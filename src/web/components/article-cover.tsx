import { useState, type FormEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import type { ArticleView } from '../education-types.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import type { Problem } from '../types.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { TextField } from './field.js';

const COVER_FIELDS: Record<string, FieldInfo> = { image: { label: 'Picture' }, alt: { label: 'Alt text' } };
const fieldId = (field: string) => `cover-${field}`;

/** The upload's refusals are whole sentences (checked by the service, not by a schema): shown as they are. */
function coverErrorsOf(problem: Problem): FormErrors {
  const known = (problem.errors ?? []).filter((e) => e.field in COVER_FIELDS);
  if (known.length === 0) return formErrorsOf(problem, COVER_FIELDS);
  return { fields: Object.fromEntries(known.map((e) => [e.field, e.message])), general: undefined };
}

/**
 * The cover picture: uploaded as it is, cropped to 1.91:1 and resized by the server (which also
 * checks it really is a picture). The alt text is required: it is what a screen reader says and
 * what shows when the picture cannot load.
 */
export function ArticleCover({ article, onChange }: { article: ArticleView; onChange: (article: ArticleView) => void }) {
  const cover = article.cover;
  const [file, setFile] = useState<File | undefined>(undefined);
  const [fileKey, setFileKey] = useState(0);
  const [alt, setAlt] = useState(cover?.alt ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [confirmRemove, setConfirmRemove] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setDone(undefined);
    const form = new FormData();
    // The text field first: the server reads the parts in order.
    form.append('alt', alt);
    if (file) form.append('image', file, file.name);
    try {
      const saved = await api.upload<ArticleView>(`/articles/${article.id}/cover`, form);
      onChange(saved);
      setErrors(NO_ERRORS);
      setFile(undefined);
      setFileKey((k) => k + 1);
      setAlt(saved.cover?.alt ?? '');
      const text = file ? 'The cover picture is saved.' : 'The alt text is saved.';
      setDone(text);
      announce(text);
    } catch (error) {
      setErrors(coverErrorsOf(problemOf(error)));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setDone(undefined);
    try {
      const saved = await api.delete<ArticleView>(`/articles/${article.id}/cover`);
      onChange(saved);
      setAlt('');
      setConfirmRemove(false);
      setErrors(NO_ERRORS);
      setDone('The cover picture is removed.');
      announce('The cover picture is removed.');
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), COVER_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  const smallest = cover?.renditions[0];
  return (
    <div className="cover-editor">
      {done && <Notice kind="success">{done}</Notice>}
      {cover && smallest ? (
        <figure className="cover-current">
          <img src={smallest.webp} width={smallest.width} height={smallest.height} alt={cover.alt} />
          <figcaption className="muted small">
            {cover.renditions.map((r) => r.width).join(', ')} pixels wide · WebP and JPEG
          </figcaption>
        </figure>
      ) : (
        <p className="muted">No cover picture. Articles work without one; with one, link previews (Open Graph) show it too.</p>
      )}
      <form className="form" onSubmit={submit} noValidate aria-label="Cover picture">
        <ErrorSummary errors={errors} fieldId={fieldId} title="The cover was not saved" />
        <TextField
          key={fileKey} id={fieldId('image')} label={cover ? 'Replace with' : 'Picture'} type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
          optional={Boolean(cover)} error={errors.fields.image} onChange={(e) => setFile(e.target.files?.[0])}
          hint="JPEG, PNG or WebP, up to 8 MB and at least 480 × 252 pixels. It is cropped to 1200 × 630 (1.91:1) around its most detailed part."
        />
        <TextField
          id={fieldId('alt')} label="Alt text" value={alt} onChange={(e) => setAlt(e.target.value)} error={errors.fields.alt} maxLength={300} required
          hint="What the picture shows, for people who cannot see it, e.g. “A clinician marks the injection site on a patient’s lower back”."
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || (!file && (!cover || alt === cover.alt))}>
            {busy ? 'Saving…' : file ? 'Upload picture' : 'Save alt text'}
          </button>
          {cover && !confirmRemove && <button type="button" className="button button-quiet" disabled={busy} onClick={() => setConfirmRemove(true)}>Remove cover</button>}
          {cover && confirmRemove && (
            <span className="inline-edit" role="group" aria-label="Confirm removal">
              <span>Remove the cover picture?</span>
              <button type="button" className="button button-small button-danger" disabled={busy} onClick={() => void remove()}>Yes, remove</button>
              <button type="button" className="button button-small" onClick={() => setConfirmRemove(false)} autoFocus>Keep it</button>
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
