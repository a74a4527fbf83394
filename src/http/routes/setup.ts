import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createFirstAdmin, isSetupNeeded } from '../../services/auth.js';
import type { Services } from '../../services/context.js';
import { Email } from '../schemas.js';
import { startSession } from './auth.js';

export const setupRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/setup', {
    config: { access: 'public' },
    schema: { tags: ['setup'], summary: 'Whether first-run setup is still needed', response: { 200: Type.Object({ needed: Type.Boolean() }) } },
  }, async () => ({ needed: await isSetupNeeded(services.store) }));

  app.post('/api/v1/setup', {
    config: { access: 'public' },
    schema: {
      tags: ['setup'],
      summary: 'Create the clinic and its first administrator (only while no account exists; 403 afterwards)',
      body: Type.Object({
        clinicName: Type.String({ minLength: 1, maxLength: 200 }),
        timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        displayName: Type.String({ minLength: 1, maxLength: 200 }),
        email: Email,
        password: Type.String({ minLength: 1, maxLength: 256 }),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const body = request.body;
    await createFirstAdmin(services.store, body, request.ip);
    const session = await startSession(services, request, reply, { email: body.email, password: body.password });
    return reply.code(201).send(session);
  });
};
