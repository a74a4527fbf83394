import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createArticle, deleteArticle, getArticle, getAuthorProfile, getRevision, listArticles, listRevisions, previewArticle, publishArticle,
  restoreRevision, unpublishArticle, updateArticle, updateAuthorProfile,
} from '../../services/articles.js';
import type { Services } from '../../services/context.js';
import { actorOf } from '../access.js';
import { IdParams, pageOf, PageQueryFields } from '../schemas.js';
import {
  ArticleSchema, ArticleStatus, ArticleSummarySchema, AuthorProfileSchema, RevisionSchema, RevisionSummarySchema, articleFields, authorProfileFields,
} from './education-schemas.js';
import { educationCommentRoutes } from './education-comments.js';
import { educationCoverRoutes } from './education-covers.js';

/**
 * Staff API for the clinic's articles (this file), their cover images (education-covers.ts) and
 * comment moderation (education-comments.ts).
 * The staff app's editor calls these; the public site reads the same services directly.
 */
export const educationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const f = articleFields;

  app.get('/api/v1/articles', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'], summary: 'The clinic’s articles, last changed first, with views over 30 days and comments waiting',
      querystring: Type.Object({
        status: Type.Optional(ArticleStatus), q: Type.Optional(Type.String({ maxLength: 100 })), tag: Type.Optional(Type.String({ maxLength: 40 })),
        ...PageQueryFields,
      }, { additionalProperties: false }),
      response: { 200: pageOf(ArticleSummarySchema) },
    },
  }, async (request) => listArticles(services, actorOf(request), request.query));

  app.post('/api/v1/articles', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'], summary: 'Write a new article (a draft; revision 1). Without a slug, one is made from the title; a taken slug answers 409.',
      body: Type.Object({
        slug: Type.Optional(f.slug), title: f.title, summary: f.summary, bodyMarkdown: f.bodyMarkdown, tags: Type.Optional(f.tags), references: Type.Optional(f.references),
        indication: Type.Optional(f.indication), authorId: Type.Optional(f.authorId), reviewerId: Type.Optional(f.reviewerId), lastReviewedOn: Type.Optional(f.lastReviewedOn),
      }, { additionalProperties: false }),
      response: { 201: ArticleSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createArticle(services, actorOf(request), request.body)));

  app.post('/api/v1/articles/preview', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'], summary: 'Render Markdown exactly as the public page will (live preview); nothing is saved',
      body: Type.Object({ bodyMarkdown: f.bodyMarkdown, referenceCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ html: Type.String(), cited: Type.Array(Type.Integer()) }) },
    },
  }, async (request) => previewArticle(actorOf(request), request.body));

  app.get('/api/v1/articles/:id', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'One article with its tags and references', params: IdParams, response: { 200: ArticleSchema } },
  }, async (request) => getArticle(services, actorOf(request), request.params.id));

  app.patch('/api/v1/articles/:id', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'], summary: 'Change an article; a change of content saves a new revision. Send `revision` to be told (409) if someone saved meanwhile.',
      params: IdParams,
      body: Type.Object({
        slug: Type.Optional(f.slug), title: Type.Optional(f.title), summary: Type.Optional(f.summary), bodyMarkdown: Type.Optional(f.bodyMarkdown),
        tags: Type.Optional(f.tags), references: Type.Optional(f.references), indication: Type.Optional(f.indication), authorId: Type.Optional(f.authorId),
        reviewerId: Type.Optional(f.reviewerId), lastReviewedOn: Type.Optional(f.lastReviewedOn),
        revision: Type.Optional(Type.Integer({ minimum: 1, description: 'The revision you started editing from.' })),
      }, { additionalProperties: false }),
      response: { 200: ArticleSchema },
    },
  }, async (request) => updateArticle(services, actorOf(request), request.params.id, request.body));

  app.post('/api/v1/articles/:id/publish', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'], summary: 'Publish now, or schedule for a later publishAt (needs a medical reviewer and review date)',
      params: IdParams,
      body: Type.Object({ publishAt: Type.Optional(Type.String({ format: 'date-time', description: 'ISO-8601; in the future to schedule.' })) }, { additionalProperties: false }),
      response: { 200: ArticleSchema },
    },
  }, async (request) => publishArticle(services, actorOf(request), request.params.id, request.body));

  app.post('/api/v1/articles/:id/unpublish', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'Take an article off the site (back to draft)', params: IdParams, response: { 200: ArticleSchema } },
  }, async (request) => unpublishArticle(services, actorOf(request), request.params.id));

  app.delete('/api/v1/articles/:id', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'Delete an article with its revisions, comments and view counts', params: IdParams },
  }, async (request, reply) => {
    await deleteArticle(services, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/api/v1/articles/:id/revisions', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'An article’s revisions, newest first', params: IdParams, response: { 200: Type.Array(RevisionSummarySchema) } },
  }, async (request) => listRevisions(services, actorOf(request), request.params.id));

  app.get('/api/v1/article-revisions/:id', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'One revision whole (to compare)', params: IdParams, response: { 200: RevisionSchema } },
  }, async (request) => getRevision(services, actorOf(request), request.params.id));

  app.post('/api/v1/article-revisions/:id/restore', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'Make this revision’s content current again (saved as a new revision)', params: IdParams, response: { 200: ArticleSchema } },
  }, async (request) => restoreRevision(services, actorOf(request), request.params.id));

  app.get('/api/v1/author-profiles/:id', {
    config: { access: 'article:write' },
    schema: { tags: ['articles'], summary: 'A staff member’s credentials and biography as shown on articles (id: the staff id)', params: IdParams, response: { 200: AuthorProfileSchema } },
  }, async (request) => getAuthorProfile(services, actorOf(request), request.params.id));

  app.put('/api/v1/author-profiles/:id', {
    config: { access: 'article:write' },
    schema: {
      tags: ['articles'], summary: 'Set your credentials and biography (an administrator may set anyone’s)',
      params: IdParams,
      body: Type.Object({ credentials: Type.Optional(authorProfileFields.credentials), bio: Type.Optional(authorProfileFields.bio) }, { additionalProperties: false }),
      response: { 200: AuthorProfileSchema },
    },
  }, async (request) => updateAuthorProfile(services, actorOf(request), request.params.id, request.body));

  await app.register(educationCommentRoutes, { services });
  await app.register(educationCoverRoutes, { services });
};
