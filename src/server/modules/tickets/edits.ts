// Changes to a ticket by its people: field edits (PATCH, optimistic locking) and status changes with their checks,
// which every workflow action (resolution.ts) goes through.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language, Role, TicketStatus } from '../../../shared/enums.js';
import type { Ticket, TicketPatchBody, TransitionBody } from '../../../shared/schemas.js';
import type { DB } from '../../db/schema.js';
import { isProviderActor, type Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { ticketSearchTokens } from '../../domain/search.js';
import { afterStatusChange } from '../../domain/sla/ticket-clocks.js';
import { checkTransition, needsWorkflowAction, statusAfterAssignment } from '../../domain/workflow.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Conflict, Forbidden, Invalid } from '../../http/errors.js';
import { STATUS_LABELS } from '../../http/messages.js';
import { slaInputOf } from '../sla/service.js';
import { classifyPatch, rerouteAfterCategoryChange, reroutedEvent, writeExtraCategories } from './classify.js';
import { FUTURE_SLACK_MS, type TicketChange, type TicketCore } from './core.js';
import { appendEvent, writeSearchIndex, type EventData, type TicketRow, type TicketWithCustomer } from './repo.js';
import type { SecondReviews } from './second-review.js';
import type { TicketViews } from './views.js';

type PatchBody = z.infer<typeof TicketPatchBody>;

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
  { field: 'preferredContact', column: 'preferred_contact' },
  { field: 'situation', column: 'situation' },
  { field: 'demand', column: 'demand' },
  { field: 'firstJudgement', column: 'first_judgement' },
  { field: 'serviceType', column: 'service_type' },
  { field: 'faultClass', column: 'fault_class' },
  { field: 'departmentId', column: 'department_id' },
  { field: 'assigneeId', column: 'assignee_id' },
];
const SEARCHED_FIELDS = new Set<keyof PatchBody>(['title', 'description', 'productModel', 'serialNumber']);

export class TicketEdits {
  constructor(
    private readonly core: TicketCore,
    private readonly views: TicketViews,
    private readonly secondReviews: SecondReviews,
  ) {}

  async update(actor: Actor, number: string, body: PatchBody, ifMatch: number | undefined): Promise<Ticket> {
    requireAccess(actor, 'ticket.update');
    const expected = ifMatch ?? body.version;
    if (expected === undefined) throw Invalid({ version: 'field.version_required' });
    const pre = await this.core.findVisible(this.core.ctx.db.read, actor, number);
    await this.core.checkReferences({ category: body.category, categories: body.categories, departmentId: body.departmentId, assigneeId: body.assigneeId }, pre.department_id);
    if (body.reportedAt !== undefined && Date.parse(body.reportedAt) > this.core.ctx.clock.now() + FUTURE_SLACK_MS) {
      throw Invalid({ reportedAt: 'field.in_future' });
    }

    await this.core.tx(async (trx, notified) => {
      const row = await this.core.findVisible(trx, actor, number);
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
          assignmentChange = { before: (await this.core.userRef(row.assignee_id, trx))?.name ?? null, after: (await this.core.userRef(stored as number | null, trx))?.name ?? null };
        } else {
          const show = (v: unknown) => (column === 'reported_at' || column === 'occurred_at') && typeof v === 'number' ? iso(v) : v;
          changes.push({ field, before: show(row[column]), after: show(stored) });
        }
      }
      const classified = await classifyPatch(trx, row, body, this.core.ctx.clock.now());
      Object.assign(set, classified.set);
      changes.push(...classified.changes);
      if (Object.keys(set).length === 0 && classified.extras === null) return;
      // A new primary category on a ticket nobody has taken yet is routed again, unless this edit places it by hand.
      let rerouted: ReturnType<typeof reroutedEvent> | null = null;
      if (typeof set.category === 'string' && row.is_open === 1 && row.assignee_id === null && body.departmentId === undefined && body.assigneeId === undefined) {
        const decision = await rerouteAfterCategoryChange(this.core, trx, row, set.category);
        if (decision) {
          rerouted = reroutedEvent(decision, set.category, row.department_id);
          set.department_id = decision.departmentId;
          set.routing_rule_id = decision.rule.id;
          if (decision.assignee) set.assignee_id = decision.assignee.candidate.id;
        }
      }
      // Moving a ticket to another department drops an assignee who does not belong there.
      if (set.department_id !== undefined && set.assignee_id === undefined && row.assignee_id !== null && set.department_id !== null) {
        const u = (await this.core.userIndex(trx)).get(row.assignee_id);
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
      events.push(...classified.events);
      if (rerouted) {
        if (set.status) rerouted.data.changes!.push({ field: 'status', before: status, after: set.status });
        events.push(rerouted);
      }
      if (assignmentChange) {
        const assignChanges = [{ field: 'assignee', ...assignmentChange }];
        if (set.status) assignChanges.push({ field: 'status', before: status, after: set.status });
        events.push({ kind: 'assigned', data: { changes: assignChanges } });
      }
      const notify: TicketChange['notify'] = [];
      if (set.assignee_id) {
        const merged = { ...row, ...set } as TicketRow;
        notify.push({ userIds: await this.core.assignmentRecipients(trx, merged), kind: 'assigned', data: { assigneeId: set.assignee_id }, dedupeKey: `assigned:${row.id}:${set.assignee_id}:${this.core.ctx.clock.now()}` });
      }
      const repickPolicy = ['priority', 'service_type', 'product_model'].some((c) => set[c] !== undefined);
      const merged = await this.core.applyChange(trx, actor.id, row, { set, events, notify, repickPolicy }, notified);
      if (set.assignee_id && set.assignee_id !== row.assignee_id && merged.is_open === 1) {
        await this.core.tellCustomer(trx, merged, 'ticket_assigned', `v${merged.version}`, actor.id, { engineerName: (await this.core.userRef(merged.assignee_id, trx))?.name ?? '' });
      }
      if (repickPolicy && merged.sla_policy_id !== row.sla_policy_id) {
        await appendEvent(trx, row.id, this.core.ctx.clock.now(), actor.id, 'sla_recomputed', { details: { policyBefore: row.sla_policy_id, policyAfter: merged.sla_policy_id } });
      }
      if (classified.extras !== null) await writeExtraCategories(trx, row.id, classified.extras);
      if (PATCH_COLUMNS.some((c) => SEARCHED_FIELDS.has(c.field) && set[c.column] !== undefined)) {
        await writeSearchIndex(this.core.ctx.db, trx, row.id, ticketSearchTokens(this.core.ctx.db.dialect, merged, { name: row.c_name, phone: row.c_phone, company: row.c_company }), true);
      }
    });
    return this.views.get(actor, number);
  }

  async transition(actor: Actor, number: string, body: z.infer<typeof TransitionBody>, ifMatch: number | undefined, lang: Language): Promise<Ticket> {
    // A provider's people record their visit's steps; the ticket's course is the company's (domain/access.ts).
    if (isProviderActor(actor)) throw Forbidden();
    const expected = ifMatch ?? body.version;
    await this.core.tx(async (trx, notified) => {
      const row = await this.core.findVisible(trx, actor, number);
      if (expected !== undefined && row.version !== expected) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      await this.moveStatus(trx, actor, row, body.to, body.note ?? null, lang, notified);
    });
    return this.views.get(actor, number);
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
    });
    const labels = { from: STATUS_LABELS[lang][from], to: STATUS_LABELS[lang][to] };
    if (!check.ok) {
      if (check.reason === 'forbidden') throw new AppError(403, 'forbidden', 'error.transition_forbidden', labels);
      if (check.reason === 'assignee_required') throw Conflict('invalid_transition', 'error.assignee_required');
      throw Conflict('invalid_transition', 'error.invalid_transition', labels);
    }
    // Solution, review and confirmation leave their own records: the plain status change cannot stand in for them.
    if (!extra.kind && needsWorkflowAction(from, to)) throw Conflict('invalid_transition', 'error.use_workflow_action', labels);
    const now = this.core.ctx.clock.now();
    const set: Record<string, unknown> = { status: to, ...(extra.set ?? {}) };
    if (to === 'closed' || to === 'cancelled') set.closed_at = now;
    if (to === 'reopened') {
      set.closed_at = null;
      // Counted for the second review (二次复核), which the second reopening starts (SecondReviews.startIfDue).
      set.reopen_count = row.reopen_count + 1;
    }
    if (assigneeId !== row.assignee_id) set.assignee_id = assigneeId;
    const changes: EventData['changes'] = [{ field: 'status', before: from, after: to }];
    if (set.assignee_id !== undefined) changes.push({ field: 'assignee', before: null, after: actor.name });
    const sla = afterStatusChange(slaInputOf(row), from, to, now);
    const merged = await this.core.applyChange(
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
    if (to === 'reopened') await this.secondReviews.startIfDue(trx, actor, merged, extra.kind === 'customer_rejected', notified);
    if (to === 'closed') for (const hook of this.core.closedHooks) await hook(trx, actor, merged, notified);
    await this.tellCustomer(trx, actor, row, merged, to);
    return merged;
  }

  /**
   * The customer hears of the steps that concern them (seeds 001, 002): a solution to confirm, a reopening, the close
   * (with the survey link), and who took the ticket on when starting work assigned it. Never a transition's note.
   */
  private async tellCustomer(trx: Kysely<DB>, actor: Actor, row: TicketRow, merged: TicketRow, to: TicketStatus) {
    const key = `v${merged.version}`;
    if (to === 'pending_confirmation') await this.core.tellCustomer(trx, merged, 'solution_pending', key, actor.id, { solution: merged.solution ?? '' });
    else if (to === 'reopened') await this.core.tellCustomer(trx, merged, 'ticket_reopened', key, actor.id);
    else if (to === 'closed') await this.core.tellCustomer(trx, merged, 'ticket_closed', key, actor.id);
    else if (merged.assignee_id !== null && merged.assignee_id !== row.assignee_id) {
      await this.core.tellCustomer(trx, merged, 'ticket_assigned', key, actor.id, { engineerName: (await this.core.userRef(merged.assignee_id, trx))?.name ?? '' });
    }
  }

  /** Open sub-tasks of collaborating departments block a solution unless the lead overrides with a reason. */
  async requireSubtasksDone(trx: Kysely<DB>, ticketId: number, overrideReason: string | null) {
    if (overrideReason) return;
    const open = await trx.selectFrom('subtasks').select('id').where('ticket_id', '=', ticketId).where('status', '=', 'open').limit(1).executeTakeFirst();
    if (open) throw Conflict('conflict', 'error.subtasks_open');
  }
}
