// The embedded database's write turn, shared by the server thread and the write worker (writers/pool.ts). Each side
// group-commits its own writes on its own connection; this lock decides whose batch goes next, so neither side ever
// meets SQLITE_BUSY — whose busy handler would sleep the whole thread, event loop and all — and waits without blocking.

const OWNER = 0; // 0 free, else the holder's side
const WANT = 1; // WANT + side - 1: that side waits for the lock
const LAST = 3; // the side that held it last
const GEN = 4; // bumped on every change a waiter may wait for
const SLOTS = 5;

export type LockSide = 1 | 2;

/**
 * A lock for two sides (1: the server thread, 2: the write worker) over a SharedArrayBuffer, taken with
 * `Atomics.waitAsync`, so a waiting thread keeps serving its event loop. Fair: while one side waits, the side that
 * held the lock last does not take it again (a busy writer cannot starve the other).
 */
export class WriteLock {
  private readonly cells: Int32Array;
  private readonly other: LockSide;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly side: LockSide,
  ) {
    this.cells = new Int32Array(buffer);
    this.other = side === 1 ? 2 : 1;
  }

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  }

  /** True while this side holds the lock. */
  get held(): boolean {
    return Atomics.load(this.cells, OWNER) === this.side;
  }

  async acquire(): Promise<void> {
    const c = this.cells;
    Atomics.store(c, WANT + this.side - 1, 1);
    this.bump();
    for (;;) {
      // Read the generation first: a change after this read makes the wait below return at once.
      const gen = Atomics.load(c, GEN);
      const myTurn = Atomics.load(c, WANT + this.other - 1) === 0 || Atomics.load(c, LAST) !== this.side;
      if (myTurn && Atomics.compareExchange(c, OWNER, 0, this.side) === 0) {
        Atomics.store(c, WANT + this.side - 1, 0);
        Atomics.store(c, LAST, this.side);
        return;
      }
      const waited = Atomics.waitAsync(c, GEN, gen);
      if (waited.async) await waited.value;
    }
  }

  release(): void {
    if (Atomics.compareExchange(this.cells, OWNER, this.side, 0) !== this.side) throw new Error('write lock released by a side that does not hold it');
    this.bump();
  }

  /**
   * The server thread, after the write worker died: frees what the worker held or waited for. SQLite itself rolled the
   * worker's open transaction back when its connection closed with the thread.
   */
  forgetSide(side: LockSide): void {
    const c = this.cells;
    Atomics.store(c, WANT + side - 1, 0);
    Atomics.compareExchange(c, OWNER, side, 0);
    this.bump();
  }

  private bump() {
    Atomics.add(this.cells, GEN, 1);
    Atomics.notify(this.cells, GEN);
  }
}
