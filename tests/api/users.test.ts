// API tests of editing people: PATCH /api/users/:id (admin only), its self-protection rules, the password policy
// wherever an admin sets a password, and what a reset or a deactivation does to the person's sessions and API tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

// AuthService keeps a resolved session or token for this long; the test clock is moved past it.
const IDENTITY_CACHE_MS = 5_000;

describe.each(TEST_DIALECTS)('users API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const createUser = async (username: string) => {
    const res = await t.as.admin.post('/api/users', { username, displayName: username, password: 'first-password-1', role: 'agent', departmentId: t.departments.customer_service });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };

  it('lets the admin change every field, and the change shows in the directory', async () => {
    const id = await createUser('zhao.lei');
    const res = await t.as.admin.patch(`/api/users/${id}`, {
      displayName: '赵磊',
      role: 'engineer',
      departmentId: t.departments.tech_support,
      skills: ['空调', '制冷'],
      password: 'second-password-2',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, displayName: '赵磊', role: 'engineer', departmentId: t.departments.tech_support, departmentName: '技术支持部', skills: ['空调', '制冷'], active: true });
    expect((await login('zhao.lei', 'first-password-1')).statusCode).toBe(401);
    expect((await login('zhao.lei', 'second-password-2')).statusCode).toBe(200);

    const listed = (await t.as.agent.get(`/api/users?departmentId=${t.departments.tech_support}&role=engineer`)).json().items;
    expect(listed.find((u: { id: number }) => u.id === id)).toMatchObject({ displayName: '赵磊', skills: ['空调', '制冷'] });

    expect((await t.as.admin.patch(`/api/users/${id}`, { active: false })).json().active).toBe(false);
    expect((await t.as.admin.get('/api/users')).json().items.map((u: { id: number }) => u.id)).not.toContain(id);
    const all = (await t.as.admin.get('/api/users?includeInactive=true')).json().items;
    expect(all.find((u: { id: number }) => u.id === id)).toMatchObject({ active: false });
    expect((await t.as.admin.patch(`/api/users/${id}`, { active: true, departmentId: null })).json()).toMatchObject({ active: true, departmentId: null });
  });

  it('is for administrators only', async () => {
    for (const who of ['manager', 'director', 'supervisor', 'agent']) {
      expect((await t.as[who]!.patch(`/api/users/${t.as.engineer!.userId}`, { displayName: 'x' })).statusCode, who).toBe(403);
    }
    expect((await t.as.admin.patch('/api/users/999999', { displayName: 'x' })).statusCode).toBe(404);
  });

  it('refuses bad input with a message per field in the caller language', async () => {
    const body = { displayName: '', role: 'customer', departmentId: 999_999, password: 'short', skills: ['x'.repeat(51)] };
    const zh = await t.as.admin.patch(`/api/users/${t.as.engineer!.userId}`, body);
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.fields).toMatchObject({ displayName: '必填', password: '太短，至少 10 个字符', 'skills.0': '太长，最多 50 个字符' });
    expect(zh.json().error.fields.role).toContain('无效的选项');
    expect(zh.json().error.fields.role).not.toContain('customer');
    const en = await t.as.admin.patch(`/api/users/${t.as.engineer!.userId}`, body, { 'accept-language': 'en' });
    expect(en.json().error.fields).toMatchObject({ displayName: 'Required', password: 'Too short; at least 10 characters' });
    const dept = await t.as.admin.patch(`/api/users/${t.as.engineer!.userId}`, { departmentId: 999_999 }, { 'accept-language': 'en' });
    expect(dept.json().error.fields).toEqual({ departmentId: 'No such department' });
    const portal = await t.as.admin.patch(`/api/users/${t.as.customer!.userId}`, { role: 'agent' });
    expect(portal.json().error.fields).toEqual({ role: '客户账号的角色不能更改' });
  });

  it('will not let an admin deactivate themself or drop their own admin role', async () => {
    const me = t.as.admin.userId;
    const off = await t.as.admin.patch(`/api/users/${me}`, { active: false });
    expect(off.statusCode).toBe(400);
    expect(off.json().error.fields).toEqual({ active: '不能停用自己的账号' });
    const demote = await t.as.admin.patch(`/api/users/${me}`, { role: 'manager' }, { 'accept-language': 'en' });
    expect(demote.json().error.fields).toEqual({ role: 'You cannot remove your own administrator role' });
    expect((await t.as.admin.patch(`/api/users/${me}`, { role: 'admin', displayName: '系统管理员' })).statusCode).toBe(200);
    expect((await t.as.admin.get('/api/me')).statusCode).toBe(200);
  });

  it('refuses short and common passwords when an admin creates or resets a user, translated', async () => {
    const body = { username: 'zhou.yu', displayName: '周瑜', role: 'agent', departmentId: t.departments.customer_service };
    const short = await t.as.admin.post('/api/users', { ...body, password: 'k7#mQ2vx9' }, { 'accept-language': 'en' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toEqual({ password: 'Too short; at least 10 characters' });
    for (const common of ['password123', 'Qwertyuiop', '1q2w3e4r5t']) {
      const res = await t.as.admin.post('/api/users', { ...body, password: common });
      expect(res.statusCode, common).toBe(400);
      expect(res.json().error.fields).toEqual({ password: '这是常见密码，很容易被猜中，请换一个' });
    }
    const en = await t.as.admin.post('/api/users', { ...body, password: 'password123' }, { 'accept-language': 'en' });
    expect(en.json().error.fields).toEqual({ password: 'This is a common password and easy to guess; choose another' });
    expect((await t.db.read.selectFrom('users').select('id').where('username', '=', 'zhou.yu').execute()).length).toBe(0);

    const id = await createUser('zhou.yu');
    const reset = await t.as.admin.patch(`/api/users/${id}`, { password: '1234567890' });
    expect(reset.json().error.fields).toEqual({ password: '这是常见密码，很容易被猜中，请换一个' });
    expect((await login('zhou.yu', 'first-password-1')).statusCode).toBe(200);
  });

  it("ends the user's sessions and revokes their API tokens at once when an admin resets the password", async () => {
    const id = await createUser('wu.fang');
    const signIn = await login('wu.fang', 'first-password-1');
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const { token } = (
      await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie, 'x-csrf-token': signIn.json().csrfToken }, payload: { name: 'script' } })
    ).json();
    const asToken = () => t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    const asCookie = () => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect((await asToken()).statusCode).toBe(200);
    expect((await asCookie()).statusCode).toBe(200);

    expect((await t.as.admin.patch(`/api/users/${id}`, { password: 'second-password-2' })).statusCode).toBe(200);
    // No clock move: this node's identity cache forgets them in the same request.
    expect((await asToken()).statusCode).toBe(401);
    expect((await asCookie()).statusCode).toBe(401);
    expect((await t.db.read.selectFrom('api_tokens').select('id').where('user_id', '=', id).execute()).length).toBe(0);
    expect((await t.db.read.selectFrom('sessions').select('id_hash').where('user_id', '=', id).execute()).length).toBe(0);
    expect((await login('wu.fang', 'second-password-2')).statusCode).toBe(200);
    // Editing anything else ends nothing.
    const again = await login('wu.fang', 'second-password-2');
    const cookie2 = String(again.headers['set-cookie']).split(';')[0]!;
    expect((await t.as.admin.patch(`/api/users/${id}`, { displayName: '吴芳' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookie2 } })).statusCode).toBe(200);
  });

  it('keeps the current session of an admin who resets their own password, and ends the rest', async () => {
    const id = (await t.as.admin.post('/api/users', { username: 'ops.admin', displayName: '运维管理员', password: 'first-password-1', role: 'admin' })).json().id as number;
    const mine = await login('ops.admin', 'first-password-1');
    const other = await login('ops.admin', 'first-password-1');
    const cookie = String(mine.headers['set-cookie']).split(';')[0]!;
    const otherCookie = String(other.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': mine.json().csrfToken };
    const { token } = (await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: { name: 'ops' } })).json();
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers, payload: { password: 'second-password-2' } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: otherCookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it("ends a deactivated user's sessions and refuses their API token", async () => {
    const id = await createUser('qian.ming');
    const signIn = await login('qian.ming', 'first-password-1');
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const { token } = (
      await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie, 'x-csrf-token': signIn.json().csrfToken }, payload: { name: 'script' } })
    ).json();
    const asToken = () => t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    const asCookie = () => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect((await asToken()).statusCode).toBe(200);
    expect((await asCookie()).statusCode).toBe(200);

    expect((await t.as.admin.patch(`/api/users/${id}`, { active: false })).statusCode).toBe(200);
    // At once on this node (no clock move), and for good: the token is revoked, not merely refused while inactive.
    expect((await asToken()).statusCode).toBe(401);
    expect((await asCookie()).statusCode).toBe(401);
    expect((await login('qian.ming', 'first-password-1')).statusCode).toBe(401);
    expect((await t.db.read.selectFrom('api_tokens').select('id').where('user_id', '=', id).execute()).length).toBe(0);

    // Reactivated, neither the old token nor the old session comes back; signing in again works.
    await t.as.admin.patch(`/api/users/${id}`, { active: true });
    t.clock.advance(IDENTITY_CACHE_MS);
    expect((await asToken()).statusCode).toBe(401);
    expect((await asCookie()).statusCode).toBe(401);
    expect((await login('qian.ming', 'first-password-1')).statusCode).toBe(200);
  });
});
