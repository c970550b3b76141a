// A read worker (see pool.ts): answers the ticket queue and search, and knowledge-base search, from its own read-only
// SQLite connection.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openReadOnlyDatabase } from '../db/connect.js';
import { AppError } from '../http/errors.js';
import { pageJsonBytes } from '../http/json.js';
import { countTickets } from '../modules/tickets/count.js';
import { createServices } from '../services.js';
import { ThreadProfiler, toWire } from '../threads.js';
import type { CallReply, ReadControl, ReadReply, ReadRequest, ReadWorkerInit } from './pool.js';

const init = workerData as ReadWorkerInit;
const port = parentPort!;
const db = openReadOnlyDatabase(init.file);
// The instant comes with each call, so a test's manual clock and the main thread's clock are the same here.
let current = Date.now();
const clock = { now: () => current };
const log = pino({ level: init.config.logLevel, base: { worker: 'read' } });
const services = createServices({ db, clock, config: init.config, log: log as never });

// Page buffers the server thread has sent and handed back: steady traffic allocates none.
const spare: ArrayBuffer[] = [];
function pageBuffer(size: number): Buffer {
  const i = spare.findIndex((b) => b.byteLength >= size);
  const buffer = i >= 0 ? spare.splice(i, 1)[0] : new ArrayBuffer(Math.max(size, 256 * 1024));
  return Buffer.from(buffer);
}

async function answer(req: ReadRequest, started: number): Promise<CallReply> {
  current = req.now;
  try {
    switch (req.call.method) {
      case 'tickets.list': {
        const bytes = pageJsonBytes(await services.tickets.list(req.call.actor, req.call.query), pageBuffer);
        return { id: req.id, ok: true, bytes: bytes.buffer as ArrayBuffer, length: bytes.length, ms: performance.now() - started };
      }
      case 'kb.search': {
        const bytes = Buffer.from(JSON.stringify(await services.kbSearch.search(req.call.actor, req.call.query)));
        return { id: req.id, ok: true, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer, length: bytes.length, ms: performance.now() - started };
      }
      case 'tickets.count': {
        const bytes = Buffer.from(JSON.stringify(await countTickets(db, req.call.actor, req.call.query, await services.settings.access(), req.call.cap)));
        return { id: req.id, ok: true, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer, length: bytes.length, ms: performance.now() - started };
      }
    }
  } catch (e) {
    if (!(e instanceof AppError)) log.error({ err: e }, 'read worker: call failed');
    return { id: req.id, ok: false, ms: performance.now() - started, ...toWire(e) };
  }
  return { id: req.id, ok: false, ms: performance.now() - started, message: 'unknown call' };
}

const profiler = new ThreadProfiler();
async function control(m: ReadControl) {
  if (m.control === 'profile-start') await profiler.start();
  else if (m.control === 'stall') {
    const until = performance.now() + m.ms;
    while (performance.now() < until) {
      // busy, as a long page keeps the thread (termination still interrupts this loop)
    }
  } else if (m.control === 'recycle') {
    if (spare.length < 16) spare.push(m.buffer);
  } else if (m.control === 'profile-stop') {
    port.postMessage({ id: 0, profile: await profiler.stop() } satisfies ReadReply);
  }
}

// One call at a time: the clock above is per call, and the thread has nothing to overlap (SQLite is synchronous).
let chain: Promise<unknown> = Promise.resolve();
port.on('message', (m: ReadRequest | ReadControl) => {
  chain = chain
    .then(async () => {
      if ('control' in m) await control(m);
      else {
        const reply = await answer(m, performance.now());
        // The page's bytes move to the server thread without a copy.
        port.postMessage(reply, reply.ok ? [reply.bytes] : []);
      }
    })
    // A rejected link would skip every later message and leave their requests waiting for ever.
    .catch((e: unknown) => log.error({ err: e }, 'read worker: message failed'));
});
port.postMessage({ id: 0, ready: true } satisfies ReadReply);
