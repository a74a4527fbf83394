import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditCsv, listAuditEvents, presentAuditEvent, recordAudit, subjectOf, verifyAuditChains, type AuditFilter } from '../../services/audit.js';
import type { Services } from '../../services/context.js';
import { inTransaction } from '../../services/db-helpers.js';
import { actorOf } from '../access.js';
import { Id, IsoDate, IsoInstant, Nullable } from '../schemas.js';

export const AuditEventSchema = Type.Object({
  id: Id, seq: Type.Integer(), at: IsoInstant, actorId: Nullable(Type.String()), actor: Nullable(Type.String()), action: Type.String(),
  entityType: Type.String(), entityId: Nullable(Type.String()), patientId: Nullable(Type.String()), ip: Nullable(Type.String()),
  detail: Nullable(Type.Object({}, { additionalProperties: true })),
});

const Filter = Type.Object({
  patientId: Type.Optional(Id), actorId: Type.Optional(Id), action: Type.Optional(Type.String({ maxLength: 40 })), entityType: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(IsoDate), to: Type.Optional(IsoDate),
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
}, { additionalProperties: false });

/** Dates in the filter are whole days: `to` includes the whole of that day. */
function toFilter(q: { from?: string; to?: string } & Omit<AuditFilter, 'from' | 'to'>): AuditFilter {
  const next = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  return { ...q, from: q.from ? `${q.from}T00:00:00.000Z` : undefined, to: next };
}

export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/audit', {
    config: { access: 'audit:read' },
    schema: { tags: ['audit'], summary: 'The clinic’s audit trail, newest first, filtered', querystring: Filter, response: { 200: Type.Array(AuditEventSchema) } },
  }, async (request) => (await listAuditEvents(services.store, actorOf(request).clinicId, toFilter(request.query))).map(presentAuditEvent));

  app.get('/api/v1/audit/export.csv', {
    config: { access: 'audit:read' },
    schema: { tags: ['audit'], summary: 'The filtered audit trail as CSV (up to 5,000 events per file)', querystring: Filter, produces: ['text/csv'] },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const rows = await listAuditEvents(services.store, actor.clinicId, { ...toFilter(request.query), limit: request.query.limit ?? 5000 });
    await inTransaction(services.store, (trx) => recordAudit(trx, services.store.dialect, subjectOf(actor), { action: 'export', entityType: 'audit_event', detail: { filter: request.query, rows: rows.length } }));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="autolog-audit.csv"').send(auditCsv(rows));
  });

  app.get('/api/v1/audit/verify', {
    config: { access: 'audit:read' },
    schema: {
      tags: ['audit'], summary: 'Check the clinic’s hash chain and name the first broken event',
      response: { 200: Type.Object({ ok: Type.Boolean(), events: Type.Integer(), firstBreak: Nullable(Type.Object({ chain: Type.String(), eventId: Nullable(Type.String()), chainSeq: Type.Integer(), reason: Type.String() })) }) },
    },
  }, async (request) => verifyAuditChains(services.store.db, actorOf(request).clinicId));
};
