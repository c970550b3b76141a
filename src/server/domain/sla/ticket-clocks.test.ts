import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar, chinaMainlandCalendar } from './calendar.js';
import { DEFAULT_POLICIES } from './policy.js';
import { afterStatusChange, CLOCK_BIT, computeSlaColumns, freshClockState, sweepTicket, type TicketSlaInput } from './ticket-clocks.js';

const base: TicketSlaInput = freshClockState('new', Date.parse('2026-11-23T02:00:00.000Z'));
const P2 = DEFAULT_POLICIES.find((p) => p.priority === 'P2')!;
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
});
