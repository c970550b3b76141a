// Service promises end to end through the API: stored deadlines on China's calendar, pause / resume, recompute,
// the sweeper's warnings, breaches and escalations (each once), routing, review, confirmation, sub-tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Monday 2026-11-23 10:00 in Beijing (02:00 UTC); working hours 09:00–12:00 and 13:30–18:00.
const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z');

type Event = { kind: string; details: Record<string, unknown> | null; changes: { field: string; after: unknown }[]; note: string | null };

describe.each(TEST_DIALECTS)('service promises on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = async (over: Record<string, unknown> = {}) => {
    const res = await t.as.agent.post('/api/tickets', {
      title: '冰箱不制冷',
      description: '冷藏室温度一直在 15 度以上',
      customerId: t.customers.own,
      priority: 'P2',
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const events = async (number: string): Promise<Event[]> => (await t.as.admin.get(`/api/tickets/${number}/events?limit=200`)).json().items;
  const ticket = async (number: string) => (await t.as.admin.get(`/api/tickets/${number}`)).json();
  const due = (tk: { sla: { clocks: { clock: string; dueAt: string; state: string; target?: unknown }[] } }, clock: string) => tk.sla.clocks.find((c) => c.clock === clock);

  it('stores every clock on the ticket in working time of the China calendar', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ reportedAt: new Date(MONDAY_10).toISOString() });
    expect(tk.sla.policyName).toBe('P2 重要');
    // 8 working hours from Monday 10:00: 2 h + 4.5 h on Monday, 1.5 h on Tuesday → Tuesday 10:30.
    expect(due(tk, 'startHandling')!.dueAt).toBe('2026-11-24T02:30:00.000Z');
    expect(due(tk, 'firstResponse')!.dueAt).toBe('2026-11-23T02:30:00.000Z');
    expect(due(tk, 'firstResponse')!.state).toBe('ok');
    expect(tk.sla.nextDueAt).toBe('2026-11-23T02:30:00.000Z');
    expect(tk.sla.uncoveredYears).toEqual([]);
  });

  it('skips the National Day holiday and counts the make-up working days (调休)', async () => {
    // Wednesday 30 Sep 2026, 17:00 in Beijing: 1 h that day, then 1–7 Oct off; 8 Oct: 3 h + 4 h → 17:30.
    t.clock.set(Date.parse('2026-09-30T09:00:00.000Z'));
    const tk = await create({ reportedAt: '2026-09-30T09:00:00.000Z' });
    expect(due(tk, 'startHandling')!.dueAt).toBe('2026-10-08T09:30:00.000Z');
    // Sunday 20 Sep 2026 is a make-up working day: a ticket reported on Saturday 19 Sep 10:00 starts counting then.
    t.clock.set(Date.parse('2026-09-19T02:00:00.000Z'));
    const sat = await create({ reportedAt: '2026-09-19T02:00:00.000Z' });
    expect(due(sat, 'firstResponse')!.dueAt).toBe('2026-09-20T01:30:00.000Z');
    t.clock.set(MONDAY_10);
  });

  it('computes into a year without holiday data, says so on the ticket, and tells the admins once', async () => {
    // 31 Dec 2026, 10:00 in Beijing: the 72-working-hour resolution runs into 2027, which chinese-days does not cover.
    t.clock.set(Date.parse('2026-12-31T02:00:00.000Z'));
    const tk = await create({ priority: 'P3', reportedAt: '2026-12-31T02:00:00.000Z' });
    expect(tk.sla.uncoveredYears).toEqual([2027]);
    await t.sweeper.runOnce();
    t.clock.advance(2 * HOUR);
    await t.sweeper.runOnce();
    const admin = (await t.as.admin.get('/api/notifications')).json().items.filter((n: { kind: string }) => n.kind === 'calendar_uncovered');
    expect(admin).toHaveLength(1);
    expect(admin[0].data).toMatchObject({ year: 2027 });
    t.clock.set(MONDAY_10);
  });

  it("recomputes a customer's open tickets when their tier changes the policy", async () => {
    t.clock.set(MONDAY_10);
    const policies = (await t.as.admin.get('/api/sla/policies')).json().items;
    const p2 = policies.find((p: { priority: string }) => p.priority === 'P2');
    await t.as.admin.post('/api/sla/policies', { name: 'VIP P2', priority: 'P2', customerTier: 'vip', calendarId: p2.calendarId, targets: { startHandling: { amount: 60, unit: 'working_minutes' } } });
    const created = await t.as.agent.post('/api/customers', { name: '陈先生', phone: '13611112222', tier: 'normal' });
    const tk = await create({ customerId: created.json().id });
    expect(tk.sla.policyName).toBe('P2 重要');
    await t.as.agent.patch(`/api/customers/${created.json().id}`, { tier: 'vip', version: created.json().version });
    const after = await ticket(tk.number);
    expect(after.sla.policyName).toBe('VIP P2');
    expect(due(after, 'startHandling')!.dueAt).toBe('2026-11-23T03:00:00.000Z');
    expect((await events(tk.number)).find((e) => e.kind === 'sla_recomputed')!.details).toMatchObject({ reason: 'customer' });
  });

  it('fires a warning and a breach once each, escalates to the manager, then to the director', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ reportedAt: new Date(MONDAY_10).toISOString(), departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    // 80 % of the 30-minute first response = 24 min.
    t.clock.set(MONDAY_10 + 25 * MIN);
    await t.sweeper.runOnce();
    await t.sweeper.runOnce();
    let ev = await events(tk.number);
    expect(ev.filter((e) => e.kind === 'sla_warning').map((e) => e.details!.clock)).toEqual(['firstResponse']);
    expect((await ticket(tk.number)).sla.clocks.find((c: { clock: string }) => c.clock === 'firstResponse').state).toBe('warning');
    const engineerBell = (await t.as.engineer.get('/api/notifications')).json();
    expect(engineerBell.items.map((n: { kind: string }) => n.kind)).toContain('sla_warning');

    t.clock.set(MONDAY_10 + 31 * MIN);
    await t.sweeper.runOnce();
    await t.sweeper.runOnce();
    ev = await events(tk.number);
    expect(ev.filter((e) => e.kind === 'sla_breach').map((e) => e.details!.clock)).toEqual(['firstResponse']);
    const escalated = ev.filter((e) => e.kind === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0].details).toMatchObject({ level: 1, to: 't_manager', reason: 'breach' });
    let after = await ticket(tk.number);
    expect(after.escalation).toMatchObject({ level: 1, to: { id: t.as.manager.userId } });
    expect(after.sla.clocks.find((c: { clock: string }) => c.clock === 'firstResponse').state).toBe('breached');
    expect((await t.as.manager.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toContain('escalated');
    // The sweeper never bumps the version: nobody's open edit goes stale because a clock ran out.
    expect(after.version).toBe(tk.version);

    // The manager does not acknowledge within 4 working hours (10:31 → 16:01 over the lunch break) → the director.
    t.clock.set(MONDAY_10 + 31 * MIN + 5 * HOUR);
    await t.sweeper.runOnce();
    expect((await ticket(tk.number)).escalation.level).toBe(1);
    t.clock.set(MONDAY_10 + 31 * MIN + 6 * HOUR);
    await t.sweeper.runOnce();
    after = await ticket(tk.number);
    expect(after.escalation.level).toBe(2);
    expect(after.escalation.to.id).toBe(t.as.director.userId);
    expect((await events(tk.number)).filter((e) => e.kind === 'escalated').map((e) => e.details!.level)).toEqual([1, 2]);
    expect((await t.as.director.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toContain('escalation_overdue');
    expect((await t.as.engineer.post(`/api/tickets/${tk.number}/escalate`, { reason: '再升一级' })).statusCode).toBe(409);
    t.clock.set(MONDAY_10);
  });

  it('lets the manager acknowledge a manual escalation in time, which stops the second level', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, priority: 'P3' });
    expect((await t.as.engineer.post(`/api/tickets/${tk.number}/escalate`, { reason: '' })).statusCode).toBe(400);
    const up = await t.as.engineer.post(`/api/tickets/${tk.number}/escalate`, { reason: '客户要求主管介入' });
    expect(up.statusCode).toBe(200);
    expect(up.json().escalation).toMatchObject({ level: 1, to: { id: t.as.manager.userId } });
    expect((await t.as.engineer2.post(`/api/tickets/${tk.number}/escalation/acknowledge`, {})).statusCode).toBe(403);
    const manager = await t.as.manager.get(`/api/tickets/${tk.number}`);
    expect(manager.json().allowedActions).toContain('acknowledge');
    const ack = await t.as.manager.post(`/api/tickets/${tk.number}/escalation/acknowledge`, { note: '已安排资深工程师' });
    expect(ack.json().escalation.ackedAt).not.toBeNull();
    t.clock.set(MONDAY_10 + 6 * HOUR);
    await t.sweeper.runOnce();
    expect((await ticket(tk.number)).escalation.level).toBe(1);
    const ev = await events(tk.number);
    expect(ev.find((e) => e.kind === 'escalated')!.details).toMatchObject({ reason: 'manual', level: 1 });
    expect(ev.find((e) => e.kind === 'escalation_acknowledged')!.note).toBe('已安排资深工程师');
    t.clock.set(MONDAY_10);
  });

  it('pauses every clock while waiting for the customer and moves the deadlines by exactly the paused working time', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ priority: 'P3', departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    const before = await ticket(tk.number);
    const resolveBefore = Date.parse(due(before, 'resolve')!.dueAt);
    t.clock.set(MONDAY_10 + HOUR);
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'waiting_customer', note: '等客户发来照片' });
    const paused = await ticket(tk.number);
    expect(paused.sla.paused).toBe(true);
    expect(due(paused, 'resolve')!.state).toBe('paused');
    // Monday 11:00 → 15:00 is 1 h (to 12:00) + 1.5 h (13:30–15:00) = 2.5 working hours.
    t.clock.set(MONDAY_10 + 5 * HOUR);
    const resumed = (await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' })).json();
    expect(resumed.sla.paused).toBe(false);
    // 3 working days from Monday 10:00 = Thursday 26 Nov 10:00; + 2.5 working hours = 12:00, then 0.5 h after lunch → 14:00.
    expect(new Date(resolveBefore).toISOString()).toBe('2026-11-26T02:00:00.000Z');
    expect(due(resumed, 'resolve')!.dueAt).toBe('2026-11-26T06:00:00.000Z');
    t.clock.set(MONDAY_10);
  });

  it('lists only the open clocks in the queue, while the ticket itself keeps every clock', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ priority: 'P3', departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    type Clock = { clock: string; metAt: string | null; state: string };
    const listed = async () => {
      const res = await t.as.admin.get(`/api/tickets?q=${tk.number}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.find((i: { number: string }) => i.number === tk.number);
    };
    const full = await ticket(tk.number);
    const open = (full.sla.clocks as Clock[]).filter((c) => c.metAt === null && c.state !== 'stopped');
    // Starting work met the first response; the follow-up call has not started: both are left out of the queue.
    expect((full.sla.clocks as Clock[]).filter((c) => c.metAt !== null).map((c) => c.clock)).toContain('firstResponse');
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(full.sla.clocks.length);
    const item = await listed();
    expect(item.sla.clocks).toEqual(open);
    expect({ ...item.sla, clocks: null }).toEqual({ ...full.sla, clocks: null });

    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'waiting_customer', note: '等客户回电' });
    const paused = await listed();
    expect(paused.sla.paused).toBe(true);
    expect(paused.sla.clocks.length).toBeGreaterThan(0);
    expect(paused.sla.clocks.every((c: Clock) => c.state === 'paused')).toBe(true);
  });

  it('recomputes the deadlines when the priority changes, and says so in the timeline', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ priority: 'P3' });
    expect(due(tk, 'resolve')).toBeTruthy();
    const p1 = (await t.as.agent.patch(`/api/tickets/${tk.number}`, { priority: 'P1', version: tk.version })).json();
    expect(p1.sla.policyName).toBe('P1 紧急（核心业务 / 安全）');
    expect(due(p1, 'resolve')).toBeUndefined();
    expect(due(p1, 'startHandling')!.dueAt).toBe('2026-11-23T06:00:00.000Z'); // Monday 10:00 + 4 clock hours = 14:00
    expect(due(p1, 'startHandling')!.target).toEqual({ amount: 4, unit: 'clock_hours' });
    expect((await events(tk.number)).some((e) => e.kind === 'sla_recomputed')).toBe(true);
  });

  it('goes solution → review → customer confirmation; an unhappy customer reopens it one priority up with a 24 h plan', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ priority: 'P3', departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    const submitted = await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换温控器后测试 2 小时正常' });
    expect(submitted.json()).toMatchObject({ status: 'pending_review', reviewStage: 'first', solution: '更换温控器后测试 2 小时正常' });
    // The service desk's supervisor (客服主管) is asked to review (seed 001), whichever department worked it.
    expect((await t.as.supervisor.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toContain('review_requested');
    const returned = await t.as.manager.post(`/api/tickets/${tk.number}/review`, { approve: false });
    expect(returned.statusCode).toBe(400);
    expect((await t.as.manager.post(`/api/tickets/${tk.number}/review`, { approve: false, comment: '请附上测试照片' })).json().status).toBe('in_progress');
    await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换温控器，附测试照片' });
    const approved = (await t.as.manager.post(`/api/tickets/${tk.number}/review`, { approve: true })).json();
    expect(approved.status).toBe('pending_confirmation');
    expect(due(approved, 'followUp')).toBeTruthy();
    // While the customer weighs the resolution no progress update is owed.
    expect(due(approved, 'nextUpdate')!.state).toBe('stopped');
    // The solution reached the customer: the resolve clock awaits their confirmation, it is not "met" yet.
    expect(due(approved, 'resolve')).toMatchObject({ state: 'awaiting_customer', metAt: null });
    const queued = (await t.as.admin.get(`/api/tickets?q=${tk.number}`)).json().items.find((i: { number: string }) => i.number === tk.number);
    expect(queued.sla.clocks.find((c: { clock: string }) => c.clock === 'resolve')).toMatchObject({ state: 'awaiting_customer' });
    const unhappy = await t.as.agent.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false });
    expect(unhappy.statusCode).toBe(400);
    const reopened = (await t.as.agent.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false, customerWords: '用了一天又不制冷了' })).json();
    expect(reopened).toMatchObject({ status: 'reopened', priority: 'P2', improvementDueAt: new Date(MONDAY_10 + 24 * HOUR).toISOString() });
    // Not resolved any more: no follow-up call is due, and the improvement plan is the ticket's next deadline.
    expect(due(reopened, 'followUp')).toBeUndefined();
    expect(reopened.sla.nextDueAt).toBe(new Date(MONDAY_10 + 24 * HOUR).toISOString());
    // The reopened ticket owes the customer progress updates again, counted from the reopening (SPEC §6).
    const update = due(reopened, 'nextUpdate')!;
    expect(update).toMatchObject({ state: 'ok', metAt: null });
    expect(Date.parse(update.dueAt)).toBeGreaterThan(MONDAY_10);
    const ev = await events(tk.number);
    expect(ev.find((e) => e.kind === 'customer_rejected')).toMatchObject({ note: '用了一天又不制冷了', details: { priorityBefore: 'P3', priorityAfter: 'P2' } });
    expect(ev.map((e) => e.kind)).toEqual(expect.arrayContaining(['solution_submitted', 'review_returned', 'review_approved', 'customer_rejected']));
  });

  it('closes a complaint the customer is satisfied with (the second review is for the unsatisfied), then records the follow-up call once', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ serviceType: 'complaint', departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '道歉并赠送延保一年' });
    await t.as.manager.post(`/api/tickets/${tk.number}/review`, { approve: true });
    expect((await t.as.agent.post(`/api/tickets/${tk.number}/transitions`, { to: 'closed' })).json().error.code).toBe('invalid_transition');
    const closed = (await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: true })).json();
    expect(closed.status).toBe('closed');
    // The follow-up call (回访) is due within 24 h of the resolution and can be recorded once.
    expect((await ticket(tk.number)).allowedActions).toContain('follow_up');
    const fu = await t.as.agent.post(`/api/tickets/${tk.number}/follow-up`, { note: '回访：客户满意' });
    expect(fu.statusCode).toBe(200);
    expect(due(fu.json(), 'followUp')!.state).toBe('met');
    expect((await t.as.agent.post(`/api/tickets/${tk.number}/follow-up`, { note: '再次回访' })).statusCode).toBe(409);
  });

  it('keeps a ticket from being solved while a collaborating department has an open sub-task, unless the lead overrides', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    const sub = await t.as.engineer.post(`/api/tickets/${tk.number}/subtasks`, {
      departmentId: t.departments.logistics,
      ownerId: t.as.dispatcher.userId,
      title: '安排上门取件并发出备件',
      dueAt: new Date(MONDAY_10 + 24 * HOUR).toISOString(),
    });
    expect(sub.statusCode).toBe(201);
    // The logistics dispatcher now sees the ticket, and is told.
    expect((await t.as.dispatcher.get(`/api/tickets/${tk.number}`)).statusCode).toBe(200);
    expect((await t.as.dispatcher.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toContain('subtask_assigned');
    const blocked = await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '已修复' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toContain('子任务');
    const overridden = await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '已修复', overrideReason: '备件由客户自取，物流无需参与' });
    expect(overridden.json().status).toBe('pending_review');
    const done = await t.as.dispatcher.patch(`/api/subtasks/${sub.json().id}`, { status: 'done', version: 1 });
    expect(done.json()).toMatchObject({ status: 'done', overdue: false });
    expect((await t.as.dispatcher.patch(`/api/subtasks/${sub.json().id}`, { status: 'open', version: 1 })).statusCode).toBe(409);
    expect((await events(tk.number)).map((e) => e.kind)).toEqual(expect.arrayContaining(['subtask_created', 'subtask_updated']));
  });

  it('routes by category and explains the decision in the timeline', async () => {
    await t.db.write((trx) => trx.deleteFrom('user_load').execute());
    const a = await create({ category: 'product.hardware_damage', priority: 'P3', departmentId: undefined });
    const ev = (await events(a.number)).find((e) => e.kind === 'routed')!;
    expect(ev.details).toMatchObject({ rule: '产品故障 → 技术支持部', strategy: 'least_loaded', departmentId: t.departments.tech_support });
    expect(a.departmentId).toBe(t.departments.tech_support);
    expect(a.assignee).not.toBeNull();
    // Least loaded: the next one goes to someone else in the department.
    const b = await create({ category: 'product.hardware_damage', priority: 'P3' });
    expect(b.assignee.id).not.toBe(a.assignee.id);
    // Logistics rule, round robin with one dispatcher.
    const c = await create({ category: 'logistics.damaged', priority: 'P3' });
    expect(c.departmentId).toBe(t.departments.logistics);
    expect(c.assignee.id).toBe(t.as.dispatcher.userId);
    // A manual choice always wins over the rules.
    const d = await create({ category: 'product.hardware_damage', departmentId: t.departments.quality });
    expect(d.departmentId).toBe(t.departments.quality);
    expect((await events(d.number)).some((e) => e.kind === 'routed')).toBe(false);
  });

  it('lets the admin edit policies, calendars and routing; deadlines of open tickets follow', async () => {
    t.clock.set(MONDAY_10);
    const tk = await create({ priority: 'P3', reportedAt: new Date(MONDAY_10).toISOString() });
    const before = Date.parse(due(tk, 'startHandling')!.dueAt);
    const calendars = (await t.as.admin.get('/api/sla/calendars')).json().items;
    const china = calendars.find((c: { code: string }) => c.code === 'china');
    expect(china.coveredYears).toContain(2026);
    expect(china.missingYears).toEqual([2027]);
    expect((await t.as.agent.post(`/api/sla/calendars/${china.id}/days`, { days: [] })).statusCode).toBe(403);
    // A company holiday on Tuesday 24 Nov pushes the 1-working-day clock out by a working day.
    const edited = await t.as.admin.post(`/api/sla/calendars/${china.id}/days`, { days: [{ date: '2026-11-24', kind: 'holiday', note: '公司年会' }], coveredYears: [2027] });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().missingYears).toEqual([]);
    const moved = await ticket(tk.number);
    expect(Date.parse(due(moved, 'startHandling')!.dueAt) - before).toBe(24 * HOUR);
    expect((await events(tk.number)).find((e) => e.kind === 'sla_recomputed')!.details).toMatchObject({ reason: 'calendar' });
    const bad = await t.as.admin.patch(`/api/sla/calendars/${china.id}`, { weekHours: { 1: [[600, 540]] }, version: edited.json().version }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);

    const policies = (await t.as.admin.get('/api/sla/policies')).json().items;
    const p3 = policies.find((p: { priority: string }) => p.priority === 'P3');
    const vip = await t.as.admin.post('/api/sla/policies', {
      name: 'VIP P3',
      priority: 'P3',
      customerTier: 'vip',
      calendarId: p3.calendarId,
      targets: { startHandling: { amount: 2, unit: 'working_hours' }, resolve: { amount: 16, unit: 'working_hours' } },
    });
    expect(vip.statusCode).toBe(201);
    await t.db.write((trx) => trx.updateTable('customers').set({ tier: 'vip' }).where('id', '=', t.customers.other).execute());
    const vipTicket = await create({ priority: 'P3', customerId: t.customers.other });
    expect(vipTicket.sla.policyName).toBe('VIP P3');
    // The most specific policy wins: tier + priority beats priority alone.
    expect(due(vipTicket, 'startHandling')!.dueAt).toBe('2026-11-23T04:00:00.000Z');
    const stale = await t.as.admin.patch(`/api/sla/policies/${p3.id}`, { targets: { startHandling: { amount: 60, unit: 'working_minutes' } }, version: p3.version + 5 });
    expect(stale.statusCode).toBe(409);

    const rules = (await t.as.admin.get('/api/routing/rules')).json().items;
    const product = rules.find((r: { categoryPrefix: string }) => r.categoryPrefix === 'product');
    const changed = await t.as.admin.patch(`/api/routing/rules/${product.id}`, { strategy: 'skill', version: product.version });
    expect(changed.json().strategy).toBe('skill');
    expect((await t.as.manager.post('/api/routing/rules', { name: 'x', departmentId: 1, strategy: 'none' })).statusCode).toBe(403);
  });
});

// Saturday 2026-11-28 23:00 in Beijing (15:00 UTC): the P1 outage of seed 004, answered within 30 minutes round the clock.
const SATURDAY_23 = Date.parse('2026-11-28T15:00:00.000Z');

describe.each(TEST_DIALECTS)('targets with units on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });
  const clockOf = (tk: { sla: { clocks: { clock: string }[] } }, clock: string) => tk.sla.clocks.find((c) => c.clock === clock) as { dueAt: string; warnAt: string; target: unknown; state: string } | undefined;

  it('seeds the SPEC §4 defaults, each target with its unit', async () => {
    const items = (await t.as.admin.get('/api/sla/policies')).json().items;
    const by = (p: string) => items.find((i: { priority: string }) => i.priority === p).targets;
    expect(by('P1')).toEqual({
      firstResponse: { amount: 30, unit: 'clock_minutes' },
      startHandling: { amount: 4, unit: 'clock_hours' },
      firstSolution: { amount: 24, unit: 'clock_hours' },
      resolve: null,
      nextUpdate: { amount: 12, unit: 'clock_hours' },
      followUp: { amount: 1, unit: 'working_days' },
    });
    expect(by('P2')).toMatchObject({ firstResponse: { amount: 30, unit: 'working_minutes' }, startHandling: { amount: 8, unit: 'working_hours' }, firstSolution: { amount: 2, unit: 'working_days' } });
    expect(by('P3')).toMatchObject({ firstResponse: { amount: 30, unit: 'working_minutes' }, startHandling: { amount: 1, unit: 'working_days' }, resolve: { amount: 3, unit: 'working_days' } });
  });

  it('gives a P1 reported on Saturday night clock-hour deadlines: first response due 23:30 the same night', async () => {
    t.clock.set(SATURDAY_23 + 5 * MIN);
    const res = await t.as.agent.post('/api/tickets', { title: '服务器宕机', description: '核心业务中断', customerId: t.customers.own, priority: 'P1', reportedAt: new Date(SATURDAY_23).toISOString() });
    expect(res.statusCode, res.body).toBe(201);
    const tk = res.json();
    expect(clockOf(tk, 'firstResponse')).toMatchObject({ dueAt: '2026-11-28T15:30:00.000Z', warnAt: '2026-11-28T15:24:00.000Z', target: { amount: 30, unit: 'clock_minutes' } });
    expect(clockOf(tk, 'startHandling')!.dueAt).toBe('2026-11-28T19:00:00.000Z');
    expect(clockOf(tk, 'firstSolution')!.dueAt).toBe('2026-11-29T15:00:00.000Z');
    // the sweeper warns and breaches that night, not on Monday
    t.clock.set(SATURDAY_23 + 24 * MIN);
    await t.sweeper.runOnce();
    t.clock.set(SATURDAY_23 + 31 * MIN);
    await t.sweeper.runOnce();
    const kinds = ((await t.as.admin.get(`/api/tickets/${tk.number}/events?limit=100`)).json().items as Event[]).filter((e) => e.kind === 'sla_warning' || e.kind === 'sla_breach');
    expect(kinds.map((e) => `${e.kind}:${e.details?.clock}`)).toEqual(expect.arrayContaining(['sla_warning:firstResponse', 'sla_breach:firstResponse']));
    t.clock.set(MONDAY_10);
  });

  it('creates and edits a policy with units; bad units and amounts get a translated 400', async () => {
    const calendars = (await t.as.admin.get('/api/sla/calendars')).json().items;
    const china = calendars.find((c: { code: string }) => c.code === 'china');
    const created = await t.as.admin.post('/api/sla/policies', {
      name: 'VIP 投诉',
      serviceType: 'complaint',
      customerTier: 'vip',
      calendarId: china.id,
      targets: { firstResponse: { amount: 15, unit: 'clock_minutes' }, resolve: { amount: 2, unit: 'working_days' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().targets).toEqual({
      firstResponse: { amount: 15, unit: 'clock_minutes' },
      startHandling: null,
      firstSolution: null,
      resolve: { amount: 2, unit: 'working_days' },
      nextUpdate: null,
      followUp: null,
    });
    // a clock left out keeps its target, null removes it
    const edited = await t.as.admin.patch(`/api/sla/policies/${created.json().id}`, { targets: { resolve: { amount: 16, unit: 'working_hours' }, firstResponse: null }, version: created.json().version });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().targets).toMatchObject({ firstResponse: null, resolve: { amount: 16, unit: 'working_hours' } });
    const listed = (await t.as.manager.get('/api/sla/policies')).json().items.find((p: { id: number }) => p.id === created.json().id);
    expect(listed.targets.resolve).toEqual({ amount: 16, unit: 'working_hours' });

    const badUnit = await t.as.admin.patch(`/api/sla/policies/${created.json().id}`, { targets: { resolve: { amount: 1, unit: 'fortnights' } }, version: edited.json().version }, { 'accept-language': 'en' });
    expect(badUnit.statusCode).toBe(400);
    expect(Object.keys(badUnit.json().error.fields ?? {}).join()).toContain('targets.resolve.unit');
    const tooMuch = await t.as.admin.patch(`/api/sla/policies/${created.json().id}`, { targets: { resolve: { amount: 400, unit: 'working_days' } }, version: edited.json().version });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.fields['targets.resolve.amount']).toBe('不能超过一年');
    expect((await t.as.manager.patch(`/api/sla/policies/${created.json().id}`, { targets: {}, version: edited.json().version })).statusCode).toBe(403);
  });
});

// The policies as an older version seeded them: every target in working minutes on the China calendar.
const OLD_P1 = { name: 'P1 紧急（核心业务 / 安全）', priority: 'P1', m: [30, 240, 1440, null, 720, 1440] };
const OLD_P2 = { name: 'P2 重要', priority: 'P2', m: [30, 480, 2880, null, 1440, 1440] };
const OLD_P3 = { name: 'P3 一般', priority: 'P3', m: [1440, 1440, null, 4320, 1440, 1440] };

describe.each(TEST_DIALECTS)('upgrading to targets with units (migration 0009) on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      dialect,
      upgrade: {
        before: '0009_sla_units',
        async setup(db) {
          await db.write(async (trx) => {
            const k = trx as unknown as import('kysely').Kysely<any>;
            const now = MONDAY_10;
            const china = await k
              .insertInto('calendars')
              .values({ code: 'china', name_zh: '中国大陆工作日历', name_en: 'China', kind: 'china', time_zone: 'Asia/Shanghai', week_hours: JSON.stringify({ 0: [], 1: [[540, 720], [810, 1080]], 2: [[540, 720], [810, 1080]], 3: [[540, 720], [810, 1080]], 4: [[540, 720], [810, 1080]], 5: [[540, 720], [810, 1080]], 6: [] }), workday_hours: null, covered_years: '[]', created_at: now, updated_at: now, version: 1 })
              .returning('id')
              .executeTakeFirstOrThrow();
            await k.insertInto('calendars').values({ code: '24x7', name_zh: '7×24 小时', name_en: '24×7', kind: 'always', time_zone: 'Asia/Shanghai', week_hours: '{}', workday_hours: null, covered_years: '[]', created_at: now, updated_at: now, version: 1 }).execute();
            const row = (p: { name: string; priority: string; m: (number | null)[] }, over: Record<string, unknown> = {}) => ({
              name: p.name,
              priority: p.priority,
              customer_tier: null,
              product_line: null,
              service_type: null,
              calendar_id: china.id,
              first_response_minutes: p.m[0],
              start_handling_minutes: p.m[1],
              first_solution_minutes: p.m[2],
              resolve_minutes: p.m[3],
              update_interval_minutes: p.m[4],
              follow_up_minutes: p.m[5],
              warn_percent: 80,
              escalate_after_minutes: 0,
              manager_ack_minutes: 240,
              active: 1,
              created_at: now,
              updated_at: now,
              version: 1,
              ...over,
            });
            // P1 as seeded; P2 edited once and set back to the seeded values; P3 with its first response changed to
            // 90 minutes; a VIP copy of P1 an admin added.
            await k.insertInto('sla_policies').values(row(OLD_P1)).execute();
            await k.insertInto('sla_policies').values(row(OLD_P2, { version: 2 })).execute();
            await k.insertInto('sla_policies').values(row(OLD_P3, { first_response_minutes: 90 })).execute();
            await k.insertInto('sla_policies').values(row(OLD_P1, { name: 'VIP P1', customer_tier: 'vip' })).execute();
          });
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves only the policies nobody edited to the new defaults; edited ones keep their meaning in working time', async () => {
    const items = (await t.as.admin.get('/api/sla/policies')).json().items as { name: string; targets: Record<string, unknown> }[];
    const by = (name: string) => items.find((i) => i.name === name)!.targets;
    expect(by(OLD_P1.name)).toMatchObject({ firstResponse: { amount: 30, unit: 'clock_minutes' }, startHandling: { amount: 4, unit: 'clock_hours' }, followUp: { amount: 1, unit: 'working_days' } });
    expect(by(OLD_P2.name)).toEqual({
      firstResponse: { amount: 30, unit: 'working_minutes' },
      startHandling: { amount: 8, unit: 'working_hours' },
      firstSolution: { amount: 48, unit: 'working_hours' },
      resolve: null,
      nextUpdate: { amount: 24, unit: 'working_hours' },
      followUp: { amount: 24, unit: 'working_hours' },
    });
    expect(by(OLD_P3.name)).toMatchObject({ firstResponse: { amount: 90, unit: 'working_minutes' }, resolve: { amount: 72, unit: 'working_hours' } });
    expect(by('VIP P1')).toMatchObject({ firstResponse: { amount: 30, unit: 'working_minutes' }, startHandling: { amount: 4, unit: 'working_hours' } });
  });

  it("recomputes open tickets' stored deadlines at the sweeper's first pass after the upgrade, and says so in the timeline", async () => {
    expect((await t.db.read.selectFrom('sla_recompute').select('policy_id').execute()).length).toBe(4);
    t.clock.set(SATURDAY_23 + MIN);
    const tk = (await t.as.agent.post('/api/tickets', { title: '服务器宕机', description: '核心业务中断', customerId: t.customers.own, priority: 'P1', reportedAt: new Date(SATURDAY_23).toISOString() })).json();
    // As the older version stored it: 30 working minutes from Saturday night = Monday 09:30.
    const monday = Date.parse('2026-11-30T01:30:00.000Z');
    await t.db.write((trx) => trx.updateTable('tickets').set({ first_response_due_at: monday, next_due_at: monday, sla_check_at: monday }).where('id', '=', tk.id).execute());
    expect((await t.as.admin.get(`/api/tickets/${tk.number}`)).json().sla.clocks.find((c: { clock: string }) => c.clock === 'firstResponse').dueAt).toBe('2026-11-30T01:30:00.000Z');
    await t.sweeper.runOnce();
    const after = (await t.as.admin.get(`/api/tickets/${tk.number}`)).json();
    expect(after.sla.clocks.find((c: { clock: string }) => c.clock === 'firstResponse').dueAt).toBe('2026-11-28T15:30:00.000Z');
    expect(after.sla.nextDueAt).toBe('2026-11-28T15:30:00.000Z');
    const ev = (await t.as.admin.get(`/api/tickets/${tk.number}/events?limit=100`)).json().items as Event[];
    expect(ev.find((e) => e.kind === 'sla_recomputed')!.details).toMatchObject({ reason: 'policy' });
    expect(await t.db.read.selectFrom('sla_recompute').select('policy_id').execute()).toEqual([]);
    t.clock.set(MONDAY_10);
  });
});
