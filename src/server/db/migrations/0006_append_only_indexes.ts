// Two indexes that wrote a randomly placed page per insert, measured by the WAL frames of a group-commit batch of
// routed creates (214 pages for 32 tickets): units_serial (24 pages: serial numbers are random) and the
// notifications de-duplication key led by user_id (33 pages: a page per recipient).
// - units: no query looks a unit up by serial alone; a customer's unit is found by (customer_id, serial_number),
//   which the new index serves whole and which also serves every customer_id lookup of units_customer.
// - notifications: the unique key is the same pair, led by the key, whose ticket id grows with each create, so
//   new keys land on the last page. ON CONFLICT (user_id, dedupe_key) finds a unique index on those columns in any
//   order, on both databases.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('units_customer_serial').on('units').columns(['customer_id', 'serial_number']).execute();
  await db.schema.dropIndex('units_serial').ifExists().execute();
  await db.schema.dropIndex('units_customer').ifExists().execute();
  await db.schema.createIndex('notifications_key_user').on('notifications').columns(['dedupe_key', 'user_id']).unique().execute();
  await db.schema.dropIndex('notifications_dedupe').ifExists().execute();
}
