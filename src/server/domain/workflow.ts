// The ticket state machine: which status may follow which, and who may make each move. Pure: no IO.
import { OPEN_STATUSES, type Role, type TicketStatus } from '../../shared/enums.js';

const NEXT: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'waiting_customer', 'cancelled'],
  assigned: ['in_progress', 'waiting_customer', 'new', 'cancelled'],
  in_progress: ['waiting_customer', 'pending_review', 'cancelled'],
  waiting_customer: ['in_progress', 'cancelled'],
  pending_review: ['pending_confirmation', 'in_progress'],
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
  return NEXT[from].filter((to) => mayMove(role, from, to));
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
