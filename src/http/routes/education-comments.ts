import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  deleteComment, getEducationSettings, listComments, moderateComment, replyAsClinic, updateEducationSettings,
} from '../../services/comments.js';
import type { Services } from '../../services/context.js';
import { actorOf } from '../access.js';
import { Id, IdParams, pageOf, PageQueryFields } from '../schemas.js';
import { CommentSchema, CommentStatus, ReplyBody, SettingsSchema } from './education-schemas.js';

/** Staff API for readers' comments: the moderation queue, decisions, replies as the clinic, the comment setting. */
export const educationCommentRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/comments', {
    config: { access: 'comment:moderate' },
    schema: {
      tags: ['comments'], summary: 'Comments by status (the moderation queue is status=pending, oldest first) or by article',
      querystring: Type.Object({
        status: Type.Optional(CommentStatus), articleId: Type.Optional(Id),
        ...PageQueryFields,
      }, { additionalProperties: false }),
      response: { 200: pageOf(CommentSchema) },
    },
  }, async (request) => listComments(services, actorOf(request), request.query));

  app.patch('/api/v1/comments/:id', {
    config: { access: 'comment:moderate' },
    schema: {
      tags: ['comments'], summary: 'Approve, reject or mark as spam (or put back to pending)',
      params: IdParams,
      body: Type.Object({ status: CommentStatus }, { additionalProperties: false }),
      response: { 200: CommentSchema },
    },
  }, async (request) => moderateComment(services, actorOf(request), request.params.id, request.body));

  app.delete('/api/v1/comments/:id', {
    config: { access: 'comment:moderate' },
    schema: { tags: ['comments'], summary: 'Delete a comment and its replies', params: IdParams },
  }, async (request, reply) => {
    await deleteComment(services, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/comments/:id/replies', {
    config: { access: 'comment:moderate' },
    schema: {
      tags: ['comments'], summary: 'Reply as the clinic (shown at once, with the staff badge); the comment must be approved',
      params: IdParams,
      body: Type.Object({ bodyMarkdown: ReplyBody }, { additionalProperties: false }),
      response: { 201: CommentSchema },
    },
  }, async (request, reply) => reply.code(201).send(await replyAsClinic(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/education/settings', {
    config: { access: 'comment:moderate' },
    schema: { tags: ['comments'], summary: 'The clinic’s comment setting', response: { 200: SettingsSchema } },
  }, async (request) => getEducationSettings(services, actorOf(request)));

  app.put('/api/v1/education/settings', {
    config: { access: 'clinic:manage' },
    schema: {
      tags: ['comments'], summary: 'Comments off, pre-moderated (default), or open after a first approved comment',
      body: Type.Object({ commentMode: SettingsSchema.properties.commentMode }, { additionalProperties: false }),
      response: { 200: SettingsSchema },
    },
  }, async (request) => updateEducationSettings(services, actorOf(request), request.body));
};
