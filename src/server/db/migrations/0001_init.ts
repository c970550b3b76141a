// Foundation tables: accounts, customers, products, categories, tickets with their timeline, search index and counters.
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  // SQLite's INTEGER PRIMARY KEY is the rowid (no AUTOINCREMENT table needed); PostgreSQL needs an identity column.
  const withId = <T extends string>(t: CreateTableBuilder<T, never>) =>
    pg
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn('id', 'integer', (c) => c.primaryKey());

  await withId(db.schema.createTable('departments'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'integer')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('customer_id', 'integer')
    .addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_department').on('users').columns(['department_id', 'role']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('api_tokens'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_used_at', bigint)
    .execute();

  await withId(db.schema.createTable('customers'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('phone', 'text')
    .addColumn('phone_digits', 'text')
    .addColumn('email', 'text')
    .addColumn('email_lower', 'text')
    .addColumn('address', 'text')
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('special_needs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('special_needs_note', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customers_phone').on('customers').column('phone_digits').execute();
  await db.schema.createIndex('customers_email').on('customers').column('email_lower').execute();
  await db.schema.createIndex('customers_name').on('customers').columns(['name', 'id']).execute();

  await withId(db.schema.createTable('contacts'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('phone_digits', 'text')
    .addColumn('email', 'text')
    .addColumn('title', 'text')
    .execute();
  await db.schema.createIndex('contacts_customer').on('contacts').column('customer_id').execute();
  await db.schema.createIndex('contacts_phone').on('contacts').column('phone_digits').execute();

  await withId(db.schema.createTable('products'))
    .addColumn('model', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('warranty_months', 'integer', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('units'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('product_model', 'text', (c) => c.notNull())
    .addColumn('serial_number', 'text')
    .addColumn('purchase_date', 'text')
    .addColumn('install_date', 'text')
    .addColumn('warranty_end', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('units_customer').on('units').column('customer_id').execute();
  await db.schema.createIndex('units_serial').on('units').column('serial_number').execute();

  await db.schema
    .createTable('categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('parent_code', 'text')
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await withId(db.schema.createTable('tickets'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_open', 'integer', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reported_at', bigint, (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('closed_at', bigint)
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('unit_id', 'integer')
    .addColumn('product_model', 'text')
    .addColumn('serial_number', 'text')
    .addColumn('purchase_date', 'text')
    .addColumn('occurred_at', bigint)
    .addColumn('occurred_place', 'text')
    .addColumn('situation', 'text')
    .addColumn('demand', 'text')
    .addColumn('first_judgement', 'text')
    .addColumn('category', 'text')
    .addColumn('service_type', 'text')
    .addColumn('fault_class', 'text')
    .addColumn('department_id', 'integer')
    .addColumn('assignee_id', 'integer')
    .addColumn('created_by', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // The queue's views: (department | assignee | everything) × open, newest first; id breaks ties for the cursor.
  await db.schema.createIndex('tickets_dept_open').on('tickets').columns(['department_id', 'is_open', 'created_at', 'id']).execute();
  await db.schema.createIndex('tickets_assignee_open').on('tickets').columns(['assignee_id', 'is_open', 'created_at', 'id']).execute();
  await db.schema.createIndex('tickets_open').on('tickets').columns(['is_open', 'created_at', 'id']).execute();
  await db.schema.createIndex('tickets_created').on('tickets').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('tickets_customer').on('tickets').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'created_at']).execute();

  await withId(db.schema.createTable('ticket_events'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('at', bigint, (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();

  await withId(db.schema.createTable('comments'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('author_id', 'integer')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('internal', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_ticket').on('comments').columns(['ticket_id', 'id']).execute();

  await withId(db.schema.createTable('attachments'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_by', 'integer')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_ticket').on('attachments').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();

  await db.schema
    .createTable('number_counters')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  if (pg) {
    // Tokens are CJK unigrams + bigrams and lower-cased words (domain/search.ts); array containment on a GIN
    // index finds them regardless of the database's locale, which pg_trgm / to_tsvector do not.
    await db.schema
      .createTable('ticket_search')
      .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id'))
      .addColumn('tokens', sql`text[]`, (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX ticket_search_tokens ON ticket_search USING gin (tokens)`.execute(db);
  } else {
    // Contentless: the tokens are already split, so unicode61 only needs to cut at the spaces we put in.
    await sql`CREATE VIRTUAL TABLE ticket_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(
      db,
    );
  }
}
