// Routes of the customer portal (validate → call → reply).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PortalSessionResponse } from '../../../shared/schemas.js';
import type { Services } from '../../services.js';

export function portalRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['portal'];
  // Public: a signed-out visitor gets { session: null }, not a 401, so the portal's first page logs no error.
  r.get(
    '/api/portal/session',
    { config: { public: true }, schema: { tags, summary: 'Who is using the portal: a customer account, a one-ticket link, staff, or nobody', response: { 200: PortalSessionResponse } } },
    async (req) => ({ session: await s.portal.session(req.actor, req.csrfToken) }),
  );
}
