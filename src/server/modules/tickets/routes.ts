// Routes: tickets, their transitions, comments and timeline.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Comment, CommentBody, EventsQuery, NumberParams, page, Ticket, TicketCreateBody, TicketEvent, TicketListItem, TicketPatchBody, TicketCount, TicketCountQuery, TicketsQuery, TransitionBody } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import { CreateHeaders, idempotencyKey, ifMatchVersion, WriteHeaders } from '../../http/headers.js';
import type { Services } from '../../services.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export function ticketRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/tickets',
    { schema: { tags: ['tickets'], summary: 'The queue: filtered, searched (Chinese too), sorted and cursor-paged on the server', querystring: TicketsQuery, response: { 200: page(TicketListItem) } } },
    async (req, reply) => {
      // JSON bytes (from a read worker or built here: dispatcher.ts); Fastify sends a Buffer as is, the cast is only for the type provider.
      const bytes = await s.dispatcher.ticketPage(actorOf(req), req.query, reply.raw);
      return reply.type(JSON_TYPE).send(bytes as never);
    },
  );

  r.get(
    '/api/tickets/count',
    { schema: { tags: ['tickets'], summary: 'The queue\'s total for a filter: exact up to 1,000, else {count: 1000, capped: true}', querystring: TicketCountQuery, response: { 200: TicketCount } } },
    async (req, reply) => {
      const counted = await s.dispatcher.ticketCount(actorOf(req), req.query);
      return Buffer.isBuffer(counted) ? reply.type(JSON_TYPE).send(counted as never) : counted;
    },
  );

  r.post(
    '/api/tickets',
    { schema: { tags: ['tickets'], summary: 'Register a ticket; a retry with the same Idempotency-Key returns the same ticket', headers: CreateHeaders, body: TicketCreateBody, response: { 201: Ticket, 200: Ticket } } },
    async (req, reply) => {
      const made = await s.dispatcher.createTicket(actorOf(req), req.body, idempotencyKey(req));
      reply.status(made.created ? 201 : 200).header('etag', `"${made.version}"`).header('location', `/api/tickets/${made.number}`);
      // The write worker's JSON text is sent as is; a ticket made on this thread goes through the response schema.
      return made.json !== undefined ? reply.type(JSON_TYPE).send(made.json as never) : reply.send(made.ticket);
    },
  );

  r.get('/api/tickets/:number', { schema: { tags: ['tickets'], params: NumberParams, response: { 200: Ticket } } }, async (req, reply) => {
    const ticket = await s.tickets.get(actorOf(req), req.params.number);
    reply.header('etag', `"${ticket.version}"`);
    return ticket;
  });

  r.patch(
    '/api/tickets/:number',
    { schema: { tags: ['tickets'], summary: 'Edit fields; send the version as If-Match or in the body — a stale version gets 409', params: NumberParams, headers: WriteHeaders, body: TicketPatchBody, response: { 200: Ticket } } },
    async (req, reply) => {
      const ticket = await s.tickets.update(actorOf(req), req.params.number, req.body, ifMatchVersion(req));
      reply.header('etag', `"${ticket.version}"`);
      return ticket;
    },
  );

  r.post(
    '/api/tickets/:number/transitions',
    { schema: { tags: ['tickets'], summary: 'Move the ticket to another status; illegal moves get 409', params: NumberParams, headers: WriteHeaders, body: TransitionBody, response: { 200: Ticket } } },
    async (req, reply) => {
      const ticket = await s.tickets.transition(actorOf(req), req.params.number, req.body, ifMatchVersion(req), requestLanguage(req));
      reply.header('etag', `"${ticket.version}"`);
      return ticket;
    },
  );

  r.get('/api/tickets/:number/comments', { schema: { tags: ['tickets'], params: NumberParams, response: { 200: z.object({ items: z.array(Comment) }) } } }, async (req) => ({
    items: await s.tickets.comments(actorOf(req), req.params.number),
  }));

  r.post(
    '/api/tickets/:number/comments',
    { schema: { tags: ['tickets'], summary: 'A reply to the customer, or an internal note (internal: true)', params: NumberParams, body: CommentBody, response: { 201: Comment } } },
    async (req, reply) => reply.status(201).send(await s.tickets.addComment(actorOf(req), req.params.number, req.body)),
  );

  r.get(
    '/api/tickets/:number/events',
    { schema: { tags: ['tickets'], summary: 'The timeline: every change with actor, time and before/after', params: NumberParams, querystring: EventsQuery, response: { 200: page(TicketEvent) } } },
    async (req) => s.tickets.events(actorOf(req), req.params.number, req.query.limit, req.query.cursor),
  );
}
