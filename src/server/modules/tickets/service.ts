// Tickets: registration (idempotent), reading, the queue, edits with optimistic locking, transitions, comments, timeline.
import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import { IMPROVEMENT_PLAN_STATUSES, type Language, type NotificationKind, type Role, type TicketStatus } from '../../../shared/enums.js';
import type {
  Comment,
  CommentBody,
  Ticket,
  TicketCreateBody,
  TicketEvent,
  TicketListItem,
  TicketPatchBody,
  TicketsQuery,
  TransitionBody,
} from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation, type Dialect } from '../../db/connect.js';
import { fastInsert, fastQuery, readSql } from '../../db/fast.js';
import type { DB } from '../../db/schema.js';
import { can, canSeeTicket, type Actor } from '../../domain/access.js';
import { maskEmail, maskPhone } from '../../domain/contact.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { formatTicketNumber, numberingMonth } from '../../domain/numbering.js';
import { queryTokens, ticketSearchTokens } from '../../domain/search.js';
import { allowedActions, allowedTransitions, checkTransition, isOpen, needsWorkflowAction, statusAfterAssignment } from '../../domain/workflow.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Conflict, Invalid, NotFound, type FieldErrors } from '../../http/errors.js';
import { STATUS_LABELS } from '../../http/messages.js';
import type { CategoriesService } from '../categories/service.js';
import type { CustomersService } from '../customers/service.js';
import type { RoutingService } from '../routing/service.js';
import { slaInputOf, slaStateColumns, type SlaService } from '../sla/service.js';
import type { UsersService } from '../users/service.js';
import { afterProgressUpdate, afterStatusChange, freshClockState, NO_DEADLINE, type TicketSlaInput } from '../../domain/sla/ticket-clocks.js';
import {
  appendEvent,
  newTicketRow,
  nextSerial,
  selectTicketWithCustomer,
  SORTS,
  ticketListSql,
  visibleTo,
  writeSearchIndex,
  type EventData,
  type TicketListRow,
  type TicketRow,
  type TicketWithCustomer,
} from './repo.js';
import { isoOrNull, isoString as iso } from '../../domain/iso.js';

type CreateBody = z.infer<typeof TicketCreateBody>;
type PatchBody = z.infer<typeof TicketPatchBody>;
type ListQuery = z.infer<typeof TicketsQuery>;

/** A reportedAt slightly ahead of our clock is a caller's clock skew, not an error. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** Ticket columns that PATCH may change, with the DTO field they come from and how to store the value. */
const PATCH_COLUMNS: { field: keyof PatchBody; column: keyof TicketRow; toDb?: (v: unknown) => unknown }[] = [
  { field: 'title', column: 'title' },
  { field: 'description', column: 'description' },
  { field: 'channel', column: 'channel' },
  { field: 'reportedAt', column: 'reported_at', toDb: (v) => Date.parse(v as string) },
  { field: 'productModel', column: 'product_model' },
  { field: 'serialNumber', column: 'serial_number' },
  { field: 'purchaseDate', column: 'purchase_date' },
  { field: 'occurredAt', column: 'occurred_at', toDb: (v) => (v === null ? null : Date.parse(v as string)) },
  { field: 'occurredPlace', column: 'occurred_place' },
  { field: 'situation', column: 'situation' },
  { field: 'demand', column: 'demand' },
  { field: 'firstJudgement', column: 'first_judgement' },
  { field: 'category', column: 'category' },
  { field: 'serviceType', column: 'service_type' },
  { field: 'faultClass', column: 'fault_class' },
  { field: 'priority', column: 'priority' },
  { field: 'departmentId', column: 'department_id' },
  { field: 'assigneeId', column: 'assignee_id' },
];
const SEARCHED_FIELDS = new Set<keyof PatchBody>(['title', 'description', 'productModel', 'serialNumber']);

export interface CreateResult {
  ticket: Ticket;
  created: boolean;
}

export interface NotificationInput {
  userIds: number[];
  kind: NotificationKind;
  ticket?: { id: number; number: string; title: string; priority: string; demand: string | null; status: string; dueAt?: number | null };
  data?: Record<string, unknown>;
  dedupeKey: string;
}

/** Notifications are written inside the change's transaction and pushed live after it commits. */
export interface Notifier {
  enqueue(trx: Kysely<DB>, input: NotificationInput): Promise<number[]>;
  publish(userIds: number[]): void;
}

export const silentNotifier: Notifier = {
  enqueue: async () => [],
  publish: () => {},
};

/** One change to a ticket: new column values, timeline entries and who must be told. */
export interface TicketChange {
  set: Record<string, unknown>;
  events: { kind: string; data: EventData }[];
  notify?: (Omit<NotificationInput, 'ticket'> & { ticket?: NotificationInput['ticket'] })[];
  /** The policy may change (priority, service type, product, customer tier). */
  repickPolicy?: boolean;
  /** System changes (the sweeper) leave the version alone so they never make a user's edit stale. */
  keepVersion?: boolean;
  sla?: TicketSlaInput;
}

export class TicketsService {
  private userCache: { at: number; byId: Map<number, { name: string; departmentId: number | null; active: boolean; role: string }> } | null = null;

  notifier: Notifier = silentNotifier;

  constructor(
    private readonly ctx: AppContext,
    private readonly customers: CustomersService,
    private readonly categories: CategoriesService,
    private readonly users: UsersService,
    private readonly sla: SlaService,
    private readonly routing: RoutingService,
  ) {}

  /** A write transaction whose notifications are pushed live once it has committed. */
  async tx<T>(fn: (trx: Kysely<DB>, notified: Set<number>) => Promise<T>): Promise<T> {
    const notified = new Set<number>();
    const result = await this.ctx.db.write((trx) => fn(trx, notified));
    if (notified.size > 0) this.notifier.publish([...notified]);
    return result;
  }

  /**
   * Applies a change to a ticket read in this transaction: recomputes its clocks, keeps workload counters,
   * bumps the version (guarded, so a concurrent writer gets 409), appends the timeline and queues notifications.
   */
  async applyChange(trx: Kysely<DB>, actorId: number | null, row: TicketRow, change: TicketChange, notified: Set<number>): Promise<TicketRow> {
    const now = this.ctx.clock.now();
    let merged = { ...row, ...change.set } as TicketRow;
    if (change.sla) merged = { ...merged, ...slaStateColumns(change.sla) } as TicketRow;
    const slaCols = await this.sla.refresh(trx, merged, change.repickPolicy ?? false);
    // The improvement plan promised to an unsatisfied customer (24 h) is a deadline too, until a new solution is in.
    if (merged.improvement_due_at !== null && IMPROVEMENT_PLAN_STATUSES.includes(merged.status as TicketStatus)) {
      slaCols.next_due_at = Math.min(slaCols.next_due_at ?? NO_DEADLINE, merged.improvement_due_at);
    }
    merged = { ...merged, ...slaCols } as TicketRow;
    if ('status' in change.set) merged.is_open = isOpen(merged.status as TicketStatus) ? 1 : 0;
    await this.routing.adjustLoad(trx, { assigneeId: row.assignee_id, open: row.is_open === 1 }, { assigneeId: merged.assignee_id, open: merged.is_open === 1 });
    const set: Record<string, unknown> = { ...change.set, ...(change.sla ? slaStateColumns(change.sla) : {}), ...slaCols, is_open: merged.is_open, updated_at: now };
    if (!change.keepVersion) set.version = row.version + 1;
    merged.updated_at = now;
    if (!change.keepVersion) merged.version = row.version + 1;
    const res = await trx.updateTable('tickets').set(set).where('id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: row.version + 1 });
    for (const e of change.events) await appendEvent(trx, row.id, now, actorId, e.kind, e.data);
    for (const n of change.notify ?? []) {
      const ids = await this.notifier.enqueue(trx, {
        ...n,
        userIds: n.userIds.filter((id) => id !== actorId),
        ticket: n.ticket ?? { id: row.id, number: row.number, title: merged.title, priority: merged.priority, demand: merged.demand, status: merged.status, dueAt: merged.next_due_at === NO_DEADLINE ? null : merged.next_due_at },
      });
      ids.forEach((id) => notified.add(id));
    }
    return merged;
  }

  /**
   * The people to tell about a ticket (SPEC §5): assignee, the department's manager and supervisors, heads of
   * collaborating departments. Managers and supervisors come from the directory caches (10 s, like routing's members):
   * this runs in every assigning create, and NotifyService.enqueue still drops anyone inactive at write time.
   */
  async stakeholders(trx: Kysely<DB>, row: Pick<TicketRow, 'id' | 'assignee_id' | 'department_id'>, isNew = false): Promise<number[]> {
    const ids = new Set<number>();
    if (row.assignee_id) ids.add(row.assignee_id);
    const depts = new Set<number>();
    if (row.department_id) depts.add(row.department_id);
    // A ticket being created has no sub-tasks yet.
    if (!isNew) {
      for (const s of await fastQuery<{ department_id: number }>(this.ctx.db, trx, "SELECT department_id FROM subtasks WHERE ticket_id = ? AND status = 'open'", [row.id])) depts.add(s.department_id);
    }
    if (depts.size > 0) {
      for (const d of await this.users.departments(trx)) if (depts.has(d.id) && d.manager_id) ids.add(d.manager_id);
    }
    if (row.department_id) {
      for (const [id, u] of await this.userIndex(trx)) if (u.departmentId === row.department_id && u.role === 'supervisor' && u.active) ids.add(id);
    }
    return [...ids];
  }

  // ------------------------------------------------------------ helpers

  /** Drops the cached directory (names, departments, roles, active flags) after an edit on this node. */
  forgetDirectory() {
    this.userCache = null;
  }

  /** `db`: the caller's transaction, if any (see SlaService.load on why). */
  private async userIndex(db: Kysely<DB> = this.ctx.db.read) {
    const now = performance.now();
    if (!this.userCache || now - this.userCache.at > 10_000 || now < this.userCache.at) {
      const rows = await db.selectFrom('users').select(['id', 'display_name', 'department_id', 'active', 'role']).execute();
      this.userCache = {
        at: now,
        byId: new Map(rows.map((r) => [r.id, { name: r.display_name, departmentId: r.department_id, active: r.active === 1, role: r.role }])),
      };
    }
    return this.userCache.byId;
  }

  private async userRef(id: number | null, db: Kysely<DB> = this.ctx.db.read) {
    if (id === null) return null;
    let u = (await this.userIndex(db)).get(id);
    if (!u) {
      this.userCache = null; // a user created since the cache was filled
      u = (await this.userIndex(db)).get(id);
    }
    return { id, name: u?.name ?? `#${id}` };
  }

  /** Checks the references of a create / patch before the write: category, department, assignee. */
  private async checkReferences(values: { category?: string | null; departmentId?: number | null; assigneeId?: number | null }, currentDepartment: number | null) {
    const fields: FieldErrors = {};
    if (values.category) {
      if (!(await this.categories.isActive(values.category))) fields.category = 'field.category_unknown';
    }
    if (values.departmentId) {
      if (!(await this.users.departments()).some((d) => d.id === values.departmentId)) fields.departmentId = 'field.department_unknown';
    }
    if (values.assigneeId) {
      this.userCache = null;
      const u = (await this.userIndex()).get(values.assigneeId);
      const department = values.departmentId !== undefined ? values.departmentId : currentDepartment;
      if (!u || !u.active || u.role === 'customer') fields.assigneeId = 'field.assignee_unknown';
      else if (department && u.departmentId !== department) fields.assigneeId = 'field.assignee_department';
    }
    if (Object.keys(fields).length > 0) throw Invalid(fields);
  }

  /**
   * The clocks as shown on the ticket (`all`) and in the queue (only the open ones: a queue row shows the running or
   * paused clock, and met or stopped clocks were a third of a queue page's bytes). Policies loaded: see
   * SlaService.ensureLoaded.
   */
  private slaView(row: TicketListRow, now: number, all: boolean): Ticket['sla'] {
    if (row.sla_policy_id === null) return null;
    return {
      policyId: row.sla_policy_id,
      policyName: this.sla.policyName(row.sla_policy_id) ?? `#${row.sla_policy_id}`,
      paused: row.paused_at !== null,
      nextDueAt: row.next_due_at === null || row.next_due_at >= NO_DEADLINE ? null : iso(row.next_due_at),
      clocks: this.sla
        .clocksOf(row, now)
        .filter((c) => all || (c.metAt === null && c.state !== 'stopped'))
        .map((c) => ({ clock: c.clock, dueAt: iso(c.dueAt), warnAt: isoOrNull(c.warnAt), metAt: isoOrNull(c.metAt), state: c.state })),
      uncoveredYears: row.sla_uncovered_years ? (JSON.parse(row.sla_uncovered_years) as number[]) : [],
    };
  }

  private escalationView(row: TicketListRow, ref: (id: number | null) => Ticket['assignee']): Ticket['escalation'] {
    return {
      level: row.escalation_level ?? 0,
      to: ref(row.escalated_to),
      at: isoOrNull(row.escalated_at),
      ackDueAt: isoOrNull(row.escalation_ack_due_at),
      ackedAt: isoOrNull(row.escalation_acked_at),
    };
  }

  /** Everything per-row work needs, loaded once per page so building each row is synchronous. */
  private async pageContext() {
    const users = await this.userIndex();
    await this.sla.ensureLoaded();
    const ref = (id: number | null) => (id === null ? null : { id, name: users.get(id)?.name ?? `#${id}` });
    return { ref, now: this.ctx.clock.now() };
  }

  private toListItem(row: TicketListRow, page: { ref: (id: number | null) => Ticket['assignee']; now: number }): TicketListItem {
    return this.view(row, page, null, null) as TicketListItem;
  }

  private async toDto(row: TicketWithCustomer, actor: Actor): Promise<Ticket> {
    if (row.assignee_id !== null) await this.userRef(row.assignee_id); // a user created since the cache was filled
    return this.view(row, await this.pageContext(), row, actor) as Ticket;
  }

  /**
   * A queue item (`detail` null) or the whole ticket, as one object literal: the detail used to be the list item
   * spread into a second object, which took 30 µs and 14.5 KB of garbage per ticket answered, now 6–8 µs and 6 KB
   * (measured in a loop). Keys with no value for the kind (excerpt on the ticket, the long texts on a queue item) are left
   * undefined, which JSON leaves out. Key order is the JSON's order.
   */
  private view(row: TicketListRow, page: { ref: (id: number | null) => Ticket['assignee']; now: number }, detail: TicketWithCustomer | null, actor: Actor | null): unknown {
    const unmasked = actor !== null && (can(actor, 'contact.unmasked') || actor.role === 'customer');
    const status = row.status as TicketStatus;
    return {
      id: row.id,
      number: row.number,
      title: row.title,
      excerpt: detail ? undefined : row.description.length > 120 ? row.description.slice(0, 120) + '…' : row.description,
      status,
      priority: row.priority as Ticket['priority'],
      channel: row.channel as Ticket['channel'],
      reportedAt: iso(row.reported_at),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      closedAt: isoOrNull(row.closed_at),
      customer: {
        id: row.customer_id,
        name: row.c_name,
        company: row.c_company,
        phone: unmasked ? row.c_phone : maskPhone(row.c_phone),
        email: unmasked ? row.c_email : maskEmail(row.c_email),
        tier: row.c_tier as Ticket['customer']['tier'],
        specialNeeds: row.c_special_needs === 1,
      },
      productModel: row.product_model,
      serialNumber: row.serial_number,
      purchaseDate: row.purchase_date,
      occurredAt: isoOrNull(row.occurred_at),
      demand: row.demand,
      category: row.category,
      serviceType: row.service_type as Ticket['serviceType'],
      faultClass: row.fault_class as Ticket['faultClass'],
      departmentId: row.department_id,
      assignee: page.ref(row.assignee_id),
      createdBy: page.ref(row.created_by),
      version: row.version,
      sla: this.slaView(row, page.now, detail !== null),
      escalation: this.escalationView(row, page.ref),
      reviewStage: row.review_stage as Ticket['reviewStage'],
      improvementDueAt: isoOrNull(row.improvement_due_at),
      description: detail?.description,
      occurredPlace: detail?.occurred_place,
      situation: detail?.situation,
      firstJudgement: detail?.first_judgement,
      solution: detail?.solution,
      allowedTransitions: detail && actor ? allowedTransitions(status, actor.role) : undefined,
      allowedActions:
        detail && actor
          ? allowedActions({
              status,
              role: actor.role,
              escalationLevel: row.escalation_level ?? 0,
              escalationAcked: row.escalation_acked_at !== null,
              escalatedToActor: row.escalated_to === actor.id,
              resolved: detail.resolved_at !== null,
              followedUp: row.followed_up_at !== null,
            })
          : undefined,
    } satisfies { [K in keyof Ticket | keyof TicketListItem]: unknown };
  }

  /** The ticket row if the actor may see it; otherwise not found, so numbers of other people's tickets leak nothing. */
  async findVisible(db: Kysely<DB>, actor: Actor, number: string): Promise<TicketWithCustomer> {
    const row = await selectTicketWithCustomer(db).where('tickets.number', '=', number).executeTakeFirst();
    if (!row || !(await this.canSee(db, actor, row as TicketWithCustomer))) throw NotFound('error.ticket_not_found', { number });
    return row as TicketWithCustomer;
  }

  private async canSee(db: Kysely<DB>, actor: Actor, row: TicketRow): Promise<boolean> {
    const scope = { departmentId: row.department_id, assigneeId: row.assignee_id, createdBy: row.created_by, customerId: row.customer_id };
    if (canSeeTicket(actor, scope)) return true;
    if (actor.role === 'customer' || actor.departmentId === null) return false;
    const collab = await db.selectFrom('subtasks').select('department_id').where('ticket_id', '=', row.id).execute();
    return canSeeTicket(actor, { ...scope, collaboratingDepartments: collab.map((c) => c.department_id) });
  }

  // ------------------------------------------------------------ create

  async create(actor: Actor, body: CreateBody, idempotencyKey: string | undefined): Promise<CreateResult> {
    requireAccess(actor, 'ticket.create');
    const now = this.ctx.clock.now();
    const isCustomer = actor.role === 'customer';
    const reportedAt = body.reportedAt ? Date.parse(body.reportedAt) : now;
    if (reportedAt > now + FUTURE_SLACK_MS) throw Invalid({ reportedAt: 'field.in_future' });
    const departmentId = isCustomer ? null : (body.departmentId ?? null);
    const assigneeId = isCustomer ? null : (body.assigneeId ?? null);
    await this.checkReferences({ category: body.category, departmentId, assigneeId }, null);

    const run = () =>
      this.tx(async (trx, notified) => {
        if (idempotencyKey) {
          const [prior] = await fastQuery<{ number: string }>(
            this.ctx.db,
            trx,
            'SELECT tickets.number FROM idempotency_keys JOIN tickets ON tickets.id = idempotency_keys.ticket_id WHERE idempotency_keys.user_id = ? AND idempotency_keys.key = ?',
            [actor.id, idempotencyKey],
          );
          if (prior) return { number: prior.number, created: false as const };
        }
        let customer;
        if (isCustomer) {
          customer = await trx.selectFrom('customers').selectAll().where('id', '=', actor.customerId ?? -1).executeTakeFirst();
          if (!customer) throw Invalid({ customerId: 'field.customer_unknown' });
        } else if (body.customerId !== undefined) {
          customer = await trx.selectFrom('customers').selectAll().where('id', '=', body.customerId).executeTakeFirst();
          if (!customer) throw Invalid({ customerId: 'field.customer_unknown' });
        } else {
          customer = await this.customers.findOrCreateInline(trx, body.customer!, now);
        }
        const product = await this.sla.product(body.productModel ?? null, trx);
        const productLine = product?.line ?? null;
        const unitId = await this.customers.ensureUnit(trx, customer, body.productModel, body.serialNumber, body.purchaseDate, product?.warrantyMonths ?? null, now);
        // Routing rules decide only what the agent left open: a chosen department or assignee always wins.
        const decision =
          departmentId === null && assigneeId === null
            ? await this.routing.route(trx, {
                category: body.category ?? null,
                productLine,
                customerTier: customer.tier,
                channel: isCustomer ? 'web' : body.channel,
                text: `${body.title} ${body.description} ${body.productModel ?? ''}`,
              })
            : null;
        const finalDepartment = decision?.departmentId ?? departmentId;
        const finalAssignee = decision?.assignee?.candidate.id ?? assigneeId;
        const month = numberingMonth(now);
        const number = formatTicketNumber(month, await nextSerial(this.ctx.db, trx, month));
        const status: TicketStatus = finalAssignee ? 'assigned' : 'new';
        const plan = await this.sla.planFor({ priority: body.priority, customerTier: customer.tier, productModel: body.productModel ?? null, serviceType: body.serviceType ?? null }, trx);
        const clocks = this.sla.columns(plan, freshClockState(status, reportedAt));
        const values = {
          number,
          title: body.title,
          description: body.description,
          status,
          is_open: 1,
          priority: body.priority,
          channel: isCustomer ? 'web' : body.channel,
          reported_at: reportedAt,
          created_at: now,
          updated_at: now,
          closed_at: null,
          customer_id: customer.id,
          unit_id: unitId,
          product_model: body.productModel ?? null,
          serial_number: body.serialNumber ?? null,
          purchase_date: body.purchaseDate ?? null,
          occurred_at: body.occurredAt ? Date.parse(body.occurredAt) : null,
          occurred_place: body.occurredPlace ?? null,
          situation: body.situation ?? null,
          demand: body.demand ?? null,
          first_judgement: body.firstJudgement ?? null,
          category: body.category ?? null,
          service_type: body.serviceType ?? null,
          fault_class: body.faultClass ?? null,
          department_id: finalDepartment,
          assignee_id: finalAssignee,
          created_by: actor.id,
          version: 1,
          routing_rule_id: decision?.rule.id ?? null,
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
        };
        const { id } = (await fastInsert<{ id: number }>(this.ctx.db, trx, 'tickets', values, 'id'))!;
        await writeSearchIndex(this.ctx.db, trx, id, ticketSearchTokens(this.ctx.db.dialect, values, customer), false);
        const changes: { field: string; before: unknown; after: unknown }[] = [
          { field: 'status', before: null, after: status },
          { field: 'priority', before: null, after: values.priority },
        ];
        if (departmentId) changes.push({ field: 'departmentId', before: null, after: departmentId });
        if (assigneeId) changes.push({ field: 'assignee', before: null, after: (await this.userRef(assigneeId, trx))?.name });
        await appendEvent(trx, id, now, actor.id, 'created', { changes }, this.ctx.db);
        if (decision) {
          const routedChanges: { field: string; before: unknown; after: unknown }[] = [{ field: 'departmentId', before: null, after: decision.departmentId }];
          if (decision.assignee) routedChanges.push({ field: 'assignee', before: null, after: decision.assignee.candidate.name });
          await appendEvent(trx, id, now, null, 'routed', {
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
          }, this.ctx.db);
        }
        if (finalAssignee) {
          await this.routing.adjustLoad(trx, { assigneeId: null, open: false }, { assigneeId: finalAssignee, open: true });
          const recipients = await this.stakeholders(trx, { id, assignee_id: finalAssignee, department_id: finalDepartment }, true);
          const ids = await this.notifier.enqueue(trx, {
            userIds: recipients.filter((u) => u !== actor.id),
            kind: 'assigned',
            ticket: { id, number, title: values.title, priority: values.priority, demand: values.demand, status, dueAt: clocks.next_due_at === NO_DEADLINE ? null : clocks.next_due_at },
            data: { assigneeId: finalAssignee, description: values.description.slice(0, 300) },
            dedupeKey: `assigned:${id}:${finalAssignee}:${now}`,
          });
          ids.forEach((u) => notified.add(u));
        }
        if (idempotencyKey) {
          await fastInsert(this.ctx.db, trx, 'idempotency_keys', { user_id: actor.id, key: idempotencyKey, ticket_id: id, created_at: now });
        }
        // The answer is built from what was written: no read-back on the hot path.
        return { number, created: true as const, row: newTicketRow(id, values, customer) };
      });

    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run();
    } catch (e) {
      // PostgreSQL: a concurrent request with the same key committed first; ours rolled back whole. Answer with theirs.
      if (idempotencyKey && isUniqueViolation(e)) result = await run();
      else throw e;
    }
    const row = result.created ? result.row : await this.findVisibleAfterWrite(actor, result.number);
    return { ticket: await this.toDto(row, actor), created: result.created };
  }

  /** Reads a ticket just written; the creator may not "see" a ticket routed elsewhere, but may see their own result. */
  private async findVisibleAfterWrite(_actor: Actor, number: string): Promise<TicketWithCustomer> {
    const row = await selectTicketWithCustomer(this.ctx.db.read).where('tickets.number', '=', number).executeTakeFirstOrThrow();
    return row as TicketWithCustomer;
  }

  // ------------------------------------------------------------ read

  async get(actor: Actor, number: string): Promise<Ticket> {
    const row = await this.findVisible(this.ctx.db.read, actor, number);
    return this.toDto(row, actor);
  }

  async list(actor: Actor, query: ListQuery): Promise<{ items: TicketListItem[]; nextCursor: string | null }> {
    const sort = SORTS[query.sort];
    const tokens = query.q ? queryTokens(query.q) : undefined;
    if (tokens && tokens.length === 0) return { items: [], nextCursor: null };
    let after: (string | number)[] | undefined;
    if (query.cursor) {
      after = decodeCursor(query.cursor, sort.byPriority ? ['s', 'n', 'n'] : ['n', 'n']) ?? undefined;
      if (!after) throw Invalid({ cursor: 'field.invalid_cursor' });
    }
    const { text, params } = ticketListSql(this.ctx.db.dialect, actor, {
      status: query.status,
      open: query.open === undefined ? undefined : query.open === 'true',
      priority: query.priority,
      category: query.category,
      departmentId: query.departmentId,
      assigneeId: query.assigneeId === 'me' ? actor.id : query.assigneeId === 'none' ? null : query.assigneeId,
      customerId: query.customerId,
      channel: query.channel,
      createdFrom: query.createdFrom ? Date.parse(query.createdFrom) : undefined,
      createdTo: query.createdTo ? Date.parse(query.createdTo) : undefined,
      tokens,
      sort: query.sort,
      after,
      limit: query.limit + 1,
    });
    const rows = await readSql<TicketListRow>(this.ctx.db, text, params);
    const more = rows.length > query.limit;
    const pageRows = rows.slice(0, query.limit);
    const page = await this.pageContext();
    const items = pageRows.map((r) => this.toListItem(r, page));
    let nextCursor: string | null = null;
    if (more) {
      const last = pageRows[pageRows.length - 1];
      nextCursor = encodeCursor(sort.byPriority ? [last.priority, last[sort.column] as number, last.id] : [last[sort.column] as number, last.id]);
    }
    return { items, nextCursor };
  }

  // ------------------------------------------------------------ update

  async update(actor: Actor, number: string, body: PatchBody, ifMatch: number | undefined): Promise<Ticket> {
    requireAccess(actor, 'ticket.update');
    const expected = ifMatch ?? body.version;
    if (expected === undefined) throw Invalid({ version: 'field.version_required' });
    const pre = await this.findVisible(this.ctx.db.read, actor, number);
    await this.checkReferences({ category: body.category, departmentId: body.departmentId, assigneeId: body.assigneeId }, pre.department_id);
    if (body.reportedAt !== undefined && Date.parse(body.reportedAt) > this.ctx.clock.now() + FUTURE_SLACK_MS) {
      throw Invalid({ reportedAt: 'field.in_future' });
    }

    await this.tx(async (trx, notified) => {
      const row = await this.findVisible(trx, actor, number);
      if (row.version !== expected) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      const set: Record<string, unknown> = {};
      const changes: { field: string; before: unknown; after: unknown }[] = [];
      let assignmentChange: { before: unknown; after: unknown } | null = null;
      for (const { field, column, toDb } of PATCH_COLUMNS) {
        const value = body[field];
        if (value === undefined) continue;
        const stored = toDb ? toDb(value) : value;
        if (stored === row[column]) continue;
        set[column] = stored;
        if (field === 'assigneeId') {
          assignmentChange = { before: (await this.userRef(row.assignee_id, trx))?.name ?? null, after: (await this.userRef(stored as number | null, trx))?.name ?? null };
        } else {
          const show = (v: unknown) => (column === 'reported_at' || column === 'occurred_at') && typeof v === 'number' ? iso(v) : v;
          changes.push({ field, before: show(row[column]), after: show(stored) });
        }
      }
      if (Object.keys(set).length === 0) return;
      // Moving a ticket to another department drops an assignee who does not belong there.
      if (set.department_id !== undefined && set.assignee_id === undefined && row.assignee_id !== null && set.department_id !== null) {
        const u = (await this.userIndex(trx)).get(row.assignee_id);
        if (u && u.departmentId !== set.department_id) {
          set.assignee_id = null;
          assignmentChange = { before: u.name, after: null };
        }
      }
      const status = row.status as TicketStatus;
      if (set.assignee_id !== undefined) {
        const next = statusAfterAssignment(status, set.assignee_id !== null);
        if (next !== status) set.status = next;
      }
      const events: TicketChange['events'] = [];
      if (changes.length > 0) events.push({ kind: 'updated', data: { changes } });
      if (assignmentChange) {
        const assignChanges = [{ field: 'assignee', ...assignmentChange }];
        if (set.status) assignChanges.push({ field: 'status', before: status, after: set.status });
        events.push({ kind: 'assigned', data: { changes: assignChanges } });
      }
      const notify: TicketChange['notify'] = [];
      if (set.assignee_id) {
        const merged = { ...row, ...set } as TicketRow;
        notify.push({ userIds: await this.stakeholders(trx, merged), kind: 'assigned', data: { assigneeId: set.assignee_id }, dedupeKey: `assigned:${row.id}:${set.assignee_id}:${this.ctx.clock.now()}` });
      }
      const repickPolicy = ['priority', 'service_type', 'product_model'].some((c) => set[c] !== undefined);
      const merged = await this.applyChange(trx, actor.id, row, { set, events, notify, repickPolicy }, notified);
      if (repickPolicy && merged.sla_policy_id !== row.sla_policy_id) {
        await appendEvent(trx, row.id, this.ctx.clock.now(), actor.id, 'sla_recomputed', { details: { policyBefore: row.sla_policy_id, policyAfter: merged.sla_policy_id } });
      }
      if (PATCH_COLUMNS.some((c) => SEARCHED_FIELDS.has(c.field) && set[c.column] !== undefined)) {
        await writeSearchIndex(this.ctx.db, trx, row.id, ticketSearchTokens(this.ctx.db.dialect, merged, { name: row.c_name, phone: row.c_phone, company: row.c_company }), true);
      }
    });
    return this.get(actor, number);
  }

  // ------------------------------------------------------------ transitions

  async transition(actor: Actor, number: string, body: z.infer<typeof TransitionBody>, ifMatch: number | undefined, lang: Language): Promise<Ticket> {
    const expected = ifMatch ?? body.version;
    await this.tx(async (trx, notified) => {
      const row = await this.findVisible(trx, actor, number);
      if (expected !== undefined && row.version !== expected) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      await this.moveStatus(trx, actor, row, body.to, body.note ?? null, lang, notified);
    });
    return this.get(actor, number);
  }

  /** A status change with its checks, clock bookkeeping and timeline entry; used by every workflow action. */
  async moveStatus(
    trx: Kysely<DB>,
    actor: Actor,
    row: TicketWithCustomer,
    to: TicketStatus,
    note: string | null,
    lang: Language,
    notified: Set<number>,
    extra: Partial<TicketChange> & { details?: Record<string, unknown>; kind?: string } = {},
  ): Promise<TicketRow> {
    const from = row.status as TicketStatus;
    let assigneeId = row.assignee_id;
    // Starting work on an unassigned ticket makes the one who starts it the assignee.
    if (to === 'in_progress' && assigneeId === null && actor.role !== 'customer' && actor.role !== 'qa') assigneeId = actor.id;
    const check = checkTransition({
      from,
      to,
      role: actor.role as Role,
      hasAssignee: assigneeId !== null,
      secondReviewApproved: extra.kind === 'review_approved' && row.review_stage === 'second',
    });
    const labels = { from: STATUS_LABELS[lang][from], to: STATUS_LABELS[lang][to] };
    if (!check.ok) {
      if (check.reason === 'forbidden') throw new AppError(403, 'forbidden', 'error.transition_forbidden', labels);
      if (check.reason === 'assignee_required') throw Conflict('invalid_transition', 'error.assignee_required');
      throw Conflict('invalid_transition', 'error.invalid_transition', labels);
    }
    // Solution, review and confirmation leave their own records: the plain status change cannot stand in for them.
    if (!extra.kind && needsWorkflowAction(from, to)) throw Conflict('invalid_transition', 'error.use_workflow_action', labels);
    // A complaint closes only after its second review (二次复核), which the review action records.
    if (to === 'closed' && row.service_type === 'complaint' && extra.kind !== 'review_approved') {
      throw Conflict('invalid_transition', 'error.second_review_required');
    }
    if (to === 'pending_review' && extra.kind !== 'solution_submitted' && !(from === 'pending_confirmation')) {
      await this.requireSubtasksDone(trx, row.id, null);
    }
    const now = this.ctx.clock.now();
    const set: Record<string, unknown> = { status: to, ...(extra.set ?? {}) };
    if (to === 'closed' || to === 'cancelled') set.closed_at = now;
    if (to === 'reopened') set.closed_at = null;
    if (assigneeId !== row.assignee_id) set.assignee_id = assigneeId;
    const changes: EventData['changes'] = [{ field: 'status', before: from, after: to }];
    if (set.assignee_id !== undefined) changes.push({ field: 'assignee', before: null, after: actor.name });
    const sla = afterStatusChange(slaInputOf(row), from, to, now);
    return this.applyChange(
      trx,
      actor.id,
      row,
      {
        set,
        sla,
        repickPolicy: extra.repickPolicy,
        events: [{ kind: extra.kind ?? 'status_changed', data: { changes, note, details: extra.details } }, ...(extra.events ?? [])],
        notify: extra.notify,
      },
      notified,
    );
  }

  /** Open sub-tasks of collaborating departments block a solution unless the lead overrides with a reason. */
  async requireSubtasksDone(trx: Kysely<DB>, ticketId: number, overrideReason: string | null) {
    if (overrideReason) return;
    const open = await trx.selectFrom('subtasks').select('id').where('ticket_id', '=', ticketId).where('status', '=', 'open').limit(1).executeTakeFirst();
    if (open) throw Conflict('conflict', 'error.subtasks_open');
  }

  // ------------------------------------------------------------ comments and timeline

  async addComment(actor: Actor, number: string, body: z.infer<typeof CommentBody>): Promise<Comment> {
    requireAccess(actor, 'ticket.comment');
    if (body.internal) requireAccess(actor, 'ticket.internal');
    const now = this.ctx.clock.now();
    const created = await this.tx(async (trx, notified) => {
      const row = await this.findVisible(trx, actor, number);
      const c = await trx
        .insertInto('comments')
        .values({ ticket_id: row.id, author_id: actor.id, body: body.body, internal: body.internal ? 1 : 0, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const event = { kind: body.internal ? 'internal_note' : 'comment', data: { commentId: c.id, internal: body.internal, note: body.body.length > 500 ? body.body.slice(0, 500) + '…' : body.body } };
      // A reply the customer sees answers them and counts as a progress update; notes and the customer's own words do not.
      const staffReply = !body.internal && actor.role !== 'customer';
      let sla: TicketSlaInput | undefined;
      if (staffReply) {
        const input = slaInputOf(row);
        sla = afterProgressUpdate({ ...input, firstRespondedAt: input.firstRespondedAt ?? now }, now);
      }
      await this.applyChange(
        trx,
        actor.id,
        row,
        { set: staffReply ? { first_responded_at: row.first_responded_at ?? now } : {}, sla, events: [event], keepVersion: true },
        notified,
      );
      return c.id;
    });
    return { id: created, ticketNumber: number, author: { id: actor.id, name: actor.name }, body: body.body, internal: body.internal, createdAt: iso(now) };
  }

  async comments(actor: Actor, number: string): Promise<Comment[]> {
    const row = await this.findVisible(this.ctx.db.read, actor, number);
    let q = this.ctx.db.read.selectFrom('comments').selectAll().where('ticket_id', '=', row.id);
    if (!can(actor, 'ticket.internal')) q = q.where('internal', '=', 0);
    const rows = await q.orderBy('id').limit(1000).execute();
    return Promise.all(
      rows.map(async (c) => ({
        id: c.id,
        ticketNumber: number,
        author: await this.userRef(c.author_id),
        body: c.body,
        internal: c.internal === 1,
        createdAt: iso(c.created_at),
      })),
    );
  }

  async events(actor: Actor, number: string, limit: number, cursor: string | undefined): Promise<{ items: TicketEvent[]; nextCursor: string | null }> {
    const row = await this.findVisible(this.ctx.db.read, actor, number);
    let q = this.ctx.db.read.selectFrom('ticket_events').selectAll().where('ticket_id', '=', row.id);
    if (cursor) {
      const c = decodeCursor(cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      q = q.where('id', '>', c[0] as number);
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute();
    const internalOk = can(actor, 'ticket.internal');
    const items: TicketEvent[] = [];
    for (const e of rows.slice(0, limit)) {
      const data = JSON.parse(e.data) as EventData;
      if (data.internal && !internalOk) continue;
      items.push({
        id: e.id,
        kind: e.kind as TicketEvent['kind'],
        at: iso(e.at),
        actor: await this.userRef(e.actor_id),
        changes: data.changes ?? [],
        note: data.note ?? null,
        commentId: data.commentId ?? null,
        attachmentId: data.attachmentId ?? null,
        internal: data.internal ?? false,
        details: data.details ?? null,
      });
    }
    return { items, nextCursor: rows.length > limit ? encodeCursor([rows[limit - 1].id]) : null };
  }

  /** For other modules (attachments): the ticket id if the actor may see it. */
  async visibleTicketId(actor: Actor, number: string): Promise<number> {
    return (await this.findVisible(this.ctx.db.read, actor, number)).id;
  }

  async visibleTicketById(actor: Actor, id: number): Promise<string> {
    const row = await selectTicketWithCustomer(this.ctx.db.read).where('tickets.id', '=', id).executeTakeFirst();
    if (!row || !(await this.canSee(this.ctx.db.read, actor, row as TicketWithCustomer))) throw NotFound('error.attachment_not_found');
    return row.number;
  }

  /** Open tickets of some customers that the actor may see (phone intake). */
  async openTicketsOf(actor: Actor, customerIds: number[]): Promise<Map<number, TicketListItem[]>> {
    const out = new Map<number, TicketListItem[]>();
    if (customerIds.length === 0) return out;
    const rows = (await visibleTo(selectTicketWithCustomer(this.ctx.db.read), actor)
      .where('tickets.customer_id', 'in', customerIds)
      .where('tickets.is_open', '=', 1)
      .orderBy('tickets.created_at', 'desc')
      .limit(100)
      .execute()) as TicketWithCustomer[];
    const page = await this.pageContext();
    for (const r of rows) {
      const item = this.toListItem(r, page);
      item.customer.phone = r.c_phone;
      out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), item]);
    }
    return out;
  }

  /** Timeline entry for an attachment, written in the attachment's own transaction. */
  async recordAttachment(trx: Kysely<DB>, ticketId: number, actorId: number, attachmentId: number, filename: string, internal: boolean, now: number) {
    await trx.updateTable('tickets').set({ updated_at: now }).where('id', '=', ticketId).execute();
    await appendEvent(trx, ticketId, now, actorId, 'attachment', { attachmentId, internal, note: filename });
  }
}
