// Routes: routing rules.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, RoutingRuleCreateBody, RoutingRulePatchBody, RoutingRuleView } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { ifMatchVersion, WriteHeaders } from '../../http/headers.js';
import type { Services } from '../../services.js';

export function routingRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/routing/rules', { schema: { tags: ['routing'], response: { 200: z.object({ items: z.array(RoutingRuleView) }) } } }, async (req) => ({
    items: await s.routingAdmin.list(actorOf(req)),
  }));
  r.post('/api/routing/rules', { schema: { tags: ['routing'], body: RoutingRuleCreateBody, response: { 201: RoutingRuleView } } }, async (req, reply) =>
    reply.status(201).send(await s.routingAdmin.create(actorOf(req), req.body)),
  );
  r.patch('/api/routing/rules/:id', { schema: { tags: ['routing'], params: IdParams, headers: WriteHeaders, body: RoutingRulePatchBody, response: { 200: RoutingRuleView } } }, async (req) =>
    s.routingAdmin.update(actorOf(req), req.params.id, { ...req.body, version: ifMatchVersion(req) ?? req.body.version }),
  );
}
