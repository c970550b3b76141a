// The console's calls for products and units (types inferred from the shared contract; zod itself is not bundled).
import type { z } from 'zod';
import type * as P from '../../shared/products.js';
import { api } from './client.js';

export type Product = z.infer<typeof P.Product>;
export type ProductDetail = z.infer<typeof P.ProductDetail>;
export type ProductInput = z.input<typeof P.ProductCreateBody>;
export type FaultClass = z.infer<typeof P.FaultClass>;
export type UnitRecord = z.infer<typeof P.UnitRecord>;
export type UnitDetail = z.infer<typeof P.UnitDetail>;
export type UnitHistoryEntry = z.infer<typeof P.UnitHistoryEntry>;
export type UnitInput = z.input<typeof P.UnitCreateBody>;
export type UnitPatch = z.input<typeof P.UnitPatchBody>;
export type UnitReplace = z.input<typeof P.UnitReplaceBody>;
export type UnitImportResult = z.infer<typeof P.UnitImportResult>;
export type WarrantyInfo = z.infer<typeof P.WarrantyInfo>;
type Page<T> = { items: T[]; nextCursor: string | null };

export const productApi = {
  list: (q: { q?: string; line?: string; limit?: number; cursor?: string }, signal?: AbortSignal) => api.get<Page<Product>>('/products', q, { signal }),
  get: (id: number) => api.get<ProductDetail>(`/products/${id}`),
  create: (body: ProductInput) => api.post<ProductDetail>('/products', body),
  patch: (id: number, body: Partial<ProductInput> & { version: number }) => api.patch<ProductDetail>(`/products/${id}`, body),
  faultClasses: () => api.get<{ items: FaultClass[] }>('/fault-classes'),
  setFaultClasses: (items: FaultClass[]) => api.put<{ items: FaultClass[] }>('/fault-classes', { items }),
};

export const unitApi = {
  list: (q: { q?: string; model?: string; customerId?: number; warranty?: string; limit?: number; cursor?: string }, signal?: AbortSignal) => api.get<Page<UnitRecord>>('/units', q, { signal }),
  lookup: (serial: string, model?: string, signal?: AbortSignal) => api.get<{ items: UnitRecord[] }>('/units/lookup', { serial, model }, { signal }),
  get: (id: number) => api.get<UnitDetail>(`/units/${id}`),
  create: (body: UnitInput) => api.post<UnitDetail>('/units', body),
  patch: (id: number, body: UnitPatch) => api.patch<UnitDetail>(`/units/${id}`, body),
  replace: (id: number, body: UnitReplace) => api.post<UnitDetail>(`/units/${id}/replace`, body),
  import: (file: File) => {
    const fd = new FormData();
    fd.append('file', file);
    return api.post<UnitImportResult>('/units/import', fd);
  },
};

/** Fen → "¥50.00" in the user's language. */
export function yuan(fen: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY' }).format(fen / 100);
}
