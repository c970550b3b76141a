// What a customer may see of their own ticket: the one place that decides it (SPEC §6, issue 14 "What a customer can
// see"). Pure: takes the staff-side API objects and returns the customer's copies. Everything is an allow-list — an
// event kind, a changed field or a ticket field that is not named here stays hidden — so a new internal kind or field
// added later is invisible to customers until someone decides otherwise.
import type { Attachment, Comment, Customer, Ticket, TicketEvent, TicketListItem, UserRef } from '../../shared/schemas.js';

/** Who is looking, and who works the ticket: the only staff member a customer sees by name is the assignee. */
export interface CustomerLens {
  /** The signed-in customer's user id: their own actions show as theirs. */
  userId: number;
  /** The ticket's assignee (id and display name), or null. */
  assignee: UserRef | null;
  /**
   * Every user who acts for the same customer (their other accounts, colleagues' accounts, the identity their
   * one-ticket links act as): the customer's own side, shown by name. Without it only `userId` is.
   */
  customerUserIds?: readonly number[];
}

/** Fields a customer may see change in the timeline: what they told us and what they asked for. */
const CUSTOMER_FIELDS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'status',
  'productModel',
  'serialNumber',
  'purchaseDate',
  'occurredAt',
  'occurredPlace',
  'preferredContact',
  'situation',
  'demand',
]);

/**
 * Event kinds a customer sees, and whether the event's note is theirs to read. A note is shown only where it is a
 * public reply, a file name, or the customer's own words; staff notes (transition notes, review comments, override and
 * escalation reasons) are never shown, whatever the kind.
 */
const CUSTOMER_KINDS: Readonly<Record<string, 'note' | 'no-note'>> = {
  created: 'no-note',
  updated: 'no-note',
  status_changed: 'no-note',
  assigned: 'no-note',
  comment: 'note',
  attachment: 'note',
  // Approval of the solution is, to the customer, "the solution has been sent to you".
  review_approved: 'no-note',
  customer_confirmed: 'note',
  customer_rejected: 'note',
  follow_up: 'no-note',
};

/** Statuses in which the solution has been approved and put to the customer. */
const SOLUTION_SHOWN: ReadonlySet<string> = new Set(['pending_confirmation', 'closed']);

const NO_ESCALATION: Ticket['escalation'] = { level: 0, to: null, at: null, ackDueAt: null, ackedAt: null };

/** A staff member other than the assignee is shown as nobody in particular (null: "the service team"). */
export function customerActor(ref: UserRef | null, lens: CustomerLens): UserRef | null {
  if (ref === null) return null;
  if (ref.id === lens.userId || lens.customerUserIds?.includes(ref.id)) return ref;
  if (lens.assignee && ref.id === lens.assignee.id) return { id: lens.assignee.id, name: lens.assignee.name };
  return null;
}

/**
 * The ticket a customer gets, field by field: every key of the contract is named here (the `satisfies` makes a field
 * added to the contract fail to compile until someone decides what a customer sees of it). Internal ones are emptied
 * rather than removed so the contract stays one shape: first judgement, routing department, escalation, review stage
 * and second review, SLA bookkeeping (the portal states its own promises), the derived priority and whether staff
 * overrode it, the registration delay, the solution until it has been approved and put to the customer, and who
 * registered the ticket unless it was the customer.
 */
export function customerTicket<T extends Ticket | TicketListItem>(t: T, lens: CustomerLens): T {
  const d = t as Partial<Ticket> & Partial<TicketListItem>;
  return {
    id: d.id,
    number: d.number,
    title: d.title,
    excerpt: d.excerpt,
    description: d.description,
    status: d.status,
    priority: d.priority,
    channel: d.channel,
    reportedAt: d.reportedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    closedAt: d.closedAt,
    customer: d.customer,
    productModel: d.productModel,
    serialNumber: d.serialNumber,
    purchaseDate: d.purchaseDate,
    occurredAt: d.occurredAt,
    occurredPlace: d.occurredPlace,
    // Theirs: when they asked to be called.
    preferredContact: d.preferredContact,
    situation: d.situation,
    demand: d.demand,
    category: d.category,
    categories: d.categories,
    serviceType: d.serviceType,
    faultClass: d.faultClass,
    // What the customer told us of the impact and urgency is theirs; how staff weighed it is not.
    impact: d.impact,
    urgency: d.urgency,
    derivedPriority: 'derivedPriority' in d ? null : undefined,
    priorityOverridden: 'priorityOverridden' in d ? false : undefined,
    lateRegistration: 'lateRegistration' in d ? false : undefined,
    registrationDelayMinutes: 'registrationDelayMinutes' in d ? 0 : undefined,
    firstJudgement: 'firstJudgement' in d ? null : undefined,
    departmentId: null,
    assignee: d.assignee,
    createdBy: customerActor(d.createdBy ?? null, lens),
    version: d.version,
    allowedTransitions: d.allowedTransitions,
    allowedActions: d.allowedActions,
    sla: null,
    escalation: NO_ESCALATION,
    solution: 'solution' in d ? (SOLUTION_SHOWN.has(t.status) ? (d.solution ?? null) : null) : undefined,
    reviewStage: null,
    improvementDueAt: d.improvementDueAt,
    secondReview: undefined,
  } satisfies { [K in keyof Ticket | keyof TicketListItem]: unknown } as unknown as T;
}

/** The customer record a customer reads about themselves: staff notes about them and the special-needs note stay inside. */
export function customerSelf<C extends Customer>(c: C): C {
  return { ...c, notes: null, specialNeedsNote: null };
}

/** The events of the timeline a customer sees, each cut down to what they may read; the others are left out. */
export function customerEvents(events: readonly TicketEvent[], lens: CustomerLens): TicketEvent[] {
  const out: TicketEvent[] = [];
  for (const e of events) {
    const v = customerEvent(e, lens);
    if (v) out.push(v);
  }
  return out;
}

export function customerEvent(e: TicketEvent, lens: CustomerLens): TicketEvent | null {
  const rule = CUSTOMER_KINDS[e.kind];
  if (!rule || e.internal) return null;
  const changes = e.changes.filter((c) => CUSTOMER_FIELDS.has(c.field));
  // An edit or an assignment that changed nothing the customer may see is not news to them.
  if ((e.kind === 'updated' || e.kind === 'assigned') && changes.length === 0) return null;
  // A public reply, a file name or the customer's own words; never a staff note.
  const note = rule === 'note' ? e.note : null;
  return {
    id: e.id,
    kind: e.kind,
    at: e.at,
    actor: customerActor(e.actor, lens),
    changes,
    note,
    commentId: e.kind === 'comment' ? e.commentId : null,
    attachmentId: e.kind === 'attachment' ? e.attachmentId : null,
    internal: false,
    details: null,
  };
}

export function customerComments(comments: readonly Comment[], lens: CustomerLens): Comment[] {
  return comments.filter((c) => !c.internal).map((c) => ({ ...c, author: customerActor(c.author, lens) }));
}

export function customerAttachments(attachments: readonly Attachment[], lens: CustomerLens): Attachment[] {
  return attachments.filter((a) => !a.internal).map((a) => ({ ...a, uploadedBy: customerActor(a.uploadedBy, lens) }));
}
