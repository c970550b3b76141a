// SLA clocks as the console shows them: the live state of each clock at a given instant (the browser ticks every
// second; the server's last word is a floor), which clock a queue row counts down, and durations in words.
import { IMPROVEMENT_PLAN_STATUSES, type ClockStateName, type SlaClockName, type TicketStatus } from '../../../shared/enums.js';
import type { SlaClockView, SlaTarget, TicketSla } from '../../api/types.js';

export type CountdownState = 'ok' | 'warning' | 'breached' | 'paused';
type RunningState = 'ok' | 'warning' | 'breached';

const RANK: Record<RunningState, number> = { ok: 0, warning: 1, breached: 2 };
const isRunningState = (s: ClockStateName): s is RunningState => s === 'ok' || s === 'warning' || s === 'breached';

/** A clock still counting: target not met, and the server did not report it paused or stopped. */
export function isRunning(c: Pick<SlaClockView, 'metAt' | 'state'>): boolean {
  return c.metAt === null && isRunningState(c.state);
}

const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

/**
 * The state of one clock at `now`. Met, paused and stopped clocks keep the server's state (a target met late is
 * 'breached'); a running one is worked out from its warn / due instants — never less severe than what the server said
 * when the data was loaded (the server may know it is later than the browser thinks).
 */
export function liveClockState(c: Pick<SlaClockView, 'metAt' | 'state' | 'dueAt' | 'warnAt'>, now: number): ClockStateName {
  if (!isRunning(c)) return c.state;
  const due = ms(c.dueAt);
  const warn = ms(c.warnAt);
  const local: RunningState = now > due ? 'breached' : Number.isFinite(warn) && now >= warn ? 'warning' : 'ok';
  const server = c.state as RunningState;
  return RANK[server] > RANK[local] ? server : local;
}

/** What a queue row can count down: an SLA clock, or the improvement plan owed after a dissatisfied customer. */
export type CountdownClock = SlaClockName | 'improvement';

/** The improvement plan's deadline while it is owed, else null. */
export function owedImprovement(ticket: { status: string; improvementDueAt: string | null }): string | null {
  return ticket.improvementDueAt && IMPROVEMENT_PLAN_STATUSES.includes(ticket.status as TicketStatus) ? ticket.improvementDueAt : null;
}

/** A clock or the improvement plan, as a queue row weighs them. */
type Countable = Omit<SlaClockView, 'clock'> & { clock: CountdownClock };

export interface QueueCountdown {
  clock: CountdownClock;
  dueAt: string;
  state: CountdownState;
  /** dueAt − now: negative once overdue. */
  remainingMs: number;
}

/**
 * What a queue row shows: the most overdue running clock if one is overdue (a breach stays red until its target is
 * met), otherwise the nearest running deadline (`sla.nextDueAt`, named by the clock due at that instant); grey
 * "paused" while the ticket waits for the customer. `improvementDueAt` (see owedImprovement), the 24-hour improvement
 * plan of a reopened ticket, counts like a running clock without a warning time: a reopened ticket whose clocks are
 * all met still has that deadline, and the row shows it instead of nothing.
 */
export function queueCountdown(sla: TicketSla | null | undefined, now: number, improvementDueAt: string | null = null): QueueCountdown | null {
  const improvement: Countable | null = improvementDueAt ? { clock: 'improvement', target: null, dueAt: improvementDueAt, warnAt: null, metAt: null, state: 'ok' } : null;
  const at = (c: Countable): QueueCountdown => {
    const state = liveClockState(c, now);
    return { clock: c.clock, dueAt: c.dueAt, state: state === 'paused' ? 'paused' : (state as CountdownState), remainingMs: ms(c.dueAt) - now };
  };
  const byDue = (a: Countable, b: Countable) => ms(a.dueAt) - ms(b.dueAt);
  if (!sla) return improvement ? at(improvement) : null;
  if (sla.paused) {
    const paused = sla.clocks.filter((c) => c.state === 'paused' || isRunning(c)).sort(byDue)[0];
    return paused ? { ...at(paused), state: 'paused' } : null;
  }
  const running: Countable[] = sla.clocks.filter(isRunning);
  if (improvement) running.push(improvement);
  const overdue = running.filter((c) => liveClockState(c, now) === 'breached').sort(byDue)[0];
  if (overdue) return at(overdue);
  const next = sla.nextDueAt ? ms(sla.nextDueAt) : NaN;
  const named = Number.isFinite(next) ? running.find((c) => ms(c.dueAt) === next) : undefined;
  const nearest = named ?? running.sort(byDue)[0];
  return nearest ? at(nearest) : null;
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function durationParts(msAbs: number): DurationParts {
  const total = Math.floor(Math.abs(msAbs) / 1000);
  return {
    days: Math.floor(total / 86400),
    hours: Math.floor((total % 86400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

type Translate = (key: string, opts?: Record<string, unknown>) => string;

/** A target in words with its unit: "30 工作分钟", "4 小时（自然时）", "3 个工作日"; "—" when the clock is not tracked. */
export function formatTarget(target: SlaTarget | null | undefined, t: Translate): string {
  return target ? t(`sla.unit.${target.unit}`, { count: target.amount }) : '—';
}

/**
 * "2小时15分" / "2h 15m": two units, the larger first; seconds only under an hour (the countdown ticks visibly when
 * it matters).
 */
export function formatDuration(msValue: number, t: Translate): string {
  const p = durationParts(msValue);
  if (p.days > 0) return t('sla.duration.dh', { d: p.days, h: p.hours });
  if (p.hours > 0) return t('sla.duration.hm', { h: p.hours, m: p.minutes });
  if (p.minutes > 0) return t('sla.duration.ms', { m: p.minutes, s: String(p.seconds).padStart(2, '0') });
  return t('sla.duration.s', { s: p.seconds });
}

/** Text of a countdown: "剩余 2小时15分", "已超时 2小时15分", "已暂停". */
export function countdownText(state: CountdownState | ClockStateName, remainingMs: number, t: Translate): string {
  if (state === 'paused') return t('sla.state.paused');
  if (state === 'breached') return remainingMs < 0 ? t('sla.overdueBy', { duration: formatDuration(remainingMs, t) }) : t('sla.state.breached');
  return t('sla.remaining', { duration: formatDuration(remainingMs, t) });
}
