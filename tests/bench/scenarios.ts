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
import { summarizeProfile, type ProfileSummary } from './profile.js';
import { startServer, type RunningServer } from './servers.js';

export const ADMIN_PASSWORD = 'bench-admin-2026';
const MANAGER_PASSWORD = 'bench-manager-2026';
export const SEARCH_WORD = '漏水';

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
  checks: Check[];
  profile: ProfileSummary | null;
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

/** Warm-up (not measured), the measured window, then optionally a profiled window. */
async function measure(server: RunningServer, spec: Omit<LoadSpec, 'durationS'>, opts: RunOptions) {
  if (opts.warmupS > 0) await runLoad({ ...spec, durationS: opts.warmupS });
  await server.measureStart(false);
  const load = await runLoad({ ...spec, durationS: opts.durationS });
  const { eventLoopUtilization } = await server.measureStop();
  let profile: ProfileSummary | null = null;
  let profiledLoad: LoadResult | null = null;
  if (opts.profileS > 0) {
    await server.measureStart(true);
    profiledLoad = await runLoad({ ...spec, durationS: opts.profileS });
    const m = await server.measureStop();
    if (m.profile) profile = summarizeProfile(m.profile);
  }
  return { load, eventLoopUtilization, profile, profiledLoad };
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
  try {
    const spec = { url: server.url, path: '/bare', method: 'POST' as const, connections: 50, headers: { 'content-type': 'application/json' }, body: bodies(0) };
    const m = await measure(server, spec, opts);
    await server.stop();
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
      profile: m.profile,
      checks: [{ what: 'rows written ≥ 2xx answered', ok: rows >= m.load.ok2xx, detail: `${fmt(rows)} rows (warm-up and profiled runs included) for ${fmt(m.load.ok2xx)} measured 2xx` }],
      notes: [],
    };
  } finally {
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
    // Every 2xx the client saw, over warm-up, measured and profiled runs.
    let client2xx = 0;
    let clientOther = 0;
    const counted = async (durationS: number) => {
      const r = await runLoad({ ...spec, durationS });
      client2xx += r.ok2xx;
      clientOther += r.non2xx + r.errors + r.timeouts;
      return r;
    };
    if (opts.warmupS > 0) await counted(opts.warmupS);
    await server.measureStart(false);
    const load = await counted(opts.durationS);
    const { eventLoopUtilization } = await server.measureStop();
    let profile: ProfileSummary | null = null;
    if (opts.profileS > 0) {
      await server.measureStart(true);
      await counted(opts.profileS);
      const p = await server.measureStop();
      if (p.profile) profile = summarizeProfile(p.profile);
    }

    // Searchable through the API right away: the newest tickets with the word, each really containing it.
    const found = (await apiGet(server.url, token, `/api/tickets?q=${encodeURIComponent(SEARCH_WORD)}&limit=200`)) as { items: { title: string; excerpt: string }[] };
    const allContain = found.items.every((t) => t.title.includes(SEARCH_WORD) || t.excerpt.includes(SEARCH_WORD));

    const stats = await server.stop();
    stopped = true;
    const db = new BetterSqlite3(path.join(dir, 'aftercare.db'), { readonly: true });
    const rows = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const events = (db.prepare("SELECT count(*) AS n FROM ticket_events WHERE kind = 'created'").get() as { n: number }).n;
    const withWord = (db.prepare("SELECT count(*) AS n FROM tickets WHERE instr(title, ?) > 0 OR instr(description, ?) > 0").get(SEARCH_WORD, SEARCH_WORD) as { n: number }).n;
    const indexed = (db.prepare('SELECT count(*) AS n FROM ticket_fts WHERE ticket_fts MATCH ?').get(`"${SEARCH_WORD}"`) as { n: number }).n;
    const fsync = db.pragma('synchronous', { simple: true });
    db.close();

    const inFlight = rows - client2xx;
    const checks: Check[] = [
      {
        what: 'rows in tickets = creates the server answered 2xx',
        ok: rows === stats.ticketCreates2xx,
        detail: `${fmt(rows)} rows, ${fmt(stats.ticketCreates2xx)} answered 2xx by the server (after a clean shutdown that drains the write queue)`,
      },
      {
        what: 'rows in tickets = 2xx the client received (+ requests cut off when the load stopped)',
        ok: inFlight >= 0 && inFlight <= spec.connections,
        detail: `${fmt(client2xx)} 2xx received by autocannon over all runs; ${inFlight} more rows were committed for requests in flight when autocannon closed its ${spec.connections} connections`,
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
    ];
    return {
      name: 'create',
      title: 'Ticket creation through the real app',
      connections: 50,
      request: 'POST /api/tickets (Bearer token, benchTicketBody(i))',
      load,
      eventLoopUtilization,
      profile,
      checks,
      notes: [`PRAGMA synchronous read back from the file's connection: ${fsync} (the server sets FULL = 2 on its own connection)`],
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
          profile: m.profile,
          checks: [
            {
              what: 'the page is the newest open tickets of the department',
              ok: page.items.length === 50 && sorted && right && page.nextCursor !== null,
              detail: `${page.items.length} items, newest first: ${sorted}, all open and in ${dept.code}: ${right}, next cursor present: ${page.nextCursor !== null}`,
            },
            { what: 'no errors', ok: m.load.non2xx + m.load.errors + m.load.timeouts === 0, detail: `${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts` },
          ],
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
          profile: m.profile,
          checks: [
            {
              what: `the page holds tickets containing "${SEARCH_WORD}"`,
              ok: page.items.length === Math.min(50, matching) && allContain,
              detail: `${page.items.length} items (default limit 50), every one containing the word: ${allContain}`,
            },
            { what: 'no errors', ok: m.load.non2xx + m.load.errors + m.load.timeouts === 0, detail: `${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts` },
          ],
          notes: [`"${SEARCH_WORD}" occurs in ${fmt(matching)} of ${fmt(tickets)} tickets (${((matching / tickets) * 100).toFixed(1)} %)`],
        };
      }
    } finally {
      await server.stop().catch(() => undefined);
    }
    return out;
  } finally {
    cleanup(dir, opts);
  }
}
