// `npm run seed` (seed/command.ts): running it again adds nothing, and AFTERCARE_DEMO=0 writes base data only.
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/server/testing.js';
import { runSeed } from '../../src/server/seed/command.js';

describe.each(TEST_DIALECTS)('seed on %s', (dialect) => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.cleanup();
  });

  async function counts(t: TestDatabase) {
    const n = async (table: 'customers' | 'tickets' | 'users' | 'ticket_events' | 'products' | 'categories') =>
      Number((await t.db.read.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { customers: await n('customers'), tickets: await n('tickets'), users: await n('users'), events: await n('ticket_events'), products: await n('products'), categories: await n('categories') };
  }

  it('in demo mode writes the demo data once: a second run leaves every count as it was', { timeout: 120_000 }, async () => {
    const t = await createTestDatabase(dialect);
    dbs.push(t);
    const config = { ...t.config, demo: true };
    const first = await runSeed(t.db, config, { customers: 12, tickets: 40 });
    expect(first.demo).toMatchObject({ customers: 12 });
    const after = await counts(t);
    expect(after.customers).toBe(12);
    expect(after.tickets).toBeGreaterThan(0);
    expect(after.users).toBeGreaterThan(1);

    const second = await runSeed(t.db, config, { customers: 12, tickets: 40 });
    expect(second.demo).toBeNull();
    expect(await counts(t)).toEqual(after);
  });

  it('with AFTERCARE_DEMO=0 writes the base data only (departments, categories, SLA, admin), twice the same', { timeout: 60_000 }, async () => {
    const t = await createTestDatabase(dialect);
    dbs.push(t);
    expect(t.config.demo).toBe(false);
    const result = await runSeed(t.db, t.config);
    expect(result).toMatchObject({ demo: null, base: { demoPassword: null } });
    const after = await counts(t);
    expect(after).toMatchObject({ customers: 0, tickets: 0, users: 1, products: 0 });
    expect(after.categories).toBeGreaterThan(0);
    await runSeed(t.db, t.config);
    expect(await counts(t)).toEqual(after);
  });
});
