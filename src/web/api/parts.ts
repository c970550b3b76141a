// The console's calls to the spare parts API (types inferred from the shared contract; zod itself is not bundled).
import type { z } from 'zod';
import type * as P from '../../shared/parts.js';
import { api } from './client.js';

export type Part = z.infer<typeof P.Part>;
export type PartInput = z.input<typeof P.PartBody>;
export type PartPatch = z.input<typeof P.PartPatchBody>;
export type LocationInput = z.input<typeof P.LocationBody>;
export type LocationPatch = z.input<typeof P.LocationPatchBody>;
export type PartsPage = z.infer<typeof P.PartsPage>;
export type StockLocation = z.infer<typeof P.Location>;
export type StockRow = z.infer<typeof P.StockRow>;
export type StockMove = z.infer<typeof P.Move>;
export type MoveInput = z.input<typeof P.MoveBody>;
export type MoveResult = z.infer<typeof P.MoveResult>;
export type PartsParams = { q?: string; low?: 'true'; active?: 'all'; productModel?: string; limit?: number; cursor?: string };

export const partsApi = {
  list: (q: PartsParams, signal?: AbortSignal) => api.get<PartsPage>('/parts', q, { signal }),
  get: (id: number) => api.get<Part>(`/parts/${id}`),
  create: (body: PartInput) => api.post<Part>('/parts', body),
  update: (id: number, body: PartPatch) => api.patch<Part>(`/parts/${id}`, body),
  setThreshold: (id: number, locationId: number, threshold: number | null) => api.put<StockRow>(`/parts/${id}/stock/${locationId}/threshold`, { threshold }),
  stock: (id: number) => api.get<{ items: StockRow[] }>(`/parts/${id}/stock`),
  locations: (q: { active?: 'all' } = {}) => api.get<{ items: StockLocation[] }>('/stock-locations', q),
  createLocation: (body: LocationInput) => api.post<StockLocation>('/stock-locations', body),
  updateLocation: (id: number, body: LocationPatch) => api.patch<StockLocation>(`/stock-locations/${id}`, body),
  mine: () => api.get<{ locations: StockLocation[]; items: StockRow[] }>('/stock/mine'),
  moves: (q: { partId?: number; locationId?: number; cursor?: string; limit?: number }) => api.get<{ items: StockMove[]; nextCursor: string | null }>('/stock/moves', q),
  move: (body: MoveInput, idempotencyKey: string) => api.post<MoveResult>('/stock/moves', body, { headers: { 'idempotency-key': idempotencyKey } }),
};

export const partsKeys = {
  all: ['parts'] as const,
  list: (q: PartsParams) => ['parts', 'list', q] as const,
  part: (id: number) => ['parts', 'part', id] as const,
  stock: (id: number) => ['parts', 'stock', id] as const,
  moves: (q: object) => ['parts', 'moves', q] as const,
  locations: ['parts', 'locations'] as const,
  allLocations: ['parts', 'locations', 'all'] as const,
  mine: ['parts', 'mine'] as const,
};

/** Yuan as typed (12.34) to fen on the wire (1234); rounding drops float noise such as 0.1 + 0.2. */
export const toFen = (yuanValue: number) => Math.round(yuanValue * 100);

/** ¥12.34 from fen. */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
