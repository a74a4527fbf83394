import { useEffect, useState } from 'react';
import { api } from '../api.js';
import type { ReferenceDraft } from '../article-form.js';
import type { ArticlePreview as PreviewResult } from '../education-types.js';
import { problemOf } from '../forms.js';
import { useDebounced } from '../hooks.js';

/** Typing pauses this long before the text is rendered again. */
const PREVIEW_DELAY_MS = 400;

/**
 * The text as the public page will show it: rendered by the server's own Markdown pipeline
 * (POST /articles/preview, which also sanitises it), with the numbered references under it.
 */
export function ArticlePreview({ title, markdown, references }: { title: string; markdown: string; references: ReferenceDraft[] }) {
  const settled = useDebounced(markdown, PREVIEW_DELAY_MS);
  const [result, setResult] = useState<PreviewResult | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(true);

  useEffect(() => {
    let current = true;
    setBusy(true);
    api.post<PreviewResult>('/articles/preview', { bodyMarkdown: settled }).then(
      (r) => {
        if (!current) return;
        setResult(r);
        setError(undefined);
        setBusy(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(problemOf(e).detail);
        setBusy(false);
      },
    );
    return () => {
      current = false;
    };
  }, [settled]);

  const stale = busy || settled !== markdown;
  const cited = references.filter((r) => r.citation.trim() !== '');
  return (
    <div className="article-preview-frame" aria-busy={stale || undefined}>
      <div className="article-preview-bar">
        <span>Preview</span>
        <span className="muted small" role="status">{stale ? 'Updating…' : 'Up to date'}</span>
      </div>
      <div className="article-preview">
        {/* Not a heading: the screen has one h1, the article’s title in the page header. */}
        {title.trim() && <p className="article-preview-title">{title}</p>}
        {error && <p className="error-text">{error}</p>}
        {/* Sanitised by the server (sanitize-html allow-list), exactly as on the public page. */}
        {result && <div dangerouslySetInnerHTML={{ __html: result.html }} />}
        {cited.length > 0 && (
          <>
            <h2>References</h2>
            <ol className="article-preview-refs">
              {references.map((r) => <li key={r.key}>{r.citation || <span className="muted">(no citation yet)</span>}</li>)}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
