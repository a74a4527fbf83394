import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import type { ReactNode } from 'react';
import { screeningOutcome } from '../science/index.js';
import type { Services } from '../services/context.js';
import { ServiceError } from '../services/errors.js';
import { submitConsultationRequest } from '../services/leads.js';
import { siteClinic, type SiteClinic } from '../services/public-articles.js';
import { renderDocument, type SiteContext } from './site/layout.js';
import { MessagePage } from './site/views.js';
import { ConsultationPage, ScreeningPage, ThanksPage, UrgentCarePage, type ConsultationFormState, type FormValues } from './screening/views.js';

/**
 * The public self-screening ("Could PRP help my back pain?") and consultation request —
 * server-rendered, phone first, no JavaScript required.
 *
 *   GET  /screening               the questions (pain, duration, what was tried, the red flags)
 *   POST /screening               any red flag → "seek urgent care now", and nothing else;
 *                                 otherwise what a clinician assesses and the request form (#consultation)
 *   POST /screening/consultation  the request becomes a lead (red flags re-checked; honeypot, per-address
 *                                 limit and sizes enforced; nothing is stored from a rejected request)
 *   GET  /screening/thanks        after a request
 *
 * Which clinic: public pages carry no clinic in their address, so, like the public site, they
 * speak for the clinic `siteClinic` names — the single clinic of an ordinary deployment. A server
 * that hosts several clinics would pick one per request by host name (a clinic ↔ host table read
 * in `siteClinic`); these routes would not change.
 */

const PUBLIC = { access: 'public' } as const;
/** The longest honest form (answers, name, contact, preferred time) is well under 4 KB. */
const FORM_BODY_LIMIT = 16 * 1024;

function send(reply: FastifyReply, status: number, page: ReactNode): FastifyReply {
  // Health answers: never kept by a browser or proxy cache.
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(page));
}

function text(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

export async function screeningPages(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // The urlencoded parser exists only inside this plugin: the JSON API keeps refusing form posts.
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });

  const fallback: SiteContext = { name: 'Autolog', publicUrl: services.config.publicUrl, timeZone: 'UTC' };
  const contextOf = (clinic: SiteClinic): SiteContext => ({ name: clinic.name, publicUrl: services.config.publicUrl, timeZone: clinic.timeZone });
  const site = async (): Promise<SiteContext | null> => {
    const clinic = await siteClinic(services);
    return clinic ? contextOf(clinic) : null;
  };
  const notReady = (reply: FastifyReply) => send(reply, 404, <MessagePage site={fallback} title="Not available yet" message="This clinic has not finished setting up its site." />);

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const ctx = (await site().catch(() => null)) ?? fallback;
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'screening page failed');
    const message = status === 413 ? 'What you sent is larger than this form accepts.' : status >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : 'The request could not be handled.';
    return send(reply, status, <MessagePage site={ctx} title={status >= 500 ? 'Sorry, something went wrong' : 'Request refused'} message={message} />);
  });

  app.get('/screening', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => {
    const ctx = await site();
    if (!ctx) return notReady(reply);
    return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(renderDocument(<ScreeningPage site={ctx} />));
  });

  app.post('/screening', { config: PUBLIC, bodyLimit: FORM_BODY_LIMIT, schema: { hide: true } }, async (request, reply) => {
    const ctx = await site();
    if (!ctx) return notReady(reply);
    const form = (request.body ?? {}) as FormValues;
    const outcome = screeningOutcome(form);
    if (outcome.kind === 'urgent') return send(reply, 200, <UrgentCarePage site={ctx} flags={outcome.flags} />);
    if (outcome.kind === 'incomplete') return send(reply, 400, <ScreeningPage site={ctx} values={form} errors={outcome.errors} />);
    return send(reply, 200, <ConsultationPage site={ctx} answers={outcome.answers} />);
  });

  app.post('/screening/consultation', { config: PUBLIC, bodyLimit: FORM_BODY_LIMIT, schema: { hide: true } }, async (request, reply) => {
    const clinic = await siteClinic(services);
    if (!clinic) return notReady(reply);
    const ctx = contextOf(clinic);
    const body = request.body as FormValues | undefined;
    // The answers come back as hidden fields: checked again, so a red flag can never become a lead.
    const outcome = screeningOutcome(body ?? {});
    if (outcome.kind === 'urgent') return send(reply, 200, <UrgentCarePage site={ctx} flags={outcome.flags} />);
    if (outcome.kind === 'incomplete') return send(reply, 400, <ScreeningPage site={ctx} values={body} errors={outcome.errors} />);
    const values: ConsultationFormState['values'] = {
      name: text(body, 'name'), email: text(body, 'email'), phone: text(body, 'phone'), preferredTime: text(body, 'preferredTime'), consentToContact: text(body, 'consentToContact') === 'yes',
    };
    try {
      await submitConsultationRequest(services, clinic.id, { answers: outcome.answers, ...values, honeypot: text(body, 'website'), address: request.ip });
      // An explicit fragment: otherwise the browser carries the form's #consultation over the redirect.
      return reply.code(303).header('location', '/screening/thanks#main').send();
    } catch (error) {
      if (!(error instanceof ServiceError) || (error.kind !== 'invalid' && error.kind !== 'rate-limited')) throw error;
      const errors = (error.extra.data?.errors as ConsultationFormState['errors'] | undefined) ?? [];
      if (error.extra.retryAfterSeconds) void reply.header('retry-after', String(error.extra.retryAfterSeconds));
      return send(reply, error.kind === 'invalid' ? 400 : 429, <ConsultationPage site={ctx} answers={outcome.answers} form={{ values, errors, ...(errors.length === 0 && { message: error.message }) }} />);
    }
  });

  app.get('/screening/thanks', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => {
    const ctx = await site();
    if (!ctx) return notReady(reply);
    return send(reply, 200, <ThanksPage site={ctx} />);
  });
}
