// Inspection plans (巡检, seed 002: at least every six months): the dates of a plan's occurrences and what the sweeper
// must do for one on a given day. Pure; dates are China calendar days (YYYY-MM-DD).
//
// An occurrence's cycle date is always computed from the plan's first date (first + n × interval), never from the
// previous occurrence: moving one occurrence changes its due date only, and the dates after it stay on the cycle
// (ERPNext #23682 shifted every later visit when one was rescheduled).
import { addDays, addMonths } from './warranty.js';

export interface PlanDates {
  firstDate: string;
  intervalMonths: number;
  /** The ticket (and for an on-site plan the dispatcher's sub-task) is created this many days before the due date. */
  leadDays: number;
  /** The plan's engineers are reminded this many days before the due date. */
  remindDays: number;
}

export interface OccurrenceFacts {
  seq: number;
  dueDate: string;
  ticketCreated: boolean;
  reminded: boolean;
  overdueNotified: boolean;
  completed: boolean;
}

export type OccurrenceState = 'scheduled' | 'due' | 'overdue' | 'done';

/** The n-th date of the cycle (n from 0). From the first date each time, so month ends do not drift (Jan 31 → Jul 31). */
export function cycleDate(plan: Pick<PlanDates, 'firstDate' | 'intervalMonths'>, seq: number): string {
  return addMonths(plan.firstDate, plan.intervalMonths * seq);
}

export function ticketDate(plan: Pick<PlanDates, 'leadDays'>, dueDate: string): string {
  return addDays(dueDate, -plan.leadDays);
}

export function reminderDate(plan: Pick<PlanDates, 'remindDays'>, dueDate: string): string {
  return addDays(dueDate, -plan.remindDays);
}

export function occurrenceState(o: Pick<OccurrenceFacts, 'dueDate' | 'ticketCreated' | 'completed'>, today: string): OccurrenceState {
  if (o.completed) return 'done';
  if (today > o.dueDate) return 'overdue';
  return o.ticketCreated ? 'due' : 'scheduled';
}

export interface SweepDecision {
  createTicket: boolean;
  remind: boolean;
  overdue: boolean;
  /** The next day something is left to do for this occurrence, or null when nothing is. */
  nextCheck: string | null;
}

/**
 * What is due for an occurrence on `today`. Each action fires once: the caller records it (ticketCreated, reminded,
 * overdueNotified) and the next sweep of the same day decides nothing more.
 */
export function sweepOccurrence(plan: PlanDates, o: OccurrenceFacts, today: string): SweepDecision {
  if (o.completed) return { createTicket: false, remind: false, overdue: false, nextCheck: null };
  const create = ticketDate(plan, o.dueDate);
  const remind = reminderDate(plan, o.dueDate);
  const overdueOn = addDays(o.dueDate, 1);
  const decision = {
    createTicket: !o.ticketCreated && today >= create,
    remind: !o.reminded && today >= remind && today <= o.dueDate,
    overdue: !o.overdueNotified && today >= overdueOn,
  };
  const pending: string[] = [];
  if (!o.ticketCreated && !decision.createTicket) pending.push(create);
  // A reminder whose day has passed unsent (the date was moved closer) is not sent late: the overdue notice follows.
  if (!o.reminded && !decision.remind && today < remind) pending.push(remind);
  if (!o.overdueNotified && !decision.overdue) pending.push(overdueOn);
  return { ...decision, nextCheck: pending.length ? pending.sort()[0] : null };
}

export type MoveRefusal = 'in_past' | 'after_next_cycle' | 'before_previous_cycle' | 'done';

/**
 * Whether one occurrence may be moved to `dueDate`: not into the past, and it stays between its neighbours on the
 * cycle (so occurrences never change order). Its neighbours' dates do not move.
 */
export function checkMove(plan: Pick<PlanDates, 'firstDate' | 'intervalMonths'>, o: Pick<OccurrenceFacts, 'seq' | 'completed'>, dueDate: string, today: string): MoveRefusal | null {
  if (o.completed) return 'done';
  if (dueDate < today) return 'in_past';
  if (dueDate >= cycleDate(plan, o.seq + 1)) return 'after_next_cycle';
  if (o.seq > 0 && dueDate <= cycleDate(plan, o.seq - 1)) return 'before_previous_cycle';
  return null;
}
