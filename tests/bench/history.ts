// Every full run's headline figures, kept in docs/bench-runs.json and shown in docs/benchmarks.md as "Run to run".
// On a shared 2-core VM the same code measures a third faster or slower from one hour to the next; one run's verdict
// says little on its own, so the report shows it beside the runs before it. Pure apart from load/save.
import fs from 'node:fs';
import type { BenchReport } from './report.js';

export interface RunSummary {
  /** When the run started its report (machine.date), ISO. The key: a run is recorded once. */
  date: string;
  /** The code measured: a commit (with "+changes" if the working tree differed), or where the figures were taken from. */
  code: string;
  /** Fastest and slowest CPU check before the measured windows (ms; lower is a faster machine). */
  cpuCheckMs: [number, number] | null;
  groupCommitPerS: number | null;
  createPlainPerS: number | null;
  createRoutedPerS: number | null;
  queueP95Ms: number | null;
  searchP95Ms: number | null;
}

export interface RunTargets {
  createPerS: number;
  queueP95Ms: number;
  searchP95Ms: number;
}

export function summarizeRun(report: BenchReport, code: string): RunSummary {
  const of = (name: string) => report.results.find((s) => s.name === name);
  const perS = (name: string) => of(name)?.load.okPerS ?? null;
  const p95 = (name: string) => of(name)?.load.latencyMs.p95 ?? null;
  const checks = report.results.map((s) => s.cpuCheckMs).filter((x) => Number.isFinite(x));
  return {
    date: report.machine.date,
    code,
    cpuCheckMs: checks.length ? [Math.min(...checks), Math.max(...checks)] : null,
    groupCommitPerS: perS('ceiling-gc'),
    createPlainPerS: perS('create-plain'),
    createRoutedPerS: perS('create'),
    queueP95Ms: p95('queue'),
    searchP95Ms: p95('search'),
  };
}

/** Adds `run` unless a run with its date is there already; oldest first. */
export function withRun(runs: readonly RunSummary[], run: RunSummary): RunSummary[] {
  if (runs.some((r) => r.date === run.date)) return [...runs];
  return [...runs, run].sort((a, b) => a.date.localeCompare(b.date));
}

/** Per target: met, missed, or not measured in that run. */
export function runVerdicts(run: RunSummary, t: RunTargets): { create: boolean | null; queue: boolean | null; search: boolean | null } {
  return {
    create: run.createPlainPerS === null ? null : run.createPlainPerS >= t.createPerS,
    queue: run.queueP95Ms === null ? null : run.queueP95Ms < t.queueP95Ms,
    search: run.searchP95Ms === null ? null : run.searchP95Ms < t.searchP95Ms,
  };
}

export function loadRuns(file: string): RunSummary[] {
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected an array of runs`);
  return parsed as RunSummary[];
}

export function saveRuns(file: string, runs: readonly RunSummary[]) {
  fs.writeFileSync(file, JSON.stringify(runs, null, 2) + '\n');
}
