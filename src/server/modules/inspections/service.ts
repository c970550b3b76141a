// Inspection plans (巡检, SPEC §10, seed 002): per customer or per unit, an interval, a mode (remote / phone / on site),
// engineers, lead and reminder days. The plan's occurrences are rows: the next one always exists, so it can be moved
// (its due date only — the cycle stays, domain/inspections.ts) and completed. The sweeper's part is in sweep.ts.
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { InspectionOccurrence, InspectionPlan, InspectionPlanBody, InspectionPlanDetail, InspectionPlanPatch, InspectionPlansQuery, OccurrenceCompleteBody, OccurrenceMoveBody } from '../../../shared/care.js';
import type { AppContext } from '../../context.js';
import type { DB, InspectionOccurrencesTable, InspectionPlansTable } from '../../db/schema.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { checkMove, cycleDate, occurrenceState, sweepOccurrence, type PlanDates } from '../../domain/inspections.js';
import { isoOrNull } from '../../domain/iso.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { chinaToday } from '../products/facts.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';

export type PlanRow = Selectable<InspectionPlansTable>;
export type OccurrenceRow = Selectable<InspectionOccurrencesTable>;

/** Who keeps plans: the dispatchers and the leads. Every staff member reads them. */
const PLANNERS = new Set(['dispatcher', 'supervisor', 'manager', 'director', 'admin']);

export const engineerIdsOf = (p: Pick<PlanRow, 'engineer_ids'>): number[] => {
  try {
    const v = JSON.parse(p.engineer_ids) as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
};

export const planDates = (p: Pick<PlanRow, 'first_date' | 'interval_months' | 'lead_days' | 'remind_days'>): PlanDates => ({
  firstDate: p.first_date,
  intervalMonths: p.interval_months,
  leadDays: p.lead_days,
  remindDays: p.remind_days,
});

export const factsOf = (o: OccurrenceRow) => ({
  seq: o.seq,
  dueDate: o.due_date,
  ticketCreated: o.ticket_id !== null,
  reminded: o.reminded === 1,
  overdueNotified: o.overdue_notified === 1,
  completed: o.completed_at !== null,
});

/** The day the sweeper next has something to do for an occurrence, as of `today`. */
export const checkOn = (p: PlanRow, o: OccurrenceRow, today: string): string | null => sweepOccurrence(planDates(p), factsOf(o), today).nextCheck ?? null;

export class InspectionsService {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  static requireReader(actor: Actor) {
    // Plans are the company's register of customers and units: a service provider's people see none (domain/access.ts).
    if (!can(actor, 'ticket.internal') || isProviderActor(actor)) throw Forbidden();
  }

  private static requirePlanner(actor: Actor) {
    if (!PLANNERS.has(actor.role)) throw Forbidden();
  }

  private today(): string {
    return chinaToday(this.ctx.clock.now());
  }

  // ------------------------------------------------------------ views

  private async names(db: Kysely<DB>, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  private occurrence(o: OccurrenceRow, numbers: Map<number, string>, names: Map<number, string>, today: string): InspectionOccurrence {
    return {
      id: o.id,
      planId: o.plan_id,
      seq: o.seq,
      cycleDate: o.cycle_date,
      dueDate: o.due_date,
      moved: o.due_date !== o.cycle_date,
      moveReason: o.move_reason,
      state: occurrenceState(factsOf(o), today),
      ticketNumber: o.ticket_id !== null ? (numbers.get(o.ticket_id) ?? null) : null,
      completedAt: isoOrNull(o.completed_at),
      completedBy: o.completed_by !== null ? { id: o.completed_by, name: names.get(o.completed_by) ?? '' } : null,
      note: o.note,
    };
  }

  private async views(db: Kysely<DB>, plans: PlanRow[], all: boolean): Promise<InspectionPlanDetail[]> {
    if (plans.length === 0) return [];
    const ids = plans.map((p) => p.id);
    let q = db.selectFrom('inspection_occurrences').selectAll().where('plan_id', 'in', ids);
    if (!all) q = q.where('completed_at', 'is', null);
    const occ = await q.orderBy('plan_id').orderBy('seq').execute();
    const ticketIds = occ.map((o) => o.ticket_id).filter((x): x is number => x !== null);
    const numbers = new Map(ticketIds.length ? (await db.selectFrom('tickets').select(['id', 'number']).where('id', 'in', ticketIds).execute()).map((t) => [t.id, t.number]) : []);
    const names = await this.names(db, [...plans.flatMap(engineerIdsOf), ...occ.map((o) => o.completed_by).filter((x): x is number => x !== null)]);
    const customers = new Map((await db.selectFrom('customers').select(['id', 'name']).where('id', 'in', plans.map((p) => p.customer_id)).execute()).map((c) => [c.id, c.name]));
    const unitIds = plans.map((p) => p.unit_id).filter((x): x is number => x !== null);
    const units = new Map(unitIds.length ? (await db.selectFrom('units').select(['id', 'product_model', 'serial_number']).where('id', 'in', unitIds).execute()).map((u) => [u.id, u]) : []);
    const today = this.today();
    return plans.map((p) => {
      const mine = occ.filter((o) => o.plan_id === p.id).map((o) => this.occurrence(o, numbers, names, today));
      const unit = p.unit_id !== null ? units.get(p.unit_id) : undefined;
      return {
        id: p.id,
        title: p.title,
        customer: { id: p.customer_id, name: customers.get(p.customer_id) ?? '' },
        unit: unit ? { id: unit.id, productModel: unit.product_model, serialNumber: unit.serial_number } : null,
        intervalMonths: p.interval_months,
        mode: p.mode as InspectionPlan['mode'],
        engineers: engineerIdsOf(p).map((id) => ({ id, name: names.get(id) ?? '' })),
        leadDays: p.lead_days,
        remindDays: p.remind_days,
        firstDate: p.first_date,
        active: p.active === 1,
        next: mine.find((o) => o.state !== 'done') ?? null,
        version: p.version,
        occurrences: mine,
      };
    });
  }

  /** Plans with their next occurrence; `due` / `overdue` keep those whose next one is in that state. Engineers: theirs. */
  async list(actor: Actor, query: z.infer<typeof InspectionPlansQuery>): Promise<InspectionPlan[]> {
    InspectionsService.requireReader(actor);
    const db = this.ctx.db.read;
    const plans = await db.selectFrom('inspection_plans').selectAll().orderBy('id', 'desc').limit(500).execute();
    const visible = actor.role === 'engineer' ? plans.filter((p) => engineerIdsOf(p).includes(actor.id)) : plans;
    const views = (await this.views(db, visible, false)).map(({ occurrences: _o, ...plan }) => plan);
    const filtered = query.state === 'all' ? views : views.filter((p) => p.next?.state === query.state);
    // Overdue first, then the nearest due date.
    const rank = (p: InspectionPlan) => (p.next?.state === 'overdue' ? 0 : p.next ? 1 : 2);
    return filtered.sort((a, b) => rank(a) - rank(b) || (a.next?.dueDate ?? '9').localeCompare(b.next?.dueDate ?? '9') || b.id - a.id);
  }

  async get(actor: Actor, id: number): Promise<InspectionPlanDetail> {
    InspectionsService.requireReader(actor);
    const db = this.ctx.db.read;
    const plan = await db.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
    if (!plan || (actor.role === 'engineer' && !engineerIdsOf(plan).includes(actor.id))) throw NotFound('error.inspection_plan_not_found');
    return (await this.views(db, [plan], true))[0];
  }

  // ------------------------------------------------------------ plans

  private async checkPlan(trx: Kysely<DB>, b: { customerId: number; unitId?: number | null; engineerIds: number[] }) {
    if (!(await trx.selectFrom('customers').select('id').where('id', '=', b.customerId).executeTakeFirst())) throw Invalid({ customerId: 'field.customer_unknown' });
    if (b.unitId) {
      const unit = await trx.selectFrom('units').select('customer_id').where('id', '=', b.unitId).executeTakeFirst();
      if (!unit || unit.customer_id !== b.customerId) throw Invalid({ unitId: 'field.unit_not_customers' });
    }
    const ids = [...new Set(b.engineerIds)];
    const found = await trx.selectFrom('users').select('id').where('id', 'in', ids).where('role', '=', 'engineer').where('active', '=', 1).execute();
    if (found.length !== ids.length) throw Invalid({ engineerIds: 'field.visit_engineer' });
  }

  async create(actor: Actor, body: z.infer<typeof InspectionPlanBody>): Promise<InspectionPlanDetail> {
    InspectionsService.requirePlanner(actor);
    const now = this.ctx.clock.now();
    const today = this.today();
    const id = await this.ctx.db.write(async (trx) => {
      await this.checkPlan(trx, body);
      const plan = await trx
        .insertInto('inspection_plans')
        .values({
          title: body.title,
          customer_id: body.customerId,
          unit_id: body.unitId ?? null,
          interval_months: body.intervalMonths,
          mode: body.mode,
          engineer_ids: JSON.stringify([...new Set(body.engineerIds)]),
          lead_days: body.leadDays,
          remind_days: body.remindDays,
          first_date: body.firstDate,
          active: body.active === false ? 0 : 1,
          created_at: now,
          created_by: actor.id,
          updated_at: now,
          version: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ensureOccurrence(trx, plan, 0, today);
      return plan.id;
    });
    return this.get(actor, id);
  }

  /**
   * Edits a plan. A new first date or interval re-dates the occurrences not yet under way (no ticket, not moved);
   * those with a ticket keep theirs.
   */
  async update(actor: Actor, id: number, body: z.infer<typeof InspectionPlanPatch>): Promise<InspectionPlanDetail> {
    InspectionsService.requirePlanner(actor);
    const now = this.ctx.clock.now();
    const today = this.today();
    await this.ctx.db.write(async (trx) => {
      const cur = await trx.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
      if (!cur) throw NotFound('error.inspection_plan_not_found');
      if (cur.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: cur.version });
      const next = {
        title: body.title ?? cur.title,
        customer_id: body.customerId ?? cur.customer_id,
        unit_id: body.unitId !== undefined ? body.unitId : cur.unit_id,
        interval_months: body.intervalMonths ?? cur.interval_months,
        mode: body.mode ?? cur.mode,
        engineer_ids: body.engineerIds ? JSON.stringify([...new Set(body.engineerIds)]) : cur.engineer_ids,
        lead_days: body.leadDays ?? cur.lead_days,
        remind_days: body.remindDays ?? cur.remind_days,
        first_date: body.firstDate ?? cur.first_date,
        active: body.active === undefined ? cur.active : body.active ? 1 : 0,
      };
      await this.checkPlan(trx, { customerId: next.customer_id, unitId: next.unit_id, engineerIds: engineerIdsOf(next) });
      const updated = await trx.updateTable('inspection_plans').set({ ...next, updated_at: now, version: cur.version + 1 }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      for (const o of await trx.selectFrom('inspection_occurrences').selectAll().where('plan_id', '=', id).where('completed_at', 'is', null).execute()) {
        const redate = o.ticket_id === null && o.due_date === o.cycle_date;
        const cycle = redate ? cycleDate(planDates(updated), o.seq) : o.cycle_date;
        const fresh = { ...o, cycle_date: cycle, due_date: redate ? cycle : o.due_date };
        await trx.updateTable('inspection_occurrences').set({ cycle_date: fresh.cycle_date, due_date: fresh.due_date, check_on: checkOn(updated, fresh, today) }).where('id', '=', o.id).execute();
      }
    });
    return this.get(actor, id);
  }

  /** Inside a write: the plan's occurrence `seq` (created once: the unique key makes a second sweeper's insert a no-op). */
  async ensureOccurrence(trx: Kysely<DB>, plan: PlanRow, seq: number, today: string): Promise<void> {
    const date = cycleDate(planDates(plan), seq);
    const row = { id: 0, plan_id: plan.id, seq, cycle_date: date, due_date: date, move_reason: null, ticket_id: null, subtask_id: null, reminded: 0, overdue_notified: 0, completed_at: null, completed_by: null, note: null, check_on: null, claimed_until: null };
    await trx
      .insertInto('inspection_occurrences')
      .values({ plan_id: plan.id, seq, cycle_date: date, due_date: date, check_on: checkOn(plan, row, today) })
      .onConflict((oc) => oc.columns(['plan_id', 'seq']).doNothing())
      .execute();
  }

  private async occurrenceRow(trx: Kysely<DB>, id: number): Promise<{ o: OccurrenceRow; plan: PlanRow }> {
    const o = await trx.selectFrom('inspection_occurrences').selectAll().where('id', '=', id).executeTakeFirst();
    if (!o) throw NotFound('error.inspection_not_found');
    const plan = await trx.selectFrom('inspection_plans').selectAll().where('id', '=', o.plan_id).executeTakeFirstOrThrow();
    return { o, plan };
  }

  /** Moves one occurrence's due date (with a reason); the cycle and the other occurrences keep their dates. */
  async move(actor: Actor, id: number, body: z.infer<typeof OccurrenceMoveBody>): Promise<InspectionPlanDetail> {
    InspectionsService.requirePlanner(actor);
    const now = this.ctx.clock.now();
    const today = this.today();
    const planId = await this.ctx.db.write(async (trx) => {
      const { o, plan } = await this.occurrenceRow(trx, id);
      const refusal = checkMove(planDates(plan), factsOf(o), body.dueDate, today);
      if (refusal) throw Invalid({ dueDate: { key: `field.inspection_move_${refusal}`, params: { next: cycleDate(planDates(plan), o.seq + 1), previous: o.seq > 0 ? cycleDate(planDates(plan), o.seq - 1) : '' } } });
      const fresh = { ...o, due_date: body.dueDate };
      await trx.updateTable('inspection_occurrences').set({ due_date: body.dueDate, move_reason: body.reason, check_on: checkOn(plan, fresh, today) }).where('id', '=', id).execute();
      if (o.ticket_id !== null) await appendEvent(trx, o.ticket_id, now, actor.id, 'inspection_created', { internal: true, note: body.reason, details: { planId: plan.id, occurrenceId: id, moved: true, fromDate: o.due_date, dueDate: body.dueDate } });
      return plan.id;
    });
    return this.get(actor, planId);
  }

  /** Records an occurrence as done (planners and the plan's engineers). Its ticket, if any, is closed the usual way. */
  async complete(actor: Actor, id: number, body: z.infer<typeof OccurrenceCompleteBody>): Promise<InspectionPlanDetail> {
    InspectionsService.requireReader(actor);
    const now = this.ctx.clock.now();
    const planId = await this.ctx.db.write(async (trx) => {
      const { o, plan } = await this.occurrenceRow(trx, id);
      if (!PLANNERS.has(actor.role) && !engineerIdsOf(plan).includes(actor.id)) throw Forbidden();
      if (o.completed_at !== null) throw Conflict('conflict', 'error.inspection_done');
      await this.completeRow(trx, plan, o, actor.id, body.note ?? null, now);
      return plan.id;
    });
    return this.get(actor, planId);
  }

  /** Inside a write: the occurrence done, its timeline entry, and the next one on the cycle exists. */
  async completeRow(trx: Kysely<DB>, plan: PlanRow, o: OccurrenceRow, actorId: number | null, note: string | null, now: number): Promise<void> {
    const res = await trx.updateTable('inspection_occurrences').set({ completed_at: now, completed_by: actorId, note, check_on: null }).where('id', '=', o.id).where('completed_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return;
    if (o.ticket_id !== null) await appendEvent(trx, o.ticket_id, now, actorId, 'inspection_completed', { internal: true, note, details: { planId: plan.id, occurrenceId: o.id, dueDate: o.due_date } });
    await this.ensureOccurrence(trx, plan, o.seq + 1, chinaToday(now));
  }

  /** Closing an inspection's ticket completes its occurrence (TicketCore.closedHooks). */
  async ticketClosed(trx: Kysely<DB>, actorId: number, ticketId: number): Promise<void> {
    const o = await trx.selectFrom('inspection_occurrences').selectAll().where('ticket_id', '=', ticketId).where('completed_at', 'is', null).executeTakeFirst();
    if (!o) return;
    const plan = await trx.selectFrom('inspection_plans').selectAll().where('id', '=', o.plan_id).executeTakeFirstOrThrow();
    await this.completeRow(trx, plan, o, actorId, null, this.ctx.clock.now());
  }
}
