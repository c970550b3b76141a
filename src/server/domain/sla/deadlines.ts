// Working-time arithmetic on business calendars. Pure; instants are UTC epoch milliseconds.
//
// Conventions
// - Working time of a local date is a set of UTC intervals, derived from the calendar's
//   wall-clock hours in its time zone (DST-aware: a 02:00–03:00 interval on the spring-forward
//   day is empty, on the fall-back day it lasts two hours; a wall time in the spring-forward gap
//   means the moment the clocks jump, a repeated wall time means its first occurrence).
// - An instant is *working* (`isWorkingInstant`) if start ≤ t < end for some interval: work is
//   going on at that moment. An instant is *inside non-working time* if it is in no closed
//   interval [start, end].
// - A deadline (`addWorkingMinutes`) is the earliest instant at which `minutes` working minutes
//   have elapsed since start. It always lies in a closed working interval: if the time runs out
//   exactly at the end of an interval (e.g. 18:00), the deadline is that end (18:00 today), not
//   the start of the next interval (09:00 tomorrow). With 0 minutes the deadline is the start
//   itself if it lies in a closed working interval, otherwise the next interval's start.
//   This makes add(add(s, a), b) = add(s, a + b) hold exactly for all a, b ≥ 0.
// - Arithmetic is done in whole milliseconds; minutes may be fractional.
// - Calendars are treated as immutable: the compiled form (per-date interval lists) is cached
//   per calendar object. Build a new calendar object after an edit.

import type { BusinessCalendar, MinuteInterval, Weekday } from './calendar.js';
import { MINUTES_PER_DAY } from './calendar.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** More consecutive days without any working time than this means the calendar never works. */
const MAX_EMPTY_DAYS = 3660;
const MAX_CACHED_DAYS = 50_000;

export interface DeadlineResult {
  /** UTC epoch ms. */
  at: number;
  /**
   * Years (of local dates) that the computation walked through and that the calendar has no
   * holiday data for. Non-empty means: computed on plain weekdays / weekends; recompute once the
   * year's holidays are entered.
   */
  uncoveredYears: number[];
}

interface Day {
  dn: number; // days since 1970-01-01 of the local date
  year: number;
  start: number; // UTC ms of local midnight
  end: number; // UTC ms of the next local midnight
  iv: number[]; // flat, sorted, merged [s0, e0, s1, e1, …] in UTC ms
  /**
   * The date lasts exactly 24 h, so no clock change falls on it and one offset holds all day: a wall time of the day
   * is `start` plus its time of day, without asking Intl (formatToParts costs microseconds, and every working-days
   * deadline of every create needs two of them). Dates with a change take the exact path through localToUtc.
   */
  uniform: boolean;
}

interface Compiled {
  always: boolean;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  covered: ReadonlySet<number> | null;
  assumed: ReadonlySet<string>;
  weekHours: Readonly<Record<Weekday, readonly MinuteInterval[]>>;
  workdayHours: readonly MinuteInterval[];
  zone: Zone;
  days: Map<number, Day>;
  guess: number; // last seen offset (local − UTC), to find an instant's local date without Intl
}

// ----------------------------------------------------------------------------- time zones

interface Zone {
  fmt: Intl.DateTimeFormat;
}
const zones = new Map<string, Zone>();

function zone(tz: string): Zone {
  let z = zones.get(tz);
  if (!z) {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    z = { fmt };
    zones.set(tz, z);
  }
  return z;
}

/** Offset (local − UTC, ms) of the zone at instant `t`. */
function offsetAt(z: Zone, t: number): number {
  const secs = Math.floor(t / 1000) * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of z.fmt.formatToParts(secs)) {
    switch (p.type) {
      case 'year': y = +p.value; break;
      case 'month': mo = +p.value; break;
      case 'day': d = +p.value; break;
      case 'hour': h = +p.value; break;
      case 'minute': mi = +p.value; break;
      case 'second': s = +p.value; break;
    }
  }
  const wall = new Date(0);
  wall.setUTCFullYear(y, mo - 1, d);
  wall.setUTCHours(h, mi, s, 0);
  return wall.getTime() - secs;
}

/** UTC instant of a wall-clock time given as "local ms" (wall time read as if it were UTC). */
function localToUtc(z: Zone, local: number): number {
  const before = offsetAt(z, local - DAY);
  const after = offsetAt(z, local + DAY);
  if (before === after) {
    const t = local - before;
    if (offsetAt(z, t) === before) return t;
  }
  const tA = local - before;
  const tB = local - after;
  const okA = offsetAt(z, tA) === before;
  const okB = offsetAt(z, tB) === after;
  if (okA && okB) return Math.min(tA, tB); // repeated wall time: first occurrence
  if (okA) return tA;
  if (okB) return tB;
  // Wall time skipped by a forward jump: the moment of the jump (first instant with offset `after`).
  let lo = Math.min(tA, tB);
  let hi = Math.max(tA, tB);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid <= lo) break;
    if (offsetAt(z, mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ----------------------------------------------------------------------------- compiled calendars

const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  let c = compiledCache.get(cal);
  if (c) return c;
  const z = zone(cal.timeZone);
  c = {
    always: cal.always === true,
    holidays: new Set(cal.holidays),
    workdays: new Set(cal.workdays),
    covered: cal.coveredYears ? new Set(cal.coveredYears) : null,
    assumed: new Set(cal.coveredYears ? (cal.assumedHolidays ?? []) : []),
    weekHours: cal.weekHours,
    workdayHours: cal.workdayHours ?? cal.weekHours[1],
    zone: z,
    days: new Map(),
    guess: offsetAt(z, Date.UTC(2025, 0, 1)),
  };
  compiledCache.set(cal, c);
  return c;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function getDay(c: Compiled, dn: number): Day {
  const hit = c.days.get(dn);
  if (hit) return hit;
  const date = new Date(dn * DAY);
  const y = date.getUTCFullYear();
  const key = `${y}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  const z = c.zone;
  const start = localToUtc(z, dn * DAY);
  const end = localToUtc(z, (dn + 1) * DAY);
  const off = c.holidays.has(key) || (c.assumed.size > 0 && !c.workdays.has(key) && !c.covered!.has(y) && c.assumed.has(key.slice(5)));
  const hours = off ? [] : c.workdays.has(key) ? c.workdayHours : c.weekHours[date.getUTCDay() as Weekday];
  const raw: [number, number][] = [];
  for (const [sm, em] of hours) {
    const a = sm <= 0 ? start : localToUtc(z, dn * DAY + sm * MINUTE);
    const b = em >= MINUTES_PER_DAY ? end : localToUtc(z, dn * DAY + em * MINUTE);
    if (b > a) raw.push([a, b]);
  }
  raw.sort((p, q) => p[0] - q[0]);
  const iv: number[] = [];
  for (const [a, b] of raw) {
    const n = iv.length;
    if (n > 0 && a <= iv[n - 1]) iv[n - 1] = Math.max(iv[n - 1], b);
    else iv.push(a, b);
  }
  if (c.days.size >= MAX_CACHED_DAYS) c.days.clear();
  const day: Day = { dn, year: y, start, end, iv, uniform: end - start === DAY };
  c.days.set(dn, day);
  return day;
}

/** The local date containing instant `t`. */
function dayOf(c: Compiled, t: number): Day {
  let dn = Math.floor((t + c.guess) / DAY);
  let d = getDay(c, dn);
  while (t < d.start) d = getDay(c, --dn);
  while (t >= d.end) d = getDay(c, ++dn);
  c.guess = d.dn * DAY - d.start;
  return d;
}

function uncovered(c: Compiled, fromYear: number, toYear: number): number[] {
  if (!c.covered || c.always) return [];
  const out: number[] = [];
  for (let y = fromYear; y <= toYear; y++) if (!c.covered.has(y)) out.push(y);
  return out;
}

function mergeYears(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function checkInstant(name: string, t: number): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite epoch-ms instant, got ${t}`);
}

// ----------------------------------------------------------------------------- public API

/** Work is going on at `t`: start ≤ t < end of some working interval. */
export function isWorkingInstant(cal: BusinessCalendar, t: number): boolean {
  checkInstant('t', t);
  const c = compile(cal);
  if (c.always) return true;
  const iv = dayOf(c, t).iv;
  for (let i = 0; i < iv.length; i += 2) if (iv[i] <= t && t < iv[i + 1]) return true;
  return false;
}

/** `t` lies strictly inside non-working time (in no closed working interval [start, end]). Deadlines never do. */
export function isInsideNonWorkingTime(cal: BusinessCalendar, t: number): boolean {
  checkInstant('t', t);
  const c = compile(cal);
  if (c.always) return false;
  const d = dayOf(c, t);
  for (const day of [getDay(c, d.dn - 1), d]) {
    const iv = day.iv;
    for (let i = 0; i < iv.length; i += 2) if (iv[i] <= t && t <= iv[i + 1]) return false;
  }
  return true;
}

/** The deadline `ms` working milliseconds after `start` (see the conventions at the top). */
export function addWorkingMs(cal: BusinessCalendar, start: number, ms: number): DeadlineResult {
  checkInstant('start', start);
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`working time to add must be ≥ 0, got ${ms}`);
  let remaining = Math.round(ms);
  const c = compile(cal);
  if (c.always) return { at: start + remaining, uncoveredYears: [] };
  const first = dayOf(c, start);
  // Begin one day early: an interval of the previous date may end exactly at `start` (midnight).
  let dn = first.dn - 1;
  let empty = 0;
  for (;;) {
    const day = getDay(c, dn);
    const iv = day.iv;
    for (let i = 0; i < iv.length; i += 2) {
      const b = iv[i + 1];
      if (b < start) continue;
      const from = iv[i] > start ? iv[i] : start;
      const avail = b - from;
      if (avail >= remaining) {
        const at = from + remaining;
        const fromYear = day.dn < first.dn ? day.year : first.year;
        return { at, uncoveredYears: uncovered(c, fromYear, day.year) };
      }
      remaining -= avail;
    }
    if (iv.length === 0 && dn >= first.dn) {
      if (++empty > MAX_EMPTY_DAYS) throw new RangeError('calendar has no working time');
    } else empty = 0;
    dn++;
  }
}

/** The deadline `minutes` working minutes after `start`; `uncoveredYears` lists years computed without holiday data. */
export function addWorkingMinutes(cal: BusinessCalendar, start: number, minutes: number): DeadlineResult {
  return addWorkingMs(cal, start, minutes * MINUTE);
}

/** First instant at or after `t` that lies in a closed working interval (= `addWorkingMinutes(cal, t, 0).at`). */
export function nextWorkingInstant(cal: BusinessCalendar, t: number): number {
  return addWorkingMs(cal, t, 0).at;
}

/**
 * The deadline `days` working days after `start` (“N 个工作日”): the same local time on the N-th working date after
 * the date of the first working instant at or after `start` (an instant registered outside working time counts from
 * the next working instant: Saturday 10:00 + 1 working day = Tuesday 09:00; at an interval's closing instant, e.g.
 * 18:00, it counts from there: Friday 18:00 + 1 = Monday 18:00). A working date is any local date with working time
 * (holidays skipped, 调休 make-up days counted). If that local time is not working time on the target date (other
 * hours that day, a lunch break), the deadline is the next working instant of that date, or the end of its last
 * interval. On a 24×7 calendar: the same local time N days later. `days` must be a whole number ≥ 0; 0 = the first
 * working instant.
 */
export function addWorkingDays(cal: BusinessCalendar, start: number, days: number): DeadlineResult {
  checkInstant('start', start);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days to add must be a whole number ≥ 0, got ${days}`);
  const c = compile(cal);
  const first = c.always ? { at: start, uncoveredYears: [] as number[] } : addWorkingMs(cal, start, 0);
  if (days === 0) return first;
  const s = first.at;
  const from = dayOf(c, s);
  // Wall-clock time of day at s, so that a DST change in between keeps the local time, not the elapsed time.
  const tod = from.uniform ? s - from.start : s + offsetAt(c.zone, s) - from.dn * DAY;
  if (c.always) return { at: localToUtc(c.zone, (from.dn + days) * DAY + tod), uncoveredYears: [] };
  let dn = from.dn;
  let left = days;
  let empty = 0;
  let day = from;
  while (left > 0) {
    day = getDay(c, ++dn);
    if (day.iv.length > 0) {
      left--;
      empty = 0;
    } else if (++empty > MAX_EMPTY_DAYS) throw new RangeError('calendar has no working time');
  }
  const want = day.uniform ? day.start + tod : localToUtc(c.zone, day.dn * DAY + tod);
  const iv = day.iv;
  let at = iv[iv.length - 1];
  for (let i = 0; i < iv.length; i += 2) {
    if (iv[i + 1] >= want) {
      at = iv[i] > want ? iv[i] : want;
      break;
    }
  }
  return { at, uncoveredYears: mergeYears(first.uncoveredYears, uncovered(c, from.year, day.year)) };
}

function betweenMs(c: Compiled, a: number, b: number): { ms: number; fromYear: number; toYear: number } {
  let d = dayOf(c, a);
  const fromYear = d.year;
  let total = 0;
  for (;;) {
    const iv = d.iv;
    for (let i = 0; i < iv.length; i += 2) {
      const s = iv[i] > a ? iv[i] : a;
      const e = iv[i + 1] < b ? iv[i + 1] : b;
      if (e > s) total += e - s;
    }
    if (d.end >= b) return { ms: total, fromYear, toYear: d.year };
    d = getDay(c, d.dn + 1);
  }
}

/** Working milliseconds in [a, b]; negative if b < a. */
export function workingMsBetween(cal: BusinessCalendar, a: number, b: number): number {
  checkInstant('a', a);
  checkInstant('b', b);
  if (b < a) return -workingMsBetween(cal, b, a);
  const c = compile(cal);
  if (c.always) return b - a;
  return betweenMs(c, a, b).ms;
}

/** Working minutes in [a, b] (fractional if the instants are not on whole minutes); negative if b < a. */
export function workingMinutesBetween(cal: BusinessCalendar, a: number, b: number): number {
  return workingMsBetween(cal, a, b) / MINUTE;
}

/**
 * A clock paused at `pausedAt` (e.g. waiting for the customer) and resumed at `resumedAt`: the
 * deadline moves later by exactly the working time that elapsed during the pause, i.e.
 * `workingMinutesBetween(new, old) = workingMinutesBetween(pausedAt, resumedAt)`. Equivalently,
 * the working time that was left at `pausedAt` is left again at `resumedAt`.
 *
 * A clock that had already run out when it was paused (`pausedAt ≥ deadline`) stays breached:
 * the deadline does not move. A pause with `resumedAt ≤ pausedAt` changes nothing.
 */
export function resumeDeadline(cal: BusinessCalendar, deadline: number, pausedAt: number, resumedAt: number): DeadlineResult {
  checkInstant('deadline', deadline);
  checkInstant('pausedAt', pausedAt);
  checkInstant('resumedAt', resumedAt);
  if (pausedAt >= deadline || resumedAt <= pausedAt) return { at: deadline, uncoveredYears: [] };
  const c = compile(cal);
  if (c.always) return { at: deadline + (resumedAt - pausedAt), uncoveredYears: [] };
  const paused = betweenMs(c, pausedAt, resumedAt);
  if (paused.ms === 0) return { at: deadline, uncoveredYears: uncovered(c, paused.fromYear, paused.toYear) };
  const moved = addWorkingMs(cal, deadline, paused.ms);
  return { at: moved.at, uncoveredYears: mergeYears(uncovered(c, paused.fromYear, paused.toYear), moved.uncoveredYears) };
}

/** Working intervals of a local date `YYYY-MM-DD` as UTC `[start, end)` pairs (for calendar pages and tests). */
export function workingIntervalsOn(cal: BusinessCalendar, date: string): [number, number][] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const c = compile(cal);
  const dn = Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY;
  const day = getDay(c, dn);
  if (c.always) return [[day.start, day.end]];
  const out: [number, number][] = [];
  for (let i = 0; i < day.iv.length; i += 2) out.push([day.iv[i], day.iv[i + 1]]);
  return out;
}

/** Whether the calendar has holiday data for a year (always true for 24×7 and calendars that do not track coverage). */
export function coversYear(cal: BusinessCalendar, year: number): boolean {
  const c = compile(cal);
  return c.always || !c.covered || c.covered.has(year);
}

/** Compile (and cache) a calendar ahead of time, e.g. right after loading it. */
export function warmCalendar(cal: BusinessCalendar): void {
  compile(cal);
}
