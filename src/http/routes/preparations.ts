import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';

/** Staff API for protocols, kits and preparation records (preparation issue). */
export const preparationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {};
