import type { Kysely } from 'kysely';
import type { ArticleCommentRow, CommentMode, CommentStatus } from '../store/schema-education.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/db.js';
import { recordAudit, subjectOf } from './audit.js';
import { articleUrl, effectiveStatus } from './articles.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { ServiceError, conflict, notFound } from './errors.js';
import { newId } from './ids.js';
import { countLinks, renderCommentHtml } from './markdown.js';
import { enqueueMail } from './outbox.js';
import type { Page } from './patients.js';
import { assertCan } from './permissions.js';
import { addressKey, enforceLimit, type ThrottleRule } from './throttle.js';
import { checkCommentFormToken } from './visitors.js';

/**
 * Readers' comments under articles: anonymous submission with its spam defences, the staff
 * moderation queue, replies as the clinic, and the clinic's comment setting.
 *
 * Pre-moderated by default: readers post health details and medical claims, and a clinic must
 * not publish either unchecked. Comments are not patient data (they are public by intent and
 * not linked to any record), so submission is not audited; every staff action on them is.
 */

export const COMMENT_MODES: readonly CommentMode[] = ['off', 'pre-moderated', 'open-after-first-approved'];
export const COMMENT_STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'rejected', 'spam'];
export const DEFAULT_COMMENT_MODE: CommentMode = 'pre-moderated';

export const COMMENT_LIMITS = {
  nameChars: 80,
  emailChars: 254,
  bodyChars: 4000,
  /** More links than this is what spam looks like; a reader rarely needs more than two. */
  links: 2,
  perAddressPerDay: 10,
  secondsBetweenFromOneAddress: 20,
} as const;

// ---------------------------------------------------------------- settings

export async function commentModeOf(store: Store, clinicId: string): Promise<CommentMode> {
  const row = await store.db.selectFrom('education_setting').select('comment_mode').where('clinic_id', '=', clinicId).executeTakeFirst();
  return row?.comment_mode ?? DEFAULT_COMMENT_MODE;
}

export interface EducationSettings {
  commentMode: CommentMode;
}

export async function getEducationSettings(services: Services, actor: Actor): Promise<EducationSettings> {
  assertCan(actor, 'comment:moderate');
  return { commentMode: await commentModeOf(services.store, actor.clinicId) };
}

export async function updateEducationSettings(services: Services, actor: Actor, input: EducationSettings): Promise<EducationSettings> {
  assertCan(actor, 'clinic:manage');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const now = nowIso();
    const before = (await trx.selectFrom('education_setting').select('comment_mode').where('clinic_id', '=', actor.clinicId).executeTakeFirst())?.comment_mode ?? DEFAULT_COMMENT_MODE;
    await trx.insertInto('education_setting').values({ clinic_id: actor.clinicId, comment_mode: input.commentMode, updated_at: now })
      .onConflict((oc) => oc.column('clinic_id').doUpdateSet({ comment_mode: input.commentMode, updated_at: now })).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'education_setting', entityId: actor.clinicId, detail: { commentMode: { from: before, to: input.commentMode } } });
    return { commentMode: input.commentMode };
  });
}

// ---------------------------------------------------------------- public submission

export interface PublicCommentInput {
  articleId: string;
  /** Replying to a comment (one level: a reply to a reply joins the same thread). */
  parentId?: string | null;
  name: string;
  email?: string | null;
  body: string;
  /** The hidden field people never see and simple bots fill in. */
  honeypot?: string | null;
  /** The signed time the form was shown (visitors.ts). */
  formToken: string;
  /** The sender's network address: hashed for the rate limit, never stored. */
  address: string;
}

export type SubmitOutcome = 'pending' | 'approved' | 'discarded';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function invalidFields(errors: { field: string; message: string }[]): ServiceError {
  return new ServiceError('invalid', errors.map((e) => e.message).join(' '), { field: errors[0]!.field, data: { errors } });
}

/**
 * A reader's comment from the public form. Checks, in order: the article is live and open for
 * comments; the honeypot is empty (otherwise the comment is quietly dropped, so a bot learns
 * nothing); every field (all reported at once); the form was shown long enough ago and is signed
 * by us; the address has not sent too many comments today. Then it is saved pending (or approved
 * for a returning commenter when the clinic allows it) and the article's author is told.
 */
export async function submitComment(services: Services, clinicId: string, input: PublicCommentInput, nowMs = Date.now()): Promise<{ outcome: SubmitOutcome; commentId: string | null }> {
  const { store } = services;
  const now = new Date(nowMs).toISOString();
  const article = await store.db.selectFrom('article').select(['id', 'slug', 'title', 'status', 'publish_at', 'author_id'])
    .where('id', '=', input.articleId).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!article || effectiveStatus(article, now) !== 'published') throw notFound('article');
  const mode = await commentModeOf(store, clinicId);
  if (mode === 'off') throw new ServiceError('forbidden', 'Comments are closed on this site.');
  if (input.honeypot && input.honeypot.trim() !== '') return { outcome: 'discarded', commentId: null };

  const name = input.name.replace(CONTROL, '').trim().replace(/\s+/g, ' ');
  const email = input.email?.trim().toLowerCase() || null;
  const body = input.body.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
  const errors: { field: string; message: string }[] = [];
  if (!name) errors.push({ field: 'name', message: 'Please give a name (it is shown with your comment; it need not be your full name).' });
  else if (name.length > COMMENT_LIMITS.nameChars) errors.push({ field: 'name', message: `Please keep your name under ${COMMENT_LIMITS.nameChars} characters.` });
  else if (countLinks(name) > 0) errors.push({ field: 'name', message: 'A name cannot contain a web address.' });
  if (email && (email.length > COMMENT_LIMITS.emailChars || !EMAIL.test(email))) errors.push({ field: 'email', message: 'That email address does not look right; leave it empty if you prefer.' });
  if (!body) errors.push({ field: 'body', message: 'Please write your comment.' });
  else if (body.length > COMMENT_LIMITS.bodyChars) errors.push({ field: 'body', message: `Please keep your comment under ${COMMENT_LIMITS.bodyChars} characters (it has ${body.length}).` });
  else if (countLinks(body) > COMMENT_LIMITS.links) errors.push({ field: 'body', message: `Please include at most ${COMMENT_LIMITS.links} links.` });
  if (errors.length > 0) throw invalidFields(errors);

  const token = await checkCommentFormToken(store, article.id, input.formToken, nowMs);
  if (token === 'too-fast') throw invalidFields([{ field: 'formToken', message: 'That was sent very quickly after the page opened. Please check your comment and send it again.' }]);
  if (token !== 'ok') throw invalidFields([{ field: 'formToken', message: 'This form has expired. Your text is kept below: please send it again.' }]);

  let parentId: string | null = null;
  if (input.parentId) {
    const parent = await store.db.selectFrom('article_comment').select(['id', 'parent_id', 'status']).where('id', '=', input.parentId)
      .where('clinic_id', '=', clinicId).where('article_id', '=', article.id).executeTakeFirst();
    if (!parent || parent.status !== 'approved') throw invalidFields([{ field: 'parentId', message: 'The comment you are replying to is no longer shown; your comment can be posted on its own.' }]);
    parentId = parent.parent_id ?? parent.id;
  }

  const key = await addressKey(store, COMMENT_THROTTLE.scope, clinicId, input.address, nowMs);
  return inTransaction(store, async (trx) => {
    await enforceLimit(trx, COMMENT_THROTTLE, key, nowMs, {
      limit: 'You have sent many comments today; please come back tomorrow.',
      'too-soon': 'Please wait a few seconds before sending another comment.',
    });
    let status: CommentStatus = 'pending';
    if (mode === 'open-after-first-approved' && email) {
      const known = await trx.selectFrom('article_comment').select('id').where('clinic_id', '=', clinicId).where('author_email', '=', email)
        .where('status', '=', 'approved').where('is_staff_reply', '=', 0).limit(1).executeTakeFirst();
      if (known) status = 'approved';
    }
    const row: ArticleCommentRow = {
      id: newId(), clinic_id: clinicId, article_id: article.id, parent_id: parentId, author_name: name, author_email: email, body_markdown: body,
      status, is_staff_reply: 0, staff_id: null, created_at: now, moderated_at: null, moderated_by: null,
    };
    await trx.insertInto('article_comment').values(row).execute();
    await notifyAuthor(services, trx, clinicId, article, row);
    return { outcome: status === 'approved' ? 'approved' : 'pending', commentId: row.id };
  });
}

/** Comments per address and UTC day, and a pause between two (services/throttle.ts). */
const COMMENT_THROTTLE: ThrottleRule = {
  scope: 'comment', windowSeconds: 86_400, window: 'fixed', max: COMMENT_LIMITS.perAddressPerDay, minSecondsBetween: COMMENT_LIMITS.secondsBetweenFromOneAddress,
};

async function notifyAuthor(services: Services, trx: Trx, clinicId: string, article: { slug: string; title: string; author_id: string }, comment: ArticleCommentRow): Promise<void> {
  const author = await trx.selectFrom('staff_user').select(['email', 'display_name', 'active']).where('id', '=', article.author_id).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!author || author.active !== 1) return;
  const excerpt = comment.body_markdown.length > 1000 ? `${comment.body_markdown.slice(0, 1000)}…` : comment.body_markdown;
  await enqueueMail(trx, {
    clinicId, kind: 'comment-notification', to: author.email,
    subject: `New comment on “${article.title}”${comment.status === 'pending' ? ' (waiting for moderation)' : ''}`,
    text: [
      `Hello ${author.display_name},`, '',
      `${comment.author_name} commented on your article “${article.title}”.`,
      comment.status === 'pending' ? 'It is not shown until someone approves it.' : 'It was shown at once: the clinic allows returning commenters to post without waiting.', '',
      '----', excerpt, '----', '',
      `Approve, reject or reply in the staff app: ${services.config.publicUrl}/app/`,
      `The article: ${articleUrl(services, article.slug)}`,
    ].join('\n'),
  });
}

// ---------------------------------------------------------------- public reading

export interface PublicComment {
  id: string;
  authorName: string;
  html: string;
  createdAt: string;
  isStaffReply: boolean;
  replies: PublicComment[];
}

/** The approved comments of an article, oldest first, each with its approved replies. */
export async function approvedComments(services: Services, clinicId: string, articleId: string): Promise<PublicComment[]> {
  const rows = await services.store.db.selectFrom('article_comment').select(['id', 'parent_id', 'author_name', 'body_markdown', 'created_at', 'is_staff_reply'])
    .where('clinic_id', '=', clinicId).where('article_id', '=', articleId).where('status', '=', 'approved').orderBy('created_at').orderBy('id').limit(1000).execute();
  const present = (r: (typeof rows)[number]): PublicComment => ({
    id: r.id, authorName: r.author_name, html: renderCommentHtml(r.body_markdown), createdAt: r.created_at, isStaffReply: r.is_staff_reply === 1, replies: [],
  });
  const top = rows.filter((r) => r.parent_id === null).map(present);
  const byId = new Map(top.map((c) => [c.id, c]));
  for (const r of rows) if (r.parent_id !== null) byId.get(r.parent_id)?.replies.push(present(r));
  return top;
}

// ---------------------------------------------------------------- moderation

export interface CommentView {
  id: string;
  articleId: string;
  articleTitle: string;
  articleSlug: string;
  parentId: string | null;
  authorName: string;
  authorEmail: string | null;
  bodyMarkdown: string;
  /** As it would be shown on the site (sanitised). */
  bodyHtml: string;
  status: CommentStatus;
  isStaffReply: boolean;
  staffId: string | null;
  createdAt: string;
  moderatedAt: string | null;
  moderatedBy: string | null;
}

type CommentWithArticle = ArticleCommentRow & { title: string; slug: string };

function presentComment(r: CommentWithArticle): CommentView {
  return {
    id: r.id, articleId: r.article_id, articleTitle: r.title, articleSlug: r.slug, parentId: r.parent_id, authorName: r.author_name, authorEmail: r.author_email,
    bodyMarkdown: r.body_markdown, bodyHtml: renderCommentHtml(r.body_markdown), status: r.status, isStaffReply: r.is_staff_reply === 1, staffId: r.staff_id,
    createdAt: r.created_at, moderatedAt: r.moderated_at, moderatedBy: r.moderated_by,
  };
}

function commentsWithArticle(db: Kysely<Database>, clinicId: string) {
  return db.selectFrom('article_comment').innerJoin('article', 'article.id', 'article_comment.article_id')
    .selectAll('article_comment').select(['article.title', 'article.slug'])
    .where('article_comment.clinic_id', '=', clinicId).where('article.clinic_id', '=', clinicId);
}

async function loadComment(trx: Trx, clinicId: string, id: string): Promise<CommentWithArticle> {
  const row = await commentsWithArticle(trx, clinicId).where('article_comment.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('comment');
  return row;
}

export interface CommentListQuery {
  status?: CommentStatus;
  articleId?: string;
  page?: number;
  pageSize?: number;
}

/** The moderation queue (status `pending`, oldest first so nobody waits longest) or any other status, newest first. */
export async function listComments(services: Services, actor: Actor, query: CommentListQuery): Promise<Page<CommentView>> {
  assertCan(actor, 'comment:moderate');
  const { db } = services.store;
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 25));
  const filtered = () => {
    let q = db.selectFrom('article_comment').where('article_comment.clinic_id', '=', actor.clinicId);
    if (query.status) q = q.where('article_comment.status', '=', query.status);
    if (query.articleId) q = q.where('article_comment.article_id', '=', query.articleId);
    return q;
  };
  const total = await filtered().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let rows = commentsWithArticle(db, actor.clinicId);
  if (query.status) rows = rows.where('article_comment.status', '=', query.status);
  if (query.articleId) rows = rows.where('article_comment.article_id', '=', query.articleId);
  const direction = query.status === 'pending' ? 'asc' : 'desc';
  const items = await rows.orderBy('article_comment.created_at', direction).orderBy('article_comment.id', direction).limit(pageSize).offset((page - 1) * pageSize).execute();
  return { items: items.map(presentComment), page, pageSize, total: Number(total.n) };
}

/** Approve, reject, mark as spam (or put back in the queue). */
export async function moderateComment(services: Services, actor: Actor, id: string, input: { status: CommentStatus }): Promise<CommentView> {
  assertCan(actor, 'comment:moderate');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const current = await loadComment(trx, actor.clinicId, id);
    if (current.status === input.status) return presentComment(current);
    const now = nowIso();
    await trx.updateTable('article_comment').set({ status: input.status, moderated_at: now, moderated_by: actor.userId })
      .where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article_comment', entityId: id, detail: { status: { from: current.status, to: input.status } } });
    return presentComment({ ...current, status: input.status, moderated_at: now, moderated_by: actor.userId });
  });
}

/** Deletes a comment and the replies under it. */
export async function deleteComment(services: Services, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'comment:moderate');
  const { store } = services;
  await inTransaction(store, async (trx) => {
    const current = await loadComment(trx, actor.clinicId, id);
    const replies = await trx.deleteFrom('article_comment').where('clinic_id', '=', actor.clinicId).where('parent_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('article_comment').where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'delete', entityType: 'article_comment', entityId: id, detail: { articleId: current.article_id, status: current.status, replies: Number(replies.numDeletedRows) },
    });
  });
}

/**
 * A reply written as the clinic: shown at once, with the staff badge. Only this use case sets
 * `is_staff_reply`; the public form cannot, so the badge cannot be claimed by anyone else.
 */
export async function replyAsClinic(services: Services, actor: Actor, commentId: string, input: { bodyMarkdown: string }): Promise<CommentView> {
  assertCan(actor, 'comment:moderate');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const parent = await loadComment(trx, actor.clinicId, commentId);
    const thread = parent.parent_id ? await loadComment(trx, actor.clinicId, parent.parent_id) : parent;
    if (thread.status !== 'approved') throw conflict('Approve the comment before replying to it: a reply is shown under its comment, which is not shown yet.');
    const staff = await trx.selectFrom('staff_user').select('display_name').where('id', '=', actor.userId).where('clinic_id', '=', actor.clinicId).executeTakeFirstOrThrow();
    const now = nowIso();
    const row: ArticleCommentRow = {
      id: newId(), clinic_id: actor.clinicId, article_id: parent.article_id, parent_id: thread.id, author_name: staff.display_name, author_email: null,
      body_markdown: input.bodyMarkdown.replace(/\r\n?/g, '\n').trim(), status: 'approved', is_staff_reply: 1, staff_id: actor.userId,
      created_at: now, moderated_at: now, moderated_by: actor.userId,
    };
    await trx.insertInto('article_comment').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'article_comment', entityId: row.id, detail: { replyTo: thread.id, articleId: parent.article_id } });
    return presentComment({ ...row, title: parent.title, slug: parent.slug });
  });
}
