// Closed vocabularies of the notify module that src/shared/enums.ts does not have yet (mirrors
// src/server/domain/notify/messages.ts and webhooks.ts).

export const NOTIFICATION_KINDS = [
  'assigned',
  'sla_warning',
  'sla_breach',
  'escalated',
  'escalation_overdue',
  'review_requested',
  'review_returned',
  'customer_rejected',
  'follow_up_due',
  'calendar_uncovered',
  'subtask_assigned',
  'mentioned',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const WEBHOOK_KINDS = ['generic', 'dingtalk', 'wecom', 'feishu'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
