// The portal's sign-in (issue 15): one-time codes (short-lived, single use, hashed at rest, rate-limited per target
// and per address, the same answer whether or not an account exists, shown only in demo mode), staff creating,
// inviting and disabling customer accounts, and the one-ticket link session's limits.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/server/db/schema.js';
import type { InvitationMessage, LoginCodeMessage, PortalMessages } from '../../src/server/modules/portal/messages.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { fullTicketBody } from './fixtures.js';

/**
 * Stands in for the customer-messages module and checks what it would: a channel it knows, a target of that channel,
 * a six-digit code, a language, a validity, and a live transaction to write the outbox row in.
 */
class RecordingMessages implements PortalMessages {
  codes: LoginCodeMessage[] = [];
  invitations: InvitationMessage[] = [];
  async sendLoginCode(trx: Kysely<DB>, m: LoginCodeMessage) {
    expect(['sms', 'email']).toContain(m.channel);
    expect(m.target).toMatch(m.channel === 'email' ? /^[^@\s]+@[^@\s]+$/ : /^\d{6,15}$/);
    expect(m.code).toMatch(/^\d{6}$/);
    expect(['zh-CN', 'en']).toContain(m.locale);
    expect(m.minutes).toBe(10);
    expect(m.dedupeKey).toBeTruthy();
    await trx.selectFrom('users').select('id').limit(1).execute();
    this.codes.push(m);
  }
  async sendInvitation(trx: Kysely<DB>, m: InvitationMessage) {
    expect(m.customerId).toBeGreaterThan(0);
    expect(m.link).toMatch(/\/portal\/signin$/);
    await trx.selectFrom('customers').select('id').where('id', '=', m.customerId).executeTakeFirstOrThrow();
    this.invitations.push(m);
    return [this.invitations.length];
  }
}

const cookieOf = (res: { headers: Record<string, unknown> }) => {
  const set = res.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : [set]).find((c) => typeof c === 'string' && c.startsWith('aftercare_sid='));
  return line ? String(line).split(';')[0] : null;
};

describe.each(TEST_DIALECTS)('portal sign-in and accounts on %s', (dialect) => {
  let t: TestApp;
  const messages = new RecordingMessages();
  let ip = 0;
  /** An anonymous request from its own address unless one is given (the per-address limits are tested apart). */
  const anon = (method: 'GET' | 'POST', url: string, body?: unknown, opts: { cookie?: string; csrf?: string; address?: string } = {}) =>
    t.app.inject({
      method,
      url,
      remoteAddress: opts.address ?? `10.1.${Math.floor(++ip / 250)}.${ip % 250}`,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await createTestApp({ dialect, portalLimits: { codesPerTarget: 4, codesPerAddress: 6, signInsPerMinute: 40 } });
    t.services.portal.signin.messages = messages;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function account(phone: string | null, email: string | null = null, customerId = t.customers.own) {
    const res = await t.as.agent.post(`/api/customers/${customerId}/accounts`, { phone, email });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; phone: string | null; email: string | null; active: boolean };
  }

  async function codeFor(target: string) {
    const before = messages.codes.length;
    const res = await anon('POST', '/api/portal/code', { target });
    expect(res.statusCode, res.body).toBe(200);
    return messages.codes.slice(before).at(-1)?.code ?? null;
  }

  async function signIn(target: string, code: string) {
    const res = await anon('POST', '/api/portal/signin', { target, code });
    return { res, cookie: cookieOf(res), session: res.statusCode === 200 ? res.json().session : null };
  }

  it('staff create an account; the customer signs in with a code sent to its phone, once', async () => {
    const acc = await account('+86 138-0000-1111');
    expect(acc).toMatchObject({ phone: '13800001111', email: null, active: true });
    // Listed for staff (QA sees it masked); customers cannot manage accounts.
    expect((await t.as.agent.get(`/api/customers/${t.customers.own}/accounts`)).json().items.map((a: { id: number }) => a.id)).toContain(acc.id);
    expect((await t.as.qa.get(`/api/customers/${t.customers.own}/accounts`)).json().items.find((a: { id: number }) => a.id === acc.id).phone).toBe('138****1111');
    expect((await t.as.customer.get(`/api/customers/${t.customers.own}/accounts`)).statusCode).toBe(404);
    expect((await t.as.customer.post(`/api/customers/${t.customers.own}/accounts`, { phone: '13800009999' })).statusCode).toBe(403);
    expect((await t.as.qa.post(`/api/customers/${t.customers.own}/accounts`, { phone: '13800009999' })).statusCode).toBe(403);

    const res = await anon('POST', '/api/portal/code', { target: '138 0000 1111' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ channel: 'sms', expiresInMinutes: 10, demoCode: null });
    const sent = messages.codes.at(-1)!;
    expect(sent).toMatchObject({ channel: 'sms', target: '13800001111', locale: 'zh-CN', customerId: t.customers.own });
    // Hashed at rest: the code is nowhere in its row.
    const rows = await t.db.read.selectFrom('login_codes').selectAll().where('target', '=', 'phone:13800001111').execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(sent.code);

    const { res: ok, cookie, session } = await signIn('13800001111', sent.code);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(session).toMatchObject({ kind: 'account', customerName: '张伟', ticketNumber: null });
    expect(cookie).toBeTruthy();
    const me = await anon('GET', '/api/portal/session', undefined, { cookie: cookie! });
    expect(me.json().session).toMatchObject({ kind: 'account' });
    expect((await anon('GET', '/api/portal/units', undefined, { cookie: cookie! })).statusCode).toBe(200);

    // Single use.
    const again = await signIn('13800001111', sent.code);
    expect(again.res.statusCode).toBe(400);
    expect(again.res.json().error.fields.code).toBe('验证码错误或已过期，请重新获取');
  });

  it('a code expires after 10 minutes', async () => {
    await account(null, 'Expiry@Example.com');
    const code = (await codeFor('expiry@example.com'))!;
    expect(messages.codes.at(-1)).toMatchObject({ channel: 'email', target: 'expiry@example.com' });
    t.clock.advance(10 * 60_000 + 1000);
    const late = await signIn('EXPIRY@example.com', code);
    expect(late.res.statusCode).toBe(400);
    expect(late.res.json().error.fields).toHaveProperty('code');
    // A fresh code works.
    const fresh = (await codeFor('expiry@example.com'))!;
    expect((await signIn('expiry@example.com', fresh)).res.statusCode).toBe(200);
  });

  it('answers alike whether or not an account exists, and sends nothing for an unknown target', async () => {
    await account('13800002222');
    const before = messages.codes.length;
    const known = await anon('POST', '/api/portal/code', { target: '13800002222' }, { address: '10.9.0.1' });
    const unknown = await anon('POST', '/api/portal/code', { target: '13899990000' }, { address: '10.9.0.2' });
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.json()).toEqual(known.json());
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(known.headers).sort());
    expect(messages.codes.length).toBe(before + 1);
    // Any code for the unknown target fails with the very message a wrong code gets.
    const guess = await signIn('13899990000', '123456');
    const wrong = await signIn('13800002222', '000000');
    expect(guess.res.statusCode).toBe(400);
    expect(guess.res.json()).toEqual(wrong.res.json());
    // Bad input names the field, translated.
    const bad = await t.app.inject({ method: 'POST', url: '/api/portal/code', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, payload: JSON.stringify({ target: 'not a phone' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.target).toBe('Enter a mobile phone number or an e-mail address');
  });

  it('five wrong codes kill the live code', async () => {
    await account('13800003333');
    const code = (await codeFor('13800003333'))!;
    for (let i = 0; i < 5; i++) expect((await signIn('13800003333', code === '999999' ? '999998' : '999999')).res.statusCode).toBe(400);
    expect((await signIn('13800003333', code)).res.statusCode).toBe(400);
  });

  it('limits code requests per target (from any address) and per address (whatever the targets)', async () => {
    for (let i = 0; i < 4; i++) expect((await anon('POST', '/api/portal/code', { target: '13800004444' })).statusCode).toBe(200);
    const over = await anon('POST', '/api/portal/code', { target: '+86 138 0000 4444' });
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.json().error.code).toBe('rate_limited');
    for (let i = 0; i < 6; i++) expect((await anon('POST', '/api/portal/code', { target: `1380000${5000 + i}` }, { address: '10.8.0.1' })).statusCode).toBe(200);
    expect((await anon('POST', '/api/portal/code', { target: '13800005999' }, { address: '10.8.0.1' })).statusCode).toBe(429);
  });

  it('a disabled account loses its sessions at once and cannot sign in again', async () => {
    const acc = await account('13800006666');
    const { cookie } = await signIn('13800006666', (await codeFor('13800006666'))!);
    expect((await anon('GET', '/api/tickets', undefined, { cookie: cookie! })).statusCode).toBe(200);
    const pending = (await codeFor('13800006666'))!;
    const off = await t.as.agent.patch(`/api/customers/${t.customers.own}/accounts/${acc.id}`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await anon('GET', '/api/tickets', undefined, { cookie: cookie! })).statusCode).toBe(401);
    expect((await anon('GET', '/api/portal/session', undefined, { cookie: cookie! })).statusCode).toBe(401);
    // The code sent before it was disabled opens nothing, and no new code is sent.
    expect((await signIn('13800006666', pending)).res.statusCode).toBe(400);
    expect(await codeFor('13800006666')).toBeNull();
    // Enabled again, a new code works.
    expect((await t.as.agent.patch(`/api/customers/${t.customers.own}/accounts/${acc.id}`, { active: true })).statusCode).toBe(200);
    expect((await signIn('13800006666', (await codeFor('13800006666'))!)).res.statusCode).toBe(200);
  });

  it('one phone number or e-mail signs in one account; bad ones are named', async () => {
    await account('13800007777');
    const dup = await t.as.agent.post(`/api/customers/${t.customers.other}/accounts`, { phone: '+86 13800007777' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields.phone).toBe('此手机号码已被另一个客户账户使用');
    const none = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts`, {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('phone');
    const bad = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts`, { email: 'nobody' }, { 'accept-language': 'en' });
    expect(bad.json().error.fields.email).toBe('This is not a valid e-mail address');
  });

  it('shows the code on screen only in demo mode on loopback', async () => {
    const config = t.services.ctx.config;
    const saved = { demo: config.demo, host: config.host };
    try {
      Object.assign(config, { demo: true, host: '127.0.0.1' });
      const shown = await anon('POST', '/api/portal/code', { target: '13800008888' });
      expect(shown.json().demoCode).toMatch(/^\d{6}$/);
      Object.assign(config, { demo: true, host: '0.0.0.0' });
      expect((await anon('POST', '/api/portal/code', { target: '13800008888' })).json().demoCode).toBeNull();
    } finally {
      Object.assign(config, saved);
    }
  });

  it('staff invite an account through the customer messages', async () => {
    const acc = await account('13800009990', 'invite@example.com');
    const res = await t.as.agent.post(`/api/customers/${t.customers.own}/accounts/${acc.id}/invite`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sent: true, channel: 'email' });
    expect(messages.invitations.at(-1)).toMatchObject({ customerId: t.customers.own, channel: 'email', actorId: t.as.agent.userId });
    expect((await t.as.customer.post(`/api/customers/${t.customers.own}/accounts/${acc.id}/invite`)).statusCode).toBe(403);
    // Another customer's account id under this customer: not found.
    expect((await t.as.agent.post(`/api/customers/${t.customers.other}/accounts/${acc.id}/invite`)).statusCode).toBe(404);
  });

  describe('a one-ticket link session', () => {
    let linked: string;
    let sibling: string;
    let cookie: string;
    let csrf: string;

    beforeAll(async () => {
      const mk = async (title: string) => {
        const r = await t.as.agent.post('/api/tickets', fullTicketBody({ title, customer: undefined, customerId: t.customers.own }));
        expect(r.statusCode, r.body).toBe(201);
        return r.json() as { id: number; number: string };
      };
      const a = await mk('链接打开的工单');
      const b = await mk('同一客户的另一张工单');
      linked = a.number;
      sibling = b.number;
      await t.as.agent.post(`/api/tickets/${linked}/comments`, { body: 'INTERNAL-NOTE-must-not-show', internal: true });
      await t.as.agent.post(`/api/tickets/${linked}/comments`, { body: '您好，我们已收到您的报修', internal: false });
      const token = await t.services.links.token('ticket', a.id);
      const res = await anon('POST', '/api/portal/link', { token });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ session: { kind: 'link', ticketNumber: linked, name: '张伟' }, ticketNumber: linked });
      cookie = cookieOf(res)!;
      csrf = res.json().session.csrfToken;
    });

    it('sees and acts on its ticket, as the customer sees it', async () => {
      const ticket = await anon('GET', `/api/tickets/${linked}`, undefined, { cookie });
      expect(ticket.statusCode).toBe(200);
      expect(ticket.json().firstJudgement).toBeNull();
      const comments = await anon('GET', `/api/tickets/${linked}/comments`, undefined, { cookie });
      expect(comments.body).not.toContain('INTERNAL-NOTE');
      expect(comments.json().items.map((c: { body: string }) => c.body)).toContain('您好，我们已收到您的报修');
      const reply = await anon('POST', `/api/tickets/${linked}/comments`, { body: '好的，谢谢', internal: false }, { cookie, csrf });
      expect(reply.statusCode, reply.body).toBe(201);
      // Their reply is theirs, by name, in the staff's timeline too.
      const staffView = (await t.as.agent.get(`/api/tickets/${linked}/comments`)).json().items.at(-1);
      expect(staffView).toMatchObject({ body: '好的，谢谢', author: { name: '张伟' } });
    });

    it("cannot see another ticket, not even the same customer's, nor anything else", async () => {
      expect((await anon('GET', `/api/tickets/${sibling}`, undefined, { cookie })).statusCode).toBe(404);
      expect((await anon('GET', `/api/tickets/${sibling}/comments`, undefined, { cookie })).statusCode).toBe(404);
      expect((await anon('POST', `/api/tickets/${sibling}/comments`, { body: 'x', internal: false }, { cookie, csrf })).statusCode).toBe(404);
      for (const url of ['/api/tickets', '/api/tickets/count', '/api/portal/units', `/api/customers/${t.customers.own}`, '/api/customers', '/api/notifications', '/api/auth/tokens']) {
        const res = await anon('GET', url, undefined, { cookie });
        expect(res.statusCode, url).toBe(403);
      }
      expect((await anon('POST', '/api/tickets', { title: 'x', description: 'y', customerId: t.customers.own }, { cookie, csrf })).statusCode).toBe(403);
      expect((await anon('POST', '/api/auth/tokens', { name: 'steal' }, { cookie, csrf })).statusCode).toBe(403);
    });

    it('refuses a forged, expired or other-purpose link', async () => {
      const good = await t.services.links.token('ticket', 1);
      const forged = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
      expect((await anon('POST', '/api/portal/link', { token: forged })).statusCode).toBe(404);
      expect((await anon('POST', '/api/portal/link', { token: await t.services.links.token('survey', 1) })).statusCode).toBe(404);
      const short = await t.services.links.token('ticket', 1, 1000);
      t.clock.advance(2000);
      const expired = await anon('POST', '/api/portal/link', { token: short });
      expect(expired.statusCode).toBe(410);
      expect(expired.json().error.message).toContain('已过期');
    });

    it("a signed-in customer of that ticket keeps their own session", async () => {
      const acc = await account('13800001212');
      const { cookie: own } = await signIn('13800001212', (await codeFor('13800001212'))!);
      const id = (await t.as.agent.get(`/api/tickets/${linked}`)).json().id;
      const res = await anon('POST', '/api/portal/link', { token: await t.services.links.token('ticket', id) }, { cookie: own! });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ session: { kind: 'account' }, ticketNumber: linked });
      expect(cookieOf(res)).toBeNull();
      // What they wrote through the link shows as theirs, not as "the service team".
      const seen = (await anon('GET', `/api/tickets/${linked}/comments`, undefined, { cookie: own! })).json().items;
      expect(seen.find((c: { body: string }) => c.body === '好的，谢谢').author).toMatchObject({ name: '张伟' });
      void acc;
    });
  });
});
