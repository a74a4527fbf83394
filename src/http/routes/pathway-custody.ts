import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { specimenBarcodePng } from '../../services/specimen-barcode.js';
import { acknowledgeBedsideAlert, drawSpecimen, getSpecimen, listSpecimens, recordCustodyStep, specimenCode, verifyAtBedside } from '../../services/specimens.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { BedsideBody, CustodyStepBody, DrawBody, SpecimenSchema, VerificationSchema } from './pathway-schemas.js';

const AcknowledgeBody = Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000, description: 'What was checked and done (product set aside, patient and product re-identified …).' }) }, { additionalProperties: false });

/**
 * Chain of custody: the draw, the lab's steps, the bedside check, the barcode. The printable label
 * (GET /api/v1/specimens/:id/label) is a server-rendered page: src/pages/pathway-prints.tsx.
 */
export const pathwayCustodyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/episodes/:id/specimens', {
    config: { access: 'custody:read' },
    schema: { tags: ['custody'], summary: 'The episode’s specimens with every custody event and bedside check (audited)', params: IdParams, response: { 200: Type.Array(SpecimenSchema) } },
  }, async (request) => listSpecimens(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/specimens', {
    config: { access: 'custody:write' },
    schema: {
      tags: ['custody'], summary: 'Record the blood draw: the specimen gets its code (barcode) and expiry. Needs a current eligible decision and a signed consent',
      params: IdParams, body: DrawBody, response: { 201: SpecimenSchema },
    },
  }, async (request, reply) => reply.code(201).send(await drawSpecimen(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/specimens/:id', {
    config: { access: 'custody:read' },
    schema: { tags: ['custody'], summary: 'One specimen with its custody events and bedside checks (audited)', params: IdParams, response: { 200: SpecimenSchema } },
  }, async (request) => getSpecimen(services, actorOf(request), request.params.id));

  app.post('/api/v1/specimens/:id/events', {
    config: { access: 'custody:write' },
    schema: {
      tags: ['custody'],
      summary: 'A lab step: centrifuged (409 other-patient-in-progress unless confirmSeparateRun), prepared (with the PRP volume or a linked preparation), or discarded with a reason',
      params: IdParams, body: CustodyStepBody, response: { 200: SpecimenSchema },
    },
  }, async (request) => recordCustodyStep(services, actorOf(request), request.params.id, request.body));

  app.get('/api/v1/specimens/:id/barcode.png', {
    config: { access: 'custody:read' },
    schema: { tags: ['custody'], summary: 'The specimen code as a Code 128 barcode (image/png)', params: IdParams, produces: ['image/png'] },
  }, async (request, reply) => {
    const png = await specimenBarcodePng(await specimenCode(services, actorOf(request), request.params.id));
    return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
  });

  app.post('/api/v1/episodes/:id/bedside-verifications', {
    config: { access: 'custody:write' },
    schema: {
      tags: ['custody'],
      summary: 'Bedside check before the injection: scanned product code, wristband MRN and birth date against this episode’s patient. A mismatch is recorded, audited, alerted and answered 409 identity-mismatch',
      params: IdParams, body: BedsideBody, response: { 201: VerificationSchema },
    },
  }, async (request, reply) => reply.code(201).send(await verifyAtBedside(services, actorOf(request), request.params.id, request.body)));

  app.post('/api/v1/bedside-verifications/:id/acknowledge', {
    config: { access: 'custody-alert:acknowledge' },
    schema: {
      tags: ['custody'],
      summary: 'Acknowledge the alert of a failed bedside check with a note (who and when are recorded and audited); it leaves every worklist. 409 for a passed or already acknowledged check',
      params: IdParams, body: AcknowledgeBody, response: { 200: VerificationSchema },
    },
  }, async (request) => acknowledgeBedsideAlert(services, actorOf(request), request.params.id, request.body));
};

