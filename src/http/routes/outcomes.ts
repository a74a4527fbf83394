import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';

/** Staff API for instruments, follow-up schedules, responses and the outcome summary (outcomes issue). */
export const outcomeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {};
