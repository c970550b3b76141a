// API tests of sign-in, sessions with CSRF, API tokens and the login rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, TEST_PASSWORD, type TestApp } from '../../src/server/testing.js';

describe.each(TEST_DIALECTS)('auth API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect, loginRateLimit: 5 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('signs in with a session cookie (httpOnly, SameSite) and requires the CSRF token on writes', async () => {
    const res = await login('t_agent', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const { user, csrfToken } = res.json();
    expect(user).toMatchObject({ username: 't_agent', role: 'agent', departmentName: '客服部' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/aftercare_sid=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0];
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { username: 't_agent' }, csrfToken });
    const payload = { title: '会话创建', description: '通过 cookie 创建', customerId: t.customers.own };
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie }, payload });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.message).toContain('CSRF');
    const wrongCsrf = await t.app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie, 'x-csrf-token': 'nope' }, payload });
    expect(wrongCsrf.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie, 'x-csrf-token': csrfToken }, payload });
    expect(ok.statusCode).toBe(201);
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(logout.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses wrong passwords and unknown users alike, translated', async () => {
    const wrong = await login('t_agent', 'wrong-password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'unauthenticated', message: '用户名或密码错误' });
    const unknown = await login('nobody', 'whatever');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('rate-limits sign-in attempts per address and user name', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await login('t_qa', 'bad-password')).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
    const limited = await login('t_qa', 'bad-password');
    expect(limited.json().error.code).toBe('rate_limited');
    // Another user from the same address is not locked out.
    expect((await login('t_engineer', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('issues API tokens that are shown once, stored hashed and work as Bearer', async () => {
    const res = await t.as.supervisor.post('/api/auth/tokens', { name: 'CRM integration' });
    expect(res.statusCode).toBe(201);
    const { token, name } = res.json();
    expect(name).toBe('CRM integration');
    const stored = await t.db.read.selectFrom('api_tokens').select('token_hash').where('name', '=', 'CRM integration').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json().user.username).toBe('t_supervisor');
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets', headers: { authorization: 'Bearer forged' } })).statusCode).toBe(401);
  });

  it('answers anonymous calls with 401 everywhere but health, login and docs', async () => {
    for (const [method, url] of [
      ['GET', '/api/tickets'],
      ['POST', '/api/tickets'],
      ['GET', '/api/customers'],
      ['GET', '/api/me'],
      ['POST', '/api/auth/tokens'],
      ['GET', '/api/attachments/1'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json()).toMatchObject({ status: 'ok', database: dialect });
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/api/tickets', '/api/tickets/{number}', '/api/tickets/{number}/transitions']));
  });
});
