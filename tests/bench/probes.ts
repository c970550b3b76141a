// Small, focused measurements behind the analysis in docs/benchmarks.md: what one statement costs through Kysely's
// builder versus a prepared statement, what one search-index write costs with and without a savepoint around it, what
// the queue and search pages cost as shipped versus the earlier SQL, and the sweeper's due-ticket query with and without
// its index. Writes run inside a rolled-back transaction.
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import type { DB } from '../../src/server/db/schema.js';
import type { Actor } from '../../src/server/domain/access.js';
import { ftsIndexTokens, ftsMatchExpression, joinTokens, queryTokens } from '../../src/server/domain/search.js';
import { selectTicketWithCustomer, ticketListSql, visibleTo } from '../../src/server/modules/tickets/repo.js';
import { benchTicketBody } from '../../src/server/seed/demo-content.js';

export interface ProbeLine {
  what: string;
  value: number;
  unit: 'µs' | 'ms';
  note?: string;
}

async function timeAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i); // warm the JIT and the statement cache
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - t) * 1000) / n;
}

function timeSync(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(200, n); i++) fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - t) * 1000) / n;
}

/** Kysely's SqliteDialect over a plain handle, caching prepared statements by SQL text as db/connect.ts does. */
function kyselyOver(db: BetterSqlite3.Database): Kysely<DB> {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return new Kysely<DB>({
    dialect: new SqliteDialect({
      database: {
        close: () => db.close(),
        prepare: (s: string) => {
          let st = cache.get(s);
          if (!st) cache.set(s, (st = db.prepare(s)));
          return st;
        },
      },
    }),
  });
}

/** Per-statement cost on the create path: the same ticket insert and the same read three ways. */
export async function statementOverheadProbe(file: string): Promise<ProbeLine[]> {
  const db = new BetterSqlite3(file);
  db.pragma('synchronous = OFF');
  const k = kyselyOver(db);
  const now = Date.now();
  db.exec('BEGIN');
  const customer = {
    id: Number(
      db
        .prepare("INSERT INTO customers (kind, name, phone, phone_digits, tier, special_needs, created_at, updated_at, version) VALUES ('person', '探针客户', '17000000000', '17000000000', 'normal', 0, ?, ?, 1)")
        .run(now, now).lastInsertRowid,
    ),
  };
  const ticket = (i: number) => {
    const b = benchTicketBody(1_000_000 + i);
    return {
      number: `PROBE${i}`, title: b.title, description: b.description, status: 'new', is_open: 1, priority: b.priority ?? 'P3', channel: 'phone',
      reported_at: now, created_at: now, updated_at: now, closed_at: null, customer_id: customer.id, unit_id: null,
      product_model: b.productModel ?? null, serial_number: b.serialNumber ?? null, purchase_date: null, occurred_at: null,
      occurred_place: null, situation: null, demand: null, first_judgement: null, category: null, service_type: null,
      fault_class: null, department_id: null, assignee_id: null, created_by: null, version: 1,
    };
  };
  const N = 3000;
  let seq = 0;
  try {
    const built = await timeAsync(N, () => k.insertInto('tickets').values(ticket(seq++)).returning('id').executeTakeFirstOrThrow());
    const compiled = k.insertInto('tickets').values(ticket(0)).returning('id').compile();
    const precompiled = await timeAsync(N, () => {
      const v = ticket(seq++);
      return k.executeQuery(CompiledQuery.raw(compiled.sql, Object.values(v)));
    });
    const stmt = db.prepare(compiled.sql);
    const prepared = timeSync(N, () => stmt.get(...Object.values(ticket(seq++))));
    const readBuilt = await timeAsync(N, (i) => selectTicketWithCustomer(k).where('tickets.number', '=', `PROBE${i}`).executeTakeFirst());
    const readSql = selectTicketWithCustomer(k).where('tickets.number', '=', 'x').compile().sql;
    const readStmt = db.prepare(readSql);
    const readPrepared = timeSync(N, (i) => readStmt.get(`PROBE${i}`));
    return [
      { what: 'ticket INSERT … RETURNING id via the Kysely builder (as statements not on db/fast.ts are built)', value: built, unit: 'µs' },
      { what: 'the same INSERT via Kysely with the SQL compiled once (CompiledQuery.raw)', value: precompiled, unit: 'µs' },
      { what: 'the same INSERT as a better-sqlite3 prepared statement (as TicketsService.create runs it: db/fast.ts)', value: prepared, unit: 'µs' },
      { what: 'ticket + customer SELECT by number via the Kysely builder', value: readBuilt, unit: 'µs' },
      { what: 'the same SELECT as a prepared statement', value: readPrepared, unit: 'µs' },
    ];
  } finally {
    db.exec('ROLLBACK');
    await k.destroy();
  }
}

/** One search-index row written inside its own savepoint (as group commit does per request) versus without, in batches of 50. */
export function ftsWriteProbe(file: string, docs = 2000): ProbeLine[] {
  const db = new BetterSqlite3(file);
  db.pragma('synchronous = OFF');
  const existing = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  const insert = db.prepare('INSERT INTO ticket_fts (rowid, tokens) VALUES (?, ?)');
  const texts = Array.from({ length: docs }, (_, i) => {
    const b = benchTicketBody(2_000_000 + i);
    return joinTokens(ftsIndexTokens(`PROBE${i}`, b.title, b.description, b.productModel, b.serialNumber, b.customer?.name));
  });
  const run = (savepoints: boolean, base: number) => {
    db.exec('BEGIN');
    try {
      const t = performance.now();
      for (let i = 0; i < docs; i++) {
        if (i > 0 && i % 50 === 0) db.exec('RELEASE batch; SAVEPOINT batch');
        if (i === 0) db.exec('SAVEPOINT batch');
        if (savepoints) db.exec('SAVEPOINT job');
        insert.run(base + i, texts[i]);
        if (savepoints) db.exec('RELEASE job');
      }
      db.exec('RELEASE batch');
      return ((performance.now() - t) * 1000) / docs;
    } finally {
      db.exec('ROLLBACK');
    }
  };
  try {
    const base = 10_000_000;
    run(false, base); // warm the page cache
    const withSavepoints = run(true, base);
    const without = run(false, base);
    return [
      { what: `FTS5 index row written in its own savepoint (index holding ${existing.toLocaleString('en-US')} tickets)`, value: withSavepoints, unit: 'µs' },
      { what: 'the same FTS5 row written without a savepoint (50 per transaction)', value: without, unit: 'µs' },
    ];
  } finally {
    db.close();
  }
}

/**
 * The newest-first search page as TicketsService.list builds it (driven by the FTS5 index from its newest match, see
 * ticketListSql) versus the same filter written as `tickets.id IN (SELECT rowid …)` and ordered by created_at, which
 * makes SQLite read and sort every match first.
 */
export function searchQueryProbe(file: string, words: string[]): ProbeLine[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const admin: Actor = { id: 1, username: 'admin', name: 'admin', role: 'admin', departmentId: null, customerId: null };
  const lines: ProbeLine[] = [];
  try {
    for (const word of words) {
      const filters = { tokens: queryTokens(word), sort: 'created_desc' as const, limit: 51 };
      const shipped = ticketListSql('sqlite', admin, filters);
      const sorted = ticketListSql('sqlite', admin, filters, { ftsDriven: false });
      const stShipped = db.prepare(shipped.text).raw(true);
      const stSorted = db.prepare(sorted.text).raw(true);
      const matches = (db.prepare('SELECT count(*) AS n FROM ticket_fts WHERE ticket_fts MATCH ?').get(ftsMatchExpression(queryTokens(word))) as { n: number }).n;
      const a = stShipped.all(...shipped.params) as unknown[][];
      const b = stSorted.all(...sorted.params) as unknown[][];
      const same = a.length === b.length && a.every((r, i) => r[0] === b[i][0]);
      const n = 20;
      lines.push({
        what: `search "${word}" (${matches.toLocaleString('en-US')} matching tickets): page SQL as shipped (FTS5 index newest first, LIMIT 51)`,
        value: timeSync(n, () => stShipped.all(...shipped.params)) / 1000,
        unit: 'ms',
        note: same ? 'same 51 rows as by created_at' : 'rows differ from the created_at order here',
      });
      lines.push({
        what: `search "${word}": the same page as "id IN (FTS5 subquery)" ordered by created_at (every match read and sorted)`,
        value: timeSync(n, () => stSorted.all(...sorted.params)) / 1000,
        unit: 'ms',
      });
    }
    return lines;
  } finally {
    db.close();
  }
}

/** The queue page's SQL as the service runs it (list columns, rows as arrays) versus row objects and every ticket column. */
export function queueQueryProbe(file: string, actor: Actor, departmentId: number): ProbeLine[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const k = kyselyOver(db);
  try {
    const shipped = ticketListSql('sqlite', actor, { open: true, departmentId, sort: 'created_desc', limit: 51 });
    const wide = visibleTo(selectTicketWithCustomer(k), actor, { serviceDeskDepartmentId: null })
      .where('tickets.is_open', '=', 1)
      .where('tickets.department_id', '=', departmentId)
      .orderBy('tickets.created_at', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(51)
      .compile();
    const arrays = db.prepare(shipped.text).raw(true);
    const objects = db.prepare(shipped.text);
    const full = db.prepare(wide.sql);
    const n = 200;
    return [
      {
        what: `queue page SQL as shipped (list columns + customer: ${objects.columns().length} columns, 51 rows, read as arrays)`,
        value: timeSync(n, () => arrays.all(...shipped.params)) / 1000,
        unit: 'ms',
      },
      {
        what: 'the same page read as row objects (better-sqlite3\'s default)',
        value: timeSync(n, () => objects.all(...shipped.params)) / 1000,
        unit: 'ms',
      },
      {
        what: `the same page with every ticket column as row objects (tickets.* + customer: ${full.columns().length} columns)`,
        value: timeSync(n, () => full.all(...(wide.parameters as unknown[]))) / 1000,
        unit: 'ms',
      },
    ];
  } finally {
    db.close();
  }
}

/** The sweeper's due-ticket query (Sweeper.sweepBatch) with nothing due: its plan, and its cost with and without the index. */
export function sweepQueryProbe(file: string, now: number): ProbeLine[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const k = kyselyOver(db);
  try {
    const q = selectTicketWithCustomer(k).where('tickets.sla_check_at', '<=', now).orderBy('tickets.sla_check_at').limit(50).compile();
    const params = q.parameters as unknown[];
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
    const indexed = db.prepare(q.sql);
    const scan = db.prepare(q.sql.replace('from "tickets"', 'from "tickets" NOT INDEXED'));
    const open = (db.prepare('SELECT count(*) AS n FROM tickets WHERE is_open = 1').get() as { n: number }).n;
    // SlaAdminService.coverageWarnings, which the sweeper runs at most hourly.
    const coverage = k
      .selectFrom('tickets')
      .select(['sla_policy_id', 'sla_uncovered_years'])
      .where('is_open', '=', 1)
      .where('sla_uncovered_years', 'is not', null)
      .limit(200)
      .compile();
    const coverageStmt = db.prepare(coverage.sql);
    const coveragePlan = (db.prepare(`EXPLAIN QUERY PLAN ${coverage.sql}`).all(...(coverage.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join('; ');
    const uncovered = coverageStmt.all(...(coverage.parameters as unknown[])).length;
    return [
      { what: `due-ticket query with nothing due (${open.toLocaleString('en-US')} open tickets), as the sweeper runs it`, value: timeSync(200, () => indexed.all(...params)) / 1000, unit: 'ms', note: `plan: ${plan}` },
      { what: 'the same query without the index (NOT INDEXED: every ticket row read)', value: timeSync(5, () => scan.all(...params)) / 1000, unit: 'ms' },
      {
        what: `the hourly calendar-coverage query (open tickets with sla_uncovered_years, LIMIT 200: ${uncovered} found)`,
        value: timeSync(5, () => coverageStmt.all(...(coverage.parameters as unknown[]))) / 1000,
        unit: 'ms',
        note: `plan: ${coveragePlan}`,
      },
    ];
  } finally {
    db.close();
  }
}
