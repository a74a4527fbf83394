import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { createEpisode, getEpisode, listEpisodes, updateEpisode } from '../../services/episodes.js';
import { actorOf } from '../access.js';
import { EpisodeStatus, Id, IdParams, Indication, IsoDate, IsoInstant, Nullable } from '../schemas.js';

const Icd10 = Type.String({ maxLength: 8, description: 'ICD-10 code, e.g. M51.36; suggested from the indication when omitted.' });
const Notes = Type.String({ maxLength: 5000 });

export const EpisodeSchema = Type.Object({
  id: Id, patientId: Id, indication: Indication, icd10Code: Type.String(), status: EpisodeStatus, openedOn: IsoDate, closedOn: Nullable(IsoDate),
  notes: Nullable(Type.String()), plannedProcedureOn: Nullable(IsoDate), createdAt: IsoInstant, updatedAt: IsoInstant,
});

export const episodeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/patients/:id/episodes', {
    config: { access: 'episode:read' },
    schema: { tags: ['episodes'], summary: 'A patient’s episodes of care, newest first', params: IdParams, response: { 200: Type.Array(EpisodeSchema) } },
  }, async (request) => listEpisodes(services, actorOf(request), request.params.id));

  app.post('/api/v1/patients/:id/episodes', {
    config: { access: 'episode:write' },
    schema: {
      tags: ['episodes'], summary: 'Open an episode of care for one condition',
      params: IdParams,
      body: Type.Object({ indication: Indication, icd10Code: Type.Optional(Icd10), openedOn: Type.Optional(IsoDate), notes: Type.Optional(Nullable(Notes)) }, { additionalProperties: false }),
      response: { 201: EpisodeSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createEpisode(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/episodes/:id', {
    config: { access: 'episode:read' },
    schema: { tags: ['episodes'], summary: 'One episode of care', params: IdParams, response: { 200: EpisodeSchema } },
  }, async (request) => getEpisode(services, actorOf(request), request.params.id));

  app.patch('/api/v1/episodes/:id', {
    config: { access: 'episode:write' },
    schema: {
      tags: ['episodes'], summary: 'Change an episode: indication, code, dates, notes, or close / cancel / reopen it',
      params: IdParams,
      body: Type.Object({
        indication: Type.Optional(Indication), icd10Code: Type.Optional(Icd10), status: Type.Optional(EpisodeStatus), openedOn: Type.Optional(IsoDate),
        closedOn: Type.Optional(Nullable(IsoDate)), notes: Type.Optional(Nullable(Notes)),
      }, { additionalProperties: false }),
      response: { 200: EpisodeSchema },
    },
  }, async (request) => updateEpisode(services, actorOf(request), request.params.id, request.body));
};
