// Routes of the customer portal (validate → call → reply): who is using it, one-time code sign-in, one-ticket links,
// the customer's units; staff manage customer accounts in accounts-routes.ts.
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CodeRequestBody,
  CodeRequested,
  CustomerAccount,
  CustomerAccountCreateBody,
  CustomerAccountParams,
  CustomerAccountPatchBody,
  CustomerAccounts,
  IdParams,
  InvitationSent,
  LinkBody,
  LinkOpened,
  PortalSessionResponse,
  PortalUnits,
  SignInBody,
} from '../../../shared/schemas.js';
import {
  CODE_REQUEST_WINDOW_MS,
  CODE_REQUESTS_PER_ADDRESS,
  CODE_REQUESTS_PER_TARGET,
  SIGNIN_ATTEMPTS_PER_MINUTE,
  signInTarget,
} from '../../domain/portal-signin.js';
import { actorOf } from '../../http/auth.js';
import { AppError, requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { SESSION_COOKIE } from '../auth/service.js';

export interface PortalLimits {
  codesPerTarget: number;
  codesPerAddress: number;
  signInsPerMinute: number;
}

export const DEFAULT_PORTAL_LIMITS: PortalLimits = { codesPerTarget: CODE_REQUESTS_PER_TARGET, codesPerAddress: CODE_REQUESTS_PER_ADDRESS, signInsPerMinute: SIGNIN_ATTEMPTS_PER_MINUTE };

export function portalRoutes(app: FastifyInstance, s: Services, opts: { secureCookies: boolean; limits?: PortalLimits }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['portal'];
  const limits = opts.limits ?? DEFAULT_PORTAL_LIMITS;

  // Per target (someone flooding one phone with SMS from many addresses) and per address (one address walking through
  // many targets); both count every request when it arrives. The address is the socket's (no proxy header trusted).
  const targetKey = (req: FastifyRequest) => {
    const raw = (req.body as { target?: unknown } | undefined)?.target;
    return typeof raw === 'string' ? (signInTarget(raw)?.key ?? raw.trim().toLowerCase()) : '';
  };
  const address = (req: FastifyRequest) => normalizeIP(req.ip, 56);
  const codeByTarget = app.createRateLimit({ max: limits.codesPerTarget, timeWindow: CODE_REQUEST_WINDOW_MS, keyGenerator: (req) => `portal-code-target|${targetKey(req)}` });
  const codeByAddress = app.createRateLimit({ max: limits.codesPerAddress, timeWindow: CODE_REQUEST_WINDOW_MS, keyGenerator: (req) => `portal-code-address|${address(req)}` });
  const signInByTarget = app.createRateLimit({ max: limits.signInsPerMinute, timeWindow: 60_000, keyGenerator: (req) => `portal-signin-target|${targetKey(req)}` });
  const signInByAddress = app.createRateLimit({ max: limits.signInsPerMinute * 3, timeWindow: 60_000, keyGenerator: (req) => `portal-signin-address|${address(req)}` });
  const throttle =
    (checks: ReturnType<typeof app.createRateLimit>[], messageKey: string) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      for (const check of checks) {
        const limit = await check(req);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
          throw new AppError(429, 'rate_limited', messageKey, { seconds: Math.max(1, limit.ttlInSeconds) });
        }
      }
    };

  const setSessionCookie = (reply: FastifyReply, sessionId: string, expiresAt: number) =>
    reply.setCookie(SESSION_COOKIE, sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      maxAge: Math.max(1, Math.floor((expiresAt - s.ctx.clock.now()) / 1000)),
    });

  // Signed-out visitors get the 401 every other non-public route gives (the portal reads it as "nobody").
  r.get(
    '/api/portal/session',
    { schema: { tags, summary: 'Who is using the portal: a customer account, a one-ticket link or staff (401 when nobody is signed in)', response: { 200: PortalSessionResponse } } },
    async (req) => ({ session: await s.portal.session(req.actor, req.csrfToken) }),
  );

  r.post(
    '/api/portal/code',
    {
      config: { public: true },
      preHandler: throttle([codeByAddress, codeByTarget], 'error.code_rate_limited'),
      schema: {
        tags,
        summary: 'Send a one-time sign-in code to a phone number or e-mail address (the same answer whether or not an account uses it)',
        body: CodeRequestBody,
        response: { 200: CodeRequested },
      },
    },
    async (req) => s.portal.signin.requestCode(req.body.target, requestLanguage(req)),
  );

  r.post(
    '/api/portal/signin',
    {
      config: { public: true },
      preHandler: throttle([signInByAddress, signInByTarget], 'error.login_rate_limited'),
      schema: { tags, summary: 'Sign in with the one-time code; sets the session cookie', body: SignInBody, response: { 200: PortalSessionResponse } },
    },
    async (req, reply) => {
      const opened = await s.portal.signin.signIn(req.body.target, req.body.code);
      setSessionCookie(reply, opened.sessionId, opened.expiresAt);
      return { session: await s.portal.sessionOf(opened.userId, null, opened.csrfToken) };
    },
  );

  r.post(
    '/api/portal/link',
    {
      config: { public: true },
      preHandler: throttle([signInByAddress], 'error.login_rate_limited'),
      schema: {
        tags,
        summary: 'Follow one ticket through a signed link: a session that sees and acts on that ticket only (a signed-in customer of that ticket keeps their own session)',
        body: LinkBody,
        response: { 200: LinkOpened },
      },
    },
    async (req, reply) => {
      const own = await s.portal.signin.accountSeesLink(req.actor, req.body.token);
      if (own) return { session: (await s.portal.session(req.actor, req.csrfToken))!, ticketNumber: own };
      const opened = await s.portal.signin.openLink(req.body.token);
      setSessionCookie(reply, opened.sessionId, opened.expiresAt);
      return { session: await s.portal.sessionOf(opened.userId, opened.ticketNumber, opened.csrfToken), ticketNumber: opened.ticketNumber };
    },
  );

  r.get('/api/portal/units', { schema: { tags, summary: "The signed-in customer's units: warranty status and service history", response: { 200: PortalUnits } } }, async (req) =>
    s.portal.units(actorOf(req)),
  );

  // Staff: a customer's portal accounts (the console's customer page).
  const accountTags = ['customers'];
  r.get('/api/customers/:id/accounts', { schema: { tags: accountTags, summary: "A customer's portal accounts", params: IdParams, response: { 200: CustomerAccounts } } }, async (req) =>
    s.portal.accounts.list(actorOf(req), req.params.id),
  );
  r.post(
    '/api/customers/:id/accounts',
    {
      schema: {
        tags: accountTags,
        summary: 'Create a portal account that signs in with a phone number and/or e-mail address and a one-time code; `invite` sends the invitation',
        params: IdParams,
        body: CustomerAccountCreateBody,
        response: { 201: CustomerAccount },
      },
    },
    async (req, reply) => reply.status(201).send(await s.portal.accounts.create(actorOf(req), req.params.id, req.body)),
  );
  r.patch(
    '/api/customers/:id/accounts/:accountId',
    { schema: { tags: accountTags, summary: 'Change or disable a portal account (disabling ends its sessions at once)', params: CustomerAccountParams, body: CustomerAccountPatchBody, response: { 200: CustomerAccount } } },
    async (req) => s.portal.accounts.update(actorOf(req), req.params.id, req.params.accountId, req.body),
  );
  r.post(
    '/api/customers/:id/accounts/:accountId/invite',
    { schema: { tags: accountTags, summary: 'Send the portal sign-in invitation through the customer messages', params: CustomerAccountParams, response: { 200: InvitationSent } } },
    async (req) => s.portal.accounts.invite(actorOf(req), req.params.id, req.params.accountId),
  );
}
