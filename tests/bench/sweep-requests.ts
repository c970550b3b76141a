// The sweeper's first pass after downtime, measured from the requests' side: thousands of tickets came due while
// the sweeper was stopped, the real server (as `npm start` runs it, in its worker thread) runs one pass, and clients
// keep asking for ticket pages meanwhile. What a user sees is the latency of `GET /api/tickets/:number` during the
// pass; what the server thread does is its event-loop delay (the longest stretch it was held).
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { buildApp } from '../../src/server/app.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { ensureBaseData } from '../../src/server/seed/base.js';
import { createRng, DEMO_PRODUCTS } from '../../src/server/seed/demo-content.js';
import { tokenFor } from './api.js';
import { generateDataset, type DatasetSummary } from './dataset.js';
import { startServer } from './servers.js';
import { planTable, ticketHistory, workingTimeBefore } from './sla-history.js';
import { ADMIN_PASSWORD, cleanup, dataDir, setupConfig, type Check, type RunOptions } from './scenarios.js';
import { cpuCheckMs } from './sysload.js';

/** Working time the sweeper was stopped: a working day, so that thousands of tickets are due at once. */
export const SWEEP_REQUESTS_BACKLOG_MINUTES = 8 * 60;
/** Clients asking for ticket pages during the pass (each one request at a time, as people clicking). */
const CLIENTS = 8;
const TICKETS = 30_000;

export interface LatencyFigures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface SweepRequestsResult {
  name: 'sweep-requests';
  title: string;
  dataset: DatasetSummary;
  /** Tickets due when the pass started (sla_check_at ≤ now). */
  due: number;
  pass: { ms: number; tickets: number; actions: number; delivered: number; batches: number };
  /** The server thread's event-loop delay during the pass (monitorEventLoopDelay, 1 ms resolution). */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** GET /api/tickets/:number answered entirely within the pass, and the same clients just before it (idle). */
  during: LatencyFigures;
  before: LatencyFigures;
  clients: number;
  backlogMinutes: number;
  cpuCheckMs: number;
  checks: Check[];
  notes: string[];
}

function figures(xs: number[]): LatencyFigures {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.length ? s[s.length - 1] : NaN };
}

/** `clients` loops that each ask for one ticket page after another until `stop.done`; the start and end of each answer. */
async function askTickets(url: string, token: string, numbers: string[], clients: number, stop: { done: boolean }) {
  const samples: { start: number; end: number }[] = [];
  const errors: string[] = [];
  const rng = createRng(7);
  const loop = async () => {
    while (!stop.done) {
      const number = numbers[Math.floor(rng() * numbers.length)];
      const start = performance.now();
      const r = await fetch(`${url}/api/tickets/${number}`, { headers: { authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      const end = performance.now();
      if (r.status !== 200) errors.push(`${r.status} for ${number}`);
      else samples.push({ start, end });
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return { samples, errors };
}

export async function sweepRequestsScenario(opts: RunOptions, tickets = TICKETS): Promise<SweepRequestsResult> {
  const dir = dataDir('sweep-requests');
  try {
    const file = path.join(dir, 'aftercare.db');
    const config = setupConfig(dir);
    const db = openDatabase({ dataDir: dir });
    await migrate(db);
    await ensureBaseData(db, config);
    const planner = await buildApp({ config, db, logger: false, serveWeb: false });
    const planOf = await planTable(planner.services.sla, DEMO_PRODUCTS.map((p) => p.model));
    await planner.app.close();
    await db.close();

    // The server's clock is the real one: the data's "now" is a little before the pass, so everything due stays due.
    const now = Date.now();
    const calendar = planOf({ priority: 'P3', customerTier: 'normal', productModel: null, serviceType: null })?.calendar;
    if (!calendar) throw new Error('no SLA policy for P3 tickets: the default policies are missing');
    const sweptUntil = workingTimeBefore(calendar, now, SWEEP_REQUESTS_BACKLOG_MINUTES * 60_000);
    opts.log(`  generating ${tickets.toLocaleString('en-US')} open tickets, the sweeper stopped for the last ${SWEEP_REQUESTS_BACKLOG_MINUTES / 60} working hours …`);
    const dataset = generateDataset(
      file,
      {
        tickets,
        customers: Math.round(tickets / 5),
        days: 20,
        seed: 20261205,
        now,
        openShare: 1,
        searchIndex: false,
        clocks: (staff) => {
          const people = { managers: staff.managers, directors: staff.directors, userName: (id: number) => staff.names.get(id) ?? `#${id}` };
          const rng = createRng(20261206);
          return (t) => ticketHistory(t, planOf(t), people, now, sweptUntil, rng, false);
        },
      },
      [],
    );
    opts.log(`  generated in ${(dataset.elapsedMs / 1000).toFixed(1)} s (${(dataset.fileBytes / 1024 ** 2).toFixed(0)} MiB)`);
    const raw = new BetterSqlite3(file, { readonly: true });
    const due = (raw.prepare('SELECT count(*) AS n FROM tickets WHERE sla_check_at <= ?').get(now) as { n: number }).n;
    // Ticket pages people would open: a spread over the whole table, due ones among them.
    const numbers = (raw.prepare('SELECT number FROM tickets WHERE id % 37 = 0').all() as { number: string }[]).map((r) => r.number);
    raw.close();

    const server = await startServer({ kind: 'app', dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: false });
    try {
      const token = await tokenFor(server.url, 'admin', ADMIN_PASSWORD);
      // Warm-up (not measured), then the same clients for as long as the pass will roughly take, without a pass.
      const warm = { done: false };
      const warming = askTickets(server.url, token, numbers, CLIENTS, warm);
      await new Promise((r) => setTimeout(r, Math.max(500, opts.warmupS * 1000)));
      warm.done = true;
      await warming;
      const idle = { done: false };
      const idleRun = askTickets(server.url, token, numbers, CLIENTS, idle);
      await new Promise((r) => setTimeout(r, 3000));
      idle.done = true;
      const before = await idleRun;

      const cpuCheck = cpuCheckMs();
      const during = { done: false };
      const asking = askTickets(server.url, token, numbers, CLIENTS, during);
      // Let every client have a request in flight before the pass starts.
      await new Promise((r) => setTimeout(r, 200));
      const passStart = performance.now();
      const pass = await server.sweep();
      const passEnd = performance.now();
      during.done = true;
      const answered = await asking;
      const inPass = answered.samples.filter((s) => s.start >= passStart && s.end <= passEnd).map((s) => s.end - s.start);
      const duringFigures = figures(inPass);
      const beforeFigures = figures(before.samples.map((s) => s.end - s.start));

      const check = new BetterSqlite3(file, { readonly: true });
      const leftDue = (check.prepare('SELECT count(*) AS n FROM tickets WHERE sla_check_at <= ?').get(now) as { n: number }).n;
      check.close();
      const target = 50;
      const checks: Check[] = [
        {
          what: `thousands of tickets due at once`,
          ok: due >= 5000,
          detail: `${due.toLocaleString('en-US')} tickets had sla_check_at ≤ the pass's instant (the sweeper stopped for ${SWEEP_REQUESTS_BACKLOG_MINUTES / 60} working hours)`,
        },
        {
          what: 'the pass handled every due ticket',
          ok: pass.tickets >= due && leftDue === 0,
          detail: `${pass.tickets.toLocaleString('en-US')} processed in ${pass.batches} batches (one transaction each); ${leftDue} still due afterwards`,
        },
        {
          what: 'ticket pages were answered throughout the pass',
          ok: inPass.length >= 20 * Math.max(1, pass.ms / 1000),
          detail: `${inPass.length.toLocaleString('en-US')} GET /api/tickets/:number answered within the ${Math.round(pass.ms).toLocaleString('en-US')} ms pass by ${CLIENTS} clients`,
        },
        {
          what: `GET /api/tickets/:number p95 during the pass < ${target} ms`,
          ok: duringFigures.p95 < target,
          detail: `p50 ${duringFigures.p50.toFixed(1)} ms, p95 ${duringFigures.p95.toFixed(1)} ms, p99 ${duringFigures.p99.toFixed(1)} ms, max ${duringFigures.max.toFixed(1)} ms (idle before: p95 ${beforeFigures.p95.toFixed(1)} ms)`,
        },
        { what: 'no errors', ok: answered.errors.length + before.errors.length === 0, detail: `${answered.errors.length + before.errors.length} non-200 answers${answered.errors[0] ? ` (${answered.errors[0]})` : ''}` },
      ];
      return {
        name: 'sweep-requests',
        title: `Ticket pages during the sweeper's first pass after downtime (${due.toLocaleString('en-US')} due tickets)`,
        dataset,
        due,
        pass,
        loopDelayMs: pass.loopDelayMs,
        during: duringFigures,
        before: beforeFigures,
        clients: CLIENTS,
        backlogMinutes: SWEEP_REQUESTS_BACKLOG_MINUTES,
        cpuCheckMs: cpuCheck,
        checks,
        notes: [
          `p95 during the pass is ${(duringFigures.p95 / beforeFigures.p95).toFixed(2)}× the p95 of the same clients just before it without a pass; a CPU check far above a quiet machine's (about 30 ms) means other work shared the cores, which moves both lines alike`,
        ],
      };
    } finally {
      await server.stop().catch(() => undefined);
    }
  } finally {
    cleanup(dir, opts);
  }
}
