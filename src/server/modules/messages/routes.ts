// Routes: messages to customers — each customer's choices, the messages a ticket's customer was sent (staff), the
// unsubscribe link (public, signed), templates and channel settings (admin).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CustomerMessageList,
  IdParams,
  MessageChannelSettings,
  MessageChannelSettingsBody,
  MessagePreferences,
  MessagePreferencesBody,
  MessageTemplate,
  MessageTemplateBody,
  MessageTemplateList,
  MessageTemplateParams,
  MessageTemplatePreview,
  MessageTemplatePreviewBody,
  NumberParams,
  UnsubscribeBody,
  UnsubscribeParams,
  UnsubscribeView,
} from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import type { Services } from '../../services.js';

export function messageRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['messages'];

  r.get('/api/customers/:id/message-preferences', { schema: { tags, summary: "A customer's language, message channels and opt-out (staff, or the customer themselves)", params: IdParams, response: { 200: MessagePreferences } } }, async (req) =>
    s.messages.preferences(actorOf(req), req.params.id),
  );
  r.put('/api/customers/:id/message-preferences', { schema: { tags, summary: "Change a customer's message choices", params: IdParams, body: MessagePreferencesBody, response: { 200: MessagePreferences } } }, async (req) =>
    s.messages.setPreferences(actorOf(req), req.params.id, req.body),
  );

  // The signed-in customer's own choices (the portal's page), without knowing their customer id.
  r.get('/api/messages/preferences', { schema: { tags, summary: "The signed-in customer's own message choices", response: { 200: MessagePreferences } } }, async (req) => {
    const actor = actorOf(req);
    return s.messages.preferences(actor, s.messages.ownCustomerId(actor));
  });
  r.put('/api/messages/preferences', { schema: { tags, summary: "Change the signed-in customer's own message choices", body: MessagePreferencesBody, response: { 200: MessagePreferences } } }, async (req) => {
    const actor = actorOf(req);
    return s.messages.setPreferences(actor, s.messages.ownCustomerId(actor), req.body);
  });

  r.get('/api/tickets/:number/messages', { schema: { tags, summary: "Messages sent to the ticket's customer, with their delivery state (staff)", params: NumberParams, response: { 200: CustomerMessageList } } }, async (req) => {
    const actor = actorOf(req);
    const ticketId = await s.tickets.core.visibleTicketId(actor, req.params.number);
    return { items: await s.messages.forTicket(actor, ticketId) };
  });

  r.get('/api/messages/unsubscribe/:token', { config: { public: true }, schema: { tags, summary: 'What an unsubscribe link opens (no sign-in)', params: UnsubscribeParams, response: { 200: UnsubscribeView } } }, async (req) =>
    s.messages.unsubscribeView(req.params.token),
  );
  r.post('/api/messages/unsubscribe/:token', { config: { public: true }, schema: { tags, summary: 'Opt out of (or back into) non-essential messages through the signed link', params: UnsubscribeParams, body: UnsubscribeBody, response: { 200: UnsubscribeView } } }, async (req) =>
    s.messages.unsubscribe(req.params.token, req.body.optOut),
  );

  r.get('/api/admin/message-templates', { schema: { tags, summary: 'Every template of every event, channel and language (admin)', response: { 200: MessageTemplateList } } }, async (req) => ({
    items: await s.messages.listTemplates(actorOf(req)),
  }));
  r.put('/api/admin/message-templates/:event/:channel/:locale', { schema: { tags, summary: 'Save a template (admin); unknown variables are refused', params: MessageTemplateParams, body: MessageTemplateBody, response: { 200: MessageTemplate } } }, async (req) =>
    s.messages.saveTemplate(actorOf(req), req.params.event, req.params.channel, req.params.locale, req.body),
  );
  r.delete('/api/admin/message-templates/:event/:channel/:locale', { schema: { tags, summary: 'Back to the built-in template (admin)', params: MessageTemplateParams, response: { 200: MessageTemplate } } }, async (req) =>
    s.messages.resetTemplate(actorOf(req), req.params.event, req.params.channel, req.params.locale),
  );
  r.post('/api/admin/message-templates/:event/:channel/:locale/preview', { schema: { tags, summary: 'A template filled with sample values (admin)', params: MessageTemplateParams, body: MessageTemplatePreviewBody, response: { 200: MessageTemplatePreview } } }, async (req) =>
    s.messages.previewTemplate(actorOf(req), req.params.event, req.params.locale, req.body),
  );

  r.get('/api/admin/message-channels', { schema: { tags, summary: 'Customer channel settings; secrets are never returned (admin)', response: { 200: MessageChannelSettings } } }, async (req) =>
    s.messages.channelSettingsView(actorOf(req)),
  );
  r.patch('/api/admin/message-channels', { schema: { tags, summary: 'Change customer channel settings; an empty secret keeps the stored one (admin)', body: MessageChannelSettingsBody, response: { 200: MessageChannelSettings } } }, async (req) =>
    s.messages.updateChannelSettings(actorOf(req), req.body),
  );
}
