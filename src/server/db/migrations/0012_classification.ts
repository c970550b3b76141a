// Classification as seed 001 has it: several categories per ticket (the primary stays in tickets.category, the
// others in ticket_categories), late registration (> 2 h after first contact) as a stored flag reports can count,
// and the derived priority's inputs (impact, urgency), what it derived and whether staff overrode it.
// The seeded tree gains 其他 / 需求反馈 where an installation does not have it yet.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('ticket_categories')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    // 1, 2, …: the order the staff gave after the primary (position 0 is tickets.category).
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_categories_pk', ['ticket_id', 'category'])
    .execute();
  // The queue's "any category" filter looks tickets up by category.
  await db.schema.createIndex('ticket_categories_category').on('ticket_categories').columns(['category', 'ticket_id']).execute();

  await db.schema.alterTable('tickets').addColumn('late_registration', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('tickets').addColumn('impact', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('urgency', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('derived_priority', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('priority_overridden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Tickets registered before this migration count too (the limit of domain/priority.ts REGISTRATION_LIMIT_MS).
  await sql`UPDATE tickets SET late_registration = 1 WHERE created_at - reported_at > ${2 * 60 * 60_000}`.execute(db);
  await db.schema.createIndex('tickets_late_registration').on('tickets').columns(['late_registration', 'created_at', 'id']).execute();

  const has = await db.selectFrom('categories').select('code').where('code', '=', 'other.requirement_feedback').executeTakeFirst();
  const hasOther = await db.selectFrom('categories').select('code').where('code', '=', 'other').executeTakeFirst();
  // Only into a tree that has 其他 (an empty database gets the whole tree from seed/base.ts).
  if (!has && hasOther) {
    await db
      .insertInto('categories')
      .values({ code: 'other.requirement_feedback', parent_code: 'other', name_zh: '需求反馈', name_en: 'Requirement feedback', sort: 25, active: 1 })
      .execute();
  }
  void dialect;
}
