// Demo data through the real services: every ticket's conversation is about its own product, and what customers say
// is theirs — written by the customer's account, or, relayed by an agent, marked as the customer's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/seed/demo.js';
import { DEMO_PRODUCTS, nounFor } from '../../src/server/seed/demo-content.js';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/server/testing.js';

const STAFF_VOICE = /^(您好|非常抱歉)/;
const RELAYED = /^客户来电反馈：“.+”$/;

describe.each(TEST_DIALECTS)('demo data on %s', (dialect) => {
  let t: TestDatabase;
  let rows: { ticketId: number; customerId: number; model: string | null; solution: string | null; body: string | null; internal: number | null; authorRole: string | null; authorCustomer: number | null }[];

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db, t.config, { force: false, customers: 30, tickets: 200 });
    rows = await t.db.read
      .selectFrom('tickets')
      .leftJoin('comments', 'comments.ticket_id', 'tickets.id')
      .leftJoin('users', 'users.id', 'comments.author_id')
      .select([
        'tickets.id as ticketId',
        'tickets.customer_id as customerId',
        'tickets.product_model as model',
        'tickets.solution as solution',
        'comments.body as body',
        'comments.internal as internal',
        'users.role as authorRole',
        'users.customer_id as authorCustomer',
      ])
      .execute();
  }, 300_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it('stocks a warehouse and three vans with the demo parts, some used on closed repairs and a few below threshold', async () => {
    const locations = await t.db.read.selectFrom('stock_locations').select(['kind', 'owner_id']).execute();
    expect(locations.filter((l) => l.kind === 'warehouse')).toHaveLength(1);
    expect(locations.filter((l) => l.kind === 'van' && l.owner_id !== null)).toHaveLength(3);
    const parts = await t.db.read.selectFrom('parts').select(['id', 'low_stock_threshold']).execute();
    expect(parts.length).toBeGreaterThanOrEqual(15);
    const models = await t.db.read.selectFrom('part_products').select('product_model').distinct().execute();
    for (const m of models) expect(DEMO_PRODUCTS.map((p) => p.model)).toContain(m.product_model);
    const used = await t.db.read.selectFrom('stock_moves').innerJoin('tickets', 'tickets.id', 'stock_moves.ticket_id').select(['tickets.status']).where('kind', '=', 'consume').execute();
    expect(used.length).toBeGreaterThan(0);
    expect(new Set(used.map((u) => u.status))).toEqual(new Set(['closed']));
    const low = await t.db.read.selectFrom('part_stock').select('part_id').where('low_alerted', '=', 1).execute();
    expect(low.length).toBeGreaterThanOrEqual(2);
  });

  it('gives units proof, acceptance and extensions: most in or out of warranty, some unknown (proof needed), installed ones from their acceptance', async () => {
    const units = await t.db.read
      .selectFrom('units')
      .innerJoin('products', 'products.model', 'units.product_model')
      .select(['units.warranty_basis', 'units.warranty_end', 'units.acceptance_date', 'units.extended_months', 'products.needs_installation', 'products.callout_fee', 'products.labour_fees'])
      .execute();
    const basis = (b: string) => units.filter((u) => u.warranty_basis === b).length;
    expect(basis('purchase') + basis('installation_acceptance')).toBeGreaterThan(units.length * 0.7);
    expect(basis('purchase')).toBeGreaterThan(0);
    expect(basis('installation_acceptance')).toBeGreaterThan(0);
    expect(basis('none')).toBeGreaterThan(0);
    expect(units.some((u) => u.extended_months > 0)).toBe(true);
    for (const u of units) {
      if (u.warranty_basis === 'installation_acceptance') expect(u.needs_installation === 1 && u.acceptance_date !== null).toBe(true);
      expect(u.warranty_end === null).toBe(u.warranty_basis === 'none');
      expect(Object.keys(JSON.parse(u.labour_fees))).toEqual(['hardware', 'software', 'usage']);
    }
  });

  it('shows installation acceptance, inspection plans and a repeat repair (issue 16)', async () => {
    const installation = await t.db.read.selectFrom('visits').select(['status', 'unit_id']).where('kind', '=', 'installation').execute();
    expect(installation).toHaveLength(1);
    expect(installation[0]).toMatchObject({ status: 'arrived' });
    expect(installation[0].unit_id).not.toBeNull();
    const plans = await t.db.read.selectFrom('inspection_plans').select(['mode']).orderBy('id').execute();
    expect(plans.map((p) => p.mode)).toEqual(['remote', 'phone']);
    expect(await t.db.read.selectFrom('inspection_occurrences').select('id').execute()).toHaveLength(2);
    // The repair filed again is linked to the one it repeats (the demo's other repairs on a unit may be repeats too).
    const again = await t.db.read.selectFrom('ticket_links').innerJoin('tickets', 'tickets.id', 'ticket_links.ticket_id').select(['ticket_links.kind', 'tickets.title']).where('tickets.title', 'like', '%再次报修%').execute();
    expect(again).toHaveLength(1);
    expect(again[0].kind).toBe('repeat_repair');
  });

  it('registers a few tickets late, as a real desk does, each flagged in its timeline', async () => {
    const late = await t.db.read.selectFrom('tickets').select(['id']).where('late_registration', '=', 1).execute();
    const all = await t.db.read.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(Number(all.n) * 0.1);
    const flagged = await t.db.read.selectFrom('ticket_events').select('ticket_id').where('kind', '=', 'late_registration').execute();
    expect(new Set(flagged.map((e) => e.ticket_id))).toEqual(new Set(late.map((r) => r.id)));
  });

  it('has every comment and solution name its ticket\'s product', () => {
    const products = new Map(DEMO_PRODUCTS.map((p) => [p.model, p]));
    let checked = 0;
    for (const r of rows) {
      const noun = nounFor(products.get(r.model ?? '')!);
      for (const text of [r.body, r.solution]) {
        if (text === null) continue;
        expect(text, `ticket ${r.ticketId} (${noun})`).toContain(noun);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('writes customers\' words as theirs', () => {
    const comments = rows.filter((r) => r.body !== null);
    const byCustomer = comments.filter((r) => r.authorRole === 'customer');
    expect(byCustomer.length, 'the demo customer answers on their own tickets').toBeGreaterThan(0);
    for (const r of byCustomer) {
      expect(r.authorCustomer).toBe(r.customerId);
      expect(r.internal).toBe(0);
      expect(r.body).not.toMatch(STAFF_VOICE);
    }
    const ownTickets = new Set(byCustomer.map((r) => r.customerId));
    for (const r of comments.filter((c) => c.authorRole !== 'customer' && c.internal === 0)) {
      // A staff reply speaks to the customer; anything else a staff member posts publicly is the customer's words, marked.
      expect(STAFF_VOICE.test(r.body!) || RELAYED.test(r.body!), `ticket ${r.ticketId}: ${r.body}`).toBe(true);
      if (ownTickets.has(r.customerId)) expect(r.body, 'a customer with an account speaks for themself').not.toMatch(RELAYED);
    }
    expect(comments.some((r) => RELAYED.test(r.body!)), 'some words relayed by an agent').toBe(true);
  });

  it('names the demo customer\'s account as its customer record: the portal and the console speak of one person', async () => {
    const account = await t.db.read
      .selectFrom('users')
      .innerJoin('customers', 'customers.id', 'users.customer_id')
      .select(['users.display_name as shown', 'customers.name as record'])
      .where('users.username', '=', 'customer')
      .executeTakeFirstOrThrow();
    expect(account.shown).toBe(account.record);
  });

  it('gives closed tickets their surveys: most answered with a mix of scores, some not, and the low ones a follow-up call', async () => {
    const db = t.db.read;
    const closed = await db.selectFrom('tickets').select('id').where('status', '=', 'closed').execute();
    const surveys = await db.selectFrom('surveys').select(['ticket_id', 'score', 'nps', 'comment', 'answered_at', 'answered_via']).execute();
    const surveyed = new Set(surveys.map((s) => s.ticket_id));
    for (const c of closed) expect(surveyed.has(c.id), `closed ticket ${c.id} has its survey`).toBe(true);
    const answered = surveys.filter((s) => s.answered_at !== null);
    expect(answered.length).toBeGreaterThan(surveys.length * 0.4);
    expect(answered.length, 'some sent, not answered').toBeLessThan(surveys.length);
    const scores = new Set(answered.map((s) => s.score));
    expect(scores.has(5) && scores.has(4) && [1, 2].some((x) => scores.has(x))).toBe(true);
    expect(answered.filter((s) => s.comment).every((s) => /[\u4e00-\u9fff]/.test(s.comment!))).toBe(true);
    expect(new Set(answered.map((s) => s.answered_via))).toEqual(new Set(['link', 'portal']));
    // Every low answer opened its follow-up; those the supervisor made have an outcome and a finding.
    const low = answered.filter((s) => s.score! <= 2 || s.nps! <= 6);
    const followUps = await db.selectFrom('survey_follow_ups').select(['ticket_id', 'closed_at', 'outcome', 'finding']).execute();
    expect(new Set(followUps.map((f) => f.ticket_id))).toEqual(new Set(low.map((s) => s.ticket_id)));
    const made = followUps.filter((f) => f.closed_at !== null);
    expect(made.length).toBeGreaterThan(0);
    for (const f of made) expect(f.outcome && f.finding).toBeTruthy();
  });
});
