// An engineer's visits as time windows (上门服务, SPEC §10, seed 002): conflicts, free slots, late arrival. Pure:
// instants are UTC epoch ms, calendars are the SLA module's business calendars (holidays and 调休 decide which days
// an engineer works), and nothing here reads the database.
import type { BusinessCalendar } from './sla/calendar.js';
import { workingIntervalsOn } from './sla/deadlines.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface TimeWindow {
  start: number;
  end: number;
}

/** A booked visit of one engineer; `area` is the district of its address (travel time between areas). */
export interface BookedVisit extends TimeWindow {
  id: number;
  area?: string | null;
}

/**
 * The travel time a dispatcher must leave between two consecutive visits of one engineer. One minimum for every
 * pair (seed 002: an engineer who cannot arrive in time must re-arrange with the customer), and optionally more (or
 * less) between two named areas, e.g. `{ '浦东|闵行': 60 }` (the pair in either order).
 */
export interface GapRule {
  minGapMinutes: number;
  areaGaps?: Readonly<Record<string, number>>;
}

export const DEFAULT_GAP_RULE: GapRule = Object.freeze({ minGapMinutes: 30 });

/** Minutes needed between a visit in area `a` and one in area `b`. */
export function gapNeeded(rule: GapRule, a: string | null | undefined, b: string | null | undefined): number {
  if (a && b && rule.areaGaps) {
    const v = rule.areaGaps[`${a}|${b}`] ?? rule.areaGaps[`${b}|${a}`];
    if (v !== undefined) return v;
  }
  return rule.minGapMinutes;
}

export type ScheduleIssue =
  | { kind: 'overlap'; visitId: number }
  /** Less travel time than the rule asks between this visit and another of the same engineer (a warning). */
  | { kind: 'short_gap'; visitId: number; gapMinutes: number; neededMinutes: number };

export function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * What booking `candidate` next to the engineer's `others` would break: overlaps (refused) and short travel gaps
 * (warned). `others` must not contain the visit being moved. Overlaps come first.
 */
export function checkVisit(candidate: TimeWindow & { area?: string | null }, others: readonly BookedVisit[], rule: GapRule = DEFAULT_GAP_RULE): ScheduleIssue[] {
  const overlap: ScheduleIssue[] = [];
  const gaps: ScheduleIssue[] = [];
  for (const o of others) {
    if (overlaps(candidate, o)) {
      overlap.push({ kind: 'overlap', visitId: o.id });
      continue;
    }
    const gapMs = o.end <= candidate.start ? candidate.start - o.end : o.start - candidate.end;
    const needed = gapNeeded(rule, o.area, candidate.area);
    if (gapMs < needed * MINUTE) gaps.push({ kind: 'short_gap', visitId: o.id, gapMinutes: Math.floor(gapMs / MINUTE), neededMinutes: needed });
  }
  return [...overlap, ...gaps];
}

/** Pairs of visits in a set that overlap (the booked set of one engineer must have none). */
export function overlappingPairs(visits: readonly BookedVisit[]): [number, number][] {
  const sorted = [...visits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: [number, number][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].start < sorted[i].end; j++) {
      if (overlaps(sorted[i], sorted[j])) out.push([sorted[i].id, sorted[j].id]);
    }
  }
  return out;
}

/**
 * Late arrival: the engineer arrived after the agreed window had ended (seed 002 aims for 5–10 min before it starts;
 * anything inside the window is on time).
 */
export function isLateArrival(window: TimeWindow, arrivedAt: number | null): boolean {
  return arrivedAt !== null && arrivedAt > window.end;
}

// ------------------------------------------------------------------ days and working hours

/** `YYYY-MM-DD` dates from `from` on, `days` of them (plain date arithmetic, no time zone). */
export function datesFrom(from: string, days: number): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${from}`);
  const base = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const out: string[] = [];
  for (let i = 0; i < days; i++) out.push(new Date(base + i * DAY).toISOString().slice(0, 10));
  return out;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(timeZone: string, t: number): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f.format(t);
}

/** The UTC instant of local midnight starting `date` in `timeZone`. */
export function localMidnight(timeZone: string, date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  // Two passes settle the offset of any zone whose clocks do not change exactly at midnight.
  let t = wall - offsetOf(timeZone, wall);
  t = wall - offsetOf(timeZone, t);
  return t;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function offsetOf(timeZone: string, t: number): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
  return wall - Math.floor(t / MINUTE) * MINUTE;
}

/**
 * The hours an engineer can be at a customer's on `date`: from the calendar's first working minute of the day to its
 * last (a lunch break in the office hours is not a break between visits), or null on a day off (weekend, holiday;
 * a 调休 make-up day works).
 */
export function fieldHoursOn(calendar: BusinessCalendar, date: string): TimeWindow | null {
  const iv = workingIntervalsOn(calendar, date);
  if (iv.length === 0) return null;
  return { start: iv[0][0], end: iv[iv.length - 1][1] };
}

// ------------------------------------------------------------------ free slots

export interface FreeSlotQuery {
  calendar: BusinessCalendar;
  /** Local dates searched, in order. */
  dates: readonly string[];
  durationMinutes: number;
  /** Candidate starts every `stepMinutes` from the start of the working day (default 30). */
  stepMinutes?: number;
  rule?: GapRule;
  /** The area of the visit to place (travel gaps per area). */
  area?: string | null;
  /** No slot starting before this instant (now). */
  notBefore?: number;
  /** At most this many slots per engineer (default: all). */
  limit?: number;
}

/**
 * Windows of `durationMinutes` inside the engineer's working hours that neither overlap a booked visit nor leave
 * less travel time than the rule asks: every slot returned passes `checkVisit` with no issue at all.
 */
export function freeSlots(booked: readonly BookedVisit[], q: FreeSlotQuery): TimeWindow[] {
  const rule = q.rule ?? DEFAULT_GAP_RULE;
  const step = Math.max(5, q.stepMinutes ?? 30) * MINUTE;
  const dur = q.durationMinutes * MINUTE;
  const limit = q.limit ?? Infinity;
  const maxGap = maxGapMs(rule);
  const out: TimeWindow[] = [];
  for (const date of q.dates) {
    const hours = fieldHoursOn(q.calendar, date);
    if (!hours) continue;
    // Only the visits near this day can overlap or crowd a slot in it (an engineer has a few dozen a week).
    const near = booked.filter((b) => b.start < hours.end + maxGap && b.end + maxGap > hours.start);
    for (let s = hours.start; s + dur <= hours.end; s += step) {
      if (q.notBefore !== undefined && s < q.notBefore) continue;
      const w = { start: s, end: s + dur, area: q.area ?? null };
      if (checkVisit(w, near, rule).length === 0) {
        out.push({ start: w.start, end: w.end });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

function maxGapMs(rule: GapRule): number {
  let m = rule.minGapMinutes;
  for (const v of Object.values(rule.areaGaps ?? {})) m = Math.max(m, v);
  return m * MINUTE;
}

/** Free slots of many engineers over the same dates (the dispatcher's week view, the suggestions). */
export function freeSlotsForMany(engineers: readonly { id: number; booked: readonly BookedVisit[] }[], q: FreeSlotQuery): Map<number, TimeWindow[]> {
  const out = new Map<number, TimeWindow[]>();
  for (const e of engineers) out.set(e.id, freeSlots(e.booked, q));
  return out;
}
