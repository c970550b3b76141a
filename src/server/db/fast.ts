// Hot-path statements with their SQL text built once: the ticket-create path runs about ten statements per
// request, and building and compiling each through Kysely's query builder cost more than SQLite executing it.
// On SQLite they run as cached prepared statements on the writer connection — the connection every write
// transaction runs on — so they are part of the caller's transaction. Table and column names come from code,
// never from input; values are always bound parameters.
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './connect.js';
import type { DB } from './schema.js';

const texts = new Map<string, string>();

/** `?` placeholders → PostgreSQL's `$1, $2, …` (no `?` ever appears in this code's SQL other than as a placeholder). */
function toPg(text: string): string {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
}
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function statementFor(writer: BetterSqlite3.Database, sqliteText: string): BetterSqlite3.Statement {
  let cache = statements.get(writer);
  if (!cache) statements.set(writer, (cache = new Map()));
  let stmt = cache.get(sqliteText);
  if (!stmt) cache.set(sqliteText, (stmt = writer.prepare(sqliteText)));
  return stmt;
}

function run<T>(db: Database, trx: Kysely<DB>, sqliteText: string, pgText: string, params: unknown[]): T[] | Promise<T[]> {
  if (db.sqlite) {
    const stmt = statementFor(db.sqlite.writer, sqliteText);
    if (stmt.reader) return stmt.all(params) as T[];
    stmt.run(params);
    return [];
  }
  return trx.executeQuery<T>(CompiledQuery.raw(pgText, params)).then((r) => r.rows);
}

/** Runs `text` (with `?` placeholders) inside the caller's transaction `trx` and returns its rows. */
export async function fastQuery<T>(db: Database, trx: Kysely<DB>, text: string, params: readonly unknown[]): Promise<T[]> {
  let pgText = texts.get(text);
  if (pgText === undefined) texts.set(text, (pgText = toPg(text)));
  return run<T>(db, trx, text, pgText, params as unknown[]);
}

interface InsertSql {
  sqlite: string;
  pg: string;
  /** SQLite, `returning` the INTEGER PRIMARY KEY `id`: run() and lastInsertRowid instead of RETURNING, which buffers a result row. */
  rowid: boolean;
}
/**
 * By table and returned column, then by column list: built once, looked up once per insert. The column lists are
 * compared name by name (the names are the same interned strings each time, so each test is a pointer compare)
 * rather than joined into a key: joining the ticket's 45 column names and hashing the result for the lookup cost a
 * create about 2 µs and 1 KB of garbage.
 */
const inserts = new Map<string, Map<string, { keys: string[]; sql: InsertSql }[]>>();

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** INSERT of one row (columns in the row's key order); `returning` a column name, e.g. `id` (on SQLite `id` must be the table's INTEGER PRIMARY KEY). */
/**
 * `ifAbsent` names a unique key's columns: a row already holding that key is left alone and the insert returns
 * undefined instead of failing (ON CONFLICT … DO NOTHING, which also waits out a racing insert of the same key on
 * PostgreSQL rather than aborting the transaction).
 */
export async function fastInsert<T = unknown>(
  db: Database,
  trx: Kysely<DB>,
  table: keyof DB & string,
  row: Record<string, unknown>,
  returning?: string,
  ifAbsent?: readonly string[],
): Promise<T | undefined> {
  const keys = Object.keys(row);
  let byReturning = inserts.get(table);
  if (!byReturning) inserts.set(table, (byReturning = new Map()));
  const variant = ifAbsent ? `${returning ?? ''}|${ifAbsent.join(',')}` : (returning ?? '');
  let known = byReturning.get(variant);
  if (!known) byReturning.set(variant, (known = []));
  let sql: InsertSql | undefined;
  for (const k of known) {
    if (sameKeys(k.keys, keys)) {
      sql = k.sql;
      break;
    }
  }
  if (sql === undefined) {
    const cols = keys.map((k) => `"${k}"`).join(', ');
    const tail = returning ? ` RETURNING "${returning}"` : '';
    const rowid = returning === 'id';
    const conflict = ifAbsent ? ` ON CONFLICT (${ifAbsent.map((c) => `"${c}"`).join(', ')}) DO NOTHING` : '';
    sql = {
      sqlite: `INSERT INTO "${table}" (${cols}) VALUES (${keys.map(() => '?').join(', ')})${conflict}${rowid ? '' : tail}`,
      pg: `INSERT INTO "${table}" (${cols}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})${conflict}${tail}`,
      rowid,
    };
    known.push({ keys, sql });
  }
  // The values in the keys' order (both follow the row's property order).
  const params = Object.values(row);
  if (sql.rowid && db.sqlite) {
    const done = statementFor(db.sqlite.writer, sql.sqlite).run(params);
    // lastInsertRowid keeps the previous insert's id when ON CONFLICT skipped this one.
    return done.changes === 0 ? undefined : ({ id: Number(done.lastInsertRowid) } as T);
  }
  const rows = await run<T>(db, trx, sql.sqlite, sql.pg, params);
  return rows[0];
}

interface RawRead {
  stmt: BetterSqlite3.Statement;
  toRow: (values: unknown[]) => unknown;
}
const rawReads = new WeakMap<BetterSqlite3.Database, Map<string, RawRead>>();

/**
 * Runs `text` (with `?` placeholders) outside any transaction: the reader connection on SQLite, the pool on
 * PostgreSQL. On SQLite the rows come back as arrays and are turned into objects by a function built once per
 * statement: better-sqlite3 builds each row object property by property, which was half the SQL time of a 50-row
 * queue page (1.36 ms against 0.65 ms as arrays). Column names come from the SQL text, which comes from code.
 */
export async function readSql<T>(db: Database, text: string, params: readonly unknown[]): Promise<T[]> {
  if (!db.sqlite) {
    let pgText = texts.get(text);
    if (pgText === undefined) {
      // Queue queries vary with their filters: keep the cache bounded.
      if (texts.size > 5000) texts.clear();
      texts.set(text, (pgText = toPg(text)));
    }
    return (await db.read.executeQuery<T>(CompiledQuery.raw(pgText, params as unknown[]))).rows;
  }
  const reader = db.sqlite.reader;
  let cache = rawReads.get(reader);
  if (!cache) rawReads.set(reader, (cache = new Map()));
  let read = cache.get(text);
  if (!read) {
    const stmt = reader.prepare(text).raw(true);
    const names = stmt.columns().map((c) => c.name);
    const toRow = new Function('v', `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`) as RawRead['toRow'];
    if (cache.size > 500) cache.clear();
    cache.set(text, (read = { stmt, toRow }));
  }
  const arrays = read.stmt.all(params as unknown[]) as unknown[][];
  const rows = new Array<T>(arrays.length);
  for (let i = 0; i < arrays.length; i++) rows[i] = read.toRow(arrays[i]) as T;
  return rows;
}
