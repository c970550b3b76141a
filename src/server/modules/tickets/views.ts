// The ticket as the API shows it: the whole ticket and a queue item, built from a row (one object literal for both).
import type { Ticket, TicketListItem } from '../../../shared/schemas.js';
import type { TicketStatus } from '../../../shared/enums.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { customerTicket } from '../../domain/customer-view.js';
import { maskEmail, maskPhone } from '../../domain/contact.js';
import { isoOrNull, isoString as iso } from '../../domain/iso.js';
import { NO_DEADLINE } from '../../domain/sla/ticket-clocks.js';
import { checkSecondReviewer } from '../../domain/review.js';
import { allowedActions, allowedTransitions } from '../../domain/workflow.js';
import type { SlaService } from '../sla/service.js';
import type { TicketCore } from './core.js';
import type { SecondReviews } from './second-review.js';
import type { TicketListRow, TicketWithCustomer } from './repo.js';

/** What building each row of a page needs, loaded once per page so that building a row is synchronous. */
export interface PageContext {
  ref: (id: number | null) => Ticket['assignee'];
  now: number;
}

export class TicketViews {
  // Read once per row of a page: kept at hand rather than reached through the core.
  private readonly sla: SlaService;

  constructor(
    private readonly core: TicketCore,
    private readonly secondReviews: SecondReviews,
  ) {
    this.sla = core.sla;
  }

  /** The whole ticket, if the actor may see it; with its second review (staff only). */
  async get(actor: Actor, number: string): Promise<Ticket> {
    const row = await this.core.findVisible(this.core.ctx.db.read, actor, number);
    if (actor.role === 'customer') return this.toDto(row, actor);
    const review = await this.secondReviews.latest(this.core.ctx.db.read, row.id);
    const open =
      review !== null &&
      review.reviewed_at === null &&
      checkSecondReviewer({ role: actor.role, actorId: actor.id, firstReviewerId: review.first_reviewer_id, solutionBy: review.solution_by }).ok;
    const dto = await this.toDto(row, actor, undefined, open);
    if (review?.reviewer_id) await this.core.userRef(review.reviewer_id);
    dto.secondReview = review ? this.secondReviews.toDto(review, (await this.pageContext()).ref) : null;
    return dto;
  }

  /** The categories after the primary one, in the order staff gave them. */
  async extraCategories(ticketId: number): Promise<string[]> {
    const rows = await this.core.ctx.db.read.selectFrom('ticket_categories').select('category').where('ticket_id', '=', ticketId).orderBy('position').execute();
    return rows.map((r) => r.category);
  }

  /**
   * The clocks as shown on the ticket (`all`) and in the queue (only the open ones: a queue row shows the running or
   * paused clock, and met or stopped clocks were a third of a queue page's bytes). Policies loaded: see
   * SlaService.ensureLoaded.
   */
  slaView(row: TicketListRow, now: number, all: boolean): Ticket['sla'] {
    if (row.sla_policy_id === null) return null;
    return {
      policyId: row.sla_policy_id,
      policyName: this.sla.policyName(row.sla_policy_id) ?? `#${row.sla_policy_id}`,
      paused: row.paused_at !== null,
      nextDueAt: row.next_due_at === null || row.next_due_at >= NO_DEADLINE ? null : iso(row.next_due_at),
      clocks: this.sla
        .clocksOf(row, now)
        .filter((c) => all || (c.metAt === null && c.state !== 'stopped'))
        .map((c) => ({ clock: c.clock, target: c.target, dueAt: iso(c.dueAt), warnAt: isoOrNull(c.warnAt), metAt: isoOrNull(c.metAt), state: c.state })),
      uncoveredYears: row.sla_uncovered_years ? (JSON.parse(row.sla_uncovered_years) as number[]) : [],
    };
  }

  escalationView(row: TicketListRow, ref: (id: number | null) => Ticket['assignee']): Ticket['escalation'] {
    return {
      level: row.escalation_level ?? 0,
      to: ref(row.escalated_to),
      at: isoOrNull(row.escalated_at),
      ackDueAt: isoOrNull(row.escalation_ack_due_at),
      ackedAt: isoOrNull(row.escalation_acked_at),
    };
  }

  /** Everything per-row work needs, loaded once per page so building each row is synchronous. */
  async pageContext(): Promise<PageContext> {
    const users = await this.core.userIndex();
    await this.sla.ensureLoaded();
    const ref = (id: number | null) => (id === null ? null : { id, name: users.get(id)?.name ?? `#${id}` });
    return { ref, now: this.core.ctx.clock.now() };
  }

  toListItem(row: TicketListRow, page: PageContext): TicketListItem {
    return this.view(row, page, null, null) as TicketListItem;
  }

  /**
   * `extras`: the categories after the primary when the caller knows them (a create), else they are read.
   * `secondReviewOpen`: a second review is pending and this actor may record it (get() knows).
   */
  async toDto(row: TicketWithCustomer, actor: Actor, extras?: string[], secondReviewOpen = false): Promise<Ticket> {
    if (row.assignee_id !== null) await this.core.userRef(row.assignee_id); // a user created since the cache was filled
    const categories = row.category === null ? [] : [row.category, ...(extras ?? (await this.extraCategories(row.id)))];
    const ticket = this.view(row, await this.pageContext(), row, actor, categories, secondReviewOpen) as Ticket;
    return actor.role === 'customer' ? customerTicket(ticket, { userId: actor.id, assignee: ticket.assignee }) : ticket;
  }

  /**
   * A queue item (`detail` null) or the whole ticket, as one object literal: the detail used to be the list item
   * spread into a second object, which took 30 µs and 14.5 KB of garbage per ticket answered, now 6–8 µs and 6 KB
   * (measured in a loop). Keys with no value for the kind (excerpt on the ticket, the long texts on a queue item) are left
   * undefined, which JSON leaves out. Key order is the JSON's order.
   */
  view(row: TicketListRow, page: PageContext, detail: TicketWithCustomer | null, actor: Actor | null, categories?: string[], secondReviewOpen = false): unknown {
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
      categories,
      serviceType: row.service_type as Ticket['serviceType'],
      faultClass: row.fault_class as Ticket['faultClass'],
      impact: detail?.impact as Ticket['impact'] | undefined,
      urgency: detail?.urgency as Ticket['urgency'] | undefined,
      derivedPriority: detail?.derived_priority as Ticket['derivedPriority'] | undefined,
      priorityOverridden: detail ? detail.priority_overridden === 1 : undefined,
      lateRegistration: row.late_registration === 1,
      registrationDelayMinutes: row.created_at > row.reported_at ? Math.floor((row.created_at - row.reported_at) / 60_000) : 0,
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
      preferredContact: detail?.preferred_contact,
      situation: detail?.situation,
      firstJudgement: detail?.first_judgement,
      solution: detail?.solution,
      // Staff only. get() fills in the ticket's latest (a second query); a new ticket has none; a queue item and a
      // customer's view never carry the key.
      secondReview: detail && actor && actor.role !== 'customer' ? null : undefined,
      allowedTransitions: detail && actor ? (isProviderActor(actor) ? [] : allowedTransitions(status, actor.role)) : undefined,
      allowedActions:
        detail && actor
          ? isProviderActor(actor)
            ? []
            : allowedActions({
              status,
              role: actor.role,
              escalationLevel: row.escalation_level ?? 0,
              escalationAcked: row.escalation_acked_at !== null,
              escalatedToActor: row.escalated_to === actor.id,
              resolved: detail.resolved_at !== null,
              followedUp: row.followed_up_at !== null,
              authoredSolution: detail.solution_by === actor.id,
              secondReviewOpen,
            })
          : undefined,
    } satisfies { [K in keyof Ticket | keyof TicketListItem]: unknown };
  }
}
