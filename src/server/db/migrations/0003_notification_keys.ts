// In-app notifications carry their de-duplication key in a column with a unique index, so "once per logical
// event" is a constraint instead of a scan of the user's notifications.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('dedupe_key', 'text').execute();
  if (dialect === 'postgres') await sql`UPDATE notifications SET dedupe_key = (data::jsonb ->> 'dedupeKey')`.execute(db);
  else await sql`UPDATE notifications SET dedupe_key = json_extract(data, '$.dedupeKey')`.execute(db);
  // Older duplicates (if any) keep their first row only.
  await sql`DELETE FROM notifications WHERE dedupe_key IS NOT NULL AND id NOT IN (SELECT min(id) FROM notifications WHERE dedupe_key IS NOT NULL GROUP BY user_id, dedupe_key)`.execute(db);
  await db.schema.createIndex('notifications_dedupe').on('notifications').columns(['user_id', 'dedupe_key']).unique().execute();
}
