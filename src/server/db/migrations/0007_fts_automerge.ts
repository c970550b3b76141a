// FTS5 merges its index segments as it goes: with the default `automerge` of 4, every fourth segment at a level is
// merged into the next, so a posting is rewritten once per level. Group commit writes one small segment per batch
// (~50 tickets), and that merge work ran inside the batch's COMMIT, on the single writer: measured on 30,000
// tickets in batches of 50, COMMIT took 31–56 µs per ticket with 4 against 20–35 µs with 16 (5 µs without the
// index at all), while a search for a 1- or 2-character word took the same 60–75 µs either way. 16 halves the
// levels a posting is copied through; searches read a few more segments, which costs them nothing measurable.
// PostgreSQL has no such setting (its search index is a GIN index over `ticket_search.tokens`).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export const FTS_AUTOMERGE = 16;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('automerge', ${sql.lit(FTS_AUTOMERGE)})`.execute(db);
}
