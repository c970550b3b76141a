// The customer portal (issue 15): one-time sign-in codes (only their keyed hash is stored), sessions limited to one
// ticket (a visitor following a signed link), the identity such a visitor acts as, and the look-up of customer
// accounts by the phone number or e-mail address they sign in with.
import { type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  let codes = db.schema.createTable('login_codes');
  codes = pg
    ? codes.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : codes.addColumn('id', 'integer', (c) => c.primaryKey());
  await codes
    // `email:<lower-cased address>` or `phone:<digits>`: what the visitor typed, normalised.
    .addColumn('target', 'text', (c) => c.notNull())
    // HMAC-SHA256 of the code under a key derived from the installation's link secret: a 6-digit code's plain hash
    // would be reversed by trying all million codes.
    .addColumn('code_hash', 'text', (c) => c.notNull())
    // The account it signs in; null when none matched (the visitor is answered alike, and nothing is sent).
    .addColumn('user_id', 'integer')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', bigint)
    .execute();
  await db.schema.createIndex('login_codes_target').on('login_codes').columns(['target', 'created_at']).execute();

  // A link session sees and acts on this one ticket only (null: an ordinary session).
  await db.schema.alterTable('sessions').addColumn('ticket_id', 'integer').execute();
  // 1: the identity a customer's one-ticket link sessions act as (one per customer; it never signs in).
  await db.schema.alterTable('users').addColumn('link_identity', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('users_login_phone').on('users').column('phone').execute();
  await db.schema.createIndex('users_login_email').on('users').column('email').execute();
  // When the customer would like to be called back (the portal's request form): their words, shown to staff.
  await db.schema.alterTable('tickets').addColumn('preferred_contact', 'text').execute();
  await db.schema.createIndex('users_customer').on('users').column('customer_id').execute();
}
