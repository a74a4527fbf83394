import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';

/** Staff API for articles and comment moderation (education issue). */
export const educationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {};
