// Small reusable query pieces shared by repositories.
import { sql, type Expression, type SqlBool } from 'kysely';

/** Escapes LIKE wildcards so user text matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** `column LIKE pattern ESCAPE '\'` — the ESCAPE clause makes the backslash work on SQLite as on PostgreSQL. */
export function like(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}
