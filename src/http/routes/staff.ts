import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { createStaff, listStaff, updateStaff } from '../../services/staff.js';
import { actorOf } from '../access.js';
import { Email, IdParams, Role, StaffSchema } from '../schemas.js';

export const staffRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/staff', {
    config: { access: 'staff:read' },
    schema: { tags: ['staff'], summary: "The clinic's staff accounts", response: { 200: Type.Array(StaffSchema) } },
  }, async (request) => listStaff(services, actorOf(request)));

  app.post('/api/v1/staff', {
    config: { access: 'staff:manage' },
    schema: {
      tags: ['staff'], summary: 'Add a staff account; without a password, an invitation link is emailed',
      body: Type.Object({
        email: Email, displayName: Type.String({ minLength: 1, maxLength: 200 }), role: Role,
        password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
      }, { additionalProperties: false }),
      response: { 201: StaffSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createStaff(services, actorOf(request), request.body)));

  app.patch('/api/v1/staff/:id', {
    config: { access: 'staff:manage' },
    schema: {
      tags: ['staff'], summary: 'Change a staff account’s name, role or active flag (deactivating ends its sessions)',
      params: IdParams,
      body: Type.Object({ displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), role: Type.Optional(Role), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: StaffSchema },
    },
  }, async (request) => updateStaff(services, actorOf(request), request.params.id, request.body));
};
