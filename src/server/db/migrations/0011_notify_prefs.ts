// Notifications people can live with: each user's choice of channels per kind (NULL = their role's defaults), and
// group robots that belong to a department (NULL = company-wide), which carry what that department's people chose to
// have sent to their group. The daily digest needs no table: its once-a-day key lives in the existing unique keys of
// notifications (dedupe_key, user_id) and the outbox (dedupe_key); its count of a day's breaches and escalations has a
// partial index.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('notify_prefs', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('department_id', 'integer').execute();
  // The digest counts a day's breaches and escalations: a partial index keeps that from reading the whole timeline,
  // and costs nothing on the other events' inserts.
  await sql`CREATE INDEX ticket_events_digest ON ticket_events (at) WHERE kind IN ('sla_breach', 'escalated')`.execute(db);
}
