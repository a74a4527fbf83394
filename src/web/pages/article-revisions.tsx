import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Notice } from '../components/error-summary.js';
import { SelectField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { LoadError, Loading } from '../components/status.js';
import type { ArticleView, RevisionSummary, RevisionView } from '../education-types.js';
import { formatInstant } from '../format.js';
import { problemOf } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { diffCounts, lineDiff, withContext } from '../line-diff.js';
import { useSession } from '../session.js';
import '../education.css';

/** An article's saved revisions: compare any two (a line diff of every field) and restore an old one. */
export function ArticleRevisionsPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { meta } = useSession();
  const [params, setParams] = useSearchParams();
  const article = useLoad((signal) => api.get<ArticleView>(`/articles/${id}`, undefined, signal), [id]);
  const revisions = useLoad((signal) => api.get<RevisionSummary[]>(`/articles/${id}/revisions`, undefined, signal), [id]);
  const [restoring, setRestoring] = useState<number | undefined>(undefined);
  const [restoreError, setRestoreError] = useState<string | undefined>(undefined);
  useTitle('Revisions');

  const list = revisions.data ?? [];
  const latest = list[0];
  // Default: the latest against the one before it. The address bar keeps the choice.
  const newer = list.find((r) => String(r.revision) === params.get('b')) ?? latest;
  const older = list.find((r) => String(r.revision) === params.get('a')) ?? list.find((r) => newer && r.revision < newer.revision) ?? newer;

  async function restore(revision: RevisionSummary) {
    setRestoring(revision.revision);
    setRestoreError(undefined);
    try {
      const restored = await api.post<ArticleView>(`/article-revisions/${revision.id}/restore`);
      announce(`Revision ${revision.revision} restored.`);
      navigate(`/articles/${id}`, { state: { flash: `Revision ${revision.revision} is current again, saved as revision ${restored.revision}. Nothing was lost: every earlier revision is kept.` } });
    } catch (error) {
      setRestoreError(problemOf(error).detail);
      setRestoring(undefined);
    }
  }

  const error = article.error ?? revisions.error;
  return (
    <>
      <PageHeader title="Revisions" eyebrow={<Link to={`/articles/${id}`}>{article.data?.title ?? 'Article'}</Link>} />
      {error && <LoadError problem={error} onRetry={error.status === 404 ? undefined : () => { article.reload(); revisions.reload(); }} />}
      {!error && !revisions.data && <Loading label="Loading revisions…" />}
      {restoreError && <Notice kind="error">{restoreError}</Notice>}
      {revisions.data && (
        <>
          <section className="panel" aria-labelledby="revisions-list">
            <div className="panel-header">
              <h2 id="revisions-list" className="panel-title">Saved revisions <span className="count">{list.length}</span></h2>
              <span className="panel-note">A new revision is kept every time the title, summary, text, tags, references or indication change.</span>
            </div>
            <DataTable<RevisionSummary>
              caption="Revisions, newest first"
              captionHidden
              rows={list}
              rowKey={(r) => r.id}
              empty="No revisions."
              columns={[
                { header: 'Revision', rowHeader: true, cell: (r) => <>Revision {r.revision}{r === latest && <span className="muted"> (current)</span>}</> },
                { header: 'Saved', cell: (r) => formatInstant(r.createdAt), className: 'nowrap' },
                { header: 'By', cell: (r) => r.createdBy.displayName },
                { header: 'Title', cell: (r) => <>{r.title}{r.restoredFrom !== null && <div className="muted small">Restored from revision {r.restoredFrom}</div>}</> },
                {
                  header: 'Actions', className: 'actions-cell',
                  cell: (r) => (
                    <span className="row-actions">
                      {newer && r.revision !== newer.revision && (
                        <button type="button" className="button button-small button-quiet" onClick={() => setParams({ a: String(r.revision), b: String(newer.revision) }, { replace: true })}
                          aria-label={`Compare revision ${r.revision} with revision ${newer.revision}`}>
                          Compare
                        </button>
                      )}
                      {r !== latest && (
                        <button type="button" className="button button-small" disabled={restoring !== undefined} onClick={() => void restore(r)} aria-label={`Restore revision ${r.revision}`}>
                          {restoring === r.revision ? 'Restoring…' : 'Restore'}
                        </button>
                      )}
                    </span>
                  ),
                },
              ]}
            />
          </section>
          {older && newer && (
            <section className="panel" aria-labelledby="compare-title">
              <div className="panel-header">
                <h2 id="compare-title" className="panel-title">Compare</h2>
                <div className="compare-pickers">
                  <SelectField id="compare-a" label="Older" value={String(older.revision)} onChange={(e) => setParams({ a: e.target.value, b: String(newer.revision) }, { replace: true })}>
                    {list.map((r) => <option key={r.id} value={r.revision}>Revision {r.revision}</option>)}
                  </SelectField>
                  <SelectField id="compare-b" label="Newer" value={String(newer.revision)} onChange={(e) => setParams({ a: String(older.revision), b: e.target.value }, { replace: true })}>
                    {list.map((r) => <option key={r.id} value={r.revision}>Revision {r.revision}</option>)}
                  </SelectField>
                </div>
              </div>
              <Comparison olderId={older.id} newerId={newer.id} indicationLabel={(code) => meta?.indications.find((i) => i.code === code)?.label ?? code ?? 'General'} />
            </section>
          )}
        </>
      )}
    </>
  );
}

function Comparison({ olderId, newerId, indicationLabel }: { olderId: string; newerId: string; indicationLabel: (code: string | null) => string }) {
  const pair = useLoad(async (signal) => Promise.all([
    api.get<RevisionView>(`/article-revisions/${olderId}`, undefined, signal),
    api.get<RevisionView>(`/article-revisions/${newerId}`, undefined, signal),
  ]), [olderId, newerId]);
  const [a, b] = pair.data ?? [];
  const sections = useMemo(() => {
    if (!a || !b) return [];
    const refs = (r: RevisionView) => r.references.map((x, i) => `[${i + 1}] ${x.citation}${x.doi ? ` · doi:${x.doi}` : ''}${x.pmid ? ` · PMID ${x.pmid}` : ''}`).join('\n');
    return [
      { name: 'Title', diff: lineDiff(a.title, b.title) },
      { name: 'Summary', diff: lineDiff(a.summary, b.summary) },
      { name: 'Text', diff: lineDiff(a.bodyMarkdown, b.bodyMarkdown) },
      { name: 'References', diff: lineDiff(refs(a), refs(b)) },
      { name: 'Tags', diff: lineDiff(a.tags.join('\n'), b.tags.join('\n')) },
      { name: 'Related indication', diff: lineDiff(indicationLabel(a.indication), indicationLabel(b.indication)) },
    ];
  }, [a, b]);
  const changed = sections.filter((s) => diffCounts(s.diff).added + diffCounts(s.diff).removed > 0);
  useEffect(() => {
    if (a && b) announce(changed.length === 0 ? 'The two revisions are the same.' : `${changed.length} ${changed.length === 1 ? 'part differs' : 'parts differ'}.`);
  }, [a, b]);

  if (pair.error) return <div className="panel-body"><LoadError problem={pair.error} onRetry={pair.reload} /></div>;
  if (!a || !b) return <div className="panel-body"><Loading label="Loading the two revisions…" /></div>;
  return (
    <div className="panel-body">
      <p className="muted">
        Revision {a.revision} ({formatInstant(a.createdAt)}, {a.createdBy.displayName}) → revision {b.revision} ({formatInstant(b.createdAt)}, {b.createdBy.displayName}).
        {' '}<span className="diff-key"><del>removed</del> <ins>added</ins></span>
      </p>
      {changed.length === 0 && <p>The two revisions have the same content.</p>}
      {changed.map((s) => {
        const counts = diffCounts(s.diff);
        return (
          <section key={s.name} className="diff-section" aria-label={`${s.name}: ${counts.removed} lines removed, ${counts.added} added`}>
            <h3 className="diff-title">{s.name} <span className="muted small">−{counts.removed} +{counts.added}</span></h3>
            <div className="diff" role="list">
              {withContext(s.diff, 2).map((line, i) => {
                if (line.kind === 'gap') return <div key={i} className="diff-gap" role="listitem">… {line.lines} unchanged {line.lines === 1 ? 'line' : 'lines'} …</div>;
                const Tag = line.kind === 'added' ? 'ins' : line.kind === 'removed' ? 'del' : 'span';
                return (
                  <div key={i} className={`diff-line diff-${line.kind}`} role="listitem">
                    <span className="diff-num" aria-hidden="true">{line.before ?? ''}</span>
                    <span className="diff-num" aria-hidden="true">{line.after ?? ''}</span>
                    <span className="diff-sign" aria-hidden="true">{line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}</span>
                    <Tag className="diff-text">
                      {line.kind !== 'same' && <span className="visually-hidden">{line.kind === 'added' ? 'Added: ' : 'Removed: '}</span>}
                      {line.text || '\u00a0'}
                    </Tag>
                  </div>
                );
              })}
            </div>
          </section>
        );
      })}
    </div>
  );
}
