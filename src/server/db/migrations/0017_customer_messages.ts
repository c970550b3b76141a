// Keeping the customer informed (issue 15): what each customer chose (language, channels, opting out of non-essential
// messages, a WeChat openid once bound), the messages sent to customers (rendered text, channel, delivery state — the
// outbox row carries the retries), and the admins' edits of the message templates (the defaults live in code).
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('customers').addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN')).execute();
  // JSON array of channels (email, sms, wechat); NULL = the default (WeChat when bound, else e-mail, else SMS).
  await db.schema.alterTable('customers').addColumn('message_channels', 'text').execute();
  await db.schema.alterTable('customers').addColumn('messages_opt_out', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('customers').addColumn('wechat_openid', 'text').execute();

  await db.schema
    .createTable('customer_messages')
    .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull()) // email | sms | wechat
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON: the template's variables (SMS providers and WeChat take variables, not text).
    .addColumn('variables', 'text', (c) => c.notNull())
    // Sign-in codes: the text and variables are blanked once delivered or given up, and never sent after this.
    .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', bigint)
    .addColumn('status', 'text', (c) => c.notNull()) // queued | sent | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('sent_at', bigint)
    .execute();
  await db.schema.createIndex('customer_messages_ticket').on('customer_messages').columns(['ticket_id', 'id']).execute();
  await db.schema.createIndex('customer_messages_customer').on('customer_messages').columns(['customer_id', 'id']).execute();

  await db.schema
    .createTable('message_templates')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addPrimaryKeyConstraint('message_templates_pk', ['event', 'channel', 'locale'])
    .execute();
}
