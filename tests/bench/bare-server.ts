// The ceiling: a bare Fastify 5 route doing one plain better-sqlite3 insert per request (autocommit, so one fsync each).
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';

interface BareBody {
  title?: string;
  description?: string;
  customer?: { name?: string; phone?: string };
  productModel?: string;
  serialNumber?: string;
}

export function bareServer(dataDir: string): { app: FastifyInstance; close(): void; file: string } {
  const file = path.join(dataDir, 'bare.db');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS bare_tickets (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, customer_name TEXT, customer_phone TEXT,
    product_model TEXT, serial_number TEXT, created_at INTEGER NOT NULL)`);
  const insert = db.prepare(
    'INSERT INTO bare_tickets (title, description, customer_name, customer_phone, product_model, serial_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const app = Fastify({ logger: false });
  app.post('/bare', async (req, reply) => {
    const b = req.body as BareBody;
    const r = insert.run(b.title ?? '', b.description ?? '', b.customer?.name ?? null, b.customer?.phone ?? null, b.productModel ?? null, b.serialNumber ?? null, Date.now());
    reply.code(201);
    return { id: Number(r.lastInsertRowid) };
  });
  return { app, file, close: () => db.close() };
}
