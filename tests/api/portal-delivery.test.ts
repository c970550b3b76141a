// Sign-in codes and invitations go out through the real customer-messages module (modules/messages): the message is
// written in the code's transaction, for the account's target, and nothing is written for a target with no account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

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
