// Minimal typed fetch client: cookie session + CSRF header + Accept-Language, and one error type for every failure.
import type { ErrorCode, Language } from '../../shared/enums.js';
import type { ErrorBody } from './types.js';

export type ClientErrorCode = ErrorCode | 'network' | 'unknown';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode | string;
  readonly fields: Record<string, string> | undefined;
  constructor(status: number, code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
  /** True when the request certainly did not change anything on the server (a 4xx answer). */
  get definitive(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type Query = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;

interface State {
  csrfToken: string | null;
  language: Language;
  /** Messages for failures that carry no server message (network down, non-JSON answer). */
  fallbackMessage: (code: 'network' | 'unknown', status: number) => string;
  onUnauthenticated: (() => void) | null;
}

const state: State = {
  csrfToken: null,
  language: 'zh-CN',
  fallbackMessage: (code, status) => (code === 'network' ? 'Network error' : `HTTP ${status}`),
  onUnauthenticated: null,
};

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}
/** The session's CSRF token and language, for requests sent outside `request` (the field page's outbox). */
export const currentCsrfToken = (): string | null => state.csrfToken;
export const currentApiLanguage = (): Language => state.language;
export function setApiLanguage(lang: Language): void {
  state.language = lang;
}
export function configureApi(opts: Partial<Pick<State, 'fallbackMessage' | 'onUnauthenticated'>>): void {
  Object.assign(state, opts);
}

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Don't report a 401 to the session listener (used by the session probe and login itself). */
  quiet401?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': state.language,
    ...opts.headers,
  };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;

  let res: Response;
  try {
    res = await fetch(`/api${path}${buildQuery(opts.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', state.fallbackMessage('network', 0));
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const e = (data as ErrorBody | undefined)?.error;
    if (res.status === 401 && !opts.quiet401) state.onUnauthenticated?.();
    if (e && typeof e.message === 'string') throw new ApiError(res.status, e.code, e.message, e.fields);
    throw new ApiError(res.status, 'unknown', state.fallbackMessage('unknown', res.status));
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/** RFC 4122 v4 id for Idempotency-Key headers (crypto.randomUUID needs a secure context; fall back otherwise). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' && window.isSecureContext) {
    return crypto.randomUUID();
  }
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
