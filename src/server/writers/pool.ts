// The write worker: ticket creation on the embedded database, on a second core. Under a creation load the server
// thread was 100 % busy — half of each create its statements, COMMIT (with the WAL checkpoint) and the answer's JSON —
// and every other request waited behind the batches. The worker runs the same TicketsService on its own connection to
// the same file and group-commits its own batches; the server thread's other writes take turns with it
// (db/write-lock.ts). What it buys, measured (docs/architecture.md): a free server thread; creation itself gains little.
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import type { TicketCreateBody } from '../../shared/schemas.js';
import type { Config } from '../config.js';
import type { CacheName } from '../context.js';
import type { Actor } from '../domain/access.js';
import { fromWire, WorkerLost, workerSource, type WireError } from '../threads.js';

export type WriteCall = { method: 'tickets.create'; actor: Actor; body: z.infer<typeof TicketCreateBody>; idempotencyKey: string | undefined };

export interface WriteRequest {
  id: number;
  /** The instant the request arrived (tests move the clock). */
  now: number;
  call: WriteCall;
}
export type WriteControl =
  | { control: 'cache'; cache: CacheName }
  /** The benchmark's measured window: the worker's event-loop use, and if asked its CPU profile and statement counts. */
  | { control: 'measure-start'; profile: boolean; countStatements: boolean }
  | { control: 'measure-stop' }
  /**
   * Tests: keep the worker busy, so that a call is surely in its hands when it is stopped; `inTransaction`: busy
   * inside a write of its own, holding the write lock (and SQLite's write lock) meanwhile.
   */
  | { control: 'stall'; ms: number; inTransaction?: boolean }
  /** Finish the queued writes, close the connection, exit. */
  | { control: 'close' };

/** A created ticket as the worker answers it: the response body already in JSON, and what the headers need. */
export interface CreatedTicket {
  json: string;
  number: string;
  version: number;
  created: boolean;
}
export type WriteCallReply =
  | { id: number; ok: true; value: CreatedTicket }
  | ({ id: number; ok: false } & WireError);
export type WriteReply =
  /** The answers of one batch, in one message. */
  | WriteCallReply[]
  | { id: 0; ready: true }
  /** Users to push live notifications to (committed): the server thread holds the live connections. */
  | { id: 0; publish: number[] }
  | { id: 0; measured: WriterWindow };

/** What the write worker did in the benchmark's measured window. */
export interface WriterWindow {
  /** Event-loop utilisation of the worker thread (SQLite is synchronous, so time in it, fsync included, is busy). */
  utilization: number;
  profile: unknown;
  /** Statements by kind (SELECT, INSERT, EXEC COMMIT …), when counted. */
  statements: Record<string, number> | null;
  /** The worker's connection as it writes: synchronous (2 = FULL) and journal_mode. */
  connection: { synchronous: number; journalMode: string } | null;
}

export interface WriteWorkerInit {
  file: string;
  config: Config;
  lock: SharedArrayBuffer;
}

interface Pending {
  resolve: (v: CreatedTicket) => void;
  reject: (e: unknown) => void;
}

const WORKER_ENTRY = new URL(new URL(import.meta.url).pathname.endsWith('.js') ? './worker.js' : './worker.ts', import.meta.url);

/**
 * One write worker. While it is not ready (starting, or restarting after a crash) `call` returns null and the caller
 * creates in-process, on the server thread's own connection, so a create never waits for a worker to boot.
 */
export class WritePool {
  private worker: Worker | null = null;
  private ready_ = false;
  private failedStarts = 0;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly readyWaiters: (() => void)[] = [];
  private exited: Promise<void> = Promise.resolve();
  private measureWaiter: ((w: WriterWindow) => void) | null = null;
  /** Calls made in this event-loop turn, posted together at its end (one message, one wake-up of the worker). */
  private outbox: WriteRequest[] = [];
  private outboxScheduled = false;
  /** Calls answered by the worker (tests, the benchmark). */
  answered = 0;
  /** Calls the worker died with (tests). */
  lost = 0;

  constructor(
    private readonly init: WriteWorkerInit,
    private readonly hooks: {
      /** The worker has exited: free its turn at the write lock. */
      gone: () => void;
      publish: (userIds: number[]) => void;
      onError: (e: unknown) => void;
    },
  ) {
    this.spawn();
  }

  private spawn() {
    const { source, eval: isEval } = workerSource(WORKER_ENTRY);
    const worker = new Worker(source, { eval: isEval, workerData: this.init, execArgv: [] });
    this.worker = worker;
    this.ready_ = false;
    let wasReady = false;
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: WriteReply) => {
      if (Array.isArray(m)) {
        for (const reply of m) this.settle(reply);
        return;
      }
      if ('ready' in m) {
        this.ready_ = wasReady = true;
        this.failedStarts = 0;
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      }
      if ('publish' in m) return this.hooks.publish(m.publish);
      if ('measured' in m) {
        this.measureWaiter?.(m.measured);
        this.measureWaiter = null;
      }
    });
    worker.on('error', (e) => this.hooks.onError(e));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.ready_ = false;
      this.hooks.gone();
      // Not yet posted: rejected below with the rest, and never to reach the next worker.
      this.outbox = [];
      this.lost += this.pending.size;
      for (const p of this.pending.values()) p.reject(new WorkerLost(`write worker exited with code ${code}`));
      this.pending.clear();
      if (this.closed) return;
      // A crash is replaced at once; a worker that cannot even start is retried after a growing pause.
      if (wasReady) this.spawn();
      else {
        this.hooks.onError(new Error(`write worker could not start (exit code ${code}); retrying`));
        setTimeout(() => this.closed || this.spawn(), Math.min(30_000, 500 * 2 ** this.failedStarts++)).unref();
      }
    });
  }

  private settle(m: WriteCallReply) {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.answered++;
    if (m.ok) p.resolve(m.value);
    else p.reject(fromWire(m, 'write worker'));
  }

  /** Posts the calls of this turn; a control message flushes them first, so it stays behind every call made before it. */
  private flushCalls() {
    this.outboxScheduled = false;
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    this.worker?.postMessage(batch);
  }

  private post(m: WriteControl) {
    this.flushCalls();
    this.worker?.postMessage(m);
  }

  /** Resolves once the worker has loaded (tests, benchmarks); requests never wait for this. */
  ready(): Promise<void> {
    if (this.ready_) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The worker's answer, or null when it is not ready (then the caller runs the call in-process). */
  call(call: WriteCall, now: number): Promise<CreatedTicket> | null {
    const worker = this.worker;
    if (!this.ready_ || !worker || this.closed) return null;
    const id = this.nextId++;
    return new Promise<CreatedTicket>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.outbox.push({ id, now, call });
      if (!this.outboxScheduled) {
        this.outboxScheduled = true;
        // After the poll phase: every request parsed in this turn goes in the same message.
        setImmediate(() => this.flushCalls());
      }
    });
  }

  /** A cache the server thread cleared: the worker clears its own before it handles anything sent after this. */
  cacheChanged(cache: CacheName): void {
    this.post({ control: 'cache', cache });
  }

  /** Benchmark only: opens the worker's measured window. */
  measureStart(opts: { profile: boolean; countStatements: boolean }): void {
    this.post({ control: 'measure-start', ...opts });
  }

  /** Benchmark only: closes the measured window and returns what the worker did in it. */
  measureStop(): Promise<WriterWindow | null> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.measureWaiter = resolve;
      this.post({ control: 'measure-stop' });
    });
  }

  /** Tests: keeps the worker busy for `ms`, in a write transaction of its own if asked. */
  stall(ms: number, inTransaction = false): void {
    this.post({ control: 'stall', ms, inTransaction });
  }

  /** Stops the worker as a crash would (tests): its calls fail with WorkerLost, and a new one starts. */
  async crash(): Promise<void> {
    const exited = this.exited;
    await this.worker?.terminate();
    await exited;
  }

  /** Lets the worker commit what it has queued, then stops it (a stuck worker is terminated after 10 s). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    // A worker still loading (or restarting) has been given no call, and reads its messages only once loaded, which
    // takes seconds on a busy machine: a stop signalled during that time would wait for it. Nothing to finish there.
    if (!this.ready_) {
      await worker.terminate();
      await this.exited;
      return;
    }
    this.post({ control: 'close' });
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
