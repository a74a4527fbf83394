import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createAssessment, getAssessment, getDecision, listAssessments, listDecisions, signDecision } from '../../services/assessments.js';
import type { Services } from '../../services/context.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { AssessmentBody, AssessmentSchema, DecisionBody, DecisionSchema } from './pathway-schemas.js';

/** Assessment versions and signed eligibility decisions of an episode. */
export const pathwayAssessmentRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/episodes/:id/assessments', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'Every version of the episode’s assessment, newest first, each with the contraindication findings as of now (audited)', params: IdParams, response: { 200: Type.Array(AssessmentSchema) } },
  }, async (request) => listAssessments(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/assessments', {
    config: { access: 'assessment:write' },
    schema: {
      tags: ['pathway'], summary: 'Save a new version of the assessment (never an edit); answers with the engine’s absolute and relative findings',
      params: IdParams, body: AssessmentBody, response: { 201: AssessmentSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createAssessment(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/assessments/:id', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'One assessment version (audited)', params: IdParams, response: { 200: AssessmentSchema } },
  }, async (request) => getAssessment(services, actorOf(request), request.params.id));

  app.get('/api/v1/episodes/:id/decisions', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'The episode’s signed eligibility decisions, newest first (audited)', params: IdParams, response: { 200: Type.Array(DecisionSchema) } },
  }, async (request) => listDecisions(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/decisions', {
    config: { access: 'decision:sign' },
    schema: {
      tags: ['pathway'],
      summary: 'Sign an eligibility decision with your password. "eligible" needs every relative finding acknowledged and a written reason over an absolute one. Immutable; a later decision supersedes it',
      params: IdParams, body: DecisionBody, response: { 201: DecisionSchema },
    },
  }, async (request, reply) => reply.code(201).send(await signDecision(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/decisions/:id', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'One decision with the findings it was signed against (audited)', params: IdParams, response: { 200: DecisionSchema } },
  }, async (request) => getDecision(services, actorOf(request), request.params.id));
};
