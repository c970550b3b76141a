// Spare parts (issue 16, SPEC §9): the catalog, warehouses and vans, stock moves with their refusals, reservations for
// a ticket, idempotent retries, the last unit reserved twice at once, the append-only ledger that folds to the
// balances, low-stock alerts once per crossing, and the consumption / turnover reports with their exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldLedger, type LedgerEntry } from '../../src/server/domain/stock.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z');

describe.each(TEST_DIALECTS)('spare parts on %s', (dialect) => {
  let t: TestApp;
  let warehouse: number;
  let van: number;
  let van2: number;
  let partId: number;
  let ticketNumber: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    t.clock.set(MONDAY_10);
    await t.db.write((trx) =>
      trx
        .insertInto('products')
        .values([
          { model: 'KFR-35GW/BP3DN8Y', name: '挂式空调', line: 'air_conditioner', warranty_months: 12 },
          { model: 'XQG100-BD14126L', name: '滚筒洗衣机', line: 'washer', warranty_months: 12 },
        ])
        .execute(),
    );
    const ticket = await t.as.agent.post('/api/tickets', { title: '空调不启动', description: '压缩机不启动，疑似电容损坏', customerId: t.customers.own, priority: 'P3' });
    expect(ticket.statusCode, ticket.body).toBe(201);
    ticketNumber = ticket.json().number;
  });
  afterAll(async () => {
    await t?.close();
  });

  const move = (who: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => t.as[who]!.post('/api/stock/moves', body, headers);
  const stockAt = async (loc: number, part = partId) => {
    const items = (await t.as.manager.get(`/api/parts/${part}/stock`)).json().items as { location: { id: number }; onHand: number; reserved: number; available: number; low: boolean }[];
    const row = items.find((i) => i.location.id === loc);
    return row ? { onHand: row.onHand, reserved: row.reserved, available: row.available, low: row.low } : null;
  };

  it('keeps a catalog that managers edit and everyone on staff searches; models must be known products', async () => {
    const body = { code: 'AC-CAP-35', nameZh: '空调压缩机电容 35μF', nameEn: 'Compressor capacitor 35 μF', uom: 'piece', unitCost: 1850, listPrice: 4500, lowStockThreshold: 5, productModels: ['KFR-35GW/BP3DN8Y'] };
    expect((await t.as.engineer.post('/api/parts', body)).statusCode).toBe(403);
    const unknown = await t.as.manager.post('/api/parts', { ...body, productModels: ['NO-SUCH'] }, { 'accept-language': 'en' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.productModels).toContain('NO-SUCH');
    const created = await t.as.manager.post('/api/parts', body);
    expect(created.statusCode, created.body).toBe(201);
    partId = created.json().id;
    expect(created.json()).toMatchObject({ code: 'AC-CAP-35', unitCost: 1850, listPrice: 4500, productModels: ['KFR-35GW/BP3DN8Y'], stock: { onHand: 0, reserved: 0, available: 0 } });
    const dup = await t.as.manager.post('/api/parts', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('AC-CAP-35');
    await t.as.manager.post('/api/parts', { code: 'WM-SEAL-01', nameZh: '洗衣机门封圈', uom: 'piece', unitCost: 6000, listPrice: 12000, productModels: ['XQG100-BD14126L'] });

    const byName = (await t.as.qa.get(`/api/parts?q=${encodeURIComponent('电容')}`)).json().items.map((p: { code: string }) => p.code);
    expect(byName).toEqual(['AC-CAP-35']);
    const byModel = (await t.as.agent.get(`/api/parts?productModel=${encodeURIComponent('XQG100-BD14126L')}`)).json().items.map((p: { code: string }) => p.code);
    expect(byModel).toEqual(['WM-SEAL-01']);
    const patched = await t.as.manager.patch(`/api/parts/${partId}`, { listPrice: 4800 });
    expect(patched.json()).toMatchObject({ listPrice: 4800, unitCost: 1850, nameZh: '空调压缩机电容 35μF', lowStockThreshold: 5, active: true, productModels: ['KFR-35GW/BP3DN8Y'] });
    expect((await t.as.customer.get('/api/parts')).statusCode).toBe(403);
  });

  it('has warehouses and vans; a van belongs to an engineer', async () => {
    const wh = await t.as.manager.post('/api/stock-locations', { code: 'WH-SH', name: '上海中心仓', kind: 'warehouse' });
    expect(wh.statusCode, wh.body).toBe(201);
    warehouse = wh.json().id;
    const notEngineer = await t.as.manager.post('/api/stock-locations', { code: 'VAN-X', name: '客服的车', kind: 'van', ownerId: t.as.agent.userId });
    expect(notEngineer.statusCode).toBe(400);
    van = (await t.as.manager.post('/api/stock-locations', { code: 'VAN-01', name: '工程师车载库', kind: 'van', ownerId: t.as.engineer.userId })).json().id;
    van2 = (await t.as.manager.post('/api/stock-locations', { code: 'VAN-02', name: '工程师2车载库', kind: 'van', ownerId: t.as.engineer2.userId })).json().id;
    const list = (await t.as.engineer.get('/api/stock-locations')).json().items;
    expect(list.map((l: { code: string }) => l.code)).toEqual(['WH-SH', 'VAN-01', 'VAN-02']);
    expect(list[1].owner).toEqual({ id: t.as.engineer.userId, name: expect.any(String) });
  });

  it('receives into a warehouse (management only) and lets an engineer take parts into their own van, not into another', async () => {
    expect((await move('engineer', { kind: 'receive', partId, qty: 10, toLocationId: warehouse })).statusCode).toBe(403);
    const received = await move('manager', { kind: 'receive', partId, qty: 10, toLocationId: warehouse });
    expect(received.statusCode, received.body).toBe(201);
    expect(received.json().balances).toEqual([expect.objectContaining({ onHand: 10, reserved: 0, available: 10 })]);
    const took = await move('engineer', { kind: 'transfer', partId, qty: 4, fromLocationId: warehouse, toLocationId: van });
    expect(took.statusCode, took.body).toBe(201);
    expect((await move('engineer2', { kind: 'transfer', partId, qty: 1, fromLocationId: warehouse, toLocationId: van })).statusCode).toBe(403);
    expect((await move('engineer', { kind: 'transfer', partId, qty: 1, fromLocationId: warehouse, toLocationId: van2 })).statusCode).toBe(403);
    expect(await stockAt(warehouse)).toMatchObject({ onHand: 6, available: 6 });
    expect(await stockAt(van)).toMatchObject({ onHand: 4, available: 4 });
    const mine = (await t.as.engineer.get('/api/stock/mine')).json();
    expect(mine.locations.map((l: { id: number }) => l.id)).toEqual([van]);
    expect(mine.items).toEqual([expect.objectContaining({ partCode: 'AC-CAP-35', onHand: 4 })]);
  });

  it('refuses to consume more than the van has, naming what is available, in both languages, and changes nothing', async () => {
    const zh = await move('engineer', { kind: 'consume', partId, qty: 5, fromLocationId: van, ticketNumber });
    expect(zh.statusCode).toBe(409);
    expect(zh.json().error.code).toBe('insufficient_stock');
    expect(zh.json().error.message).toBe('库存不足：工程师车载库 的 AC-CAP-35 空调压缩机电容 35μF 可用 4，需要 5');
    expect(zh.json().error.fields.qty).toBe('库存不足，可用 4');
    const en = await move('engineer', { kind: 'consume', partId, qty: 5, fromLocationId: van, ticketNumber }, { 'accept-language': 'en' });
    expect(en.json().error.message).toContain('has 4 available, 5 needed');
    expect(await stockAt(van)).toMatchObject({ onHand: 4, reserved: 0 });
    // A consumption is for a job: without a ticket or visit it is refused before anything else.
    expect((await move('engineer', { kind: 'consume', partId, qty: 1, fromLocationId: van })).json().error.fields.ticketNumber).toBeTruthy();
  });

  it('reserves for a ticket, and consuming on that ticket uses the reservation first', async () => {
    const reserved = await move('dispatcher', { kind: 'reserve', partId, qty: 2, fromLocationId: van, ticketNumber });
    expect(reserved.statusCode, reserved.body).toBe(201);
    expect(await stockAt(van)).toMatchObject({ onHand: 4, reserved: 2, available: 2 });
    // Another job cannot take the reserved units.
    const other = await t.as.agent.post('/api/tickets', { title: '另一台空调', description: '同样的故障', customerId: t.customers.own, priority: 'P3' });
    const otherNumber = other.json().number;
    expect((await move('engineer', { kind: 'consume', partId, qty: 3, fromLocationId: van, ticketNumber: otherNumber })).statusCode).toBe(409);
    expect((await move('engineer', { kind: 'release', partId, qty: 1, fromLocationId: van, ticketNumber: otherNumber })).statusCode).toBe(409);
    const used = await move('engineer', { kind: 'consume', partId, qty: 3, fromLocationId: van, ticketNumber });
    expect(used.statusCode, used.body).toBe(201);
    expect(used.json().move).toMatchObject({ kind: 'consume', qty: 3, reservedDelta: -2, unitCost: 1850, ticketNumber });
    expect(await stockAt(van)).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
  });

  it('a retry with the same Idempotency-Key never makes a second move', async () => {
    const key = { 'idempotency-key': 'return-unused-1' };
    const first = await move('engineer', { kind: 'return', partId, qty: 1, fromLocationId: van, toLocationId: warehouse, reason: '未使用，退回' }, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await move('engineer', { kind: 'return', partId, qty: 1, fromLocationId: van, toLocationId: warehouse, reason: '未使用，退回' }, key);
    expect(again.statusCode).toBe(200);
    expect(again.json().move.id).toBe(first.json().move.id);
    expect(await stockAt(van)).toMatchObject({ onHand: 0 });
    expect(await stockAt(warehouse)).toMatchObject({ onHand: 7 });
  });

  it('two concurrent reserves of the last unit: exactly one wins', async () => {
    const last = (await t.as.manager.post('/api/parts', { code: 'AC-DRAIN-2M', nameZh: '排水管 2 米', uom: 'piece', unitCost: 800, listPrice: 2000 })).json().id;
    expect((await move('manager', { kind: 'receive', partId: last, qty: 1, toLocationId: warehouse })).statusCode).toBe(201);
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        move('dispatcher', { kind: 'reserve', partId: last, qty: 1, fromLocationId: warehouse, ticketNumber }),
        move('supervisor', { kind: 'reserve', partId: last, qty: 1, fromLocationId: warehouse, ticketNumber }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      expect(await stockAt(warehouse, last)).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
      expect((await move('dispatcher', { kind: 'release', partId: last, qty: 1, fromLocationId: warehouse, ticketNumber })).statusCode).toBe(201);
    }
  });

  it('adjusts to a counted quantity with a reason, and the ledger folds to every balance; it cannot be edited', async () => {
    expect((await move('manager', { kind: 'adjust', partId, countedQty: 5, toLocationId: warehouse })).json().error.fields.reason).toBeTruthy();
    const adj = await move('manager', { kind: 'adjust', partId, countedQty: 5, toLocationId: warehouse, reason: '月度盘点，2 个损坏报废' });
    expect(adj.json().move).toMatchObject({ kind: 'adjust', qty: 2, from: { id: warehouse }, to: null });
    const rows = await t.db.read.selectFrom('stock_moves').selectAll().orderBy('id').execute();
    const folded = foldLedger(rows.map((r): LedgerEntry => ({ kind: r.kind as LedgerEntry['kind'], qty: r.qty, from: r.from_location_id, to: r.to_location_id, reservedDelta: r.reserved_delta })));
    const stock = await t.db.read.selectFrom('part_stock').selectAll().execute();
    for (const s of stock) {
      const mine = foldLedger(rows.filter((r) => r.part_id === s.part_id).map((r): LedgerEntry => ({ kind: r.kind as LedgerEntry['kind'], qty: r.qty, from: r.from_location_id, to: r.to_location_id, reservedDelta: r.reserved_delta })));
      expect(mine.get(s.location_id) ?? { onHand: 0, reserved: 0 }).toEqual({ onHand: s.on_hand, reserved: s.reserved });
    }
    expect(folded.size).toBeGreaterThan(0);
    await expect(t.db.write((trx) => trx.updateTable('stock_moves').set({ qty: 99 }).where('id', '=', rows[0]!.id).execute())).rejects.toThrow(/append-only/);
    await expect(t.db.write((trx) => trx.deleteFrom('stock_moves').where('id', '=', rows[0]!.id).execute())).rejects.toThrow(/append-only/);
    const ledger = (await t.as.engineer.get(`/api/stock/moves?partId=${partId}&limit=3`)).json();
    expect(ledger.items[0]).toMatchObject({ kind: 'adjust', reason: '月度盘点，2 个损坏报废', createdBy: { id: t.as.manager.userId } });
    expect(ledger.nextCursor).toBeTruthy();
  });

  it('alerts the managers once when available stock falls below the threshold, again only after it recovered', async () => {
    const alerts = async () => (await t.db.read.selectFrom('notifications').select(['user_id', 'data']).where('kind', '=', 'low_stock').execute()).filter((n) => JSON.parse(n.data).data.partId === partId);
    // Threshold 5, warehouse at 5: not yet low.
    expect(await stockAt(warehouse)).toMatchObject({ available: 5, low: false });
    expect(await alerts()).toHaveLength(0);
    await move('engineer', { kind: 'transfer', partId, qty: 1, fromLocationId: warehouse, toLocationId: van });
    const first = await alerts();
    expect(first.map((n) => n.user_id)).toEqual([t.as.manager.userId]);
    expect(JSON.parse(first[0]!.data).data).toMatchObject({ partCode: 'AC-CAP-35', locationName: '上海中心仓', available: 4, threshold: 5 });
    await move('engineer', { kind: 'transfer', partId, qty: 1, fromLocationId: warehouse, toLocationId: van });
    expect(await alerts()).toHaveLength(1);
    expect((await t.as.manager.get('/api/parts?low=true')).json().items.map((p: { code: string }) => p.code)).toEqual(['AC-CAP-35']);
    expect((await t.as.manager.get('/api/stock/alerts')).json().items).toEqual([expect.objectContaining({ partCode: 'AC-CAP-35', available: 3, threshold: 5, low: true })]);
    await move('manager', { kind: 'receive', partId, qty: 10, toLocationId: warehouse });
    expect((await t.as.manager.get('/api/parts?low=true')).json().items).toEqual([]);
    await move('engineer', { kind: 'transfer', partId, qty: 9, fromLocationId: warehouse, toLocationId: van });
    expect(await alerts()).toHaveLength(2);
    // A van alerts only with a threshold of its own, and then its engineer hears of it too.
    const th = await t.as.manager.request('PUT', `/api/parts/${partId}/stock/${van}/threshold`, { threshold: 20 });
    expect(th.json()).toMatchObject({ threshold: 20, low: true });
    await move('engineer', { kind: 'consume', partId, qty: 1, fromLocationId: van, ticketNumber });
    const third = (await alerts()).filter((n) => JSON.parse(n.data).data.locationId === van);
    expect(third.map((n) => n.user_id).sort()).toEqual([t.as.manager.userId, t.as.engineer.userId].sort());
    expect(await alerts()).toHaveLength(4);
  });

  it('reports consumption per part, engineer and month and the turnover, exportable to CSV and XLSX', async () => {
    const q = 'from=2026-11-01&to=2026-11-30';
    const byPart = (await t.as.manager.get(`/api/reports/parts/consumption?${q}&by=part`)).json();
    expect(byPart.rows).toEqual([{ key: 'AC-CAP-35', label: 'AC-CAP-35 空调压缩机电容 35μF', qty: 4, cost: 4 * 1850, moves: 2 }]);
    const byEngineer = (await t.as.manager.get(`/api/reports/parts/consumption?${q}&by=engineer`)).json();
    expect(byEngineer.rows).toEqual([expect.objectContaining({ key: String(t.as.engineer.userId), qty: 4 })]);
    const byMonth = (await t.as.manager.get(`/api/reports/parts/consumption?${q}&by=month`)).json();
    expect(byMonth.rows).toEqual([expect.objectContaining({ key: '2026-11', qty: 4 })]);
    expect((await t.as.engineer.get(`/api/reports/parts/consumption?${q}`)).statusCode).toBe(403);

    const turnover = (await t.as.manager.get(`/api/reports/parts/turnover?${q}`)).json();
    const row = turnover.rows.find((r: { code: string }) => r.code === 'AC-CAP-35');
    // Every move happened at the same instant (the test clock), so the average on-hand is what was left at the end.
    const left = (await t.as.manager.get(`/api/parts/${partId}`)).json().stock.onHand;
    expect(row).toMatchObject({ consumedQty: 4, consumedCost: 7400 });
    expect(row.averageOnHand).toBeCloseTo((left * (Date.parse('2026-12-01T00:00:00+08:00') - MONDAY_10)) / (30 * 86_400_000), 1);

    const csv = await t.as.manager.get(`/api/reports/parts/consumption?${q}&by=part&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toBe('\uFEFF备件,数量,成本（元）,次数\r\nAC-CAP-35 空调压缩机电容 35μF,4,74,2\r\n');
    const xlsx = await t.as.manager.get(`/api/reports/parts/turnover?${q}&format=xlsx`, { 'accept-language': 'en' });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
  it('managers edit a location: rename, hand a van to another engineer, out of use only when empty; translated refusals', async () => {
    const made = await t.as.manager.post('/api/stock-locations', { code: 'VAN-09', name: '临时车载库', kind: 'van', ownerId: t.as.engineer.userId });
    expect(made.statusCode, made.body).toBe(201);
    const loc = made.json().id as number;
    expect((await t.as.engineer.patch(`/api/stock-locations/${loc}`, { name: '我的车' })).statusCode).toBe(403);
    expect((await t.as.dispatcher.patch(`/api/stock-locations/${loc}`, { name: '我的车' })).statusCode).toBe(403);

    const handed = await t.as.manager.patch(`/api/stock-locations/${loc}`, { name: '二号车载库', ownerId: t.as.engineer2.userId });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json()).toMatchObject({ code: 'VAN-09', name: '二号车载库', kind: 'van', owner: { id: t.as.engineer2.userId }, active: true });
    const notEngineer = await t.as.manager.patch(`/api/stock-locations/${loc}`, { ownerId: t.as.agent.userId }, { 'accept-language': 'zh-CN' });
    expect(notEngineer.statusCode).toBe(400);
    expect(notEngineer.json().error.fields.ownerId).toBe('车载库的所属人须是在职的工程师');
    const noOwner = await t.as.manager.patch(`/api/stock-locations/${loc}`, { ownerId: null }, { 'accept-language': 'en' });
    expect(noOwner.json().error.fields.ownerId).toBe('A van needs its engineer');
    const badCode = await t.as.manager.patch(`/api/stock-locations/${loc}`, { code: '-x' }, { 'accept-language': 'zh-CN' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.fields.code).toContain('编码只能使用字母');
    const taken = await t.as.manager.patch(`/api/stock-locations/${loc}`, { code: 'WH-SH' }, { 'accept-language': 'zh-CN' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toBe('库位编码 WH-SH 已存在');

    // Holding stock, it stays in use; emptied, it may go, and leaves the everyday list but not the managers' full one.
    expect((await move('manager', { kind: 'receive', partId, qty: 2, toLocationId: loc })).statusCode).toBe(201);
    const holds = await t.as.manager.patch(`/api/stock-locations/${loc}`, { active: false }, { 'accept-language': 'zh-CN' });
    expect(holds.statusCode).toBe(409);
    expect(holds.json().error.message).toContain('还有库存');
    expect((await move('manager', { kind: 'adjust', partId, countedQty: 0, toLocationId: loc, reason: '车辆退役' })).statusCode).toBe(201);
    const retired = await t.as.manager.patch(`/api/stock-locations/${loc}`, { active: false });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json().active).toBe(false);
    const everyday = (await t.as.engineer.get('/api/stock-locations')).json().items.map((l: { id: number }) => l.id);
    expect(everyday).not.toContain(loc);
    const all = (await t.as.manager.get('/api/stock-locations?active=all')).json().items as { id: number; active: boolean }[];
    expect(all.find((l) => l.id === loc)).toMatchObject({ active: false });
    expect((await t.as.manager.patch(`/api/stock-locations/${loc}`, { active: true })).json().active).toBe(true);
    expect((await t.as.manager.patch('/api/stock-locations/999999', { name: 'x' })).statusCode).toBe(404);
  });

  it("sets and clears a location's own threshold for a part (managers only)", async () => {
    expect((await t.as.engineer.request('PUT', `/api/parts/${partId}/stock/${van}/threshold`, { threshold: 3 })).statusCode).toBe(403);
    const set = await t.as.manager.request('PUT', `/api/parts/${partId}/stock/${van2}/threshold`, { threshold: 4 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ location: { id: van2 }, threshold: 4 });
    const cleared = await t.as.manager.request('PUT', `/api/parts/${partId}/stock/${van2}/threshold`, { threshold: null });
    // A van without its own threshold never alerts (the part's threshold applies in warehouses only).
    expect(cleared.json()).toMatchObject({ threshold: null, low: false });
    const bad = await t.as.manager.request('PUT', `/api/parts/${partId}/stock/${van2}/threshold`, { threshold: -1 });
    expect(bad.statusCode).toBe(400);
  });
});
