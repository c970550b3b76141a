// API tests of notifications: enqueue and dedupe, the in-app list, outbox delivery with retries (webhooks and e-mail),
// webhook administration, the live SSE stream and — on PostgreSQL — fan-out across nodes and exactly-once delivery.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AppContext } from '../../src/server/context.js';
import { openDatabase, type Database } from '../../src/server/db/connect.js';
import type { Actor } from '../../src/server/domain/access.js';
import { registerAuth } from '../../src/server/http/auth.js';
import { registerErrorHandling, RequestValidationError } from '../../src/server/http/errors.js';
import { notifyRoutes } from '../../src/server/modules/notify/routes.js';
import { NotifyService, type FetchLike, type MailMessage, type NotificationInput } from '../../src/server/modules/notify/service.js';
import { createTestApp, TEST_DIALECTS, TEST_PASSWORD, type TestApp } from '../../src/server/testing.js';

const HOUR = 3_600_000;
const ticket = (over: Partial<NonNullable<NotificationInput['ticket']>> = {}) => ({
  id: 1,
  number: '202611001',
  title: '客厅空调不制冷',
  priority: 'P1',
  demand: '48小时内上门维修',
  status: 'in_progress',
  dueAt: Date.parse('2026-11-23T10:00:00.000Z'),
  ...over,
});

/** The notify routes on a bare Fastify app, for as long as the lead has not wired them into buildApp(). */
async function buildNotifyApp(t: TestApp, notify: NotifyService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(({ schema, httpPart }) => (data) => {
    const result = (schema as z.ZodType).safeParse(data, { reportInput: true });
    return result.success ? { value: result.data } : { error: new RequestValidationError(result.error.issues, httpPart ?? 'body') };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerErrorHandling(app);
  await app.register(cookie);
  registerAuth(app, t.services.auth);
  notifyRoutes(app, { notify });
  await app.ready();
  return app;
}

/** Reads Server-Sent Events from a fetch() stream. */
async function openSse(url: string, token: string | null, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(url, { headers: { ...auth, accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const next = async (event: string, timeoutMs = 5000): Promise<{ id: string | null; data: any }> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let idx: number;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        let name = 'message';
        let id: string | null = null;
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (name === event) return { id, data: JSON.parse(data.join('\n')) };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${event}" event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no "${event}" event within ${timeoutMs} ms`)), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('stream ended');
      buf += decoder.decode(chunk.value, { stream: true });
    }
  };
  return { res, next, close: () => ac.abort() };
}

/** A sink for NotifyService.openStream() that records frames. */
function recordingSink() {
  const frames: string[] = [];
  let ended = false;
  return {
    frames,
    get ended() {
      return ended;
    },
    notifications: () => frames.filter((f) => f.includes('event: notification')).map((f) => JSON.parse(f.split('data: ')[1])),
    sink: { open: () => {}, write: (c: string) => void frames.push(c), end: () => void (ended = true) },
  };
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(TEST_DIALECTS)('notifications on %s', (dialect) => {
  let t: TestApp;
  let notify: NotifyService;
  let app: FastifyInstance;
  let ownApp = false;
  let ctx: AppContext;
  const actor = (key: string): Actor => ({ id: t.as[key].userId, username: key, name: key, role: 'engineer', departmentId: null, customerId: null });
  const call = async (key: string, method: string, url: string, body?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${t.as[key].token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return res as typeof res & { json(): any };
  };
  const enqueue = (input: NotificationInput, svc = notify) => t.db.write((trx) => svc.enqueue(trx, input));
  const outboxRows = (prefix: string) =>
    t.db.read
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', 'like', `${prefix}%`)
      .orderBy('id')
      .execute();
  const resetDelivery = async () => {
    await t.db.write(async (trx) => {
      await trx.deleteFrom('outbox').execute();
      await trx.deleteFrom('webhooks').execute();
    });
    notify.forgetWebhooks();
  };
  const setPrefs = async (key: string, kinds: Record<string, string[]>, digestTime?: string) => {
    const res = await call(key, 'PUT', '/api/notifications/preferences', { kinds, ...(digestTime ? { digestTime } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const addWebhook = async (over: Record<string, unknown> = {}) => {
    const res = await call('admin', 'POST', '/api/webhooks', { name: '值班群', url: 'https://hooks.example.com/in', kind: 'generic', secret: 'hook-secret', ...over });
    expect(res.statusCode).toBe(201);
    notify.forgetWebhooks(); // this test's own NotifyService instance caches the list apart from the app's
    return res.json() as { id: number };
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    ctx = t.services.ctx;
    const wired = (t.services as unknown as { notify?: NotifyService }).notify;
    notify = wired ?? new NotifyService(ctx);
    if (wired) {
      app = t.app;
    } else {
      app = await buildNotifyApp(t, notify);
      ownApp = true;
    }
    await t.db.write(async (trx) => {
      await trx.updateTable('users').set({ email: 'engineer@example.com' }).where('id', '=', t.as.engineer.userId).execute();
      await trx.updateTable('users').set({ email: 'supervisor@example.com' }).where('id', '=', t.as.supervisor.userId).execute();
    });
  });
  afterAll(async () => {
    if (ownApp) await app?.close();
    await t?.close();
  });
  beforeEach(() => {
    notify.setTransport(null, () => Promise.reject(new Error('no fetch in this test')));
  });

  it('enqueues in-app and outbox rows once per logical event, skipping inactive and unknown users', async () => {
    await resetDelivery();
    const sent: MailMessage[] = [];
    notify.setTransport({ sendMail: async (m) => void sent.push(m) });
    const all = await addWebhook();
    await addWebhook({ name: '钉钉', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=x', events: ['sla_breach'] });
    await addWebhook({ name: '停用', active: false });
    const inactive = await t.db.write((trx) =>
      trx
        .insertInto('users')
        .values({ username: 'gone', display_name: '离职', password_hash: 'x', role: 'engineer', department_id: null, customer_id: null, skills: '[]', email: 'gone@example.com', phone: null, active: 0, created_at: t.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const { engineer, supervisor, manager } = t.as;
    // Warnings are in-app only by default; these two chose e-mail too.
    await setPrefs('engineer', { sla_warning: ['in_app', 'email'] });
    await setPrefs('supervisor', { sla_warning: ['in_app', 'email'] });
    const input: NotificationInput = {
      userIds: [engineer.userId, supervisor.userId, manager.userId, inactive.id, 987654, engineer.userId],
      kind: 'sla_warning',
      ticket: ticket(),
      data: { clock: 'resolve' },
      dedupeKey: 'sla_warning:1:resolve:1',
    };
    const notified = await enqueue(input);
    expect(notified.sort((a, b) => a - b)).toEqual([engineer.userId, supervisor.userId, manager.userId].sort((a, b) => a - b));
    const rows = await t.db.read.selectFrom('notifications').selectAll().where('kind', '=', 'sla_warning').execute();
    expect(rows.map((r) => r.user_id).sort((a, b) => a - b)).toEqual([...notified].sort((a, b) => a - b));
    expect(JSON.parse(rows[0].data)).toMatchObject({ dedupeKey: 'sla_warning:1:resolve:1', ticket: { number: '202611001', priority: 'P1' }, data: { clock: 'resolve' } });
    const out = await outboxRows('sla_warning:1:resolve:1');
    expect(out.map((r) => [r.channel, r.target]).sort()).toEqual(
      [
        ['email', 'engineer@example.com'],
        ['email', 'supervisor@example.com'],
        ['webhook', String(all.id)], // the DingTalk robot only wants breaches; the inactive hook nothing
      ].sort(),
    );
    expect(out.every((r) => r.attempts === 0 && r.delivered_at === null && r.next_attempt_at === t.clock.now())).toBe(true);

    // The same event again (a retried sweep): nothing new, nobody to publish to.
    expect(await enqueue(input)).toEqual([]);
    expect(await t.db.read.selectFrom('notifications').select('id').where('kind', '=', 'sla_warning').execute()).toHaveLength(3);
    expect(await outboxRows('sla_warning:1:resolve:1')).toHaveLength(3);
    // Both at once in one batch (SQLite group commit) or racing transactions (PostgreSQL): still once.
    const again = { ...input, dedupeKey: 'sla_warning:1:resolve:2' };
    const [a, b] = await Promise.all([enqueue(again), enqueue(again)]);
    expect(a.length + b.length).toBe(3);
    expect(await outboxRows('sla_warning:1:resolve:2')).toHaveLength(3);
    // A breach reaches the DingTalk robot too; no users is fine (webhooks only).
    await enqueue({ userIds: [], kind: 'sla_breach', ticket: ticket(), dedupeKey: 'sla_breach:1:resolve' });
    expect((await outboxRows('sla_breach:1:resolve')).filter((r) => r.channel === 'webhook')).toHaveLength(2);
    // Without a mail transport or SMTP settings no e-mail rows are written.
    notify.setTransport(null);
    await enqueue({ ...input, dedupeKey: 'sla_warning:1:resolve:3' });
    expect((await outboxRows('sla_warning:1:resolve:3')).map((r) => r.channel)).toEqual(['webhook']);
    expect(sent).toEqual([]);
  });

  it('lists and marks read only the caller’s own notifications, newest first, cursor-paged', async () => {
    const { engineer2, qa } = t.as;
    for (let i = 1; i <= 5; i++) await enqueue({ userIds: [engineer2.userId], kind: 'assigned', ticket: ticket({ id: 100 + i, number: `20261110${i}` }), dedupeKey: `assigned:${100 + i}` });
    await enqueue({ userIds: [qa.userId], kind: 'mentioned', data: { note: '@质检 请看' }, dedupeKey: 'mentioned:qa:1' });

    const first = await call('engineer2', 'GET', '/api/notifications?limit=2');
    expect(first.statusCode).toBe(200);
    const p1 = first.json();
    expect(p1.unread).toBe(5);
    expect(p1.items.map((n: any) => n.ticket.number)).toEqual(['202611105', '202611104']);
    expect(p1.items[0]).toMatchObject({ kind: 'assigned', readAt: null, ticket: { priority: 'P1', demand: '48小时内上门维修', dueAt: '2026-11-23T10:00:00.000Z' } });
    expect(p1.items[0].createdAt).toBe(new Date(t.clock.now()).toISOString());
    const p2 = (await call('engineer2', 'GET', `/api/notifications?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((n: any) => n.ticket.number)).toEqual(['202611103', '202611102']);
    const p3 = (await call('engineer2', 'GET', `/api/notifications?limit=2&cursor=${p2.nextCursor}`)).json();
    expect(p3.items).toHaveLength(1);
    expect(p3.nextCursor).toBeNull();
    expect((await call('engineer2', 'GET', '/api/notifications?cursor=bm9wZQ')).statusCode).toBe(400);

    // Someone else's ids are ignored.
    const qaItem = (await call('qa', 'GET', '/api/notifications')).json().items[0];
    const mark = await call('engineer2', 'POST', '/api/notifications/read', { ids: [p1.items[0].id, qaItem.id] });
    expect(mark.statusCode).toBe(200);
    expect(mark.json()).toEqual({ updated: 1, unread: 4 });
    expect((await call('qa', 'GET', '/api/notifications')).json()).toMatchObject({ unread: 1, items: [{ id: qaItem.id, readAt: null, data: { note: '@质检 请看' }, ticket: null }] });
    const unread = (await call('engineer2', 'GET', '/api/notifications?unread=true')).json();
    expect(unread.items.map((n: any) => n.ticket.number)).toEqual(['202611104', '202611103', '202611102', '202611101']);
    expect((await call('engineer2', 'POST', '/api/notifications/read', { all: true })).json()).toEqual({ updated: 4, unread: 0 });
    expect((await call('qa', 'GET', '/api/notifications')).json().unread).toBe(1);
    expect((await call('engineer2', 'POST', '/api/notifications/read', {})).statusCode).toBe(400);
    expect((await call('engineer2', 'POST', '/api/notifications/read', { ids: ['x'] })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
  });

  it('retries a failing webhook with back-off and delivers it once', async () => {
    await resetDelivery();
    const hook = await addWebhook();
    const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
    const fetchImpl: FetchLike = async (url, init) => {
      calls.push({ url, headers: init.headers, body: init.body });
      if (calls.length === 1) return { status: 500, text: async () => 'upstream exploded' };
      if (calls.length === 2) throw new Error('connect ECONNREFUSED 10.0.0.1:443');
      return { status: 200, text: async () => 'ok' };
    };
    notify.setTransport(null, fetchImpl);
    await enqueue({ userIds: [t.as.engineer.userId], kind: 'sla_breach', ticket: ticket(), data: { clock: 'resolve' }, dedupeKey: 'retry:1' });
    const start = t.clock.now();

    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 1 });
    let [row] = await outboxRows('retry:1');
    expect(row).toMatchObject({ attempts: 1, next_attempt_at: start + 30_000, locked_until: null, delivered_at: null, failed_at: null });
    expect(row.last_error).toContain('HTTP 500');
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 0 }); // not due yet
    t.clock.advance(29_999);
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 0 });
    t.clock.advance(1);
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 1 });
    [row] = await outboxRows('retry:1');
    expect(row).toMatchObject({ attempts: 2, next_attempt_at: start + 30_000 + 120_000 });
    expect(row.last_error).toContain('ECONNREFUSED');
    t.clock.advance(120_000);
    expect(await notify.deliverDue()).toEqual({ delivered: 1, failed: 0 });
    [row] = await outboxRows('retry:1');
    expect(row).toMatchObject({ attempts: 3, delivered_at: t.clock.now(), last_error: null });
    t.clock.advance(6 * HOUR);
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 0 });
    expect(calls).toHaveLength(3);
    // Every attempt is the same delivery, signed over its raw body.
    expect(new Set(calls.map((c) => c.headers['x-aftercare-delivery']))).toEqual(new Set([String(row.id)]));
    const last = calls[2];
    expect(last.url).toBe('https://hooks.example.com/in');
    expect(last.headers['x-aftercare-signature']).toBe(`sha256=${crypto.createHmac('sha256', 'hook-secret').update(last.body).digest('hex')}`);
    expect(JSON.parse(last.body)).toMatchObject({ event: 'sla_breach', ticket: { number: '202611001', url: 'http://localhost:3000/tickets/202611001' }, data: { clock: 'resolve' } });
    expect(hook.id).toBeGreaterThan(0);
  });

  it('gives up on a permanently failing endpoint after 10 attempts, never throwing, while tickets go on', async () => {
    await resetDelivery();
    await addWebhook({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=bad', secret: 'SECxyz' });
    let calls = 0;
    notify.setTransport(null, async () => {
      calls++;
      // DingTalk answers 200 with its own error code.
      return { status: 200, text: async () => '{"errcode":310000,"errmsg":"sign not match"}' };
    });
    await enqueue({ userIds: [], kind: 'sla_breach', ticket: ticket(), dedupeKey: 'doomed:1' });
    for (let i = 1; i <= 10; i++) {
      expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 1 });
      const [row] = await outboxRows('doomed:1');
      expect(row.attempts).toBe(i);
      expect(row.last_error).toBe('dingtalk error 310000: sign not match');
      if (i < 10) expect(row.failed_at).toBeNull();
      t.clock.advance(6 * HOUR + 1);
      // A ticket change meanwhile is not held up by the failing endpoint.
      if (i === 5) expect((await t.as.agent.post('/api/tickets', { title: '投诉', description: '等待处理', channel: 'phone', customerId: t.customers.own, priority: 'P2' })).statusCode).toBe(201);
    }
    const [row] = await outboxRows('doomed:1');
    expect(row.failed_at).not.toBeNull();
    expect(row.delivered_at).toBeNull();
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 0 });
    expect(calls).toBe(10);

    // A fetch that throws synchronously, or a database row that cannot be parsed, is a failed attempt too.
    notify.setTransport(null, (() => {
      throw new TypeError('bad fetch');
    }) as unknown as FetchLike);
    await enqueue({ userIds: [], kind: 'sla_breach', ticket: ticket(), dedupeKey: 'doomed:2' });
    await t.db.write((trx) => trx.insertInto('outbox').values({ channel: 'webhook', target: '1', dedupe_key: 'doomed:3', payload: 'not json', created_at: 0, next_attempt_at: 0, attempts: 0 }).execute());
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 2 });
    expect((await outboxRows('doomed:3'))[0]).toMatchObject({ last_error: 'unreadable payload' });
    expect((await outboxRows('doomed:3'))[0].failed_at).not.toBeNull();
  });

  it('sends e-mail in Chinese and English through the transport, retrying a refused send', async () => {
    await resetDelivery();
    const sent: MailMessage[] = [];
    let refuse = true;
    notify.setTransport({
      sendMail: async (m) => {
        if (refuse) {
          refuse = false;
          throw new Error('421 4.7.0 Try again later');
        }
        sent.push(m);
      },
    });
    await setPrefs('engineer', { sla_warning: ['in_app', 'email'] });
    await enqueue({ userIds: [t.as.engineer.userId, t.as.manager.userId], kind: 'sla_warning', ticket: ticket(), data: { clock: 'firstResponse' }, dedupeKey: 'mail:1' });
    expect(await outboxRows('mail:1')).toHaveLength(1); // the manager has no address
    expect(await notify.deliverDue()).toEqual({ delivered: 0, failed: 1 });
    expect((await outboxRows('mail:1'))[0].last_error).toContain('421');
    t.clock.advance(30_000);
    expect(await notify.deliverDue()).toEqual({ delivered: 1, failed: 0 });
    expect(sent).toHaveLength(1);
    const m = sent[0];
    expect(m.to).toBe('engineer@example.com');
    expect(m.from).toMatch(/@/);
    expect(m.subject).toBe('[P1] 工单 202611001 即将超时 / Ticket 202611001: SLA warning');
    for (const s of ['客厅空调不制冷', '48小时内上门维修', '2026-11-23 18:00', '首次响应', 'Deadline:', 'http://localhost:3000/tickets/202611001']) expect(m.text).toContain(s);
  });

  it('lets only admins manage webhooks, never returning the secret, and queues test deliveries', async () => {
    await resetDelivery();
    expect((await call('engineer', 'GET', '/api/webhooks')).statusCode).toBe(403);
    expect((await call('supervisor', 'POST', '/api/webhooks', { name: 'x', url: 'https://a.example' })).statusCode).toBe(403);
    for (const url of ['ftp://files.example.com/', 'javascript:alert(1)', 'hooks.example.com', 'http://']) {
      const bad = await call('admin', 'POST', '/api/webhooks', { name: '坏地址', url });
      expect(bad.statusCode, url).toBe(400);
      expect(bad.json().error.fields.url).toBeTruthy();
    }
    expect((await call('admin', 'POST', '/api/webhooks', { name: 'x', url: 'https://a.example', kind: 'slack' })).statusCode).toBe(400);
    expect((await call('admin', 'POST', '/api/webhooks', { name: 'x', url: 'https://a.example', events: ['nope'] })).statusCode).toBe(400);

    const created = await call('admin', 'POST', '/api/webhooks', { name: '飞书值班群', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', kind: 'feishu', secret: 'fs-secret', events: ['sla_breach', 'escalated'] });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    expect(hook).toMatchObject({ name: '飞书值班群', kind: 'feishu', events: ['sla_breach', 'escalated'], active: true, hasSecret: true });
    expect(JSON.stringify(hook)).not.toContain('fs-secret');
    const list = (await call('admin', 'GET', '/api/webhooks')).json();
    expect(list.items).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain('fs-secret');

    const patched = await call('admin', 'PATCH', `/api/webhooks/${hook.id}`, { secret: null, active: false, events: ['*', 'sla_breach'] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ hasSecret: false, active: false, events: ['*'] });
    expect((await call('admin', 'PATCH', `/api/webhooks/${hook.id}`, { url: 'file:///etc/passwd' })).statusCode).toBe(400);
    expect((await call('admin', 'PATCH', '/api/webhooks/999999', { name: 'x' })).statusCode).toBe(404);

    // The test button works on an inactive hook too; the next run sends it.
    const test = await call('admin', 'POST', `/api/webhooks/${hook.id}/test`, {});
    expect(test.statusCode).toBe(202);
    const bodies: string[] = [];
    notify.setTransport(null, async (_url, init) => {
      bodies.push(init.body);
      return { status: 200, text: async () => '{"code":0,"msg":"success"}' };
    });
    expect(await notify.deliverDue()).toEqual({ delivered: 1, failed: 0 });
    expect(JSON.parse(bodies[0]).content.text).toContain('测试消息');
    expect((await call('engineer', 'POST', `/api/webhooks/${hook.id}/test`, {})).statusCode).toBe(403);

    // Deleting drops its pending messages.
    await call('admin', 'POST', `/api/webhooks/${hook.id}/test`, {});
    expect((await call('admin', 'DELETE', `/api/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await call('admin', 'DELETE', `/api/webhooks/${hook.id}`)).statusCode).toBe(404);
    expect((await call('admin', 'POST', `/api/webhooks/${hook.id}/test`, {})).statusCode).toBe(404);
    const pending = await t.db.read.selectFrom('outbox').selectAll().where('delivered_at', 'is', null).execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ last_error: 'webhook deleted' });
    expect(pending[0].failed_at).not.toBeNull();
  });

  it('tells the assignee, the department head and its supervisors of a routed create, following directory edits at once', async () => {
    const ts = t.departments.tech_support;
    const { manager } = t.as;
    // The service desk's supervisor (客服部) receives a copy of every assignment (seed 001: 抄送客服主管).
    const desk = t.as.supervisor.userId;
    let n = 0;
    // Routed (no department or assignee given): the recipients come from the directory caches, not from a fresh read.
    const create = async () => {
      const res = await call('agent', 'POST', '/api/tickets', {
        title: '空调外机异响',
        description: '客户说空调外机运行时有很大的嗡嗡声，晚上影响休息。',
        channel: 'phone',
        customer: { name: '周女士', phone: `1380000${String(7000 + n++)}` },
        priority: 'P3',
        category: 'product.functional_fault',
      });
      expect(res.statusCode).toBe(201);
      const ticket = res.json();
      expect(ticket.departmentId).toBe(ts);
      expect(ticket.assignee).not.toBeNull();
      const rows = await t.db.read.selectFrom('notifications').select('user_id').where('ticket_id', '=', ticket.id).where('kind', '=', 'assigned').execute();
      return { assignee: ticket.assignee.id as number, notified: rows.map((r) => r.user_id).sort((a, b) => a - b) };
    };
    const sorted = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);
    // The first create fills the caches; the edits below must reach them without waiting for them to expire.
    let c = await create();
    expect(c.notified).toEqual(sorted([c.assignee, manager.userId, desk]));
    const added = await call('admin', 'POST', '/api/users', { username: 'ts_supervisor', displayName: '技术支持主管', password: 'password-123', role: 'supervisor', departmentId: ts });
    expect(added.statusCode).toBe(201);
    const supervisorId = added.json().id as number;
    c = await create();
    expect(c.notified).toEqual(sorted([c.assignee, manager.userId, supervisorId, desk]));
    expect((await call('admin', 'PATCH', `/api/users/${supervisorId}`, { departmentId: t.departments.logistics })).statusCode).toBe(200);
    expect((await call('admin', 'PATCH', `/api/departments/${ts}`, { managerId: null })).statusCode).toBe(200);
    c = await create();
    expect(c.notified).toEqual(sorted([c.assignee, desk]));
    expect((await call('admin', 'PATCH', `/api/departments/${ts}`, { managerId: manager.userId })).statusCode).toBe(200);
    c = await create();
    expect(c.notified).toEqual(sorted([c.assignee, manager.userId, desk]));
  });

  it('streams new notifications to the signed-in user over Server-Sent Events', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { engineer, supervisor } = t.as;
    const sse = await openSse(`${address}/api/notifications/stream`, engineer.token);
    try {
      expect(sse.res.status).toBe(200);
      expect(sse.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const ready = await sse.next('ready');
      expect(typeof ready.data.unread).toBe('number');
      await until(() => notify.streamsOpen(engineer.userId) === 1);

      // Someone else's notification is not sent to this stream; the engineer's is, right after publish().
      notify.publish(await enqueue({ userIds: [supervisor.userId], kind: 'escalated', ticket: ticket({ number: '202611900' }), dedupeKey: 'sse:other' }));
      notify.publish(await enqueue({ userIds: [engineer.userId, supervisor.userId], kind: 'assigned', ticket: ticket({ number: '202611901' }), dedupeKey: 'sse:1' }));
      const ev = await sse.next('notification');
      expect(ev.data).toMatchObject({ kind: 'assigned', ticket: { number: '202611901', priority: 'P1', demand: '48小时内上门维修' }, readAt: null });
      expect(ev.id).toBe(String(ev.data.id));

      // A reconnecting EventSource sends Last-Event-ID and gets what it missed.
      const missed = await enqueue({ userIds: [engineer.userId], kind: 'sla_warning', ticket: ticket({ number: '202611902' }), dedupeKey: 'sse:2' });
      const again = await openSse(`${address}/api/notifications/stream`, engineer.token, { 'last-event-id': ev.id! });
      try {
        expect((await again.next('notification')).data.ticket.number).toBe('202611902');
      } finally {
        again.close();
      }
      notify.publish(missed);
      expect((await sse.next('notification')).data.ticket.number).toBe('202611902');
    } finally {
      sse.close();
    }
    await until(() => notify.streamsOpen(engineer.userId) === 0);
    expect((await fetch(`${address}/api/notifications/stream`)).status).toBe(401);

    // EventSource in the browser authenticates with the session cookie.
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_engineer', password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const sid = login.cookies.find((c) => c.name === 'aftercare_sid')!;
    const viaCookie = await openSse(`${address}/api/notifications/stream`, null, { cookie: `aftercare_sid=${sid.value}` });
    try {
      expect(viaCookie.res.status).toBe(200);
      await viaCookie.next('ready');
      await until(() => notify.streamsOpen(engineer.userId) === 1);
      notify.publish(await enqueue({ userIds: [engineer.userId], kind: 'mentioned', data: { note: '请跟进' }, dedupeKey: 'sse:cookie' }));
      expect((await viaCookie.next('notification')).data).toMatchObject({ kind: 'mentioned', data: { note: '请跟进' } });
    } finally {
      viaCookie.close();
    }
  });

  it('pings open streams, caps streams per user and ends them on shutdown', async () => {
    const node = new NotifyService(ctx, { pingIntervalMs: 30, maxStreamsPerUser: 2 });
    const a = recordingSink();
    const b = recordingSink();
    await node.openStream(actor('agent'), a.sink);
    const closeB = await node.openStream(actor('agent'), b.sink);
    await expect(node.openStream(actor('agent'), recordingSink().sink)).rejects.toMatchObject({ status: 429 });
    await node.openStream(actor('dispatcher'), recordingSink().sink); // another user has their own allowance
    await until(() => a.frames.some((f) => f.startsWith('event: ping')));
    expect(a.frames[0]).toMatch(/^retry: 5000\nevent: ready\ndata: \{"unread":\d+\}\n\n$/);
    closeB();
    expect(b.ended).toBe(true);
    expect(node.streamsOpen(t.as.agent.userId)).toBe(1);
    await node.openStream(actor('agent'), recordingSink().sink);
    await node.stop();
    expect(a.ended).toBe(true);
    expect(node.streamsOpen()).toBe(0);
  });

  it('delivers each outbox row exactly once when two nodes run deliverDue concurrently', async () => {
    await resetDelivery();
    await addWebhook({ secret: null });
    // On PostgreSQL node B has its own connection pool, as another process would.
    let db2: Database | null = null;
    let dir: string | null = null;
    if (dialect === 'postgres') {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-node-b-'));
      db2 = openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: dir, poolSize: 5 });
    }
    const seen = new Map<string, number>();
    const fetchImpl: FetchLike = async (_url, init) => {
      const id = init.headers['x-aftercare-delivery'];
      seen.set(id, (seen.get(id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 2));
      return { status: 200, text: async () => '' };
    };
    const nodeA = new NotifyService(ctx, { fetch: fetchImpl });
    const nodeB = new NotifyService(db2 ? { ...ctx, db: db2 } : ctx, { fetch: fetchImpl });
    try {
      for (let i = 0; i < 60; i++) await enqueue({ userIds: [], kind: 'assigned', ticket: ticket({ id: 1000 + i, number: `2026112${String(i).padStart(3, '0')}` }), dedupeKey: `once:${i}` });
      let total = 0;
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all([nodeA.deliverDue(undefined, 7), nodeB.deliverDue(undefined, 7), nodeA.deliverDue(undefined, 7), nodeB.deliverDue(undefined, 7)]);
        const n = results.reduce((s, r) => s + r.delivered, 0);
        total += n;
        if (n === 0) break;
      }
      expect(total).toBe(60);
      expect(seen.size).toBe(60);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      const rows = await outboxRows('once:');
      expect(rows.every((r) => r.delivered_at !== null && r.attempts === 1)).toBe(true);
    } finally {
      await nodeA.stop();
      await nodeB.stop();
      await db2?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // A policy whose first three clocks all warn at 80 minutes and breach after 100, on the 24×7 calendar.
  const groupingTicket = async (title: string) => {
    const calendars = (await call('admin', 'GET', '/api/sla/calendars')).json().items as { id: number; kind: string }[];
    const always = calendars.find((c) => c.kind === 'always')!;
    const policies = (await call('admin', 'GET', '/api/sla/policies')).json().items as { name: string }[];
    if (!policies.some((p) => p.name === '三钟同响')) {
      const res = await call('admin', 'POST', '/api/sla/policies', {
        name: '三钟同响',
        priority: 'P1',
        serviceType: 'inspection',
        calendarId: always.id,
        targets: {
          firstResponse: { amount: 100, unit: 'clock_minutes' },
          startHandling: { amount: 100, unit: 'clock_minutes' },
          firstSolution: { amount: 100, unit: 'clock_minutes' },
          resolve: { amount: 10_000, unit: 'clock_minutes' },
          nextUpdate: { amount: 10_000, unit: 'clock_minutes' },
          followUp: { amount: 10_000, unit: 'clock_minutes' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const res = await call('agent', 'POST', '/api/tickets', {
      title,
      description: '三台设备同时报警，需要上门巡检',
      channel: 'phone',
      customerId: t.customers.own,
      priority: 'P1',
      serviceType: 'inspection',
      reportedAt: new Date(t.clock.now()).toISOString(),
      departmentId: t.departments.tech_support,
      assigneeId: t.as.engineer2.userId,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sla.policyName).toBe('三钟同响');
    return res.json() as { id: number; number: string };
  };
  const aboutTicket = async (key: string, ticketId: number) =>
    (await t.db.read.selectFrom('notifications').selectAll().where('user_id', '=', t.as[key].userId).where('ticket_id', '=', ticketId).orderBy('id').execute()).map((r) => ({
      kind: r.kind,
      data: JSON.parse(r.data).data,
    }));

  it('sends one entry per ticket and kind for the clocks that warn or breach together, and groups the bell by ticket', async () => {
    await resetDelivery();
    const sent: MailMessage[] = [];
    notify.setTransport({ sendMail: async (m) => void sent.push(m) });
    await t.db.write((trx) => trx.updateTable('users').set({ email: 'engineer2@example.com' }).where('id', '=', t.as.engineer2.userId).execute());
    await setPrefs('engineer2', { sla_warning: ['in_app'], sla_breach: ['in_app', 'email'] });
    const start = t.clock.now();
    const a = await groupingTicket('三台冷库机组同时告警');
    const b = await groupingTicket('机房空调巡检');
    await call('engineer2', 'POST', '/api/notifications/read', { all: true });

    t.clock.set(start + 81 * 60_000);
    await t.sweeper.runOnce();
    await t.sweeper.runOnce(); // a second pass finds nothing left to fire
    const warned = (await aboutTicket('engineer2', a.id)).filter((n) => n.kind !== 'assigned');
    expect(warned.map((n) => n.kind)).toEqual(['sla_warning']);
    expect(warned[0].data.clocks.map((c: { clock: string }) => c.clock).sort()).toEqual(['firstResponse', 'firstSolution', 'startHandling']);
    expect(warned[0].data.clocks.every((c: { dueAt: string }) => c.dueAt === new Date(start + 100 * 60_000).toISOString())).toBe(true);
    // The timeline keeps one entry per clock.
    const timeline = (await call('admin', 'GET', `/api/tickets/${a.number}/events?limit=200`)).json().items.filter((e: { kind: string }) => e.kind === 'sla_warning');
    expect(timeline).toHaveLength(3);

    t.clock.set(start + 101 * 60_000);
    await t.sweeper.runOnce();
    await t.sweeper.runOnce();
    const after = (await aboutTicket('engineer2', a.id)).filter((n) => n.kind !== 'assigned');
    expect(after.map((n) => n.kind)).toEqual(['sla_warning', 'sla_breach']);
    expect(after[1].data.clocks).toHaveLength(3);
    // The manager is told once of the three breaches (and of the escalation), not three times.
    expect((await aboutTicket('manager', a.id)).filter((n) => n.kind === 'sla_breach')).toHaveLength(1);
    // E-mail: one message listing the three clocks.
    const mails = sent.filter((m) => m.to === 'engineer2@example.com' && m.subject.includes(a.number) && m.subject.includes('已超时'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('（3 项时限）');
    for (const clock of ['首次响应', '开始处理', '首次方案']) expect(mails[0].text).toContain(clock);

    // The bell: newest group first, one group per ticket with its entries, an entry without a ticket on its own.
    await enqueue({ userIds: [t.as.engineer2.userId], kind: 'mentioned', data: { note: '请看一下机房' }, dedupeKey: 'bell:mention' });
    const bell = await call('engineer2', 'GET', '/api/notifications/groups?limit=5');
    expect(bell.statusCode).toBe(200);
    const groups = bell.json().groups as { key: string; ticket: { number: string } | null; count: number; unread: number; items: { kind: string }[] }[];
    expect(groups[0]).toMatchObject({ ticket: null, count: 1, unread: 1, items: [{ kind: 'mentioned' }] });
    const ga = groups.find((g) => g.ticket?.number === a.number)!;
    const gb = groups.find((g) => g.ticket?.number === b.number)!;
    expect(ga).toMatchObject({ key: `t:${a.id}`, count: 3, unread: 2 });
    expect(ga.items.map((i) => i.kind)).toEqual(['sla_breach', 'sla_warning', 'assigned']);
    expect(gb.count).toBe(3);
    expect(new Set(groups.map((g) => g.key)).size).toBe(groups.length);
    expect(bell.json().unread).toBe(5);
    // Opening a group marks that ticket's entries read, nobody else's.
    const marked = await call('engineer2', 'POST', '/api/notifications/read', { ticketId: a.id });
    expect(marked.json()).toEqual({ updated: 2, unread: 3 });
    expect((await aboutTicket('manager', a.id)).length).toBeGreaterThan(0);
    const managerUnread = await t.db.read.selectFrom('notifications').select('id').where('user_id', '=', t.as.manager.userId).where('ticket_id', '=', a.id).where('read_at', 'is', null).execute();
    expect(managerUnread.length).toBeGreaterThan(0);
    expect((await call('engineer2', 'GET', '/api/notifications/groups?limit=0')).statusCode).toBe(400);
    t.clock.set(start);
  });

  it('filters my notifications by kind, unread and ticket number, cursor-paged', async () => {
    const { dispatcher } = t.as;
    const tickets = await t.db.read.selectFrom('tickets').select(['id', 'number', 'title', 'priority', 'demand', 'status']).orderBy('id').limit(2).execute();
    expect(tickets).toHaveLength(2);
    const [x, y] = tickets.map((r) => ({ ...r, dueAt: null }));
    for (let i = 0; i < 7; i++) {
      const tk = i % 2 === 0 ? x : y;
      await enqueue({ userIds: [dispatcher.userId], kind: i < 4 ? 'subtask_assigned' : 'review_returned', ticket: tk, data: { title: `第 ${i} 条` }, dedupeKey: `filter:${i}` });
    }
    const page = async (qs: string) => {
      const res = await call('dispatcher', 'GET', `/api/notifications?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: { id: number; kind: string; ticket: { number: string }; data: { title: string } }[]; nextCursor: string | null; unread: number };
    };
    const byKind = await page('kind=subtask_assigned&limit=3');
    expect(byKind.items.map((n) => n.data.title)).toEqual(['第 3 条', '第 2 条', '第 1 条']);
    const rest = await page(`kind=subtask_assigned&limit=3&cursor=${byKind.nextCursor}`);
    expect(rest.items.map((n) => n.data.title)).toEqual(['第 0 条']);
    expect(rest.nextCursor).toBeNull();
    const ofX = await page(`ticket=${encodeURIComponent(x.number)}`);
    expect(ofX.items.map((n) => n.data.title)).toEqual(['第 6 条', '第 4 条', '第 2 条', '第 0 条']);
    expect(ofX.items.every((n) => n.ticket.number === x.number)).toBe(true);
    await call('dispatcher', 'POST', '/api/notifications/read', { ids: [ofX.items[0].id] });
    const unreadOfX = await page(`ticket=${encodeURIComponent(x.number)}&unread=true&kind=review_returned`);
    expect(unreadOfX.items.map((n) => n.data.title)).toEqual(['第 4 条']);
    expect(unreadOfX.unread).toBe(6);
    expect((await page('ticket=000000000')).items).toEqual([]);
    const bad = await app.inject({ method: 'GET', url: '/api/notifications?kind=nope', headers: { authorization: `Bearer ${dispatcher.token}`, 'accept-language': 'en' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.kind).toBeTruthy();
    expect(bad.json().error.message).not.toMatch(/field\.|error\./);
  });

  it('delivers each kind on the channels the user chose: off, in-app, e-mail, their department robot', async () => {
    await resetDelivery();
    notify.setTransport({ sendMail: async () => {} });
    const { engineer, engineer2, manager, supervisor, director } = t.as;
    await t.db.write((trx) => trx.updateTable('users').set({ email: 'manager@example.com' }).where('id', '=', manager.userId).execute());
    const deptRobot = await addWebhook({ name: '技术支持群', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=ts', departmentId: t.departments.tech_support, events: ['*'] });
    const otherRobot = await addWebhook({ name: '客服群', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=cs', departmentId: t.departments.customer_service, events: ['*'] });
    const companyRobot = await addWebhook({ name: '全公司值班群', events: ['escalated'] });
    expect((await call('admin', 'POST', '/api/webhooks', { name: 'x', url: 'https://a.example', departmentId: 999999 })).statusCode).toBe(400);

    // Defaults first: an engineer has assignments in-app and by e-mail, robots off.
    const before = (await call('engineer', 'GET', '/api/notifications/preferences')).json();
    expect(before.kinds.find((k: { kind: string }) => k.kind === 'assigned')).toEqual({ kind: 'assigned', channels: ['in_app', 'email'], defaults: ['in_app', 'email'] });
    expect(before.kinds.some((k: { kind: string }) => k.kind === 'daily_digest' || k.kind === 'calendar_uncovered')).toBe(false);
    expect(before.robots).toEqual([
      { id: deptRobot.id, name: '技术支持群', scope: 'department' },
      { id: companyRobot.id, name: '全公司值班群', scope: 'company' },
    ]);
    expect(before).toMatchObject({ email: 'engineer@example.com', mailEnabled: true, digest: { available: false } });

    await setPrefs('engineer', { assigned: [] });
    await setPrefs('engineer2', { assigned: ['email'] });
    const chosen = await setPrefs('manager', { assigned: ['robot'] });
    expect(chosen.kinds.find((k: { kind: string }) => k.kind === 'assigned').channels).toEqual(['robot']);
    await setPrefs('supervisor', { assigned: ['in_app'] });
    await setPrefs('director', { assigned: ['in_app', 'email', 'robot'] });
    const users = [engineer, engineer2, manager, supervisor, director].map((u) => u.userId);
    const ids = await enqueue({ userIds: users, kind: 'assigned', ticket: ticket({ id: 77 }), dedupeKey: 'prefs:1' });
    expect(ids).toEqual([supervisor.userId, director.userId].sort((p, q) => p - q));
    const inApp = await t.db.read.selectFrom('notifications').select('user_id').where('dedupe_key', '=', 'prefs:1').execute();
    expect(inApp.map((r) => r.user_id).sort((p, q) => p - q)).toEqual([supervisor.userId, director.userId].sort((p, q) => p - q));
    const out = await outboxRows('prefs:1');
    // engineer2 by e-mail only (the director has no address); the manager's choice reaches the tech-support robot
    // once, naming him; the customer-service robot and the company robot (escalations only) get nothing.
    expect(out.map((r) => [r.channel, r.target]).sort()).toEqual([
      ['email', 'engineer2@example.com'],
      ['webhook', String(deptRobot.id)],
    ]);
    const robotEvent = JSON.parse(out.find((r) => r.channel === 'webhook')!.payload).event;
    expect(robotEvent.data.recipients).toEqual(['t_manager'].map(() => expect.any(String)));
    expect(otherRobot.id).not.toBe(deptRobot.id);

    // Two people of one department choosing the robot: still one message to their group.
    await setPrefs('engineer', { assigned: ['robot'] });
    await enqueue({ userIds: [engineer.userId, manager.userId], kind: 'assigned', ticket: ticket({ id: 78 }), dedupeKey: 'prefs:2' });
    const two = (await outboxRows('prefs:2')).filter((r) => r.channel === 'webhook');
    expect(two).toHaveLength(1);
    expect(JSON.parse(two[0].payload).event.data.recipients).toHaveLength(2);
    // Company-wide robots keep getting what the admin subscribed them to, whoever chose what.
    await enqueue({ userIds: [engineer.userId], kind: 'escalated', ticket: ticket({ id: 79 }), dedupeKey: 'prefs:3' });
    expect((await outboxRows('prefs:3')).filter((r) => r.channel === 'webhook').map((r) => r.target)).toEqual([String(companyRobot.id)]);

    // Robot text names the people it is for.
    const bodies: string[] = [];
    notify.setTransport({ sendMail: async () => {} }, async (_url, init) => {
      bodies.push(init.body);
      return { status: 200, text: async () => '{"errcode":0,"errmsg":"ok"}' };
    });
    await notify.deliverDue();
    expect(bodies.some((b) => JSON.parse(b).markdown?.text.includes('提醒'))).toBe(true);

    // Bad choices are refused with a translated message.
    for (const lang of ['zh-CN', 'en']) {
      const bad = await app.inject({
        method: 'PUT',
        url: '/api/notifications/preferences',
        headers: { authorization: `Bearer ${engineer.token}`, 'content-type': 'application/json', 'accept-language': lang },
        payload: JSON.stringify({ kinds: { assigned: ['pager'] } }),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).not.toMatch(/field\.|error\./);
      const time = await app.inject({
        method: 'PUT',
        url: '/api/notifications/preferences',
        headers: { authorization: `Bearer ${manager.token}`, 'content-type': 'application/json', 'accept-language': lang },
        payload: JSON.stringify({ kinds: {}, digestTime: '25:00' }),
      });
      expect(time.statusCode).toBe(400);
      expect(time.json().error.fields.digestTime).toBe(lang === 'en' ? 'Enter a time between 00:00 and 23:59 (HH:MM)' : '请填写 00:00 到 23:59 之间的时间（HH:MM）');
    }
    expect((await app.inject({ method: 'GET', url: '/api/notifications/preferences' })).statusCode).toBe(401);
    await setPrefs('engineer', { assigned: ['in_app', 'email'] });
    await setPrefs('manager', { assigned: ['in_app'] });
  });

  it('sends managers and directors one daily digest at their local time, once a day across nodes and restarts', async () => {
    await resetDelivery();
    const sent: MailMessage[] = [];
    notify.setTransport({ sendMail: async (m) => void sent.push(m) });
    await t.db.write((trx) => trx.updateTable('users').set({ email: 'director@example.com' }).where('id', '=', t.as.director.userId).execute());
    // A breach and an escalation in tech support during the day before.
    const day0 = Date.parse('2026-11-24T00:00:00.000Z'); // Tuesday 08:00 in Beijing
    t.clock.set(day0);
    const tk = await groupingTicket('冷库温度报警');
    t.clock.set(day0 + 101 * 60_000);
    await t.sweeper.runOnce();
    // From Wednesday on (Tuesday's went out at the sweep above, 09:41 being past 08:30).
    const digests = (key: string) =>
      t.db.read
        .selectFrom('notifications')
        .selectAll()
        .where('user_id', '=', t.as[key].userId)
        .where('kind', '=', 'daily_digest')
        .where('dedupe_key', '>=', 'daily_digest:2026-11-25')
        .orderBy('id')
        .execute();

    // Wednesday 08:29 Beijing: not yet; 08:30: the manager's and the director's.
    t.clock.set(Date.parse('2026-11-25T00:29:00.000Z'));
    await t.sweeper.runOnce();
    expect(await digests('manager')).toHaveLength(0);
    t.clock.set(Date.parse('2026-11-25T00:30:00.000Z'));
    await t.sweeper.runOnce();
    const [m] = await digests('manager');
    const [d] = await digests('director');
    expect(m.dedupe_key).toBe('daily_digest:2026-11-25');
    const md = JSON.parse(m.data).data;
    expect(md).toMatchObject({ day: '2026-11-25', department: '技术支持部', from: '2026-11-24T00:30:00.000Z', to: '2026-11-25T00:30:00.000Z' });
    expect(md.breaches).toBeGreaterThanOrEqual(3);
    expect(md.breachedTickets).toBeGreaterThanOrEqual(1);
    expect(md.escalations).toBeGreaterThanOrEqual(1);
    expect(md.open).toBeGreaterThanOrEqual(1);
    expect(md.overdue).toBeGreaterThanOrEqual(1);
    expect(md.top.map((x: { number: string }) => x.number)).toContain(tk.number);
    const dd = JSON.parse(d.data).data;
    expect(dd.department).toBeNull();
    expect(dd.open).toBeGreaterThanOrEqual(md.open);
    // Not for an engineer.
    expect(await digests('engineer')).toHaveLength(0);

    // Again on this node, on a second node, and on a node that just started: nothing new.
    await t.sweeper.runOnce();
    const other = new NotifyService(ctx, { transport: { sendMail: async () => {} } });
    expect(await other.runDigests(Date.parse('2026-11-25T03:00:00.000Z'))).toBe(0);
    await other.stop();
    expect(await digests('manager')).toHaveLength(1);
    expect(await digests('director')).toHaveLength(1);
    const mails = (await outboxRows('daily_digest:2026-11-25')).filter((r) => r.channel === 'email');
    expect(mails.map((r) => r.target).sort()).toEqual(['director@example.com', 'manager@example.com']);
    const digestMail = sent.find((x) => x.to === 'manager@example.com' && x.subject.includes('每日摘要'))!;
    expect(digestMail).toBeTruthy();
    for (const s of ['技术支持部', '新增超时', '升级', '未结工单', tk.number]) expect(digestMail.text).toContain(s);

    // A manager who moved the digest to 18:00 gets Thursday's at 18:00, not at 08:30.
    await setPrefs('manager', {}, '18:00');
    t.clock.set(Date.parse('2026-11-26T00:30:00.000Z'));
    await t.sweeper.runOnce();
    expect(await digests('manager')).toHaveLength(1);
    expect(await digests('director')).toHaveLength(2);
    t.clock.set(Date.parse('2026-11-26T10:00:00.000Z'));
    await t.sweeper.runOnce();
    expect((await digests('manager')).map((r) => r.dedupe_key)).toEqual(['daily_digest:2026-11-25', 'daily_digest:2026-11-26']);
    // Turned off: none.
    await setPrefs('director', { daily_digest: [] });
    t.clock.set(Date.parse('2026-11-27T01:00:00.000Z'));
    await t.sweeper.runOnce();
    expect(await digests('director')).toHaveLength(2);
    await setPrefs('director', { daily_digest: ['in_app', 'email'] });
    await setPrefs('manager', {}, '08:30');
    t.clock.set(Date.parse('2026-11-23T02:00:00.000Z'));
  });

  if (dialect !== 'postgres') console.log('[notify] the cross-node LISTEN/NOTIFY test runs on PostgreSQL only: an SQLite database has one app process.');
  it.runIf(dialect === 'postgres')('fans a published notification out to every node through LISTEN/NOTIFY, also after the connection drops', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-node-b-'));
    const db2 = openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: dir, poolSize: 3 });
    const nodeA = new NotifyService(ctx);
    const nodeB = new NotifyService({ ...ctx, db: db2 });
    try {
      await nodeA.start();
      await nodeB.start();
      const user = actor('director');
      const onA = recordingSink();
      const onB = recordingSink();
      await nodeA.openStream(user, onA.sink);
      await nodeB.openStream(user, onB.sink);

      const ids = await enqueue({ userIds: [user.id], kind: 'escalated', ticket: ticket({ number: '202611950' }), data: { level: 2 }, dedupeKey: 'fanout:1' }, nodeA);
      nodeA.publish(ids);
      await until(() => onA.notifications().length === 1 && onB.notifications().length === 1);
      expect(onB.notifications()[0]).toMatchObject({ kind: 'escalated', ticket: { number: '202611950' }, data: { level: 2 } });
      // Node A ignores its own NOTIFY: still one copy there.
      await new Promise((r) => setTimeout(r, 200));
      expect(onA.notifications()).toHaveLength(1);

      // Published from B, seen on A.
      nodeB.publish(await enqueue({ userIds: [user.id], kind: 'sla_breach', ticket: ticket({ number: '202611951' }), dedupeKey: 'fanout:2' }, nodeB));
      await until(() => onA.notifications().length === 2 && onB.notifications().length === 2);

      // Kill every LISTEN connection: both nodes reconnect and carry on.
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = ${'LISTEN aftercare_live'}`.execute(t.db.read);
      await new Promise((r) => setTimeout(r, 1500));
      await until(async () => {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = ${'LISTEN aftercare_live'}`.execute(t.db.read);
        return r.rows[0].n >= 2;
      }, 10_000);
      nodeA.publish(await enqueue({ userIds: [user.id], kind: 'sla_warning', ticket: ticket({ number: '202611952' }), dedupeKey: 'fanout:3' }, nodeA));
      await until(() => onB.notifications().some((n) => n.ticket.number === '202611952'));
    } finally {
      await nodeA.stop();
      await nodeB.stop();
      await db2.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
