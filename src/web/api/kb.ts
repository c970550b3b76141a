// The console's calls to the knowledge base (types inferred from the shared contract; zod itself is not bundled).
import type { z } from 'zod';
import type * as K from '../../shared/kb.js';
import { api } from './client.js';

export type KbArticle = z.infer<typeof K.KbArticle>;
export type KbSearchItem = z.infer<typeof K.KbSearchItem>;
export type KbSearchPage = z.infer<typeof K.KbSearchPage>;
export type KbSegment = z.infer<typeof K.KbSegment>;
export type KbSuggestions = z.infer<typeof K.KbSuggestions>;
export type KbSuggestion = z.infer<typeof K.KbSuggestion>;
export type KbRevision = z.infer<typeof K.KbRevision>;
export type KbDiff = z.infer<typeof K.KbDiff>;
export type KbArticleInput = z.input<typeof K.KbArticleCreateBody>;
export type KbArticlePatch = z.input<typeof K.KbArticlePatchBody>;
export type KbSearchParams = { q?: string; category?: string; productLine?: string; visibility?: string; status?: string; tag?: string; limit?: number; cursor?: string };

export const kbApi = {
  search: (q: KbSearchParams, signal?: AbortSignal) => api.get<KbSearchPage>('/kb/articles', q, { signal }),
  get: (id: number) => api.get<KbArticle>(`/kb/articles/${id}`),
  create: (body: KbArticleInput) => api.post<KbArticle>('/kb/articles', body),
  patch: (id: number, body: KbArticlePatch) => api.patch<KbArticle>(`/kb/articles/${id}`, body),
  fromTicket: (number: string) => api.post<KbArticle>('/kb/articles/from-ticket', { number }),
  preview: (body: string, signal?: AbortSignal) => api.post<{ html: string }>('/kb/preview', { body }, { signal }),
  revisions: (id: number) => api.get<{ items: KbRevision[] }>(`/kb/articles/${id}/revisions`),
  diff: (id: number, from: number, to: number) => api.get<KbDiff>(`/kb/articles/${id}/diff`, { from, to }),
  suggestForTicket: (number: string) => api.get<KbSuggestions>('/kb/suggest', { ticket: number, limit: 5 }),
  lines: () => api.get<{ items: { line: string; label: string }[] }>('/kb/lines'),
  stats: () => api.get<z.infer<typeof K.KbStats>>('/kb/stats'),
};

export const kbKeys = {
  all: ['kb'] as const,
  search: (q: KbSearchParams) => ['kb', 'search', q] as const,
  article: (id: number) => ['kb', 'article', id] as const,
  revisions: (id: number) => ['kb', 'revisions', id] as const,
  diff: (id: number, from: number, to: number) => ['kb', 'diff', id, from, to] as const,
  suggest: (number: string) => ['kb', 'suggest', number] as const,
  lines: ['kb', 'lines'] as const,
};
