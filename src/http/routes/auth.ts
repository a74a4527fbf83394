import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { login, logout, requestPasswordReset, resetPassword, type SessionView } from '../../services/auth.js';
import { SESSION_ABSOLUTE_SECONDS } from '../../services/auth-policy.js';
import type { Services } from '../../services/context.js';
import { SESSION_COOKIE, actorOf } from '../access.js';
import { Email, SessionSchema } from '../schemas.js';

/** Signs in and sets the session cookie. Shared by login and setup so both set it identically. */
export async function startSession(services: Services, request: FastifyRequest, reply: FastifyReply, credentials: { email: string; password: string }): Promise<SessionView> {
  const { token, session } = await login(services, credentials, { ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: services.config.secureCookies, maxAge: SESSION_ABSOLUTE_SECONDS,
  });
  return session;
}

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: 'Sign in with email and password; sets an HttpOnly session cookie',
      body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: { 200: SessionSchema },
    },
  }, async (request, reply) => startSession(services, request, reply, request.body));

  app.get('/api/v1/auth/session', {
    config: { access: 'signed-in' },
    schema: { tags: ['auth'], summary: 'The current session: account, clinic, permissions and CSRF token', response: { 200: SessionSchema } },
  }, async (request) => request.session!.view);

  app.post('/api/v1/auth/logout', {
    config: { access: 'signed-in' },
    schema: { tags: ['auth'], summary: 'Sign out: ends the session on the server and clears the cookie' },
  }, async (request, reply) => {
    await logout(services.store, actorOf(request), request.session!.tokenHash);
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
  });

  app.post('/api/v1/auth/password-reset', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: 'Email a single-use password reset link (the answer is the same whether or not the account exists)',
      body: Type.Object({ email: Email }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    await requestPasswordReset(services, request.body.email, request.ip);
    return reply.code(202).send({ detail: 'If an active account uses this address, a reset link is on its way. It works once, for one hour.' });
  });

  app.post('/api/v1/auth/password-reset/confirm', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: 'Choose a new password with the emailed token; ends every session of the account',
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    await resetPassword(services.store, request.body, request.ip);
    return reply.code(204).send();
  });
};
