import Type, { type Static, type TSchema } from 'typebox';
import { INDICATION_CODES } from '../science/indications.js';
import { ROLES } from '../services/permissions.js';
import { EPISODE_STATUSES } from '../services/episodes.js';

/** Schemas shared by several resources. Objects are closed: unknown fields are rejected. */
export const Id = Type.String({ format: 'uuid', description: 'A UUIDv7 record id.' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const IsoDate = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD.' });
export const IsoInstant = Type.String({ description: 'An ISO-8601 UTC instant.' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Role = Type.Enum([...ROLES]);
export const Indication = Type.Enum([...INDICATION_CODES]);
export const EpisodeStatus = Type.Enum([...EPISODE_STATUSES]);
export const Sex = Type.Enum(['female', 'male', 'other', 'unknown']);

/** `T | null` as one JSON-schema type list, so a validation error names one rule, not an anyOf. */
export function Nullable<T extends TSchema>(schema: T) {
  const s = schema as unknown as { type?: string; enum?: unknown[]; [k: string]: unknown };
  // An enum lists its values, so null must be listed too or `type` alone would not admit it.
  return Type.Unsafe<Static<T> | null>({ ...s, type: [s.type ?? 'string', 'null'], ...(s.enum && { enum: [...s.enum, null] }) });
}

/** A string from a fixed list (the science's or a service's constants), with its values in the OpenAPI document. */
export const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) });

/** An enum that also accepts null (a merge patch clears a field with null). */
export const NullableEnum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T | null>({ type: ['string', 'null'], enum: [...values, null], ...(description && { description }) });

export const Text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description && { description }) });

/** An instant the client sends; the service stores it as UTC. */
export const Instant = (description: string) => Type.String({ format: 'date-time', description: `${description} ISO-8601 with a time zone; stored as UTC.` });

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
}, { additionalProperties: true, $id: 'Problem' });

export const StaffSchema = Type.Object({
  id: Id, email: Type.String(), displayName: Type.String(), role: Role, active: Type.Boolean(), lastLoginAt: Nullable(IsoInstant), createdAt: IsoInstant,
});

export const SessionSchema = Type.Object({
  user: StaffSchema,
  clinic: Type.Object({ id: Id, name: Type.String(), timeZone: Type.String() }),
  permissions: Type.Array(Type.String()),
  csrfToken: Type.String(),
  expiresAt: IsoInstant,
});

/** The query fields of every paged list, spread into its querystring object. */
export const PageQueryFields = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() });
}
