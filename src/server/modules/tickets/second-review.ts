// The second review (二次复核, seed 000 §二(四)3: "对于不满意的服务，启动二次复核机制"; SPEC §8). It starts when a
// customer is not satisfied with a complaint, or when any ticket is reopened a second time, and is a record beside
// the ticket (`second_reviews`), not a status: the rework goes on at once, and the next solution cannot be approved
// until a reviewer other than the first reviewer and the solution's author has recorded the finding. Staff only:
// its timeline entries are internal and the ticket's `secondReview` is never in a customer's view.
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { SecondReviewReason, SecondReviewVerdict } from '../../../shared/enums.js';
import type { SecondReview, SecondReviewBody } from '../../../shared/schemas.js';
import type { DB, SecondReviewsTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { isoOrNull, isoString as iso } from '../../domain/iso.js';
import { checkSecondReviewer, secondReviewReason, secondReviewRecipients, SECOND_REVIEWER_ROLES } from '../../domain/review.js';
import { AppError, Conflict, Forbidden } from '../../http/errors.js';
import type { TicketCore } from './core.js';
import { appendEvent, type TicketRow } from './repo.js';

type Row = Selectable<SecondReviewsTable>;

export class SecondReviews {
  constructor(private readonly core: TicketCore) {}

  /** The latest second review of a ticket (pending or done), if any. */
  async latest(db: Kysely<DB>, ticketId: number): Promise<Row | null> {
    return ((await db.selectFrom('second_reviews').selectAll().where('ticket_id', '=', ticketId).orderBy('id', 'desc').limit(1).executeTakeFirst()) as Row | undefined) ?? null;
  }

  /** Whether a second review is waiting for its finding (the next solution cannot be approved until it is in). */
  async pending(db: Kysely<DB>, ticketId: number): Promise<Row | null> {
    const r = await this.latest(db, ticketId);
    return r && r.reviewed_at === null ? r : null;
  }

  toDto(r: Row, ref: (id: number | null) => { id: number; name: string } | null): SecondReview {
    return {
      id: r.id,
      status: r.reviewed_at === null ? 'pending' : 'done',
      reason: r.reason as SecondReviewReason,
      requestedAt: iso(r.requested_at),
      reviewer: ref(r.reviewer_id),
      reviewedAt: isoOrNull(r.reviewed_at),
      verdict: r.verdict as SecondReviewVerdict | null,
      finding: r.finding,
      nextSteps: r.next_steps,
    };
  }

  /**
   * Called in the transaction that reopened `row` (its `reopen_count` already counts this reopening): starts a second
   * review if one is due and none is pending, records it in the timeline and tells the eligible reviewers.
   */
  async startIfDue(trx: Kysely<DB>, actor: Actor, row: TicketRow, customerRejected: boolean, notified: Set<number>): Promise<void> {
    const reason = secondReviewReason({ serviceType: row.service_type, customerRejected, reopenCount: row.reopen_count });
    if (reason === null || (await this.pending(trx, row.id))) return;
    await this.start(trx, actor.id, row, reason, notified);
  }

  /**
   * A complaint whose customer answered the survey unsatisfied (seed 000 §二(四)3): the pending second review if there
   * is one, else a new one. Returns its id (the survey's follow-up task is part of it, not a second piece of work).
   */
  async forUnsatisfiedSurvey(trx: Kysely<DB>, row: TicketRow, notified: Set<number>): Promise<number> {
    const pending = await this.pending(trx, row.id);
    if (pending) return pending.id;
    return this.start(trx, null, row, 'survey_unsatisfied', notified);
  }

  private async start(trx: Kysely<DB>, actorId: number | null, row: TicketRow, reason: SecondReviewReason, notified: Set<number>): Promise<number> {
    const now = this.core.ctx.clock.now();
    const created = await trx
      .insertInto('second_reviews')
      .values({ ticket_id: row.id, reason, requested_at: now, first_reviewer_id: row.reviewed_by, solution_by: row.solution_by, reviewer_id: null, reviewed_at: null, verdict: null, finding: null, next_steps: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(trx, row.id, now, actorId, 'second_review_requested', { internal: true, details: { reason, reopenCount: row.reopen_count } });
    const users = await this.core.userIndex(trx);
    const byRole = (role: string) => [...users].filter(([, u]) => u.role === role && u.active).map(([id]) => id);
    const leadManager = row.department_id ? ((await this.core.users.departments(trx)).find((d) => d.id === row.department_id)?.manager_id ?? null) : null;
    const recipients = secondReviewRecipients({
      deskSupervisors: await this.core.deskSupervisors(trx),
      leadManager,
      qa: byRole('qa'),
      directors: byRole('director'),
      exclude: [row.reviewed_by, row.solution_by, actorId],
    });
    const ids = await this.core.notifier.enqueue(trx, {
      userIds: recipients,
      kind: 'second_review_requested',
      ticket: { id: row.id, number: row.number, title: row.title, priority: row.priority, demand: row.demand, status: row.status },
      data: { reason },
      dedupeKey: `second_review_requested:${row.id}:${now}`,
    });
    ids.forEach((id) => notified.add(id));
    return created.id;
  }

  /** Records the finding of the pending second review. */
  async record(actor: Actor, number: string, body: z.infer<typeof SecondReviewBody>): Promise<void> {
    if (!SECOND_REVIEWER_ROLES.includes(actor.role)) throw Forbidden();
    await this.core.tx(async (trx) => {
      const row = await this.core.findVisible(trx, actor, number);
      await this.recordIn(trx, actor, row, body);
    });
  }

  /** Records the finding in the caller's transaction (the survey's follow-up closes through it too). */
  async recordIn(trx: Kysely<DB>, actor: Actor, row: TicketRow, body: z.infer<typeof SecondReviewBody>): Promise<void> {
    if (!SECOND_REVIEWER_ROLES.includes(actor.role)) throw Forbidden();
    const pending = await this.pending(trx, row.id);
    if (!pending) throw Conflict('conflict', 'error.no_second_review');
    const check = checkSecondReviewer({ role: actor.role, actorId: actor.id, firstReviewerId: pending.first_reviewer_id, solutionBy: pending.solution_by });
    if (!check.ok) {
      if (check.reason === 'same_reviewer') throw new AppError(409, 'conflict', 'error.second_reviewer_same');
      if (check.reason === 'own_solution') throw new AppError(403, 'forbidden', 'error.own_solution');
      throw Forbidden();
    }
    const now = this.core.ctx.clock.now();
    const res = await trx
      .updateTable('second_reviews')
      .set({ reviewer_id: actor.id, reviewed_at: now, verdict: body.verdict, finding: body.finding, next_steps: body.nextSteps ?? null })
      .where('id', '=', pending.id)
      .where('reviewed_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw Conflict('conflict', 'error.no_second_review');
    // The ticket's own fields do not change (its version stays, so nobody's open edit goes stale); its timeline does.
    await trx.updateTable('tickets').set({ updated_at: now }).where('id', '=', row.id).execute();
    await appendEvent(trx, row.id, now, actor.id, 'second_review_recorded', {
      internal: true,
      note: body.finding,
      details: { verdict: body.verdict, nextSteps: body.nextSteps ?? null, reason: pending.reason },
    });
    for (const hook of this.core.secondReviewRecordedHooks) await hook(trx, actor, { id: pending.id, ticketId: row.id, finding: body.finding });
  }
}
