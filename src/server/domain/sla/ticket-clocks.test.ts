import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar, chinaMainlandCalendar } from './calendar.js';
import { workingMsBetween } from './deadlines.js';
import { DEFAULT_POLICIES } from './policy.js';
import { afterStatusChange, CLOCK_BIT, computeSlaColumns, escalationInClockTime, freshClockState, isRunning, metAt, sweepTicket, type TicketSlaInput } from './ticket-clocks.js';

const base: TicketSlaInput = freshClockState('new', Date.parse('2026-11-23T02:00:00.000Z'));
const P1 = DEFAULT_POLICIES.find((p) => p.priority === 'P1')!;
const P2 = DEFAULT_POLICIES.find((p) => p.priority === 'P2')!;
const P3 = DEFAULT_POLICIES.find((p) => p.priority === 'P3')!;
const china = chinaMainlandCalendar();
const escalation = { escalateAfterMinutes: 0, managerAckMinutes: 240 };

describe("a ticket's clocks", () => {
  it('stores whole milliseconds even from a fractional start', () => {
    const c = computeSlaColumns(P2, alwaysOpenCalendar(), { ...base, reportedAt: base.reportedAt + 0.4 });
    for (const v of [...Object.values(c.dueAt), ...Object.values(c.warnAt), c.slaCheckAt]) if (v !== null) expect(Number.isInteger(v)).toBe(true);
  });

  it('fires each warning and breach once, then escalates, then goes to level 2 when nobody acknowledges', () => {
    let input = base;
    const at = (minutes: number) => base.reportedAt + minutes * 60_000;
    const pass = (now: number) => {
      const r = sweepTicket(input, computeSlaColumns(P2, china, input), escalation, china, now);
      input = r.next;
      return r.actions.map((a) => (a.kind === 'escalate' ? `escalate${a.level}` : `${a.kind}:${a.clock}`));
    };
    expect(pass(at(25))).toEqual(['warning:firstResponse']);
    expect(pass(at(26))).toEqual([]);
    expect(pass(at(31))).toEqual(['breach:firstResponse', 'escalate1']);
    expect(pass(at(32))).toEqual([]);
    expect(input.breached & CLOCK_BIT.firstResponse).toBeTruthy();
    // 10:31 + 4 working hours over the lunch break = 16:01 on Monday.
    expect(new Date(input.escalationAckDueAt!).toISOString()).toBe('2026-11-23T08:01:00.000Z');
    expect(pass(Date.parse('2026-11-23T08:01:30.000Z'))).toEqual(['escalate2']);
  });

  it('pauses while waiting for the customer and resumes with the paused working time added', () => {
    const waiting = afterStatusChange(base, 'new', 'waiting_customer', base.reportedAt + 3600_000);
    expect(computeSlaColumns(P2, china, waiting).slaCheckAt).toBeNull();
    const resumed = afterStatusChange(waiting, 'waiting_customer', 'in_progress', base.reportedAt + 3 * 3600_000);
    expect(resumed.pauses).toEqual([{ pausedAt: base.reportedAt + 3600_000, resumedAt: base.reportedAt + 3 * 3600_000 }]);
    expect(resumed.handlingStartedAt).toBe(base.reportedAt + 3 * 3600_000);
  });

  it('P1 on Saturday night: the sweeper warns at 23:24 and breaches just after 23:30, not on Monday', () => {
    let input = freshClockState('new', Date.parse('2026-11-28T15:00:00.000Z')); // Saturday 23:00 China time
    const cols = computeSlaColumns(P1, china, input);
    expect(new Date(cols.slaCheckAt!).toISOString()).toBe('2026-11-28T15:24:00.000Z');
    expect(new Date(cols.nextDueAt!).toISOString()).toBe('2026-11-28T15:30:00.000Z');
    const pass = (now: number) => {
      const r = sweepTicket(input, computeSlaColumns(P1, china, input), escalation, china, now);
      input = r.next;
      return r.actions.map((a) => (a.kind === 'escalate' ? `escalate${a.level}` : `${a.kind}:${a.clock}`));
    };
    expect(pass(Date.parse('2026-11-28T15:24:00.000Z'))).toEqual(['warning:firstResponse']);
    expect(pass(Date.parse('2026-11-28T15:30:00.000Z'))).toEqual([]); // at the deadline: still in time
    expect(pass(Date.parse('2026-11-28T15:30:00.001Z'))).toEqual(['breach:firstResponse', 'escalate1']);
    expect(new Date(computeSlaColumns(P1, china, input).slaCheckAt!).toISOString()).toBe('2026-11-28T18:12:00.000Z'); // start handling: 80 % of 4 h
  });

  it('awaiting the customer: the resolve clock is neither running nor met; a rejection runs it again without the waiting time', () => {
    const t0 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00
    const h = (n: number) => t0 + n * 3600_000;
    let s = afterStatusChange(freshClockState('new', t0), 'new', 'in_progress', h(0.2));
    s = afterStatusChange(s, 'in_progress', 'pending_review', h(1));
    s = afterStatusChange(s, 'pending_review', 'pending_confirmation', h(2)); // the solution reaches the customer
    expect(s.resolvedAt).toBe(h(2));
    expect(metAt(s, 'resolve')).toBeNull();
    const waiting = computeSlaColumns(P3, china, s);
    for (const c of ['firstResponse', 'startHandling', 'resolve', 'nextUpdate'] as const) expect(isRunning(s, c, waiting.dueAt[c])).toBe(false);
    expect(isRunning(s, 'followUp', waiting.dueAt.followUp)).toBe(true);
    expect(waiting.nextDueAt).toBe(waiting.dueAt.followUp);
    // satisfied: met at the instant the customer got the solution
    const closed = afterStatusChange(s, 'pending_confirmation', 'closed', h(30));
    expect(metAt(closed, 'resolve')).toBe(h(2));
    // not satisfied: the resolve clock runs again, moved by the working time the customer held the solution
    const reopened = afterStatusChange(s, 'pending_confirmation', 'reopened', h(24)); // Tuesday 10:00
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.pauses).toEqual([{ pausedAt: h(2), resumedAt: h(24) }]);
    const before = computeSlaColumns(P3, china, freshClockState('new', t0)).dueAt.resolve!;
    const after = computeSlaColumns(P3, china, reopened);
    expect(isRunning(reopened, 'resolve', after.dueAt.resolve)).toBe(true);
    // held Monday 12:00 – Tuesday 10:00 = 5.5 working hours: Thursday 10:00 → Thursday 17:00
    expect(workingMsBetween(china, h(2), h(24))).toBe(5.5 * 3600_000);
    expect(workingMsBetween(china, before, after.dueAt.resolve!)).toBe(5.5 * 3600_000);
    expect(after.dueAt.resolve! - before).toBe(7 * 3600_000);
  });
  it('escalates a 24×7 policy on the clock: a manager paged on Saturday night must answer that night', () => {
    expect(escalationInClockTime(P1)).toBe(true);
    expect(escalationInClockTime(P2)).toBe(false);
    expect(escalationInClockTime(P3)).toBe(false);
    let input = freshClockState('new', Date.parse('2026-11-28T15:00:00.000Z')); // Saturday 23:00 China time
    const onClock = { ...escalation, clockTime: escalationInClockTime(P1) };
    const r = sweepTicket(input, computeSlaColumns(P1, china, input), onClock, china, Date.parse('2026-11-28T15:31:00.000Z'));
    input = r.next;
    expect(r.actions.map((a) => a.kind)).toEqual(['breach', 'escalate']);
    // 23:31 + 4 clock hours = Sunday 03:31, not Monday 14:30 (4 working hours from Monday 09:00).
    expect(new Date(input.escalationAckDueAt!).toISOString()).toBe('2026-11-28T19:31:00.000Z');
    const late = sweepTicket(input, computeSlaColumns(P1, china, input), onClock, china, Date.parse('2026-11-28T19:31:01.000Z'));
    // By then start-handling (4 h from 23:00) has run out too; level 2 goes to the director.
    expect(late.actions).toContainEqual({ kind: 'escalate', level: 2, reason: 'ack_overdue' });
    // The same breach under a working-time policy: 4 working hours from Monday 09:00 over the lunch break, 14:30.
    const working = sweepTicket(freshClockState('new', Date.parse('2026-11-28T15:00:00.000Z')), computeSlaColumns(P1, china, freshClockState('new', Date.parse('2026-11-28T15:00:00.000Z'))), escalation, china, Date.parse('2026-11-28T15:31:00.000Z'));
    expect(new Date(working.next.escalationAckDueAt!).toISOString()).toBe('2026-11-30T06:30:00.000Z');
  });

  it('meets the first-solution clock when the approved solution reaches the customer, not while it waits for review', () => {
    const t0 = Date.parse('2026-11-23T02:00:00.000Z');
    const h = (n: number) => t0 + n * 3600_000;
    let s = afterStatusChange(freshClockState('new', t0), 'new', 'in_progress', h(0.2));
    s = afterStatusChange(s, 'in_progress', 'pending_review', h(1));
    expect(metAt(s, 'firstSolution')).toBeNull();
    const cols = computeSlaColumns(P2, china, s);
    expect(isRunning(s, 'firstSolution', cols.dueAt.firstSolution)).toBe(true);
    // Sent back by the reviewer: still running.
    s = afterStatusChange(s, 'pending_review', 'in_progress', h(2));
    expect(metAt(s, 'firstSolution')).toBeNull();
    s = afterStatusChange(s, 'in_progress', 'pending_review', h(3));
    s = afterStatusChange(s, 'pending_review', 'pending_confirmation', h(5));
    expect(metAt(s, 'firstSolution')).toBe(h(5));
  });
});
