import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adverseEventHistory, listAdverseEvents, reportAdverseEvent, reviewAdverseEvent, updateAdverseEvent } from '../../services/adverse-events.js';
import type { Services } from '../../services/context.js';
import { getProcedure, listProcedures, recordProcedure } from '../../services/procedures.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { AdverseEventBody, AdverseEventPatch, AdverseEventSchema, ProcedureBody, ProcedureSchema, ReviewBody } from './pathway-schemas.js';

const ChangeValue = Type.Union([Type.String(), Type.Boolean(), Type.Null()]);
const AdverseEventChangeSchema = Type.Object({
  at: Type.String(), by: Type.Union([Type.String(), Type.Null()]), kind: Type.Union([Type.Literal('reported'), Type.Literal('updated'), Type.Literal('reviewed')]),
  fields: Type.Array(Type.String()), changes: Type.Record(Type.String(), Type.Object({ from: ChangeValue, to: ChangeValue })), reviewCleared: Type.Boolean(),
});

/** The injection record and adverse events. */
export const pathwayProcedureRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/episodes/:id/procedures', {
    config: { access: 'procedure:read' },
    schema: { tags: ['pathway'], summary: 'The episode’s injections (audited)', params: IdParams, response: { 200: Type.Array(ProcedureSchema) } },
  }, async (request) => listProcedures(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/procedures', {
    config: { access: 'procedure:write' },
    schema: {
      tags: ['pathway'],
      summary: 'Record the injection of a product that passed the bedside check; target volumes may not exceed the PRP prepared. Immutable',
      params: IdParams, body: ProcedureBody, response: { 201: ProcedureSchema },
    },
  }, async (request, reply) => reply.code(201).send(await recordProcedure(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/procedures/:id', {
    config: { access: 'procedure:read' },
    schema: { tags: ['pathway'], summary: 'One injection record (audited)', params: IdParams, response: { 200: ProcedureSchema } },
  }, async (request) => getProcedure(services, actorOf(request), request.params.id));

  app.get('/api/v1/episodes/:id/adverse-events', {
    config: { access: 'adverse-event:read' },
    schema: { tags: ['pathway'], summary: 'The episode’s adverse events (audited)', params: IdParams, response: { 200: Type.Array(AdverseEventSchema) } },
  }, async (request) => listAdverseEvents(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/adverse-events', {
    config: { access: 'adverse-event:write' },
    schema: { tags: ['pathway'], summary: 'Report an adverse event; a serious one is flagged on every home screen until reviewed', params: IdParams, body: AdverseEventBody, response: { 201: AdverseEventSchema } },
  }, async (request, reply) => reply.code(201).send(await reportAdverseEvent(services, actorOf(request), request.params.id, request.body)));

  app.patch('/api/v1/adverse-events/:id', {
    config: { access: 'adverse-event:write' },
    schema: { tags: ['pathway'], summary: 'Follow an adverse event (outcome, severity, relatedness, description)', params: IdParams, body: AdverseEventPatch, response: { 200: AdverseEventSchema } },
  }, async (request) => updateAdverseEvent(services, actorOf(request), request.params.id, request.body));

  app.get('/api/v1/adverse-events/:id/history', {
    config: { access: 'adverse-event:read' },
    schema: { tags: ['pathway'], summary: 'What changed in an adverse event over time, from its audit trail (coded values before and after; audited)', params: IdParams, response: { 200: Type.Array(AdverseEventChangeSchema) } },
  }, async (request) => adverseEventHistory(services, actorOf(request), request.params.id));

  app.post('/api/v1/adverse-events/:id/review', {
    config: { access: 'adverse-event:review' },
    schema: { tags: ['pathway'], summary: 'A clinician’s review; clears the serious-event flag', params: IdParams, body: ReviewBody, response: { 200: AdverseEventSchema } },
  }, async (request) => reviewAdverseEvent(services, actorOf(request), request.params.id, request.body));
};
