import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';

/** Staff API of the clinical pathway (pathway issue). */
export const pathwayRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {};
