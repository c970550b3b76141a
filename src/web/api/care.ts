// Installation acceptance, inspection plans, care contacts and repeat repairs (issue 16): the console's calls.
import { api } from './client.js';
import type { Acceptance } from '../../shared/care.js';

export type { Acceptance };

export const careKeys = {
  acceptance: (visitId: number) => ['visit', visitId, 'acceptance'] as const,
};

export const careApi = {
  acceptance: (visitId: number) => api.get<Acceptance>(`/visits/${visitId}/acceptance`),
  tick: (visitId: number, done: string[], version: number) => api.put<Acceptance>(`/visits/${visitId}/acceptance/checklist`, { done, version }),
  accept: (visitId: number, body: { signerName: string; confirmed: true; signature?: string; version: number }) => api.post<Acceptance>(`/visits/${visitId}/acceptance`, body),
};
