// The four measured scenarios. Each runs against a fresh temporary DATA_DIR and returns figures plus honest checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { ensureBaseData } from '../../src/server/seed/base.js';
import { benchTicketBody } from '../../src/server/seed/demo-content.js';
import { OPEN_STATUSES } from '../../src/shared/enums.js';
import { apiGet, apiPost, tokenFor } from './api.js';
import { generateDataset, type DatasetSummary } from './dataset.js';
import { runLoad, type LoadResult, type LoadSpec } from './load.js';
import { ftsWriteProbe, queueQueryProbe, searchQueryProbe, statementOverheadProbe, type ProbeLine } from './probes.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';
import { startServer, type RunningServer } from './servers.js';
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
  name: 'ceiling' | 'create' | 'queue' | 'search';
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

function dataDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aftercare-bench-${name}-`));
}

function cleanup(dir: string, opts: RunOptions) {
  if (opts.keep) opts.log(`  kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/** Warm-up (not measured), the measured window, then optionally a profiled window (reported apart: the profiler slows the server). */
async function measure(server: RunningServer, spec: Omit<LoadSpec, 'durationS'>, opts: RunOptions) {
  const runs: LoadResult[] = [];
  if (opts.warmupS > 0) runs.push(await runLoad({ ...spec, durationS: opts.warmupS }));
  const cpuCheck = cpuCheckMs();
  await server.measureStart(false);
  const cpuWatch = startCpuWatch();
  const load = await runLoad({ ...spec, durationS: opts.durationS });
  const cpu = cpuWatch();
  const { eventLoopUtilization } = await server.measureStop();
  runs.push(load);
  let profile: ProfileSummary | null = null;
  // Statements per request, counted in the profiled run only (counting costs a little, like the profiler).
  let statementsPerRequest: Record<string, number> | null = null;
  if (opts.profileS > 0) {
    await server.measureStart(true);
    const profiled = await runLoad({ ...spec, durationS: opts.profileS });
    runs.push(profiled);
    const m = await server.measureStop();
    if (m.profile) profile = summarizeProfile(m.profile, profiled.ok2xx);
    if (m.statements) statementsPerRequest = Object.fromEntries(Object.entries(m.statements).map(([k, n]) => [k, n / Math.max(1, profiled.ok2xx)]));
  }
  return { load, eventLoopUtilization, cpu, cpuCheckMs: cpuCheck, profile, runs, statementsPerRequest };
}

function bodies(start: number) {
  let i = start;
  return () => JSON.stringify(benchTicketBody(i++));
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// ---------------------------------------------------------------- 1. ceiling

export async function ceilingScenario(opts: RunOptions): Promise<ScenarioResult> {
  const dir = dataDir('ceiling');
  const server = await startServer({ kind: 'bare', dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: false });
  let stopped = false;
  try {
    const spec = { url: server.url, path: '/bare', method: 'POST' as const, connections: 50, headers: { 'content-type': 'application/json' }, body: bodies(0) };
    const m = await measure(server, spec, opts);
    await server.stop();
    stopped = true;
    const db = new BetterSqlite3(path.join(dir, 'bare.db'), { readonly: true });
    const rows = (db.prepare('SELECT count(*) AS n FROM bare_tickets').get() as { n: number }).n;
    db.close();
    return {
      name: 'ceiling',
      title: 'Ceiling: bare Fastify + one better-sqlite3 insert per request',
      connections: 50,
      request: 'POST /bare (benchTicketBody JSON)',
      load: m.load,
      eventLoopUtilization: m.eventLoopUtilization,
      cpu: m.cpu,
      cpuCheckMs: m.cpuCheckMs,
      profile: m.profile,
      checks: [{ what: 'rows written ≥ 2xx answered', ok: rows >= m.load.ok2xx, detail: `${fmt(rows)} rows (warm-up and profiled runs included) for ${fmt(m.load.ok2xx)} measured 2xx` }],
      probes: [],
      notes: [],
    };
  } finally {
    if (!stopped) await server.stop().catch(() => undefined);
    cleanup(dir, opts);
  }
}

// ---------------------------------------------------------------- 2. create

export async function createScenario(opts: RunOptions): Promise<ScenarioResult> {
  const dir = dataDir('create');
  const server = await startServer({ kind: 'app', dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: true });
  let stopped = false;
  try {
    const token = await tokenFor(server.url, 'admin', ADMIN_PASSWORD);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const spec = { url: server.url, path: '/api/tickets', method: 'POST' as const, connections: 50, headers, body: bodies(0) };
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
    db.close();
    const probes = await statementOverheadProbe(path.join(dir, 'aftercare.db'));

    const inFlight = rows - client2xx;
    const checks: Check[] = [
      {
        what: 'rows in tickets = creates the server answered 2xx',
        ok: rows === stats.ticketCreates2xx,
        detail: `${fmt(rows)} rows, ${fmt(stats.ticketCreates2xx)} answered 2xx by the server (after a clean shutdown that drains the write queue)`,
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
      {
        what: 'durable as shipped: the server wrote with synchronous=FULL in WAL mode',
        ok: stats.writer?.synchronous === 2 && stats.writer.journalMode === 'wal',
        detail: stats.writer ? `synchronous=${stats.writer.synchronous} (2 = FULL), journal_mode=${stats.writer.journalMode}, read from the server's writer connection` : 'not readable',
      },
    ];
    return {
      name: 'create',
      title: 'Ticket creation through the real app',
      connections: 50,
      request: 'POST /api/tickets (Bearer token, benchTicketBody(i))',
      load,
      eventLoopUtilization: m.eventLoopUtilization,
      cpu: m.cpu,
      cpuCheckMs: m.cpuCheckMs,
      profile: m.profile,
      checks,
      probes,
      createFacts: { perCreate: m.statementsPerRequest, ticketIndexes },
      notes: [`${fmt(rows)} tickets in the database at the end (every run started from an empty database)`],
    };
  } finally {
    if (!stopped) await server.stop().catch(() => undefined);
    cleanup(dir, opts);
  }
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
    const config = loadConfig({ DATA_DIR: dir, AFTERCARE_ADMIN_PASSWORD: ADMIN_PASSWORD, AFTERCARE_DEMO: '0', LOG_LEVEL: 'warn' });
    const db = openDatabase({ dataDir: dir });
    await migrate(db);
    await ensureBaseData(db, config);
    await db.close();
    opts.log(`  generating ${fmt(tickets)} tickets …`);
    const dataset = generateDataset(path.join(dir, 'aftercare.db'), { tickets, customers: Math.round(tickets / 5), days: 90, seed: 20261123, now: Date.now() }, [SEARCH_WORD]);
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
        const page = (await apiGet(server.url, token, pathQ)) as { items: { departmentId: number; status: string; createdAt: string }[]; nextCursor: string | null };
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
          checks: [
            {
              what: 'the page is the newest open tickets of the department',
              ok: page.items.length === 50 && sorted && right && page.nextCursor !== null,
              detail: `${page.items.length} items, newest first: ${sorted}, all open and in ${dept.code}: ${right}, next cursor present: ${page.nextCursor !== null}`,
            },
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
