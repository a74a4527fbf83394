import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/context.js';

/** The patient's survey pages, reached from an emailed link — server-rendered, phone first, no JavaScript required. */
export async function surveyPages(_app: FastifyInstance, _opts: { services: Services }): Promise<void> {}
