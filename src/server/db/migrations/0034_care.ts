// Installation acceptance, inspection plans, care reminders and repeat-repair links (issue 16). Each "once" the sweeper
// promises is a unique key here: one occurrence per plan and cycle, one care contact per unit and rule, one repeat
// link per ticket.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const serial = (c: any) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey());

  // A product's own installation checklist (JSON string[]); without one the product line's defaults apply (domain/care.ts).
  await db.schema
    .createTable('installation_checklists')
    .addColumn('product_model', 'text', (c) => c.primaryKey())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  // An installation visit's checklist as ticked, and the customer's sign-off.
  await db.schema
    .createTable('installation_acceptances')
    .addColumn('visit_id', 'integer', (c) => c.primaryKey().references('visits.id'))
    .addColumn('items', 'text', (c) => c.notNull()) // JSON string[]: the list as it stood when the visit started
    .addColumn('done', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]: ticked labels
    .addColumn('signer_name', 'text')
    .addColumn('signature', 'text') // PNG data URL when drawn
    .addColumn('accepted_on', 'text')
    .addColumn('accepted_at', bigint)
    .addColumn('accepted_by', 'integer')
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('inspection_plans')
    .addColumn('id', 'integer', serial)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('unit_id', 'integer')
    .addColumn('interval_months', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('engineer_ids', 'text', (c) => c.notNull()) // JSON number[]
    .addColumn('lead_days', 'integer', (c) => c.notNull())
    .addColumn('remind_days', 'integer', (c) => c.notNull())
    .addColumn('first_date', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('inspection_occurrences')
    .addColumn('id', 'integer', serial)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('inspection_plans.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('cycle_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('move_reason', 'text')
    .addColumn('ticket_id', 'integer')
    .addColumn('subtask_id', 'integer')
    .addColumn('reminded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue_notified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_at', bigint)
    .addColumn('completed_by', 'integer')
    .addColumn('note', 'text')
    // The next China day the sweeper has something to do for it (null: nothing more); a claim while it creates the ticket.
    .addColumn('check_on', 'text')
    .addColumn('claimed_until', bigint)
    .execute();
  await db.schema.createIndex('inspection_occurrences_plan_seq').on('inspection_occurrences').columns(['plan_id', 'seq']).unique().execute();
  await db.schema.createIndex('inspection_occurrences_check').on('inspection_occurrences').column('check_on').execute();
  await db.schema.createIndex('inspection_occurrences_ticket').on('inspection_occurrences').column('ticket_id').execute();

  await db.schema
    .createTable('care_contacts')
    .addColumn('id', 'integer', serial)
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull()) // customer_messages.dedupe_key prefix
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('contacted_at', bigint)
    .addColumn('contacted_by', 'integer')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('care_contacts_unit_rule').on('care_contacts').columns(['unit_id', 'rule']).unique().execute();
  // The 2-year rule finds units by the day they came into use.
  await db.schema.createIndex('units_acceptance_date').on('units').column('acceptance_date').execute();
  await db.schema.createIndex('units_purchase_date').on('units').column('purchase_date').execute();

  await db.schema
    .createTable('ticket_links')
    .addColumn('id', 'integer', serial)
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id')) // the repeat
    .addColumn('linked_ticket_id', 'integer', (c) => c.notNull().references('tickets.id')) // the first repair
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('fault_class', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_links_ticket_kind').on('ticket_links').columns(['ticket_id', 'kind']).unique().execute();
  await db.schema.createIndex('ticket_links_linked').on('ticket_links').column('linked_ticket_id').execute();
}
