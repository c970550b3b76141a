// Routes: the service network (服务商 / 网点) — providers and their people — and the field-service admin pages
// (engineer profiles, travel gaps).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  EngineerProfiles,
  FieldSettings,
  FieldSettingsBody,
  ProviderPeople,
  ProviderPerson,
  ProviderPersonBody,
  ProviderPersonParams,
  ProviderPersonPatchBody,
  ServiceProvider,
  ServiceProviderBody,
  ServiceProviderList,
  ServiceProviderPatchBody,
} from '../../../shared/providers.js';
import { IdParams } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import type { Services } from '../../services.js';

export function providerRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['service network'];

  r.get('/api/providers', { schema: { tags, summary: 'Service providers (managers, admins)', response: { 200: ServiceProviderList } } }, async (req) => ({ items: await s.providers.list(actorOf(req)) }));
  r.post('/api/providers', { schema: { tags, summary: 'Register a service provider', body: ServiceProviderBody, response: { 201: ServiceProvider } } }, async (req, reply) =>
    reply.status(201).send(await s.providers.create(actorOf(req), req.body)),
  );
  r.get('/api/providers/:id', { schema: { tags, params: IdParams, response: { 200: ServiceProvider } } }, async (req) => s.providers.get(actorOf(req), req.params.id));
  r.patch('/api/providers/:id', { schema: { tags, summary: 'Edit; deactivating also deactivates its people and ends their sessions', params: IdParams, body: ServiceProviderPatchBody, response: { 200: ServiceProvider } } }, async (req) =>
    s.providers.update(actorOf(req), req.params.id, req.body),
  );
  r.get('/api/providers/:id/people', { schema: { tags, summary: "A provider's engineers and dispatchers", params: IdParams, response: { 200: ProviderPeople } } }, async (req) => ({
    items: await s.providers.people(actorOf(req), req.params.id),
  }));
  r.post('/api/providers/:id/people', { schema: { tags, summary: 'Add an engineer or dispatcher (a user account of the provider)', params: IdParams, body: ProviderPersonBody, response: { 201: ProviderPerson } } }, async (req, reply) =>
    reply.status(201).send(await s.providers.addPerson(actorOf(req), req.params.id, req.body)),
  );
  r.patch('/api/providers/:id/people/:userId', { schema: { tags, params: ProviderPersonParams, body: ProviderPersonPatchBody, response: { 200: ProviderPerson } } }, async (req) =>
    s.providers.updatePerson(actorOf(req), req.params.id, req.params.userId, req.body),
  );

  r.get('/api/field/engineers', { schema: { tags, summary: "Every engineer's profile: home area, areas served, product lines, provider", response: { 200: EngineerProfiles } } }, async (req) => ({
    items: await s.fieldAdmin.profiles(actorOf(req)),
  }));
  r.get('/api/field/settings', { schema: { tags, summary: 'Travel gaps between visits: the default and per pair of areas', response: { 200: FieldSettings } } }, async (req) => s.fieldAdmin.settings(actorOf(req)));
  r.put('/api/field/settings', { schema: { tags, summary: 'Change the travel gaps (managers, admins)', body: FieldSettingsBody, response: { 200: FieldSettings } } }, async (req) =>
    s.fieldAdmin.saveSettings(actorOf(req), req.body),
  );
}

