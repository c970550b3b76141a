// Routes: customers, their detail with products, and caller lookup.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Customer, CustomerCreateBody, CustomerDetail, CustomerLookupQuery, CustomerLookupResult, CustomerPatchBody, CustomersQuery, IdParams, page } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { ifMatchVersion, WriteHeaders } from '../../http/headers.js';
import type { Services } from '../../services.js';

export function customerRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/customers', { schema: { tags: ['customers'], summary: 'Search customers by name, company, phone or e-mail (contact details masked)', querystring: CustomersQuery, response: { 200: page(Customer) } } }, async (req) =>
    s.customers.list(actorOf(req), req.query),
  );
  r.post('/api/customers', { schema: { tags: ['customers'], body: CustomerCreateBody, response: { 201: CustomerDetail } } }, async (req, reply) =>
    reply.status(201).send(await s.customers.create(actorOf(req), req.body)),
  );
  r.get(
    '/api/customers/lookup',
    { schema: { tags: ['customers'], summary: 'Caller lookup: customers with this phone or e-mail, their products and open tickets', querystring: CustomerLookupQuery, response: { 200: CustomerLookupResult } } },
    async (req) => {
      const actor = actorOf(req);
      const found = await s.customers.lookup(actor, req.query);
      const open = await s.tickets.openTicketsOf(actor, found.map((f) => f.customer.id));
      return { items: found.map((f) => ({ ...f, openTickets: open.get(f.customer.id) ?? [] })) };
    },
  );
  r.get('/api/customers/:id', { schema: { tags: ['customers'], params: IdParams, response: { 200: CustomerDetail } } }, async (req) => s.customers.get(actorOf(req), req.params.id));
  r.patch(
    '/api/customers/:id',
    { schema: { tags: ['customers'], params: IdParams, headers: WriteHeaders, body: CustomerPatchBody, response: { 200: CustomerDetail } } },
    async (req) => {
      const updated = await s.customers.update(actorOf(req), req.params.id, req.body, ifMatchVersion(req));
      // The tier takes part in choosing an SLA policy: the customer's open tickets follow.
      if (req.body.tier !== undefined) await s.slaAdmin.recomputeForCustomer(updated.id);
      return updated;
    },
  );
}
