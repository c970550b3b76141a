// The four measured scenarios. Each runs against a fresh temporary DATA_DIR and returns figures plus honest checks.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { StatementCounter } from '../../src/server/threads.js';
import { ManualClock } from '../../src/server/context.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { ensureBaseData } from '../../src/server/seed/base.js';
import { slaInputOf } from '../../src/server/modules/sla/service.js';
import type { TicketRow } from '../../src/server/modules/tickets/repo.js';
import { benchTicketBody, createRng, DEMO_PRODUCTS } from '../../src/server/seed/demo-content.js';
import type { Services } from '../../src/server/services.js';
import { OPEN_STATUSES } from '../../src/shared/enums.js';
import { apiGet, apiPost, tokenFor } from './api.js';
import { generateDataset, seedStaff, type DatasetSummary } from './dataset.js';
import { runLoad, type LoadResult, type LoadSpec } from './load.js';
import { ftsWriteProbe, queueQueryProbe, searchQueryProbe, statementOverheadProbe, sweepQueryProbe, type ProbeLine } from './probes.js';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './profile.js';
import { startServer, type RunningServer } from './servers.js';
import { planTable, ticketHistory, workingTimeBefore } from './sla-history.js';
import { cpuCheckMs, startCpuWatch, type CpuUse } from './sysload.js';

export const ADMIN_PASSWORD = 'bench-admin-2026';
const MANAGER_PASSWORD = 'bench-manager-2026';
export const SEARCH_WORD = '漏水';
/** A word in a large share of tickets (air conditioners are the biggest product line), for the search probe. */
const COMMON_WORD = '空调';

export interface RunOptions {
  durationS: number;
  warmupS: number;
  /** Seconds of an extra, separately reported run under the CPU profiler (0 = none). */
  profileS: number;
  keep: boolean;
  log: (line: string) => void;
}

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  name: 'ceiling' | 'ceiling-gc' | 'create' | 'create-plain' | 'queue' | 'search' | 'kb-search' | 'dispatch-board' | 'free-slots';
  title: string;
  connections: number;
  request: string;
  load: LoadResult;
  /** Share of the measured window the server's event loop was busy (1 = the server thread was saturated). */
  eventLoopUtilization: number | null;
  /** CPU used during the measured window by this process and by the rest of the machine. */
  cpu: CpuUse | null;
  /** cpuCheckMs() just before the measured window. */
  cpuCheckMs: number;
  checks: Check[];
  profile: ProfileSummary | null;
  /**
   * Queue and search: the read workers that build the pages (src/server/readers). busy = their answering time over
   * the measured window (1 = one worker thread saturated); perCallMs = worker time per page; profile = one worker's.
   */
  readers?: { answered: number; busy: number; perCallMs: number; profile: ProfileSummary | null } | null;
  /**
   * Creation: the write worker that runs the creates (src/server/writers). busy = its event-loop utilisation over the
   * measured window (1 = its thread saturated); profile = its own, per create.
   */
  writer?: { busy: number; profile: ProfileSummary | null } | null;
  /** Focused measurements taken after the load (see probes.ts). */
  probes: ProbeLine[];
  /** Creation only: SQL statements per created ticket in the measured window, by kind, and the indexes on tickets. */
  createFacts?: { perCreate: Record<string, number> | null; ticketIndexes: number };
  notes: string[];
}

export interface QueueSearchContext {
  dataset: DatasetSummary;
  departmentCode: string;
}

/**
 * Config of the apps built in the benchmark's own thread (setup, policy look-ups, checks, the sweeper passes): they
 * answer no load, so they start no read workers; the measured server runs them as `npm start` does.
 */
export function setupConfig(dir: string) {
  return loadConfig({ DATA_DIR: dir, AFTERCARE_ADMIN_PASSWORD: ADMIN_PASSWORD, AFTERCARE_DEMO: '0', LOG_LEVEL: 'warn', AFTERCARE_READ_WORKERS: '0', AFTERCARE_WRITE_WORKER: '0' });
}

export function dataDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aftercare-bench-${name}-`));
}

export function cleanup(dir: string, opts: RunOptions) {
  if (opts.keep) opts.log(`  kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/** Warm-up (not measured), the measured window, then optionally a profiled window (reported apart: the profiler slows the server). */
export async function measure(server: RunningServer, spec: Omit<LoadSpec, 'durationS'>, opts: RunOptions) {
  const runs: LoadResult[] = [];
  if (opts.warmupS > 0) runs.push(await runLoad({ ...spec, durationS: opts.warmupS }));
  const cpuCheck = cpuCheckMs();
  await server.measureStart(false);
  const cpuWatch = startCpuWatch();
  const load = await runLoad({ ...spec, durationS: opts.durationS });
  const cpu = cpuWatch();
  const { eventLoopUtilization, readers: readerWindow, writer: writerWindow } = await server.measureStop();
  runs.push(load);
  let readers: ScenarioResult['readers'] = null;
  if (readerWindow && readerWindow.answered > 0) {
    readers = { answered: readerWindow.answered, busy: readerWindow.busyMs / readerWindow.windowMs, perCallMs: readerWindow.busyMs / readerWindow.answered, profile: null };
  }
  const writer: ScenarioResult['writer'] = writerWindow ? { busy: writerWindow.utilization, profile: null } : null;
  const writerConnection = writerWindow?.connection ?? null;
  let profile: ProfileSummary | null = null;
  // Statements per request, counted in the profiled run only (counting costs a little, like the profiler).
  let statementsPerRequest: Record<string, number> | null = null;
  if (opts.profileS > 0) {
    await server.measureStart(true);
    const profiled = await runLoad({ ...spec, durationS: opts.profileS });
    runs.push(profiled);
    const m = await server.measureStop();
    if (m.profile) profile = summarizeProfile(m.profile, profiled.ok2xx);
    if (readers && m.readers?.profile) readers.profile = summarizeProfile(m.readers.profile as never, m.readers.answered);
    if (writer && m.writer?.profile) writer.profile = summarizeProfile(m.writer.profile, profiled.ok2xx);
    // Both threads' statements: the write worker's creates and whatever the server thread ran beside them.
    const counted: Record<string, number> = { ...m.statements };
    for (const [k, n] of Object.entries(m.writer?.statements ?? {})) counted[k] = (counted[k] ?? 0) + n;
    if (m.statements || m.writer?.statements) statementsPerRequest = Object.fromEntries(Object.entries(counted).map(([k, n]) => [k, n / Math.max(1, profiled.ok2xx)]));
  }
  return { load, eventLoopUtilization, cpu, cpuCheckMs: cpuCheck, profile, runs, statementsPerRequest, readers, writer, writerConnection };
}

function bodies(start: number, body: (i: number) => object = benchTicketBody) {
  let i = start;
  return () => JSON.stringify(body(i++));
}

/**
 * Categories the routed create cycles through, one per default routing rule (seed/base.ts): product problems go to
 * technical support by least-loaded, service complaints to customer service and logistics problems to logistics by
 * round-robin; a consultation goes to customer service without an assignee (strategy none).
 */
export const ROUTED_CATEGORIES = ['product.functional_fault', 'product.hardware_damage', 'logistics.damaged', 'service.response_speed', 'other.consultation'] as const;

/** benchTicketBody with a category, so a routing rule picks the department and, by its strategy, the assignee. */
export function routedTicketBody(i: number) {
  return { ...benchTicketBody(i), category: ROUTED_CATEGORIES[Math.abs(Math.trunc(i)) % ROUTED_CATEGORIES.length] };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// ---------------------------------------------------------------- 1. ceiling

export async function ceilingScenario(opts: RunOptions, kind: 'bare' | 'bare-gc' = 'bare'): Promise<ScenarioResult> {
  const dir = dataDir(kind === 'bare' ? 'ceiling' : 'ceiling-gc');
  const server = await startServer({ kind, dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: false });
  let stopped = false;
  try {
    const spec = { url: server.url, path: '/bare', method: 'POST' as const, connections: 50, headers: { 'content-type': 'application/json' }, body: bodies(0) };
    const m = await measure(server, spec, opts);
    await server.stop();
    stopped = true;
    const db = new BetterSqlite3(path.join(dir, 'bare.db'), { readonly: true });
    const rows = (db.prepare('SELECT count(*) AS n FROM bare_tickets').get() as { n: number }).n;
    const indexed = (db.prepare('SELECT count(*) AS n FROM bare_fts_docsize').get() as { n: number }).n;
    db.close();
    const checks = [{ what: 'rows written ≥ 2xx answered', ok: rows >= m.load.ok2xx, detail: `${fmt(rows)} rows (warm-up and profiled runs included) for ${fmt(m.load.ok2xx)} measured 2xx` }];
    if (kind === 'bare-gc') checks.push({ what: 'every row has its search-index row', ok: indexed === rows, detail: `${fmt(indexed)} index rows for ${fmt(rows)} rows` });
    return {
      name: kind === 'bare' ? 'ceiling' : 'ceiling-gc',
      title:
        kind === 'bare'
          ? 'Ceiling: bare Fastify + one better-sqlite3 insert per request'
          : 'Reference: bare Fastify + group commit of the insert and its FTS5 index row (synchronous=FULL)',
      connections: 50,
      request: 'POST /bare (benchTicketBody JSON)',
      load: m.load,
      eventLoopUtilization: m.eventLoopUtilization,
      cpu: m.cpu,
      cpuCheckMs: m.cpuCheckMs,
      profile: m.profile,
      checks,
      probes: [],
      notes: [],
    };
  } finally {
    if (!stopped) await server.stop().catch(() => undefined);
    cleanup(dir, opts);
  }
}

// ---------------------------------------------------------------- 2. create

/**
 * `routed`: bodies with a category and staff in every department (six agents or engineers and a manager each, as in the
 * 100,000-ticket data), so routing assigns people and writes the assignee notification. `plain`: benchTicketBody as
 * the foundation measured it — no category, no routing rule applies, no staff.
 */
export async function createScenario(opts: RunOptions, variant: 'routed' | 'plain' = 'routed'): Promise<ScenarioResult> {
  const routed = variant === 'routed';
  const dir = dataDir(routed ? 'create' : 'create-plain');
  if (routed) {
    const config = setupConfig(dir);
    const db = openDatabase({ dataDir: dir });
    await migrate(db);
    await ensureBaseData(db, config);
    await db.close();
    const raw = new BetterSqlite3(path.join(dir, 'aftercare.db'));
    seedStaff(raw, Date.now());
    raw.close();
  }
  const server = await startServer({ kind: 'app', dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: true });
  let stopped = false;
  try {
    const token = await tokenFor(server.url, 'admin', ADMIN_PASSWORD);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const spec = { url: server.url, path: '/api/tickets', method: 'POST' as const, connections: 50, headers, body: bodies(0, routed ? routedTicketBody : benchTicketBody) };
    const m = await measure(server, spec, opts);
    // Every 2xx the client saw, over warm-up, measured and profiled runs.
    const client2xx = m.runs.reduce((a, r) => a + r.ok2xx, 0);
    const clientOther = m.runs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0);
    const load = m.load;

    // Searchable through the API right away: the newest tickets with the word, each really containing it.
    const found = (await apiGet(server.url, token, `/api/tickets?q=${encodeURIComponent(SEARCH_WORD)}&limit=200`)) as { items: { title: string; excerpt: string }[] };
    const allContain = found.items.every((t) => t.title.includes(SEARCH_WORD) || t.excerpt.includes(SEARCH_WORD));

    const stats = await server.stop();
    stopped = true;
    const db = new BetterSqlite3(path.join(dir, 'aftercare.db'), { readonly: true });
    const rows = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const events = (db.prepare("SELECT count(*) AS n FROM ticket_events WHERE kind = 'created'").get() as { n: number }).n;
    const withWord = (db.prepare("SELECT count(*) AS n FROM tickets WHERE instr(title, ?) > 0 OR instr(description, ?) > 0").get(SEARCH_WORD, SEARCH_WORD) as { n: number }).n;
    const ticketIndexes = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'").get() as { n: number }).n;
    const indexed = (db.prepare('SELECT count(*) AS n FROM ticket_fts WHERE ticket_fts MATCH ?').get(`"${SEARCH_WORD}"`) as { n: number }).n;
    const routing = routed ? routingFacts(db) : null;
    db.close();
    // Once is enough: the routed run's database (the plain one would give the same figures).
    const probes = routed ? await statementOverheadProbe(path.join(dir, 'aftercare.db')) : [];

    const inFlight = rows - client2xx;
    const checks: Check[] = [
      {
        what: 'rows in tickets = creates the server answered 2xx (+ those completed after their client left)',
        ok: rows === stats.ticketCreates2xx + stats.ticketCreatesCutOff2xx && stats.ticketCreatesCutOff2xx <= spec.connections * m.runs.length,
        detail: `${fmt(rows)} rows, ${fmt(stats.ticketCreates2xx)} answered 2xx by the server, ${stats.ticketCreatesCutOff2xx} completed with 2xx after autocannon had closed their connection at the end of a run (at most ${spec.connections * m.runs.length}); counted after a clean shutdown that drains the write queue`,
      },
      {
        what: 'rows in tickets = 2xx the client received (+ requests cut off when the load stopped)',
        ok: inFlight >= 0 && inFlight <= spec.connections * m.runs.length,
        detail: `${fmt(client2xx)} 2xx received by autocannon over its ${m.runs.length} runs (warm-up, measured${m.runs.length > 2 ? ', profiled' : ''}); ${inFlight} more rows were committed for requests still in flight when a run ended and autocannon closed its ${spec.connections} connections (at most ${spec.connections * m.runs.length})`,
      },
      { what: 'one "created" event per ticket', ok: events === rows, detail: `${fmt(events)} events` },
      {
        what: `search index complete for "${SEARCH_WORD}"`,
        ok: indexed === withWord && withWord > 0,
        detail: `FTS5 finds ${fmt(indexed)} tickets, ${fmt(withWord)} tickets contain the word in title or description`,
      },
      {
        what: `GET /api/tickets?q=${SEARCH_WORD} finds them`,
        ok: found.items.length > 0 && allContain,
        detail: `${found.items.length} items on the first page (limit 200), every one containing "${SEARCH_WORD}": ${allContain}`,
      },
      { what: 'no errors', ok: clientOther === 0, detail: `${fmt(clientOther)} non-2xx, socket errors or timeouts over all runs` },
      ...(routing?.checks ?? []),
      {
        what: 'durable as shipped: the server wrote with synchronous=FULL in WAL mode',
        ok: stats.writer?.synchronous === 2 && stats.writer.journalMode === 'wal',
        detail: stats.writer ? `synchronous=${stats.writer.synchronous} (2 = FULL), journal_mode=${stats.writer.journalMode}, read from the server's writer connection` : 'not readable',
      },
      ...(m.writer
        ? [
            {
              what: 'durable as shipped: the write worker, which ran the creates, wrote with synchronous=FULL in WAL mode',
              ok: m.writerConnection?.synchronous === 2 && m.writerConnection.journalMode === 'wal',
              detail: m.writerConnection ? `synchronous=${m.writerConnection.synchronous}, journal_mode=${m.writerConnection.journalMode}, read from the worker's connection` : 'not readable',
            },
          ]
        : []),
    ];
    return {
      name: routed ? 'create' : 'create-plain',
      title: routed ? 'Ticket creation with deadlines and routing' : 'Ticket creation without a category (no routing rule applies)',
      connections: 50,
      request: routed ? `POST /api/tickets (Bearer token, benchTicketBody(i) + category, ${ROUTED_CATEGORIES.length} in turn)` : 'POST /api/tickets (Bearer token, benchTicketBody(i))',
      load,
      eventLoopUtilization: m.eventLoopUtilization,
      cpu: m.cpu,
      cpuCheckMs: m.cpuCheckMs,
      profile: m.profile,
      writer: m.writer,
      checks,
      probes,
      createFacts: { perCreate: m.statementsPerRequest, ticketIndexes },
      notes: [`${fmt(rows)} tickets in the database at the end (every run started from an empty database)`, ...(routing?.notes ?? [])],
    };
  } finally {
    if (!stopped) await server.stop().catch(() => undefined);
    cleanup(dir, opts);
  }
}

/** What routing did in the routed create run: who got which tickets, the notifications and workload counters. */
function routingFacts(db: BetterSqlite3.Database): { checks: Check[]; notes: string[] } {
  const one = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
  const rows = one('SELECT count(*) AS n FROM tickets');
  const byCategory = db
    .prepare(
      `SELECT tickets.category, departments.code AS dept, count(*) AS n, count(tickets.assignee_id) AS assigned, count(DISTINCT tickets.assignee_id) AS people
       FROM tickets LEFT JOIN departments ON departments.id = tickets.department_id GROUP BY 1, 2 ORDER BY 1`,
    )
    .all() as { category: string | null; dept: string | null; n: number; assigned: number; people: number }[];
  const perPerson = db
    .prepare(
      `SELECT departments.code AS dept, min(n) AS lo, max(n) AS hi, count(*) AS people FROM
         (SELECT department_id, assignee_id, count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1, 2) JOIN departments ON departments.id = department_id GROUP BY 1 ORDER BY 1`,
    )
    .all() as { dept: string; lo: number; hi: number; people: number }[];
  const assigned = one('SELECT count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL');
  const routedEvents = one("SELECT count(*) AS n FROM ticket_events WHERE kind = 'routed'");
  const notified = one("SELECT count(*) AS n FROM notifications WHERE kind = 'assigned'");
  // TicketsService.stakeholders: the assignee and the department's manager (no supervisors here); the creator (admin) is left out.
  const expectedNotified = one(
    `SELECT count(*) + count(departments.manager_id) AS n FROM tickets JOIN departments ON departments.id = tickets.department_id WHERE tickets.assignee_id IS NOT NULL`,
  );
  const load = one('SELECT coalesce(sum(open_assigned), 0) AS n FROM user_load');
  const withClocks = one('SELECT count(*) AS n FROM tickets WHERE sla_policy_id IS NOT NULL AND sla_check_at IS NOT NULL');
  const unassignedConsultations = byCategory.filter((c) => c.category === 'other.consultation').every((c) => c.assigned === 0 && c.dept === 'customer_service');
  const assigningRouted = byCategory.filter((c) => c.category !== 'other.consultation').every((c) => c.assigned === c.n && c.dept !== null);
  return {
    checks: [
      {
        what: 'every ticket routed by its category',
        ok: routedEvents === rows && assigningRouted && unassignedConsultations,
        detail: `${fmt(routedEvents)} "routed" events for ${fmt(rows)} tickets; ${byCategory.map((c) => `${c.category} → ${c.dept}: ${fmt(c.n)} (${fmt(c.assigned)} assigned to ${c.people} people)`).join(', ')}`,
      },
      {
        what: 'work spread evenly (least-loaded, round-robin)',
        ok: perPerson.every((d) => d.hi - d.lo <= 1 + Math.ceil(0.002 * d.hi)),
        detail: perPerson.map((d) => `${d.dept}: ${fmt(d.lo)}–${fmt(d.hi)} tickets each over ${d.people} people`).join(', '),
      },
      {
        what: 'assignee notification written, workload counters kept',
        ok: notified === expectedNotified && load === assigned,
        detail: `${fmt(notified)} "assigned" notifications (assignee + department manager for each of ${fmt(assigned)} assigned tickets: ${fmt(expectedNotified)}); user_load sums to ${fmt(load)}`,
      },
      { what: 'every ticket has its SLA policy and next sweeper check', ok: withClocks === rows, detail: `${fmt(withClocks)} of ${fmt(rows)}` },
    ],
    notes: [],
  };
}

// ---------------------------------------------------------------- 3 + 4. queue and search at 100,000 tickets

export interface BigDataResults {
  dataset: DatasetSummary;
  queue?: ScenarioResult;
  search?: ScenarioResult;
}

export async function bigDataScenarios(opts: RunOptions, which: { queue: boolean; search: boolean }, tickets = 100_000): Promise<BigDataResults> {
  const dir = dataDir('100k');
  try {
    // Schema and base data by the app's own code, then the bulk rows.
    const config = setupConfig(dir);
    const db = openDatabase({ dataDir: dir });
    await migrate(db);
    await ensureBaseData(db, config);
    // Real tickets carry their clocks, and the list shows them: each ticket's SLA state as the app's own code leaves it.
    const planner = await buildApp({ config, db, logger: false, serveWeb: false });
    const planOf = await planTable(planner.services.sla, DEMO_PRODUCTS.map((p) => p.model));
    await planner.app.close();
    await db.close();
    const now = Date.now();
    opts.log(`  generating ${fmt(tickets)} tickets with their clocks …`);
    const dataset = generateDataset(
      path.join(dir, 'aftercare.db'),
      {
        tickets,
        customers: Math.round(tickets / 5),
        days: 90,
        seed: 20261123,
        now,
        clocks: (staff) => {
          const people = { managers: staff.managers, directors: staff.directors, userName: (id: number) => staff.names.get(id) ?? `#${id}` };
          const rng = createRng(20261126);
          // An ended ticket's life stops when it was closed; the sweeper's notifications are left out (no list reads them).
          return (t) => {
            const end = t.closedAt ?? now;
            return { ...ticketHistory(t, planOf(t), people, end, end, rng, false), notifications: [] };
          };
        },
      },
      [SEARCH_WORD],
    );
    opts.log(`  generated in ${(dataset.elapsedMs / 1000).toFixed(1)} s (${(dataset.fileBytes / 1024 ** 2).toFixed(0)} MiB, ${fmt(dataset.open)} open)`);

    const server = await startServer({ kind: 'app', dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: false });
    const out: BigDataResults = { dataset };
    let queueProbe: (() => ProbeLine[]) | null = null;
    try {
      const adminToken = await tokenFor(server.url, 'admin', ADMIN_PASSWORD);
      if (which.queue) {
        const dept = [...dataset.byDepartment].sort((a, b) => b.open - a.open)[0];
        await apiPost(server.url, adminToken, '/api/users', {
          username: 'bench_manager',
          displayName: '基准测试经理',
          password: MANAGER_PASSWORD,
          role: 'manager',
          departmentId: dept.id,
        });
        const token = await tokenFor(server.url, 'bench_manager', MANAGER_PASSWORD);
        const manager = (await apiGet(server.url, token, '/api/me')) as { user: { id: number } };
        queueProbe = () =>
          queueQueryProbe(path.join(dir, 'aftercare.db'), { id: manager.user.id, username: 'bench_manager', name: '基准测试经理', role: 'manager', departmentId: dept.id, customerId: null }, dept.id);
        const pathQ = `/api/tickets?departmentId=${dept.id}&open=true&sort=created_desc&limit=50`;
        const page = (await apiGet(server.url, token, pathQ)) as { items: { departmentId: number; status: string; createdAt: string; sla: { clocks: unknown[] } | null }[]; nextCursor: string | null };
        const withClocks = page.items.filter((t) => (t.sla?.clocks.length ?? 0) > 0).length;
        const sorted = page.items.every((t, i) => i === 0 || page.items[i - 1].createdAt >= t.createdAt);
        const right = page.items.every((t) => t.departmentId === dept.id && (OPEN_STATUSES as readonly string[]).includes(t.status));
        const m = await measure(server, { url: server.url, path: pathQ, method: 'GET', connections: 10, headers: { authorization: `Bearer ${token}` } }, opts);
        out.queue = {
          name: 'queue',
          title: `Queue at ${fmt(tickets)} tickets`,
          connections: 10,
          request: `GET ${pathQ} as a manager of ${dept.code}`,
          load: m.load,
          eventLoopUtilization: m.eventLoopUtilization,
          cpu: m.cpu,
          cpuCheckMs: m.cpuCheckMs,
          profile: m.profile,
          readers: m.readers,
          checks: [
            {
              what: 'the page is the newest open tickets of the department',
              ok: page.items.length === 50 && sorted && right && page.nextCursor !== null,
              detail: `${page.items.length} items, newest first: ${sorted}, all open and in ${dept.code}: ${right}, next cursor present: ${page.nextCursor !== null}`,
            },
            { what: 'the page shows SLA clocks, as real tickets have', ok: withClocks > 0, detail: `${withClocks} of ${page.items.length} items with clocks` },
            { what: 'no errors', ok: m.load.non2xx + m.load.errors + m.load.timeouts === 0, detail: `${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts` },
          ],
          probes: [],
          notes: [`${dept.code}: ${fmt(dept.tickets)} tickets, ${fmt(dept.open)} open`],
        };
      }
      if (which.search) {
        const pathS = `/api/tickets?q=${encodeURIComponent(SEARCH_WORD)}`;
        const page = (await apiGet(server.url, adminToken, pathS)) as { items: { title: string; excerpt: string }[] };
        const allContain = page.items.every((t) => t.title.includes(SEARCH_WORD) || t.excerpt.includes(SEARCH_WORD));
        const m = await measure(server, { url: server.url, path: pathS, method: 'GET', connections: 10, headers: { authorization: `Bearer ${adminToken}` } }, opts);
        const matching = dataset.wordCounts[SEARCH_WORD];
        out.search = {
          name: 'search',
          title: `Search at ${fmt(tickets)} tickets`,
          connections: 10,
          request: `GET /api/tickets?q=${SEARCH_WORD} (URL-encoded) as admin`,
          load: m.load,
          eventLoopUtilization: m.eventLoopUtilization,
          cpu: m.cpu,
          cpuCheckMs: m.cpuCheckMs,
          profile: m.profile,
          readers: m.readers,
          checks: [
            {
              what: `the page holds tickets containing "${SEARCH_WORD}"`,
              ok: page.items.length === Math.min(50, matching) && allContain,
              detail: `${page.items.length} items (default limit 50), every one containing the word: ${allContain}`,
            },
            { what: 'no errors', ok: m.load.non2xx + m.load.errors + m.load.timeouts === 0, detail: `${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts` },
          ],
          probes: [],
          notes: [`"${SEARCH_WORD}" occurs in ${fmt(matching)} of ${fmt(tickets)} tickets (${((matching / tickets) * 100).toFixed(1)} %)`],
        };
      }
    } finally {
      await server.stop().catch(() => undefined);
    }
    const file = path.join(dir, 'aftercare.db');
    if (out.queue && queueProbe) out.queue.probes.push(...queueProbe());
    const target = out.search ?? out.queue;
    if (target) target.probes.push(...ftsWriteProbe(file), ...(out.search ? searchQueryProbe(file, [SEARCH_WORD, COMMON_WORD]) : []));
    return out;
  } finally {
    cleanup(dir, opts);
  }
}

// ---------------------------------------------------------------- 5. sweep at 100,000 open tickets

/** Working time before the first pass whose due work was left to it (as if the sweeper had been stopped that long). */
export const SWEEP_BACKLOG_MINUTES = 60;
const STEADY_PASSES = 20;

export interface SweepPass {
  ms: number;
  tickets: number;
  actions: number;
  delivered: number;
}

export interface SweepScenarioResult {
  name: 'sweep';
  title: string;
  dataset: DatasetSummary;
  /** Open tickets with a next sweeper check (sla_check_at set). */
  scheduled: number;
  /** The first pass: everything that came due in the last SWEEP_BACKLOG_MINUTES of working time. */
  first: SweepPass & { due: number; warnings: number; breaches: number; escalations: number; followUps: number; notifications: number; outbox: number; backlogFrom: number; at: number };
  /** The same instant once more: nothing may fire twice. */
  again: SweepPass;
  /** Further passes until the outbox is delivered (50 messages a pass). */
  drain: { passes: number; delivered: number; ms: number };
  /** Passes with nothing due, after the first pass and the drain. */
  steady: SweepPass[];
  /** Passes with nothing due before the first pass (cold: the app just built). */
  cold: SweepPass[];
  /** Passes with nothing due that run the sweeper's hourly calendar-coverage check (the first pass ran it too). */
  hourly: SweepPass[];
  cpuCheckMs: number;
  cpu: CpuUse | null;
  /** The first pass repeated on a copy of the data under the CPU profiler, per due ticket. */
  profile: ProfileSummary | null;
  /** SQL statements per due ticket in that profiled pass, by first keyword (EXEC = BEGIN/COMMIT …). */
  statementsPerTicket: Record<string, number> | null;
  checks: Check[];
  probes: ProbeLine[];
  notes: string[];
}

/** Counts the statements run on better-sqlite3 connections during `fn`, by kind, and unwraps them again afterwards. */
async function countingStatements<T>(writer: BetterSqlite3.Database, fn: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }> {
  const counter = new StatementCounter();
  counter.start(writer);
  try {
    const result = await fn();
    return { result, counts: counter.stop() ?? {} };
  } finally {
    counter.uninstall();
  }
}

/** A no-op mail sender: e-mail outbox rows are written and delivered, without the SMTP round trip. */
const NO_MAIL = { sendMail: async () => undefined };

async function sweepApp(dir: string, at: number) {
  const config = setupConfig(dir);
  const db = openDatabase({ dataDir: dir });
  const clock = new ManualClock(at);
  const built = await buildApp({ config, db, clock, logger: false, serveWeb: false });
  built.services.notify.setTransport(NO_MAIL);
  const pass = async (now: number): Promise<SweepPass> => {
    clock.set(now);
    const t = performance.now();
    const r = await built.sweeper.runOnce(now);
    return { ms: performance.now() - t, tickets: r.tickets, actions: r.actions, delivered: r.delivered };
  };
  return {
    ...built,
    db,
    clock,
    pass,
    close: async () => {
      await built.app.close();
      await db.close();
    },
  };
}

export async function sweepScenario(opts: RunOptions, tickets = 100_000): Promise<SweepScenarioResult> {
  const dir = dataDir('sweep');
  let profileDir: string | null = null;
  try {
    const file = path.join(dir, 'aftercare.db');
    const config = setupConfig(dir);
    const db = openDatabase({ dataDir: dir });
    await migrate(db);
    await ensureBaseData(db, config);
    // The app's own policy choice for every combination the generator produces (SlaService.planFor, as create calls it).
    const planner = await buildApp({ config, db, logger: false, serveWeb: false });
    const planOf = await planTable(planner.services.sla, DEMO_PRODUCTS.map((p) => p.model));
    await planner.app.close();
    await db.close();

    const now = Date.now();
    const calendar = planOf({ priority: 'P3', customerTier: 'normal', productModel: null, serviceType: null })?.calendar;
    if (!calendar) throw new Error('no SLA policy for P3 tickets: the default policies are missing');
    const sweptUntil = workingTimeBefore(calendar, now, SWEEP_BACKLOG_MINUTES * 60_000);
    opts.log(`  generating ${fmt(tickets)} open tickets with their clocks and 30 days of sweeper history …`);
    const dataset = generateDataset(
      file,
      {
        tickets,
        customers: Math.round(tickets / 5),
        days: 30,
        seed: 20261124,
        now,
        openShare: 1,
        searchIndex: false,
        clocks: (staff) => {
          const people = { managers: staff.managers, directors: staff.directors, userName: (id: number) => staff.names.get(id) ?? `#${id}` };
          const rng = createRng(20261125);
          return (t) => ticketHistory(t, planOf(t), people, now, sweptUntil, rng, false);
        },
      },
      [],
    );
    opts.log(
      `  generated in ${(dataset.elapsedMs / 1000).toFixed(1)} s (${(dataset.fileBytes / 1024 ** 2).toFixed(0)} MiB, ${fmt(dataset.notifications)} notifications of earlier passes)`,
    );
    if (opts.profileS > 0) {
      profileDir = dataDir('sweep-profiled');
      fs.copyFileSync(file, path.join(profileDir, 'aftercare.db'));
    }

    const raw = new BetterSqlite3(file, { readonly: true });
    const count = (sql: string, ...params: unknown[]) => (raw.prepare(sql).get(...params) as { n: number }).n;
    const scheduled = count('SELECT count(*) AS n FROM tickets WHERE sla_check_at IS NOT NULL');
    const dueAtStart = count('SELECT count(*) AS n FROM tickets WHERE sla_check_at <= ?', sweptUntil);
    const due = count('SELECT count(*) AS n FROM tickets WHERE sla_check_at <= ?', now);
    const maxId = (table: string) => count(`SELECT coalesce(max(id), 0) AS n FROM ${table}`);
    const before: Record<string, number> = {};

    const app = await sweepApp(dir, sweptUntil);
    const exact = await storedClocksCheck(raw, app.services, 500);
    let first: SweepPass, again: SweepPass;
    const cold: SweepPass[] = [];
    const steady: SweepPass[] = [];
    const hourly: SweepPass[] = [];
    const drain = { passes: 0, delivered: 0, ms: 0 };
    let cpuCheck: number;
    let cpu: CpuUse | null;
    try {
      // Up to the instant the simulated sweeper stopped, everything has fired: nothing is due.
      for (let i = 0; i < 5; i++) cold.push(await app.pass(sweptUntil));
      for (const table of ['ticket_events', 'notifications', 'outbox']) before[table] = maxId(table);
      cpuCheck = cpuCheckMs();
      const cpuWatch = startCpuWatch();
      first = await app.pass(now);
      again = await app.pass(now);
      // Until the outbox is empty (50 a pass; how many fired depends on the hour the benchmark runs), with a bound.
      const maxDrainPasses = 10 + Math.ceil((again.delivered + first.delivered + 50 * first.tickets * 4) / 50);
      for (let d = again.delivered; d > 0 && drain.passes < maxDrainPasses; ) {
        const p = await app.pass(now);
        drain.passes++;
        drain.delivered += p.delivered;
        drain.ms += p.ms;
        d = p.delivered + p.tickets;
      }
      for (let i = 0; i < STEADY_PASSES; i++) steady.push(await app.pass(now));
      // The coverage check runs when an hour has passed since the last one or the clock went back: a millisecond
      // before the first pass, everything is done and only the check runs.
      for (let i = 1; i <= 3; i++) hourly.push(await app.pass(now - i));
      cpu = cpuWatch();
    } finally {
      await app.close();
    }

    const since = (table: string, where = '') => count(`SELECT count(*) AS n FROM ${table} WHERE id > ?${where}`, before[table]);
    const firstWrites = {
      warnings: since('ticket_events', " AND kind = 'sla_warning'"),
      breaches: since('ticket_events', " AND kind = 'sla_breach'"),
      escalations: since('ticket_events', " AND kind = 'escalated'"),
      followUps: since('notifications', " AND kind = 'follow_up_due'"),
      notifications: since('notifications'),
      outbox: since('outbox'),
    };
    const duplicateEvents = count(
      `SELECT count(*) AS n FROM (SELECT ticket_id, kind, json_extract(data, '$.details.clock') AS clock, json_extract(data, '$.details.dueAt') AS due, count(*) AS c
       FROM ticket_events WHERE id > ? AND kind IN ('sla_warning', 'sla_breach') GROUP BY 1, 2, 3, 4 HAVING c > 1)`,
      before.ticket_events,
    );
    const leftDue = count('SELECT count(*) AS n FROM tickets WHERE sla_check_at <= ?', now);
    const pendingOutbox = count('SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL');
    raw.close();
    const probes = sweepQueryProbe(file, now);
    const usesIndex = probes.find((p) => p.what.startsWith('due-ticket query'))?.note?.includes('tickets_sla_check') ?? false;

    let profile: ProfileSummary | null = null;
    let statementsPerTicket: Record<string, number> | null = null;
    if (profileDir) {
      const profiled = await sweepApp(profileDir, now);
      try {
        const session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        const { result: p, counts } = await countingStatements(profiled.db.sqlite!.writer, () => profiled.pass(now));
        const r = await session.post('Profiler.stop');
        session.disconnect();
        profile = summarizeProfile(r.profile as unknown as CpuProfile, p.tickets);
        statementsPerTicket = Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / Math.max(1, p.tickets)]));
      } finally {
        await profiled.close();
      }
    }

    const med = median(steady.map((p) => p.ms));
    const checks: Check[] = [
      {
        what: 'stored clock columns are what the app computes',
        ok: exact.ok,
        detail: `${exact.detail}`,
      },
      {
        what: 'nothing due before the backlog window',
        ok: dueAtStart === 0 && cold.every((p) => p.tickets === 0),
        detail: `${fmt(dueAtStart)} tickets with sla_check_at ≤ the start of the window; the ${cold.length} passes there found ${cold.map((p) => p.tickets).join(', ')}`,
      },
      {
        what: 'the first pass handled every due ticket',
        ok: first.tickets === due && leftDue === 0,
        detail: `${fmt(due)} tickets due, ${fmt(first.tickets)} processed; ${fmt(leftDue)} still due afterwards`,
      },
      {
        what: 'each warning, breach and escalation fires once',
        ok: again.tickets === 0 && again.actions === 0 && duplicateEvents === 0,
        detail: `a second pass at the same instant processed ${again.tickets} tickets with ${again.actions} actions; ${duplicateEvents} duplicated (ticket, clock, deadline) timeline entries`,
      },
      {
        what: 'the outbox is delivered',
        ok: pendingOutbox === 0 && first.delivered + again.delivered + drain.delivered === firstWrites.outbox,
        detail: `${fmt(firstWrites.outbox)} messages written, ${fmt(first.delivered + again.delivered + drain.delivered)} delivered over ${2 + drain.passes} passes (50 a pass), ${fmt(pendingOutbox)} pending`,
      },
      {
        what: 'the due-ticket query uses the partial index tickets_sla_check',
        ok: usesIndex,
        detail: probes.find((p) => p.what.startsWith('due-ticket query'))?.note ?? 'no plan',
      },
      {
        what: 'steady-state passes do nothing',
        ok: [...steady, ...hourly].every((p) => p.tickets === 0 && p.delivered === 0),
        detail: `${steady.length} passes, median ${ms(med)} ms; ${hourly.length} more with the hourly calendar-coverage check, median ${ms(median(hourly.map((p) => p.ms)))} ms`,
      },
    ];
    return {
      name: 'sweep',
      title: `Sweeper at ${fmt(tickets)} open tickets`,
      dataset,
      scheduled,
      first: { ...first, ...firstWrites, due, backlogFrom: sweptUntil, at: now },
      again,
      drain,
      steady,
      cold,
      hourly,
      cpuCheckMs: cpuCheck,
      cpu,
      profile,
      statementsPerTicket,
      checks,
      probes,
      notes: [],
    };
  } finally {
    cleanup(dir, opts);
    if (profileDir) cleanup(profileDir, opts);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

/** A sample of tickets: the stored policy and clock columns equal what SlaService computes from the stored state. */
async function storedClocksCheck(raw: BetterSqlite3.Database, services: Services, n: number): Promise<{ ok: boolean; detail: string }> {
  const rows = raw
    .prepare('SELECT tickets.*, customers.tier AS c_tier FROM tickets JOIN customers ON customers.id = tickets.customer_id WHERE tickets.id % ? = 0 LIMIT ?')
    .all(Math.max(1, Math.floor((raw.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n / n)), n) as (TicketRow & { c_tier: string })[];
  const columns = ['sla_policy_id', 'first_response_due_at', 'start_handling_due_at', 'first_solution_due_at', 'resolve_due_at', 'next_update_due_at', 'follow_up_due_at', 'sla_warn_at', 'sla_uncovered_years', 'next_due_at', 'sla_check_at'] as const;
  let wrong = 0;
  let example = '';
  for (const row of rows) {
    const plan = await services.sla.planFor({ priority: row.priority, customerTier: row.c_tier, productModel: row.product_model, serviceType: row.service_type });
    const expected = services.sla.columns(plan, slaInputOf(row));
    const bad = columns.filter((c) => expected[c] !== row[c]);
    if (bad.length) {
      wrong++;
      example ||= `ticket ${row.id}: ${bad.map((c) => `${c} stored ${String(row[c])}, expected ${String(expected[c])}`).join('; ')}`;
    }
  }
  return { ok: wrong === 0 && rows.length > 0, detail: `${rows.length} tickets recomputed with SlaService.planFor + columns: ${wrong} differ${example ? ` (${example})` : ''}` };
}
