// Routes: the signed-in user's notifications (list, mark read, live stream over SSE) and admin webhook management.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import { Invalid } from '../../http/errors.js';
import {
  MarkReadBody,
  MarkReadResult,
  NotificationGroups,
  NotificationGroupsQuery,
  NotificationsPage,
  NotificationsQuery,
  NotifyPrefsBody,
  NotifyPrefsView,
  StreamHeaders,
  Webhook,
  WebhookCreateBody,
  WebhookIdParams,
  WebhookPatchBody,
  WebhookTestResult,
} from './schemas.js';
import type { NotifyService } from './service.js';

/** A stream whose client stops reading is dropped once this much is buffered. */
const MAX_BUFFERED = 1024 * 1024;

export function notifyRoutes(app: FastifyInstance, s: { notify: NotifyService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // LISTEN on PostgreSQL while the app runs; open streams would keep the server from closing, so end them first.
  app.addHook('onReady', async () => {
    await s.notify.start();
  });
  app.addHook('preClose', (done) => {
    s.notify.closeAllStreams();
    done();
  });
  app.addHook('onClose', async () => {
    await s.notify.stop();
  });

  r.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the unread count; filters: unread, kind, ticket (number); cursor-paged',
        querystring: NotificationsQuery,
        response: { 200: NotificationsPage },
      },
    },
    async (req) => s.notify.list(actorOf(req), req.query),
  );

  r.get(
    '/api/notifications/groups',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The bell: my latest notifications grouped by ticket, newest group first, with the unread count',
        querystring: NotificationGroupsQuery,
        response: { 200: NotificationGroups },
      },
    },
    async (req) => s.notify.groups(actorOf(req), req.query.limit),
  );

  r.post(
    '/api/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark some ({ids}), all ({all: true}) or one ticket\'s ({ticketId}) notifications of mine read',
        body: MarkReadBody,
        response: { 200: MarkReadResult },
      },
    },
    async (req) => {
      const { ids, all, ticketId } = req.body;
      if (all === true) return s.notify.markRead(actorOf(req), 'all');
      if (ticketId !== undefined) return s.notify.markRead(actorOf(req), { ticketId });
      if (!ids) throw Invalid({ ids: 'field.required' });
      return s.notify.markRead(actorOf(req), ids);
    },
  );

  r.get(
    '/api/notifications/preferences',
    { schema: { tags: ['notifications'], summary: 'My channels per notification kind (in-app, e-mail, robot; none = off) and my digest time', response: { 200: NotifyPrefsView } } },
    async (req) => s.notify.preferences(actorOf(req)),
  );

  r.put(
    '/api/notifications/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Choose my channels per kind ({kinds: {sla_breach: ["in_app", "email"], …}}; [] = off) and my digest time ("HH:MM", China time)',
        body: NotifyPrefsBody,
        response: { 200: NotifyPrefsView },
      },
    },
    async (req) => s.notify.setPreferences(actorOf(req), req.body),
  );

  r.get(
    '/api/notifications/stream',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Server-Sent Events: `event: notification` with each new notification, `event: ping` every 25 s',
        description: 'Works with EventSource and the session cookie. At most a few streams per user (429 beyond).',
        headers: StreamHeaders,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const header = req.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : null;
      const raw = reply.raw;
      let close: (() => void) | null = null;
      let ended = false;
      const cleanup = () => {
        ended = true;
        close?.();
      };
      raw.on('close', cleanup);
      close = await s.notify.openStream(
        actor,
        {
          open: () => {
            reply.hijack();
            raw.writeHead(200, {
              'content-type': 'text/event-stream; charset=utf-8',
              'cache-control': 'no-cache, no-transform',
              connection: 'keep-alive',
              'x-accel-buffering': 'no',
            });
            raw.flushHeaders();
          },
          write: (chunk) => {
            if (raw.destroyed || raw.writableEnded) return;
            raw.write(chunk);
            if (raw.writableLength > MAX_BUFFERED) raw.destroy();
          },
          end: () => {
            if (!raw.writableEnded) raw.end();
          },
        },
        lastEventId,
      );
      // The client may have gone while the stream was being opened.
      if (ended || raw.destroyed) close();
    },
  );

  r.get('/api/webhooks', { schema: { tags: ['webhooks'], summary: 'Webhooks (admin); secrets are never returned, only hasSecret', response: { 200: z.object({ items: z.array(Webhook) }) } } }, async (req) => ({
    items: await s.notify.listWebhooks(actorOf(req)),
  }));

  r.post(
    '/api/webhooks',
    { schema: { tags: ['webhooks'], summary: 'Add a webhook: generic JSON (HMAC-signed), DingTalk, WeCom or Feishu robot (admin)', body: WebhookCreateBody, response: { 201: Webhook } } },
    async (req, reply) => reply.status(201).send(await s.notify.createWebhook(actorOf(req), req.body)),
  );

  r.patch(
    '/api/webhooks/:id',
    { schema: { tags: ['webhooks'], summary: 'Change a webhook; secret: null removes the secret (admin)', params: WebhookIdParams, body: WebhookPatchBody, response: { 200: Webhook } } },
    async (req) => s.notify.updateWebhook(actorOf(req), req.params.id, req.body),
  );

  r.delete('/api/webhooks/:id', { schema: { tags: ['webhooks'], summary: 'Delete a webhook; its pending messages are dropped (admin)', params: WebhookIdParams } }, async (req, reply) => {
    await s.notify.deleteWebhook(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  r.post(
    '/api/webhooks/:id/test',
    { schema: { tags: ['webhooks'], summary: 'Queue a test message to the webhook; the outbox sends it on its next run (admin)', params: WebhookIdParams, response: { 202: WebhookTestResult } } },
    async (req, reply) => reply.status(202).send(await s.notify.testWebhook(actorOf(req), req.params.id)),
  );
}
