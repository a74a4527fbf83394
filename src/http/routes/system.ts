import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/context.js';

export async function systemRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(services.store.db);
      return { status: 'ready', database: services.store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', detail: 'The database does not answer.' });
    }
  });
}
