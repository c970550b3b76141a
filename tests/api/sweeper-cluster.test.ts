// Two app processes sweeping one PostgreSQL database: every warning, breach and escalation fires exactly once.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, freePort, freshPostgres, startServer, waitHealthy } from './processes.js';

const HAS_PG = Boolean(process.env.TEST_DATABASE_URL);
if (!HAS_PG) console.log('[sweeper-cluster] skipped: needs TEST_DATABASE_URL (several app processes share one database only on PostgreSQL).');

describe.runIf(HAS_PG)('sweeper on two nodes', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('fires each SLA event once although both nodes sweep the same tickets', { timeout: 120_000 }, async () => {
    const db = await freshPostgres('aftercare_sweep');
    cleanups.push(db.drop);
    const password = 'cluster-pw-1';
    const [portA, portB] = [await freePort(), await freePort()];
    // Node A starts first (migrations, base data); B joins the same database.
    const env = { DATABASE_URL: db.url, AFTERCARE_ADMIN_PASSWORD: password, AFTERCARE_SWEEP_SECONDS: '0' };
    const a = startServer({ ...env, PORT: String(portA), DATA_DIR: '/tmp/aftercare-sweep-a' });
    cleanups.push(() => void a.kill('SIGKILL'));
    await waitHealthy(`http://127.0.0.1:${portA}`);
    const token = await bearer(`http://127.0.0.1:${portA}`, password);

    // 400 P1 tickets reported ten days ago: every clock is overdue, so each must warn / breach / escalate now.
    const reportedAt = new Date(Date.now() - 10 * 24 * 3600_000).toISOString();
    const numbers: string[] = [];
    for (let i = 0; i < 400; i += 40) {
      const batch = await Promise.all(
        Array.from({ length: 40 }, (_, j) =>
          fetch(`http://127.0.0.1:${portA}/api/tickets`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ title: `集群测试 ${i + j}`, description: '服务器宕机', priority: 'P1', reportedAt, customer: { name: '集群客户', phone: '13700000000' } }),
          }).then((r) => r.json() as Promise<{ number: string }>),
        ),
      );
      numbers.push(...batch.map((b) => b.number));
    }
    expect(new Set(numbers).size).toBe(400);
    a.kill('SIGTERM');
    await new Promise((r) => a.once('exit', r));

    // Now both nodes sweep every second, at the same time, over the same overdue tickets.
    const nodes = [portA, portB].map((port, k) => startServer({ ...env, PORT: String(port), DATA_DIR: `/tmp/aftercare-sweep-${k}`, AFTERCARE_SWEEP_SECONDS: '1' }));
    for (const n of nodes) cleanups.push(() => void n.kill('SIGKILL'));
    await Promise.all([portA, portB].map((p) => waitHealthy(`http://127.0.0.1:${p}`)));

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.push(() => client.end());
    // Wait until nothing is due any more (both nodes have had several passes).
    for (let i = 0; i < 60; i++) {
      const due = await client.query('SELECT count(*)::int AS n FROM tickets WHERE sla_check_at <= $1', [Date.now()]);
      if (due.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2500)); // more passes on both nodes: they must find nothing to repeat

    const perClock = await client.query(`
      SELECT kind, data::json->'details'->>'clock' AS clock, ticket_id, count(*)::int AS n
      FROM ticket_events WHERE kind IN ('sla_warning', 'sla_breach')
      GROUP BY 1, 2, 3`);
    const breaches = perClock.rows.filter((r) => r.kind === 'sla_breach');
    // P1 default: first response, start handling, first solution and progress update are all overdue.
    expect(breaches.length).toBe(400 * 4);
    expect(perClock.rows.filter((r) => r.n !== 1)).toEqual([]);
    const escalations = await client.query(`
      SELECT ticket_id, data::json->'details'->>'level' AS level, count(*)::int AS n
      FROM ticket_events WHERE kind = 'escalated' GROUP BY 1, 2`);
    expect(escalations.rows.length).toBeGreaterThanOrEqual(400);
    expect(escalations.rows.filter((r) => r.n !== 1)).toEqual([]);
    const outbox = await client.query(`SELECT dedupe_key, count(*)::int AS n FROM outbox GROUP BY 1 HAVING count(*) > 1`);
    expect(outbox.rows).toEqual([]);
  });
});
