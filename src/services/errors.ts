/**
 * Errors a use case can end in. The HTTP layer maps each kind to one status and an RFC 9457
 * problem document; the message is written for the person who will read it.
 */
export type ServiceErrorKind =
  | 'invalid' // 400: the input is wrong; `field` says where
  | 'unauthenticated' // 401: no valid session
  | 'forbidden' // 403: signed in, but the role may not do this
  | 'not-found' // 404: absent, or belongs to another clinic (never tell which)
  | 'conflict' // 409: would clash with existing data
  | 'locked' // 423: account temporarily locked
  | 'rate-limited'; // 429: too many attempts

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    readonly extra: { field?: string; retryAfterSeconds?: number; data?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}

export const invalid = (field: string, message: string) => new ServiceError('invalid', message, { field });
export const notFound = (what: string) => new ServiceError('not-found', `No ${what} with that id in this clinic.`);
export const forbidden = (message: string) => new ServiceError('forbidden', message);
export const conflict = (message: string, data?: Record<string, unknown>) => new ServiceError('conflict', message, data ? { data } : {});

/** A 400 naming every bad field at once (`errors[]`), the first as `field`. */
export function invalidAll(errors: { field: string; message: string }[]): ServiceError {
  const detail = errors.length === 1 ? errors[0]!.message : `${errors.length} fields need attention: ${errors.map((e) => e.message).join('; ')}`;
  return new ServiceError('invalid', detail, { field: errors[0]!.field, data: { errors } });
}
