// Routes: on-site visits of a ticket, the engineer's steps and day, the dispatch board, free slots, suggestions,
// engineer profiles, and phone guidance instead of a visit.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { IdParams, NumberParams } from '../../../shared/schemas.js';
import {
  Board,
  BoardEngineer,
  BoardQuery,
  EngineerProfileBody,
  FreeSlots,
  FreeSlotsQuery,
  MyVisitsQuery,
  PhoneGuidanceBody,
  PhoneGuidanceResult,
  Suggestions,
  SuggestQuery,
  Visit,
  VisitBookBody,
  VisitCancelBody,
  VisitIdParams,
  VisitList,
  VisitRescheduleBody,
  VisitStepBody,
} from '../../../shared/visits.js';
import { actorOf } from '../../http/auth.js';
import { CreateHeaders, idempotencyKey } from '../../http/headers.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';

export function visitRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['visits'];

  r.get('/api/tickets/:number/visits', { schema: { tags, summary: "A ticket's on-site visits (an engineer: their own)", params: NumberParams, response: { 200: VisitList } } }, async (req) => ({
    items: await s.visits.forTicket(actorOf(req), req.params.number),
  }));
  r.post(
    '/api/tickets/:number/visits',
    { schema: { tags, summary: 'Book a visit (dispatcher, supervisor): 409 on an overlap; 409 with fields.force on a short travel gap unless force and forceReason', params: NumberParams, body: VisitBookBody, response: { 201: Visit } } },
    async (req, reply) => reply.status(201).send(await s.visits.book(actorOf(req), req.params.number, req.body, requestLanguage(req))),
  );
  r.get('/api/tickets/:number/visit-suggestions', { schema: { tags, summary: 'Engineers ranked for a visit of this ticket, with reasons and free slots (dispatcher, supervisor)', params: NumberParams, querystring: SuggestQuery, response: { 200: Suggestions } } }, async (req) =>
    s.dispatchBoard.suggest(actorOf(req), req.params.number, req.query, requestLanguage(req)),
  );
  r.post('/api/tickets/:number/phone-guidance', { schema: { tags, summary: 'Resolved by phone guidance instead of a visit: a check-back sub-task due 2 h later', params: NumberParams, body: PhoneGuidanceBody, response: { 201: PhoneGuidanceResult } } }, async (req, reply) =>
    reply.status(201).send(await s.phoneGuidance.record(actorOf(req), req.params.number, req.body.note, requestLanguage(req))),
  );

  r.get('/api/visits/mine', { schema: { tags, summary: "The signed-in engineer's visits of a day (default today), in order", querystring: MyVisitsQuery, response: { 200: VisitList } } }, async (req) => ({
    items: await s.visits.day(actorOf(req), req.query.date),
  }));
  r.get('/api/visits/:id', { schema: { tags, params: VisitIdParams, response: { 200: Visit } } }, async (req) => s.visits.get(actorOf(req), req.params.id));
  r.post('/api/visits/:id/reschedule', { schema: { tags, summary: 'Move to another engineer, day or time with a reason; the customer is told', params: VisitIdParams, body: VisitRescheduleBody, response: { 200: Visit } } }, async (req) =>
    s.visits.reschedule(actorOf(req), req.params.id, req.body, requestLanguage(req)),
  );
  r.post('/api/visits/:id/cancel', { schema: { tags, params: VisitIdParams, body: VisitCancelBody, response: { 200: Visit } } }, async (req) => s.visits.cancel(actorOf(req), req.params.id, req.body, requestLanguage(req)));
  r.post(
    '/api/visits/:id/steps',
    { schema: { tags, summary: 'The engineer records the next step (accepted … left) pressed at `at`; a replay with the same Idempotency-Key answers the visit unchanged', params: VisitIdParams, headers: CreateHeaders, body: VisitStepBody, response: { 200: Visit } } },
    async (req) => s.visits.step(actorOf(req), req.params.id, req.body.step, req.body.version, requestLanguage(req), { at: req.body.at, key: idempotencyKey(req) }),
  );

  r.get('/api/dispatch/board', { schema: { tags, summary: 'Engineers × days with their visits', querystring: BoardQuery, response: { 200: Board } } }, async (req) => s.dispatchBoard.board(actorOf(req), req.query));
  r.get('/api/dispatch/free-slots', { schema: { tags, summary: "Free windows of engineers inside working hours on working days, clear of each other's travel gaps", querystring: FreeSlotsQuery, response: { 200: FreeSlots } } }, async (req) =>
    s.dispatchBoard.freeSlots(actorOf(req), req.query),
  );
  r.put('/api/dispatch/engineers/:id/profile', { schema: { tags, summary: "An engineer's service area and product lines", params: IdParams, body: EngineerProfileBody, response: { 200: BoardEngineer } } }, async (req) =>
    s.dispatchBoard.saveProfile(actorOf(req), req.params.id, req.body),
  );
}

