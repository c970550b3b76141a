// SLA policies and business calendars (admin-edited), and the stored clock columns of every ticket.
import type { Kysely, Selectable } from 'kysely';
import { SLA_UNITS, type ClockStateName, type Language, type SlaUnit, type TicketStatus } from '../../../shared/enums.js';
import type { AppContext } from '../../context.js';
import type { CalendarsTable, DB, SlaPoliciesTable } from '../../db/schema.js';
import {
  alwaysOpenCalendar,
  chinaMainlandCalendar,
  DEFAULT_WEEK_HOURS,
  type BusinessCalendar,
  type MinuteInterval,
  type SlaClock,
  type SlaPolicy,
  type SlaTarget,
  type SlaTargets,
  type WeekHours,
} from '../../domain/sla/index.js';
import {
  computeSlaColumns,
  escalationInClockTime,
  isRunning as isRunningOf,
  metAt as metAtOf,
  NO_DEADLINE,
  type ClockProgress,
  type EscalationPolicy,
  type SlaColumns,
  type TicketSlaInput,
} from '../../domain/sla/ticket-clocks.js';
import { choosePolicy, SLA_CLOCKS } from '../../domain/sla/policy.js';
import type { DueColumn, SlaRowFields, TicketRow } from '../../db/rows.js';

export type PolicyRow = Selectable<SlaPoliciesTable>;

export type CalendarRow = Selectable<CalendarsTable>;

export interface Plan {
  policy: SlaPolicy;
  row: PolicyRow;
  calendar: BusinessCalendar;
  escalation: EscalationPolicy;
}

/** The stored columns of a ticket's clocks. */
export type SlaColumnValues = Pick<SlaRowFields, 'sla_policy_id' | DueColumn | 'sla_warn_at' | 'sla_uncovered_years' | 'next_due_at' | 'sla_check_at'>;


export const DUE_COLUMN: Record<SlaClock, DueColumn> = {
  firstResponse: 'first_response_due_at',
  startHandling: 'start_handling_due_at',
  firstSolution: 'first_solution_due_at',
  resolve: 'resolve_due_at',
  nextUpdate: 'next_update_due_at',
  followUp: 'follow_up_due_at',
};

const parseJson = <T,>(s: string | null | undefined, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

export function slaInputOf(row: Pick<TicketRow, 'status' | 'reported_at'> & SlaRowFields): TicketSlaInput {
  return {
    status: row.status as TicketStatus,
    reportedAt: row.reported_at,
    firstRespondedAt: row.first_responded_at,
    handlingStartedAt: row.handling_started_at,
    firstSolutionAt: row.first_solution_at,
    resolvedAt: row.resolved_at,
    lastUpdateAt: row.last_update_at,
    followedUpAt: row.followed_up_at,
    pausedAt: row.paused_at,
    pauses: parseJson(row.sla_pauses, []),
    warned: row.sla_warned ?? 0,
    breached: row.sla_breached ?? 0,
    escalateAt: row.escalate_at,
    escalationLevel: row.escalation_level ?? 0,
    escalationAckDueAt: row.escalation_ack_due_at,
    escalationAckedAt: row.escalation_acked_at,
  };
}

/** The state fields of TicketSlaInput as columns (met times, flags, pauses, escalation). */
export function slaStateColumns(s: TicketSlaInput) {
  return {
    first_responded_at: s.firstRespondedAt,
    handling_started_at: s.handlingStartedAt,
    first_solution_at: s.firstSolutionAt,
    resolved_at: s.resolvedAt,
    followed_up_at: s.followedUpAt,
    sla_warned: s.warned,
    sla_breached: s.breached,
    sla_pauses: JSON.stringify(s.pauses),
    paused_at: s.pausedAt,
    last_update_at: s.lastUpdateAt,
    escalate_at: s.escalateAt,
    escalation_level: s.escalationLevel,
    escalation_ack_due_at: s.escalationAckDueAt,
    escalation_acked_at: s.escalationAckedAt,
  };
}

export function columnValues(policyId: number | null, c: SlaColumns | null): SlaColumnValues {
  if (!c) {
    return {
      sla_policy_id: null,
      first_response_due_at: null,
      start_handling_due_at: null,
      first_solution_due_at: null,
      resolve_due_at: null,
      next_update_due_at: null,
      follow_up_due_at: null,
      sla_warn_at: null,
      sla_uncovered_years: null,
      next_due_at: NO_DEADLINE,
      sla_check_at: null,
    };
  }
  return {
    sla_policy_id: policyId,
    first_response_due_at: c.dueAt.firstResponse,
    start_handling_due_at: c.dueAt.startHandling,
    first_solution_due_at: c.dueAt.firstSolution,
    resolve_due_at: c.dueAt.resolve,
    next_update_due_at: c.dueAt.nextUpdate,
    follow_up_due_at: c.dueAt.followUp,
    sla_warn_at: JSON.stringify(c.warnAt),
    sla_uncovered_years: c.uncoveredYears.length ? JSON.stringify(c.uncoveredYears) : null,
    next_due_at: c.nextDueAt ?? NO_DEADLINE,
    sla_check_at: c.slaCheckAt,
  };
}

// Caches expire in real time (performance.now), not in the injected business clock, which tests and the demo
// seed move back and forth.
const CACHE_MS = 10_000;

export class SlaService {
  private cache: { at: number; plans: Plan[]; calendars: Map<number, { row: CalendarRow; calendar: BusinessCalendar }> } | null = null;
  private products: { at: number; byModel: Map<string, { line: string; warrantyMonths: number }> } | null = null;

  constructor(private readonly ctx: AppContext) {}

  invalidate() {
    this.cache = null;
    this.ctx.cacheChanged?.('sla');
  }

  /** Builds the calendar objects once per change: the China calendar reads chinese-days day by day. */
  /**
   * `db` is the caller's transaction when there is one: a transaction must never wait for a second pooled
   * connection (on PostgreSQL, N concurrent transactions doing so exhaust a pool of N).
   */
  private async load(db: Kysely<DB> = this.ctx.db.read) {
    const now = performance.now();
    if (this.cache && now - this.cache.at >= 0 && now - this.cache.at < CACHE_MS) return this.cache;
    const calendarRows = await db.selectFrom('calendars').selectAll().execute();
    const days = await db.selectFrom('calendar_days').selectAll().execute();
    const calendars = new Map<number, { row: CalendarRow; calendar: BusinessCalendar }>();
    for (const row of calendarRows) {
      // Every edit of a calendar or its days bumps its version; unchanged calendars keep their built object
      // (and the per-day caches the deadline code keeps on it).
      const previous = this.cache?.calendars.get(row.id);
      const calendar = previous && previous.row.version === row.version ? previous.calendar : buildCalendar(row, days.filter((d) => d.calendar_id === row.id));
      calendars.set(row.id, { row, calendar });
    }
    const policyRows = await db.selectFrom('sla_policies').selectAll().where('active', '=', 1).orderBy('id').execute();
    const plans: Plan[] = [];
    for (const row of policyRows) {
      const cal = calendars.get(row.calendar_id);
      if (!cal) continue;
      const policy = toDomainPolicy(row);
      const escalation = { escalateAfterMinutes: row.escalate_after_minutes, managerAckMinutes: row.manager_ack_minutes, clockTime: escalationInClockTime(policy) };
      plans.push({ row, policy, calendar: cal.calendar, escalation });
    }
    this.cache = { at: now, plans, calendars };
    return this.cache;
  }

  /** The product line and warranty of a model, from a short-lived cache of the (small) products table. */
  async product(model: string | null, db: Kysely<DB> = this.ctx.db.read): Promise<{ line: string; warrantyMonths: number } | null> {
    if (!model) return null;
    const now = performance.now();
    if (!this.products || now - this.products.at < 0 || now - this.products.at > CACHE_MS) {
      const rows = await db.selectFrom('products').select(['model', 'line', 'warranty_months']).execute();
      this.products = { at: now, byModel: new Map(rows.map((r) => [r.model, { line: r.line, warrantyMonths: r.warranty_months }])) };
    }
    return this.products.byModel.get(model) ?? null;
  }

  async productLine(model: string | null, db: Kysely<DB> = this.ctx.db.read): Promise<string | null> {
    return (await this.product(model, db))?.line ?? null;
  }

  /** The policy that governs a ticket with these attributes (most specific wins), or null. */
  async planFor(
    t: { priority: string; customerTier: string | null; productModel: string | null; serviceType: string | null },
    db: Kysely<DB> = this.ctx.db.read,
  ): Promise<Plan | null> {
    const { plans } = await this.load(db);
    const productLine = await this.productLine(t.productModel, db);
    const chosen = choosePolicy(
      plans.map((p) => p.policy),
      { priority: t.priority as SlaPolicy['priority'] & string, customerTier: t.customerTier as never, productLine, serviceType: t.serviceType as never },
    );
    return chosen ? (plans.find((p) => p.policy.id === chosen.id) ?? null) : null;
  }

  /** Loads policies and calendars if the cache is cold, so the synchronous lookups below can be used. */
  async ensureLoaded(db: Kysely<DB> = this.ctx.db.read): Promise<void> {
    await this.load(db);
  }

  /** A policy's name from the loaded cache (call ensureLoaded first); per-row work in lists stays synchronous. */
  policyName(id: number): string | null {
    return this.cache?.plans.find((p) => p.row.id === id)?.row.name ?? null;
  }

  async planById(id: number | null, db: Kysely<DB> = this.ctx.db.read): Promise<Plan | null> {
    if (id === null) return null;
    return (await this.load(db)).plans.find((p) => p.row.id === id) ?? null;
  }

  /** Column values for a ticket in state `input` under `plan`. */
  columns(plan: Plan | null, input: TicketSlaInput): SlaColumnValues {
    if (!plan) return columnValues(null, null);
    return columnValues(plan.row.id, computeSlaColumns(plan.policy, plan.calendar, input));
  }

  /**
   * Recomputes a ticket's clock columns inside the caller's transaction after its attributes or state changed.
   * `repick` chooses the policy again (priority, service type, model or customer tier changed).
   */
  async refresh(
    trx: Kysely<DB>,
    row: Pick<TicketRow, 'priority' | 'product_model' | 'service_type' | 'status' | 'reported_at' | 'customer_id'> & SlaRowFields,
    repick: boolean,
  ): Promise<SlaColumnValues> {
    let plan: Plan | null;
    if (repick || row.sla_policy_id === null) {
      const customer = await trx.selectFrom('customers').select('tier').where('id', '=', row.customer_id).executeTakeFirst();
      plan = await this.planFor({ priority: row.priority, customerTier: customer?.tier ?? null, productModel: row.product_model, serviceType: row.service_type }, trx);
    } else {
      plan = await this.planById(row.sla_policy_id, trx);
    }
    return this.columns(plan, slaInputOf(row));
  }

  async calendarOf(policyId: number | null): Promise<BusinessCalendar | null> {
    return (await this.planById(policyId))?.calendar ?? null;
  }

  async calendarRows() {
    return (await this.load()).calendars;
  }

  /** The clocks of a ticket for display: due / warn instants, when met, and the state at `now`. */
  clocksOf(
    row: Pick<TicketRow, 'status'> &
      Pick<SlaRowFields, 'sla_policy_id' | DueColumn | 'sla_warn_at' | 'first_responded_at' | 'handling_started_at' | 'first_solution_at' | 'resolved_at' | 'followed_up_at' | 'paused_at'>,
    now: number,
  ) {
    const targets = this.cache?.plans.find((p) => p.row.id === row.sla_policy_id)?.policy.targets;
    const input: ClockProgress = {
      status: row.status as TicketStatus,
      firstRespondedAt: row.first_responded_at,
      handlingStartedAt: row.handling_started_at,
      firstSolutionAt: row.first_solution_at,
      resolvedAt: row.resolved_at,
      followedUpAt: row.followed_up_at,
      pausedAt: row.paused_at,
    };
    const warnAt = parseJson<Record<string, number | null>>(row.sla_warn_at, {});
    return SLA_CLOCKS.filter((c) => row[DUE_COLUMN[c]] !== null).map((c) => {
      const dueAt = row[DUE_COLUMN[c]] as number;
      const met = metAtOf(input, c);
      const running = isRunningOf(input, c, dueAt);
      let state: ClockStateName;
      if (met !== null) state = met > dueAt ? 'breached' : 'met';
      // The solution reached the customer: resolved as far as the team goes, for the customer to confirm.
      else if (c === 'resolve' && input.status === 'pending_confirmation' && input.resolvedAt !== null) state = 'awaiting_customer';
      else if (!running) state = input.pausedAt !== null && input.status === 'waiting_customer' ? 'paused' : 'stopped';
      else if (now > dueAt) state = 'breached';
      else if (warnAt[c] != null && now >= (warnAt[c] as number)) state = 'warning';
      else state = 'ok';
      return { clock: c, target: targets?.[c] ?? null, dueAt, warnAt: warnAt[c] ?? null, metAt: met, state };
    });
  }

  languageName(row: CalendarRow, lang: Language) {
    return lang === 'en' ? row.name_en : row.name_zh;
  }
}


/** The column prefix of each clock's target in `sla_policies` (`<prefix>_amount`, `<prefix>_unit`). */
export const TARGET_COLUMN: Record<SlaClock, 'first_response' | 'start_handling' | 'first_solution' | 'resolve' | 'update_interval' | 'follow_up'> = {
  firstResponse: 'first_response',
  startHandling: 'start_handling',
  firstSolution: 'first_solution',
  resolve: 'resolve',
  nextUpdate: 'update_interval',
  followUp: 'follow_up',
};

const UNITS: readonly string[] = SLA_UNITS;

/** A policy row's targets. An unknown unit (not written by this code) counts as working minutes. */
export function targetsOfRow(row: PolicyRow): SlaTargets {
  const out = {} as SlaTargets;
  for (const c of SLA_CLOCKS) {
    const amount = row[`${TARGET_COLUMN[c]}_amount`];
    const unit = row[`${TARGET_COLUMN[c]}_unit`];
    out[c] = amount === null ? null : { amount, unit: (UNITS.includes(unit) ? unit : 'working_minutes') as SlaUnit };
  }
  return out;
}

type TargetPrefix = (typeof TARGET_COLUMN)[SlaClock];
export type TargetColumns = { [K in TargetPrefix as `${K}_amount`]: number | null } & { [K in TargetPrefix as `${K}_unit`]: string };

/** Columns for the targets given (a clock left out is left alone; `null` removes the target). */
export function targetColumns(targets: Partial<Record<SlaClock, SlaTarget | null>> | undefined): Partial<TargetColumns> {
  const out: Record<string, unknown> = {};
  if (!targets) return out;
  for (const c of SLA_CLOCKS) {
    const t = targets[c];
    if (t === undefined) continue;
    out[`${TARGET_COLUMN[c]}_amount`] = t === null ? null : t.amount;
    out[`${TARGET_COLUMN[c]}_unit`] = t === null ? 'working_minutes' : t.unit;
  }
  return out as Partial<TargetColumns>;
}

/** Columns for a whole set of targets (a new policy). */
export function allTargetColumns(targets: Partial<Record<SlaClock, SlaTarget | null>> = {}): TargetColumns {
  return targetColumns(Object.fromEntries(SLA_CLOCKS.map((c) => [c, targets[c] ?? null]))) as TargetColumns;
}

function toDomainPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority as SlaPolicy['priority'],
    customerTier: row.customer_tier as SlaPolicy['customerTier'],
    productLine: row.product_line,
    serviceType: row.service_type as SlaPolicy['serviceType'],
    calendar: String(row.calendar_id),
    warnAtPercent: row.warn_percent,
    targets: targetsOfRow(row),
  };
}

export function buildCalendar(row: CalendarRow, days: { date: string; kind: string }[]): BusinessCalendar {
  const weekHours = parseJson<WeekHours>(row.week_hours, DEFAULT_WEEK_HOURS);
  const workdayHours = parseJson<MinuteInterval[] | null>(row.workday_hours, null);
  const covered = parseJson<number[]>(row.covered_years, []);
  const holidays = days.filter((d) => d.kind === 'holiday').map((d) => d.date);
  const workdays = days.filter((d) => d.kind === 'workday').map((d) => d.date);
  if (row.kind === 'always') return alwaysOpenCalendar(row.time_zone);
  if (row.kind === 'china') {
    return chinaMainlandCalendar({
      weekHours,
      workdayHours: workdayHours ?? undefined,
      extraHolidays: holidays,
      extraWorkdays: workdays.filter((d) => !holidays.includes(d)),
      extraCoveredYears: covered,
      timeZone: row.time_zone,
    });
  }
  const cal: BusinessCalendar = { timeZone: row.time_zone, weekHours, holidays, workdays, coveredYears: covered };
  if (workdayHours) cal.workdayHours = workdayHours;
  return cal;
}
