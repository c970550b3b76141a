// Service promises: calendars, SLA policies, stored deadlines on tickets, routing, sub-tasks, escalation,
// review, notifications and the outbox.
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  const withId = <T extends string>(t: CreateTableBuilder<T, never>) =>
    pg
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn('id', 'integer', (c) => c.primaryKey());

  await withId(db.schema.createTable('calendars'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // china | custom | always
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('week_hours', 'text', (c) => c.notNull()) // JSON {0..6: [[startMin, endMin], …]}
    .addColumn('workday_hours', 'text') // JSON [[startMin, endMin], …] for make-up working days
    .addColumn('covered_years', 'text', (c) => c.notNull().defaultTo('[]')) // years whose days admins entered
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('calendar_days')
    .addColumn('calendar_id', 'integer', (c) => c.notNull().references('calendars.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // holiday | workday
    .addColumn('note', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_days_pk', ['calendar_id', 'date'])
    .execute();

  await withId(db.schema.createTable('sla_policies'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('priority', 'text')
    .addColumn('customer_tier', 'text')
    .addColumn('product_line', 'text')
    .addColumn('service_type', 'text')
    .addColumn('calendar_id', 'integer', (c) => c.notNull().references('calendars.id'))
    .addColumn('first_response_minutes', 'integer')
    .addColumn('start_handling_minutes', 'integer')
    .addColumn('first_solution_minutes', 'integer')
    .addColumn('resolve_minutes', 'integer')
    .addColumn('update_interval_minutes', 'integer')
    .addColumn('follow_up_minutes', 'integer')
    .addColumn('warn_percent', 'integer', (c) => c.notNull().defaultTo(80))
    .addColumn('escalate_after_minutes', 'integer', (c) => c.notNull().defaultTo(0)) // after a breach
    .addColumn('manager_ack_minutes', 'integer', (c) => c.notNull().defaultTo(240))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  const ticketColumns: [string, string, string?][] = [
    ['sla_policy_id', 'integer'],
    ['first_response_due_at', bigint],
    ['start_handling_due_at', bigint],
    ['first_solution_due_at', bigint],
    ['resolve_due_at', bigint],
    ['next_update_due_at', bigint],
    ['follow_up_due_at', bigint],
    ['sla_warn_at', 'text'], // JSON {clock: epochMs | null}
    ['sla_uncovered_years', 'text'], // JSON [year, …] the deadlines ran through without holiday data
    ['first_responded_at', bigint],
    ['handling_started_at', bigint],
    ['first_solution_at', bigint],
    ['resolved_at', bigint],
    ['last_update_at', bigint],
    ['followed_up_at', bigint],
    ['paused_at', bigint],
    ['sla_pauses', 'text', "'[]'"],
    ['sla_warned', 'integer', '0'], // bit per clock: its warning fired
    ['sla_breached', 'integer', '0'], // bit per clock: its breach fired
    ['next_due_at', bigint], // nearest unmet deadline, for "sort by deadline"
    ['sla_check_at', bigint], // when the sweeper must look at this ticket next
    ['escalate_at', bigint], // when a breached ticket escalates to level 1 (breach + the policy's delay)
    ['escalation_level', 'integer', '0'],
    ['escalated_to', 'integer'],
    ['escalated_at', bigint],
    ['escalation_ack_due_at', bigint],
    ['escalation_acked_at', bigint],
    ['improvement_due_at', bigint],
    ['solution', 'text'],
    ['solution_by', 'integer'],
    ['review_stage', 'text'], // null | first | second
    ['reviewed_by', 'integer'],
    ['routing_rule_id', 'integer'],
  ];
  for (const [name, type, def] of ticketColumns) {
    await db.schema
      .alterTable('tickets')
      .addColumn(name, sql.raw(type), (c) => (def !== undefined ? c.notNull().defaultTo(sql.raw(def)) : c))
      .execute();
  }
  // Tickets from before the clocks existed have no deadline: they sort after every real one.
  await sql`UPDATE tickets SET next_due_at = 8640000000000000`.execute(db);
  await db.schema.createIndex('tickets_sla_check').on('tickets').column('sla_check_at').where(sql.ref('sla_check_at'), 'is not', null).execute();
  await db.schema.createIndex('tickets_open_due').on('tickets').columns(['is_open', 'next_due_at', 'id']).execute();
  await db.schema.createIndex('tickets_dept_open_due').on('tickets').columns(['department_id', 'is_open', 'next_due_at', 'id']).execute();

  await db.schema
    .createTable('user_load')
    .addColumn('user_id', 'integer', (c) => c.primaryKey())
    .addColumn('open_assigned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db.schema.createTable('routing_rules'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('category_prefix', 'text')
    .addColumn('product_line', 'text')
    .addColumn('customer_tier', 'text')
    .addColumn('channel', 'text')
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('strategy', 'text', (c) => c.notNull()) // none | round_robin | least_loaded | skill
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('routing_cursors')
    .addColumn('department_id', 'integer', (c) => c.primaryKey())
    .addColumn('last_user_id', 'integer', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('subtasks'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('owner_id', 'integer')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_at', bigint)
    .addColumn('status', 'text', (c) => c.notNull()) // open | done | cancelled
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('done_at', bigint)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('subtasks_ticket').on('subtasks').columns(['ticket_id', 'id']).execute();
  await db.schema.createIndex('subtasks_department').on('subtasks').columns(['department_id', 'status']).execute();

  await withId(db.schema.createTable('notifications'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('ticket_id', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull()) // JSON: number, title, priority, clock, level, …
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('read_at', bigint)
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();

  await withId(db.schema.createTable('webhooks'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // generic | dingtalk | wecom | feishu
    .addColumn('secret', 'text')
    .addColumn('events', 'text', (c) => c.notNull().defaultTo('["*"]'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('outbox'))
    .addColumn('channel', 'text', (c) => c.notNull()) // email | webhook
    .addColumn('target', 'text', (c) => c.notNull()) // e-mail address | webhook id
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('next_attempt_at', bigint, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', bigint)
    .addColumn('delivered_at', bigint)
    .addColumn('failed_at', bigint)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['next_attempt_at']).where(sql.ref('delivered_at'), 'is', null).execute();
}
