// Renders benchmark results: the console table and docs/benchmarks.md (figures, checks, profiles, analysis, machine, method).
import type { DatasetSummary } from './dataset.js';
import type { MachineInfo } from './machine.js';
import type { ProbeLine } from './probes.js';
import { SQLITE_EXEC, SQLITE_STATEMENTS, type ProfileSummary } from './profile.js';
import type { ScenarioResult, SweepScenarioResult } from './scenarios.js';

export interface BenchReport {
  machine: MachineInfo;
  durationS: number;
  warmupS: number;
  profileS: number;
  results: ScenarioResult[];
  dataset: DatasetSummary | null;
  sweep: SweepScenarioResult | null;
  totalS: number;
}

export const TARGETS = {
  create: { perS: 3000 },
  queue: { p95Ms: 20 },
  search: { p95Ms: 50 },
} as const;

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '—');
const pct = (x: number) => `${Math.round(x * 100)} %`;
const errorsOf = (s: ScenarioResult) => s.load.non2xx + s.load.errors + s.load.timeouts;
const find = (r: BenchReport, name: ScenarioResult['name']) => r.results.find((s) => s.name === name);

interface Verdict {
  target: string;
  met: boolean | null;
  text: string;
}

function verdict(s: ScenarioResult): Verdict {
  if (s.name === 'create') {
    const t = TARGETS.create.perS;
    const x = s.load.okPerS;
    return x >= t
      ? { target: `≥ ${n0(t)} creates/s`, met: true, text: `met (${n0(x)}/s)` }
      : { target: `≥ ${n0(t)} creates/s`, met: false, text: `**missed by ${pct((t - x) / t)}** (${n0(x)}/s; needs ${(t / x).toFixed(1)}× more)` };
  }
  if (s.name === 'queue' || s.name === 'search') {
    const t = s.name === 'queue' ? TARGETS.queue.p95Ms : TARGETS.search.p95Ms;
    const p95 = s.load.latencyMs.p95;
    return p95 < t
      ? { target: `p95 < ${t} ms`, met: true, text: `met (p95 ${ms(p95)} ms)` }
      : { target: `p95 < ${t} ms`, met: false, text: `**missed by ${ms(p95 - t)} ms** (p95 ${ms(p95)} ms = ${(p95 / t).toFixed(1)}× the target)` };
  }
  return { target: 'reference', met: null, text: '—' };
}

// ---------------------------------------------------------------- console

export function renderTable(r: BenchReport): string {
  const rows = [['scenario', 'conns', 'req/s (2xx)', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx/err', 'server busy', 'other procs', 'cpu check', 'checks', 'target']];
  for (const s of r.results) {
    const v = verdict(s);
    rows.push([
      s.name,
      String(s.connections),
      n0(s.load.okPerS),
      ms(s.load.latencyMs.p50),
      ms(s.load.latencyMs.p95),
      ms(s.load.latencyMs.p99),
      String(errorsOf(s)),
      s.eventLoopUtilization === null ? '—' : pct(s.eventLoopUtilization),
      s.cpu ? `${s.cpu.otherCores.toFixed(2)} cores` : '—',
      `${n0(s.cpuCheckMs)} ms`,
      s.checks.every((c) => c.ok) ? 'ok' : 'FAILED',
      v.met === null ? '—' : v.met ? 'met' : 'MISSED',
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export function renderConsoleDetails(r: BenchReport): string {
  const out: string[] = [];
  for (const s of r.results) {
    if (s.profile) {
      out.push(`${s.name} — server thread time per request (profiled run):`);
      for (const a of s.profile.byArea.slice(0, 8)) out.push(`  ${usPerRequest(s.profile, a.ms).padStart(8)} µs  ${pct(a.share).padStart(5)}  ${a.name}`);
    }
    for (const p of s.probes) out.push(`  probe: ${p.what}: ${probeValue(p)}${p.note ? ` (${p.note})` : ''}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- markdown

function usPerRequest(p: ProfileSummary, areaMs: number): string {
  return p.requests > 0 ? n0((areaMs * 1000) / p.requests) : '—';
}

function probeValue(p: ProbeLine): string {
  return p.unit === 'µs' ? `${p.value.toFixed(1)} µs` : `${p.value.toFixed(2)} ms`;
}

function shareOf(p: ProfileSummary | null, test: (name: string) => boolean): number {
  if (!p) return 0;
  return p.byArea.filter((a) => test(a.name)).reduce((acc, a) => acc + a.share, 0);
}

const HTTP_AREAS = new Set(['node core (HTTP, streams, events)', 'fastify', 'find-my-way', 'secure-json-parse', 'light-my-request', 'avvio', 'toad-cache', '@fastify/cookie']);

/** The profile folded into a few named parts, each as µs per request and share of thread time. */
function breakdown(p: ProfileSummary) {
  const part = (test: (name: string) => boolean) => {
    const share = shareOf(p, test);
    return { share, us: p.requests > 0 ? (share * p.totalMs * 1000) / p.requests : NaN };
  };
  return {
    statements: part((n) => n === SQLITE_STATEMENTS),
    exec: part((n) => n === SQLITE_EXEC),
    kysely: part((n) => n === 'kysely'),
    http: part((n) => HTTP_AREAS.has(n) || /^native (writev|writeUtf8String|writeBuffer|writeLatin1String|utf8Slice|latin1Slice)\(\)$/.test(n)),
    zod: part((n) => n === 'zod'),
    appTs: part((n) => n === 'src/server/app.ts'),
    code: part((n) => n.startsWith('src/') && n !== 'src/server/app.ts'),
    gc: part((n) => n === '(garbage collector)'),
    idle: part((n) => n === '(idle)'),
  };
}

const part = (x: { share: number; us: number }) => `${n0(x.us)} µs (${pct(x.share)})`;

function summaryTable(r: BenchReport): string {
  const ceiling = find(r, 'ceiling');
  const lines = [
    '| Scenario | Load | Result | p50 | p95 | p99 | Errors | Target | Verdict |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const s of r.results) {
    const v = verdict(s);
    let result = `${n0(s.load.okPerS)} req/s`;
    if (s.name === 'create') {
      result = `${n0(s.load.okPerS)} creates/s`;
      if (ceiling) result += ` (${(s.load.okPerS / ceiling.load.okPerS).toFixed(2)}× ceiling)`;
    }
    lines.push(
      `| ${s.title} | ${s.connections} connections, ${r.durationS} s: \`${s.request.replace(/\|/g, '\\|')}\` | ${result} | ${ms(s.load.latencyMs.p50)} ms | ${ms(s.load.latencyMs.p95)} ms | ${ms(s.load.latencyMs.p99)} ms | ${errorsOf(s)} | ${v.target} | ${v.text} |`,
    );
  }
  return lines.join('\n');
}

function serverTable(r: BenchReport): string {
  const lines = [
    '| Scenario | Responses | Server thread busy | CPU: this process | CPU: other processes | CPU check | Status codes |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const s of r.results) {
    const codes = Object.entries(s.load.statusCounts)
      .map(([code, n]) => `${code}: ${n0(n)}`)
      .join(', ');
    lines.push(
      `| ${s.name} | ${n0(s.load.responses)} in ${s.load.elapsedS.toFixed(1)} s | ${s.eventLoopUtilization === null ? '—' : pct(s.eventLoopUtilization)} | ${s.cpu ? s.cpu.ownCores.toFixed(2) + ' cores' : '—'} | ${s.cpu ? s.cpu.otherCores.toFixed(2) + ' cores' : '—'} | ${n0(s.cpuCheckMs)} ms | ${codes || '—'} |`,
    );
  }
  return lines.join('\n');
}

function checksSection(r: BenchReport): string {
  const out: string[] = [];
  for (const s of r.results) {
    out.push(`**${s.title}**`, '');
    for (const c of s.checks) out.push(`- ${c.ok ? '✅' : '❌'} ${c.what}: ${c.detail}`);
    for (const n of s.notes) out.push(`- ${n}`);
    for (const e of s.load.errorSamples) out.push(`- sample error response: \`${e.replace(/`/g, "'")}\``);
    out.push('');
  }
  return out.join('\n');
}

function profileSection(r: BenchReport): string {
  const out: string[] = [];
  for (const s of r.results) {
    if (!s.profile) continue;
    const p = s.profile;
    out.push(
      `**${s.title}** — ${n0(p.requests)} requests in a separate ${r.profileS} s profiled run (the profiler slows the server, so read the shares, not the absolute speed).`,
      '',
      '| Where (self time) | µs per request | Share of thread time |',
      '|---|---:|---:|',
    );
    for (const a of p.byArea.slice(0, 12)) out.push(`| ${a.name.replace(/\|/g, '\\|')} | ${usPerRequest(p, a.ms)} | ${pct(a.share)} |`);
    out.push('', '<details><summary>Top functions</summary>', '', '| Function | µs per request | Share |', '|---|---:|---:|');
    for (const f of p.byFunction.slice(0, 20)) out.push(`| ${f.name.replace(/\|/g, '\\|')} | ${usPerRequest(p, f.ms)} | ${pct(f.share)} |`);
    out.push('', '</details>', '');
  }
  if (out.length === 0) return '_No profiled run (use `--profile N`)._\n';
  out.unshift(
    '"native name()" is time inside a C++ function called from JavaScript — for better-sqlite3 that is SQLite itself: `run()`/`all()`/`get()` execute statements, `exec()` runs `BEGIN`/`SAVEPOINT`/`RELEASE`/`COMMIT` (COMMIT includes the fsync, which blocks the thread). "(idle)" is the event loop waiting for I/O.',
    '',
  );
  return out.join('\n');
}

function probesSection(r: BenchReport): string {
  const out: string[] = [];
  for (const s of r.results) {
    if (s.probes.length === 0) continue;
    out.push(`**After ${s.name}**`, '', '| Measurement | Time |', '|---|---:|');
    for (const p of s.probes) out.push(`| ${p.what.replace(/\|/g, '\\|')}${p.note ? ` — ${p.note}` : ''} | ${probeValue(p)} |`);
    out.push('');
  }
  return out.length ? out.join('\n') : '_None in this run._\n';
}

function probe(s: ScenarioResult | undefined, prefix: string): ProbeLine | undefined {
  return s?.probes.find((p) => p.what.startsWith(prefix));
}

function analysis(r: BenchReport): string {
  const out: string[] = [];
  const ceiling = find(r, 'ceiling');
  const create = find(r, 'create');
  const queue = find(r, 'queue');
  const search = find(r, 'search');

  if (ceiling) {
    const b = ceiling.profile ? breakdown(ceiling.profile) : null;
    out.push(
      `**Ceiling.** ${n0(ceiling.load.okPerS)} inserts/s with one fsync per request (autocommit, \`synchronous=FULL\`)${b ? `: ${pct(b.statements.share)} of the server thread is spent inside the INSERT statement, whose autocommit waits for the fsync` : ''}. So this is the disk's fsync rate more than Fastify's speed: the ceiling for *one transaction per request*. Group commit exists to beat it by sharing one fsync among all the requests of an event-loop turn, so the app's creation rate can exceed this "ceiling"; where it does not, the app's own CPU per request is the limit.`,
      '',
    );
  }
  if (create) {
    const v = verdict(create);
    const p = create.profile;
    const elu = create.eventLoopUtilization ?? 0;
    const perReqUs = 1e6 / Math.max(1, create.load.okPerS);
    if (v.met) {
      out.push(`**Ticket creation** meets the target: ${n0(create.load.okPerS)} creates/s.`, '');
    } else {
      const b = p ? breakdown(p) : null;
      const cf = create.createFacts;
      const perCreate = cf?.perCreate ?? null;
      const facts = cf
        ? {
            total: Object.entries(perCreate ?? {}).reduce((a, [k, x]) => (k.startsWith('EXEC') ? a : a + x), 0),
            list: Object.entries(perCreate ?? {})
              .sort((x, y) => y[1] - x[1])
              .map(([k, x]) => `${x < 0.1 ? x.toFixed(2) : x.toFixed(1)} ${k}`)
              .join(', '),
            ticketIndexes: cf.ticketIndexes,
          }
        : null;
      const built = probe(create, 'ticket INSERT');
      const pre = probe(create, 'the same INSERT via Kysely');
      const prep = probe(create, 'the same INSERT as a better-sqlite3');
      const readBuilt = probe(create, 'ticket + customer SELECT');
      const readPrep = probe(create, 'the same SELECT');
      const ftsSp = probe(search ?? queue, 'FTS5 index row written in its own savepoint');
      const ftsNo = probe(search ?? queue, 'the same FTS5 row');
      out.push(
        `**Ticket creation ${v.text.replace(/\*\*/g, '')}.** At ${n0(create.load.okPerS)} creates/s one create costs about ${n0(perReqUs)} µs of the server thread, which was busy ${pct(elu)} of the measured window${elu > 0.9 ? ' — the limit is CPU time on that one thread, not the disk or the load generator' : ''}. Reaching ${n0(TARGETS.create.perS)}/s needs ≤ ${n0(1e6 / TARGETS.create.perS)} µs per create.`,
        '',
        b
          ? (() => {
              return `Per create in the profiled run: Kysely building and compiling queries ${part(b.kysely)}, SQLite executing statements ${part(b.statements)}, transaction control (\`BEGIN\`/\`SAVEPOINT\`/\`RELEASE\`/\`COMMIT\` with its fsync) ${part(b.exec)}, HTTP and Fastify ${part(b.http)}, zod validation ${part(b.zod)}, the app's own code ${part(b.code)}, garbage collection ${part(b.gc)}, idle ${part(b.idle)}.`;
            })()
          : '',
        '',
        'Where it goes and what would cut it:',
        '',
        `1. **SQLite doing the writes.** ${
          facts && perCreate
            ? `Each create ran ${facts.total.toFixed(1)} SQL statements (counted in the profiled run; all calls per create: ${facts.list}) — among them customer, unit, number counter, ticket, search-index row and timeline event, and a re-read after the commit — and the tickets table carries ${facts.ticketIndexes} indexes, each updated by the insert. `
            : facts
              ? `The tickets table carries ${facts.ticketIndexes} indexes, each updated by the insert. `
              : ''
        }${b ? `Executing statements took ${part(b.statements)} per create and transaction control (\`BEGIN\`/\`SAVEPOINT\`/\`RELEASE\`/\`COMMIT\`; \`COMMIT\` writes the batch's pages to the WAL, fsyncs and checkpoints every 1,000 pages) ${part(b.exec)}. ` : ''}*Fix:* fewer statements and index updates per create — in \`TicketsService.create\` return the new ticket from the insert instead of re-reading it after the commit (\`findVisibleAfterWrite\`); in \`CustomersService.ensureUnit\` skip the unit lookup for a customer created in the same request and fold the product lookup into the unit insert (\`INSERT … SELECT\`); check that every index on \`tickets\` is used by a query the queue, reports or sweeper really run.`,
        `2. **Kysely building and compiling each statement on every call**${b ? ` — ${part(b.kysely)} per create` : ''}${built && prep ? `; measured ${probeValue(built)} for the ticket insert through the builder, ${pre ? `${probeValue(pre)} with its SQL compiled once, ` : ''}${probeValue(prep)} as a prepared statement${readBuilt && readPrep ? `, and ${probeValue(readBuilt)} versus ${probeValue(readPrep)} for the ticket + customer read` : ''}` : ''}. *Fix:* compile the create path's statements once per dialect and run them with \`CompiledQuery.raw(sql, params)\` (\`nextSerial\`, \`appendEvent\`, \`writeSearchIndex\`, \`selectTicketWithCustomer\` in \`src/server/modules/tickets/repo.ts\`; \`findOrCreateInline\` and \`ensureUnit\` in \`src/server/modules/customers/service.ts\`; the ticket insert in \`TicketsService.create\`). (It also spares the statement cache in \`src/server/db/connect.ts\` a little: today every lookup hashes a freshly built SQL string.)`,
        `3. **One savepoint per request, once the search index is large.** Group commit (\`SqliteDatabase.flush\` in \`src/server/db/connect.ts\`) wraps each request in \`SAVEPOINT\`/\`RELEASE\`, and FTS5 writes its pending index data out at savepoint boundaries, so each ticket becomes its own index segment${ftsSp && ftsNo ? `: ${probeValue(ftsSp)} per index row inside its own savepoint versus ${probeValue(ftsNo)} without, on the 100,000-ticket database` : ''}. On the empty database this run starts from it matters little, but creation slows as the index grows. *Fix:* run a batch without per-request savepoints and, only if one of its requests fails, roll the batch back and replay its requests each in its own savepoint (failures inside the write are rare: validation happens before it).`,
        '4. **Smaller per-request costs:** `numberingMonth` (`src/server/domain/numbering.ts`) calls `Intl.DateTimeFormat#formatToParts` twice per create — China has had no daylight saving time since 1991, so `new Date(ms + 8 h)` arithmetic gives the same month for a fraction of the cost; `indexTokens` (NFKC normalisation and Unicode-property regexes over every field) runs on every create.',
        '',
        b
          ? `Even without Kysely's part and the app's own code, SQLite's part alone (${n0(b.statements.us + b.exec.us)} µs) is above the ${n0(1e6 / TARGETS.create.perS)} µs budget on this machine: ${n0(TARGETS.create.perS)}/s needs the write itself to get cheaper (items 1 and 3), not only less work around it.`
          : '',
        '',
      );
    }
  }
  if (queue) {
    const v = verdict(queue);
    const service = queue.load.okPerS > 0 ? 1000 / queue.load.okPerS : NaN;
    const b = queue.profile ? breakdown(queue.profile) : null;
    const qFull = probe(queue, 'queue page SQL as shipped');
    const qNarrow = probe(queue, 'the same page with only');
    const cols = /(\d+) columns/.exec(qFull?.what ?? '')?.[1];
    out.push(
      v.met
        ? `**Queue** meets the target: p95 ${ms(queue.load.latencyMs.p95)} ms at ${n0(queue.load.okPerS)} pages/s.`
        : `**Queue ${v.text.replace(/\*\*/g, '')}.** The query uses the \`tickets_dept_open\` index (department, open, created_at, id) and stops after 51 rows, so its cost does not grow with the table; but every page costs about ${ms(service)} ms of the single server thread, and with ${queue.connections} connections each request waits for the ones ahead of it (p50 ≈ ${queue.connections} × the per-page time). ${
            b
              ? `Per page in the profiled run: SQLite producing the 51 wide rows (\`tickets.*\` + customer${cols ? `, ${cols} columns each` : ''}, turned into JavaScript objects) ${part(b.statements)}, Kysely ${part(b.kysely)}, \`JSON.stringify\` of the page (the serializer in \`src/server/app.ts\`) ${part(b.appTs)}, the service mapping rows to list items ${part(b.code)}, HTTP ${part(b.http)}. `
              : ''
          }Most of the SQLite part is better-sqlite3 turning every column of every row, several of them long Chinese texts, into JavaScript objects, not finding the rows (the ids alone come from the index in a few hundredths of a millisecond); every column a migration adds to \`tickets\` makes each page slower. *Fix:* in \`TicketsService.list\` / \`selectTicketWithCustomer\`, select only the columns the list item needs instead of \`tickets.*\`, with the description cut to its excerpt in SQL (\`substr(description, 1, 121)\`)${
            qFull && qNarrow ? ` — measured ${probeValue(qFull)} → ${probeValue(qNarrow)} for the page's SQL when only the basic list columns are read` : ''
          }; the row-to-item mapping (\`toListItem\`, now with the SLA and escalation views per row) and the page's JSON are the next largest parts.`,
      '',
    );
  }
  if (search) {
    const v = verdict(search);
    const shipped = probe(search, `search "`);
    const driven = search.probes.find((p) => p.what.includes('driven by FTS5'));
    const common = search.probes.filter((p) => p.what.includes('"空调"'));
    out.push(
      v.met
        ? `**Search** meets the target: p95 ${ms(search.load.latencyMs.p95)} ms.`
        : `**Search ${v.text.replace(/\*\*/g, '')}.** The query (\`matchingSearch\` in \`src/server/modules/tickets/repo.ts\`, ordered in \`TicketsService.list\`) is \`tickets.id IN (SELECT rowid FROM ticket_fts WHERE … MATCH …) ORDER BY created_at DESC, id DESC LIMIT 51\`: SQLite reads every matching ticket row and its customer, sorts them all in a temporary B-tree and only then keeps 51. Its cost grows with the number of matches${shipped && driven ? ` — measured ${probeValue(shipped)} for "${SEARCH_WORD_IN_DOCS}" against ${probeValue(driven)} when the same page is read from FTS5 in rowid order and stops after 51 rows` : ''}${common.length === 2 ? `; for a common word ("空调") ${probeValue(common[0])} against ${probeValue(common[1])}` : ''}. *Fix:* drive the query from the index: \`FROM ticket_fts JOIN tickets ON tickets.id = ticket_fts.rowid … WHERE ticket_fts MATCH ? ORDER BY ticket_fts.rowid DESC LIMIT n\` (with the other filters and the visibility rule as ordinary WHERE terms) for the newest-first sort — ticket ids are assigned in creation order, so rowid order is creation order; the cursor then only needs the id. Other sorts can keep today's query.`,
      '',
    );
  }
  return out
    .filter((l, i, a) => !(l === '' && a[i - 1] === ''))
    .join('\n')
    .trimEnd();
}

const SEARCH_WORD_IN_DOCS = '漏水';

function datasetSection(d: DatasetSummary | null): string {
  if (!d) return '';
  const depts = d.byDepartment.map((x) => `${x.code} ${n0(x.tickets)} (${n0(x.open)} open)`).join(', ');
  return [
    '',
    `Data set: generated in ${(d.elapsedMs / 1000).toFixed(1)} s, ${n0(d.tickets)} tickets (${n0(d.open)} open, ${pct(d.open / d.tickets)}), ${n0(d.customers)} customers with their units, one "created" event per ticket; database file ${(d.fileBytes / 1024 ** 2).toFixed(0)} MiB. By department: ${depts}. "${SEARCH_WORD_IN_DOCS}" occurs in ${n0(d.wordCounts[SEARCH_WORD_IN_DOCS] ?? 0)} tickets.`,
    '',
  ].join('\n');
}

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  return `# Benchmarks

Generated by \`npm run bench\` (\`tests/bench/run.ts\`) on ${m.date.slice(0, 10)} — a full run rewrites this file, so edit the generator (\`tests/bench/report.ts\`), not this text.

## Results

${summaryTable(r)}

Latencies are exact percentiles over every response of the measured window (autocannon's own histogram has no p95). "Errors" counts non-2xx answers, socket errors and timeouts.

${serverTable(r)}

"Server thread busy" is the event-loop utilisation of the thread running the server (better-sqlite3 is synchronous, so time in SQLite, fsync included, counts as busy). The machine has ${m.cores} cores: the server thread, autocannon and the kernel share them, and "other processes" is CPU used by anything else on the machine during the window — if it is not near zero, the figures are lower than the machine can do. "CPU check" is the time a fixed piece of JSON and string work took just before the window (lower is faster): on a shared virtual machine the same work can take twice as long from one run to the next, and every figure above moves with it.

## Checks

${checksSection(r)}
## Analysis

${analysis(r)}

## Where the time goes

${profileSection(r)}
### Focused measurements

${probesSection(r)}
## Machine

| | |
|---|---|
| CPU | ${m.cpuModel} |
| Cores | ${m.cores} |
| RAM | ${m.ramGiB} GiB |
| OS | ${m.os} |
| File system of the data directories | ${m.fileSystem} |
| Node.js | ${m.node} |
| SQLite (better-sqlite3) | ${m.sqlite} |
| Date | ${m.date} |
| Total run time | ${r.totalS.toFixed(0)} s |

## Method

- **One process, one scenario at a time, a fresh temporary \`DATA_DIR\` each.** The server under test runs in a worker thread of the benchmark process (\`tests/bench/server-worker.ts\`) with its own event loop; autocannon runs in the main thread. So the load generator never steals the server's event loop, as with a separate client process, while one command still runs everything.
- **The real app:** \`buildApp({ config, db, logger: false })\` on \`127.0.0.1\`, port 0, after \`migrate\` and \`ensureBaseData\`, with the database as shipped (\`openDatabase\`: WAL, \`synchronous=FULL\`, group commit). API calls use \`Authorization: Bearer\` tokens made through \`POST /api/auth/login\` + \`POST /api/auth/tokens\`.
- **Each load:** ${r.warmupS} s warm-up (not counted), then ${r.durationS} s measured with autocannon (pipelining 1, timeout 10 s)${r.profileS > 0 ? `, then a separate ${r.profileS} s run under the V8 CPU profiler (in the server thread only) for the "where the time goes" tables` : ''}. Throughput is 2xx responses divided by the measured wall time.
- **Ceiling:** a bare Fastify 5 route \`POST /bare\` parsing the same JSON and doing one prepared better-sqlite3 \`INSERT\` (WAL, \`synchronous=FULL\`, autocommit — one fsync per request) into a small table; 50 connections.
- **Ticket creation:** 50 connections, \`POST /api/tickets\` with a different realistic Chinese body per request (\`benchTicketBody(i)\`: title ≈ 15 characters, description ≈ 70, a new customer and unit each time), through every layer: auth, zod validation, the service, group commit, search index, timeline event, the re-read and JSON. Afterwards the database is closed cleanly and checked: rows = 2xx answers, the FTS5 index holds exactly the tickets containing the test word, and the API search finds them.
- **Queue and search at 100,000 tickets** (\`tests/bench/dataset.ts\`): rows written straight into the app's schema with better-sqlite3 in transactions of 10,000 — ${n0(r.dataset?.customers ?? 20000)} customers with units (\`generateCustomers\`), tickets with \`generateTicketContent\` texts over 90 days in China office hours, ids in creation order, ≈ 30 % open (most of the last fortnight, a fifth of older ones), spread over the 5 departments, assignees from per-department staff, numbers per month as the app makes them, the FTS5 row from the service's own \`searchTokensOf\`, and a "created" event (columns added by later migrations, such as the SLA deadlines, keep their defaults). No \`ANALYZE\` is run, as the app does not run one either. Queue: 10 connections as a manager of the department with the most open tickets, \`departmentId=…&open=true&sort=created_desc&limit=50\`. Search: 10 connections as admin, \`q=${SEARCH_WORD_IN_DOCS}\` URL-encoded, default limit 50.
${datasetSection(r.dataset)}
## Running it

\`\`\`
npm run bench                              # everything (about ${Math.max(1, Math.round(r.totalS / 60))} min); rewrites this file
npm run bench -- --only create             # one part: ceiling | create | queue | search (comma-separated for several)
npm run bench -- --duration 3 --profile 0  # shorter runs, no profiled run
npm run bench -- --keep                    # keep the temporary data directories
\`\`\`

Partial or shortened runs print their table but leave this file alone.
`;
}
