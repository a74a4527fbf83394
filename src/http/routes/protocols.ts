import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PRP_SOURCES, PRP_SYSTEMS } from '../../science/index.js';
import type { Services } from '../../services/context.js';
import { addProtocolVersion, createProtocol, getProtocol, listProtocols } from '../../services/protocols.js';
import { actorOf } from '../access.js';
import { IdParams } from '../schemas.js';
import { PrpCatalogueSchema, ProtocolSchema, ProtocolSpecBody, ProtocolVersionSchema } from './preparation-schemas.js';

/** Clinic protocols (named, versioned) and the built-in catalogue of PRP systems. */
export const protocolRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/prp-systems', {
    config: { access: 'preparation:read' },
    schema: {
      tags: ['protocols'], summary: 'Catalogue of commercial PRP systems and published manual protocols, each value with its source ([M] = verified false)',
      response: { 200: PrpCatalogueSchema },
    },
  }, async () => ({ systems: [...PRP_SYSTEMS], sources: PRP_SOURCES }));

  app.get('/api/v1/protocols', {
    config: { access: 'preparation:read' },
    schema: {
      tags: ['protocols'], summary: 'The clinic’s protocols at their current version, with rpm beside × g for each rotor',
      response: { 200: Type.Array(ProtocolVersionSchema) },
    },
  }, async (request) => listProtocols(services, actorOf(request)));

  app.post('/api/v1/protocols', {
    config: { access: 'protocol:manage' },
    schema: { tags: ['protocols'], summary: 'Create a protocol (version 1)', body: ProtocolSpecBody, response: { 201: ProtocolSchema } },
  }, async (request, reply) => reply.code(201).send(await createProtocol(services, actorOf(request), request.body)));

  app.get('/api/v1/protocols/:id', {
    config: { access: 'preparation:read' },
    schema: {
      tags: ['protocols'], summary: 'One protocol at its current version (or ?version=n), with the list of its versions',
      params: IdParams,
      querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: ProtocolSchema },
    },
  }, async (request) => getProtocol(services, actorOf(request), request.params.id, request.query.version));

  app.post('/api/v1/protocols/:id/versions', {
    config: { access: 'protocol:manage' },
    schema: {
      tags: ['protocols'], summary: 'Edit a protocol by adding a version (the whole protocol); earlier versions stay as they were',
      params: IdParams, body: ProtocolSpecBody, response: { 201: ProtocolSchema },
    },
  }, async (request, reply) => reply.code(201).send(await addProtocolVersion(services, actorOf(request), request.params.id, request.body)));
};
