// Completing an on-site visit (issue 16): parts reserved when booking (and moved or released with the visit), van
// stock in the engineer ranking, the service report with idempotent saves, parts used (stock reduced, refused beyond
// reserved + free), photos, the signature (PNG, small, records 'signed'), the quote from the fee standard and the
// warranty, its acceptance, the payment with its receipt ('charged'), the customer's view of their quote, and the
// refusals: wrong engineer, another customer, charging without a quote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
// The same small real PNG the browser tests upload (what the signature pad sends, minus the strokes).
import { png } from '../png.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Beijing
const bj = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 8, mm)).toISOString();

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), Buffer.alloc(200, 1)]);

function multipart(filename: string, content: Buffer) {
  const boundary = '----aftercare' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(TEST_DIALECTS)('completing a visit on %s', (dialect) => {
  let t: TestApp;
  let number: string;
  let partId: number;
  let warehouse: number;
  let van: number;
  let van2: number;
  let visitId: number;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    t.clock.set(MONDAY_10);
    const model = 'KFR-35GW/BP3DN8Y';
    await t.db.write(async (trx) => {
      await trx.deleteFrom('products').where('model', '=', model).execute();
      await trx.insertInto('products').values({ model, name: '变频挂壁式空调 1.5匹', line: 'ac', warranty_months: 12, callout_fee: 5000, labour_fees: JSON.stringify({ hardware: 8000, usage: 3000 }) }).execute();
    });
    // Bought 2024-03-01 with an invoice: 12 months, out of warranty in November 2026.
    const unit = await t.db.write((trx) =>
      trx.insertInto('units').values({ customer_id: t.customers.own, product_model: model, serial_number: 'SN-VR-0001', purchase_date: '2024-03-01', proof_ref: 'INV-2024-88', created_at: MONDAY_10 }).returning('id').executeTakeFirstOrThrow(),
    );
    const res = await t.as.agent.post('/api/tickets', { title: '空调不制冷', description: '压缩机不启动，疑似电容损坏', customerId: t.customers.own, priority: 'P3', productModel: model, departmentId: t.departments.tech_support });
    expect(res.statusCode, res.body).toBe(201);
    number = res.json().number;
    await t.db.write((trx) => trx.updateTable('tickets').set({ unit_id: unit.id }).where('number', '=', number).execute());
    await t.as.agent.post(`/api/tickets/${number}/subtasks`, { departmentId: t.departments.logistics, ownerId: t.as.dispatcher.userId, title: '安排上门' });

    warehouse = (await t.as.manager.post('/api/stock-locations', { code: 'WH-VR', name: '上海中心仓', kind: 'warehouse' })).json().id;
    van = (await t.as.manager.post('/api/stock-locations', { code: 'VAN-VR1', name: '工程师车载库', kind: 'van', ownerId: t.as.engineer.userId })).json().id;
    van2 = (await t.as.manager.post('/api/stock-locations', { code: 'VAN-VR2', name: '工程师2车载库', kind: 'van', ownerId: t.as.engineer2.userId })).json().id;
    const part = await t.as.manager.post('/api/parts', { code: 'AC-CAP-35', nameZh: '压缩机启动电容 35μF', uom: 'piece', unitCost: 2000, listPrice: 4500, productModels: [model] });
    expect(part.statusCode, part.body).toBe(201);
    partId = part.json().id;
    expect((await t.as.manager.post('/api/stock/moves', { kind: 'receive', partId, qty: 10, toLocationId: warehouse })).statusCode).toBe(201);
    expect((await t.as.dispatcher.post('/api/stock/moves', { kind: 'transfer', partId, qty: 3, fromLocationId: warehouse, toLocationId: van })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const stockAt = async (loc: number) => ((await t.as.manager.get(`/api/parts/${partId}/stock`)).json().items as { location: { id: number }; onHand: number; reserved: number }[]).find((i) => i.location.id === loc) ?? { onHand: 0, reserved: 0 };
  const book = (over: Record<string, unknown> = {}) =>
    t.as.dispatcher.post(`/api/tickets/${number}/visits`, { engineerId: t.as.engineer.userId, windowStart: bj(24, 14), windowEnd: bj(24, 16), address: '上海市浦东新区世纪大道100号', area: '浦东', ...over });
  const step = async (who: string, id: number, s: string) => {
    const v = (await t.as[who]!.get(`/api/visits/${id}`)).json();
    const res = await t.as[who]!.post(`/api/visits/${id}/steps`, { step: s, version: v.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const upload = (who: string, id: number, what: 'signature' | 'photos', filename: string, content: Buffer, lang = 'zh-CN') => {
    const m = multipart(filename, content);
    return t.app.inject({ method: 'POST', url: `/api/visits/${id}/${what}`, headers: { authorization: `Bearer ${t.as[who]!.token}`, 'content-type': m.contentType, 'accept-language': lang }, payload: m.payload });
  };
  const kinds = async () => ((await t.as.admin.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string; internal: boolean }[]).filter((e) => e.kind.startsWith('visit_'));

  it('books with parts reserved from the engineer’s van; an overlapping booking is refused and reserves nothing', async () => {
    const res = await book({ partRefs: [{ partId, qty: 2 }] });
    expect(res.statusCode, res.body).toBe(201);
    visitId = res.json().id;
    expect(res.json().reserved).toEqual([expect.objectContaining({ partId, partCode: 'AC-CAP-35', qty: 2, location: expect.objectContaining({ id: van, kind: 'van' }) })]);
    expect(await stockAt(van)).toMatchObject({ onHand: 3, reserved: 2 });
    const overlap = await book({ windowStart: bj(24, 15), windowEnd: bj(24, 17), partRefs: [{ partId, qty: 1 }] });
    expect(overlap.statusCode).toBe(409);
    expect(await stockAt(van)).toMatchObject({ reserved: 2 });
    // More than the van has: refused whole, naming the part; no visit is left behind.
    const before = (await t.as.dispatcher.get(`/api/tickets/${number}/visits`)).json().items.length;
    const short = await book({ windowStart: bj(26, 9), windowEnd: bj(26, 10), partRefs: [{ partId, qty: 5 }] });
    expect(short.statusCode).toBe(409);
    expect(short.json().error.message).toContain('AC-CAP-35');
    expect((await t.as.dispatcher.get(`/api/tickets/${number}/visits`)).json().items.length).toBe(before);
  });

  it('ranks engineers by van stock of the parts with the reason in words', async () => {
    const res = await t.as.dispatcher.get(`/api/tickets/${number}/visit-suggestions?from=2026-11-25&days=2&partRefs=${partId}:1`);
    expect(res.statusCode, res.body).toBe(200);
    const byId = new Map((res.json().items as { engineer: { id: number }; reasons: { code: string; text: string }[] }[]).map((s) => [s.engineer.id, s.reasons]));
    expect(byId.get(t.as.engineer.userId)).toContainEqual(expect.objectContaining({ code: 'parts_in_van', text: '车载库有 AC-CAP-35 ×1' }));
    expect(byId.get(t.as.engineer2.userId)).toContainEqual(expect.objectContaining({ code: 'parts_missing', text: '车载库缺 AC-CAP-35 ×1' }));
    expect((await t.as.dispatcher.get(`/api/tickets/${number}/visit-suggestions?from=2026-11-25&partRefs=999999:1`)).statusCode).toBe(400);
  });

  it('moves a reservation to the new engineer’s van when it has the part, keeps it otherwise, and releases it on cancel', async () => {
    const res = await book({ windowStart: bj(27, 9), windowEnd: bj(27, 10), partRefs: [{ partId, qty: 1 }] });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    // Engineer 2's van is empty: the part stays reserved in engineer 1's van.
    const kept = await t.as.dispatcher.post(`/api/visits/${v.id}/reschedule`, { engineerId: t.as.engineer2.userId, windowStart: bj(27, 9), windowEnd: bj(27, 10), reason: '改派' , version: v.version });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().reserved[0].location.id).toBe(van);
    // Back to engineer 1, then to engineer 2 once their van holds one: it moves.
    const back = await t.as.dispatcher.post(`/api/visits/${v.id}/reschedule`, { engineerId: t.as.engineer.userId, windowStart: bj(27, 9), windowEnd: bj(27, 10), reason: '改回', version: kept.json().version });
    expect((await t.as.dispatcher.post('/api/stock/moves', { kind: 'transfer', partId, qty: 1, fromLocationId: warehouse, toLocationId: van2 })).statusCode).toBe(201);
    const moved = await t.as.dispatcher.post(`/api/visits/${v.id}/reschedule`, { engineerId: t.as.engineer2.userId, windowStart: bj(27, 9), windowEnd: bj(27, 10), reason: '改派', version: back.json().version });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().reserved).toEqual([expect.objectContaining({ qty: 1, location: expect.objectContaining({ id: van2 }) })]);
    expect(await stockAt(van)).toMatchObject({ reserved: 2 });
    expect(await stockAt(van2)).toMatchObject({ reserved: 1 });
    const cancelled = await t.as.dispatcher.post(`/api/visits/${v.id}/cancel`, { reason: '客户取消', version: moved.json().version });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().reserved).toEqual([]);
    expect(await stockAt(van2)).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it('refuses work before arrival and by anyone but the visit’s engineer', async () => {
    const body = { diagnosis: '压缩机启动电容失效', cause: '电容老化', faultClass: 'hardware', workDone: '更换启动电容', version: 0 };
    expect((await t.as.engineer.request('PUT', `/api/visits/${visitId}/report`, body)).statusCode).toBe(409);
    for (const s of ['accepted', 'departed', 'arrived']) await step('engineer', visitId, s);
    expect((await t.as.engineer2.request('PUT', `/api/visits/${visitId}/report`, body)).statusCode).toBe(404);
    expect((await t.as.supervisor.request('PUT', `/api/visits/${visitId}/report`, body)).statusCode).toBe(403);
    expect((await t.as.customer.get(`/api/visits/${visitId}/report`)).statusCode).toBe(403);
    expect((await t.as.engineer2.post(`/api/visits/${visitId}/parts-used`, { partId, qty: 1 })).statusCode).toBe(404);
  });

  it('saves the report idempotently and refuses a stale different save and an unknown fault class', async () => {
    const body = { diagnosis: '压缩机启动电容失效', cause: '电容老化', faultClass: 'hardware', workDone: '更换启动电容，试机制冷正常', version: 0 };
    const first = await t.as.engineer.request('PUT', `/api/visits/${visitId}/report`, body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().report).toMatchObject({ diagnosis: '压缩机启动电容失效', faultClass: 'hardware', version: 1 });
    const retry = await t.as.engineer.request('PUT', `/api/visits/${visitId}/report`, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().report.version).toBe(1);
    const stale = await t.as.engineer.request('PUT', `/api/visits/${visitId}/report`, { ...body, cause: '雷击' });
    expect(stale.statusCode).toBe(409);
    const bad = await t.as.engineer.request('PUT', `/api/visits/${visitId}/report`, { ...body, faultClass: 'nonsense', version: 1 }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.faultClass).toBe("Choose one of the product's fault classes");
    expect(first.json().faultClasses.map((c: { code: string }) => c.code)).toEqual(['hardware', 'usage']);
    expect((await kinds()).filter((e) => e.kind === 'visit_report_saved')).toHaveLength(1);
  });

  it('refuses to charge without a quote; quotes from the fee standard out of warranty; the customer sees only their own quote, without costs', async () => {
    const noQuote = await t.as.engineer.post(`/api/visits/${visitId}/payment`, { method: 'cash', amount: 100 });
    expect(noQuote.statusCode).toBe(409);
    expect(noQuote.json().error.message).toBe('请先报价并由客户确认，再记录收费');
    const q = await t.as.engineer.post(`/api/visits/${visitId}/quote`);
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json().warranty.status).toBe('out');
    expect(q.json().quote).toMatchObject({ chargeable: true, total: 5000 + 8000 + 2 * 4500, cost: 2 * 2000, acceptedAt: null });
    const portal = await t.as.customer.get(`/api/tickets/${number}/quotes`);
    expect(portal.statusCode, portal.body).toBe(200);
    expect(portal.json().items).toHaveLength(1);
    expect(portal.json().items[0]).toMatchObject({ visitId, total: 22000, chargeable: true });
    expect(JSON.stringify(portal.json())).not.toContain('cost');
    expect((await t.as.otherCustomer.get(`/api/tickets/${number}/quotes`)).statusCode).toBe(404);
    const accepted = await t.as.engineer.post(`/api/visits/${visitId}/quote/accept`, { name: '张伟' });
    expect(accepted.json().quote).toMatchObject({ acceptedName: '张伟', acceptedAt: expect.any(String) });
  });

  it('consumes the parts used from the reservation (a retry with the same key does not twice) and refuses more than reserved + free', async () => {
    const used = await t.as.engineer.post(`/api/visits/${visitId}/parts-used`, { partId, qty: 2 }, { 'idempotency-key': 'use-cap-1' });
    expect(used.statusCode, used.body).toBe(200);
    const again = await t.as.engineer.post(`/api/visits/${visitId}/parts-used`, { partId, qty: 2 }, { 'idempotency-key': 'use-cap-1' });
    expect(again.statusCode).toBe(200);
    expect(await stockAt(van)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(again.json().partsUsed).toEqual([expect.objectContaining({ partCode: 'AC-CAP-35', qty: 2, unitCost: 2000, listPrice: 4500, cost: 4000 })]);
    const tooMany = await t.as.engineer.post(`/api/visits/${visitId}/parts-used`, { partId, qty: 2 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error.code).toBe('insufficient_stock');
    expect(await stockAt(van)).toMatchObject({ onHand: 1 });
    // From a warehouse the visit holds nothing in: not the engineer's to take.
    expect((await t.as.engineer.post(`/api/visits/${visitId}/parts-used`, { partId, qty: 1, locationId: warehouse })).statusCode).toBe(403);
  });

  it('takes photos and a PNG signature (not another type, not too large), which records the signed step once', async () => {
    const photo = await upload('engineer', visitId, 'photos', 'before.jpg', JPEG);
    expect(photo.statusCode, photo.body).toBe(201);
    await step('engineer', visitId, 'work_done');
    const notPng = await upload('engineer', visitId, 'signature', 'sig.png', JPEG, 'en');
    expect(notPng.statusCode).toBe(415);
    expect(notPng.json().error.message).toBe('The signature must be a PNG image');
    const huge = await upload('engineer', visitId, 'signature', 'sig.png', Buffer.concat([png(), Buffer.alloc(300 * 1024, 7)]));
    expect(huge.statusCode).toBe(413);
    expect((await upload('engineer2', visitId, 'signature', 'sig.png', png())).statusCode).toBe(404);
    const sig = await upload('engineer', visitId, 'signature', 'sig.png', png());
    expect(sig.statusCode, sig.body).toBe(201);
    expect(sig.json()).toMatchObject({ contentType: 'image/png', internal: true });
    expect((await upload('engineer', visitId, 'signature', 'sig.png', png())).statusCode).toBe(409);
    const r = (await t.as.engineer.get(`/api/visits/${visitId}/report`)).json();
    expect(r.visit.status).toBe('signed');
    expect(r.signature.attachmentId).toBe(sig.json().id);
    expect(r.photos).toHaveLength(1);
    const file = await t.as.engineer.get(`/api/attachments/${sig.json().id}`);
    expect(file.headers['content-type']).toBe('image/png');
  });

  it('records the payment against the accepted quote with a receipt; a retry answers the same; refuses a missing reference and more than the quote', async () => {
    const noRef = await t.as.engineer.post(`/api/visits/${visitId}/payment`, { method: 'qr', amount: 22000 });
    expect(noRef.statusCode).toBe(400);
    expect(noRef.json().error.fields.reference).toBeDefined();
    const over = await t.as.engineer.post(`/api/visits/${visitId}/payment`, { method: 'cash', amount: 22001 });
    expect(over.statusCode).toBe(400);
    const paid = await t.as.engineer.post(`/api/visits/${visitId}/payment`, { method: 'qr', amount: 22000, reference: 'WX4200001234' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().payment).toMatchObject({ method: 'qr', amount: 22000, reference: 'WX4200001234', receiptNumber: `SJ2611-${String(visitId).padStart(6, '0')}` });
    expect(paid.json().visit.status).toBe('charged');
    const retry = await t.as.engineer.post(`/api/visits/${visitId}/payment`, { method: 'qr', amount: 22000, reference: 'WX4200001234' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().payment.receiptNumber).toBe(paid.json().payment.receiptNumber);
    expect((await t.as.engineer.post(`/api/visits/${visitId}/payment`, { method: 'cash', amount: 100 })).statusCode).toBe(409);
    const portal = (await t.as.customer.get(`/api/tickets/${number}/quotes`)).json().items[0];
    expect(portal.payment).toMatchObject({ amount: 22000, receiptNumber: paid.json().payment.receiptNumber });
    await step('engineer', visitId, 'left');
    const k = await kinds();
    for (const kind of ['visit_report_saved', 'visit_part_used', 'visit_photo_added', 'visit_quoted', 'visit_quote_accepted', 'visit_charged']) expect(k.some((e) => e.kind === kind && e.internal), kind).toBe(true);
    expect(k.filter((e) => e.kind === 'visit_part_used')).toHaveLength(1);
    // The customer's timeline shows none of it.
    const theirs = (await t.as.customer.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string }[] | undefined;
    expect((theirs ?? []).some((e) => e.kind.startsWith('visit_'))).toBe(false);
  });

  it('a warranty job quotes 0 to the customer but records the parts’ cost', async () => {
    await t.db.write((trx) => trx.updateTable('units').set({ purchase_date: '2026-06-01' }).where('serial_number', '=', 'SN-VR-0001').execute());
    const res = await book({ windowStart: bj(30, 9), windowEnd: bj(30, 10), partRefs: [{ partId, qty: 1 }] });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    for (const s of ['accepted', 'departed', 'arrived']) await step('engineer', id, s);
    const q = await t.as.engineer.post(`/api/visits/${id}/quote`);
    expect(q.json().warranty.status).toBe('in');
    expect(q.json().quote).toMatchObject({ chargeable: false, total: 0, cost: 2000 });
  });
});
