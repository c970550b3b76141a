// The service network (服务网点, issue 16): providers and their people, dispatching a visit to a provider's engineer,
// and — the security-critical part — a provider's people see ONLY the tickets and visits dispatched to their provider.
// Every read path is tried as a provider's engineer and dispatcher against a ticket not dispatched to them (403 / 404,
// never listed), and the dispatched ticket is shown to be visible. The last test holds the list of GET routes against
// the app's own: a new read path fails it until someone decides how a provider's people meet it.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { actorOf } from '../../src/server/modules/users/service.js';

const bj = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 8, mm)).toISOString();

type Res = Awaited<ReturnType<FastifyInstance['inject']>> & { json(): any };

function client(app: FastifyInstance, token: string) {
  const request = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    (await app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    })) as Res;
  return { get: (url: string) => request('GET', url), post: (url: string, body: unknown = {}, headers?: Record<string, string>) => request('POST', url, body, headers), patch: (url: string, body: unknown = {}) => request('PATCH', url, body), put: (url: string, body: unknown = {}) => request('PUT', url, body), request };
}
type Client = ReturnType<typeof client>;

function multipart(filename: string, content: string) {
  const boundary = '----network' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(TEST_DIALECTS)('service network on %s', (dialect) => {
  let t: TestApp;
  let huajun: number;
  let other: number;
  const people: Record<string, { id: number; c: Client }> = {};
  /** mine: dispatched to 华君; theirs: only internal engineers; elsewhere: another provider's; unrouted: no department. */
  const tk = { mine: '', theirs: '', elsewhere: '', unrouted: '' };
  const visit = { mine: 0, theirs: 0, elsewhere: 0 };
  let theirAttachment = 0;
  let mineAttachment = 0;
  let unitId = 0;

  async function signIn(username: string): Promise<Client> {
    const row = await t.services.auth.userRow((await t.db.read.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id);
    const { token } = await t.services.auth.createToken(actorOf(row), { name: 'test' });
    return client(t.app, token);
  }

  async function newTicket(title: string, departmentId: number | null = t.departments.tech_support): Promise<string> {
    const res = await t.as.agent.post('/api/tickets', { title, description: `${title}，需要上门`, customerId: t.customers.own, priority: 'P3', productModel: 'KFR-35GW/BP3DN8Y', serialNumber: `SN-${title.length}-${Math.random().toString(36).slice(2, 8)}`, departmentId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().number;
  }

  const book = (number: string, engineerId: number, day: number, who: { post: Client['post'] } = t.as.supervisor) =>
    who.post(`/api/tickets/${number}/visits`, { engineerId, windowStart: bj(day, 9), windowEnd: bj(day, 11), address: '上海市浦东新区世纪大道100号', area: '浦东新区' });

  async function upload(token: string, number: string, name: string): Promise<number> {
    const m = multipart(name, '现场照片说明');
    const res = await t.app.inject({ method: 'POST', url: `/api/tickets/${number}/attachments`, headers: { authorization: `Bearer ${token}`, 'content-type': m.contentType }, payload: m.payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const model = { model: 'KFR-35GW/BP3DN8Y', name: '变频挂壁式空调 1.5匹', line: 'ac', warranty_months: 72 };
    if (!(await t.db.read.selectFrom('products').select('id').where('model', '=', model.model).executeTakeFirst())) await t.db.write((trx) => trx.insertInto('products').values(model).execute());

    const p1 = await t.as.manager.post('/api/providers', { name: '华君安装服务公司', contactName: '华经理', contactPhone: '021-58880000', areas: ['浦东新区', '闵行区'], productLines: ['ac'] });
    expect(p1.statusCode, p1.body).toBe(201);
    huajun = p1.json().id;
    const p2 = await t.as.admin.post('/api/providers', { name: '东方家电维修站', areas: ['徐汇区'], productLines: ['washer'] });
    expect(p2.statusCode, p2.body).toBe(201);
    other = p2.json().id;
    for (const [provider, username, role] of [[huajun, 'hj_engineer', 'engineer'], [huajun, 'hj_engineer2', 'engineer'], [huajun, 'hj_dispatcher', 'dispatcher'], [other, 'df_engineer', 'engineer']] as const) {
      const res = await t.as.manager.post(`/api/providers/${provider}/people`, { username, displayName: username, role, password: 'provider-pass-2026', phone: '13700001111' });
      expect(res.statusCode, res.body).toBe(201);
      people[username] = { id: res.json().id, c: await signIn(username) };
    }

    tk.mine = await newTicket('华君的空调安装');
    tk.theirs = await newTicket('公司自己的维修');
    tk.elsewhere = await newTicket('东方维修站的洗衣机');
    tk.unrouted = await newTicket('尚未分派的工单', null);
    for (const [key, number, engineer, day] of [['mine', tk.mine, people.hj_engineer.id, 24], ['theirs', tk.theirs, t.as.engineer.userId, 24], ['elsewhere', tk.elsewhere, people.df_engineer.id, 25]] as const) {
      const res = await book(number, engineer, day);
      expect(res.statusCode, res.body).toBe(201);
      visit[key] = res.json().id;
    }
    // Things on the other ticket a provider's engineer must never reach: a note, a sub-task, an attachment.
    expect((await t.as.agent.post(`/api/tickets/${tk.theirs}/comments`, { body: '内部：客户是VIP', internal: true })).statusCode).toBe(201);
    expect((await t.as.agent.post(`/api/tickets/${tk.theirs}/subtasks`, { departmentId: t.departments.logistics, title: '备件调拨' })).statusCode).toBe(201);
    // An internal note on their own ticket: staff-only, also for the provider (it may be about the provider).
    expect((await t.as.agent.post(`/api/tickets/${tk.mine}/comments`, { body: '内部：华君报价偏高', internal: true })).statusCode).toBe(201);
    theirAttachment = await upload(t.as.agent.token, tk.theirs, 'invoice.txt');
    mineAttachment = await upload(t.as.agent.token, tk.mine, 'site.txt');
    unitId = (await t.as.admin.get(`/api/tickets/${tk.theirs}`)).json().unitId ?? 0;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers providers with their people; the directory of our staff leaves them out and a ticket cannot be assigned to them', async () => {
    const list = (await t.as.manager.get('/api/providers')).json().items as { name: string; people: number; areas: string[] }[];
    expect(list.find((p) => p.name === '华君安装服务公司')).toMatchObject({ people: 3, areas: ['浦东新区', '闵行区'] });
    const dup = await t.as.manager.post('/api/providers', { name: '华君安装服务公司' }, { 'accept-language': 'zh-CN' } as never);
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields.name).toBe('已有同名服务商');
    for (const who of ['agent', 'dispatcher', 'engineer', 'supervisor', 'qa']) expect((await t.as[who].get('/api/providers')).statusCode, who).toBe(403);
    const staff = (await t.as.admin.get('/api/users')).json().items as { username: string }[];
    expect(staff.some((u) => u.username.startsWith('hj_'))).toBe(false);
    const assign = await t.as.supervisor.patch(`/api/tickets/${tk.theirs}`, { assigneeId: people.hj_engineer.id, departmentId: null });
    expect(assign.statusCode).toBe(400);
    const me = (await people.hj_engineer.c.get('/api/me')).json().user;
    expect(me).toMatchObject({ role: 'engineer', providerId: huajun, providerName: '华君安装服务公司', departmentId: null });
    // An admin cannot turn a provider's engineer into one of ours by role or department.
    expect((await t.as.admin.patch(`/api/users/${people.hj_engineer.id}`, { role: 'manager' })).statusCode).toBe(400);
    expect((await t.as.admin.patch(`/api/users/${people.hj_engineer.id}`, { departmentId: t.departments.tech_support })).statusCode).toBe(400);
  });

  it("shows the dispatched ticket to the provider's people: queue, search, count, the ticket, its timeline, attachments, visits, board", async () => {
    for (const who of ['hj_engineer', 'hj_dispatcher']) {
      const c = people[who].c;
      const queue = (await c.get('/api/tickets?view=all&limit=200')).json().items as { number: string }[];
      expect(queue.map((x) => x.number), who).toEqual([tk.mine]);
      expect((await c.get('/api/tickets?limit=200')).json().items.map((x: { number: string }) => x.number), who).toEqual([tk.mine]);
      expect((await c.get(`/api/tickets?q=${encodeURIComponent('空调安装')}`)).json().items.map((x: { number: string }) => x.number)).toEqual([tk.mine]);
      expect((await c.get('/api/tickets/count')).json()).toMatchObject({ count: 1 });
      const ticket = await c.get(`/api/tickets/${tk.mine}`);
      expect(ticket.statusCode, ticket.body).toBe(200);
      // They work the visit, not the ticket's course: no transitions or actions offered.
      expect(ticket.json()).toMatchObject({ number: tk.mine, allowedTransitions: [], allowedActions: [] });
      expect((await c.get(`/api/tickets/${tk.mine}/events?limit=50`)).statusCode).toBe(200);
      const comments = await c.get(`/api/tickets/${tk.mine}/comments`);
      expect(comments.statusCode).toBe(200);
      expect(comments.body).not.toContain('华君报价偏高');
      expect((await c.get(`/api/tickets/${tk.mine}/events?limit=50`)).body).not.toContain('华君报价偏高');
      expect((await c.get(`/api/tickets/${tk.mine}/attachments`)).json().items.map((a: { id: number }) => a.id)).toContain(mineAttachment);
      expect((await c.get(`/api/attachments/${mineAttachment}`)).statusCode).toBe(200);
      const visits = (await c.get(`/api/tickets/${tk.mine}/visits`)).json().items as { id: number; provider: { name: string } }[];
      expect(visits.map((v) => v.id)).toEqual([visit.mine]);
      expect(visits[0].provider.name).toBe('华君安装服务公司');
      expect((await c.get(`/api/visits/${visit.mine}`)).statusCode, who).toBe(200);
    }
    const board = (await people.hj_dispatcher.c.get('/api/dispatch/board?from=2026-11-23&days=7')).json();
    expect(board.engineers.map((e: { id: number }) => e.id).sort()).toEqual([people.hj_engineer.id, people.hj_engineer2.id].sort());
    expect(board.visits.map((v: { id: number }) => v.id)).toEqual([visit.mine]);
    const mine = (await people.hj_engineer.c.get('/api/visits/mine?date=2026-11-24')).json().items as { id: number }[];
    expect(mine.map((v) => v.id)).toEqual([visit.mine]);
  });

  it("refuses every read path of a ticket not dispatched to the provider (403 / 404, never listed)", async () => {
    const hidden = [tk.theirs, tk.elsewhere, tk.unrouted];
    for (const who of ['hj_engineer', 'hj_dispatcher']) {
      const c = people[who].c;
      for (const n of hidden) {
        for (const path of ['', '/events?limit=50', '/comments', '/attachments', '/subtasks', '/visits', '/messages', '/survey', '/survey/form', '/visit-suggestions?from=2026-11-23', '/links']) {
          const res = await c.get(`/api/tickets/${n}${path}`);
          expect([403, 404], `${who} GET ${n}${path} → ${res.statusCode}`).toContain(res.statusCode);
          expect(res.body).not.toContain('客户是VIP');
        }
        expect((await c.get(`/api/kb/suggest?ticket=${n}`)).statusCode, `${who} kb suggest`).toBeGreaterThanOrEqual(400);
      }
      for (const v of [visit.theirs, visit.elsewhere]) {
        expect((await c.get(`/api/visits/${v}`)).statusCode, `${who} visit ${v}`).toBe(404);
        for (const sub of ['acceptance', 'report']) expect((await c.get(`/api/visits/${v}/${sub}`)).statusCode, `${who} ${sub} ${v}`).toBe(404);
      }
      expect((await c.get(`/api/attachments/${theirAttachment}`)).statusCode).toBe(404);
      // Searching by the other tickets' words, numbers and the customer's name finds only their own.
      for (const q of ['公司自己的维修', tk.theirs, '洗衣机', '尚未分派', '张伟']) {
        const items = (await c.get(`/api/tickets?q=${encodeURIComponent(q)}&limit=200`)).json().items as { number: string }[];
        expect(items.every((x) => x.number === tk.mine), `${who} q=${q}`).toBe(true);
      }
      for (const view of ['all', 'open', 'mine', 'unassigned', 'overdue']) {
        const items = (await c.get(`/api/tickets?view=${view}&limit=200`)).json().items as { number: string }[];
        if (items) expect(items.every((x) => x.number === tk.mine), `${who} view=${view}`).toBe(true);
      }
      expect((await c.get(`/api/tickets?customerId=${t.customers.own}&limit=200`)).json().items.map((x: { number: string }) => x.number)).toEqual([tk.mine]);
      // The board and free slots: their provider's engineers only, never ours or another provider's.
      const board = (await c.get('/api/dispatch/board?from=2026-11-23&days=7')).json();
      expect(board.visits.every((v: { id: number }) => v.id === visit.mine)).toBe(true);
      expect(board.engineers.some((e: { id: number }) => e.id === t.as.engineer.userId || e.id === people.df_engineer.id)).toBe(false);
      const slots = (await c.get(`/api/dispatch/free-slots?from=2026-11-23&engineerIds=${t.as.engineer.userId},${people.df_engineer.id}`)).json();
      const theirs = new Set([people.hj_engineer.id, people.hj_engineer2.id]);
      expect(slots.engineers.every((e: { engineer: { id: number } }) => theirs.has(e.engineer.id)), who).toBe(true);
      expect((await c.get(`/api/visits/mine?date=2026-11-24`)).json().items.every((v: { id: number }) => v.id === visit.mine)).toBe(true);
      // The company's registers: units, parts and stock, customers, directory, reports, KB internals, settings.
      for (const path of [
        '/api/units',
        `/api/units/${unitId || 1}`,
        '/api/units/lookup?serial=SN',
        '/api/products',
        '/api/parts',
        '/api/stock/moves',
        '/api/stock/mine',
        '/api/stock-locations',
        '/api/stock/alerts',
        '/api/customers',
        `/api/customers/${t.customers.own}`,
        '/api/customers/lookup?phone=13812345678',
        `/api/customers/${t.customers.own}/accounts`,
        `/api/customers/${t.customers.own}/message-preferences`,
        '/api/users',
        '/api/departments',
        '/api/reports/satisfaction',
        '/api/reports/satisfaction/answers',
        '/api/reports/parts/consumption',
        '/api/reports/parts/turnover',
        '/api/survey-follow-ups',
        '/api/kb/stats',
        '/api/routing/rules',
        '/api/sla/policies',
        '/api/admin/settings',
        '/api/providers',
        `/api/providers/${huajun}`,
        `/api/providers/${huajun}/people`,
        '/api/field/engineers',
        '/api/field/settings',
        '/api/webhooks',
        '/api/products/KFR-35GW%2FBP3DN8Y/installation-checklist',
        '/api/inspection-plans',
        '/api/inspection-plans/1',
        '/api/care/contacts',
        '/api/reports/repeat-repairs',
        `/api/tickets/${tk.mine}/rmas`,
        `/api/tickets/${tk.mine}/take-backs`,
        `/api/tickets/${tk.mine}/subtasks`,
        '/api/rmas',
        '/api/rmas/1',
        '/api/loaners',
        '/api/loans',
        '/api/settlements?month=2026-11',
        '/api/settlements/monthly?month=2026-11',
        '/api/settlements/monthly/export?month=2026-11',
      ]) {
        const res = await c.get(path);
        expect([400, 403, 404], `${who} GET ${path} → ${res.statusCode}`).toContain(res.statusCode);
      }
      // Internal knowledge-base articles stay in: the list answers public ones only.
      const kb = await c.get('/api/kb/articles');
      if (kb.statusCode === 200) expect(JSON.stringify(kb.json())).not.toContain('"visibility":"internal"');
    }
  });

  it('refuses writes on tickets not dispatched to them, and the ticket course on their own', async () => {
    const eng = people.hj_engineer.c;
    expect((await eng.post(`/api/tickets/${tk.theirs}/comments`, { body: '看看', internal: true })).statusCode).toBe(404);
    expect((await eng.post(`/api/tickets/${tk.mine}/comments`, { body: '已电话联系客户，明早到', internal: true })).statusCode).toBe(201);
    const reply = await eng.post(`/api/tickets/${tk.mine}/comments`, { body: '您好', internal: false });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.message).toBe('服务商人员只能写内部备注，回复客户由本公司完成');
    expect((await eng.patch(`/api/tickets/${tk.mine}`, { title: '改名' })).statusCode).toBe(403);
    expect((await eng.post(`/api/tickets/${tk.mine}/transitions`, { to: 'in_progress' })).statusCode).toBe(403);
    expect((await eng.post(`/api/tickets/${tk.mine}/solution`, { solution: '更换电容' })).statusCode).toBe(403);
    expect((await eng.post(`/api/tickets/${tk.mine}/subtasks`, { departmentId: t.departments.logistics, title: 'x' })).statusCode).toBe(403);
    expect((await eng.post('/api/tickets', { title: 'x', description: 'y', customerId: t.customers.own })).statusCode).toBe(403);
    const m = multipart('other.txt', 'x');
    expect((await eng.request('POST', `/api/tickets/${tk.theirs}/attachments`, m.payload, { 'content-type': m.contentType })).statusCode).toBe(404);
    // Their own visit's steps, yes; another's, no.
    const v = (await eng.get(`/api/visits/${visit.mine}`)).json();
    expect((await eng.post(`/api/visits/${visit.mine}/steps`, { step: 'accepted', version: v.version })).statusCode).toBe(200);
    expect((await eng.post(`/api/visits/${visit.theirs}/steps`, { step: 'accepted', version: 1 })).statusCode).toBe(404);
  });

  it("lets the provider's dispatcher assign among its own engineers only, and not cancel", async () => {
    const disp = people.hj_dispatcher.c;
    const v = (await disp.get(`/api/visits/${visit.mine}`)).json();
    const toOurs = await disp.post(`/api/visits/${visit.mine}/reschedule`, { engineerId: t.as.engineer2.userId, windowStart: bj(26, 9), windowEnd: bj(26, 11), reason: '改派', version: v.version });
    expect(toOurs.statusCode).toBe(403);
    expect(toOurs.json().error.message).toBe('只能派给本服务商的工程师');
    const moved = await disp.post(`/api/visits/${visit.mine}/reschedule`, { engineerId: people.hj_engineer2.id, windowStart: bj(26, 9), windowEnd: bj(26, 11), reason: '王师傅休假，改派', version: v.version });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ engineer: { id: people.hj_engineer2.id }, provider: { id: huajun } });
    expect((await disp.post(`/api/visits/${visit.elsewhere}/reschedule`, { windowStart: bj(27, 9), windowEnd: bj(27, 11), reason: 'x', version: 1 })).statusCode).toBe(404);
    expect((await disp.post(`/api/visits/${visit.mine}/cancel`, { reason: '不做了', version: moved.json().version })).statusCode).toBe(403);
    expect((await book(tk.theirs, people.hj_engineer.id, 27, disp)).statusCode).toBe(404);
    expect((await book(tk.mine, t.as.engineer.userId, 27, disp)).statusCode).toBe(403);
    // The engineer it was taken from no longer sees the visit; the ticket stays their provider's.
    expect((await people.hj_engineer.c.get(`/api/visits/${visit.mine}`)).statusCode).toBe(404);
    expect((await people.hj_engineer.c.get(`/api/tickets/${tk.mine}`)).statusCode).toBe(200);
    expect((await people.hj_dispatcher.c.put(`/api/dispatch/engineers/${people.hj_engineer.id}/profile`, { area: '浦东新区', productLines: ['ac'] })).statusCode).toBe(403);
  });

  it("ranks the providers' engineers among ours with their reasons, marked external", async () => {
    const res = await t.as.supervisor.get(`/api/tickets/${tk.theirs}/visit-suggestions?from=2026-11-23&area=${encodeURIComponent('闵行区')}`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { engineer: { id: number; provider: { name: string } | null }; reasons: { code: string; text: string }[] }[];
    const hj = items.find((i) => i.engineer.id === people.hj_engineer2.id)!;
    expect(hj.engineer.provider?.name).toBe('华君安装服务公司');
    // The provider's registration covers the area and the product line though the engineer has no profile of their own.
    expect(hj.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['product_line', 'same_area', 'external']));
    expect(hj.reasons.find((r) => r.code === 'external')!.text).toBe('外部服务商：华君安装服务公司');
    expect(items.find((i) => i.engineer.id === t.as.engineer.userId)!.engineer.provider).toBeNull();
    // Their own dispatcher ranks among their engineers only.
    const own = (await people.hj_dispatcher.c.get(`/api/tickets/${tk.mine}/visit-suggestions?from=2026-11-23`)).json().items as { engineer: { id: number } }[];
    expect(own.map((i) => i.engineer.id).sort()).toEqual([people.hj_engineer.id, people.hj_engineer2.id].sort());
  });

  it('a cancelled visit takes the ticket away; deactivating the provider ends its people\'s access', async () => {
    const v = (await t.as.supervisor.get(`/api/visits/${visit.elsewhere}`)).json();
    const df = people.df_engineer.c;
    expect((await df.get(`/api/tickets/${tk.elsewhere}`)).statusCode).toBe(200);
    expect((await t.as.supervisor.post(`/api/visits/${visit.elsewhere}/cancel`, { reason: '客户改约本公司', version: v.version })).statusCode).toBe(200);
    expect((await df.get(`/api/tickets/${tk.elsewhere}`)).statusCode).toBe(404);
    expect((await df.get('/api/tickets?limit=200')).json().items).toEqual([]);

    const p = (await t.as.manager.get(`/api/providers/${huajun}`)).json();
    const off = await t.as.manager.patch(`/api/providers/${huajun}`, { active: false, version: p.version });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false, people: 0 });
    expect((await people.hj_engineer2.c.get(`/api/tickets/${tk.mine}`)).statusCode).toBe(401);
    const stale = await t.as.manager.patch(`/api/providers/${huajun}`, { active: true, version: p.version });
    expect(stale.statusCode).toBe(409);
  });

  it('keeps engineer profiles (home area, areas, product lines) and the travel gaps, with translated errors', async () => {
    const saved = await t.as.manager.request('PUT', `/api/dispatch/engineers/${t.as.engineer.userId}/profile`, { area: '浦东新区', areas: ['闵行区', '闵行区'], productLines: ['ac'] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ area: '浦东新区', areas: ['闵行区'], productLines: ['ac'], provider: null });
    const list = (await t.as.dispatcher.get('/api/field/engineers')).json().items as { id: number; areas: string[]; provider: { name: string } | null }[];
    expect(list.find((e) => e.id === t.as.engineer.userId)!.areas).toEqual(['闵行区']);
    expect(list.find((e) => e.id === people.hj_engineer.id)!.provider?.name).toBe('华君安装服务公司');

    expect((await t.as.admin.get('/api/field/settings')).json()).toEqual({ minGapMinutes: 30, areaGaps: [] });
    const same = await t.as.manager.request('PUT', '/api/field/settings', { minGapMinutes: 40, areaGaps: [{ from: '浦东新区', to: '浦东新区', minutes: 20 }] }, { 'accept-language': 'zh-CN' });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.fields['areaGaps.0.to']).toBe('两个区域不能相同');
    const twice = await t.as.manager.request('PUT', '/api/field/settings', { minGapMinutes: 40, areaGaps: [{ from: '浦东新区', to: '闵行区', minutes: 60 }, { from: '闵行区', to: '浦东新区', minutes: 50 }] }, { 'accept-language': 'en' });
    expect(twice.json().error.fields['areaGaps.1.to']).toBe('This pair of areas is set already');
    const negative = await t.as.manager.request('PUT', '/api/field/settings', { minGapMinutes: -5, areaGaps: [] });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.fields.minGapMinutes).toBeDefined();
    expect((await t.as.dispatcher.request('PUT', '/api/field/settings', { minGapMinutes: 45, areaGaps: [] })).statusCode).toBe(403);
    const ok = await t.as.manager.request('PUT', '/api/field/settings', { minGapMinutes: 45, areaGaps: [{ from: '浦东新区', to: '闵行区', minutes: 70 }] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ minGapMinutes: 45, areaGaps: [{ from: '浦东新区', to: '闵行区', minutes: 70 }] });
    // The board reads the new default at once.
    expect((await t.as.supervisor.get('/api/dispatch/board?from=2026-11-23&days=1')).json().minGapMinutes).toBe(45);
  });

  it('keeps the list of GET routes checked above complete', () => {
    // Every GET route with its verdict for a provider's people: 'ticket' = scoped by ticket visibility (tried above),
    // 'denied' = refused by permission (tried above), 'own' = the caller's own data, 'public' = no ticket data.
    const verdicts: Record<string, 'ticket' | 'denied' | 'own' | 'public'> = {
      '/api/tickets': 'ticket', '/api/tickets/count': 'ticket', '/api/tickets/:number': 'ticket', '/api/tickets/:number/events': 'ticket',
      '/api/tickets/:number/comments': 'ticket', '/api/tickets/:number/attachments': 'ticket', '/api/tickets/:number/subtasks': 'denied',
      '/api/tickets/:number/visits': 'ticket', '/api/tickets/:number/messages': 'ticket', '/api/tickets/:number/survey': 'ticket',
      '/api/tickets/:number/survey/form': 'ticket', '/api/tickets/:number/visit-suggestions': 'ticket', '/api/attachments/:id': 'ticket',
      '/api/visits/:id': 'ticket', '/api/visits/:id/acceptance': 'ticket', '/api/tickets/:number/links': 'ticket', '/api/visits/mine': 'own', '/api/dispatch/board': 'ticket', '/api/dispatch/free-slots': 'ticket', '/api/kb/suggest': 'ticket',
      '/api/units': 'denied', '/api/units/:id': 'denied', '/api/units/lookup': 'denied', '/api/products': 'denied', '/api/products/:id': 'denied',
      '/api/parts': 'denied', '/api/parts/:id': 'denied', '/api/parts/:id/stock': 'denied', '/api/stock/moves': 'denied', '/api/stock/mine': 'denied',
      '/api/stock-locations': 'denied', '/api/stock-locations/:id/stock': 'denied', '/api/stock/alerts': 'denied', '/api/customers': 'denied',
      '/api/customers/:id': 'denied', '/api/customers/lookup': 'denied', '/api/customers/:id/accounts': 'denied', '/api/customers/:id/message-preferences': 'denied',
      '/api/users': 'denied', '/api/departments': 'denied', '/api/reports/satisfaction': 'denied', '/api/reports/satisfaction/answers': 'denied',
      '/api/reports/parts/consumption': 'denied', '/api/reports/parts/turnover': 'denied', '/api/survey-follow-ups': 'denied', '/api/kb/stats': 'denied',
      '/api/routing/rules': 'denied', '/api/sla/policies': 'denied', '/api/admin/settings': 'denied', '/api/providers': 'denied', '/api/providers/:id': 'denied',
      '/api/providers/:id/people': 'denied', '/api/field/engineers': 'denied', '/api/field/settings': 'denied', '/api/webhooks': 'denied',
      '/api/admin/message-channels': 'denied', '/api/admin/message-templates': 'denied', '/api/admin/survey-form': 'denied', '/api/admin/survey-form/versions/:version': 'denied',
      '/api/products/:model/installation-checklist': 'denied', '/api/inspection-plans': 'denied', '/api/inspection-plans/:id': 'denied',
      '/api/care/contacts': 'denied', '/api/reports/repeat-repairs': 'denied', '/api/settlements': 'denied', '/api/settlements/monthly': 'denied', '/api/settlements/monthly/export': 'denied', '/api/tickets/:number/rmas': 'denied', '/api/rmas': 'denied',
      '/api/rmas/:id': 'denied', '/api/rmas/:id/goods': 'denied', '/api/tickets/:number/take-backs': 'denied', '/api/loaners': 'denied', '/api/loans': 'denied',
      '/api/portal/tickets/:number/rmas': 'own', '/api/tickets/:number/quotes': 'own', '/api/visits/:id/report': 'ticket',
      '/api/kb/articles/:id/revisions': 'denied', '/api/kb/articles/:id/revisions/:revision': 'denied', '/api/kb/articles/:id/diff': 'denied',
      '/api/me': 'own', '/api/auth/tokens': 'own', '/api/notifications': 'own', '/api/notifications/groups': 'own', '/api/notifications/preferences': 'own',
      '/api/notifications/stream': 'own', '/api/messages/preferences': 'own', '/api/portal/session': 'own', '/api/portal/units': 'own',
      '/api/categories': 'public', '/api/fault-classes': 'public', '/api/kb/articles': 'public', '/api/kb/articles/:id': 'public', '/api/kb/lines': 'public',
      '/api/sla/calendars': 'public', '/api/public/surveys/:token': 'public', '/api/messages/unsubscribe/:token': 'public', '/api/portal/link': 'public',
      '/api/health': 'public', '/api/ready': 'public', '/api/metrics': 'public', '/api/openapi.json': 'public', '/api/docs': 'public',
    };
    const gets = Object.entries((t.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger().paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([path]) => path.replace(/\{(\w+)\}/g, ':$1'))
      .filter((p) => p.startsWith('/api/'));
    expect(gets.length).toBeGreaterThan(50);
    expect(gets.filter((p) => !(p in verdicts))).toEqual([]);
  });
});

// The queue and search are answered by a read worker in production (SQLite): the provider's scope crosses the thread.
describe('service network through the read worker', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it("answers a provider's engineer's queue, search and count with their tickets only", async () => {
    t = await createTestApp({ dialect: 'sqlite', readWorkers: 1 });
    // The worker is up before the calls: what is checked is its answer, not the server thread's.
    await t.services.readers!.ready();
    const provider = (await t.as.manager.post('/api/providers', { name: '华君安装服务公司' })).json().id;
    const person = (await t.as.manager.post(`/api/providers/${provider}/people`, { username: 'hj_worker', displayName: '华君 张师傅', role: 'engineer', password: 'provider-pass-2026' })).json();
    const { token } = await t.services.auth.createToken(actorOf(await t.services.auth.userRow(person.id)), { name: 'test' });
    const eng = client(t.app, token);
    const numbers: string[] = [];
    for (const title of ['华君的安装', '别人的维修']) {
      const res = await t.as.agent.post('/api/tickets', { title, description: title, customerId: t.customers.own, priority: 'P3', departmentId: t.departments.tech_support });
      numbers.push(res.json().number);
    }
    expect((await t.as.supervisor.post(`/api/tickets/${numbers[0]}/visits`, { engineerId: person.id, windowStart: bj(24, 9), windowEnd: bj(24, 11), address: '上海市闵行区' })).statusCode).toBe(201);
    for (const url of ['/api/tickets?limit=200', '/api/tickets?view=all&limit=200', `/api/tickets?q=${encodeURIComponent('维修')}`]) {
      const items = (await eng.get(url)).json().items as { number: string }[];
      expect(items.every((x) => x.number === numbers[0]), url).toBe(true);
    }
    expect((await eng.get('/api/tickets/count')).json().count).toBe(1);
  });
});
