import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROLES, TICKET_STATUSES } from '../../shared/enums.js';
import { allowedActions, allowedTransitions, canTransition, checkTransition, isOpen, statusAfterAssignment, type ActionContext } from './workflow.js';

describe('ticket state machine', () => {
  it('follows the service flow new → assigned → in_progress ⇄ waiting_customer → review → confirmation → closed', () => {
    const path = ['new', 'assigned', 'in_progress', 'waiting_customer', 'in_progress', 'pending_review', 'pending_confirmation', 'closed'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i]), `${path[i - 1]} → ${path[i]}`).toBe(true);
  });

  it('refuses shortcuts: closing a new ticket, skipping review, leaving a cancelled ticket', () => {
    expect(checkTransition({ from: 'new', to: 'closed', role: 'admin', hasAssignee: true })).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(canTransition('in_progress', 'pending_confirmation')).toBe(false);
    expect(canTransition('in_progress', 'closed')).toBe(false);
    for (const s of TICKET_STATUSES) expect(canTransition('cancelled', s)).toBe(false);
  });

  it('lets only reviewers approve or return a solution, and customers only confirm', () => {
    expect(checkTransition({ from: 'pending_review', to: 'pending_confirmation', role: 'engineer', hasAssignee: true })).toEqual({ ok: false, reason: 'forbidden' });
    expect(checkTransition({ from: 'pending_review', to: 'in_progress', role: 'supervisor', hasAssignee: true })).toEqual({ ok: true });
    // The customer answers through the confirmation action, not a bare status change.
    expect(allowedTransitions('pending_confirmation', 'customer')).toEqual([]);
    expect(allowedTransitions('in_progress', 'customer')).toEqual([]);
    expect(allowedTransitions('in_progress', 'qa')).toEqual([]);
  });

  it('needs an assignee to become assigned', () => {
    expect(checkTransition({ from: 'new', to: 'assigned', role: 'agent', hasAssignee: false })).toEqual({ ok: false, reason: 'assignee_required' });
  });

  it('never offers a move the machine would refuse (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_STATUSES), fc.constantFrom(...ROLES), (from, role) => {
        for (const to of allowedTransitions(from, role)) {
          expect(checkTransition({ from, to, role, hasAssignee: true }).ok).toBe(true);
        }
      }),
    );
  });

  it('moves between new and assigned with the assignee, and keeps other statuses', () => {
    expect(statusAfterAssignment('new', true)).toBe('assigned');
    expect(statusAfterAssignment('reopened', true)).toBe('assigned');
    expect(statusAfterAssignment('assigned', false)).toBe('new');
    expect(statusAfterAssignment('in_progress', false)).toBe('in_progress');
    expect(isOpen('closed')).toBe(false);
    expect(isOpen('cancelled')).toBe(false);
    expect(isOpen('waiting_customer')).toBe(true);
  });

  it('closes a satisfied ticket, complaint or not: no way back from confirmation to review, none from review to closed', () => {
    expect(canTransition('pending_confirmation', 'closed')).toBe(true);
    expect(canTransition('pending_confirmation', 'reopened')).toBe(true);
    expect(canTransition('pending_confirmation', 'pending_review')).toBe(false);
    expect(canTransition('pending_review', 'closed')).toBe(false);
    expect(checkTransition({ from: 'pending_confirmation', to: 'pending_review', role: 'customer', hasAssignee: true })).toEqual({ ok: false, reason: 'invalid_transition' });
    expect(checkTransition({ from: 'pending_confirmation', to: 'closed', role: 'customer', hasAssignee: true })).toEqual({ ok: true });
  });
});

describe('workflow actions', () => {
  const base: ActionContext = { status: 'pending_review', role: 'supervisor', escalationLevel: 0, escalationAcked: false, escalatedToActor: false, resolved: false, followedUp: false };

  it('never offers the review of a solution to its author', () => {
    expect(allowedActions(base)).toContain('review');
    expect(allowedActions({ ...base, authoredSolution: true })).not.toContain('review');
  });

  it('offers the second review only where the server allows it, to QA as well, whatever the status', () => {
    expect(allowedActions({ ...base, status: 'in_progress', role: 'qa' })).toEqual([]);
    expect(allowedActions({ ...base, status: 'in_progress', role: 'qa', secondReviewOpen: true })).toEqual(['second_review']);
    expect(allowedActions({ ...base, status: 'reopened', role: 'manager', secondReviewOpen: true })).toContain('second_review');
    expect(allowedActions({ ...base, status: 'reopened', role: 'manager' })).not.toContain('second_review');
  });
});
