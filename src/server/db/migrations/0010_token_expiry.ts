// API tokens may expire (`expires_at`, epoch ms; null = never), and a user's tokens are listed and revoked together
// (on a password change or reset, and on deactivation), so they are found by user.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('expires_at', dialect === 'postgres' ? 'bigint' : 'integer').execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
}
