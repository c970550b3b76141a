// Late registrations are the exception (seed 001 wants every ticket registered within 2 h), so their index holds
// only them: a full (late_registration, created_at, id) index cost every create one more b-tree insert for a column
// that is almost always 0, and showed in the creation benchmark. Reports and the queue filter ask for the late ones.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('tickets_late_registration').execute();
  await sql`CREATE INDEX tickets_late_registration ON tickets (created_at, id) WHERE late_registration = 1`.execute(db);
  void dialect;
}
