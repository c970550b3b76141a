// Notification domain: kinds and texts, webhook requests and signatures, delivery back-off. Pure.
export * from './messages.js';
export * from './retry.js';
export * from './webhooks.js';
export * from './grouping.js';
export * from './preferences.js';
