import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { createPatient, getPatient, patientAuditHistory, searchPatients, updatePatient } from '../../services/patients.js';
import { actorOf } from '../access.js';
import { AuditEventSchema } from './audit.js';
import { Email, IdParams, IsoDate, IsoInstant, Id, Nullable, Sex, pageOf, PageQueryFields } from '../schemas.js';

const Mrn = Type.String({ minLength: 1, maxLength: 40, pattern: '^\\S(.*\\S)?$', formatHint: 'must not start or end with a space', description: 'Medical record number, unique in the clinic.' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Phone = Type.String({ maxLength: 40, pattern: '^[0-9+()\\-. ]*$', formatHint: 'must contain only digits, spaces and + ( ) - .' });
const Language = Type.String({ maxLength: 35, pattern: '^([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$', formatHint: 'must be a language tag such as en, es or fr-CA', description: 'BCP 47 tag, e.g. en, fr-CA.' });
const Notes = Type.String({ maxLength: 5000 });

const editable = {
  mrn: Mrn, givenName: Name, familyName: Name, birthDate: IsoDate, sex: Sex,
  email: Nullable(Email), phone: Nullable(Phone), preferredLanguage: Nullable(Language), notes: Nullable(Notes),
};

const PatientSchema = Type.Object({
  id: Id, mrn: Type.String(), givenName: Type.String(), familyName: Type.String(), birthDate: Type.String(), sex: Sex,
  email: Nullable(Type.String()), phone: Nullable(Type.String()), preferredLanguage: Nullable(Type.String()), notes: Nullable(Type.String()),
  createdAt: IsoInstant, updatedAt: IsoInstant,
});
const PatientSummarySchema = Type.Object({ id: Id, mrn: Type.String(), givenName: Type.String(), familyName: Type.String(), birthDate: Type.String(), sex: Sex });
const ConfirmNotDuplicate = Type.Optional(Type.Boolean({ description: 'Save even though a patient with the same name and birth date exists.' }));

export const patientRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/patients', {
    config: { access: 'patient:read' },
    schema: {
      tags: ['patients'], summary: 'Search patients by name or MRN prefix and birth date; paged, ordered by name',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })), birthDate: Type.Optional(IsoDate),
        ...PageQueryFields,
      }, { additionalProperties: false }),
      response: { 200: pageOf(PatientSummarySchema) },
    },
  }, async (request) => searchPatients(services, actorOf(request), request.query));

  app.post('/api/v1/patients', {
    config: { access: 'patient:write' },
    schema: {
      tags: ['patients'], summary: 'Register a patient (409 with the likely duplicates unless confirmNotDuplicate)',
      body: Type.Object({
        mrn: Mrn, givenName: Name, familyName: Name, birthDate: IsoDate, sex: Sex,
        email: Type.Optional(editable.email), phone: Type.Optional(editable.phone), preferredLanguage: Type.Optional(editable.preferredLanguage), notes: Type.Optional(editable.notes),
        confirmNotDuplicate: ConfirmNotDuplicate,
      }, { additionalProperties: false }),
      response: { 201: PatientSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createPatient(services, actorOf(request), request.body)));

  app.get('/api/v1/patients/:id', {
    config: { access: 'patient:read' },
    schema: { tags: ['patients'], summary: 'One patient (the read is audited)', params: IdParams, response: { 200: PatientSchema } },
  }, async (request) => getPatient(services, actorOf(request), request.params.id));

  app.patch('/api/v1/patients/:id', {
    config: { access: 'patient:write' },
    schema: {
      tags: ['patients'], summary: 'Change some of a patient’s fields',
      params: IdParams,
      body: Type.Object({
        mrn: Type.Optional(editable.mrn), givenName: Type.Optional(editable.givenName), familyName: Type.Optional(editable.familyName),
        birthDate: Type.Optional(editable.birthDate), sex: Type.Optional(editable.sex), email: Type.Optional(editable.email), phone: Type.Optional(editable.phone),
        preferredLanguage: Type.Optional(editable.preferredLanguage), notes: Type.Optional(editable.notes), confirmNotDuplicate: ConfirmNotDuplicate,
      }, { additionalProperties: false }),
      response: { 200: PatientSchema },
    },
  }, async (request) => updatePatient(services, actorOf(request), request.params.id, request.body));

  app.get('/api/v1/patients/:id/audit', {
    config: { access: 'patient:read' },
    schema: {
      tags: ['patients', 'audit'], summary: 'Who read or changed this patient’s data, newest first',
      params: IdParams,
      querystring: Type.Object({ beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Array(AuditEventSchema) },
    },
  }, async (request) => patientAuditHistory(services, actorOf(request), request.params.id, request.query));
};
