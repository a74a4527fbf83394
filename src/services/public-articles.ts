import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { INDICATIONS, type IndicationCode } from '../science/indications.js';
import type { ArticleRow } from '../store/schema-education.js';
import type { Database } from '../store/schema.js';
import { type PersonRef, type ReferenceView, type TagView, toSlug } from './articles.js';
import { nowIso } from './clock.js';
import type { Services } from './context.js';
import { coverImageOf, type CoverImage } from './cover-images.js';
import { escapeLike, normaliseForSearch } from './db-helpers.js';
import { renderArticleHtml } from './markdown.js';

/**
 * What the public site reads: live articles only (published, or scheduled and due), their
 * authors, tags, popular and related posts, and the server-side view counter. There is no actor:
 * everything here is public by construction, so every query goes through `isLive`.
 */

export interface SiteClinic {
  id: string;
  name: string;
  timeZone: string;
}

/**
 * The clinic the public site speaks for. One deployment serves one clinic's site: the first
 * clinic created (setup). Other clinics on the same server (a network sharing one database) use
 * the staff API only until per-host sites are needed.
 */
export async function siteClinic(services: Services): Promise<SiteClinic | null> {
  const row = await services.store.db.selectFrom('clinic').select(['id', 'name', 'time_zone']).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row ? { id: row.id, name: row.name, timeZone: row.time_zone } : null;
}

/** The one public-visibility rule, in SQL (mirrors `effectiveStatus` in articles.ts). */
function isLive(now: string) {
  return (eb: ExpressionBuilder<Database, 'article'>) => eb.and([eb('article.status', '!=', 'draft'), eb('article.publish_at', '<=', now)]);
}

export interface AuthorRef extends PersonRef {
  credentials: string | null;
}

export interface ArticleCard {
  id: string;
  slug: string;
  title: string;
  summary: string;
  publishedAt: string;
  updatedAt: string;
  author: AuthorRef;
  tags: TagView[];
  indication: IndicationCode | null;
  cover: CoverImage | null;
}

export interface PublicArticle extends ArticleCard {
  html: string;
  reviewer: AuthorRef | null;
  lastReviewedOn: string | null;
  references: ReferenceView[];
}

export function indicationLabel(code: string | null): string | null {
  if (!code || code === 'other') return null;
  return INDICATIONS.find((i) => i.code === code)?.label ?? null;
}

async function people(db: Kysely<Database>, clinicId: string, ids: string[]): Promise<Map<string, AuthorRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('staff_user')
    .leftJoin('author_profile', (j) => j.onRef('author_profile.staff_id', '=', 'staff_user.id').onRef('author_profile.clinic_id', '=', 'staff_user.clinic_id'))
    .select(['staff_user.id', 'staff_user.display_name', 'author_profile.credentials'])
    .where('staff_user.clinic_id', '=', clinicId).where('staff_user.id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.display_name, credentials: r.credentials ?? null }]));
}

async function toCards(db: Kysely<Database>, clinicId: string, rows: ArticleRow[]): Promise<ArticleCard[]> {
  if (rows.length === 0) return [];
  const authors = await people(db, clinicId, rows.map((r) => r.author_id));
  const tags = await db.selectFrom('article_tag').select(['article_id', 'tag', 'label']).where('clinic_id', '=', clinicId).where('article_id', 'in', rows.map((r) => r.id)).orderBy('label').execute();
  return rows.map((r) => ({
    id: r.id, slug: r.slug, title: r.title, summary: r.summary, publishedAt: r.publish_at ?? r.created_at, updatedAt: r.updated_at,
    author: authors.get(r.author_id) ?? { id: r.author_id, displayName: '', credentials: null },
    tags: tags.filter((t) => t.article_id === r.id).map((t) => ({ tag: t.tag, label: t.label })), indication: r.indication as IndicationCode | null,
    cover: coverImageOf(r.cover_image_path, r.cover_image_alt),
  }));
}

function liveArticles(db: Kysely<Database>, clinicId: string, now: string) {
  return db.selectFrom('article').where('article.clinic_id', '=', clinicId).where(isLive(now));
}

export interface CardPage {
  items: ArticleCard[];
  page: number;
  pageSize: number;
  total: number;
}

export async function latestArticles(services: Services, clinicId: string, options: { page?: number; pageSize?: number } = {}): Promise<CardPage> {
  const { db } = services.store;
  const now = nowIso();
  const page = Math.max(1, options.page ?? 1);
  const pageSize = Math.min(50, Math.max(1, options.pageSize ?? 10));
  const total = await liveArticles(db, clinicId, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await liveArticles(db, clinicId, now).selectAll('article').orderBy('article.publish_at', 'desc').orderBy('article.id', 'desc')
    .limit(pageSize).offset((page - 1) * pageSize).execute();
  return { items: await toCards(db, clinicId, rows), page, pageSize, total: Number(total.n) };
}

export async function publicArticle(services: Services, clinicId: string, slug: string): Promise<PublicArticle | null> {
  const { db } = services.store;
  const row = await liveArticles(db, clinicId, nowIso()).selectAll('article').where('article.slug', '=', slug).executeTakeFirst();
  if (!row) return null;
  const [card] = await toCards(db, clinicId, [row]);
  const reviewer = row.reviewer_id ? (await people(db, clinicId, [row.reviewer_id])).get(row.reviewer_id) ?? null : null;
  const references = await db.selectFrom('article_reference').select(['position', 'doi', 'pmid', 'citation']).where('clinic_id', '=', clinicId).where('article_id', '=', row.id).orderBy('position').execute();
  return { ...card!, html: renderArticleHtml(row.body_markdown), reviewer, lastReviewedOn: row.last_reviewed_on, references };
}

export async function articlesByTag(services: Services, clinicId: string, tagInput: string): Promise<{ tag: TagView; items: ArticleCard[] } | null> {
  const { db } = services.store;
  const tag = toSlug(tagInput);
  if (!tag) return null;
  const rows = await liveArticles(db, clinicId, nowIso()).selectAll('article')
    .where((eb) => eb.exists(eb.selectFrom('article_tag').select('article_tag.tag').whereRef('article_tag.article_id', '=', 'article.id').where('article_tag.clinic_id', '=', clinicId).where('article_tag.tag', '=', tag)))
    .orderBy('article.publish_at', 'desc').limit(200).execute();
  if (rows.length === 0) return null;
  const items = await toCards(db, clinicId, rows);
  const label = items[0]!.tags.find((t) => t.tag === tag)?.label ?? tag;
  return { tag: { tag, label }, items };
}

export interface AuthorPage {
  author: AuthorRef & { bio: string | null };
  written: ArticleCard[];
  reviewed: ArticleCard[];
}

/** A staff member's public page: only for people who wrote or reviewed a live article. */
export async function authorPage(services: Services, clinicId: string, staffId: string): Promise<AuthorPage | null> {
  const { db } = services.store;
  const now = nowIso();
  const written = await liveArticles(db, clinicId, now).selectAll('article').where('article.author_id', '=', staffId).orderBy('article.publish_at', 'desc').limit(200).execute();
  const reviewed = await liveArticles(db, clinicId, now).selectAll('article').where('article.reviewer_id', '=', staffId).where('article.author_id', '!=', staffId).orderBy('article.publish_at', 'desc').limit(200).execute();
  if (written.length === 0 && reviewed.length === 0) return null;
  const person = (await people(db, clinicId, [staffId])).get(staffId);
  if (!person) return null;
  const profile = await db.selectFrom('author_profile').select('bio').where('clinic_id', '=', clinicId).where('staff_id', '=', staffId).executeTakeFirst();
  return { author: { ...person, bio: profile?.bio ?? null }, written: await toCards(db, clinicId, written), reviewed: await toCards(db, clinicId, reviewed) };
}

/** Every word must appear (title, summary, tags or text); newest first. */
export async function searchArticles(services: Services, clinicId: string, text: string, options: { page?: number; pageSize?: number } = {}): Promise<CardPage> {
  const { db } = services.store;
  const page = Math.max(1, options.page ?? 1);
  const pageSize = Math.min(50, Math.max(1, options.pageSize ?? 10));
  const tokens = normaliseForSearch(text).split(' ').filter((t) => t.length > 0).slice(0, 8);
  if (tokens.length === 0) return { items: [], page, pageSize, total: 0 };
  const now = nowIso();
  const matching = () => {
    let q = liveArticles(db, clinicId, now);
    for (const token of tokens) q = q.where(sql<boolean>`article.search_text like ${`%${escapeLike(token)}%`} escape '\\'`);
    return q;
  };
  const total = await matching().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await matching().selectAll('article').orderBy('article.publish_at', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  return { items: await toCards(db, clinicId, rows), page, pageSize, total: Number(total.n) };
}

export const POPULAR_WINDOW_DAYS = 30;

export interface PopularArticle extends ArticleCard {
  views: number;
}

/** The most read live articles over the last `days` days (today included), most read first. */
export async function popularArticles(services: Services, clinicId: string, options: { days?: number; limit?: number; now?: string } = {}): Promise<PopularArticle[]> {
  const { db } = services.store;
  const now = options.now ?? nowIso();
  const days = options.days ?? POPULAR_WINDOW_DAYS;
  const since = new Date(Date.parse(now) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const ranked = await db.selectFrom('article_view_day as v')
    .innerJoin('article', 'article.id', 'v.article_id')
    .where('v.clinic_id', '=', clinicId).where('v.day', '>=', since)
    .where('article.clinic_id', '=', clinicId).where(isLive(now))
    .select((eb) => ['v.article_id', eb.fn.sum<number>('v.views').as('views')])
    .groupBy('v.article_id')
    .orderBy('views', 'desc').orderBy('v.article_id', 'desc')
    .limit(options.limit ?? 5).execute();
  if (ranked.length === 0) return [];
  const rows = await db.selectFrom('article').selectAll().where('clinic_id', '=', clinicId).where('id', 'in', ranked.map((r) => r.article_id)).execute();
  const cards = await toCards(db, clinicId, rows);
  return ranked.flatMap((r) => {
    const card = cards.find((c) => c.id === r.article_id);
    return card ? [{ ...card, views: Number(r.views) }] : [];
  });
}

/** Live articles sharing tags with this one (one point per tag) or its indication (two points). */
export async function relatedArticles(services: Services, clinicId: string, article: { id: string; indication: string | null }, limit = 3): Promise<ArticleCard[]> {
  const { db } = services.store;
  const now = nowIso();
  const score = new Map<string, number>();
  const shared = await db.selectFrom('article_tag as mine')
    .innerJoin('article_tag as other', (j) => j.onRef('other.clinic_id', '=', 'mine.clinic_id').onRef('other.tag', '=', 'mine.tag'))
    .where('mine.clinic_id', '=', clinicId).where('mine.article_id', '=', article.id).where('other.article_id', '!=', article.id)
    .select((eb) => ['other.article_id', eb.fn.countAll<number>().as('n')]).groupBy('other.article_id').execute();
  for (const s of shared) score.set(s.article_id, Number(s.n));
  if (article.indication && article.indication !== 'other') {
    const same = await liveArticles(db, clinicId, now).select('article.id').where('article.indication', '=', article.indication).where('article.id', '!=', article.id).limit(50).execute();
    for (const s of same) score.set(s.id, (score.get(s.id) ?? 0) + 2);
  }
  if (score.size === 0) return [];
  const rows = await liveArticles(db, clinicId, now).selectAll('article').where('article.id', 'in', [...score.keys()]).execute();
  rows.sort((a, b) => (score.get(b.id)! - score.get(a.id)!) || (b.publish_at ?? '').localeCompare(a.publish_at ?? ''));
  return toCards(db, clinicId, rows.slice(0, limit));
}

export interface FeedEntry extends ArticleCard {
  html: string;
}

export async function feedEntries(services: Services, clinicId: string, options: { tag?: string; limit?: number } = {}): Promise<FeedEntry[]> {
  const { db } = services.store;
  let q = liveArticles(db, clinicId, nowIso()).selectAll('article');
  if (options.tag) {
    const tag = options.tag;
    q = q.where((eb) => eb.exists(eb.selectFrom('article_tag').select('article_tag.tag').whereRef('article_tag.article_id', '=', 'article.id').where('article_tag.clinic_id', '=', clinicId).where('article_tag.tag', '=', tag)));
  }
  const rows = await q.orderBy('article.publish_at', 'desc').limit(options.limit ?? 20).execute();
  const cards = await toCards(db, clinicId, rows);
  return cards.map((c, i) => ({ ...c, html: renderArticleHtml(rows[i]!.body_markdown) }));
}

export interface SitemapData {
  articles: { slug: string; updatedAt: string }[];
  tags: string[];
  authors: string[];
}

export async function sitemapData(services: Services, clinicId: string): Promise<SitemapData> {
  const { db } = services.store;
  const now = nowIso();
  const articles = await liveArticles(db, clinicId, now).select(['article.slug', 'article.updated_at', 'article.author_id']).orderBy('article.publish_at', 'desc').limit(45_000).execute();
  const tags = await db.selectFrom('article_tag').innerJoin('article', 'article.id', 'article_tag.article_id')
    .select('article_tag.tag').distinct().where('article_tag.clinic_id', '=', clinicId).where('article.clinic_id', '=', clinicId).where(isLive(now))
    .orderBy('article_tag.tag').execute();
  return {
    articles: articles.map((a) => ({ slug: a.slug, updatedAt: a.updated_at })),
    tags: tags.map((t) => t.tag),
    authors: [...new Set(articles.map((a) => a.author_id))],
  };
}

/**
 * Counts one reading of an article: one row per article per day, incremented in place. Nothing
 * about the reader is stored — no address, no cookie, no user agent. The caller has already
 * left out bots and prefetches.
 */
export async function recordArticleView(services: Services, clinicId: string, articleId: string, now = nowIso()): Promise<void> {
  await services.store.db.insertInto('article_view_day').values({ clinic_id: clinicId, article_id: articleId, day: now.slice(0, 10), views: 1 })
    .onConflict((oc) => oc.columns(['clinic_id', 'article_id', 'day']).doUpdateSet({ views: sql<number>`article_view_day.views + 1` }))
    .execute();
}
