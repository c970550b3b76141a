// Settlement (收费与结算, issue 16): the month's finished visits with their charges and parts for the reviewer, the
// decision on each (refused on charges that changed since they were listed, a retry changes nothing, a change
// afterwards puts the visit up again), the timeline, and the month per engineer and per provider as JSON, CSV, XLSX.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Beijing
const bj = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 8, mm)).toISOString();

describe.each(TEST_DIALECTS)('settlement on %s', (dialect) => {
  let t: TestApp;
  let number: string;
  let partId: number;
  let paidVisit: number;
  let openVisit: number;
  let providerId: number;

  const step = async (who: string, id: number, s: string) => {
    const v = (await t.as[who]!.get(`/api/visits/${id}`)).json();
    const res = await t.as[who]!.post(`/api/visits/${id}/steps`, { step: s, version: v.version });
    expect(res.statusCode, res.body).toBe(200);
  };
  const book = async (engineer: string, day: number) => {
    const res = await t.as.dispatcher.post(`/api/tickets/${number}/visits`, { engineerId: t.as[engineer]!.userId, windowStart: bj(day, 9), windowEnd: bj(day, 11), address: '上海市浦东新区世纪大道100号', area: '浦东' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const list = async (query = '') => {
    const res = await t.as.manager.get(`/api/settlements?month=2026-11${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as { visitId: number; state: string; fingerprint: string; charged: number; collected: number; partsCost: number; labour: number; partsBilled: number; review: { state: string; stale: boolean; note: string | null } | null; provider: { id: number } | null }[];
  };
  const item = async (id: number) => (await list()).find((i) => i.visitId === id)!;
  const decide = (id: number, body: Record<string, unknown>, who = 'manager', lang = 'zh-CN') => t.as[who]!.post(`/api/settlements/${id}/decision`, body, { 'accept-language': lang });
  const settlementEvents = async () => ((await t.as.admin.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string; internal: boolean }[]).filter((e) => e.kind === 'settlement_reviewed');

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    t.clock.set(MONDAY_10);
    const model = 'KFR-35GW/BP3DN8Y';
    await t.db.write(async (trx) => {
      await trx.deleteFrom('products').where('model', '=', model).execute();
      await trx.insertInto('products').values({ model, name: '变频挂壁式空调 1.5匹', line: 'ac', warranty_months: 12, callout_fee: 5000, labour_fees: JSON.stringify({ hardware: 8000 }) }).execute();
    });
    // Bought in 2024 with an invoice: out of warranty, so the work is charged.
    const unit = await t.db.write((trx) =>
      trx.insertInto('units').values({ customer_id: t.customers.own, product_model: model, serial_number: 'SN-ST-0001', purchase_date: '2024-03-01', proof_ref: 'INV-2024-9', created_at: MONDAY_10 }).returning('id').executeTakeFirstOrThrow(),
    );
    const res = await t.as.agent.post('/api/tickets', { title: '空调不制冷', description: '压缩机不启动', customerId: t.customers.own, priority: 'P3', productModel: model, departmentId: t.departments.tech_support });
    expect(res.statusCode, res.body).toBe(201);
    number = res.json().number;
    await t.db.write((trx) => trx.updateTable('tickets').set({ unit_id: unit.id }).where('number', '=', number).execute());
    await t.as.agent.post(`/api/tickets/${number}/subtasks`, { departmentId: t.departments.logistics, ownerId: t.as.dispatcher.userId, title: '安排上门' });
    const warehouse = (await t.as.manager.post('/api/stock-locations', { code: 'WH-ST', name: '上海中心仓', kind: 'warehouse' })).json().id;
    const van = (await t.as.manager.post('/api/stock-locations', { code: 'VAN-ST1', name: '工程师车载库', kind: 'van', ownerId: t.as.engineer.userId })).json().id;
    partId = (await t.as.manager.post('/api/parts', { code: 'AC-CAP-35', nameZh: '压缩机启动电容 35μF', uom: 'piece', unitCost: 2000, listPrice: 4500, productModels: [model] })).json().id;
    await t.as.manager.post('/api/stock/moves', { kind: 'receive', partId, qty: 10, toLocationId: warehouse });
    await t.as.dispatcher.post('/api/stock/moves', { kind: 'transfer', partId, qty: 3, fromLocationId: warehouse, toLocationId: van });

    // Engineer 2 works for an outside service provider.
    providerId = await t.db.write(async (trx) => {
      const p = await trx.insertInto('service_providers').values({ name: '华君安装服务公司', contact_name: null, contact_phone: null, areas: '[]', product_lines: '[]', note: null, active: 1, created_at: MONDAY_10, updated_at: MONDAY_10 }).returning('id').executeTakeFirstOrThrow();
      await trx.updateTable('users').set({ provider_id: p.id }).where('id', '=', t.as.engineer2!.userId).execute();
      return p.id;
    });

    // Visit 1: engineer 1 uses a part, quotes, is paid and leaves — the job to settle.
    paidVisit = await book('engineer', 24);
    for (const s of ['accepted', 'departed', 'arrived']) await step('engineer', paidVisit, s);
    expect((await t.as.engineer.post(`/api/visits/${paidVisit}/parts-used`, { partId, qty: 1 }, { 'idempotency-key': 'st-use-1' })).statusCode).toBe(200);
    const report = await t.as.engineer.request('PUT', `/api/visits/${paidVisit}/report`, { diagnosis: '启动电容失效', cause: '电容老化', faultClass: 'hardware', workDone: '更换启动电容', version: 0 });
    expect(report.statusCode, report.body).toBe(200);
    expect((await t.as.engineer.post(`/api/visits/${paidVisit}/quote`)).statusCode).toBe(200);
    expect((await t.as.engineer.post(`/api/visits/${paidVisit}/quote/accept`, { name: '张伟' })).statusCode).toBe(200);
    await step('engineer', paidVisit, 'work_done');
    const paid = await t.as.engineer.post(`/api/visits/${paidVisit}/payment`, { method: 'cash', amount: 17500 });
    expect(paid.statusCode, paid.body).toBe(200);
    await step('engineer', paidVisit, 'left');
    // Visit 2: the provider's engineer finishes without charges. Visit 3: booked, not done.
    const provided = await book('engineer2', 25);
    for (const s of ['accepted', 'departed', 'arrived', 'work_done', 'left']) await step('engineer2', provided, s);
    openVisit = await book('engineer', 26);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the month’s finished visits with what was charged, collected and used; only settlement reviewers', async () => {
    const items = await list();
    expect(items.map((i) => i.visitId)).not.toContain(openVisit);
    expect(items).toHaveLength(2);
    const paid = items.find((i) => i.visitId === paidVisit)!;
    expect(paid).toMatchObject({ state: 'pending', review: null, charged: 5000 + 8000 + 4500, collected: 17500, labour: 13000, partsBilled: 4500, partsCost: 2000, provider: null });
    expect(items.find((i) => i.visitId !== paidVisit)).toMatchObject({ charged: 0, collected: 0, partsCost: 0, provider: { id: providerId } });
    expect((await list(`&providerId=${providerId}`)).map((i) => i.visitId)).not.toContain(paidVisit);
    expect((await list('&state=approved'))).toEqual([]);
    for (const who of ['agent', 'engineer', 'dispatcher', 'supervisor', 'qa', 'customer']) {
      expect((await t.as[who]!.get('/api/settlements?month=2026-11')).statusCode, who).toBe(403);
      expect((await decide(paidVisit, { decision: 'approved', fingerprint: paid.fingerprint }, who)).statusCode, who).toBe(403);
    }
    const bad = await t.as.manager.get('/api/settlements?month=2026-13', { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.month).toBe('Use the month as YYYY-MM');
  });

  it('rejects with a reason only, approves what was listed, and a retry adds nothing to the timeline', async () => {
    const before = await item(paidVisit);
    const noReason = await decide(paidVisit, { decision: 'rejected', fingerprint: before.fingerprint }, 'manager', 'en');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.note).toBe('A rejection needs a reason for the engineer to correct');
    const rejected = await decide(paidVisit, { decision: 'rejected', note: '收据号与实收不符', fingerprint: before.fingerprint });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ state: 'rejected', review: { state: 'rejected', note: '收据号与实收不符', stale: false } });
    const approved = await decide(paidVisit, { decision: 'approved', fingerprint: before.fingerprint });
    expect(approved.json()).toMatchObject({ state: 'approved', review: { state: 'approved', note: null } });
    const again = await decide(paidVisit, { decision: 'approved', fingerprint: before.fingerprint });
    expect(again.statusCode).toBe(200);
    const events = await settlementEvents();
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.internal)).toBe(true);
    const theirs = ((await t.as.customer.get(`/api/tickets/${number}/events?limit=200`)).json().items ?? []) as { kind: string }[];
    expect(theirs.some((e) => e.kind === 'settlement_reviewed')).toBe(false);
    expect((await decide(openVisit, { decision: 'approved', fingerprint: 'c0|' })).statusCode).toBe(409);
    expect((await decide(999_999, { decision: 'approved', fingerprint: 'c0|' })).statusCode).toBe(404);
  });

  it('puts a visit up again when its charges change after the decision, and refuses a decision on the old figures', async () => {
    const approved = await item(paidVisit);
    expect(approved.state).toBe('approved');
    // A correction of the charges (what the visit-report module does on any change of them: a new version).
    await t.db.write((trx) => trx.updateTable('visit_charges').set((eb) => ({ version: eb('version', '+', 1), paid_amount: 17000 })).where('visit_id', '=', paidVisit).execute());
    const changed = await item(paidVisit);
    expect(changed).toMatchObject({ state: 'pending', collected: 17000, review: { state: 'approved', stale: true } });
    const old = await decide(paidVisit, { decision: 'approved', fingerprint: approved.fingerprint }, 'manager', 'en');
    expect(old.statusCode).toBe(409);
    expect(old.json().error.message).toContain('changed after you opened them');
    expect((await decide(paidVisit, { decision: 'approved', fingerprint: changed.fingerprint })).json().state).toBe('approved');
  });

  it('settles the month per engineer and per provider, the total being the sum, and exports it', async () => {
    const byEngineer = (await t.as.director.get('/api/settlements/monthly?month=2026-11&by=engineer')).json();
    const mine = byEngineer.rows.find((r: { id: number }) => r.id === t.as.engineer.userId);
    expect(mine).toMatchObject({ visits: 1, approved: 1, pending: 0, charged: 17500, collected: 17000, difference: -500, labour: 13000, partsCost: 2000 });
    expect(byEngineer.rows.find((r: { id: number }) => r.id === t.as.engineer2!.userId)).toMatchObject({ visits: 1, approved: 0, pending: 1, charged: 0 });
    const byProvider = (await t.as.director.get('/api/settlements/monthly?month=2026-11&by=provider')).json();
    expect(byProvider.rows.map((r: { id: number | null; name: string }) => [r.id, r.name]).sort()).toEqual([[null, '本公司工程师'], [providerId, '华君安装服务公司']].sort());
    for (const m of [byEngineer, byProvider]) {
      for (const k of ['visits', 'approved', 'pending', 'charged', 'collected', 'partsCost']) expect(m.total[k], k).toBe(m.rows.reduce((s: number, r: Record<string, number>) => s + r[k], 0));
    }
    expect((await t.as.manager.get('/api/settlements/monthly?month=2026-10')).json()).toMatchObject({ rows: [], total: { visits: 0 } });

    const csv = await t.as.manager.get('/api/settlements/monthly/export?month=2026-11&by=provider&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="settlement-2026-11-provider.csv"');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('按服务商,上门数,已审核,待审核,已驳回,应收（元）,实收（元）,差额（元）,上门与工时费（元）,备件收费（元）,备件成本（元）');
    expect(lines.at(-1)).toBe('合计,2,1,1,0,175,170,-5,130,45,20');

    const xlsx = await t.app.inject({ method: 'GET', url: '/api/settlements/monthly/export?month=2026-11&by=engineer&format=xlsx', headers: { authorization: `Bearer ${t.as.manager.token}`, 'accept-language': 'en' } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('By engineer');
    const last = ws.getRow(ws.rowCount);
    expect([last.getCell(1).value, last.getCell(2).value, last.getCell(6).value, last.getCell(7).value]).toEqual(['Total', 2, 175, 170]);
    expect((await t.as.engineer.get('/api/settlements/monthly/export?month=2026-11')).statusCode).toBe(403);
  });
});
