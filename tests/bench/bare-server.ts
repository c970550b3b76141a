// The ceilings: a bare Fastify 5 route writing one row per request with better-sqlite3, in two forms.
// - 'bare': one plain insert per request (autocommit, so one fsync each): the "bare-insert ceiling".
// - 'bare-gc': the same row plus its Chinese search-index row (FTS5, the app's tokenizer), written by group commit —
//   the requests of one event-loop turn share one transaction and one fsync — with synchronous=FULL: the issue's
//   "group commit with a search index" reference, i.e. what the app's write path costs without the app around it.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { ftsIndexTokens, joinTokens } from '../../src/server/domain/search.js';

interface BareBody {
  title?: string;
  description?: string;
  customer?: { name?: string; phone?: string };
  productModel?: string;
  serialNumber?: string;
}

type Row = [string, string, string | null, string | null, string | null, string | null, number];

const rowOf = (b: BareBody): Row => [b.title ?? '', b.description ?? '', b.customer?.name ?? null, b.customer?.phone ?? null, b.productModel ?? null, b.serialNumber ?? null, Date.now()];

export function bareServer(dataDir: string, kind: 'bare' | 'bare-gc' = 'bare'): { app: FastifyInstance; close(): void; file: string } {
  const file = path.join(dataDir, 'bare.db');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS bare_tickets (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, customer_name TEXT, customer_phone TEXT,
    product_model TEXT, serial_number TEXT, created_at INTEGER NOT NULL)`);
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS bare_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`);
  const insert = db.prepare(
    'INSERT INTO bare_tickets (title, description, customer_name, customer_phone, product_model, serial_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const index = db.prepare('INSERT INTO bare_fts (rowid, tokens) VALUES (?, ?)');
  const app = Fastify({ logger: false });
  if (kind === 'bare') {
    app.post('/bare', async (req, reply) => {
      const r = insert.run(rowOf(req.body as BareBody));
      reply.code(201);
      return { id: Number(r.lastInsertRowid) };
    });
    return { app, file, close: () => db.close() };
  }
  let queue: { row: Row; tokens: string; resolve: (id: number) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      const ids = batch.map((j) => Number(insert.run(j.row).lastInsertRowid));
      // Index rows after the table rows, as the app does (db/connect.ts deferUntilCommit): one FTS5 flush per batch.
      batch.forEach((j, i) => index.run(ids[i], j.tokens));
      db.exec('COMMIT');
      batch.forEach((j, i) => j.resolve(ids[i]));
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const j of batch) j.reject(e);
    }
  };
  app.post('/bare', async (req, reply) => {
    const b = req.body as BareBody;
    const row = rowOf(b);
    const tokens = joinTokens(ftsIndexTokens(b.title, b.description, b.productModel, b.serialNumber, b.customer?.name));
    const id = await new Promise<number>((resolve, reject) => {
      queue.push({ row, tokens, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
    reply.code(201);
    return { id };
  });
  return { app, file, close: () => db.close() };
}
