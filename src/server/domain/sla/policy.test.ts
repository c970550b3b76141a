import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alwaysOpenCalendar, chinaMainlandCalendar } from './calendar.js';
import { addWorkingDays, addWorkingMinutes, isInsideNonWorkingTime, nextWorkingInstant, workingMinutesBetween, workingMsBetween } from './deadlines.js';
import { choosePolicy, clockState, clockStateAt, computeDeadlines, DEFAULT_POLICIES, targetDeadline, type SlaPolicy, type SlaTarget, type SlaTargets } from './policy.js';

const HOUR = 3_600_000;
const cst = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const isoCst = (t: number | null) => (t === null ? null : new Date(t + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' '));
const china = chinaMainlandCalendar();

const NONE: SlaTargets = { firstResponse: null, startHandling: null, firstSolution: null, resolve: null, nextUpdate: null, followUp: null };
const policy = (id: number, criteria: Partial<SlaPolicy>): SlaPolicy => ({ id, name: `p${id}`, calendar: 'china', targets: NONE, ...criteria });
const wm = (amount: number): SlaTarget => ({ amount, unit: 'working_minutes' });
/** The P2 policy as it was seeded before targets had units: everything in working minutes. */
const workingMinutesP2: SlaPolicy = {
  ...policy(2, { priority: 'P2' }),
  warnAtPercent: 80,
  targets: { firstResponse: wm(30), startHandling: wm(480), firstSolution: wm(2880), resolve: null, nextUpdate: wm(1440), followUp: wm(1440) },
};

describe('default policies (SPEC §4)', () => {
  it('have the seed targets, each with its unit', () => {
    const byPriority = Object.fromEntries(DEFAULT_POLICIES.map((p) => [p.priority, p.targets]));
    const day = { amount: 1, unit: 'working_days' };
    expect(byPriority.P1).toEqual({
      firstResponse: { amount: 30, unit: 'clock_minutes' },
      startHandling: { amount: 4, unit: 'clock_hours' },
      firstSolution: { amount: 24, unit: 'clock_hours' },
      resolve: null,
      nextUpdate: { amount: 12, unit: 'clock_hours' },
      followUp: day,
    });
    expect(byPriority.P2).toEqual({
      firstResponse: { amount: 30, unit: 'working_minutes' },
      startHandling: { amount: 8, unit: 'working_hours' },
      firstSolution: { amount: 2, unit: 'working_days' },
      resolve: null,
      nextUpdate: day,
      followUp: day,
    });
    expect(byPriority.P3).toEqual({
      firstResponse: { amount: 30, unit: 'working_minutes' },
      startHandling: day,
      firstSolution: null,
      resolve: { amount: 3, unit: 'working_days' },
      nextUpdate: day,
      followUp: day,
    });
    for (const p of DEFAULT_POLICIES) expect(p.warnAtPercent).toBe(80);
  });

  it('cover every priority', () => {
    for (const priority of ['P1', 'P2', 'P3'] as const) expect(choosePolicy(DEFAULT_POLICIES, { priority })?.priority).toBe(priority);
  });
});

describe('choosePolicy', () => {
  const policies = [
    policy(1, {}),
    policy(2, { priority: 'P1' }),
    policy(3, { priority: 'P1', customerTier: 'vip' }),
    policy(4, { priority: 'P1', productLine: 'medical' }),
    policy(5, { priority: 'P1', customerTier: 'vip', productLine: 'medical', serviceType: 'repair' }),
    policy(6, { customerTier: 'vip', serviceType: 'complaint' }),
    policy(7, { priority: 'P2', customerTier: 'core' }),
    policy(8, { customerTier: 'core', priority: 'P2' }),
  ];

  it('picks the most specific matching policy', () => {
    expect(choosePolicy(policies, { priority: 'P3' })?.id).toBe(1);
    expect(choosePolicy(policies, { priority: 'P1' })?.id).toBe(2);
    expect(choosePolicy(policies, { priority: 'P1', customerTier: 'vip' })?.id).toBe(3);
    expect(choosePolicy(policies, { priority: 'P1', customerTier: 'vip', productLine: 'medical', serviceType: 'repair' })?.id).toBe(5);
    expect(choosePolicy(policies, { priority: 'P3', customerTier: 'vip', serviceType: 'complaint' })?.id).toBe(6);
  });

  it('breaks ties by the lowest id, whatever the order of the list', () => {
    // 3 (priority + tier) and 4 (priority + product line) both set two criteria
    expect(choosePolicy(policies, { priority: 'P1', customerTier: 'vip', productLine: 'medical' })?.id).toBe(3);
    expect(choosePolicy([...policies].reverse(), { priority: 'P1', customerTier: 'vip', productLine: 'medical' })?.id).toBe(3);
    expect(choosePolicy([...policies].reverse(), { priority: 'P2', customerTier: 'core' })?.id).toBe(7);
  });

  it('never picks a policy whose criteria contradict the ticket', () => {
    expect(choosePolicy(policies.slice(1), { priority: 'P3' })).toBeNull();
    expect(choosePolicy([policy(9, { productLine: 'tv' })], { priority: 'P1', productLine: null })).toBeNull();
  });

  it('property: the winner matches and no matching policy is more specific', () => {
    const crit = {
      priority: fc.constantFrom('P1', 'P2', 'P3', null),
      customerTier: fc.constantFrom('normal', 'core', 'vip', null),
      productLine: fc.constantFrom('tv', 'medical', null),
      serviceType: fc.constantFrom('repair', 'complaint', null),
    } as const;
    const arbPolicy = fc.record(crit);
    fc.assert(
      fc.property(fc.array(arbPolicy, { maxLength: 12 }), fc.record({ ...crit, priority: fc.constantFrom('P1', 'P2', 'P3') }), (raw, ticket) => {
        const ps = raw.map((c, i) => policy(100 - i, c as Partial<SlaPolicy>));
        const won = choosePolicy(ps, ticket as Parameters<typeof choosePolicy>[1]);
        const matches = ps.filter((p) => (['priority', 'customerTier', 'productLine', 'serviceType'] as const).every((k) => p[k] == null || p[k] === ticket[k]));
        if (matches.length === 0) {
          expect(won).toBeNull();
          return;
        }
        const spec = (p: SlaPolicy) => (['priority', 'customerTier', 'productLine', 'serviceType'] as const).filter((k) => p[k] != null).length;
        const best = Math.max(...matches.map(spec));
        expect(won && spec(won)).toBe(best);
        expect(won!.id).toBe(Math.min(...matches.filter((p) => spec(p) === best).map((p) => p.id)));
      }),
    );
  });
});

describe('computeDeadlines in working minutes', () => {
  const p2 = workingMinutesP2;

  it('P2 reported Fri 2025-09-26 17:00 China time (make-up Sunday Sep 28, holiday Oct 1–8)', () => {
    const d = computeDeadlines(p2, china, { reportedAt: cst(2025, 9, 26, 17) });
    expect(isoCst(d.firstResponseDueAt)).toBe('2025-09-26 17:30');
    expect(isoCst(d.startHandlingDueAt)).toBe('2025-09-28 17:30'); // 1 h Fri + 7 h on the 调休 Sunday
    expect(isoCst(d.firstSolutionDueAt)).toBe('2025-10-13 11:00'); // 48 h: 1 + 3 × 7.5 + (holiday) + 3 × 7.5 (incl. Sat Oct 11) + 2
    expect(d.resolveDueAt).toBeNull();
    expect(isoCst(d.nextUpdateDueAt)).toBe('2025-10-09 09:30'); // 24 h: 23.5 h by Sep 30, 0.5 h after the holiday
    expect(d.followUpDueAt).toBeNull();
    // warnings at 80 %: 384 of 480 min → Fri 1 h, Sun 09:00–12:00, 13:30 + 2 h 24 min
    expect(isoCst(d.warnAt.startHandling)).toBe('2025-09-28 15:54');
    expect(isoCst(d.warnAt.firstResponse)).toBe('2025-09-26 17:24');
    expect(d.warnAt.resolve).toBeNull();
    expect(d.uncoveredYears).toEqual([]);
  });

  it('starts the follow-up clock at the resolution and the update clock at the last update', () => {
    const d = computeDeadlines(p2, china, {
      reportedAt: cst(2025, 9, 26, 17),
      lastUpdateAt: cst(2025, 10, 9, 10),
      resolvedAt: cst(2025, 10, 10, 16),
    });
    expect(isoCst(d.nextUpdateDueAt)).toBe('2025-10-13 11:30'); // Oct 9 10:00 + 24 h: 6.5 + 7.5 (Fri) + 7.5 (Sat 调休) + 2.5
    expect(isoCst(d.followUpDueAt)).toBe('2025-10-14 17:30'); // Fri 16:00: 2 h, Sat 11: 7.5 h, Mon 13: 7.5 h, Tue 14: 3 h + 4 h
  });

  it('moves running clocks by the working time of pauses (waiting for the customer)', () => {
    const reportedAt = cst(2025, 9, 26, 17);
    // paused Fri 17:40 – Sun 28 10:00: 20 min on Friday + 60 min on the make-up Sunday = 80 working minutes
    const pauses = [{ pausedAt: cst(2025, 9, 26, 17, 40), resumedAt: cst(2025, 9, 28, 10) }];
    const d = computeDeadlines(p2, china, { reportedAt, pauses });
    expect(isoCst(d.firstResponseDueAt)).toBe('2025-09-26 17:30'); // already due when paused: unchanged
    expect(isoCst(d.startHandlingDueAt)).toBe('2025-09-29 09:50'); // Sun 17:30 + 80 min: 30 min Sun, 50 min Mon
    expect(workingMinutesBetween(china, reportedAt, d.startHandlingDueAt!)).toBe(480 + 80);
    // a pause before the update clock (re)started does not move it
    const later = computeDeadlines(p2, china, { reportedAt, pauses, lastUpdateAt: cst(2025, 9, 29, 9) });
    expect(later.nextUpdateDueAt).toBe(addWorkingMinutes(china, cst(2025, 9, 29, 9), 1440).at);
  });

  it('warns when a deadline runs into a year without holiday data', () => {
    const p3 = choosePolicy(DEFAULT_POLICIES, { priority: 'P3' })!;
    const d = computeDeadlines(p3, china, { reportedAt: cst(2026, 12, 29, 10) });
    expect(d.uncoveredYears).toEqual([2027]);
    expect(computeDeadlines(p3, china, { reportedAt: cst(2026, 11, 2, 10) }).uncoveredYears).toEqual([]);
  });

  it('counts round the clock on a 24×7 calendar', () => {
    const p1 = { ...workingMinutesP2, targets: { ...NONE, startHandling: wm(240), firstSolution: wm(1440) }, calendar: '24x7' };
    const d = computeDeadlines(p1, alwaysOpenCalendar(), { reportedAt: cst(2025, 10, 1, 2) });
    expect(isoCst(d.startHandlingDueAt)).toBe('2025-10-01 06:00');
    expect(isoCst(d.firstSolutionDueAt)).toBe('2025-10-02 02:00');
    expect(isoCst(d.warnAt.startHandling)).toBe('2025-10-01 05:12');
  });
});

describe('computeDeadlines with units (SPEC §4 defaults)', () => {
  const P1 = choosePolicy(DEFAULT_POLICIES, { priority: 'P1' })!;
  const P2 = choosePolicy(DEFAULT_POLICIES, { priority: 'P2' })!;
  const P3 = choosePolicy(DEFAULT_POLICIES, { priority: 'P3' })!;

  it('P1 reported Saturday 2026-11-28 23:00 China time: clock hours, first response due Saturday 23:30', () => {
    const d = computeDeadlines(P1, china, { reportedAt: cst(2026, 11, 28, 23) });
    expect(isoCst(d.firstResponseDueAt)).toBe('2026-11-28 23:30');
    expect(isoCst(d.warnAt.firstResponse)).toBe('2026-11-28 23:24');
    expect(isoCst(d.startHandlingDueAt)).toBe('2026-11-29 03:00');
    expect(isoCst(d.firstSolutionDueAt)).toBe('2026-11-29 23:00');
    expect(isoCst(d.nextUpdateDueAt)).toBe('2026-11-29 11:00');
    expect(d.resolveDueAt).toBeNull();
    // the follow-up call stays in working days: resolved Sunday 10:00 → Monday 09:00 + 1 working day = Tuesday 09:00
    expect(isoCst(computeDeadlines(P1, china, { reportedAt: cst(2026, 11, 28, 23), resolvedAt: cst(2026, 11, 29, 10) }).followUpDueAt)).toBe('2026-12-01 09:00');
  });

  it('P3 registered Friday 2026-02-13 15:00: resolve in 3 working days → Wednesday 25 15:00 over Spring Festival', () => {
    const d = computeDeadlines(P3, china, { reportedAt: cst(2026, 2, 13, 15) });
    expect(isoCst(d.firstResponseDueAt)).toBe('2026-02-13 15:30');
    expect(isoCst(d.startHandlingDueAt)).toBe('2026-02-14 15:00'); // the 调休 Saturday is a working day
    expect(isoCst(d.resolveDueAt)).toBe('2026-02-25 15:00');
    // warning at 80 % of the working time to the deadline: 3 h Fri + 7.5 h Sat 14 + 7.5 h Tue 24 + 4.5 h Wed = 22.5 h → 18 h
    expect(workingMinutesBetween(china, cst(2026, 2, 13, 15), d.resolveDueAt!)).toBe(22.5 * 60);
    expect(isoCst(d.warnAt.resolve)).toBe('2026-02-24 18:00'); // 3 + 7.5 + 7.5 = 18 h: Tuesday's closing time
  });

  it('P2: 30 working minutes, 8 working hours, 2 working days', () => {
    const d = computeDeadlines(P2, china, { reportedAt: cst(2026, 11, 27, 17) }); // Friday 17:00
    expect(isoCst(d.firstResponseDueAt)).toBe('2026-11-27 17:30');
    expect(isoCst(d.startHandlingDueAt)).toBe('2026-11-30 17:30'); // 1 h Fri + 7 h Mon (7.5 h a day)
    expect(isoCst(d.firstSolutionDueAt)).toBe('2026-12-01 17:00');
    expect(isoCst(d.nextUpdateDueAt)).toBe('2026-11-30 17:00');
  });

  it('moves each clock by a pause in its own unit', () => {
    const reportedAt = cst(2026, 11, 27, 17); // Friday 17:00
    const pauses = [{ pausedAt: cst(2026, 11, 27, 17, 10), resumedAt: cst(2026, 11, 28, 11, 10) }]; // to Saturday 11:10: 18 h elapsed, 50 working min
    const mixed: SlaPolicy = {
      ...policy(9, {}),
      targets: { ...NONE, firstResponse: { amount: 30, unit: 'clock_minutes' }, startHandling: { amount: 8, unit: 'working_hours' }, resolve: { amount: 1, unit: 'working_days' } },
    };
    const plain = computeDeadlines(mixed, china, { reportedAt });
    const d = computeDeadlines(mixed, china, { reportedAt, pauses });
    expect(d.firstResponseDueAt! - plain.firstResponseDueAt!).toBe(18 * HOUR);
    expect(isoCst(d.firstResponseDueAt)).toBe('2026-11-28 11:30');
    expect(workingMinutesBetween(china, plain.startHandlingDueAt!, d.startHandlingDueAt!)).toBe(50);
    expect(isoCst(plain.resolveDueAt)).toBe('2026-11-30 17:00');
    expect(isoCst(d.resolveDueAt)).toBe('2026-11-30 17:50');
  });

  it('property: for every unit, warning ≤ deadline, 80 % of the time in the unit, pauses move by their length in it', () => {
    const units = fc.constantFrom('working_minutes', 'working_hours', 'working_days', 'clock_minutes', 'clock_hours') as fc.Arbitrary<SlaTarget['unit']>;
    const calendars = fc.constantFrom(china, alwaysOpenCalendar());
    fc.assert(
      fc.property(
        calendars,
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 6, 1) }),
        units,
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        (cal, start, unit, amount, frac, pauseLen) => {
          const tg: SlaTarget = { amount, unit };
          const { due, warn } = targetDeadline(cal, start, tg, 80);
          expect(due.at).toBeGreaterThanOrEqual(start);
          expect(warn.at).toBeGreaterThanOrEqual(start);
          expect(warn.at).toBeLessThanOrEqual(due.at);
          const clock = unit === 'clock_minutes' || unit === 'clock_hours';
          const m = unit === 'working_hours' || unit === 'clock_hours' ? amount * 60 : amount;
          if (clock) {
            expect(due.at - start).toBe(m * 60_000);
            expect(warn.at - start).toBe(Math.round(m * 60_000 * 0.8));
          } else if (unit === 'working_days') {
            expect(due.at).toBe(addWorkingDays(cal, start, amount).at);
            const from = nextWorkingInstant(cal, start);
            expect(workingMsBetween(cal, from, warn.at)).toBe(Math.round(workingMsBetween(cal, from, due.at) * 0.8));
          } else {
            expect(workingMinutesBetween(cal, start, due.at)).toBe(m);
            expect(isInsideNonWorkingTime(cal, due.at)).toBe(false);
          }
          // one pause starting before the deadline
          const p: SlaPolicy = { ...policy(1, {}), warnAtPercent: 80, targets: { ...NONE, resolve: tg } };
          const pausedAt = start + Math.floor((due.at - start) * frac);
          if (pausedAt >= due.at) return;
          const resumedAt = pausedAt + pauseLen;
          const moved = computeDeadlines(p, cal, { reportedAt: start, pauses: [{ pausedAt, resumedAt }] }).resolveDueAt!;
          if (clock) expect(moved - due.at).toBe(pauseLen);
          else expect(workingMsBetween(cal, due.at, moved)).toBe(workingMsBetween(cal, pausedAt, resumedAt));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('clock state', () => {
  const start = cst(2025, 9, 26, 17);
  const due = cst(2025, 9, 28, 17, 30); // 480 working minutes

  it('is ok, then warning at 80 % of the working time, then breached after the deadline', () => {
    expect(clockState(start, start, due, 80, china)).toBe('ok');
    expect(clockState(cst(2025, 9, 28, 15, 53), start, due, 80, china)).toBe('ok');
    expect(clockState(cst(2025, 9, 28, 15, 54), start, due, 80, china)).toBe('warning');
    expect(clockState(due, start, due, 80, china)).toBe('warning');
    expect(clockState(due + 1, start, due, 80, china)).toBe('breached');
    expect(clockState(due + 1, start, null)).toBe('ok');
  });

  it('uses wall-clock time without a calendar', () => {
    expect(clockState(start + 79, start, start + 100)).toBe('ok');
    expect(clockState(start + 80, start, start + 100)).toBe('warning');
    expect(clockState(start + 101, start, start + 100)).toBe('breached');
  });

  it('agrees with the warnAt of computeDeadlines', () => {
    const d = computeDeadlines(workingMinutesP2, china, { reportedAt: start });
    const warn = d.warnAt.startHandling!;
    expect(clockStateAt(warn - 1, warn, due)).toBe('ok');
    expect(clockStateAt(warn, warn, due)).toBe('warning');
    expect(clockStateAt(due + 1, warn, due)).toBe('breached');
    expect(clockState(warn - 60_000, start, due, 80, china)).toBe('ok');
    expect(clockState(warn, start, due, 80, china)).toBe('warning');
  });
});
