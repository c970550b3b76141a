import { describe, expect, it } from 'vitest';
import { runVerdicts, summarizeRun, withRun, type RunSummary } from './history.js';
import type { BenchReport } from './report.js';

const load = (okPerS: number, p95: number) => ({ okPerS, latencyMs: { p50: p95 / 2, p95, p99: p95 * 1.2, max: p95 * 2, mean: p95 / 2 } });
const report = {
  machine: { date: '2026-12-04T19:34:37.146Z' },
  results: [
    { name: 'ceiling-gc', load: load(9000, 10), cpuCheckMs: 31 },
    { name: 'create-plain', load: load(3100, 25), cpuCheckMs: 44 },
    { name: 'queue', load: load(800, 19.9), cpuCheckMs: 38 },
  ],
} as unknown as BenchReport;

describe('bench run history', () => {
  it('keeps a run\u2019s headline figures, and null for what it did not measure', () => {
    expect(summarizeRun(report, 'abc1234')).toEqual({
      date: '2026-12-04T19:34:37.146Z',
      code: 'abc1234',
      cpuCheckMs: [31, 44],
      groupCommitPerS: 9000,
      createPlainPerS: 3100,
      createRoutedPerS: null,
      queueP95Ms: 19.9,
      searchP95Ms: null,
    });
  });

  it('records a run once, in date order', () => {
    const a = summarizeRun(report, 'abc1234');
    const earlier: RunSummary = { ...a, date: '2026-12-03T10:00:00.000Z', code: 'old' };
    const runs = withRun(withRun([a], earlier), { ...a, code: 'rendered again' });
    expect(runs.map((r) => r.code)).toEqual(['old', 'abc1234']);
  });

  it('judges each target on its own, strictly below the latency limits', () => {
    const t = { createPerS: 3000, queueP95Ms: 20, searchP95Ms: 50 };
    const run = summarizeRun(report, 'x');
    expect(runVerdicts(run, t)).toEqual({ create: true, queue: true, search: null });
    expect(runVerdicts({ ...run, createPlainPerS: 2999, queueP95Ms: 20 }, t)).toEqual({ create: false, queue: false, search: null });
  });
});
