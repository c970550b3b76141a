// The service network (服务网点, issue 16): outside organisations — authorised repair shops, installers — that take
// visits with their own engineers. A provider's people are users with `provider_id` set (roles engineer or
// dispatcher); what they see is limited to the tickets a visit of theirs is on (domain/access.ts). Engineer profiles
// gain the areas they serve beside their home area.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  await db.schema
    .createTable('service_providers')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('areas', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]: districts served
    .addColumn('product_lines', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[] of products.line codes
    .addColumn('note', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Set once, when the providers module creates the person; never changed (their visits' visibility follows it).
  await db.schema.alterTable('users').addColumn('provider_id', 'integer', (c) => c.references('service_providers.id')).execute();
  await db.schema.createIndex('users_provider').on('users').column('provider_id').execute();
  await db.schema.alterTable('engineer_profiles').addColumn('areas', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}
