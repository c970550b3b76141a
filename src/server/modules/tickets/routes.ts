// Routes: tickets, their transitions, comments and timeline.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Comment, CommentBody, EventsQuery, NumberParams, page, Ticket, TicketCreateBody, TicketEvent, TicketListItem, TicketPatchBody, TicketsQuery, TransitionBody } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { pageJsonBytes } from '../../http/json.js';
import { WorkerLost } from '../../threads.js';
import { AppError, requestLanguage } from '../../http/errors.js';
import { CreateHeaders, idempotencyKey, ifMatchVersion, WriteHeaders } from '../../http/headers.js';
import type { Services } from '../../services.js';

export function ticketRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/tickets',
    { schema: { tags: ['tickets'], summary: 'The queue: filtered, searched (Chinese too), sorted and cursor-paged on the server', querystring: TicketsQuery, response: { 200: page(TicketListItem) } } },
    async (req, reply) => {
      const actor = actorOf(req);
      // The page's JSON bytes, from a read worker when one is ready (readers/pool.ts), else built here (http/json.ts
      // says why not JSON.stringify). Fastify sends a Buffer as is; the cast is only for the type provider.
      const fromWorker = s.readers?.call({ method: 'tickets.list', actor, query: req.query }, s.ctx.clock.now());
      const bytes = await fromWorker?.catch((e: unknown) => {
        if (e instanceof WorkerLost) return null; // the worker died with it: answer here
        throw e;
      });
      if (!bytes) return reply.type('application/json; charset=utf-8').send(pageJsonBytes(await s.tickets.list(actor, req.query)) as never);
      // Written (or the client gone): the worker may fill the buffer again.
      reply.raw.once('close', () => s.readers?.recycle(bytes));
      return reply.type('application/json; charset=utf-8').send(bytes as never);
    },
  );

  r.post(
    '/api/tickets',
    { schema: { tags: ['tickets'], summary: 'Register a ticket; a retry with the same Idempotency-Key returns the same ticket', headers: CreateHeaders, body: TicketCreateBody, response: { 201: Ticket, 200: Ticket } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const key = idempotencyKey(req);
      // In the write worker when it is ready (writers/pool.ts), which answers with the ticket's JSON; else here.
      const fromWorker = s.writers?.call({ method: 'tickets.create', actor, body: req.body, idempotencyKey: key }, s.ctx.clock.now());
      if (fromWorker) {
        const made = await fromWorker.catch((e: unknown) => {
          if (!(e instanceof WorkerLost)) throw e;
          // The worker died with it, maybe after its COMMIT: only a keyed create can safely run again.
          if (!key) throw new AppError(503, 'unavailable', 'error.write_interrupted');
          return null;
        });
        if (made) {
          reply.header('etag', `"${made.version}"`).header('location', `/api/tickets/${made.number}`);
          return reply.status(made.created ? 201 : 200).type('application/json; charset=utf-8').send(made.json as never);
        }
      }
      const { ticket, created } = await s.tickets.create(actor, req.body, key);
      reply.header('etag', `"${ticket.version}"`).header('location', `/api/tickets/${ticket.number}`);
      return reply.status(created ? 201 : 200).send(ticket);
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
