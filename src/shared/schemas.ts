// The API contract: every request and response shape, used by the server for validation/OpenAPI and by the web client for types.
import { z } from 'zod';
import {
  CHANNELS,
  CUSTOMER_KINDS,
  CUSTOMER_TIERS,
  EVENT_KINDS,
  FAULT_CLASSES,
  IMPACTS,
  LANGUAGES,
  NOTIFICATION_KINDS,
  NOTIFY_CHANNELS,
  PRIORITIES,
  REVIEW_BY,
  ROLES,
  SECOND_REVIEW_REASONS,
  SECOND_REVIEW_VERDICTS,
  SERVICE_TYPES,
  SLA_CLOCK_NAMES,
  SLA_UNITS,
  type SlaClockName,
  type SlaUnit,
  CLOCK_STATES,
  TICKET_SORTS,
  TICKET_STATUSES,
  URGENCIES,
} from './enums.js';
import { Cursor, email, id, isoDate, isoDateTime, Limit, longText, phone, text, ticketNumber, UserRef } from './fields.js';
import { WarrantyInfo } from './products.js';

// The building blocks (free text, ids, dates, paging) live in fields.ts, which the per-capability contracts import
// too (they cannot import this file, which re-exports them: the cycle would leave its constants uninitialised).
export * from './fields.js';

// ---------------------------------------------------------------- building blocks

export const role = z.enum(ROLES);
export const ticketStatus = z.enum(TICKET_STATUSES);
export const priority = z.enum(PRIORITIES);
export const channel = z.enum(CHANNELS);
export const serviceType = z.enum(SERVICE_TYPES);
export const faultClass = z.enum(FAULT_CLASSES);
export const customerKind = z.enum(CUSTOMER_KINDS);
export const customerTier = z.enum(CUSTOMER_TIERS);
export const language = z.enum(LANGUAGES);
export const impact = z.enum(IMPACTS);
export const urgency = z.enum(URGENCIES);

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------- users, auth


export const User = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role,
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  customerId: z.number().nullable(),
  skills: z.array(z.string()),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  /** The service provider (服务商) the person works for; null for the company's own staff. */
  providerId: z.number().nullable(),
  providerName: z.string().nullable().optional(),
});
export type User = z.infer<typeof User>;

export const LoginBody = z.object({
  username: text(100, 1),
  password: z.string().min(1).max(200),
});
export const LoginResponse = z.object({ user: User, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** At most one of expiresInDays / expiresAt; neither = the token never expires (until revoked). */
export const TokenCreateBody = z
  .object({
    name: text(100, 1),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    expiresAt: isoDateTime.optional(),
  })
  .refine((b) => b.expiresInDays === undefined || b.expiresAt === undefined, { message: 'expiry_one_of', path: ['expiresAt'] });
export const TokenCreated = z.object({ id: z.number(), name: z.string(), token: z.string(), createdAt: z.string(), expiresAt: z.string().nullable() });
/** An API token as listed: never its secret. */
export const ApiToken = z.object({
  id: z.number(),
  name: z.string(),
  createdAt: z.string(),
  /** Recorded at most once a minute. */
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
});
export type ApiToken = z.infer<typeof ApiToken>;
export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(10).max(200),
});

export const UserCreateBody = z.object({
  username: z.string().trim().min(2).max(50).regex(/^[A-Za-z0-9_.-]+$/, { message: 'username_format' }),
  displayName: text(100, 1),
  /** Also refused when on the common-password list (server side: domain/password-policy.ts). */
  password: z.string().min(10).max(200),
  role,
  departmentId: id.nullable().optional(),
  customerId: id.nullable().optional(),
  skills: z.array(text(50, 1)).max(50).optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
});
// Staff records only: a customer's portal account belongs to its customer record, and no one becomes a customer here.
export const UserPatchBody = UserCreateBody.pick({ displayName: true, departmentId: true, skills: true })
  .partial()
  .extend({
    role: role.exclude(['customer']).optional(),
    /** A new password; the current one stays when absent. */
    password: UserCreateBody.shape.password.optional(),
    active: z.boolean().optional(),
  });
export const UsersQuery = z.object({
  departmentId: id.optional(),
  role: role.optional(),
  q: text(100).optional(),
  /** The settings page lists deactivated people too; pickers only want active ones. */
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const Department = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  managerId: z.number().nullable(),
});
export type Department = z.infer<typeof Department>;

export const Category = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  name: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  sort: z.number(),
  active: z.boolean(),
});
export type Category = z.infer<typeof Category>;
export const categoryCode = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, { message: 'category_code_format' });
export const CategoryCreateBody = z.object({
  code: categoryCode,
  parentCode: categoryCode.nullable().optional(),
  nameZh: text(60, 1),
  nameEn: text(60, 1),
  sort: z.number().int().min(0).max(10_000).optional(),
});
export const CategoryPatchBody = z.object({
  nameZh: text(60, 1).optional(),
  nameEn: text(60, 1).optional(),
  sort: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
});

// ---------------------------------------------------------------- customers

export const Contact = z.object({
  id: z.number(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  title: z.string().nullable(),
});
export const ContactInput = z.object({
  name: text(100, 1),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  title: text(60).nullable().optional(),
});

export const Unit = z.object({
  id: z.number(),
  customerId: z.number(),
  productModel: z.string(),
  productName: z.string().nullable(),
  serialNumber: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  installDate: z.string().nullable(),
  warrantyEnd: z.string().nullable(),
  /** Derived from `warranty.status` (older clients): null = unknown. */
  underWarranty: z.boolean().nullable(),
  warranty: WarrantyInfo,
});
export type Unit = z.infer<typeof Unit>;

export const Customer = z.object({
  id: z.number(),
  kind: customerKind,
  name: z.string(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  tier: customerTier,
  specialNeeds: z.boolean(),
  specialNeedsNote: z.string().nullable(),
  notes: z.string().nullable(),
  contacts: z.array(Contact),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  openTickets: z.number().optional(),
});
export type Customer = z.infer<typeof Customer>;

export const CustomerCreateBody = z.object({
  kind: customerKind.default('person'),
  name: text(100, 1),
  company: text(200).nullable().optional(),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  address: text(300).nullable().optional(),
  tier: customerTier.default('normal'),
  specialNeeds: z.boolean().default(false),
  specialNeedsNote: text(200).nullable().optional(),
  notes: text(2000).nullable().optional(),
  contacts: z.array(ContactInput).max(20).optional(),
});
export type CustomerCreateBody = z.input<typeof CustomerCreateBody>;
export const CustomerPatchBody = z
  .object({
    kind: customerKind,
    name: text(100, 1),
    company: text(200).nullable(),
    phone: phone.nullable(),
    email: email.nullable(),
    address: text(300).nullable(),
    tier: customerTier,
    specialNeeds: z.boolean(),
    specialNeedsNote: text(200).nullable(),
    notes: text(2000).nullable(),
    contacts: z.array(ContactInput).max(20),
    version: z.number().int().min(0).max(2_147_483_647),
  })
  .partial();
export type CustomerPatchBody = z.input<typeof CustomerPatchBody>;
export const CustomersQuery = z.object({
  q: text(100).optional(),
  tier: customerTier.optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export const CustomerLookupQuery = z.object({
  phone: text(40).optional(),
  email: text(200).optional(),
});

// ---------------------------------------------------------------- tickets

/** A ticket's categories, primary first; each at most once. */
export const ticketCategories = z
  .array(categoryCode)
  .max(5)
  .refine((list) => new Set(list).size === list.length, { message: 'category_duplicate' });

export const InlineCustomer = z.object({
  name: text(100, 1),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  company: text(200).nullable().optional(),
  address: text(300).nullable().optional(),
});

export const TicketCreateBody = z
  .object({
    title: text(200, 1),
    description: longText(10_000, 1),
    channel: channel.default('phone'),
    reportedAt: isoDateTime.optional(),
    customerId: id.optional(),
    customer: InlineCustomer.optional(),
    productModel: text(100).nullable().optional(),
    serialNumber: text(100).nullable().optional(),
    purchaseDate: isoDate.nullable().optional(),
    occurredAt: isoDateTime.nullable().optional(),
    occurredPlace: text(300).nullable().optional(),
    /** When the customer would like to be contacted, in their words (the portal's request form). */
    preferredContact: text(200).nullable().optional(),
    situation: longText(2000).nullable().optional(),
    demand: text(500).nullable().optional(),
    firstJudgement: longText(2000).nullable().optional(),
    /** The primary category (routes, counts in reports); the same as `categories[0]` when both are given. */
    category: categoryCode.nullable().optional(),
    /** Several categories (可多选), ordered: the first is the primary one. */
    categories: ticketCategories.optional(),
    serviceType: serviceType.nullable().optional(),
    faultClass: faultClass.nullable().optional(),
    /** With urgency, the priority is derived (SPEC §3); give both or neither. */
    impact: impact.optional(),
    urgency: urgency.optional(),
    /**
     * Staff only (a customer's create refuses it). Without impact and urgency it is taken as given (P3 when absent);
     * with them, a priority other than the derived one needs `priorityOverrideReason`.
     */
    priority: priority.optional(),
    priorityOverrideReason: text(500, 1).optional(),
    departmentId: id.nullable().optional(),
    assigneeId: id.nullable().optional(),
  })
  .refine((b) => b.customerId !== undefined || b.customer !== undefined, {
    message: 'customer_required',
    path: ['customer'],
  })
  .refine((b) => (b.impact === undefined) === (b.urgency === undefined), { message: 'impact_urgency_together', path: ['urgency'] })
  .refine((b) => !b.categories || b.category === undefined || b.category === (b.categories[0] ?? null), { message: 'category_primary_mismatch', path: ['category'] });
export type TicketCreateBody = z.input<typeof TicketCreateBody>;

const ticketEditable = {
  title: text(200, 1),
  description: longText(10_000, 1),
  channel,
  reportedAt: isoDateTime,
  productModel: text(100).nullable(),
  serialNumber: text(100).nullable(),
  purchaseDate: isoDate.nullable(),
  occurredAt: isoDateTime.nullable(),
  occurredPlace: text(300).nullable(),
  preferredContact: text(200).nullable(),
  situation: longText(2000).nullable(),
  demand: text(500).nullable(),
  firstJudgement: longText(2000).nullable(),
  category: categoryCode.nullable(),
  /** Replaces every category; `[]` clears them. The first is the primary one. */
  categories: ticketCategories,
  serviceType: serviceType.nullable(),
  faultClass: faultClass.nullable(),
  impact,
  urgency,
  priority,
  /** Needed when the priority differs from the one derived from impact and urgency; staff-only text. */
  priorityOverrideReason: text(500, 1),
  departmentId: id.nullable(),
  assigneeId: id.nullable(),
};
export const TicketPatchBody = z
  .object({ ...ticketEditable, version: z.number().int().min(0).max(2_147_483_647) })
  .partial()
  .refine((b) => !b.categories || b.category === undefined || b.category === (b.categories[0] ?? null), { message: 'category_primary_mismatch', path: ['category'] });
export type TicketPatchBody = z.input<typeof TicketPatchBody>;
export const TICKET_EDITABLE_FIELDS = Object.keys(ticketEditable) as (keyof typeof ticketEditable)[];

export const TicketCustomer = z.object({
  id: z.number(),
  name: z.string(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  tier: customerTier,
  specialNeeds: z.boolean(),
});

/** The largest amount per unit: a year. */
const UNIT_MAX: Record<SlaUnit, number> = { working_minutes: 525_600, working_hours: 8760, working_days: 365, clock_minutes: 525_600, clock_hours: 8760 };
/** One SLA target: `{amount: 30, unit: 'working_minutes'}`, `{amount: 4, unit: 'clock_hours'}`, `{amount: 3, unit: 'working_days'}`. */
export const SlaTargetSchema = z
  .object({
    amount: z.number().int().min(0),
    unit: z.enum(SLA_UNITS),
  })
  .refine((t) => t.amount <= UNIT_MAX[t.unit], { message: 'target_too_large', path: ['amount'] });
export type SlaTarget = z.infer<typeof SlaTargetSchema>;
const SlaTargetsView = z.object(Object.fromEntries(SLA_CLOCK_NAMES.map((c) => [c, SlaTargetSchema.nullable()])) as Record<SlaClockName, z.ZodNullable<typeof SlaTargetSchema>>);
/** Targets to set: a clock left out keeps its target (on create: none), `null` removes it. */
const SlaTargetsBody = SlaTargetsView.partial();

export const SlaClockView = z.object({
  clock: z.enum(SLA_CLOCK_NAMES),
  /** The policy's target for this clock, with its unit (the card says "4 小时（自然时）", "3 个工作日"). */
  target: SlaTargetSchema.nullable(),
  dueAt: z.string(),
  warnAt: z.string().nullable(),
  metAt: z.string().nullable(),
  state: z.enum(CLOCK_STATES),
});
export type SlaClockView = z.infer<typeof SlaClockView>;
export const TicketSla = z.object({
  policyId: z.number(),
  policyName: z.string(),
  paused: z.boolean(),
  nextDueAt: z.string().nullable(),
  clocks: z.array(SlaClockView),
  /** Years without holiday data the deadlines ran through: admins should enter them. */
  uncoveredYears: z.array(z.number()),
});
export type TicketSla = z.infer<typeof TicketSla>;
export const TicketEscalation = z.object({
  level: z.number(),
  to: UserRef.nullable(),
  at: z.string().nullable(),
  ackDueAt: z.string().nullable(),
  ackedAt: z.string().nullable(),
});

/** A second review (二次复核): pending until a reviewer other than the first and the author records the finding. */
export const SecondReview = z.object({
  id: z.number(),
  status: z.enum(['pending', 'done']),
  reason: z.enum(SECOND_REVIEW_REASONS),
  requestedAt: z.string(),
  reviewer: UserRef.nullable(),
  reviewedAt: z.string().nullable(),
  verdict: z.enum(SECOND_REVIEW_VERDICTS).nullable(),
  finding: z.string().nullable(),
  nextSteps: z.string().nullable(),
});
export type SecondReview = z.infer<typeof SecondReview>;

export const Ticket = z.object({
  id: z.number(),
  number: z.string(),
  title: z.string(),
  description: z.string(),
  status: ticketStatus,
  priority,
  channel,
  reportedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  customer: TicketCustomer,
  productModel: z.string().nullable(),
  serialNumber: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  occurredAt: z.string().nullable(),
  occurredPlace: z.string().nullable(),
  preferredContact: z.string().nullable(),
  situation: z.string().nullable(),
  demand: z.string().nullable(),
  firstJudgement: z.string().nullable(),
  category: z.string().nullable(),
  /** Every category, the primary (`category`) first. Not on queue items. */
  categories: z.array(z.string()),
  serviceType: serviceType.nullable(),
  faultClass: faultClass.nullable(),
  /** The answers the priority was derived from (null: filed without them, priority as given). Not on queue items. */
  impact: impact.nullable(),
  urgency: urgency.nullable(),
  derivedPriority: priority.nullable(),
  /** Staff chose another priority than the derived one (the reason is in the timeline, staff only). */
  priorityOverridden: z.boolean(),
  /** Registered more than 2 hours after first contact (seed 001); stored at registration. */
  lateRegistration: z.boolean(),
  /** createdAt − reportedAt in whole minutes (0 when reported after registration). */
  registrationDelayMinutes: z.number(),
  departmentId: z.number().nullable(),
  assignee: UserRef.nullable(),
  createdBy: UserRef.nullable(),
  version: z.number(),
  allowedTransitions: z.array(ticketStatus).optional(),
  /** Workflow actions the caller may take now (see TICKET_ACTIONS). */
  allowedActions: z.array(z.enum(['submit_solution', 'review', 'confirm', 'escalate', 'acknowledge', 'follow_up', 'add_subtask', 'second_review'])).optional(),
  sla: TicketSla.nullable(),
  escalation: TicketEscalation,
  solution: z.string().nullable(),
  reviewStage: z.enum(['first', 'second']).nullable(),
  improvementDueAt: z.string().nullable(),
  /** The latest second review (二次复核), staff only: never in a customer's view. Only on the whole ticket. */
  secondReview: SecondReview.nullable().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

/**
 * A ticket as shown in the queue: the fields a list needs, contact details masked. Its `sla.clocks` are only the
 * clocks still open — running (ok, warning, breached and not yet met) or paused — which is what a queue row shows;
 * met and stopped clocks are on the ticket itself (`GET /api/tickets/:number`).
 */
export const TicketListItem = Ticket.omit({
  description: true,
  situation: true,
  firstJudgement: true,
  occurredPlace: true,
  preferredContact: true,
  allowedTransitions: true,
  allowedActions: true,
  solution: true,
  categories: true,
  impact: true,
  urgency: true,
  derivedPriority: true,
  priorityOverridden: true,
  secondReview: true,
}).extend({
  excerpt: z.string(),
  sla: TicketSla.extend({
    clocks: z.array(SlaClockView).describe('Only the open clocks (running or paused); the ticket itself carries every clock.'),
  }).nullable(),
});
export type TicketListItem = z.infer<typeof TicketListItem>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(20));

export const TicketsQuery = z.object({
  status: csv(ticketStatus).optional(),
  open: z.enum(['true', 'false']).optional(),
  priority: csv(priority).optional(),
  /** Tickets with this category (or one below it) among any of their categories. */
  category: categoryCode.optional(),
  /** Tickets registered more than 2 hours after first contact (true) or within (false). */
  lateRegistration: z.enum(['true', 'false']).optional(),
  departmentId: id.optional(),
  assigneeId: z.union([id, z.literal('me'), z.literal('none')]).optional(),
  customerId: id.optional(),
  channel: channel.optional(),
  createdFrom: isoDateTime.optional(),
  createdTo: isoDateTime.optional(),
  q: text(200).optional(),
  sort: z.enum(TICKET_SORTS).default('created_desc'),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type TicketsQuery = z.input<typeof TicketsQuery>;
/** The queue's total: the same filter, counted up to a cap (1,000); `capped` when there are more. */
export const TicketCountQuery = TicketsQuery.omit({ sort: true, limit: true, cursor: true });
export const TicketCount = z.object({ count: z.number().int(), capped: z.boolean() });
export type TicketCount = z.infer<typeof TicketCount>;

export const TransitionBody = z.object({
  to: ticketStatus,
  note: longText(5000).optional(),
  version: z.number().int().min(0).max(2_147_483_647).optional(),
});

export const CommentBody = z.object({
  body: longText(20_000, 1),
  internal: z.boolean().default(false),
});
export const Comment = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  author: UserRef.nullable(),
  body: z.string(),
  internal: z.boolean(),
  createdAt: z.string(),
});
export type Comment = z.infer<typeof Comment>;

export const Attachment = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  uploadedBy: UserRef.nullable(),
  createdAt: z.string(),
  internal: z.boolean(),
});
export type Attachment = z.infer<typeof Attachment>;

export const FieldChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export const TicketEvent = z.object({
  id: z.number(),
  kind: z.enum(EVENT_KINDS),
  at: z.string(),
  actor: UserRef.nullable(),
  changes: z.array(FieldChange),
  note: z.string().nullable(),
  commentId: z.number().nullable(),
  attachmentId: z.number().nullable(),
  internal: z.boolean(),
  /** Kind-specific facts: routing (rule, strategy, departmentId, assignee), SLA (clock, dueAt), escalation (level, to, reason). */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type TicketEvent = z.infer<typeof TicketEvent>;
export const EventsQuery = z.object({ limit: Limit, cursor: Cursor.optional() });

export const NumberParams = z.object({ number: ticketNumber });
export const IdParams = z.object({ id });

export const CustomerLookupResult = z.object({
  items: z.array(
    z.object({
      customer: Customer,
      units: z.array(Unit),
      openTickets: z.array(TicketListItem),
    }),
  ),
});
export const CustomerDetail = Customer.extend({ units: z.array(Unit) });
export type CustomerDetail = z.infer<typeof CustomerDetail>;

export const Health = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() });

// ---------------------------------------------------------------- service promises: escalation, review, follow-up, sub-tasks

export const EscalateBody = z.object({ reason: longText(2000, 1) });
export const AcknowledgeBody = z.object({ note: longText(2000).optional() });
export const SolutionBody = z.object({
  solution: longText(10_000, 1),
  /** Needed to submit while a collaborating department's sub-task is still open. */
  overrideReason: text(500).optional(),
});
export const ReviewBody = z.object({ approve: z.boolean(), comment: longText(5000).optional() });
export const ConfirmationBody = z.object({ satisfied: z.boolean(), customerWords: longText(5000).optional() });
export const FollowUpBody = z.object({ note: longText(5000, 1) });

export const SecondReviewBody = z.object({
  verdict: z.enum(SECOND_REVIEW_VERDICTS),
  /** What the reviewer found: required. */
  finding: longText(5000, 1),
  /** What follows (training, compensation, a process change …). */
  nextSteps: longText(2000).optional(),
});

// ---------------------------------------------------------------- admin settings

export const Settings = z.object({
  /** The service desk department (客服部 by default): its supervisors see and assign every ticket. */
  serviceDeskDepartmentId: z.number().nullable(),
  /** Who reviews solutions: the service desk's supervisors or the lead department's. */
  reviewBy: z.enum(REVIEW_BY),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatchBody = z.object({
  serviceDeskDepartmentId: z.number().int().positive().nullable().optional(),
  reviewBy: z.enum(REVIEW_BY).optional(),
});

export const SUBTASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export const Subtask = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  departmentId: z.number(),
  owner: UserRef.nullable(),
  title: z.string(),
  dueAt: z.string().nullable(),
  status: z.enum(SUBTASK_STATUSES),
  note: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number(),
});
export type Subtask = z.infer<typeof Subtask>;
export const SubtaskCreateBody = z.object({
  departmentId: id,
  ownerId: id.nullable().optional(),
  title: text(200, 1),
  dueAt: isoDateTime.nullable().optional(),
});
export const SubtaskPatchBody = z.object({
  status: z.enum(SUBTASK_STATUSES).optional(),
  ownerId: id.nullable().optional(),
  dueAt: isoDateTime.nullable().optional(),
  note: longText(2000).nullable().optional(),
  version: z.number().int().min(0).max(2_147_483_647),
});

// ---------------------------------------------------------------- admin: SLA policies, calendars, routing

export const SlaPolicyView = z.object({
  id: z.number(),
  name: z.string(),
  priority: priority.nullable(),
  customerTier: customerTier.nullable(),
  productLine: z.string().nullable(),
  serviceType: serviceType.nullable(),
  calendarId: z.number(),
  targets: SlaTargetsView,
  warnPercent: z.number(),
  escalateAfterMinutes: z.number(),
  managerAckMinutes: z.number(),
  active: z.boolean(),
  version: z.number(),
});
export type SlaPolicyView = z.infer<typeof SlaPolicyView>;
const slaPolicyFields = {
  name: text(100, 1),
  priority: priority.nullable(),
  customerTier: customerTier.nullable(),
  productLine: text(50).nullable(),
  serviceType: serviceType.nullable(),
  calendarId: id,
  targets: SlaTargetsBody,
  warnPercent: z.number().int().min(1).max(100),
  escalateAfterMinutes: z.number().int().min(0).max(525_600),
  managerAckMinutes: z.number().int().min(1).max(525_600),
  active: z.boolean(),
};
export const SlaPolicyCreateBody = z.object(slaPolicyFields).partial().required({ name: true, calendarId: true });
export const SlaPolicyPatchBody = z.object({ ...slaPolicyFields, version: z.number().int().min(0).max(2_147_483_647) }).partial();

const interval = z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]).refine(([a, b]) => a < b, { message: 'interval_order' });
export const WeekHoursSchema = z.record(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(interval).max(6));
export const CalendarView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  kind: z.enum(['china', 'custom', 'always']),
  timeZone: z.string(),
  weekHours: WeekHoursSchema,
  workdayHours: z.array(interval).nullable(),
  coveredYears: z.array(z.number()),
  /** Years from now to next year that have no holiday data: the admin should enter them. */
  missingYears: z.array(z.number()),
  days: z.array(z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), note: z.string().nullable() })),
  version: z.number(),
});
export type CalendarView = z.infer<typeof CalendarView>;
export const CalendarCreateBody = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[a-z0-9_-]+$/, { message: 'category_code_format' }),
  nameZh: text(60, 1),
  nameEn: text(60, 1),
  kind: z.enum(['china', 'custom', 'always']),
  timeZone: text(60, 1),
  weekHours: WeekHoursSchema.optional(),
  workdayHours: z.array(interval).max(6).nullable().optional(),
});
export const CalendarPatchBody = z
  .object({
    nameZh: text(60, 1),
    nameEn: text(60, 1),
    timeZone: text(60, 1),
    weekHours: WeekHoursSchema,
    workdayHours: z.array(interval).max(6).nullable(),
    version: z.number().int().min(0).max(2_147_483_647),
  })
  .partial();
export const CalendarDaysBody = z.object({
  /** Days to add or replace (a holiday or an extra working day). */
  days: z.array(z.object({ date: isoDate, kind: z.enum(['holiday', 'workday']), note: text(100).nullable().optional() })).max(400).default([]),
  /** Dates to remove. */
  remove: z.array(isoDate).max(400).default([]),
  /** Years now entered completely (e.g. after the State Council's notice). */
  coveredYears: z.array(z.number().int().min(2000).max(2100)).max(20).optional(),
});

export const RoutingRuleView = z.object({
  id: z.number(),
  name: z.string(),
  sort: z.number(),
  categoryPrefix: z.string().nullable(),
  productLine: z.string().nullable(),
  customerTier: customerTier.nullable(),
  channel: channel.nullable(),
  departmentId: z.number(),
  strategy: z.enum(['none', 'round_robin', 'least_loaded', 'skill']),
  active: z.boolean(),
  version: z.number(),
});
export type RoutingRuleView = z.infer<typeof RoutingRuleView>;
const routingFields = {
  name: text(100, 1),
  sort: z.number().int().min(0).max(100_000),
  categoryPrefix: categoryCode.nullable(),
  productLine: text(50).nullable(),
  customerTier: customerTier.nullable(),
  channel: channel.nullable(),
  departmentId: id,
  strategy: z.enum(['none', 'round_robin', 'least_loaded', 'skill']),
  active: z.boolean(),
};
export const RoutingRuleCreateBody = z.object(routingFields).partial().required({ name: true, departmentId: true, strategy: true });
export const RoutingRulePatchBody = z.object({ ...routingFields, version: z.number().int().min(0).max(2_147_483_647) }).partial();

// ---------------------------------------------------------------- notifications (the signed-in user's own)

export const NotificationKindEnum = z.enum(NOTIFICATION_KINDS);
export const NotifyChannelEnum = z.enum(NOTIFY_CHANNELS);

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
  /** Kind-specific: clock / dueAt and, for grouped SLA entries, clocks[] (each clock with its deadline); digest figures … */
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationItem = z.infer<typeof NotificationItem>;

const BoolParam = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const NotificationsQuery = z.object({
  unread: BoolParam,
  kind: NotificationKindEnum.optional(),
  /** A ticket number: only the notifications about that ticket. */
  ticket: z.string().trim().min(1).max(40).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});

export const NotificationsPage = z.object({
  items: z.array(NotificationItem),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});
export type NotificationsPage = z.infer<typeof NotificationsPage>;

export const NotificationGroupsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** The bell: the latest notifications grouped by ticket (one group per ticket; one per entry without a ticket). */
export const NotificationGroup = z.object({
  /** "t:<ticket id>" or "n:<notification id>". */
  key: z.string(),
  ticket: NotificationTicket.nullable(),
  /** Newest first, at most 5. */
  items: z.array(NotificationItem),
  /** Entries in the group among the latest 100 of the user. */
  count: z.number().int(),
  unread: z.number().int(),
  latestAt: z.string(),
});
export type NotificationGroup = z.infer<typeof NotificationGroup>;

export const NotificationGroups = z.object({
  groups: z.array(NotificationGroup),
  unread: z.number().int(),
});
export type NotificationGroups = z.infer<typeof NotificationGroups>;

export const MarkReadBody = z
  .object({
    ids: z.array(z.number().int().positive()).max(500).optional(),
    all: z.boolean().optional(),
    /** Every notification about this ticket (id), as the bell marks a group. */
    ticketId: z.number().int().positive().max(2_147_483_647).optional(),
  })
  .strict();

export const MarkReadResult = z.object({ updated: z.number().int(), unread: z.number().int() });
export type MarkReadResult = z.infer<typeof MarkReadResult>;

const DigestTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'digest_time' });

export const NotifyPrefsView = z.object({
  /** Every kind the user's role can receive, with the channels chosen (none = off) and the role's defaults. */
  kinds: z.array(z.object({ kind: NotificationKindEnum, channels: z.array(NotifyChannelEnum), defaults: z.array(NotifyChannelEnum) })),
  /** The user's address; null = e-mail has nowhere to go. */
  email: z.string().nullable(),
  /** False when the server has no SMTP settings: e-mail choices are kept but nothing is sent. */
  mailEnabled: z.boolean(),
  /** The active robots a "robot" choice reaches: the user's department's, and the company-wide ones (which get what the admin subscribed them to). */
  robots: z.array(z.object({ id: z.number().int(), name: z.string(), scope: z.enum(['department', 'company']) })),
  digest: z.object({ available: z.boolean(), time: z.string(), defaultTime: z.string() }),
});
export type NotifyPrefsView = z.infer<typeof NotifyPrefsView>;

export const NotifyPrefsBody = z
  .object({
    kinds: z.partialRecord(NotificationKindEnum, z.array(NotifyChannelEnum).max(NOTIFY_CHANNELS.length)),
    digestTime: DigestTime.optional(),
  })
  .strict();
export type NotifyPrefsBody = z.infer<typeof NotifyPrefsBody>;
export * from './portal.js';
export * from './kb.js';
export * from './messages.js';
export * from './surveys.js';
export * from './parts.js';
export * from './products.js';
