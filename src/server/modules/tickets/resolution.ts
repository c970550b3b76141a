// The way to a closed ticket (SPEC §7, §8): solution → review by someone other than its author → customer
// confirmation (satisfied closes; not satisfied reopens, and may start a second review: second-review.ts), manual
// escalation and its acknowledgement, and the follow-up call.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language, Priority, Role } from '../../../shared/enums.js';
import type { AcknowledgeBody, ConfirmationBody, EscalateBody, FollowUpBody, ReviewBody, SecondReviewBody, SolutionBody, Ticket } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { writesTickets, type Actor } from '../../domain/access.js';
import { solutionReviewers } from '../../domain/review.js';
import { escalationDeadline } from '../../domain/sla/ticket-clocks.js';
import { isReviewer, raisePriority } from '../../domain/workflow.js';
import { AppError, Conflict, Forbidden, Invalid } from '../../http/errors.js';
import { STATUS_LABELS } from '../../http/messages.js';
import type { SlaService } from '../sla/service.js';
import { slaInputOf } from '../sla/service.js';
import type { TicketWithCustomer } from './repo.js';
import type { TicketsService } from './service.js';

const IMPROVEMENT_PLAN_MS = 24 * 3600_000;

export class ResolutionService {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly sla: SlaService,
  ) {}

  private requireStatus(row: TicketWithCustomer, lang: Language, ...statuses: string[]) {
    if (!statuses.includes(row.status)) throw Conflict('invalid_transition', 'error.wrong_status', { status: STATUS_LABELS[lang][row.status] ?? row.status });
  }

  private requireStaff(actor: Actor) {
    if (!writesTickets(actor)) throw Forbidden();
  }

  async submitSolution(actor: Actor, number: string, body: z.infer<typeof SolutionBody>, lang: Language): Promise<Ticket> {
    this.requireStaff(actor);
    await this.tickets.tx(async (trx, notified) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      this.requireStatus(row, lang, 'in_progress');
      await this.tickets.requireSubtasksDone(trx, row.id, body.overrideReason ?? null);
      const reviewers = await this.reviewersOf(trx, row, actor.id);
      await this.tickets.moveStatus(trx, actor, row, 'pending_review', body.overrideReason ? `⚠ ${body.overrideReason}` : null, lang, notified, {
        kind: 'solution_submitted',
        set: { solution: body.solution, solution_by: actor.id, review_stage: 'first' },
        details: { stage: 'first', solution: body.solution.slice(0, 500), overrideReason: body.overrideReason ?? null },
        notify: [{ userIds: reviewers, kind: 'review_requested', data: { stage: 'first' }, dedupeKey: `review_requested:${row.id}:${this.ctx.clock.now()}` }],
      });
    });
    return this.tickets.get(actor, number);
  }

  async review(actor: Actor, number: string, body: z.infer<typeof ReviewBody>, lang: Language): Promise<Ticket> {
    if (!isReviewer(actor.role as Role)) throw Forbidden();
    await this.tickets.tx(async (trx, notified) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      this.requireStatus(row, lang, 'pending_review');
      // Nobody reviews their own solution (SPEC §8), not even a supervisor.
      if (row.solution_by === actor.id) throw new AppError(403, 'forbidden', 'error.own_solution');
      const stage = 'first';
      const now = this.ctx.clock.now();
      if (!body.approve) {
        if (!body.comment?.trim()) throw Invalid({ comment: 'error.comment_required' });
        await this.tickets.moveStatus(trx, actor, row, 'in_progress', body.comment, lang, notified, {
          kind: 'review_returned',
          set: { review_stage: null },
          details: { stage },
          notify: [{ userIds: [row.solution_by ?? row.assignee_id].filter((x): x is number => x !== null), kind: 'review_returned', data: { comment: body.comment }, dedupeKey: `review_returned:${row.id}:${now}` }],
        });
        return;
      }
      // A pending second review's finding must be in before the next solution goes to the customer.
      if (await this.tickets.secondReviews.pending(trx, row.id)) throw Conflict('conflict', 'error.second_review_pending');
      await this.tickets.moveStatus(trx, actor, row, 'pending_confirmation', body.comment ?? null, lang, notified, {
        kind: 'review_approved',
        set: { reviewed_by: actor.id },
        details: { stage },
      });
    });
    return this.tickets.get(actor, number);
  }

  async confirm(actor: Actor, number: string, body: z.infer<typeof ConfirmationBody>, lang: Language): Promise<Ticket> {
    if (!writesTickets(actor) && actor.role !== 'customer') throw Forbidden();
    await this.tickets.tx(async (trx, notified) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      this.requireStatus(row, lang, 'pending_confirmation');
      const now = this.ctx.clock.now();
      // Satisfied closes, complaint or not; the second review (二次复核) is for the unsatisfied (seed 000 §二(四)3).
      if (body.satisfied) {
        await this.tickets.moveStatus(trx, actor, row, 'closed', body.customerWords ?? null, lang, notified, {
          kind: 'customer_confirmed',
          details: { satisfied: true },
        });
        return;
      }
      if (!body.customerWords?.trim()) throw Invalid({ customerWords: 'error.customer_words_required' });
      const before = row.priority as Priority;
      const after = raisePriority(before);
      await trx.insertInto('comments').values({ ticket_id: row.id, author_id: actor.id, body: body.customerWords, internal: 0, created_at: now }).execute();
      await this.tickets.moveStatus(trx, actor, row, 'reopened', body.customerWords, lang, notified, {
        kind: 'customer_rejected',
        set: { priority: after, improvement_due_at: now + IMPROVEMENT_PLAN_MS, review_stage: null },
        repickPolicy: true,
        details: { satisfied: false, priorityBefore: before, priorityAfter: after, improvementDueAt: new Date(now + IMPROVEMENT_PLAN_MS).toISOString() },
        notify: [{ userIds: await this.tickets.stakeholders(trx, row), kind: 'customer_rejected', data: { customerWords: body.customerWords.slice(0, 300), priority: after }, dedupeKey: `customer_rejected:${row.id}:${now}` }],
      });
    });
    return this.tickets.get(actor, number);
  }

  async escalate(actor: Actor, number: string, body: z.infer<typeof EscalateBody>, lang: Language): Promise<Ticket> {
    this.requireStaff(actor);
    await this.tickets.tx(async (trx, notified) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      if (row.is_open !== 1) this.requireStatus(row, lang);
      if ((row.escalation_level ?? 0) >= 2) throw Conflict('conflict', 'error.escalation_max');
      await this.escalateRow(trx, actor.id, row, (row.escalation_level ?? 0) + 1, body.reason, null, notified);
    });
    return this.tickets.get(actor, number);
  }

  /** Raises a ticket to level 1 (department manager, who must acknowledge in time) or 2 (after-sales director). */
  async escalateRow(trx: Kysely<DB>, actorId: number | null, row: TicketWithCustomer, level: number, reason: string, clock: string | null, notified: Set<number>) {
    const now = this.ctx.clock.now();
    const plan = await this.sla.planById(row.sla_policy_id, trx);
    let target: number | null = null;
    if (level === 1 && row.department_id) {
      target = (await trx.selectFrom('departments').select('manager_id').where('id', '=', row.department_id).executeTakeFirst())?.manager_id ?? null;
    }
    const directors = (await trx.selectFrom('users').select('id').where('role', '=', 'director').where('active', '=', 1).orderBy('id').execute()).map((u) => u.id);
    // No department manager to take it: it goes straight to the director.
    if (target === null) {
      level = 2;
      target = directors[0] ?? null;
    } else if (level === 2) target = directors[0] ?? null;
    const ackMinutes = plan?.escalation.managerAckMinutes ?? 240;
    const input = slaInputOf(row);
    const sla = {
      ...input,
      escalationLevel: level,
      escalateAt: null,
      escalationAckedAt: null,
      escalationAckDueAt: level === 1 ? (plan ? escalationDeadline(plan.escalation, plan.calendar, now, ackMinutes) : now + ackMinutes * 60_000) : null,
    };
    const targetName = target ? (await trx.selectFrom('users').select('display_name').where('id', '=', target).executeTakeFirst())?.display_name ?? null : null;
    const recipients = level === 2 ? directors : [target].filter((x): x is number => x !== null);
    await this.tickets.applyChange(
      trx,
      actorId,
      row,
      {
        set: { escalated_to: target, escalated_at: now },
        sla,
        keepVersion: actorId === null,
        events: [{ kind: 'escalated', data: { note: actorId === null ? null : reason, details: { level, to: targetName, reason: actorId === null ? 'breach' : 'manual', clock, ackDueAt: sla.escalationAckDueAt ? new Date(sla.escalationAckDueAt).toISOString() : null } } }],
        notify: [{ userIds: recipients, kind: level === 2 ? 'escalation_overdue' : 'escalated', data: { level, reason, clock }, dedupeKey: `escalated:${row.id}:${level}:${row.escalated_at ?? 0}` }],
      },
      notified,
    );
  }

  async acknowledge(actor: Actor, number: string, body: z.infer<typeof AcknowledgeBody>): Promise<Ticket> {
    await this.tickets.tx(async (trx, notified) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      if ((row.escalation_level ?? 0) < 1 || row.escalation_acked_at !== null) throw Conflict('conflict', 'error.nothing_to_acknowledge');
      if (row.escalated_to !== actor.id && actor.role !== 'director' && actor.role !== 'admin') throw new AppError(403, 'forbidden', 'error.not_escalation_target');
      const now = this.ctx.clock.now();
      await this.tickets.applyChange(
        trx,
        actor.id,
        row,
        {
          set: {},
          sla: { ...slaInputOf(row), escalationAckedAt: now },
          events: [{ kind: 'escalation_acknowledged', data: { note: body.note ?? null, details: { level: row.escalation_level, lateBy: row.escalation_ack_due_at && now > row.escalation_ack_due_at ? now - row.escalation_ack_due_at : 0 } } }],
        },
        notified,
      );
    });
    return this.tickets.get(actor, number);
  }

  async followUp(actor: Actor, number: string, body: z.infer<typeof FollowUpBody>, lang: Language): Promise<Ticket> {
    this.requireStaff(actor);
    await this.tickets.tx(async (trx, notified) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      this.requireStatus(row, lang, 'closed', 'pending_confirmation');
      if (row.resolved_at === null || row.followed_up_at !== null) throw Conflict('invalid_transition', 'error.wrong_status', { status: STATUS_LABELS[lang][row.status] });
      const now = this.ctx.clock.now();
      await this.tickets.applyChange(
        trx,
        actor.id,
        row,
        { set: { followed_up_at: now }, events: [{ kind: 'follow_up', data: { note: body.note, details: { late: row.follow_up_due_at !== null && now > row.follow_up_due_at } } }] },
        notified,
      );
    });
    return this.tickets.get(actor, number);
  }

  /** Records the finding of a pending second review (二次复核): QA, supervisors, managers, directors, admins. */
  async secondReview(actor: Actor, number: string, body: z.infer<typeof SecondReviewBody>): Promise<Ticket> {
    await this.tickets.secondReviews.record(actor, number, body);
    return this.tickets.get(actor, number);
  }

  /**
   * Who is asked to review a solution (domain/review.ts solutionReviewers): the service desk's supervisors, or with
   * the setting `reviewBy = lead_department` the department's supervisors and manager; never the author; else the
   * department's manager, else the directors.
   */
  async reviewersOf(trx: Kysely<DB>, row: TicketWithCustomer, author: number | null): Promise<number[]> {
    const settings = await this.tickets.core.settings.get(trx);
    const users = await this.tickets.core.userIndex(trx);
    const active = (pred: (u: { role: string; departmentId: number | null }) => boolean) => [...users].filter(([, u]) => u.active && pred(u)).map(([id]) => id);
    const dept = row.department_id;
    const leadManager = dept ? ((await this.tickets.core.users.departments(trx)).find((d) => d.id === dept)?.manager_id ?? null) : null;
    return solutionReviewers({
      reviewBy: settings.reviewBy,
      deskSupervisors: await this.tickets.core.deskSupervisors(trx),
      leadSupervisors: dept ? active((u) => u.role === 'supervisor' && u.departmentId === dept) : [],
      leadManager: leadManager !== null && users.get(leadManager)?.active ? leadManager : null,
      directors: active((u) => u.role === 'director'),
      author,
    });
  }
}
