// Routes: a product's installation checklist (managers edit), an installation visit's checklist and the customer's sign-off.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Acceptance, AcceptanceBody, ChecklistTickBody, InstallationChecklist, InstallationChecklistBody } from '../../../shared/care.js';
import { VisitIdParams } from '../../../shared/visits.js';
import { actorOf } from '../../http/auth.js';
import type { Services } from '../../services.js';

const ModelParams = z.object({ model: z.string().min(1).max(100) });

export function installationRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['installation'];
  r.get('/api/products/:model/installation-checklist', { schema: { tags, summary: "A product's installation checklist (its own, else its line's defaults)", params: ModelParams, response: { 200: InstallationChecklist } } }, async (req) =>
    s.installation.checklist(actorOf(req), req.params.model),
  );
  r.put('/api/products/:model/installation-checklist', { schema: { tags, summary: "Set a product's own checklist (managers, admins)", params: ModelParams, body: InstallationChecklistBody, response: { 200: InstallationChecklist } } }, async (req) =>
    s.installation.saveChecklist(actorOf(req), req.params.model, req.body),
  );
  r.delete('/api/products/:model/installation-checklist', { schema: { tags, summary: "Back to the product line's defaults", params: ModelParams, response: { 200: InstallationChecklist } } }, async (req) =>
    s.installation.saveChecklist(actorOf(req), req.params.model, null),
  );
  r.get('/api/visits/:id/acceptance', { schema: { tags, summary: "An installation visit's checklist and sign-off", params: VisitIdParams, response: { 200: Acceptance } } }, async (req) => s.installation.get(actorOf(req), req.params.id));
  r.put('/api/visits/:id/acceptance/checklist', { schema: { tags, summary: 'The engineer ticks items (the whole set of ticked labels; version 0 before the first)', params: VisitIdParams, body: ChecklistTickBody, response: { 200: Acceptance } } }, async (req) =>
    s.installation.tick(actorOf(req), req.params.id, req.body),
  );
  r.post('/api/visits/:id/acceptance', { schema: { tags, summary: "The customer's sign-off: the unit's acceptance date (its warranty starts) is today", params: VisitIdParams, body: AcceptanceBody, response: { 200: Acceptance } } }, async (req) =>
    s.installation.accept(actorOf(req), req.params.id, req.body),
  );
}
