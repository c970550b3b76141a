// What every part of the tickets service shares (service.ts wires the parts): the directory cache of names and
// departments, who may see a ticket, and applying one change to a ticket inside a write transaction.
import type { Kysely } from 'kysely';
import { IMPROVEMENT_PLAN_STATUSES, type NotificationKind, type TicketStatus } from '../../../shared/enums.js';
import type { MessageEvent } from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import { fastQuery } from '../../db/fast.js';
import type { DB } from '../../db/schema.js';
import { canSeeTicket, isProviderActor, type Actor } from '../../domain/access.js';
import { NO_DEADLINE, type TicketSlaInput } from '../../domain/sla/ticket-clocks.js';
import { isOpen } from '../../domain/workflow.js';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../../http/errors.js';
import type { CategoriesService } from '../categories/service.js';
import type { CustomersService } from '../customers/service.js';
import type { RoutingService } from '../routing/service.js';
import { slaStateColumns, type SlaService } from '../sla/service.js';
import type { SettingsService } from '../settings/service.js';
import type { UsersService } from '../users/service.js';
import { appendEvent, dispatchedProviders, selectTicketWithCustomer, type EventData, type TicketRow, type TicketWithCustomer } from './repo.js';

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

/**
 * Messages to the ticket's customer (modules/messages), written inside the change's transaction and delivered after
 * it commits. `key` names the logical event, so a retried change writes nothing twice.
 */
export interface CustomerMessenger {
  ticketEvent(
    trx: Kysely<DB>,
    input: {
      event: MessageEvent;
      key: string;
      ticket: { id: number; number: string; title: string; customer_id: number };
      customer?: { id: number; name: string; email: string | null; phone: string | null; locale: string; message_channels: string | null; messages_opt_out: number; wechat_openid: string | null };
      variables?: Record<string, string>;
      actorId?: number | null;
    },
  ): Promise<number[]>;
}

export const silentMessenger: CustomerMessenger = { ticketEvent: async () => [] };

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

/** A reportedAt slightly ahead of our clock is a caller's clock skew, not an error. */
export const FUTURE_SLACK_MS = 5 * 60_000;

export type DirectoryEntry = { name: string; departmentId: number | null; active: boolean; role: string; providerId: number | null };

/** Another module's part of a ticket's closing, in the closing transaction (surveys: the survey is created). */
export type ClosedHook = (trx: Kysely<DB>, actor: Actor, row: TicketRow, notified: Set<number>) => Promise<void>;
/** Another module's part of a recorded second review, in its transaction (surveys: the follow-up it is part of closes). */
export type SecondReviewRecordedHook = (trx: Kysely<DB>, actor: Actor, review: { id: number; ticketId: number; finding: string }) => Promise<void>;

export class TicketCore {
  private userCache: { at: number; byId: Map<number, DirectoryEntry> } | null = null;

  notifier: Notifier = silentNotifier;
  messenger: CustomerMessenger = silentMessenger;
  /** Registered by other modules in services.ts: tickets know nothing of what they do. */
  readonly closedHooks: ClosedHook[] = [];
  readonly secondReviewRecordedHooks: SecondReviewRecordedHook[] = [];

  constructor(
    readonly ctx: AppContext,
    readonly customers: CustomersService,
    readonly categories: CategoriesService,
    readonly users: UsersService,
    readonly sla: SlaService,
    readonly routing: RoutingService,
    readonly settings: SettingsService,
  ) {}

  // ------------------------------------------------------------ writing a change

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
   * Tells the ticket's customer (modules/messages) in the change's transaction. The key names the change — the
   * ticket's version after it, or the comment — so a retried request writes no second message.
   */
  async tellCustomer(trx: Kysely<DB>, row: Pick<TicketRow, 'id' | 'number' | 'title' | 'customer_id'>, event: MessageEvent, key: string, actorId: number | null, variables?: Record<string, string>) {
    await this.messenger.ticketEvent(trx, { event, key: `${event}:${row.id}:${key}`, ticket: { id: row.id, number: row.number, title: row.title, customer_id: row.customer_id }, variables, actorId });
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

  /**
   * Who is told of an assignment: the stakeholders plus the service desk's supervisors, who receive a copy of every
   * assignment whichever department it goes to (seed 001: 抄送客服主管).
   */
  async assignmentRecipients(trx: Kysely<DB>, row: Pick<TicketRow, 'id' | 'assignee_id' | 'department_id'>, isNew = false): Promise<number[]> {
    const ids = new Set(await this.stakeholders(trx, row, isNew));
    for (const id of await this.deskSupervisors(trx)) ids.add(id);
    return [...ids];
  }

  /** Active supervisors of the service desk department (admin setting; 客服部 by default). */
  async deskSupervisors(trx: Kysely<DB>): Promise<number[]> {
    const desk = (await this.settings.get(trx)).serviceDeskDepartmentId;
    if (desk === null) return [];
    const out: number[] = [];
    for (const [id, u] of await this.userIndex(trx)) if (u.departmentId === desk && u.role === 'supervisor' && u.active) out.push(id);
    return out;
  }

  // ------------------------------------------------------------ the directory

  /** Drops the cached directory (names, departments, roles, active flags) after an edit on this node. */
  forgetDirectory() {
    this.userCache = null;
  }

  /** `db`: the caller's transaction, if any (see SlaService.load on why). */
  async userIndex(db: Kysely<DB> = this.ctx.db.read): Promise<Map<number, DirectoryEntry>> {
    const now = performance.now();
    if (!this.userCache || now - this.userCache.at > 10_000 || now < this.userCache.at) {
      const rows = await db.selectFrom('users').select(['id', 'display_name', 'department_id', 'active', 'role', 'provider_id']).execute();
      this.userCache = {
        at: now,
        byId: new Map(rows.map((r) => [r.id, { name: r.display_name, departmentId: r.department_id, active: r.active === 1, role: r.role, providerId: r.provider_id }])),
      };
    }
    return this.userCache.byId;
  }

  async userRef(id: number | null, db: Kysely<DB> = this.ctx.db.read) {
    if (id === null) return null;
    let u = (await this.userIndex(db)).get(id);
    if (!u) {
      this.userCache = null; // a user created since the cache was filled
      u = (await this.userIndex(db)).get(id);
    }
    return { id, name: u?.name ?? `#${id}` };
  }

  /** Checks the references of a create / patch before the write: category, department, assignee. */
  async checkReferences(values: { category?: string | null; categories?: string[]; departmentId?: number | null; assigneeId?: number | null }, currentDepartment: number | null) {
    const fields: FieldErrors = {};
    if (values.category) {
      if (!(await this.categories.isActive(values.category))) fields.category = 'field.category_unknown';
    }
    // Checked against the cached tree: no query per create.
    for (const code of values.categories ?? []) {
      if (!(await this.categories.isActive(code))) fields.categories = 'field.category_unknown';
    }
    if (values.departmentId) {
      if (!(await this.users.departments()).some((d) => d.id === values.departmentId)) fields.departmentId = 'field.department_unknown';
    }
    if (values.assigneeId) {
      this.userCache = null;
      const u = (await this.userIndex()).get(values.assigneeId);
      const department = values.departmentId !== undefined ? values.departmentId : currentDepartment;
      // A provider's people take visits, never a ticket (they would not even see it: domain/access.ts).
      if (!u || !u.active || u.role === 'customer' || u.providerId !== null) fields.assigneeId = 'field.assignee_unknown';
      else if (department && u.departmentId !== department) fields.assigneeId = 'field.assignee_department';
    }
    if (Object.keys(fields).length > 0) throw Invalid(fields);
  }

  // ------------------------------------------------------------ who may see a ticket

  /** The ticket row if the actor may see it; otherwise not found, so numbers of other people's tickets leak nothing. */
  async findVisible(db: Kysely<DB>, actor: Actor, number: string): Promise<TicketWithCustomer> {
    const row = await selectTicketWithCustomer(db).where('tickets.number', '=', number).executeTakeFirst();
    if (!row || !(await this.canSee(db, actor, row as TicketWithCustomer))) throw NotFound('error.ticket_not_found', { number });
    return row as TicketWithCustomer;
  }

  async canSee(db: Kysely<DB>, actor: Actor, row: TicketRow): Promise<boolean> {
    const scope = { id: row.id, departmentId: row.department_id, assigneeId: row.assignee_id, createdBy: row.created_by, customerId: row.customer_id };
    const settings = await this.settings.access(db);
    if (isProviderActor(actor)) return canSeeTicket(actor, { ...scope, dispatchedProviders: await dispatchedProviders(db, row.id) }, settings);
    if (canSeeTicket(actor, scope, settings)) return true;
    if (actor.role === 'customer' || actor.departmentId === null) return false;
    const collab = await db.selectFrom('subtasks').select('department_id').where('ticket_id', '=', row.id).execute();
    return canSeeTicket(actor, { ...scope, collaboratingDepartments: collab.map((c) => c.department_id) }, settings);
  }

  /** The users who act for a customer (accounts, link identity): the customer view shows them as the customer's side. */
  async customerUserIds(customerId: number | null): Promise<number[]> {
    if (customerId === null) return [];
    const rows = await this.ctx.db.read.selectFrom('users').select('id').where('customer_id', '=', customerId).where('role', '=', 'customer').limit(100).execute();
    return rows.map((r) => r.id);
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
}
