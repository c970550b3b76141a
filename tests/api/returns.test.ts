// Returns and exchanges (RMA), take-back repair (拉修) and loaners (周转机), issue 16: opening an RMA with the return
// window, the checklist, who approves, the status flow (no outcome before approval), tracking numbers, receipt into
// the returns location, an exchange recorded through the units module (refused onto a serial already on file), the
// customer told and the portal's customer-safe view; the take-back journey on the unit's history; loaners lent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

// The test clock: Monday 2026-11-23 10:00 in Beijing.
const NOW = Date.parse('2026-11-23T02:00:00.000Z');

describe.each(TEST_DIALECTS)('returns, take-backs and loaners on %s', (dialect) => {
  let t: TestApp;
  let model: string;
  let warehouseId: number;

  beforeAll(async () => {
    t = await createTestApp({ dialect, config: { smtpUrl: 'smtp://127.0.0.1:9', mailFrom: 'Aftercare <service@aftercare.test>' } });
    t.clock.set(NOW);
    await t.db.write((trx) => trx.updateTable('customers').set({ email: 'zhang.wei@example.com', email_lower: 'zhang.wei@example.com' }).where('id', '=', t.customers.own).execute());
    const p = await t.as.manager.post('/api/products', { model: 'XQG100-RMA', name: '滚筒洗衣机 10kg', line: 'washer', warrantyMonths: 36, returnDays: 7 });
    expect(p.statusCode, p.body).toBe(201);
    model = p.json().model;
    const w = await t.as.manager.post('/api/stock-locations', { code: 'SH-MAIN', name: '上海中心仓', kind: 'warehouse' });
    expect(w.statusCode, w.body).toBe(201);
    warehouseId = w.json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const unit = async (serial: string, purchaseDate: string, customerId = t.customers.own) => {
    const res = await t.as.agent.post('/api/units', { customerId, productModel: model, serialNumber: serial, purchaseDate, proofRef: 'JD-1001' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number };
  };
  const ticket = async (serial?: string) => {
    const res = await t.as.agent.post('/api/tickets', { title: '洗衣机漏水', description: '新买的洗衣机底部漏水，要求换货', customerId: t.customers.own, priority: 'P3', productModel: model, ...(serial ? { serialNumber: serial } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().number as string;
  };
  const open = (number: string, body: Record<string, unknown>, who = 'agent', headers: Record<string, string> = {}) => t.as[who].post(`/api/tickets/${number}/rmas`, body, headers);
  const events = async (n: string) => (await t.as.admin.get(`/api/tickets/${n}/events?limit=200`)).json().items as { kind: string; internal: boolean; note: string | null; details: Record<string, any> }[];
  const messages = (event: string) => t.db.read.selectFrom('customer_messages').select(['event', 'body', 'status']).where('event', '=', event).execute();
  const allYes = { appearanceIntact: true, accessoriesComplete: true, proofOfPurchase: true, noManMadeDamage: true };

  let number: string;
  let faultyId: number;
  let rmaId: number;

  it('opens an exchange for a unit with its return window; a retry with the same key answers the same RMA', async () => {
    faultyId = (await unit('WM-0001', '2026-11-20')).id;
    number = await ticket('WM-0001');
    const first = await open(number, { kind: 'exchange', items: [{ unitId: faultyId }], reason: '底部漏水' }, 'agent', { 'idempotency-key': 'rma-key-1' });
    expect(first.statusCode, first.body).toBe(201);
    const rma = first.json();
    rmaId = rma.id;
    expect(rma).toMatchObject({ ticketNumber: number, kind: 'exchange', status: 'requested', items: [{ unitId: faultyId, serialNumber: 'WM-0001', productModel: model }], window: { purchaseDate: '2026-11-20', days: 7, lastDay: '2026-11-27', daysLeft: 4, within: true } });
    expect(rma.eligibility).toMatchObject({ complete: false, eligible: false, missing: ['appearanceIntact', 'accessoriesComplete', 'proofOfPurchase', 'noManMadeDamage'] });
    const again = await open(number, { kind: 'exchange', items: [{ unitId: faultyId }] }, 'agent', { 'idempotency-key': 'rma-key-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(rmaId);
    expect((await t.db.read.selectFrom('rmas').select('id').execute()).length).toBe(1);
    // The same unit cannot be in two open RMAs; another customer's unit is refused at the field.
    const twice = await open(number, { kind: 'return', items: [{ unitId: faultyId }] }, 'agent', { 'accept-language': 'en' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe(`Unit WM-0001 is already in open return RMA-${rmaId}`);
    const foreign = await unit('WM-OTHER', '2026-11-20', t.customers.other);
    const bad = await open(number, { kind: 'return', items: [{ unitId: foreign.id }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['items.0.unitId']).toBe('请选择该工单客户名下的设备');
    const created = (await events(number)).filter((e) => e.kind === 'rma_created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ internal: true, note: '底部漏水', details: { rmaId, kind: 'exchange', items: ['WM-0001'] } });
  });

  it('refuses a return past the window without an override reason, takes it with one; order lines too', async () => {
    const late = await unit('WM-0002', '2026-10-01');
    const n = await ticket('WM-0002');
    const refused = await open(n, { kind: 'return', items: [{ unitId: late.id }] }, 'agent', { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.windowOverrideReason).toBe('The return window has passed (7 days, last day 2026-10-08); give a reason to accept it anyway');
    const ok = await open(n, { kind: 'return', items: [{ unitId: late.id }], windowOverrideReason: '客户一直在外地，经理同意' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ window: { within: false, daysLeft: -46 }, windowOverrideReason: '客户一直在外地，经理同意' });
    // A repair is not bounded by the return window.
    const repair = await open(await ticket(), { kind: 'repair', items: [{ orderNumber: 'JD-778899', productModel: model, qty: 2, purchaseDate: '2026-01-01' }] });
    expect(repair.statusCode, repair.body).toBe(201);
    expect(repair.json().items[0]).toMatchObject({ orderNumber: 'JD-778899', qty: 2, unitId: null });
    const noLine = await open(n, { kind: 'return', items: [{ qty: 1 }] });
    expect(noLine.json().error.fields['items.0.orderNumber']).toBe('请选择设备，或填写订单号、型号和数量');
  });

  it('only supervisors and above approve; the whole checklist first; no outcome before approval', async () => {
    const rma = (await t.as.agent.get(`/api/rmas/${rmaId}`)).json();
    const byAgent = await t.as.agent.post(`/api/rmas/${rmaId}/decision`, { decision: 'approve', version: rma.version });
    expect(byAgent.statusCode).toBe(403);
    const early = await t.as.supervisor.post(`/api/rmas/${rmaId}/outcome`, { replacements: [{ itemId: rma.items[0].id, serialNumber: 'WM-NEW-1' }], version: rma.version }, { 'accept-language': 'en' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('The return is "awaiting approval": cannot record the outcome');
    const incomplete = await t.as.supervisor.post(`/api/rmas/${rmaId}/decision`, { decision: 'approve', version: rma.version });
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().error.message).toBe('核验清单尚未完成：外观完好、配件齐全、购买凭证、无人为损坏');
    const checked = await t.as.agent.post(`/api/rmas/${rmaId}/checklist`, { ...allYes, accessoriesComplete: false, note: '缺进水管', version: rma.version });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json().eligibility).toMatchObject({ complete: true, eligible: false, failed: ['accessoriesComplete'] });
    // Not eligible: approving is an exception that needs the reason.
    const noReason = await t.as.supervisor.post(`/api/rmas/${rmaId}/decision`, { decision: 'approve', version: checked.json().version });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBe('核验未全部通过或已超过退货期，批准时请填写原因');
    const fixed = await t.as.agent.post(`/api/rmas/${rmaId}/checklist`, { accessoriesComplete: true, version: checked.json().version });
    expect(fixed.json().eligibility.eligible).toBe(true);
    const stale = await t.as.supervisor.post(`/api/rmas/${rmaId}/decision`, { decision: 'approve', version: checked.json().version });
    expect(stale.statusCode).toBe(409);
    const approved = await t.as.supervisor.post(`/api/rmas/${rmaId}/decision`, { decision: 'approve', version: fixed.json().version });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decision: { by: { id: t.as.supervisor.userId } } });
    const msgs = await messages('rma_approved');
    expect(msgs).toHaveLength(1);
    expect(msgs[0].body).toContain(`换货申请（RMA-${rmaId}）已审核通过`);
    const kinds = (await events(number)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['rma_checklist', 'rma_approve']));
    // The checklist is closed once decided.
    expect((await t.as.agent.post(`/api/rmas/${rmaId}/checklist`, { ...allYes, version: approved.json().version })).statusCode).toBe(409);
  });

  it('takes tracking numbers, receives into the returns location, refuses an exchange onto a serial on file, records the replacement', async () => {
    let rma = (await t.as.agent.get(`/api/rmas/${rmaId}`)).json();
    const badTracking = await t.as.agent.post(`/api/rmas/${rmaId}/shipments`, { direction: 'in', carrier: '顺丰', trackingNumber: 'SF 12', version: rma.version });
    expect(badTracking.statusCode).toBe(400);
    expect(badTracking.json().error.fields.trackingNumber).toBe('快递单号只能包含字母、数字和“-”，4–40 位');
    const inbound = await t.as.agent.post(`/api/rmas/${rmaId}/shipments`, { direction: 'in', carrier: '顺丰', trackingNumber: 'SF1234567890', version: rma.version });
    expect(inbound.statusCode, inbound.body).toBe(200);
    expect(inbound.json()).toMatchObject({ status: 'in_transit', inbound: { carrier: '顺丰', trackingNumber: 'SF1234567890' } });
    const received = await t.as.agent.post(`/api/rmas/${rmaId}/receive`, { version: inbound.json().version });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', received: { location: { code: 'RETURNS', name: '退货仓' } } });
    rma = received.json();
    // Exchange to a serial already on file is refused at the replacement's field, nothing written.
    await unit('WM-TAKEN', '2026-01-01', t.customers.other);
    const taken = await t.as.agent.post(`/api/rmas/${rmaId}/outcome`, { replacements: [{ itemId: rma.items[0].id, serialNumber: 'WM-TAKEN' }], version: rma.version });
    expect(taken.statusCode).toBe(400);
    expect(Object.keys(taken.json().error.fields)).toEqual(['replacements.0.serialNumber']);
    expect((await t.as.agent.get(`/api/rmas/${rmaId}`)).json().status).toBe('received');
    const refund = await t.as.agent.post(`/api/rmas/${rmaId}/outcome`, { refundFen: 100, replacements: [{ itemId: rma.items[0].id, serialNumber: 'WM-0001-N' }], version: rma.version });
    expect(refund.json().error.fields.refundFen).toBe('只有退货才有退款金额');
    const done = await t.as.agent.post(`/api/rmas/${rmaId}/outcome`, { replacements: [{ itemId: rma.items[0].id, serialNumber: 'WM-0001-N' }], issueLocationId: warehouseId, version: rma.version });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'resolved', items: [{ serialNumber: 'WM-0001', replacement: { serialNumber: 'WM-0001-N' } }] });
    const newId = done.json().items[0].replacement.unitId;
    const oldUnit = (await t.as.agent.get(`/api/units/${faultyId}`)).json();
    expect(oldUnit.replacedById).toBe(newId);
    const newUnit = (await t.as.agent.get(`/api/units/${newId}`)).json();
    expect(newUnit).toMatchObject({ serialNumber: 'WM-0001-N', replacesId: faultyId, purchaseDate: '2026-11-23', proofRef: `RMA-${rmaId}` });
    const kinds = newUnit.history.map((h: { kind: string }) => h.kind);
    expect(kinds).toEqual(expect.arrayContaining(['replacement', 'rma_exchange', 'rma_exchanged', 'ticket']));
    const goods = (await t.as.agent.get(`/api/rmas/${rmaId}/goods`)).json().items;
    expect(goods).toMatchObject([
      { kind: 'received', serialNumber: 'WM-0001', location: '退货仓' },
      { kind: 'issued', serialNumber: 'WM-0001-N', location: '上海中心仓' },
    ]);
    expect((await messages('rma_completed'))[0].body).toContain('已换新，新机序列号 WM-0001-N');
    // The goods ledger is append-only.
    await expect(t.db.write((trx) => trx.updateTable('unit_stock_moves').set({ qty: 2 }).execute())).rejects.toThrow();
  });

  it('ships back with the customer told, completes; the portal shows the state and tracking numbers to its customer only', async () => {
    let rma = (await t.as.agent.get(`/api/rmas/${rmaId}`)).json();
    const out = await t.as.agent.post(`/api/rmas/${rmaId}/shipments`, { direction: 'out', carrier: '京东物流', trackingNumber: 'JDVA0001', version: rma.version });
    expect(out.statusCode, out.body).toBe(200);
    expect((await messages('rma_shipped'))[0].body).toContain('京东物流 JDVA0001');
    rma = (await t.as.agent.post(`/api/rmas/${rmaId}/complete`, { version: out.json().version })).json();
    expect(rma.status).toBe('completed');
    expect(Object.keys(rma.times)).toEqual(expect.arrayContaining(['requested', 'approved', 'in_transit', 'received', 'resolved', 'shipped_back', 'completed']));

    const portal = await t.as.customer.get(`/api/portal/tickets/${number}/rmas`);
    expect(portal.statusCode, portal.body).toBe(200);
    const view = portal.json().items[0];
    expect(view).toEqual({
      id: rmaId,
      kind: 'exchange',
      status: 'completed',
      items: [{ productModel: model, serialNumber: 'WM-0001', orderNumber: null, qty: 1, replacementSerial: 'WM-0001-N' }],
      inbound: { carrier: '顺丰', trackingNumber: 'SF1234567890' },
      outbound: { carrier: '京东物流', trackingNumber: 'JDVA0001' },
      refundFen: null,
      rejectionReason: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(view)).not.toContain('缺进水管');
    expect((await t.as.otherCustomer.get(`/api/portal/tickets/${number}/rmas`)).statusCode).toBe(404);
    expect((await t.as.customer.get(`/api/tickets/${number}/rmas`)).statusCode).toBe(403);
    expect((await t.as.customer.get(`/api/rmas/${rmaId}`)).statusCode).toBe(403);
  });

  it('a return ends with its refund; a rejection tells the customer why; the list filters by state', async () => {
    const u = await unit('WM-0003', '2026-11-22');
    const n = await ticket('WM-0003');
    let r = (await open(n, { kind: 'return', items: [{ unitId: u.id }] })).json();
    r = (await t.as.agent.post(`/api/rmas/${r.id}/checklist`, { ...allYes, version: r.version })).json();
    r = (await t.as.manager.post(`/api/rmas/${r.id}/decision`, { decision: 'approve', version: r.version })).json();
    r = (await t.as.agent.post(`/api/rmas/${r.id}/receive`, { version: r.version })).json();
    const refunded = await t.as.agent.post(`/api/rmas/${r.id}/outcome`, { refundFen: 259900, version: r.version });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json()).toMatchObject({ status: 'completed', outcome: { refundFen: 259900 } });
    expect((await messages('rma_completed')).some((m) => m.body.includes('已退款 ¥2,599.00'))).toBe(true);
    expect((await t.as.agent.post(`/api/rmas/${r.id}/shipments`, { direction: 'out', carrier: '顺丰', trackingNumber: 'SF999999', version: refunded.json().version })).statusCode).toBe(409);

    const u4 = await unit('WM-0004', '2026-11-22');
    let x = (await open(await ticket('WM-0004'), { kind: 'exchange', items: [{ unitId: u4.id }] })).json();
    expect((await t.as.supervisor.post(`/api/rmas/${x.id}/decision`, { decision: 'reject', version: x.version })).json().error.fields.reason).toBe('拒绝时请填写原因（将告知客户）');
    x = (await t.as.supervisor.post(`/api/rmas/${x.id}/decision`, { decision: 'reject', reason: '人为摔坏，不在三包范围', version: x.version })).json();
    expect(x.status).toBe('rejected');
    expect((await messages('rma_rejected'))[0].body).toContain('人为摔坏，不在三包范围');

    const completed = (await t.as.agent.get('/api/rmas?status=completed')).json().items.map((i: { id: number }) => i.id);
    expect(completed).toEqual([r.id, rmaId]);
    const openOnes = (await t.as.agent.get('/api/rmas?status=open')).json().items as { status: string }[];
    expect(openOnes.length).toBeGreaterThan(0);
    expect(openOnes.every((i) => !['completed', 'rejected', 'cancelled'].includes(i.status))).toBe(true);
    expect((await t.as.agent.get('/api/rmas?status=rejected')).json().items).toHaveLength(1);
  });

  it('follows a take-back repair step by step on the ticket and the unit history', async () => {
    const u = await unit('WM-TB-1', '2025-05-01');
    const n = await ticket('WM-TB-1');
    const made = await t.as.engineer.post(`/api/tickets/${n}/take-backs`, { note: '需返厂更换电脑板' }, { 'idempotency-key': 'tb-1' });
    expect(made.statusCode, made.body).toBe(201);
    const again = await t.as.engineer.post(`/api/tickets/${n}/take-backs`, { note: '需返厂更换电脑板' }, { 'idempotency-key': 'tb-1' });
    expect(again.statusCode).toBe(200);
    let tb = made.json();
    expect(tb).toMatchObject({ unitId: u.id, status: 'collected', serialNumber: 'WM-TB-1' });
    const skip = await t.as.engineer.post(`/api/take-backs/${tb.id}/steps`, { step: 'repaired', version: tb.version }, { 'accept-language': 'en' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.message).toBe('The take-back repair is "collected": cannot record "repaired"');
    for (const step of ['at_workshop', 'repaired', 'returned']) {
      t.clock.advance(3_600_000);
      const res = await t.as.engineer.post(`/api/take-backs/${tb.id}/steps`, { step, version: tb.version });
      expect(res.statusCode, res.body).toBe(200);
      tb = res.json();
    }
    expect(tb.steps.map((s: { step: string; at: string | null; by: { id: number } | null }) => [s.step, s.at !== null, s.by?.id])).toEqual([
      ['collected', true, t.as.engineer.userId],
      ['at_workshop', true, t.as.engineer.userId],
      ['repaired', true, t.as.engineer.userId],
      ['returned', true, t.as.engineer.userId],
    ]);
    expect((await events(n)).filter((e) => e.kind === 'take_back_step').map((e) => e.details.step)).toEqual(['collected', 'at_workshop', 'repaired', 'returned']);
    const history = (await t.as.agent.get(`/api/units/${u.id}`)).json().history.map((h: { kind: string }) => h.kind);
    expect(history).toEqual(expect.arrayContaining(['take_back_collected', 'take_back_at_workshop', 'take_back_repaired', 'take_back_returned']));
    expect((await t.as.qa.post(`/api/tickets/${n}/take-backs`, {})).statusCode).toBe(403);
  });

  it('lends a loaner once, even to two racing requests; returns it; lists overdue loans', async () => {
    expect((await t.as.agent.post('/api/loaners', { serialNumber: 'LN-001', productModel: model })).statusCode).toBe(403);
    const a = (await t.as.dispatcher.post('/api/loaners', { serialNumber: 'LN-001', productModel: model })).json();
    const b = (await t.as.dispatcher.post('/api/loaners', { serialNumber: 'LN-002', productModel: model })).json();
    expect((await t.as.dispatcher.post('/api/loaners', { serialNumber: 'LN-001', productModel: model })).json().error.fields.serialNumber).toBe('该序列号的周转机已存在');
    const n1 = await ticket();
    const n2 = await ticket();
    // Two lends of one loaner at the same moment on two tickets: exactly one wins.
    const race = await Promise.all([
      t.as.agent.post(`/api/tickets/${n1}/loans`, { loanerId: a.id, dueDate: '2026-11-30' }),
      t.as.engineer.post(`/api/tickets/${n2}/loans`, { loanerId: a.id, dueDate: '2026-11-30' }),
    ]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect((await t.db.read.selectFrom('loans').select('id').where('loaner_id', '=', a.id).execute()).length).toBe(1);
    const loser = race.find((r) => r.statusCode === 409)!;
    expect(loser.json().error.message).toBe('周转机 LN-001 当前不可借出（已借出、维修中或已报废）');
    const loan = race.find((r) => r.statusCode === 201)!.json();
    expect(loan).toMatchObject({ loanerSerial: 'LN-001', dueDate: '2026-11-30', overdue: false, returnedAt: null });
    // And again, one after the other.
    expect((await t.as.agent.post(`/api/tickets/${n2}/loans`, { loanerId: a.id, dueDate: '2026-11-30' })).statusCode).toBe(409);
    expect((await t.as.agent.post(`/api/tickets/${n2}/loans`, { loanerId: b.id, dueDate: '2026-11-01' })).json().error.fields.dueDate).toBe('归还日期不能早于今天');
    const lentB = await t.as.agent.post(`/api/tickets/${n2}/loans`, { loanerId: b.id, dueDate: '2026-11-25' }, { 'idempotency-key': 'loan-b' });
    expect(lentB.statusCode, lentB.body).toBe(201);
    expect((await t.as.agent.post(`/api/tickets/${n2}/loans`, { loanerId: b.id, dueDate: '2026-11-25' }, { 'idempotency-key': 'loan-b' })).statusCode).toBe(200);
    const pool = (await t.as.agent.get('/api/loaners')).json().items as { serialNumber: string; state: string; loan: { ticketNumber: string } | null }[];
    expect(pool.filter((l) => l.serialNumber.startsWith('LN-')).map((l) => [l.serialNumber, l.state])).toEqual([
      ['LN-001', 'lent'],
      ['LN-002', 'lent'],
    ]);
    // Three days on, the one due on the 25th is overdue.
    t.clock.set(NOW + 3 * 86_400_000);
    const overdue = (await t.as.agent.get('/api/loans?overdue=true')).json().items as { loanerSerial: string; overdue: boolean }[];
    expect(overdue.map((l) => l.loanerSerial)).toEqual(['LN-002']);
    const back = await t.as.agent.post(`/api/loans/${lentB.json().id}/return`, { note: '外观完好' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ overdue: false, returnNote: '外观完好' });
    expect((await t.as.agent.post(`/api/loans/${lentB.json().id}/return`, {})).statusCode).toBe(409);
    expect((await t.as.agent.get('/api/loans?overdue=true')).json().items).toHaveLength(0);
    expect((await t.as.agent.get('/api/loaners?state=available')).json().items.map((l: { serialNumber: string }) => l.serialNumber)).toEqual(['LN-002']);
    expect((await events(n2)).map((e) => e.kind)).toEqual(expect.arrayContaining(['loaner_lent', 'loaner_returned']));
    t.clock.set(NOW);
  });
});
