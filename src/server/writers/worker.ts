// The write worker (see pool.ts): creates tickets on its own connection to the embedded database.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openSharedDatabase } from '../db/connect.js';
import { AppError } from '../http/errors.js';
import { applyCacheChange, createServices } from '../services.js';
import { StatementCounter, ThreadProfiler, toWire } from '../threads.js';
import type { WriteCallReply, WriteControl, WriteReply, WriteRequest, WriteWorkerInit } from './pool.js';

const init = workerData as WriteWorkerInit;
const port = parentPort!;
const db = openSharedDatabase(init.file, init.lock);
// Each call brings the instant its request arrived; calls of one batch run interleaved, so the clock is the latest
// arrival. Requests handled together arrive within a millisecond or so of each other, as on the server thread.
let current = Date.now();
const clock = { now: () => current };
const log = pino({ level: init.config.logLevel, base: { worker: 'write' } });
const services = createServices({ db, clock, config: init.config, log: log as never });
// Live pushes need the server thread's connections; the rows are already committed when this runs.
services.tickets.notifier = { enqueue: (trx, input) => services.notify.enqueue(trx, input), publish: (ids) => port.postMessage({ id: 0, publish: ids } satisfies WriteReply) };

async function answer(req: WriteRequest): Promise<WriteCallReply> {
  try {
    switch (req.call.method) {
      case 'tickets.create': {
        const { ticket, created } = await services.tickets.create(req.call.actor, req.call.body, req.call.idempotencyKey);
        return { id: req.id, ok: true, value: { json: JSON.stringify(ticket), number: ticket.number, version: ticket.version, created } };
      }
    }
  } catch (e) {
    if (!(e instanceof AppError)) log.error({ err: e }, 'write worker: call failed');
    return { id: req.id, ok: false, ...toWire(e) };
  }
  return { id: req.id, ok: false, message: 'unknown call' };
}

let inFlight = 0;
let allAnswered: (() => void) | null = null;

const profiler = new ThreadProfiler();
const counter = new StatementCounter();
let window: { elu: EventLoopUtilization; profiling: boolean } | null = null;
async function control(m: WriteControl) {
  if (m.control === 'cache') applyCacheChange(services, m.cache);
  else if (m.control === 'measure-start') {
    if (m.countStatements && db.sqlite) counter.start(db.sqlite.writer);
    if (m.profile) await profiler.start();
    window = { elu: performance.eventLoopUtilization(), profiling: m.profile };
  } else if (m.control === 'measure-stop') {
    const utilization = window ? performance.eventLoopUtilization(window.elu).utilization : 0;
    const profile = window?.profiling ? await profiler.stop() : null;
    window = null;
    const w = db.sqlite?.writer;
    const connection = w ? { synchronous: Number(w.pragma('synchronous', { simple: true })), journalMode: String(w.pragma('journal_mode', { simple: true })) } : null;
    port.postMessage({ id: 0, measured: { utilization, profile, statements: counter.stop(), connection } } satisfies WriteReply);
  } else if (m.control === 'stall') {
    const busy = () => {
      const until = performance.now() + m.ms;
      while (performance.now() < until) {
        // busy, as a long batch keeps the thread (termination still interrupts this loop)
      }
    };
    if (!m.inTransaction) busy();
    else await db.write(async (trx) => {
      await trx.selectFrom('departments').select('id').limit(1).execute();
      busy();
    });
  } else if (m.control === 'close') {
    // Every call sent before this message has arrived; each is answered (committed or refused) before the exit, so
    // the server thread never has to guess whether a create it gave up on was committed.
    while (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
    await db.close();
    process.exit(0);
  }
}

// The answers of a batch, posted together once its COMMIT has resolved them all.
let replies: WriteCallReply[] = [];
let repliesScheduled = false;
function flushReplies() {
  repliesScheduled = false;
  const batch = replies;
  replies = [];
  port.postMessage(batch);
  inFlight -= batch.length;
  if (inFlight === 0) allAnswered?.();
}

// Unlike the read worker, calls are not chained: the creates that arrive together must be in flight together, so
// that the database batches them into one transaction and one fsync.
port.on('message', (m: WriteRequest[] | WriteControl) => {
  if (!Array.isArray(m)) {
    control(m).catch((e: unknown) => log.error({ err: e }, 'write worker: control failed'));
    return;
  }
  for (const req of m) {
    current = req.now;
    inFlight++;
    void answer(req).then((reply) => {
      replies.push(reply);
      if (!repliesScheduled) {
        repliesScheduled = true;
        setImmediate(flushReplies);
      }
    });
  }
});
port.postMessage({ id: 0, ready: true } satisfies WriteReply);
