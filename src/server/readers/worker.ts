// A read worker (see pool.ts): answers the ticket queue and search from its own read-only SQLite connection.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openReadOnlyDatabase } from '../db/connect.js';
import { AppError } from '../http/errors.js';
import { createServices } from '../services.js';
import type { ReadReply, ReadRequest, ReadWorkerInit } from './pool.js';

const init = workerData as ReadWorkerInit;
const port = parentPort!;
const db = openReadOnlyDatabase(init.file);
// The instant comes with each call, so a test's manual clock and the main thread's clock are the same here.
let current = Date.now();
const clock = { now: () => current };
const log = pino({ level: init.config.logLevel, base: { worker: 'read' } });
const services = createServices({ db, clock, config: init.config, log: log as never });

async function answer(req: ReadRequest): Promise<ReadReply> {
  current = req.now;
  try {
    switch (req.call.method) {
      case 'tickets.list':
        return { id: req.id, ok: true, json: JSON.stringify(await services.tickets.list(req.call.actor, req.call.query)) };
    }
  } catch (e) {
    if (e instanceof AppError) {
      return { id: req.id, ok: false, appError: { status: e.status, code: e.code, messageKey: e.messageKey, params: e.params, fields: e.fields }, message: e.message };
    }
    log.error({ err: e }, 'read worker: call failed');
    return { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  return { id: req.id, ok: false, message: 'unknown call' };
}

// One call at a time: the clock above is per call, and the thread has nothing to overlap (SQLite is synchronous).
let chain: Promise<unknown> = Promise.resolve();
port.on('message', (req: ReadRequest) => {
  chain = chain.then(async () => port.postMessage(await answer(req)));
});
port.postMessage({ id: 0, ready: true } satisfies ReadReply);
