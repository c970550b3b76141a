// Closed vocabularies of the notify module, from the shared contract.

export { NOTIFICATION_KINDS, WEBHOOK_KINDS, type NotificationKind, type WebhookKind } from '../../shared/enums.js';
