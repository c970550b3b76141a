// Routes: inspection plans (巡检), moving and completing one occurrence.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InspectionPlanBody, InspectionPlanDetail, InspectionPlanList, InspectionPlanPatch, InspectionPlansQuery, OccurrenceCompleteBody, OccurrenceMoveBody } from '../../../shared/care.js';
import { IdParams } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import type { Services } from '../../services.js';

export function inspectionRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['inspections'];
  r.get('/api/inspection-plans', { schema: { tags, summary: 'Plans with their next occurrence (overdue first); state=due|overdue filters', querystring: InspectionPlansQuery, response: { 200: InspectionPlanList } } }, async (req) => ({
    items: await s.inspections.list(actorOf(req), req.query),
  }));
  r.post('/api/inspection-plans', { schema: { tags, summary: 'Create a plan (dispatchers and leads); its first occurrence is on firstDate', body: InspectionPlanBody, response: { 201: InspectionPlanDetail } } }, async (req, reply) =>
    reply.status(201).send(await s.inspections.create(actorOf(req), req.body)),
  );
  r.get('/api/inspection-plans/:id', { schema: { tags, params: IdParams, response: { 200: InspectionPlanDetail } } }, async (req) => s.inspections.get(actorOf(req), req.params.id));
  r.patch('/api/inspection-plans/:id', { schema: { tags, summary: 'Edit a plan (version); a new first date or interval re-dates occurrences not under way', params: IdParams, body: InspectionPlanPatch, response: { 200: InspectionPlanDetail } } }, async (req) =>
    s.inspections.update(actorOf(req), req.params.id, req.body),
  );
  r.post('/api/inspections/:id/move', { schema: { tags, summary: "Move one occurrence's due date (with a reason); the cycle and the other occurrences keep their dates", params: IdParams, body: OccurrenceMoveBody, response: { 200: InspectionPlanDetail } } }, async (req) =>
    s.inspections.move(actorOf(req), req.params.id, req.body),
  );
  r.post('/api/inspections/:id/complete', { schema: { tags, summary: 'Record an occurrence as done (also done when its ticket closes)', params: IdParams, body: OccurrenceCompleteBody, response: { 200: InspectionPlanDetail } } }, async (req) =>
    s.inspections.complete(actorOf(req), req.params.id, req.body),
  );
}
