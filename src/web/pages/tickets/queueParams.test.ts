import { describe, expect, it } from 'vitest';
import { parseQueueState, switchView, toApiQuery, toSearchParams } from './queueParams.js';

describe('queue params', () => {
  it('sorts my tickets and my department by deadline unless told otherwise', () => {
    expect(parseQueueState(new URLSearchParams('view=mine'), 'engineer').sort).toBe('due');
    expect(parseQueueState(new URLSearchParams(''), 'engineer')).toMatchObject({ view: 'mine', sort: 'due' });
    expect(parseQueueState(new URLSearchParams('view=department'), 'agent').sort).toBe('due');
    expect(parseQueueState(new URLSearchParams('view=open'), 'agent').sort).toBe('created_desc');
    expect(parseQueueState(new URLSearchParams('view=mine&sort=priority'), 'agent').sort).toBe('priority');
    expect(parseQueueState(new URLSearchParams('view=open&sort=due'), 'agent').sort).toBe('due');
  });
  it('keeps default sorts out of the URL and sends the sort to the API', () => {
    const mine = parseQueueState(new URLSearchParams('view=mine'), 'engineer');
    expect(toSearchParams(mine).toString()).toBe('view=mine');
    expect(toApiQuery(mine, 3)).toMatchObject({ assigneeId: 'me', open: 'true', sort: 'due' });
    expect(toSearchParams({ ...mine, view: 'open' }).get('sort')).toBe('due');
  });
  it('switching views keeps a chosen sort and otherwise takes the new default', () => {
    const mine = parseQueueState(new URLSearchParams('view=mine'), 'engineer');
    expect(switchView(mine, 'open')).toEqual({ view: 'open', sort: 'created_desc' });
    expect(switchView({ ...mine, sort: 'priority' }, 'open')).toEqual({ view: 'open', sort: 'priority' });
    expect(switchView(parseQueueState(new URLSearchParams('view=all'), 'agent'), 'department')).toEqual({ view: 'department', sort: 'due' });
  });
  it('carries the late-registration filter through the URL to the API', () => {
    const late = parseQueueState(new URLSearchParams('view=all&late=1'), 'manager');
    expect(late.late).toBe(true);
    expect(toSearchParams(late).get('late')).toBe('1');
    expect(toApiQuery(late, null).lateRegistration).toBe('true');
    const plain = parseQueueState(new URLSearchParams('view=all&late=yes'), 'manager');
    expect(plain.late).toBeUndefined();
    expect(toApiQuery(plain, null).lateRegistration).toBeUndefined();
  });
});
