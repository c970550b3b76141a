// Routes: the staff's care contacts (主动关怀), a ticket's links (repeat repairs), the repeat-repair report.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CareContact, CareContactDoneBody, CareContactList, CareContactsQuery, RepeatRepairQuery, RepeatRepairReport, TicketLinkList } from '../../../shared/care.js';
import { IdParams, NumberParams } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import type { Services } from '../../services.js';

export function careRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['care'];
  r.get('/api/care/contacts', { schema: { tags, summary: 'Care contacts due (open: not followed up yet), with what became of the customer message', querystring: CareContactsQuery, response: { 200: CareContactList } } }, async (req) => ({
    items: await s.careReminders.list(actorOf(req), req.query),
  }));
  r.post('/api/care/contacts/:id/done', { schema: { tags, summary: 'Record that the customer was followed up', params: IdParams, body: CareContactDoneBody, response: { 200: CareContact } } }, async (req) =>
    s.careReminders.done(actorOf(req), req.params.id, req.body),
  );
  r.get('/api/tickets/:number/links', { schema: { tags, summary: 'Linked tickets: the repair this one repeats, the repairs that repeated it', params: NumberParams, response: { 200: TicketLinkList } } }, async (req) => ({
    items: await s.repeatRepairs.links(actorOf(req), req.params.number),
  }));
  r.get('/api/reports/repeat-repairs', { schema: { tags, summary: '30-day repeat repairs: closed repairs in the period, their repeats, the rate per model, engineer and month (target ≤ 5 %)', querystring: RepeatRepairQuery, response: { 200: RepeatRepairReport } } }, async (req) =>
    s.repeatRepairs.report(actorOf(req), req.query),
  );
}
