// Closed vocabularies shared by server and web. Labels live in the locale files, keyed by these values.

export const ROLES = ['agent', 'supervisor', 'engineer', 'dispatcher', 'manager', 'director', 'qa', 'admin', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'waiting_customer',
  'pending_review',
  'pending_confirmation',
  'closed',
  'reopened',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which a ticket still needs work from the service team. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'waiting_customer',
  'pending_review',
  'pending_confirmation',
  'reopened',
];

/**
 * Statuses in which the improvement plan owed to a dissatisfied customer (24 h, SPEC §8) is a live deadline: the
 * server counts it in `nextDueAt`, and a queue row counts it down, until a new solution is submitted.
 */
export const IMPROVEMENT_PLAN_STATUSES: readonly TicketStatus[] = ['reopened', 'assigned', 'in_progress'];

export const PRIORITIES = ['P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['phone', 'web', 'email', 'chat', 'api', 'wechat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SERVICE_TYPES = ['repair', 'return_exchange', 'consultation', 'complaint', 'installation', 'inspection'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const FAULT_CLASSES = ['hardware', 'software', 'usage'] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

export const CUSTOMER_KINDS = ['person', 'company'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export const CUSTOMER_TIERS = ['normal', 'core', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export const TICKET_SORTS = ['created_desc', 'created_asc', 'reported_desc', 'priority', 'updated_desc', 'due'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export const EVENT_KINDS = [
  'created',
  'updated',
  'status_changed',
  'assigned',
  'comment',
  'internal_note',
  'attachment',
  'routed',
  'sla_warning',
  'sla_breach',
  'sla_recomputed',
  'escalated',
  'escalation_acknowledged',
  'solution_submitted',
  'review_approved',
  'review_returned',
  'customer_confirmed',
  'customer_rejected',
  'follow_up',
  'subtask_created',
  'subtask_updated',
  /** Staff-only (internal): staff chose another priority than the derived one; details hold the reason. */
  'priority_overridden',
  /** Staff-only (internal): registered more than 2 hours after the customer's first contact (seed 001). */
  'late_registration',
  // Staff only: a customer never sees a second review (二次复核) or its finding.
  'second_review_requested',
  'second_review_recorded',
  /** Staff only: a knowledge-base draft was made from this ticket (details: articleId, title). */
  'kb_article_created',
  // Staff only: a message to the customer was queued, delivered or given up (modules/messages), with its channel.
  'customer_message',
  'customer_message_sent',
  'customer_message_failed',
  // Staff only: the satisfaction survey (sent, answered) and the follow-up call (回访) a low answer opens.
  'survey_sent',
  'survey_answered',
  'survey_follow_up_opened',
  'survey_follow_up_closed',
  // Staff only: on-site visits (issue 16) booked, moved, cancelled, the engineer's steps; resolved by phone guidance.
  'visit_booked',
  'visit_rescheduled',
  'visit_cancelled',
  'visit_step',
  'phone_guidance',
  // Staff only (issue 16): the installation checklist ticked and the customer's sign-off (the unit's warranty starts);
  // an inspection's ticket; a repeat repair linked to the repair it repeats (on both tickets).
  'installation_accepted',
  'inspection_created',
  'inspection_completed',
  'ticket_linked',
  // Staff only: returns and exchanges (RMA: opened, checklist, decision, tracking, receipt, outcome, completion or
  // cancellation), take-back repairs' steps and loaners lent and returned (issue 16).
  'rma_created',
  'rma_checklist',
  'rma_approve',
  'rma_reject',
  'rma_cancel',
  'rma_ship_in',
  'rma_receive',
  'rma_outcome',
  'rma_ship_out',
  'rma_complete',
  'take_back_step',
  'loaner_lent',
  'loaner_returned',
  // Staff only: completing a visit — the report, parts used, photos, the quote, its acceptance and the payment.
  'visit_report_saved',
  'visit_part_used',
  'visit_photo_added',
  'visit_quoted',
  'visit_quote_accepted',
  'visit_charged',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_transition',
  'stale_version',
  'rate_limited',
  /** A signed link past its expiry (410): the page says so, instead of "not found". */
  'link_expired',
  /** A stock move that would take more spare parts than are available (409): the message names the available quantity. */
  'insufficient_stock',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'insufficient_storage',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SLA_CLOCK_NAMES = ['firstResponse', 'startHandling', 'firstSolution', 'resolve', 'nextUpdate', 'followUp'] as const;
export type SlaClockName = (typeof SLA_CLOCK_NAMES)[number];

/**
 * The unit of an SLA target (SPEC §4): working minutes / hours on the policy's business calendar, working days (the
 * same local time N working days later), or clock minutes / hours (elapsed time, 24×7, whatever the calendar).
 */
export const SLA_UNITS = ['working_minutes', 'working_hours', 'working_days', 'clock_minutes', 'clock_hours'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

/** `awaiting_customer`: the resolve clock once the solution reached the customer, until they confirm it (SPEC §8). */
export const CLOCK_STATES = ['ok', 'warning', 'breached', 'met', 'paused', 'stopped', 'awaiting_customer'] as const;
export type ClockStateName = (typeof CLOCK_STATES)[number];

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
  'daily_digest',
  'second_review_requested',
  /** Available stock of a spare part fell below its threshold at a location (modules/parts). */
  'low_stock',
  /** An inspection (巡检) of one of the user's plans is due in a few days / is past its date without being done. */
  'inspection_due',
  'inspection_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Where a user has a kind of notification delivered; none of them = off. */
export const NOTIFY_CHANNELS = ['in_app', 'email', 'robot'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export const WEBHOOK_KINDS = ['generic', 'dingtalk', 'wecom', 'feishu'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** How much of the customer's business a problem touches (SPEC §3), most first. */
export const IMPACTS = ['core', 'partial', 'minor'] as const;
export type Impact = (typeof IMPACTS)[number];

/** How soon it hurts (SPEC §3), most urgent first. */
export const URGENCIES = ['stopped', 'degraded', 'can_wait'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** Who reviews a solution (admin setting `reviewBy`): the service desk's supervisors, or the lead department's. */
export const REVIEW_BY = ['service_desk', 'lead_department'] as const;
export type ReviewBy = (typeof REVIEW_BY)[number];

/**
 * Why a second review (二次复核) started: an unsatisfied complaint, a ticket reopened a second time, or a complaint
 * whose customer answered the satisfaction survey with a low score or as a detractor.
 */
export const SECOND_REVIEW_REASONS = ['complaint_rejected', 'reopened_again', 'survey_unsatisfied'] as const;
export type SecondReviewReason = (typeof SECOND_REVIEW_REASONS)[number];

/** A second review's verdict: the handling is upheld, or a service failure was found. */
export const SECOND_REVIEW_VERDICTS = ['upheld', 'service_failure'] as const;
export type SecondReviewVerdict = (typeof SECOND_REVIEW_VERDICTS)[number];
