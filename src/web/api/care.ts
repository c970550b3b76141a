// Installation acceptance, inspection plans, care contacts and repeat repairs (issue 16): the console's calls.
import { api } from './client.js';
import type { Acceptance, CareContact, InstallationChecklist, InspectionPlan, InspectionPlanBody, InspectionPlanDetail, RepeatRepairReport } from '../../shared/care.js';

export type { Acceptance, CareContact, InspectionPlan, InspectionPlanBody, InspectionPlanDetail, RepeatRepairReport };
export interface TicketLink {
  kind: 'repeat_repair';
  role: 'first' | 'repeat';
  ticket: { number: string; title: string; status: string };
  faultClass: string;
  createdAt: string;
}

export const careKeys = {
  acceptance: (visitId: number) => ['visit', visitId, 'acceptance'] as const,
  checklist: (model: string) => ['products', 'installation-checklist', model] as const,
  plans: (state: string) => ['inspection-plans', state] as const,
  plan: (id: number) => ['inspection-plans', 'one', id] as const,
  contacts: (state: string) => ['care-contacts', state] as const,
  links: (number: string) => ['ticket', number, 'links'] as const,
  repeats: (from: string, to: string) => ['reports', 'repeat-repairs', from, to] as const,
};

export const careApi = {
  checklist: (model: string) => api.get<InstallationChecklist>(`/products/${encodeURIComponent(model)}/installation-checklist`),
  saveChecklist: (model: string, items: string[]) => api.put<InstallationChecklist>(`/products/${encodeURIComponent(model)}/installation-checklist`, { items }),
  resetChecklist: (model: string) => api.del<InstallationChecklist>(`/products/${encodeURIComponent(model)}/installation-checklist`),
  acceptance: (visitId: number) => api.get<Acceptance>(`/visits/${visitId}/acceptance`),
  tick: (visitId: number, done: string[], version: number) => api.put<Acceptance>(`/visits/${visitId}/acceptance/checklist`, { done, version }),
  accept: (visitId: number, body: { signerName: string; confirmed: true; signature?: string; version: number }) => api.post<Acceptance>(`/visits/${visitId}/acceptance`, body),
  plans: (state: string) => api.get<{ items: InspectionPlan[] }>('/inspection-plans', { state }),
  plan: (id: number) => api.get<InspectionPlanDetail>(`/inspection-plans/${id}`),
  createPlan: (body: InspectionPlanBody) => api.post<InspectionPlanDetail>('/inspection-plans', body),
  updatePlan: (id: number, body: Partial<InspectionPlanBody> & { version: number }) => api.patch<InspectionPlanDetail>(`/inspection-plans/${id}`, body),
  move: (occurrenceId: number, dueDate: string, reason: string) => api.post<InspectionPlanDetail>(`/inspections/${occurrenceId}/move`, { dueDate, reason }),
  complete: (occurrenceId: number, note?: string) => api.post<InspectionPlanDetail>(`/inspections/${occurrenceId}/complete`, note ? { note } : {}),
  contacts: (state: string) => api.get<{ items: CareContact[] }>('/care/contacts', { state }),
  contactDone: (id: number, note?: string) => api.post<CareContact>(`/care/contacts/${id}/done`, note ? { note } : {}),
  links: (number: string) => api.get<{ items: TicketLink[] }>(`/tickets/${encodeURIComponent(number)}/links`),
  repeats: (from: string, to: string) => api.get<RepeatRepairReport>('/reports/repeat-repairs', { from, to }),
};
