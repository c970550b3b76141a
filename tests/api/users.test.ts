// API tests of editing people: PATCH /api/users/:id (admin only), its self-protection rules, and what
// deactivating someone does to their sessions and API tokens.
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
    expect(zh.json().error.fields).toMatchObject({ displayName: '必填', password: '太短，至少 8 个字符', 'skills.0': '太长，最多 50 个字符' });
    expect(zh.json().error.fields.role).toContain('无效的选项');
    expect(zh.json().error.fields.role).not.toContain('customer');
    const en = await t.as.admin.patch(`/api/users/${t.as.engineer!.userId}`, body, { 'accept-language': 'en' });
    expect(en.json().error.fields).toMatchObject({ displayName: 'Required', password: 'Too short; at least 8 characters' });
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
    t.clock.advance(IDENTITY_CACHE_MS);
    expect((await asToken()).statusCode).toBe(401);
    expect((await asCookie()).statusCode).toBe(401);
    expect((await login('qian.ming', 'first-password-1')).statusCode).toBe(401);

    // Reactivated, the token works again; the sessions were deleted and stay ended.
    await t.as.admin.patch(`/api/users/${id}`, { active: true });
    t.clock.advance(IDENTITY_CACHE_MS);
    expect((await asToken()).statusCode).toBe(200);
    expect((await asCookie()).statusCode).toBe(401);
  });
});
