// WriteLock (write-lock.ts), the embedded database's write turn shared by the server thread (side 1) and the write
// worker (side 2). Proves: mutual exclusion, without blocking the waiting side's event loop; fairness (the side that
// held it last does not take it again while the other waits, but a lone side re-takes it at once); forgetSide frees
// the turn a dead side held or waited for; a release by a side that does not hold it throws. Most tests put both sides
// in this thread (Atomics.waitAsync needs no second thread); the last two run side 2 in a real worker thread, as the
// product does.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WriteLock } from './write-lock.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Both sides over a fresh buffer. */
function pair() {
  const buffer = WriteLock.create();
  return { one: new WriteLock(buffer, 1), two: new WriteLock(buffer, 2) };
}

/** An acquire whose settling the test can watch without awaiting it. */
function watch(p: Promise<void>) {
  const w = { done: false, promise: p };
  void p.then(() => (w.done = true));
  return w;
}

/** Fails instead of hanging when a lock is never granted. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('WriteLock, both sides in one thread', () => {
  it('keeps the other side waiting while one holds it, and hands it over on release', async () => {
    const { one, two } = pair();
    await one.acquire();
    expect(one.held).toBe(true);
    const second = watch(two.acquire());
    // The wait is asynchronous: timers still fire in this thread while side 2 waits.
    await tick(30);
    expect(second.done).toBe(false);
    expect(two.held).toBe(false);
    one.release();
    await within(second.promise, 1000, 'side 2 after release');
    expect(two.held).toBe(true);
    expect(one.held).toBe(false);
    // And the other way round.
    const first = watch(one.acquire());
    await tick(30);
    expect(first.done).toBe(false);
    two.release();
    await within(first.promise, 1000, 'side 1 after release');
    expect(one.held).toBe(true);
  });

  it('gives the waiting side the next turn when the holder releases and asks again at once', async () => {
    const { one, two } = pair();
    const order: string[] = [];
    await one.acquire();
    const second = two.acquire().then(() => order.push('two'));
    await tick(10);
    // Release and re-acquire in the same synchronous step: a plain lock would let side 1 win again (it sees the
    // lock free before side 2 has even woken up), starving side 2 for as long as side 1 keeps writing.
    one.release();
    const again = one.acquire().then(() => order.push('one'));
    await within(second, 1000, 'side 2 first');
    await tick(20);
    expect(order).toEqual(['two']);
    expect(two.held).toBe(true);
    two.release();
    await within(again, 1000, 'side 1 after side 2');
    expect(order).toEqual(['two', 'one']);
    one.release();
  });

  it('lets a side that nobody waits for take it again and again without waiting', async () => {
    const { one } = pair();
    for (let i = 0; i < 5; i++) {
      const got = watch(one.acquire());
      // Granted before any timer could run: no wait at all when the other side does not want it.
      await Promise.resolve();
      await Promise.resolve();
      expect(got.done, `round ${i}`).toBe(true);
      one.release();
    }
  });

  it('frees the turn of a side that died holding it (forgetSide)', async () => {
    const { one, two } = pair();
    await two.acquire();
    const first = watch(one.acquire());
    await tick(30);
    expect(first.done).toBe(false);
    // Side 2 "dies" without releasing; the server thread forgets it.
    one.forgetSide(2);
    await within(first.promise, 1000, 'side 1 after forgetSide(2)');
    expect(one.held).toBe(true);
    expect(two.held).toBe(false);
    // The dead side's late release must not free side 1's turn.
    expect(() => two.release()).toThrow(/does not hold/);
    expect(one.held).toBe(true);
    one.release();
  });

  it('forgets a dead side that was only waiting, so fairness no longer holds the live side back', async () => {
    const { one, two } = pair();
    await one.acquire();
    // Side 2 starts waiting; forgetSide(2) clears its wish. (Its acquire goes on looping here in this thread, as a
    // dead thread's would not; it is let in at the end so that nothing is left waiting.)
    const zombie = two.acquire();
    await tick(10);
    one.forgetSide(2);
    one.release();
    const again = watch(one.acquire());
    await tick(30);
    expect(again.done).toBe(true);
    expect(one.held).toBe(true);
    one.release();
    await within(zombie, 1000, 'the zombie side');
    two.release();
  });

  it('throws when a side releases a lock it does not hold', async () => {
    const { one, two } = pair();
    expect(() => one.release()).toThrow('write lock released by a side that does not hold it');
    await one.acquire();
    expect(() => two.release()).toThrow('write lock released by a side that does not hold it');
    // The failed release changed nothing.
    expect(one.held).toBe(true);
    one.release();
    expect(() => one.release()).toThrow('write lock released by a side that does not hold it');
  });
});

// ---------------------------------------------------------------- side 2 in a real worker thread

/**
 * A worker thread running `body` with `lock` (a WriteLock on side 2 over the shared buffer), `shared` (an Int32Array
 * over a second buffer) and `post`. TypeScript is loaded through tsx's API, as threads.ts does for the real workers.
 */
function sideTwo(body: string, lockBuffer: SharedArrayBuffer, sharedBuffer: SharedArrayBuffer) {
  const tsxApi = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const lockHref = new URL('./write-lock.ts', import.meta.url).href;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    // A pending Atomics.waitAsync does not keep a thread alive (the real worker listens on its port, as here).
    parentPort.on('message', () => {});
    import(${JSON.stringify(tsxApi)})
      .then(({ tsImport }) => tsImport(${JSON.stringify(lockHref)}, ${JSON.stringify(lockHref)}))
      .then(async ({ WriteLock }) => {
        const lock = new WriteLock(workerData.lock, 2);
        const shared = new Int32Array(workerData.shared);
        const post = (m) => parentPort.postMessage(m);
        ${body}
      })
      .catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
  `;
  const worker = new Worker(source, { eval: true, workerData: { lock: lockBuffer, shared: sharedBuffer } });
  const messages: unknown[] = [];
  worker.on('message', (m) => messages.push(m));
  const next = (pred: (m: any) => boolean, ms = 10_000) =>
    within(
      new Promise<any>((resolve, reject) => {
        const check = () => {
          const err = messages.find((m: any) => m && m.error);
          if (err) return reject(new Error((err as { error: string }).error));
          const m = messages.find(pred);
          if (m) return resolve(m);
          setTimeout(check, 5);
        };
        check();
      }),
      ms,
      'message from side 2',
    );
  return { worker, next };
}

describe('WriteLock across threads', () => {
  it('serialises two threads doing read-modify-write with awaits in between (no lost update)', async () => {
    const lockBuffer = WriteLock.create();
    // [0] the counter, [1] the start signal (the worker takes a while to load: both must run at the same time).
    const sharedBuffer = new SharedArrayBuffer(8);
    const shared = new Int32Array(sharedBuffer);
    const ROUNDS = 40;
    // Each critical section reads the counter, yields to its event loop, then writes it back: without mutual
    // exclusion the two threads overwrite each other's increments.
    const w = sideTwo(
      `
      post({ loaded: true });
      const go = Atomics.waitAsync(shared, 1, 0);
      if (go.async) await go.value;
      for (let i = 0; i < ${ROUNDS}; i++) {
        await lock.acquire();
        const v = Atomics.load(shared, 0);
        await new Promise((r) => setTimeout(r, 1));
        Atomics.store(shared, 0, v + 1);
        lock.release();
      }
      post({ done: true });
      `,
      lockBuffer,
      sharedBuffer,
    );
    try {
      const one = new WriteLock(lockBuffer, 1);
      await w.next((m) => m.loaded);
      Atomics.store(shared, 1, 1);
      Atomics.notify(shared, 1);
      for (let i = 0; i < ROUNDS; i++) {
        await one.acquire();
        const v = Atomics.load(shared, 0);
        await tick(1);
        Atomics.store(shared, 0, v + 1);
        one.release();
      }
      await w.next((m) => m.done);
      expect(Atomics.load(shared, 0)).toBe(2 * ROUNDS);
    } finally {
      await w.worker.terminate();
    }
  });

  it('lets the server thread write again after the worker thread was terminated holding the lock', async () => {
    const lockBuffer = WriteLock.create();
    const w = sideTwo(`await lock.acquire(); post({ holding: true });`, lockBuffer, new SharedArrayBuffer(4));
    const one = new WriteLock(lockBuffer, 1);
    await w.next((m) => m.holding);
    const mine = watch(one.acquire());
    await tick(50);
    expect(mine.done).toBe(false);
    await w.worker.terminate();
    // Termination alone frees nothing: the lock lives in shared memory, not in the dead thread.
    await tick(50);
    expect(mine.done).toBe(false);
    one.forgetSide(2);
    await within(mine.promise, 1000, 'side 1 after the worker died');
    expect(one.held).toBe(true);
    one.release();
  });
});
