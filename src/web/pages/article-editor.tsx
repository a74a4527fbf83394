import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { STATUS_LABELS, STATUS_TONES, articleBody, isDirty, valuesOf, type ArticleValues, type ReferenceDraft } from '../article-form.js';
import { ArticleCover } from '../components/article-cover.js';
import { ArticlePreview } from '../components/article-preview.js';
import { ArticlePublishing } from '../components/article-publishing.js';
import { ArticleReferences } from '../components/article-references.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import type { ArticleView } from '../education-types.js';
import { formatInstant, todayIso } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { danglingMarkers, insertText, marker } from '../references.js';
import { useSession } from '../session.js';
import type { Problem, StaffView } from '../types.js';
import '../education.css';

const fieldId = (field: string) => `article-${field.replace(/\./g, '-')}`;

const BASE_FIELDS: Record<string, FieldInfo> = {
  title: { label: 'Title' },
  slug: { label: 'Address', patternHint: 'The address takes lower-case letters, digits and single hyphens, e.g. prp-for-disc-pain.' },
  summary: { label: 'Summary' },
  bodyMarkdown: { label: 'Text' },
  tags: { label: 'Tags' },
  indication: { label: 'Related indication' },
  authorId: { label: 'Author' },
  reviewerId: { label: 'Medical reviewer' },
  lastReviewedOn: { label: 'Last reviewed' },
};

/** The form's fields, references included (their errors name `references.2.doi`). */
function fieldsFor(references: number): Record<string, FieldInfo> {
  const fields: Record<string, FieldInfo> = { ...BASE_FIELDS };
  for (let i = 0; i < Math.max(references, 1); i++) {
    fields[`references.${i}.citation`] = { label: `Citation ${i + 1}` };
    fields[`references.${i}.doi`] = { label: `Reference ${i + 1}: DOI`, patternHint: `Reference ${i + 1}: a DOI starts with “10.” and has a slash, e.g. 10.1016/j.pmrj.2015.08.010.` };
    fields[`references.${i}.pmid`] = { label: `Reference ${i + 1}: PMID`, patternHint: `Reference ${i + 1}: a PubMed id is digits only.` };
  }
  for (let i = 0; i < 12; i++) fields[`tags.${i}`] = { label: 'A tag' };
  return fields;
}

/** `references[2].doi` (the API's notation) → `references.2.doi` (this form's field names). */
const dotted = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

/** Errors of single tags (`tags.3`) are shown at the one tags field. */
function errorsOf(problem: Problem, references: number): FormErrors {
  const normalised: Problem = {
    ...problem, ...(problem.field && { field: dotted(problem.field) }), ...(problem.errors && { errors: problem.errors.map((e) => ({ ...e, field: dotted(e.field) })) }),
  };
  const errors = formErrorsOf(normalised, fieldsFor(references));
  const fields: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors.fields)) fields[field.startsWith('tags.') ? 'tags' : field] ??= message;
  return { fields, general: errors.general };
}

/** /articles/new and /articles/:id — write, preview, reference, review, illustrate and publish an article. */
export function ArticleEditorPage() {
  const { id } = useParams();
  const loaded = useLoad((signal) => (id ? api.get<ArticleView>(`/articles/${id}`, undefined, signal) : Promise.resolve(undefined)), [id]);
  const staff = useLoad((signal) => api.get<StaffView[]>('/staff', undefined, signal), []);
  useTitle(id ? (loaded.data ? `Edit: ${loaded.data.title}` : 'Article') : 'New article');

  if (id && loaded.error) {
    return (
      <>
        <PageHeader title={loaded.error.status === 404 ? 'Article not found' : 'Article'} eyebrow={<Link to="/articles">Articles</Link>} />
        <LoadError problem={loaded.error} onRetry={loaded.error.status === 404 ? undefined : loaded.reload} />
      </>
    );
  }
  if ((id && !loaded.data) || !staff.data) {
    return (
      <>
        <PageHeader title={id ? 'Article' : 'New article'} eyebrow={<Link to="/articles">Articles</Link>} />
        {staff.error ? <LoadError problem={staff.error} onRetry={staff.reload} /> : <Loading label="Loading the article…" />}
      </>
    );
  }
  // A new key per article: the form starts afresh when another article opens.
  return <ArticleEditor key={loaded.data?.id ?? 'new'} initial={loaded.data} staff={staff.data} />;
}

function ArticleEditor({ initial, staff }: { initial: ArticleView | undefined; staff: StaffView[] }) {
  const { session, meta, roleLabel } = useSession();
  const me = session?.user.id ?? '';
  const navigate = useNavigate();
  const location = useLocation();
  const flash = (location.state as { flash?: string } | null)?.flash;
  const [article, setArticle] = useState<ArticleView | undefined>(initial);
  const [values, setValues] = useState<ArticleValues>(() => valuesOf(initial, me));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>(flash);
  const [conflict, setConflict] = useState<string | undefined>(undefined);
  const dirty = useMemo(() => isDirty(values, article, me), [values, article, me]);

  // Leaving (closing the tab, reloading) with unsaved text asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const set = (key: Exclude<keyof ArticleValues, 'references'>) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));

  async function save() {
    setBusy(true);
    setMessage(undefined);
    try {
      if (!article) {
        const created = await api.post<ArticleView>('/articles', articleBody(values));
        announce('The draft is saved.');
        navigate(`/articles/${created.id}`, { replace: true, state: { flash: 'The draft is saved. Add a cover picture and publish it below when it is ready.' } });
        return;
      }
      const saved = await api.patch<ArticleView>(`/articles/${article.id}`, articleBody(values, article.revision));
      const text = saved.revision !== article.revision ? `Saved as revision ${saved.revision}.` : 'Saved.';
      setArticle(saved);
      setValues(valuesOf(saved, me));
      setErrors(NO_ERRORS);
      setConflict(undefined);
      setMessage(text);
      announce(text);
    } catch (error) {
      const problem = problemOf(error);
      if (problem.status === 409 && problem.field === 'revision') {
        setErrors(NO_ERRORS);
        setConflict(problem.detail);
      } else {
        setErrors(errorsOf(problem, values.references.length));
      }
    } finally {
      setBusy(false);
    }
  }

  async function reloadLatest() {
    if (!article) return;
    setBusy(true);
    try {
      const latest = await api.get<ArticleView>(`/articles/${article.id}`);
      setArticle(latest);
      setValues(valuesOf(latest, me));
      setConflict(undefined);
      setErrors(NO_ERRORS);
      setMessage(`Showing revision ${latest.revision}, saved by someone else. Make your change again and save.`);
    } catch (error) {
      setErrors(errorsOf(problemOf(error), values.references.length));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save();
  }

  /** Ctrl+S / ⌘S saves, as in any editor. */
  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (!busy) void save();
    }
  }

  function cite(position: number) {
    const area = document.getElementById(fieldId('bodyMarkdown')) as HTMLTextAreaElement | null;
    const start = area?.selectionStart ?? values.bodyMarkdown.length;
    const end = area?.selectionEnd ?? start;
    const next = insertText(values.bodyMarkdown, start, end, marker(position));
    setValues((v) => ({ ...v, bodyMarkdown: next.text }));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(next.caret, next.caret);
    });
    announce(`Marker ${marker(position)} added to the text.`);
  }

  const activeStaff = staff.filter((s) => s.active);
  const withCurrent = (list: StaffView[], current: string) => (current && !list.some((s) => s.id === current) ? [...list, ...staff.filter((s) => s.id === current)] : list);
  const authors = withCurrent(activeStaff, values.authorId);
  const reviewers = withCurrent(activeStaff.filter((s) => s.role === 'clinician' || s.role === 'admin'), values.reviewerId);
  const dangling = danglingMarkers(values.bodyMarkdown, values.references.length);
  const e = errors.fields;

  return (
    <>
      <PageHeader title={article ? article.title : 'New article'} eyebrow={<Link to="/articles">Articles</Link>}>
        {article && <Link className="button" to={`/articles/${article.id}/revisions`}>Revisions</Link>}
        {article?.status === 'published' && (
          <a className="button button-quiet" href={`/articles/${article.slug}`} target="_blank" rel="noopener">View on the site<span className="visually-hidden"> (opens in a new tab)</span></a>
        )}
      </PageHeader>
      {article && (
        <p className="page-subtitle">
          <span><Badge tone={STATUS_TONES[article.status]}>{STATUS_LABELS[article.status]}</Badge></span>
          <span>Revision {article.revision}</span>
          <span>Last changed {formatInstant(article.updatedAt)}</span>
          <span className="mono">/articles/{article.slug}</span>
        </p>
      )}
      {message && !conflict && <Notice kind="success">{message}</Notice>}
      {conflict && (
        <div className="notice notice-warning" role="alert">
          <p><strong>Someone else saved this article while you were editing.</strong> {conflict}</p>
          <p>Your changes are still in the form below but are not saved: copy anything you want to keep before loading the latest version.</p>
          <button type="button" className="button button-small" onClick={() => void reloadLatest()} disabled={busy}>Load the latest version</button>
        </div>
      )}

      <form onSubmit={submit} onKeyDown={onKeyDown} noValidate className="form article-form" aria-label={article ? 'Edit article' : 'New article'}>
        <ErrorSummary errors={errors} fieldId={fieldId} title={article ? 'The changes were not saved' : 'The draft was not saved'} />

        <section className="panel panel-padded" aria-labelledby="text-title">
          <h2 id="text-title" className="panel-title">Text</h2>
          <div className="form-grid">
            <TextField id={fieldId('title')} label="Title" value={values.title} onChange={set('title')} error={e.title} required maxLength={200} className="span-2" autoFocus={!article} />
            <TextAreaField
              id={fieldId('summary')} label="Summary" value={values.summary} onChange={set('summary')} error={e.summary} required maxLength={400} rows={2}
              className="span-2" hint="One or two sentences: shown under the title, in search results and in feeds."
            />
            <TextField
              id={fieldId('slug')} label="Address" value={values.slug} onChange={set('slug')} error={e.slug} optional={!article} maxLength={120}
              spellCheck={false} autoComplete="off" inputClassName="mono"
              hint={article ? 'The page is at /articles/ followed by this. Changing it breaks links people have saved.' : 'Left empty, it is made from the title.'}
            />
          </div>
          <div className="editor-grid">
            <div className="editor-source">
              <TextAreaField
                id={fieldId('bodyMarkdown')} label="Text (Markdown)" value={values.bodyMarkdown} onChange={set('bodyMarkdown')} error={e.bodyMarkdown}
                rows={22} className="markdown-field" spellCheck
                hint={<>## for a section heading, **bold**, *italics*, - for a list. Cite reference 1 with [^1] (or use “Cite” below). Ctrl+S saves.</>}
              />
              {dangling.length > 0 && (
                <Notice kind="warning">
                  The text cites {dangling.map((n) => marker(n)).join(', ')}, but there {values.references.length === 1 ? 'is' : 'are'} {values.references.length === 0 ? 'no references' : `only ${values.references.length}`}. Add the reference or correct the marker: the article cannot be saved like this.
                </Notice>
              )}
            </div>
            <ArticlePreview title={values.title} markdown={values.bodyMarkdown} references={values.references} />
          </div>
        </section>

        <section className="panel panel-padded" aria-labelledby="refs-title">
          <h2 id="refs-title" className="panel-title">References <span className="count">{values.references.length}</span></h2>
          <ArticleReferences
            references={values.references} text={values.bodyMarkdown} errors={e} fieldId={fieldId} onCite={cite}
            onChange={(references: ReferenceDraft[], text: string) => setValues((v) => ({ ...v, references, bodyMarkdown: text }))}
          />
        </section>

        <section className="panel panel-padded" aria-labelledby="review-title">
          <h2 id="review-title" className="panel-title">Review and topic</h2>
          <div className="form-grid">
            <SelectField id={fieldId('authorId')} label="Author" value={values.authorId} onChange={set('authorId')} error={e.authorId} required
              hint={<>Shown with their credentials: <Link to={`/author-profile?staff=${values.authorId}`}>edit the author profile</Link>.</>}>
              {authors.map((s) => <option key={s.id} value={s.id}>{s.displayName} ({roleLabel(s.role)}){s.active ? '' : ' — deactivated'}</option>)}
            </SelectField>
            <TextField id={fieldId('tags')} label="Tags" value={values.tags} onChange={set('tags')} error={e.tags} optional placeholder="Disc pain, Evidence"
              hint="Separated by commas; each tag has its own page and feed." />
            <SelectField id={fieldId('reviewerId')} label="Medical reviewer" value={values.reviewerId} onChange={set('reviewerId')} error={e.reviewerId} optional
              hint="A clinician or administrator who checked the medical content. Needed to publish.">
              <option value="">Not reviewed yet</option>
              {reviewers.map((s) => <option key={s.id} value={s.id}>{s.displayName} ({roleLabel(s.role)})</option>)}
            </SelectField>
            <TextField id={fieldId('lastReviewedOn')} label="Last reviewed" type="date" value={values.lastReviewedOn} onChange={set('lastReviewedOn')} error={e.lastReviewedOn}
              optional max={todayIso()} hint="The day the reviewer last checked it. Needed to publish." />
            <SelectField id={fieldId('indication')} label="Related indication" value={values.indication} onChange={set('indication')} error={e.indication} optional
              hint="The cause of back pain the article is about: links it to related articles (and, later, the clinic’s results).">
              <option value="">General (no single cause)</option>
              {meta?.indications.map((i) => <option key={i.code} value={i.code}>{i.label}</option>)}
            </SelectField>
          </div>
        </section>

        <div className="save-bar">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : article ? 'Save changes' : 'Save draft'}</button>
          {!article && <Link className="button button-quiet" to="/articles">Cancel</Link>}
          <span className="muted small" role="status">{dirty ? 'Unsaved changes' : article ? 'All changes saved' : ''}</span>
        </div>
      </form>

      {article && (
        <div className="article-side-panels">
          <section className="panel panel-padded" aria-labelledby="publishing-title">
            <h2 id="publishing-title" className="panel-title">Publishing</h2>
            <ArticlePublishing
              article={article} dirty={dirty}
              onChange={(next, text) => { setArticle(next); setMessage(text); setErrors(NO_ERRORS); }}
              onProblem={(problem) => { setMessage(undefined); setErrors(errorsOf(problem, values.references.length)); }}
            />
          </section>
          <section className="panel panel-padded" aria-labelledby="cover-title">
            <h2 id="cover-title" className="panel-title">Cover picture</h2>
            <ArticleCover article={article} onChange={(next) => setArticle(next)} />
          </section>
        </div>
      )}
    </>
  );
}
