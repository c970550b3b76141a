// Settlement review (审核结算, issue 16): the reviewer's decision on a finished visit's charges and parts. One row per
// visit, overwritten by a later decision; `fingerprint` is what was decided on (the charges' version and the parts
// used), so a change afterwards puts the visit up for review again without touching this row.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('settlement_reviews')
    .addColumn('visit_id', 'integer', (c) => c.primaryKey().references('visits.id'))
    .addColumn('state', 'text', (c) => c.notNull()) // approved | rejected
    .addColumn('note', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reviewed_at', bigint, (c) => c.notNull())
    .execute();
  // The month's finished visits: the list and the monthly settlement read by the time the engineer left.
  await db.schema.createIndex('visits_left').on('visits').column('left_at').where('left_at', 'is not', null).execute();
}
