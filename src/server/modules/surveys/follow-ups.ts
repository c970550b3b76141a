// The follow-up call (回访) a low survey answer opens (a score of 1–2 or an NPS of 0–6): a task for the service desk's
// supervisors with its own clock — the ticket's policy's follow-up target (SPEC §4: 回访 within 1 working day) counted on
// the policy's business calendar from the answer — which warns and breaches through the sweeper like the ticket's own
// clocks, and is closed with a finding. On a complaint it is part of the second review (二次复核, seed 000 §二(四)3):
// the review is started (or the pending one joined), and recording either closes both.
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { FollowUpCloseBody, FollowUpsQuery, SurveyFollowUp } from '../../../shared/surveys.js';
import type { AppContext } from '../../context.js';
import type { DB, SurveyFollowUpsTable } from '../../db/schema.js';
import { seesAllTickets, type Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoOrNull, isoString as iso } from '../../domain/iso.js';
import { alwaysOpenCalendar, targetDeadline, type SlaTarget } from '../../domain/sla/index.js';
import { followUpCheckAt, followUpState, sweepFollowUp, type FollowUpClock, type FollowUpReason } from '../../domain/surveys.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import type { SlaService } from '../sla/service.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent, type TicketRow } from '../tickets/repo.js';

type Row = Selectable<SurveyFollowUpsTable>;
type ListRow = Row & { score: number | null; nps: number | null; comment: string | null; number: string; title: string; department_id: number | null; assignee_id: number | null; review_done_at: number | null };

/** Who works follow-up calls: supervisors (the service desk's above all), managers, directors, admins. */
const CLOSERS = ['supervisor', 'manager', 'director', 'admin'];
/** Who may read the list: the closers and QA. */
const READERS = [...CLOSERS, 'qa'];
/** SPEC §4: the follow-up call within one working day, when the ticket's policy names no follow-up target. */
const DEFAULT_TARGET: SlaTarget = { amount: 1, unit: 'working_days' };
/** The timeline's and notifications' name of this clock (beside the ticket's own firstResponse … followUp). */
export const FOLLOW_UP_CLOCK = 'surveyFollowUp';

const BATCH = 50;

export class SurveyFollowUps {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly sla: SlaService,
  ) {}

  private clockOf(r: Row): FollowUpClock {
    return { dueAt: r.due_at, warnAt: r.warn_at, warned: r.warned === 1, breached: r.breached === 1, closedAt: r.closed_at };
  }

  private async toDto(r: ListRow): Promise<SurveyFollowUp> {
    return {
      id: r.id,
      ticketNumber: r.number,
      ticketTitle: r.title,
      reasons: JSON.parse(r.reasons) as FollowUpReason[],
      score: r.score ?? 0,
      nps: r.nps ?? 0,
      comment: r.comment,
      openedAt: iso(r.opened_at),
      dueAt: iso(r.due_at),
      state: followUpState(this.clockOf(r), this.ctx.clock.now()),
      secondReviewId: r.second_review_id,
      // Closing records that second review while it is pending (close() below): the one who closes must give its verdict.
      verdictRequired: r.closed_at === null && r.second_review_id !== null && r.review_done_at === null,
      departmentId: r.department_id,
      ticketAssignee: await this.tickets.core.userRef(r.assignee_id),
      closedAt: isoOrNull(r.closed_at),
      closedBy: await this.tickets.core.userRef(r.closed_by),
      outcome: r.outcome as SurveyFollowUp['outcome'],
      finding: r.finding,
    };
  }

  private listQuery(db: Kysely<DB>) {
    return db
      .selectFrom('survey_follow_ups as f')
      .innerJoin('surveys as s', 's.id', 'f.survey_id')
      .innerJoin('tickets as t', 't.id', 'f.ticket_id')
      .leftJoin('second_reviews as sr', 'sr.id', 'f.second_review_id')
      .selectAll('f')
      .select(['s.score', 's.nps', 's.comment', 't.number', 't.title', 't.department_id', 't.assignee_id', 'sr.reviewed_at as review_done_at']);
  }

  async ofSurvey(surveyId: number): Promise<SurveyFollowUp | null> {
    const r = await this.listQuery(this.ctx.db.read).where('f.survey_id', '=', surveyId).executeTakeFirst();
    return r ? this.toDto(r) : null;
  }

  /** Who is asked to call back: the service desk's supervisors, or without any the ticket's department's people. */
  private async recipients(trx: Kysely<DB>, ticket: TicketRow, breach: boolean): Promise<number[]> {
    const ids = new Set(await this.tickets.core.deskSupervisors(trx));
    if (ids.size === 0) for (const id of await this.tickets.stakeholders(trx, ticket)) ids.add(id);
    // A missed follow-up goes to the department's manager too, as a breach of the ticket's own clocks does.
    if (breach && ticket.department_id) {
      const manager = (await this.tickets.core.users.departments(trx)).find((d) => d.id === ticket.department_id)?.manager_id;
      if (manager) ids.add(manager);
    }
    return [...ids];
  }

  private summary(t: TicketRow, dueAt: number) {
    return { id: t.id, number: t.number, title: t.title, priority: t.priority, demand: t.demand, status: t.status, dueAt };
  }

  /** Opens the follow-up of an answer, in the answer's transaction. */
  async open(trx: Kysely<DB>, ticket: TicketRow, survey: { id: number; score: number; nps: number; comment: string | null }, reasons: FollowUpReason[], notified: Set<number>): Promise<void> {
    const now = this.ctx.clock.now();
    const plan =
      (await this.sla.planById(ticket.sla_policy_id, trx)) ??
      (await this.sla.planFor({ priority: ticket.priority, customerTier: null, productModel: ticket.product_model, serviceType: ticket.service_type }, trx));
    const target = plan?.policy.targets.followUp ?? DEFAULT_TARGET;
    const { due, warn } = targetDeadline(plan?.calendar ?? alwaysOpenCalendar(), now, target, plan?.policy.warnAtPercent);
    const dueAt = Math.round(due.at);
    const warnAt = Math.min(Math.round(warn.at), dueAt);
    const secondReviewId = ticket.service_type === 'complaint' ? await this.tickets.secondReviews.forUnsatisfiedSurvey(trx, ticket, notified) : null;
    const clock: FollowUpClock = { dueAt, warnAt, warned: false, breached: false, closedAt: null };
    const created = await trx
      .insertInto('survey_follow_ups')
      .values({ survey_id: survey.id, ticket_id: ticket.id, reasons: JSON.stringify(reasons), opened_at: now, due_at: dueAt, warn_at: warnAt, warned: 0, breached: 0, check_at: followUpCheckAt(clock), second_review_id: secondReviewId, closed_at: null, closed_by: null, outcome: null, finding: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(trx, ticket.id, now, null, 'survey_follow_up_opened', {
      internal: true,
      note: survey.comment,
      details: { followUpId: created.id, reasons, score: survey.score, nps: survey.nps, dueAt: iso(dueAt), secondReviewId },
    });
    const ids = await this.tickets.core.notifier.enqueue(trx, {
      userIds: await this.recipients(trx, ticket, false),
      kind: 'follow_up_due',
      ticket: this.summary(ticket, dueAt),
      data: { clock: FOLLOW_UP_CLOCK, dueAt: iso(dueAt), score: survey.score, nps: survey.nps, note: survey.comment ?? undefined },
      dedupeKey: `survey_follow_up:${created.id}:opened`,
    });
    ids.forEach((id) => notified.add(id));
  }

  private async findVisible(trx: Kysely<DB>, actor: Actor, id: number): Promise<{ row: Row; ticket: TicketRow }> {
    const row = await trx.selectFrom('survey_follow_ups').selectAll().where('id', '=', id).executeTakeFirst();
    const ticket = row ? ((await trx.selectFrom('tickets').selectAll().where('id', '=', row.ticket_id).executeTakeFirst()) as TicketRow | undefined) : undefined;
    if (!row || !ticket || !(await this.tickets.core.canSee(trx, actor, ticket))) throw NotFound('error.follow_up_not_found');
    return { row, ticket };
  }

  /**
   * Closes a follow-up with what the call found. One that is part of a pending second review records the review too
   * (its verdict is then needed): one finding, not two pieces of work.
   */
  async close(actor: Actor, id: number, body: z.infer<typeof FollowUpCloseBody>): Promise<SurveyFollowUp> {
    if (!CLOSERS.includes(actor.role)) throw Forbidden();
    await this.tickets.tx(async (trx) => {
      const { row, ticket } = await this.findVisible(trx, actor, id);
      if (row.closed_at !== null) throw Conflict('conflict', 'error.follow_up_closed');
      const review = row.second_review_id !== null ? await this.tickets.secondReviews.pending(trx, ticket.id) : null;
      const joint = review !== null && review.id === row.second_review_id;
      if (joint && !body.verdict) throw Invalid({ verdict: 'field.follow_up_verdict_required' });
      await this.closeRow(trx, actor.id, row, ticket.id, body.outcome, body.finding);
      if (joint) await this.tickets.secondReviews.recordIn(trx, actor, ticket, { verdict: body.verdict!, finding: body.finding, nextSteps: body.nextSteps });
    });
    const r = await this.listQuery(this.ctx.db.read).where('f.id', '=', id).executeTakeFirstOrThrow();
    return this.toDto(r);
  }

  /** The second review a follow-up is part of was recorded (on the ticket page): the follow-up closes with its finding. */
  async closeBySecondReview(trx: Kysely<DB>, actor: Actor, review: { id: number; ticketId: number; finding: string }): Promise<void> {
    const open = await trx.selectFrom('survey_follow_ups').selectAll().where('second_review_id', '=', review.id).where('closed_at', 'is', null).execute();
    for (const row of open) await this.closeRow(trx, actor.id, row, review.ticketId, 'second_review', review.finding);
  }

  private async closeRow(trx: Kysely<DB>, actorId: number, row: Row, ticketId: number, outcome: string, finding: string) {
    const now = this.ctx.clock.now();
    const res = await trx
      .updateTable('survey_follow_ups')
      .set({ closed_at: now, closed_by: actorId, outcome, finding, check_at: null })
      .where('id', '=', row.id)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw Conflict('conflict', 'error.follow_up_closed');
    await trx.updateTable('tickets').set({ updated_at: now }).where('id', '=', ticketId).execute();
    await appendEvent(trx, ticketId, now, actorId, 'survey_follow_up_closed', { internal: true, note: finding, details: { followUpId: row.id, outcome, late: now > row.due_at } });
  }

  /** Open (soonest deadline first) or closed follow-ups of the tickets the caller works on, of one department if asked. */
  async list(actor: Actor, q: z.infer<typeof FollowUpsQuery>): Promise<{ items: SurveyFollowUp[]; nextCursor: string | null }> {
    if (!READERS.includes(actor.role)) throw Forbidden();
    let query = this.listQuery(this.ctx.db.read);
    if (q.status === 'open') query = query.where('f.closed_at', 'is', null);
    if (q.status === 'closed') query = query.where('f.closed_at', 'is not', null);
    if (q.departmentId !== undefined) query = query.where('t.department_id', '=', q.departmentId);
    const settings = await this.tickets.core.settings.access(this.ctx.db.read);
    if (!seesAllTickets(actor, settings)) {
      query = query.where((eb) => eb.or([eb('t.department_id', '=', actor.departmentId ?? -1), eb('t.assignee_id', '=', actor.id)]));
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['n', 'n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_format' });
      const [due, id] = c as number[];
      query = query.where((eb) => eb.or([eb('f.due_at', '>', due), eb.and([eb('f.due_at', '=', due), eb('f.id', '>', id)])]));
    }
    const rows = await query.orderBy('f.due_at').orderBy('f.id').limit(q.limit + 1).execute();
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: await Promise.all(page.map((r) => this.toDto(r))), nextCursor: more && last ? encodeCursor([last.due_at, last.id]) : null };
  }

  /**
   * The sweeper's part: warnings and breaches of open follow-ups that fell due, each once (flags and the next check
   * in the same transaction; FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of nodes fire each once).
   */
  async sweep(now: number): Promise<number> {
    let fired = 0;
    for (;;) {
      const { claimed, actions } = await this.tickets.tx(async (trx, notified) => {
        let q = trx.selectFrom('survey_follow_ups').selectAll().where('check_at', '<=', now).orderBy('check_at').limit(BATCH);
        if (this.ctx.db.dialect === 'postgres') q = q.forUpdate().skipLocked();
        const rows = await q.execute();
        let actions = 0;
        for (const row of rows) {
          const { actions: due, next } = sweepFollowUp(this.clockOf(row), now);
          await trx
            .updateTable('survey_follow_ups')
            .set({ warned: next.warned ? 1 : 0, breached: next.breached ? 1 : 0, check_at: followUpCheckAt(next) })
            .where('id', '=', row.id)
            .execute();
          if (due.length === 0) continue;
          const ticket = (await trx.selectFrom('tickets').selectAll().where('id', '=', row.ticket_id).executeTakeFirstOrThrow()) as TicketRow;
          for (const a of due) {
            actions++;
            const breach = a.kind === 'breach';
            const dueIso = iso(a.dueAt);
            await appendEvent(trx, ticket.id, now, null, breach ? 'sla_breach' : 'sla_warning', { internal: true, details: { clock: FOLLOW_UP_CLOCK, dueAt: dueIso, followUpId: row.id } });
            const ids = await this.tickets.core.notifier.enqueue(trx, {
              userIds: await this.recipients(trx, ticket, breach),
              kind: breach ? 'sla_breach' : 'sla_warning',
              ticket: this.summary(ticket, a.dueAt),
              data: { clock: FOLLOW_UP_CLOCK, dueAt: dueIso, clocks: [{ clock: FOLLOW_UP_CLOCK, dueAt: dueIso }] },
              dedupeKey: `survey_follow_up:${row.id}:${a.kind}`,
            });
            ids.forEach((id) => notified.add(id));
          }
          await trx.updateTable('tickets').set({ updated_at: now }).where('id', '=', ticket.id).execute();
        }
        return { claimed: rows.length, actions };
      });
      fired += actions;
      if (claimed < BATCH) return fired;
    }
  }
}
