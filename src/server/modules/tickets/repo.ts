// SQL for tickets: the row shape with its customer, visibility and paging fragments, and the search index per dialect.
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { TicketSort } from '../../../shared/enums.js';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { seesAllTickets, type Actor } from '../../domain/access.js';
import { ftsMatchExpression, joinTokens } from '../../domain/search.js';
import type { SlaRowFields } from '../sla/service.js';
import { fastInsert, fastQuery } from '../../db/fast.js';

export interface TicketRow extends SlaRowFields {
  id: number;
  number: string;
  title: string;
  description: string;
  status: string;
  is_open: number;
  priority: string;
  channel: string;
  reported_at: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  customer_id: number;
  unit_id: number | null;
  product_model: string | null;
  serial_number: string | null;
  purchase_date: string | null;
  occurred_at: number | null;
  occurred_place: string | null;
  situation: string | null;
  demand: string | null;
  first_judgement: string | null;
  category: string | null;
  service_type: string | null;
  fault_class: string | null;
  department_id: number | null;
  assignee_id: number | null;
  created_by: number | null;
  version: number;
  improvement_due_at: number | null;
  solution: string | null;
  solution_by: number | null;
  review_stage: string | null;
  reviewed_by: number | null;
  routing_rule_id: number | null;
}

export interface TicketWithCustomer extends TicketRow {
  c_name: string;
  c_company: string | null;
  c_phone: string | null;
  c_email: string | null;
  c_tier: string;
  c_special_needs: number;
}

export function selectTicketWithCustomer(db: Kysely<DB>) {
  return db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .selectAll('tickets')
    .select([
      'customers.name as c_name',
      'customers.company as c_company',
      'customers.phone as c_phone',
      'customers.email as c_email',
      'customers.tier as c_tier',
      'customers.special_needs as c_special_needs',
    ]);
}

/** Columns the queue shows (not the long texts of the detail page; the description only as far as its excerpt). */
const LIST_COLUMNS = [
  'id', 'number', 'title', 'status', 'is_open', 'priority', 'channel', 'reported_at', 'created_at', 'updated_at', 'closed_at',
  'customer_id', 'product_model', 'serial_number', 'purchase_date', 'occurred_at', 'demand', 'category', 'service_type',
  'fault_class', 'department_id', 'assignee_id', 'created_by', 'version', 'sla_policy_id', 'first_response_due_at',
  'start_handling_due_at', 'first_solution_due_at', 'resolve_due_at', 'next_update_due_at', 'follow_up_due_at', 'sla_warn_at',
  'sla_uncovered_years', 'first_responded_at', 'handling_started_at', 'first_solution_at', 'resolved_at', 'last_update_at',
  'followed_up_at', 'paused_at', 'sla_pauses', 'sla_warned', 'sla_breached', 'next_due_at', 'escalation_level', 'escalated_to',
  'escalated_at', 'escalation_ack_due_at', 'escalation_acked_at', 'improvement_due_at', 'review_stage',
] as const;

export function selectTicketListRows(db: Kysely<DB>) {
  return db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(LIST_COLUMNS.map((c) => `tickets.${c}` as const))
    .select([
      sql<string>`substr(tickets.description, 1, 121)`.as('description'),
      'customers.name as c_name',
      'customers.company as c_company',
      'customers.phone as c_phone',
      'customers.email as c_email',
      'customers.tier as c_tier',
      'customers.special_needs as c_special_needs',
    ]);
}

/** Restricts a ticket query to what the actor may see (domain/access.ts canSeeTicket, as SQL). */
export function visibleTo<QB extends SelectQueryBuilder<DB, 'tickets' | any, any>>(qb: QB, actor: Actor): QB {
  if (actor.role === 'customer') return qb.where('tickets.customer_id', '=', actor.customerId ?? -1) as QB;
  if (seesAllTickets(actor.role)) return qb;
  return qb.where((eb: ExpressionBuilder<DB, 'tickets'>) =>
    eb.or([
      eb('tickets.department_id', 'is', null),
      eb('tickets.department_id', '=', actor.departmentId ?? -1),
      eb('tickets.assignee_id', '=', actor.id),
      eb('tickets.created_by', '=', actor.id),
      eb('tickets.id', 'in', eb.selectFrom('subtasks').select('subtasks.ticket_id').where('subtasks.department_id', '=', actor.departmentId ?? -1)),
    ]),
  ) as QB;
}

/** Sort columns and direction per sort; the id always breaks ties so the cursor is exact. */
export const SORTS: Record<TicketSort, { column: 'created_at' | 'updated_at' | 'reported_at' | 'next_due_at'; dir: 'asc' | 'desc'; byPriority: boolean }> = {
  due: { column: 'next_due_at', dir: 'asc', byPriority: false },
  created_desc: { column: 'created_at', dir: 'desc', byPriority: false },
  created_asc: { column: 'created_at', dir: 'asc', byPriority: false },
  reported_desc: { column: 'reported_at', dir: 'desc', byPriority: false },
  updated_desc: { column: 'updated_at', dir: 'desc', byPriority: false },
  priority: { column: 'created_at', dir: 'desc', byPriority: true },
};

/** Restricts to tickets whose index tokens contain every query token. */
export function matchingSearch(dialect: Database['dialect'], tokens: string[]) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) =>
    dialect === 'sqlite'
      ? eb('tickets.id', 'in', sql<number>`(SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ${ftsMatchExpression(tokens)} ORDER BY rowid DESC)`)
      : eb('tickets.id', 'in', sql<number>`(SELECT ticket_id FROM ticket_search WHERE tokens @> ${sql.val(tokens)}::text[])`);
}

export async function writeSearchIndex(db: Database, trx: Kysely<DB>, ticketId: number, tokens: string[], replace: boolean) {
  if (db.deferUntilCommit) {
    // At the end of the group-commit batch: one FTS5 flush per batch, not one per request (connect.ts).
    if (replace) db.deferUntilCommit('DELETE FROM ticket_fts WHERE rowid = ?', [ticketId]);
    db.deferUntilCommit('INSERT INTO ticket_fts (rowid, tokens) VALUES (?, ?)', [ticketId, joinTokens(tokens)]);
    return;
  }
  if (replace) {
    await sql`INSERT INTO ticket_search (ticket_id, tokens) VALUES (${ticketId}, ${sql.val(tokens)}::text[])
      ON CONFLICT (ticket_id) DO UPDATE SET tokens = EXCLUDED.tokens`.execute(trx);
  } else {
    await fastQuery(db, trx, 'INSERT INTO ticket_search (ticket_id, tokens) VALUES (?, ?::text[])', [ticketId, tokens]);
  }
}

/** The next serial of a month, allocated inside the creating transaction (the row lock serialises writers on PostgreSQL). */
export async function nextSerial(db: Database, trx: Kysely<DB>, month: string): Promise<number> {
  const [row] = await fastQuery<{ value: number }>(
    db,
    trx,
    'INSERT INTO number_counters (month, value) VALUES (?, 1) ON CONFLICT (month) DO UPDATE SET value = number_counters.value + 1 RETURNING value',
    [month],
  );
  return Number(row.value);
}

export interface EventData {
  changes?: { field: string; before: unknown; after: unknown }[];
  /** Kind-specific facts the timeline shows: routing rule and strategy, SLA clock, escalation level, … */
  details?: Record<string, unknown>;
  note?: string | null;
  commentId?: number;
  attachmentId?: number;
  internal?: boolean;
}

export async function appendEvent(trx: Kysely<DB>, ticketId: number, at: number, actorId: number | null, kind: string, data: EventData, db?: Database) {
  const row = { ticket_id: ticketId, at, actor_id: actorId, kind, data: JSON.stringify(data) };
  if (db) await fastInsert(db, trx, 'ticket_events', row);
  else await trx.insertInto('ticket_events').values(row).execute();
}

/** Every column a new ticket row has before its first change (for building the answer without reading it back). */
export const NEW_TICKET_DEFAULTS = {
  first_responded_at: null,
  handling_started_at: null,
  first_solution_at: null,
  resolved_at: null,
  last_update_at: null,
  followed_up_at: null,
  paused_at: null,
  sla_pauses: '[]',
  sla_warned: 0,
  sla_breached: 0,
  escalate_at: null,
  escalation_level: 0,
  escalated_to: null,
  escalated_at: null,
  escalation_ack_due_at: null,
  escalation_acked_at: null,
  improvement_due_at: null,
  solution: null,
  solution_by: null,
  review_stage: null,
  reviewed_by: null,
} as const;
