import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INDICATIONS } from '../../science/indications.js';
import { ROLE_LABELS } from '../../services/permissions.js';

/** Reference lists the staff app needs for its forms. */
export const metaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/v1/meta', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['meta'], summary: 'Indications with suggested ICD-10 codes, and role names',
      response: { 200: Type.Object({ indications: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), icd10: Type.String() })), roles: Type.Record(Type.String(), Type.String()) }) },
    },
  }, async () => ({ indications: INDICATIONS.map((i) => ({ ...i })), roles: ROLE_LABELS }));
};
