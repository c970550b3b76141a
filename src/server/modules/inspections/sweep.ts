// The sweeper's part of inspection plans: for each occurrence whose check day has come, create its ticket (and for an
// on-site plan the dispatcher's sub-task) `leadDays` ahead, remind the plan's engineers `remindDays` ahead, and tell
// them once when it is overdue. Exactly once on any number of nodes: the ticket is created under a claim
// (claimed_until) with an idempotency key, and each flag is set by a guarded UPDATE in the transaction that notifies.
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { sweepOccurrence } from '../../domain/inspections.js';
import type { NotifyService } from '../notify/service.js';
import { chinaToday } from '../products/facts.js';
import type { SubtasksService } from '../subtasks/service.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';
import { checkOn, engineerIdsOf, factsOf, planDates, type InspectionsService, type OccurrenceRow, type PlanRow } from './service.js';

const BATCH = 50;
const CLAIM_MS = 120_000;

const MODE_ZH: Record<string, string> = { remote: '远程巡检', phone: '电话巡检', on_site: '上门巡检' };

export class InspectionSweep {
  constructor(
    private readonly ctx: AppContext,
    private readonly plans: InspectionsService,
    private readonly tickets: TicketsService,
    private readonly subtasks: SubtasksService,
    private readonly notify: NotifyService,
    private readonly actorFor: (userId: number) => Promise<Actor | null>,
  ) {}

  /** One pass at `now`: the occurrences whose check day has come, in batches. Returns how many it looked at. */
  async sweep(now: number): Promise<number> {
    const today = chinaToday(now);
    let seen = 0;
    let afterId = 0;
    for (;;) {
      const rows = await this.ctx.db.read
        .selectFrom('inspection_occurrences')
        .innerJoin('inspection_plans', 'inspection_plans.id', 'inspection_occurrences.plan_id')
        .select('inspection_occurrences.id')
        .where('inspection_occurrences.check_on', '<=', today)
        .where('inspection_plans.active', '=', 1)
        .where('inspection_occurrences.id', '>', afterId)
        .orderBy('inspection_occurrences.id')
        .limit(BATCH)
        .execute();
      for (const { id } of rows) {
        await this.one(id, today, now).catch((err) => this.ctx.log.error({ err, occurrenceId: id }, 'inspection sweep failed'));
        afterId = id;
      }
      seen += rows.length;
      if (rows.length < BATCH) return seen;
    }
  }

  private async load(db: Kysely<DB>, id: number): Promise<{ o: OccurrenceRow; plan: PlanRow } | null> {
    const o = await db.selectFrom('inspection_occurrences').selectAll().where('id', '=', id).executeTakeFirst();
    if (!o) return null;
    const plan = await db.selectFrom('inspection_plans').selectAll().where('id', '=', o.plan_id).executeTakeFirstOrThrow();
    return { o, plan };
  }

  private async one(id: number, today: string, now: number): Promise<void> {
    const first = await this.load(this.ctx.db.read, id);
    if (!first) return;
    if (sweepOccurrence(planDates(first.plan), factsOf(first.o), today).createTicket) await this.createTicket(first.plan, first.o, now);
    await this.tickets.tx(async (trx, notified) => {
      if (this.ctx.db.dialect === 'postgres') await trx.selectFrom('inspection_occurrences').select('id').where('id', '=', id).forUpdate().execute();
      const cur = await this.load(trx, id);
      if (!cur) return;
      const { o, plan } = cur;
      const d = sweepOccurrence(planDates(plan), factsOf(o), today);
      const engineers = engineerIdsOf(plan);
      const ticket = o.ticket_id !== null ? await trx.selectFrom('tickets').select(['id', 'number', 'title', 'priority', 'demand', 'status']).where('id', '=', o.ticket_id).executeTakeFirst() : undefined;
      const data = { planId: plan.id, occurrenceId: o.id, title: plan.title, dueDate: o.due_date, mode: plan.mode };
      for (const [flag, wanted, kind] of [['reminded', d.remind, 'inspection_due'], ['overdue_notified', d.overdue, 'inspection_overdue']] as const) {
        if (!wanted) continue;
        const res = await trx.updateTable('inspection_occurrences').set({ [flag]: 1 }).where('id', '=', o.id).where(flag, '=', 0).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) continue;
        for (const uid of await this.notify.enqueue(trx, { userIds: engineers, kind, ticket: ticket ?? undefined, data, dedupeKey: `${kind}:${o.id}` })) notified.add(uid);
      }
      const fresh = { ...o, reminded: d.remind ? 1 : o.reminded, overdue_notified: d.overdue ? 1 : o.overdue_notified };
      await trx.updateTable('inspection_occurrences').set({ check_on: checkOn(plan, fresh, today) }).where('id', '=', o.id).execute();
    });
  }

  /**
   * The occurrence's ticket, filed by the plan's first engineer (who is assigned it), with the unit when the plan has
   * one; an on-site plan adds a sub-task for the dispatchers' department to book the visit. Under a claim, so two
   * sweepers do not both start; the idempotency key makes a retry after a crash find the ticket it created.
   */
  private async createTicket(plan: PlanRow, o: OccurrenceRow, now: number): Promise<void> {
    const claim = await this.ctx.db.write((trx) =>
      trx
        .updateTable('inspection_occurrences')
        .set({ claimed_until: now + CLAIM_MS })
        .where('id', '=', o.id)
        .where('ticket_id', 'is', null)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .executeTakeFirst(),
    );
    if (Number(claim.numUpdatedRows) !== 1) return;
    const engineerId = engineerIdsOf(plan)[0];
    const actor = engineerId !== undefined ? await this.actorFor(engineerId) : null;
    if (!actor) {
      this.ctx.log.warn({ planId: plan.id }, 'inspection plan has no active engineer: no ticket created');
      return;
    }
    const unit = plan.unit_id !== null ? await this.ctx.db.read.selectFrom('units').select(['product_model', 'serial_number']).where('id', '=', plan.unit_id).executeTakeFirst() : undefined;
    const mode = MODE_ZH[plan.mode] ?? plan.mode;
    const created = await this.tickets.create(
      actor,
      {
        title: `${mode}：${plan.title}（${o.due_date}）`,
        description: `巡检计划 #${plan.id} 第 ${o.seq + 1} 次，应于 ${o.due_date} 完成（${mode}，每 ${plan.interval_months} 个月）。`,
        channel: 'phone',
        customerId: plan.customer_id,
        productModel: unit?.product_model ?? null,
        serialNumber: unit?.serial_number ?? null,
        serviceType: 'inspection',
        priority: 'P3',
        departmentId: actor.departmentId,
        assigneeId: actor.id,
      },
      `inspection:${o.id}`,
    );
    const ticketId = (await this.ctx.db.read.selectFrom('tickets').select('id').where('number', '=', created.number).executeTakeFirstOrThrow()).id;
    let subtaskId: number | null = null;
    if (plan.mode === 'on_site') {
      const existing = await this.ctx.db.read.selectFrom('subtasks').select('id').where('ticket_id', '=', ticketId).where('title', 'like', '安排巡检上门%').executeTakeFirst();
      const dispatchers = await this.ctx.db.read.selectFrom('users').select('department_id').where('role', '=', 'dispatcher').where('active', '=', 1).where('department_id', 'is not', null).orderBy('id').executeTakeFirst();
      if (existing) subtaskId = existing.id;
      else if (dispatchers?.department_id) subtaskId = (await this.subtasks.create(actor, created.number, { departmentId: dispatchers.department_id, title: `安排巡检上门：${plan.title}`, dueAt: `${o.due_date}T18:00:00+08:00` })).id;
    }
    await this.tickets.tx(async (trx) => {
      const res = await trx.updateTable('inspection_occurrences').set({ ticket_id: ticketId, subtask_id: subtaskId, claimed_until: null }).where('id', '=', o.id).where('ticket_id', 'is', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      await appendEvent(trx, ticketId, now, null, 'inspection_created', { internal: true, details: { planId: plan.id, occurrenceId: o.id, seq: o.seq, dueDate: o.due_date, cycleDate: o.cycle_date, mode: plan.mode, subtaskId } });
      // The cycle goes on whether or not this one is done in time.
      await this.plans.ensureOccurrence(trx, plan, o.seq + 1, chinaToday(now));
    });
  }
}
