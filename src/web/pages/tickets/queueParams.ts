// Ticket-queue state <-> URL search params <-> API query.
import dayjs from 'dayjs';
import { CHANNELS, PRIORITIES, TICKET_SORTS, TICKET_STATUSES, type Channel, type Priority, type Role, type TicketSort, type TicketStatus } from '../../../shared/enums.js';
import type { TicketsParams } from '../../api/endpoints.js';

export const VIEWS = ['mine', 'unassigned', 'department', 'open', 'all'] as const;
export type QueueView = (typeof VIEWS)[number];

export interface QueueState {
  view: QueueView;
  status: TicketStatus[];
  priority: Priority[];
  category?: string;
  departmentId?: number;
  assigneeId?: string; // user id, 'me' or 'none'
  channel?: Channel;
  from?: string; // YYYY-MM-DD
  to?: string; // YYYY-MM-DD
  q?: string;
  /** Only tickets registered more than 2 h after the customer's first contact (seed 001). */
  late?: boolean;
  sort: TicketSort;
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;
const listOf = <T extends string>(list: readonly T[], v: string | null): T[] =>
  (v ?? '')
    .split(',')
    .filter((x): x is T => (list as readonly string[]).includes(x));
const posInt = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
const date = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

export function defaultView(role: Role): QueueView {
  return role === 'engineer' ? 'mine' : 'open';
}

/** Personal and department work lists are worked by deadline; the wider views by newest first. */
export function defaultSort(view: QueueView): TicketSort {
  return view === 'mine' || view === 'department' ? 'due' : 'created_desc';
}

export function parseQueueState(sp: URLSearchParams, role: Role): QueueState {
  const assignee = sp.get('assigneeId');
  const view = oneOf(VIEWS, sp.get('view')) ?? defaultView(role);
  return {
    view,
    status: listOf(TICKET_STATUSES, sp.get('status')),
    priority: listOf(PRIORITIES, sp.get('priority')),
    category: sp.get('category') || undefined,
    departmentId: posInt(sp.get('departmentId')),
    assigneeId: assignee && (assignee === 'me' || assignee === 'none' || /^\d+$/.test(assignee)) ? assignee : undefined,
    channel: oneOf(CHANNELS, sp.get('channel')),
    from: date(sp.get('from')),
    to: date(sp.get('to')),
    q: sp.get('q')?.trim() || undefined,
    late: sp.get('late') === '1' || undefined,
    sort: oneOf(TICKET_SORTS, sp.get('sort')) ?? defaultSort(view),
  };
}

export function toSearchParams(s: QueueState): URLSearchParams {
  const sp = new URLSearchParams();
  sp.set('view', s.view);
  if (s.status.length) sp.set('status', s.status.join(','));
  if (s.priority.length) sp.set('priority', s.priority.join(','));
  if (s.category) sp.set('category', s.category);
  if (s.departmentId) sp.set('departmentId', String(s.departmentId));
  if (s.assigneeId) sp.set('assigneeId', s.assigneeId);
  if (s.channel) sp.set('channel', s.channel);
  if (s.from) sp.set('from', s.from);
  if (s.to) sp.set('to', s.to);
  if (s.q) sp.set('q', s.q);
  if (s.late) sp.set('late', '1');
  if (s.sort !== defaultSort(s.view)) sp.set('sort', s.sort);
  return sp;
}

/** Switching views keeps an explicitly chosen sort, and otherwise takes the new view's default. */
export function switchView(s: QueueState, view: QueueView): Pick<QueueState, 'view' | 'sort'> {
  return { view, sort: s.sort === defaultSort(s.view) ? defaultSort(view) : s.sort };
}

/** Which filters a view fixes (the matching filter controls are disabled). */
export function viewFixes(view: QueueView): { assignee: boolean; department: boolean } {
  return { assignee: view === 'mine' || view === 'unassigned', department: view === 'department' };
}

export function toApiQuery(s: QueueState, userDepartmentId: number | null): TicketsParams {
  const q: TicketsParams = {
    status: s.status.length ? s.status : undefined,
    priority: s.priority.length ? s.priority : undefined,
    category: s.category,
    departmentId: s.departmentId,
    assigneeId: s.assigneeId as TicketsParams['assigneeId'],
    channel: s.channel,
    createdFrom: s.from ? dayjs(s.from).startOf('day').toISOString() : undefined,
    createdTo: s.to ? dayjs(s.to).endOf('day').toISOString() : undefined,
    q: s.q,
    lateRegistration: s.late ? 'true' : undefined,
    sort: s.sort,
    limit: 50,
  };
  switch (s.view) {
    case 'mine':
      q.assigneeId = 'me';
      q.open = 'true';
      break;
    case 'unassigned':
      q.assigneeId = 'none';
      q.open = 'true';
      break;
    case 'department':
      q.departmentId = userDepartmentId ?? undefined;
      q.open = 'true';
      break;
    case 'open':
      q.open = 'true';
      break;
    case 'all':
      break;
  }
  // An explicit status filter says exactly which statuses to show, even closed ones.
  if (q.status) delete q.open;
  return q;
}
