// customers_name (name, id) served no query: customer search matches names anywhere in the text (LIKE '%…%'), which no
// B-tree index helps, and nothing sorts customers by name. Every new customer paid for it: one more randomly placed
// index page written per customer, in the phone-intake path that creates most customers.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('customers_name').ifExists().execute();
}
