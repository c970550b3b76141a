// On-site visits (issue 16): a visit belongs to a ticket (and its unit), an engineer and a time window; the engineer's
// steps are timestamps. engineer_profiles holds what the dispatcher ranks engineers by: service area and product lines.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('visits')
    .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('unit_id', 'integer')
    .addColumn('engineer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('window_start', bigint, (c) => c.notNull())
    .addColumn('window_end', bigint, (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('area', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('parts', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]: free list until the parts module reserves
    .addColumn('loaner_needed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text')
    .addColumn('accepted_at', bigint)
    .addColumn('departed_at', bigint)
    .addColumn('arrived_at', bigint)
    .addColumn('work_done_at', bigint)
    .addColumn('signed_at', bigint)
    .addColumn('charged_at', bigint)
    .addColumn('left_at', bigint)
    .addColumn('cancelled_at', bigint)
    .addColumn('cancel_reason', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The board and the free-slot search read an engineer's (or everyone's) visits in a date range.
  await db.schema.createIndex('visits_engineer_window').on('visits').columns(['engineer_id', 'window_start']).execute();
  await db.schema.createIndex('visits_window').on('visits').columns(['window_start']).execute();
  await db.schema.createIndex('visits_ticket').on('visits').columns(['ticket_id']).execute();

  await db.schema
    .createTable('engineer_profiles')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('area', 'text')
    .addColumn('product_lines', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[] of products.line codes
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
}
