// Classification as seed 001 has it (issue 14): several categories per ticket, late registration, the priority
// derived from impact × urgency × customer (staff override with a reason, customers never choose), and routing again
// when the primary category changes on an unassigned ticket. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { fullTicketBody } from './fixtures.js';

const HOUR = 3_600_000;

describe.each(TEST_DIALECTS)('classification on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  const body = (over: Record<string, unknown> = {}) => fullTicketBody({ reportedAt: new Date(t.clock.now() - 10 * 60_000).toISOString(), ...over });
  const events = async (number: string, as = t.as.agent) => (await as.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string; details: any; changes: any[]; internal: boolean }[];
  const numbersOf = async (query: string) => ((await t.as.admin.get(`/api/tickets?limit=200&${query}`)).json().items as { number: string }[]).map((x) => x.number);

  it('stores several categories, primary first, shows them on the ticket and filters the queue by any of them', async () => {
    const res = await t.as.agent.post('/api/tickets', body({ category: undefined, categories: ['service.response_speed', 'product.functional_fault', 'other.requirement_feedback'] }));
    expect(res.statusCode).toBe(201);
    const created = res.json();
    // The first one is the primary: it routes (service → customer service) and is `category`.
    expect(created.category).toBe('service.response_speed');
    expect(created.categories).toEqual(['service.response_speed', 'product.functional_fault', 'other.requirement_feedback']);
    expect(created.departmentId).toBe(t.departments.customer_service);
    const got = (await t.as.agent.get(`/api/tickets/${created.number}`)).json();
    expect(got.categories).toEqual(created.categories);
    expect((await events(created.number))[0].changes).toContainEqual({ field: 'categories', before: null, after: created.categories });

    const plain = (await t.as.agent.post('/api/tickets', body({ category: 'product.functional_fault' }))).json();
    expect(plain.categories).toEqual(['product.functional_fault']);
    // A further category finds the ticket as well as a primary one; a parent finds its children.
    expect(await numbersOf('category=product.functional_fault')).toEqual(expect.arrayContaining([created.number, plain.number]));
    expect(await numbersOf('category=other')).toContain(created.number);
    expect(await numbersOf('category=other')).not.toContain(plain.number);
    expect(await numbersOf('category=logistics')).not.toContain(created.number);

    // Unknown, duplicate and mismatched lists are refused with translated messages.
    const unknown = await t.as.agent.post('/api/tickets', body({ category: undefined, categories: ['product', 'no.such'] }), { 'accept-language': 'en' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toEqual({ categories: 'No such category, or it is inactive' });
    const dup = await t.as.agent.post('/api/tickets', body({ category: undefined, categories: ['product', 'product'] }));
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields.categories).toBe('同一分类只能选择一次');
    const mismatch = await t.as.agent.post('/api/tickets', body({ category: 'logistics', categories: ['product'] }));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.fields.category).toBe('主分类须为分类列表中的第一项');
  });

  it('edits the categories with a timeline entry, keeping the others when only the primary changes', async () => {
    const tk = (await t.as.agent.post('/api/tickets', body({ category: undefined, categories: ['product.functional_fault', 'service.attitude'], departmentId: t.departments.tech_support }))).json();
    const edited = await t.as.agent.patch(`/api/tickets/${tk.number}`, { categories: ['product.functional_fault', 'logistics.damaged', 'other.suggestion'], version: tk.version });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().categories).toEqual(['product.functional_fault', 'logistics.damaged', 'other.suggestion']);
    const updated = (await events(tk.number)).filter((e) => e.kind === 'updated').at(-1)!;
    expect(updated.changes).toContainEqual({ field: 'categories', before: ['product.functional_fault', 'service.attitude'], after: ['product.functional_fault', 'logistics.damaged', 'other.suggestion'] });
    expect(await numbersOf('category=service.attitude')).not.toContain(tk.number);
    expect(await numbersOf('category=logistics.damaged')).toContain(tk.number);
    // The single `category` (the older contract) replaces the primary and keeps the others.
    const primary = await t.as.agent.patch(`/api/tickets/${tk.number}`, { category: 'service.process', version: edited.json().version });
    expect(primary.json().categories).toEqual(['service.process', 'logistics.damaged', 'other.suggestion']);
    const cleared = await t.as.agent.patch(`/api/tickets/${tk.number}`, { categories: [], version: primary.json().version });
    expect(cleared.json()).toMatchObject({ category: null, categories: [] });
  });

  it('routes again when the primary category of an unassigned ticket changes, and says why in the timeline', async () => {
    // No category: no rule matches, nobody is assigned.
    const tk = (await t.as.agent.post('/api/tickets', body({ category: null }))).json();
    expect(tk.assignee).toBeNull();
    expect(tk.departmentId).toBeNull();
    const res = await t.as.agent.patch(`/api/tickets/${tk.number}`, { categories: ['logistics.damaged', 'product.functional_fault'], version: tk.version });
    expect(res.statusCode).toBe(200);
    // The logistics rule (round robin, one dispatcher) takes it.
    expect(res.json()).toMatchObject({ departmentId: t.departments.logistics, status: 'assigned', assignee: { id: t.as.dispatcher.userId } });
    const routed = (await events(tk.number)).find((e) => e.kind === 'routed')!;
    expect(routed.details).toMatchObject({ reason: 'category_changed', category: 'logistics.damaged', rule: '物流问题 → 物流部', departmentId: t.departments.logistics, strategy: 'round_robin' });
    expect(routed.changes).toContainEqual({ field: 'status', before: 'new', after: 'assigned' });
    // Once someone has it, a new category does not move it.
    const again = await t.as.agent.patch(`/api/tickets/${tk.number}`, { category: 'service.attitude', version: res.json().version });
    expect(again.json()).toMatchObject({ departmentId: t.departments.logistics, assignee: { id: t.as.dispatcher.userId } });
    expect((await events(tk.number)).filter((e) => e.kind === 'routed')).toHaveLength(1);
    // A department chosen in the same edit wins over the rules.
    const other = (await t.as.agent.post('/api/tickets', body({ category: null }))).json();
    const byHand = await t.as.agent.patch(`/api/tickets/${other.number}`, { category: 'logistics.damaged', departmentId: t.departments.quality, version: other.version });
    expect(byHand.json().departmentId).toBe(t.departments.quality);
    expect((await events(other.number)).some((e) => e.kind === 'routed')).toBe(false);
  });

  it('shows the registration delay, flags a late registration in the timeline and lets the queue count them', async () => {
    const now = t.clock.now();
    const late = (await t.as.agent.post('/api/tickets', body({ title: '登记滞后', reportedAt: new Date(now - (3 * HOUR + 12 * 60_000)).toISOString() }))).json();
    expect(late).toMatchObject({ lateRegistration: true, registrationDelayMinutes: 192 });
    const flag = (await events(late.number)).find((e) => e.kind === 'late_registration')!;
    expect(flag.details).toMatchObject({ delayMinutes: 192, limitMinutes: 120 });
    expect(flag.internal).toBe(true);
    // Exactly at the limit is in time.
    const onTime = (await t.as.agent.post('/api/tickets', body({ reportedAt: new Date(now - 2 * HOUR).toISOString() }))).json();
    expect(onTime).toMatchObject({ lateRegistration: false, registrationDelayMinutes: 120 });
    expect((await events(onTime.number)).some((e) => e.kind === 'late_registration')).toBe(false);
    const lateOnes = await numbersOf('lateRegistration=true');
    expect(lateOnes).toContain(late.number);
    expect(lateOnes).not.toContain(onTime.number);
    expect(await numbersOf('lateRegistration=false')).toContain(onTime.number);
    // Countable for reports: the queue's total takes the same filter.
    const total = (await t.as.admin.get('/api/tickets/count?lateRegistration=true')).json();
    expect(total).toEqual({ count: lateOnes.length, capped: false });
    // The queue item carries the flag too.
    const item = (await t.as.admin.get('/api/tickets?limit=200&lateRegistration=true')).json().items.find((x: { number: string }) => x.number === late.number);
    expect(item).toMatchObject({ lateRegistration: true, registrationDelayMinutes: 192 });
    // Correcting reportedAt recomputes the flag, in the timeline.
    const fixed = await t.as.agent.patch(`/api/tickets/${late.number}`, { reportedAt: new Date(now - HOUR).toISOString(), version: late.version });
    expect(fixed.json().lateRegistration).toBe(false);
    expect((await events(late.number)).filter((e) => e.kind === 'updated').at(-1)!.changes).toContainEqual({ field: 'lateRegistration', before: true, after: false });
    expect(await numbersOf('lateRegistration=true')).not.toContain(late.number);
  });

  it('derives the priority from impact × urgency × customer, and an override needs a reason the customer never sees', async () => {
    const derived = await t.as.agent.post('/api/tickets', body({ priority: undefined, impact: 'core', urgency: 'stopped' }));
    expect(derived.statusCode).toBe(201);
    expect(derived.json()).toMatchObject({ priority: 'P1', derivedPriority: 'P1', priorityOverridden: false, impact: 'core', urgency: 'stopped' });
    // The policy and clocks follow the derived priority.
    expect(derived.json().sla.policyName).toContain('P1');
    const minor = (await t.as.agent.post('/api/tickets', body({ priority: undefined, impact: 'minor', urgency: 'can_wait' }))).json();
    expect(minor.priority).toBe('P3');

    // Another priority without a reason: a translated 400, nothing created.
    const noReason = await t.as.agent.post('/api/tickets', body({ title: '无理由调整', impact: 'core', urgency: 'stopped', priority: 'P2' }), { 'accept-language': 'en' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toEqual({ priorityOverrideReason: 'The chosen priority differs from the derived one; give a reason' });
    expect(await numbersOf('q=无理由调整')).toEqual([]);
    const zh = await t.as.agent.post('/api/tickets', body({ impact: 'core', urgency: 'stopped', priority: 'P2' }));
    expect(zh.json().error.fields.priorityOverrideReason).toBe('所选优先级与系统判定的不同，请填写调整原因');
    const halfAnswered = await t.as.agent.post('/api/tickets', body({ impact: 'core' }));
    expect(halfAnswered.json().error.fields.urgency).toBe('影响范围和紧急程度须同时填写');

    const reason = 'INTERNAL-override 客户有备用机，可以降级处理';
    const over = await t.as.agent.post('/api/tickets', body({ impact: 'core', urgency: 'stopped', priority: 'P2', priorityOverrideReason: reason, customer: undefined, customerId: t.customers.own }));
    expect(over.statusCode).toBe(201);
    expect(over.json()).toMatchObject({ priority: 'P2', derivedPriority: 'P1', priorityOverridden: true });
    const ev = (await events(over.json().number)).find((e) => e.kind === 'priority_overridden')!;
    expect(ev.details).toEqual({ derivedPriority: 'P1', chosenPriority: 'P2', reason });
    expect(ev.internal).toBe(true);
    // The customer's own ticket: no override event, and the reason nowhere in what they can read.
    const asCustomer = await t.as.customer.get(`/api/tickets/${over.json().number}/events?limit=200`);
    expect(asCustomer.statusCode).toBe(200);
    expect(asCustomer.json().items.some((e: { kind: string }) => e.kind === 'priority_overridden')).toBe(false);
    expect(asCustomer.body).not.toContain('INTERNAL-override');
    const customerTicket = await t.as.customer.get(`/api/tickets/${over.json().number}`);
    expect(customerTicket.body).not.toContain('INTERNAL-override');
    // Nor whether staff overrode the derived priority.
    expect(customerTicket.json()).toMatchObject({ priority: 'P2', derivedPriority: null, priorityOverridden: false });
  });

  it('raises the priority for a VIP with a major loss and serves special-needs customers first', async () => {
    const now = t.clock.now();
    const mk = (name: string, phone: string, tier: string, special: number) =>
      t.db.write((trx) =>
        trx
          .insertInto('customers')
          .values({ kind: 'person', name, company: null, phone, phone_digits: phone, email: null, email_lower: null, address: null, tier, special_needs: special, special_needs_note: null, notes: null, created_at: now, updated_at: now, version: 1 })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    const vip = (await mk('VIP客户', '13700001111', 'vip', 0)).id;
    const elderly = (await mk('王奶奶', '13700002222', 'normal', 1)).id;
    const file = (customerId: number, impact: string, urgency: string) => t.as.agent.post('/api/tickets', body({ customer: undefined, customerId, priority: undefined, impact, urgency }));
    expect((await file(vip, 'partial', 'stopped')).json().priority).toBe('P1');
    expect((await file(vip, 'partial', 'degraded')).json().priority).toBe('P2');
    expect((await file(elderly, 'minor', 'can_wait')).json().priority).toBe('P2');
    expect((await file(elderly, 'partial', 'degraded')).json().priority).toBe('P1');
  });

  it('re-derives on edit, and a changed priority against the derived one needs a reason', async () => {
    const tk = (await t.as.agent.post('/api/tickets', body({ priority: undefined, impact: 'partial', urgency: 'degraded' }))).json();
    expect(tk.priority).toBe('P2');
    const up = await t.as.agent.patch(`/api/tickets/${tk.number}`, { impact: 'core', version: tk.version });
    expect(up.json()).toMatchObject({ priority: 'P1', derivedPriority: 'P1', impact: 'core', priorityOverridden: false });
    expect((await events(tk.number)).filter((e) => e.kind === 'updated').at(-1)!.changes).toEqual(
      expect.arrayContaining([
        { field: 'impact', before: 'partial', after: 'core' },
        { field: 'priority', before: 'P2', after: 'P1' },
      ]),
    );
    const refused = await t.as.agent.patch(`/api/tickets/${tk.number}`, { priority: 'P3', version: up.json().version });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.priorityOverrideReason).toBeDefined();
    const down = await t.as.agent.patch(`/api/tickets/${tk.number}`, { priority: 'P3', priorityOverrideReason: '客户确认不急', version: up.json().version });
    expect(down.json()).toMatchObject({ priority: 'P3', derivedPriority: 'P1', priorityOverridden: true });
    expect((await events(tk.number)).filter((e) => e.kind === 'priority_overridden').at(-1)!.details).toEqual({ derivedPriority: 'P1', chosenPriority: 'P3', reason: '客户确认不急' });
    // Saving the same override again (the drawer sends the fields it shows) needs no second reason.
    const same = await t.as.agent.patch(`/api/tickets/${tk.number}`, { priority: 'P3', title: '改个标题', version: down.json().version });
    expect(same.statusCode).toBe(200);
    // A ticket filed without impact and urgency keeps the older contract: its priority is simply edited.
    const legacy = (await t.as.agent.post('/api/tickets', body())).json();
    expect(legacy).toMatchObject({ priority: 'P2', derivedPriority: null, impact: null });
    expect((await t.as.agent.patch(`/api/tickets/${legacy.number}`, { priority: 'P1', version: legacy.version })).json().priority).toBe('P1');
  });

  it('never lets a customer choose the priority or the time they reported, and derives theirs', async () => {
    const refused = await t.as.customer.post('/api/tickets', { title: '设备坏了', description: '开不了机', customerId: t.customers.own, priority: 'P1' }, { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual({ priority: 'The service team sets the priority from impact and urgency; customers cannot choose it' });
    // A P1 dated 2020 whose clocks would be breached at once: the server's time instead.
    const dated = await t.as.customer.post('/api/tickets', { title: '设备坏了', description: '开不了机', customerId: t.customers.own, reportedAt: '2020-01-01T00:00:00.000Z', impact: 'core', urgency: 'stopped' });
    expect(dated.statusCode).toBe(201);
    expect(dated.json().reportedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(dated.json().priority).toBe('P1');
    // As staff see it: registered on time, and no clock breached at once.
    const staffView = (await t.as.admin.get(`/api/tickets/${dated.json().number}`)).json();
    expect(staffView).toMatchObject({ reportedAt: dated.json().reportedAt, lateRegistration: false, registrationDelayMinutes: 0, derivedPriority: 'P1' });
    expect(staffView.sla.clocks.every((c: { state: string }) => c.state !== 'breached')).toBe(true);
    // Without answers a customer's ticket is P3 (their special needs or value still count when answered).
    const plain = await t.as.customer.post('/api/tickets', { title: '咨询', description: '怎么清洗滤网', customerId: t.customers.own });
    expect(plain.json().priority).toBe('P3');
  });

  it('indexes only the late registrations (an on-time create writes no row into that index)', async () => {
    if (dialect === 'sqlite') {
      const raw = t.db.sqlite!.reader;
      const def = raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'tickets_late_registration'").get() as { sql: string };
      expect(def.sql).toMatch(/WHERE late_registration = 1$/);
      // The filter as the queue writes it is answered from that index.
      const plan = raw.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM tickets WHERE tickets.late_registration = 1 AND tickets.created_at >= 0').all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('tickets_late_registration');
    } else {
      const { rows } = await sql<{ d: string }>`SELECT pg_get_indexdef('tickets_late_registration'::regclass) AS d`.execute(t.db.read);
      expect(rows[0].d).toMatch(/WHERE \(late_registration = 1\)$/);
    }
  });

  it('has 其他 / 需求反馈 in the category tree', async () => {
    const tree = (await t.as.agent.get('/api/categories')).json();
    const items = Array.isArray(tree) ? tree : tree.items;
    expect(items).toContainEqual(expect.objectContaining({ code: 'other.requirement_feedback', parentCode: 'other', nameZh: '需求反馈', nameEn: 'Requirement feedback' }));
  });
});
