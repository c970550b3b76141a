import { describe, expect, it } from 'vitest';
import { visibleTransitions } from './TransitionButtons.js';

describe('visibleTransitions', () => {
  it('hides the bare status changes a workflow action makes with its own record', () => {
    expect(visibleTransitions({ allowedTransitions: ['pending_review', 'waiting_customer', 'cancelled'], allowedActions: ['submit_solution', 'escalate'] })).toEqual(['waiting_customer', 'cancelled']);
    expect(visibleTransitions({ allowedTransitions: ['pending_confirmation', 'in_progress'], allowedActions: ['review'] })).toEqual([]);
    expect(visibleTransitions({ allowedTransitions: ['closed', 'reopened', 'pending_review'], allowedActions: ['confirm', 'follow_up'] })).toEqual([]);
  });
  it('keeps them when the action is not offered, ordered primary first', () => {
    expect(visibleTransitions({ allowedTransitions: ['cancelled', 'pending_review', 'waiting_customer'], allowedActions: [] })).toEqual(['waiting_customer', 'pending_review', 'cancelled']);
    expect(visibleTransitions({ allowedTransitions: ['in_progress'] })).toEqual(['in_progress']);
  });
});
