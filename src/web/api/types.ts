// Types of the API contract, inferred from the shared zod schemas (type-only: zod is not bundled into the web app).
import type { z } from 'zod';
import type * as S from '../../shared/schemas.js';
import type { CalendarView, RoutingRuleView } from '../../shared/schemas.js';

export type {
  User,
  UserRef,
  Department,
  Category,
  Unit,
  Customer,
  CustomerDetail,
  CustomerCreateBody,
  CustomerPatchBody,
  Ticket,
  TicketListItem,
  TicketCreateBody,
  TicketPatchBody,
  TicketsQuery,
  TicketCount,
  Comment,
  Attachment,
  TicketEvent,
  LoginResponse,
  ErrorBody,
  ApiToken,
} from '../../shared/schemas.js';

export type Contact = z.infer<typeof S.Contact>;
export type ContactInput = z.input<typeof S.ContactInput>;
export type InlineCustomer = z.input<typeof S.InlineCustomer>;
export type TicketCustomer = z.infer<typeof S.TicketCustomer>;
export type FieldChange = z.infer<typeof S.FieldChange>;
export type TransitionBody = z.input<typeof S.TransitionBody>;
export type CommentBody = z.input<typeof S.CommentBody>;
export type CustomerLookupResult = z.infer<typeof S.CustomerLookupResult>;
export type LookupMatch = CustomerLookupResult['items'][number];
export type CustomersQuery = z.input<typeof S.CustomersQuery>;
export type UserCreateBody = z.input<typeof S.UserCreateBody>;
export type TokenCreateBody = z.input<typeof S.TokenCreateBody>;
export type TokenCreated = z.infer<typeof S.TokenCreated>;
export type PasswordChangeBody = z.input<typeof S.PasswordChangeBody>;
export type UserPatchBody = z.input<typeof S.UserPatchBody>;
export type CategoryCreateBody = z.input<typeof S.CategoryCreateBody>;
export type CategoryPatchBody = z.input<typeof S.CategoryPatchBody>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface List<T> {
  items: T[];
}

// ---------------------------------------------------------------- service promises (SLA, escalation, review, sub-tasks)

export type {
  SlaClockView,
  SlaTarget,
  TicketSla,
  Subtask,
  SlaPolicyView,
  CalendarView,
  RoutingRuleView,
} from '../../shared/schemas.js';
export type TicketEscalation = z.infer<typeof S.TicketEscalation>;
export type TicketAction = NonNullable<z.infer<typeof S.Ticket>['allowedActions']>[number];
export type SolutionBody = z.input<typeof S.SolutionBody>;
export type ReviewBody = z.input<typeof S.ReviewBody>;
export type ConfirmationBody = z.input<typeof S.ConfirmationBody>;
export type EscalateBody = z.input<typeof S.EscalateBody>;
export type AcknowledgeBody = z.input<typeof S.AcknowledgeBody>;
export type FollowUpBody = z.input<typeof S.FollowUpBody>;
export type SecondReviewBody = z.input<typeof S.SecondReviewBody>;
export type SecondReview = z.infer<typeof S.SecondReview>;
export type Settings = z.infer<typeof S.Settings>;
export type SettingsPatchBody = z.input<typeof S.SettingsPatchBody>;
export type SubtaskCreateBody = z.input<typeof S.SubtaskCreateBody>;
export type SubtaskPatchBody = z.input<typeof S.SubtaskPatchBody>;
export type SlaPolicyCreateBody = z.input<typeof S.SlaPolicyCreateBody>;
export type SlaPolicyPatchBody = z.input<typeof S.SlaPolicyPatchBody>;
export type CalendarPatchBody = z.input<typeof S.CalendarPatchBody>;
export type CalendarDaysBody = z.input<typeof S.CalendarDaysBody>;
export type CalendarDay = CalendarView['days'][number];
export type WeekHours = CalendarView['weekHours'];
export type RoutingRuleCreateBody = z.input<typeof S.RoutingRuleCreateBody>;
export type RoutingRulePatchBody = z.input<typeof S.RoutingRulePatchBody>;
export type RoutingStrategy = RoutingRuleView['strategy'];

// ---------------------------------------------------------------- notifications and webhooks
// Notifications come from src/shared/schemas.ts; webhooks mirror src/server/modules/notify/schemas.ts.

export type { NotificationKind, WebhookKind } from './vocab.js';
import type { WebhookKind } from './vocab.js';

export type NotificationTicket = z.infer<typeof S.NotificationTicket>;
export type NotificationItem = z.infer<typeof S.NotificationItem>;
export type NotificationsPage = z.infer<typeof S.NotificationsPage>;
export type NotificationGroup = z.infer<typeof S.NotificationGroup>;
export type NotificationGroups = z.infer<typeof S.NotificationGroups>;
export type MarkReadResult = z.infer<typeof S.MarkReadResult>;
export type NotifyPrefsView = z.infer<typeof S.NotifyPrefsView>;
export type NotifyPrefsBody = z.input<typeof S.NotifyPrefsBody>;
export type NotifyChannel = NotifyPrefsView['kinds'][number]['channels'][number];
export interface Webhook {
  id: number;
  name: string;
  url: string;
  kind: WebhookKind;
  events: string[];
  active: boolean;
  hasSecret: boolean;
  /** A department's group robot; null = company-wide. */
  departmentId: number | null;
  createdAt: string;
  updatedAt: string;
}
export interface WebhookCreateBody {
  name: string;
  url: string;
  kind?: WebhookKind;
  secret?: string | null;
  events?: string[];
  active?: boolean;
  departmentId?: number | null;
}
export type WebhookPatchBody = Partial<WebhookCreateBody>;
