// The write worker (writers/pool.ts), SQLite only: ticket creation in a thread of its own, on its own connection,
// taking turns with the server thread's writes (db/write-lock.ts). Proves that a create through the worker answers
// exactly what the server thread answers (body, headers, status, idempotent retries, translated validation errors);
// that every admin edit made on the server thread reaches the worker's caches before its next create; that both
// threads write at once without errors and with consecutive numbers; that a worker crash loses no keyed create, makes
// none twice, refuses an unkeyed one with a translated 503, frees the write lock, and is followed by a new worker; that
// the worker's live pushes are published on the server thread (which holds the streams); and that a shutdown answers
// and commits every create the worker had in hand.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WritePool } from '../../src/server/writers/pool.js';
import { createTestApp, type TestApp } from '../../src/server/testing.js';
import { fullTicketBody } from './fixtures.js';

const body = (over: Record<string, unknown> = {}) => ({
  title: '客厅空调不制冷',
  description: '客户说空调开机半小时后仍然吹热风，外机有异响，型号KFR-35GW/BP3DN8Y，去年夏天安装。',
  channel: 'phone',
  priority: 'P2',
  customer: { name: '王先生', phone: '13911112222' },
  ...over,
});

const ZH_VALIDATION = '提交的内容有误，请检查标出的字段';
const EN_VALIDATION = 'Some fields are not valid; please check the marked fields';
const ZH_INTERRUPTED = '保存时服务中断，无法确认工单是否已登记：请先在工单队列中查找，或带上相同的 Idempotency-Key 重试';
const EN_INTERRUPTED = 'The service was interrupted while saving, so it cannot tell whether the ticket was registered: look for it in the queue first, or retry with the same Idempotency-Key';

/** Fails instead of hanging (a lock nobody frees would hang the test until its time-out). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** How many calls the pool took (returned a promise, not null: it was ready and handed them to the worker). */
function handedToWorker(spy: { mock: { results: { type: string; value: unknown }[] } }) {
  return spy.mock.results.filter((r) => r.type === 'return' && r.value !== null).length;
}

describe('write worker (SQLite only: on PostgreSQL tickets are created in-process, there is no write worker)', () => {
  let t: TestApp;
  let pool: WritePool;
  beforeAll(async () => {
    t = await createTestApp({ dialect: 'sqlite', writeWorker: true });
    pool = t.services.writers!;
    expect(pool).toBeTruthy();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs `fn`, which makes exactly one create, and checks the worker answered it (not the in-process fallback). */
  async function viaWorker<T>(fn: () => Promise<T>): Promise<T> {
    const before = pool.answered;
    const res = await fn();
    expect(pool.answered, 'answered by the write worker').toBe(before + 1);
    return res;
  }

  /** The same request answered on the server thread, by turning the pool off for one call. */
  async function inProcess<T>(fn: () => Promise<T>): Promise<T> {
    const saved = t.services.writers;
    t.services.writers = null;
    try {
      return await fn();
    } finally {
      t.services.writers = saved;
    }
  }

  const create = (over: Record<string, unknown> = {}, headers?: Record<string, string>) => t.as.agent.post('/api/tickets', body(over), headers);
  const created = async (over: Record<string, unknown> = {}) => {
    const res = await viaWorker(() => create(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const assignedNotified = async (ticketId: number) =>
    (await t.db.read.selectFrom('notifications').select('user_id').where('ticket_id', '=', ticketId).where('kind', '=', 'assigned').execute()).map((r) => r.user_id).sort((a, b) => a - b);
  const sorted = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);

  it('answers a create exactly as the server thread does: status, body, headers, idempotent retry, Chinese text', async () => {
    const full = fullTicketBody({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
    const w = await viaWorker(() => create(full, { 'idempotency-key': 'same-as-local-w' }));
    const l = await inProcess(() => create(full, { 'idempotency-key': 'same-as-local-l' }));
    expect(w.statusCode, w.body).toBe(201);
    expect(l.statusCode, l.body).toBe(201);
    const tw = w.json();
    const tl = l.json();
    // Both were made at the same instant of the test clock: everything but the identity is the same.
    const { id: _wi, number: wn, ...restW } = tw;
    const { id: _li, number: ln, ...restL } = tl;
    expect(wn).not.toBe(ln);
    expect(restW).toEqual(restL);
    expect(Object.keys(tw).sort()).toEqual(Object.keys(tl).sort());
    expect(tw).toMatchObject({ title: '客厅空调不制冷', occurredPlace: '客厅', demand: '48小时内上门维修', status: 'assigned', version: 1 });
    expect(tw.customer.name).toBe('王先生');
    expect(w.headers.etag).toBe('"1"');
    expect(l.headers.etag).toBe('"1"');
    expect(w.headers.location).toBe(`/api/tickets/${wn}`);
    expect(l.headers.location).toBe(`/api/tickets/${ln}`);
    expect(w.headers['content-type']).toBe(l.headers['content-type']);
    expect(w.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/);
    // The worker sends its own JSON text: the Chinese characters arrive as such, and the length counts bytes.
    expect(w.body).toContain('"title":"客厅空调不制冷"');
    expect(Number(w.headers['content-length'])).toBe(Buffer.byteLength(w.body));
    // What the worker answered is what was stored.
    expect((await t.as.agent.get(`/api/tickets/${wn}`)).json()).toEqual(tw);

    // A retry with the same key, through the worker and on the server thread: 200 and the same ticket, unchanged.
    const retry = await viaWorker(() => create(full, { 'idempotency-key': 'same-as-local-w' }));
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(tw);
    expect(retry.headers.etag).toBe('"1"');
    expect(retry.headers.location).toBe(`/api/tickets/${wn}`);
    expect(retry.headers['content-type']).toMatch(/^application\/json/);
    const localRetry = await inProcess(() => create(full, { 'idempotency-key': 'same-as-local-w' }));
    expect(localRetry.statusCode).toBe(200);
    expect(localRetry.json()).toEqual(tw);
    const keys = await t.db.read.selectFrom('idempotency_keys').select('ticket_id').where('key', '=', 'same-as-local-w').execute();
    expect(keys).toEqual([{ ticket_id: tw.id }]);
  });

  it('turns the service\'s validation errors into the same translated 400, in Chinese by default and in English', async () => {
    const cases = [
      { over: { category: 'no.such' }, field: 'category', zh: '分类不存在或已停用', en: 'No such category, or it is inactive' },
      {
        over: { departmentId: t.departments.logistics, assigneeId: t.as.engineer.userId },
        field: 'assigneeId',
        zh: '处理人不属于所选部门',
        en: 'The assignee does not belong to the chosen department',
      },
    ];
    for (const c of cases) {
      for (const [headers, message, text] of [
        [{}, ZH_VALIDATION, c.zh],
        [{ 'accept-language': 'en-US,en;q=0.9' }, EN_VALIDATION, c.en],
      ] as const) {
        const res = await viaWorker(() => create(c.over, headers));
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({ error: { code: 'validation_failed', message, fields: { [c.field]: text } } });
        const local = await inProcess(() => create(c.over, headers));
        expect(local.statusCode).toBe(400);
        expect(res.json()).toEqual(local.json());
      }
    }
  });

  // ---------------------------------------------------------------- caches: each edit reaches the worker's next create
  // Each test first creates through the worker, so that its caches hold the table as it was; the edit is then made on
  // the server thread, and the very next create (well within the caches' 10 s lifetime) must see it.

  it('refuses a category deactivated on the server thread at the worker\'s next create, and takes it again once reactivated', async () => {
    expect((await t.as.admin.post('/api/categories', { code: 'product.worker_noise', parentCode: 'product', nameZh: '运行噪音', nameEn: 'Noise' })).statusCode).toBe(201);
    await created({ category: 'product.worker_noise' });
    expect((await t.as.admin.patch('/api/categories/product.worker_noise', { active: false })).statusCode).toBe(200);
    const refused = await viaWorker(() => create({ category: 'product.worker_noise' }));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual({ category: '分类不存在或已停用' });
    expect((await t.as.admin.patch('/api/categories/product.worker_noise', { active: true })).statusCode).toBe(200);
    await created({ category: 'product.worker_noise' });
  });

  it('routes the worker\'s next create by a routing rule added on the server thread, and stops when it is deactivated', async () => {
    // No default rule matches a ticket without a category: it stays unrouted.
    const before = await created({ channel: 'wechat' });
    expect(before.departmentId).toBeNull();
    expect(before.assignee).toBeNull();
    const rule = await t.as.admin.post('/api/routing/rules', { name: '微信 → 物流部', sort: 1, channel: 'wechat', departmentId: t.departments.logistics, strategy: 'round_robin' });
    expect(rule.statusCode, rule.body).toBe(201);
    const routed = await created({ channel: 'wechat' });
    expect(routed.departmentId).toBe(t.departments.logistics);
    expect(routed.assignee?.id).toBe(t.as.dispatcher.userId);
    expect(routed.status).toBe('assigned');
    const off = await t.as.admin.patch(`/api/routing/rules/${rule.json().id}`, { active: false, version: rule.json().version });
    expect(off.statusCode).toBe(200);
    const after = await created({ channel: 'wechat' });
    expect(after.departmentId).toBeNull();
  });

  it('puts the worker\'s next create under an SLA policy added on the server thread, and off it when it is deactivated', async () => {
    const due = (tk: { sla: { clocks: { clock: string; dueAt: string }[] } }, clock: string) => tk.sla.clocks.find((c) => c.clock === clock)?.dueAt;
    const p3 = (await t.as.admin.get('/api/sla/policies')).json().items.find((p: { priority: string; customerTier: string | null }) => p.priority === 'P3' && p.customerTier === null);
    const plain = await created({ priority: 'P3', serviceType: 'installation' });
    expect(plain.sla.policyName).toBe('P3 一般');
    const policy = await t.as.admin.post('/api/sla/policies', { name: '安装 P3', priority: 'P3', serviceType: 'installation', calendarId: p3.calendarId, targets: { startHandling: { amount: 60, unit: 'working_minutes' } } });
    expect(policy.statusCode, policy.body).toBe(201);
    const governed = await created({ priority: 'P3', serviceType: 'installation' });
    expect(governed.sla.policyName).toBe('安装 P3');
    // Monday 10:00 in Beijing plus 60 working minutes.
    expect(due(governed, 'startHandling')).toBe('2026-11-23T03:00:00.000Z');
    expect(due(governed, 'startHandling')).not.toBe(due(plain, 'startHandling'));
    const off = await t.as.admin.patch(`/api/sla/policies/${policy.json().id}`, { active: false, version: policy.json().version });
    expect(off.statusCode, off.body).toBe(200);
    const again = await created({ priority: 'P3', serviceType: 'installation' });
    expect(again.sla.policyName).toBe('P3 一般');
    expect(due(again, 'startHandling')).toBe(due(plain, 'startHandling'));
  });

  it('tells the people the directory names at the worker\'s next routed create: new supervisor, department head removed and back', async () => {
    const ts = t.departments.tech_support;
    const { manager } = t.as;
    // The service desk's supervisor (客服部) receives a copy of every assignment (seed 001: 抄送客服主管).
    const desk = t.as.supervisor.userId;
    // Routed (no department or assignee given): the recipients come from the directory caches, not a fresh read.
    const routed = async () => {
      const tk = await created({ category: 'product.functional_fault', priority: 'P3' });
      expect(tk.departmentId).toBe(ts);
      expect(tk.assignee).not.toBeNull();
      return { assignee: tk.assignee.id as number, notified: await assignedNotified(tk.id) };
    };
    let c = await routed();
    expect(c.notified).toEqual(sorted([c.assignee, manager.userId, desk]));
    const added = await t.as.admin.post('/api/users', { username: 'ww_ts_supervisor', displayName: '技术支持主管', password: 'password-123', role: 'supervisor', departmentId: ts });
    expect(added.statusCode).toBe(201);
    const supervisorId = added.json().id as number;
    c = await routed();
    expect(c.notified).toEqual(sorted([c.assignee, manager.userId, supervisorId, desk]));
    expect((await t.as.admin.patch(`/api/users/${supervisorId}`, { departmentId: t.departments.quality })).statusCode).toBe(200);
    expect((await t.as.admin.patch(`/api/departments/${ts}`, { managerId: null })).statusCode).toBe(200);
    c = await routed();
    expect(c.notified).toEqual(sorted([c.assignee, desk]));
    expect((await t.as.admin.patch(`/api/departments/${ts}`, { managerId: manager.userId })).statusCode).toBe(200);
    c = await routed();
    expect(c.notified).toEqual(sorted([c.assignee, manager.userId, desk]));
    // An admin names another service desk (settings): the worker's next create copies its supervisor instead, at once.
    try {
      expect((await t.as.admin.patch('/api/admin/settings', { serviceDeskDepartmentId: t.departments.quality })).statusCode).toBe(200);
      c = await routed();
      expect(c.notified).toEqual(sorted([c.assignee, manager.userId, supervisorId]));
    } finally {
      await t.as.admin.patch('/api/admin/settings', { serviceDeskDepartmentId: t.departments.customer_service });
    }
  });

  it('routes the worker\'s next create to a person added to the department on the server thread, and not once deactivated', async () => {
    // Logistics takes its tickets round robin and has one routable member, the dispatcher: a newcomer (a higher id)
    // is next in turn as soon as the worker's member list knows them.
    const logistics = async () => (await created({ category: 'logistics.damaged', priority: 'P3' })).assignee?.id as number;
    expect(await logistics()).toBe(t.as.dispatcher.userId);
    const added = await t.as.admin.post('/api/users', { username: 'ww_dispatcher2', displayName: '物流新人', password: 'password-123', role: 'dispatcher', departmentId: t.departments.logistics });
    expect(added.statusCode).toBe(201);
    const newcomer = added.json().id as number;
    expect(await logistics()).toBe(newcomer);
    expect((await t.as.admin.patch(`/api/users/${newcomer}`, { active: false })).statusCode).toBe(200);
    expect(await logistics()).toBe(t.as.dispatcher.userId);
    expect(await logistics()).toBe(t.as.dispatcher.userId);
  });

  it('queues a delivery to a webhook added on the server thread for the worker\'s next create, and none once it is deleted', async () => {
    const webhookRows = async (ticketId: number) =>
      t.db.read.selectFrom('outbox').select(['channel', 'target']).where('channel', '=', 'webhook').where('dedupe_key', 'like', `assigned:${ticketId}:%`).execute();
    const assigned = () => created({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer2.userId });
    const first = await assigned();
    expect(await webhookRows(first.id)).toEqual([]);
    const hook = await t.as.admin.post('/api/webhooks', { name: '值班群', url: 'https://hooks.example.com/in', kind: 'generic' });
    expect(hook.statusCode).toBe(201);
    const second = await assigned();
    expect(await webhookRows(second.id)).toEqual([{ channel: 'webhook', target: String(hook.json().id) }]);
    expect((await t.as.admin.request('DELETE', `/api/webhooks/${hook.json().id}`)).statusCode).toBe(204);
    const third = await assigned();
    expect(await webhookRows(third.id)).toEqual([]);
  });

  // ---------------------------------------------------------------- both threads writing

  it('creates 40 tickets in the worker while the server thread writes 40 times, all succeeding, numbered consecutively', async () => {
    const existing: { number: string; version: number }[] = [];
    for (let i = 0; i < 20; i++) existing.push((await create({ title: `并发前工单 ${i}`, customerId: t.customers.own, customer: undefined })).json());
    const answeredBefore = pool.answered;
    const creates = Array.from({ length: 40 }, (_, i) => create({ title: `并发工单 ${i}`, customer: { name: `客户${i}`, phone: `1370000${String(1000 + i)}` } }));
    const serverWrites = [
      ...existing.map((tk) => t.as.agent.patch(`/api/tickets/${tk.number}`, { priority: 'P1', demand: '当天上门', version: tk.version })),
      ...existing.slice(0, 10).map((tk, i) => t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: `已电话联系客户，第 ${i} 次回访。` })),
      ...Array.from({ length: 10 }, (_, i) => t.as.agent.post('/api/customers', { name: `并发客户${i}`, phone: `1360000${String(1000 + i)}` })),
    ];
    const [made, others] = await Promise.all([Promise.all(creates), Promise.all(serverWrites)]);
    for (const r of made) expect(r.statusCode, r.body).toBe(201);
    expect(others.map((r) => r.statusCode)).toEqual([...Array(20).fill(200), ...Array(10).fill(201), ...Array(10).fill(201)]);
    expect(pool.answered - answeredBefore).toBe(40);
    const numbers = made.map((r) => Number(r.json().number)).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(40);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1] + 1);
    // The server thread's writes are in too.
    for (const tk of existing) expect((await t.as.agent.get(`/api/tickets/${tk.number}`)).json()).toMatchObject({ priority: 'P1', demand: '当天上门', version: tk.version + 1 });
  });

  it('keeps the server thread serving while its write waits for the worker to finish a transaction', async () => {
    const tk = (await create({ title: '等待写锁的工单', customerId: t.customers.own, customer: undefined })).json();
    const lockOwner = new Int32Array((t.db as unknown as { lock: { buffer: SharedArrayBuffer } }).lock.buffer);
    pool.stall(600, true);
    await vi.waitFor(() => expect(Atomics.load(lockOwner, 0), 'the worker holds the write lock').toBe(2), { timeout: 5000, interval: 2 });
    // The lock makes the PATCH wait without blocking the thread; SQLite's own busy handler would sleep the whole thread
    // in BEGIN IMMEDIATE until the worker committed, and no timer would fire meanwhile.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    const patched = await t.as.agent.patch(`/api/tickets/${tk.number}`, { demand: '等待后保存', version: tk.version });
    const waitedMs = performance.now() - started;
    clearInterval(ticker);
    expect(patched.statusCode, patched.body).toBe(200);
    expect(waitedMs).toBeGreaterThan(300);
    expect(ticks).toBeGreaterThan(waitedMs / 10 / 3);
  });

  // ---------------------------------------------------------------- live pushes

  it('publishes the live push of an assigning create made in the worker on the server thread', async () => {
    const publish = vi.spyOn(t.services.notify, 'publish');
    try {
      const tk = await created({ departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId });
      // The push is a message of its own from the worker; it is sent before the answer, but wait rather than rely on it.
      await vi.waitFor(() => expect(publish.mock.calls.flat(2)).toContain(t.as.engineer.userId), { timeout: 5000 });
      const pushed = sorted(publish.mock.calls.flat(2) as number[]);
      expect(pushed).toEqual(await assignedNotified(tk.id));
      expect(pushed).toEqual(sorted([t.as.engineer.userId, t.as.manager.userId, t.as.supervisor.userId]));
    } finally {
      publish.mockRestore();
    }
  });
});

// ---------------------------------------------------------------- crashes and shutdown: each on an app of its own

describe('write worker crash and shutdown (SQLite only)', () => {
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  const ticketCount = async (a: TestApp) => Number((await a.db.read.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** A fresh app for one test. After a failure it is closed without waiting: a write lock never freed hangs the close. */
  async function withApp(fn: (a: TestApp) => Promise<void>) {
    const a = await createTestApp({ dialect: 'sqlite', writeWorker: true });
    try {
      await fn(a);
    } catch (e) {
      void a.close().catch(() => {});
      throw e;
    }
    await a.close();
  }

  /** Posts a create and waits until the worker has it in hand (the pool took the call), without waiting for the answer. */
  async function inHand(a: TestApp, spy: { mock: { results: { type: string; value: unknown }[] } }, headers: Record<string, string>, over: Record<string, unknown> = {}) {
    const before = handedToWorker(spy);
    const pending = a.as.agent.post('/api/tickets', body(over), headers);
    await vi.waitFor(() => expect(handedToWorker(spy)).toBe(before + 1), { timeout: 5000, interval: 5 });
    // Wrapped: an async function returning the promise itself would wait for the answer.
    return { pending };
  }

  it('re-runs a keyed create the worker died with, refuses an unkeyed one with a translated 503, and uses the restarted worker', async () => {
    await withApp(async (a) => {
      const pool = a.services.writers!;
      const call = vi.spyOn(pool, 'call');
      const ticketsBefore = await ticketCount(a);

      // Keyed: the worker is kept busy so that it surely has not started the create when it dies.
      pool.stall(1500);
      let { pending } = await inHand(a, call, { 'idempotency-key': 'crash-key-1' });
      let lost = pool.lost;
      await pool.crash();
      const rescued = await pending;
      expect(pool.lost).toBe(lost + 1);
      expect(rescued.statusCode, rescued.body).toBe(201);
      const ticket = rescued.json();
      expect(rescued.headers.location).toBe(`/api/tickets/${ticket.number}`);
      expect(await a.db.read.selectFrom('idempotency_keys').select('ticket_id').where('key', '=', 'crash-key-1').execute()).toEqual([{ ticket_id: ticket.id }]);
      expect(await ticketCount(a)).toBe(ticketsBefore + 1);

      // Unkeyed, in Chinese then in English: nobody can tell whether it was committed, so no second try.
      for (const [headers, message] of [
        [{}, ZH_INTERRUPTED],
        [{ 'accept-language': 'en' }, EN_INTERRUPTED],
      ] as const) {
        await pool.ready();
        pool.stall(1500);
        ({ pending } = await inHand(a, call, headers));
        lost = pool.lost;
        await pool.crash();
        const refused = await pending;
        expect(pool.lost).toBe(lost + 1);
        expect(refused.statusCode).toBe(503);
        expect(refused.headers['content-type']).toMatch(/^application\/json/);
        expect(refused.json()).toEqual({ error: { code: 'unavailable', message } });
      }
      expect(await ticketCount(a)).toBe(ticketsBefore + 1);

      // A retry of the keyed create finds it; then the restarted worker takes creates again.
      await pool.ready();
      const retry = await a.as.agent.post('/api/tickets', body(), { 'idempotency-key': 'crash-key-1' });
      expect(retry.statusCode).toBe(200);
      expect(retry.json().number).toBe(ticket.number);
      const answered = pool.answered;
      const next = await a.as.agent.post('/api/tickets', body({ title: '重启后的工单' }));
      expect(next.statusCode).toBe(201);
      expect(pool.answered).toBe(answered + 1);
      expect(Number(next.json().number)).toBe(Number(ticket.number) + 1);
      call.mockRestore();
    });
  }, 60_000);

  it('loses no keyed create, makes none twice, and keeps the server thread writing when the worker dies in a stream of creates', async () => {
    await withApp(async (a) => {
      const pool = a.services.writers!;
      // The write lock's owner cell (db/write-lock.ts): read only to make sure the crash below hits the worker while
      // it holds the lock, i.e. in the middle of a transaction, which is the case this test is about.
      const lockOwner = new Int32Array((a.db as unknown as { lock: { buffer: SharedArrayBuffer } }).lock.buffer);
      const ticketsBefore = await ticketCount(a);
      const ROUNDS = 5;
      const N = 60;
      const ownersAtCrash: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await pool.ready();
        // One create per event-loop turn, so that the worker commits a stream of small batches, and a crash halfway.
        // Whatever the worker had committed is found again by its key, the rest runs in-process: 200 or 201.
        const posts = [];
        let crashed: Promise<void> | null = null;
        for (let i = 0; i < N; i++) {
          posts.push(a.as.agent.post('/api/tickets', body({ title: `崩溃时的工单 ${round}-${i}` }), { 'idempotency-key': `busy-${round}-${i}` }));
          if (i === N / 2) {
            ownersAtCrash.push(Atomics.load(lockOwner, 0));
            crashed = pool.crash();
          }
          await new Promise((r) => setImmediate(r));
        }
        await crashed;
        const results = await within(Promise.all(posts), 20_000, `round ${round}: the creates`);
        for (const r of results) expect([200, 201], r.body).toContain(r.statusCode);
        const numbers = results.map((r) => r.json().number);
        expect(new Set(numbers).size).toBe(N);
        const stored = await a.db.read.selectFrom('idempotency_keys').select('ticket_id').where('key', 'like', `busy-${round}-%`).execute();
        expect(sorted(stored.map((r) => r.ticket_id))).toEqual(sorted(results.map((r) => r.json().id)));
        // The server thread writes again at once: the dead worker's turn at the lock was freed and its transaction
        // rolled back (else its next BEGIN IMMEDIATE would wait out the 5 s busy timeout, or wait for ever).
        const started = Date.now();
        const patched = await within(a.as.agent.patch(`/api/tickets/${numbers[0]}`, { demand: '尽快处理', version: results[0].json().version }), 10_000, 'a server-thread write after the crash');
        expect(patched.statusCode, patched.body).toBe(200);
        expect(Date.now() - started).toBeLessThan(2000);
      }
      expect(await ticketCount(a)).toBe(ticketsBefore + ROUNDS * N);
      expect(ownersAtCrash, 'the worker held the write lock at one crash at least').toContain(2);
    });
  }, 90_000);

  it('answers and commits every create the worker has in hand when the app shuts down', async () => {
    await withApp(async (a) => {
      const pool = a.services.writers!;
      const call = vi.spyOn(pool, 'call');
      let answeredAtClose = -1;
      const close = pool.close.bind(pool);
      vi.spyOn(pool, 'close').mockImplementation(() => {
        answeredAtClose = pool.answered;
        return close();
      });
      const answered = pool.answered;
      // Busy for a while, so that the creates are still queued in the worker when the shutdown reaches it.
      pool.stall(1000);
      const posts = Array.from({ length: 30 }, (_, i) => a.as.agent.post('/api/tickets', body({ title: `关机前的工单 ${i}` })));
      await vi.waitFor(() => expect(handedToWorker(call)).toBe(30), { timeout: 5000, interval: 5 });
      await a.app.close();
      expect(answeredAtClose - answered).toBeLessThan(30);
      const results = await Promise.all(posts);
      expect(results.map((r) => r.statusCode)).toEqual(Array(30).fill(201));
      expect(pool.answered - answered).toBe(30);
      // Committed by the worker before it exited: on the file, read through the server thread's still open connection.
      const rows = await a.db.read.selectFrom('tickets').select('number').where('title', 'like', '关机前的工单%').execute();
      expect(rows.map((r) => r.number).sort()).toEqual(results.map((r) => r.json().number).sort());
      // And the pool takes nothing more: a create arriving now would run in-process (until the database closes).
      expect(pool.call({ method: 'tickets.create', actor: { id: a.as.agent.userId, role: 'agent' } as never, body: body() as never, idempotencyKey: undefined }, Date.now())).toBeNull();
    });
  }, 60_000);
});
