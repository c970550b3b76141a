// Business calendars for SLA clocks (营业日历). Pure data + pure factories; no IO.
//
// A calendar is plain JSON-serialisable data so that it can be stored, edited on the admin
// calendar page and compared. Deadline arithmetic lives in ./deadlines.ts.

import chineseDays from 'chinese-days';

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6; // 0 = Sunday … 6 = Saturday (like Date#getDay)

/** `[startMinute, endMinute]` in minutes since local midnight, 0 ≤ start < end ≤ 1440. */
export type MinuteInterval = readonly [startMinute: number, endMinute: number];

export type WeekHours = Record<Weekday, readonly MinuteInterval[]>;

export interface BusinessCalendar {
  /** IANA zone, e.g. `Asia/Shanghai`, `Europe/Berlin`. */
  timeZone: string;
  /** Working hours per weekday; several intervals a day (e.g. a lunch break); `[]` = day off. */
  weekHours: WeekHours;
  /** `YYYY-MM-DD` local dates that do not work (statutory / company holidays). */
  holidays: readonly string[];
  /**
   * `YYYY-MM-DD` local dates that work although their weekday normally does not (调休 make-up
   * days, admin-entered extra days). They use `workdayHours` if set, otherwise Monday's hours.
   * A date listed in both `holidays` and `workdays` is a holiday.
   */
  workdays: readonly string[];
  /** Hours of an extra working day; default: `weekHours[1]` (Monday). */
  workdayHours?: readonly MinuteInterval[];
  /**
   * Calendar years (of local dates) whose holidays / make-up days are known. Computing into a
   * year outside this list still works (plain weekdays / weekends) but is reported in
   * `uncoveredYears`. `undefined` = the calendar does not track coverage (never warns).
   */
  coveredYears?: readonly number[];
  /**
   * `MM-DD` dates that are holidays every year, assumed in the years outside `coveredYears` (China: 元旦 01-01,
   * 劳动节 05-01, 国庆节 10-01…10-03, fixed by the State Council's rules whatever the year's notice says about the
   * days around them). A date in `workdays` still works. Ignored when `coveredYears` is undefined.
   */
  assumedHolidays?: readonly string[];
  /** 24×7: every instant is working time; everything else is ignored. */
  always?: boolean;
}

export const MINUTES_PER_DAY = 1440;

/** 09:00–12:00 and 13:30–18:00, Monday to Friday (7.5 working hours a day). */
export const DEFAULT_WEEK_HOURS: WeekHours = Object.freeze({
  0: [],
  1: [[540, 720], [810, 1080]],
  2: [[540, 720], [810, 1080]],
  3: [[540, 720], [810, 1080]],
  4: [[540, 720], [810, 1080]],
  5: [[540, 720], [810, 1080]],
  6: [],
}) as WeekHours;

export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day of week of a `YYYY-MM-DD` date (0 = Sunday). */
export function weekdayOf(date: string): Weekday {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() as Weekday;
}

export function isValidDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkIntervals(where: string, list: readonly MinuteInterval[] | undefined, errors: string[]): void {
  if (!Array.isArray(list)) {
    errors.push(`${where}: not a list of intervals`);
    return;
  }
  for (const iv of list) {
    const [s, e] = Array.isArray(iv) ? iv : [NaN, NaN];
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > MINUTES_PER_DAY || s >= e) {
      errors.push(`${where}: bad interval ${JSON.stringify(iv)} (need integers 0 ≤ start < end ≤ 1440)`);
    }
  }
}

/** Problems with a calendar description (empty list = valid). Use on admin input. */
export function validateCalendar(cal: BusinessCalendar): string[] {
  const errors: string[] = [];
  if (typeof cal.timeZone !== 'string' || !isValidTimeZone(cal.timeZone)) errors.push(`timeZone: unknown zone ${String(cal.timeZone)}`);
  if (cal.always) return errors;
  if (!cal.weekHours || typeof cal.weekHours !== 'object') errors.push('weekHours: missing');
  else for (const d of WEEKDAYS) checkIntervals(`weekHours[${d}]`, cal.weekHours[d], errors);
  if (cal.workdayHours !== undefined) checkIntervals('workdayHours', cal.workdayHours, errors);
  for (const [name, list] of [['holidays', cal.holidays], ['workdays', cal.workdays]] as const) {
    if (!Array.isArray(list)) errors.push(`${name}: not a list`);
    else for (const d of list) if (typeof d !== 'string' || !isValidDate(d)) errors.push(`${name}: bad date ${JSON.stringify(d)}`);
  }
  if (cal.assumedHolidays !== undefined && (!Array.isArray(cal.assumedHolidays) || cal.assumedHolidays.some((d) => typeof d !== 'string' || !isValidDate(`2000-${d}`)))) {
    errors.push('assumedHolidays: not a list of MM-DD dates');
  }
  if (cal.coveredYears !== undefined && (!Array.isArray(cal.coveredYears) || cal.coveredYears.some((y) => !Number.isInteger(y)))) {
    errors.push('coveredYears: not a list of years');
  }
  const hasWork =
    WEEKDAYS.some((d) => (cal.weekHours?.[d]?.length ?? 0) > 0) ||
    ((cal.workdays?.length ?? 0) > 0 && ((cal.workdayHours ?? cal.weekHours?.[1])?.length ?? 0) > 0);
  if (!hasWork) errors.push('calendar has no working time at all');
  return errors;
}

/** 24×7: every instant counts. */
export function alwaysOpenCalendar(timeZone: string = CHINA_TIME_ZONE): BusinessCalendar {
  const all: readonly MinuteInterval[] = [[0, MINUTES_PER_DAY]];
  return {
    timeZone,
    weekHours: { 0: all, 1: all, 2: all, 3: all, 4: all, 5: all, 6: all },
    holidays: [],
    workdays: [],
    always: true,
  };
}

// ---------------------------------------------------------------------------------------------
// China mainland: statutory holidays and 调休 make-up days from the `chinese-days` package.

export interface ChinaHolidayData {
  /** Years for which the package has holiday data (it has data iff the State Council notice was out). */
  coveredYears: number[];
  /** Every statutory holiday date (放假), including those on weekends. */
  holidays: string[];
  /** 调休 make-up working days (上班) — always a Saturday or Sunday. */
  workdays: string[];
}

/**
 * Statutory holidays on fixed dates (《全国年节及纪念日放假办法》): 元旦 1 January, 劳动节 1 May, 国庆节 1–3 October. They
 * are days off in every year, announced or not; the lunar holidays and the 调休 days around them are not known
 * before the notice.
 */
export const CHINA_FIXED_HOLIDAYS: readonly string[] = Object.freeze(['01-01', '05-01', '10-01', '10-02', '10-03']);

const PROBE_FROM = 1990;
const PROBE_TO = 2200;
let chinaData: ChinaHolidayData | null = null;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The holiday data of `chinese-days`, read once through its public API.
 *
 * For years it has no data for, the package silently answers "Mon–Fri work, Sat–Sun off"; so
 * coverage is decided here: a year is covered iff the package has at least one statutory holiday
 * entry in it. New Year's Day (元旦) is a statutory holiday every year, so a year without an
 * entry for 1 January is skipped quickly; candidates are then read day by day.
 */
export function chinaHolidayData(): ChinaHolidayData {
  if (chinaData) return chinaData;
  const coveredYears: number[] = [];
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (let y = PROBE_FROM; y <= PROBE_TO; y++) {
    if (!isStatutoryHoliday(`${y}-01-01`)) continue;
    let any = false;
    for (let t = Date.UTC(y, 0, 1); new Date(t).getUTCFullYear() === y; t += 86_400_000) {
      const d = new Date(t);
      const date = `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
      const wd = d.getUTCDay();
      const detail = chineseDays.getDayDetail(date);
      if (isStatutoryName(detail.name) && !detail.work) {
        holidays.push(date);
        any = true;
      } else if (detail.work && (wd === 0 || wd === 6)) {
        workdays.push(date);
      }
    }
    if (any) coveredYears.push(y);
  }
  chinaData = Object.freeze({
    coveredYears: Object.freeze(coveredYears) as number[],
    holidays: Object.freeze(holidays) as string[],
    workdays: Object.freeze(workdays) as string[],
  });
  return chinaData;
}

const ENGLISH_WEEKDAY_NAMES = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

/** `getDayDetail` names a listed day after its festival (`"Spring Festival,春节,4"`), any other day after its weekday. */
function isStatutoryName(name: string): boolean {
  return !ENGLISH_WEEKDAY_NAMES.has(name);
}

function isStatutoryHoliday(date: string): boolean {
  const detail = chineseDays.getDayDetail(date);
  return !detail.work && isStatutoryName(detail.name);
}

export interface ChinaCalendarOptions {
  /** Default: 09:00–12:00, 13:30–18:00 Monday–Friday. */
  weekHours?: WeekHours;
  /** Hours of a 调休 make-up day / extra working day. Default: Monday's hours. */
  workdayHours?: readonly MinuteInterval[];
  /** Admin-entered days off (company holidays, a new year's holidays before the package knows them). */
  extraHolidays?: readonly string[];
  /** Admin-entered working days (a new year's make-up days). */
  extraWorkdays?: readonly string[];
  /** Years the admin has entered completely (e.g. the new State Council notice). */
  extraCoveredYears?: readonly number[];
  timeZone?: string;
}

/**
 * China mainland calendar: the given working hours, minus statutory holidays that fall on days
 * that would otherwise work, plus the 调休 make-up days, for the years `chinese-days` covers.
 * Admin-entered days override the package (an admin holiday removes a package make-up day and
 * vice versa). A date in both admin lists is rejected. In years neither covers, the fixed-date statutory holidays
 * (CHINA_FIXED_HOLIDAYS) are assumed, and the years are still reported as uncovered.
 */
export function chinaMainlandCalendar(opts: ChinaCalendarOptions = {}): BusinessCalendar {
  const weekHours = opts.weekHours ?? DEFAULT_WEEK_HOURS;
  const extraHolidays = new Set(opts.extraHolidays ?? []);
  const extraWorkdays = new Set(opts.extraWorkdays ?? []);
  for (const d of [...extraHolidays, ...extraWorkdays]) if (!isValidDate(d)) throw new RangeError(`not a valid YYYY-MM-DD date: ${d}`);
  for (const d of extraHolidays) if (extraWorkdays.has(d)) throw new RangeError(`${d} is entered both as a holiday and as a working day`);

  const data = chinaHolidayData();
  const holidays = new Set<string>();
  for (const d of data.holidays) if (weekHours[weekdayOf(d)].length > 0 && !extraWorkdays.has(d)) holidays.add(d);
  for (const d of extraHolidays) holidays.add(d);
  const workdays = new Set<string>();
  for (const d of data.workdays) if (!extraHolidays.has(d)) workdays.add(d);
  for (const d of extraWorkdays) workdays.add(d);

  const covered = new Set<number>([...data.coveredYears, ...(opts.extraCoveredYears ?? [])]);
  const cal: BusinessCalendar = {
    timeZone: opts.timeZone ?? CHINA_TIME_ZONE,
    weekHours,
    holidays: [...holidays].sort(),
    workdays: [...workdays].sort(),
    coveredYears: [...covered].sort((a, b) => a - b),
    assumedHolidays: CHINA_FIXED_HOLIDAYS,
  };
  if (opts.workdayHours) cal.workdayHours = opts.workdayHours;
  return cal;
}

/** Built-in calendar references used by policies: `'china'` and `'24x7'`; anything else is looked up in `custom`. */
export function resolveCalendar(ref: string, custom: Readonly<Record<string, BusinessCalendar>> = {}): BusinessCalendar | null {
  if (Object.prototype.hasOwnProperty.call(custom, ref)) return custom[ref];
  if (ref === 'china') return defaultChina ?? (defaultChina = chinaMainlandCalendar());
  if (ref === '24x7') return defaultAlways ?? (defaultAlways = alwaysOpenCalendar());
  return null;
}
let defaultChina: BusinessCalendar | undefined;
let defaultAlways: BusinessCalendar | undefined;
