// buildApp(): the Fastify instance with every plugin and route registered once. Tests call inject() on it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { Health } from '../shared/schemas.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './context.js';
import type { Database } from './db/connect.js';
import { registerAuth } from './http/auth.js';
import { registerErrorHandling, requestLanguage, RequestValidationError } from './http/errors.js';
import { t } from './http/messages.js';
import { registerSecurityHeaders } from './http/security.js';
import { attachmentRoutes } from './modules/attachments/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { categoryRoutes } from './modules/categories/routes.js';
import { productRoutes } from './modules/products/routes.js';
import { customerRoutes } from './modules/customers/routes.js';
import { notifyRoutes } from './modules/notify/routes.js';
import { routingRoutes } from './modules/routing/routes.js';
import { slaRoutes } from './modules/sla/routes.js';
import { resolutionRoutes } from './modules/tickets/resolution-routes.js';
import { ticketRoutes } from './modules/tickets/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { settingsRoutes } from './modules/settings/routes.js';
import { portalRoutes, type PortalLimits } from './modules/portal/routes.js';
import { kbRoutes } from './modules/kb/routes.js';
import { assistRoutes } from './modules/assist/routes.js';
import { messageRoutes } from './modules/messages/routes.js';
import { surveyRoutes } from './modules/surveys/routes.js';
import { partRoutes } from './modules/parts/routes.js';
import { installationRoutes } from './modules/installation/routes.js';
import { inspectionRoutes } from './modules/inspections/routes.js';
import { careRoutes } from './modules/care/routes.js';
import { visitRoutes } from './modules/visits/routes.js';
import { returnRoutes } from './modules/returns/routes.js';
import { visitReportRoutes } from './modules/visit-report/routes.js';
import { providerRoutes } from './modules/providers/routes.js';
import { settlementRoutes } from './modules/settlement/routes.js';
import { Sweeper } from './jobs/sweeper.js';
import { ReadPool } from './readers/pool.js';
import { WritePool } from './writers/pool.js';
import { createServices, type Services } from './services.js';

export const VERSION = '0.1.0';
const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
const PORTAL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/portal');

export interface BuildOptions {
  config: Config;
  db: Database;
  clock?: Clock;
  /** Sign-in attempts per minute per user name (default 10). */
  loginRateLimit?: number;
  /** Sign-in attempts per minute per address (default 30). */
  loginAddressRateLimit?: number;
  logger?: boolean;
  serveWeb?: boolean;
  /** The portal's sign-in code limits (default DEFAULT_PORTAL_LIMITS); tests lower them. */
  portalLimits?: PortalLimits;
}

export async function buildApp(opts: BuildOptions): Promise<{ app: FastifyInstance; services: Services; sweeper: Sweeper }> {
  const { config, db } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    // Per-request access logs cost more than a ticket insert at full load; errors are still logged.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  // Validation with the request's own zod schema; reportInput lets the error mapper tell "missing" from "wrong".
  app.setValidatorCompiler(({ schema, httpPart }) => (data) => {
    const result = (schema as z.ZodType).safeParse(data, { reportInput: true });
    return result.success ? { value: result.data } : { error: new RequestValidationError(result.error.issues, httpPart ?? 'body') };
  });
  // Response schemas document the API; the handlers already build exactly those shapes.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const services = createServices({ db, clock: opts.clock ?? systemClock, config, log: app.log });
  if (db.sqlite && config.readWorkers > 0) {
    const readers = new ReadPool({ file: db.sqlite.file, config }, config.readWorkers, (e) => app.log.error({ err: e }, 'read worker failed'));
    services.readers = readers;
    app.addHook('onClose', () => readers.close());
  }
  if (db.sqlite && db.shareWrites && config.writeWorker) {
    const shared = db.shareWrites();
    const writers = new WritePool(
      { file: db.sqlite.file, config, lock: shared.buffer },
      { gone: shared.workerGone, publish: (ids) => services.notify.publish(ids), onError: (e) => app.log.error({ err: e }, 'write worker failed') },
    );
    services.writers = writers;
    services.ctx.cacheChanged = (cache) => writers.cacheChanged(cache);
    // After the server has stopped taking requests and answered those in flight.
    app.addHook('onClose', () => writers.close());
  }

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 1000 } });
  // No global limit: sign-in and the password change apply their own (modules/auth/routes.ts, createRateLimit).
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Aftercare API', description: '售后服务管理系统 — after-sales service management', version: VERSION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'aftercare_sid' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app, services.auth);

  app.get('/api/health', { config: { public: true }, schema: { tags: ['system'], response: { 200: Health } } }, async () => {
    await db.read.selectFrom('departments').select('id').limit(1).execute();
    return { status: 'ok' as const, database: db.dialect, version: VERSION };
  });
  authRoutes(app, services, { secureCookies: config.secureCookies, loginLimits: { perAccount: opts.loginRateLimit ?? 10, perAddress: opts.loginAddressRateLimit ?? 30 } });
  userRoutes(app, services);
  categoryRoutes(app, services);
  customerRoutes(app, services);
  productRoutes(app, services);
  ticketRoutes(app, services);
  attachmentRoutes(app, services);
  notifyRoutes(app, services);
  resolutionRoutes(app, services);
  slaRoutes(app, services);
  routingRoutes(app, services);
  settingsRoutes(app, services);
  portalRoutes(app, services, { secureCookies: config.secureCookies, limits: opts.portalLimits });
  kbRoutes(app, services);
  assistRoutes(app, services);
  messageRoutes(app, services);
  surveyRoutes(app, services);
  partRoutes(app, services);
  visitRoutes(app, services);
  settlementRoutes(app, services);
  installationRoutes(app, services);
  inspectionRoutes(app, services);
  careRoutes(app, services);
  returnRoutes(app, services);
  visitReportRoutes(app, services);
  providerRoutes(app, services);

  // File names under assets/ carry their content hash: cached for good. index.html names them: always revalidated.
  const cacheHeaders = (res: FastifyReply, filePath: string) => {
    res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  const servePortal = opts.serveWeb !== false && fs.existsSync(path.join(PORTAL_ROOT, 'index.html'));
  if (servePortal) {
    // The customer portal (src/portal, its own small bundle) under /portal; registered before the console, whose
    // catch-all would otherwise answer /portal/… with the console's page.
    await app.register(fastifyStatic, {
      root: PORTAL_ROOT,
      prefix: '/portal/',
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      decorateReply: false,
      setHeaders: cacheHeaders,
    });
    const portalPage = (req: FastifyRequest, reply: FastifyReply) => {
      // A missing asset (an old page asking for a file a newer build replaced) is a 404, not the page as a script.
      if (req.url.startsWith('/portal/assets/')) return reply.callNotFound();
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(path.join(PORTAL_ROOT, 'index.html')));
    };
    app.get('/portal', { config: { public: true }, schema: { hide: true } }, portalPage);
    app.get('/portal/*', { config: { public: true }, schema: { hide: true } }, portalPage);
  }
  if (opts.serveWeb !== false && fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: WEB_ROOT,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // scripts/build-web.mjs writes .br and .gz beside each asset: served compressed without compressing per request.
      preCompressed: true,
      cacheControl: false,
      setHeaders: cacheHeaders,
    });
    // Client-side routes (/tickets/202611001 …) load the single page; unknown API paths stay JSON 404s.
    app.get('/*', { config: { public: true }, schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.callNotFound();
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    });
  }
  return { app, services, sweeper: new Sweeper(services) };
}
