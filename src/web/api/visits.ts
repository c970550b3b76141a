// The console's calls for on-site visits and the dispatch board (types inferred from the shared contract).
import type { z } from 'zod';
import type * as V from '../../shared/visits.js';
import { api } from './client.js';

export type Visit = z.infer<typeof V.Visit>;
export type Board = z.infer<typeof V.Board>;
export type BoardVisit = z.infer<typeof V.BoardVisit>;
export type BoardEngineer = z.infer<typeof V.BoardEngineer>;
export type Suggestions = z.infer<typeof V.Suggestions>;
export type Suggestion = z.infer<typeof V.Suggestion>;
export type FreeSlots = z.infer<typeof V.FreeSlots>;
export type VisitBookInput = z.input<typeof V.VisitBookBody>;
export type VisitRescheduleInput = z.input<typeof V.VisitRescheduleBody>;
export type VisitStep = V.VisitStep;
export type SuggestParams = { from: string; days?: number; durationMinutes?: number; windowStart?: string; windowEnd?: string; area?: string; parts?: boolean };

export const visitsApi = {
  forTicket: (number: string) => api.get<{ items: Visit[] }>(`/tickets/${number}/visits`),
  book: (number: string, body: VisitBookInput) => api.post<Visit>(`/tickets/${number}/visits`, body),
  suggest: (number: string, q: SuggestParams) => api.get<Suggestions>(`/tickets/${number}/visit-suggestions`, q),
  phoneGuidance: (number: string, note: string) => api.post<{ subtaskId: number; dueAt: string }>(`/tickets/${number}/phone-guidance`, { note }),
  mine: (date?: string) => api.get<{ items: Visit[] }>('/visits/mine', { date }),
  get: (id: number) => api.get<Visit>(`/visits/${id}`),
  reschedule: (id: number, body: VisitRescheduleInput) => api.post<Visit>(`/visits/${id}/reschedule`, body),
  cancel: (id: number, reason: string, version: number) => api.post<Visit>(`/visits/${id}/cancel`, { reason, version }),
  step: (id: number, step: VisitStep, version: number) => api.post<Visit>(`/visits/${id}/steps`, { step, version }),
  board: (from: string, days = 7) => api.get<Board>('/dispatch/board', { from, days }),
  freeSlots: (q: { from: string; days?: number; durationMinutes?: number; engineerIds?: string; area?: string }) => api.get<FreeSlots>('/dispatch/free-slots', q),
};

export const visitKeys = {
  all: ['visits'] as const,
  ticket: (number: string) => ['visits', 'ticket', number] as const,
  board: (from: string, days: number) => ['visits', 'board', from, days] as const,
  mine: (date: string) => ['visits', 'mine', date] as const,
  suggest: (number: string, q: SuggestParams) => ['visits', 'suggest', number, q] as const,
};

export const VISIT_STEP_LIST: readonly VisitStep[] = ['accepted', 'departed', 'arrived', 'work_done', 'signed', 'charged', 'left'];
export const OPTIONAL_STEPS: readonly VisitStep[] = ['signed', 'charged'];
/** Who books and moves visits (the server checks it too). */
export const canBookVisits = (role: string) => role === 'dispatcher' || role === 'supervisor';

/** The next steps an engineer may record now: the next required one and the optional ones before it. */
export function nextSteps(v: Pick<Visit, 'status'>): VisitStep[] {
  if (v.status === 'cancelled' || v.status === 'left') return [];
  const last = v.status === 'booked' ? -1 : VISIT_STEP_LIST.indexOf(v.status as VisitStep);
  const out: VisitStep[] = [];
  for (let i = last + 1; i < VISIT_STEP_LIST.length; i++) {
    out.push(VISIT_STEP_LIST[i]);
    if (!OPTIONAL_STEPS.includes(VISIT_STEP_LIST[i])) break;
  }
  return out;
}
