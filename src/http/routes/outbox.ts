import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { listOutbox } from '../../services/outbox.js';
import { actorOf } from '../access.js';
import { Id, IsoInstant, Nullable } from '../schemas.js';

const OutboxSchema = Type.Object({
  id: Id, kind: Type.String(), to: Type.String(), subject: Type.String(), status: Type.Enum(['pending', 'sending', 'sent', 'failed']), attempts: Type.Integer(),
  nextAttemptAt: IsoInstant, lastError: Nullable(Type.String()), createdAt: IsoInstant, sentAt: Nullable(IsoInstant),
});

export const outboxRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/outbox', {
    config: { access: 'outbox:read' },
    schema: {
      tags: ['outbox'], summary: 'Outgoing email of the clinic, newest first, with delivery status',
      querystring: Type.Object({ status: Type.Optional(Type.Enum(['pending', 'sending', 'sent', 'failed'])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ smtpConfigured: Type.Boolean(), messages: Type.Array(OutboxSchema) }) },
    },
  }, async (request) => ({ smtpConfigured: Boolean(services.config.smtpUrl), messages: await listOutbox(services.store, actorOf(request).clinicId, request.query) }));
};
