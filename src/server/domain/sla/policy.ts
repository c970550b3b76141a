// SLA policies (响应时效): targets per priority × customer tier × product line × service type,
// and the deadlines of a ticket's clocks. Pure.

import type { CustomerTier, Priority, ServiceType } from '../../../shared/enums.js';
import type { BusinessCalendar } from './calendar.js';
import { addWorkingMinutes, resumeDeadline, workingMsBetween } from './deadlines.js';

/** Working minutes per clock; `null` = no target for this clock. */
export interface SlaTargets {
  /** First contact with the customer (受理响应). */
  firstResponseMinutes: number | null;
  /** Someone starts working on it (开始处理). */
  startHandlingMinutes: number | null;
  /** A first solution / plan is given (解决方案). */
  firstSolutionMinutes: number | null;
  /** Resolved (解决). */
  resolveMinutes: number | null;
  /** A progress update at least every … (进度更新). */
  updateIntervalMinutes: number | null;
  /** Follow-up call after resolution (回访), counted from the resolution. */
  followUpMinutes: number | null;
}

export interface SlaPolicy {
  id: number;
  name: string;
  /** Criteria; `null` / absent = any. The most specific matching policy wins. */
  priority?: Priority | null;
  customerTier?: CustomerTier | null;
  productLine?: string | null;
  serviceType?: ServiceType | null;
  /** `'china'`, `'24x7'` or the id of a custom calendar (see `resolveCalendar`). */
  calendar: 'china' | '24x7' | (string & {});
  targets: SlaTargets;
  /** Warn when this share of a clock's working time is used up. Default 80. */
  warnAtPercent?: number;
}

export const DEFAULT_WARN_AT_PERCENT = 80;

const H = 60;

/**
 * SPEC §4 defaults, all on the China mainland working calendar ('24×7 for P1 if configured':
 * an admin switches P1 to '24x7' when the team is staffed for it).
 * - first response: 30 min for P1 and P2 (phone / online response ≤ 30 min, severe fault ≤ 30 min);
 *   P3 "respond within 24 h".
 * - P1 start 4 h / solution 24 h / update every 12 h; P2 8 h / 48 h / 24 h;
 *   P3 respond (= start handling) 24 h / resolve 72 h / update 24 h.
 * - follow-up call within 24 h of the resolution for all.
 */
export const DEFAULT_POLICIES: readonly SlaPolicy[] = Object.freeze([
  {
    id: 1,
    name: 'P1 urgent-important',
    priority: 'P1',
    calendar: 'china',
    warnAtPercent: DEFAULT_WARN_AT_PERCENT,
    targets: {
      firstResponseMinutes: 30,
      startHandlingMinutes: 4 * H,
      firstSolutionMinutes: 24 * H,
      resolveMinutes: null,
      updateIntervalMinutes: 12 * H,
      followUpMinutes: 24 * H,
    },
  },
  {
    id: 2,
    name: 'P2 important',
    priority: 'P2',
    calendar: 'china',
    warnAtPercent: DEFAULT_WARN_AT_PERCENT,
    targets: {
      firstResponseMinutes: 30,
      startHandlingMinutes: 8 * H,
      firstSolutionMinutes: 48 * H,
      resolveMinutes: null,
      updateIntervalMinutes: 24 * H,
      followUpMinutes: 24 * H,
    },
  },
  {
    id: 3,
    name: 'P3 normal',
    priority: 'P3',
    calendar: 'china',
    warnAtPercent: DEFAULT_WARN_AT_PERCENT,
    targets: {
      firstResponseMinutes: 24 * H,
      startHandlingMinutes: 24 * H,
      firstSolutionMinutes: null,
      resolveMinutes: 72 * H,
      updateIntervalMinutes: 24 * H,
      followUpMinutes: 24 * H,
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
  /** When each clock turns to 'warning' (`warnAtPercent` of its working time used). */
  warnAt: Record<SlaClock, number | null>;
  /** Years without holiday data the computation went through: warn the admin, recompute later. */
  uncoveredYears: number[];
}

/** Deadlines of all clocks of a ticket under `policy`, counted in working time of `calendar`. */
export function computeDeadlines(policy: SlaPolicy, calendar: BusinessCalendar, input: DeadlineInput): TicketDeadlines {
  const pct = policy.warnAtPercent ?? DEFAULT_WARN_AT_PERCENT;
  if (!(pct > 0 && pct <= 100)) throw new RangeError(`warnAtPercent must be in (0, 100], got ${pct}`);
  const pauses = [...(input.pauses ?? [])].sort((a, b) => a.pausedAt - b.pausedAt);
  const years = new Set<number>();
  const t = policy.targets;

  const clock = (start: number | null | undefined, minutes: number | null): { due: number | null; warn: number | null } => {
    if (start === null || start === undefined || minutes === null) return { due: null, warn: null };
    if (!(minutes >= 0)) throw new RangeError(`SLA target must be ≥ 0 minutes, got ${minutes}`);
    const shift = (at: number): number => {
      for (const p of pauses) {
        const from = Math.max(p.pausedAt, start); // only the part of a pause after the clock started
        if (p.resumedAt <= from) continue;
        const r = resumeDeadline(calendar, at, from, p.resumedAt);
        r.uncoveredYears.forEach((y) => years.add(y));
        at = r.at;
      }
      return at;
    };
    const due = addWorkingMinutes(calendar, start, minutes);
    const warn = addWorkingMinutes(calendar, start, (minutes * pct) / 100);
    due.uncoveredYears.forEach((y) => years.add(y));
    warn.uncoveredYears.forEach((y) => years.add(y));
    return { due: shift(due.at), warn: shift(warn.at) };
  };

  const fr = clock(input.reportedAt, t.firstResponseMinutes);
  const sh = clock(input.reportedAt, t.startHandlingMinutes);
  const fs = clock(input.reportedAt, t.firstSolutionMinutes);
  const rs = clock(input.reportedAt, t.resolveMinutes);
  const up = clock(input.lastUpdateAt ?? input.reportedAt, t.updateIntervalMinutes);
  const fu = clock(input.resolvedAt, t.followUpMinutes);
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
