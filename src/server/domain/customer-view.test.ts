import { describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../shared/schemas.js';
import { customerActor, customerEvent } from './customer-view.js';

const lens = { userId: 7, assignee: { id: 3, name: '王工' } };
const event = (over: Omit<Partial<TicketEvent>, 'kind'> & { kind: string }): TicketEvent =>
  ({ id: 1, at: '2026-12-01T00:00:00.000Z', actor: { id: 9, name: '李主管' }, changes: [], note: '备注', commentId: null, attachmentId: null, internal: false, details: { reason: 'x' }, ...over }) as TicketEvent;

describe('customer view rules', () => {
  it('hides an event kind nobody allowed, so a new internal kind stays hidden', () => {
    expect(customerEvent(event({ kind: 'second_review_recorded' }), lens)).toBeNull();
    expect(customerEvent(event({ kind: 'escalated' }), lens)).toBeNull();
  });

  it('never shows a staff note on a status change, but shows a public reply', () => {
    expect(customerEvent(event({ kind: 'status_changed', changes: [{ field: 'status', before: 'new', after: 'in_progress' }] }), lens)).toMatchObject({ note: null, details: null, actor: null });
    expect(customerEvent(event({ kind: 'comment', note: '明天上门', commentId: 4, actor: { id: 3, name: 'wang' } }), lens)).toMatchObject({ note: '明天上门', commentId: 4, actor: { id: 3, name: '王工' } });
    expect(customerEvent(event({ kind: 'comment', internal: true }), lens)).toBeNull();
  });

  it('shows only the fields a customer may see change, and drops an edit with none left', () => {
    const e = event({ kind: 'updated', changes: [{ field: 'firstJudgement', before: null, after: 'x' }, { field: 'demand', before: null, after: '退货' }] });
    expect(customerEvent(e, lens)!.changes).toEqual([{ field: 'demand', before: null, after: '退货' }]);
    expect(customerEvent(event({ kind: 'updated', changes: [{ field: 'priority', before: 'P3', after: 'P1' }] }), lens)).toBeNull();
    expect(customerEvent(event({ kind: 'assigned', changes: [{ field: 'assignee', before: '甲', after: '乙' }] }), lens)).toBeNull();
  });

  it('names only the customer themselves and the assignee', () => {
    expect(customerActor({ id: 7, name: '张伟' }, lens)).toEqual({ id: 7, name: '张伟' });
    expect(customerActor({ id: 3, name: 'x' }, lens)).toEqual({ id: 3, name: '王工' });
    expect(customerActor({ id: 9, name: '李主管' }, lens)).toBeNull();
  });
});
