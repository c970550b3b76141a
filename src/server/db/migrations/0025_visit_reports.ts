// Completing an on-site visit (issue 16): the service report (diagnosis, cause, fault class, work done), the visit's
// photos and the customer's signature (attachments of the ticket, linked here), and the charges: the quote the
// customer saw and accepted before the work, and what was collected with its receipt number. Parts reserved for and
// used on a visit live in the stock ledger (stock_moves.visit_id), not here.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('visit_reports')
    .addColumn('visit_id', 'integer', (c) => c.primaryKey().references('visits.id'))
    .addColumn('diagnosis', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cause', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('fault_class', 'text')
    .addColumn('work_done', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('visit_attachments')
    .addColumn('attachment_id', 'integer', (c) => c.primaryKey().references('attachments.id'))
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visits.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'signature' | 'photo'
    .execute();
  await db.schema.createIndex('visit_attachments_visit').on('visit_attachments').columns(['visit_id']).execute();

  await db.schema
    .createTable('visit_charges')
    .addColumn('visit_id', 'integer', (c) => c.primaryKey().references('visits.id'))
    .addColumn('warranty_status', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull()) // JSON ChargeLine[] as quoted
    .addColumn('total', 'integer', (c) => c.notNull()) // fen, what the customer pays
    .addColumn('cost', 'integer', (c) => c.notNull()) // fen, parts at cost (recorded on warranty jobs too)
    .addColumn('quoted_at', bigint, (c) => c.notNull())
    .addColumn('quoted_by', 'integer')
    .addColumn('accepted_at', bigint)
    .addColumn('accepted_name', 'text')
    .addColumn('paid_method', 'text')
    .addColumn('paid_ref', 'text')
    .addColumn('paid_amount', 'integer')
    .addColumn('receipt_number', 'text', (c) => c.unique())
    .addColumn('charged_at', bigint)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
