// Sign-in codes and invitations go out through the real customer-messages module (modules/messages): the message is
// written in the code's transaction, for the account's target, and nothing is written for a target with no account.
// An invitation goes to the account's own phone or e-mail, never to the customer record's (real SMTP and SMS stubs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { startGenericSmsStub, startSmtpStub, type GenericSmsStub, type SmtpStub } from './message-stubs.js';

describe.each(TEST_DIALECTS)('portal codes through the customer messages on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  const messages = () => t.db.read.selectFrom('customer_messages').select(['event', 'channel', 'target', 'customer_id', 'body', 'variables']).orderBy('id').execute();

  it('queues the code for the account, and nothing for an unknown target', async () => {
    expect(t.services.portal.signin.messages).toBe(t.services.messages);
    const acc = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts`, { email: 'Deliver@Example.com' });
    expect(acc.statusCode, acc.body).toBe(201);
    const before = (await messages()).length;
    const res = await t.app.inject({ method: 'POST', url: '/api/portal/code', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ target: 'deliver@example.com' }) });
    expect(res.statusCode, res.body).toBe(200);
    const written = (await messages()).slice(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ event: 'login_code', channel: 'email', target: 'deliver@example.com', customer_id: t.customers.own });
    expect(written[0].variables).toMatch(/"code":"\d{6}"/);
    await t.app.inject({ method: 'POST', url: '/api/portal/code', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ target: 'nobody@example.com' }) });
    expect((await messages()).length).toBe(before + 1);
  });

  it('hands the invitation staff ask for to the customer messages', async () => {
    const acc = (await t.as.agent.post(`/api/customers/${t.customers.own}/accounts`, { phone: '13800002020' })).json();
    const res = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts/${acc.id}/invite`);
    expect(res.statusCode, res.body).toBe(200);
    // No SMS provider is set up in tests: nothing can go out, and staff are told so.
    expect(res.json()).toEqual({ sent: false, channel: 'sms' });
  });
});

describe.each(TEST_DIALECTS)("portal invitations at the account's own address on %s", (dialect) => {
  let t: TestApp;
  let smtp: SmtpStub;
  let sms: GenericSmsStub;
  const RECORD_EMAIL = 'record.owner@example.com';
  const RECORD_PHONE = '13812345678';

  beforeAll(async () => {
    smtp = await startSmtpStub();
    sms = await startGenericSmsStub('invite-sms-secret');
    t = await createTestApp({ dialect, config: { smtpUrl: smtp.url, mailFrom: 'Aftercare <service@aftercare.test>' } });
    await t.db.write((trx) => trx.updateTable('customers').set({ email: RECORD_EMAIL, email_lower: RECORD_EMAIL, phone: RECORD_PHONE }).where('id', '=', t.customers.own).execute());
    const res = await t.as.admin.patch('/api/admin/message-channels', { sms: { provider: 'generic', endpoint: sms.url, secret: 'invite-sms-secret' } });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await sms?.close();
  });

  const deliver = () => t.services.notify.deliverDue(t.clock.now());
  const invitations = () => t.db.read.selectFrom('customer_messages').select(['channel', 'target', 'customer_id', 'status']).where('event', '=', 'invitation').orderBy('id').execute();
  const recipients = (m: { to?: unknown }) => [m.to].flat().flatMap((a) => (a as { value: { address: string }[] } | undefined)?.value.map((v) => v.address) ?? []);

  it("e-mails the account's own address; the customer record's address gets nothing", async () => {
    const acc = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts`, { email: 'Son.Of.Owner@Example.com', phone: '13900001111' });
    expect(acc.statusCode, acc.body).toBe(201);
    const mailsBefore = smtp.mails.length;
    const smsBefore = sms.sent.length;
    const res = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts/${acc.json().id}/invite`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sent: true, channel: 'email' });
    expect((await invitations()).at(-1)).toEqual({ channel: 'email', target: 'son.of.owner@example.com', customer_id: t.customers.own, status: 'queued' });
    expect((await deliver()).delivered).toBe(1);
    const mails = smtp.mails.slice(mailsBefore);
    expect(mails.map(recipients)).toEqual([['son.of.owner@example.com']]);
    expect(mails[0].subject).toBe('欢迎使用售后服务门户');
    expect(mails[0].text).toContain('/portal/signin');
    expect(smtp.mails.flatMap(recipients)).not.toContain(RECORD_EMAIL);
    expect(sms.sent.slice(smsBefore)).toEqual([]);
    expect((await invitations()).at(-1)?.status).toBe('sent');
  });

  it("texts a phone-only account at its own number; the customer record's phone gets nothing", async () => {
    const acc = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts`, { phone: '139 0000 2222' });
    expect(acc.statusCode, acc.body).toBe(201);
    const mailsBefore = smtp.mails.length;
    const smsBefore = sms.sent.length;
    const res = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts/${acc.json().id}/invite`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sent: true, channel: 'sms' });
    expect((await invitations()).at(-1)).toMatchObject({ channel: 'sms', target: '13900002222' });
    expect((await deliver()).delivered).toBe(1);
    const texts = sms.sent.slice(smsBefore);
    expect(texts.map((x) => [x.to, x.event])).toEqual([['13900002222', 'invitation']]);
    expect(texts[0].text).toContain('/portal/signin');
    expect(sms.sent.map((x) => x.to)).not.toContain(RECORD_PHONE);
    expect(smtp.mails.slice(mailsBefore)).toEqual([]);
  });
});
