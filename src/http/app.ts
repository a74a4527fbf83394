import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../services/context.js';
import { ServiceError } from '../services/errors.js';
import { declarePublicRoutes, registerAccessControl } from './access.js';
import { sendProblem, toProblem, problemType } from './problem.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { episodeRoutes } from './routes/episodes.js';
import { metaRoutes } from './routes/meta.js';
import { outboxRoutes } from './routes/outbox.js';
import { patientRoutes } from './routes/patients.js';
import { educationRoutes } from './routes/education.js';
import { preparationRoutes } from './routes/preparations.js';
import { outcomeRoutes } from './routes/outcomes.js';
import { setupRoutes } from './routes/setup.js';
import { staffRoutes } from './routes/staff.js';
import { systemRoutes } from './routes/system.js';
import { ProblemSchema } from './schemas.js';

export interface AppOptions {
  services: Services;
  /** A pino logger; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
  /** The built staff app (Vite output); served at /app/ when present. */
  webDir?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/web beside the compiled server, or the repository's dist/web when running from src. */
export const DEFAULT_WEB_DIR = [path.resolve(here, '../web'), path.resolve(here, '../../dist/web')].find((d) => fs.existsSync(path.join(d, 'index.html')));

export async function buildApp({ services, logger, webDir = DEFAULT_WEB_DIR }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: 256 * 1024,
    // Unknown fields are errors, not silently dropped; every field error is reported at once.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a cross-site HTML form can post text/plain or urlencoded, never application/json.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error as Error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    const retry = error instanceof ServiceError ? error.extra.retryAfterSeconds : undefined;
    return sendProblem(reply, problem, retry);
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !webDir) {
      return sendProblem(reply, { type: problemType('not-found'), title: 'Not found', status: 404, detail: `There is nothing at ${request.method} ${request.url.split('?')[0]}.`, instance: request.url.split('?')[0] });
    }
    // Deep links into the staff app (e.g. /app/patients/…) are resolved by the SPA's router.
    if (request.url.startsWith('/app/') && request.method === 'GET') return reply.type('text/html').sendFile('index.html', webDir);
    return sendProblem(reply, { type: problemType('not-found'), title: 'Not found', status: 404, detail: 'This page does not exist.' });
  });

  const https = services.config.publicUrl.startsWith('https:');
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"], baseUri: ["'self'"],
        // Only behind https: on a plain-http LAN address these would break every request.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    hsts: https,
    crossOriginEmbedderPolicy: false,
  });
  registerAccessControl(app, services);
  app.addSchema(ProblemSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Autolog API', version: '1', description: 'Staff API of Autolog. Cookie sessions; writes need the X-CSRF-Token header from GET /api/v1/auth/session. Errors are RFC 9457 problem documents.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'autolog_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(async (docs) => {
    declarePublicRoutes(docs);
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
    docs.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });

  await app.register(systemRoutes, { services });
  await app.register(setupRoutes, { services });
  await app.register(authRoutes, { services });
  await app.register(metaRoutes);
  await app.register(staffRoutes, { services });
  await app.register(patientRoutes, { services });
  await app.register(episodeRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(outboxRoutes, { services });
  await app.register(educationRoutes, { services });
  await app.register(preparationRoutes, { services });
  await app.register(outcomeRoutes, { services });

  if (webDir) {
    await app.register(async (web) => {
      declarePublicRoutes(web);
      await web.register(fastifyStatic, { root: webDir, prefix: '/app/', index: ['index.html'], maxAge: '1h', immutable: false });
    });
  }
  return app;
}
