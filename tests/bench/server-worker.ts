// Worker-thread entry: runs the server under test (the real app or the bare ceiling) on its own event loop and core,
// so the load generator in the main thread does not steal the server's event loop. Driven by messages from servers.ts.
import { Session } from 'node:inspector/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { ensureBaseData } from '../../src/server/seed/base.js';
import { bareServer } from './bare-server.js';
import type { CpuProfile } from './profile.js';
import type { ServerInit, ToServer, FromServer, ServerStats } from './servers.js';

const port = parentPort!;
const init = workerData as ServerInit;
const send = (m: FromServer) => port.postMessage(m);

async function start() {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  if (init.kind === 'bare') {
    const bare = bareServer(init.dataDir);
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
    });
    const db = openDatabase({ dataDir: config.dataDir });
    await migrate(db);
    await ensureBaseData(db, config);
    const built = await buildApp({ config, db, logger: false, serveWeb: false });
    app = built.app;
    close = async () => {
      await app.close();
      await db.close();
    };
  }

  // Responses the server finished, by status: the server's own count of answered (and, for writes, committed) requests.
  const stats: ServerStats = { byStatus: {}, ticketCreates2xx: 0 };
  if (init.countResponses) {
    app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.once('finish', () => {
        stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
        if (req.method === 'POST' && req.url === '/api/tickets' && res.statusCode >= 200 && res.statusCode < 300) stats.ticketCreates2xx++;
      });
    });
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');

  let elu: EventLoopUtilization | null = null;
  let session: Session | null = null;
  port.on('message', (m: ToServer) => {
    void (async () => {
      try {
        if (m.cmd === 'measure-start') {
          elu = performance.eventLoopUtilization();
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
          send({ type: 'measured', eventLoopUtilization: utilization, profile });
        } else if (m.cmd === 'stop') {
          await close();
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
