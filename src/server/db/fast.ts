// Hot-path statements with their SQL text built once: the ticket-create path runs about ten statements per
// request, and building and compiling each through Kysely's query builder cost more than SQLite executing it.
// Table and column names come from code, never from input; values are always bound parameters.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from './connect.js';
import type { DB } from './schema.js';

const texts = new Map<string, string>();

function placeholders(dialect: Dialect, text: string): string {
  if (dialect === 'sqlite') return text;
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
}

/** Runs `text` (with `?` placeholders) and returns its rows. */
export async function fastQuery<T>(db: Kysely<DB>, dialect: Dialect, text: string, params: readonly unknown[]): Promise<T[]> {
  const key = dialect + '\u0000' + text;
  let sqlText = texts.get(key);
  if (sqlText === undefined) {
    sqlText = placeholders(dialect, text);
    texts.set(key, sqlText);
  }
  const res = await db.executeQuery<T>(CompiledQuery.raw(sqlText, params as unknown[]));
  return res.rows;
}

/** INSERT of one row (columns in the row's key order); `returning` as in SQL (`id`, `*`). */
export async function fastInsert<T = unknown>(db: Kysely<DB>, dialect: Dialect, table: keyof DB & string, row: Record<string, unknown>, returning?: string): Promise<T | undefined> {
  const keys = Object.keys(row);
  const key = `${dialect}\u0000${table}\u0000${keys.join(',')}\u0000${returning ?? ''}`;
  let sqlText = texts.get(key);
  if (sqlText === undefined) {
    const cols = keys.map((k) => `"${k}"`).join(', ');
    const marks = keys.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?')).join(', ');
    sqlText = `INSERT INTO "${table}" (${cols}) VALUES (${marks})${returning ? ` RETURNING ${returning === '*' ? '*' : `"${returning}"`}` : ''}`;
    texts.set(key, sqlText);
  }
  const res = await db.executeQuery<T>(CompiledQuery.raw(sqlText, keys.map((k) => row[k])));
  return res.rows[0];
}
