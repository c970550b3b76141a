// Spare parts (issue 16, SPEC §9): the catalog, which product models a part fits, stock locations (warehouses and
// engineers' vans), stock per (part, location) and the append-only ledger of every move. The database refuses what
// the service must never write: negative stock, more reserved than on hand (CHECK), and an edited or deleted ledger
// row (triggers).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  const id = (t: string) => db.schema.createTable(t).addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()));

  await id('parts')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('uom', 'text', (c) => c.notNull())
    // Money in integer fen (分): no floating-point cents.
    .addColumn('unit_cost', 'integer', (c) => c.notNull())
    .addColumn('list_price', 'integer', (c) => c.notNull())
    // The global low-stock threshold of available stock in a warehouse (a location's own threshold overrides it).
    .addColumn('low_stock_threshold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('search_text', 'text', (c) => c.notNull()) // code, names and models, lower-cased: the catalog search
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('part_products')
    .addColumn('part_id', 'integer', (c) => c.notNull().references('parts.id'))
    .addColumn('product_model', 'text', (c) => c.notNull().references('products.model'))
    .addPrimaryKeyConstraint('part_products_pk', ['part_id', 'product_model'])
    .execute();
  await db.schema.createIndex('part_products_model').on('part_products').column('product_model').execute();

  await id('stock_locations')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // warehouse | van
    .addColumn('owner_id', 'integer', (c) => c.references('users.id')) // a van's engineer
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stock_locations_owner').on('stock_locations').column('owner_id').execute();

  await db.schema
    .createTable('part_stock')
    .addColumn('part_id', 'integer', (c) => c.notNull().references('parts.id'))
    .addColumn('location_id', 'integer', (c) => c.notNull().references('stock_locations.id'))
    .addColumn('on_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('threshold', 'integer') // this location's own low-stock threshold; null = the part's (warehouses)
    .addColumn('low_alerted', 'integer', (c) => c.notNull().defaultTo(0)) // an alert went out for this crossing
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('part_stock_pk', ['part_id', 'location_id'])
    .addCheckConstraint('part_stock_sound', sql`on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand`)
    .execute();
  await db.schema.createIndex('part_stock_location').on('part_stock').column('location_id').execute();

  await id('stock_moves')
    .addColumn('part_id', 'integer', (c) => c.notNull().references('parts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('from_location_id', 'integer', (c) => c.references('stock_locations.id'))
    .addColumn('to_location_id', 'integer', (c) => c.references('stock_locations.id'))
    .addColumn('reserved_delta', 'integer', (c) => c.notNull().defaultTo(0)) // at from_location_id
    .addColumn('unit_cost', 'integer', (c) => c.notNull()) // the part's cost when moved: reports value what happened
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('visit_id', 'integer') // the visits module (to come) refers to its visit here
    .addColumn('reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addCheckConstraint('stock_moves_qty', sql`qty > 0`)
    .execute();
  // A retried request with the same key finds its move instead of making another (NULL keys never collide).
  await db.schema.createIndex('stock_moves_idempotency').on('stock_moves').columns(['created_by', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('stock_moves_part').on('stock_moves').columns(['part_id', 'id']).execute();
  await db.schema.createIndex('stock_moves_ticket').on('stock_moves').column('ticket_id').execute();
  await db.schema.createIndex('stock_moves_visit').on('stock_moves').column('visit_id').execute();
  await db.schema.createIndex('stock_moves_created').on('stock_moves').columns(['created_at', 'kind']).execute();

  // The ledger is append-only: a correction is a new move (an adjustment), never an edit.
  if (pg) {
    await sql`CREATE FUNCTION stock_moves_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'stock_moves is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER stock_moves_no_update BEFORE UPDATE OR DELETE ON stock_moves FOR EACH ROW EXECUTE FUNCTION stock_moves_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER stock_moves_no_update BEFORE UPDATE ON stock_moves BEGIN SELECT RAISE(ABORT, 'stock_moves is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER stock_moves_no_delete BEFORE DELETE ON stock_moves BEGIN SELECT RAISE(ABORT, 'stock_moves is append-only'); END`.execute(db);
  }
}
