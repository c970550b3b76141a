// Database access for both dialects: typed Kysely handles for reads, and one write entry point that group-commits on SQLite.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { ensurePrivateDir, ensurePrivateFile, narrowIfExists, PRIVATE_FILE_MODE } from './files.js';
import { WriteLock } from './write-lock.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly dialect: Dialect;
  /** For reads that need no transaction. On SQLite this is a separate connection that sees committed data. */
  readonly read: Kysely<DB>;
  /**
   * Runs `fn` in a transaction and resolves once it is durably committed. `fn` must only touch the database
   * (no file or network IO): on SQLite it shares one transaction with the other writes of this event-loop turn,
   * and may run twice (a failing neighbour makes the batch replay): keep it free of side effects outside the
   * database. PostgreSQL also retries it on serialization failures.
   */
  write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /**
   * SQLite only, inside `write`: runs the statement at the end of the current batch, just before its COMMIT, as
   * part of the same job (a failing job's deferred statements are dropped with it). For FTS5 index writes: FTS5
   * writes its pending index data out whenever a later statement of the transaction opens a statement journal,
   * so an index write in the middle of a batch is flushed once per request instead of once per batch.
   */
  deferUntilCommit?(sqlText: string, params: unknown[]): void;
  close(): Promise<void>;
  /**
   * SQLite only: lets a write worker (writers/pool.ts) write the same file beside this connection. From now on this
   * side's batches take turns with the worker's through a lock: give its buffer to the worker, and call workerGone
   * when the worker has exited, so a turn it held or waited for is freed.
   */
  shareWrites?(): { buffer: SharedArrayBuffer; workerGone(): void };
  /** The raw SQLite handles, for tests and maintenance (backup, EXPLAIN). */
  readonly sqlite?: { writer: BetterSqlite3.Database; reader: BetterSqlite3.Database; file: string };
  readonly pgPool?: pg.Pool;
}

// int8 (bigint) columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

/** better-sqlite3 compiles a statement on every prepare(); Kysely prepares per query, so cache by SQL text. */
function withStatementCache(db: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = db.prepare(sqlText);
        if (cache.size > 2000) cache.clear();
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

interface Job {
  fn: (trx: Kysely<DB>) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * One writer, group commit: the writes queued during one event-loop turn run in a single transaction, and every
 * caller is answered only after COMMIT (fsync with synchronous=FULL). This keeps durability per request while paying
 * for one fsync per batch. A failing request rolls back alone: the batch is then replayed with a savepoint per job.
 */
class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  readonly read: Kysely<DB>;
  private readonly writer: Kysely<DB>;
  private queue: Job[] = [];
  private scheduled = false;
  private flushing = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private deferred: [string, unknown[]][] = [];
  private readonly deferredStatements = new Map<string, BetterSqlite3.Statement>();
  readonly sqlite: { writer: BetterSqlite3.Database; reader: BetterSqlite3.Database; file: string };
  /** Set when another thread writes this file too (shareWrites, or this is that thread's connection). */
  private lock: WriteLock | null;

  constructor(file: string, lock: WriteLock | null = null) {
    this.lock = lock;
    // SQLite gives the -wal and -shm files the database file's permissions, so a 0600 file keeps them 0600 too.
    ensurePrivateDir(path.dirname(file));
    ensurePrivateFile(file);
    for (const extra of ['-wal', '-shm']) narrowIfExists(file + extra, PRIVATE_FILE_MODE);
    const w = new BetterSqlite3(file);
    w.pragma('journal_mode = WAL');
    w.pragma('synchronous = FULL');
    w.pragma('busy_timeout = 5000');
    w.pragma('foreign_keys = ON');
    const r = new BetterSqlite3(file);
    r.pragma('busy_timeout = 5000');
    r.pragma('query_only = 1');
    this.sqlite = { writer: w, reader: r, file };
    this.writer = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(w) }) });
    this.read = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(r) }) });
  }

  write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  shareWrites() {
    const lock = (this.lock ??= new WriteLock(WriteLock.create(), 1));
    return { buffer: lock.buffer, workerGone: () => lock.forgetSide(2) };
  }

  deferUntilCommit(sqlText: string, params: unknown[]) {
    if (!this.flushing) throw new Error('deferUntilCommit outside a write');
    this.deferred.push([sqlText, params]);
  }

  private runDeferred() {
    const list = this.deferred;
    this.deferred = [];
    for (const [text, params] of list) {
      let stmt = this.deferredStatements.get(text);
      if (!stmt) this.deferredStatements.set(text, (stmt = this.sqlite.writer.prepare(text)));
      stmt.run(params);
    }
  }

  private schedule() {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase, so every request parsed in this turn joins the batch.
    setImmediate(() => void this.flush());
  }

  private async flush() {
    this.scheduled = false;
    this.flushing = true;
    // Before the batch is taken: writes that arrive while the other thread holds the lock join this batch.
    if (this.lock) await this.lock.acquire();
    const batch = this.queue;
    this.queue = [];
    const raw = this.sqlite.writer;
    let results: { ok: boolean; value: unknown }[] = [];
    try {
      raw.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const job of batch) job.reject(e);
      this.afterFlush();
      return;
    }
    // Optimistic first: no savepoints, because FTS5 writes its pending index data out at every savepoint,
    // which makes each indexed insert several times dearer. If any job fails, the whole batch is rolled back
    // and replayed with one savepoint per job, so the failing request fails alone.
    let failed = false;
    for (const job of batch) {
      try {
        results.push({ ok: true, value: await job.fn(this.writer) });
      } catch {
        failed = true;
        break;
      }
    }
    if (!failed) {
      try {
        this.runDeferred();
      } catch {
        failed = true;
      }
    }
    if (failed) {
      results = [];
      this.deferred = [];
      try {
        raw.exec('ROLLBACK');
        raw.exec('BEGIN IMMEDIATE');
      } catch (e) {
        for (const job of batch) job.reject(e);
        this.afterFlush();
        return;
      }
      for (const job of batch) {
        raw.exec('SAVEPOINT job');
        try {
          const value = await job.fn(this.writer);
          this.runDeferred();
          raw.exec('RELEASE job');
          results.push({ ok: true, value });
        } catch (e) {
          this.deferred = [];
          try {
            raw.exec('ROLLBACK TO job');
            raw.exec('RELEASE job');
          } catch {
            // the transaction itself is gone (e.g. disk full); COMMIT below fails and rejects the batch
          }
          results.push({ ok: false, value: e });
        }
      }
    }
    try {
      raw.exec('COMMIT');
    } catch (e) {
      try {
        if (raw.inTransaction) raw.exec('ROLLBACK');
      } catch {
        /* nothing left to undo */
      }
      for (const job of batch) job.reject(e);
      this.afterFlush();
      return;
    }
    batch.forEach((job, i) => (results[i].ok ? job.resolve(results[i].value) : job.reject(results[i].value)));
    this.afterFlush();
  }

  private afterFlush() {
    if (this.lock?.held) this.lock.release();
    this.flushing = false;
    if (this.queue.length > 0) this.schedule();
    else for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when every queued write has committed. */
  drain(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close() {
    await this.drain();
    this.closed = true;
    try {
      // The server thread's close checkpoints; the write worker's would race the server thread's writes.
      if (this.lock?.side !== 2) this.sqlite.writer.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* a reader may hold the WAL; the next start checkpoints */
    }
    await this.read.destroy();
    await this.writer.destroy();
  }
}

class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  readonly read: Kysely<DB>;
  readonly pgPool: pg.Pool;

  constructor(url: string, poolSize: number) {
    this.pgPool = new pg.Pool({ connectionString: url, max: poolSize });
    // An idle client that errors (server restart) must not crash the process; the pool replaces it.
    this.pgPool.on('error', () => {});
    this.read = new Kysely<DB>({ dialect: new PostgresDialect({ pool: this.pgPool }) });
  }

  async write<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.read.transaction().execute(fn);
      } catch (e) {
        // Serialization failures and deadlocks are safe to retry: the transaction did nothing.
        const code = (e as { code?: string }).code;
        if ((code === '40001' || code === '40P01') && attempt < 5) continue;
        throw e;
      }
    }
  }

  async close() {
    await this.read.destroy();
  }
}

/**
 * A read-only view of an embedded database for a read worker (readers/worker.ts): the same connection serves
 * Kysely reads and readSql, and `write` refuses, so a code path that writes by mistake fails loudly.
 */
class SqliteReadOnlyDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  readonly read: Kysely<DB>;
  readonly sqlite: { writer: BetterSqlite3.Database; reader: BetterSqlite3.Database; file: string };

  constructor(file: string) {
    const r = new BetterSqlite3(file, { fileMustExist: true });
    r.pragma('busy_timeout = 5000');
    r.pragma('query_only = 1');
    this.sqlite = { writer: r, reader: r, file };
    this.read = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(r) }) });
  }

  write<T>(): Promise<T> {
    return Promise.reject(new Error('write on a read-only database'));
  }

  async close() {
    await this.read.destroy();
  }
}

/** The embedded database file as the write worker opens it: its batches take turns with the server thread's. */
export function openSharedDatabase(file: string, lock: SharedArrayBuffer): Database {
  return new SqliteDatabase(file, new WriteLock(lock, 2));
}

/** The embedded database file, opened read-only (for read workers). */
export function openReadOnlyDatabase(file: string): Database {
  return new SqliteReadOnlyDatabase(file);
}

export function openDatabase(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }): Database {
  if (opts.databaseUrl) return new PostgresDatabase(opts.databaseUrl, opts.poolSize ?? 10);
  return new SqliteDatabase(path.join(opts.dataDir, 'aftercare.db'));
}

/** Unique-constraint violation on either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
