// Admin side of the clocks: SLA policies, business calendars and their days; every change recomputes the
// deadlines of the open tickets it affects.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { CalendarCreateBody, CalendarDaysBody, CalendarPatchBody, CalendarView, SlaPolicyCreateBody, SlaPolicyPatchBody, SlaPolicyView } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { DEFAULT_WEEK_HOURS, validateCalendar } from '../../domain/sla/index.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { appendEvent } from '../tickets/repo.js';
import { allTargetColumns, buildCalendar, DUE_COLUMN, targetColumns, targetsOfRow, type PolicyRow, type SlaService } from './service.js';
import { SLA_CLOCKS } from '../../domain/sla/policy.js';

const READERS = ['admin', 'director', 'manager', 'supervisor'];

function policyView(r: PolicyRow & { version: number }): SlaPolicyView {
  return {
    id: r.id,
    name: r.name,
    priority: r.priority as SlaPolicyView['priority'],
    customerTier: r.customer_tier as SlaPolicyView['customerTier'],
    productLine: r.product_line,
    serviceType: r.service_type as SlaPolicyView['serviceType'],
    calendarId: r.calendar_id,
    targets: targetsOfRow(r),
    warnPercent: r.warn_percent,
    escalateAfterMinutes: r.escalate_after_minutes,
    managerAckMinutes: r.manager_ack_minutes,
    active: r.active === 1,
    version: r.version,
  };
}

type PolicyBody = Partial<z.infer<typeof SlaPolicyPatchBody>>;

function policyColumns(b: PolicyBody): Record<string, unknown> {
  const map: [keyof PolicyBody, string, ((v: unknown) => unknown)?][] = [
    ['name', 'name'],
    ['priority', 'priority'],
    ['customerTier', 'customer_tier'],
    ['productLine', 'product_line'],
    ['serviceType', 'service_type'],
    ['calendarId', 'calendar_id'],
    ['warnPercent', 'warn_percent'],
    ['escalateAfterMinutes', 'escalate_after_minutes'],
    ['managerAckMinutes', 'manager_ack_minutes'],
    ['active', 'active', (v) => (v ? 1 : 0)],
  ];
  const out: Record<string, unknown> = {};
  for (const [k, col, f] of map) if (b[k] !== undefined) out[col] = f ? f(b[k]) : b[k];
  return { ...out, ...targetColumns(b.targets) };
}

export class SlaAdminService {
  constructor(
    private readonly ctx: AppContext,
    private readonly sla: SlaService,
  ) {}

  private requireReader(actor: Actor) {
    if (!READERS.includes(actor.role)) requireAccess(actor, 'admin');
  }

  async listPolicies(actor: Actor): Promise<SlaPolicyView[]> {
    this.requireReader(actor);
    return (await this.ctx.db.read.selectFrom('sla_policies').selectAll().orderBy('id').execute()).map(policyView);
  }

  private async requireCalendar(id: number | undefined) {
    if (id === undefined) return;
    const c = await this.ctx.db.read.selectFrom('calendars').select('id').where('id', '=', id).executeTakeFirst();
    if (!c) throw Invalid({ calendarId: 'field.calendar_unknown' });
  }

  async createPolicy(actor: Actor, body: z.infer<typeof SlaPolicyCreateBody>): Promise<SlaPolicyView> {
    requireAccess(actor, 'admin');
    await this.requireCalendar(body.calendarId);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write((trx) =>
      trx
        .insertInto('sla_policies')
        .values({
          name: body.name,
          priority: body.priority ?? null,
          customer_tier: body.customerTier ?? null,
          product_line: body.productLine ?? null,
          service_type: body.serviceType ?? null,
          calendar_id: body.calendarId,
          ...allTargetColumns(body.targets),
          warn_percent: body.warnPercent ?? 80,
          escalate_after_minutes: body.escalateAfterMinutes ?? 0,
          manager_ack_minutes: body.managerAckMinutes ?? 240,
          active: body.active === false ? 0 : 1,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    this.sla.invalidate();
    // A new, more specific policy may now govern open tickets.
    await this.recomputeOpen(null, true, 'policy');
    return policyView(row);
  }

  async updatePolicy(actor: Actor, id: number, body: z.infer<typeof SlaPolicyPatchBody>): Promise<SlaPolicyView> {
    requireAccess(actor, 'admin');
    if (body.version === undefined) throw Invalid({ version: 'field.version_required' });
    await this.requireCalendar(body.calendarId);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write(async (trx) => {
      const current = await trx.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw NotFound();
      if (current.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      await trx.updateTable('sla_policies').set({ ...policyColumns(body), updated_at: now, version: current.version + 1 }).where('id', '=', id).execute();
      return trx.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    this.sla.invalidate();
    const criteriaChanged = ['priority', 'customerTier', 'productLine', 'serviceType', 'active'].some((k) => body[k as keyof typeof body] !== undefined);
    await this.recomputeOpen(criteriaChanged ? null : [id], criteriaChanged, 'policy');
    return policyView(row);
  }

  async listCalendars(actor: Actor, lang: Language): Promise<CalendarView[]> {
    this.requireReader(actor);
    const rows = await this.ctx.db.read.selectFrom('calendars').selectAll().orderBy('id').execute();
    const days = await this.ctx.db.read.selectFrom('calendar_days').selectAll().orderBy('date').execute();
    const thisYear = new Date(this.ctx.clock.now()).getUTCFullYear();
    return rows.map((r) => {
      const own = days.filter((d) => d.calendar_id === r.id);
      const cal = buildCalendar(r, own);
      const covered = cal.always ? null : (cal.coveredYears ?? []);
      return {
        id: r.id,
        code: r.code,
        name: lang === 'en' ? r.name_en : r.name_zh,
        nameZh: r.name_zh,
        nameEn: r.name_en,
        kind: r.kind as CalendarView['kind'],
        timeZone: r.time_zone,
        weekHours: JSON.parse(r.week_hours || '{}'),
        workdayHours: r.workday_hours ? JSON.parse(r.workday_hours) : null,
        coveredYears: [...(covered ?? [])],
        missingYears: covered === null ? [] : [thisYear, thisYear + 1].filter((y) => !covered.includes(y)),
        days: own.map((d) => ({ date: d.date, kind: d.kind as 'holiday' | 'workday', note: d.note })),
        version: r.version,
      };
    });
  }

  private checkCalendar(row: Parameters<typeof buildCalendar>[0], days: { date: string; kind: string }[]) {
    let errors: string[];
    try {
      errors = validateCalendar(buildCalendar(row, days));
    } catch {
      errors = ['invalid'];
    }
    if (errors.length > 0) throw Invalid({ weekHours: 'field.calendar_invalid' });
  }

  async createCalendar(actor: Actor, body: z.infer<typeof CalendarCreateBody>, lang: Language): Promise<CalendarView> {
    requireAccess(actor, 'admin');
    if (!isTimeZone(body.timeZone)) throw Invalid({ timeZone: 'field.time_zone' });
    const now = this.ctx.clock.now();
    const values = {
      code: body.code,
      name_zh: body.nameZh,
      name_en: body.nameEn,
      kind: body.kind,
      time_zone: body.timeZone,
      week_hours: JSON.stringify(body.weekHours ?? DEFAULT_WEEK_HOURS),
      workday_hours: body.workdayHours ? JSON.stringify(body.workdayHours) : null,
      covered_years: '[]',
      created_at: now,
      updated_at: now,
      version: 1,
    };
    this.checkCalendar({ ...values, id: 0 }, []);
    try {
      await this.ctx.db.write((trx) => trx.insertInto('calendars').values(values).execute());
    } catch (e) {
      if (isUniqueViolation(e)) throw Invalid({ code: 'field.category_exists' });
      throw e;
    }
    this.sla.invalidate();
    return (await this.listCalendars(actor, lang)).find((c) => c.code === body.code)!;
  }

  async updateCalendar(actor: Actor, id: number, body: z.infer<typeof CalendarPatchBody>, lang: Language): Promise<CalendarView> {
    requireAccess(actor, 'admin');
    if (body.version === undefined) throw Invalid({ version: 'field.version_required' });
    if (body.timeZone !== undefined && !isTimeZone(body.timeZone)) throw Invalid({ timeZone: 'field.time_zone' });
    await this.ctx.db.write(async (trx) => {
      const current = await trx.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw NotFound();
      if (current.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      const set: Record<string, unknown> = { updated_at: this.ctx.clock.now(), version: current.version + 1 };
      if (body.nameZh !== undefined) set.name_zh = body.nameZh;
      if (body.nameEn !== undefined) set.name_en = body.nameEn;
      if (body.timeZone !== undefined) set.time_zone = body.timeZone;
      if (body.weekHours !== undefined) set.week_hours = JSON.stringify(body.weekHours);
      if (body.workdayHours !== undefined) set.workday_hours = body.workdayHours ? JSON.stringify(body.workdayHours) : null;
      const days = await trx.selectFrom('calendar_days').select(['date', 'kind']).where('calendar_id', '=', id).execute();
      this.checkCalendar({ ...current, ...set } as typeof current, days);
      await trx.updateTable('calendars').set(set).where('id', '=', id).execute();
    });
    this.sla.invalidate();
    await this.recomputeForCalendar(id);
    return (await this.listCalendars(actor, lang)).find((c) => c.id === id)!;
  }

  /** Adds / replaces / removes days (e.g. the State Council's notice for next year) and marks years covered. */
  async editDays(actor: Actor, id: number, body: z.infer<typeof CalendarDaysBody>, lang: Language): Promise<CalendarView> {
    requireAccess(actor, 'admin');
    const seen = new Set<string>();
    for (const d of body.days) {
      if (seen.has(d.date)) throw Invalid({ days: 'field.duplicate_date' });
      seen.add(d.date);
    }
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const current = await trx.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw NotFound();
      if (body.remove.length > 0) await trx.deleteFrom('calendar_days').where('calendar_id', '=', id).where('date', 'in', body.remove).execute();
      for (const d of body.days) {
        await trx
          .insertInto('calendar_days')
          .values({ calendar_id: id, date: d.date, kind: d.kind, note: d.note ?? null, created_at: now })
          .onConflict((oc) => oc.columns(['calendar_id', 'date']).doUpdateSet({ kind: d.kind, note: d.note ?? null }))
          .execute();
      }
      const set: Record<string, unknown> = { updated_at: now, version: current.version + 1 };
      if (body.coveredYears) {
        const years = new Set<number>([...JSON.parse(current.covered_years || '[]'), ...body.coveredYears]);
        set.covered_years = JSON.stringify([...years].sort());
      }
      await trx.updateTable('calendars').set(set).where('id', '=', id).execute();
    });
    this.sla.invalidate();
    await this.recomputeForCalendar(id);
    return (await this.listCalendars(actor, lang)).find((c) => c.id === id)!;
  }

  /**
   * Recomputes the open tickets of the policies listed in `sla_recompute` (migration 0009 lists them: the targets got
   * units and unedited default policies new values), then removes them from the list. The sweeper calls it at the
   * start of every pass; with nothing listed it is one small read. Safe on several nodes at once: a second run finds
   * the deadlines already moved and writes nothing.
   */
  async recomputePending(): Promise<number> {
    const pending = await this.ctx.db.read.selectFrom('sla_recompute').select('policy_id').execute();
    if (pending.length === 0) return 0;
    const ids = pending.map((p) => p.policy_id);
    this.sla.invalidate();
    const changed = await this.recomputeOpen(ids, false, 'policy');
    await this.ctx.db.write((trx) => trx.deleteFrom('sla_recompute').where('policy_id', 'in', ids).execute());
    return changed;
  }

  /** A customer's tier takes part in choosing the policy: their open tickets follow a change. */
  async recomputeForCustomer(customerId: number): Promise<number> {
    return this.recomputeOpen(null, true, 'customer', customerId);
  }

  /**
   * Admins are told once per calendar and year when holiday data is missing for a year that matters: next year
   * from November on (the State Council announces it around then), or any year an open ticket's deadline runs into.
   */
  async coverageWarnings(now: number): Promise<{ calendarId: number; year: number }[]> {
    const calendars = await this.sla.calendarRows();
    const out: { calendarId: number; year: number }[] = [];
    const d = new Date(now + 8 * 3600_000);
    const nextYear = d.getUTCFullYear() + 1;
    const uncovered = await this.ctx.db.read
      .selectFrom('tickets')
      .select(['sla_policy_id', 'sla_uncovered_years'])
      .where('is_open', '=', 1)
      .where('sla_uncovered_years', 'is not', null)
      .limit(200)
      .execute();
    const policies = await this.ctx.db.read.selectFrom('sla_policies').select(['id', 'calendar_id']).execute();
    for (const [id, { calendar }] of calendars) {
      if (calendar.always || !calendar.coveredYears) continue;
      const years = new Set<number>();
      if (d.getUTCMonth() >= 10 && !calendar.coveredYears.includes(nextYear)) years.add(nextYear);
      for (const t of uncovered) {
        if (policies.find((p) => p.id === t.sla_policy_id)?.calendar_id !== id) continue;
        for (const y of JSON.parse(t.sla_uncovered_years ?? '[]') as number[]) if (!calendar.coveredYears.includes(y)) years.add(y);
      }
      for (const year of years) out.push({ calendarId: id, year });
    }
    return out;
  }

  private async recomputeForCalendar(calendarId: number) {
    const policies = await this.ctx.db.read.selectFrom('sla_policies').select('id').where('calendar_id', '=', calendarId).execute();
    if (policies.length > 0) await this.recomputeOpen(policies.map((p) => p.id), false, 'calendar');
  }

  /**
   * Recomputes the stored deadlines of open tickets (of some policies, or all with `repick`) in batches, and
   * records in each ticket's timeline when its deadlines moved.
   */
  async recomputeOpen(policyIds: number[] | null, repick: boolean, reason: 'policy' | 'calendar' | 'customer', customerId?: number): Promise<number> {
    let lastId = 0;
    let changed = 0;
    for (;;) {
      const batch = await this.ctx.db.write(async (trx) => {
        let q = trx.selectFrom('tickets').selectAll().where('is_open', '=', 1).where('id', '>', lastId);
        if (policyIds) q = q.where('sla_policy_id', 'in', policyIds);
        if (customerId !== undefined) q = q.where('customer_id', '=', customerId);
        const rows = await q.orderBy('id').limit(RECOMPUTE_BATCH).execute();
        for (const row of rows) {
          const cols = await this.sla.refresh(trx, row, repick);
          const moved = SLA_CLOCKS.some((c) => cols[DUE_COLUMN[c] as keyof typeof cols] !== row[DUE_COLUMN[c] as keyof typeof row]) || cols.sla_policy_id !== row.sla_policy_id;
          if (!moved && cols.sla_check_at === row.sla_check_at) continue;
          await trx.updateTable('tickets').set(cols).where('id', '=', row.id).execute();
          if (moved) {
            changed++;
            await appendEvent(trx as Kysely<DB>, row.id, this.ctx.clock.now(), null, 'sla_recomputed', {
              details: { reason, policyBefore: row.sla_policy_id, policyAfter: cols.sla_policy_id },
            });
          }
        }
        return rows;
      });
      if (batch.length === 0) break;
      lastId = batch[batch.length - 1].id;
      // Let requests in between batches: after an upgrade (migration 0009) this runs over every open ticket.
      await new Promise<void>((r) => setImmediate(r));
    }
    return changed;
  }
}

/** Tickets recomputed per transaction: ~1 ms each, so a batch holds the server thread for about 0.1 s at most. */
const RECOMPUTE_BATCH = 100;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
