import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { getInstructions, sendInstructions } from '../../services/instructions.js';
import { getLead, listLeads, updateLead } from '../../services/leads.js';
import { getEpisodeTimeline, getWorklist } from '../../services/pathway-overview.js';
import { getPathwaySettings, updatePathwaySettings } from '../../services/pathway-settings.js';
import { actorOf } from '../access.js';
import { IdParams, Role } from '../schemas.js';
import { pathwayAssessmentRoutes } from './pathway-assessments.js';
import { pathwayConsentRoutes } from './pathway-consents.js';
import { pathwayCustodyRoutes } from './pathway-custody.js';
import { pathwayProcedureRoutes } from './pathway-procedures.js';
import {
  InstructionSendSchema, InstructionsSchema, LeadSchema, LeadStatusSchema, LeadUpdateBody, SettingsBody, SettingsSchema, TimelineSchema, WorklistSchema,
} from './pathway-schemas.js';

/**
 * Staff API of the clinical pathway: leads from the public screening, assessment and decision,
 * consent, instructions, chain of custody, the injection, adverse events, the episode timeline
 * and the role worklists. The public self-screening itself is a page (src/pages/screening.tsx);
 * the printable consent, label and instructions are pages too (src/pages/pathway-prints.tsx).
 */
export const pathwayRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  await app.register(pathwayAssessmentRoutes, { services });
  await app.register(pathwayConsentRoutes, { services });
  await app.register(pathwayCustodyRoutes, { services });
  await app.register(pathwayProcedureRoutes, { services });

  app.get('/api/v1/pathway-settings', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'Wash-out windows, thresholds and the product time limit, with Autolog’s defaults and their sources', response: { 200: SettingsSchema } },
  }, async (request) => getPathwaySettings(services, actorOf(request)));

  app.put('/api/v1/pathway-settings', {
    config: { access: 'clinic:manage' },
    schema: { tags: ['pathway'], summary: 'Change pathway settings (null restores the default); audited with old and new values', body: SettingsBody, response: { 200: SettingsSchema } },
  }, async (request) => updatePathwaySettings(services, actorOf(request), request.body));

  app.get('/api/v1/leads', {
    config: { access: 'lead:read' },
    schema: {
      tags: ['pathway'], summary: 'Consultation requests from the public self-screening, oldest first (audited as a search)',
      querystring: Type.Object({ status: Type.Optional(LeadStatusSchema), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Array(LeadSchema) },
    },
  }, async (request) => listLeads(services, actorOf(request), request.query));

  app.get('/api/v1/leads/:id', {
    config: { access: 'lead:read' },
    schema: { tags: ['pathway'], summary: 'One consultation request (audited)', params: IdParams, response: { 200: LeadSchema } },
  }, async (request) => getLead(services, actorOf(request), request.params.id));

  app.patch('/api/v1/leads/:id', {
    config: { access: 'lead:write' },
    schema: { tags: ['pathway'], summary: 'Progress a lead: status, note, and the patient record it became', params: IdParams, body: LeadUpdateBody, response: { 200: LeadSchema } },
  }, async (request) => updateLead(services, actorOf(request), request.params.id, request.body));

  app.get('/api/v1/episodes/:id/instructions', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'Pre- and post-procedure instructions for the planned date, and what was emailed (audited)', params: IdParams, response: { 200: InstructionsSchema } },
  }, async (request) => getInstructions(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/instructions/send', {
    config: { access: 'instructions:send' },
    schema: {
      tags: ['pathway'], summary: 'Email the instructions to the patient through the outbox (re-sent automatically when the procedure date moves)',
      params: IdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 201: InstructionSendSchema },
    },
  }, async (request, reply) => reply.code(201).send(await sendInstructions(services, actorOf(request), request.params.id)));

  app.get('/api/v1/episodes/:id/timeline', {
    config: { access: 'episode:read' },
    schema: { tags: ['pathway'], summary: 'Every step of the episode with its state, who and when, and every event in order (audited)', params: IdParams, response: { 200: TimelineSchema } },
  }, async (request) => getEpisodeTimeline(services, actorOf(request), request.params.id));

  app.get('/api/v1/worklist', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['pathway'], summary: 'Your role’s worklist and the clinic-wide alerts (an administrator may ask for any role’s)',
      querystring: Type.Object({ role: Type.Optional(Role) }, { additionalProperties: false }), response: { 200: WorklistSchema },
    },
  }, async (request) => getWorklist(services, actorOf(request), request.query));
};
