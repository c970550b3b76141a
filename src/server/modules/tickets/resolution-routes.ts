// Routes: solution, review, customer confirmation, escalation, follow-up, sub-tasks.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AcknowledgeBody,
  ConfirmationBody,
  EscalateBody,
  FollowUpBody,
  IdParams,
  NumberParams,
  ReviewBody,
  SecondReviewBody,
  SolutionBody,
  Subtask,
  SubtaskCreateBody,
  SubtaskPatchBody,
  Ticket,
} from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';

export function resolutionRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['workflow'];
  r.post('/api/tickets/:number/solution', { schema: { tags, summary: 'Submit the solution for review (open sub-tasks need overrideReason)', params: NumberParams, body: SolutionBody, response: { 200: Ticket } } }, async (req) =>
    s.resolution.submitSolution(actorOf(req), req.params.number, req.body, requestLanguage(req)),
  );
  r.post('/api/tickets/:number/review', { schema: { tags, summary: 'Approve or return a solution (a reviewer other than its author; not while a second review is pending)', params: NumberParams, body: ReviewBody, response: { 200: Ticket } } }, async (req) =>
    s.resolution.review(actorOf(req), req.params.number, req.body, requestLanguage(req)),
  );
  r.post(
    '/api/tickets/:number/confirmation',
    { schema: { tags, summary: "The customer's verdict: satisfied closes; not satisfied reopens with priority raised and a 24 h improvement plan (an unsatisfied complaint or a second reopening starts a second review)", params: NumberParams, body: ConfirmationBody, response: { 200: Ticket } } },
    async (req) => s.resolution.confirm(actorOf(req), req.params.number, req.body, requestLanguage(req)),
  );
  r.post(
    '/api/tickets/:number/second-review',
    { schema: { tags, summary: 'Record the finding of the pending second review (二次复核): QA, supervisor, manager, director or admin; not the first reviewer nor the author', params: NumberParams, body: SecondReviewBody, response: { 200: Ticket } } },
    async (req) => s.resolution.secondReview(actorOf(req), req.params.number, req.body),
  );
  r.post('/api/tickets/:number/escalate', { schema: { tags, summary: 'Escalate one level with a reason', params: NumberParams, body: EscalateBody, response: { 200: Ticket } } }, async (req) =>
    s.resolution.escalate(actorOf(req), req.params.number, req.body, requestLanguage(req)),
  );
  r.post('/api/tickets/:number/escalation/acknowledge', { schema: { tags, summary: 'The escalation target acknowledges', params: NumberParams, body: AcknowledgeBody, response: { 200: Ticket } } }, async (req) =>
    s.resolution.acknowledge(actorOf(req), req.params.number, req.body),
  );
  r.post('/api/tickets/:number/follow-up', { schema: { tags, summary: 'Record the follow-up call (回访)', params: NumberParams, body: FollowUpBody, response: { 200: Ticket } } }, async (req) =>
    s.resolution.followUp(actorOf(req), req.params.number, req.body, requestLanguage(req)),
  );
  r.get('/api/tickets/:number/subtasks', { schema: { tags, params: NumberParams, response: { 200: z.object({ items: z.array(Subtask) }) } } }, async (req) => ({
    items: await s.subtasks.list(actorOf(req), req.params.number),
  }));
  r.post('/api/tickets/:number/subtasks', { schema: { tags, summary: "A collaborating department's part, with owner and deadline", params: NumberParams, body: SubtaskCreateBody, response: { 201: Subtask } } }, async (req, reply) =>
    reply.status(201).send(await s.subtasks.create(actorOf(req), req.params.number, req.body)),
  );
  r.patch('/api/subtasks/:id', { schema: { tags, params: IdParams, body: SubtaskPatchBody, response: { 200: Subtask } } }, async (req) => s.subtasks.update(actorOf(req), req.params.id, req.body));
}
