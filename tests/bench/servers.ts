// Starts the server under test in a worker thread (one process, but its own event loop) and talks to it.
import { Worker } from 'node:worker_threads';
import { workerSource } from '../../src/server/threads.js';
import type { CpuProfile } from './profile.js';

export interface ServerInit {
  kind: 'bare' | 'bare-gc' | 'app';
  dataDir: string;
  adminPassword: string;
  /** Count finished responses by status on the server side (costs one listener per request), and SQL statements run. */
  countResponses: boolean;
}
/** SQL statements the server ran during a measured window, by first keyword (SELECT, INSERT …; EXEC = db.exec calls). */
export type StatementCounts = Record<string, number>;
export interface ServerStats {
  byStatus: Record<number, number>;
  /** POST /api/tickets requests the server answered with 2xx (each answered only after its batch committed). */
  ticketCreates2xx: number;
  /**
   * POST /api/tickets requests whose client closed the connection before the answer (autocannon does when a run ends)
   * but which the app still completed with 2xx: committed, with no one left to tell. Only a clean shutdown counts them.
   */
  ticketCreatesCutOff2xx: number;
  /** The server's own writer connection settings, read just before it closed. */
  writer: { synchronous: number; journalMode: string } | null;
}
/** What the app's read workers (src/server/readers) did in a measured window: calls answered, time spent, a profile of one. */
export interface ReaderWindow {
  answered: number;
  busyMs: number;
  windowMs: number;
  profile: CpuProfile | null;
}
/** What the app's write worker (src/server/writers) did in a measured window: its event-loop use, profile, statements. */
export interface WriterWindow {
  utilization: number;
  profile: CpuProfile | null;
  statements: StatementCounts | null;
  connection: { synchronous: number; journalMode: string } | null;
}
/** One sweeper pass run by the server itself (its real clock), with its event-loop delay meanwhile. */
export interface ServerSweep {
  ms: number;
  tickets: number;
  actions: number;
  delivered: number;
  batches: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}
export type ToServer = { cmd: 'measure-start'; profile: boolean } | { cmd: 'measure-stop' } | { cmd: 'sweep' } | { cmd: 'stop' };
export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'measuring' }
  | { type: 'measured'; eventLoopUtilization: number | null; profile: CpuProfile | null; statements: StatementCounts | null; readers: ReaderWindow | null; writer: WriterWindow | null }
  | { type: 'swept'; sweep: ServerSweep }
  | { type: 'stopped'; stats: ServerStats }
  | { type: 'error'; message: string };

export interface RunningServer {
  url: string;
  /** Starts the measured window: event-loop utilisation baseline and, if asked, the CPU profiler. */
  measureStart(profile: boolean): Promise<void>;
  measureStop(): Promise<{ eventLoopUtilization: number | null; profile: CpuProfile | null; statements: StatementCounts | null; readers: ReaderWindow | null; writer: WriterWindow | null }>;
  /** The app only: one sweeper pass (`Sweeper.runOnce`) on the server's own thread, as its timer would start it. */
  sweep(): Promise<ServerSweep>;
  /** Closes the server and its database (every queued write committed) and ends the worker. */
  stop(): Promise<ServerStats>;
}

const ENTRY = new URL('./server-worker.ts', import.meta.url);

export function startServer(init: ServerInit): Promise<RunningServer> {
  const { source, eval: isEval } = workerSource(ENTRY);
  const worker = new Worker(source, { eval: isEval, workerData: init, execArgv: [] });
  const waiters: { type: FromServer['type']; resolve: (m: FromServer) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure = e;
    for (const w of waiters.splice(0)) w.reject(e);
  };
  worker.on('message', (m: FromServer) => {
    if (m.type === 'error') return fail(new Error(`server worker: ${m.message}`));
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (waiters.length) fail(new Error(`server worker exited (code ${code})`));
  });
  const next = <T extends FromServer['type']>(type: T): Promise<Extract<FromServer, { type: T }>> =>
    failure
      ? Promise.reject(failure)
      : new Promise((resolve, reject) => waiters.push({ type, resolve: resolve as (m: FromServer) => void, reject }));
  const call = <T extends FromServer['type']>(msg: ToServer, type: T) => {
    const p = next(type);
    worker.postMessage(msg);
    return p;
  };

  return next('ready').then(({ port }) => ({
    url: `http://127.0.0.1:${port}`,
    measureStart: async (profile) => {
      await call({ cmd: 'measure-start', profile }, 'measuring');
    },
    measureStop: async () => {
      const m = await call({ cmd: 'measure-stop' }, 'measured');
      return { eventLoopUtilization: m.eventLoopUtilization, profile: m.profile, statements: m.statements, readers: m.readers, writer: m.writer };
    },
    sweep: async () => (await call({ cmd: 'sweep' }, 'swept')).sweep,
    stop: async () => {
      const m = await call({ cmd: 'stop' }, 'stopped');
      await worker.terminate();
      return m.stats;
    },
  }));
}
