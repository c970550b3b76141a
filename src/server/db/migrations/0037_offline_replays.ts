// Offline field work (issue 16): the engineer's phone queues step presses and photos while it has no network and
// sends them again when it is back, each with an Idempotency-Key, so a replay (or a retry after a lost answer) never
// records a step twice or attaches a photo twice. visit_step_keys holds the keys of recorded steps; attachments get
// the key of the upload that made them (NULL keys never collide).
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('visit_step_keys')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visits.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('visit_step_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema.alterTable('attachments').addColumn('idempotency_key', 'text').execute();
  await db.schema.createIndex('attachments_idempotency').on('attachments').columns(['uploaded_by', 'idempotency_key']).unique().execute();
}
