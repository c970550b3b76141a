// Returns and exchanges (RMA), take-back repair (拉修) and loaner units (周转机), issue 16. An RMA covers units or order
// lines (rma_items); the goods it moves are serial-level rows in unit_stock_moves, append-only like the parts ledger. A
// loaner cannot be lent twice: at most one open loan per loaner (a partial unique index) besides the state check.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  const id = (t: string) => db.schema.createTable(t).addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()));

  await id('rmas')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // return | exchange | repair
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text') // what the customer reports (staff text)
    // The eligibility checklist: 1 yes, 0 no, NULL not checked yet.
    .addColumn('chk_appearance', 'integer')
    .addColumn('chk_accessories', 'integer')
    .addColumn('chk_proof', 'integer')
    .addColumn('chk_damage', 'integer')
    .addColumn('checklist_note', 'text')
    .addColumn('window_override_reason', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', bigint)
    .addColumn('in_carrier', 'text')
    .addColumn('in_tracking', 'text')
    .addColumn('in_shipped_at', bigint)
    .addColumn('received_at', bigint)
    .addColumn('received_by', 'integer')
    .addColumn('received_location_id', 'integer', (c) => c.references('stock_locations.id'))
    .addColumn('refund_fen', 'integer')
    .addColumn('outcome_note', 'text')
    .addColumn('outcome_at', bigint)
    .addColumn('outcome_by', 'integer')
    .addColumn('out_carrier', 'text')
    .addColumn('out_tracking', 'text')
    .addColumn('shipped_out_at', bigint)
    .addColumn('completed_at', bigint)
    .addColumn('cancelled_at', bigint)
    .addColumn('cancel_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('idempotency_key', 'text')
    .addCheckConstraint('rmas_refund', sql`refund_fen IS NULL OR refund_fen >= 0`)
    .execute();
  await db.schema.createIndex('rmas_idempotency').on('rmas').columns(['created_by', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('rmas_ticket').on('rmas').column('ticket_id').execute();
  await db.schema.createIndex('rmas_status').on('rmas').columns(['status', 'id']).execute();

  await id('rma_items')
    .addColumn('rma_id', 'integer', (c) => c.notNull().references('rmas.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('order_number', 'text')
    .addColumn('product_model', 'text', (c) => c.notNull())
    .addColumn('serial_number', 'text')
    .addColumn('qty', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('purchase_date', 'text')
    .addColumn('replacement_unit_id', 'integer', (c) => c.references('units.id'))
    .addCheckConstraint('rma_items_qty', sql`qty > 0`)
    .execute();
  await db.schema.createIndex('rma_items_rma').on('rma_items').column('rma_id').execute();
  await db.schema.createIndex('rma_items_unit').on('rma_items').column('unit_id').execute();
  await db.schema.createIndex('rma_items_replacement').on('rma_items').column('replacement_unit_id').execute();

  // Finished goods by serial (not spare parts): what came into the returns location and what unit went out in exchange.
  await id('unit_stock_moves')
    .addColumn('rma_id', 'integer', (c) => c.references('rmas.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // received | issued
    .addColumn('location_id', 'integer', (c) => c.notNull().references('stock_locations.id'))
    .addColumn('product_model', 'text', (c) => c.notNull())
    .addColumn('serial_number', 'text')
    .addColumn('unit_id', 'integer')
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addCheckConstraint('unit_stock_moves_qty', sql`qty > 0`)
    .execute();
  await db.schema.createIndex('unit_stock_moves_rma').on('unit_stock_moves').column('rma_id').execute();
  await db.schema.createIndex('unit_stock_moves_location').on('unit_stock_moves').columns(['location_id', 'id']).execute();
  if (pg) {
    await sql`CREATE FUNCTION unit_stock_moves_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'unit_stock_moves is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER unit_stock_moves_no_update BEFORE UPDATE OR DELETE ON unit_stock_moves FOR EACH ROW EXECUTE FUNCTION unit_stock_moves_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER unit_stock_moves_no_update BEFORE UPDATE ON unit_stock_moves BEGIN SELECT RAISE(ABORT, 'unit_stock_moves is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER unit_stock_moves_no_delete BEFORE DELETE ON unit_stock_moves BEGIN SELECT RAISE(ABORT, 'unit_stock_moves is append-only'); END`.execute(db);
  }

  await id('take_backs')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // collected | at_workshop | repaired | returned
    .addColumn('collected_at', bigint, (c) => c.notNull())
    .addColumn('collected_by', 'integer', (c) => c.notNull())
    .addColumn('at_workshop_at', bigint)
    .addColumn('at_workshop_by', 'integer')
    .addColumn('repaired_at', bigint)
    .addColumn('repaired_by', 'integer')
    .addColumn('returned_at', bigint)
    .addColumn('returned_by', 'integer')
    .addColumn('note', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .execute();
  await db.schema.createIndex('take_backs_idempotency').on('take_backs').columns(['created_by', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('take_backs_ticket').on('take_backs').column('ticket_id').execute();
  await db.schema.createIndex('take_backs_unit').on('take_backs').column('unit_id').execute();

  await id('loaners')
    .addColumn('serial_number', 'text', (c) => c.notNull().unique())
    .addColumn('product_model', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // available | lent | in_repair | retired
    .addColumn('note', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await id('loans')
    .addColumn('loaner_id', 'integer', (c) => c.notNull().references('loaners.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('visit_id', 'integer')
    .addColumn('take_back_id', 'integer')
    .addColumn('lent_at', bigint, (c) => c.notNull())
    .addColumn('lent_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('returned_at', bigint)
    .addColumn('returned_by', 'integer')
    .addColumn('return_note', 'text')
    .addColumn('idempotency_key', 'text')
    .execute();
  // The database's own guard against lending one unit twice, whatever the isolation level.
  await db.schema.createIndex('loans_one_open').on('loans').column('loaner_id').unique().where(sql.ref('returned_at'), 'is', null).execute();
  await db.schema.createIndex('loans_idempotency').on('loans').columns(['lent_by', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('loans_ticket').on('loans').column('ticket_id').execute();
  await db.schema.createIndex('loans_open_due').on('loans').columns(['returned_at', 'due_date']).execute();
}
