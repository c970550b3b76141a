// API contract of notifications and webhooks (zod). Kept beside the module until it moves to src/shared.
import { z } from 'zod';
import { Cursor, Limit } from '../../../shared/schemas.js';
import { NOTIFICATION_KINDS, WEBHOOK_KINDS } from '../../domain/notify/index.js';

export const NotificationKindEnum = z.enum(NOTIFICATION_KINDS);

export const NotificationTicket = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  priority: z.string(),
  demand: z.string().nullable(),
  status: z.string(),
  dueAt: z.string().nullable(),
});

export const NotificationItem = z.object({
  id: z.number().int(),
  kind: z.string(),
  ticket: NotificationTicket.nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationItem = z.infer<typeof NotificationItem>;

export const NotificationsQuery = z.object({
  unread: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  limit: Limit,
  cursor: Cursor.optional(),
});

export const NotificationsPage = z.object({
  items: z.array(NotificationItem),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});

export const MarkReadBody = z
  .object({
    ids: z.array(z.number().int().positive()).max(500).optional(),
    all: z.boolean().optional(),
  })
  .strict();

export const MarkReadResult = z.object({ updated: z.number().int(), unread: z.number().int() });

export function isHttpUrl(value: string): boolean {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
}

const WebhookUrl = z.string().trim().min(1).max(2000).refine(isHttpUrl, { message: 'webhook_url' });
const WebhookEvents = z
  .array(z.union([z.literal('*'), NotificationKindEnum]))
  .min(1)
  .max(NOTIFICATION_KINDS.length + 1)
  .transform((events) => (events.includes('*') ? ['*' as const] : [...new Set(events)]));
const WebhookSecret = z.string().trim().min(1).max(200);

export const WebhookCreateBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: WebhookUrl,
    kind: z.enum(WEBHOOK_KINDS).default('generic'),
    secret: WebhookSecret.nullable().optional(),
    events: WebhookEvents.default(['*']),
    active: z.boolean().default(true),
  })
  .strict();
export type WebhookCreateBody = z.infer<typeof WebhookCreateBody>;

export const WebhookPatchBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    url: WebhookUrl.optional(),
    kind: z.enum(WEBHOOK_KINDS).optional(),
    /** null removes the secret; leaving it out keeps it. */
    secret: WebhookSecret.nullable().optional(),
    events: WebhookEvents.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type WebhookPatchBody = z.infer<typeof WebhookPatchBody>;

export const Webhook = z.object({
  id: z.number().int(),
  name: z.string(),
  url: z.string(),
  kind: z.enum(WEBHOOK_KINDS),
  events: z.array(z.string()),
  active: z.boolean(),
  hasSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

export const WebhookIdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export const WebhookTestResult = z.object({ outboxId: z.number().int() });

export const StreamHeaders = z.looseObject({
  'last-event-id': z.string().max(100).optional().describe('Sent by EventSource on reconnect: notifications after this id are replayed'),
});
