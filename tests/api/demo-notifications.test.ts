// Demo data leaves people a realistic handful of unread notifications — after seeding and after the first sweeper
// pass of a server started on it — instead of the hundreds ninety days of simulated work produce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNREAD_PER_USER, seedDemo } from '../../src/server/seed/demo.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

describe.each(TEST_DIALECTS)('demo notifications on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    await seedDemo(t.db, t.services.ctx.config, { force: true, customers: 40, tickets: 400 });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const perUser = async () => {
    const rows = await t.db.read
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select(['users.username as username', (eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.sum<number>(eb.case().when('notifications.read_at', 'is', null).then(1).else(0).end()).as('unread')])
      .groupBy('users.username')
      .execute();
    return new Map(rows.map((r) => [r.username, { total: Number(r.total), unread: Number(r.unread) }]));
  };

  it('leaves every demo user at most a handful unread, the rest read, and nothing queued to send', async () => {
    const counts = await perUser();
    // The simulation did notify people (the manager hears of every tech-support assignment) …
    expect(counts.get('manager')!.total).toBeGreaterThan(100);
    for (const user of ['manager', 'engineer', 'director', 'supervisor']) expect(counts.has(user), user).toBe(true);
    // … but nobody is left with hundreds unread.
    for (const [user, c] of counts) expect(c.unread, user).toBeLessThanOrEqual(DEMO_UNREAD_PER_USER);
    expect([...counts.values()].some((c) => c.unread > 0)).toBe(true);
    // Read an hour or two after they came, never in the future.
    const late = await t.db.read.selectFrom('notifications').select('id').where('read_at', '>', Date.now() + 60_000).execute();
    expect(late).toEqual([]);
    const pending = await t.db.read.selectFrom('outbox').select('id').where('delivered_at', 'is', null).where('failed_at', 'is', null).execute();
    expect(pending).toEqual([]);
  });

  it('keeps it so after the first sweeper pass of a server started on the seeded data', async () => {
    await t.sweeper.runOnce(Date.now());
    for (const [user, c] of await perUser()) expect(c.unread, user).toBeLessThanOrEqual(30);
  });
});
