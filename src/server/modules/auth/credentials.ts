// Ending a user's credentials, on its own so that the users service (password reset, deactivation) can call it
// without importing the auth service, which imports the users service (an import circle).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * Ends a user's sessions (all but `keepSession`) and revokes all their API tokens, inside the caller's transaction:
 * on a password change or reset and on deactivation, so reactivating someone never brings an old token back.
 */
export async function endCredentials(trx: Kysely<DB>, userId: number, keepSession: string | null = null): Promise<void> {
  let sessions = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSession) sessions = sessions.where('id_hash', '!=', keepSession);
  await sessions.execute();
  await trx.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
}
