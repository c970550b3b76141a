// Registering a ticket: checked intake, then one transaction — the idempotency key, the customer, routing, the
// number, the clocks, the row and its search index, the timeline, the assignee's notification — answered from what
// was written. The write worker (writers/worker.ts) runs this same code on its own connection.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CustomerTier, Priority, TicketStatus } from '../../../shared/enums.js';
import type { Ticket, TicketCreateBody } from '../../../shared/schemas.js';
import { isUniqueViolation } from '../../db/connect.js';
import { fastInsert, fastQuery } from '../../db/fast.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { formatTicketNumber, numberingMonth } from '../../domain/numbering.js';
import { isoString as iso } from '../../domain/iso.js';
import { derivePriority, isLateRegistration, REGISTRATION_LIMIT_MS } from '../../domain/priority.js';
import { ticketSearchTokens } from '../../domain/search.js';
import { freshClockState, NO_DEADLINE } from '../../domain/sla/ticket-clocks.js';
import { requireAccess } from '../../http/access.js';
import { Invalid } from '../../http/errors.js';
import type { CustomersService } from '../customers/service.js';
import type { RoutingDecision } from '../routing/service.js';
import type { SlaColumnValues } from '../sla/service.js';
import { FUTURE_SLACK_MS, type TicketCore } from './core.js';
import { appendEvent, newTicketRow, nextSerial, selectTicketWithCustomer, writeSearchIndex, type NewTicketValues, type TicketWithCustomer } from './repo.js';
import type { TicketViews } from './views.js';

type CreateBody = z.infer<typeof TicketCreateBody>;
/** The customer as findOrCreateInline answers (a row read from the table has these columns too). */
type CustomerRow = Awaited<ReturnType<CustomersService['findOrCreateInline']>>;
type Change = { field: string; before: unknown; after: unknown };

/** The ticket, whether this call created it (or a retried key found it), and what a reply's headers carry. */
export interface CreateResult {
  ticket: Ticket;
  created: boolean;
  number: string;
  version: number;
}

/** The priority a create stores: as given (no impact and urgency), derived, or derived and overridden by staff. */
interface PriorityChoice {
  priority: Priority;
  derived: Priority | null;
  overrideReason: string | null;
}

/** The request as checked before the transaction: who files it, when it was reported, what the agent chose. */
interface Intake {
  actor: Actor;
  body: CreateBody;
  idempotencyKey: string | undefined;
  now: number;
  isCustomer: boolean;
  reportedAt: number;
  /** Chosen by the agent (a customer chooses none). */
  departmentId: number | null;
  assigneeId: number | null;
  /** Every category, the primary first. */
  categories: string[];
}

/** Where the ticket goes: the agent's choice, or what routing decided for what the agent left open. */
interface Placement {
  unitId: number | null;
  decision: RoutingDecision | null;
  departmentId: number | null;
  assigneeId: number | null;
}

type Registered = { number: string; created: false } | { number: string; created: true; row: TicketWithCustomer; extras: string[] };

export class TicketCreation {
  constructor(
    private readonly core: TicketCore,
    private readonly views: TicketViews,
  ) {}

  async create(actor: Actor, body: CreateBody, idempotencyKey: string | undefined): Promise<CreateResult> {
    requireAccess(actor, 'ticket.create');
    const intake = await this.checkIntake(actor, body, idempotencyKey);
    const run = () => this.core.tx((trx, notified) => this.register(trx, notified, intake));
    let result: Registered;
    try {
      result = await run();
    } catch (e) {
      // PostgreSQL: a concurrent request with the same key committed first; ours rolled back whole. Answer with theirs.
      if (idempotencyKey && isUniqueViolation(e)) result = await run();
      else throw e;
    }
    const row = result.created ? result.row : await this.readBack(result.number);
    const ticket = await this.views.toDto(row, actor, result.created ? result.extras : undefined);
    return { ticket, created: result.created, number: ticket.number, version: ticket.version };
  }

  /** What can be refused before the transaction: a report from the future, a customer's priority, unknown references. */
  private async checkIntake(actor: Actor, body: CreateBody, idempotencyKey: string | undefined): Promise<Intake> {
    const now = this.core.ctx.clock.now();
    const isCustomer = actor.role === 'customer';
    // Customers never choose a priority (SPEC §3): refused rather than ignored, so a client sees why.
    if (isCustomer && (body.priority !== undefined || body.priorityOverrideReason !== undefined)) throw Invalid({ priority: 'field.customer_priority' });
    // A customer reaches us when they file: the server's time, never a date they choose (their clocks start now).
    const reportedAt = body.reportedAt && !isCustomer ? Date.parse(body.reportedAt) : now;
    if (reportedAt > now + FUTURE_SLACK_MS) throw Invalid({ reportedAt: 'field.in_future' });
    const departmentId = isCustomer ? null : (body.departmentId ?? null);
    const assigneeId = isCustomer ? null : (body.assigneeId ?? null);
    const categories = body.categories ?? (body.category ? [body.category] : []);
    // Errors name the field the caller used: `category` (one) or `categories` (the list).
    await this.core.checkReferences(body.categories ? { categories, departmentId, assigneeId } : { category: body.category, departmentId, assigneeId }, null);
    return { actor, body, idempotencyKey, now, isCustomer, reportedAt, departmentId, assigneeId, categories };
  }

  /** Derived from impact × urgency × the customer (domain/priority.ts) when the intake answered them. */
  private choosePriority({ body }: Intake, customer: CustomerRow): PriorityChoice {
    if (body.impact === undefined || body.urgency === undefined) return { priority: body.priority ?? 'P3', derived: null, overrideReason: null };
    const derived = derivePriority({ impact: body.impact, urgency: body.urgency, customerTier: customer.tier as CustomerTier, specialNeeds: customer.special_needs === 1 }).priority;
    if (body.priority === undefined || body.priority === derived) return { priority: derived, derived, overrideReason: null };
    if (!body.priorityOverrideReason) throw Invalid({ priorityOverrideReason: 'field.override_reason_required' });
    return { priority: body.priority, derived, overrideReason: body.priorityOverrideReason };
  }

  /** The transaction of a create; a retried key answers with the ticket it created before. */
  private async register(trx: Kysely<DB>, notified: Set<number>, intake: Intake): Promise<Registered> {
    const { actor, body, idempotencyKey, now } = intake;
    if (idempotencyKey) {
      const prior = await this.priorNumber(trx, actor.id, idempotencyKey);
      if (prior !== null) return { number: prior, created: false };
    }
    const customer = await this.customerOf(trx, intake);
    const choice = this.choosePriority(intake, customer);
    const placement = await this.place(trx, intake, customer);
    const month = numberingMonth(now);
    const number = formatTicketNumber(month, await nextSerial(this.core.ctx.db, trx, month));
    const status: TicketStatus = placement.assigneeId ? 'assigned' : 'new';
    const plan = await this.core.sla.planFor({ priority: choice.priority, customerTier: customer.tier, productModel: body.productModel ?? null, serviceType: body.serviceType ?? null }, trx);
    const clocks = this.core.sla.columns(plan, freshClockState(status, intake.reportedAt));
    const values = ticketValues(intake, number, status, customer.id, placement, clocks, choice);
    const { id } = (await fastInsert<{ id: number }>(this.core.ctx.db, trx, 'tickets', values, 'id'))!;
    await writeSearchIndex(this.core.ctx.db, trx, id, ticketSearchTokens(this.core.ctx.db.dialect, values, customer), false);
    // Only tickets with further categories pay for their rows.
    const extras = intake.categories.slice(1);
    if (extras.length > 0) {
      await trx.insertInto('ticket_categories').values(extras.map((category, i) => ({ ticket_id: id, category, position: i + 1 }))).execute();
    }
    await this.recordCreation(trx, id, intake, values, placement.decision, choice);
    if (placement.assigneeId) await this.notifyAssignee(trx, notified, id, intake, values, placement);
    await this.tellCustomer(trx, id, values, customer, actor.id);
    if (idempotencyKey) {
      await fastInsert(this.core.ctx.db, trx, 'idempotency_keys', { user_id: actor.id, key: idempotencyKey, ticket_id: id, created_at: now });
    }
    // The answer is built from what was written: no read-back on the hot path.
    return { number, created: true, row: newTicketRow(id, values, customer), extras };
  }

  /** The number of the ticket this user's key already created, if any. */
  private async priorNumber(trx: Kysely<DB>, userId: number, key: string): Promise<string | null> {
    const [prior] = await fastQuery<{ number: string }>(
      this.core.ctx.db,
      trx,
      'SELECT tickets.number FROM idempotency_keys JOIN tickets ON tickets.id = idempotency_keys.ticket_id WHERE idempotency_keys.user_id = ? AND idempotency_keys.key = ?',
      [userId, key],
    );
    return prior ? prior.number : null;
  }

  /** A customer files for themselves; an agent names a customer or describes a new one inline. */
  private async customerOf(trx: Kysely<DB>, { actor, body, isCustomer, now }: Intake): Promise<CustomerRow> {
    let customer: CustomerRow | undefined;
    if (isCustomer) {
      customer = await trx.selectFrom('customers').selectAll().where('id', '=', actor.customerId ?? -1).executeTakeFirst();
      if (!customer) throw Invalid({ customerId: 'field.customer_unknown' });
    } else if (body.customerId !== undefined) {
      customer = await trx.selectFrom('customers').selectAll().where('id', '=', body.customerId).executeTakeFirst();
      if (!customer) throw Invalid({ customerId: 'field.customer_unknown' });
    } else {
      customer = await this.core.customers.findOrCreateInline(trx, body.customer!, now);
    }
    return customer;
  }

  /** The customer's unit (registered on first mention), and the department and assignee. */
  private async place(trx: Kysely<DB>, intake: Intake, customer: CustomerRow): Promise<Placement> {
    const { body, isCustomer, now, departmentId, assigneeId } = intake;
    const product = await this.core.sla.product(body.productModel ?? null, trx);
    const unitId = await this.core.customers.ensureUnit(trx, customer, body.productModel, body.serialNumber, body.purchaseDate, now);
    // Routing rules decide only what the agent left open: a chosen department or assignee always wins.
    const decision =
      departmentId === null && assigneeId === null
        ? await this.core.routing.route(trx, {
            category: intake.categories[0] ?? null,
            productLine: product?.line ?? null,
            customerTier: customer.tier,
            channel: isCustomer ? 'web' : body.channel,
            text: `${body.title} ${body.description} ${body.productModel ?? ''}`,
          })
        : null;
    return { unitId, decision, departmentId: decision?.departmentId ?? departmentId, assigneeId: decision?.assignee?.candidate.id ?? assigneeId };
  }

  /**
   * The timeline's first entries: created (with what the agent chose), a priority override and a late registration
   * (both staff-only), and, when rules chose, routed.
   */
  private async recordCreation(trx: Kysely<DB>, id: number, intake: Intake, values: NewTicketValues, decision: RoutingDecision | null, choice: PriorityChoice) {
    const { actor, now, departmentId, assigneeId } = intake;
    const changes: Change[] = [
      { field: 'status', before: null, after: values.status },
      { field: 'priority', before: null, after: values.priority },
    ];
    if (intake.categories.length > 1) changes.push({ field: 'categories', before: null, after: intake.categories });
    if (departmentId) changes.push({ field: 'departmentId', before: null, after: departmentId });
    if (assigneeId) changes.push({ field: 'assignee', before: null, after: (await this.core.userRef(assigneeId, trx))?.name });
    const details = values.derived_priority ? { impact: values.impact, urgency: values.urgency, derivedPriority: values.derived_priority } : undefined;
    await appendEvent(trx, id, now, actor.id, 'created', { changes, details }, this.core.ctx.db);
    if (choice.overrideReason !== null) {
      await appendEvent(
        trx,
        id,
        now,
        actor.id,
        'priority_overridden',
        { internal: true, details: { derivedPriority: choice.derived, chosenPriority: choice.priority, reason: choice.overrideReason } },
        this.core.ctx.db,
      );
    }
    if (values.late_registration === 1) {
      await appendEvent(
        trx,
        id,
        now,
        null,
        'late_registration',
        { internal: true, details: { reportedAt: iso(values.reported_at), createdAt: iso(values.created_at), delayMinutes: Math.floor((values.created_at - values.reported_at) / 60_000), limitMinutes: REGISTRATION_LIMIT_MS / 60_000 } },
        this.core.ctx.db,
      );
    }
    if (!decision) return;
    const routedChanges: Change[] = [{ field: 'departmentId', before: null, after: decision.departmentId }];
    if (decision.assignee) routedChanges.push({ field: 'assignee', before: null, after: decision.assignee.candidate.name });
    await appendEvent(
      trx,
      id,
      now,
      null,
      'routed',
      {
        changes: routedChanges,
        details: {
          ruleId: decision.rule.id,
          rule: decision.rule.name,
          departmentId: decision.departmentId,
          strategy: decision.assignee?.strategy ?? 'none',
          assignee: decision.assignee?.candidate.name ?? null,
          openAssigned: decision.assignee?.candidate.openAssigned ?? null,
          matchedSkills: decision.assignee?.matchedSkills ?? null,
        },
      },
      this.core.ctx.db,
    );
  }

  /** An assigned ticket counts in its assignee's workload, and its stakeholders are told. */
  private async notifyAssignee(trx: Kysely<DB>, notified: Set<number>, id: number, intake: Intake, values: NewTicketValues, placement: Placement) {
    const { actor, now } = intake;
    const assigneeId = placement.assigneeId!;
    await this.core.routing.adjustLoad(trx, { assigneeId: null, open: false }, { assigneeId, open: true });
    const recipients = await this.core.assignmentRecipients(trx, { id, assignee_id: assigneeId, department_id: placement.departmentId }, true);
    const ids = await this.core.notifier.enqueue(trx, {
      userIds: recipients.filter((u) => u !== actor.id),
      kind: 'assigned',
      ticket: { id, number: values.number, title: values.title, priority: values.priority, demand: values.demand, status: values.status, dueAt: values.next_due_at === NO_DEADLINE ? null : values.next_due_at },
      data: { assigneeId, description: values.description.slice(0, 300) },
      dedupeKey: `assigned:${id}:${assigneeId}:${now}`,
    });
    ids.forEach((u) => notified.add(u));
  }

  /**
   * "We have your request" with its number and follow link (seed 001: tell the customer at each step). One message
   * at registration, whether or not rules assigned someone. A new inline customer has the defaults of migration 0017.
   */
  private async tellCustomer(trx: Kysely<DB>, id: number, values: NewTicketValues, customer: CustomerRow, actorId: number) {
    const c = customer as CustomerRow & { locale?: string; message_channels?: string | null; messages_opt_out?: number; wechat_openid?: string | null };
    await this.core.messenger.ticketEvent(trx, {
      event: 'ticket_registered',
      key: `ticket_registered:${id}`,
      ticket: { id, number: values.number, title: values.title, customer_id: c.id },
      customer: { id: c.id, name: c.name, email: c.email, phone: c.phone, locale: c.locale ?? 'zh-CN', message_channels: c.message_channels ?? null, messages_opt_out: c.messages_opt_out ?? 0, wechat_openid: c.wechat_openid ?? null },
      actorId,
    });
  }

  /** Reads a ticket just written; the creator may not "see" a ticket routed elsewhere, but may see their own result. */
  private async readBack(number: string): Promise<TicketWithCustomer> {
    const row = await selectTicketWithCustomer(this.core.ctx.db.read).where('tickets.number', '=', number).executeTakeFirstOrThrow();
    return row as TicketWithCustomer;
  }
}

/** The columns a create writes, as one object literal (see newTicketRow on why). */
function ticketValues(intake: Intake, number: string, status: TicketStatus, customerId: number, placement: Placement, clocks: SlaColumnValues, choice: PriorityChoice): NewTicketValues {
  const { body, actor, now, isCustomer, reportedAt } = intake;
  return {
    number,
    title: body.title,
    description: body.description,
    status,
    is_open: 1,
    priority: choice.priority,
    channel: isCustomer ? 'web' : body.channel,
    reported_at: reportedAt,
    created_at: now,
    updated_at: now,
    closed_at: null,
    customer_id: customerId,
    unit_id: placement.unitId,
    product_model: body.productModel ?? null,
    serial_number: body.serialNumber ?? null,
    purchase_date: body.purchaseDate ?? null,
    occurred_at: body.occurredAt ? Date.parse(body.occurredAt) : null,
    occurred_place: body.occurredPlace ?? null,
    preferred_contact: body.preferredContact ?? null,
    situation: body.situation ?? null,
    demand: body.demand ?? null,
    first_judgement: body.firstJudgement ?? null,
    category: intake.categories[0] ?? null,
    service_type: body.serviceType ?? null,
    fault_class: body.faultClass ?? null,
    department_id: placement.departmentId,
    assignee_id: placement.assigneeId,
    created_by: actor.id,
    version: 1,
    routing_rule_id: placement.decision?.rule.id ?? null,
    // Named one by one, not spread: see newTicketRow.
    sla_policy_id: clocks.sla_policy_id,
    first_response_due_at: clocks.first_response_due_at,
    start_handling_due_at: clocks.start_handling_due_at,
    first_solution_due_at: clocks.first_solution_due_at,
    resolve_due_at: clocks.resolve_due_at,
    next_update_due_at: clocks.next_update_due_at,
    follow_up_due_at: clocks.follow_up_due_at,
    sla_warn_at: clocks.sla_warn_at,
    sla_uncovered_years: clocks.sla_uncovered_years,
    next_due_at: clocks.next_due_at,
    sla_check_at: clocks.sla_check_at,
    late_registration: isLateRegistration(reportedAt, now) ? 1 : 0,
    impact: choice.derived ? body.impact! : null,
    urgency: choice.derived ? body.urgency! : null,
    derived_priority: choice.derived,
    priority_overridden: choice.overrideReason !== null ? 1 : 0,
  };
}
