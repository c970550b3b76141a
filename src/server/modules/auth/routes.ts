// Routes: sign in / out, the current user and their password, API tokens.
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiToken, IdParams, LoginBody, LoginResponse, PasswordChangeBody, TokenCreateBody, TokenCreated } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { AppError, requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { SESSION_COOKIE } from './service.js';

export interface LoginLimits {
  /** Sign-in attempts per minute for one user name, from any address. */
  perAccount: number;
  /** Sign-in attempts per minute from one address, whatever the user names. */
  perAddress: number;
}

export function authRoutes(app: FastifyInstance, s: Services, opts: { secureCookies: boolean; loginLimits: LoginLimits }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Two counters, both counting every attempt when it arrives (counting only failures would let a burst of
  // parallel guesses in before the first failure is counted): one per user name (a guesser spreading over many
  // addresses) and one per address (one address trying many user names). @fastify/rate-limit runs only one of its
  // route limits per request, so both are checked here. The address is the connection's: the app trusts no proxy
  // header (Fastify's trustProxy is off), so X-Forwarded-For cannot be forged to escape the limit.
  const byAccount = app.createRateLimit({ max: opts.loginLimits.perAccount, timeWindow: 60_000, keyGenerator: (req) => `account|${accountKey(req)}` });
  // An IPv6 client counts by its /56: an ISP gives one customer line a whole prefix (/56 or /64) to rotate in.
  const byAddress = app.createRateLimit({ max: opts.loginLimits.perAddress, timeWindow: 60_000, keyGenerator: (req) => `address|${normalizeIP(req.ip, 56)}` });
  const byPasswordChanger = app.createRateLimit({ max: opts.loginLimits.perAccount, timeWindow: 60_000, keyGenerator: (req) => `password|${accountKey(req)}` });
  const throttleLogin = async (req: FastifyRequest, reply: FastifyReply) => {
    for (const limit of [await byAddress(req), await byAccount(req)]) {
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
        throw new AppError(429, 'rate_limited', 'error.login_rate_limited', { seconds: Math.max(1, limit.ttlInSeconds) });
      }
    }
  };

  r.post(
    '/api/auth/login',
    {
      config: { public: true },
      preHandler: throttleLogin,
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
    '/api/auth/password',
    {
      // A stolen session guessing the current password meets a per-account limit like sign-in's.
      preHandler: async (req, reply) => {
        const limit = await byPasswordChanger(req);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
          throw new AppError(429, 'rate_limited', 'error.login_rate_limited', { seconds: Math.max(1, limit.ttlInSeconds) });
        }
      },
      schema: {
        tags: ['auth'],
        summary: "Change one's own password: ends one's other sessions and revokes all one's API tokens",
        body: PasswordChangeBody,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      await s.auth.changePassword(actorOf(req), req.sessionHash, req.body);
      return { ok: true as const };
    },
  );

  r.get('/api/auth/tokens', { schema: { tags: ['auth'], summary: "The caller's API tokens (never their secrets)", response: { 200: z.object({ items: z.array(ApiToken) }) } } }, async (req) => ({
    items: await s.auth.listTokens(actorOf(req)),
  }));

  r.post(
    '/api/auth/tokens',
    { schema: { tags: ['auth'], summary: 'Create an API token (shown once) for Authorization: Bearer; optional expiry', body: TokenCreateBody, response: { 201: TokenCreated } } },
    async (req, reply) => {
      const created = await s.auth.createToken(actorOf(req), req.body);
      return reply.status(201).send(created);
    },
  );

  r.delete(
    '/api/auth/tokens/:id',
    { schema: { tags: ['auth'], summary: 'Revoke an API token: one of your own, or anyone’s for an admin', params: IdParams, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (req) => {
      await s.auth.revokeToken(actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );
}

/** Sign-in: the user name tried (whoever may be signed in already); a password change: the signed-in user. */
function accountKey(req: FastifyRequest): string {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  if (typeof name === 'string') return name.trim().toLowerCase();
  return req.actor?.username.toLowerCase() ?? '';
}
