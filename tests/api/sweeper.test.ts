// The sweeper's first pass after downtime, with many tickets due at once: it works in batches and lets the event loop
// turn between them, so requests are answered during a long pass instead of after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MIN = 60_000;
// Monday 2026-11-23 10:00 in Beijing (02:00 UTC).
const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z');
/** More than two batches of 50 (jobs/sweeper.ts). */
const DUE = 130;

describe.each(TEST_DIALECTS)('sweeper pass over many due tickets on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('yields to the event loop between its batches, and a timer set during the pass fires before it ends', { timeout: 60_000 }, async () => {
    t.clock.set(MONDAY_10);
    for (let i = 0; i < DUE; i += 26) {
      const made = await Promise.all(
        Array.from({ length: Math.min(26, DUE - i) }, (_, k) =>
          t.as.agent.post('/api/tickets', { title: `停电后无法开机 ${i + k}`, description: '断电重启后面板不亮', customerId: t.customers.own, priority: 'P2' }),
        ),
      );
      for (const r of made) expect(r.statusCode, r.body).toBe(201);
    }
    // Two working hours later every first response (30 working minutes) is breached: all of them are due at once.
    t.clock.advance(120 * MIN);

    // Counts turns of the event loop while the pass runs; each batch notes the count it starts at.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const sweeper = t.sweeper as unknown as { sweepBatch: (now: number) => Promise<{ tickets: number; actions: number }> };
    const original = sweeper.sweepBatch;
    const batchStarts: number[] = [];
    sweeper.sweepBatch = function (this: unknown, now: number) {
      batchStarts.push(turns);
      return original.call(this, now);
    };
    let timerFiredDuringPass = false;
    let passOver = false;
    setTimeout(() => (timerFiredDuringPass = !passOver), 0);
    try {
      const report = await t.sweeper.runOnce();
      passOver = true;
      expect(report.tickets).toBeGreaterThanOrEqual(DUE);
      // Batches of at most 50 tickets, each also bounded in time (jobs/sweeper.ts).
      expect(report.batches).toBeGreaterThanOrEqual(Math.ceil(report.tickets / 50));
      expect(batchStarts).toHaveLength(report.batches);
    } finally {
      ticking = false;
      sweeper.sweepBatch = original;
    }
    // Each batch started on a later turn of the event loop than the one before it.
    for (let i = 1; i < batchStarts.length; i++) expect(batchStarts[i], `batch ${i} started on the same turn as batch ${i - 1}`).toBeGreaterThan(batchStarts[i - 1]);
    expect(timerFiredDuringPass).toBe(true);
    // Nothing is left due: a second pass at the same instant finds nothing.
    const again = await t.sweeper.runOnce();
    expect(again.tickets).toBe(0);
  });
});
