// One function per API route used by the console.
import { api } from './client.js';
import type { CustomerMessage, MessageChannel, MessageChannelSettings, MessageChannelSettingsBody, MessageEvent, MessageTemplate, MessageTemplateBody } from '../../shared/messages.js';
import type { Language } from '../../shared/enums.js';
import type {
  ApiToken,
  PasswordChangeBody,
  TokenCreateBody,
  TokenCreated,
  Attachment,
  Category,
  CategoryCreateBody,
  CategoryPatchBody,
  Comment,
  CommentBody,
  Customer,
  CustomerCreateBody,
  CustomerDetail,
  CustomerLookupResult,
  CustomerPatchBody,
  CustomersQuery,
  Department,
  List,
  LoginResponse,
  Page,
  Ticket,
  TicketCreateBody,
  TicketEvent,
  TicketCount,
  TicketListItem,
  TicketPatchBody,
  TicketsQuery,
  TransitionBody,
  User,
  UserCreateBody,
  UserPatchBody,
  AcknowledgeBody,
  SecondReviewBody,
  Settings,
  SettingsPatchBody,
  CalendarDaysBody,
  CalendarPatchBody,
  CalendarView,
  ConfirmationBody,
  EscalateBody,
  FollowUpBody,
  MarkReadResult,
  NotificationGroups,
  NotificationsPage,
  NotifyPrefsBody,
  NotifyPrefsView,
  ReviewBody,
  RoutingRuleCreateBody,
  RoutingRulePatchBody,
  RoutingRuleView,
  SlaPolicyCreateBody,
  SlaPolicyPatchBody,
  SlaPolicyView,
  SolutionBody,
  Subtask,
  SubtaskCreateBody,
  SubtaskPatchBody,
  Webhook,
  WebhookCreateBody,
  WebhookPatchBody,
} from './types.js';

import type { SurveyForm, SurveyFormBody, SurveyFollowUp, SurveyListItem, SurveyReport, TicketSurvey } from '../../shared/surveys.js';

const enc = encodeURIComponent;

export const authApi = {
  login: (username: string, password: string) =>
    api.post<LoginResponse>('/auth/login', { username, password }, { quiet401: true }),
  me: () => api.get<LoginResponse>('/me', undefined, { quiet401: true }),
  logout: () => api.post<void>('/auth/logout', undefined, { quiet401: true }),
  changePassword: (body: PasswordChangeBody) => api.post<{ ok: true }>('/auth/password', body),
  tokens: () => api.get<List<ApiToken>>('/auth/tokens'),
  createToken: (body: TokenCreateBody) => api.post<TokenCreated>('/auth/tokens', body),
  revokeToken: (id: number) => api.del<{ ok: true }>(`/auth/tokens/${id}`),
};

export const refApi = {
  departments: () => api.get<List<Department>>('/departments'),
  categories: () => api.get<List<Category>>('/categories'),
  users: (q: { departmentId?: number; role?: string; q?: string; includeInactive?: 'true' } = {}) => api.get<List<User>>('/users', q),
};

// The directory and the category tree, as the settings pages change them (admin only on the server).
export const directoryApi = {
  createUser: (body: UserCreateBody) => api.post<User>('/users', body),
  patchUser: (id: number, body: UserPatchBody) => api.patch<User>(`/users/${id}`, body),
  setDepartmentHead: (id: number, managerId: number | null) => api.patch<Department>(`/departments/${id}`, { managerId }),
  createCategory: (body: CategoryCreateBody) => api.post<Category>('/categories', body),
  patchCategory: (code: string, body: CategoryPatchBody) => api.patch<Category>(`/categories/${enc(code)}`, body),
  settings: () => api.get<Settings>('/admin/settings'),
  patchSettings: (body: SettingsPatchBody) => api.patch<Settings>('/admin/settings', body),
};

export type TicketsParams = Omit<TicketsQuery, 'status' | 'priority'> & { status?: string[]; priority?: string[] };

export const ticketApi = {
  list: (q: TicketsParams, signal?: AbortSignal) =>
    api.get<Page<TicketListItem>>('/tickets', q as Record<string, string | number | string[] | undefined>, { signal }),
  count: (q: Omit<TicketsParams, 'cursor' | 'sort' | 'limit'>, signal?: AbortSignal) =>
    api.get<TicketCount>('/tickets/count', q as Record<string, string | number | string[] | undefined>, { signal }),
  get: (number: string) => api.get<Ticket>(`/tickets/${enc(number)}`),
  create: (body: TicketCreateBody, idempotencyKey: string) =>
    api.post<Ticket>('/tickets', body, { headers: { 'Idempotency-Key': idempotencyKey } }),
  patch: (number: string, body: TicketPatchBody) => api.patch<Ticket>(`/tickets/${enc(number)}`, body),
  transition: (number: string, body: TransitionBody) => api.post<Ticket>(`/tickets/${enc(number)}/transitions`, body),
  comments: (number: string) => api.get<List<Comment>>(`/tickets/${enc(number)}/comments`),
  addComment: (number: string, body: CommentBody) => api.post<Comment>(`/tickets/${enc(number)}/comments`, body),
  events: (number: string) => api.get<Page<TicketEvent>>(`/tickets/${enc(number)}/events`, { limit: 200 }),
  attachments: (number: string) => api.get<List<Attachment>>(`/tickets/${enc(number)}/attachments`),
  upload: (number: string, file: File, internal: boolean) => {
    const fd = new FormData();
    if (internal) fd.append('internal', 'true');
    fd.append('file', file, file.name);
    return api.post<Attachment>(`/tickets/${enc(number)}/attachments`, fd);
  },
  attachmentUrl: (id: number) => `/api/attachments/${id}`,
  // workflow actions of the service promise (each answers with the ticket)
  submitSolution: (number: string, body: SolutionBody) => api.post<Ticket>(`/tickets/${enc(number)}/solution`, body),
  review: (number: string, body: ReviewBody) => api.post<Ticket>(`/tickets/${enc(number)}/review`, body),
  confirm: (number: string, body: ConfirmationBody) => api.post<Ticket>(`/tickets/${enc(number)}/confirmation`, body),
  escalate: (number: string, body: EscalateBody) => api.post<Ticket>(`/tickets/${enc(number)}/escalate`, body),
  acknowledge: (number: string, body: AcknowledgeBody) => api.post<Ticket>(`/tickets/${enc(number)}/escalation/acknowledge`, body),
  followUp: (number: string, body: FollowUpBody) => api.post<Ticket>(`/tickets/${enc(number)}/follow-up`, body),
  secondReview: (number: string, body: SecondReviewBody) => api.post<Ticket>(`/tickets/${enc(number)}/second-review`, body),
  subtasks: (number: string) => api.get<List<Subtask>>(`/tickets/${enc(number)}/subtasks`),
  addSubtask: (number: string, body: SubtaskCreateBody) => api.post<Subtask>(`/tickets/${enc(number)}/subtasks`, body),
  patchSubtask: (id: number, body: SubtaskPatchBody) => api.patch<Subtask>(`/subtasks/${id}`, body),
};

export const notificationApi = {
  list: (q: { limit?: number; cursor?: string; unread?: boolean; kind?: string; ticket?: string } = {}) => api.get<NotificationsPage>('/notifications', q),
  groups: (limit = 10) => api.get<NotificationGroups>('/notifications/groups', { limit }),
  markRead: (body: { ids?: number[]; all?: boolean; ticketId?: number }) => api.post<MarkReadResult>('/notifications/read', body),
  preferences: () => api.get<NotifyPrefsView>('/notifications/preferences'),
  setPreferences: (body: NotifyPrefsBody) => api.put<NotifyPrefsView>('/notifications/preferences', body),
  streamUrl: '/api/notifications/stream',
};

export const slaApi = {
  policies: () => api.get<List<SlaPolicyView>>('/sla/policies'),
  createPolicy: (body: SlaPolicyCreateBody) => api.post<SlaPolicyView>('/sla/policies', body),
  patchPolicy: (id: number, body: SlaPolicyPatchBody) => api.patch<SlaPolicyView>(`/sla/policies/${id}`, body),
  calendars: () => api.get<List<CalendarView>>('/sla/calendars'),
  patchCalendar: (id: number, body: CalendarPatchBody) => api.patch<CalendarView>(`/sla/calendars/${id}`, body),
  calendarDays: (id: number, body: CalendarDaysBody) => api.post<CalendarView>(`/sla/calendars/${id}/days`, body),
};

export const routingApi = {
  rules: () => api.get<List<RoutingRuleView>>('/routing/rules'),
  create: (body: RoutingRuleCreateBody) => api.post<RoutingRuleView>('/routing/rules', body),
  patch: (id: number, body: RoutingRulePatchBody) => api.patch<RoutingRuleView>(`/routing/rules/${id}`, body),
};

export const webhookApi = {
  list: () => api.get<List<Webhook>>('/webhooks'),
  create: (body: WebhookCreateBody) => api.post<Webhook>('/webhooks', body),
  patch: (id: number, body: WebhookPatchBody) => api.patch<Webhook>(`/webhooks/${id}`, body),
  remove: (id: number) => api.del<void>(`/webhooks/${id}`),
  test: (id: number) => api.post<{ outboxId: number }>(`/webhooks/${id}/test`),
};

export type TemplateKey = { event: MessageEvent; channel: MessageChannel; locale: Language };
type MessageTemplateList = { items: MessageTemplate[] };

export const messagesApi = {
  templates: () => api.get<MessageTemplateList>('/admin/message-templates'),
  saveTemplate: (k: TemplateKey, body: MessageTemplateBody) => api.put<MessageTemplate>(`/admin/message-templates/${k.event}/${k.channel}/${k.locale}`, body),
  resetTemplate: (k: TemplateKey) => api.del<MessageTemplate>(`/admin/message-templates/${k.event}/${k.channel}/${k.locale}`),
  preview: (k: TemplateKey, body: MessageTemplateBody) => api.post<{ subject: string; body: string }>(`/admin/message-templates/${k.event}/${k.channel}/${k.locale}/preview`, body),
  channels: () => api.get<MessageChannelSettings>('/admin/message-channels'),
  saveChannels: (body: MessageChannelSettingsBody) => api.patch<MessageChannelSettings>('/admin/message-channels', body),
  forTicket: (number: string) => api.get<{ items: CustomerMessage[] }>(`/tickets/${number}/messages`),
};

export const customerApi = {
  list: (q: CustomersQuery, signal?: AbortSignal) =>
    api.get<Page<Customer>>('/customers', q as Record<string, string | number | undefined>, { signal }),
  get: (id: number) => api.get<CustomerDetail>(`/customers/${id}`),
  create: (body: CustomerCreateBody) => api.post<Customer>('/customers', body),
  patch: (id: number, body: CustomerPatchBody) => api.patch<Customer>(`/customers/${id}`, body),
  lookup: (q: { phone?: string; email?: string }, signal?: AbortSignal) =>
    api.get<CustomerLookupResult>('/customers/lookup', q, { signal }),
};

// Satisfaction surveys: the ticket's survey and its follow-up call (回访), the admin's form.
export const surveyApi = {
  ofTicket: (number: string) => api.get<{ survey: TicketSurvey | null }>(`/tickets/${enc(number)}/survey`),
  send: (number: string) => api.post<TicketSurvey>(`/tickets/${enc(number)}/survey`, { source: 'manual' }),
  closeFollowUp: (id: number, body: { outcome: 'resolved' | 'not_resolved' | 'unreachable'; finding: string; verdict?: 'upheld' | 'service_failure'; nextSteps?: string }) =>
    api.post<SurveyFollowUp>(`/survey-follow-ups/${id}/close`, body),
  form: () => api.get<SurveyForm>('/admin/survey-form'),
  saveForm: (body: SurveyFormBody) => api.put<SurveyForm>('/admin/survey-form', body),
  // The satisfaction page (/reports/satisfaction): figures, the answers behind them, open follow-ups.
  report: (q: SatisfactionQuery) => api.get<SurveyReport>('/reports/satisfaction', q),
  answers: (q: SatisfactionQuery & { cursor?: string; limit?: number }) => api.get<Page<SurveyListItem>>('/reports/satisfaction/answers', q),
  followUps: (q: { status?: 'open' | 'closed' | 'all'; departmentId?: number; cursor?: string; limit?: number }) => api.get<Page<SurveyFollowUp>>('/survey-follow-ups', q),
};
export type SatisfactionQuery = { from: string; to: string; departmentId?: number };
