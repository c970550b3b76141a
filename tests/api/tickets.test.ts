// API tests of the ticket endpoints, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { fullTicketBody } from './fixtures.js';

const body = fullTicketBody;

describe.each(TEST_DIALECTS)('tickets API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers a ticket with every intake field, a YYYYMM number and reportedAt kept apart from createdAt', async () => {
    const res = await t.as.agent.post('/api/tickets', body({ category: 'product.functional_fault' }));
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket.number).toMatch(/^202611\d{3,}$/);
    // Routed by the default rule for product faults.
    expect(ticket.status).toBe('assigned');
    expect(ticket.departmentId).toBe(t.departments.tech_support);
    expect(ticket.reportedAt).toBe('2026-11-23T01:30:00.000Z');
    expect(ticket.createdAt).toBe(new Date(t.clock.now()).toISOString());
    expect(ticket).toMatchObject({
      productModel: 'KFR-35GW/BP3DN8Y',
      serialNumber: 'SN-AC-0001',
      purchaseDate: '2025-06-01',
      occurredAt: '2026-11-22T12:00:00.000Z',
      occurredPlace: '客厅',
      situation: '制冷模式 26 度',
      demand: '48小时内上门维修',
      firstJudgement: '疑似冷媒泄漏',
      category: 'product.functional_fault',
      serviceType: 'repair',
      faultClass: 'hardware',
      priority: 'P2',
      channel: 'phone',
      version: 1,
    });
    expect(ticket.customer.name).toBe('王先生');
    expect(res.headers.etag).toBe('"1"');
    // The inline customer was created once and is found again by the same phone number in another format.
    const again = await t.as.agent.post('/api/tickets', body({ customer: { name: '王先生', phone: '13911112222' } }));
    expect(again.json().customer.id).toBe(ticket.customer.id);
  });

  it('numbers tickets uniquely under concurrent creates, growing past 999 in a month', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => t.as.agent.post('/api/tickets', body({ title: `并发工单 ${i}` }))));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const numbers = results.map((r) => r.json().number);
    expect(new Set(numbers).size).toBe(40);
    await t.db.write((trx) => trx.updateTable('number_counters').set({ value: 999 }).where('month', '=', '202611').execute());
    const big = await t.as.agent.post('/api/tickets', body());
    expect(big.json().number).toBe('2026111000');
  });

  it('returns the same ticket for a retried Idempotency-Key, also when the retries race', async () => {
    const first = await t.as.agent.post('/api/tickets', body(), { 'idempotency-key': 'call-42' });
    expect(first.statusCode).toBe(201);
    const retry = await t.as.agent.post('/api/tickets', body(), { 'idempotency-key': 'call-42' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().number).toBe(first.json().number);
    const race = await Promise.all(Array.from({ length: 10 }, () => t.as.agent.post('/api/tickets', body(), { 'idempotency-key': 'race-7' })));
    expect(new Set(race.map((r) => r.json().number)).size).toBe(1);
    expect(race.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const bad = await t.as.agent.post('/api/tickets', body(), { 'idempotency-key': 'has space\u0001' });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a stale version with 409 and keeps the winner', async () => {
    const { number } = (await t.as.agent.post('/api/tickets', body())).json();
    const get = await t.as.agent.get(`/api/tickets/${number}`);
    const etag = get.headers.etag as string;
    const [a, b] = await Promise.all([
      t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P1' }, { 'if-match': etag }),
      t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P3' }, { 'if-match': etag }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? 'P1' : 'P3';
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.code).toBe('stale_version');
    expect((await t.as.agent.get(`/api/tickets/${number}`)).json().priority).toBe(winner);
    expect((await t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P2' }, { 'if-match': etag })).statusCode).toBe(409);
    expect((await t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P2' })).statusCode).toBe(400);
    expect((await t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P2' }, { 'if-match': 'garbage' })).statusCode).toBe(400);
    expect((await t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P2', version: 2 })).statusCode).toBe(200);
  });

  it('records every change in the timeline with actor and before/after', async () => {
    const { number } = (await t.as.agent.post('/api/tickets', body())).json();
    await t.as.agent.patch(`/api/tickets/${number}`, { priority: 'P1', demand: '当天上门', version: 1 });
    await t.as.agent.patch(`/api/tickets/${number}`, { departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, version: 2 });
    const events = (await t.as.agent.get(`/api/tickets/${number}/events`)).json().items;
    // P2 → P1 changes the SLA policy, and the timeline says so.
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'updated', 'sla_recomputed', 'updated', 'assigned']);
    expect(events[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'priority', before: 'P2', after: 'P1' },
        { field: 'demand', before: '48小时内上门维修', after: '当天上门' },
      ]),
    );
    expect(events[1].actor.id).toBe(t.as.agent.userId);
    expect(events[3].changes).toEqual([{ field: 'departmentId', before: null, after: t.departments.tech_support }]);
    expect(events[4].changes).toEqual([
      { field: 'assignee', before: null, after: 't_engineer' },
      { field: 'status', before: 'new', after: 'assigned' },
    ]);
  });

  it('moves through the state machine and refuses illegal moves with a translated 409', async () => {
    const { number } = (await t.as.agent.post('/api/tickets', body())).json();
    const close = await t.as.agent.post(`/api/tickets/${number}/transitions`, { to: 'closed' });
    expect(close.statusCode).toBe(409);
    expect(close.json().error).toMatchObject({ code: 'invalid_transition', message: '工单不能从“新建”变为“已关闭”' });
    const en = await t.as.agent.post(`/api/tickets/${number}/transitions`, { to: 'closed' }, { 'accept-language': 'en' });
    expect(en.json().error.message).toBe('A ticket cannot move from "New" to "Closed"');
    expect((await t.as.agent.get(`/api/tickets/${number}`)).json().status).toBe('new');

    const start = await t.as.engineer.post(`/api/tickets/${number}/transitions`, { to: 'in_progress', note: '开始处理' });
    expect(start.statusCode).toBe(200);
    expect(start.json()).toMatchObject({ status: 'in_progress', assignee: { id: t.as.engineer.userId } });
    // Submitting, reviewing and confirming are workflow actions with their own records, not bare status changes.
    const bare = await t.as.engineer.post(`/api/tickets/${number}/transitions`, { to: 'pending_review' });
    expect(bare.statusCode).toBe(409);
    expect(bare.json().error.message).toContain('提交方案');
    expect((await t.as.engineer.post(`/api/tickets/${number}/solution`, { solution: '更换电容' })).statusCode).toBe(200);
    // Reviewing is a supervisor's job.
    const selfApprove = await t.as.engineer.post(`/api/tickets/${number}/review`, { approve: true });
    expect(selfApprove.statusCode).toBe(403);
    expect((await t.as.manager.post(`/api/tickets/${number}/transitions`, { to: 'pending_confirmation' })).statusCode).toBe(409);
    expect((await t.as.manager.post(`/api/tickets/${number}/review`, { approve: true })).statusCode).toBe(200);
    const closed = await t.as.agent.post(`/api/tickets/${number}/confirmation`, { satisfied: true, customerWords: '客户满意' });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    expect(closed.json().closedAt).not.toBeNull();
    const events = (await t.as.agent.get(`/api/tickets/${number}/events`)).json().items;
    const moves = events.filter((e: { changes: { field: string }[] }) => e.changes[0]?.field === 'status').map((e: { changes: { field: string; after: string }[] }) => e.changes[0].after);
    expect(moves).toEqual(['new', 'in_progress', 'pending_review', 'pending_confirmation', 'closed']);
    expect(events.find((e: { note: string }) => e.note === '客户满意')).toBeTruthy();
  });

  it('keeps internal notes from the customer', async () => {
    const { number } = (await t.as.agent.post('/api/tickets', body({ customer: undefined, customerId: t.customers.own }))).json();
    expect((await t.as.agent.post(`/api/tickets/${number}/comments`, { body: '内部：怀疑是安装问题', internal: true })).statusCode).toBe(201);
    expect((await t.as.agent.post(`/api/tickets/${number}/comments`, { body: '您好，工程师明天上午上门', internal: false })).statusCode).toBe(201);
    const staff = (await t.as.agent.get(`/api/tickets/${number}/comments`)).json().items;
    expect(staff).toHaveLength(2);
    const customer = (await t.as.customer.get(`/api/tickets/${number}/comments`)).json().items;
    expect(customer.map((c: { body: string }) => c.body)).toEqual(['您好，工程师明天上午上门']);
    const events = (await t.as.customer.get(`/api/tickets/${number}/events`)).json().items;
    expect(events.some((e: { kind: string }) => e.kind === 'internal_note')).toBe(false);
    expect((await t.as.customer.post(`/api/tickets/${number}/comments`, { body: '我也想写内部备注', internal: true })).statusCode).toBe(403);
    expect((await t.as.customer.post(`/api/tickets/${number}/comments`, { body: '好的，上午我在家', internal: false })).statusCode).toBe(201);
  });

  it('enforces who may read and change a ticket', async () => {
    const ts = (await t.as.agentTs.post('/api/tickets', body({ customer: undefined, customerId: t.customers.other, departmentId: t.departments.tech_support }))).json();
    // An agent of another department, and another customer, see nothing of it.
    expect((await t.as.agent.get(`/api/tickets/${ts.number}`)).statusCode).toBe(404);
    expect((await t.as.agent.patch(`/api/tickets/${ts.number}`, { priority: 'P1', version: 1 })).statusCode).toBe(404);
    expect((await t.as.agent.post(`/api/tickets/${ts.number}/comments`, { body: 'x', internal: false })).statusCode).toBe(404);
    expect((await t.as.customer.get(`/api/tickets/${ts.number}`)).statusCode).toBe(404);
    const list = (await t.as.agent.get(`/api/tickets?limit=200&customerId=${t.customers.other}`)).json().items;
    expect(list.some((x: { number: string }) => x.number === ts.number)).toBe(false);
    // Its own department, the owning customer and the director can.
    expect((await t.as.engineer.get(`/api/tickets/${ts.number}`)).statusCode).toBe(200);
    expect((await t.as.otherCustomer.get(`/api/tickets/${ts.number}`)).statusCode).toBe(200);
    expect((await t.as.director.get(`/api/tickets/${ts.number}`)).statusCode).toBe(200);
    // QA reads but does not change; a customer cannot edit fields.
    expect((await t.as.qa.get(`/api/tickets/${ts.number}`)).statusCode).toBe(200);
    expect((await t.as.qa.patch(`/api/tickets/${ts.number}`, { priority: 'P1', version: 1 })).statusCode).toBe(403);
    expect((await t.as.otherCustomer.patch(`/api/tickets/${ts.number}`, { priority: 'P1', version: 1 })).statusCode).toBe(403);
    // A customer's own ticket is always theirs, whatever customer they name.
    const own = await t.as.customer.post('/api/tickets', body({ customer: undefined, customerId: t.customers.other, departmentId: t.departments.logistics, priority: undefined }));
    expect(own.statusCode).toBe(201);
    expect(own.json().customer.id).toBe(t.customers.own);
    // The customer's choice of department is ignored; routing by category decides.
    expect(own.json().departmentId).toBeNull();
    // Masking: QA sees masked contact data, the agent in charge sees it whole.
    expect((await t.as.qa.get(`/api/tickets/${ts.number}`)).json().customer.phone).toBe('139****4321');
    expect((await t.as.engineer.get(`/api/tickets/${ts.number}`)).json().customer.phone).toBe('13987654321');
    expect((await t.as.engineer.get(`/api/tickets?q=${ts.number}`)).json().items[0].customer.phone).toBe('139****4321');
  });

  it('answers bad input with per-field messages in the caller language, and unknown routes with JSON 404', async () => {
    const zh = await t.as.agent.post('/api/tickets', { title: '', description: 42, priority: 'P9', reportedAt: 'yesterday', customer: { name: '张', phone: 'abc' } });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.code).toBe('validation_failed');
    expect(zh.json().error.fields).toMatchObject({
      title: '必填',
      description: '类型不正确，应为文本',
      priority: expect.stringContaining('无效的选项'),
      reportedAt: expect.stringContaining('时间格式不正确'),
      'customer.phone': expect.stringContaining('电话号码格式不正确'),
    });
    const en = await t.as.agent.post('/api/tickets', { title: 'x', description: 'y', customer: { name: 'A' }, category: 'no.such' }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.fields).toEqual({ category: 'No such category, or it is inactive' });
    const future = await t.as.agent.post('/api/tickets', body({ reportedAt: '2030-01-01T00:00:00Z' }));
    expect(future.json().error.fields.reportedAt).toBe('不能晚于当前时间');
    const nul = await t.as.agent.post('/api/tickets', body({ title: 'a\u0000b' }));
    expect(nul.statusCode).toBe(400);
    const noCustomer = await t.as.agent.post('/api/tickets', { title: 'x', description: 'y' });
    expect(noCustomer.json().error.fields.customer).toBe('请选择客户或填写新客户信息');
    const badJson = await t.as.agent.request('POST', '/api/tickets', '{"title": ', { 'content-type': 'application/json' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('validation_failed');
    const proto = await t.as.agent.request('POST', '/api/tickets', '{"__proto__": {"admin": true}}', { 'content-type': 'application/json' });
    expect(proto.statusCode).toBe(400);
    const nf = await t.as.agent.get('/api/nope');
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('not_found');
    expect((await t.as.agent.get('/api/tickets/123')).statusCode).toBe(400);
    expect((await t.as.agent.get('/api/tickets/999999999')).json().error.message).toBe('工单 999999999 不存在或您无权查看');
    expect((await t.as.agent.get('/api/tickets?limit=500')).statusCode).toBe(400);
    expect((await t.as.agent.get('/api/tickets?cursor=AAAA')).statusCode).toBe(400);
  });

  it('filters, sorts and pages the queue on the server', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      t.clock.advance(60_000);
      const r = await t.as.engineer.post('/api/tickets', body({ title: `分页测试 ${i}`, priority: i % 2 ? 'P1' : 'P3', channel: 'email', category: 'product.hardware_damage', departmentId: t.departments.tech_support }));
      made.push(r.json().number);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/tickets?channel=email&departmentId=${t.departments.tech_support}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.as.engineer.get(url)).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((x: { number: string }) => x.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    const byPriority = (await t.as.engineer.get(`/api/tickets?channel=email&sort=priority&limit=2`)).json();
    const rest = (await t.as.engineer.get(`/api/tickets?channel=email&sort=priority&limit=10&cursor=${byPriority.nextCursor}`)).json();
    const all = [...byPriority.items, ...rest.items].map((x: { priority: string }) => x.priority);
    expect(all).toEqual(['P1', 'P1', 'P1', 'P3', 'P3', 'P3', 'P3']);
    const p1 = (await t.as.engineer.get('/api/tickets?channel=email&priority=P1')).json().items;
    expect(p1).toHaveLength(3);
    const mine = (await t.as.engineer.get('/api/tickets?assigneeId=me&open=true')).json().items;
    expect(mine.every((x: { assignee: { id: number } }) => x.assignee.id === t.as.engineer.userId)).toBe(true);
    const unassigned = (await t.as.engineer.get('/api/tickets?assigneeId=none&channel=email')).json().items;
    expect(unassigned).toHaveLength(7);
    const range = (await t.as.engineer.get(`/api/tickets?channel=email&createdFrom=${new Date(t.clock.now() - 150_000).toISOString()}`)).json().items;
    expect(range).toHaveLength(3);
    const cat = (await t.as.engineer.get('/api/tickets?channel=email&category=product')).json().items;
    expect(cat).toHaveLength(7);
    expect((await t.as.engineer.get('/api/tickets?channel=email&status=closed')).json().items).toHaveLength(0);
    expect((await t.as.engineer.get('/api/tickets?channel=email&status=new,assigned')).json().items).toHaveLength(7);
    // Search pages newest first with its cursor (on SQLite driven by the FTS5 index, see ticketListSql).
    const found: string[] = [];
    cursor = null;
    do {
      const page: { items: { number: string }[]; nextCursor: string | null } = (await t.as.engineer.get(`/api/tickets?q=${encodeURIComponent('分页测试')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      found.push(...page.items.map((x) => x.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(found).toEqual([...made].reverse());
    // Search with other filters and another order.
    const searchedP1 = (await t.as.engineer.get(`/api/tickets?q=${encodeURIComponent('分页测试')}&priority=P1&sort=created_asc`)).json().items;
    expect(searchedP1.map((x: { number: string }) => x.number)).toEqual([made[1], made[3], made[5]]);
  });

  it('filters by a category with an underscore in its code, children included, and by nothing that merely looks alike', async () => {
    expect((await t.as.admin.post('/api/categories', { code: 'field_visit', parentCode: null, nameZh: '上门', nameEn: 'Field visit' })).statusCode).toBe(201);
    expect((await t.as.admin.post('/api/categories', { code: 'field_visit.install', parentCode: 'field_visit', nameZh: '安装', nameEn: 'Install' })).statusCode).toBe(201);
    expect((await t.as.admin.post('/api/categories', { code: 'fieldxvisit', parentCode: null, nameZh: '相似', nameEn: 'Look-alike' })).statusCode).toBe(201);
    const numbers: Record<string, string> = {};
    for (const category of ['field_visit', 'field_visit.install', 'fieldxvisit']) {
      numbers[category] = (await t.as.agent.post('/api/tickets', body({ title: `分类过滤 ${category}`, channel: 'wechat', category }))).json().number;
    }
    const under = (await t.as.admin.get('/api/tickets?channel=wechat&category=field_visit')).json().items.map((x: { number: string }) => x.number);
    expect(under.sort()).toEqual([numbers.field_visit, numbers['field_visit.install']].sort());
  });
});
