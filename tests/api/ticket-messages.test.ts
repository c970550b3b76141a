// The list of messages sent to a ticket's customer, as the ticket page's 客户消息 card reads it
// (GET /api/tickets/:number/messages): every state a message can be in — queued, sent, failed with the reason,
// skipped because the customer opted out —, newest first, addresses masked, held to the shared zod contract; staff
// only. Real SMTP through a local smtp-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerMessageList } from '../../src/shared/messages.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { startSmtpStub, type SmtpStub } from './message-stubs.js';

const HOUR = 60 * 60_000;
const EMAIL = 'zhang.wei@example.com';

describe.each(TEST_DIALECTS)("a ticket's customer messages list (%s)", (dialect) => {
  let t: TestApp;
  let smtp: SmtpStub;

  beforeAll(async () => {
    smtp = await startSmtpStub();
    t = await createTestApp({ dialect, config: { smtpUrl: smtp.url, mailFrom: 'Aftercare <service@aftercare.test>' } });
    await t.db.write((trx) => trx.updateTable('customers').set({ email: EMAIL, email_lower: EMAIL }).where('id', '=', t.customers.own).execute());
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const deliver = () => t.services.notify.deliverDue(t.clock.now());
  const list = async (number: string) => {
    const res = await t.as.agent.get(`/api/tickets/${number}/messages`);
    expect(res.statusCode, res.body).toBe(200);
    // The card types the answer with the shared contract: it must hold exactly.
    return { items: CustomerMessageList.parse(res.json()).items, raw: res.body };
  };

  it('shows queued, sent, failed with the reason and skipped (opted out), newest first, masked', async () => {
    const created = await t.as.agent.post('/api/tickets', { title: '洗碗机不排水', description: '洗完后底部积水', customerId: t.customers.own, priority: 'P3' });
    expect(created.statusCode, created.body).toBe(201);
    const tk = created.json() as { number: string; version: number };

    let { items } = await list(tk.number);
    expect(items).toEqual([expect.objectContaining({ event: 'ticket_registered', channel: 'email', target: 'z***@example.com', status: 'queued', attempts: 0, lastError: null, sentAt: null })]);
    expect(Date.parse(items[0].createdAt)).toBe(t.clock.now());

    expect((await deliver()).delivered).toBe(1);
    ({ items } = await list(tk.number));
    expect(items[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: new Date(t.clock.now()).toISOString() });

    // A reply the mail server keeps refusing: retried with back-off, then given up with the server's reason.
    smtp.refuseNext(1000);
    try {
      expect((await t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: '请把排水管拔下来检查是否堵塞。', internal: false })).statusCode).toBe(201);
      for (let i = 0; i < 15; i++) {
        await deliver();
        ({ items } = await list(tk.number));
        if (items[0].status === 'failed') break;
        expect(items[0]).toMatchObject({ event: 'staff_reply', status: 'queued', attempts: i + 1 });
        expect(items[0].lastError).toMatch(/451|busy/);
        t.clock.advance(7 * HOUR);
      }
    } finally {
      smtp.refuseNext(0);
    }
    expect(items[0]).toMatchObject({ event: 'staff_reply', status: 'failed', attempts: 10, sentAt: null });
    expect(items[0].lastError).toMatch(/451|busy/);

    // Opted out: the courtesy message of the assignment is listed as skipped, and never sent.
    expect((await t.as.agent.request('PUT', `/api/customers/${t.customers.own}/message-preferences`, { optOut: true })).statusCode).toBe(200);
    try {
      const mailsBefore = smtp.mails.length;
      const version = (await t.as.agent.get(`/api/tickets/${tk.number}`)).json().version as number;
      const assigned = await t.as.supervisor.patch(`/api/tickets/${tk.number}`, { departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, version });
      expect(assigned.statusCode, assigned.body).toBe(200);
      await deliver();
      expect(smtp.mails.length).toBe(mailsBefore);
    } finally {
      await t.as.agent.request('PUT', `/api/customers/${t.customers.own}/message-preferences`, { optOut: false });
    }
    const answer = await list(tk.number);
    expect(answer.items.map((m) => [m.event, m.status])).toEqual([
      ['ticket_assigned', 'skipped'],
      ['staff_reply', 'failed'],
      ['ticket_registered', 'sent'],
    ]);
    expect(answer.items[0]).toMatchObject({ channel: 'email', target: 'z***@example.com', attempts: 0, lastError: null, sentAt: null });
    expect(answer.raw).not.toContain(EMAIL);
  });

  it('is for staff who may see the ticket: a customer is refused, an unknown ticket is not found', async () => {
    const created = await t.as.agent.post('/api/tickets', { title: '空调漏水', description: '室内机滴水', customerId: t.customers.own, priority: 'P3' });
    expect(created.statusCode, created.body).toBe(201);
    const number = created.json().number as string;
    expect((await t.as.customer.get(`/api/tickets/${number}/messages`)).statusCode).toBe(403);
    expect((await t.as.otherCustomer.get(`/api/tickets/${number}/messages`)).statusCode).toBeGreaterThanOrEqual(403);
    expect((await t.as.qa.get(`/api/tickets/${number}/messages`)).statusCode).toBe(200);
    expect((await t.as.agent.get('/api/tickets/209901999/messages')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/tickets/${number}/messages` })).statusCode).toBe(401);
  });
});
