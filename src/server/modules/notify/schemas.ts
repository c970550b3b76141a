// API contract of webhooks (zod). The notifications' own contract is in src/shared/schemas.ts.
import { z } from 'zod';
import { NotificationKindEnum } from '../../../shared/schemas.js';
import { NOTIFICATION_KINDS, WEBHOOK_KINDS } from '../../domain/notify/index.js';

export {
  MarkReadBody,
  MarkReadResult,
  NotificationGroup,
  NotificationGroups,
  NotificationGroupsQuery,
  NotificationItem,
  NotificationKindEnum,
  NotificationsPage,
  NotificationsQuery,
  NotifyPrefsBody,
  NotifyPrefsView,
} from '../../../shared/schemas.js';

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
const DepartmentId = z.number().int().positive().max(2_147_483_647);
const WebhookSecret = z.string().trim().min(1).max(200);

export const WebhookCreateBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: WebhookUrl,
    kind: z.enum(WEBHOOK_KINDS).default('generic'),
    secret: WebhookSecret.nullable().optional(),
    events: WebhookEvents.default(['*']),
    active: z.boolean().default(true),
    /** A department's group robot (gets what its people chose to send there); null = company-wide. */
    departmentId: DepartmentId.nullable().optional(),
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
    departmentId: DepartmentId.nullable().optional(),
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
  departmentId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

export const WebhookIdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export const WebhookTestResult = z.object({ outboxId: z.number().int() });

export const StreamHeaders = z.looseObject({
  'last-event-id': z.string().max(100).optional().describe('Sent by EventSource on reconnect: notifications after this id are replayed'),
});
