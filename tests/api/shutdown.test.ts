// SIGTERM under load: the server answers the requests in flight, stops the write worker after it has answered every
// create it holds, checkpoints the database and exits 0 — promptly, although the clients keep their connections open.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, freePort, startServer, waitHealthy } from './processes.js';

describe('graceful shutdown on SQLite, with the write worker', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    for (const c of cleanups.reverse()) c();
  });

  it('answers every create in flight, exits 0 within seconds and leaves a checkpointed database', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-stop-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startServer({ DATA_DIR: dataDir, AFTERCARE_ADMIN_PASSWORD: 'shutdown-pw', PORT: String(port), AFTERCARE_WRITE_WORKER: '1', AFTERCARE_READ_WORKERS: '0' });
    cleanups.push(() => void server.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    await waitHealthy(base);
    const token = await bearer(base, 'shutdown-pw');
    // Until the worker has loaded, creates run on the server thread: wait for one the worker could have answered.
    await new Promise((r) => setTimeout(r, 1500));

    // Clients that keep their (keep-alive) connections busy: each sends its next create as soon as one is answered.
    const answered = new Map<number, string>();
    let refused = 0;
    let stop = false;
    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await fetch(`${base}/api/tickets`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ title: `停机测试 ${c}-${i}`, description: '关机时仍在处理的工单', customer: { name: '停机客户', phone: '13900001111' } }),
          });
          if (r.status === 201) answered.set(c * 100_000 + i, ((await r.json()) as { number: string }).number);
          else {
            // Only a request that reached a closing server may be turned away, and then with 503.
            expect(r.status).toBe(503);
            refused++;
          }
        } catch {
          refused++; // the listener was already closed
          return;
        }
      }
    };
    const clients = Array.from({ length: 20 }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, 1500));
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    const code = await exited;
    const tookMs = Date.now() - signalledAt;
    stop = true;
    await Promise.all(clients);

    expect(code).toBe(0);
    // Before, a connection busy at the signal kept the close waiting for its 72 s keep-alive, and the 15 s forced exit
    // (code 1) cut the worker's and the database's orderly close.
    expect(tookMs).toBeLessThan(5_000);
    expect(answered.size).toBeGreaterThan(20);
    const db = new Database(path.join(dataDir, 'aftercare.db'), { readonly: true });
    const numbers = new Set((db.prepare("SELECT number FROM tickets WHERE title LIKE '停机测试%'").all() as { number: string }[]).map((r) => r.number));
    db.close();
    for (const number of answered.values()) expect(numbers.has(number), `answered ticket ${number} is in the database`).toBe(true);
    // The server thread's close checkpoints into the main file and truncates the WAL.
    const wal = path.join(dataDir, 'aftercare.db-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  });
});
