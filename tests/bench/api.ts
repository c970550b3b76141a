// The few real API calls the benchmark needs before loading: sign in, create an API token, create a user.
export interface Session {
  cookie: string;
  csrfToken: string;
}

async function expectOk(res: Response, what: string) {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await expectOk(res, `login ${username}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrfToken: String(body.csrfToken) };
}

/** POST /api/auth/tokens with the session cookie and its CSRF token; returns the bearer token. */
export async function createToken(baseUrl: string, session: Session, name: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify({ name }),
  });
  return String((await expectOk(res, 'create token')).token);
}

export async function tokenFor(baseUrl: string, username: string, password: string): Promise<string> {
  return createToken(baseUrl, await login(baseUrl, username, password), `bench-${username}`);
}

export async function apiGet(baseUrl: string, token: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  return expectOk(res, `GET ${path}`);
}

export async function apiPost(baseUrl: string, token: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return expectOk(res, `POST ${path}`);
}
