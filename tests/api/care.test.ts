// Installation acceptance, inspection plans, care reminders and 30-day repeat repairs (issue 16): the acceptance starts
// the unit's warranty; a plan's ticket comes ahead of time, exactly once with two sweepers; moving one date keeps the
// cycle; care messages go once per unit and rule and respect opt-outs; repeat repairs are linked and the report's
// figures are recomputed from its rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sweeper } from '../../src/server/jobs/sweeper.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const DAY = 86_400_000;
const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Beijing
const bj = (day: number, hh: number) => new Date(Date.UTC(2026, 10, day, hh - 8)).toISOString();

describe.each(TEST_DIALECTS)('aftercare field follow-up on %s', (dialect) => {
  let t: TestApp;
  let model: string;
  const serials = { n: 0 };

  beforeAll(async () => {
    t = await createTestApp({ dialect, config: { smtpUrl: 'smtp://127.0.0.1:9', mailFrom: 'Aftercare <service@aftercare.test>' } });
    t.clock.set(MONDAY_10);
    const p = await t.as.manager.post('/api/products', { model: 'KFR-50LW/CARE', name: '立柜式空调 2匹', line: 'ac', warrantyMonths: 12, needsInstallation: true });
    expect(p.statusCode, p.body).toBe(201);
    model = p.json().model;
    await t.db.write((trx) => trx.updateTable('customers').set({ email: 'zhang.wei@example.com', email_lower: 'zhang.wei@example.com' }).where('id', '=', t.customers.own).execute());
    await t.db.write((trx) => trx.updateTable('customers').set({ email: 'li.na@example.com', email_lower: 'li.na@example.com', messages_opt_out: 1 }).where('id', '=', t.customers.other).execute());
  });
  afterAll(async () => {
    await t?.close();
  });

  const unit = async (over: Record<string, unknown> = {}) => {
    const res = await t.as.agent.post('/api/units', { customerId: t.customers.own, productModel: model, serialNumber: `SN-CARE-${++serials.n}`, ...over });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; serialNumber: string };
  };
  const ticket = async (body: Record<string, unknown>) => {
    const res = await t.as.agent.post('/api/tickets', { title: '空调安装', description: '新机安装', customerId: t.customers.own, priority: 'P3', productModel: model, departmentId: t.departments.tech_support, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { number: string; id: number };
  };
  const events = async (n: string) => (await t.as.admin.get(`/api/tickets/${n}/events?limit=200`)).json().items as { kind: string; details: Record<string, any> }[];

  it('an installation visit: checklist ticked on site, customer sign-off, the warranty starts that day', async () => {
    const u = await unit({ purchaseDate: '2026-11-01', proofRef: 'INV-1' });
    const tk = await ticket({ serialNumber: u.serialNumber, serviceType: 'installation' });
    await t.as.agent.post(`/api/tickets/${tk.number}/subtasks`, { departmentId: t.departments.logistics, ownerId: t.as.dispatcher.userId, title: '安排安装' });
    const booked = await t.as.dispatcher.post(`/api/tickets/${tk.number}/visits`, { engineerId: t.as.engineer.userId, windowStart: bj(23, 14), windowEnd: bj(23, 16), address: '上海市浦东新区世纪大道100号', kind: 'installation', parts: [], loanerNeeded: false });
    expect(booked.statusCode, booked.body).toBe(201);
    const visitId = booked.json().id as number;
    const first = (await t.as.engineer.get(`/api/visits/${visitId}/acceptance`)).json();
    expect(first).toMatchObject({ accepted: false, version: 0, unitId: u.id });
    expect(first.items.map((i: { label: string }) => i.label)).toEqual(['位置水平', '管路连接', '排水通畅', '通电试机', '讲解使用']);
    // Not on site yet.
    const early = await t.as.engineer.request('PUT', `/api/visits/${visitId}/acceptance/checklist`, { done: ['位置水平'], version: 0 });
    expect(early.statusCode).toBe(409);
    let v = booked.json();
    for (const step of ['accepted', 'departed', 'arrived']) {
      const r = await t.as.engineer.post(`/api/visits/${visitId}/steps`, { step, version: v.version });
      expect(r.statusCode, r.body).toBe(200);
      v = r.json();
    }
    const tick = await t.as.engineer.request('PUT', `/api/visits/${visitId}/acceptance/checklist`, { done: ['位置水平', '管路连接'], version: 0 });
    expect(tick.statusCode, tick.body).toBe(200);
    expect(tick.json().items.filter((i: { done: boolean }) => i.done)).toHaveLength(2);
    // Another engineer cannot see it; the sign-off needs every item ticked (translated, naming what is missing).
    expect((await t.as.engineer2.get(`/api/visits/${visitId}/acceptance`)).statusCode).toBe(404);
    const missing = await t.as.engineer.post(`/api/visits/${visitId}/acceptance`, { signerName: '张伟', confirmed: true, version: 1 }, { 'accept-language': 'en' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.items).toBe('Items not ticked yet: 排水通畅、通电试机、讲解使用');
    const all = await t.as.engineer.request('PUT', `/api/visits/${visitId}/acceptance/checklist`, { done: first.items.map((i: { label: string }) => i.label), version: 1 });
    const signed = await t.as.engineer.post(`/api/visits/${visitId}/acceptance`, { signerName: '张伟', confirmed: true, version: all.json().version });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ accepted: true, acceptedOn: '2026-11-23', signerName: '张伟', signatureKind: 'typed', warrantyStart: '2026-11-23', warrantyEnd: '2027-11-22' });
    // A retry answers the same sign-off; the unit's warranty now starts at the acceptance.
    expect((await t.as.engineer.post(`/api/visits/${visitId}/acceptance`, { signerName: '张伟', confirmed: true, version: all.json().version })).json().acceptedAt).toBe(signed.json().acceptedAt);
    const page = (await t.as.agent.get(`/api/units/${u.id}`)).json();
    expect(page).toMatchObject({ acceptanceDate: '2026-11-23', installDate: '2026-11-23', warranty: { status: 'in', basis: 'installation_acceptance', start: '2026-11-23', end: '2027-11-22' } });
    expect(page.history.some((h: { kind: string; ticket?: { number: string } }) => h.kind === 'installation_accepted' && h.ticket?.number === tk.number)).toBe(true);
    const accepted = (await events(tk.number)).filter((e) => e.kind === 'installation_accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0].details).toMatchObject({ visitId, unitId: u.id, acceptedOn: '2026-11-23', signerName: '张伟' });
  });

  it('a manager edits a product checklist; an agent may not', async () => {
    expect((await t.as.agent.request('PUT', `/api/products/${encodeURIComponent(model)}/installation-checklist`, { items: ['a'] })).statusCode).toBe(403);
    const saved = await t.as.manager.request('PUT', `/api/products/${encodeURIComponent(model)}/installation-checklist`, { items: ['室外机固定', '通电试机'] });
    expect(saved.json()).toEqual({ productModel: model, custom: true, items: ['室外机固定', '通电试机'] });
    const back = await t.as.manager.request('DELETE', `/api/products/${encodeURIComponent(model)}/installation-checklist`);
    expect(back.json().custom).toBe(false);
  });

  it('an on-site plan creates its ticket and sub-task ahead of time, once with two sweepers; reminders and overdue go to its engineers', async () => {
    const u = await unit({ purchaseDate: '2026-01-01', proofRef: 'INV-2' });
    const body = { title: '空调半年巡检', customerId: t.customers.own, unitId: u.id, intervalMonths: 6, mode: 'on_site', engineerIds: [t.as.engineer.userId, t.as.engineer2.userId], leadDays: 7, remindDays: 3, firstDate: '2026-12-10' };
    const res = await t.as.dispatcher.post('/api/inspection-plans', body);
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json();
    expect(plan.next).toMatchObject({ seq: 0, dueDate: '2026-12-10', state: 'scheduled', ticketNumber: null });
    expect((await t.as.agent.post('/api/inspection-plans', body)).statusCode).toBe(403);
    const other = new Sweeper(t.services);
    t.clock.set(Date.parse('2026-12-02T02:00:00Z'));
    await t.sweeper.runOnce();
    expect((await t.as.dispatcher.get(`/api/inspection-plans/${plan.id}`)).json().next.ticketNumber).toBeNull();
    t.clock.set(Date.parse('2026-12-03T02:00:00Z'));
    await Promise.all([t.sweeper.runOnce(), other.runOnce()]);
    await other.runOnce();
    const after = (await t.as.dispatcher.get(`/api/inspection-plans/${plan.id}`)).json();
    expect(after.next).toMatchObject({ seq: 0, state: 'due' });
    const number = after.next.ticketNumber as string;
    expect(number).toMatch(/^\d+$/);
    const tickets = await t.db.read.selectFrom('tickets').select(['number', 'service_type', 'assignee_id', 'unit_id']).where('service_type', '=', 'inspection').execute();
    expect(tickets).toEqual([{ number, service_type: 'inspection', assignee_id: t.as.engineer.userId, unit_id: u.id }]);
    const subs = (await t.as.admin.get(`/api/tickets/${number}/subtasks`)).json().items;
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ departmentId: t.departments.logistics });
    // The next occurrence exists on the cycle.
    expect(after.occurrences.map((o: { seq: number; cycleDate: string }) => [o.seq, o.cycleDate])).toEqual([[0, '2026-12-10'], [1, '2027-06-10']]);
    // Reminder 3 days before; overdue the day after; each once, to both engineers.
    t.clock.set(Date.parse('2026-12-07T02:00:00Z'));
    await Promise.all([t.sweeper.runOnce(), other.runOnce()]);
    t.clock.set(Date.parse('2026-12-11T02:00:00Z'));
    await Promise.all([t.sweeper.runOnce(), other.runOnce()]);
    const notes = await t.db.read.selectFrom('notifications').select(['user_id', 'kind']).where('kind', 'in', ['inspection_due', 'inspection_overdue']).orderBy('kind').orderBy('user_id').execute();
    expect(notes).toEqual([
      { user_id: t.as.engineer.userId, kind: 'inspection_due' },
      { user_id: t.as.engineer2.userId, kind: 'inspection_due' },
      { user_id: t.as.engineer.userId, kind: 'inspection_overdue' },
      { user_id: t.as.engineer2.userId, kind: 'inspection_overdue' },
    ]);
    const overdue = (await t.as.engineer.get('/api/inspection-plans?state=overdue')).json().items;
    expect(overdue.map((p: { id: number }) => p.id)).toEqual([plan.id]);
    // Moving the next occurrence keeps the cycle: the one after stays on 2027-12-10.
    const next = after.occurrences[1];
    const bad = await t.as.dispatcher.post(`/api/inspections/${next.id}/move`, { dueDate: '2027-12-20', reason: '客户出差' }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.dueDate).toBe('Must be before the next inspection on the cycle, 2027-12-10');
    const moved = await t.as.dispatcher.post(`/api/inspections/${next.id}/move`, { dueDate: '2027-06-25', reason: '客户出差' });
    expect(moved.statusCode, moved.body).toBe(200);
    // Completing the overdue one records it and the cycle continues from the first date, not from the moved one.
    const done = await t.as.engineer.post(`/api/inspections/${after.next.id}/complete`, { note: '运行正常' });
    expect(done.statusCode, done.body).toBe(200);
    const occ = done.json().occurrences.map((o: any) => [o.seq, o.cycleDate, o.dueDate, o.state]);
    expect(occ).toEqual([
      [0, '2026-12-10', '2026-12-10', 'done'],
      [1, '2027-06-10', '2027-06-25', 'scheduled'],
    ]);
    t.clock.set(Date.parse('2027-06-18T02:00:00Z'));
    await t.sweeper.runOnce();
    const later = (await t.as.dispatcher.get(`/api/inspection-plans/${plan.id}`)).json();
    expect(later.occurrences.map((o: any) => [o.seq, o.cycleDate, o.dueDate])).toEqual([
      [0, '2026-12-10', '2026-12-10'],
      [1, '2027-06-10', '2027-06-25'],
      [2, '2027-12-10', '2027-12-10'],
    ]);
    expect(later.next.ticketNumber).not.toBeNull();
    t.clock.set(MONDAY_10);
  });

  it('care reminders: one message and one contact per unit and rule, even with two sweepers; opted-out customers are skipped', async () => {
    t.clock.set(MONDAY_10);
    const twoYears = await unit({ purchaseDate: '2024-11-20', proofRef: 'INV-3' }); // 2 years on 2026-11-20
    const ending = await unit({ purchaseDate: '2025-12-10', proofRef: 'INV-4' }); // warranty ends 2026-12-09
    const optedOut = await unit({ customerId: t.customers.other, purchaseDate: '2025-12-15', proofRef: 'INV-5' });
    const a = new Sweeper(t.services);
    const b = new Sweeper(t.services);
    await Promise.all([a.runOnce(), b.runOnce()]);
    await new Sweeper(t.services).runOnce();
    const contacts = (await t.as.agent.get('/api/care/contacts')).json().items as any[];
    const mine = contacts.filter((c) => [twoYears.id, ending.id, optedOut.id].includes(c.unit.id));
    expect(mine.map((c) => [c.unit.id, c.rule, c.messageStatus]).sort()).toEqual(
      [
        [twoYears.id, 'usage_2y', 'queued'],
        [ending.id, 'warranty_ending', 'queued'],
        [optedOut.id, 'warranty_ending', 'skipped'],
      ].sort(),
    );
    const keys = [`care:usage_2y:${twoYears.id}:email`, `care:warranty_ending:${ending.id}:email`, `care:warranty_ending:${optedOut.id}:email`];
    const msgs = await t.db.read.selectFrom('customer_messages').select(['event', 'body', 'status', 'dedupe_key']).where('event', 'in', ['care_check_due', 'warranty_ending']).execute();
    expect(msgs.filter((m) => keys.includes(m.dedupe_key))).toHaveLength(3);
    // Never twice for a unit and rule, whatever the other tests' units got.
    expect(new Set(msgs.map((m) => m.dedupe_key)).size).toBe(msgs.length);
    const check = msgs.find((m) => m.event === 'care_check_due')!;
    expect(check.body).toContain('立柜式空调 2匹');
    expect(check.body).toContain('免费检修');
    const done = await t.as.agent.post(`/api/care/contacts/${mine[0].id}/done`, { note: '已电话联系，预约下周检修' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().contactedBy.id).toBe(t.as.agent.userId);
    expect((await t.as.agent.get('/api/care/contacts')).json().items.some((c: { id: number }) => c.id === mine[0].id)).toBe(false);
  });

  it('a repair of the same unit and fault class within 30 days is linked to the first; the report recomputes from its rows', async () => {
    t.clock.set(MONDAY_10);
    const u = await unit({ purchaseDate: '2026-01-01', proofRef: 'INV-6' });
    const other = await unit({ purchaseDate: '2026-01-01', proofRef: 'INV-7' });
    const repair = (serial: string, faultClass: string) => ticket({ title: '空调不制冷', serialNumber: serial, serviceType: 'repair', faultClass, assigneeId: t.as.engineer.userId });
    const close = (id: number, at: number) => t.db.write((trx) => trx.updateTable('tickets').set({ status: 'closed', is_open: 0, closed_at: at }).where('id', '=', id).execute());
    const idOf = async (n: string) => (await t.db.read.selectFrom('tickets').select('id').where('number', '=', n).executeTakeFirstOrThrow()).id;
    const first = await repair(u.serialNumber, 'hardware');
    await close(await idOf(first.number), MONDAY_10 + 3_600_000);
    const plain = await repair(other.serialNumber, 'hardware');
    await close(await idOf(plain.number), MONDAY_10 + 3_600_000);
    t.clock.set(MONDAY_10 + 10 * DAY);
    const repeat = await repair(u.serialNumber, 'hardware');
    const unrelated = await repair(other.serialNumber, 'usage'); // another problem: not a repeat
    await Promise.all([t.sweeper.runOnce(), new Sweeper(t.services).runOnce()]);
    const links = (await t.as.agent.get(`/api/tickets/${repeat.number}/links`)).json().items;
    expect(links).toEqual([expect.objectContaining({ kind: 'repeat_repair', role: 'first', ticket: expect.objectContaining({ number: first.number }), faultClass: 'hardware' })]);
    expect((await t.as.agent.get(`/api/tickets/${first.number}/links`)).json().items).toEqual([expect.objectContaining({ role: 'repeat', ticket: expect.objectContaining({ number: repeat.number }) })]);
    expect((await t.as.agent.get(`/api/tickets/${unrelated.number}/links`)).json().items).toEqual([]);
    expect((await events(repeat.number)).filter((e) => e.kind === 'ticket_linked')).toHaveLength(1);
    expect((await events(first.number)).filter((e) => e.kind === 'ticket_linked')).toHaveLength(1);
    expect((await t.as.agent.get('/api/reports/repeat-repairs?from=2026-11-01&to=2026-11-30')).statusCode).toBe(403);
    const report = (await t.as.manager.get('/api/reports/repeat-repairs?from=2026-11-01&to=2026-11-30')).json();
    expect(report.target).toBe(0.05);
    const rows = report.rows as { number: string; productModel: string; engineer: { id: number } | null; month: string; repeat: { number: string } | null }[];
    expect(rows.map((r) => r.number).sort()).toEqual([first.number, plain.number].sort());
    expect(rows.find((r) => r.number === first.number)!.repeat!.number).toBe(repeat.number);
    // Every figure from the listed rows.
    const recompute = (key: (r: (typeof rows)[number]) => string) => {
      const g = new Map<string, { closed: number; repeats: number }>();
      for (const r of rows) {
        const x = g.get(key(r)) ?? { closed: 0, repeats: 0 };
        x.closed++;
        if (r.repeat) x.repeats++;
        g.set(key(r), x);
      }
      return Object.fromEntries([...g].map(([k, x]) => [k, { closed: x.closed, repeats: x.repeats, rate: x.repeats / x.closed }]));
    };
    const asMap = (groups: { key: string; closed: number; repeats: number; rate: number }[]) => Object.fromEntries(groups.map((g) => [g.key, { closed: g.closed, repeats: g.repeats, rate: g.rate }]));
    expect(asMap(report.byModel)).toEqual(recompute((r) => r.productModel ?? ''));
    expect(asMap(report.byEngineer)).toEqual(recompute((r) => String(r.engineer?.id ?? '')));
    expect(asMap(report.byMonth)).toEqual(recompute((r) => r.month));
    expect(report.total).toMatchObject({ closed: 2, repeats: 1, rate: 0.5 });
    const bad = await t.as.manager.get('/api/reports/repeat-repairs?from=2026-11-30&to=2026-11-01', { 'accept-language': 'en' });
    expect(bad.json().error.fields.to).toBe('The end date cannot be before the start date');
  });
  it("counts a visit report's fault class as the same problem as the ticket's", async () => {
    t.clock.set(MONDAY_10 + 40 * DAY);
    const u = await unit({ purchaseDate: '2026-01-01', proofRef: 'INV-8' });
    const first = await ticket({ title: '空调遥控失灵', serialNumber: u.serialNumber, serviceType: 'repair', assigneeId: t.as.engineer.userId });
    const firstId = (await t.db.read.selectFrom('tickets').select(['id', 'unit_id']).where('number', '=', first.number).executeTakeFirstOrThrow());
    // The engineer's report on the visit says "software"; the ticket itself has no fault class.
    const now = t.clock.now();
    await t.db.write(async (trx) => {
      const v = await trx
        .insertInto('visits')
        .values({ ticket_id: firstId.id, unit_id: firstId.unit_id, engineer_id: t.as.engineer.userId, kind: 'repair', status: 'left', window_start: now, window_end: now + 3_600_000, address: '上海', parts: '[]', loaner_needed: 0, created_at: now, updated_at: now, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('visit_reports').values({ visit_id: v.id, diagnosis: '主板程序异常', cause: '固件', fault_class: 'software', work_done: '刷新固件', updated_at: now, updated_by: t.as.engineer.userId, version: 1 }).execute();
      await trx.updateTable('tickets').set({ status: 'closed', is_open: 0, closed_at: now }).where('id', '=', firstId.id).execute();
    });
    t.clock.set(now + 5 * DAY);
    const again = await ticket({ title: '空调遥控又失灵', serialNumber: u.serialNumber, serviceType: 'repair', faultClass: 'software' });
    await new Sweeper(t.services).runOnce();
    const links = (await t.as.agent.get(`/api/tickets/${again.number}/links`)).json().items;
    expect(links).toEqual([expect.objectContaining({ role: 'first', ticket: expect.objectContaining({ number: first.number }), faultClass: 'software' })]);
    t.clock.set(MONDAY_10);
  });
});
