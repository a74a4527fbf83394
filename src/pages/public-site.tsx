import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/context.js';

/** The public site (articles, feeds, sitemap) — server-rendered, no JavaScript required. */
export async function publicSitePages(_app: FastifyInstance, _opts: { services: Services }): Promise<void> {}
