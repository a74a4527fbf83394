import { sql } from 'kysely';
import type { IndicationCode } from '../science/indications.js';
import type { ArticleRevisionRow, ArticleRow, ArticleStatus } from '../store/schema-education.js';
import { fromJson, toJson } from '../store/json.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso, todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { coverImageOf, deleteCoverFiles, type CoverImage } from './cover-images.js';
import { escapeLike, inTransaction, isUniqueViolation, normaliseForSearch, type Trx } from './db-helpers.js';
import { ServiceError, forbidden, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { citedReferences, markdownToText, renderArticleHtml } from './markdown.js';
import { assertCan, can } from './permissions.js';
import type { Page } from './patients.js';

/** Staff use cases for the clinic's articles: write, revise, restore, publish, schedule, delete. */

export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'scheduled', 'published'];

/** Size limits, shared by the API schemas and the service (one place). */
export const ARTICLE_LIMITS = {
  slugChars: 120,
  titleChars: 200,
  summaryChars: 400,
  /** About 15,000 words: far beyond a patient article, well under the request size limit. */
  bodyChars: 100_000,
  tags: 12,
  tagChars: 40,
  references: 80,
  citationChars: 1000,
  credentialsChars: 200,
  bioChars: 2000,
} as const;

export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** DOI syntax: "10." + registrant code + "/" + suffix (DOI Handbook §2.2). */
export const DOI_PATTERN = '^10\\.\\d{4,9}/\\S+$';
export const PMID_PATTERN = '^[1-9]\\d{0,8}$';

export interface ReferenceInput {
  doi?: string | null;
  pmid?: string | null;
  citation: string;
}

export interface ReferenceView {
  position: number;
  doi: string | null;
  pmid: string | null;
  citation: string;
}

export interface TagView {
  tag: string;
  label: string;
}

export interface ArticleFields {
  slug?: string;
  title: string;
  summary: string;
  bodyMarkdown: string;
  tags?: string[];
  references?: ReferenceInput[];
  indication?: IndicationCode | null;
  /** Defaults to the actor. */
  authorId?: string;
  reviewerId?: string | null;
  lastReviewedOn?: string | null;
}

export interface PersonRef {
  id: string;
  displayName: string;
}

export interface ArticleView {
  id: string;
  slug: string;
  title: string;
  summary: string;
  bodyMarkdown: string;
  /** Effective status: a scheduled article whose time has come is `published`. */
  status: ArticleStatus;
  publishAt: string | null;
  author: PersonRef;
  reviewer: PersonRef | null;
  lastReviewedOn: string | null;
  indication: IndicationCode | null;
  tags: TagView[];
  references: ReferenceView[];
  /** Set by the cover upload (article-covers.ts), outside the revisions. */
  cover: CoverImage | null;
  revision: number;
  /** Where the public reads it (once published). */
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface ArticleSummary {
  id: string;
  slug: string;
  title: string;
  status: ArticleStatus;
  publishAt: string | null;
  author: PersonRef;
  tags: string[];
  revision: number;
  updatedAt: string;
  viewsLast30Days: number;
  pendingComments: number;
}

export interface RevisionSummary {
  id: string;
  articleId: string;
  revision: number;
  title: string;
  createdAt: string;
  createdBy: PersonRef;
  restoredFrom: number | null;
}

export interface RevisionView extends RevisionSummary {
  summary: string;
  bodyMarkdown: string;
  indication: IndicationCode | null;
  tags: string[];
  references: ReferenceInput[];
}

/** The one rule for "the public can see it": published, or scheduled and its time has come. */
export function effectiveStatus(row: Pick<ArticleRow, 'status' | 'publish_at'>, now = nowIso()): ArticleStatus {
  if (row.status === 'scheduled' && row.publish_at !== null && row.publish_at <= now) return 'published';
  return row.status;
}

/** `Disc pain` → `disc-pain`: the URL form of a tag or a title. */
export function toSlug(text: string): string {
  return normaliseForSearch(text).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export function articleUrl(services: Services, slug: string): string {
  return `${services.config.publicUrl}/articles/${slug}`;
}

function normaliseTags(labels: string[]): TagView[] {
  const seen = new Map<string, TagView>();
  labels.forEach((raw, i) => {
    const label = raw.trim().replace(/\s+/g, ' ');
    const tag = toSlug(label);
    if (!tag) throw invalid(`tags[${i}]`, `The tag "${raw}" has no letters or digits.`);
    if (!seen.has(tag)) seen.set(tag, { tag, label });
  });
  return [...seen.values()];
}

function normaliseReferences(refs: ReferenceInput[]): ReferenceInput[] {
  return refs.map((r) => ({ doi: r.doi?.trim() || null, pmid: r.pmid?.trim() || null, citation: r.citation.trim().replace(/\s+/g, ' ') }));
}

/** Every `[^n]` in the text must name one of the references. */
function checkCitations(bodyMarkdown: string, referenceCount: number): void {
  const dangling = citedReferences(bodyMarkdown).filter((n) => n < 1 || n > referenceCount);
  if (dangling.length > 0) {
    throw invalid('bodyMarkdown', `The text cites ${dangling.map((n) => `[^${n}]`).join(', ')} but the article has ${referenceCount === 0 ? 'no references' : `only ${referenceCount} reference${referenceCount === 1 ? '' : 's'}`}. Add the reference or correct the marker.`);
  }
}

function checkReviewDate(date: string | null | undefined): void {
  if (date && date > todayIso()) throw invalid('lastReviewedOn', 'The last review date is in the future.');
}

function searchText(title: string, summary: string, tags: TagView[], bodyMarkdown: string): string {
  return normaliseForSearch(`${title} ${summary} ${tags.map((t) => t.label).join(' ')} ${markdownToText(bodyMarkdown)}`);
}

function slugTaken(slug: string): ServiceError {
  return new ServiceError('conflict', `Another article of this clinic already uses the address /articles/${slug}. Choose a different slug.`, { field: 'slug' });
}

async function staffOfClinic(trx: Trx, clinicId: string, id: string, field: string, roles?: readonly string[]): Promise<PersonRef> {
  const row = await trx.selectFrom('staff_user').select(['id', 'display_name', 'role', 'active']).where('id', '=', id).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!row) throw invalid(field, 'No staff member with that id in this clinic.');
  if (row.active !== 1) throw invalid(field, `${row.display_name}’s account is deactivated.`);
  if (roles && !roles.includes(row.role)) throw invalid(field, `${row.display_name} cannot be the medical reviewer: the reviewer must be a clinician or an administrator.`);
  return { id: row.id, displayName: row.display_name };
}

const REVIEWER_ROLES = ['clinician', 'admin'] as const;

async function loadArticle(trx: Trx, clinicId: string, id: string): Promise<ArticleRow> {
  const row = await trx.selectFrom('article').selectAll().where('id', '=', id).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!row) throw notFound('article');
  return row;
}

async function presentArticle(services: Services, trx: Trx, row: ArticleRow): Promise<ArticleView> {
  const people = await trx.selectFrom('staff_user').select(['id', 'display_name']).where('clinic_id', '=', row.clinic_id)
    .where('id', 'in', [row.author_id, ...(row.reviewer_id ? [row.reviewer_id] : [])]).execute();
  const person = (id: string): PersonRef => ({ id, displayName: people.find((p) => p.id === id)?.display_name ?? '' });
  const tags = await trx.selectFrom('article_tag').select(['tag', 'label']).where('clinic_id', '=', row.clinic_id).where('article_id', '=', row.id).orderBy('label').execute();
  const refs = await trx.selectFrom('article_reference').select(['position', 'doi', 'pmid', 'citation']).where('clinic_id', '=', row.clinic_id).where('article_id', '=', row.id).orderBy('position').execute();
  return {
    id: row.id, slug: row.slug, title: row.title, summary: row.summary, bodyMarkdown: row.body_markdown, status: effectiveStatus(row), publishAt: row.publish_at,
    author: person(row.author_id), reviewer: row.reviewer_id ? person(row.reviewer_id) : null, lastReviewedOn: row.last_reviewed_on,
    indication: row.indication as IndicationCode | null, tags, references: refs, cover: coverImageOf(row.cover_image_path, row.cover_image_alt),
    revision: row.revision, url: articleUrl(services, row.slug),
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

async function replaceTags(trx: Trx, clinicId: string, articleId: string, tags: TagView[]): Promise<void> {
  await trx.deleteFrom('article_tag').where('clinic_id', '=', clinicId).where('article_id', '=', articleId).execute();
  if (tags.length > 0) await trx.insertInto('article_tag').values(tags.map((t) => ({ clinic_id: clinicId, article_id: articleId, tag: t.tag, label: t.label }))).execute();
}

async function replaceReferences(trx: Trx, clinicId: string, articleId: string, refs: ReferenceInput[]): Promise<void> {
  await trx.deleteFrom('article_reference').where('clinic_id', '=', clinicId).where('article_id', '=', articleId).execute();
  // Chunked under SQLite's bound-parameter limit.
  for (let i = 0; i < refs.length; i += 50) {
    await trx.insertInto('article_reference').values(refs.slice(i, i + 50).map((r, j) => ({
      id: newId(), clinic_id: clinicId, article_id: articleId, position: i + j + 1, doi: r.doi ?? null, pmid: r.pmid ?? null, citation: r.citation,
    }))).execute();
  }
}

async function insertRevision(trx: Trx, actor: Actor, row: ArticleRow, tags: TagView[], refs: ReferenceInput[], restoredFrom: number | null): Promise<void> {
  await trx.insertInto('article_revision').values({
    id: newId(), clinic_id: row.clinic_id, article_id: row.id, revision: row.revision, title: row.title, summary: row.summary, body_markdown: row.body_markdown,
    indication: row.indication, tags_json: toJson(tags.map((t) => t.label)) ?? '[]', references_json: toJson(refs) ?? '[]',
    created_by: actor.userId, created_by_label: actor.label, restored_from: restoredFrom, created_at: row.updated_at,
  }).execute();
}

export async function createArticle(services: Services, actor: Actor, input: ArticleFields): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  const slug = input.slug ?? toSlug(input.title).slice(0, 80).replace(/-+$/, '');
  if (!slug) throw invalid('slug', 'The title has no letters or digits to make an address from; give a slug.');
  const tags = normaliseTags(input.tags ?? []);
  const refs = normaliseReferences(input.references ?? []);
  checkCitations(input.bodyMarkdown, refs.length);
  checkReviewDate(input.lastReviewedOn);
  const now = nowIso();
  try {
    return await inTransaction(store, async (trx) => {
      const author = input.authorId ?? actor.userId;
      await staffOfClinic(trx, actor.clinicId, author, 'authorId');
      if (input.reviewerId) await staffOfClinic(trx, actor.clinicId, input.reviewerId, 'reviewerId', REVIEWER_ROLES);
      const taken = await trx.selectFrom('article').select('id').where('clinic_id', '=', actor.clinicId).where('slug', '=', slug).executeTakeFirst();
      if (taken) throw slugTaken(slug);
      const row: ArticleRow = {
        id: newId(), clinic_id: actor.clinicId, slug, title: input.title.trim(), summary: input.summary.trim(), body_markdown: input.bodyMarkdown,
        status: 'draft', publish_at: null, author_id: author, reviewer_id: input.reviewerId ?? null, last_reviewed_on: input.lastReviewedOn ?? null,
        indication: input.indication ?? null, cover_image_path: null, cover_image_alt: null,
        search_text: searchText(input.title, input.summary, tags, input.bodyMarkdown), revision: 1, created_at: now, updated_at: now,
      };
      await trx.insertInto('article').values(row).execute();
      await replaceTags(trx, actor.clinicId, row.id, tags);
      await replaceReferences(trx, actor.clinicId, row.id, refs);
      await insertRevision(trx, actor, row, tags, refs, null);
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'article', entityId: row.id, detail: { slug } });
      return presentArticle(services, trx, row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(slug);
    throw error;
  }
}

export async function getArticle(services: Services, actor: Actor, id: string): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  return inTransaction(services.store, async (trx) => presentArticle(services, trx, await loadArticle(trx, actor.clinicId, id)));
}

export interface ArticleUpdate extends Partial<ArticleFields> {
  /** The revision the editor started from: a newer one saved meanwhile answers 409 instead of being overwritten. */
  revision?: number;
}

const CONTENT_FIELDS = ['title', 'summary', 'body_markdown', 'indication'] as const;

export async function updateArticle(services: Services, actor: Actor, id: string, input: ArticleUpdate): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  checkReviewDate(input.lastReviewedOn);
  try {
    return await inTransaction(store, async (trx) => {
      const current = await loadArticle(trx, actor.clinicId, id);
      if (input.revision !== undefined && input.revision !== current.revision) {
        throw new ServiceError('conflict', `This article was changed since you opened it (you edited revision ${input.revision}; the latest is ${current.revision}). Reload it, then make your change again.`, { field: 'revision' });
      }
      const next: ArticleRow = { ...current };
      if (input.slug !== undefined) next.slug = input.slug;
      if (input.title !== undefined) next.title = input.title.trim();
      if (input.summary !== undefined) next.summary = input.summary.trim();
      if (input.bodyMarkdown !== undefined) next.body_markdown = input.bodyMarkdown;
      if (input.indication !== undefined) next.indication = input.indication;
      if (input.authorId !== undefined) next.author_id = (await staffOfClinic(trx, actor.clinicId, input.authorId, 'authorId')).id;
      if (input.reviewerId !== undefined) next.reviewer_id = input.reviewerId === null ? null : (await staffOfClinic(trx, actor.clinicId, input.reviewerId, 'reviewerId', REVIEWER_ROLES)).id;
      if (input.lastReviewedOn !== undefined) next.last_reviewed_on = input.lastReviewedOn;
      if (effectiveStatus(next) !== 'draft' && (!next.reviewer_id || !next.last_reviewed_on)) {
        throw invalid(next.reviewer_id ? 'lastReviewedOn' : 'reviewerId', 'A published or scheduled article must keep its medical reviewer and review date; unpublish it first.');
      }
      const currentTags = await trx.selectFrom('article_tag').select(['tag', 'label']).where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).orderBy('label').execute();
      const currentRefs = await trx.selectFrom('article_reference').select(['doi', 'pmid', 'citation']).where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).orderBy('position').execute();
      const tags = input.tags !== undefined ? normaliseTags(input.tags) : currentTags;
      const refs = input.references !== undefined ? normaliseReferences(input.references) : currentRefs;
      checkCitations(next.body_markdown, refs.length);
      const tagsChanged = JSON.stringify(tags.map((t) => t.label).sort()) !== JSON.stringify(currentTags.map((t) => t.label).sort());
      const refsChanged = JSON.stringify(refs) !== JSON.stringify(currentRefs);
      const changed: string[] = (Object.keys(next) as (keyof ArticleRow)[]).filter((k) => next[k] !== current[k]);
      if (tagsChanged) changed.push('tags');
      if (refsChanged) changed.push('references');
      if (changed.length === 0) return presentArticle(services, trx, current);
      if (changed.includes('slug')) {
        const taken = await trx.selectFrom('article').select('id').where('clinic_id', '=', actor.clinicId).where('slug', '=', next.slug).where('id', '!=', id).executeTakeFirst();
        if (taken) throw slugTaken(next.slug);
      }
      const contentChanged = tagsChanged || refsChanged || CONTENT_FIELDS.some((k) => next[k] !== current[k]);
      next.search_text = searchText(next.title, next.summary, tags, next.body_markdown);
      next.updated_at = nowIso();
      if (contentChanged) next.revision = current.revision + 1;
      const { id: _id, clinic_id: _clinic, created_at: _created, ...values } = next;
      await trx.updateTable('article').set(values).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
      if (tagsChanged) await replaceTags(trx, actor.clinicId, id, tags);
      if (refsChanged) await replaceReferences(trx, actor.clinicId, id, refs);
      if (contentChanged) await insertRevision(trx, actor, next, tags, refs, null);
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article', entityId: id, detail: { fields: changed.map(camel), revision: next.revision } });
      return presentArticle(services, trx, next);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug ?? '');
    throw error;
  }
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Publishes now, or schedules for `publishAt` when that is in the future. A medical page is
 * published only with a named reviewer and review date (they are shown and go into the
 * schema.org `reviewedBy` / `lastReviewed` of the page).
 */
export async function publishArticle(services: Services, actor: Actor, id: string, input: { publishAt?: string }): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  const now = nowIso();
  let publishAt = now;
  if (input.publishAt !== undefined) {
    const ms = Date.parse(input.publishAt);
    if (Number.isNaN(ms)) throw invalid('publishAt', `${input.publishAt} is not an ISO-8601 date and time.`);
    publishAt = new Date(Math.max(ms, Date.parse(now))).toISOString();
  }
  return inTransaction(store, async (trx) => {
    const current = await loadArticle(trx, actor.clinicId, id);
    if (!current.reviewer_id) throw invalid('reviewerId', 'Name the medical reviewer before publishing: patients are told who checked the article.');
    if (!current.last_reviewed_on) throw invalid('lastReviewedOn', 'Give the date the medical reviewer last checked the article before publishing.');
    const live = effectiveStatus(current, now) === 'published';
    // Re-publishing a live article keeps its original date (feeds and readers rely on it).
    if (live && input.publishAt === undefined) return presentArticle(services, trx, current);
    const status: ArticleStatus = publishAt > now ? 'scheduled' : 'published';
    const next: ArticleRow = { ...current, status, publish_at: publishAt, updated_at: now };
    await trx.updateTable('article').set({ status, publish_at: publishAt, updated_at: now }).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article', entityId: id, detail: { transition: status === 'scheduled' ? 'schedule' : 'publish', publishAt } });
    return presentArticle(services, trx, next);
  });
}

export async function unpublishArticle(services: Services, actor: Actor, id: string): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const current = await loadArticle(trx, actor.clinicId, id);
    if (current.status === 'draft') return presentArticle(services, trx, current);
    const next: ArticleRow = { ...current, status: 'draft', publish_at: null, updated_at: nowIso() };
    await trx.updateTable('article').set({ status: 'draft', publish_at: null, updated_at: next.updated_at }).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article', entityId: id, detail: { transition: 'unpublish' } });
    return presentArticle(services, trx, next);
  });
}

/** Deletes the article with its revisions, references, tags, comments, view counts and cover image. */
export async function deleteArticle(services: Services, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'article:write');
  const { store } = services;
  const current = await inTransaction(store, async (trx) => {
    const current = await loadArticle(trx, actor.clinicId, id);
    // Replies first: they reference their parent comment.
    await trx.deleteFrom('article_comment').where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).where('parent_id', 'is not', null).execute();
    await trx.deleteFrom('article_comment').where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).execute();
    await trx.deleteFrom('article_view_day').where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).execute();
    await trx.deleteFrom('article_tag').where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).execute();
    await trx.deleteFrom('article_reference').where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).execute();
    await trx.deleteFrom('article_revision').where('clinic_id', '=', actor.clinicId).where('article_id', '=', id).execute();
    await trx.deleteFrom('article').where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'delete', entityType: 'article', entityId: id, detail: { slug: current.slug, title: current.title } });
    return current;
  });
  // After the commit: a failed delete must not leave the article without its picture.
  await deleteCoverFiles(services.config.dataDir, current.cover_image_path);
}

export interface ArticleListQuery {
  status?: ArticleStatus;
  q?: string;
  tag?: string;
  page?: number;
  pageSize?: number;
}

/** The clinic's articles for the editors' list, newest change first, with views and waiting comments. */
export async function listArticles(services: Services, actor: Actor, query: ArticleListQuery): Promise<Page<ArticleSummary>> {
  assertCan(actor, 'article:write');
  const { db } = services.store;
  const now = nowIso();
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 25));
  const since = new Date(Date.parse(now) - 29 * 86_400_000).toISOString().slice(0, 10);
  const matching = () => {
    let q = db.selectFrom('article').where('article.clinic_id', '=', actor.clinicId);
    if (query.status === 'draft') q = q.where('article.status', '=', 'draft');
    if (query.status === 'scheduled') q = q.where('article.status', '=', 'scheduled').where('article.publish_at', '>', now);
    if (query.status === 'published') q = q.where('article.status', '!=', 'draft').where('article.publish_at', '<=', now);
    if (query.q?.trim()) {
      for (const token of normaliseForSearch(query.q).split(' ').slice(0, 5)) q = q.where(sql<boolean>`article.search_text like ${`%${escapeLike(token)}%`} escape '\\'`);
    }
    if (query.tag) {
      const tag = toSlug(query.tag);
      q = q.where((eb) => eb.exists(eb.selectFrom('article_tag').select('article_tag.tag').whereRef('article_tag.article_id', '=', 'article.id').where('article_tag.clinic_id', '=', actor.clinicId).where('article_tag.tag', '=', tag)));
    }
    return q;
  };
  const total = await matching().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await matching()
    .innerJoin('staff_user', 'staff_user.id', 'article.author_id')
    .select(['article.id', 'article.slug', 'article.title', 'article.status', 'article.publish_at', 'article.author_id', 'staff_user.display_name', 'article.revision', 'article.updated_at'])
    .select((eb) => [
      eb.selectFrom('article_view_day').select((v) => v.fn.coalesce(v.fn.sum<number>('views'), v.lit(0)).as('v'))
        .whereRef('article_view_day.article_id', '=', 'article.id').where('article_view_day.clinic_id', '=', actor.clinicId).where('article_view_day.day', '>=', since).as('views'),
      eb.selectFrom('article_comment').select((c) => c.fn.countAll<number>().as('c'))
        .whereRef('article_comment.article_id', '=', 'article.id').where('article_comment.clinic_id', '=', actor.clinicId).where('article_comment.status', '=', 'pending').as('pending'),
    ])
    .orderBy('article.updated_at', 'desc').orderBy('article.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  const tagRows = rows.length === 0 ? [] : await db.selectFrom('article_tag').select(['article_id', 'label']).where('clinic_id', '=', actor.clinicId).where('article_id', 'in', rows.map((r) => r.id)).orderBy('label').execute();
  return {
    items: rows.map((r) => ({
      id: r.id, slug: r.slug, title: r.title, status: effectiveStatus(r, now), publishAt: r.publish_at, author: { id: r.author_id, displayName: r.display_name },
      tags: tagRows.filter((t) => t.article_id === r.id).map((t) => t.label), revision: r.revision, updatedAt: r.updated_at,
      viewsLast30Days: Number(r.views ?? 0), pendingComments: Number(r.pending ?? 0),
    })),
    page, pageSize, total: Number(total.n),
  };
}

// ---------------------------------------------------------------- revisions

function presentRevision(row: ArticleRevisionRow, createdByName: string): RevisionView {
  return {
    id: row.id, articleId: row.article_id, revision: row.revision, title: row.title, createdAt: row.created_at,
    createdBy: { id: row.created_by, displayName: createdByName }, restoredFrom: row.restored_from,
    summary: row.summary, bodyMarkdown: row.body_markdown, indication: row.indication as IndicationCode | null,
    tags: fromJson<string[]>(row.tags_json) ?? [], references: fromJson<ReferenceInput[]>(row.references_json) ?? [],
  };
}

export async function listRevisions(services: Services, actor: Actor, articleId: string): Promise<RevisionSummary[]> {
  assertCan(actor, 'article:write');
  return inTransaction(services.store, async (trx) => {
    await loadArticle(trx, actor.clinicId, articleId);
    const rows = await trx.selectFrom('article_revision').innerJoin('staff_user', 'staff_user.id', 'article_revision.created_by')
      .select(['article_revision.id', 'article_revision.article_id', 'article_revision.revision', 'article_revision.title', 'article_revision.created_at', 'article_revision.created_by', 'article_revision.restored_from', 'staff_user.display_name'])
      .where('article_revision.clinic_id', '=', actor.clinicId).where('article_revision.article_id', '=', articleId).orderBy('article_revision.revision', 'desc').execute();
    return rows.map((r) => ({ id: r.id, articleId: r.article_id, revision: r.revision, title: r.title, createdAt: r.created_at, createdBy: { id: r.created_by, displayName: r.display_name }, restoredFrom: r.restored_from }));
  });
}

async function loadRevision(trx: Trx, clinicId: string, id: string): Promise<RevisionView> {
  const row = await trx.selectFrom('article_revision').selectAll('article_revision').innerJoin('staff_user', 'staff_user.id', 'article_revision.created_by').select('staff_user.display_name')
    .where('article_revision.id', '=', id).where('article_revision.clinic_id', '=', clinicId).executeTakeFirst();
  if (!row) throw notFound('article revision');
  return presentRevision(row, row.display_name);
}

/** One revision whole, to compare with another or with the current text. */
export async function getRevision(services: Services, actor: Actor, revisionId: string): Promise<RevisionView> {
  assertCan(actor, 'article:write');
  return inTransaction(services.store, (trx) => loadRevision(trx, actor.clinicId, revisionId));
}

/** Makes an old revision's content current again, as a new revision (history is never rewritten). */
export async function restoreRevision(services: Services, actor: Actor, revisionId: string): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const old = await loadRevision(trx, actor.clinicId, revisionId);
    const current = await loadArticle(trx, actor.clinicId, old.articleId);
    const tags = normaliseTags(old.tags);
    const refs = normaliseReferences(old.references);
    const next: ArticleRow = {
      ...current, title: old.title, summary: old.summary, body_markdown: old.bodyMarkdown, indication: old.indication,
      search_text: searchText(old.title, old.summary, tags, old.bodyMarkdown), revision: current.revision + 1, updated_at: nowIso(),
    };
    const { id: _id, clinic_id: _clinic, created_at: _created, ...values } = next;
    await trx.updateTable('article').set(values).where('id', '=', current.id).where('clinic_id', '=', actor.clinicId).execute();
    await replaceTags(trx, actor.clinicId, current.id, tags);
    await replaceReferences(trx, actor.clinicId, current.id, refs);
    await insertRevision(trx, actor, next, tags, refs, old.revision);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article', entityId: current.id, detail: { restoredFrom: old.revision, revision: next.revision } });
    return presentArticle(services, trx, next);
  });
}

/** The live preview of the editor: the same rendering the public page uses. */
export function previewArticle(actor: Actor, input: { bodyMarkdown: string; referenceCount?: number }): { html: string; cited: number[] } {
  assertCan(actor, 'article:write');
  if (input.referenceCount !== undefined) checkCitations(input.bodyMarkdown, input.referenceCount);
  return { html: renderArticleHtml(input.bodyMarkdown), cited: citedReferences(input.bodyMarkdown) };
}

// ---------------------------------------------------------------- author profiles

export interface AuthorProfileView {
  staffId: string;
  displayName: string;
  credentials: string | null;
  bio: string | null;
}

export async function getAuthorProfile(services: Services, actor: Actor, staffId: string): Promise<AuthorProfileView> {
  assertCan(actor, 'article:write');
  const row = await services.store.db.selectFrom('staff_user')
    .leftJoin('author_profile', (j) => j.onRef('author_profile.staff_id', '=', 'staff_user.id').onRef('author_profile.clinic_id', '=', 'staff_user.clinic_id'))
    .select(['staff_user.id', 'staff_user.display_name', 'author_profile.credentials', 'author_profile.bio'])
    .where('staff_user.id', '=', staffId).where('staff_user.clinic_id', '=', actor.clinicId).executeTakeFirst();
  if (!row) throw notFound('staff member');
  return { staffId: row.id, displayName: row.display_name, credentials: row.credentials ?? null, bio: row.bio ?? null };
}

/** The credentials and short biography shown on articles and the public author page. */
export async function updateAuthorProfile(services: Services, actor: Actor, staffId: string, input: { credentials?: string | null; bio?: string | null }): Promise<AuthorProfileView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const staff = await trx.selectFrom('staff_user').select(['id', 'display_name']).where('id', '=', staffId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!staff) throw notFound('staff member');
    if (staffId !== actor.userId && !can(actor.role, 'staff:manage')) throw forbidden('Only an administrator may change another person’s author profile.');
    const existing = await trx.selectFrom('author_profile').selectAll().where('clinic_id', '=', actor.clinicId).where('staff_id', '=', staffId).executeTakeFirst();
    const credentials = input.credentials !== undefined ? input.credentials?.trim() || null : existing?.credentials ?? null;
    const bio = input.bio !== undefined ? input.bio?.trim() || null : existing?.bio ?? null;
    const now = nowIso();
    await trx.insertInto('author_profile').values({ clinic_id: actor.clinicId, staff_id: staffId, credentials, bio, updated_at: now })
      .onConflict((oc) => oc.columns(['clinic_id', 'staff_id']).doUpdateSet({ credentials, bio, updated_at: now })).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'author_profile', entityId: staffId, detail: { fields: Object.keys(input) } });
    return { staffId, displayName: staff.display_name, credentials, bio };
  });
}
