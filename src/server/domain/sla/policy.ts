// SLA policies (响应时效): targets per priority × customer tier × product line × service type,
// and the deadlines of a ticket's clocks. Pure.

import type { CustomerTier, Priority, ServiceType, SlaUnit } from '../../../shared/enums.js';
import { alwaysOpenCalendar, type BusinessCalendar } from './calendar.js';
import { addWorkingDays, addWorkingMinutes, addWorkingMs, resumeDeadline, workingMsBetween, type DeadlineResult } from './deadlines.js';

/** One target: an amount in a unit (see SLA_UNITS): `30 working_minutes`, `4 clock_hours`, `3 working_days`. */
export interface SlaTarget {
  amount: number;
  unit: SlaUnit;
}

/**
 * A target per clock; `null` = no target for this clock.
 * - firstResponse: first contact with the customer (受理响应);
 * - startHandling: someone starts working on it (开始处理);
 * - firstSolution: a first solution / plan is given (解决方案);
 * - resolve: resolved (解决);
 * - nextUpdate: a progress update at least every … (进度更新), counted from the last update;
 * - followUp: follow-up call after the resolution (回访), counted from the resolution.
 */
export type SlaTargets = Record<SlaClock, SlaTarget | null>;

export interface SlaPolicy {
  id: number;
  name: string;
  /** Criteria; `null` / absent = any. The most specific matching policy wins. */
  priority?: Priority | null;
  customerTier?: CustomerTier | null;
  productLine?: string | null;
  serviceType?: ServiceType | null;
  /** `'china'`, `'24x7'` or the id of a custom calendar (see `resolveCalendar`). Working units count on it. */
  calendar: 'china' | '24x7' | (string & {});
  targets: SlaTargets;
  /** Warn when this share of a clock's time is used up. Default 80. */
  warnAtPercent?: number;
}

export const DEFAULT_WARN_AT_PERCENT = 80;

/** Clock units count elapsed time, whatever the policy's calendar. */
export const isClockUnit = (unit: SlaUnit): boolean => unit === 'clock_minutes' || unit === 'clock_hours';

/** The target in minutes for minute / hour units (working or clock); `null` for working days. */
export function targetMinutes(t: SlaTarget): number | null {
  switch (t.unit) {
    case 'working_minutes':
    case 'clock_minutes':
      return t.amount;
    case 'working_hours':
    case 'clock_hours':
      return t.amount * 60;
    case 'working_days':
      return null;
  }
}

const target = (amount: number, unit: SlaUnit): SlaTarget => ({ amount, unit });

/**
 * SPEC §4 defaults (seeds 000 §三 and 004), on the China mainland working calendar:
 * - P1: every clock in clock time, 24×7 (the hotline is open 24 h; a severe fault is answered within 30 min):
 *   first response 30 min, start 4 h, first solution 24 h, an update every 12 h;
 * - P2: first response 30 working minutes, start 8 working hours, solution 2 working days, an update every working day;
 * - P3: first response 30 working minutes (phone / online ≤ 30 min), start handling 1 working day, resolved within
 *   3 working days, an update every working day;
 * - for all: the follow-up call (回访) within 1 working day of the resolution.
 */
export const DEFAULT_POLICIES: readonly SlaPolicy[] = Object.freeze([
  {
    id: 1,
    name: 'P1 urgent-important',
    priority: 'P1',
    calendar: 'china',
    warnAtPercent: DEFAULT_WARN_AT_PERCENT,
    targets: {
      firstResponse: target(30, 'clock_minutes'),
      startHandling: target(4, 'clock_hours'),
      firstSolution: target(24, 'clock_hours'),
      resolve: null,
      nextUpdate: target(12, 'clock_hours'),
      followUp: target(1, 'working_days'),
    },
  },
  {
    id: 2,
    name: 'P2 important',
    priority: 'P2',
    calendar: 'china',
    warnAtPercent: DEFAULT_WARN_AT_PERCENT,
    targets: {
      firstResponse: target(30, 'working_minutes'),
      startHandling: target(8, 'working_hours'),
      firstSolution: target(2, 'working_days'),
      resolve: null,
      nextUpdate: target(1, 'working_days'),
      followUp: target(1, 'working_days'),
    },
  },
  {
    id: 3,
    name: 'P3 normal',
    priority: 'P3',
    calendar: 'china',
    warnAtPercent: DEFAULT_WARN_AT_PERCENT,
    targets: {
      firstResponse: target(30, 'working_minutes'),
      startHandling: target(1, 'working_days'),
      firstSolution: null,
      resolve: target(3, 'working_days'),
      nextUpdate: target(1, 'working_days'),
      followUp: target(1, 'working_days'),
    },
  },
]);

export interface PolicyTicket {
  priority: Priority;
  customerTier?: CustomerTier | null;
  productLine?: string | null;
  serviceType?: ServiceType | null;
}

const CRITERIA = ['priority', 'customerTier', 'productLine', 'serviceType'] as const;

/** Number of criteria a policy sets, or -1 if one of them does not match the ticket. */
export function policySpecificity(policy: SlaPolicy, ticket: PolicyTicket): number {
  let n = 0;
  for (const k of CRITERIA) {
    const want = policy[k];
    if (want === null || want === undefined) continue;
    if (ticket[k] !== want) return -1;
    n++;
  }
  return n;
}

/** The matching policy that sets the most criteria; ties go to the lowest id. `null` if none matches. */
export function choosePolicy(policies: readonly SlaPolicy[], ticket: PolicyTicket): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  let bestScore = -1;
  for (const p of policies) {
    const score = policySpecificity(p, ticket);
    if (score < 0) continue;
    if (score > bestScore || (score === bestScore && best !== null && p.id < best.id)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

export const SLA_CLOCKS = ['firstResponse', 'startHandling', 'firstSolution', 'resolve', 'nextUpdate', 'followUp'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

export interface Pause {
  pausedAt: number;
  resumedAt: number;
}

export interface DeadlineInput {
  /** When the customer reached us; the clocks start here (SPEC §2). */
  reportedAt: number;
  /** Last progress update the customer saw; the update clock restarts there. Default: reportedAt. */
  lastUpdateAt?: number | null;
  /** Resolution time; starts the follow-up (回访) clock. */
  resolvedAt?: number | null;
  /** Finished pauses (waiting for the customer). Each moves every clock running at its start. */
  pauses?: readonly Pause[];
}

export interface TicketDeadlines {
  firstResponseDueAt: number | null;
  startHandlingDueAt: number | null;
  firstSolutionDueAt: number | null;
  resolveDueAt: number | null;
  nextUpdateDueAt: number | null;
  followUpDueAt: number | null;
  /** When each clock turns to 'warning' (`warnAtPercent` of its time used, in the target's unit). */
  warnAt: Record<SlaClock, number | null>;
  /** Years without holiday data the computation went through: warn the admin, recompute later. */
  uncoveredYears: number[];
}

// Clock units count on this calendar: elapsed time, pauses moved by their elapsed length.
const ELAPSED = alwaysOpenCalendar();

/**
 * The deadline of one target started at `start`, and the instant it turns to 'warning' (`pct` % of its time used):
 * - working minutes / hours: that much working time of `calendar` (warning: `pct` % of it);
 * - working days: `addWorkingDays` (warning: `pct` % of the working time between the first working instant and the
 *   deadline, so 80 % of "3 working days" from Friday 15:00 is about Tuesday afternoon, not a fraction of a date);
 * - clock minutes / hours: elapsed time (warning: `pct` % of it), whatever the calendar.
 */
export function targetDeadline(calendar: BusinessCalendar, start: number, t: SlaTarget, pct: number = DEFAULT_WARN_AT_PERCENT): { due: DeadlineResult; warn: DeadlineResult } {
  if (!(t.amount >= 0) || !Number.isFinite(t.amount)) throw new RangeError(`SLA target must be ≥ 0, got ${t.amount}`);
  if (t.unit === 'working_days') {
    const due = addWorkingDays(calendar, start, t.amount);
    const from = addWorkingMs(calendar, start, 0).at;
    const warn = addWorkingMs(calendar, from, (workingMsBetween(calendar, from, due.at) * pct) / 100);
    return { due, warn: { at: Math.min(warn.at, due.at), uncoveredYears: warn.uncoveredYears } };
  }
  const minutes = targetMinutes(t)!;
  const cal = isClockUnit(t.unit) ? ELAPSED : calendar;
  return { due: addWorkingMinutes(cal, start, minutes), warn: addWorkingMinutes(cal, start, (minutes * pct) / 100) };
}

/**
 * Deadlines of all clocks of a ticket under `policy`. Working units count on `calendar`, clock units in elapsed time.
 * A pause (waiting for the customer) moves a clock that was running at its start by the time it lasted, measured in
 * the clock's own unit: working time for working minutes, hours and days (the working time left at the pause is left
 * again at the resumption), elapsed time for clock units. The warning instant moves the same way.
 */
export function computeDeadlines(policy: SlaPolicy, calendar: BusinessCalendar, input: DeadlineInput): TicketDeadlines {
  const pct = policy.warnAtPercent ?? DEFAULT_WARN_AT_PERCENT;
  if (!(pct > 0 && pct <= 100)) throw new RangeError(`warnAtPercent must be in (0, 100], got ${pct}`);
  const pauses = [...(input.pauses ?? [])].sort((a, b) => a.pausedAt - b.pausedAt);
  const years = new Set<number>();
  const t = policy.targets;

  const clock = (start: number | null | undefined, tg: SlaTarget | null): { due: number | null; warn: number | null } => {
    if (start === null || start === undefined || tg === null) return { due: null, warn: null };
    const cal = isClockUnit(tg.unit) ? ELAPSED : calendar;
    const shift = (at: number): number => {
      for (const p of pauses) {
        const from = Math.max(p.pausedAt, start); // only the part of a pause after the clock started
        if (p.resumedAt <= from) continue;
        const r = resumeDeadline(cal, at, from, p.resumedAt);
        r.uncoveredYears.forEach((y) => years.add(y));
        at = r.at;
      }
      return at;
    };
    const { due, warn } = targetDeadline(calendar, start, tg, pct);
    due.uncoveredYears.forEach((y) => years.add(y));
    warn.uncoveredYears.forEach((y) => years.add(y));
    return { due: shift(due.at), warn: shift(warn.at) };
  };

  const fr = clock(input.reportedAt, t.firstResponse);
  const sh = clock(input.reportedAt, t.startHandling);
  const fs = clock(input.reportedAt, t.firstSolution);
  const rs = clock(input.reportedAt, t.resolve);
  const up = clock(input.lastUpdateAt ?? input.reportedAt, t.nextUpdate);
  const fu = clock(input.resolvedAt, t.followUp);
  return {
    firstResponseDueAt: fr.due,
    startHandlingDueAt: sh.due,
    firstSolutionDueAt: fs.due,
    resolveDueAt: rs.due,
    nextUpdateDueAt: up.due,
    followUpDueAt: fu.due,
    warnAt: {
      firstResponse: fr.warn,
      startHandling: sh.warn,
      firstSolution: fs.warn,
      resolve: rs.warn,
      nextUpdate: up.warn,
      followUp: fu.warn,
    },
    uncoveredYears: [...years].sort((a, b) => a - b),
  };
}

export type ClockState = 'ok' | 'warning' | 'breached';

/**
 * Countdown colour of a running clock. Breached strictly after `dueAt` (meeting the target at the
 * deadline instant is in time). Warning once `warnAtPercent` of the clock's time is used: of its
 * working time if `calendar` is given (matches `computeDeadlines(…).warnAt` when there were no
 * pauses), of wall-clock time otherwise. With pauses, use `clockStateAt` with the computed warnAt.
 */
export function clockState(
  now: number,
  startedAt: number,
  dueAt: number | null,
  warnAtPercent: number = DEFAULT_WARN_AT_PERCENT,
  calendar?: BusinessCalendar,
): ClockState {
  if (dueAt === null) return 'ok';
  if (now > dueAt) return 'breached';
  const total = calendar ? workingMsBetween(calendar, startedAt, dueAt) : dueAt - startedAt;
  if (total <= 0) return 'warning';
  const used = calendar ? workingMsBetween(calendar, startedAt, now) : now - startedAt;
  return used * 100 >= total * warnAtPercent ? 'warning' : 'ok';
}

/** Countdown colour from precomputed instants (e.g. `computeDeadlines(…).warnAt.resolve`). */
export function clockStateAt(now: number, warnAt: number | null, dueAt: number | null): ClockState {
  if (dueAt === null) return 'ok';
  if (now > dueAt) return 'breached';
  return warnAt !== null && now >= warnAt ? 'warning' : 'ok';
}
