import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createConsentTemplate, getConsent, getConsentTemplate, listConsentTemplates, listConsents, signConsent, withdrawConsent } from '../../services/consents.js';
import type { Services } from '../../services/context.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { ConsentKindSchema, ConsentSchema, SignConsentBody, TemplateBody, TemplateSchema, WithdrawBody } from './pathway-schemas.js';

/**
 * Consent texts (versioned, written by the clinic) and signed consents. The printable signed copy
 * (GET /api/v1/consents/:id/print) is a server-rendered page: src/pages/pathway-prints.tsx.
 */
export const pathwayConsentRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/consent-templates', {
    config: { access: 'consent:read' },
    schema: {
      tags: ['pathway'], summary: 'The clinic’s consent texts, every version, newest first (`current` marks the one patients sign now)',
      querystring: Type.Object({ kind: Type.Optional(ConsentKindSchema) }, { additionalProperties: false }), response: { 200: Type.Array(TemplateSchema) },
    },
  }, async (request) => listConsentTemplates(services, actorOf(request), request.query));

  app.post('/api/v1/consent-templates', {
    config: { access: 'consent-template:manage' },
    schema: { tags: ['pathway'], summary: 'Publish a new version of a consent text (procedure or registry)', body: TemplateBody, response: { 201: TemplateSchema } },
  }, async (request, reply) => reply.code(201).send(await createConsentTemplate(services, actorOf(request), request.body)));

  app.get('/api/v1/consent-templates/:id', {
    config: { access: 'consent:read' },
    schema: { tags: ['pathway'], summary: 'One version of a consent text', params: IdParams, response: { 200: TemplateSchema } },
  }, async (request) => getConsentTemplate(services, actorOf(request), request.params.id));

  app.get('/api/v1/episodes/:id/consents', {
    config: { access: 'consent:read' },
    schema: { tags: ['pathway'], summary: 'The episode’s signed consents, newest first (audited)', params: IdParams, response: { 200: Type.Array(ConsentSchema) } },
  }, async (request) => listConsents(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/consents', {
    config: { access: 'consent:write' },
    // A drawn PNG signature can be a few hundred kilobytes.
    bodyLimit: 512 * 1024,
    schema: {
      tags: ['pathway'], summary: 'Record the patient’s signature (typed name and drawn signature) on the current version of a consent text; immutable once saved',
      params: IdParams, body: SignConsentBody, response: { 201: ConsentSchema },
    },
  }, async (request, reply) => reply.code(201).send(await signConsent(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/consents/:id', {
    config: { access: 'consent:read' },
    schema: { tags: ['pathway'], summary: 'One signed consent with its signature (audited)', params: IdParams, response: { 200: ConsentSchema } },
  }, async (request) => getConsent(services, actorOf(request), request.params.id));

  app.post('/api/v1/consents/:id/withdraw', {
    config: { access: 'consent:write' },
    schema: { tags: ['pathway'], summary: 'Record that the patient withdrew a consent (the signed copy is kept unchanged)', params: IdParams, body: WithdrawBody, response: { 200: ConsentSchema } },
  }, async (request) => withdrawConsent(services, actorOf(request), request.params.id, request.body));
};
