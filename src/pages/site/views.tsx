import type { ReactNode } from 'react';
import type { PublicComment } from '../../services/comments.js';
import type { CommentMode } from '../../store/schema-education.js';
import { COMMENT_LIMITS } from '../../services/comments.js';
import {
  indicationLabel, type ArticleCard, type AuthorPage as AuthorPageData, type CardPage, type PopularArticle, type PublicArticle,
} from '../../services/public-articles.js';
import type { TagView } from '../../services/articles.js';
import type { CoverImage } from '../../services/cover-images.js';
import { Layout, Time, type SiteContext } from './layout.js';

/** The public site's pages. Pure functions of their data: the routes fetch, these render. */

export const SCREENING_PATH = '/screening';
export const CONSULTATION_PATH = '/screening#consultation';

function TagList({ tags }: { tags: TagView[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tags" aria-label="Topics">
      {tags.map((t) => <li key={t.tag}><a href={`/tags/${t.tag}`}>{t.label}</a></li>)}
    </ul>
  );
}

function Cards({ items, site, headingLevel = 2 }: { items: ArticleCard[]; site: SiteContext; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul className="cards">
      {items.map((a) => (
        <li key={a.id}>
          <H><a href={`/articles/${a.slug}`}>{a.title}</a></H>
          <p>{a.summary}</p>
          <p className="meta"><Time iso={a.publishedAt} site={site} /> · {a.author.displayName}</p>
        </li>
      ))}
    </ul>
  );
}

function Popular({ items }: { items: PopularArticle[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="popular-h">
      <h2 id="popular-h">Popular posts</h2>
      <ol>{items.map((a) => <li key={a.id}><a href={`/articles/${a.slug}`}>{a.title}</a></li>)}</ol>
    </section>
  );
}

function Related({ items }: { items: ArticleCard[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="related-h">
      <h2 id="related-h">Related posts</h2>
      <ul>{items.map((a) => <li key={a.id}><a href={`/articles/${a.slug}`}>{a.title}</a></li>)}</ul>
    </section>
  );
}

function SideScreening() {
  return (
    <section aria-labelledby="side-screening-h">
      <h2 id="side-screening-h">Is PRP for you?</h2>
      <p>It depends on what causes your pain. A few questions help you decide whether a consultation is worth your time.</p>
      <p><a href={SCREENING_PATH}>Take the self-screening</a></p>
    </section>
  );
}

function Pager({ page, pageSize, total, base }: { page: number; pageSize: number; total: number; base: string }) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last === 1) return null;
  const join = base.includes('?') ? '&' : '?';
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? <a href={page === 2 ? base : `${base}${join}page=${page - 1}`} rel="prev">Newer articles</a> : <span />}
      {page < last ? <a href={`${base}${join}page=${page + 1}`} rel="next">Older articles</a> : <span />}
    </nav>
  );
}

// ---------------------------------------------------------------- home

export function HomePage({ site, latest, popular }: { site: SiteContext; latest: CardPage; popular: PopularArticle[] }) {
  return (
    <Layout
      site={site}
      meta={{
        title: site.name, path: latest.page > 1 ? `/?page=${latest.page}` : '/',
        description: `Plain-language articles from ${site.name} on back pain and platelet-rich plasma (PRP): what the research shows, what it does not, and what to expect.`,
        jsonLd: {
          '@context': 'https://schema.org', '@type': 'WebSite', name: site.name, url: `${site.publicUrl}/`,
          potentialAction: { '@type': 'SearchAction', target: `${site.publicUrl}/search?q={query}`, 'query-input': 'required name=query' },
        },
      }}
      aside={<><Popular items={popular} /><SideScreening /></>}
    >
      <h1>Back pain and PRP, explained honestly</h1>
      <p className="lede">Our clinicians write about platelet-rich plasma (PRP) for back pain: what the studies show, where the evidence is thin, and what treatment involves.</p>
      {latest.items.length === 0 ? <p>No articles have been published yet.</p> : <Cards items={latest.items} site={site} />}
      <Pager page={latest.page} pageSize={latest.pageSize} total={latest.total} base="/" />
    </Layout>
  );
}

// ---------------------------------------------------------------- article

export interface CommentFormState {
  values: { name: string; email: string; body: string };
  errors: { field: string; message: string }[];
  /** A general message (rate limit, comments closed). */
  message?: string;
}

export interface ArticlePageProps {
  site: SiteContext;
  article: PublicArticle;
  comments: PublicComment[];
  commentMode: CommentMode;
  formToken: string;
  replyTo: PublicComment | null;
  form?: CommentFormState;
  /** After a comment was sent: `received` (waits for moderation) or `published`. */
  sent?: 'received' | 'published';
  related: ArticleCard[];
  popular: PopularArticle[];
}

function referenceLinks(r: PublicArticle['references'][number]): ReactNode[] {
  const links: ReactNode[] = [];
  if (r.doi) links.push(<a key="doi" href={`https://doi.org/${r.doi}`}>doi:{r.doi}</a>);
  if (r.pmid) links.push(<a key="pmid" href={`https://pubmed.ncbi.nlm.nih.gov/${r.pmid}/`}>PubMed {r.pmid}</a>);
  return links.flatMap((l, i) => (i === 0 ? [' ', l] : [' · ', l]));
}

/**
 * The cover, sized for the text column: the column is at most 44rem wide, and on narrower
 * screens the window less the page's 1rem padding on each side. Width and height reserve the
 * space before the picture arrives, so nothing below it jumps.
 */
const COVER_SIZES = '(min-width: 46rem) 44rem, calc(100vw - 2rem)';

function Cover({ cover }: { cover: CoverImage }) {
  const srcset = (kind: 'jpeg' | 'webp') => cover.renditions.map((r) => `${r[kind]} ${r.width}w`).join(', ');
  const fallback = cover.renditions[Math.min(1, cover.renditions.length - 1)]!;
  return (
    <figure className="cover">
      <picture>
        <source type="image/webp" srcSet={srcset('webp')} sizes={COVER_SIZES} />
        <img src={fallback.jpeg} srcSet={srcset('jpeg')} sizes={COVER_SIZES} width={cover.width} height={cover.height} alt={cover.alt} decoding="async" fetchPriority="high" />
      </picture>
    </figure>
  );
}

/** Open Graph properties of a cover: the largest JPEG, which every link-preview service reads. */
function coverOg(site: SiteContext, cover: CoverImage | null): [string, string][] {
  if (!cover) return [];
  const largest = cover.renditions[cover.renditions.length - 1]!;
  return [
    ['og:image', `${site.publicUrl}${largest.jpeg}`], ['og:image:type', 'image/jpeg'], ['og:image:width', String(largest.width)],
    ['og:image:height', String(largest.height)], ['og:image:alt', cover.alt],
  ];
}

export function articleJsonLd(site: SiteContext, a: PublicArticle): object {
  const url = `${site.publicUrl}/articles/${a.slug}`;
  const person = (p: { id: string; displayName: string; credentials: string | null }) => ({
    '@type': 'Person', name: p.displayName, url: `${site.publicUrl}/authors/${p.id}`, ...(p.credentials && { description: p.credentials }),
  });
  const condition = indicationLabel(a.indication);
  return {
    '@context': 'https://schema.org',
    '@type': 'MedicalWebPage',
    '@id': url,
    url,
    name: a.title,
    headline: a.title,
    description: a.summary,
    inLanguage: 'en',
    datePublished: a.publishedAt,
    dateModified: a.updatedAt,
    ...(a.lastReviewedOn && { lastReviewed: a.lastReviewedOn }),
    ...(a.reviewer && { reviewedBy: person(a.reviewer) }),
    author: person(a.author),
    publisher: { '@type': 'MedicalClinic', name: site.name, url: `${site.publicUrl}/` },
    audience: { '@type': 'PeopleAudience', audienceType: 'Patient' },
    ...(condition && { about: { '@type': 'MedicalCondition', name: condition } }),
    ...(a.tags.length > 0 && { keywords: a.tags.map((t) => t.label).join(', ') }),
    ...(a.cover && {
      image: { '@type': 'ImageObject', url: `${site.publicUrl}${a.cover.renditions[a.cover.renditions.length - 1]!.jpeg}`, width: a.cover.width, height: a.cover.height, caption: a.cover.alt },
    }),
    ...(a.references.length > 0 && {
      citation: a.references.map((r) => ({
        '@type': 'ScholarlyArticle', name: r.citation,
        ...(r.doi && { sameAs: `https://doi.org/${r.doi}` }), ...(r.pmid && { identifier: `PMID:${r.pmid}` }),
      })),
    }),
  };
}

function CommentItem({ c, site, canReply, slug }: { c: PublicComment; site: SiteContext; canReply: boolean; slug: string }) {
  return (
    <li className={c.isStaffReply ? 'comment staff' : 'comment'} id={`comment-${c.id}`}>
      <p className="who">
        {c.authorName}
        {c.isStaffReply && <span className="badge">Clinic team</span>}
      </p>
      <p className="meta"><Time iso={c.createdAt} site={site} /></p>
      <div dangerouslySetInnerHTML={{ __html: c.html }} />
      {canReply && <p className="reply-link"><a href={`/articles/${slug}?reply=${c.id}#respond`}>Reply to {c.authorName}</a></p>}
      {c.replies.length > 0 && (
        <ul className="replies">{c.replies.map((r) => <CommentItem key={r.id} c={r} site={site} canReply={false} slug={slug} />)}</ul>
      )}
    </li>
  );
}

function FieldError({ id, errors, field }: { id: string; errors: CommentFormState['errors']; field: string }) {
  const e = errors.find((x) => x.field === field);
  return e ? <p className="field-error" id={id}>{e.message}</p> : null;
}

function CommentForm({ p }: { p: ArticlePageProps }) {
  const errors = p.form?.errors ?? [];
  const values = p.form?.values ?? { name: '', email: '', body: '' };
  const has = (f: string) => errors.some((e) => e.field === f);
  const described = (f: string, hint?: string) => [hint, has(f) ? `c-${f}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const fieldFor: Record<string, string> = { name: 'c-name', email: 'c-email', body: 'c-body', formToken: 'c-body', parentId: 'c-body' };
  return (
    <form className="comment-form" method="post" action={`/articles/${p.article.slug}/comments#respond`} id="respond" aria-labelledby="respond-h">
      <h3 id="respond-h">{p.replyTo ? `Reply to ${p.replyTo.authorName}` : 'Leave a comment'}</h3>
      {p.replyTo && <p><a href={`/articles/${p.article.slug}#respond`}>Write a new comment instead</a></p>}
      <p className="note">
        {p.commentMode === 'open-after-first-approved'
          ? 'A member of the clinic reads first comments before they appear. '
          : 'A member of the clinic reads every comment before it appears. '}
        Comments are public: please do not include personal health details, and do not ask for advice about your own treatment here — <a href={CONSULTATION_PATH}>request a consultation</a> instead.
      </p>
      {(errors.length > 0 || p.form?.message) && (
        <div className="error-summary" role="alert">
          <h3>Your comment was not sent</h3>
          {p.form?.message && <p>{p.form.message}</p>}
          {errors.length > 0 && <ul>{errors.map((e, i) => <li key={i}><a href={`#${fieldFor[e.field] ?? 'c-body'}`}>{e.message}</a></li>)}</ul>}
        </div>
      )}
      <input type="hidden" name="formToken" value={p.formToken} />
      {p.replyTo && <input type="hidden" name="parentId" value={p.replyTo.id} />}
      <div className="field">
        <label htmlFor="c-name">Name</label>
        <span className="hint" id="c-name-hint">Shown with your comment. It need not be your full name.</span>
        <input type="text" id="c-name" name="name" required maxLength={COMMENT_LIMITS.nameChars} autoComplete="nickname" defaultValue={values.name}
          aria-describedby={described('name', 'c-name-hint')} aria-invalid={has('name') || undefined} />
        <FieldError id="c-name-error" errors={errors} field="name" />
      </div>
      <div className="field">
        <label htmlFor="c-email">Email (optional)</label>
        <span className="hint" id="c-email-hint">Never shown or shared. It lets the clinic recognise you when you comment again.</span>
        <input type="email" id="c-email" name="email" maxLength={COMMENT_LIMITS.emailChars} autoComplete="email" defaultValue={values.email}
          aria-describedby={described('email', 'c-email-hint')} aria-invalid={has('email') || undefined} />
        <FieldError id="c-email-error" errors={errors} field="email" />
      </div>
      <div className="field">
        <label htmlFor="c-body">Comment</label>
        <span className="hint" id="c-body-hint">Plain text; *italics*, **bold** and up to {COMMENT_LIMITS.links} links work. At most {COMMENT_LIMITS.bodyChars} characters.</span>
        <textarea id="c-body" name="body" required maxLength={COMMENT_LIMITS.bodyChars} rows={6} defaultValue={values.body}
          aria-describedby={described('body', 'c-body-hint')} aria-invalid={has('body') || undefined} />
        <FieldError id="c-body-error" errors={errors} field="body" />
        <FieldError id="c-formToken-error" errors={errors} field="formToken" />
      </div>
      <div className="hp" aria-hidden="true">
        <label htmlFor="c-website">Leave this field empty</label>
        <input type="text" id="c-website" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>
      <button className="button" type="submit">Send comment</button>
    </form>
  );
}

export function ArticlePage(p: ArticlePageProps) {
  const { site, article: a } = p;
  const count = p.comments.reduce((n, c) => n + 1 + c.replies.length, 0);
  const og: [string, string][] = [
    ['og:type', 'article'], ['article:published_time', a.publishedAt], ['article:modified_time', a.updatedAt],
    ...a.tags.map((t): [string, string] => ['article:tag', t.label]), ...coverOg(site, a.cover),
  ];
  return (
    <Layout
      site={site}
      meta={{ title: a.title, description: a.summary, path: `/articles/${a.slug}`, og, jsonLd: articleJsonLd(site, a) }}
      aside={<><Related items={p.related} /><Popular items={p.popular} /><SideScreening /></>}
    >
      <article>
        <header>
          <TagList tags={a.tags} />
          <h1>{a.title}</h1>
          <p className="lede">{a.summary}</p>
          <p className="meta">
            By <a href={`/authors/${a.author.id}`}>{a.author.displayName}</a>{a.author.credentials && `, ${a.author.credentials}`}.
            {' '}Published <Time iso={a.publishedAt} site={site} />.
            {a.reviewer && a.lastReviewedOn && (
              <> Medically reviewed by <a href={`/authors/${a.reviewer.id}`}>{a.reviewer.displayName}</a>{a.reviewer.credentials && `, ${a.reviewer.credentials}`}, on <Time iso={a.lastReviewedOn} site={site} />.</>
            )}
          </p>
        </header>
        {a.cover && <Cover cover={a.cover} />}
        <div className="prose" dangerouslySetInnerHTML={{ __html: a.html }} />
        {a.references.length > 0 && (
          <section aria-labelledby="refs-h">
            <h2 id="refs-h">References</h2>
            <ol className="refs">
              {a.references.map((r) => <li key={r.position} id={`ref-${r.position}`}>{r.citation}{referenceLinks(r)}</li>)}
            </ol>
          </section>
        )}
        <section className="cta" aria-labelledby="cta-h">
          <h2 id="cta-h">Could PRP help your back pain?</h2>
          <p>Whether PRP is worth trying depends on what is causing your pain. Our self-screening takes a few minutes and tells you honestly whether a consultation makes sense.</p>
          <a className="button" href={SCREENING_PATH}>Could PRP help my back pain?</a>
          <a className="button secondary" href={CONSULTATION_PATH}>Request a consultation</a>
        </section>
        <p className="note">This article is general information. It is not a diagnosis or advice about your own treatment; for that, talk to a clinician who has examined you.</p>
      </article>
      <section className="comments" id="comments" aria-labelledby="comments-h">
        <h2 id="comments-h">{count === 0 ? 'Comments' : `Comments (${count})`}</h2>
        {p.sent === 'received' && <p className="notice" role="status">Thank you. Your comment will appear here once the clinic has read it.</p>}
        {p.sent === 'published' && <p className="notice" role="status">Thank you. Your comment is published.</p>}
        {p.comments.length === 0 ? <p>No comments yet.</p> : (
          <ul className="comment-list">
            {p.comments.map((c) => <CommentItem key={c.id} c={c} site={site} canReply={p.commentMode !== 'off'} slug={a.slug} />)}
          </ul>
        )}
        {p.commentMode === 'off' ? <p>Comments are closed.</p> : <CommentForm p={p} />}
      </section>
    </Layout>
  );
}

// ---------------------------------------------------------------- lists

export function TagPage({ site, tag, items, popular }: { site: SiteContext; tag: TagView; items: ArticleCard[]; popular: PopularArticle[] }) {
  const feeds = { title: `${site.name}: ${tag.label}`, rss: `/tags/${tag.tag}/feed.xml`, atom: `/tags/${tag.tag}/atom.xml` };
  return (
    <Layout site={site} meta={{ title: `Articles about ${tag.label}`, description: `Articles from ${site.name} about ${tag.label}.`, path: `/tags/${tag.tag}`, feeds }}
      aside={<><Popular items={popular} /><SideScreening /></>}>
      <h1>Articles about {tag.label}</h1>
      <Cards items={items} site={site} />
      <p className="meta">Follow this topic: <a href={feeds.rss}>RSS</a> · <a href={feeds.atom}>Atom</a></p>
    </Layout>
  );
}

export function AuthorPage({ site, data }: { site: SiteContext; data: AuthorPageData }) {
  const { author } = data;
  return (
    <Layout site={site} meta={{
      title: author.displayName, path: `/authors/${author.id}`,
      description: `${author.displayName}${author.credentials ? `, ${author.credentials}` : ''}: articles written and medically reviewed for ${site.name}.`,
      og: [['og:type', 'profile']],
      jsonLd: { '@context': 'https://schema.org', '@type': 'ProfilePage', mainEntity: { '@type': 'Person', name: author.displayName, ...(author.credentials && { description: author.credentials }) } },
    }}>
      <h1>{author.displayName}</h1>
      {author.credentials && <p className="lede">{author.credentials}</p>}
      {author.bio?.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}
      {data.written.length > 0 && <><h2>Articles by {author.displayName}</h2><Cards items={data.written} site={site} headingLevel={3} /></>}
      {data.reviewed.length > 0 && <><h2>Articles medically reviewed by {author.displayName}</h2><Cards items={data.reviewed} site={site} headingLevel={3} /></>}
    </Layout>
  );
}

export function SearchPage({ site, q, results }: { site: SiteContext; q: string; results: CardPage | null }) {
  return (
    <Layout site={site} meta={{ title: q ? `Search: ${q}` : 'Search', description: `Search the articles of ${site.name}.`, path: '/search', noindex: true }}>
      <h1>Search articles</h1>
      <form role="search" action="/search" method="get" className="field">
        <label htmlFor="q">Words to look for</label>
        <div className="search">
          <input id="q" type="search" name="q" defaultValue={q} maxLength={100} />
          <button className="button" type="submit">Search</button>
        </div>
      </form>
      {results && (
        <>
          <p role="status">{results.total === 0 ? `No articles match “${q}”.` : `${results.total} article${results.total === 1 ? '' : 's'} match “${q}”.`}</p>
          <Cards items={results.items} site={site} />
          <Pager page={results.page} pageSize={results.pageSize} total={results.total} base={`/search?q=${encodeURIComponent(q)}`} />
        </>
      )}
    </Layout>
  );
}

export function MessagePage({ site, title, message }: { site: SiteContext; title: string; message: string }) {
  return (
    <Layout site={site} meta={{ title, description: message, path: null, noindex: true }}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p><a href="/">See the latest articles</a> or use the search above.</p>
    </Layout>
  );
}
