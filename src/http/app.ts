import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import zlib from 'node:zlib';
import compress from '@fastify/compress';
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
import { pathwayRoutes } from './routes/pathway.js';
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
/**
 * The built staff app: dist/web beside the compiled server, or the repository's dist/web when the
 * server runs from src (where src/web holds the unbuilt sources, recognisable by no assets/ folder).
 */
export const DEFAULT_WEB_DIR = [path.resolve(here, '../web'), path.resolve(here, '../../dist/web')].find((d) => fs.existsSync(path.join(d, 'index.html')) && fs.existsSync(path.join(d, 'assets')));

/** A hop count becomes the equivalent predicate (Fastify's types omit the numeric form). */
function trustProxyOption(value: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

export async function buildApp({ services, logger, webDir = DEFAULT_WEB_DIR }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: 256 * 1024,
    trustProxy: trustProxyOption(services.config.trustProxy ?? false),
    // Unknown fields are errors, not silently dropped; every field error is reported at once.
    ajv: {
      // `verbose` hands the failing schema to the error formatter, which reads its `formatHint`
      // so a pattern failure says what is expected instead of printing the regular expression.
      customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true, verbose: true, keywords: ['formatHint'] },
    },
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
    // Deep links into the staff app (e.g. /app/patients/…) are resolved by the SPA's router;
    // a missing file (a path with an extension, e.g. an old asset) is a real 404.
    const pathname = request.url.split('?')[0]!;
    if (pathname.startsWith('/app/') && request.method === 'GET' && !/\.[a-z0-9]+$/i.test(pathname)) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html', webDir, { maxAge: 0 });
    }
    return sendProblem(reply, { type: problemType('not-found'), title: 'Not found', status: 404, detail: 'This page does not exist.' });
  });

  const https = services.config.publicUrl.startsWith('https:');
  // Brotli at a moderate quality: on-the-fly level 11 would cost more CPU than it saves bytes.
  await app.register(compress, { threshold: 1024, brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } });
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
  await app.register(pathwayRoutes, { services });

  if (webDir) {
    await app.register(async (web) => {
      declarePublicRoutes(web);
      await web.register(fastifyStatic, {
        root: webDir, prefix: '/app/', index: ['index.html'], cacheControl: false,
        // Hashed assets never change; index.html must be revalidated so a deploy is seen at once.
        setHeaders: (res, filePath) => void res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      });
      web.get('/app', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
    });
  }
  return app;
}
