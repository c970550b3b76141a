// The console's calls for returns (RMA), take-back repairs and loaners (types inferred from the shared contract).
import type { z } from 'zod';
import type * as R from '../../shared/returns.js';
import { api } from './client.js';

export type Rma = z.infer<typeof R.Rma>;
export type RmaItem = z.infer<typeof R.RmaItem>;
export type RmaCreateInput = z.input<typeof R.RmaCreateBody>;
export type TakeBack = z.infer<typeof R.TakeBack>;
export type Loaner = z.infer<typeof R.Loaner>;
export type Loan = z.infer<typeof R.Loan>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type { ChecklistItem, LoanerState, RmaKind, RmaStatus, TakeBackStep } from '../../shared/returns-vocab.js';
export { CHECKLIST_ITEMS, LOANER_STATES, RMA_KINDS, RMA_STATUSES, TAKE_BACK_STEPS } from '../../shared/returns-vocab.js';

const key = (k: string) => ({ headers: { 'idempotency-key': k } });

export const returnsApi = {
  forTicket: (number: string) => api.get<{ items: Rma[] }>(`/tickets/${number}/rmas`),
  create: (number: string, body: RmaCreateInput, idempotencyKey: string) => api.post<Rma>(`/tickets/${number}/rmas`, body, key(idempotencyKey)),
  list: (q: { status?: string; kind?: string; cursor?: string; limit?: number }) => api.get<Page<Rma>>('/rmas', q),
  checklist: (id: number, body: Record<string, unknown>) => api.post<Rma>(`/rmas/${id}/checklist`, body),
  decide: (id: number, body: { decision: 'approve' | 'reject'; reason?: string; version: number }) => api.post<Rma>(`/rmas/${id}/decision`, body),
  ship: (id: number, body: { direction: 'in' | 'out'; carrier: string; trackingNumber: string; version: number }) => api.post<Rma>(`/rmas/${id}/shipments`, body),
  receive: (id: number, version: number) => api.post<Rma>(`/rmas/${id}/receive`, { version }),
  outcome: (id: number, body: { refundFen?: number; replacements?: { itemId: number; serialNumber: string }[]; note?: string; version: number }) => api.post<Rma>(`/rmas/${id}/outcome`, body),
  complete: (id: number, version: number) => api.post<Rma>(`/rmas/${id}/complete`, { version }),
  cancel: (id: number, reason: string, version: number) => api.post<Rma>(`/rmas/${id}/cancel`, { reason, version }),

  takeBacks: (number: string) => api.get<{ items: TakeBack[] }>(`/tickets/${number}/take-backs`),
  takeBack: (number: string, body: { unitId?: number; note?: string }, idempotencyKey: string) => api.post<TakeBack>(`/tickets/${number}/take-backs`, body, key(idempotencyKey)),
  takeBackStep: (id: number, step: string, version: number) => api.post<TakeBack>(`/take-backs/${id}/steps`, { step, version }),

  loaners: (state?: string) => api.get<{ items: Loaner[] }>('/loaners', { state }),
  addLoaner: (body: { serialNumber: string; productModel: string; note?: string }) => api.post<Loaner>('/loaners', body),
  loanerState: (id: number, state: string, version: number) => api.post<Loaner>(`/loaners/${id}/state`, { state, version }),
  loans: (q: { overdue?: 'true'; open?: 'true' | 'false'; ticketNumber?: string }) => api.get<{ items: Loan[] }>('/loans', q),
  lend: (number: string, body: { loanerId: number; dueDate: string; visitId?: number; takeBackId?: number }, idempotencyKey: string) => api.post<Loan>(`/tickets/${number}/loans`, body, key(idempotencyKey)),
  giveBack: (loanId: number, note?: string) => api.post<Loan>(`/loans/${loanId}/return`, { note }),
};

export const returnKeys = {
  all: ['returns'] as const,
  ticket: (number: string) => ['returns', 'ticket', number] as const,
  list: (status: string, kind: string) => ['returns', 'list', status, kind] as const,
  takeBacks: (number: string) => ['returns', 'take-backs', number] as const,
  loaners: ['returns', 'loaners'] as const,
  loans: (q: string) => ['returns', 'loans', q] as const,
};

const APPROVERS = new Set(['supervisor', 'manager', 'director', 'admin']);
const POOL_KEEPERS = new Set(['dispatcher', 'supervisor', 'manager', 'director', 'admin']);
/** Who approves (the server checks it too). */
export const canApproveReturns = (role: string) => APPROVERS.has(role);
/** Who works returns, take-backs and loans: staff who write (not QA). */
export const canWorkReturns = (role: string) => role !== 'qa' && role !== 'customer';
export const canManageLoaners = (role: string) => POOL_KEEPERS.has(role);

export const rmaStatusColor: Record<string, string> = {
  requested: 'gold',
  approved: 'blue',
  rejected: 'red',
  in_transit: 'cyan',
  received: 'purple',
  resolved: 'geekblue',
  shipped_back: 'cyan',
  completed: 'green',
  cancelled: 'default',
};
