// On-site visits (issue 16, SPEC §10, seed 002): booking refuses overlaps and warns on short travel gaps, reschedule
// needs a reason, engineers see and step only their own visits, the customer is told, the board and free slots,
// engineer suggestions with reasons, and phone guidance's check-back task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Beijing
/** An ISO instant at hh:mm Beijing time on a November 2026 day. */
const bj = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 8, mm)).toISOString();

describe.each(TEST_DIALECTS)('on-site visits on %s', (dialect) => {
  let t: TestApp;
  let number: string;

  beforeAll(async () => {
    // Customer messages are set up (e-mail), so a booking queues one; nothing is delivered in these tests.
    t = await createTestApp({ dialect, config: { smtpUrl: 'smtp://127.0.0.1:9', mailFrom: 'Aftercare <service@aftercare.test>' } });
    t.clock.set(MONDAY_10);
    const model = { model: 'KFR-35GW/BP3DN8Y', name: '变频挂壁式空调 1.5匹', line: 'ac', warranty_months: 72 };
    if (!(await t.db.read.selectFrom('products').select('id').where('model', '=', model.model).executeTakeFirst())) await t.db.write((trx) => trx.insertInto('products').values(model).execute());
    await t.db.write((trx) => trx.updateTable('customers').set({ email: 'zhang.wei@example.com', email_lower: 'zhang.wei@example.com' }).where('id', '=', t.customers.own).execute());
    number = await newTicket();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newTicket(): Promise<string> {
    const res = await t.as.agent.post('/api/tickets', {
      title: '空调不制冷',
      description: '开机半小时仍不制冷，需要上门检查',
      customerId: t.customers.own,
      priority: 'P3',
      productModel: 'KFR-35GW/BP3DN8Y',
      departmentId: t.departments.tech_support,
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().number as string;
    // Tech support asks logistics to arrange the visit (a sub-task): that is how the dispatcher comes to see the ticket.
    const sub = await t.as.agent.post(`/api/tickets/${n}/subtasks`, { departmentId: t.departments.logistics, ownerId: t.as.dispatcher.userId, title: '安排上门' });
    expect(sub.statusCode, sub.body).toBe(201);
    return n;
  }

  const book = (over: Record<string, unknown> = {}, who = 'dispatcher', lang = 'zh-CN', ticket = number) =>
    t.as[who].post(
      `/api/tickets/${ticket}/visits`,
      { engineerId: t.as.engineer.userId, windowStart: bj(24, 14), windowEnd: bj(24, 16), address: '上海市浦东新区世纪大道100号 3号楼1201', area: '浦东', parts: ['压缩机电容'], loanerNeeded: false, ...over },
      { 'accept-language': lang },
    );
  const events = async (n: string) => (await t.as.admin.get(`/api/tickets/${n}/events?limit=200`)).json().items as { kind: string; internal: boolean; note: string | null; details: Record<string, any> }[];
  const messages = (event: string) => t.db.read.selectFrom('customer_messages').select(['event', 'body', 'status']).where('event', '=', event).execute();

  let visitId: number;

  it('books a visit, writes the timeline and queues the customer message in their language', async () => {
    const res = await book();
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    visitId = v.id;
    expect(v).toMatchObject({ ticketNumber: number, engineer: { id: t.as.engineer.userId }, kind: 'repair', status: 'booked', area: '浦东', parts: ['压缩机电容'], contactName: '张伟', contactPhone: '13812345678', late: false, windowStart: bj(24, 14) });
    const booked = (await events(number)).filter((e) => e.kind === 'visit_booked');
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ internal: true, details: { visitId: v.id, engineerId: t.as.engineer.userId } });
    const msgs = await messages('appointment_booked');
    expect(msgs).toHaveLength(1);
    expect(msgs[0].status).toBe('queued');
    expect(msgs[0].body).toContain('11月24日 14:00–16:00');
    expect(msgs[0].body).toContain('t_engineer');
  });

  it('refuses an overlapping booking with a translated 409 naming the visit in the way', async () => {
    const before = (await messages('appointment_booked')).length;
    const zh = await book({ windowStart: bj(24, 15), windowEnd: bj(24, 17) });
    expect(zh.statusCode).toBe(409);
    expect(zh.json().error.message).toBe(`与已有上门冲突：t_engineer 11月24日 14:00–16:00（工单 ${number}，预约 #${visitId}）`);
    const en = await book({ windowStart: bj(24, 15), windowEnd: bj(24, 17), force: true, forceReason: 'customer insists' }, 'dispatcher', 'en');
    expect(en.statusCode).toBe(409); // force never books over another visit
    expect(en.json().error.message).toBe(`Conflicts with a booked visit: t_engineer 24 Nov 14:00–16:00 (ticket ${number}, visit #${visitId})`);
    expect(en.json().error.fields.windowStart).toBeDefined();
    expect((await messages('appointment_booked')).length).toBe(before);
    // Another engineer is free then.
    const other = await book({ engineerId: t.as.engineer2.userId, windowStart: bj(24, 15), windowEnd: bj(24, 17) });
    expect(other.statusCode, other.body).toBe(201);
  });

  it('warns on a short travel gap and books it once the dispatcher confirms with a reason', async () => {
    const ticket = await newTicket();
    const warn = await book({ windowStart: bj(24, 16, 10), windowEnd: bj(24, 17, 30) }, 'dispatcher', 'en', ticket);
    expect(warn.statusCode).toBe(409);
    expect(warn.json().error.fields.force).toContain('Only 10 min');
    expect(warn.json().error.fields.force).toContain('needs 30 min');
    const noReason = await book({ windowStart: bj(24, 16, 10), windowEnd: bj(24, 17, 30), force: true }, 'dispatcher', 'en', ticket);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.forceReason).toBe('Give a reason to book anyway');
    const ok = await book({ windowStart: bj(24, 16, 10), windowEnd: bj(24, 17, 30), force: true, forceReason: '两家在同一小区' }, 'dispatcher', 'zh-CN', ticket);
    expect(ok.statusCode, ok.body).toBe(201);
    const e = (await events(ticket)).find((x) => x.kind === 'visit_booked')!;
    expect(e).toMatchObject({ note: '两家在同一小区', details: { shortGaps: 1 } });
  });

  it('only dispatchers and supervisors book and move; engineers see only their own visits', async () => {
    for (const who of ['agent', 'engineer', 'manager', 'qa', 'customer']) expect((await book({ windowStart: bj(25, 9), windowEnd: bj(25, 10) }, who)).statusCode, who).toBe(403);
    const sup = await book({ windowStart: bj(25, 9), windowEnd: bj(25, 10) }, 'supervisor');
    expect(sup.statusCode, sup.body).toBe(201);

    const mine = (await t.as.engineer.get(`/api/tickets/${number}/visits`)).json().items as { engineer: { id: number } }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((v) => v.engineer.id === t.as.engineer.userId)).toBe(true);
    const all = (await t.as.agent.get(`/api/tickets/${number}/visits`)).json().items as { engineer: { id: number } }[];
    expect(all.some((v) => v.engineer.id === t.as.engineer2.userId)).toBe(true);
    const otherVisit = all.find((v) => v.engineer.id === t.as.engineer2.userId) as unknown as { id: number };
    expect((await t.as.engineer.get(`/api/visits/${otherVisit.id}`)).statusCode).toBe(404);
    const board = (await t.as.engineer.get('/api/dispatch/board?from=2026-11-23&days=7')).json();
    expect(board.engineers.map((e: { id: number }) => e.id)).toEqual([t.as.engineer.userId]);
    expect(board.visits.every((v: { engineer: { id: number } }) => v.engineer.id === t.as.engineer.userId)).toBe(true);
    // QA reads, with the phone masked; customers read nothing here.
    const qa = (await t.as.qa.get(`/api/visits/${visitId}`)).json();
    expect(qa.contactPhone).toBe('138****5678');
    expect((await t.as.customer.get(`/api/tickets/${number}/visits`)).statusCode).toBe(403);
  });

  it('reschedules only with a reason, tells the customer, and checks the new slot', async () => {
    const v = (await t.as.dispatcher.get(`/api/visits/${visitId}`)).json();
    const noReason = await t.as.dispatcher.post(`/api/visits/${visitId}/reschedule`, { windowStart: bj(26, 9), windowEnd: bj(26, 11), version: v.version });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields, noReason.body).toHaveProperty('reason');
    const byEngineer = await t.as.engineer.post(`/api/visits/${visitId}/reschedule`, { windowStart: bj(26, 9), windowEnd: bj(26, 11), reason: '客户改约', version: v.version });
    expect(byEngineer.statusCode).toBe(403);
    // Onto engineer2's visit: refused.
    const clash = await t.as.dispatcher.post(`/api/visits/${visitId}/reschedule`, { engineerId: t.as.engineer2.userId, windowStart: bj(24, 16), windowEnd: bj(24, 17), reason: '改派', version: v.version });
    expect(clash.statusCode).toBe(409);
    const moved = await t.as.dispatcher.post(`/api/visits/${visitId}/reschedule`, { engineerId: t.as.engineer2.userId, windowStart: bj(26, 9), windowEnd: bj(26, 11), reason: '客户周四才在家', version: v.version });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ engineer: { id: t.as.engineer2.userId }, windowStart: bj(26, 9), version: v.version + 1 });
    const e = (await events(number)).find((x) => x.kind === 'visit_rescheduled')!;
    expect(e).toMatchObject({ internal: true, note: '客户周四才在家', details: { fromEngineerId: t.as.engineer.userId, engineerId: t.as.engineer2.userId, fromStart: bj(24, 14) } });
    const msgs = await messages('appointment_changed');
    expect(msgs).toHaveLength(1);
    expect(msgs[0].body).toContain('11月26日 09:00–11:00');
    expect(msgs[0].body).toContain('客户周四才在家');
    // A stale version is refused.
    expect((await t.as.dispatcher.post(`/api/visits/${visitId}/reschedule`, { windowStart: bj(26, 13), windowEnd: bj(26, 14), reason: 'x', version: v.version })).statusCode).toBe(409);
    // Move it back to engineer for the step test below.
    const back = await t.as.dispatcher.post(`/api/visits/${visitId}/reschedule`, { engineerId: t.as.engineer.userId, windowStart: bj(23, 13, 30), windowEnd: bj(23, 15), reason: '提前到今天', version: v.version + 1 });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('lets only the engineer record the steps, in order, and flags a late arrival', async () => {
    let v = (await t.as.engineer.get(`/api/visits/${visitId}`)).json();
    expect((await t.as.engineer2.post(`/api/visits/${visitId}/steps`, { step: 'accepted', version: v.version })).statusCode).toBe(404);
    expect((await t.as.dispatcher.post(`/api/visits/${visitId}/steps`, { step: 'accepted', version: v.version })).statusCode).toBe(403);
    const skip = await t.as.engineer.post(`/api/visits/${visitId}/steps`, { step: 'arrived', version: v.version }, { 'accept-language': 'en' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.message).toBe('The visit is "booked"; "arrived" cannot be recorded now');
    const mineToday = (await t.as.engineer.get('/api/visits/mine')).json().items as { id: number }[];
    expect(mineToday.map((x) => x.id)).toContain(visitId);

    for (const [step, at] of [['accepted', 0], ['departed', 3 * 60], ['arrived', 5 * 60 + 20]] as const) {
      t.clock.set(MONDAY_10 + at * 60_000);
      const r = await t.as.engineer.post(`/api/visits/${visitId}/steps`, { step, version: v.version });
      expect(r.statusCode, r.body).toBe(200);
      v = r.json();
    }
    // Window 13:30–15:00, arrived 15:20.
    expect(v).toMatchObject({ status: 'arrived', late: true });
    expect(v.steps.arrived).toBe(bj(23, 15, 20));
    expect((await messages('engineer_on_the_way')).length).toBe(1);
    // Signature and charges may be passed over; a step already passed cannot be recorded.
    v = (await t.as.engineer.post(`/api/visits/${visitId}/steps`, { step: 'work_done', version: v.version })).json();
    v = (await t.as.engineer.post(`/api/visits/${visitId}/steps`, { step: 'left', version: v.version })).json();
    expect(v.status).toBe('left');
    expect((await t.as.engineer.post(`/api/visits/${visitId}/steps`, { step: 'signed', version: v.version })).statusCode).toBe(409);
    const steps = (await events(number)).filter((e) => e.kind === 'visit_step').map((e) => [e.details.step, e.details.late]);
    expect(steps).toEqual(expect.arrayContaining([['arrived', true], ['left', false]]));
    t.clock.set(MONDAY_10);
  });

  it('shows the board and free slots on working days only, clear of booked visits and travel gaps', async () => {
    const board = await t.as.agent.get('/api/dispatch/board?from=2026-11-23&days=7');
    expect(board.statusCode, board.body).toBe(200);
    const b = board.json();
    expect(b.days.map((d: { working: boolean }) => d.working)).toEqual([true, true, true, true, true, false, false]);
    expect(b.engineers.map((e: { id: number }) => e.id).sort()).toEqual([t.as.engineer.userId, t.as.engineer2.userId].sort());
    expect(b.visits.length).toBeGreaterThanOrEqual(4);
    // The board's card shape: the visit's own fields, by start, without its contact, parts or steps.
    const starts = b.visits.map((v: { windowStart: string }) => v.windowStart);
    expect([...starts].sort()).toEqual(starts);
    for (const v of b.visits) {
      const full = (await t.as.agent.get(`/api/visits/${v.id}`)).json();
      const { id, ticketNumber, ticketTitle, customerName, engineer, provider, kind, status, windowStart, windowEnd, address, area, late, version } = full;
      expect(v).toEqual({ id, ticketNumber, ticketTitle, customerName, engineer, provider, kind, status, windowStart, windowEnd, address, area, late, version });
    }

    const free = await t.as.dispatcher.get(`/api/dispatch/free-slots?from=2026-11-24&days=1&durationMinutes=60&engineerIds=${t.as.engineer.userId}`);
    expect(free.statusCode, free.body).toBe(200);
    const slots = free.json().engineers[0].slots as { start: string; end: string }[];
    // On the 24th the engineer has 16:10–17:30 (the forced booking) only; 30 min of travel either side.
    expect(slots[0]).toEqual({ start: bj(24, 9), end: bj(24, 10) });
    expect(slots.at(-1)).toEqual({ start: bj(24, 14, 30), end: bj(24, 15, 30) });
    for (const s of slots) expect(Date.parse(s.end)).toBeLessThanOrEqual(Date.parse(bj(24, 15, 40)));
    expect(slots).toHaveLength(12);
  });

  it('suggests engineers with translated reasons', async () => {
    await t.as.dispatcher.request('PUT', `/api/dispatch/engineers/${t.as.engineer2.userId}/profile`, { area: '浦东', productLines: ['ac'] });
    const res = await t.as.dispatcher.get(`/api/tickets/${number}/visit-suggestions?from=2026-11-24&days=3&area=${encodeURIComponent('浦东')}&windowStart=${encodeURIComponent(bj(25, 14))}&windowEnd=${encodeURIComponent(bj(25, 16))}&parts=true`, { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.productLine).toBe('ac');
    expect(s.items[0].engineer.id).toBe(t.as.engineer2.userId);
    expect(s.items[0].reasons.map((r: { text: string }) => r.text)).toEqual([
      'Qualified for the product line (ac)',
      'Same service area: 浦东',
      'The requested window is free with enough travel time',
      expect.stringMatching(/^\d+ free slots in the range$/),
    ]);
    expect(s.items[0].slot).toEqual({ start: bj(25, 14), end: bj(25, 16) });
    expect((await t.as.engineer.get(`/api/tickets/${number}/visit-suggestions?from=2026-11-24`)).statusCode).toBe(403);
  });

  it('records phone guidance with a check-back sub-task due 2 hours later', async () => {
    const ticket = await newTicket();
    const res = await t.as.engineer.post(`/api/tickets/${ticket}/phone-guidance`, { note: '指导客户清洗滤网并重新设置模式' }, { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().dueAt).toBe(new Date(MONDAY_10 + 2 * 3_600_000).toISOString());
    const subs = (await t.as.engineer.get(`/api/tickets/${ticket}/subtasks`)).json().items.filter((x: { title: string }) => x.title !== '安排上门');
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ id: res.json().subtaskId, title: 'Check back after phone guidance (within 2 h)', status: 'open', owner: { id: t.as.engineer.userId } });
    const e = (await events(ticket)).find((x) => x.kind === 'phone_guidance')!;
    expect(e).toMatchObject({ internal: true, note: '指导客户清洗滤网并重新设置模式' });
    expect((await t.as.qa.post(`/api/tickets/${ticket}/phone-guidance`, { note: 'x' })).statusCode).toBe(403);
  });
});
