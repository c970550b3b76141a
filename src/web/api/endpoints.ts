// One function per API route used by the console.
import { api } from './client.js';
import type {
  Attachment,
  Category,
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
  TicketListItem,
  TicketPatchBody,
  TicketsQuery,
  TransitionBody,
  User,
} from './types.js';

const enc = encodeURIComponent;

export const authApi = {
  login: (username: string, password: string) =>
    api.post<LoginResponse>('/auth/login', { username, password }, { quiet401: true }),
  me: () => api.get<LoginResponse>('/me', undefined, { quiet401: true }),
  logout: () => api.post<void>('/auth/logout', undefined, { quiet401: true }),
};

export const refApi = {
  departments: () => api.get<List<Department>>('/departments'),
  categories: () => api.get<List<Category>>('/categories'),
  users: (q: { departmentId?: number; role?: string; q?: string } = {}) => api.get<List<User>>('/users', q),
};

export type TicketsParams = Omit<TicketsQuery, 'status' | 'priority'> & { status?: string[]; priority?: string[] };

export const ticketApi = {
  list: (q: TicketsParams, signal?: AbortSignal) =>
    api.get<Page<TicketListItem>>('/tickets', q as Record<string, string | number | string[] | undefined>, { signal }),
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
