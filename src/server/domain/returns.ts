// Returns and exchanges (退换货 / RMA), take-back repair (拉修) and loaner units (周转机): the pure rules (issue 16).
// The eligibility checklist and the return window, the RMA's status flow, the take-back journey and the loaner's
// states. No IO: modules/returns calls these inside its transactions.

import { CHECKLIST_ITEMS, RMA_ACTIONS, type ChecklistItem, type LoanerState, type RmaAction, type RmaKind, type RmaStatus, TAKE_BACK_STEPS, type TakeBackStep } from '../../shared/returns-vocab.js';

export { CHECKLIST_ITEMS, LOANER_STATES, RMA_ACTIONS, RMA_KINDS, RMA_STATUSES, TAKE_BACK_STEPS } from '../../shared/returns-vocab.js';
export type { ChecklistItem, LoanerState, RmaAction, RmaKind, RmaStatus, TakeBackStep } from '../../shared/returns-vocab.js';

/**
 * requested → approved | rejected | cancelled; approved → in_transit (the customer shipped it) → received (into the
 * returns location; also straight from approved when it is handed in); received → the outcome: a return is refunded
 * and completed, an exchange or repair is resolved and then shipped back → completed (delivered).
 */
const FROM: Record<RmaAction, readonly RmaStatus[]> = {
  approve: ['requested'],
  reject: ['requested'],
  cancel: ['requested', 'approved'],
  ship_in: ['approved'],
  receive: ['approved', 'in_transit'],
  outcome: ['received'],
  ship_out: ['resolved'],
  complete: ['shipped_back'],
};

/** The status an action leads to from `status` for an RMA of `kind`, or null when the action is not allowed now. */
export function rmaNext(kind: RmaKind, status: RmaStatus, action: RmaAction): RmaStatus | null {
  if (!FROM[action].includes(status)) return null;
  switch (action) {
    case 'approve':
      return 'approved';
    case 'reject':
      return 'rejected';
    case 'cancel':
      return 'cancelled';
    case 'ship_in':
      return 'in_transit';
    case 'receive':
      return 'received';
    // A refund ends a return; goods an exchange or repair sends back still have to travel.
    case 'outcome':
      return kind === 'return' ? 'completed' : 'resolved';
    case 'ship_out':
      return 'shipped_back';
    case 'complete':
      return 'completed';
  }
}

export function rmaIsOpen(status: RmaStatus): boolean {
  return status !== 'completed' && status !== 'rejected' && status !== 'cancelled';
}

/** The customer ships the goods to us only after approval, and we have them once received. */
export function actionsFor(kind: RmaKind, status: RmaStatus): RmaAction[] {
  return RMA_ACTIONS.filter((a) => rmaNext(kind, status, a) !== null);
}

// ------------------------------------------------------------ the return window

/** Each checklist item answered yes (true), no (false) or not yet checked (null). */
export type Checklist = Record<ChecklistItem, boolean | null>;

export interface ReturnWindow {
  /** The purchase date the window counts from (YYYY-MM-DD), null when unknown. */
  purchaseDate: string | null;
  days: number | null;
  /** The last day goods may be returned (purchase date + days), null when it cannot be computed. */
  lastDay: string | null;
  /** Days left counting today (0 = today is the last day; negative = passed). */
  daysLeft: number | null;
  within: boolean | null;
}

const DAY = 86_400_000;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
}

function dateOf(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/**
 * The product's return window from the purchase date: 7 days bought on 2026-11-01 end on 2026-11-08 (the day of purchase
 * is day 0, as the 7-day no-reason return counts from the day after delivery). Unknown purchase date or no window on the
 * product: `within` is null — staff decide, with a reason.
 */
export function returnWindow(purchaseDate: string | null, days: number | null, today: string): ReturnWindow {
  if (!purchaseDate || days === null || days === undefined) return { purchaseDate, days: days ?? null, lastDay: null, daysLeft: null, within: null };
  const last = dayNumber(purchaseDate) + days;
  const left = last - dayNumber(today);
  return { purchaseDate, days, lastDay: dateOf(last), daysLeft: left, within: left >= 0 };
}

/** The window that decides for several items: the one that ends first (one late item makes the request late). */
export function earliestWindow(windows: ReturnWindow[]): ReturnWindow {
  let worst: ReturnWindow | null = null;
  for (const w of windows) {
    if (w.within === null) {
      if (!worst) worst = w;
      continue;
    }
    if (!worst || worst.within === null || (w.daysLeft ?? 0) < (worst.daysLeft ?? 0)) worst = w;
  }
  return worst ?? { purchaseDate: null, days: null, lastDay: null, daysLeft: null, within: null };
}

/** Repairs are not bounded by the return window (warranty decides what they cost); returns and exchanges are. */
export function windowApplies(kind: RmaKind): boolean {
  return kind !== 'repair';
}

export interface Eligibility {
  /** Every checklist item answered. */
  complete: boolean;
  /** Items answered "no". */
  failed: ChecklistItem[];
  /** Items not answered yet. */
  missing: ChecklistItem[];
  windowPassed: boolean;
  /** All yes and inside the window (or the window does not apply). */
  eligible: boolean;
}

export function eligibility(kind: RmaKind, checklist: Checklist, window: ReturnWindow): Eligibility {
  const failed = CHECKLIST_ITEMS.filter((i) => checklist[i] === false);
  const missing = CHECKLIST_ITEMS.filter((i) => checklist[i] === null);
  const windowPassed = windowApplies(kind) && window.within === false;
  return { complete: missing.length === 0, failed, missing, windowPassed, eligible: missing.length === 0 && failed.length === 0 && !windowPassed };
}

export type ApprovalRefusal = 'checklist_incomplete' | 'reason_required';

/**
 * A supervisor approves once every item is checked; approving what is not eligible (a "no", the window passed) is an
 * exception the supervisor must explain. Rejecting always needs the reason (the customer is told).
 */
export function approvalRefusal(decision: 'approve' | 'reject', e: Eligibility, reason: string | null | undefined): ApprovalRefusal | null {
  const hasReason = !!reason?.trim();
  if (decision === 'reject') return hasReason ? null : 'reason_required';
  if (!e.complete) return 'checklist_incomplete';
  if (!e.eligible && !hasReason) return 'reason_required';
  return null;
}

export type OutcomeRefusal = 'refund_required' | 'refund_not_allowed' | 'replacement_required' | 'replacement_not_allowed';

/** What each kind's outcome carries: a refund amount for a return, the new serial for an exchange, nothing for a repair. */
export function outcomeRefusal(kind: RmaKind, o: { refundFen?: number | null; replacements?: number }): OutcomeRefusal | null {
  const hasRefund = o.refundFen !== undefined && o.refundFen !== null;
  const hasReplacement = (o.replacements ?? 0) > 0;
  if (kind === 'return') return hasRefund ? (hasReplacement ? 'replacement_not_allowed' : null) : 'refund_required';
  if (hasRefund) return 'refund_not_allowed';
  if (kind === 'exchange') return hasReplacement ? null : 'replacement_required';
  return hasReplacement ? 'replacement_not_allowed' : null;
}

// ------------------------------------------------------------ take-back repair (拉修)

/** The journey goes forward one step at a time: collected → at workshop → repaired → returned. */
export function takeBackNext(current: TakeBackStep, step: TakeBackStep): boolean {
  return TAKE_BACK_STEPS.indexOf(step) === TAKE_BACK_STEPS.indexOf(current) + 1;
}

// ------------------------------------------------------------ loaners (周转机)

/** Lent only through a loan and back only by its return; staff move the rest (a repair, retiring one). */
const LOANER_MOVES: Record<LoanerState, readonly LoanerState[]> = {
  available: ['in_repair', 'retired'],
  lent: [],
  in_repair: ['available', 'retired'],
  retired: [],
};

export function loanerStateChange(from: LoanerState, to: LoanerState): boolean {
  return LOANER_MOVES[from].includes(to);
}

/** A loan is overdue from the day after its due date (China days) while the unit is still out. */
export function loanOverdue(dueDate: string, returned: boolean, today: string): boolean {
  return !returned && today > dueDate;
}
