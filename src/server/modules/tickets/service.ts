// Tickets: one service for routes, jobs and other modules, made of parts by responsibility (each in its own file):
//   core.ts      the directory cache, visibility, a change applied in a transaction (tx, applyChange, stakeholders)
//   creation.ts  registration (idempotent), in readable steps
//   views.ts     the ticket and the queue item as the API shows them (view, toDto, toListItem)
//   queue.ts     the queue: list and search, open tickets of customers
//   edits.ts     PATCH edits and status changes (moveStatus, used by every workflow action in resolution.ts)
//   timeline.ts  comments, events, attachments' entries
//   second-review.ts  the second review (二次复核) beside a reopened ticket
// The methods below only hand over to the part; none adds an await of its own.
import type { CustomerLens } from '../../domain/customer-view.js';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language, TicketStatus } from '../../../shared/enums.js';
import type { Comment, CommentBody, Ticket, TicketCreateBody, TicketEvent, TicketListItem, TicketPatchBody, TicketsQuery, TransitionBody } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import type { CategoriesService } from '../categories/service.js';
import type { CustomersService } from '../customers/service.js';
import type { RoutingService } from '../routing/service.js';
import type { SlaService } from '../sla/service.js';
import type { SettingsService } from '../settings/service.js';
import type { UsersService } from '../users/service.js';
import { TicketCore, type CustomerMessenger, type Notifier, type TicketChange } from './core.js';
import { TicketCreation, type CreateResult } from './creation.js';
import { TicketEdits } from './edits.js';
import { TicketQueue } from './queue.js';
import { SecondReviews } from './second-review.js';
import type { TicketRow, TicketWithCustomer } from './repo.js';
import { TicketTimeline } from './timeline.js';
import { TicketViews } from './views.js';

export { silentNotifier, type NotificationInput, type Notifier, type TicketChange } from './core.js';
export type { CreateResult } from './creation.js';

export class TicketsService {
  readonly core: TicketCore;
  readonly views: TicketViews;
  readonly creation: TicketCreation;
  readonly queue: TicketQueue;
  readonly edits: TicketEdits;
  readonly timeline: TicketTimeline;
  readonly secondReviews: SecondReviews;

  constructor(ctx: AppContext, customers: CustomersService, categories: CategoriesService, users: UsersService, sla: SlaService, routing: RoutingService, settings: SettingsService) {
    this.core = new TicketCore(ctx, customers, categories, users, sla, routing, settings);
    this.secondReviews = new SecondReviews(this.core);
    this.views = new TicketViews(this.core, this.secondReviews);
    this.creation = new TicketCreation(this.core, this.views);
    this.queue = new TicketQueue(this.core, this.views);
    this.edits = new TicketEdits(this.core, this.views, this.secondReviews);
    this.timeline = new TicketTimeline(this.core);
  }

  /** Where notifications go (NotifyService; the write worker posts its live pushes back to the server thread). */
  get notifier(): Notifier {
    return this.core.notifier;
  }

  /** Where messages to customers go (MessagesService). */
  set messenger(m: CustomerMessenger) {
    this.core.messenger = m;
  }

  get messenger(): CustomerMessenger {
    return this.core.messenger;
  }

  set notifier(n: Notifier) {
    this.core.notifier = n;
  }

  /** Drops the cached directory (names, departments, roles, active flags) after an edit on this node. */
  forgetDirectory() {
    this.core.forgetDirectory();
  }

  // ------------------------------------------------------------ for routes

  create(actor: Actor, body: z.infer<typeof TicketCreateBody>, idempotencyKey: string | undefined): Promise<CreateResult> {
    return this.creation.create(actor, body, idempotencyKey);
  }

  get(actor: Actor, number: string): Promise<Ticket> {
    return this.views.get(actor, number);
  }

  list(actor: Actor, query: z.infer<typeof TicketsQuery>): Promise<{ items: TicketListItem[]; nextCursor: string | null }> {
    return this.queue.list(actor, query);
  }

  /** Open tickets of some customers that the actor may see (phone intake). */
  openTicketsOf(actor: Actor, customerIds: number[]): Promise<Map<number, TicketListItem[]>> {
    return this.queue.openTicketsOf(actor, customerIds);
  }

  update(actor: Actor, number: string, body: z.infer<typeof TicketPatchBody>, ifMatch: number | undefined): Promise<Ticket> {
    return this.edits.update(actor, number, body, ifMatch);
  }

  transition(actor: Actor, number: string, body: z.infer<typeof TransitionBody>, ifMatch: number | undefined, lang: Language): Promise<Ticket> {
    return this.edits.transition(actor, number, body, ifMatch, lang);
  }

  addComment(actor: Actor, number: string, body: z.infer<typeof CommentBody>): Promise<Comment> {
    return this.timeline.addComment(actor, number, body);
  }

  comments(actor: Actor, number: string): Promise<Comment[]> {
    return this.timeline.comments(actor, number);
  }

  events(actor: Actor, number: string, limit: number, cursor: string | undefined): Promise<{ items: TicketEvent[]; nextCursor: string | null }> {
    return this.timeline.events(actor, number, limit, cursor);
  }

  // ------------------------------------------------------------ for other modules (resolution, subtasks, attachments, jobs)

  /** A write transaction whose notifications are pushed live once it has committed. */
  tx<T>(fn: (trx: Kysely<DB>, notified: Set<number>) => Promise<T>): Promise<T> {
    return this.core.tx(fn);
  }

  /** Applies a change to a ticket read in this transaction (see TicketCore.applyChange). */
  applyChange(trx: Kysely<DB>, actorId: number | null, row: TicketRow, change: TicketChange, notified: Set<number>): Promise<TicketRow> {
    return this.core.applyChange(trx, actorId, row, change, notified);
  }

  /** The people to tell about a ticket (SPEC §5). */
  stakeholders(trx: Kysely<DB>, row: Pick<TicketRow, 'id' | 'assignee_id' | 'department_id'>, isNew = false): Promise<number[]> {
    return this.core.stakeholders(trx, row, isNew);
  }

  /** The ticket row if the actor may see it; otherwise not found. */
  findVisible(db: Kysely<DB>, actor: Actor, number: string): Promise<TicketWithCustomer> {
    return this.core.findVisible(db, actor, number);
  }

  /** What the customer view (domain/customer-view.ts) needs of a ticket the customer may see: who works it. */
  async customerLens(actor: Actor, number: string): Promise<CustomerLens> {
    const row = await this.core.findVisible(this.core.ctx.db.read, actor, number);
    return { userId: actor.id, assignee: await this.core.userRef(row.assignee_id), customerUserIds: await this.core.customerUserIds(actor.customerId) };
  }

  /** For other modules (attachments): the ticket id if the actor may see it. */
  visibleTicketId(actor: Actor, number: string): Promise<number> {
    return this.core.visibleTicketId(actor, number);
  }

  visibleTicketById(actor: Actor, id: number): Promise<string> {
    return this.core.visibleTicketById(actor, id);
  }

  /** A status change with its checks, clock bookkeeping and timeline entry; used by every workflow action. */
  moveStatus(
    trx: Kysely<DB>,
    actor: Actor,
    row: TicketWithCustomer,
    to: TicketStatus,
    note: string | null,
    lang: Language,
    notified: Set<number>,
    extra: Partial<TicketChange> & { details?: Record<string, unknown>; kind?: string } = {},
  ): Promise<TicketRow> {
    return this.edits.moveStatus(trx, actor, row, to, note, lang, notified, extra);
  }

  /** Open sub-tasks of collaborating departments block a solution unless the lead overrides with a reason. */
  requireSubtasksDone(trx: Kysely<DB>, ticketId: number, overrideReason: string | null): Promise<void> {
    return this.edits.requireSubtasksDone(trx, ticketId, overrideReason);
  }

  /** Timeline entry for an attachment, written in the attachment's own transaction. */
  recordAttachment(trx: Kysely<DB>, ticketId: number, actorId: number, attachmentId: number, filename: string, internal: boolean, now: number): Promise<void> {
    return this.timeline.recordAttachment(trx, ticketId, actorId, attachmentId, filename, internal, now);
  }
}
