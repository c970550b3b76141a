// Routes: the category tree.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Category, CategoryCreateBody, categoryCode, CategoryPatchBody } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';

const CodeParams = z.object({ code: categoryCode });

export function categoryRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/categories', { schema: { tags: ['categories'], response: { 200: z.object({ items: z.array(Category) }) } } }, async (req) => ({
    items: await s.categories.list(actorOf(req), requestLanguage(req)),
  }));
  r.post('/api/categories', { schema: { tags: ['categories'], body: CategoryCreateBody, response: { 201: Category } } }, async (req, reply) =>
    reply.status(201).send(await s.categories.create(actorOf(req), req.body, requestLanguage(req))),
  );
  r.patch('/api/categories/:code', { schema: { tags: ['categories'], params: CodeParams, body: CategoryPatchBody, response: { 200: Category } } }, async (req) =>
    s.categories.update(actorOf(req), req.params.code, req.body, requestLanguage(req)),
  );
}
