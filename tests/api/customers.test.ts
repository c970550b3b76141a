// API tests of customers, caller lookup, the directory and categories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

describe.each(TEST_DIALECTS)('customers API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a company customer with contacts and finds it by name, phone or e-mail with contact details masked', async () => {
    const res = await t.as.agent.post('/api/customers', {
      kind: 'company',
      name: '杭州华信医疗器械有限公司',
      company: '杭州华信医疗器械有限公司',
      phone: '0571-8888 6666',
      email: 'Service@HuaXin-Med.cn',
      address: '浙江省杭州市西湖区文三路 90 号',
      tier: 'vip',
      specialNeeds: false,
      contacts: [{ name: '周女士', phone: '13600001234', email: 'zhou@huaxin-med.cn', title: '设备科' }],
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ kind: 'company', tier: 'vip', phone: '0571-8888 6666', version: 1 });
    expect(c.contacts[0]).toMatchObject({ name: '周女士', phone: '13600001234' });
    for (const q of ['华信', '88886666', 'huaxin-med']) {
      const list = (await t.as.agent.get(`/api/customers?q=${encodeURIComponent(q)}`)).json().items;
      expect(list.map((x: { id: number }) => x.id)).toContain(c.id);
      const found = list.find((x: { id: number }) => x.id === c.id);
      expect(found.phone).toBe('057****6666');
      expect(found.contacts[0].phone).toBe('136****1234');
      expect(found.email).toBe('S***@HuaXin-Med.cn');
    }
    expect((await t.as.agent.get(`/api/customers?tier=vip`)).json().items.map((x: { id: number }) => x.id)).toEqual([c.id]);
  });

  it('looks up a caller by phone (customer or contact) with products and open tickets', async () => {
    const created = await t.as.agent.post('/api/tickets', {
      title: '洗衣机脱水震动',
      description: '脱水时剧烈震动并移位',
      customerId: t.customers.own,
      productModel: 'XQG100-BD14',
      serialNumber: 'SN-WASH-1',
      purchaseDate: '2025-03-01',
    });
    expect(created.statusCode).toBe(201);
    const res = await t.as.agent.get('/api/customers/lookup?phone=%2B86%20138-1234-5678');
    expect(res.statusCode).toBe(200);
    const [hit] = res.json().items;
    expect(hit.customer).toMatchObject({ id: t.customers.own, name: '张伟', phone: '13812345678' });
    expect(hit.units.map((u: { serialNumber: string }) => u.serialNumber)).toContain('SN-WASH-1');
    expect(hit.openTickets.map((x: { number: string }) => x.number)).toContain(created.json().number);
    const contact = await t.as.agent.get('/api/customers/lookup?phone=13600001234');
    expect(contact.json().items[0].customer.name).toBe('杭州华信医疗器械有限公司');
    expect((await t.as.agent.get('/api/customers/lookup?phone=10000')).json().items).toEqual([]);
    expect((await t.as.qa.get('/api/customers/lookup?phone=13812345678')).statusCode).toBe(403);
  });

  it('updates with optimistic locking and masks details for QA', async () => {
    const c = (await t.as.agent.get(`/api/customers/${t.customers.other}`)).json();
    expect(c.phone).toBe('13987654321');
    const ok = await t.as.agent.patch(`/api/customers/${t.customers.other}`, { tier: 'core', specialNeeds: true, specialNeedsNote: '老人独居' }, { 'if-match': `"${c.version}"` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ tier: 'core', specialNeeds: true, version: c.version + 1 });
    const stale = await t.as.agent.patch(`/api/customers/${t.customers.other}`, { tier: 'vip', version: c.version });
    expect(stale.statusCode).toBe(409);
    expect((await t.as.qa.get(`/api/customers/${t.customers.other}`)).json().phone).toBe('139****4321');
    expect((await t.as.qa.patch(`/api/customers/${t.customers.other}`, { tier: 'vip', version: c.version + 1 })).statusCode).toBe(403);
  });

  it('lets a customer see only their own record', async () => {
    expect((await t.as.customer.get(`/api/customers/${t.customers.own}`)).statusCode).toBe(200);
    expect((await t.as.customer.get(`/api/customers/${t.customers.other}`)).statusCode).toBe(404);
    const list = (await t.as.customer.get('/api/customers')).json().items;
    expect(list.map((x: { id: number }) => x.id)).toEqual([t.customers.own]);
    expect((await t.as.customer.post('/api/customers', { name: 'x' })).statusCode).toBe(403);
    expect((await t.as.customer.get('/api/users')).statusCode).toBe(403);
  });

  it('validates customer input per field', async () => {
    const res = await t.as.agent.post('/api/customers', { name: ' ', email: 'not-mail', tier: 'gold', phone: '☎' }, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toMatchObject({ name: 'Required', email: 'Invalid e-mail address', tier: expect.stringContaining('normal, core, vip') });
    expect(res.json().error.fields.phone).toContain('Invalid phone number');
  });

  it('lists departments, users by department and the category tree in the caller language', async () => {
    const deps = (await t.as.agent.get('/api/departments', { 'accept-language': 'en' })).json().items;
    expect(deps.map((d: { code: string }) => d.code)).toEqual(['customer_service', 'tech_support', 'logistics', 'production', 'quality']);
    expect(deps[1].name).toBe('Technical Support');
    const users = (await t.as.agent.get(`/api/users?departmentId=${t.departments.tech_support}`)).json().items;
    expect(users.map((u: { username: string }) => u.username).sort()).toEqual(['t_agent_ts', 't_engineer', 't_engineer2', 't_manager']);
    const cats = (await t.as.agent.get('/api/categories')).json().items;
    expect(cats.find((c: { code: string }) => c.code === 'logistics.damaged')).toMatchObject({ parentCode: 'logistics', name: '商品破损' });
    expect(cats.filter((c: { parentCode: string | null }) => c.parentCode === null).map((c: { code: string }) => c.code)).toEqual(['product', 'service', 'logistics', 'other']);
  });

  it('lets only the admin edit categories and users', async () => {
    expect((await t.as.supervisor.post('/api/categories', { code: 'product.noise', parentCode: 'product', nameZh: '噪音', nameEn: 'Noise' })).statusCode).toBe(403);
    const created = await t.as.admin.post('/api/categories', { code: 'product.noise', parentCode: 'product', nameZh: '噪音', nameEn: 'Noise' });
    expect(created.statusCode).toBe(201);
    expect((await t.as.admin.post('/api/categories', { code: 'product.noise', parentCode: 'product', nameZh: '噪音', nameEn: 'Noise' })).json().error.fields.code).toBe('分类编码已存在');
    const ticket = await t.as.agent.post('/api/tickets', { title: '噪音大', description: '晚上噪音很大', customerId: t.customers.own, category: 'product.noise' });
    expect(ticket.statusCode).toBe(201);
    await t.as.admin.patch('/api/categories/product.noise', { active: false });
    const refused = await t.as.agent.post('/api/tickets', { title: '噪音大', description: '晚上噪音很大', customerId: t.customers.own, category: 'product.noise' });
    expect(refused.statusCode).toBe(400);
    const user = await t.as.admin.post('/api/users', { username: 'new.engineer', displayName: '新工程师', password: 'long-enough-1', role: 'engineer', departmentId: t.departments.tech_support });
    expect(user.statusCode).toBe(201);
    expect((await t.as.admin.post('/api/users', { username: 'new.engineer', displayName: 'x', password: 'long-enough-1', role: 'engineer' })).json().error.fields.username).toBe('用户名已被占用');
    expect((await t.as.manager.post('/api/users', { username: 'sneaky', displayName: 'x', password: 'long-enough-1', role: 'admin' })).statusCode).toBe(403);
    const head = await t.as.admin.patch(`/api/departments/${t.departments.logistics}`, { managerId: t.as.dispatcher.userId });
    expect(head.json()).toMatchObject({ code: 'logistics', managerId: t.as.dispatcher.userId });
    expect((await t.as.manager.patch(`/api/departments/${t.departments.logistics}`, { managerId: null })).statusCode).toBe(403);
  });

  it('finds a customer\'s unit by serial and keeps one unit per serial, through the (customer, serial) index', async () => {
    const body = { title: '空调漏水', description: '室内机漏水', productModel: 'KFR-35GW/BP3DN8Y', serialNumber: 'SNIDX0001', customer: { name: '索引测试', phone: '13600009999' } };
    const first = (await t.as.agent.post('/api/tickets', body)).json();
    const second = (await t.as.agent.post('/api/tickets', { ...body, title: '空调又漏水' })).json();
    expect(second.customer.id).toBe(first.customer.id);
    const units = await t.db.read.selectFrom('units').select(['id', 'serial_number']).where('customer_id', '=', first.customer.id).execute();
    expect(units.map((u) => u.serial_number)).toEqual(['SNIDX0001']);
    if (dialect === 'sqlite') {
      const raw = t.db.sqlite!.reader;
      const plan = (sqlText: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all() as { detail: string }[]).map((p) => p.detail).join('\n');
      expect(plan("SELECT id FROM units WHERE customer_id = 1 AND serial_number = 'x'")).toMatch(/USING (COVERING )?INDEX units_customer_serial \(customer_id=\? AND serial_number=\?\)/);
      const indexes = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('units', 'notifications')").all() as { name: string }[]).map((r) => r.name);
      expect(indexes).not.toContain('units_serial');
      expect(indexes).toContain('notifications_key_user');
    }
  });
});
