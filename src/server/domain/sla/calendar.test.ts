import { describe, expect, it } from 'vitest';
import chineseDays from 'chinese-days';
import {
  alwaysOpenCalendar,
  chinaHolidayData,
  chinaMainlandCalendar,
  DEFAULT_WEEK_HOURS,
  resolveCalendar,
  validateCalendar,
  weekdayOf,
} from './calendar.js';
import { coversYear, workingIntervalsOn } from './deadlines.js';

/** Every date from `from` to `to` inclusive. */
function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Holiday periods and make-up working days as announced by the General Office of the State Council
 * (国务院办公厅关于2025年部分节假日安排的通知 国办发明电〔2024〕12号, and the 2026 notice
 * 国办发明电〔2025〕7号), written here from the notices, not from the package.
 */
const ANNOUNCED = [
  { name: '2025 春节 Spring Festival', from: '2025-01-28', to: '2025-02-04', days: 8, makeUp: [['2025-01-26', 0], ['2025-02-08', 6]] },
  { name: '2025 国庆节、中秋节 National Day + Mid-Autumn', from: '2025-10-01', to: '2025-10-08', days: 8, makeUp: [['2025-09-28', 0], ['2025-10-11', 6]] },
  { name: '2026 春节 Spring Festival', from: '2026-02-15', to: '2026-02-23', days: 9, makeUp: [['2026-02-14', 6], ['2026-02-28', 6]] },
  // 中秋节 2026 is separate: 9月25日至27日放假，共3天 (no make-up day), inside the window checked below.
  { name: '2026 国庆节 National Day', from: '2026-10-01', to: '2026-10-07', days: 7, makeUp: [['2026-09-20', 0], ['2026-10-10', 6]], neighbours: ['2026-09-25', '2026-09-26', '2026-09-27'] },
] as const;

describe('China mainland calendar (chinese-days)', () => {
  const cal = chinaMainlandCalendar();

  for (const h of ANNOUNCED) {
    describe(h.name, () => {
      const period = dates(h.from, h.to);

      it('has the announced length and make-up weekdays', () => {
        expect(period).toHaveLength(h.days);
        for (const [d, wd] of h.makeUp) expect(weekdayOf(d), d).toBe(wd);
      });

      it('matches the chinese-days data exactly', () => {
        // the whole window around the holiday: exactly the announced days are statutory holidays
        const neighbours: readonly string[] = 'neighbours' in h ? h.neighbours : [];
        expect(chineseDays.getHolidaysInRange(shiftDate(h.from, -20), shiftDate(h.to, 20), false)).toEqual([...neighbours, ...period]);
        for (const d of period) expect(chineseDays.getDayDetail(d).work, d).toBe(false);
        const weekendWork = dates(shiftDate(h.from, -20), shiftDate(h.to, 20)).filter((d) => {
          const wd = weekdayOf(d);
          return (wd === 0 || wd === 6) && chineseDays.isWorkday(d);
        });
        expect(weekendWork).toEqual(h.makeUp.map(([d]) => d));
      });

      it('has no working time during the holiday, normal hours on make-up days and around it', () => {
        for (const d of period) expect(workingIntervalsOn(cal, d), d).toEqual([]);
        for (const [d] of h.makeUp) {
          expect(cal.workdays, d).toContain(d);
          expect(workingIntervalsOn(cal, d), d).toHaveLength(2);
        }
        // statutory holidays on weekdays are listed; those on weekends need not be
        for (const d of period) {
          const wd = weekdayOf(d);
          if (wd !== 0 && wd !== 6) expect(cal.holidays, d).toContain(d);
        }
        const dayAfter = shiftDate(h.to, 1);
        if (weekdayOf(dayAfter) !== 0 && weekdayOf(dayAfter) !== 6) expect(workingIntervalsOn(cal, dayAfter)).toHaveLength(2);
      });
    });
  }

  it('knows which years it covers: through 2026, not 2027', () => {
    const data = chinaHolidayData();
    expect(data.coveredYears).toContain(2025);
    expect(data.coveredYears).toContain(2026);
    expect(data.coveredYears).not.toContain(2027);
    expect(cal.coveredYears).toEqual(data.coveredYears);
    // contiguous range, and every covered year has holiday entries
    const ys = data.coveredYears;
    expect(ys[ys.length - 1] - ys[0] + 1).toBe(ys.length);
    for (const y of ys) expect(data.holidays.some((d) => d.startsWith(`${y}-`)), String(y)).toBe(true);
    expect(coversYear(cal, 2026)).toBe(true);
    expect(coversYear(cal, 2027)).toBe(false);
    // the package itself silently answers for 2027: 1 January 2027 (a Friday) "works"
    expect(chineseDays.isWorkday('2027-01-01')).toBe(true);
  });

  it('lists only make-up days on weekends, and holidays only on days that would work', () => {
    for (const d of cal.workdays) expect([0, 6]).toContain(weekdayOf(d));
    for (const d of cal.holidays) expect(DEFAULT_WEEK_HOURS[weekdayOf(d)].length).toBeGreaterThan(0);
    expect(validateCalendar(cal)).toEqual([]);
  });

  it('lets admin-entered days override the package data', () => {
    const custom = chinaMainlandCalendar({
      extraHolidays: ['2025-09-28', '2027-01-01', '2025-12-31'],
      extraWorkdays: ['2025-10-08'],
      extraCoveredYears: [2027],
    });
    expect(custom.workdays).not.toContain('2025-09-28');
    expect(custom.holidays).toContain('2025-09-28');
    expect(workingIntervalsOn(custom, '2025-09-28')).toEqual([]);
    expect(custom.holidays).not.toContain('2025-10-08');
    expect(workingIntervalsOn(custom, '2025-10-08')).toHaveLength(2);
    expect(workingIntervalsOn(custom, '2025-12-31')).toEqual([]);
    expect(custom.coveredYears).toContain(2027);
    expect(coversYear(custom, 2027)).toBe(true);
    expect(() => chinaMainlandCalendar({ extraHolidays: ['2025-05-06'], extraWorkdays: ['2025-05-06'] })).toThrow(RangeError);
    expect(() => chinaMainlandCalendar({ extraHolidays: ['2025-02-30'] })).toThrow(RangeError);
  });

  it('uses Monday hours on make-up days unless configured otherwise', () => {
    const short = chinaMainlandCalendar({ workdayHours: [[600, 900]] });
    const [[s, e]] = workingIntervalsOn(short, '2025-09-28');
    expect(new Date(s).toISOString()).toBe('2025-09-28T02:00:00.000Z'); // 10:00 CST
    expect(new Date(e).toISOString()).toBe('2025-09-28T07:00:00.000Z'); // 15:00 CST
  });

  it('describes a working week with a lunch break', () => {
    const [[s1, e1], [s2, e2]] = workingIntervalsOn(cal, '2025-09-26');
    expect([s1, e1, s2, e2].map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['01:00', '04:00', '05:30', '10:00']);
  });
});

describe('other calendars', () => {
  it('24×7 is always open and does not track coverage', () => {
    const cal = alwaysOpenCalendar();
    expect(cal.always).toBe(true);
    expect(coversYear(cal, 2099)).toBe(true);
    expect(validateCalendar(cal)).toEqual([]);
  });

  it('resolves built-in references', () => {
    expect(resolveCalendar('24x7')?.always).toBe(true);
    expect(resolveCalendar('china')?.coveredYears).toContain(2026);
    const mine = alwaysOpenCalendar('Europe/Berlin');
    expect(resolveCalendar('berlin', { berlin: mine })).toBe(mine);
    expect(resolveCalendar('nope')).toBeNull();
  });

  it('rejects broken calendar descriptions', () => {
    const errors = validateCalendar({
      timeZone: 'Mars/Olympus',
      weekHours: { 0: [], 1: [[600, 500]], 2: [[0, 1441]], 3: [], 4: [], 5: [], 6: [] },
      holidays: ['2025-13-01'],
      workdays: [],
    });
    expect(errors.join('\n')).toMatch(/timeZone/);
    expect(errors.join('\n')).toMatch(/weekHours\[1\]/);
    expect(errors.join('\n')).toMatch(/weekHours\[2\]/);
    expect(errors.join('\n')).toMatch(/holidays/);
    expect(validateCalendar({ timeZone: 'UTC', weekHours: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] }, holidays: [], workdays: [] })).toEqual([
      'calendar has no working time at all',
    ]);
  });
});
