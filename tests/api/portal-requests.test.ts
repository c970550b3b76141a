// A customer's request from the portal (issue 15): the server sets channel, time and priority; the preferred contact
// time is kept and shown to staff and to the customer; a serial typed (or from a QR label) makes or finds the unit,
// whose warranty and service history the portal's units page shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

describe.each(TEST_DIALECTS)('portal requests and units on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  const request = (over: Record<string, unknown> = {}) => ({
    customerId: t.customers.own,
    title: '洗衣机脱水时异响',
    description: '脱水时声音很大，机身晃动。',
    productModel: 'XQG100-BD14',
    serialNumber: 'WM-2025-0001',
    purchaseDate: '2025-03-01',
    preferredContact: '工作日晚上; 下午 3 点后',
    ...over,
  });

  it('keeps the preferred contact time; the server sets channel, time and priority', async () => {
    t.clock.advance(60_000);
    const res = await t.as.customer.post('/api/tickets', request({ reportedAt: '2020-01-01T00:00:00.000Z', channel: 'phone' }), { 'idempotency-key': 'portal-req-1' });
    expect(res.statusCode, res.body).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({ channel: 'web', priority: 'P3', preferredContact: '工作日晚上; 下午 3 点后' });
    expect(ticket.reportedAt).toBe(new Date(t.clock.now()).toISOString());
    // A retry with the same key is the same ticket.
    const again = await t.as.customer.post('/api/tickets', request(), { 'idempotency-key': 'portal-req-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().number).toBe(ticket.number);
    // Staff see it; the queue item does not carry it.
    expect((await t.as.agent.get(`/api/tickets/${ticket.number}`)).json().preferredContact).toBe('工作日晚上; 下午 3 点后');
    const item = (await t.as.agent.get(`/api/tickets?q=${ticket.number}`)).json().items[0];
    expect(item).not.toHaveProperty('preferredContact');
    // A customer never sets the priority.
    const refused = await t.as.customer.post('/api/tickets', request({ priority: 'P1' }));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toHaveProperty('priority');
  });

  it("lists the customer's units with warranty status and the tickets about them, and nobody else's", async () => {
    const before = (await t.as.customer.get('/api/portal/units')).json().items.length;
    const a = (await t.as.customer.post('/api/tickets', request({ serialNumber: 'WM-UNIT-7', title: '第一次报修' }))).json();
    const b = (await t.as.customer.post('/api/tickets', request({ serialNumber: 'WM-UNIT-7', title: '第二次报修', productModel: null }))).json();
    await t.as.otherCustomer.post('/api/tickets', { customerId: t.customers.other, title: '别人的', description: 'x', productModel: 'XQG100-BD14', serialNumber: 'OTHER-1' });
    const res = await t.as.customer.get('/api/portal/units');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { serialNumber: string; warranty: string; warrantyEnd: string | null; tickets: { number: string; title: string }[] }[];
    expect(items.length).toBe(before + 1);
    const unit = items.find((u) => u.serialNumber === 'WM-UNIT-7')!;
    expect(unit.tickets.map((x) => x.number)).toEqual([b.number, a.number]);
    expect(['in_warranty', 'expired', 'unknown']).toContain(unit.warranty);
    expect(JSON.stringify(items)).not.toContain('OTHER-1');
    // Staff have no units page of a customer here (the console has the customer's page).
    expect((await t.as.agent.get('/api/portal/units')).statusCode).toBe(403);
  });

  it('works out the warranty by the catalog rule: acceptance where installed, else proven purchase, else unknown', async () => {
    const now = new Date(t.clock.now()).toISOString().slice(0, 10);
    const [y] = now.split('-').map(Number);
    await t.db.write(async (trx) => {
      await trx.insertInto('products').values([
        { model: 'M-PLAIN', name: '普通型号', line: 'washer', warranty_months: 12, needs_installation: 0 },
        { model: 'M-INST', name: '需安装型号', line: 'ac', warranty_months: 12, needs_installation: 1 },
      ]).execute();
      const unit = (model: string, serial: string, purchase: string | null, proof: string | null, acceptance: string | null = null) => ({
        customer_id: t.customers.own, product_model: model, serial_number: serial, purchase_date: purchase, proof_ref: proof, acceptance_date: acceptance, install_date: null, warranty_end: null, created_at: t.clock.now(),
      });
      await trx.insertInto('units').values([
        unit('M-PLAIN', 'S-IN', `${y}-01-01`, 'INV-1'),
        unit('M-PLAIN', 'S-OUT', `${y - 3}-01-01`, 'INV-2'),
        unit('M-PLAIN', 'S-NOPROOF', `${y}-01-01`, null),
        // Bought three years ago, accepted after installation this year: covered from the acceptance.
        unit('M-INST', 'S-ACCEPTED', `${y - 3}-01-01`, null, `${y}-01-02`),
        unit('M-UNKNOWN', 'S-NONE', null, null),
      ]).execute();
    });
    const items = (await t.as.customer.get('/api/portal/units')).json().items as { serialNumber: string; warranty: string; warrantyEnd: string | null; warrantyDetail: { basis: string; reason: string } }[];
    const by = Object.fromEntries(items.filter((u) => u.serialNumber.startsWith('S-')).map((u) => [u.serialNumber, u]));
    expect(Object.fromEntries(Object.entries(by).map(([k, u]) => [k, u.warranty]))).toEqual({ 'S-IN': 'in_warranty', 'S-OUT': 'expired', 'S-NOPROOF': 'unknown', 'S-ACCEPTED': 'in_warranty', 'S-NONE': 'unknown' });
    expect(by['S-IN'].warrantyEnd).toBe(`${y}-12-31`);
    expect(by['S-ACCEPTED'].warrantyDetail.basis).toBe('installation_acceptance');
    expect(by['S-NOPROOF'].warrantyDetail.reason).toBe('proof_missing');
  });
  it("shows a replacement's merged history to its customer, customer-safe, and never another customer's replaced unit", async () => {
    type PortalUnitJson = { id: number; serialNumber: string; tickets: { number: string; serialNumber: string | null }[]; replaces: { serialNumber: string; at: string }[]; replacedBy: { serialNumber: string } | null };
    const units = async (who: 'customer' | 'otherCustomer') => (await t.as[who]!.get('/api/portal/units')).json().items as PortalUnitJson[];
    const first = (await t.as.customer.post('/api/tickets', request({ serialNumber: 'RP-OLD-1', title: '换新前的报修' }))).json();
    const oldUnit = (await t.as.agent.get('/api/units/lookup?serial=RP-OLD-1')).json().items[0];
    const replaced = await t.as.engineer.post(`/api/units/${oldUnit.id}/replace`, { serialNumber: 'RP-NEW-1', reason: '内部：压缩机批次问题，供应商承担', notes: '内部备注：不要告诉客户批次' });
    expect(replaced.statusCode, replaced.body).toBe(201);
    const newId = replaced.json().id as number;
    const second = (await t.as.customer.post('/api/tickets', request({ serialNumber: 'RP-NEW-1', title: '换新后的报修' }))).json();
    // Another customer's own replaced unit, which the first customer must never see.
    await t.as.otherCustomer.post('/api/tickets', { customerId: t.customers.other, title: '别人的旧机', description: 'x', productModel: 'XQG100-BD14', serialNumber: 'OTHER-OLD' });
    const otherOld = (await t.as.agent.get('/api/units/lookup?serial=OTHER-OLD')).json().items[0];
    expect((await t.as.engineer.post(`/api/units/${otherOld.id}/replace`, { serialNumber: 'OTHER-NEW' })).statusCode).toBe(201);

    const mine = await units('customer');
    const current = mine.find((u) => u.serialNumber === 'RP-NEW-1')!;
    expect(current.tickets.map((x) => [x.number, x.serialNumber])).toEqual([
      [second.number, 'RP-NEW-1'],
      [first.number, 'RP-OLD-1'],
    ]);
    expect(current.replaces).toEqual([{ serialNumber: 'RP-OLD-1', at: expect.any(String) }]);
    expect(current.replacedBy).toBeNull();
    const old = mine.find((u) => u.serialNumber === 'RP-OLD-1')!;
    expect(old.replacedBy).toEqual({ serialNumber: 'RP-NEW-1', at: expect.any(String) });
    expect(old.tickets.map((x) => x.number)).toEqual([first.number]);
    // Customer-safe: the replacement's reason and the unit's notes are staff text.
    const text = JSON.stringify(mine);
    expect(text).not.toContain('压缩机批次');
    expect(text).not.toContain('内部备注');
    expect(text).not.toContain('OTHER-');
    expect(JSON.stringify(await units('otherCustomer'))).not.toContain('RP-');

    // The new unit passes to the other customer (sold on): they see it without the former owner's serial or tickets,
    // and the first customer's old unit no longer names it.
    const detail = (await t.as.engineer.get(`/api/units/${newId}`)).json();
    const moved = await t.as.engineer.patch(`/api/units/${newId}`, { customerId: t.customers.other, version: detail.version });
    expect(moved.statusCode, moved.body).toBe(200);
    const theirs = await units('otherCustomer');
    const handed = theirs.find((u) => u.serialNumber === 'RP-NEW-1')!;
    expect(handed.replaces).toEqual([]);
    expect(handed.tickets).toEqual([]);
    expect(JSON.stringify(theirs)).not.toContain('RP-OLD-1');
    expect((await units('customer')).find((u) => u.serialNumber === 'RP-OLD-1')!.replacedBy).toBeNull();
  });
});
