// Who is calling a public knowledge-base or assistant route, and the limit anonymous callers and customers meet.
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/access.js';
import { safeEqual } from '../auth/service.js';
import { AppError } from '../../http/errors.js';

/**
 * The caller of a public route, or null for an anonymous one. Public routes skip the CSRF check (anonymous callers
 * have no token), so a cookie-signed write without the session's token counts as anonymous here: another site cannot
 * vote or count in a signed-in customer's name.
 */
export function publicActor(req: FastifyRequest): Actor | null {
  if (!req.actor) return null;
  if (req.sessionHash && req.method !== 'GET' && req.method !== 'HEAD') {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !req.csrfToken || !safeEqual(sent, req.csrfToken)) return null;
  }
  return req.actor;
}

/**
 * A per-address limit (IPv6 by /56, like sign-in) for anonymous callers and customers; staff (the console, API
 * tokens) are not limited. One counter per kind of route, so typing in the request form does not use up the chat.
 */
export function publicLimit(app: FastifyInstance, name: string, max: number) {
  const check = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: (req) => `${name}|${normalizeIP(req.ip, 56)}` });
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.actor && req.actor.role !== 'customer') return;
    const limit = await check(req);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
      throw new AppError(429, 'rate_limited', 'error.rate_limited');
    }
  };
}
