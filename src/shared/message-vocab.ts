// The vocabulary of messages to customers, without zod, so the console can import it (src/shared/messages.ts holds
// the schemas built on it).

/** What a customer is told about. `login_code` and `invitation` concern the portal account, the rest a ticket. */
export const MESSAGE_EVENTS = [
  'login_code',
  'invitation',
  'ticket_registered',
  'ticket_assigned',
  'engineer_on_the_way',
  'staff_reply',
  'solution_pending',
  'ticket_reopened',
  'ticket_closed',
  'appointment_booked',
  'appointment_changed',
  'care_check_due',
  'warranty_ending',
  // Returns and exchanges (issue 16): the decision, our shipment back, the outcome.
  'rma_approved',
  'rma_rejected',
  'rma_shipped',
  'rma_completed',
] as const;
export type MessageEvent = (typeof MESSAGE_EVENTS)[number];

/**
 * Sent whatever the customer's opt-out: the sign-in code and invitation (they asked for them), and what they must
 * know to get their problem solved — we have their request (with its number and link), an answer, a solution to
 * confirm, someone on the way, an appointment. Assignment, reopening (their own act) and the closing note with the
 * survey are courtesy: an opted-out customer does not get them, and they carry the unsubscribe link.
 */
export const ESSENTIAL_MESSAGE_EVENTS: readonly MessageEvent[] = [
  'login_code',
  'invitation',
  'ticket_registered',
  'engineer_on_the_way',
  'staff_reply',
  'solution_pending',
  'appointment_booked',
  'appointment_changed',
  'rma_approved',
  'rma_rejected',
  'rma_shipped',
  'rma_completed',
];

export const MESSAGE_CHANNELS = ['email', 'sms', 'wechat'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/**
 * A message's delivery state. `skipped`: a courtesy message the customer would have been sent had they not opted out
 * of optional messages — recorded (never sent) so staff can see why the customer heard nothing.
 */
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const SMS_PROVIDERS = ['none', 'generic', 'aliyun', 'tencent'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

/** The variables each event's templates may use ({{name}}); anything else is refused when an admin saves. */
export const MESSAGE_VARIABLES: Record<MessageEvent, readonly string[]> = {
  login_code: ['code', 'minutes'],
  invitation: ['customerName', 'link'],
  ticket_registered: ['customerName', 'number', 'title', 'link'],
  ticket_assigned: ['customerName', 'number', 'title', 'link', 'engineerName'],
  engineer_on_the_way: ['customerName', 'number', 'title', 'link', 'engineerName'],
  staff_reply: ['customerName', 'number', 'title', 'link', 'reply'],
  solution_pending: ['customerName', 'number', 'title', 'link', 'solution'],
  ticket_reopened: ['customerName', 'number', 'title', 'link'],
  ticket_closed: ['customerName', 'number', 'title', 'link', 'surveyLink'],
  appointment_booked: ['customerName', 'number', 'title', 'link', 'engineerName', 'appointmentTime'],
  appointment_changed: ['customerName', 'number', 'title', 'link', 'engineerName', 'appointmentTime', 'reason'],
  // Care reminders (issue 16) are about a unit, not a ticket: the link opens the portal's request form for it.
  care_check_due: ['customerName', 'productName', 'serialNumber', 'link'],
  warranty_ending: ['customerName', 'productName', 'serialNumber', 'warrantyEnd', 'link'],
  rma_approved: ['customerName', 'number', 'title', 'link', 'rmaKind', 'rmaId'],
  rma_rejected: ['customerName', 'number', 'title', 'link', 'rmaKind', 'rmaId', 'reason'],
  rma_shipped: ['customerName', 'number', 'title', 'link', 'rmaKind', 'rmaId', 'carrier', 'trackingNumber'],
  rma_completed: ['customerName', 'number', 'title', 'link', 'rmaKind', 'rmaId', 'outcome'],
};
