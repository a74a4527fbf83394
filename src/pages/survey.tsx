import type { FastifyInstance, FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Services } from '../services/context.js';
import { openSurveyLink, optOutFromLink, patientProgress, submitSurveyStep, type SurveyAction, type SurveyContext, type SurveyLink } from '../services/survey.js';
import { formatDate, messagesFor, type Messages } from './survey/messages.js';
import { answersFromForm } from './survey/questionnaire-form.js';
import { DonePage, MessagePage, OptOutPage, SavedPage, StepPage, surveyUrl } from './survey/views.js';

/**
 * The patient's survey pages, reached from an emailed link — server-rendered, phone first, no
 * JavaScript. Plain HTML forms post back here (urlencoded); every answer is committed before the
 * next page is shown, and a repeated post changes nothing (services/survey.ts).
 *
 *   GET  /survey?t=…[&step=…]   the next questionnaire, or the progress page when done
 *   POST /survey                save a page (next / back / finish later)
 *   GET  /survey/stop?t=…       "stop these questions?"
 *   POST /survey/stop           stop follow-up (opt-out)
 */

const ACTIONS: readonly SurveyAction[] = ['next', 'back', 'later'];
const MAX_TOKEN = 200;

function send(reply: FastifyReply, status: number, page: ReactNode): FastifyReply {
  return reply.code(status)
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>${renderToStaticMarkup(page)}`);
}

function contextLanguage(link: SurveyLink): Messages {
  return messagesFor(link.kind === 'open' || link.kind === 'completed' ? link.context.patient.language : null);
}

/** Every state of a link other than "answer the next page" is a short, kind page. */
function linkPage(reply: FastifyReply, link: Exclude<SurveyLink, { kind: 'open' } | { kind: 'completed' }>): FastifyReply {
  const m = messagesFor(null);
  switch (link.kind) {
    case 'invalid': return send(reply, 404, <MessagePage m={m} clinic={null} title={m.invalidTitle} body={m.invalidBody} />);
    case 'throttled':
      void reply.header('retry-after', String(link.retryAfterSeconds));
      return send(reply, 429, <MessagePage m={m} clinic={null} title={m.throttledTitle} body={m.throttledBody(Math.ceil(link.retryAfterSeconds / 60))} />);
    case 'expired': return send(reply, 410, <MessagePage m={m} clinic={link.clinic} title={m.expiredTitle} body={m.expiredBody} />);
    case 'stopped': return send(reply, 200, <MessagePage m={m} clinic={link.clinic} title={m.stoppedTitle} body={m.stoppedBody} />);
    case 'not-yet': return send(reply, 200, <MessagePage m={m} clinic={link.clinic} title={m.notYetTitle} body={m.notYetBody(formatDate(link.opensOn, m))} />);
  }
}

function firstText(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.slice(0, MAX_TOKEN) : '';
}

export async function surveyPages(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { store } = services;
  // Only these pages read HTML forms; the JSON API stays JSON-only (a cross-site form cannot post JSON).
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  // A kind page for anything unexpected here, never a JSON problem document.
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode && (error as { statusCode: number }).statusCode < 500 ? (error as { statusCode: number }).statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'survey page failed');
    const m = messagesFor(null);
    return send(reply, status, <MessagePage m={m} clinic={null} title={m.errorTitle} body={m.errorBody} />);
  });

  const showStep = async (reply: FastifyReply, token: string, context: SurveyContext, requested: string | undefined, status = 200, values?: Record<string, unknown>, problems = [] as Parameters<typeof StepPage>[0]['problems']) => {
    const m = messagesFor(context.patient.language);
    const { steps } = context;
    if (steps.length === 0) return showDone(reply, context);
    let index = requested ? steps.findIndex((s) => s.code === requested) : -1;
    if (index < 0) index = Math.max(0, steps.findIndex((s) => s.status !== 'completed'));
    return send(reply, status, <StepPage context={context} stepIndex={index} values={values ?? steps[index]!.answers} problems={problems} token={token} m={m} />);
  };

  const showDone = async (reply: FastifyReply, context: SurveyContext) => {
    const progress = await patientProgress(store, context);
    return send(reply, 200, <DonePage context={context} progress={progress} m={messagesFor(context.patient.language)} />);
  };

  app.get('/survey', {
    config: { access: 'public' },
    schema: { hide: true, querystring: { type: 'object', properties: { t: { type: 'string', maxLength: MAX_TOKEN }, step: { type: 'string', maxLength: 50 } } } },
  }, async (request, reply) => {
    const query = request.query as { t?: string; step?: string };
    const token = query.t ?? '';
    const link = await openSurveyLink(store, token, request.ip);
    if (link.kind === 'completed') return showDone(reply, link.context);
    if (link.kind === 'open') return showStep(reply, token, link.context, query.step);
    return linkPage(reply, link);
  });

  app.post('/survey', {
    config: { access: 'public' },
    schema: { hide: true, body: { type: 'object' } },
  }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const token = firstText(body.t);
    const step = firstText(body.step);
    const requested = firstText(body.action) as SurveyAction;
    const action: SurveyAction = ACTIONS.includes(requested) ? requested : 'next';
    const result = await submitSurveyStep(store, token, request.ip, { step, action, answers: answersFromForm(body) });
    if (result.kind === 'problems') {
      // 400 with the page as the patient filled it in, each problem named by its question.
      return showStep(reply, token, result.link.context, result.step, 400, result.answers, result.problems);
    }
    if (result.kind === 'saved') {
      if (action === 'later') return send(reply, 200, <SavedPage context={result.link.context} token={token} step={result.step} m={contextLanguage(result.link)} />);
      // Post/redirect/get: a reload never posts twice, and the answer is committed already.
      return reply.code(303).header('cache-control', 'no-store').redirect(surveyUrl(token, result.completed ? undefined : result.nextStep ?? undefined), 303);
    }
    const { link } = result;
    if (link.kind === 'open' || link.kind === 'completed') return reply.code(303).redirect(surveyUrl(token), 303);
    return linkPage(reply, link);
  });

  app.get('/survey/stop', {
    config: { access: 'public' },
    schema: { hide: true, querystring: { type: 'object', properties: { t: { type: 'string', maxLength: MAX_TOKEN } } } },
  }, async (request, reply) => {
    const token = (request.query as { t?: string }).t ?? '';
    const link = await openSurveyLink(store, token, request.ip);
    if (link.kind === 'open' || link.kind === 'completed') return send(reply, 200, <OptOutPage m={contextLanguage(link)} clinic={link.context.clinic} token={token} />);
    return linkPage(reply, link);
  });

  app.post('/survey/stop', {
    config: { access: 'public' },
    schema: { hide: true, body: { type: 'object' } },
  }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const token = firstText(body.t);
    if (firstText(body.confirm) !== 'yes') return reply.code(303).redirect(surveyUrl(token), 303);
    const link = await optOutFromLink(store, token, request.ip);
    if (link.kind === 'stopped') {
      const m = messagesFor(null);
      return send(reply, 200, <MessagePage m={m} clinic={link.clinic} title={m.optedOutTitle} body={m.optedOutBody} />);
    }
    if (link.kind === 'open' || link.kind === 'completed') return reply.code(303).redirect(surveyUrl(token), 303);
    return linkPage(reply, link);
  });
}
