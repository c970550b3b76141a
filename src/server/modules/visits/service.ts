// On-site visits (上门服务, issue 16, SPEC §10, seed 002): the dispatcher books and moves them, the engineer records
// the steps. Every booking, move, cancellation and step lands in the ticket's timeline; a booking and a move tell the
// customer (modules/messages). The schedule rules are the pure domain/schedule.ts; the board, free slots and
// suggestions are in board.ts.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import { OPTIONAL_VISIT_STEPS, VISIT_STEPS, type Visit, type VisitBookBody, type VisitCancelBody, type VisitRescheduleBody, type VisitStep } from '../../../shared/visits.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { checkVisit, datesFrom, localMidnight, type GapRule, type ScheduleIssue } from '../../domain/schedule.js';
import { ON_THE_WAY_FRESH_MS, stepTime } from '../../domain/step-time.js';
import { isUniqueViolation } from '../../db/connect.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent, type TicketRow } from '../tickets/repo.js';
import { windowText, type FieldConfig } from './field.js';
import { VisitParts, withParts } from './parts.js';
import { requireAssignable, requireCanceller, scopeVisits, seesVisit } from './providers.js';
import { bookedOf, selectVisits, STEP_COLUMN, toVisit, type VisitListRow, type VisitRow } from './repo.js';

const HOUR = 3_600_000;
const MAX_WINDOW_MS = 12 * HOUR;
/** Who books, moves and cancels visits (seed 002: the dispatcher, 调度 / 信息员; the supervisor stands in). */
const BOOKERS = new Set(['dispatcher', 'supervisor']);

type WindowInput = { engineerId: number; windowStart: string; windowEnd: string; force: boolean; forceReason?: string };

export class VisitsService {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    readonly field: FieldConfig,
    readonly parts: VisitParts,
  ) {}

  static canBook(actor: Actor): boolean {
    return BOOKERS.has(actor.role);
  }

  /** Staff read visits; an engineer only their own; customers none (they hear of them through messages). */
  static requireReader(actor: Actor) {
    // A service provider's people read their provider's visits (scoped in providers.ts), though not 'ticket.internal'.
    if (!can(actor, 'ticket.internal') && !isProviderActor(actor)) throw Forbidden();
  }

  private requireBooker(actor: Actor) {
    if (!VisitsService.canBook(actor)) throw Forbidden();
  }

  private async rowById(db: Kysely<DB>, id: number): Promise<VisitListRow | undefined> {
    return (await selectVisits(db).where('visits.id', '=', id).executeTakeFirst()) as VisitListRow | undefined;
  }

  async get(actor: Actor, id: number): Promise<Visit> {
    VisitsService.requireReader(actor);
    const r = await this.rowById(this.ctx.db.read, id);
    if (!r || !seesVisit(actor, r)) throw NotFound('error.visit_not_found');
    // The company's staff: the visits of the tickets they see (a provider's people: their provider's visits, above).
    if (actor.role !== 'engineer') await this.tickets.findVisible(this.ctx.db.read, actor, r.number);
    return (await withParts(this.ctx.db.read, [toVisit(r, actor, this.ctx.clock.now())]))[0]!;
  }

  async forTicket(actor: Actor, number: string): Promise<Visit[]> {
    VisitsService.requireReader(actor);
    const ticket = await this.tickets.findVisible(this.ctx.db.read, actor, number);
    const q = scopeVisits(selectVisits(this.ctx.db.read).where('visits.ticket_id', '=', ticket.id), actor);
    const rows = (await q.orderBy('visits.window_start').orderBy('visits.id').execute()) as VisitListRow[];
    const now = this.ctx.clock.now();
    return withParts(this.ctx.db.read, rows.map((r) => toVisit(r, actor, now)));
  }

  /** An engineer's visits of one local day (default today), in order: the mobile page. Others name the engineer. */
  async day(actor: Actor, date: string | undefined, engineerId?: number): Promise<Visit[]> {
    VisitsService.requireReader(actor);
    const who = actor.role === 'engineer' ? actor.id : (engineerId ?? actor.id);
    const cal = await this.field.calendar();
    const now = this.ctx.clock.now();
    const d = date ?? new Intl.DateTimeFormat('en-CA', { timeZone: cal.timeZone }).format(now);
    const from = localMidnight(cal.timeZone, d);
    const to = localMidnight(cal.timeZone, datesFrom(d, 2)[1]);
    const rows = (await scopeVisits(selectVisits(this.ctx.db.read), actor)
      .where('visits.engineer_id', '=', who)
      .where('visits.window_start', '<', to)
      .where('visits.window_end', '>', from)
      .orderBy('visits.window_start')
      .orderBy('visits.id')
      .execute()) as VisitListRow[];
    return withParts(this.ctx.db.read, rows.map((r) => toVisit(r, actor, now)));
  }

  // ------------------------------------------------------------ booking and moving

  private checkWindow(body: WindowInput): { start: number; end: number } {
    const start = Date.parse(body.windowStart);
    const end = Date.parse(body.windowEnd);
    if (!(end > start)) throw Invalid({ windowEnd: 'field.visit_window_order' });
    if (end - start > MAX_WINDOW_MS) throw Invalid({ windowEnd: 'field.visit_window_length' });
    if (body.force && !body.forceReason?.trim()) throw Invalid({ forceReason: 'field.force_reason_required' });
    return { start, end };
  }

  private async requireEngineer(db: Kysely<DB>, id: number, actor: Actor): Promise<{ id: number; name: string }> {
    const u = await db.selectFrom('users').select(['id', 'display_name', 'role', 'active', 'provider_id']).where('id', '=', id).executeTakeFirst();
    if (!u || u.role !== 'engineer' || u.active !== 1) throw Invalid({ engineerId: 'field.visit_engineer' });
    requireAssignable(actor, { providerId: u.provider_id });
    return { id: u.id, name: u.display_name };
  }

  /**
   * Refuses an overlap with another visit of the engineer (409 naming it) and a short travel gap unless the dispatcher
   * confirmed it (`force` with a reason; 409 with `fields.force` asks for that). Runs in the writing transaction, after
   * the engineer's row is locked on PostgreSQL, so two bookings racing for one engineer cannot both pass.
   */
  private async enforceSchedule(trx: Kysely<DB>, engineer: { id: number; name: string }, w: { start: number; end: number; area: string | null }, body: WindowInput, rule: GapRule, lang: Language, tz: string, except?: number): Promise<ScheduleIssue[]> {
    if (this.ctx.db.dialect === 'postgres') await trx.selectFrom('users').select('id').where('id', '=', engineer.id).forUpdate().execute();
    const booked = (await bookedOf(trx, [engineer.id], w.start - 24 * HOUR, w.end + 24 * HOUR, except)).get(engineer.id) ?? [];
    const issues = checkVisit(w, booked, rule);
    const first = issues[0];
    if (!first) return [];
    if (first.kind === 'overlap' || !body.force) {
      const other = (await trx
        .selectFrom('visits')
        .innerJoin('tickets', 'tickets.id', 'visits.ticket_id')
        .select(['visits.id', 'visits.window_start', 'visits.window_end', 'tickets.number'])
        .where('visits.id', '=', first.visitId)
        .executeTakeFirstOrThrow());
      const params = { engineer: engineer.name, when: windowText(lang, tz, other.window_start, other.window_end), number: other.number, visitId: other.id };
      if (first.kind === 'overlap') throw new AppError(409, 'conflict', 'error.visit_overlap', params, { windowStart: { key: 'error.visit_overlap', params } });
      const gap = { ...params, minutes: first.gapMinutes, needed: first.neededMinutes };
      throw new AppError(409, 'conflict', 'error.visit_short_gap', gap, { force: { key: 'error.visit_short_gap', params: gap } });
    }
    return issues;
  }

  private async customerLocale(trx: Kysely<DB>, customerId: number): Promise<string> {
    return (await trx.selectFrom('customers').select('locale').where('id', '=', customerId).executeTakeFirst())?.locale ?? 'zh-CN';
  }

  async book(actor: Actor, number: string, body: z.infer<typeof VisitBookBody>, lang: Language): Promise<Visit> {
    this.requireBooker(actor);
    const w = this.checkWindow(body);
    const engineer = await this.requireEngineer(this.ctx.db.read, body.engineerId, actor);
    const [rule, cal] = [await this.field.gapRule(), await this.field.calendar()];
    const now = this.ctx.clock.now();
    const id = await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.tickets.findVisible(trx, actor, number);
      if (ticket.is_open !== 1) throw Conflict('invalid_transition', 'error.wrong_status', { status: ticket.status });
      const area = body.area?.trim() || null;
      const issues = await this.enforceSchedule(trx, engineer, { ...w, area }, body, rule, lang, cal.timeZone);
      const created = await trx
        .insertInto('visits')
        .values({
          ticket_id: ticket.id,
          unit_id: ticket.unit_id,
          engineer_id: engineer.id,
          kind: body.kind,
          status: 'booked',
          window_start: w.start,
          window_end: w.end,
          address: body.address,
          area,
          contact_name: body.contactName?.trim() || ticket.c_name,
          contact_phone: body.contactPhone?.trim() || ticket.c_phone,
          parts: JSON.stringify(body.parts),
          loaner_needed: body.loanerNeeded ? 1 : 0,
          note: body.note?.trim() || null,
          created_at: now,
          created_by: actor.id,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Reserved in the same transaction: a booking whose parts are not there is refused whole (409 naming the part).
      await this.parts.reserve(trx, actor, created.id, engineer.id, body.partRefs, notified);
      await appendEvent(trx, ticket.id, now, actor.id, 'visit_booked', {
        internal: true,
        note: body.force ? (body.forceReason ?? null) : null,
        details: { visitId: created.id, engineerId: engineer.id, engineerName: engineer.name, kind: body.kind, windowStart: iso(w.start), windowEnd: iso(w.end), area, shortGaps: issues.length, loanerNeeded: body.loanerNeeded, partsReserved: body.partRefs.length },
      });
      const locale = await this.customerLocale(trx, ticket.customer_id);
      await this.tickets.core.tellCustomer(trx, ticket, 'appointment_booked', `visit:${created.id}`, actor.id, { engineerName: engineer.name, appointmentTime: windowText(locale, cal.timeZone, w.start, w.end) });
      return created.id;
    });
    return this.get(actor, id);
  }

  /** Another engineer, day or time, with the reason (mandatory); the customer is told of the new time. */
  async reschedule(actor: Actor, id: number, body: z.infer<typeof VisitRescheduleBody>, lang: Language): Promise<Visit> {
    this.requireBooker(actor);
    const current = await this.rowById(this.ctx.db.read, id);
    if (!current || !seesVisit(actor, current)) throw NotFound('error.visit_not_found');
    const w = this.checkWindow({ ...body, engineerId: body.engineerId ?? current.engineer_id });
    const engineer = await this.requireEngineer(this.ctx.db.read, body.engineerId ?? current.engineer_id, actor);
    const [rule, cal] = [await this.field.gapRule(), await this.field.calendar()];
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.tickets.findVisible(trx, actor, current.number);
      const row = await this.lockedRow(trx, id, body.version);
      if (row.status !== 'booked' && row.status !== 'accepted') throw Conflict('invalid_transition', 'error.visit_closed', { status: t(lang, `visit.status.${row.status}`) || row.status });
      const issues = await this.enforceSchedule(trx, engineer, { ...w, area: row.area }, { ...body, engineerId: engineer.id }, rule, lang, cal.timeZone, id);
      // A new engineer has not accepted it yet.
      const moved = engineer.id !== row.engineer_id;
      await trx
        .updateTable('visits')
        .set({ engineer_id: engineer.id, window_start: w.start, window_end: w.end, updated_at: now, version: row.version + 1, ...(moved ? { accepted_at: null, status: 'booked' } : {}) })
        .where('id', '=', id)
        .execute();
      const handed = moved ? await this.parts.handOver(trx, actor, id, row.engineer_id, engineer.id, notified) : { moved: [], kept: [] };
      await appendEvent(trx, ticket.id, now, actor.id, 'visit_rescheduled', {
        internal: true,
        note: body.reason,
        details: { visitId: id, engineerId: engineer.id, engineerName: engineer.name, fromEngineerId: row.engineer_id, windowStart: iso(w.start), windowEnd: iso(w.end), fromStart: iso(row.window_start), fromEnd: iso(row.window_end), shortGaps: issues.length, partsMoved: handed.moved.length, partsKept: handed.kept.length },
      });
      const locale = await this.customerLocale(trx, ticket.customer_id);
      await this.tickets.core.tellCustomer(trx, ticket, 'appointment_changed', `visit:${id}:v${row.version + 1}`, actor.id, {
        engineerName: engineer.name,
        appointmentTime: windowText(locale, cal.timeZone, w.start, w.end),
        reason: body.reason,
      });
    });
    return this.get(actor, id);
  }

  async cancel(actor: Actor, id: number, body: z.infer<typeof VisitCancelBody>, lang: Language): Promise<Visit> {
    this.requireBooker(actor);
    const current = await this.rowById(this.ctx.db.read, id);
    if (!current || !seesVisit(actor, current)) throw NotFound('error.visit_not_found');
    requireCanceller(actor);
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.tickets.findVisible(trx, actor, current.number);
      const row = await this.lockedRow(trx, id, body.version);
      if (row.status === 'cancelled' || row.left_at !== null) throw Conflict('invalid_transition', 'error.visit_closed', { status: t(lang, `visit.status.${row.status}`) });
      await trx.updateTable('visits').set({ status: 'cancelled', cancelled_at: now, cancel_reason: body.reason, updated_at: now, version: row.version + 1 }).where('id', '=', id).execute();
      const released = await this.parts.releaseAll(trx, actor, id, notified, body.reason);
      await appendEvent(trx, ticket.id, now, actor.id, 'visit_cancelled', { internal: true, note: body.reason, details: { visitId: id, engineerName: current.engineer_name, windowStart: iso(row.window_start), windowEnd: iso(row.window_end), partsReleased: released.length } });
    });
    return this.get(actor, id);
  }

  /**
   * Records a step on a row read in the caller's transaction (the step endpoint, and the signature and payment,
   * which record 'signed' and 'charged'): in order, with its timeline entry; leaving releases unused parts.
   */
  async stepIn(trx: Kysely<DB>, actor: Actor, row: VisitRow, step: VisitStep, lang: Language, notified: Set<number>, engineerName: string, pressed?: number): Promise<void> {
    const now = this.ctx.clock.now();
    const id = row.id;
    if (!stepAllowed(row, step)) throw Conflict('invalid_transition', 'error.visit_wrong_step', { status: t(lang, `visit.${row.status === 'booked' || row.status === 'cancelled' ? 'status' : 'step'}.${row.status}`), step: t(lang, `visit.step.${step}`) });
    const when = stepTime(pressed, now, row.created_at, lastStepAt(row));
    if (!when.ok) throw Invalid({ at: when.reason === 'future' ? 'field.step_time_future' : 'field.step_time_before_booking' });
    const at = when.at;
    await trx.updateTable('visits').set({ [STEP_COLUMN[step]]: at, status: step, updated_at: now, version: row.version + 1 }).where('id', '=', id).execute();
    const late = step === 'arrived' && at > row.window_end;
    // Leaving: what was reserved and not used is free again (it is still in the van or the warehouse).
    const released = step === 'left' ? await this.parts.releaseAll(trx, actor, id, notified, 'unused') : [];
    // The timeline entry is written now; a step pressed earlier (offline) carries the pressed time.
    const details = { visitId: id, step, late, windowEnd: iso(row.window_end), ...(now - at > 60_000 ? { pressedAt: iso(at) } : {}), ...(released.length ? { partsReleased: released.length } : {}) };
    await appendEvent(trx, row.ticket_id, now, actor.id, 'visit_step', { internal: true, details });
    if (step === 'departed' && now - at <= ON_THE_WAY_FRESH_MS) {
      const ticket = (await trx.selectFrom('tickets').select(['id', 'number', 'title', 'customer_id']).where('id', '=', row.ticket_id).executeTakeFirstOrThrow()) as Pick<TicketRow, 'id' | 'number' | 'title' | 'customer_id'>;
      await this.tickets.core.tellCustomer(trx, ticket, 'engineer_on_the_way', `visit:${id}`, actor.id, { engineerName });
    }
  }

  async lockedRow(trx: Kysely<DB>, id: number, version?: number): Promise<VisitRow> {
    // PostgreSQL: the row is locked so a step, the signature and the payment of one visit take turns.
    let q = trx.selectFrom('visits').selectAll().where('id', '=', id);
    if (this.ctx.db.dialect === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw NotFound('error.visit_not_found');
    if (version !== undefined && row.version !== version) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
    return row;
  }


  // ------------------------------------------------------------ the engineer's steps

  /**
   * The engineer records a step: in order, each once; signature and charges may be skipped. Departing tells the
   * customer the engineer is on the way (seed 002: delays are announced) unless the press is old news (a replay from
   * a phone that was offline). `at` is when the button was pressed (domain/step-time.ts bounds it); `key` the
   * Idempotency-Key: a replay with a key already recorded answers the visit as it is now and changes nothing.
   */
  async step(actor: Actor, id: number, step: VisitStep, version: number, lang: Language, opts: { at?: string; key?: string } = {}): Promise<Visit> {
    const current = await this.rowById(this.ctx.db.read, id);
    if (!current || !seesVisit(actor, current)) throw NotFound('error.visit_not_found');
    if (current.engineer_id !== actor.id) throw Forbidden('error.visit_not_yours');
    const pressed = opts.at === undefined ? undefined : Date.parse(opts.at);
    const run = () =>
      this.tickets.tx(async (trx, notified) => {
        if (opts.key && (await this.stepKnown(trx, actor.id, opts.key))) return;
        const row = await this.lockedRow(trx, id, version);
        await this.stepIn(trx, actor, row, step, lang, notified, current.engineer_name, pressed);
        if (opts.key) await trx.insertInto('visit_step_keys').values({ user_id: actor.id, key: opts.key, visit_id: id, step, created_at: this.ctx.clock.now() }).execute();
      });
    try {
      await run();
    } catch (e) {
      // PostgreSQL: the same press sent twice at once; the other one committed and ours rolled back whole.
      if (opts.key && isUniqueViolation(e)) await run();
      else throw e;
    }
    return this.get(actor, id);
  }

  private async stepKnown(trx: Kysely<DB>, userId: number, key: string): Promise<boolean> {
    return (await trx.selectFrom('visit_step_keys').select('visit_id').where('user_id', '=', userId).where('key', '=', key).executeTakeFirst()) !== undefined;
  }
}

/** The time of the last step recorded on the visit (null before the first). */
function lastStepAt(row: VisitRow): number | null {
  let last: number | null = null;
  for (const s of VISIT_STEPS) {
    const v = row[STEP_COLUMN[s]] as number | null;
    if (v !== null && (last === null || v > last)) last = v;
  }
  return last;
}

/** A step follows the last one recorded; the optional ones (signature, charges) may be passed over, never gone back to. */
export function stepAllowed(row: Pick<VisitRow, 'status' | 'cancelled_at'>, step: VisitStep): boolean {
  if (row.cancelled_at !== null || row.status === 'cancelled') return false;
  const last = row.status === 'booked' ? -1 : VISIT_STEPS.indexOf(row.status as VisitStep);
  const next = VISIT_STEPS.indexOf(step);
  if (next <= last) return false;
  for (let i = last + 1; i < next; i++) if (!OPTIONAL_VISIT_STEPS.includes(VISIT_STEPS[i])) return false;
  return true;
}
