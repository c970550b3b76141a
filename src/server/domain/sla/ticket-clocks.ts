// A ticket's clocks as stored columns, and what the sweeper must do about them at a given instant. Pure.
import type { TicketStatus } from '../../../shared/enums.js';
import type { BusinessCalendar } from './calendar.js';
import { addWorkingMinutes } from './deadlines.js';
import { computeDeadlines, isClockUnit, SLA_CLOCKS, type Pause, type SlaClock, type SlaPolicy } from './policy.js';

export const CLOCK_BIT: Record<SlaClock, number> = {
  firstResponse: 1,
  startHandling: 2,
  firstSolution: 4,
  resolve: 8,
  nextUpdate: 16,
  followUp: 32,
};

/** Breaches of these clocks escalate to the department manager; a late update or follow-up only notifies. */
export const ESCALATING_CLOCKS: readonly SlaClock[] = ['firstResponse', 'startHandling', 'firstSolution', 'resolve'];

export interface EscalationPolicy {
  /** Minutes after a breach before level 1 (0 = at once). */
  escalateAfterMinutes: number;
  /** Minutes the manager has to acknowledge before level 2 (SPEC §7: 4 h). */
  managerAckMinutes: number;
  /**
   * The minutes above are elapsed time, not working time: a policy whose escalating clocks all count clock time (P1
   * on the 24×7 hotline, seed 004) escalates on the same clock, so a manager paged on Saturday night must answer
   * that night, not on Monday afternoon. See `escalationInClockTime`.
   */
  clockTime?: boolean;
}

/** A policy escalates in clock time when every escalating target it sets counts clock time. */
export function escalationInClockTime(policy: SlaPolicy): boolean {
  const targets = ESCALATING_CLOCKS.map((c) => policy.targets[c]).filter((t) => t !== null);
  return targets.length > 0 && targets.every((t) => isClockUnit(t.unit));
}

/** The deadline `minutes` after `now` on the escalation's own clock (see EscalationPolicy.clockTime). */
export function escalationDeadline(escalation: EscalationPolicy, calendar: BusinessCalendar, now: number, minutes: number): number {
  if (minutes === 0) return now;
  return escalation.clockTime ? now + Math.round(minutes * 60_000) : addWorkingMinutes(calendar, now, minutes).at;
}

export interface TicketSlaInput {
  status: TicketStatus;
  reportedAt: number;
  firstRespondedAt: number | null;
  handlingStartedAt: number | null;
  firstSolutionAt: number | null;
  resolvedAt: number | null;
  lastUpdateAt: number | null;
  followedUpAt: number | null;
  /** Set while waiting for the customer: every clock but the follow-up is frozen. */
  pausedAt: number | null;
  pauses: readonly Pause[];
  warned: number;
  breached: number;
  escalateAt: number | null;
  escalationLevel: number;
  escalationAckDueAt: number | null;
  escalationAckedAt: number | null;
}

/** The clock state of a ticket just registered: nothing met, nothing paused, nothing fired. */
export function freshClockState(status: TicketStatus, reportedAt: number): TicketSlaInput {
  return {
    status,
    reportedAt,
    firstRespondedAt: null,
    handlingStartedAt: null,
    firstSolutionAt: null,
    resolvedAt: null,
    lastUpdateAt: null,
    followedUpAt: null,
    pausedAt: null,
    pauses: [],
    warned: 0,
    breached: 0,
    escalateAt: null,
    escalationLevel: 0,
    escalationAckDueAt: null,
    escalationAckedAt: null,
  };
}

export interface SlaColumns {
  dueAt: Record<SlaClock, number | null>;
  warnAt: Record<SlaClock, number | null>;
  uncoveredYears: number[];
  /** Nearest deadline of a running clock (overdue ones included): the queue sorts by it. */
  nextDueAt: number | null;
  /** Next instant the sweeper has work on this ticket (warning, breach, escalation); null = none. */
  slaCheckAt: number | null;
}

/** When a clock's target was met, or null. Starting to handle a ticket also answers the customer. */
/** What the met/running state of a clock depends on: a queue row needs only this, not the whole clock state. */
export type ClockProgress = Pick<TicketSlaInput, 'status' | 'firstRespondedAt' | 'handlingStartedAt' | 'firstSolutionAt' | 'resolvedAt' | 'followedUpAt' | 'pausedAt'>;

export function metAt(input: ClockProgress, clock: SlaClock): number | null {
  switch (clock) {
    case 'firstResponse':
      return minOf(input.firstRespondedAt, input.handlingStartedAt);
    case 'startHandling':
      return input.handlingStartedAt;
    case 'firstSolution':
      return input.firstSolutionAt;
    case 'resolve':
      // Resolution is the customer's to confirm (SPEC §8): until they do, the solution they hold is not yet "met".
      return input.status === 'pending_confirmation' ? null : input.resolvedAt;
    case 'nextUpdate':
      return null;
    case 'followUp':
      return input.followedUpAt;
  }
}

/** A clock runs while its target is unmet, the ticket still needs it, and nobody waits for the customer. */
export function isRunning(input: ClockProgress, clock: SlaClock, dueAt: number | null): boolean {
  if (dueAt === null || metAt(input, clock) !== null) return false;
  if (input.status === 'cancelled') return false;
  // The follow-up call is due after a resolution the customer has (or is about to have) accepted; a reopened
  // ticket is not resolved any more.
  if (clock === 'followUp') return input.resolvedAt !== null && (input.status === 'pending_confirmation' || input.status === 'closed');
  if (input.status === 'closed') return false;
  // No updates are owed while the customer weighs a resolution; a ticket they reopened owes them again (SPEC §6:
  // a missed update is a breach), counted from the reopening, which is itself an update.
  // While the customer weighs a resolution, only they can move the ticket: no clock of the team's runs (the resolve
  // clock stopped when the solution reached them; see afterStatusChange for what a rejection does).
  if (input.status === 'pending_confirmation') return false;
  return input.pausedAt === null;
}

function minOf(...xs: (number | null | undefined)[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (x !== null && x !== undefined && (m === null || x < m)) m = x;
  return m;
}

export function computeSlaColumns(policy: SlaPolicy, calendar: BusinessCalendar, input: TicketSlaInput): SlaColumns {
  const d = computeDeadlines(policy, calendar, {
    reportedAt: input.reportedAt,
    lastUpdateAt: input.lastUpdateAt,
    resolvedAt: input.resolvedAt,
    pauses: input.pauses,
  });
  // Whole milliseconds: instants are stored in integer (bigint) columns, and 80 % of a target can leave a fraction.
  const whole = (x: number | null) => (x === null ? null : Math.round(x));
  const dueAt: Record<SlaClock, number | null> = {
    firstResponse: whole(d.firstResponseDueAt),
    startHandling: whole(d.startHandlingDueAt),
    firstSolution: whole(d.firstSolutionDueAt),
    resolve: whole(d.resolveDueAt),
    nextUpdate: whole(d.nextUpdateDueAt),
    followUp: whole(d.followUpDueAt),
  };
  const warnAt = Object.fromEntries(SLA_CLOCKS.map((c) => [c, whole(d.warnAt[c])])) as Record<SlaClock, number | null>;
  let nextDueAt: number | null = null;
  const checks: (number | null)[] = [];
  for (const c of SLA_CLOCKS) {
    if (!isRunning(input, c, dueAt[c])) continue;
    const due = dueAt[c]!;
    // An overdue clock keeps its place: sorted by deadline, the most overdue ticket comes first.
    nextDueAt = minOf(nextDueAt, due);
    if (!(input.warned & CLOCK_BIT[c]) && warnAt[c] !== null) checks.push(warnAt[c]);
    // Breached strictly after the deadline: meeting the target at the deadline instant is in time.
    else if (!(input.breached & CLOCK_BIT[c])) checks.push(due + 1);
  }
  if (input.escalationLevel === 0 && input.escalateAt !== null) checks.push(input.escalateAt);
  if (input.escalationLevel === 1 && input.escalationAckedAt === null && input.escalationAckDueAt !== null) checks.push(input.escalationAckDueAt);
  return { dueAt, warnAt, uncoveredYears: d.uncoveredYears, nextDueAt, slaCheckAt: minOf(...checks) };
}

export type SweepAction =
  | { kind: 'warning'; clock: SlaClock; dueAt: number }
  | { kind: 'breach'; clock: SlaClock; dueAt: number }
  | { kind: 'escalate'; level: 1 | 2; reason: 'breach' | 'ack_overdue'; clock?: SlaClock };

export interface SweepResult {
  actions: SweepAction[];
  /** The input with the fired flags and escalation fields updated (recompute columns from it). */
  next: TicketSlaInput;
}

/**
 * What is due on a ticket at `now`: each clock's warning and breach once (flags), the first escalation a
 * configured delay after an escalating breach, the second when the manager has not acknowledged in time.
 */
export function sweepTicket(
  input: TicketSlaInput,
  columns: SlaColumns,
  escalation: EscalationPolicy,
  calendar: BusinessCalendar,
  now: number,
): SweepResult {
  const actions: SweepAction[] = [];
  const next: TicketSlaInput = { ...input };
  for (const c of SLA_CLOCKS) {
    const due = columns.dueAt[c];
    if (!isRunning(input, c, due)) continue;
    const warnAt = columns.warnAt[c];
    if (!(next.warned & CLOCK_BIT[c]) && warnAt !== null && warnAt <= now) {
      next.warned |= CLOCK_BIT[c];
      // A breach found at the same pass makes the warning moot; still mark it so it never fires later.
      if (!(due! < now)) actions.push({ kind: 'warning', clock: c, dueAt: due! });
    }
    if (!(next.breached & CLOCK_BIT[c]) && due! < now) {
      next.breached |= CLOCK_BIT[c];
      next.warned |= CLOCK_BIT[c];
      actions.push({ kind: 'breach', clock: c, dueAt: due! });
      if (ESCALATING_CLOCKS.includes(c) && next.escalationLevel === 0 && next.escalateAt === null) {
        next.escalateAt = escalationDeadline(escalation, calendar, now, escalation.escalateAfterMinutes);
      }
    }
  }
  if (next.escalationLevel === 0 && next.escalateAt !== null && next.escalateAt <= now) {
    const clock = actions.find((a) => a.kind === 'breach' && ESCALATING_CLOCKS.includes(a.clock));
    actions.push({ kind: 'escalate', level: 1, reason: 'breach', clock: clock?.kind === 'breach' ? clock.clock : undefined });
    next.escalationLevel = 1;
    next.escalateAt = null;
    next.escalationAckedAt = null;
    next.escalationAckDueAt = escalationDeadline(escalation, calendar, now, escalation.managerAckMinutes);
  } else if (next.escalationLevel === 1 && next.escalationAckedAt === null && next.escalationAckDueAt !== null && next.escalationAckDueAt <= now) {
    actions.push({ kind: 'escalate', level: 2, reason: 'ack_overdue' });
    next.escalationLevel = 2;
    next.escalationAckDueAt = null;
  }
  return { actions, next };
}

/** A public progress update restarts the update clock: its warning and breach may fire again. */
export function afterProgressUpdate(input: TicketSlaInput, at: number): TicketSlaInput {
  return {
    ...input,
    lastUpdateAt: at,
    warned: input.warned & ~CLOCK_BIT.nextUpdate,
    breached: input.breached & ~CLOCK_BIT.nextUpdate,
  };
}

/**
 * The clock bookkeeping of a status change: starting work answers the customer and starts handling; waiting
 * for the customer pauses every clock but the follow-up; an approved solution (it now reaches the customer: seed 001
 * "审核通过后 … 同步解决方案", and the targets say 给出, given to the customer) meets the solution clock — a
 * solution waiting for review has not been given yet, so that clock keeps running through the review — and it, or
 * closing, stops the resolve clock at that instant — shown as
 * awaiting the customer until they confirm (met at that instant) or reject it (it runs again, see below). Every
 * status change is an update the customer sees.
 */
export function afterStatusChange(input: TicketSlaInput, from: TicketStatus, to: TicketStatus, at: number): TicketSlaInput {
  let next: TicketSlaInput = { ...input, status: to };
  if (from === 'waiting_customer' && input.pausedAt !== null) {
    next.pauses = [...input.pauses, { pausedAt: input.pausedAt, resumedAt: Math.max(at, input.pausedAt) }];
    next.pausedAt = null;
  }
  if (to === 'waiting_customer') next.pausedAt = at;
  if (to === 'in_progress') {
    next.handlingStartedAt ??= at;
    next.firstRespondedAt ??= at;
  }
  if (to === 'pending_confirmation' || to === 'closed') {
    next.firstSolutionAt ??= at;
    next.resolvedAt ??= at;
  }
  // A rejected (or reopened) resolution was not one: the resolve clock runs again, and the time the customer held the
  // solution (or the ticket stayed closed) is a pause, as waiting for the customer is.
  if (to === 'reopened' && input.resolvedAt !== null) {
    next.pauses = [...next.pauses, { pausedAt: input.resolvedAt, resumedAt: Math.max(at, input.resolvedAt) }];
    next.resolvedAt = null;
  }
  if (to !== 'cancelled') next = afterProgressUpdate(next, at);
  return next;
}

/** The latest instant a clock may show without a deadline: sorts after every real deadline. */
export const NO_DEADLINE = 8_640_000_000_000_000;
