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
});
