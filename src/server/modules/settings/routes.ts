// Routes: admin settings (service desk department, who reviews solutions).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Settings, SettingsPatchBody } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requireAccess } from '../../http/access.js';
import type { Services } from '../../services.js';

export function settingsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  r.get('/api/admin/settings', { schema: { tags, summary: 'Service desk department and who reviews solutions', response: { 200: Settings } } }, async (req) => {
    requireAccess(actorOf(req), 'directory.read');
    return s.settings.get();
  });
  r.patch('/api/admin/settings', { schema: { tags, summary: 'Change settings (admin)', body: SettingsPatchBody, response: { 200: Settings } } }, async (req) =>
    s.settings.update(actorOf(req), req.body),
  );
}
