// Routes: sign in / out, the current user, API tokens.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginBody, LoginResponse, TokenCreateBody, TokenCreated } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { SESSION_COOKIE } from './service.js';

export function authRoutes(app: FastifyInstance, s: Services, opts: { secureCookies: boolean; loginRateLimit: number }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute', keyGenerator: (req) => `${req.ip}|${(req.body as { username?: unknown })?.username ?? ''}` } },
      schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie and returns the CSRF token', body: LoginBody, response: { 200: LoginResponse } },
    },
    async (req, reply) => {
      const { user, sessionId, csrfToken } = await s.auth.login(req.body.username, req.body.password);
      reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: 7 * 24 * 3600 });
      return { user: await s.users.toDto(user, requestLanguage(req)), csrfToken };
    },
  );

  r.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: { 200: z.object({ ok: z.literal(true) }) } } }, async (req, reply) => {
    if (req.sessionHash) await s.auth.logout(req.sessionHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  r.get('/api/me', { schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token of the session', response: { 200: LoginResponse } } }, async (req) => {
    const actor = actorOf(req);
    return { user: await s.users.toDto(await s.auth.userRow(actor.id), requestLanguage(req)), csrfToken: req.csrfToken ?? '' };
  });

  r.post(
    '/api/auth/tokens',
    { schema: { tags: ['auth'], summary: 'Create an API token (shown once) for Authorization: Bearer', body: TokenCreateBody, response: { 201: TokenCreated } } },
    async (req, reply) => {
      const created = await s.auth.createToken(actorOf(req), req.body.name);
      return reply.status(201).send(created);
    },
  );
}
