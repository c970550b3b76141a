import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connect.js';

describe('SQLite group commit', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-gc-'));
  const db = openDatabase({ dataDir: dir });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes of one turn together, and a failing write rolls back alone', async () => {
    await db.write((trx) => sql`CREATE TABLE t (v TEXT)`.execute(trx));
    const insert = (v: string, fail = false) =>
      db.write(async (trx) => {
        await sql`INSERT INTO t (v) VALUES (${v})`.execute(trx);
        if (fail) throw new Error(`boom ${v}`);
        return v;
      });
    const results = await Promise.allSettled([insert('a'), insert('b', true), insert('c'), insert('d')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('boom b');
    const rows = db.sqlite!.reader.prepare('SELECT v FROM t ORDER BY v').all();
    expect(rows).toEqual([{ v: 'a' }, { v: 'c' }, { v: 'd' }]);
  });

  it('runs deferred statements with their job before COMMIT, and drops those of a failing job', async () => {
    await db.write((trx) => sql`CREATE TABLE d (v TEXT)`.execute(trx));
    const write = (v: string, fail: 'no' | 'in job' | 'deferred' = 'no') =>
      db.write(async () => {
        db.deferUntilCommit!(fail === 'deferred' ? 'INSERT INTO no_such_table (v) VALUES (?)' : 'INSERT INTO d (v) VALUES (?)', [v]);
        if (fail === 'in job') throw new Error(`boom ${v}`);
        return v;
      });
    // A clean batch: every deferred row lands.
    await Promise.all([write('a'), write('b')]);
    // A job that fails after deferring, and a job whose deferred statement fails: both fail alone.
    const results = await Promise.allSettled([write('c'), write('x', 'in job'), write('y', 'deferred'), write('e')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const rows = db.sqlite!.reader.prepare('SELECT v FROM d ORDER BY v').all();
    expect(rows).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }, { v: 'e' }]);
    expect(() => db.deferUntilCommit!('INSERT INTO d (v) VALUES (?)', ['z'])).toThrow(/outside a write/);
  });

  it('answers a write only once it is durable (synchronous=FULL, WAL)', async () => {
    expect(db.sqlite!.writer.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.sqlite!.writer.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
