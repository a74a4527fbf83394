import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import {
  createPreparation,
  getPreparation,
  listPreparations,
  readAnalyserLine,
  recomputePreparation,
  updatePreparation,
} from '../../services/preparations.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { AnalyserLineBody, AnalyserLineSchema, PreparationSchema, preparationBody } from './preparation-schemas.js';
import { protocolRoutes } from './protocols.js';

/**
 * Staff API for protocols, kits and preparation records (preparation issue). The printable
 * report (GET /api/v1/preparations/:id/report) is a server-rendered page: src/pages/preparation-report.tsx.
 */
export const preparationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  await app.register(protocolRoutes, { services });

  app.get('/api/v1/episodes/:id/preparations', {
    config: { access: 'preparation:read' },
    schema: { tags: ['preparations'], summary: 'An episode’s preparations in draw order (audited as a read of patient data)', params: IdParams, response: { 200: Type.Array(PreparationSchema) } },
  }, async (request) => listPreparations(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/preparations', {
    config: { access: 'preparation:write' },
    schema: {
      tags: ['preparations'],
      summary: 'Record a preparation: pre-filled from protocolId where left empty; metrics, classifications and completeness computed and stored with the science version',
      params: IdParams, body: preparationBody('create'), response: { 201: PreparationSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createPreparation(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/preparations/:id', {
    config: { access: 'preparation:read' },
    schema: { tags: ['preparations'], summary: 'One preparation with its stored computations (the read is audited)', params: IdParams, response: { 200: PreparationSchema } },
  }, async (request) => getPreparation(services, actorOf(request), request.params.id));

  app.patch('/api/v1/preparations/:id', {
    config: { access: 'preparation:write' },
    schema: {
      tags: ['preparations'], summary: 'Change a preparation (JSON merge patch: null clears); a count the stored analyser line gives changes only with a new line or analyserLine: null; recomputes and audits the changed fields',
      params: IdParams, body: preparationBody('patch'), response: { 200: PreparationSchema },
    },
  }, async (request) => updatePreparation(services, actorOf(request), request.params.id, request.body));

  app.post('/api/v1/preparations/:id/recompute', {
    config: { access: 'preparation:write' },
    schema: {
      tags: ['preparations'], summary: 'Recompute the stored results with the running science library (explicit and audited; never automatic)',
      // No body: the action needs none, and clients may send none at all.
      params: IdParams, response: { 200: PreparationSchema },
    },
  }, async (request) => recomputePreparation(services, actorOf(request), request.params.id));

  app.post('/api/v1/analyser-line', {
    config: { access: 'preparation:write' },
    schema: {
      tags: ['preparations'], summary: 'Read a pasted haematology-analyser line into counts in Autolog units (nothing is stored)',
      body: AnalyserLineBody, response: { 200: AnalyserLineSchema },
    },
  }, async (request) => readAnalyserLine(actorOf(request), request.body));
};
