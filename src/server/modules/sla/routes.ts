// Routes: SLA policies and business calendars (admin; managers read).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CalendarCreateBody, CalendarDaysBody, CalendarPatchBody, CalendarView, IdParams, SlaPolicyCreateBody, SlaPolicyPatchBody, SlaPolicyView } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import { ifMatchVersion, WriteHeaders } from '../../http/headers.js';
import type { Services } from '../../services.js';

export function slaRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/sla/policies', { schema: { tags: ['sla'], response: { 200: z.object({ items: z.array(SlaPolicyView) }) } } }, async (req) => ({
    items: await s.slaAdmin.listPolicies(actorOf(req)),
  }));
  r.post('/api/sla/policies', { schema: { tags: ['sla'], summary: 'Create a policy; open tickets it now governs are recomputed', body: SlaPolicyCreateBody, response: { 201: SlaPolicyView } } }, async (req, reply) =>
    reply.status(201).send(await s.slaAdmin.createPolicy(actorOf(req), req.body)),
  );
  r.patch(
    '/api/sla/policies/:id',
    { schema: { tags: ['sla'], summary: 'Edit a policy (version required); affected open tickets are recomputed', params: IdParams, headers: WriteHeaders, body: SlaPolicyPatchBody, response: { 200: SlaPolicyView } } },
    async (req) => s.slaAdmin.updatePolicy(actorOf(req), req.params.id, { ...req.body, version: ifMatchVersion(req) ?? req.body.version }),
  );
  r.get('/api/sla/calendars', { schema: { tags: ['sla'], summary: 'Calendars with their days, covered years and the years still missing', response: { 200: z.object({ items: z.array(CalendarView) }) } } }, async (req) => ({
    items: await s.slaAdmin.listCalendars(actorOf(req), requestLanguage(req)),
  }));
  r.post('/api/sla/calendars', { schema: { tags: ['sla'], body: CalendarCreateBody, response: { 201: CalendarView } } }, async (req, reply) =>
    reply.status(201).send(await s.slaAdmin.createCalendar(actorOf(req), req.body, requestLanguage(req))),
  );
  r.patch(
    '/api/sla/calendars/:id',
    { schema: { tags: ['sla'], params: IdParams, headers: WriteHeaders, body: CalendarPatchBody, response: { 200: CalendarView } } },
    async (req) => s.slaAdmin.updateCalendar(actorOf(req), req.params.id, { ...req.body, version: ifMatchVersion(req) ?? req.body.version }, requestLanguage(req)),
  );
  r.post(
    '/api/sla/calendars/:id/days',
    { schema: { tags: ['sla'], summary: 'Enter holidays / make-up working days (e.g. next year from the State Council notice); deadlines are recomputed', params: IdParams, body: CalendarDaysBody, response: { 200: CalendarView } } },
    async (req) => s.slaAdmin.editDays(actorOf(req), req.params.id, req.body, requestLanguage(req)),
  );
}
