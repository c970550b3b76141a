// The 客服主管 and the review loop (issue 14; SPEC §5, §8; seed 001; seed 000 §二(四)3): the service desk's
// supervisors see, assign and review everything, nobody reviews their own solution, a satisfied customer closes the
// ticket, and an unsatisfied complaint (or a second reopening) starts a second review by someone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../src/server/modules/users/service.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const HOUR = 3600_000;
const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z');

type Res = Awaited<ReturnType<TestApp['as'][string]['get']>>;
interface Caller {
  userId: number;
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  patch(url: string, body?: unknown): Promise<Res>;
}
type Event = { kind: string; note: string | null; internal: boolean; details: Record<string, unknown> | null };

describe.each(TEST_DIALECTS)('review loop on %s', (dialect) => {
  let t: TestApp;
  /** A second supervisor of the service desk, and a supervisor of logistics (not the service desk). */
  let desk2: Caller;
  let logisticsSup: Caller;

  const callerFor = async (username: string, role: string, departmentId: number): Promise<Caller> => {
    const res = await t.as.admin.post('/api/users', { username, displayName: username, password: 'Long-enough-pw-42', role, departmentId });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as number;
    const { token } = await t.services.auth.createToken(actorOf(await t.services.auth.userRow(id)), { name: 'test' });
    const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
      (await t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        payload: body === undefined ? undefined : JSON.stringify(body),
      })) as Res;
    return { userId: id, get: (url) => call('GET', url), post: (url, body, headers) => call('POST', url, body ?? {}, headers), patch: (url, body) => call('PATCH', url, body ?? {}) };
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    t.clock.set(MONDAY_10);
    desk2 = await callerFor('t_desk2', 'supervisor', t.departments.customer_service);
    logisticsSup = await callerFor('t_log_sup', 'supervisor', t.departments.logistics);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = async (over: Record<string, unknown> = {}) => {
    const res = await t.as.agent.post('/api/tickets', { title: '冰箱不制冷', description: '冷藏室温度一直在 15 度以上', customerId: t.customers.own, priority: 'P3', ...over });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const events = async (number: string, who: Caller = t.as.admin): Promise<Event[]> => (await who.get(`/api/tickets/${number}/events?limit=200`)).json().items;
  const kinds = async (userId: number) =>
    (await t.db.read.selectFrom('notifications').select(['kind', 'ticket_id']).where('user_id', '=', userId).execute()) as { kind: string; ticket_id: number | null }[];

  /** A tech-support ticket worked by the engineer up to the customer's confirmation, approved by `reviewer`. */
  const toConfirmation = async (over: Record<string, unknown> = {}, reviewer: Caller = t.as.supervisor) => {
    const tk = await create({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, ...over });
    expect((await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' })).statusCode).toBe(200);
    expect((await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换冰箱温控器，测试 2 小时正常' })).statusCode).toBe(200);
    const approved = await reviewer.post(`/api/tickets/${tk.number}/review`, { approve: true });
    expect(approved.json().status, approved.body).toBe('pending_confirmation');
    return tk as { number: string; id: number };
  };

  it('keeps the first-solution clock running while the solution waits for review, and meets it when it reaches the customer', async () => {
    const tk = await create({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, priority: 'P2' });
    const clock = async () => ((await t.as.admin.get(`/api/tickets/${tk.number}`)).json().sla.clocks as { clock: string; metAt: string | null; state: string }[]).find((c) => c.clock === 'firstSolution')!;
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换冰箱温控器，测试 2 小时正常' });
    t.clock.advance(3_600_000);
    expect(await clock()).toMatchObject({ metAt: null });
    const approved = await t.as.supervisor.post(`/api/tickets/${tk.number}/review`, { approve: true });
    expect(approved.json().status).toBe('pending_confirmation');
    expect((await clock()).metAt).toBe(new Date(t.clock.now()).toISOString());
    t.clock.set(MONDAY_10); // the other tests here count from Monday 10:00
  });

  it("lets the service desk's supervisor see and assign a ticket routed to technical support; another department's supervisor sees nothing", async () => {
    const tk = await create({ departmentId: t.departments.tech_support });
    // The read path (queue SQL) and the single-ticket path (canSeeTicket) agree.
    expect((await t.as.supervisor.get(`/api/tickets/${tk.number}`)).statusCode).toBe(200);
    const queue = (await t.as.supervisor.get(`/api/tickets?departmentId=${t.departments.tech_support}&limit=100`)).json().items.map((i: { number: string }) => i.number);
    expect(queue).toContain(tk.number);
    expect((await logisticsSup.get(`/api/tickets/${tk.number}`)).statusCode).toBe(404);
    expect((await logisticsSup.get(`/api/tickets?q=${tk.number}`)).json().items).toEqual([]);
    expect((await logisticsSup.get('/api/tickets?limit=100')).json().items.map((i: { number: string }) => i.number)).not.toContain(tk.number);
    // The queue's total counts with the same visibility.
    expect((await t.as.supervisor.get(`/api/tickets/count?q=${tk.number}`)).json().count).toBe(1);
    expect((await logisticsSup.get(`/api/tickets/count?q=${tk.number}`)).json().count).toBe(0);

    const assigned = await t.as.supervisor.patch(`/api/tickets/${tk.number}`, { assigneeId: t.as.engineer.userId, version: tk.version });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ status: 'assigned', assignee: { id: t.as.engineer.userId } });
    expect((await logisticsSup.patch(`/api/tickets/${tk.number}`, { assigneeId: null, version: assigned.json().version })).statusCode).toBe(404);
  });

  it('copies every assignment to the service desk supervisors, whichever department it goes to', async () => {
    const tk = await create({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    for (const sup of [t.as.supervisor.userId, desk2.userId]) expect(await kinds(sup)).toContainEqual({ kind: 'assigned', ticket_id: tk.id });
    expect(await kinds(logisticsSup.userId)).not.toContainEqual({ kind: 'assigned', ticket_id: tk.id });
    // A reassignment by PATCH, too.
    const again = await t.as.manager.patch(`/api/tickets/${tk.number}`, { assigneeId: t.as.engineer2.userId, version: tk.version });
    expect(again.statusCode, again.body).toBe(200);
    expect((await kinds(desk2.userId)).filter((n) => n.kind === 'assigned' && n.ticket_id === tk.id)).toHaveLength(2);
  });

  it('follows the admin setting: another service desk department, and reviews by the lead department', async () => {
    expect((await t.as.agent.patch('/api/admin/settings', { reviewBy: 'lead_department' })).statusCode).toBe(403);
    expect((await t.as.admin.get('/api/admin/settings')).json()).toEqual({ serviceDeskDepartmentId: t.departments.customer_service, reviewBy: 'service_desk' });
    const bad = await t.as.admin.patch('/api/admin/settings', { serviceDeskDepartmentId: 99999 }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.serviceDeskDepartmentId).toBeTruthy();
    try {
      const moved = await t.as.admin.patch('/api/admin/settings', { serviceDeskDepartmentId: t.departments.logistics, reviewBy: 'lead_department' });
      expect(moved.json()).toEqual({ serviceDeskDepartmentId: t.departments.logistics, reviewBy: 'lead_department' });
      const tk = await create({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
      expect((await logisticsSup.get(`/api/tickets/${tk.number}`)).statusCode).toBe(200);
      expect((await t.as.supervisor.get(`/api/tickets/${tk.number}`)).statusCode).toBe(404);
      await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
      await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换冰箱温控器' });
      // lead_department: tech support's manager is asked, not the service desk.
      expect(await kinds(t.as.manager.userId)).toContainEqual({ kind: 'review_requested', ticket_id: tk.id });
      expect(await kinds(logisticsSup.userId)).not.toContainEqual({ kind: 'review_requested', ticket_id: tk.id });
    } finally {
      await t.as.admin.patch('/api/admin/settings', { serviceDeskDepartmentId: t.departments.customer_service, reviewBy: 'service_desk' });
    }
  });

  it("asks the service desk's supervisors to review, never the author, and refuses an author's own approval even as supervisor", async () => {
    const tk = await create({ departmentId: t.departments.customer_service, assigneeId: t.as.supervisor.userId, serviceType: 'consultation' });
    await t.as.supervisor.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    const submitted = await t.as.supervisor.post(`/api/tickets/${tk.number}/solution`, { solution: '已电话讲解冰箱温控设置' });
    expect(submitted.json()).toMatchObject({ status: 'pending_review' });
    // The author is not offered the review, and is refused when trying anyway (zh-CN and en).
    expect(submitted.json().allowedActions).not.toContain('review');
    const own = await t.as.supervisor.post(`/api/tickets/${tk.number}/review`, { approve: true });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain('自己');
    const ownEn = await t.as.supervisor.post(`/api/tickets/${tk.number}/review`, { approve: true }, { 'accept-language': 'en' });
    expect(ownEn.json().error.message).toBe('You cannot review your own solution; another reviewer must do it');
    // Asked: the other desk supervisor; never the author.
    expect(await kinds(desk2.userId)).toContainEqual({ kind: 'review_requested', ticket_id: tk.id });
    expect(await kinds(t.as.supervisor.userId)).not.toContainEqual({ kind: 'review_requested', ticket_id: tk.id });
    const reviewers = await t.db.write((trx) => t.services.resolution.reviewersOf(trx, { department_id: t.departments.customer_service } as never, t.as.supervisor.userId));
    expect(reviewers).toEqual([desk2.userId]);
    expect((await desk2.get(`/api/tickets/${tk.number}`)).json().allowedActions).toContain('review');
    expect((await desk2.post(`/api/tickets/${tk.number}/review`, { approve: true })).json().status).toBe('pending_confirmation');
  });

  it('falls back to the manager, then the directors, when the author is the only desk supervisor', async () => {
    const row = { department_id: t.departments.tech_support } as never;
    const pick = (author: number) => t.db.write((trx) => t.services.resolution.reviewersOf(trx, row, author));
    expect(new Set(await pick(t.as.engineer.userId))).toEqual(new Set([t.as.supervisor.userId, desk2.userId]));
    await t.db.write((trx) => trx.updateTable('users').set({ active: 0 }).where('id', '=', desk2.userId).execute());
    t.services.tickets.forgetDirectory();
    try {
      expect(await pick(t.as.supervisor.userId)).toEqual([t.as.manager.userId]);
      const none = { department_id: t.departments.production } as never;
      expect(await t.db.write((trx) => t.services.resolution.reviewersOf(trx, none, t.as.supervisor.userId))).toEqual([t.as.director.userId]);
    } finally {
      await t.db.write((trx) => trx.updateTable('users').set({ active: 1 }).where('id', '=', desk2.userId).execute());
      t.services.tickets.forgetDirectory();
    }
  });

  it('closes a complaint the customer is satisfied with: no second review', async () => {
    const tk = await toConfirmation({ serviceType: 'complaint' });
    const closed = await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: true });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    expect((await t.as.admin.get(`/api/tickets/${tk.number}`)).json().secondReview).toBeNull();
    expect((await events(tk.number)).map((e) => e.kind)).not.toContain('second_review_requested');
  });

  it('reopens an unsatisfied complaint one priority up with an improvement plan and a pending second review, and tells the eligible reviewers', async () => {
    const tk = await toConfirmation({ serviceType: 'complaint', priority: 'P3' });
    const res = await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false, customerWords: '冰箱换了温控器还是不冷，处理态度也敷衍' });
    expect(res.statusCode, res.body).toBe(200);
    // The customer's own answer carries nothing of the second review.
    expect(res.json()).toMatchObject({ status: 'reopened', priority: 'P2', improvementDueAt: new Date(MONDAY_10 + 24 * HOUR).toISOString() });
    expect(res.json().secondReview).toBeUndefined();
    const staff = (await t.as.admin.get(`/api/tickets/${tk.number}`)).json();
    expect(staff.secondReview).toMatchObject({ status: 'pending', reason: 'complaint_rejected', reviewer: null, finding: null, verdict: null });
    // Eligible: the other desk supervisor, the department's manager, QA — not the first reviewer (supervisor), not the author.
    for (const id of [desk2.userId, t.as.manager.userId, t.as.qa.userId]) expect(await kinds(id)).toContainEqual({ kind: 'second_review_requested', ticket_id: tk.id });
    for (const id of [t.as.supervisor.userId, t.as.engineer.userId]) expect(await kinds(id)).not.toContainEqual({ kind: 'second_review_requested', ticket_id: tk.id });
    // The request is in the timeline, internal: the customer does not see it.
    expect((await events(tk.number)).find((e) => e.kind === 'second_review_requested')).toMatchObject({ internal: true, details: { reason: 'complaint_rejected' } });
    expect((await events(tk.number, t.as.customer)).map((e) => e.kind)).not.toContain('second_review_requested');
    expect((await t.as.customer.get(`/api/tickets/${tk.number}`)).json().secondReview).toBeUndefined();
  });

  it('lets rework go on while the second review is pending, but approves no new solution before its finding; the first reviewer may not do it', async () => {
    const tk = await toConfirmation({ serviceType: 'complaint' });
    await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false, customerWords: '冰箱还是不冷' });
    expect((await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' })).json().status).toBe('in_progress');
    await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '上门更换冰箱压缩机' });
    const early = await desk2.post(`/api/tickets/${tk.number}/review`, { approve: true });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('二次复核');

    // The supervisor approved the rejected solution: not them.
    expect((await t.as.supervisor.get(`/api/tickets/${tk.number}`)).json().allowedActions).not.toContain('second_review');
    const same = await t.as.supervisor.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'upheld', finding: '处理得当' });
    expect(same.statusCode).toBe(409);
    expect(same.json().error.message).toContain('另一位');
    // Not the author either, nor an agent; a finding is required.
    expect((await t.as.engineer.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'upheld', finding: '处理得当' })).statusCode).toBe(403);
    expect((await t.as.agent.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'upheld', finding: '处理得当' })).statusCode).toBe(403);
    expect((await t.as.manager.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'upheld', finding: '' })).statusCode).toBe(400);

    const done = await t.as.manager.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'service_failure', finding: '首次方案未排查压缩机，判断草率', nextSteps: '工程师复训冰箱制冷故障排查' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().secondReview).toMatchObject({ status: 'done', verdict: 'service_failure', finding: '首次方案未排查压缩机，判断草率', nextSteps: '工程师复训冰箱制冷故障排查', reviewer: { id: t.as.manager.userId } });
    expect(done.json().allowedActions).not.toContain('second_review');
    expect((await t.as.qa.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'upheld', finding: '再看一次' })).statusCode).toBe(409);
    expect((await desk2.post(`/api/tickets/${tk.number}/review`, { approve: true })).json().status).toBe('pending_confirmation');
  });

  it('starts a second review at the second reopening of any ticket, staff reopening included', async () => {
    const tk = await toConfirmation({ serviceType: 'repair' });
    await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false, customerWords: '冰箱还是不冷' });
    // A first unsatisfied repair: no second review yet.
    expect((await t.as.admin.get(`/api/tickets/${tk.number}`)).json().secondReview).toBeNull();
    await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' });
    await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换冰箱压缩机' });
    await desk2.post(`/api/tickets/${tk.number}/review`, { approve: true });
    expect((await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: true })).json().status).toBe('closed');
    // The customer calls again: staff reopen the closed ticket — the second reopening.
    const reopened = await t.as.agent.post(`/api/tickets/${tk.number}/transitions`, { to: 'reopened', note: '客户来电：冰箱又不冷了' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().secondReview).toMatchObject({ status: 'pending', reason: 'reopened_again' });
    // Now desk2 approved the last solution: desk2 may not; the supervisor (first solution's reviewer, not this one's) may.
    expect((await desk2.get(`/api/tickets/${tk.number}`)).json().allowedActions ?? []).not.toContain('second_review');
    expect((await t.as.supervisor.get(`/api/tickets/${tk.number}`)).json().allowedActions).toContain('second_review');
  });

  it('lets QA record a second review, while QA still cannot edit the ticket; the finding is in the timeline, not for the customer', async () => {
    const tk = await toConfirmation({ serviceType: 'complaint' });
    await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false, customerWords: '冰箱还是不冷' });
    const seen = (await t.as.qa.get(`/api/tickets/${tk.number}`)).json();
    expect(seen.allowedActions).toContain('second_review');
    expect((await t.as.qa.patch(`/api/tickets/${tk.number}`, { priority: 'P1', version: seen.version })).statusCode).toBe(403);
    expect((await t.as.qa.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' })).statusCode).toBe(403);
    const recorded = await t.as.qa.post(`/api/tickets/${tk.number}/second-review`, { verdict: 'upheld', finding: '复核录音：冰箱处理流程合规，客户诉求超出保修范围' });
    expect(recorded.statusCode, recorded.body).toBe(200);
    // Recording it does not change the ticket's version: nobody's open edit goes stale.
    expect(recorded.json().version).toBe(seen.version);
    const ev = (await events(tk.number)).find((e) => e.kind === 'second_review_recorded');
    expect(ev).toMatchObject({ internal: true, note: '复核录音：冰箱处理流程合规，客户诉求超出保修范围', details: { verdict: 'upheld', reason: 'complaint_rejected' } });
    expect((await events(tk.number, t.as.customer)).map((e) => e.kind)).not.toContain('second_review_recorded');
    const forCustomer = JSON.stringify((await t.as.customer.get(`/api/tickets/${tk.number}`)).json());
    expect(forCustomer).not.toContain('复核录音');
  });
});
