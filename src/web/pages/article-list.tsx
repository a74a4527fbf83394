import { useEffect, type FormEvent } from 'react';
import { Link } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { STATUS_LABELS, STATUS_TONES } from '../article-form.js';
import { DataTable } from '../components/data-table.js';
import { SelectField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Pager } from '../components/pager.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import type { ArticleStatus, ArticleSummary } from '../education-types.js';
import { formatInstant } from '../format.js';
import { useAddressSearch, useLoad, useTitle } from '../hooks.js';
import type { Page } from '../types.js';
import '../education.css';

const PAGE_SIZE = 25;
const STATUSES: ArticleStatus[] = ['draft', 'scheduled', 'published'];

/** The clinic's articles, last changed first; filtered by status and searched by words. The address bar holds the filter. */
export function ArticleListPage() {
  useTitle('Articles');
  const { params, q, page, text, setText, update } = useAddressSearch();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as ArticleStatus) : '';

  const result = useLoad((signal) => api.get<Page<ArticleSummary>>('/articles', { q, status, page, pageSize: PAGE_SIZE }, signal), [q, status, page]);
  const total = result.data?.total;
  useEffect(() => {
    if (total !== undefined) announce(`${total} ${total === 1 ? 'article' : 'articles'}`);
  }, [total, q, status]);

  const filtered = Boolean(q || status);
  return (
    <>
      <PageHeader title="Articles">
        <Link className="button button-quiet" to="/author-profile">Author profile</Link>
        <Link className="button button-primary" to="/articles/new">New article</Link>
      </PageHeader>
      <form role="search" aria-label="Articles" className="search-bar" onSubmit={(e: FormEvent) => { e.preventDefault(); update({ q: text.trim(), page: '' }); }}>
        <TextField
          id="articles-q" label="Words" type="search" value={text} onChange={(e) => setText(e.target.value)}
          placeholder="title, tag or text" autoComplete="off" className="search-text"
        />
        <SelectField id="articles-status" label="Status" value={status} onChange={(e) => update({ status: e.target.value, page: '' })} className="search-date">
          <option value="">All</option>
          {STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
        </SelectField>
        {filtered && (
          <button type="button" className="button button-quiet search-clear" onClick={() => { setText(''); update({ q: '', status: '', page: '' }); }}>Clear</button>
        )}
      </form>
      {result.error && <LoadError problem={result.error} onRetry={result.reload} />}
      {result.data && (
        <section aria-labelledby="articles-results" className="panel">
          <div className="panel-header">
            <h2 id="articles-results" className="panel-title">
              {filtered ? 'Matching articles' : 'All articles'}
              <span className="count">{result.data.total}</span>
            </h2>
            <span className="panel-note">Last changed first · views over the last 30 days</span>
          </div>
          <DataTable<ArticleSummary>
            caption={filtered ? 'Articles matching the filter' : 'All articles, last changed first'}
            captionHidden
            busy={result.loading}
            rows={result.data.items}
            rowKey={(a) => a.id}
            empty={filtered ? 'No article matches. Try other words or another status.' : 'No articles yet. Write the first one with “New article”.'}
            columns={[
              { header: 'Title', rowHeader: true, cell: (a) => <><Link to={`/articles/${a.id}`}>{a.title}</Link><div className="muted small mono">/articles/{a.slug}</div></> },
              {
                header: 'Status',
                cell: (a) => <><Badge tone={STATUS_TONES[a.status]}>{STATUS_LABELS[a.status]}</Badge>{a.status !== 'draft' && a.publishAt && <div className="muted small">{formatInstant(a.publishAt)}</div>}</>,
              },
              { header: 'Author', cell: (a) => a.author.displayName },
              { header: 'Tags', cell: (a) => (a.tags.length > 0 ? a.tags.join(', ') : null) },
              { header: 'Changed', cell: (a) => formatInstant(a.updatedAt), className: 'nowrap' },
              { header: 'Views', cell: (a) => a.viewsLast30Days.toLocaleString(), className: 'num' },
              {
                header: 'Waiting comments', className: 'num',
                cell: (a) => (a.pendingComments > 0 ? <Link to="/comments" aria-label={`${a.pendingComments} waiting: moderate comments`}><Badge tone="warning">{a.pendingComments}</Badge></Link> : null),
              },
            ]}
          />
          <Pager page={result.data.page} pageSize={result.data.pageSize} total={result.data.total} onPage={(n) => update({ page: n === 1 ? '' : String(n) })} />
        </section>
      )}
      {!result.data && !result.error && <Loading label="Loading articles…" />}
    </>
  );
}
