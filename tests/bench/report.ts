// Renders benchmark results: the console table and docs/benchmarks.md (figures, checks, profiles, analysis, machine, method).
import { PORTAL_FIRST_LOAD_LIMIT, type PortalLoad } from './portal-load.js';
import type { DatasetSummary } from './dataset.js';
import type { MachineInfo } from './machine.js';
import type { ProbeLine } from './probes.js';
import { SQLITE_EXEC, SQLITE_STATEMENTS, type ProfileSummary } from './profile.js';
import { ROUTED_CATEGORIES, SWEEP_BACKLOG_MINUTES, type ScenarioResult, type SweepScenarioResult } from './scenarios.js';
import { runVerdicts, type RunSummary } from './history.js';
import type { SweepRequestsResult } from './sweep-requests.js';

export interface BenchReport {
  machine: MachineInfo;
  durationS: number;
  warmupS: number;
  profileS: number;
  results: ScenarioResult[];
  dataset: DatasetSummary | null;
  sweep: SweepScenarioResult | null;
  /** Ticket pages during the sweeper's first pass after downtime (absent in reports saved before it existed). */
  sweepRequests?: SweepRequestsResult | null;
  /** The customer portal's first load in compressed bytes (absent in reports saved before it existed). */
  portalLoad?: PortalLoad | null;
  totalS: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line for the console and the docs: the portal's first load against issue 15's 200 KB of compressed JavaScript. */
export function portalLoadLine(p: PortalLoad | null | undefined): string {
  if (!p) return '';
  const over = Math.max(p.jsGzip, p.jsBrotli) >= PORTAL_FIRST_LOAD_LIMIT;
  return `**Customer portal, first load** (\`dist/portal\`: index.html, its ${p.scripts} scripts with their static imports, and its CSS, compressed as the server sends them): ${kb(p.jsGzip)} gzip / ${kb(p.jsBrotli)} brotli of JavaScript (${kb(p.jsRaw)} before compression), ${kb(p.cssGzip)} gzip of CSS — target < 200 KB of compressed JavaScript: ${over ? '**missed**' : 'met'}.`;
}

/** When creation moved to the write worker (the report names it in its analysis). */
const WRITE_WORKER_SINCE = '2026-12-04';

export const TARGETS = {
  create: { perS: 3000 },
  /**
   * The foundation's creation figure (docs/benchmarks.md of 2026-11-23: benchTicketBody without a category, CPU check
   * 72 ms) and how far "Service promises on the clock" lets creation fall below it.
   */
  foundation: { createPerS: 921, cpuCheckMs: 72, maxDrop: 0.15 },
  queue: { p95Ms: 20 },
  search: { p95Ms: 50 },
  /** One sweeper pass over 100,000 open tickets. */
  sweep: { passMs: 200 },
  /** A ticket page requested while the sweeper's first pass after downtime runs (issue 14). */
  sweepRequests: { p95Ms: 50 },
} as const;

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '—');
const pct = (x: number) => `${Math.round(x * 100)} %`;
const errorsOf = (s: ScenarioResult) => s.load.non2xx + s.load.errors + s.load.timeouts;
const find = (r: BenchReport, name: ScenarioResult['name']) => r.results.find((s) => s.name === name);
const isCreate = (s: ScenarioResult) => s.name === 'create' || s.name === 'create-plain';
const foundationFloor = () => TARGETS.foundation.createPerS * (1 - TARGETS.foundation.maxDrop);

interface Verdict {
  target: string;
  met: boolean | null;
  text: string;
  /** Creation only: not more than TARGETS.foundation.maxDrop below the foundation's figure. */
  keepsFoundation?: boolean;
}

function verdict(s: ScenarioResult): Verdict {
  if (isCreate(s)) {
    const t = TARGETS.create.perS;
    const x = s.load.okPerS;
    const f = TARGETS.foundation.createPerS;
    const floor = foundationFloor();
    const keeps = x >= floor;
    const vsFoundation = keeps ? `foundation − ${pct(TARGETS.foundation.maxDrop)} met (${pct(x / f)} of ${n0(f)}/s)` : `foundation − ${pct(TARGETS.foundation.maxDrop)} **missed** (${pct(x / f)} of ${n0(f)}/s)`;
    const main = x >= t ? `${n0(t)}/s met` : `${n0(t)}/s **missed by ${pct((t - x) / t)}** (needs ${(t / x).toFixed(1)}× more)`;
    return { target: `≥ ${n0(t)} creates/s; ≥ ${n0(floor)}/s (foundation − ${pct(TARGETS.foundation.maxDrop)})`, met: x >= t, keepsFoundation: keeps, text: `${main}; ${vsFoundation}` };
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

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
}

/** The sweeper's figures: the steady pass is held to the target; the first pass is reported against it too. */
function sweepFigures(w: SweepScenarioResult) {
  const steadyMs = median(w.steady.map((p) => p.ms));
  const steadyMax = Math.max(...w.steady.map((p) => p.ms));
  const hourlyMs = median(w.hourly.map((p) => p.ms));
  // The first pass also ran the hourly calendar-coverage check: a due ticket's cost is what remains.
  const perTicketMs = w.first.tickets > 0 ? Math.max(0, w.first.ms - (Number.isFinite(hourlyMs) ? hourlyMs : steadyMs)) / w.first.tickets : NaN;
  const t = TARGETS.sweep.passMs;
  // Due tickets one pass can take within the target, beyond the empty pass's cost.
  const withinTarget = perTicketMs > 0 ? Math.max(0, Math.floor((t - steadyMs) / perTicketMs)) : NaN;
  // The first pass took one working hour's worth: a pass every AFTERCARE_SWEEP_SECONDS (15 s) finds about this many.
  const perInterval = (w.first.due * 15) / (SWEEP_BACKLOG_MINUTES * 60);
  // Write transactions of the first pass, from the BEGINs counted in its profiled repetition.
  const begins = w.statementsPerTicket?.['EXEC BEGIN'];
  const transactions = begins ? Math.round(begins * w.first.tickets) : null;
  return { steadyMs, steadyMax, hourlyMs, hourlyMet: hourlyMs < t, perTicketMs, withinTarget, perInterval, intervalMs: steadyMs + perInterval * perTicketMs, steadyMet: steadyMs < t, firstMet: w.first.ms < t, transactions };
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
      v.met === null ? '—' : `${v.met ? 'met' : 'MISSED'}${v.keepsFoundation === undefined ? '' : `; vs foundation ${v.keepsFoundation ? 'ok' : 'MISSED'}`}`,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const out = r.results.length ? rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n') : '';
  return [out, r.sweep ? renderSweepTable(r.sweep) : '', r.sweepRequests ? renderSweepRequestsTable(r.sweepRequests) : ''].filter(Boolean).join('\n\n');
}

function renderSweepRequestsTable(w: SweepRequestsResult): string {
  const t = TARGETS.sweepRequests.p95Ms;
  const rows = [
    [`sweep-requests (${n0(w.due)} due)`, 'answers', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'longest stall', 'checks', `target p95 < ${t} ms`],
    [`GET /api/tickets/:number during the pass (${n0(w.pass.ms)} ms, ${w.pass.batches} batches)`, n0(w.during.n), ms(w.during.p50), ms(w.during.p95), ms(w.during.p99), ms(w.during.max), `${ms(w.loopDelayMs.max)} ms`, w.checks.every((c) => c.ok) ? 'ok' : 'FAILED', w.during.p95 < t ? 'met' : 'MISSED'],
    ['the same clients just before, no pass', n0(w.before.n), ms(w.before.p50), ms(w.before.p95), ms(w.before.p99), ms(w.before.max), '', '', ''],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

/** Where the sweep-requests section sits in docs/benchmarks.md: a run of that scenario alone rewrites just this part. */
export const SWEEP_REQUESTS_MARKERS = ['<!-- sweep-requests: generated by `npm run bench -- --only sweep-requests` -->', '<!-- /sweep-requests -->'] as const;

/** The section on ticket pages during the sweeper's first pass after downtime, between its markers. */
export function renderSweepRequestsSection(w: SweepRequestsResult | null | undefined, date: string): string {
  if (!w) return '';
  const t = TARGETS.sweepRequests.p95Ms;
  const met = w.during.p95 < t;
  return [
    SWEEP_REQUESTS_MARKERS[0],
    `**${w.title}** — measured ${date.slice(0, 16).replace('T', ' ')} UTC (\`tests/bench/sweep-requests.ts\`; CPU check ${n0(w.cpuCheckMs)} ms).`,
    '',
    `| GET /api/tickets/:number, ${w.clients} clients | Answers | p50 | p95 | p99 | Max | Target | Verdict |`,
    '|---|---:|---:|---:|---:|---:|---|---|',
    `| During the pass: ${n0(w.pass.tickets)} tickets, ${n0(w.pass.actions)} actions in ${w.pass.batches} batches, ${n0(w.pass.ms)} ms | ${n0(w.during.n)} | ${ms(w.during.p50)} ms | ${ms(w.during.p95)} ms | ${ms(w.during.p99)} ms | ${ms(w.during.max)} ms | p95 < ${t} ms | ${met ? 'met' : '**missed**'} |`,
    `| The same clients just before, no pass | ${n0(w.before.n)} | ${ms(w.before.p50)} ms | ${ms(w.before.p95)} ms | ${ms(w.before.p99)} ms | ${ms(w.before.max)} ms | | |`,
    '',
    `The data: ${n0(w.dataset.open)} open tickets over 20 days with their SLA history (as for the sweeper at 100,000 tickets, \`tests/bench/sla-history.ts\`), the sweeper stopped for the last ${w.backlogMinutes / 60} working hours, so ${n0(w.due)} tickets were due at once. The real server (read and write workers as \`npm start\` runs them) ran one \`Sweeper.runOnce\` on its own thread with its real clock while ${w.clients} clients, each one request at a time, asked for random ticket pages; only answers that started and ended within the pass count. The server thread's event-loop delay during the pass (\`monitorEventLoopDelay\`, 1 ms resolution): median ${ms(w.loopDelayMs.p50)} ms, p99 ${ms(w.loopDelayMs.p99)} ms, longest ${ms(w.loopDelayMs.max)} ms — the longest stretch the thread did not turn, held by a batch or waiting for a core the machine's other work had.`,
    '',
    ...w.checks.map((c) => `- ${c.ok ? '✅' : '❌'} ${c.what}: ${c.detail}`),
    ...w.notes.map((n) => `- ${n}`),
    SWEEP_REQUESTS_MARKERS[1],
    '',
  ].join('\n');
}

function renderSweepTable(w: SweepScenarioResult): string {
  const f = sweepFigures(w);
  const t = TARGETS.sweep.passMs;
  const rows = [
    [`sweep (${n0(w.dataset.open)} open tickets)`, 'tickets', 'actions', 'delivered', 'ms', 'per ticket', 'other procs', 'cpu check', 'checks', `target < ${t} ms`],
    [`steady, nothing due (median of ${w.steady.length}; max ${ms(f.steadyMax)} ms)`, '0', '0', '0', ms(f.steadyMs), '—', w.cpu ? `${w.cpu.otherCores.toFixed(2)} cores` : '—', `${n0(w.cpuCheckMs)} ms`, w.checks.every((c) => c.ok) ? 'ok' : 'FAILED', f.steadyMet ? 'met' : 'MISSED'],
    [`hourly: nothing due + calendar-coverage check (median of ${w.hourly.length})`, '0', '0', '0', ms(f.hourlyMs), '—', '', '', '', f.hourlyMet ? 'met' : 'MISSED'],
    [`first pass (${n0(w.first.due)} due: the last ${SWEEP_BACKLOG_MINUTES} working min)`, n0(w.first.tickets), n0(w.first.actions), n0(w.first.delivered), ms(w.first.ms), `${ms(f.perTicketMs)} ms`, '', '', '', f.firstMet ? 'met' : 'MISSED'],
    ['same instant again', n0(w.again.tickets), n0(w.again.actions), n0(w.again.delivered), ms(w.again.ms), '', '', '', '', ''],
    [`delivering the rest of the outbox (${w.drain.passes} passes)`, '0', '0', n0(w.drain.delivered), ms(w.drain.ms), '', '', '', '', ''],
  ];
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
    if (s.readers) out.push(`${s.name} — read worker: ${n0(s.readers.answered)} pages in the measured window, busy ${pct(s.readers.busy)}, ${ms(s.readers.perCallMs)} ms a page`);
    if (s.writer) out.push(`${s.name} — write worker busy ${pct(s.writer.busy)} of the measured window`);
    if (s.writer?.profile) {
      out.push(`${s.name} — write worker time per create (profiled run):`);
      for (const a of s.writer.profile.byArea.slice(0, 8)) out.push(`  ${usPerRequest(s.writer.profile, a.ms).padStart(8)} µs  ${pct(a.share).padStart(5)}  ${a.name}`);
    }
    if (s.readers?.profile) {
      out.push(`${s.name} — read worker time per page (profiled run):`);
      for (const a of s.readers.profile.byArea.slice(0, 8)) out.push(`  ${usPerRequest(s.readers.profile, a.ms).padStart(8)} µs  ${pct(a.share).padStart(5)}  ${a.name}`);
    }
    for (const p of s.probes) out.push(`  probe: ${p.what}: ${probeValue(p)}${p.note ? ` (${p.note})` : ''}`);
  }
  const w = r.sweep;
  if (w) {
    if (w.profile) {
      out.push('sweep — main thread time per due ticket (profiled first pass on a copy):');
      for (const a of w.profile.byArea.slice(0, 8)) out.push(`  ${usPerRequest(w.profile, a.ms).padStart(8)} µs  ${pct(a.share).padStart(5)}  ${a.name}`);
    }
    if (w.statementsPerTicket) out.push(`  statements per due ticket: ${statementList(w.statementsPerTicket)}`);
    for (const p of w.probes) out.push(`  probe: ${p.what}: ${probeValue(p)}${p.note ? ` (${p.note})` : ''}`);
  }
  return out.join('\n');
}

function statementList(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((x, y) => y[1] - x[1])
    .map(([k, x]) => `${x < 0.1 ? x.toFixed(2) : x.toFixed(1)} ${k}`)
    .join(', ');
}

const statementTotal = (counts: Record<string, number>) => Object.entries(counts).reduce((a, [k, x]) => (k.startsWith('EXEC') ? a : a + x), 0);

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
const JSON_AREAS = new Set(['src/server/app.ts', 'src/server/readers/worker.ts', 'src/server/http/json.ts']);

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
    // JSON of a response: Fastify's serializer (app.ts) on the server thread, or the page's bytes (http/json.ts).
    appTs: part((n) => JSON_AREAS.has(n)),
    code: part((n) => n.startsWith('src/') && !JSON_AREAS.has(n)),
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
    if (isCreate(s)) {
      result = `${n0(s.load.okPerS)} creates/s`;
      const gc = find(r, 'ceiling-gc');
      const ratios = [ceiling ? `${(s.load.okPerS / ceiling.load.okPerS).toFixed(2)}× ceiling` : '', gc ? `${(s.load.okPerS / gc.load.okPerS).toFixed(2)}× group-commit reference` : ''].filter(Boolean);
      if (ratios.length) result += ` (${ratios.join(', ')})`;
    }
    lines.push(
      `| ${s.title} | ${s.connections} connections, ${r.durationS} s: \`${s.request.replace(/\|/g, '\\|')}\` | ${result} | ${ms(s.load.latencyMs.p50)} ms | ${ms(s.load.latencyMs.p95)} ms | ${ms(s.load.latencyMs.p99)} ms | ${errorsOf(s)} | ${v.target} | ${v.text} |`,
    );
  }
  return lines.join('\n');
}

function serverTable(r: BenchReport): string {
  const lines = [
    '| Scenario | Responses | Server thread busy | Read worker busy | Write worker busy | CPU: this process | CPU: other processes | CPU check | Status codes |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const s of r.results) {
    const codes = Object.entries(s.load.statusCounts)
      .map(([code, n]) => `${code}: ${n0(n)}`)
      .join(', ');
    lines.push(
      `| ${s.name} | ${n0(s.load.responses)} in ${s.load.elapsedS.toFixed(1)} s | ${s.eventLoopUtilization === null ? '—' : pct(s.eventLoopUtilization)} | ${s.readers ? `${pct(s.readers.busy)} (${ms(s.readers.perCallMs)} ms a page)` : '—'} | ${s.writer ? pct(s.writer.busy) : '—'} | ${s.cpu ? s.cpu.ownCores.toFixed(2) + ' cores' : '—'} | ${s.cpu ? s.cpu.otherCores.toFixed(2) + ' cores' : '—'} | ${n0(s.cpuCheckMs)} ms | ${codes || '—'} |`,
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
  if (r.sweep) {
    out.push(`**${r.sweep.title}**`, '');
    for (const c of r.sweep.checks) out.push(`- ${c.ok ? '✅' : '❌'} ${c.what}: ${c.detail}`);
    for (const n of r.sweep.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}

function profileTable(out: string[], heading: string, p: ProfileSummary, unit: string) {
  out.push(heading, '', `| Where (self time) | µs per ${unit} | Share of thread time |`, '|---|---:|---:|');
  for (const a of p.byArea.slice(0, 12)) out.push(`| ${a.name.replace(/\|/g, '\\|')} | ${usPerRequest(p, a.ms)} | ${pct(a.share)} |`);
  out.push('', '<details><summary>Top functions</summary>', '', `| Function | µs per ${unit} | Share |`, '|---|---:|---:|');
  for (const f of p.byFunction.slice(0, 20)) out.push(`| ${f.name.replace(/\|/g, '\\|')} | ${usPerRequest(p, f.ms)} | ${pct(f.share)} |`);
  out.push('', '</details>', '');
}

function profileSection(r: BenchReport): string {
  const out: string[] = [];
  for (const s of r.results) {
    if (s.profile) {
      const reader = s.readers
        ? ' — the server thread, which routes, authenticates and sends the JSON a read worker built'
        : s.writer
          ? ' — the server thread, which parses, authenticates and validates each request, hands it to the write worker and sends the JSON it answers'
          : '';
      profileTable(out, `**${s.title}**${reader} — ${n0(s.profile.requests)} requests in a separate ${r.profileS} s profiled run (the profiler slows the server, so read the shares, not the absolute speed).`, s.profile, 'request');
    }
    if (s.writer?.profile) {
      profileTable(out, `**${s.title}: the write worker** — the thread that runs each create and its transaction (\`src/server/writers/worker.ts\`), profiled in the same run; ${n0(s.writer.profile.requests)} creates.`, s.writer.profile, 'create');
    }
    if (s.readers?.profile) {
      profileTable(out, `**${s.title}: the read worker** — the thread that builds each page (\`src/server/readers/worker.ts\`), profiled in the same run; ${n0(s.readers.profile.requests)} pages.`, s.readers.profile, 'page');
    }
  }
  const w = r.sweep;
  if (w?.profile) {
    const p = w.profile;
    profileTable(
      out,
      `**${w.title}: the first pass** — repeated on a copy of the data under the profiler (main thread), ${n0(p.requests)} due tickets in ${n0(p.totalMs)} ms${w.statementsPerTicket ? `; SQL statements per due ticket: ${statementList(w.statementsPerTicket)}` : ''}.`,
      p,
      'due ticket',
    );
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
  if (r.sweep?.probes.length) {
    out.push('**After sweep**', '', '| Measurement | Time |', '|---|---:|');
    for (const p of r.sweep.probes) out.push(`| ${p.what.replace(/\|/g, '\\|')}${p.note ? ` — ${p.note}` : ''} | ${probeValue(p)} |`);
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
  const plain = find(r, 'create-plain');
  const queue = find(r, 'queue');
  const search = find(r, 'search');

  if (ceiling) {
    const b = ceiling.profile ? breakdown(ceiling.profile) : null;
    out.push(
      `**Ceiling.** ${n0(ceiling.load.okPerS)} inserts/s with one fsync per request (autocommit, \`synchronous=FULL\`)${b ? `: ${pct(b.statements.share)} of the server thread is spent inside the INSERT statement, whose autocommit waits for the fsync` : ''}. So this is the disk's fsync rate more than Fastify's speed: the ceiling for *one transaction per request*. Group commit exists to beat it by sharing one fsync among all the requests of an event-loop turn, so the app's creation rate can exceed this "ceiling"; where it does not, the app's own CPU per request is the limit.`,
      '',
    );
  }
  const gc = find(r, 'ceiling-gc');
  if (gc) {
    const b = gc.profile ? breakdown(gc.profile) : null;
    const app = plain ?? create;
    out.push(
      `**Group-commit reference.** The same bare route, its row and that row's Chinese search-index row (FTS5, the app's tokenizer) written by group commit — the requests of one event-loop turn share one transaction and one fsync, \`synchronous=FULL\` — reaches **${n0(gc.load.okPerS)} creates/s**${ceiling ? ` (${(gc.load.okPerS / ceiling.load.okPerS).toFixed(1)}× the one-insert ceiling)` : ''}${b ? `; SQLite takes ${part(b.statements)} of its thread per request in statements and ${part(b.exec)} in \`BEGIN\`/\`COMMIT\`` : ''}. This is the issue's third figure ("batching the writes … brings it back to about 7,000/s even with FULL sync"): the write path of the app without the app around it.${
        app ? ` The app's ${app === plain ? 'creation without a category' : 'creation'} runs at **${pct(app.load.okPerS / gc.load.okPerS)} of it**; the ${n0(TARGETS.create.perS)}/s target is ${pct(TARGETS.create.perS / gc.load.okPerS)} of it on this machine.` : ''
      }`,
      '',
    );
  }
  if (create || plain) out.push(...createAnalysis(create, plain, search ?? queue, r.machine.cores), '');
  if (queue) {
    const v = verdict(queue);
    const rw = queue.readers;
    // With read workers the page is built off the server thread, so its cost is the worker's time per page.
    const service = rw ? rw.perCallMs : queue.load.okPerS > 0 ? 1000 / queue.load.okPerS : NaN;
    const p = rw?.profile ?? queue.profile;
    const b = p ? breakdown(p) : null;
    const shipped = probe(queue, 'queue page SQL as shipped');
    const wide = probe(queue, 'the same page with every ticket column');
    const cols = /(\d+) columns/.exec(shipped?.what ?? '')?.[1];
    const objects = probe(queue, 'the same page read as row objects');
    const perPage = b
      ? ` Per page in the profiled run${rw?.profile ? ' (the read worker)' : ''}: SQLite producing the 51 rows${cols ? ` (${cols} columns each, read as arrays)` : ''} ${part(b.statements)}, \`JSON.stringify\` of the page ${part(b.appTs)}, the service mapping rows to list items (with the SLA and escalation views per row) ${part(b.code)}, Kysely ${part(b.kysely)}, HTTP ${part(b.http)}.`
      : '';
    const how = ` The page's SQL is written out once per filter combination (\`ticketListSql\` in \`src/server/modules/tickets/repo.ts\`: building it through Kysely took about 0.23 ms, a fifth of a page), uses the \`tickets_dept_open\` index (department, open, created_at, id), stops after 51 rows and reads only the columns a list item shows, as arrays turned into objects by a function built once per statement (\`readSql\` in \`src/server/db/fast.ts\`)${shipped ? `: ${probeValue(shipped)} for the page's SQL${objects ? `, against ${probeValue(objects)} with better-sqlite3's row objects` : ''}${wide ? ` and ${probeValue(wide)} with every ticket column` : ''}` : ''}; timestamps are formatted by integer arithmetic (\`src/server/domain/iso.ts\`, 0.2 µs against 0.7 µs for \`Date#toISOString\`, about 1,000 a page). A list item carries only its open SLA clocks (running or paused, what a queue row shows; met and stopped clocks are on the ticket itself): on this page that cut the JSON from 88.7 KB to 78.0 KB and the page's time by about a tenth.`;
    const where = rw
      ? ` Pages are built by a read worker (\`src/server/readers\`: its own read-only connection, the list items and their JSON on another core), which was busy ${pct(rw.busy)} of the window at ${ms(rw.perCallMs)} ms a page; the server thread, which only authenticates, validates, hands the call over and writes the bytes, was busy ${queue.eventLoopUtilization === null ? '—' : pct(queue.eventLoopUtilization)}. With ${queue.connections} connections a request waits for the pages ahead of it in the worker, so p50 ≈ ${queue.connections} × the per-page time.`
      : ` Every page costs about ${ms(service)} ms of the single server thread, and with ${queue.connections} connections each request waits for the ones ahead of it (p50 ≈ ${queue.connections} × the per-page time, p95 about twice p50).`;
    out.push(
      v.met
        ? `**Queue** meets the target: p95 ${ms(queue.load.latencyMs.p95)} ms at ${n0(queue.load.okPerS)} pages/s.${where}${how}${perPage}`
        : `**Queue ${v.text.replace(/\*\*/g, '')}.**${where}${how}${perPage} The p95 target needs the per-page time under about ${ms(TARGETS.queue.p95Ms / queue.connections / 2)} ms at this concurrency (p95 runs at about twice p50 here). Reading the rows as one JSON text each (\`json_array\` in SQL, parsed in JavaScript) measured no faster than reading them as arrays: the SQL part is SQLite reading 51 rows and their customers, not handing values over.`,
      '',
    );
  }
  if (search) {
    const v = verdict(search);
    const lines = search.probes.filter((p) => p.what.startsWith('search "'));
    const pairs: string[] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const word = /"([^"]+)"/.exec(lines[i].what)?.[1];
      const matches = /\(([\d,]+) matching/.exec(lines[i].what)?.[1];
      pairs.push(`"${word}" (${matches} matches): ${probeValue(lines[i])} as shipped against ${probeValue(lines[i + 1])} as an id IN (FTS5 subquery) ordered by created_at`);
    }
    const sp = search.readers?.profile ?? search.profile;
    const b = sp ? breakdown(sp) : null;
    out.push(
      `**Search ${v.met ? `meets the target: p95 ${ms(search.load.latencyMs.p95)} ms` : v.text.replace(/\*\*/g, '')}.**${search.readers ? ` Like the queue, it is answered by a read worker (busy ${pct(search.readers.busy)}, ${ms(search.readers.perCallMs)} ms a page).` : ''} Newest-first search is driven by the FTS5 index: \`FROM ticket_fts JOIN tickets … ORDER BY ticket_fts.rowid DESC\` (ids follow creation, so that is newest first; \`ticketListSql\` in \`src/server/modules/tickets/repo.ts\`) walks the matches from the newest and stops after the page instead of collecting and sorting every match${pairs.length ? ` — measured ${pairs.join('; ')}` : ''}.${b ? ` Per page in the profiled run${search.readers?.profile ? ' (the read worker)' : ''}: SQLite ${part(b.statements)}, JSON ${part(b.appTs)}, the service's own code ${part(b.code)}, HTTP ${part(b.http)}.` : ''}`,
      '',
    );
  }
  if (r.sweep) out.push(...sweepAnalysis(r.sweep), '');
  return out
    .filter((l, i, a) => !(l === '' && a[i - 1] === ''))
    .join('\n')
    .trimEnd();
}

/** " Kysely's … by the app function that built the statements: …" from a profile, or ''. */
function kyselyCallers(p: ProfileSummary | null, per: string): string {
  if (!p || p.kyselyByCaller.length === 0) return '';
  const list = p.kyselyByCaller
    .filter((c) => (c.ms * 1000) / Math.max(1, p.requests) >= 1)
    .slice(0, 6)
    .map((c) => {
      const [fn, file] = c.name.split(' — ');
      return file ? `\`${fn}\` (${file}) ${usPerRequest(p, c.ms)} µs` : `${fn} ${usPerRequest(p, c.ms)} µs`;
    });
  return list.length ? ` Kysely's time per ${per} by the app function that built the statements: ${list.join(', ')}.` : '';
}

function cpuNote(s: ScenarioResult): string {
  return `CPU check ${n0(s.cpuCheckMs)} ms${s.cpu ? `, other processes ${s.cpu.otherCores.toFixed(2)} cores` : ''}`;
}

function createAnalysis(routed: ScenarioResult | undefined, plain: ScenarioResult | undefined, big: ScenarioResult | undefined, cores: number): string[] {
  const f = TARGETS.foundation;
  const floor = foundationFloor();
  const out: string[] = [];
  const figure = (s: ScenarioResult) => `**${n0(s.load.okPerS)} creates/s = ${pct(s.load.okPerS / f.createPerS)} of the foundation's figure** (${cpuNote(s)})`;
  const head: string[] = [
    `**Creation against the foundation.** The foundation recorded ${n0(f.createPerS)} creates/s (CPU check ${f.cpuCheckMs} ms) with \`benchTicketBody(i)\`, which has no category; "Service promises on the clock" may cost creation at most ${pct(f.maxDrop)} of that, i.e. it must stay ≥ ${n0(floor)}/s.`,
  ];
  if (routed) {
    const keeps = routed.load.okPerS >= floor;
    head.push(
      `With a category (${ROUTED_CATEGORIES.map((c) => `\`${c}\``).join(', ')} in turn: a routing rule picks the department and, by least-loaded or round-robin, the assignee; the assignee and the department's manager are notified; the SLA deadlines are computed): ${figure(routed)} — ${keeps ? 'within the allowance' : `**${pct((floor - routed.load.okPerS) / floor)} below the allowance**`}.`,
    );
  }
  if (plain) {
    head.push(
      `Without a category — the foundation's request: deadlines computed, no routing rule applies, nobody assigned or notified: ${figure(plain)}.`,
    );
  }
  const checks = [routed, plain].filter((x): x is ScenarioResult => x !== undefined).map((x) => x.cpuCheckMs);
  const meanCheck = checks.reduce((a, b) => a + b, 0) / Math.max(1, checks.length);
  const faster = meanCheck < f.cpuCheckMs * 0.9;
  const slower = meanCheck > f.cpuCheckMs * 1.1;
  head.push(
    `The CPU check (the same fixed work, timed before each window) took ${n0(meanCheck)} ms here against ${f.cpuCheckMs} ms in the foundation's run: ${
      faster ? 'the machine ran faster now, which flatters every ratio to the recorded figure' : slower ? 'the machine ran slower now, which depresses every ratio to the recorded figure' : 'about the same machine speed'
    } — on this shared virtual machine the same code moves by ±15 % from one window to the next.${
      routed && plain
        ? ` The two runs here, minutes apart on the same machine, compare without that caveat: **with routing, creation runs at ${pct(routed.load.okPerS / plain.load.okPerS)} of the rate without a category**${
            routed.load.okPerS / plain.load.okPerS < 1 - f.maxDrop
              ? ` — routing and the assignee notification alone cost more than the ${pct(f.maxDrop)} the issue allows; unless the create path without a category has become faster than the foundation's by the difference, creation with routing is below the allowance at equal machine speed${
                  routed.load.okPerS >= floor ? `, and the verdict against the recorded ${n0(f.createPerS)}/s above rests on this window's machine speed` : ''
                }`
              : ''
          }.`
        : ''
    }`,
  );
  out.push(head.join(' '), '');

  if (routed && plain) {
    const usR = 1e6 / Math.max(1, routed.load.okPerS);
    const usP = 1e6 / Math.max(1, plain.load.okPerS);
    const sR = routed.createFacts?.perCreate ?? null;
    const sP = plain.createFacts?.perCreate ?? null;
    // The creates' own work is in the write worker's profile when it ran them.
    const pR = routed.writer?.profile ?? routed.profile;
    const pP = plain.writer?.profile ?? plain.profile;
    const bR = pR ? breakdown(pR) : null;
    const bP = pP ? breakdown(pP) : null;
    const thread = routed.writer ? 'the write worker' : 'the server thread';
    out.push(
      `**What routing and the assignee notification cost.** ${n0(usP)} µs per create without a category (one second over the rate), ${n0(usR)} µs with one: ${n0(usR - usP)} µs (${pct((usR - usP) / usP)}) more.${
        sR && sP ? ` Statements per create (profiled runs): ${statementTotal(sP).toFixed(1)} without a category (${statementList(sP)}), ${statementTotal(sR).toFixed(1)} with one (${statementList(sR)}).` : ''
      }${
        bR && bP
          ? ` By part of ${thread}'s time per create, without → with a category: SQLite statements ${n0(bP.statements.us)} → ${n0(bR.statements.us)} µs, Kysely building and compiling queries ${n0(bP.kysely.us)} → ${n0(bR.kysely.us)} µs, the app's own code ${n0(bP.code.us)} → ${n0(bR.code.us)} µs, transaction control ${n0(bP.exec.us)} → ${n0(bR.exec.us)} µs, garbage collection ${n0(bP.gc.us)} → ${n0(bR.gc.us)} µs.`
          : ''
      }${kyselyCallers(pR, 'create')} The added statements are routing's (the department members' workloads or the round-robin cursor, the workload counter update), the "routed" timeline entry and the assignee notification (\`NotifyService.enqueue\` in \`src/server/modules/notify/service.ts\`: the recipients' active flags and e-mail addresses, read in the transaction so that nobody inactive is notified, then the notification rows and the outbox); the department members, the department's head and its supervisors come from the directory caches (\`TicketsService.stakeholders\`, refreshed at once by an admin's edit on the same node), which took routed creation up by 8 % in interleaved runs. ${
        bR && bR.kysely.us >= 10
          ? '*What would cut it:* run the statements still built through Kysely on every call as SQL built once (`src/server/db/fast.ts`), as the rest of the create path already is, and fewer of them: the recipients\' active flags and e-mail addresses change as rarely as the department members routing already caches.'
          : `These statements already run as prepared statements (no Kysely time left in the profile); what remains is their number${sR && sP ? ` (${(statementTotal(sR) - statementTotal(sP)).toFixed(1)} more per create)` : ''} and the larger transactions they make${bR && bP ? ` (transaction control ${n0(bP.exec.us)} → ${n0(bR.exec.us)} µs: more pages written to the WAL per commit)` : ''}. *What would cut it:* fewer statements and rows per routed create — e.g. the routing decision recorded in the "created" timeline entry instead of an entry of its own.`
      }`,
      '',
    );
  }

  const main = routed ?? plain!;
  const v = verdict(main);
  const b = main.profile ? breakdown(main.profile) : null;
  const bw = main.writer?.profile ? breakdown(main.writer.profile) : null;
  const elu = main.eventLoopUtilization ?? 0;
  const ftsSp = probe(big, 'FTS5 index row written in its own savepoint');
  const ftsNo = probe(big, 'the same FTS5 row');
  const sqliteUs = bw ? bw.statements.us + bw.exec.us : b ? b.statements.us + b.exec.us : NaN;
  const threads = main.writer
    ? ` Creates run in the write worker (\`src/server/writers\`): a thread of its own with its own connection to the database file, which group-commits its batches as the server thread did and takes turns with the server thread's other writes through a lock (\`src/server/db/write-lock.ts\`). The server thread parses, authenticates and validates each request, hands it over and sends back the JSON the worker built: it was busy ${pct(elu)} of the window, the worker ${pct(main.writer.busy)}${
        main.cpu ? `, and the whole process (both threads, the read worker, and autocannon, which runs in it too) used ${main.cpu.ownCores.toFixed(2)} of the machine's ${cores} cores` : ''
      }.${
        bw && b
          ? ` Per create in the profiled run${routed ? ' with routing' : ''} — the write worker: SQLite executing statements ${part(bw.statements)}, transaction control (\`BEGIN\`/\`COMMIT\` with its fsync) ${part(bw.exec)}, Kysely ${part(bw.kysely)}, the app's own code ${part(bw.code)}, garbage collection ${part(bw.gc)}, idle ${part(bw.idle)}; the server thread: HTTP and Fastify ${part(b.http)}, zod ${part(b.zod)}, the app's own code ${part(b.code)}, garbage collection ${part(b.gc)}, idle ${part(b.idle)}.`
          : ''
      } Before the worker (${WRITE_WORKER_SINCE}), one thread did all of it, 100 % busy. Creation gained little by the move — over seven interleaved pairs of runs with and without the worker (\`AFTERCARE_WRITE_WORKER=0\`), +1–2 % without a category and +4 % with routing on average, for 12–34 % more CPU per create: the worker's batches are smaller (about 20 creates instead of about 50), so each \`COMMIT\` is shared by fewer — but the server thread stays free for other requests: beside 50 connections creating, a ticket page answers in p95 6.5 ms instead of 12–13.5 (\`tests/bench/mixed.ts\`).`
    : ` ${n0(main.load.okPerS)}/s means about ${n0(1e6 / Math.max(1, main.load.okPerS))} µs of the server thread per create (busy ${pct(elu)} of the window${elu > 0.9 ? ': the limit is CPU time on that thread, not the disk or the load generator' : ''}) against a budget of ${n0(1e6 / TARGETS.create.perS)} µs.${
        b
          ? ` Per create in the profiled run${routed ? ' with routing' : ''}: SQLite executing statements ${part(b.statements)}, transaction control (\`BEGIN\`/\`COMMIT\` with its fsync) ${part(b.exec)}, Kysely ${part(b.kysely)}, the app's own code ${part(b.code)}, HTTP and Fastify ${part(b.http)}, zod ${part(b.zod)}, garbage collection ${part(b.gc)}, idle ${part(b.idle)}.`
          : ''
      }`;
  out.push(
    `**The earlier ≥ ${n0(TARGETS.create.perS)} creates/s target** is ${v.met ? 'met' : 'still missed'}: ${n0(main.load.okPerS)}/s.${threads} The search-index rows of a batch are written at its end, just before \`COMMIT\` (\`Database.deferUntilCommit\`): FTS5 writes its pending index data out whenever a later statement of the transaction opens a statement journal, so an index row written mid-batch was flushed once per request. Group commit no longer wraps each request in a savepoint (\`SqliteDatabase.flush\` in \`src/server/db/connect.ts\` replays a batch with savepoints only when one of its requests fails)${ftsSp && ftsNo ? `, which matters more as the search index grows: ${probeValue(ftsSp)} per index row inside its own savepoint against ${probeValue(ftsNo)} without, at 100,000 tickets` : ''}. Each batch's \`COMMIT\` also writes the batch's search-index segment and does FTS5's merging of segments; merging 16 at a time instead of FTS5's default 4 (migration 0007) halves the times a posting is copied, which took creation up by 16 % (plain) and 27 % (routed) in interleaved runs; and FTS5 is given half the tokens of Chinese text (\`ftsIndexTokens\`: the bigrams, and a character alone only where no bigram starts with it, a one-character query being a prefix query), which took creation up by another 7–11 %; since 2026-12-05 the index keeps no positions and takes the tokens as they come (\`detail=none\`, \`tokenize='ascii'\`, migration 0008: searches are ANDs of single tokens), 5 % less CPU per create in alternating in-process rounds and an index less than half the size (12.0 MB against 27.7 MB at 100,000 tickets), with search pages as fast as before (0.90–0.95 against 0.88–0.98 ms a page in two interleaved pairs). On the same day the service's own JavaScript got cheaper where it made garbage: the ticket it answers is built as one object literal instead of a queue item spread into a second object (30 → 6–8 µs and 14.5 → 6 KB per create), the search tokens are scanned in place (15 → 8 KB), and \`fastInsert\` no longer joins 45 column names into a lookup key per insert; in three interleaved pairs of runs creation rose from 3,650–3,990 to 3,680–5,180/s without a category (CPU per create 355–385 → 270–390 µs) and from 2,580–2,900 to 2,950–3,460/s with routing. What the \`COMMIT\` still costs is mostly one write per WAL frame: a batch of 50 creates dirties about 110 pages (plain) and 180 (routed; led by the per-assignee and per-recipient index pages: \`tickets_assignee_open\`, \`notifications_user\`, \`tickets_dept_open_due\`), each written to the WAL. About half of all \`COMMIT\` time is SQLite's automatic checkpoint, which runs inside the one commit in five or so that takes the WAL past 1,000 pages (5–100 ms instead of about 1.5 ms); that is no waste to move elsewhere: a checkpointer thread with its own connection, woken after every \`COMMIT\`, measured no gain without a category and about 10 % fewer creates/s with one (three interleaved pairs), and with no checkpoints at all the median \`COMMIT\` of 50 creates took 3.3 ms instead of 1.6 — presumably because the WAL file then keeps growing, so every fsync has its new size to write as well.${
      sqliteUs > 1e6 / TARGETS.create.perS
        ? ` SQLite's part alone (${n0(sqliteUs)} µs) is above the budget of ${n0(1e6 / TARGETS.create.perS)} µs: ${n0(TARGETS.create.perS)}/s needs fewer statements and index updates per create, not only less work around them.`
        : ''
    }`,
    '',
  );
  return out;
}

function sweepAnalysis(w: SweepScenarioResult): string[] {
  const f = sweepFigures(w);
  const t = TARGETS.sweep.passMs;
  const b = w.profile ? breakdown(w.profile) : null;
  const query = w.probes.find((p) => p.what.startsWith('due-ticket query'));
  const scan = w.probes.find((p) => p.what.startsWith('the same query without the index'));
  const coverage = w.probes.find((p) => p.what.startsWith('the hourly calendar-coverage query'));
  const stmts = w.statementsPerTicket;
  return [
    `**Sweeper: one pass over ${n0(w.dataset.open)} open tickets < ${t} ms.** Held against the **steady-state pass** — what the sweeper does every \`AFTERCARE_SWEEP_SECONDS\` (15 s by default) once it has caught up, with all ${n0(w.dataset.open)} tickets open and ${n0(w.scheduled)} of them with a check scheduled: median **${ms(f.steadyMs)} ms** over ${w.steady.length} passes (slowest ${ms(f.steadyMax)} ms) — **${f.steadyMet ? 'met' : 'missed'}**. Such a pass is the due-ticket query on the partial index \`tickets_sla_check\`${query ? ` (${probeValue(query)} on its own${scan ? `; reading every ticket instead would take ${probeValue(scan)}` : ''})` : ''}, the outbox claim, and a write transaction that changes nothing.${
      ` Once an hour a pass also runs the calendar-coverage check (\`SlaAdminService.coverageWarnings\` in \`src/server/modules/sla/admin.ts\`): such a pass took **${ms(f.hourlyMs)} ms** — ${f.hourlyMet ? 'under' : '**over**'} the target${
        coverage
          ? `; its query for open tickets with \`sla_uncovered_years\` set took ${probeValue(coverage)} on its own (${coverage.note ?? ''})${
              (coverage.note ?? '').includes('tickets_uncovered')
                ? ': the partial index `tickets_uncovered` (migration 0004) holds only such tickets, so the check no longer walks the open tickets'
                : ': with no such ticket it walks every open ticket, so it grows with the open tickets. *Fix:* a partial index on tickets with `sla_uncovered_years IS NOT NULL`'
            }`
          : ''
      }.`
    }`,
    '',
    `The **first pass** after the sweeper was stopped for ${SWEEP_BACKLOG_MINUTES} minutes of working time (China calendar) is reported against the same ${t} ms: ${n0(w.first.due)} tickets were due; it took **${n0(w.first.ms)} ms** (${f.firstMet ? 'within' : `${(w.first.ms / t).toFixed(1)}× over`} the target; the hourly check included), **${ms(f.perTicketMs)} ms per due ticket**, for ${n0(w.first.actions)} actions — ${n0(w.first.warnings)} warnings, ${n0(w.first.breaches)} breaches and ${n0(w.first.escalations)} escalations written to the timeline, ${n0(w.first.followUps)} follow-up reminders — and ${n0(w.first.notifications)} in-app notifications and ${n0(w.first.outbox)} e-mails in the outbox, ${n0(w.first.delivered)} of them delivered in that pass (50 a pass; the rest went out over the following ${w.drain.passes + 1} passes). So a pass stays under ${t} ms with up to about ${n0(f.withinTarget)} due tickets. At this load (${n0(w.first.due)} due per working hour) a 15-second pass during working hours finds about ${f.perInterval.toFixed(1)} and costs about ${ms(f.intervalMs)} ms; a restart after a longer stop, or a deadline shared by many tickets (a calendar edit, a policy change), makes one long pass${
      f.transactions ? `, in ${n0(f.transactions)} write transactions of about ${n0(w.first.tickets / f.transactions)} tickets (counted in the profiled pass), each of which holds the single SQLite writer — and every ticket create queued behind it — for about ${n0((w.first.ms / f.transactions))} ms` : ''
    }.`,
    '',
    `Where a due ticket's ${ms(f.perTicketMs)} ms go (first pass repeated on a copy under the profiler${stmts ? `; ${statementTotal(stmts).toFixed(1)} SQL statements per due ticket: ${statementList(stmts)}` : ''}): ${
      b
        ? `Kysely building and compiling queries ${part(b.kysely)}, SQLite executing statements ${part(b.statements)}, \`BEGIN\`/\`COMMIT\` with the fsync ${part(b.exec)}, the app's own code ${part(b.code)}, garbage collection ${part(b.gc)}`
        : 'no profiled run'
    }.${kyselyCallers(w.profile, 'due ticket')} Per ticket, \`Sweeper.sweepBatch\` (\`src/server/jobs/sweeper.ts\`) looks up the plan, recomputes the clocks and reads the stakeholders (\`TicketsService.stakeholders\`, also for a warning that only goes to the assignee); \`TicketsService.applyChange\` recomputes the clocks again, updates the ticket, appends each timeline entry and enqueues each notification (\`NotifyService.enqueue\`); then the sweeper reads back the \`sla_check_at\` it has just written; an escalation adds \`ResolutionService.escalateRow\` with its own lookups and a second \`applyChange\`. Each batch is one transaction, whose \`COMMIT\` writes every page the updates dirtied (the ticket rows and each index on \`tickets\` a changed column is in) to the WAL and fsyncs. *What would cut it:* ${b && b.kysely.us >= 10 ? 'the statements built once (`db/fast.ts`, as on the create path); ' : ''}stakeholders per department once per pass instead of per ticket; the new \`sla_check_at\` taken from the columns \`applyChange\` computed instead of read back; the escalation folded into the same ticket update; and, as the \`COMMIT\`s are a large part, batches no smaller than the writer's fairness needs.`,
  ];
}

const SEARCH_WORD_IN_DOCS = '漏水';

function datasetSection(d: DatasetSummary | null, w: SweepScenarioResult | null): string {
  const lines: string[] = [];
  if (w) {
    const s = w.dataset;
    const depts = s.byDepartment.map((x) => `${x.code} ${n0(x.tickets)}`).join(', ');
    lines.push(
      '',
      `Sweeper data set: generated in ${(s.elapsedMs / 1000).toFixed(1)} s, ${n0(s.tickets)} open tickets, ${n0(w.scheduled)} of them with a check scheduled, ${n0(s.notifications)} notifications of earlier passes; database file ${(s.fileBytes / 1024 ** 2).toFixed(0)} MiB. By department: ${depts}.`,
    );
  }
  if (!d) return lines.length ? [...lines, ''].join('\n') : '';
  const depts = d.byDepartment.map((x) => `${x.code} ${n0(x.tickets)} (${n0(x.open)} open)`).join(', ');
  return [
    '',
    `Queue and search data set: generated in ${(d.elapsedMs / 1000).toFixed(1)} s, ${n0(d.tickets)} tickets (${n0(d.open)} open, ${pct(d.open / d.tickets)}), ${n0(d.customers)} customers with their units, one "created" event per ticket; database file ${(d.fileBytes / 1024 ** 2).toFixed(0)} MiB. By department: ${depts}. "${SEARCH_WORD_IN_DOCS}" occurs in ${n0(d.wordCounts[SEARCH_WORD_IN_DOCS] ?? 0)} tickets.`,
    ...lines,
    '',
  ].join('\n');
}

function sweepSection(w: SweepScenarioResult | null): string {
  if (!w) return '';
  const f = sweepFigures(w);
  const t = TARGETS.sweep.passMs;
  const lines = [
    '',
    `**${w.title}** — \`sweeper.runOnce(now)\` on a fresh \`buildApp\` over the data set below (${cpuNote({ cpuCheckMs: w.cpuCheckMs, cpu: w.cpu } as ScenarioResult)} during the passes).`,
    '',
    '| Pass | Tickets processed | Actions | Outbox delivered | Time | Per due ticket | Target | Verdict |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    `| Steady state: nothing due (median of ${w.steady.length} passes; slowest ${ms(f.steadyMax)} ms) | 0 | 0 | 0 | ${ms(f.steadyMs)} ms | — | < ${t} ms | ${f.steadyMet ? 'met' : '**missed**'} |`,
    `| Hourly: nothing due, plus the calendar-coverage check (median of ${w.hourly.length} passes) | 0 | 0 | 0 | ${ms(f.hourlyMs)} ms | — | < ${t} ms | ${f.hourlyMet ? 'met' : '**missed**'} |`,
    `| First pass: the ${n0(w.first.due)} tickets due in the last ${SWEEP_BACKLOG_MINUTES} minutes of working time | ${n0(w.first.tickets)} | ${n0(w.first.actions)} | ${n0(w.first.delivered)} | ${n0(w.first.ms)} ms | ${ms(f.perTicketMs)} ms | < ${t} ms (reported) | ${f.firstMet ? 'met' : `**${(w.first.ms / t).toFixed(1)}× over**`} |`,
    `| The same instant again | ${n0(w.again.tickets)} | ${n0(w.again.actions)} | ${n0(w.again.delivered)} | ${ms(w.again.ms)} ms | — | | |`,
    `| ${w.drain.passes} more passes delivering the rest of the outbox | 0 | 0 | ${n0(w.drain.delivered)} | ${ms(w.drain.ms)} ms in all | — | | |`,
    '',
    `The first pass's window ran from ${new Date(w.first.backlogFrom).toISOString().slice(0, 16)} to ${new Date(w.first.at).toISOString().slice(0, 16)} UTC (${SWEEP_BACKLOG_MINUTES} minutes of working time in China). The first pass also ran the hourly calendar-coverage check, so "per due ticket" is its time less the hourly pass's, divided by the tickets. It wrote ${n0(w.first.warnings)} warnings, ${n0(w.first.breaches)} breaches and ${n0(w.first.escalations)} escalations to the timeline, ${n0(w.first.followUps)} follow-up reminders, ${n0(w.first.notifications)} in-app notifications and ${n0(w.first.outbox)} e-mails to the outbox. Before the window the app passed ${w.cold.length} times with nothing due: ${w.cold.map((p) => ms(p.ms)).join(', ')} ms (the first of them on a cold app).`,
    '',
  ];
  return lines.join('\n');
}

/** "Run to run": this run beside the full runs recorded before it (docs/bench-runs.json), newest first. */
function runsSection(r: BenchReport, runs: readonly RunSummary[]): string {
  if (runs.length === 0) return '';
  const t = { createPerS: TARGETS.create.perS, queueP95Ms: TARGETS.queue.p95Ms, searchP95Ms: TARGETS.search.p95Ms };
  const mark = (ok: boolean | null) => (ok === null ? '' : ok ? ' ✓' : ' ✗');
  const num = (x: number | null) => (x === null ? '—' : n0(x));
  const lat = (x: number | null) => (x === null ? '—' : `${ms(x)} ms`);
  const newest = [...runs].reverse();
  const rows = newest.map((run) => {
    const v = runVerdicts(run, t);
    const here = run.date === r.machine.date ? ' (this run)' : '';
    const check = run.cpuCheckMs ? `${Math.round(run.cpuCheckMs[0])}–${Math.round(run.cpuCheckMs[1])} ms` : '—';
    return `| ${run.date.slice(0, 16).replace('T', ' ')}${here} | ${run.code} | ${check} | ${num(run.groupCommitPerS)} | ${num(run.createPlainPerS)}${mark(v.create)} | ${num(run.createRoutedPerS)} | ${lat(run.queueP95Ms)}${mark(v.queue)} | ${lat(run.searchP95Ms)}${mark(v.search)} |`;
  });
  const complete = runs.filter((run) => run.createPlainPerS !== null && run.queueP95Ms !== null && run.searchP95Ms !== null);
  const allMet = complete.filter((run) => Object.values(runVerdicts(run, t)).every((x) => x === true));
  const missedCreate = complete.filter((run) => runVerdicts(run, t).create === false);
  const metCreate = complete.filter((run) => runVerdicts(run, t).create === true);
  const refs = (xs: RunSummary[]) => xs.map((x) => x.groupCommitPerS).filter((x): x is number => x !== null);
  const range = (xs: number[]) => (xs.length === 0 ? '—' : `${n0(Math.min(...xs))}–${n0(Math.max(...xs))}`);
  return `### Run to run

Every full run, newest first (\`docs/bench-runs.json\`; the earliest were read off the versions of this file in git). ✓ / ✗: the issue's targets — creation without a category ≥ ${n0(t.createPerS)}/s, queue p95 < ${t.queueP95Ms} ms, search p95 < ${t.searchP95Ms} ms. Creation with routing is shown for comparison.

| Run (UTC) | Code | CPU check | Group-commit reference | Creation | Creation with routing | Queue p95 | Search p95 |
|---|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

The same code's ratio to the references moves from run to run by more than the 10 % a change may cost, so a change to creation is judged by interleaved A/B runs of the old and the new code in one window: docs/bench-ab.md.

All three targets were met in ${allMet.length} of these ${complete.length} runs.${
    missedCreate.length > 0
      ? ` Creation missed ${n0(t.createPerS)}/s in ${missedCreate.length} of them; in those runs the same machine ran the bare group-commit reference at ${range(refs(missedCreate))}/s, in the runs that met it at ${range(refs(metCreate))}/s.`
      : ''
  }
`;
}

export function renderMarkdown(r: BenchReport, runs: readonly RunSummary[] = []): string {
  const m = r.machine;
  return `# Benchmarks

Generated by \`npm run bench\` (\`tests/bench/run.ts\`) on ${m.date.slice(0, 10)} — a full run rewrites this file, so edit the generator (\`tests/bench/report.ts\`), not this text.

## Results

${summaryTable(r)}

Latencies are exact percentiles over every response of the measured window (autocannon's own histogram has no p95). "Errors" counts non-2xx answers, socket errors and timeouts.
${r.portalLoad ? `\n${portalLoadLine(r.portalLoad)}\n` : ''}
${serverTable(r)}

"Server thread busy" is the event-loop utilisation of the thread running the server (better-sqlite3 is synchronous, so time in SQLite, fsync included, counts as busy). "Read worker busy" is the share of the window the read worker (\`src/server/readers\`) spent building queue and search pages, with its time per page (100 % = one core). "Write worker busy" is the event-loop utilisation of the write worker (\`src/server/writers\`), which runs the ticket creates. The machine has ${m.cores} cores: the server thread, the two workers, autocannon and the kernel share them, and "other processes" is CPU used by anything else on the machine during the window — if it is not near zero, the figures are lower than the machine can do. "CPU check" is the time a fixed piece of JSON and string work took just before the window (lower is faster): on a shared virtual machine the same work can take twice as long from one run to the next, and every figure above moves with it.

${runsSection(r, runs)}${sweepSection(r.sweep)}
${renderSweepRequestsSection(r.sweepRequests, r.machine.date)}
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
- **The real app:** \`buildApp({ config, db, logger: false })\` on \`127.0.0.1\`, port 0, after \`migrate\` and \`ensureBaseData\`, with the database as shipped (\`openDatabase\`: WAL, \`synchronous=FULL\`, group commit) and the read and write workers as \`npm start\` runs them (\`AFTERCARE_READ_WORKERS=auto\`: one on 2 cores; \`AFTERCARE_WRITE_WORKER=auto\`: on with 2 cores or more; the load starts once they have loaded; either variable in the bench's environment overrides it). API calls use \`Authorization: Bearer\` tokens made through \`POST /api/auth/login\` + \`POST /api/auth/tokens\`.
- **Each load:** ${r.warmupS} s warm-up (not counted), then ${r.durationS} s measured with autocannon (pipelining 1, timeout 10 s)${r.profileS > 0 ? `, then a separate ${r.profileS} s run under the V8 CPU profiler (in the server thread, and for the queue and search also in the read worker) for the "where the time goes" tables` : ''}. Throughput is 2xx responses divided by the measured wall time.
- **Ceiling:** a bare Fastify 5 route \`POST /bare\` parsing the same JSON and doing one prepared better-sqlite3 \`INSERT\` (WAL, \`synchronous=FULL\`, autocommit — one fsync per request) into a small table; 50 connections.
- **Ticket creation:** 50 connections, \`POST /api/tickets\` with a different realistic Chinese body per request (\`benchTicketBody(i)\`: title ≈ 15 characters, description ≈ 70, a new customer and unit each time), through every layer: auth, zod validation, the service, the SLA policy and deadlines, group commit, search index, timeline event and JSON. Two runs, each from an empty database: **create** adds a category to each body (${ROUTED_CATEGORIES.map((c) => `\`${c}\``).join(', ')} in turn), with six agents or engineers and a manager in every department (\`seedStaff\`), so the default routing rules route every ticket, assign four in five of them (least-loaded in technical support, round-robin in logistics and customer service) and notify the assignee and the manager; **create-plain** sends \`benchTicketBody(i)\` unchanged, as the foundation's figure was measured (no staff, no routing rule applies). Afterwards the database is closed cleanly and checked: rows = 2xx answers, the FTS5 index holds exactly the tickets containing the test word, the API search finds them, and for the routed run every ticket was routed by its category, work was spread evenly, and the notifications and workload counters match.
- **Queue and search at 100,000 tickets** (\`tests/bench/dataset.ts\`): rows written straight into the app's schema with better-sqlite3 in transactions of 10,000 — ${n0(r.dataset?.customers ?? 20000)} customers with units (\`generateCustomers\`), tickets with \`generateTicketContent\` texts over 90 days in China office hours, ids in creation order, ≈ 30 % open (most of the last fortnight, a fifth of older ones), spread over the 5 departments, assignees from per-department staff (with a manager per department, a director and the workload counters routing reads), numbers per month as the app makes them, the FTS5 row from the service's own \`ticketSearchTokens\`, a "created" event, and each ticket's SLA state as the app's own code leaves it (\`ticketHistory\` in \`tests/bench/sla-history.ts\`, as for the sweeper's data set: the policy \`SlaService.planFor\` picks, the clocks \`computeSlaColumns\` computes after the status changes of its life, warnings and breaches fired by a sweeper that ran all along; an ended ticket's life stops at its closing; the sweeper's notifications are left out, as no list reads them). No \`ANALYZE\` is run, as the app does not run one either. Queue: 10 connections as a manager of the department with the most open tickets, \`departmentId=…&open=true&sort=created_desc&limit=50\`. Search: 10 connections as admin, \`q=${SEARCH_WORD_IN_DOCS}\` URL-encoded, default limit 50.
- **Sweeper at 100,000 open tickets** (\`tests/bench/sla-history.ts\`): the same generator, over 30 days, every ticket open (status by the usual mix), no search index (the sweeper never searches), a manager per department and a director. Each ticket's clocks are computed by the app's own code — the policy by \`SlaService.planFor\`, the columns by \`computeSlaColumns\`/\`columnValues\` — after the status changes of its life so far (\`afterStatusChange\` at random instants); every warning, breach and escalation that came due before the last ${SWEEP_BACKLOG_MINUTES} minutes of working time was fired by replaying the sweeper's own \`sweepTicket\` at its check instant, with the notifications it would have written (recipients as \`TicketsService.stakeholders\` and \`escalateRow\` choose them; the de-duplication key column filled as migration 0003 stores it; those passes' timeline entries are left out, as the sweeper only appends to the timeline). A sample of tickets is recomputed through \`SlaService\` as a check. The app then runs with a manual clock: ${r.sweep?.cold.length ?? 5} passes at the start of the window (nothing due), the first pass at the end of it (all the window's due work), the same instant again, passes until the outbox is delivered, then ${r.sweep?.steady.length ?? 20} steady passes, and ${r.sweep?.hourly.length ?? 3} passes a millisecond before the first pass's instant (nothing left due; the clock going back makes the sweeper run its hourly calendar-coverage check); e-mail goes to a no-op sender (the outbox rows are written, claimed and marked delivered; no SMTP round trip). For the profile the first pass is repeated on a copy of the data under the V8 profiler in the main thread, with its SQL statements counted.
${datasetSection(r.dataset, r.sweep)}
## Running it

\`\`\`
npm run bench                              # everything (about ${Math.max(1, Math.round(r.totalS / 60))} min); rewrites this file
npm run bench -- --only create             # one part: ceiling | create-plain | create | queue | search | sweep (comma-separated for several)
npm run bench -- --duration 3 --profile 0  # shorter runs, no profiled run
npm run bench -- --keep                    # keep the temporary data directories
\`\`\`

A full run also adds its headline figures to \`docs/bench-runs.json\` ("Run to run" above), once. Partial or shortened runs print their table but leave both files alone; \`npm run bench -- --render FILE\` rewrites this file from the report a full run saved, after a change to the report's text.
`;
}
