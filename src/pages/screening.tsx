import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/context.js';

/** The public self-screening ("Could PRP help my back pain?") and consultation request — server-rendered, no JavaScript required. */
export async function screeningPages(_app: FastifyInstance, _opts: { services: Services }): Promise<void> {}
