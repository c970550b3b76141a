// SQL for tickets: the row shape with its customer, visibility and paging fragments, and the search index per dialect.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { TicketSort } from '../../../shared/enums.js';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { isProviderActor, seesAllTickets, type AccessSettings, type Actor } from '../../domain/access.js';
import { ftsMatchExpression, joinTokens } from '../../domain/search.js';
import type { TicketRow } from '../../db/rows.js';
import { fastInsert, fastQuery } from '../../db/fast.js';

export type { TicketRow };


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
  'id', 'number', 'title', 'status', 'priority', 'channel', 'reported_at', 'created_at', 'updated_at', 'closed_at',
  'customer_id', 'product_model', 'serial_number', 'purchase_date', 'occurred_at', 'demand', 'category', 'service_type',
  'fault_class', 'department_id', 'assignee_id', 'created_by', 'version', 'sla_policy_id', 'first_response_due_at',
  'start_handling_due_at', 'first_solution_due_at', 'resolve_due_at', 'next_update_due_at', 'follow_up_due_at', 'sla_warn_at',
  'sla_uncovered_years', 'first_responded_at', 'handling_started_at', 'first_solution_at', 'resolved_at',
  'followed_up_at', 'paused_at', 'next_due_at', 'escalation_level', 'escalated_to',
  'escalated_at', 'escalation_ack_due_at', 'escalation_acked_at', 'improvement_due_at', 'review_stage', 'late_registration',
] as const;

/**
 * A queue row: only what a list item shows (every column read costs: about 7 µs per column on a 51-row page), the
 * description cut to its excerpt.
 */
export type TicketListRow = Pick<TicketWithCustomer, (typeof LIST_COLUMNS)[number] | 'description' | 'c_name' | 'c_company' | 'c_phone' | 'c_email' | 'c_tier' | 'c_special_needs'>;

const LIST_SELECT =
  `SELECT ${LIST_COLUMNS.map((c) => `tickets.${c}`).join(', ')}, substr(tickets.description, 1, 121) AS description, ` +
  'customers.name AS c_name, customers.company AS c_company, customers.phone AS c_phone, customers.email AS c_email, ' +
  'customers.tier AS c_tier, customers.special_needs AS c_special_needs';

export interface ListFilters {
  status?: string[];
  open?: boolean;
  priority?: string[];
  /** A category code: tickets with it (or one under it) as their primary or any further category. */
  category?: string;
  lateRegistration?: boolean;
  departmentId?: number;
  /** A user id, or null for unassigned. */
  assigneeId?: number | null;
  customerId?: number;
  channel?: string;
  createdFrom?: number;
  createdTo?: number;
  /** Search tokens (domain/search.ts queryTokens), all required. */
  tokens?: string[];
  sort: TicketSort;
  /** The decoded cursor: the sort key of the last row of the previous page. */
  after?: (string | number)[];
  limit: number;
}

/**
 * The queue query as SQL text with `?` parameters, both dialects. Written out rather than built with Kysely:
 * building and compiling this query (58 selected columns) through the query builder took about 0.23 ms, a fifth of
 * a whole queue page. Every value is a bound parameter; names and SQL come from this code only.
 */
export function ticketListSql(
  dialect: Database['dialect'],
  actor: Actor,
  f: ListFilters,
  opts: { ftsDriven?: boolean; access?: AccessSettings } = {},
): { text: string; params: unknown[] } {
  const sort = SORTS[f.sort];
  // Newest-first search on SQLite is driven by the FTS5 index from its newest row (ids grow with creation) and stops
  // at the page; written as `tickets.id IN (SELECT rowid …)`, or ordered by created_at, SQLite would collect every
  // match first (1.7 ms for a rare word, 11.7 ms for a common one at 100,000 tickets, against 0.6 ms this way).
  const byFts = f.tokens !== undefined && dialect === 'sqlite' && f.sort === 'created_desc' && opts.ftsDriven !== false;
  const { where, params, cond } = filterConditions(dialect, actor, f, byFts, opts.access ?? NO_DESK);
  const col = `tickets.${sort.column}`;
  const cmp = sort.dir === 'desc' ? '<' : '>';
  if (f.after) {
    if (byFts) cond('ticket_fts.rowid < ?', f.after[1]);
    else if (sort.byPriority) cond(`(tickets.priority > ? OR (tickets.priority = ? AND (${col}, tickets.id) < (?, ?)))`, f.after[0], f.after[0], f.after[1], f.after[2]);
    else cond(`(${col}, tickets.id) ${cmp} (?, ?)`, f.after[0], f.after[1]);
  }
  const from = byFts
    ? 'FROM ticket_fts JOIN tickets ON tickets.id = ticket_fts.rowid JOIN customers ON customers.id = tickets.customer_id'
    : 'FROM tickets JOIN customers ON customers.id = tickets.customer_id';
  const order = byFts
    ? 'ticket_fts.rowid DESC'
    : `${sort.byPriority ? 'tickets.priority ASC, ' : ''}${col} ${sort.dir.toUpperCase()}, tickets.id ${sort.dir.toUpperCase()}`;
  params.push(f.limit);
  return { text: `${LIST_SELECT} ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`, params };
}

/**
 * The queue's total as SQL text: the rows the same filter finds, counted only up to `cap + 1` (the subquery stops
 * there), so a total costs at most as much as reading that many row ids, however many tickets match. A search is
 * driven by the search index on SQLite (no order needed), by the GIN index on PostgreSQL.
 */
export function ticketCountSql(
  dialect: Database['dialect'],
  actor: Actor,
  f: Omit<ListFilters, 'sort' | 'after' | 'limit'>,
  cap: number,
  access: AccessSettings = NO_DESK,
): { text: string; params: unknown[] } {
  const byFts = f.tokens !== undefined && dialect === 'sqlite';
  const { where, params } = filterConditions(dialect, actor, f, byFts, access);
  const from = byFts ? 'FROM ticket_fts JOIN tickets ON tickets.id = ticket_fts.rowid' : 'FROM tickets';
  params.push(cap + 1);
  return { text: `SELECT count(*) AS n FROM (SELECT 1 ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} LIMIT ?) AS capped`, params };
}

/** The WHERE conditions of a queue filter (visibility included), shared by the page and its total. */
function filterConditions(dialect: Database['dialect'], actor: Actor, f: Omit<ListFilters, 'sort' | 'after' | 'limit'>, byFts: boolean, access: AccessSettings) {
  const where: string[] = [];
  const params: unknown[] = [];
  const cond = (text: string, ...values: unknown[]) => {
    where.push(text);
    params.push(...values);
  };
  const inList = (column: string, values: unknown[]) => cond(`${column} IN (${values.map(() => '?').join(', ')})`, ...values);
  if (byFts) cond('ticket_fts MATCH ?', ftsMatchExpression(f.tokens!));
  const visibility = visibilitySql(actor, access);
  if (visibility) cond(visibility.text, ...visibility.params);
  if (f.status?.length) inList('tickets.status', f.status);
  if (f.open !== undefined) cond('tickets.is_open = ?', f.open ? 1 : 0);
  if (f.priority?.length) inList('tickets.priority', f.priority);
  if (f.category) {
    const below = `${f.category.replace(/[\\%_]/g, (ch) => `\\${ch}`)}.%`;
    cond(
      "(tickets.category = ? OR tickets.category LIKE ? ESCAPE '\\' OR tickets.id IN (SELECT ticket_categories.ticket_id FROM ticket_categories " +
        "WHERE ticket_categories.category = ? OR ticket_categories.category LIKE ? ESCAPE '\\'))",
      f.category,
      below,
      f.category,
      below,
    );
  }
  // A literal, not a parameter: the planner uses the partial index (migration 0014) only for `= 1` written out.
  if (f.lateRegistration !== undefined) cond(f.lateRegistration ? 'tickets.late_registration = 1' : 'tickets.late_registration = 0');
  if (f.departmentId !== undefined) cond('tickets.department_id = ?', f.departmentId);
  if (f.assigneeId === null) cond('tickets.assignee_id IS NULL');
  else if (f.assigneeId !== undefined) cond('tickets.assignee_id = ?', f.assigneeId);
  if (f.customerId !== undefined) cond('tickets.customer_id = ?', f.customerId);
  if (f.channel) cond('tickets.channel = ?', f.channel);
  if (f.createdFrom !== undefined) cond('tickets.created_at >= ?', f.createdFrom);
  if (f.createdTo !== undefined) cond('tickets.created_at < ?', f.createdTo);
  if (f.tokens && !byFts) {
    if (dialect === 'sqlite') cond('tickets.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?)', ftsMatchExpression(f.tokens));
    else cond('tickets.id IN (SELECT ticket_id FROM ticket_search WHERE tokens @> ?::text[])', f.tokens);
  }
  return { where, params, cond };
}

/** The same rule as TicketCore.canSee's dispatchedProviders (a user's provider never changes: migration 0028). */
const PROVIDER_TICKETS =
  'tickets.id IN (SELECT visits.ticket_id FROM visits INNER JOIN users provider_people ON provider_people.id = visits.engineer_id ' +
  'WHERE provider_people.provider_id = ? AND visits.cancelled_at IS NULL)';

/** Providers with a visit on the ticket that is not cancelled (domain/access.ts TicketScope.dispatchedProviders). */
export async function dispatchedProviders(db: Kysely<DB>, ticketId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('visits')
    .innerJoin('users', 'users.id', 'visits.engineer_id')
    .select('users.provider_id')
    .distinct()
    .where('visits.ticket_id', '=', ticketId)
    .where('visits.cancelled_at', 'is', null)
    .where('users.provider_id', 'is not', null)
    .execute();
  return rows.map((r) => r.provider_id as number);
}

const NO_DESK: AccessSettings = { serviceDeskDepartmentId: null };

/**
 * What the actor may see (domain/access.ts canSeeTicket, with the same settings) as a condition on `tickets`; null
 * when they see everything.
 */
export function visibilitySql(actor: Actor, access: AccessSettings): { text: string; params: unknown[] } | null {
  // A service provider's people: the tickets with a visit of one of their provider's engineers that is not cancelled.
  if (isProviderActor(actor)) return { text: PROVIDER_TICKETS, params: [actor.providerId] };
  if (actor.role === 'customer') {
    // A link session (one signed ticket link) sees that ticket only.
    if (actor.ticketId !== undefined) return { text: 'tickets.customer_id = ? AND tickets.id = ?', params: [actor.customerId ?? -1, actor.ticketId] };
    return { text: 'tickets.customer_id = ?', params: [actor.customerId ?? -1] };
  }
  if (seesAllTickets(actor, access)) return null;
  const dept = actor.departmentId ?? -1;
  return {
    text:
      '(tickets.department_id IS NULL OR tickets.department_id = ? OR tickets.assignee_id = ? OR tickets.created_by = ? ' +
      'OR tickets.id IN (SELECT subtasks.ticket_id FROM subtasks WHERE subtasks.department_id = ?))',
    params: [dept, actor.id, actor.id, dept],
  };
}

/** Restricts a Kysely ticket query to what the actor may see (visibilitySql). */
export function visibleTo<QB extends SelectQueryBuilder<DB, 'tickets' | any, any>>(qb: QB, actor: Actor, access: AccessSettings): QB {
  const v = visibilitySql(actor, access);
  if (!v) return qb;
  // The same SQL text as the queue's, its `?` placeholders turned into bound values.
  const parts = v.text.split('?');
  const strings = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
  return qb.where(sql<boolean>(strings, ...v.params)) as QB;
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

/** Columns a new ticket does not set: they start at their defaults (written out in newTicketRow). */
type DefaultedColumns =
  | 'first_responded_at' | 'handling_started_at' | 'first_solution_at' | 'resolved_at' | 'last_update_at'
  | 'followed_up_at' | 'paused_at' | 'sla_pauses' | 'sla_warned' | 'sla_breached' | 'escalate_at' | 'escalation_level'
  | 'escalated_to' | 'escalated_at' | 'escalation_ack_due_at' | 'escalation_acked_at' | 'improvement_due_at'
  | 'solution' | 'solution_by' | 'review_stage' | 'reviewed_by' | 'reopen_count';

/** The columns a create writes (TicketsService.create); every other column starts at its default. */
export type NewTicketValues = Omit<TicketRow, 'id' | DefaultedColumns>;

/**
 * The whole row of a ticket just inserted, to answer without reading it back. Written as one object literal on
 * purpose: `{ ...defaults, ...values, id, … }` over these 65 columns made V8 build a slow dictionary-mode object,
 * which cost 9 % of a create and slowed every later read of the row.
 */
export function newTicketRow(
  id: number,
  v: NewTicketValues,
  c: { name: string; company: string | null; phone: string | null; email: string | null; tier: string; special_needs: number },
): TicketWithCustomer {
  return {
    id,
    number: v.number,
    title: v.title,
    description: v.description,
    status: v.status,
    is_open: v.is_open,
    priority: v.priority,
    channel: v.channel,
    reported_at: v.reported_at,
    created_at: v.created_at,
    updated_at: v.updated_at,
    closed_at: v.closed_at,
    customer_id: v.customer_id,
    unit_id: v.unit_id,
    product_model: v.product_model,
    serial_number: v.serial_number,
    purchase_date: v.purchase_date,
    occurred_at: v.occurred_at,
    occurred_place: v.occurred_place,
    preferred_contact: v.preferred_contact,
    situation: v.situation,
    demand: v.demand,
    first_judgement: v.first_judgement,
    category: v.category,
    service_type: v.service_type,
    fault_class: v.fault_class,
    department_id: v.department_id,
    assignee_id: v.assignee_id,
    created_by: v.created_by,
    version: v.version,
    routing_rule_id: v.routing_rule_id,
    sla_policy_id: v.sla_policy_id,
    first_response_due_at: v.first_response_due_at,
    start_handling_due_at: v.start_handling_due_at,
    first_solution_due_at: v.first_solution_due_at,
    resolve_due_at: v.resolve_due_at,
    next_update_due_at: v.next_update_due_at,
    follow_up_due_at: v.follow_up_due_at,
    sla_warn_at: v.sla_warn_at,
    sla_uncovered_years: v.sla_uncovered_years,
    next_due_at: v.next_due_at,
    sla_check_at: v.sla_check_at,
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
    late_registration: v.late_registration,
    impact: v.impact,
    urgency: v.urgency,
    derived_priority: v.derived_priority,
    priority_overridden: v.priority_overridden,
    reopen_count: 0,
    c_name: c.name,
    c_company: c.company,
    c_phone: c.phone,
    c_email: c.email,
    c_tier: c.tier,
    c_special_needs: c.special_needs,
  };
}
