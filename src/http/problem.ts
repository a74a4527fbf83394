import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ScienceInputError } from '../science/errors.js';
import { ServiceError, type ServiceErrorKind } from '../services/errors.js';

/** RFC 9457 problem details, the one error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The offending input's path (e.g. `birthDate`, `wholeBlood.plateletsKPerUl`). */
  field?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

const KINDS: Record<ServiceErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'The request has an invalid value' },
  unauthenticated: { status: 401, title: 'Not signed in' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflicts with existing data' },
  locked: { status: 423, title: 'Account locked' },
  'rate-limited': { status: 429, title: 'Too many attempts' },
};

export function problemType(kind: string): string {
  return `urn:autolog:problem:${kind}`;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { formatHint?: string };
}

/**
 * `/spins/0/minutes` → `spins[0].minutes`: the same notation the science library and the services
 * use, so a form finds its field whichever layer refused the value.
 */
function fieldOf(e: AjvError): string {
  const parts = e.instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String(e.params.additionalProperty));
  const path = parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  return path || '(root)';
}

function messageOf(e: AjvError): string {
  switch (e.keyword) {
    case 'required': return 'is required';
    case 'additionalProperties': return 'is not a known field';
    case 'minLength': return e.params.limit === 1 ? 'must not be empty' : `must be at least ${e.params.limit} characters`;
    case 'maxLength': return `must be at most ${e.params.limit} characters`;
    case 'format': return `must be a valid ${formatName(String(e.params.format))}`;
    case 'pattern': return e.parentSchema?.formatHint ?? 'is not in the expected format';
    case 'enum': return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    case 'type': return `must be ${e.params.type === 'integer' ? 'a whole number' : `a ${e.params.type}`}`;
    case 'minimum': return `must be at least ${e.params.limit}`;
    case 'maximum': return `must be at most ${e.params.limit}`;
    case 'exclusiveMinimum': return `must be greater than ${e.params.limit}`;
    case 'exclusiveMaximum': return `must be less than ${e.params.limit}`;
    case 'minItems': return `must have at least ${e.params.limit} item(s)`;
    case 'maxItems': return `must have at most ${e.params.limit} item(s)`;
    default: return e.message ?? 'is invalid';
  }
}

function formatName(format: string): string {
  return ({ email: 'email address', date: 'date (YYYY-MM-DD)', 'date-time': 'ISO-8601 date and time', uuid: 'id' } as Record<string, string>)[format] ?? format;
}

export function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0];
  if (error instanceof ServiceError) {
    const { status, title } = KINDS[error.kind];
    return { type: problemType(error.kind), title, status, detail: error.message, instance, ...(error.extra.field && { field: error.extra.field }), ...error.extra.data };
  }
  if (error instanceof ScienceInputError) {
    return { type: problemType('invalid'), title: KINDS.invalid.title, status: 400, detail: error.message, instance, field: error.field };
  }
  const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation) {
    const errors = fe.validation.map((e) => ({ field: fieldOf(e), message: messageOf(e) }));
    const where = fe.validationContext === 'body' ? '' : ` (in the ${fe.validationContext === 'querystring' ? 'query string' : fe.validationContext})`;
    const detail = errors.map((e) => `${e.field}${where} ${e.message}`).join('; ');
    return { type: problemType('invalid'), title: KINDS.invalid.title, status: 400, detail: `${detail}.`, instance, field: errors[0]?.field, errors };
  }
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 413) return { type: problemType('too-large'), title: 'Request too large', status, detail: 'The request body is larger than this endpoint accepts.', instance };
  if (status === 415) return { type: problemType('unsupported-media-type'), title: 'Unsupported content type', status, detail: 'Send the request body as application/json.', instance };
  if (status === 400) return { type: problemType('invalid'), title: 'Malformed request', status, detail: fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The request body is empty; send a JSON object.' : `The request could not be read: ${fe.message}`, instance };
  if (status === 404) return { type: problemType('not-found'), title: 'Not found', status, detail: fe.message, instance };
  if (status < 500) return { type: problemType('client-error'), title: 'Request refused', status, detail: fe.message, instance };
  return { type: problemType('internal'), title: 'Internal error', status: 500, detail: `Something went wrong on our side. The error was logged with reference ${request.id}; nothing you sent was saved.`, instance };
}

export function sendProblem(reply: FastifyReply, problem: Problem, retryAfterSeconds?: number): FastifyReply {
  if (retryAfterSeconds) void reply.header('retry-after', String(retryAfterSeconds));
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
