// The console's calls to the settlement API (types inferred from the shared contract; zod itself is not bundled).
import type { z } from 'zod';
import type * as S from '../../shared/settlement.js';
import { api, buildQuery, currentApiLanguage, isApiError } from './client.js';

export type SettlementItem = z.infer<typeof S.SettlementItem>;
export type SettlementState = S.SettlementState;
export type MonthlySettlement = z.infer<typeof S.MonthlySettlement>;
export type SettlementParams = { month: string; state?: SettlementState; engineerId?: number; providerId?: number };

export const settlementKeys = {
  all: ['settlements'] as const,
  list: (p: SettlementParams) => ['settlements', 'list', p] as const,
  monthly: (month: string, by: 'engineer' | 'provider') => ['settlements', 'monthly', month, by] as const,
};

export const settlementApi = {
  list: (p: SettlementParams) => api.get<{ month: string; items: SettlementItem[] }>('/settlements', p),
  decide: (visitId: number, body: { decision: 'approved' | 'rejected'; note?: string; fingerprint: string }) => api.post<SettlementItem>(`/settlements/${visitId}/decision`, body),
  monthly: (month: string, by: 'engineer' | 'provider') => api.get<MonthlySettlement>('/settlements/monthly', { month, by }),
  /** Downloads the export in the console's language (a plain link would send the browser's). */
  async download(month: string, by: 'engineer' | 'provider', format: 'csv' | 'xlsx') {
    const res = await fetch(`/api/settlements/monthly/export${buildQuery({ month, by, format })}`, { headers: { 'Accept-Language': currentApiLanguage() }, credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `settlement-${month}-${by}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

export { isApiError };

/** Managers, directors and admins: the server's settlement.review (domain/access.ts). */
export const canReviewSettlement = (role: string) => role === 'manager' || role === 'director' || role === 'admin';
