// The stored SLA state of a generated open ticket, as the app would have left it: its clocks computed by the app's own
// code (SlaService's plan, computeSlaColumns, columnValues) after the status changes of its life so far, and every
// warning, breach and escalation that came due before `sweptUntil` already fired by a sweeper that ran all along — with
// the timeline entries and notifications those passes wrote. What came due after `sweptUntil` is left for the
// benchmark's pass to find through tickets.sla_check_at.
import { CUSTOMER_TIERS, PRIORITIES, SERVICE_TYPES, type TicketStatus } from '../../src/shared/enums.js';
import type { BusinessCalendar } from '../../src/server/domain/sla/calendar.js';
import { workingMsBetween } from '../../src/server/domain/sla/deadlines.js';
import { afterStatusChange, computeSlaColumns, freshClockState, NO_DEADLINE, sweepTicket, type SweepAction, type TicketSlaInput } from '../../src/server/domain/sla/ticket-clocks.js';
import { columnValues, slaStateColumns, type Plan, type SlaService } from '../../src/server/modules/sla/service.js';

/** The status changes that lead from a new ticket to each open status (the workflow's usual path). */
const PATH: Record<string, readonly TicketStatus[]> = {
  new: [],
  assigned: [],
  in_progress: ['in_progress'],
  waiting_customer: ['in_progress', 'waiting_customer'],
  pending_review: ['in_progress', 'pending_review'],
  pending_confirmation: ['in_progress', 'pending_review', 'pending_confirmation'],
  reopened: ['in_progress', 'pending_review', 'pending_confirmation', 'reopened'],
  // Ended tickets (the queue and search data set): their clocks as the ticket's life left them.
  closed: ['in_progress', 'pending_review', 'pending_confirmation', 'closed'],
  cancelled: ['cancelled'],
};

export interface HistoryTicket {
  id: number;
  number: string;
  title: string;
  description: string;
  priority: string;
  demand: string | null;
  /** The status it has now (open, except in the queue and search data set, which has ended tickets too). */
  status: TicketStatus;
  /** When an ended ticket was closed or cancelled. */
  closedAt?: number | null;
  reportedAt: number;
  createdAt: number;
  departmentId: number | null;
  assigneeId: number | null;
  createdBy: number;
}

export interface HistoryPeople {
  /** Department id → its manager (departments.manager_id). */
  managers: Map<number, number>;
  directors: number[];
  userName: (id: number) => string;
}

export interface TicketHistory {
  /** Column values to store on the ticket (SLA state, computed clock columns, escalation, updated_at). */
  columns: Record<string, unknown>;
  events: { at: number; actorId: number | null; kind: string; data: string }[];
  notifications: { userId: number; at: number; kind: string; dedupeKey: string; data: string }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The app's own initial clock state (kept as a named export for the bench's other files). */
export const initialSlaInput = freshClockState;

/**
 * Replays one ticket's life: created (assigned if it has an assignee), its status changes at random instants before
 * `now`, and between them every sweeper action due before `sweptUntil`, each at its check instant. `withEvents`:
 * also the timeline entries of those changes (the sweeper only appends to the timeline, it never reads it).
 */
export function ticketHistory(
  t: HistoryTicket,
  plan: Plan | null,
  people: HistoryPeople,
  now: number,
  sweptUntil: number,
  rng: () => number,
  withEvents = true,
): TicketHistory {
  const events: TicketHistory['events'] = [];
  const notifications: TicketHistory['notifications'] = [];
  const manager = t.departmentId !== null ? (people.managers.get(t.departmentId) ?? null) : null;
  // TicketsService.stakeholders: assignee, the department's manager (no supervisors or sub-tasks here).
  const stakeholders = [...new Set([t.assigneeId, manager].filter((x): x is number => x !== null))];
  const notify = (userIds: number[], at: number, kind: string, dedupeKey: string, ticketStatus: string, dueAt: number | null, data: Record<string, unknown>) => {
    const stored = JSON.stringify({
      dedupeKey,
      ticket: { id: t.id, number: t.number, title: t.title, priority: t.priority, demand: t.demand, status: ticketStatus, dueAt: dueAt === null || dueAt >= NO_DEADLINE ? null : dueAt },
      data,
    });
    const seen: number[] = [];
    for (const u of userIds) {
      if (seen.includes(u)) continue;
      seen.push(u);
      notifications.push({ userId: u, at, kind, dedupeKey, data: stored });
    }
  };
  // The sweeper's notifications carry the ticket's next deadline after the pass: written once it is known.
  let waiting: { userIds: number[]; at: number; kind: string; dedupeKey: string; status: string; data: Record<string, unknown> }[] = [];
  const flush = (nextDueAt: number | null) => {
    for (const w of waiting) notify(w.userIds, w.at, w.kind, w.dedupeKey, w.status, nextDueAt, w.data);
    waiting = [];
  };

  const created: TicketStatus = t.assigneeId !== null ? 'assigned' : 'new';
  let input = initialSlaInput(created, t.reportedAt);
  if (t.assigneeId !== null) {
    const first = plan ? computeSlaColumns(plan.policy, plan.calendar, input).nextDueAt : null;
    notify(stakeholders.filter((u) => u !== t.createdBy), t.createdAt, 'assigned', `assigned:${t.id}:${t.assigneeId}:${t.createdAt}`, created, first, {
      assigneeId: t.assigneeId,
      description: t.description.slice(0, 300),
    });
  }
  let escalatedTo: number | null = null;
  let escalatedAt: number | null = null;
  let updatedAt = t.createdAt;

  // Sweeper passes at each check instant up to `until` (Sweeper.sweepBatch, one ticket).
  const sweepUntil = (until: number) => {
    if (!plan) return;
    for (let guard = 0; guard < 100; guard++) {
      const cols = computeSlaColumns(plan.policy, plan.calendar, input);
      flush(cols.nextDueAt);
      const at = cols.slaCheckAt;
      if (at === null || at > until) return;
      const result = sweepTicket(input, cols, plan.escalation, plan.calendar, at);
      input = result.next;
      updatedAt = at;
      for (const a of result.actions) {
        if (a.kind === 'escalate') continue;
        const followUp = a.clock === 'followUp';
        const to = followUp ? [t.assigneeId, t.createdBy].filter((x): x is number => x !== null) : a.kind === 'warning' ? (t.assigneeId ? [t.assigneeId] : stakeholders) : stakeholders;
        if (withEvents) events.push({ at, actorId: null, kind: a.kind === 'warning' ? 'sla_warning' : 'sla_breach', data: JSON.stringify({ details: { clock: a.clock, dueAt: iso(a.dueAt), policy: plan.row.name } }) });
        waiting.push({ userIds: to, at, kind: followUp ? 'follow_up_due' : a.kind === 'warning' ? 'sla_warning' : 'sla_breach', dedupeKey: `${a.kind}:${t.id}:${a.clock}:${a.dueAt}`, status: input.status, data: { clock: a.clock, dueAt: iso(a.dueAt) } });
      }
      const esc = result.actions.find((a): a is Extract<SweepAction, { kind: 'escalate' }> => a.kind === 'escalate');
      if (esc) {
        // ResolutionService.escalateRow: level 1 to the department manager, level 2 to the first director.
        const level = manager === null ? 2 : esc.level;
        const target = level === 1 ? manager : (people.directors[0] ?? null);
        const recipients = level === 2 ? people.directors : [target].filter((x): x is number => x !== null);
        const previousAt = escalatedAt;
        if (level !== input.escalationLevel) input = { ...input, escalationLevel: level, escalationAckDueAt: null };
        escalatedTo = target;
        escalatedAt = at;
        const reason = esc.reason === 'breach' ? `SLA breach: ${esc.clock ?? ''}`.trim() : 'Escalation not acknowledged in time';
        if (withEvents) {
          events.push({
            at,
            actorId: null,
            kind: 'escalated',
            data: JSON.stringify({
              note: reason,
              details: { level, to: target ? people.userName(target) : null, reason: 'breach', clock: esc.clock ?? null, ackDueAt: input.escalationAckDueAt ? iso(input.escalationAckDueAt) : null },
            }),
          });
        }
        waiting.push({ userIds: recipients, at, kind: level === 2 ? 'escalation_overdue' : 'escalated', dedupeKey: `escalated:${t.id}:${level}:${previousAt ?? 0}`, status: input.status, data: { level, reason, clock: esc.clock ?? null } });
      }
    }
    flush(computeSlaColumns(plan.policy, plan.calendar, input).nextDueAt);
  };

  // Status changes at sorted random instants between creation and a minute before now.
  const path = PATH[t.status] ?? [];
  const span = Math.max(0, now - 60_000 - t.createdAt);
  const times = path.map(() => t.createdAt + rng() * span).sort((a, b) => a - b);
  path.forEach((to, i) => {
    sweepUntil(Math.min(times[i], sweptUntil));
    if (withEvents) events.push({ at: times[i], actorId: t.assigneeId, kind: 'status_changed', data: JSON.stringify({ changes: [{ field: 'status', before: input.status, after: to }] }) });
    input = afterStatusChange(input, input.status, to, times[i]);
    updatedAt = times[i];
  });
  sweepUntil(sweptUntil);

  const clocks = plan ? columnValues(plan.row.id, computeSlaColumns(plan.policy, plan.calendar, input)) : columnValues(null, null);
  return {
    columns: { ...slaStateColumns(input), ...clocks, escalated_to: escalatedTo, escalated_at: escalatedAt, updated_at: updatedAt },
    events,
    notifications,
  };
}

/** The instant `ms` of working time (of `calendar`) before `now`: what came due since then is left for the pass. */
export function workingTimeBefore(calendar: BusinessCalendar, now: number, ms: number): number {
  let lo = now - 40 * 86_400_000;
  let hi = now;
  if (workingMsBetween(calendar, lo, now) < ms) return now - ms;
  for (let i = 0; i < 60 && hi - lo > 1000; i++) {
    const mid = (lo + hi) / 2;
    if (workingMsBetween(calendar, mid, now) >= ms) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo);
}

export interface PolicyTicketKey {
  priority: string;
  customerTier: string | null;
  productModel: string | null;
  serviceType: string | null;
}

/**
 * SlaService.planFor (the app's policy choice, as TicketsService.create calls it) for every combination of priority,
 * customer tier, product model and service type the generator can produce, looked up synchronously afterwards.
 */
export async function planTable(sla: SlaService, models: readonly string[]): Promise<(t: PolicyTicketKey) => Plan | null> {
  const table = new Map<string, Plan | null>();
  const key = (t: PolicyTicketKey) => `${t.priority}|${t.customerTier}|${t.productModel}|${t.serviceType}`;
  for (const priority of PRIORITIES)
    for (const customerTier of [...CUSTOMER_TIERS, null])
      for (const productModel of [...models, null])
        for (const serviceType of [...SERVICE_TYPES, null]) {
          const t = { priority, customerTier, productModel, serviceType };
          table.set(key(t), await sla.planFor(t));
        }
  return (t) => {
    const k = key(t);
    if (!table.has(k)) throw new Error(`no policy looked up for ${k}`);
    return table.get(k)!;
  };
}
