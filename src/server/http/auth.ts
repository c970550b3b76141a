// Identity on every request (session cookie or Bearer token) and the CSRF check for cookie-authenticated writes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/access.js';
import { SESSION_COOKIE, safeEqual, type AuthService } from '../modules/auth/service.js';
import { AppError, Unauthenticated } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionHash: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What a link session (a visitor on a signed one-ticket link, issue 15) may call: its ticket and what it shows and
 * takes, and its own session. Every other route answers 403, whatever the route itself would allow a customer; the
 * ticket routes also refuse any ticket but its own (domain/access.ts canSeeTicket, tickets/repo.ts visibilitySql).
 */
export const LINK_SESSION_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/portal/session',
  'GET /api/me',
  'POST /api/auth/logout',
  'GET /api/tickets/:number',
  'GET /api/tickets/:number/events',
  'GET /api/tickets/:number/comments',
  'POST /api/tickets/:number/comments',
  'GET /api/tickets/:number/attachments',
  'POST /api/tickets/:number/attachments',
  'GET /api/attachments/:id',
  'POST /api/tickets/:number/confirmation',
]);

/** Public routes: marked with config.public, plus the OpenAPI document and its UI. */
function isPublic(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.public === true || request.url.startsWith('/api/docs')) return true;
  // The web console's files: the page itself decides what to show by calling /api/me.
  return (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api/');
}

export function registerAuth(app: FastifyInstance, auth: AuthService) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionHash', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      // Bearer wins over a cookie: a browser never sends this header on its own, so no CSRF check is needed.
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      request.actor = m ? await auth.resolveToken(m[1]) : null;
      if (!request.actor && !isPublic(request)) throw Unauthenticated();
      return;
    }
    const sid = request.cookies?.[SESSION_COOKIE];
    if (sid) {
      const identity = sid.length <= 200 ? await auth.resolveSession(sid) : null;
      if (identity) {
        request.actor = identity.actor;
        request.sessionHash = identity.sessionHash;
        request.csrfToken = identity.csrfToken;
        if (identity.actor.ticketId !== undefined && !isPublic(request) && !LINK_SESSION_ROUTES.has(`${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`)) {
          throw new AppError(403, 'forbidden', 'error.link_session_scope');
        }
        if (!SAFE_METHODS.has(request.method) && !isPublic(request)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, identity.csrfToken)) throw new AppError(403, 'forbidden', 'error.csrf');
        }
      }
    }
    if (!request.actor && request.routeOptions.url !== undefined && !isPublic(request)) throw Unauthenticated();
  });
}

/** The signed-in actor of a route that is not public (the hook above has already refused anonymous calls). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw Unauthenticated();
  return request.actor;
}
