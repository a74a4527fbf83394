import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp, DEFAULT_WEB_DIR } from './http/app.js';
import { preparationReportPages } from './pages/preparation-report.js';
import { publicSitePages } from './pages/public-site.js';
import { surveyPages } from './pages/survey.js';
import { screeningPages } from './pages/screening.js';
import { pathwayPrintPages } from './pages/pathway-prints.js';
import type { Services } from './services/context.js';

/**
 * The composition root: the API and staff app (http/) plus the server-rendered pages (pages/),
 * which sit above http in the layering and so are added here rather than inside buildApp.
 */
export async function createServer(options: { services: Services; logger?: FastifyBaseLogger; webDir?: string | undefined }): Promise<FastifyInstance> {
  const app = await buildApp({ services: options.services, logger: options.logger, webDir: 'webDir' in options ? options.webDir : DEFAULT_WEB_DIR });
  await app.register(publicSitePages, { services: options.services });
  await app.register(surveyPages, { services: options.services });
  await app.register(screeningPages, { services: options.services });
  await app.register(preparationReportPages, { services: options.services });
  await app.register(pathwayPrintPages, { services: options.services });
  return app;
}
