import fs from 'node:fs';
import path from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Type from 'typebox';
import type { ReactNode } from 'react';
import { approvedComments, commentModeOf, submitComment, type PublicComment } from '../services/comments.js';
import type { Services } from '../services/context.js';
import { COVER_DIR, COVER_FILE_NAME, COVER_URL_PREFIX } from '../services/cover-images.js';
import { declarePublicRoutes } from '../http/access.js';
import { ServiceError } from '../services/errors.js';
import {
  articlesByTag, authorPage, feedEntries, latestArticles, popularArticles, publicArticle, recordArticleView, relatedArticles, searchArticles,
  siteClinic, sitemapData, type PublicArticle, type SiteClinic,
} from '../services/public-articles.js';
import { issueCommentFormToken, isKnownBot } from '../services/visitors.js';
import { buildFeed, robotsTxt, sitemapXml } from './site/feeds.js';
import { renderDocument, type SiteContext } from './site/layout.js';
import { SITE_CSS, SITE_CSS_PATH } from './site/site-css.js';
import { ArticlePage, AuthorPage, HomePage, MessagePage, SearchPage, TagPage, type CommentFormState } from './site/views.js';

/**
 * The public site: articles, tags, authors, search, comments, feeds, sitemap — server-rendered
 * HTML with no client script. Every route is public; everything shown comes from the services in
 * public-articles.ts, which select live articles only.
 */

const COMMENT_FORM_BODY_LIMIT = 32 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PUBLIC = { access: 'public' } as const;

function contextOf(services: Services, clinic: SiteClinic): SiteContext {
  return { name: clinic.name, publicUrl: services.config.publicUrl, timeZone: clinic.timeZone };
}

function sendHtml(reply: FastifyReply, status: number, page: ReactNode): FastifyReply {
  // no-cache: caches must ask again each time, so every reading reaches the view counter.
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(renderDocument(page));
}

/** A reading by a person: not a bot, not a prefetch, not a HEAD; nothing about the reader is kept. */
function countsAsView(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const purpose = [request.headers['sec-purpose'], request.headers.purpose, request.headers['x-purpose'], request.headers['x-moz']].join(' ');
  if (/prefetch|prerender|preview/i.test(purpose)) return false;
  return !isKnownBot(request.headers['user-agent']);
}

function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}

export async function publicSitePages(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // The urlencoded parser exists only inside this plugin: the JSON API keeps refusing form posts.
  await app.register(formbody, { bodyLimit: COMMENT_FORM_BODY_LIMIT });

  const fallbackSite: SiteContext = { name: 'Autolog', publicUrl: services.config.publicUrl, timeZone: 'UTC' };
  const site = async () => {
    const clinic = await siteClinic(services);
    return clinic ? { clinicId: clinic.id, ctx: contextOf(services, clinic) } : null;
  };
  type Site = NonNullable<Awaited<ReturnType<typeof site>>>;
  const notFoundPage = (reply: FastifyReply, ctx: SiteContext, what = 'This page does not exist, or is no longer published.') =>
    sendHtml(reply, 404, <MessagePage site={ctx} title="Page not found" message={what} />);

  // Pages answer errors as pages, not as problem documents.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const ctx = (await site().catch(() => null))?.ctx ?? fallbackSite;
    if (error.validation) return sendHtml(reply, 400, <MessagePage site={ctx} title="That address is not valid" message="Part of the address is not in the form this page expects." />);
    if (error instanceof ServiceError && error.kind === 'not-found') return notFoundPage(reply, ctx);
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'page failed');
    const message = status === 413 ? 'What you sent is larger than this form accepts.' : status >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : 'The request could not be handled.';
    return sendHtml(reply, status, <MessagePage site={ctx} title={status >= 500 ? 'Sorry, something went wrong' : 'Request refused'} message={message} />);
  });

  app.get(SITE_CSS_PATH, { config: PUBLIC, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(SITE_CSS));

  /*
   * Cover images (written by services/article-covers.ts). Only names of the form that module
   * writes are served — anything else, `..` included, is a plain 404 — and @fastify/static
   * refuses to leave the folder whatever the name. Each upload gets a new name, so a file never
   * changes: cacheable for a year. Other sites may show them (link previews, feed readers).
   */
  const coverDir = path.join(services.config.dataDir, COVER_DIR);
  fs.mkdirSync(coverDir, { recursive: true });
  await app.register(async (media) => {
    declarePublicRoutes(media);
    await media.register(fastifyStatic, {
      root: coverDir, prefix: COVER_URL_PREFIX, decorateReply: false, index: false, list: false, dotfiles: 'deny', cacheControl: false,
      schemaHide: true,
      allowedPath: (pathName) => COVER_FILE_NAME.test(pathName.replace(/^\//, '')),
      setHeaders: (res) => void res.header('cache-control', 'public, max-age=31536000, immutable').header('cross-origin-resource-policy', 'cross-origin'),
    });
  });

  app.get('/', {
    config: PUBLIC,
    schema: { hide: true, querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }) },
  }, async (request, reply) => {
    const s = await site();
    // Before first-run setup there is no clinic and no site: the staff app opens the setup page.
    if (!s) return reply.redirect('/app/');
    const { page } = request.query as { page?: number };
    const [latest, popular] = await Promise.all([latestArticles(services, s.clinicId, { page }), popularArticles(services, s.clinicId)]);
    if (page && page > 1 && latest.items.length === 0) return notFoundPage(reply, s.ctx);
    return sendHtml(reply, 200, <HomePage site={s.ctx} latest={latest} popular={popular} />);
  });

  /** The site and the published article at `slug`, or the not-found page already sent. */
  const siteAndArticle = async (reply: FastifyReply, slug: string) => {
    const s = await site();
    if (!s) return { sent: notFoundPage(reply, fallbackSite) };
    const article = await publicArticle(services, s.clinicId, slug);
    if (!article) return { sent: notFoundPage(reply, s.ctx) };
    return { s, article };
  };

  const renderArticle = async (request: FastifyRequest, reply: FastifyReply, s: Site, article: PublicArticle, status: number, form?: CommentFormState, replyToId?: string) => {
    const query = request.query as { comment?: string; reply?: string };
    // Counted here, on the server, for every request that reaches it (pages are sent no-cache).
    if (!form && !query.comment && !query.reply && countsAsView(request)) await recordArticleView(services, s.clinicId, article.id);
    const [comments, commentMode, related, popular, formToken] = await Promise.all([
      approvedComments(services, s.clinicId, article.id), commentModeOf(services.store, s.clinicId), relatedArticles(services, s.clinicId, article),
      popularArticles(services, s.clinicId), issueCommentFormToken(services.store, article.id),
    ]);
    const wanted = replyToId ?? query.reply;
    const replyTo = wanted ? findThread(comments, wanted) : null;
    const sent = query.comment === 'received' || query.comment === 'published' ? query.comment : undefined;
    return sendHtml(reply, status, (
      <ArticlePage site={s.ctx} article={article} comments={comments} commentMode={commentMode} formToken={formToken} replyTo={replyTo}
        form={form} sent={form ? undefined : sent} related={related} popular={popular} />
    ));
  };

  app.get('/articles/:slug', {
    config: PUBLIC,
    schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 200 }) }), querystring: Type.Object({ comment: Type.Optional(Type.String({ maxLength: 20 })), reply: Type.Optional(Type.String({ maxLength: 40 })) }) },
  }, async (request, reply) => {
    const found = await siteAndArticle(reply, (request.params as { slug: string }).slug);
    return 'sent' in found ? found.sent : renderArticle(request, reply, found.s, found.article, 200);
  });

  /*
   * The comment form. It has no CSRF token, deliberately: it is anonymous and uses no cookie or
   * session, so a cross-site post carries no authority the attacker lacks — the worst it can do
   * is what anyone can do directly, create a comment that waits for moderation. What stops abuse
   * is the honeypot, the signed minimum time since the form was shown, the per-address daily
   * limit (on an HMAC of the address under a salt that is deleted after two days), the link cap
   * and the size limits (comments.ts), and pre-moderation itself.
   */
  app.post('/articles/:slug/comments', {
    config: PUBLIC,
    bodyLimit: COMMENT_FORM_BODY_LIMIT,
    schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 200 }) }) },
  }, async (request, reply) => {
    const found = await siteAndArticle(reply, (request.params as { slug: string }).slug);
    if ('sent' in found) return found.sent;
    const { s, article } = found;
    const values = { name: formField(request.body, 'name'), email: formField(request.body, 'email'), body: formField(request.body, 'body') };
    const parentId = formField(request.body, 'parentId');
    try {
      const { outcome } = await submitComment(services, s.clinicId, {
        articleId: article.id, parentId: UUID.test(parentId) ? parentId : null, ...values,
        honeypot: formField(request.body, 'website'), formToken: formField(request.body, 'formToken'), address: request.ip,
      });
      return reply.code(303).header('location', `/articles/${article.slug}?comment=${outcome === 'approved' ? 'published' : 'received'}#comments`).send();
    } catch (error) {
      if (!(error instanceof ServiceError) || !['invalid', 'rate-limited', 'forbidden'].includes(error.kind)) throw error;
      const errors = (error.extra.data?.errors as CommentFormState['errors'] | undefined) ?? [];
      const status = error.kind === 'invalid' ? 400 : error.kind === 'rate-limited' ? 429 : 403;
      if (error.extra.retryAfterSeconds) void reply.header('retry-after', String(error.extra.retryAfterSeconds));
      return renderArticle(request, reply, s, article, status, { values, errors, ...(errors.length === 0 && { message: error.message }) }, UUID.test(parentId) ? parentId : undefined);
    }
  });

  const tagParams = Type.Object({ tag: Type.String({ maxLength: 60 }) });

  app.get('/tags/:tag', { config: PUBLIC, schema: { hide: true, params: tagParams } }, async (request, reply) => {
    const s = await site();
    if (!s) return notFoundPage(reply, fallbackSite);
    const [found, popular] = await Promise.all([articlesByTag(services, s.clinicId, (request.params as { tag: string }).tag), popularArticles(services, s.clinicId)]);
    if (!found) return notFoundPage(reply, s.ctx, 'No published article has this topic.');
    return sendHtml(reply, 200, <TagPage site={s.ctx} tag={found.tag} items={found.items} popular={popular} />);
  });

  // `:authorId`, a staff id: the page exists only for people who wrote or reviewed a live article.
  app.get('/authors/:authorId', { config: PUBLIC, schema: { hide: true, params: Type.Object({ authorId: Type.String({ maxLength: 40 }) }) } }, async (request, reply) => {
    const s = await site();
    if (!s) return notFoundPage(reply, fallbackSite);
    const { authorId } = request.params as { authorId: string };
    const data = UUID.test(authorId) ? await authorPage(services, s.clinicId, authorId.toLowerCase()) : null;
    if (!data) return notFoundPage(reply, s.ctx);
    return sendHtml(reply, 200, <AuthorPage site={s.ctx} data={data} />);
  });

  app.get('/search', {
    config: PUBLIC,
    schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) },
  }, async (request, reply) => {
    const s = await site();
    if (!s) return notFoundPage(reply, fallbackSite);
    const { q = '', page } = request.query as { q?: string; page?: number };
    const text = q.trim().slice(0, 100);
    const results = text ? await searchArticles(services, s.clinicId, text, { page }) : null;
    return sendHtml(reply, 200, <SearchPage site={s.ctx} q={text} results={results} />);
  });

  // ---------------------------------------------------------------- feeds, sitemap, robots

  const sendFeed = async (reply: FastifyReply, format: 'rss' | 'atom', tagInput?: string) => {
    const s = await site();
    if (!s) return notFoundPage(reply, fallbackSite);
    let tag;
    if (tagInput !== undefined) {
      const found = await articlesByTag(services, s.clinicId, tagInput);
      if (!found) return notFoundPage(reply, s.ctx, 'No published article has this topic.');
      tag = found.tag;
    }
    const feed = buildFeed(s.ctx, await feedEntries(services, s.clinicId, { ...(tag && { tag: tag.tag }) }), format, tag);
    return reply.type(format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=600').send(format === 'rss' ? feed.rss2() : feed.atom1());
  };
  app.get('/feed.xml', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => sendFeed(reply, 'rss'));
  app.get('/atom.xml', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => sendFeed(reply, 'atom'));
  app.get('/tags/:tag/feed.xml', { config: PUBLIC, schema: { hide: true, params: tagParams } }, async (request, reply) => sendFeed(reply, 'rss', (request.params as { tag: string }).tag));
  app.get('/tags/:tag/atom.xml', { config: PUBLIC, schema: { hide: true, params: tagParams } }, async (request, reply) => sendFeed(reply, 'atom', (request.params as { tag: string }).tag));

  app.get('/sitemap.xml', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => {
    const s = await site();
    if (!s) return notFoundPage(reply, fallbackSite);
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(sitemapXml(s.ctx, await sitemapData(services, s.clinicId)));
  });

  app.get('/robots.txt', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(robotsTxt({ ...fallbackSite })));
}

/** The thread a reply link points at (a reply to a reply joins the top-level comment's thread). */
function findThread(comments: PublicComment[], id: string): PublicComment | null {
  for (const c of comments) {
    if (c.id === id || c.replies.some((r) => r.id === id)) return c;
  }
  return null;
}
