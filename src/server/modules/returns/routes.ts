// Routes: RMAs on a ticket and the returns list, take-back repairs, the loaner pool and loans, and the portal's
// customer-safe view of a ticket's RMAs. Creates take an Idempotency-Key (a retry answers 200 with the first one).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, NumberParams } from '../../../shared/schemas.js';
import {
  LendBody,
  Loan,
  LoanerBody,
  LoanerList,
  LoanersQuery,
  LoanerStateBody,
  LoanList,
  LoanReturnBody,
  LoansQuery,
  Loaner,
  PortalRmaList,
  Rma,
  RmaCancelBody,
  RmaChecklistBody,
  RmaCompleteBody,
  RmaCreateBody,
  RmaDecisionBody,
  RmaList,
  RmaOutcomeBody,
  RmaPage,
  RmaReceiveBody,
  RmaShipmentBody,
  RmasQuery,
  TakeBack,
  TakeBackCreateBody,
  TakeBackList,
  TakeBackStepBody,
} from '../../../shared/returns.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import { CreateHeaders, idempotencyKey } from '../../http/headers.js';
import type { Services } from '../../services.js';

export function returnRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['returns'];
  const rmas = s.returns.rmas;

  r.get('/api/tickets/:number/rmas', { schema: { tags, summary: "A ticket's returns and exchanges (RMAs)", params: NumberParams, response: { 200: RmaList } } }, async (req) => ({ items: await rmas.forTicket(actorOf(req), req.params.number) }));
  r.post(
    '/api/tickets/:number/rmas',
    { schema: { tags, summary: "Open an RMA for the customer's units or order lines; past the return window a return or exchange needs windowOverrideReason", params: NumberParams, headers: CreateHeaders, body: RmaCreateBody, response: { 201: Rma, 200: Rma } } },
    async (req, reply) => {
      const made = await rmas.create(actorOf(req), req.params.number, req.body, idempotencyKey(req));
      return reply.status(made.created ? 201 : 200).send(made.rma);
    },
  );
  r.get('/api/rmas', { schema: { tags, summary: 'Returns list, newest first; status (or open) and kind filters', querystring: RmasQuery, response: { 200: RmaPage } } }, async (req) => rmas.list(actorOf(req), req.query));
  r.get('/api/rmas/:id', { schema: { tags, params: IdParams, response: { 200: Rma } } }, async (req) => rmas.get(actorOf(req), req.params.id));
  r.post('/api/rmas/:id/checklist', { schema: { tags, summary: 'The eligibility checklist (while requested)', params: IdParams, body: RmaChecklistBody, response: { 200: Rma } } }, async (req) => rmas.checklist(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.post('/api/rmas/:id/decision', { schema: { tags, summary: 'Approve or reject (supervisor, manager, director, admin); the customer is told', params: IdParams, body: RmaDecisionBody, response: { 200: Rma } } }, async (req) => rmas.decide(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.post('/api/rmas/:id/shipments', { schema: { tags, summary: 'Carrier and tracking number: in (customer → us, after approval) or out (us → customer, after the outcome)', params: IdParams, body: RmaShipmentBody, response: { 200: Rma } } }, async (req) => rmas.shipment(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.post('/api/rmas/:id/receive', { schema: { tags, summary: 'The goods arrived: into the returns location', params: IdParams, body: RmaReceiveBody, response: { 200: Rma } } }, async (req) => rmas.receive(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.post('/api/rmas/:id/outcome', { schema: { tags, summary: 'Refund (return), new serials (exchange) or repaired', params: IdParams, body: RmaOutcomeBody, response: { 200: Rma } } }, async (req) => rmas.outcome(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.post('/api/rmas/:id/complete', { schema: { tags, summary: 'Delivered back to the customer', params: IdParams, body: RmaCompleteBody, response: { 200: Rma } } }, async (req) => rmas.complete(actorOf(req), req.params.id, req.body.version, requestLanguage(req)));
  r.post('/api/rmas/:id/cancel', { schema: { tags, params: IdParams, body: RmaCancelBody, response: { 200: Rma } } }, async (req) => rmas.cancel(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.get('/api/rmas/:id/goods', { schema: { tags, summary: "The RMA's goods ledger (received, issued)", params: IdParams, response: { 200: z.object({ items: z.array(z.object({ id: z.number(), kind: z.string(), productModel: z.string(), serialNumber: z.string().nullable(), qty: z.number(), location: z.string(), at: z.string() })) }) } } }, async (req) => {
    await rmas.get(actorOf(req), req.params.id);
    const rows = await rmas.goods.ofRma(req.params.id);
    return { items: rows.map((g) => ({ id: g.id, kind: g.kind, productModel: g.product_model, serialNumber: g.serial_number, qty: g.qty, location: g.location, at: new Date(Number(g.created_at)).toISOString() })) };
  });

  r.get('/api/portal/tickets/:number/rmas', { schema: { tags: ['portal'], summary: "The customer's view of a ticket's RMAs: state, items, tracking numbers", params: NumberParams, response: { 200: PortalRmaList } } }, async (req) => ({ items: await rmas.portal(actorOf(req), req.params.number) }));

  r.get('/api/tickets/:number/take-backs', { schema: { tags, summary: "A ticket's take-back repairs (拉修)", params: NumberParams, response: { 200: TakeBackList } } }, async (req) => ({ items: await s.returns.takeBacks.forTicket(actorOf(req), req.params.number) }));
  r.post('/api/tickets/:number/take-backs', { schema: { tags, summary: 'The unit is collected for the workshop', params: NumberParams, headers: CreateHeaders, body: TakeBackCreateBody, response: { 201: TakeBack, 200: TakeBack } } }, async (req, reply) => {
    const made = await s.returns.takeBacks.create(actorOf(req), req.params.number, req.body, idempotencyKey(req));
    return reply.status(made.created ? 201 : 200).send(made.takeBack);
  });
  r.post('/api/take-backs/:id/steps', { schema: { tags, summary: 'Next step: at_workshop → repaired → returned', params: IdParams, body: TakeBackStepBody, response: { 200: TakeBack } } }, async (req) => s.returns.takeBacks.step(actorOf(req), req.params.id, req.body, requestLanguage(req)));

  r.get('/api/loaners', { schema: { tags, summary: 'The loaner pool with each open loan', querystring: LoanersQuery, response: { 200: LoanerList } } }, async (req) => ({ items: await s.returns.loaners.list(actorOf(req), req.query) }));
  r.post('/api/loaners', { schema: { tags, summary: 'Add a loaner unit (dispatcher, supervisor, manager, director, admin)', body: LoanerBody, response: { 201: Loaner } } }, async (req, reply) => reply.status(201).send(await s.returns.loaners.add(actorOf(req), req.body)));
  r.post('/api/loaners/:id/state', { schema: { tags, summary: 'In repair, back to available, retired', params: IdParams, body: LoanerStateBody, response: { 200: Loaner } } }, async (req) => s.returns.loaners.setState(actorOf(req), req.params.id, req.body));
  r.get('/api/loans', { schema: { tags, summary: 'Loans: open, overdue, of a ticket', querystring: LoansQuery, response: { 200: LoanList } } }, async (req) => ({ items: await s.returns.loaners.loans(actorOf(req), req.query) }));
  r.post('/api/tickets/:number/loans', { schema: { tags, summary: 'Lend an available loaner on this ticket (409 when it is not available)', params: NumberParams, headers: CreateHeaders, body: LendBody, response: { 201: Loan, 200: Loan } } }, async (req, reply) => {
    const made = await s.returns.loaners.lend(actorOf(req), req.params.number, req.body, idempotencyKey(req));
    return reply.status(made.created ? 201 : 200).send(made.loan);
  });
  r.post('/api/loans/:id/return', { schema: { tags, summary: 'The loaner is back', params: IdParams, body: LoanReturnBody, response: { 200: Loan } } }, async (req) => s.returns.loaners.giveBack(actorOf(req), req.params.id, req.body.note));
}
