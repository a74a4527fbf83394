import type { Problem } from './types.js';

/**
 * The one way the staff app talks to the server: JSON in and out, the session's CSRF token on
 * every write, and every failure turned into an `ApiError` carrying the server's RFC 9457
 * problem document (or one written here when the server could not be reached).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  get status(): number {
    return this.problem.status;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Calls made before anyone is signed in (setup, sign-in, password reset) answer 401 for a
   * wrong password; that must not be mistaken for an ended session.
   */
  anonymous?: boolean;
}

let csrfToken: string | undefined;
let sessionEnded: ((problem: Problem) => void) | undefined;

/** The token from the current SessionView; sent as X-CSRF-Token on every non-GET request. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a signed-in call answers 401: the session expired or was ended elsewhere. */
export function onSessionEnded(handler: ((problem: Problem) => void) | undefined): void {
  sessionEnded = handler;
}

/** `/api/v1` + path + query string, leaving out empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).status === 'number' && typeof (value as Problem).detail === 'string';
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  // A FormData body (file upload) sets its own multipart content type and boundary.
  const form = options.body instanceof FormData ? options.body : undefined;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method, headers, credentials: 'same-origin', signal: options.signal,
      body: form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({
      type: 'urn:autolog:problem:network', title: 'No connection', status: 0,
      detail: 'The server could not be reached. Check the network connection and try again; nothing was saved.',
    });
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await response.json().catch(() => undefined) : undefined;
  if (response.ok) return payload as T;
  const problem: Problem = isProblem(payload) ? payload : {
    type: 'urn:autolog:problem:http', title: response.statusText || 'Request failed', status: response.status,
    detail: `The server answered ${response.status} ${response.statusText}. Try again in a moment.`,
  };
  if (response.status === 401 && !options.anonymous) sessionEnded?.(problem);
  throw new ApiError(problem);
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal, anonymous?: boolean) => request<T>('GET', path, { query, signal, anonymous }),
  post: <T>(path: string, body: unknown = {}, anonymous?: boolean) => request<T>('POST', path, { body, anonymous }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  /** multipart/form-data (the article cover upload). */
  upload: <T>(path: string, form: FormData) => request<T>('PUT', path, { body: form }),
};

/** True for the error an aborted fetch throws (a newer search replaced an older one). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
