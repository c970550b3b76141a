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
}

export function toWire(e: unknown): WireError {
  if (e instanceof AppError) return { appError: { status: e.status, code: e.code, messageKey: e.messageKey, params: e.params, fields: e.fields }, message: e.message };
  return { message: e instanceof Error ? e.message : String(e) };
}

export function fromWire(w: WireError, worker: string): Error {
  const a = w.appError;
  return a ? new AppError(a.status, a.code as never, a.messageKey, a.params, a.fields as never) : new Error(`${worker}: ${w.message}`);
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
