// The sweeper's hourly calendar-coverage check looks for open tickets whose deadlines ran into a year without
// holiday data; a partial index keeps that from walking every open ticket.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('tickets_uncovered')
    .on('tickets')
    .columns(['is_open', 'sla_policy_id'])
    .where(sql.ref('sla_uncovered_years'), 'is not', null)
    .execute();
}
