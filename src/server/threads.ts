// What the read and write workers (readers/, writers/) share: how a worker starts, how an error crosses the thread
// boundary, and the benchmark's CPU profile of a worker's own thread.
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from './http/errors.js';

/** The worker died with the call in hand. */
export class WorkerLost extends Error {}

/**
 * How to start a worker on `entry` (a module URL): directly when compiled, and through tsx's API when it is TypeScript
 * (npm start, tests, the benchmark), because tsx's hooks do not reach worker threads on Node 20.
 */
export function workerSource(entry: URL): { source: string | URL; eval: boolean } {
  if (!entry.pathname.endsWith('.ts')) return { source: entry, eval: false };
  const tsxApi = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const href = JSON.stringify(entry.href);
  return { source: `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${href}, ${href}))`, eval: true };
}

/** A failed call as a worker answers it: an AppError keeps its status, code and translated fields across threads. */
export interface WireError {
  appError?: { status: number; code: string; messageKey: string; params: Record<string, string | number>; fields?: Record<string, unknown> };
  message: string;
  code?: string;
}

export function toWire(e: unknown): WireError {
  if (e instanceof AppError) return { appError: { status: e.status, code: e.code, messageKey: e.messageKey, params: e.params, fields: e.fields }, message: e.message };
  // A storage error keeps its code, so the server thread answers 507 / 503 for it as for its own writes.
  const code = (e as { code?: unknown })?.code;
  return { message: e instanceof Error ? e.message : String(e), ...(typeof code === 'string' ? { code } : {}) };
}

export function fromWire(w: WireError, worker: string): Error {
  const a = w.appError;
  if (a) return new AppError(a.status, a.code as never, a.messageKey, a.params, a.fields as never);
  const e = new Error(`${worker}: ${w.message}`);
  return w.code ? Object.assign(e, { code: w.code }) : e;
}

/** The benchmark's CPU profile of a worker's own thread (sampled every 200 µs, as the server thread's). */
export class ThreadProfiler {
  private session: Session | null = null;

  async start() {
    if (this.session) return;
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
  }

  async stop(): Promise<unknown> {
    const profile = this.session ? (await this.session.post('Profiler.stop')).profile : null;
    this.session?.disconnect();
    this.session = null;
    return profile;
  }
}

/**
 * Benchmark only: counts the statements run on this thread's better-sqlite3 connections (they share the prototypes
 * patched here), by kind — SELECT, INSERT …, or EXEC COMMIT. Installed on the first start; counting costs a map update
 * per statement, so only a profiled window counts. The wrappers are named so that the benchmark's profile summary
 * (tests/bench/profile.ts) counts the SQLite time V8 attributes to them as SQLite.
 */
export class StatementCounter {
  private counts: Map<unknown, number> | null = null;
  private restore: (() => void) | null = null;

  start(sample: { prepare(sql: string): object }) {
    if (!this.restore) this.install(sample);
    this.counts = new Map();
  }

  /** Puts the original methods back (a run that measures statement timings after counting wants them unwrapped). */
  uninstall() {
    this.restore?.();
    this.restore = null;
  }

  stop(): Record<string, number> | null {
    const counts = this.counts;
    this.counts = null;
    if (!counts) return null;
    const out: Record<string, number> = {};
    for (const [counted, n] of counts) {
      const sqlText = typeof counted === 'string' ? counted : (counted as { source: string }).source;
      const exec = sqlText.startsWith('EXEC ');
      const word = (exec ? sqlText.slice(5) : sqlText).trim().split(/\s+/)[0].toUpperCase();
      const kind = exec ? `EXEC ${word}` : word;
      out[kind] = (out[kind] ?? 0) + n;
    }
    return out;
  }

  private install(sample: { prepare(sql: string): object }) {
    const stmtProto = Object.getPrototypeOf(sample.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
    const dbProto = Object.getPrototypeOf(sample) as Record<string, (...a: unknown[]) => unknown>;
    const saved = { run: stmtProto.run, get: stmtProto.get, all: stmtProto.all, iterate: stmtProto.iterate, exec: dbProto.exec };
    this.restore = () => {
      Object.assign(stmtProto, { run: saved.run, get: saved.get, all: saved.all, iterate: saved.iterate });
      dbProto.exec = saved.exec;
    };
    const self = this;
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = saved[method];
      stmtProto[method] = function countedStatementCall(this: object, ...args: unknown[]) {
        // Keyed by the statement object (the app caches them): an identity lookup, no string hashing per call.
        const counts = self.counts;
        if (counts) counts.set(this, (counts.get(this) ?? 0) + 1);
        return original.apply(this, args);
      };
    }
    const exec = saved.exec;
    dbProto.exec = function countedExec(this: unknown, ...args: unknown[]) {
      const counts = self.counts;
      if (counts) counts.set(`EXEC ${String(args[0])}`, (counts.get(`EXEC ${String(args[0])}`) ?? 0) + 1);
      return exec.apply(this, args);
    };
  }
}
