import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../services/auth.js';
import type { Actor, Services } from '../services/context.js';
import { ServiceError } from '../services/errors.js';
import { assertCan, type RouteAccess } from '../services/permissions.js';
import type { SessionView } from '../services/auth.js';

export const SESSION_COOKIE = 'autolog_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What this route needs. Required on every route: see `assertEveryRouteDeclaresAccess`. */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    declaredRoutes(): { method: string; url: string; access: RouteAccess | undefined }[];
  }
  interface FastifyRequest {
    actor?: Actor;
    session?: { view: SessionView; tokenHash: string };
  }
}

interface RouteOptionsLike {
  method: string | string[];
  url: string;
  config?: { access?: RouteAccess };
}

export function undeclaredRoutes(routes: RouteOptionsLike[]): string[] {
  return routes.filter((r) => !r.config?.access).map((r) => `${String(r.method)} ${r.url}`);
}

/** Marks every route registered inside `plugin`'s context as public (third-party plugins: docs, static files). */
export function declarePublicRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), access: 'public' };
  });
}

/** The signed-in actor, for handlers on non-public routes (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ServiceError('unauthenticated', 'You are not signed in.');
  return request.actor;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Registers the access check every request passes before its body is even parsed: the route's
 * declared access, the session cookie, the role's permission and, for writes, the CSRF token
 * (a per-session secret the SPA echoes in a header, which a cross-site form cannot send).
 */
export function registerAccessControl(app: FastifyInstance, services: Services): void {
  const routes: RouteOptionsLike[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  // Checked once every plugin has registered its routes (plugins declare theirs in their own
  // onRoute hook, which runs after this one): a route without a declaration stops start-up.
  app.addHook('onReady', async () => {
    const undeclared = undeclaredRoutes(routes);
    if (undeclared.length > 0) throw new Error(`Routes without a declared access (config.access): ${undeclared.join(', ')}`);
  });
  app.decorate('declaredRoutes', () => routes.map((r) => ({ method: String(r.method), url: r.url, access: r.config?.access })));
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (access === 'public' || access === undefined) return; // undefined: the not-found handler
    const token = request.cookies[SESSION_COOKIE];
    if (!token) throw new ServiceError('unauthenticated', 'You are not signed in. Sign in to continue.');
    const session = await authenticate(services.store, token).catch((error: unknown) => {
      if (error instanceof ServiceError && error.kind === 'unauthenticated') void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw error;
    });
    request.actor = { ...session.actor, ip: request.ip };
    request.session = { view: session.view, tokenHash: session.tokenHash };
    if (access !== 'signed-in') assertCan(request.actor, access);
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.view.csrfToken) {
      throw new ServiceError('forbidden', `This change was refused because the ${CSRF_HEADER} header is missing or wrong. Reload the page and try again.`);
    }
  });
}
