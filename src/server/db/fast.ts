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
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function run<T>(db: Database, trx: Kysely<DB>, sqliteText: string, pgText: string, params: unknown[]): T[] | Promise<T[]> {
  if (db.sqlite) {
    const writer = db.sqlite.writer;
    let cache = statements.get(writer);
    if (!cache) statements.set(writer, (cache = new Map()));
    let stmt = cache.get(sqliteText);
    if (!stmt) cache.set(sqliteText, (stmt = writer.prepare(sqliteText)));
    if (stmt.reader) return stmt.all(params) as T[];
    stmt.run(params);
    return [];
  }
  return trx.executeQuery<T>(CompiledQuery.raw(pgText, params)).then((r) => r.rows);
}

/** Runs `text` (with `?` placeholders) inside the caller's transaction `trx` and returns its rows. */
export async function fastQuery<T>(db: Database, trx: Kysely<DB>, text: string, params: readonly unknown[]): Promise<T[]> {
  let pgText = texts.get(text);
  if (pgText === undefined) {
    let i = 0;
    pgText = text.replace(/\?/g, () => `$${++i}`);
    texts.set(text, pgText);
  }
  return run<T>(db, trx, text, pgText, params as unknown[]);
}

/** INSERT of one row (columns in the row's key order); `returning` a column name, e.g. `id`. */
export async function fastInsert<T = unknown>(db: Database, trx: Kysely<DB>, table: keyof DB & string, row: Record<string, unknown>, returning?: string): Promise<T | undefined> {
  const keys = Object.keys(row);
  const key = `${table}\u0000${keys.join(',')}\u0000${returning ?? ''}`;
  let sqliteText = texts.get(key);
  if (sqliteText === undefined) {
    const cols = keys.map((k) => `"${k}"`).join(', ');
    const tail = returning ? ` RETURNING "${returning}"` : '';
    sqliteText = `INSERT INTO "${table}" (${cols}) VALUES (${keys.map(() => '?').join(', ')})${tail}`;
    texts.set(key, sqliteText);
    texts.set(key + '\u0000pg', `INSERT INTO "${table}" (${cols}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})${tail}`);
  }
  const rows = await run<T>(db, trx, sqliteText, texts.get(key + '\u0000pg')!, keys.map((k) => row[k]));
  return rows[0];
}
