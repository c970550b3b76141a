// Read workers: the ticket queue and search, answered on other cores. On SQLite the server is one thread, and a
// queue page (SQLite handing ~2,700 values to JavaScript, the list items, their JSON) is about 1 ms of it; a worker
// thread with its own read-only connection builds the page's JSON, so the server thread only routes and writes bytes.
import { Worker } from 'node:worker_threads';
import type { KbSearchQuery, TicketCountQuery, TicketsQuery } from '../../shared/schemas.js';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Actor } from '../domain/access.js';
import { fromWire, WorkerLost, workerSource, type WireError } from '../threads.js';

export type ReadCall =
  | { method: 'tickets.list'; actor: Actor; query: z.infer<typeof TicketsQuery> }
  // The queue's total (tickets/count.ts); the cap travels with the call so the server thread's setting holds.
  | { method: 'tickets.count'; actor: Actor; query: z.infer<typeof TicketCountQuery>; cap: number }
  // Knowledge-base search (modules/kb/search.ts): anonymous callers too (actor null).
  | { method: 'kb.search'; actor: Actor | null; query: KbSearchQuery };

/** What the main thread sends a worker: one call, with the instant the request arrived (tests move the clock). */
export interface ReadRequest {
  id: number;
  now: number;
  call: ReadCall;
}
/** Messages to a worker besides calls. */
export type ReadControl =
  /** The benchmark: a CPU profile of the worker's own thread, as the server thread's is taken. */
  | { control: 'profile-start' }
  | { control: 'profile-stop' }
  /** A page's buffer, written and handed back for the next page. */
  | { control: 'recycle'; buffer: ArrayBuffer }
  /** Tests: keep the worker busy, as a long page would, so a call is surely in its hands. */
  | { control: 'stall'; ms: number };
/** A worker's answer to one call. */
export type CallReply =
  | { id: number; ok: true; bytes: ArrayBuffer; length: number; ms: number }
  | ({ id: number; ok: false; ms: number } & WireError);
export type ReadReply =
  | CallReply
  | { id: 0; ready: true }
  | { id: 0; profile: unknown };

export interface ReadWorkerInit {
  file: string;
  config: Config;
}


interface Pending {
  resolve: (json: Buffer) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** It answered calls once (so it is worth restarting at once if it dies). */
  wasReady: boolean;
  /** Starts in a row that died before the worker was ready. */
  failedStarts: number;
  pending: Map<number, Pending>;
}

// The pathname, not the URL: under tsx the module URL carries a query string.
const WORKER_ENTRY = new URL(new URL(import.meta.url).pathname.endsWith('.js') ? './worker.js' : './worker.ts', import.meta.url);

/**
 * A few worker threads, each with its own read-only SQLite connection and its own services (their caches behave as
 * on a second node: TTL-bound, as on PostgreSQL with several app processes). A call goes to the least busy ready
 * worker; while none is ready (starting, or restarting after a crash) `call` returns null and the caller answers
 * in-process, so a request never waits for a worker to boot.
 */
export class ReadPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  private readonly readyWaiters: (() => void)[] = [];
  /** Calls answered by a worker (successfully or with an error), for tests and the benchmark's checks. */
  answered = 0;
  /** Milliseconds the workers spent answering them (the benchmark's measure of their load). */
  busyMs = 0;
  private profileWaiter: ((p: unknown) => void) | null = null;
  /** Calls a worker died with (tests). */
  lost = 0;
  /** Page buffers handed back to their worker (tests). */
  recycled = 0;
  /** Which worker's buffer a page is in, to hand it back once sent. */
  private readonly owners = new WeakMap<ArrayBuffer, Slot>();

  constructor(
    private readonly init: ReadWorkerInit,
    size: number,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(failedStarts = 0): Slot {
    const { source, eval: isEval } = workerSource(WORKER_ENTRY);
    const worker = new Worker(source, { eval: isEval, workerData: this.init, execArgv: [] });
    const slot: Slot = { worker, ready: false, wasReady: false, failedStarts, pending: new Map() };
    worker.on('message', (m: ReadReply) => {
      if ('ready' in m) {
        slot.ready = true;
        slot.wasReady = true;
        if (this.slots.every((x) => x.ready)) for (const w of this.readyWaiters.splice(0)) w();
        return;
      }
      if ('profile' in m) {
        this.profileWaiter?.(m.profile);
        this.profileWaiter = null;
        return;
      }
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      this.answered++;
      this.busyMs += m.ms;
      if (m.ok) {
        this.owners.set(m.bytes, slot);
        p.resolve(Buffer.from(m.bytes, 0, m.length));
      } else p.reject(fromWire(m, 'read worker'));
    });
    const fail = (e: unknown) => {
      slot.ready = false;
      this.lost += slot.pending.size;
      for (const p of slot.pending.values()) p.reject(new WorkerLost(e instanceof Error ? e.message : String(e)));
      slot.pending.clear();
    };
    worker.on('error', (e) => {
      this.onError(e);
      fail(e);
    });
    worker.on('exit', (code) => {
      const everReady = slot.ready || slot.wasReady;
      fail(new Error(`read worker exited with code ${code}`));
      if (this.closed) return;
      // A crashed worker is replaced; calls meanwhile run in-process. One that died before it could serve (it cannot
      // load) is retried after a growing pause, not in a tight loop.
      const restart = () => {
        const i = this.slots.indexOf(slot);
        if (i >= 0 && !this.closed) this.slots[i] = this.spawn(everReady ? 0 : slot.failedStarts + 1);
      };
      if (everReady) restart();
      else {
        this.onError(new Error(`read worker could not start (exit code ${code}); retrying`));
        setTimeout(restart, Math.min(30_000, 500 * 2 ** slot.failedStarts)).unref();
      }
    });
    return slot;
  }

  /** Resolves once every worker has loaded (tests, benchmarks); requests never wait for this. */
  ready(): Promise<void> {
    if (this.slots.every((s) => s.ready)) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The call's JSON answer (UTF-8) from a worker, or null when no worker is ready (then the caller answers in-process). */
  call(call: ReadCall, now: number): Promise<Buffer> | null {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.ready && (best === null || s.pending.size < best.pending.size)) best = s;
    if (!best) return null;
    const slot = best;
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, now, call } satisfies ReadRequest);
    });
  }

  /**
   * Hands a page's buffer back to the worker that filled it, once the response is written. Without this, every page
   * (up to 250 KB) was a new buffer arriving in the server thread, and collecting them took a fifth of its time.
   */
  recycle(bytes: Buffer): void {
    const slot = this.owners.get(bytes.buffer as ArrayBuffer);
    if (!slot || this.closed || !this.slots.includes(slot)) return;
    this.owners.delete(bytes.buffer as ArrayBuffer);
    this.recycled++;
    slot.worker.postMessage({ control: 'recycle', buffer: bytes.buffer as ArrayBuffer } satisfies ReadControl, [bytes.buffer as ArrayBuffer]);
  }

  /** Benchmark only: starts the V8 profiler in the first worker, or stops it and returns its profile. */
  profile(start: true): void;
  profile(start: false): Promise<unknown>;
  profile(start: boolean): void | Promise<unknown> {
    const worker = this.slots[0]?.worker;
    if (start) {
      worker?.postMessage({ control: 'profile-start' } satisfies ReadControl);
      return;
    }
    if (!worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.profileWaiter = resolve;
      worker.postMessage({ control: 'profile-stop' } satisfies ReadControl);
    });
  }

  /** Tests: keeps the first worker busy for `ms`. */
  stallOne(ms: number): void {
    this.slots[0]?.worker.postMessage({ control: 'stall', ms } satisfies ReadControl);
  }

  /** Stops a worker as a crash would (tests): its calls fail, and a new one starts in its place. */
  async crashOne(): Promise<void> {
    await this.slots[0]?.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
