// The satisfaction page's period: a preset (the last 7 or 30 days, this month) or a custom range of whole days, as the
// half-open interval [from, to) the report API counts over, in the browser's time zone.
import dayjs from 'dayjs';

export const PERIOD_PRESETS = ['7d', '30d', 'month', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export interface Period {
  from: string;
  to: string;
}

/** A custom range: its first and last day (YYYY-MM-DD), both included. */
export interface DayRange {
  start: string;
  end: string;
}

/**
 * The interval a preset means at `now`; "now" ends the presets, so an answer that just came in counts. A custom range
 * runs from its first day's midnight to the midnight after its last day. Null when a custom range is missing or
 * backwards.
 */
export function periodOf(preset: PeriodPreset, now: number, range?: DayRange | null): Period | null {
  const end = dayjs(now);
  if (preset === '7d') return { from: end.subtract(7, 'day').toISOString(), to: end.toISOString() };
  if (preset === '30d') return { from: end.subtract(30, 'day').toISOString(), to: end.toISOString() };
  if (preset === 'month') return { from: end.startOf('month').toISOString(), to: end.toISOString() };
  if (!range) return null;
  const from = dayjs(range.start).startOf('day');
  const to = dayjs(range.end).startOf('day').add(1, 'day');
  if (!from.isValid() || !to.isValid() || !from.isBefore(to)) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY = 86_400_000;

/** Every China day (the trend's days, UTC+8) from the period's first to its last, for a chart without gaps. */
export function chinaDays(p: Period): string[] {
  const first = Math.floor((Date.parse(p.from) + CHINA_OFFSET_MS) / DAY);
  const last = Math.floor((Date.parse(p.to) - 1 + CHINA_OFFSET_MS) / DAY);
  const out: string[] = [];
  // A custom range of years would draw thousands of bars: the chart is for weeks and months.
  for (let d = first; d <= last && out.length < 1000; d++) out.push(new Date(d * DAY).toISOString().slice(0, 10));
  return out;
}
