// The ticket state machine: which status may follow which, and who may make each move. Pure: no IO.
import { OPEN_STATUSES, type Role, type TicketStatus } from '../../shared/enums.js';

const NEXT: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'waiting_customer', 'cancelled'],
  assigned: ['in_progress', 'waiting_customer', 'new', 'cancelled'],
  in_progress: ['waiting_customer', 'pending_review', 'cancelled'],
  waiting_customer: ['in_progress', 'cancelled'],
  pending_review: ['pending_confirmation', 'in_progress'],
  // The customer's verdict: satisfied closes (complaint or not), not satisfied reopens. The second review (二次复核)
  // of an unsatisfied complaint runs beside the rework (domain/review.ts), not as a status.
  pending_confirmation: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['assigned', 'in_progress', 'waiting_customer', 'cancelled'],
  cancelled: [],
};

const STAFF: readonly Role[] = ['agent', 'supervisor', 'engineer', 'dispatcher', 'manager', 'director', 'admin'];
const REVIEWERS: readonly Role[] = ['supervisor', 'manager', 'director', 'admin'];
const CANCELLERS: readonly Role[] = ['agent', 'supervisor', 'dispatcher', 'manager', 'director', 'admin'];

/** Who may make a move. Reviewing a solution is the supervisor's job (SPEC §8); the customer confirms their own. */
function mayMove(role: Role, from: TicketStatus, to: TicketStatus): boolean {
  if (role === 'qa') return false;
  // The customer's verdict: satisfied closes, unsatisfied reopens.
  if (role === 'customer') return from === 'pending_confirmation' && (to === 'closed' || to === 'reopened');
  if (to === 'cancelled') return CANCELLERS.includes(role);
  if (from === 'pending_review') return REVIEWERS.includes(role);
  return STAFF.includes(role);
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return NEXT[from].includes(to);
}

export type TransitionCheck = { ok: true } | { ok: false; reason: 'invalid_transition' | 'forbidden' | 'assignee_required' };

export function checkTransition(input: {
  from: TicketStatus;
  to: TicketStatus;
  role: Role;
  hasAssignee: boolean;
}): TransitionCheck {
  if (!canTransition(input.from, input.to)) return { ok: false, reason: 'invalid_transition' };
  if (!mayMove(input.role, input.from, input.to)) return { ok: false, reason: 'forbidden' };
  if (input.to === 'assigned' && !input.hasAssignee) return { ok: false, reason: 'assignee_required' };
  return { ok: true };
}

export function allowedTransitions(from: TicketStatus, role: Role): TicketStatus[] {
  return NEXT[from].filter((to) => mayMove(role, from, to) && !needsWorkflowAction(from, to));
}

/**
 * Moves that only a workflow action may make, so that its record exists: a solution is submitted
 * (→ pending_review), reviewed (pending_review →), and confirmed by the customer (pending_confirmation →).
 */
export function needsWorkflowAction(from: TicketStatus, to: TicketStatus): boolean {
  return to === 'pending_review' || from === 'pending_review' || from === 'pending_confirmation';
}

export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * Assigning someone to a fresh ticket moves it to `assigned`; taking the assignee away from an `assigned` ticket
 * puts it back to `new`. Other statuses keep their status when the assignee changes.
 */
export function statusAfterAssignment(status: TicketStatus, hasAssignee: boolean): TicketStatus {
  if (hasAssignee && (status === 'new' || status === 'reopened')) return 'assigned';
  if (!hasAssignee && status === 'assigned') return 'new';
  return status;
}

export const TICKET_ACTIONS = ['submit_solution', 'review', 'confirm', 'escalate', 'acknowledge', 'follow_up', 'add_subtask', 'second_review'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export interface ActionContext {
  status: TicketStatus;
  role: Role;
  escalationLevel: number;
  escalationAcked: boolean;
  escalatedToActor: boolean;
  resolved: boolean;
  followedUp: boolean;
  /** The actor wrote the solution under review: nobody reviews their own (SPEC §8). */
  authoredSolution?: boolean;
  /** A second review is pending and this actor may record it (domain/review.ts checkSecondReviewer). */
  secondReviewOpen?: boolean;
}

/** The workflow actions (SPEC §7, §8) open to a role on a ticket in this state. */
export function allowedActions(c: ActionContext): TicketAction[] {
  const staff = STAFF.includes(c.role);
  const open = isOpen(c.status);
  const out: TicketAction[] = [];
  if (staff && c.status === 'in_progress') out.push('submit_solution');
  if (REVIEWERS.includes(c.role) && c.status === 'pending_review' && !c.authoredSolution) out.push('review');
  if ((staff || c.role === 'customer') && c.status === 'pending_confirmation') out.push('confirm');
  if (staff && open && c.escalationLevel < 2) out.push('escalate');
  if (c.escalationLevel >= 1 && !c.escalationAcked && (c.escalatedToActor || c.role === 'director' || c.role === 'admin')) out.push('acknowledge');
  if (staff && c.resolved && !c.followedUp && (c.status === 'closed' || c.status === 'pending_confirmation')) out.push('follow_up');
  if (staff && open) out.push('add_subtask');
  if (c.secondReviewOpen) out.push('second_review');
  return out;
}

export function isReviewer(role: Role): boolean {
  return REVIEWERS.includes(role);
}

export function isStaffWriter(role: Role): boolean {
  return STAFF.includes(role);
}

/** P3 → P2 → P1: an unsatisfied customer raises the priority one level (SPEC §8). */
export function raisePriority(priority: 'P1' | 'P2' | 'P3'): 'P1' | 'P2' | 'P3' {
  return priority === 'P3' ? 'P2' : 'P1';
}
