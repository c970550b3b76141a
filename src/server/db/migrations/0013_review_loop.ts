// The review loop as seed 001 and seed 000 §二(四)3 mean it (issue 14):
// - `settings`: small admin-edited key/value settings (which department is the service desk, who reviews solutions);
// - `tickets.reopen_count`: how often a ticket was reopened, so the second reopening starts a second review;
// - `second_reviews`: the second review (二次复核) of an unsatisfied complaint or a twice-reopened ticket, a record
//   kept beside the ticket (the rework goes on while it is pending) with its finding;
// - tickets waiting for the old "second review of a satisfied complaint" are closed: a satisfied customer closes
//   the ticket now, complaint or not. Each gets a timeline entry saying so.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const id = (t: string) => db.schema.createTable(t).addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()));

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();

  await db.schema.alterTable('tickets').addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Reopenings so far: every customer rejection (a staff reopening of a closed ticket left no mark of its own).
  await sql`UPDATE tickets SET reopen_count = (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'customer_rejected')
            WHERE tickets.id IN (SELECT ticket_id FROM ticket_events WHERE kind = 'customer_rejected')`.execute(db);

  await id('second_reviews')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('reason', 'text', (c) => c.notNull()) // complaint_rejected | reopened_again
    .addColumn('requested_at', bigint, (c) => c.notNull())
    // Who may not do it: the reviewer who approved the rejected solution and the solution's author.
    .addColumn('first_reviewer_id', 'integer')
    .addColumn('solution_by', 'integer')
    .addColumn('reviewer_id', 'integer')
    .addColumn('reviewed_at', bigint)
    .addColumn('verdict', 'text') // upheld | service_failure
    .addColumn('finding', 'text')
    .addColumn('next_steps', 'text')
    .execute();
  await db.schema.createIndex('second_reviews_ticket').on('second_reviews').columns(['ticket_id', 'id']).execute();

  // Satisfied complaints parked for the old second review: closed, as a satisfied customer's ticket is now.
  const now = Date.now();
  const parked = (await sql<{ id: number; assignee_id: number | null }>`SELECT id, assignee_id FROM tickets WHERE status = 'pending_review' AND review_stage = 'second'`.execute(db)).rows;
  for (const t of parked) {
    const data = JSON.stringify({
      changes: [{ field: 'status', before: 'pending_review', after: 'closed' }],
      note: null,
      details: { migration: '0013_review_loop', reason: 'satisfied_closes' },
    });
    await sql`INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES (${t.id}, ${now}, NULL, 'status_changed', ${data})`.execute(db);
    await sql`UPDATE tickets SET status = 'closed', is_open = 0, closed_at = ${now}, review_stage = NULL, version = version + 1, updated_at = ${now} WHERE id = ${t.id}`.execute(db);
    if (t.assignee_id !== null) {
      await sql`UPDATE user_load SET open_assigned = CASE WHEN open_assigned > 0 THEN open_assigned - 1 ELSE 0 END WHERE user_id = ${t.assignee_id}`.execute(db);
    }
  }
}
