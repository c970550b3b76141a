// API tests of sign-in, sessions with CSRF, API tokens (list, expiry, revocation), one's own password change, the
// sign-in limits per account and per address, and the demo password outside demo mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/modules/auth/password.js';
import { DEMO_PASSWORD } from '../../src/server/seed/base.js';
import { createTestApp, TEST_DIALECTS, TEST_PASSWORD, type TestApp } from '../../src/server/testing.js';

// Sign-in attempts per minute in this suite: per user name, and per address.
const PER_ACCOUNT = 5;
const PER_ADDRESS = 20;

describe.each(TEST_DIALECTS)('auth API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect, loginRateLimit: PER_ACCOUNT, loginAddressRateLimit: PER_ADDRESS });
  });
  afterAll(async () => {
    await t?.close();
  });

  // Each test signs in from addresses of its own: the limits' windows are real minutes and outlive a test.
  const login = (username: string, password: string, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress, headers });
  const session = async (username: string, password: string, remoteAddress: string) => {
    const res = await login(username, password, remoteAddress);
    expect(res.statusCode, `${username} signs in`).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const csrf = res.json().csrfToken as string;
    const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: method as 'GET', url, headers: { cookie, 'x-csrf-token': csrf, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { cookie, call };
  };
  const bearer = (token: string, url = '/api/me') => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const makeUser = async (username: string, password = 'first-password-1') => {
    const res = await t.as.admin.post('/api/users', { username, displayName: username, password, role: 'agent', departmentId: t.departments.customer_service });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };

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

  it('limits sign-in attempts per user name, from one address or from many', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await login('t_qa', 'bad-password')).statusCode);
    expect(codes.slice(0, PER_ACCOUNT)).toEqual(Array(PER_ACCOUNT).fill(401));
    expect(codes.slice(PER_ACCOUNT)).toEqual([429, 429]);
    const limited = await login('t_qa', 'bad-password');
    expect(limited.json().error.code).toBe('rate_limited');
    // Another user from the same address is not locked out.
    expect((await login('t_engineer', TEST_PASSWORD)).statusCode).toBe(200);

    // One user name guessed from a different address each time: the account's counter is shared by all of them.
    const spread: number[] = [];
    for (let i = 1; i <= PER_ACCOUNT + 2; i++) spread.push((await login('t_dispatcher', `guess-${i}`, `203.0.113.${i}`)).statusCode);
    expect(spread).toEqual([...Array(PER_ACCOUNT).fill(401), 429, 429]);
    // Even the right password waits now: the limit counts attempts, not failures, so parallel guesses cannot slip in.
    const right = await login('t_dispatcher', TEST_PASSWORD, '203.0.113.99', { 'accept-language': 'en' });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.message).toMatch(/^Too many sign-in attempts; try again in \d+ seconds$/);
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The user name is the same whatever its case or spaces.
    expect((await login(' T_Dispatcher ', TEST_PASSWORD, '203.0.113.98')).statusCode).toBe(429);
  });

  it('limits sign-in attempts per address, whatever the user names, with Retry-After and a translated message', async () => {
    const address = '198.51.100.7';
    const codes: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) codes.push((await login(`sprayed-${i}`, 'Winter2026!', address)).statusCode);
    expect(codes.slice(0, PER_ADDRESS)).toEqual(Array(PER_ADDRESS).fill(401));
    expect(codes.slice(PER_ADDRESS)).toEqual([429, 429]);
    // A real user from that address waits too; the same user from another address does not.
    const blocked = await login('t_engineer2', TEST_PASSWORD, address);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatchObject({ code: 'rate_limited' });
    expect(blocked.json().error.message).toMatch(/^登录尝试过于频繁，请 \d+ 秒后再试$/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // X-Forwarded-For is not trusted (no proxy is configured): it neither escapes nor moves the limit.
    expect((await login('t_engineer2', TEST_PASSWORD, address, { 'x-forwarded-for': '192.0.2.55' })).statusCode).toBe(429);
    expect((await login('t_engineer2', TEST_PASSWORD, '198.51.100.8')).statusCode).toBe(200);

    // IPv6 addresses of one /56 share a counter: rotating through a customer's prefix does not escape it.
    const v6: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) v6.push((await login(`v6-sprayed-${i}`, 'Winter2026!', `2001:db8:aa:${(i + 1).toString(16)}::${i + 1}`)).statusCode);
    expect(v6.slice(0, PER_ADDRESS)).toEqual(Array(PER_ADDRESS).fill(401));
    expect(v6[PER_ADDRESS]).toBe(429);
    expect((await login('t_engineer2', TEST_PASSWORD, '2001:db8:ab::1')).statusCode).toBe(200);
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

  it('lists, expires and revokes API tokens, never showing a secret', async () => {
    const created = await t.as.engineer.post('/api/auth/tokens', { name: 'nightly export', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { id, token, createdAt, expiresAt } = created.json();
    expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(30 * 24 * 3600_000);
    const permanent = (await t.as.engineer.post('/api/auth/tokens', { name: 'CRM' })).json();
    expect(permanent.expiresAt).toBeNull();

    expect((await bearer(token)).statusCode).toBe(200);
    const list = await t.as.engineer.get('/api/auth/tokens');
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    // Only the engineer's own: the harness token and the two above, newest first.
    expect(items.map((i: { name: string }) => i.name)).toEqual(['CRM', 'nightly export', 'test']);
    expect(items[1]).toEqual({ id, name: 'nightly export', createdAt, lastUsedAt: expect.any(String), expiresAt, expired: false });
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect(JSON.stringify(list.json())).not.toMatch(/act_|token_hash|[0-9a-f]{64}/);
    expect((await t.as.agent.get('/api/auth/tokens')).json().items.map((i: { id: number }) => i.id)).not.toContain(id);

    // Expired: refused at once even though the identity was cached moments ago, and listed as expired.
    t.clock.advance(30 * 24 * 3600_000 + 1);
    expect((await bearer(token)).statusCode).toBe(401);
    expect((await bearer(permanent.token)).statusCode).toBe(200);
    expect((await t.as.engineer.get('/api/auth/tokens')).json().items.find((i: { id: number }) => i.id === id)).toMatchObject({ expired: true });

    // A fixed expiry time; in the past, both kinds at once, or too far out are refused, translated.
    const at = new Date(t.clock.now() + 3600_000).toISOString();
    const fixed = await t.as.engineer.post('/api/auth/tokens', { name: 'one hour', expiresAt: at });
    expect(fixed.json().expiresAt).toBe(at);
    const past = await t.as.engineer.post('/api/auth/tokens', { name: 'x', expiresAt: '2020-01-01T00:00:00Z' }, { 'accept-language': 'en' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields).toEqual({ expiresAt: 'The expiry time must be in the future' });
    const both = await t.as.engineer.post('/api/auth/tokens', { name: 'x', expiresInDays: 1, expiresAt: at });
    expect(both.json().error.fields).toEqual({ expiresAt: '有效天数和到期时间只能填写一项' });
    expect((await t.as.engineer.post('/api/auth/tokens', { name: 'x', expiresInDays: 0 })).statusCode).toBe(400);

    // Revoked: refused at once on this node, though it was resolved (and cached) just before.
    expect((await bearer(permanent.token)).statusCode).toBe(200);
    expect((await t.as.engineer.request('DELETE', `/api/auth/tokens/${permanent.id}`)).statusCode).toBe(200);
    expect((await bearer(permanent.token)).statusCode).toBe(401);
    expect((await t.as.engineer.request('DELETE', `/api/auth/tokens/${permanent.id}`)).statusCode).toBe(404);
    expect((await t.as.engineer.get('/api/auth/tokens')).json().items.map((i: { id: number }) => i.id)).not.toContain(permanent.id);

    // Someone else's: 404 as if it did not exist, for anyone but an admin, who may revoke any.
    const fixedId = fixed.json().id;
    expect((await bearer(fixed.json().token)).statusCode).toBe(200);
    expect((await t.as.manager.request('DELETE', `/api/auth/tokens/${fixedId}`)).statusCode).toBe(404);
    expect((await bearer(fixed.json().token)).statusCode).toBe(200);
    expect((await t.as.admin.request('DELETE', `/api/auth/tokens/${fixedId}`)).statusCode).toBe(200);
    expect((await bearer(fixed.json().token)).statusCode).toBe(401);
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { id, token } = (await t.as.qa.post('/api/auth/tokens', { name: 'report' })).json();
    const lastUsed = async () => (await t.db.read.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsed()).toBeNull();
    await bearer(token);
    const first = t.clock.now();
    expect(Number(await lastUsed())).toBe(first);
    t.clock.advance(10_000);
    await bearer(token);
    expect(Number(await lastUsed())).toBe(first);
    t.clock.advance(60_000);
    await bearer(token);
    expect(Number(await lastUsed())).toBe(t.clock.now());
  });

  it("changes one's own password: this session stays, the others end and every token is revoked at once", async () => {
    const id = await makeUser('sun.li');
    const here = await session('sun.li', 'first-password-1', '192.0.2.10');
    const elsewhere = await session('sun.li', 'first-password-1', '192.0.2.11');
    const { token } = (await here.call('POST', '/api/auth/tokens', { name: 'script' })).json();
    expect((await bearer(token)).statusCode).toBe(200);
    expect((await elsewhere.call('GET', '/api/me')).statusCode).toBe(200);
    const bystander = (await t.as.agent.get('/api/me')).statusCode;

    const wrong = await here.call('POST', '/api/auth/password', { currentPassword: 'not-it-at-all', newPassword: 'second-password-2' }, { 'accept-language': 'en' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toEqual({ currentPassword: 'The current password is wrong' });
    const common = await here.call('POST', '/api/auth/password', { currentPassword: 'first-password-1', newPassword: 'qwertyuiop' });
    expect(common.json().error.fields).toEqual({ newPassword: '这是常见密码，很容易被猜中，请换一个' });
    const short = await here.call('POST', '/api/auth/password', { currentPassword: 'first-password-1', newPassword: 'k7#mQ2vx' });
    expect(short.json().error.fields).toEqual({ newPassword: '太短，至少 10 个字符' });
    const same = await here.call('POST', '/api/auth/password', { currentPassword: 'first-password-1', newPassword: 'first-password-1' });
    expect(same.json().error.fields).toEqual({ newPassword: '新密码不能与当前密码相同' });
    // Nothing was ended by the refused attempts.
    expect((await bearer(token)).statusCode).toBe(200);

    const ok = await here.call('POST', '/api/auth/password', { currentPassword: 'first-password-1', newPassword: 'second-password-2' });
    expect(ok.statusCode).toBe(200);
    // No clock move: the identity cache of this node forgets them at once.
    expect((await here.call('GET', '/api/me')).statusCode).toBe(200);
    expect((await elsewhere.call('GET', '/api/me')).statusCode).toBe(401);
    expect((await bearer(token)).statusCode).toBe(401);
    expect((await t.db.read.selectFrom('api_tokens').select('id').where('user_id', '=', id).execute()).length).toBe(0);
    expect((await t.db.read.selectFrom('sessions').select('id_hash').where('user_id', '=', id).execute()).length).toBe(1);
    expect((await login('sun.li', 'first-password-1', '192.0.2.12')).statusCode).toBe(401);
    expect((await login('sun.li', 'second-password-2', '192.0.2.12')).statusCode).toBe(200);
    expect((await t.as.agent.get('/api/me')).statusCode).toBe(bystander);
  });

  it('lets the published demo password sign in only in demo mode on loopback', async () => {
    // As the demo seeder leaves a demo user; the test database runs with AFTERCARE_DEMO=0.
    const hash = await hashPassword(DEMO_PASSWORD);
    await t.db.write((trx) =>
      trx
        .insertInto('users')
        .values({ username: 'demo_agent', display_name: '演示坐席', password_hash: hash, role: 'agent', department_id: null, customer_id: null, skills: '[]', email: null, phone: null, active: 1, created_at: t.clock.now() })
        .execute(),
    );
    const config = t.services.ctx.config;
    const saved = { demo: config.demo, host: config.host };
    try {
      expect(config.demo).toBe(false);
      const refused = await login('demo_agent', DEMO_PASSWORD, '192.0.2.30');
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.message).toBe('用户名或密码错误');
      Object.assign(config, { demo: true, host: '127.0.0.1' });
      expect((await login('demo_agent', DEMO_PASSWORD, '192.0.2.30')).statusCode).toBe(200);
      Object.assign(config, { demo: true, host: '0.0.0.0' });
      expect((await login('demo_agent', DEMO_PASSWORD, '192.0.2.30')).statusCode).toBe(401);
    } finally {
      Object.assign(config, saved);
    }
  });

  it('answers anonymous calls with 401 everywhere but health, login and docs', async () => {
    for (const [method, url] of [
      ['GET', '/api/tickets'],
      ['POST', '/api/tickets'],
      ['GET', '/api/customers'],
      ['GET', '/api/me'],
      ['POST', '/api/auth/tokens'],
      ['GET', '/api/auth/tokens'],
      ['DELETE', '/api/auth/tokens/1'],
      ['POST', '/api/auth/password'],
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
