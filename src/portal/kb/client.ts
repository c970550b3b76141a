// The portal's knowledge-base calls and the browser's anonymous id (one vote or "solved it" per browser, retries included).
import type { z } from 'zod';
import type * as K from '../../shared/kb.js';
import { api } from '../api.js';

export type KbArticle = z.infer<typeof K.KbArticle>;
export type KbSearchPage = z.infer<typeof K.KbSearchPage>;
export type KbSuggestions = z.infer<typeof K.KbSuggestions>;
export type KbSegment = z.infer<typeof K.KbSegment>;

const KEY = 'aftercare.kbClient';

/** A random id kept in localStorage; without storage, one per page load (votes then count per visit). */
export function clientId(): string {
  try {
    const have = localStorage.getItem(KEY);
    if (have && /^[A-Za-z0-9_-]{8,64}$/.test(have)) return have;
    const made = randomId();
    localStorage.setItem(KEY, made);
    return made;
  } catch {
    return (fallback ??= randomId());
  }
}
let fallback: string | undefined;

export function randomId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export const kbClient = {
  search: (q: string | undefined, signal?: AbortSignal) => api.get<KbSearchPage>('/kb/articles', { q, limit: 20 }, { signal }),
  get: (id: number, signal?: AbortSignal) => api.get<KbArticle>(`/kb/articles/${id}`, { clientId: clientId() }, { signal }),
  suggest: (q: string, signal?: AbortSignal) => api.get<KbSuggestions>('/kb/suggest', { q, limit: 4 }, { signal }),
  vote: (id: number, helpful: boolean) => api.post<{ helpfulYes: number; helpfulNo: number; myVote: 'yes' | 'no' }>(`/kb/articles/${id}/feedback`, { helpful, clientId: clientId() }),
  deflect: (articleId: number, source: 'suggestion' | 'assistant' | 'article', query?: string) =>
    api.post<{ recorded: boolean }>('/kb/deflections', { articleId, source, clientId: clientId(), query: query ? query.slice(0, 500) : undefined }),
};
