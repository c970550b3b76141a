import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alwaysOpenCalendar, chinaMainlandCalendar, type BusinessCalendar, type Weekday } from './calendar.js';
import {
  addWorkingDays,
  addWorkingMinutes,
  addWorkingMs,
  isInsideNonWorkingTime,
  isWorkingInstant,
  nextWorkingInstant,
  resumeDeadline,
  workingIntervalsOn,
  workingMinutesBetween,
  workingMsBetween,
} from './deadlines.js';

const MIN = 60_000;
const HOUR = 3_600_000;
/** China Standard Time (UTC+8, no DST) wall clock → epoch ms. */
const cst = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const isoCst = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

const china = chinaMainlandCalendar(); // 09:00–12:00, 13:30–18:00 Mon–Fri + holidays / 调休
const always = alwaysOpenCalendar();

/** Europe/Berlin (DST), with intervals touching midnight, and 02:00–03:00 on Sundays (the DST switch hour). */
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weekHours: {
    0: [[120, 180], [200, 240], [600, 700]],
    1: [[0, 60], [540, 1020], [1380, 1440]],
    2: [[0, 60], [540, 1020], [1380, 1440]],
    3: [[540, 1020]],
    4: [[540, 1020]],
    5: [[540, 1020], [1380, 1440]],
    6: [[0, 60], [600, 840]],
  },
  holidays: ['2025-12-25', '2025-12-26', '2026-01-01'],
  workdays: ['2025-12-28'],
  workdayHours: [[600, 720]],
  coveredYears: [2025, 2026],
  assumedHolidays: ['12-25'],
};

/** New York: DST on different dates, negative offset; plain 09:00–17:00. */
const newYork: BusinessCalendar = {
  timeZone: 'America/New_York',
  weekHours: { 0: [], 1: [[540, 1020]], 2: [[540, 1020]], 3: [[540, 1020]], 4: [[540, 1020]], 5: [[540, 1020]], 6: [] },
  holidays: [],
  workdays: [],
};

const CALENDARS: [string, BusinessCalendar][] = [
  ['china', china],
  ['berlin', berlin],
  ['new-york', newYork],
  ['24x7', always],
];

describe('deadlines on the China calendar (hand-computed)', () => {
  it('P2 reported Fri 2025-09-26 17:00, 8 working hours: due on the make-up Sunday 2025-09-28 17:30', () => {
    // Fri 17:00–18:00 = 1 h; Sat 27 off; Sun 28 is a 调休 workday: 09:00–12:00 (3 h), 13:30–17:30 (4 h).
    const r = addWorkingMinutes(china, cst(2025, 9, 26, 17), 8 * 60);
    expect(isoCst(r.at)).toBe('2025-09-28 17:30');
    expect(r.uncoveredYears).toEqual([]);
  });

  it('the same ticket, 48 h first solution: across the Oct 1–8 holiday and the make-up Saturday Oct 11', () => {
    // Fri 26: 1 h · Sun 28, Mon 29, Tue 30: 7.5 h each (23.5 h) · Oct 1–8 holiday · Thu 9, Fri 10,
    // Sat 11 (调休): 7.5 h each (46 h) · Sun 12 off · Mon 13 09:00 + 2 h = 11:00.
    expect(isoCst(addWorkingMinutes(china, cst(2025, 9, 26, 17), 48 * 60).at)).toBe('2025-10-13 11:00');
    // 24 h update interval: 1 + 7.5 × 3 = 23.5 h by Tue 30 18:00, the last 0.5 h on Thu Oct 9.
    expect(isoCst(addWorkingMinutes(china, cst(2025, 9, 26, 17), 24 * 60).at)).toBe('2025-10-09 09:30');
    // 8 h from Tue Sep 30 17:00: 1 h, then Thu Oct 9 09:00–12:00, 13:30–17:30.
    expect(isoCst(addWorkingMinutes(china, cst(2025, 9, 30, 17), 8 * 60).at)).toBe('2025-10-09 17:30');
  });

  it('2025 Spring Festival: from Mon 2025-01-27 17:00, 4 h → after the holiday and the make-up Saturday Feb 8', () => {
    // Mon 27: 1 h · Jan 28 – Feb 4 holiday · Wed Feb 5 09:00 + 3 h = 12:00
    expect(isoCst(addWorkingMinutes(china, cst(2025, 1, 27, 17), 4 * 60).at)).toBe('2025-02-05 12:00');
    // Sun Jan 26 is a workday: a ticket reported at 08:00 that Sunday is due 4 h later at 13:30+1 h
    expect(isoCst(addWorkingMinutes(china, cst(2025, 1, 26, 8), 4 * 60).at)).toBe('2025-01-26 14:30');
    // Fri Feb 7 17:00 + 2 h → Sat Feb 8 (调休) 10:00
    expect(isoCst(addWorkingMinutes(china, cst(2025, 2, 7, 17), 2 * 60).at)).toBe('2025-02-08 10:00');
  });

  it('2026 Spring Festival (9 days) and National Day', () => {
    // Fri Feb 13 17:00 + 2 h → Sat Feb 14 (调休) 10:00; + 10 h → Tue Feb 24 (after Feb 15–23) 11:30 + …
    expect(isoCst(addWorkingMinutes(china, cst(2026, 2, 13, 17), 2 * 60).at)).toBe('2026-02-14 10:00');
    // Sat 14: 7.5 h, holiday to Mon 23, Tue 24: 09:00 + 1.5 h
    expect(isoCst(addWorkingMinutes(china, cst(2026, 2, 13, 17), 10 * 60).at)).toBe('2026-02-24 10:30');
    // Fri Feb 27 17:00 + 2 h → Sat Feb 28 (调休) 10:00
    expect(isoCst(addWorkingMinutes(china, cst(2026, 2, 27, 17), 2 * 60).at)).toBe('2026-02-28 10:00');
    // Fri Sep 18 17:00 + 2 h → Sun Sep 20 (调休) 10:00; Wed Sep 30 17:00 + 2 h → Thu Oct 8 10:00;
    // Fri Oct 9 17:00 + 2 h → Sat Oct 10 (调休) 10:00
    expect(isoCst(addWorkingMinutes(china, cst(2026, 9, 18, 17), 2 * 60).at)).toBe('2026-09-20 10:00');
    expect(isoCst(addWorkingMinutes(china, cst(2026, 9, 30, 17), 2 * 60).at)).toBe('2026-10-08 10:00');
    expect(isoCst(addWorkingMinutes(china, cst(2026, 10, 9, 17), 2 * 60).at)).toBe('2026-10-10 10:00');
  });

  it('ends exactly at the end of a working interval rather than at the next start', () => {
    expect(isoCst(addWorkingMinutes(china, cst(2025, 9, 26, 17), 60).at)).toBe('2025-09-26 18:00');
    expect(isoCst(addWorkingMinutes(china, cst(2025, 9, 26, 9), 180).at)).toBe('2025-09-26 12:00');
    // a start inside the lunch break counts from 13:30; zero minutes = next working instant
    expect(isoCst(addWorkingMinutes(china, cst(2025, 9, 26, 12, 15), 30).at)).toBe('2025-09-26 14:00');
    expect(isoCst(nextWorkingInstant(china, cst(2025, 9, 26, 12, 15)))).toBe('2025-09-26 13:30');
    expect(nextWorkingInstant(china, cst(2025, 9, 26, 12))).toBe(cst(2025, 9, 26, 12));
    expect(isWorkingInstant(china, cst(2025, 9, 26, 12))).toBe(false);
    expect(isInsideNonWorkingTime(china, cst(2025, 9, 26, 12))).toBe(false);
    expect(isInsideNonWorkingTime(china, cst(2025, 9, 26, 12, 1))).toBe(true);
  });

  it('counts working minutes between instants', () => {
    expect(workingMinutesBetween(china, cst(2025, 9, 26, 17), cst(2025, 10, 13, 11))).toBe(48 * 60);
    expect(workingMinutesBetween(china, cst(2025, 10, 13, 11), cst(2025, 9, 26, 17))).toBe(-48 * 60);
    expect(workingMinutesBetween(china, cst(2025, 10, 1, 0), cst(2025, 10, 9, 0))).toBe(0);
    expect(workingMinutesBetween(always, 0, 90 * MIN)).toBe(90);
  });

  it('still computes into 2027 (no holiday data yet) with the fixed-date holidays assumed, and says so', () => {
    // Wed 2026-12-30 10:00: 6.5 h · Thu 31: 7.5 h · Fri 2027-01-01 元旦: assumed off although the package does not
    // know 2027 yet · Sat/Sun off · Mon Jan 4: 7.5 h · Tue Jan 5 09:00 + 1 h.
    const r = addWorkingMinutes(china, cst(2026, 12, 30, 10), 22.5 * 60);
    expect(isoCst(r.at)).toBe('2027-01-05 10:00');
    expect(r.uncoveredYears).toEqual([2027]);
    // 劳动节 (Sat 2027-05-01 anyway) and 国庆节 Fri 1 – Sun 3 October 2027: Thu 30 Sep 17:00 + 2 h → Mon 4 Oct 10:00
    expect(isoCst(addWorkingMinutes(china, cst(2027, 9, 30, 17), 2 * 60).at)).toBe('2027-10-04 10:00');
    expect(workingIntervalsOn(china, '2027-10-01')).toEqual([]);
    expect(workingIntervalsOn(china, '2027-09-30')).toHaveLength(2);
    // only on the fixed dates: the lunar holidays of 2027 are unknown until the notice (Spring Festival: a plain week)
    expect(workingIntervalsOn(china, '2027-02-08')).toHaveLength(2);
    // entirely inside 2027
    const r2 = addWorkingMinutes(china, cst(2027, 3, 5, 17), 2 * 60); // Fri → Mon
    expect(isoCst(r2.at)).toBe('2027-03-08 10:00');
    expect(r2.uncoveredYears).toEqual([2027]);
    // once the admin has entered 2027's New Year holiday and marked the year covered: the same, without the warning
    const updated = chinaMainlandCalendar({ extraHolidays: ['2027-01-01'], extraCoveredYears: [2027] });
    const r3 = addWorkingMinutes(updated, cst(2026, 12, 30, 10), 22.5 * 60);
    expect(isoCst(r3.at)).toBe('2027-01-05 10:00');
    expect(r3.uncoveredYears).toEqual([]);
    // a covered year follows its notice only: an admin who marks 2027 covered without entering 国庆 gets a working 1 October
    expect(workingIntervalsOn(updated, '2027-10-01')).toHaveLength(2);
    // an admin-entered working day wins over an assumed holiday
    expect(workingIntervalsOn(chinaMainlandCalendar({ extraWorkdays: ['2027-01-01'] }), '2027-01-01')).toHaveLength(2);
    // inside covered years: no warning; 24×7: never a warning
    expect(addWorkingMinutes(china, cst(2026, 12, 30, 10), 60).uncoveredYears).toEqual([]);
    expect(addWorkingMinutes(always, cst(2026, 12, 30, 10), 5 * 24 * 60).uncoveredYears).toEqual([]);
  });

  it('moves a paused deadline by the working time of the pause', () => {
    const due = cst(2025, 9, 30, 16); // Tue
    // paused Tue 15:00 – resumed Thu Oct 9 10:00: 3 h of working time passed (Tue 15–18) + 1 h (Oct 9 09–10)
    const r = resumeDeadline(china, due, cst(2025, 9, 30, 15), cst(2025, 10, 9, 10));
    expect(workingMinutesBetween(china, cst(2025, 9, 30, 15), cst(2025, 10, 9, 10))).toBe(4 * 60);
    // Tue 16:00 + 4 h: 2 h to 18:00, then Thu Oct 9 09:00 + 2 h
    expect(isoCst(r.at)).toBe('2025-10-09 11:00');
    // a pause entirely in non-working time changes nothing; an already breached clock stays put
    expect(resumeDeadline(china, due, cst(2025, 10, 1, 9), cst(2025, 10, 5, 9)).at).toBe(due);
    expect(resumeDeadline(china, due, cst(2025, 9, 30, 17), cst(2025, 10, 9, 10)).at).toBe(due);
  });
});

describe('working days (N 个工作日)', () => {
  it('P3 registered Fri 2026-02-13 15:00, 3 working days: the 调休 Saturday counts, Spring Festival (to Mon 23) does not → Wed 25 15:00', () => {
    expect(workingIntervalsOn(china, '2026-02-14')).toHaveLength(2); // make-up Saturday
    expect(workingIntervalsOn(china, '2026-02-23')).toEqual([]); // holiday Monday
    expect(isoCst(addWorkingDays(china, cst(2026, 2, 13, 15), 3).at)).toBe('2026-02-25 15:00');
    expect(isoCst(addWorkingDays(china, cst(2026, 2, 13, 15), 1).at)).toBe('2026-02-14 15:00');
  });

  it('Fri 15:00 + 3 working days: Wednesday in a plain week, Thursday when the Monday is a holiday (清明 Mon 2026-04-06)', () => {
    expect(isoCst(addWorkingDays(china, cst(2026, 3, 27, 15), 3).at)).toBe('2026-04-01 15:00');
    expect(workingIntervalsOn(china, '2026-04-06')).toEqual([]);
    expect(isoCst(addWorkingDays(china, cst(2026, 4, 3, 15), 3).at)).toBe('2026-04-09 15:00');
    // a company calendar with its own Monday holiday does the same
    const company: BusinessCalendar = { ...newYork, timeZone: 'Asia/Shanghai', holidays: ['2026-03-30'] };
    expect(isoCst(addWorkingDays(company, cst(2026, 3, 27, 15), 3).at)).toBe('2026-04-02 15:00');
  });

  it('counts from the next working instant when registered outside working time', () => {
    expect(isoCst(addWorkingDays(china, cst(2026, 3, 28, 10), 1).at)).toBe('2026-03-31 09:00'); // Saturday → Mon 09:00 → Tue 09:00
    expect(isoCst(addWorkingDays(china, cst(2026, 3, 27, 20), 1).at)).toBe('2026-03-31 09:00'); // Friday night
    expect(isoCst(addWorkingDays(china, cst(2026, 3, 27, 12, 30), 1).at)).toBe('2026-03-30 13:30'); // lunch break
    expect(isoCst(addWorkingDays(china, cst(2026, 3, 27, 18), 1).at)).toBe('2026-03-30 18:00'); // the closing instant counts
    expect(isoCst(addWorkingDays(china, cst(2026, 3, 28, 10), 0).at)).toBe('2026-03-30 09:00');
  });

  it('keeps to the working hours of the target date', () => {
    const shortMonday: BusinessCalendar = { ...newYork, timeZone: 'Asia/Shanghai', weekHours: { ...newYork.weekHours, 1: [[600, 960]] } };
    expect(isoCst(addWorkingDays(shortMonday, cst(2026, 3, 27, 9, 30), 1).at)).toBe('2026-03-30 10:00'); // before Monday's start
    expect(isoCst(addWorkingDays(shortMonday, cst(2026, 3, 27, 16, 30), 1).at)).toBe('2026-03-30 16:00'); // after Monday's end
  });

  it('keeps the local time across a DST switch, and counts days on 24×7', () => {
    // Sat 2025-03-29 10:00 Berlin (CET, UTC+1) + 1 working day = Sun 30 10:00 CEST (UTC+2), the switch day
    expect(addWorkingDays(berlin, Date.UTC(2025, 2, 29, 9), 1).at).toBe(Date.UTC(2025, 2, 30, 8));
    expect(addWorkingDays(always, cst(2026, 3, 28, 23), 2).at).toBe(cst(2026, 3, 30, 23));
  });

  it('warns about years without holiday data it walked through', () => {
    expect(addWorkingDays(china, cst(2026, 12, 30, 10), 3)).toEqual({ at: cst(2027, 1, 5, 10), uncoveredYears: [2027] });
    expect(addWorkingDays(china, cst(2026, 12, 1, 10), 3).uncoveredYears).toEqual([]);
  });
});

describe('time zones with DST', () => {
  const berlinIso = (t: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(t);

  it('builds intervals on the DST switch days from wall-clock hours', () => {
    // 24-hour day on Sat 2025-03-29? (Saturday has 00:00–01:00, 10:00–14:00): before the switch, UTC+1
    expect(workingIntervalsOn(berlin, '2025-03-29').map(([a, b]) => (b - a) / HOUR)).toEqual([1, 4]);
    // Sun 2025-03-30: 02:00–03:00 does not exist; 03:20–04:00 CEST = 01:20–02:00Z; 10:00–11:40 CEST
    const spring = workingIntervalsOn(berlin, '2025-03-30');
    expect(spring.map(([a, b]) => [new Date(a).toISOString().slice(11, 16), new Date(b).toISOString().slice(11, 16)])).toEqual([
      ['01:20', '02:00'],
      ['08:00', '09:40'],
    ]);
    // Sun 2025-10-26: 02:00–03:00 happens twice (2 h), 03:20–04:00 CET = 02:20–03:00Z
    const autumn = workingIntervalsOn(berlin, '2025-10-26');
    expect(autumn.map(([a, b]) => [new Date(a).toISOString().slice(11, 16), new Date(b).toISOString().slice(11, 16)])).toEqual([
      ['00:00', '02:00'],
      ['02:20', '03:00'],
      ['09:00', '10:40'],
    ]);
    // a full 24×7 day in Berlin is 23 h / 25 h long on the switch days
    const allDay = alwaysOpenCalendar('Europe/Berlin');
    const len = (d: string) => workingIntervalsOn(allDay, d).reduce((s, [a, b]) => s + b - a, 0) / HOUR;
    expect([len('2025-03-30'), len('2025-06-01'), len('2025-10-26')]).toEqual([23, 24, 25]);
  });

  it('computes deadlines across the switch in wall-clock working hours', () => {
    // Fri 2025-03-28 16:00 CET, 3 h: 16:00–17:00 (1 h), 23:00–24:00 (1 h), Sat 00:00–01:00 (1 h) → Sat 01:00 CET
    const start = Date.UTC(2025, 2, 28, 15);
    expect(berlinIso(addWorkingMinutes(berlin, start, 180).at)).toBe('2025-03-29 01:00');
    // … + 4 h Sat 10–14 + 40 min Sun 03:20–04:00 CEST + 1 h 40 Sun 10:00–11:40 → Mon 00:00–01:00 → Mon 09:00 + 20 min
    expect(berlinIso(addWorkingMinutes(berlin, start, 180 + 240 + 40 + 100 + 60 + 20).at)).toBe('2025-03-31 09:20');
    // Mon 09:00 → Mon 17:00 is 8 working hours either side of the switch
    expect(workingMinutesBetween(berlin, Date.UTC(2025, 2, 24, 8), Date.UTC(2025, 2, 24, 16))).toBe(480);
    expect(workingMinutesBetween(berlin, Date.UTC(2025, 2, 31, 7), Date.UTC(2025, 2, 31, 15))).toBe(480);
    // New York switches on 2025-03-09: Fri Mar 7 16:00 EST + 2 h → Mon Mar 10 10:00 EDT (14:00Z)
    expect(addWorkingMinutes(newYork, Date.UTC(2025, 2, 7, 21), 120).at).toBe(Date.UTC(2025, 2, 10, 14));
  });

  it('keeps a deadline that ends at midnight (end of a 23:00–24:00 interval) where it is', () => {
    // Tue 2025-03-25 23:00 CET + 60 min = Wed 00:00, the end of Tuesday's last interval; Wednesday starts at 09:00
    const { at } = addWorkingMinutes(berlin, Date.UTC(2025, 2, 25, 22), 60);
    expect(berlinIso(at)).toBe('2025-03-26 00:00');
    expect(isInsideNonWorkingTime(berlin, at)).toBe(false);
    expect(addWorkingMinutes(berlin, at, 0).at).toBe(at);
    expect(berlinIso(addWorkingMinutes(berlin, at, 1).at)).toBe('2025-03-26 09:01');
  });

  it('applies holidays and extra workdays with their configured hours', () => {
    expect(workingIntervalsOn(berlin, '2025-12-25')).toEqual([]);
    expect(workingIntervalsOn(berlin, '2025-12-28')).toEqual([[Date.UTC(2025, 11, 28, 9), Date.UTC(2025, 11, 28, 11)]]);
  });
});

// ------------------------------------------------------------------------------------------ properties

/** Independent oracle: is wall-clock time at `t` inside the calendar's hours? (via Intl, not the implementation) */
function oracleWorking(cal: BusinessCalendar, t: number): boolean {
  if (cal.always) return true;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: cal.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(t);
  const get = (k: string) => Number(parts.find((p) => p.type === k)!.value);
  const date = `${get('year')}-${String(get('month')).padStart(2, '0')}-${String(get('day')).padStart(2, '0')}`;
  const wd = new Date(Date.UTC(get('year'), get('month') - 1, get('day'))).getUTCDay() as Weekday;
  const minute = get('hour') * 60 + get('minute') + get('second') / 60 + (((t % 1000) + 1000) % 1000) / 60_000;
  const assumedOff = !!cal.coveredYears && !cal.coveredYears.includes(get('year')) && !!cal.assumedHolidays?.includes(date.slice(5)) && !cal.workdays.includes(date);
  const hours = cal.holidays.includes(date) || assumedOff ? [] : cal.workdays.includes(date) ? (cal.workdayHours ?? cal.weekHours[1]) : cal.weekHours[wd];
  return hours.some(([s, e]) => s <= minute && minute < e);
}

const FROM = Date.UTC(2024, 11, 1);
const TO = Date.UTC(2027, 11, 31);
const instant = fc.integer({ min: FROM, max: TO });
/** Instants near DST switches (Europe: last Sundays of March / October; US: 2nd Sunday of March, 1st of November). */
const nearSwitch = fc
  .tuple(
    fc.constantFrom(Date.UTC(2025, 2, 30, 1), Date.UTC(2025, 9, 26, 1), Date.UTC(2026, 2, 29, 1), Date.UTC(2025, 2, 9, 7), Date.UTC(2025, 10, 2, 6)),
    fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }),
  )
  .map(([t, d]) => t + d);
const anyInstant = fc.oneof(instant, nearSwitch);
const minutes = fc.oneof(fc.integer({ min: 0, max: 6000 }), fc.constantFrom(0, 30, 240, 480, 1440, 2880, 4320));
const calendar = fc.constantFrom(...CALENDARS);

describe('deadline properties (fast-check)', () => {
  const runs = { numRuns: 400 };

  it('agrees with a wall-clock oracle about which instants are working', () => {
    fc.assert(
      fc.property(calendar, anyInstant, ([, cal], t) => {
        expect(isWorkingInstant(cal, t)).toBe(oracleWorking(cal, t));
      }),
      { numRuns: 2000 },
    );
  });

  it('a deadline is never inside non-working time, and never before the start', () => {
    fc.assert(
      fc.property(calendar, anyInstant, minutes, ([, cal], s, m) => {
        const { at } = addWorkingMinutes(cal, s, m);
        expect(isInsideNonWorkingTime(cal, at)).toBe(false);
        expect(at).toBeGreaterThanOrEqual(s);
        if (m > 0) expect(isWorkingInstant(cal, at - 1)).toBe(true); // the last working millisecond precedes it
      }),
      runs,
    );
  });

  it('adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(calendar, anyInstant, minutes, minutes, ([, cal], s, a, b) => {
        const first = addWorkingMinutes(cal, s, a).at;
        expect(addWorkingMinutes(cal, first, b).at).toBe(addWorkingMinutes(cal, s, a + b).at);
      }),
      runs,
    );
  });

  it('workingMinutesBetween(s, add(s, m)) = m, and working time is additive', () => {
    fc.assert(
      fc.property(calendar, anyInstant, minutes, anyInstant, ([, cal], s, m, x) => {
        expect(workingMinutesBetween(cal, s, addWorkingMinutes(cal, s, m).at)).toBe(m);
        const [a, b] = s <= x ? [s, x] : [x, s];
        const mid = Math.floor((a + b) / 2);
        expect(workingMsBetween(cal, a, mid) + workingMsBetween(cal, mid, b)).toBe(workingMsBetween(cal, a, b));
      }),
      runs,
    );
  });

  it('pausing for d working minutes moves the deadline by exactly d working minutes', () => {
    fc.assert(
      fc.property(
        calendar,
        anyInstant,
        fc.integer({ min: 1, max: 6000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        ([, cal], s, m, frac, pauseLen) => {
          const due = addWorkingMinutes(cal, s, m).at;
          const pausedAt = Math.min(due - 1, s + Math.floor((due - s) * frac));
          const resumedAt = pausedAt + pauseLen;
          const d = workingMsBetween(cal, pausedAt, resumedAt);
          const moved = resumeDeadline(cal, due, pausedAt, resumedAt).at;
          expect(workingMsBetween(cal, due, moved)).toBe(d);
          expect(isInsideNonWorkingTime(cal, moved)).toBe(false);
          // the working time left at the pause is left again at the resumption
          expect(workingMsBetween(cal, resumedAt, moved)).toBe(workingMsBetween(cal, pausedAt, due));
          // equivalently: counting from the start, the clock needed m + d working minutes
          expect(workingMsBetween(cal, s, moved)).toBe(m * MIN + d);
        },
      ),
      runs,
    );
  });

  it('working days: the N-th working date after the start, at the same local time when that is working time there', () => {
    const localDate = (cal: BusinessCalendar, t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: cal.timeZone }).format(t);
    const localTime = (cal: BusinessCalendar, t: number) => new Intl.DateTimeFormat('en-GB', { timeZone: cal.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(t);
    const nextDate = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(calendar, anyInstant, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), ([, cal], start, n, more) => {
        const s = nextWorkingInstant(cal, start);
        const due = addWorkingDays(cal, start, n).at;
        expect(due).toBeGreaterThanOrEqual(s);
        expect(isInsideNonWorkingTime(cal, due)).toBe(false);
        expect(addWorkingDays(cal, start, n + more).at).toBeGreaterThanOrEqual(due); // monotonic
        if (n === 0) {
          expect(due).toBe(s);
          return;
        }
        // the working dates after s's date, up to and including due's date: exactly n
        let count = 0;
        for (let d = nextDate(localDate(cal, s)); d <= localDate(cal, due); d = nextDate(d)) if (cal.always || workingIntervalsOn(cal, d).length > 0) count++;
        expect(count).toBe(n);
        // the same wall-clock time, when it is working time on that date
        // (China: the same hours on every working date but the make-up days; 24×7: every date)
        const sameTime = localTime(cal, s);
        if (cal.always) expect(localTime(cal, due)).toBe(sameTime);
        if (cal === china && isWorkingInstant(cal, s) && !china.workdays.includes(localDate(cal, due))) expect(localTime(cal, due)).toBe(sameTime);
      }),
      runs,
    );
  });

  it('is monotonic in the amount of working time', () => {
    fc.assert(
      fc.property(calendar, anyInstant, minutes, minutes, ([, cal], s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addWorkingMinutes(cal, s, lo).at).toBeLessThanOrEqual(addWorkingMinutes(cal, s, hi).at);
      }),
      runs,
    );
  });

  it('works to the millisecond', () => {
    fc.assert(
      fc.property(calendar, anyInstant, fc.integer({ min: 0, max: 10 * 86_400_000 }), ([, cal], s, ms) => {
        const { at } = addWorkingMs(cal, s, ms);
        expect(workingMsBetween(cal, s, at)).toBe(ms);
      }),
      runs,
    );
  });
});

describe('performance', () => {
  it('computes a 72-working-hour deadline in microseconds', () => {
    const N = 20_000;
    const starts = Array.from({ length: N }, (_, i) => cst(2025, 1, 1, 0) + ((i * 7_919_993) % (365 * 86_400_000)));
    for (const s of starts) addWorkingMinutes(china, s, 72 * 60); // warm the per-date cache
    const t0 = performance.now();
    for (const s of starts) addWorkingMinutes(china, s, 72 * 60);
    const perDeadlineUs = ((performance.now() - t0) * 1000) / N;
    expect(perDeadlineUs).toBeLessThan(50);
  });
});
