// API tests of what a customer may see (domain/customer-view.ts): a ticket carrying every kind of internal text, read
// through every GET a customer can reach. Each internal text carries a marker; no customer payload may contain one,
// nor the name of a staff member other than the assignee, while what is theirs (replies, the approved solution, the
// status changes, the assignee's name) is still there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { fullTicketBody } from './fixtures.js';

const MARK = '内部标记';
const mark = (kind: string) => `${MARK}-${kind}`;

function multipart(filename: string, content: string) {
  const boundary = '----cv' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(TEST_DIALECTS)('customer view on %s', (dialect) => {
  let t: TestApp;
  let number: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const ok = <R extends { statusCode: number; body: string }>(res: R, what: string): R => {
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
      return res;
    };
    const { as } = t;
    const tk = ok(
      await as.agent.post('/api/tickets', fullTicketBody({ customer: undefined, customerId: t.customers.own, firstJudgement: mark('JUDGE'), departmentId: t.departments.tech_support, assigneeId: as.engineer.userId })),
      'create',
    ).json();
    number = tk.number;
    const base = `/api/tickets/${number}`;
    ok(await as.engineer.post(`${base}/comments`, { body: mark('NOTE'), internal: true }), 'internal note');
    ok(await as.engineer.post(`${base}/comments`, { body: '您好，工程师已收到您的报修，明天上午上门。' }), 'public reply');
    ok(await as.engineer.post(`${base}/transitions`, { to: 'in_progress', note: mark('TRANSITION') }), 'start');
    ok(await as.agent.post(`${base}/escalate`, { reason: mark('ESCALATION') }), 'escalate');
    const sub = ok(await as.engineer.post(`${base}/subtasks`, { departmentId: t.departments.logistics, ownerId: as.dispatcher.userId, title: mark('SUBTASK') }), 'subtask').json();
    ok(await as.dispatcher.patch(`/api/subtasks/${sub.id}`, { status: 'done', note: mark('SUBTASK-NOTE'), version: sub.version }), 'subtask done');
    for (const [name, internal] of [[`${mark('ATTACHMENT')}.txt`, true], ['维修照片.txt', false]] as const) {
      const m = multipart(name, 'photo');
      const res = await t.app.inject({ method: 'POST', url: `${base}/attachments${internal ? '?internal=true' : ''}`, headers: { authorization: `Bearer ${as.engineer.token}`, 'content-type': m.contentType }, payload: m.payload });
      ok(res, `attachment ${name}`);
    }
    const current = (await as.agent.get(base)).json();
    ok(await as.agent.patch(base, { firstJudgement: `${mark('JUDGE')}-2`, demand: '尽快修好', version: current.version }), 'edit');
    ok(await as.engineer.post(`${base}/solution`, { solution: '更换压缩机启动电容', overrideReason: mark('OVERRIDE') }), 'solution');
    ok(await as.manager.post(`${base}/review`, { approve: false, comment: mark('REVIEW-RETURN') }), 'review returned');
    ok(await as.engineer.post(`${base}/solution`, { solution: '更换压缩机启动电容，测试制冷正常' }), 'solution again');
    ok(await as.manager.post(`${base}/review`, { approve: true, comment: mark('REVIEW-APPROVE') }), 'review approved');
    const cust = (await as.agent.get(`/api/customers/${t.customers.own}`)).json();
    ok(await as.agent.patch(`/api/customers/${t.customers.own}`, { ...pickCustomer(cust), notes: mark('CUSTOMER-NOTES'), specialNeeds: true, specialNeedsNote: mark('SPECIAL-NEEDS') }), 'customer notes');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Every GET a customer can reach about this ticket and themselves, with the whole JSON of each answer. */
  async function customerPayloads(): Promise<Record<string, string>> {
    const base = `/api/tickets/${number}`;
    const out: Record<string, string> = {};
    for (const url of [base, `${base}/comments`, `${base}/attachments`, '/api/tickets', `/api/tickets?q=${encodeURIComponent('压缩机')}`, `/api/customers/${t.customers.own}`, '/api/customers', '/api/notifications', '/api/me']) {
      const res = await t.as.customer.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      out[url] = res.body;
    }
    // The whole timeline, page by page.
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.as.customer.get(`${base}/events?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      out[`${base}/events#${pages++}`] = res.body;
      cursor = res.json().nextCursor;
    } while (cursor);
    return out;
  }

  it('shows a customer no internal text and no staff name but the assignee’s, on every GET they can reach', async () => {
    const staff = (await t.as.agent.get(`/api/tickets/${number}/events?limit=200`)).body;
    // The staff side does hold every marked text (else this test would prove nothing).
    for (const kind of ['JUDGE', 'NOTE', 'TRANSITION', 'ESCALATION', 'SUBTASK', 'OVERRIDE', 'REVIEW-RETURN', 'REVIEW-APPROVE', 'ATTACHMENT']) expect(staff, kind).toContain(mark(kind));
    for (const [url, body] of Object.entries(await customerPayloads())) {
      expect(body, url).not.toContain(MARK);
      // The agent who registered it, the reviewer and the escalation's manager stay anonymous; the dispatcher too.
      for (const name of ['t_agent', 't_manager', 't_dispatcher', 't_director', 't_supervisor']) expect(body, `${url} names ${name}`).not.toContain(name);
    }
  });

  it('still shows the customer what is theirs: replies, the approved solution, status changes, the assignee', async () => {
    const base = `/api/tickets/${number}`;
    const ticket = (await t.as.customer.get(base)).json();
    expect(ticket).toMatchObject({ status: 'pending_confirmation', solution: '更换压缩机启动电容，测试制冷正常', assignee: { name: 't_engineer' }, demand: '尽快修好', firstJudgement: null, sla: null, departmentId: null, reviewStage: null, createdBy: null });
    expect(ticket.escalation).toMatchObject({ level: 0, to: null });
    expect(ticket.allowedActions).toEqual(['confirm']);
    const comments = (await t.as.customer.get(`${base}/comments`)).json().items;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ body: '您好，工程师已收到您的报修，明天上午上门。', author: { name: 't_engineer' }, internal: false });
    const files = (await t.as.customer.get(`${base}/attachments`)).json().items;
    expect(files.map((f: { filename: string }) => f.filename)).toEqual(['维修照片.txt']);
    const events = (await t.as.customer.get(`${base}/events?limit=200`)).json().items as { kind: string; note: string | null; details: unknown; changes: { field: string }[] }[];
    const kinds = events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['created', 'comment', 'status_changed', 'attachment', 'updated', 'review_approved']));
    for (const hidden of ['internal_note', 'escalated', 'subtask_created', 'subtask_updated', 'solution_submitted', 'review_returned', 'routed', 'sla_recomputed']) expect(kinds).not.toContain(hidden);
    expect(events.every((e) => e.details === null)).toBe(true);
    // The edit shows the demand they can see changed, not the first judgement.
    const edit = events.find((e) => e.kind === 'updated')!;
    expect(edit.changes.map((c) => c.field)).toEqual(['demand']);
    expect(events.find((e) => e.kind === 'review_approved')!.note).toBeNull();
    // Sub-tasks are the departments' internal work.
    expect((await t.as.customer.get(`${base}/subtasks`)).statusCode).toBe(403);
    // Their own record, without the staff's notes about them.
    expect((await t.as.customer.get(`/api/customers/${t.customers.own}`)).json()).toMatchObject({ notes: null, specialNeedsNote: null, specialNeeds: true });
  });

  it('shows the solution only once it is put to the customer, and their own words when they answer', async () => {
    const words = '空调还是不制冷，请再来看看';
    const res = await t.as.customer.post(`/api/tickets/${number}/confirmation`, { satisfied: false, customerWords: words });
    expect(res.statusCode, res.body).toBe(200);
    const reopened = res.json();
    expect(reopened.status).toBe('reopened');
    // Reopened: the rejected solution is no longer the one on offer; a new one is drafted in private.
    expect(reopened.solution).toBeNull();
    expect(reopened.improvementDueAt).not.toBeNull();
    const events = (await t.as.customer.get(`/api/tickets/${number}/events?limit=200`)).json().items;
    const rejected = events.find((e: { kind: string }) => e.kind === 'customer_rejected');
    expect(rejected).toMatchObject({ note: words, details: null, actor: { id: t.as.customer.userId } });
    for (const body of Object.values(await customerPayloads())) expect(body).not.toContain(MARK);
  });

  it('keeps the staff view whole', async () => {
    const ticket = (await t.as.agent.get(`/api/tickets/${number}`)).json();
    expect(ticket.firstJudgement).toBe(`${mark('JUDGE')}-2`);
    expect(ticket.sla).not.toBeNull();
    expect((await t.as.agent.get(`/api/tickets/${number}/subtasks`)).json().items).toHaveLength(1);
  });
});

function pickCustomer(c: Record<string, unknown>) {
  const { kind, name, company, phone, email, address, tier, specialNeeds, specialNeedsNote, notes, contacts, version } = c as Record<string, unknown> & { contacts: Record<string, unknown>[] };
  return { kind, name, company, phone, email, address, tier, specialNeeds, specialNeedsNote, notes, contacts: contacts.map(({ name, phone, email, role }) => ({ name, phone, email, role })), version };
}
