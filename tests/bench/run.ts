// npm run bench: the load benchmark. Runs each scenario in turn, prints a table and rewrites docs/benchmarks.md.
//   --only ceiling|ceiling-gc|create-plain|create|queue|search|sweep|sweep-requests|kb-search|dispatch-board|free-slots|portal-load   (comma-separated for several)   --duration N   --profile N   --keep   --no-docs
//   --render FILE   rewrite docs/benchmarks.md from the report a full run saved (after editing report.ts's text)
// A full run that writes the docs also records its headline figures in docs/bench-runs.json ("Run to run"). A partial
// run with sweep-requests rewrites only that scenario's section of docs/benchmarks.md (between its markers).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuns, saveRuns, summarizeRun, withRun } from './history.js';
import { machineInfo } from './machine.js';
import { portalLoadLine, renderConsoleDetails, renderMarkdown, renderSweepRequestsSection, renderTable, SWEEP_REQUESTS_MARKERS, type BenchReport } from './report.js';
import { bigDataScenarios, ceilingScenario, createScenario, sweepScenario, type RunOptions, type ScenarioResult } from './scenarios.js';
import { sweepRequestsScenario } from './sweep-requests.js';
import { kbSearchScenario } from './kb-search.js';
import { dispatchScenarios } from './dispatch.js';
import { portalFirstLoad } from './portal-load.js';

const SCENARIOS = ['ceiling', 'ceiling-gc', 'create-plain', 'create', 'queue', 'search', 'sweep', 'sweep-requests', 'kb-search', 'dispatch-board', 'free-slots', 'portal-load'] as const;
type ScenarioName = (typeof SCENARIOS)[number];
const DEFAULT_DURATION_S = 10;
const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/benchmarks.md');

function parseArgs(argv: string[]) {
  const args = { only: [...SCENARIOS] as ScenarioName[], durationS: DEFAULT_DURATION_S, profileS: 4, keep: false, docs: true, partial: false, render: undefined as string | undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--only') {
      const names = value().split(',').map((s) => s.trim());
      for (const n of names) if (!(SCENARIOS as readonly string[]).includes(n)) throw new Error(`--only: unknown scenario "${n}" (use ${SCENARIOS.join('|')})`);
      args.only = names as ScenarioName[];
      args.partial = true;
    } else if (a === '--duration') {
      args.durationS = Number(value());
      if (!(args.durationS > 0)) throw new Error('--duration must be a positive number of seconds');
    } else if (a === '--profile') {
      args.profileS = Number(value());
      if (!(args.profileS >= 0)) throw new Error('--profile must be seconds (0 = no profiled run)');
    } else if (a === '--keep') args.keep = true;
    else if (a === '--render') args.render = value();
    else if (a === '--no-docs') args.docs = false;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Where every run saves its report, so a change to the report's text can be rendered without measuring again. */
const SAVED = path.join(os.tmpdir(), 'aftercare-bench-report.json');
/** Every full run's headline figures (history.ts). */
const RUNS = path.resolve(path.dirname(DOCS), 'bench-runs.json');

/** The commit measured, marked when the working tree had other changes than the bench's own output. */
function codeVersion(): string {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: path.dirname(DOCS), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no')
      .split('\n')
      .filter((l) => l && !l.endsWith('docs/benchmarks.md') && !l.endsWith('docs/bench-runs.json'));
    return git('rev-parse', '--short', 'HEAD') + (changed.length ? '+changes' : '');
  } catch {
    return 'unknown';
  }
}

/** Records the run in docs/bench-runs.json (once) and writes docs/benchmarks.md with it. */
function writeDocs(report: BenchReport, code: string) {
  const runs = withRun(loadRuns(RUNS), summarizeRun(report, code));
  saveRuns(RUNS, runs);
  fs.writeFileSync(DOCS, renderMarkdown(report, runs));
}

/** A partial run's sweep-requests result replaces that section of docs/benchmarks.md (added before "## Checks" if missing). */
function writeSweepRequestsSection(report: BenchReport) {
  const section = renderSweepRequestsSection(report.sweepRequests, report.machine.date);
  const text = fs.readFileSync(DOCS, 'utf8');
  const [open, close] = SWEEP_REQUESTS_MARKERS;
  const from = text.indexOf(open);
  const to = text.indexOf(close);
  const next = from >= 0 && to > from ? text.slice(0, from) + section.trimEnd() + text.slice(to + close.length) : text.replace('\n## Checks', `\n${section}\n## Checks`);
  fs.writeFileSync(DOCS, next);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.render) {
    const saved = JSON.parse(fs.readFileSync(args.render, 'utf8')) as { complete: boolean; report: BenchReport; code?: string };
    if (!saved.complete) throw new Error(`${args.render} holds a partial or shortened run: only a full run goes to ${path.relative(process.cwd(), DOCS)}`);
    writeDocs(saved.report, saved.code ?? 'unknown');
    console.log(`wrote ${path.relative(process.cwd(), DOCS)} from the run of ${saved.report.machine.date}`);
    return;
  }
  const started = Date.now();
  const code = codeVersion();
  const log = (line: string) => console.log(line);
  const opts: RunOptions = { durationS: args.durationS, warmupS: Math.min(2, args.durationS / 5), profileS: args.profileS, keep: args.keep, log };
  const machine = machineInfo(os.tmpdir());
  log(`Aftercare benchmark — ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, SQLite ${machine.sqlite}`);

  const results: ScenarioResult[] = [];
  const report: BenchReport = { machine, durationS: args.durationS, warmupS: opts.warmupS, profileS: args.profileS, results, dataset: null, sweep: null, sweepRequests: null, totalS: 0 };
  const want = (n: ScenarioName) => args.only.includes(n);
  if (want('ceiling')) {
    log('▶ ceiling');
    results.push(await ceilingScenario(opts));
  }
  if (want('ceiling-gc')) {
    log('▶ ceiling-gc (bare group commit with a search index)');
    results.push(await ceilingScenario(opts, 'bare-gc'));
  }
  if (want('create-plain')) {
    log('▶ create-plain (no category: the foundation\'s request)');
    results.push(await createScenario(opts, 'plain'));
  }
  if (want('create')) {
    log('▶ create (with a category: deadlines and routing)');
    results.push(await createScenario(opts, 'routed'));
  }
  if (want('queue') || want('search')) {
    log('▶ queue / search at 100,000 tickets');
    const big = await bigDataScenarios(opts, { queue: want('queue'), search: want('search') });
    report.dataset = big.dataset;
    if (big.queue) results.push(big.queue);
    if (big.search) results.push(big.search);
  }
  if (want('kb-search')) {
    log('▶ kb-search at 10,000 articles');
    results.push(await kbSearchScenario(opts));
  }
  if (want('dispatch-board') || want('free-slots')) {
    log('▶ dispatch board / free slots: 50 engineers, 2,000 visits in a week');
    results.push(...(await dispatchScenarios(opts, { board: want('dispatch-board'), freeSlots: want('free-slots') })));
  }
  if (want('sweep')) {
    log('▶ sweep at 100,000 open tickets');
    report.sweep = await sweepScenario(opts);
  }
  if (want('sweep-requests')) {
    log('▶ sweep-requests: ticket pages during the sweeper\'s first pass after downtime');
    report.sweepRequests = await sweepRequestsScenario(opts);
  }
  if (want('portal-load')) {
    log('▶ portal-load: the customer portal\'s first load, compressed');
    // The bytes of the bundle as `npm start` builds it (built here when missing or older than its sources).
    execFileSync(process.execPath, [path.resolve(path.dirname(DOCS), '../scripts/build-web.mjs')], { stdio: 'inherit' });
    report.portalLoad = portalFirstLoad();
  }
  report.totalS = (Date.now() - started) / 1000;

  console.log('\n' + renderTable(report));
  if (report.portalLoad) console.log('\n' + portalLoadLine(report.portalLoad).replace(/\*\*|`/g, ''));
  const details = renderConsoleDetails(report);
  if (details) console.log('\n' + details);
  const complete = !args.partial && args.durationS >= DEFAULT_DURATION_S;
  fs.writeFileSync(SAVED, JSON.stringify({ complete, report, code }));
  log(`\n(report saved to ${SAVED}: \`npm run bench -- --render ${SAVED}\` re-renders the docs from it)`);
  if (args.docs && complete) {
    fs.mkdirSync(path.dirname(DOCS), { recursive: true });
    writeDocs(report, code);
    log(`\nwrote ${path.relative(process.cwd(), DOCS)} (total ${report.totalS.toFixed(0)} s)`);
  } else if (args.docs && report.sweepRequests) {
    writeSweepRequestsSection(report);
    log(`\nwrote the sweep-requests section of ${path.relative(process.cwd(), DOCS)} (the rest left as is: a partial run)`);
  } else {
    log(`\n(docs/benchmarks.md left as is: ${args.docs ? 'a partial or shortened run' : '--no-docs'}; total ${report.totalS.toFixed(0)} s)`);
  }
  const failed = [...results, ...(report.sweep ? [report.sweep] : []), ...(report.sweepRequests ? [report.sweepRequests] : [])].flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.name}: ${c.what} — ${c.detail}`));
  if (failed.length) {
    console.error('\nFAILED CHECKS:\n  ' + failed.join('\n  '));
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
