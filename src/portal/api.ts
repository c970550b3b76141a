// The portal's fetch client: the session cookie, the CSRF header on writes, Accept-Language, and one error type whose
// message is the server's translated text (and `fields`, a translated message per field, for forms to show in place).
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  constructor(status: number, code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
  }
}

const state = {
  csrfToken: null as string | null,
  language: 'zh-CN',
  fallback: (code: 'network' | 'unknown', status: number) => (code === 'network' ? 'Network error' : `HTTP ${status}`),
  onUnauthenticated: null as (() => void) | null,
};

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}
export function setApiLanguage(lang: string): void {
  state.language = lang;
}
/** Texts for failures without a server message (set by the shell, translated). */
export function setFallbackMessages(f: typeof state.fallback): void {
  state.fallback = f;
}
/** Called on a 401 from a signed-in page: the session ended (expired, signed out elsewhere, account disabled). */
export function onUnauthenticated(f: (() => void) | null): void {
  state.onUnauthenticated = f;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function queryString(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': state.language, ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api${path}${queryString(opts.query)}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', state.fallback('network', 0));
  }
  const text = res.status === 204 ? '' : await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data as { error?: { code: string; message: string; fields?: Record<string, string> } } | undefined)?.error;
    if (res.status === 401) state.onUnauthenticated?.();
    if (e && typeof e.message === 'string') throw new ApiError(res.status, e.code, e.message, e.fields);
    throw new ApiError(res.status, 'unknown', state.fallback('unknown', res.status));
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  /** A file as multipart field `file` (the attachments API). */
  upload: <T>(path: string, file: File, query?: Query) => {
    const form = new FormData();
    form.append('file', file);
    return request<T>('POST', path, { body: form, query });
  },
};

/** A random Idempotency-Key (crypto.randomUUID needs a secure context; a plain-HTTP intranet is not one). */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
