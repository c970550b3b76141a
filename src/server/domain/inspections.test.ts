import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMove, cycleDate, occurrenceState, sweepOccurrence, ticketDate, type OccurrenceFacts, type PlanDates } from './inspections.js';
import { addDays } from './warranty.js';

const day = fc.integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2032, 0, 1) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const plan = fc.record<PlanDates>({ firstDate: day, intervalMonths: fc.integer({ min: 1, max: 24 }), leadDays: fc.integer({ min: 0, max: 30 }), remindDays: fc.integer({ min: 0, max: 30 }) });
const fresh = (seq: number, dueDate: string): OccurrenceFacts => ({ seq, dueDate, ticketCreated: false, reminded: false, overdueNotified: false, completed: false });

/** Applies what a sweep decided, as the module records it. */
const apply = (o: OccurrenceFacts, d: ReturnType<typeof sweepOccurrence>): OccurrenceFacts => ({ ...o, ticketCreated: o.ticketCreated || d.createTicket, reminded: o.reminded || d.remind, overdueNotified: o.overdueNotified || d.overdue });

describe('inspection cycle', () => {
  it('counts every date from the first one, so month ends do not drift', () => {
    const p = { firstDate: '2026-01-31', intervalMonths: 1 };
    expect([0, 1, 2, 3].map((n) => cycleDate(p, n))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(cycleDate({ firstDate: '2026-05-15', intervalMonths: 6 }, 3)).toBe('2027-11-15');
  });

  it('moving one occurrence keeps every other date on the original cycle (ERPNext #23682)', () => {
    fc.assert(
      fc.property(plan, fc.integer({ min: 0, max: 20 }), fc.integer({ min: -200, max: 200 }), (p, seq, shift) => {
        const before = Array.from({ length: 25 }, (_, n) => cycleDate(p, n));
        const moved = addDays(cycleDate(p, seq), shift);
        const allowed = checkMove(p, fresh(seq, cycleDate(p, seq)), moved, '2000-01-01') === null;
        // The cycle is a function of the plan alone: whatever one occurrence's due date became, the others' are the same.
        const after = Array.from({ length: 25 }, (_, n) => cycleDate(p, n));
        expect(after).toEqual(before);
        // A move is allowed only strictly between the neighbours on the cycle, so the order never changes.
        if (allowed) {
          expect(moved < cycleDate(p, seq + 1)).toBe(true);
          if (seq > 0) expect(moved > cycleDate(p, seq - 1)).toBe(true);
        }
      }),
    );
  });

  it('cycle dates strictly increase', () => {
    fc.assert(fc.property(plan, fc.integer({ min: 0, max: 40 }), (p, n) => {
        expect(cycleDate(p, n) < cycleDate(p, n + 1)).toBe(true);
      }),
    );
  });

  it('refuses a move into the past, past the next cycle date, or of a finished occurrence', () => {
    const p = { firstDate: '2026-01-10', intervalMonths: 6 };
    expect(checkMove(p, fresh(1, '2026-07-10'), '2026-07-20', '2026-07-01')).toBeNull();
    expect(checkMove(p, fresh(1, '2026-07-10'), '2026-06-30', '2026-07-01')).toBe('in_past');
    expect(checkMove(p, fresh(1, '2026-07-10'), '2027-01-10', '2026-07-01')).toBe('after_next_cycle');
    expect(checkMove(p, fresh(1, '2026-07-10'), '2026-01-10', '2025-01-01')).toBe('before_previous_cycle');
    expect(checkMove(p, { ...fresh(1, '2026-07-10'), completed: true }, '2026-07-20', '2026-07-01')).toBe('done');
  });
});

describe('sweepOccurrence', () => {
  it('creates the ticket on the lead day, reminds on the reminder day, flags overdue the day after the due date', () => {
    const p: PlanDates = { firstDate: '2026-12-10', intervalMonths: 6, leadDays: 7, remindDays: 3 };
    const o = fresh(0, '2026-12-10');
    expect(sweepOccurrence(p, o, '2026-12-02')).toEqual({ createTicket: false, remind: false, overdue: false, nextCheck: '2026-12-03' });
    expect(sweepOccurrence(p, o, '2026-12-03')).toMatchObject({ createTicket: true, remind: false, nextCheck: '2026-12-07' });
    const withTicket = { ...o, ticketCreated: true };
    expect(sweepOccurrence(p, withTicket, '2026-12-07')).toMatchObject({ createTicket: false, remind: true, overdue: false, nextCheck: '2026-12-11' });
    expect(sweepOccurrence(p, { ...withTicket, reminded: true }, '2026-12-11')).toMatchObject({ overdue: true, nextCheck: null });
    expect(occurrenceState(withTicket, '2026-12-10')).toBe('due');
    expect(occurrenceState(withTicket, '2026-12-11')).toBe('overdue');
    expect(occurrenceState({ ...withTicket, completed: true }, '2026-12-11')).toBe('done');
    expect(occurrenceState(o, '2026-12-01')).toBe('scheduled');
  });

  it('each action fires exactly once over any sequence of sweep days, the ticket no later than its lead day once swept', () => {
    fc.assert(
      fc.property(plan, fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 1, maxLength: 30 }), (p, offsets) => {
        const due = cycleDate(p, 0);
        let o = fresh(0, due);
        const fired = { createTicket: 0, remind: 0, overdue: 0 };
        for (const today of offsets.map((d) => addDays(due, d)).sort()) {
          const d = sweepOccurrence(p, o, today);
          if (d.createTicket) fired.createTicket++;
          if (d.remind) fired.remind++;
          if (d.overdue) fired.overdue++;
          // A create never comes before the lead day; the next check is never in the past.
          if (d.createTicket) expect(today >= ticketDate(p, due)).toBe(true);
          if (d.nextCheck !== null) expect(d.nextCheck > today).toBe(true);
          o = apply(o, d);
          // A second sweep the same day decides nothing more.
          const again = sweepOccurrence(p, o, today);
          expect([again.createTicket, again.remind, again.overdue]).toEqual([false, false, false]);
        }
        expect(fired.createTicket).toBeLessThanOrEqual(1);
        expect(fired.remind).toBeLessThanOrEqual(1);
        expect(fired.overdue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a completed occurrence needs nothing', () => {
    fc.assert(fc.property(plan, day, (p, today) => {
        expect(sweepOccurrence(p, { ...fresh(0, p.firstDate), completed: true }, today)).toEqual({ createTicket: false, remind: false, overdue: false, nextCheck: null });
      }),
    );
  });
});
