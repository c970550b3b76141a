// API tests of messages to customers: sign-in codes and invitations over a real local SMTP server (smtp-server), ticket
// events each sending the right message once, opt-out, language, templates (editing, validation, preview), the
// unsubscribe link, staff-only delivery records on the timeline, and never any internal text in a customer message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { MESSAGE_EVENTS } from '../../src/shared/message-vocab.js';
import { startSmtpStub, type SmtpStub } from './message-stubs.js';

const MINUTE = 60_000;

describe.each(TEST_DIALECTS)('customer messages (%s)', (dialect) => {
  let t: TestApp;
  let smtp: SmtpStub;

  beforeAll(async () => {
    smtp = await startSmtpStub();
    t = await createTestApp({ dialect, config: { smtpUrl: smtp.url, mailFrom: 'Aftercare 售后 <service@aftercare.test>' } });
    await t.db.write((trx) => trx.updateTable('customers').set({ email: 'zhang.wei@example.com', email_lower: 'zhang.wei@example.com' }).where('id', '=', t.customers.own).execute());
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const deliver = () => t.services.notify.deliverDue(t.clock.now());
  const messagesOf = (filter: { event?: string; customerId?: number } = {}) => {
    let q = t.db.read.selectFrom('customer_messages').selectAll().orderBy('id');
    if (filter.event) q = q.where('event', '=', filter.event);
    if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
    return q.execute();
  };

  describe('sign-in code', () => {
    it('is delivered once by e-mail, and the code is gone from the database once sent', async () => {
      const before = smtp.mails.length;
      const res = await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'email', target: 'zhang.wei@example.com', code: '739215', locale: 'zh-CN', customerId: t.customers.own, dedupeKey: 'req-1' }));
      expect(res.deliverable).toBe(true);
      expect(res.messageId).toBeGreaterThan(0);
      // The same portal request again (a retried transaction) writes nothing new.
      const again = await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'email', target: 'zhang.wei@example.com', code: '739215', locale: 'zh-CN', dedupeKey: 'req-1' }));
      expect(again.messageId).toBeNull();
      // The outbox row carries only the message id, never the code.
      const outbox = await t.db.read.selectFrom('outbox').selectAll().where('channel', '=', 'message').execute();
      expect(outbox).toHaveLength(1);
      expect(JSON.stringify(outbox)).not.toContain('739215');

      expect((await deliver()).delivered).toBe(1);
      expect((await deliver()).delivered).toBe(0);
      const mails = smtp.mails.slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe('您的登录验证码');
      expect(mails[0].text).toContain('739215');
      expect(mails[0].text).toContain('10 分钟');
      expect((mails[0].to as { text: string }).text).toBe('zhang.wei@example.com');
      expect(mails[0].headers.get('x-aftercare-event')).toBe('login_code');

      const [m] = await messagesOf({ event: 'login_code' });
      expect(m.status).toBe('sent');
      expect(m.customer_id).toBe(t.customers.own);
      expect(m.body).toBe('');
      expect(m.variables).toBe('{}');
    });

    it('in English for an English-speaking customer', async () => {
      const before = smtp.mails.length;
      await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'email', target: 'a@example.com', code: '100200', locale: 'en', minutes: 5 }));
      await deliver();
      const [mail] = smtp.mails.slice(before);
      expect(mail.subject).toBe('Your sign-in code');
      expect(mail.text).toContain('100200');
      expect(mail.text).toContain('5 minutes');
    });

    it('is retried after a temporary SMTP failure, and never sent once expired (the code is blanked)', async () => {
      smtp.refuseNext(1);
      const before = smtp.mails.length;
      const { messageId } = await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'email', target: 'retry@example.com', code: '555111', locale: 'zh-CN', minutes: 10 }));
      expect((await deliver()).failed).toBe(1);
      let m = await t.db.read.selectFrom('customer_messages').selectAll().where('id', '=', messageId!).executeTakeFirstOrThrow();
      expect(m.status).toBe('queued');
      expect(m.attempts).toBe(1);
      expect(m.last_error).toMatch(/451|busy/);
      // The back-off: nothing is due until 30 s later.
      expect((await deliver()).delivered).toBe(0);
      t.clock.advance(31_000);
      expect((await deliver()).delivered).toBe(1);
      expect(smtp.mails.slice(before)).toHaveLength(1);

      smtp.refuseNext(1);
      const late = await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'email', target: 'late@example.com', code: '999000', locale: 'zh-CN', minutes: 1 }));
      await deliver();
      t.clock.advance(2 * MINUTE);
      const result = await deliver();
      expect(result.failed).toBe(1);
      m = await t.db.read.selectFrom('customer_messages').selectAll().where('id', '=', late.messageId!).executeTakeFirstOrThrow();
      expect(m.status).toBe('failed');
      expect(m.last_error).toContain('expired');
      expect(m.body).toBe('');
      expect(smtp.mails.some((x) => x.text?.includes('999000'))).toBe(false);
    });

    it('refuses an address that is not one, naming the field', async () => {
      await expect(t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'email', target: 'not-an-address', code: '1', locale: 'zh-CN' }))).rejects.toMatchObject({ fields: { target: 'field.email_format' } });
      await expect(t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'sms', target: '12', code: '1', locale: 'zh-CN' }))).rejects.toMatchObject({ fields: { target: 'field.phone_format' } });
    });

    it('says when the channel cannot send (no SMS provider configured)', async () => {
      const res = await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'sms', target: '13812345678', code: '123456', locale: 'zh-CN' }));
      expect(res.deliverable).toBe(false);
    });
  });

  describe('invitation', () => {
    it("goes to the customer's address with the portal link, in their language", async () => {
      const before = smtp.mails.length;
      const ids = await t.db.write((trx) => t.services.messages.sendInvitation(trx, { customerId: t.customers.own, key: 'invite-1' }));
      expect(ids).toHaveLength(1);
      expect(await t.db.write((trx) => t.services.messages.sendInvitation(trx, { customerId: t.customers.own, key: 'invite-1' }))).toHaveLength(0);
      await deliver();
      const [mail] = smtp.mails.slice(before);
      expect(mail.subject).toBe('欢迎使用售后服务门户');
      expect(mail.text).toContain('张伟');
      expect(mail.text).toContain('http://localhost:3000/portal/');
      // Essential: no unsubscribe line.
      expect(mail.text).not.toContain('退订');
      expect(mail.text).not.toContain('不想再收到');
    });
  });

  describe('ticket events', () => {
    const create = async (over: Record<string, unknown> = {}, who = t.as.agent, headers: Record<string, string> = {}) => {
      const res = await who.post('/api/tickets', { title: '冰箱不制冷', description: '冷藏室温度一直在 15 度以上', customerId: t.customers.own, priority: 'P3', ...over }, headers);
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json() as { number: string; id: number; version: number };
    };
    const mailsFor = (number: string, from: number) => smtp.mails.slice(from).filter((m) => m.subject?.includes(number));
    const ticketMessages = (ticketId: number) => t.db.read.selectFrom('customer_messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();

    it('registered: one e-mail with the number and the follow link, once even when the create is retried', async () => {
      const before = smtp.mails.length;
      const tk = await create({}, t.as.agent, { 'idempotency-key': 'msg-create-1' });
      await create({}, t.as.agent, { 'idempotency-key': 'msg-create-1' });
      const rows = await ticketMessages(tk.id);
      expect(rows.map((r) => [r.event, r.channel, r.target])).toEqual([['ticket_registered', 'email', 'zhang.wei@example.com']]);
      await deliver();
      const mails = mailsFor(tk.number, before);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe(`已受理您的服务请求 ${tk.number}`);
      const link = /http:\/\/localhost:3000\/portal\/t\/(\S+)/.exec(mails[0].text ?? '');
      expect(link).not.toBeNull();
      expect((await t.services.links.check(link![1], 'ticket')).ok).toBe(true);
      // Essential: no unsubscribe line. The thread starts here.
      expect(mails[0].text).not.toContain('不想再收到');
      expect(mails[0].messageId).toMatch(new RegExp(`^<aftercare\\.ticket\\.${tk.id}@aftercare\\.test>$`));
    });

    it('a staff reply is sent once with its words, in the ticket\'s thread; an internal note never sends anything', async () => {
      const tk = await create();
      const before = smtp.mails.length;
      const note = await t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: '内部备注：INTERNAL-SECRET-4711 客户上次态度不好', internal: true });
      expect(note.statusCode).toBe(201);
      expect((await ticketMessages(tk.id)).filter((m) => m.event !== 'ticket_registered')).toHaveLength(0);
      const reply = await t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: '请先检查冰箱门封条是否密封良好。', internal: false });
      expect(reply.statusCode).toBe(201);
      // The customer's own comment is not echoed back to them.
      await t.as.customer.post(`/api/tickets/${tk.number}/comments`, { body: '好的，我看一下', internal: false });
      await deliver();
      const mails = mailsFor(tk.number, before);
      expect(mails.map((m) => m.subject).sort()).toEqual([`已受理您的服务请求 ${tk.number}`, `您的服务请求 ${tk.number} 有新回复`].sort());
      const replyMail = mails.find((m) => m.subject === `您的服务请求 ${tk.number} 有新回复`)!;
      expect(replyMail.text).toContain('请先检查冰箱门封条是否密封良好。');
      const root = `<aftercare.ticket.${tk.id}@aftercare.test>`;
      expect(replyMail.inReplyTo).toBe(root);
      expect([replyMail.references].flat()).toContain(root);
      expect(replyMail.messageId).not.toBe(root);
      for (const m of smtp.mails) expect(`${m.subject} ${m.text}`).not.toContain('INTERNAL-SECRET-4711');
    });

    it('records each message for staff only: queued and delivered on the timeline, the list with its state; the customer sees neither', async () => {
      const tk = await create();
      await deliver();
      const staff = (await t.as.agent.get(`/api/tickets/${tk.number}/events?limit=200`)).json().items as { kind: string; internal: boolean; details: Record<string, unknown> }[];
      const queued = staff.find((e) => e.kind === 'customer_message')!;
      expect(queued).toMatchObject({ internal: true, details: { event: 'ticket_registered', channel: 'email', target: 'z***@example.com' } });
      expect(staff.find((e) => e.kind === 'customer_message_sent')).toMatchObject({ internal: true, details: { event: 'ticket_registered', channel: 'email', attempts: 1 } });
      const mine = (await t.as.customer.get(`/api/tickets/${tk.number}/events?limit=200`)).json().items as { kind: string }[];
      expect(mine.map((e) => e.kind).filter((k) => k.startsWith('customer_message'))).toEqual([]);

      const list = await t.as.agent.get(`/api/tickets/${tk.number}/messages`);
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toEqual([expect.objectContaining({ event: 'ticket_registered', channel: 'email', target: 'z***@example.com', status: 'sent', attempts: 1, lastError: null })]);
      expect(JSON.stringify(list.json())).not.toContain('zhang.wei@');
      expect((await t.as.customer.get(`/api/tickets/${tk.number}/messages`)).statusCode).toBe(403);
    });

    it('assignment, solution to confirm, reopening and closing with the survey link, each once', async () => {
      const tk = await create();
      await deliver();
      const before = smtp.mails.length;
      const assigned = await t.as.supervisor.patch(`/api/tickets/${tk.number}`, { departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, version: tk.version });
      expect(assigned.statusCode, assigned.body).toBe(200);
      expect((await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' })).statusCode).toBe(200);
      expect((await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换冰箱温控器，测试 2 小时正常' })).statusCode).toBe(200);
      // Not yet: the solution is a draft under review.
      expect((await ticketMessages(tk.id)).map((m) => m.event)).not.toContain('solution_pending');
      expect((await t.as.supervisor.post(`/api/tickets/${tk.number}/review`, { approve: true, comment: 'REVIEW-NOTE-ONLY-STAFF' })).statusCode).toBe(200);
      const rejected = await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: false, customerWords: '还是不制冷' });
      expect(rejected.statusCode, rejected.body).toBe(200);
      expect((await t.as.engineer.post(`/api/tickets/${tk.number}/transitions`, { to: 'in_progress' })).statusCode).toBe(200);
      expect((await t.as.engineer.post(`/api/tickets/${tk.number}/solution`, { solution: '更换压缩机' })).statusCode).toBe(200);
      expect((await t.as.supervisor.post(`/api/tickets/${tk.number}/review`, { approve: true })).statusCode).toBe(200);
      expect((await t.as.customer.post(`/api/tickets/${tk.number}/confirmation`, { satisfied: true })).statusCode).toBe(200);
      await deliver();
      expect((await ticketMessages(tk.id)).map((m) => m.event)).toEqual([
        'ticket_registered',
        'ticket_assigned',
        'solution_pending',
        'ticket_reopened',
        'solution_pending',
        'ticket_closed',
      ]);
      // The outbox sends several at once: the order of arrival is not the order of events.
      const mails = mailsFor(tk.number, before);
      expect(mails).toHaveLength(5);
      const bySubject = (s: string) => mails.filter((m) => m.subject === s);
      const assignedMail = bySubject(`您的服务请求 ${tk.number} 已安排专人处理`)[0];
      expect(assignedMail.text).toContain('t_engineer');
      const solutions = bySubject(`请确认解决方案：${tk.number}`).map((m) => m.text ?? '');
      expect(solutions).toHaveLength(2);
      expect(solutions.some((x) => x.includes('更换冰箱温控器，测试 2 小时正常'))).toBe(true);
      expect(solutions.some((x) => x.includes('更换压缩机'))).toBe(true);
      expect(bySubject(`您的服务请求 ${tk.number} 已重新处理`)).toHaveLength(1);
      const closed = bySubject(`您的服务请求 ${tk.number} 已关闭，请评价我们的服务`)[0];
      const survey = /http:\/\/localhost:3000\/portal\/survey\/(\S+)/.exec(closed.text ?? '');
      expect(survey).not.toBeNull();
      const check = await t.services.links.check(survey![1], 'survey');
      expect(check.ok && check.claims.subject).toBe(tk.id);
      // Courtesy messages carry the unsubscribe link; essential ones do not.
      expect(assignedMail.text).toContain('/portal/unsubscribe/');
      expect(closed.text).toContain('/portal/unsubscribe/');
      expect(solutions[0]).not.toContain('/portal/unsubscribe/');
      for (const m of mails) {
        expect(m.text).not.toContain('REVIEW-NOTE-ONLY-STAFF');
        expect(m.text).not.toContain('还是不制冷');
      }
    });

    it('an opted-out customer gets only the essential messages; the unsubscribe link opts out without signing in', async () => {
      const tk = await create();
      await t.as.supervisor.patch(`/api/tickets/${tk.number}`, { departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, version: tk.version });
      await deliver();
      const assignedMail = smtp.mails.filter((m) => m.subject === `您的服务请求 ${tk.number} 已安排专人处理`).at(-1)!;
      const token = /\/portal\/unsubscribe\/(\S+)/.exec(assignedMail.text ?? '')![1];
      const view = await t.app.inject({ method: 'GET', url: `/api/messages/unsubscribe/${token}` });
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ customerName: '张伟', optOut: false });
      expect(view.json().essential).toContain('staff_reply');
      const off = await t.app.inject({ method: 'POST', url: `/api/messages/unsubscribe/${token}`, payload: { optOut: true } });
      expect(off.statusCode).toBe(200);
      expect(off.json().optOut).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: `/api/messages/unsubscribe/${token.slice(0, -2)}xx` })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/messages/unsubscribe/not-a-token-at-all` })).statusCode).toBe(403);

      try {
        const again = await create();
        await t.as.supervisor.patch(`/api/tickets/${again.number}`, { departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, version: again.version });
        await t.as.agent.post(`/api/tickets/${again.number}/comments`, { body: '我们明天上午联系您。', internal: false });
        // The courtesy message is recorded for staff as skipped, and nothing goes out for it.
        const rows = await ticketMessages(again.id);
        expect(rows.map((m) => [m.event, m.status])).toEqual([['ticket_registered', 'queued'], ['ticket_assigned', 'skipped'], ['staff_reply', 'queued']]);
        const skipped = rows[1];
        expect(await t.db.read.selectFrom('outbox').select('id').where('channel', '=', 'message').where('target', '=', String(skipped.id)).execute()).toEqual([]);
        expect(skipped.body).not.toContain('/portal/unsubscribe/');
      } finally {
        await t.app.inject({ method: 'POST', url: `/api/messages/unsubscribe/${token}`, payload: { optOut: false } });
      }
    });

    it("speaks the customer's language, and a customer edits only their own choices", async () => {
      const own = `/api/customers/${t.customers.own}/message-preferences`;
      const prefs = await t.as.customer.get(own);
      expect(prefs.statusCode).toBe(200);
      expect(prefs.json()).toMatchObject({ locale: 'zh-CN', channels: ['email'], defaulted: true, optOut: false, reachable: { email: 'z***@example.com', sms: '138****5678', wechat: false } });
      expect((await t.as.customer.get(`/api/customers/${t.customers.other}/message-preferences`)).statusCode).toBe(404);
      expect((await t.as.qa.request('PUT', own, { locale: 'en' })).statusCode).toBe(403);
      const empty = await t.as.customer.request('PUT', own, { channels: [] }, { 'accept-language': 'en' });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.fields.channels).toMatch(/at least one channel/);
      const set = await t.as.customer.request('PUT', own, { locale: 'en' });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json().locale).toBe('en');
      try {
        const before = smtp.mails.length;
        const tk = await create();
        await deliver();
        const [mail] = mailsFor(tk.number, before);
        expect(mail.subject).toBe(`We have your request ${tk.number}`);
        expect(mail.text).toContain('Hello 张伟');
      } finally {
        await t.as.agent.request('PUT', own, { locale: 'zh-CN' });
      }
    });
  });

  describe('templates (admin)', () => {
    const url = '/api/admin/message-templates/staff_reply/email/zh-CN';

    it('lists every event, channel and language with its variables; only admins', async () => {
      const res = await t.as.admin.get('/api/admin/message-templates');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { event: string; channel: string; locale: string; customized: boolean; variables: string[]; essential: boolean }[];
      expect(items).toHaveLength(MESSAGE_EVENTS.length * 3 * 2);
      expect(items.find((i) => i.event === 'ticket_closed' && i.channel === 'sms' && i.locale === 'en')).toMatchObject({ customized: false, essential: false, variables: expect.arrayContaining(['surveyLink']) });
      expect((await t.as.supervisor.get('/api/admin/message-templates')).statusCode).toBe(403);
    });

    it('refuses unknown variables and stray braces, naming the field, in the caller\'s language', async () => {
      const bad = await t.as.admin.request('PUT', url, { subject: '回复 {{number}}', body: '您好 {{customerNmae}}：{{reply}}' }, { 'accept-language': 'en' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields.body).toContain('customerNmae');
      expect(bad.json().error.fields.subject).toBeUndefined();
      const zh = await t.as.admin.request('PUT', url, { subject: '回复 {{solution}}', body: '{{reply}}' });
      expect(zh.json().error.fields.subject).toContain('模板中有此消息没有的变量：solution');
      const braces = await t.as.admin.request('PUT', url, { subject: '回复', body: '{{reply} 请查看' }, { 'accept-language': 'en' });
      expect(braces.json().error.fields.body).toMatch(/Unbalanced braces/);
      const preview = await t.as.admin.post(`${url}/preview`, { subject: '回复 {{number}}', body: '{{customerName}}：{{reply}}' });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toEqual({ subject: '回复 202611001', body: '王女士：请先检查进水管接口是否拧紧。' });
    });

    it('an edited template is used for the next message, and DELETE goes back to the built-in text', async () => {
      const saved = await t.as.admin.request('PUT', url, { subject: '【售后】{{number}} 新回复', body: '{{customerName}}，{{reply}}\n{{link}}' });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ customized: true });
      try {
        const tk = (await t.as.agent.post('/api/tickets', { title: '洗衣机漏水', description: '脱水时漏水', customerId: t.customers.own, priority: 'P3' })).json();
        const before = smtp.mails.length;
        await t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: '请拍一张进水管的照片。', internal: false });
        await deliver();
        const mail = smtp.mails.slice(before).find((m) => m.subject === `【售后】${tk.number} 新回复`);
        expect(mail?.text).toMatch(/^张伟，请拍一张进水管的照片。\nhttp:\/\/localhost:3000\/portal\/t\//);
      } finally {
        const reset = await t.as.admin.request('DELETE', url);
        expect(reset.statusCode).toBe(200);
        expect(reset.json()).toMatchObject({ customized: false, subject: '您的服务请求 {{number}} 有新回复' });
      }
    });
  });

  describe('channel settings (admin)', () => {
    it('never answers a secret, keeps it when the field is left empty, and refuses a provider without its keys', async () => {
      const missing = await t.as.admin.patch('/api/admin/message-channels', { sms: { provider: 'aliyun' } }, { 'accept-language': 'en' });
      expect(missing.statusCode).toBe(400);
      expect(Object.keys(missing.json().error.fields).sort()).toEqual(['sms.accessKeyId', 'sms.secret', 'sms.signName']);
      const set = await t.as.admin.patch('/api/admin/message-channels', { sms: { provider: 'aliyun', accessKeyId: 'LTAI-test', secret: 'SUPER-SECRET-VALUE', signName: '售后服务' } });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.body).not.toContain('SUPER-SECRET-VALUE');
      expect(set.json().sms).toMatchObject({ provider: 'aliyun', accessKeyId: 'LTAI-test', secret: { set: true } });
      const kept = await t.as.admin.patch('/api/admin/message-channels', { sms: { signName: '售后中心', secret: '' } });
      expect(kept.json().sms).toMatchObject({ signName: '售后中心', secret: { set: true } });
      const read = await t.as.admin.get('/api/admin/message-channels');
      expect(read.body).not.toContain('SUPER-SECRET-VALUE');
      expect(read.json().email).toMatchObject({ enabled: true, smtpConfigured: true });
      expect((await t.as.supervisor.get('/api/admin/message-channels')).statusCode).toBe(403);
      await t.as.admin.patch('/api/admin/message-channels', { sms: { provider: 'none' } });
    });
  });
});
