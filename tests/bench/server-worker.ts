// Worker-thread entry: runs the server under test (the real app or the bare ceiling) on its own event loop and core,
// so the load generator in the main thread does not steal the server's event loop. Driven by messages from servers.ts.
import { Session } from 'node:inspector/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { ensureBaseData } from '../../src/server/seed/base.js';
import { bareServer } from './bare-server.js';
import type { CpuProfile } from './profile.js';
import type { ReadPool } from '../../src/server/readers/pool.js';
import { StatementCounter } from '../../src/server/threads.js';
import type { WritePool } from '../../src/server/writers/pool.js';
import type { Sweeper } from '../../src/server/jobs/sweeper.js';
import type { FromServer, ReaderWindow, ServerInit, ServerStats, ToServer, WriterWindow } from './servers.js';

const port = parentPort!;
const init = workerData as ServerInit;
const send = (m: FromServer) => port.postMessage(m);

// Statements run on the server thread's connections, counted in a profiled window only (counting costs a little).
const counter = new StatementCounter();

async function start() {
  let app: FastifyInstance;
  let readers: ReadPool | null = null;
  let writers: WritePool | null = null;
  let sampleConnection: import('better-sqlite3').Database | null = null;
  let close: () => Promise<void>;
  let readWriterSettings: () => ServerStats['writer'] = () => null;
  let sweeper: Sweeper | null = null;
  if (init.kind !== 'app') {
    const bare = bareServer(init.dataDir, init.kind);
    app = bare.app;
    close = async () => {
      await app.close();
      bare.close();
    };
  } else {
    const config = loadConfig({
      DATA_DIR: init.dataDir,
      AFTERCARE_ADMIN_PASSWORD: init.adminPassword,
      AFTERCARE_DEMO: '0',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      AFTERCARE_READ_WORKERS: process.env.AFTERCARE_READ_WORKERS ?? 'auto',
      AFTERCARE_WRITE_WORKER: process.env.AFTERCARE_WRITE_WORKER ?? 'auto',
    });
    const db = openDatabase({ dataDir: config.dataDir });
    await migrate(db);
    await ensureBaseData(db, config);
    const built = await buildApp({ config, db, logger: false, serveWeb: false });
    app = built.app;
    sweeper = built.sweeper;
    // As `npm start` runs: the read workers (AFTERCARE_READ_WORKERS=auto) answer the queue once they have loaded.
    await built.services.readers?.ready();
    readers = built.services.readers;
    // As `npm start` runs: the write worker (AFTERCARE_WRITE_WORKER=auto: on with 2 cores or more) creates the tickets.
    await built.services.writers?.ready();
    writers = built.services.writers;
    if (init.countResponses && db.sqlite) sampleConnection = db.sqlite.writer;
    readWriterSettings = () =>
      db.sqlite
        ? {
            synchronous: Number(db.sqlite.writer.pragma('synchronous', { simple: true })),
            journalMode: String(db.sqlite.writer.pragma('journal_mode', { simple: true })),
          }
        : null;
    close = async () => {
      await app.close();
      await db.close();
    };
  }

  // Responses the server finished, by status: the server's own count of answered (and, for writes, committed) requests.
  const stats: ServerStats = { byStatus: {}, ticketCreates2xx: 0, ticketCreatesCutOff2xx: 0, writer: null };
  // Creates still being handled when their client left: their status is known only once the app has finished them.
  const cutOff: ServerResponse[] = [];
  if (init.countResponses) {
    app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const isCreate = req.method === 'POST' && req.url === '/api/tickets';
      res.once('finish', () => {
        stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
        if (isCreate && res.statusCode >= 200 && res.statusCode < 300) stats.ticketCreates2xx++;
      });
      res.once('close', () => {
        if (isCreate && !res.writableFinished) cutOff.push(res);
      });
    });
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');

  let elu: EventLoopUtilization | null = null;
  let readersAtStart: { answered: number; busyMs: number; at: number; profiling: boolean } | null = null;
  let session: Session | null = null;
  port.on('message', (m: ToServer) => {
    void (async () => {
      try {
        if (m.cmd === 'measure-start') {
          elu = performance.eventLoopUtilization();
          if (readers) {
            readersAtStart = { answered: readers.answered, busyMs: readers.busyMs, at: performance.now(), profiling: m.profile };
            if (m.profile) readers.profile(true);
          }
          if (sampleConnection && m.profile) counter.start(sampleConnection);
          writers?.measureStart({ profile: m.profile, countStatements: init.countResponses && m.profile });
          if (m.profile) {
            session = new Session();
            session.connect();
            await session.post('Profiler.enable');
            await session.post('Profiler.setSamplingInterval', { interval: 200 });
            await session.post('Profiler.start');
          }
          send({ type: 'measuring' });
        } else if (m.cmd === 'measure-stop') {
          const utilization = elu ? performance.eventLoopUtilization(elu).utilization : null;
          let profile: CpuProfile | null = null;
          if (session) {
            const r = await session.post('Profiler.stop');
            profile = r.profile as unknown as CpuProfile;
            session.disconnect();
            session = null;
          }
          let readerWindow: ReaderWindow | null = null;
          if (readers && readersAtStart) {
            const windowMs = performance.now() - readersAtStart.at;
            const readerProfile = readersAtStart.profiling ? ((await readers.profile(false)) as CpuProfile | null) : null;
            readerWindow = { answered: readers.answered - readersAtStart.answered, busyMs: readers.busyMs - readersAtStart.busyMs, windowMs, profile: readerProfile };
          }
          const writer = writers ? ((await writers.measureStop()) as WriterWindow | null) : null;
          send({ type: 'measured', eventLoopUtilization: utilization, profile, statements: counter.stop(), readers: readerWindow, writer });
        } else if (m.cmd === 'sweep') {
          if (!sweeper) throw new Error('sweep: only the app has a sweeper');
          const delay = monitorEventLoopDelay({ resolution: 1 });
          delay.enable();
          const t = performance.now();
          const r = await sweeper.runOnce();
          const ms = performance.now() - t;
          delay.disable();
          const inMs = (ns: number) => ns / 1e6;
          send({
            type: 'swept',
            sweep: { ms, tickets: r.tickets, actions: r.actions, delivered: r.delivered, batches: r.batches, loopDelayMs: { p50: inMs(delay.percentile(50)), p99: inMs(delay.percentile(99)), max: inMs(delay.max) } },
          });
        } else if (m.cmd === 'stop') {
          stats.writer = readWriterSettings();
          await close();
          stats.ticketCreatesCutOff2xx = cutOff.filter((res) => res.statusCode >= 200 && res.statusCode < 300).length;
          send({ type: 'stopped', stats });
          port.close();
        }
      } catch (e) {
        send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  });
  send({ type: 'ready', port: address.port });
}

start().catch((e) => send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
