// Proactive care (主动关怀, seed 003: 家电使用满2年提醒免费检修), the 30-day repeat-repair rule (seed 000: 维修后30天内,
// 同一问题复报率≤5%) and the installation checklists' defaults (seed 002: 产品验收清单). Pure.
import type { CareRule } from '../../shared/care.js';
import { addDays, addMonths } from './warranty.js';

// ---------------------------------------------------------------- care rules

/** A rule's message goes out at most this many days after its date: a sweeper that was down does not send old news. */
export const CARE_GRACE_DAYS = 30;
export const USAGE_MONTHS = 24;
export const WARRANTY_NOTICE_DAYS = 30;

export interface CareUnitFacts {
  /** When the customer started using it: installation acceptance, else installation, else purchase. */
  inUseSince: string | null;
  /** Last covered day, when known. */
  warrantyEnd: string | null;
}

/** The day a rule is due for a unit, or null when it never is (no date to count from). */
export function careDueDate(rule: CareRule, u: CareUnitFacts): string | null {
  if (rule === 'usage_2y') return u.inUseSince ? addMonths(u.inUseSince, USAGE_MONTHS) : null;
  return u.warrantyEnd ? addDays(u.warrantyEnd, -WARRANTY_NOTICE_DAYS) : null;
}

/** Whether a rule fires for a unit on `today`: from its due date, for a grace period (until the warranty ends at most). */
export function careDue(rule: CareRule, u: CareUnitFacts, today: string): string | null {
  const due = careDueDate(rule, u);
  if (due === null || today < due) return null;
  const last = rule === 'warranty_ending' ? u.warrantyEnd! : addDays(due, CARE_GRACE_DAYS);
  return today <= last ? due : null;
}

/** The window of `inUseSince` dates whose 2-year rule may fire on `today` (for the sweeper's query). */
export function usageWindow(today: string): { from: string; to: string } {
  return { from: addMonths(addDays(today, -CARE_GRACE_DAYS), -USAGE_MONTHS), to: addMonths(today, -USAGE_MONTHS) };
}

// ---------------------------------------------------------------- repeat repairs

export const REPEAT_WINDOW_MS = 30 * 24 * 3_600_000;
/** Seed 000 / SPEC §9: the repeat-repair rate of the same problem must stay at or below 5 %. */
export const REPEAT_TARGET = 0.05;

export interface RepairFacts {
  id: number;
  unitId: number;
  /** The ticket's fault class and those of its visit reports: any of them is "the same problem". */
  faultClasses: readonly string[];
  createdAt: number;
  closedAt: number | null;
}

/**
 * The closed repair a new repair repeats: same unit, a fault class in common, closed no more than 30 days before the new
 * one was opened (and not after it). The latest such repair when there are several.
 */
export function firstRepairOf(repair: RepairFacts, earlier: readonly RepairFacts[]): RepairFacts | null {
  let best: RepairFacts | null = null;
  for (const p of earlier) {
    if (p.id === repair.id || p.unitId !== repair.unitId || p.closedAt === null) continue;
    if (p.closedAt > repair.createdAt || repair.createdAt - p.closedAt > REPEAT_WINDOW_MS) continue;
    if (!p.faultClasses.some((f) => repair.faultClasses.includes(f))) continue;
    if (!best || p.closedAt > best.closedAt!) best = p;
  }
  return best;
}

export interface RateGroup {
  key: string;
  label: string;
  closed: number;
  repeats: number;
  rate: number;
}

/** Closed repairs and how many of them were repeated, per key; the rate is repeats ÷ closed (0 when none closed). */
export function rates<T>(rows: readonly T[], keyOf: (r: T) => { key: string; label: string }, repeated: (r: T) => boolean): RateGroup[] {
  const groups = new Map<string, RateGroup>();
  for (const r of rows) {
    const { key, label } = keyOf(r);
    const g = groups.get(key) ?? { key, label, closed: 0, repeats: 0, rate: 0 };
    g.closed++;
    if (repeated(r)) g.repeats++;
    groups.set(key, g);
  }
  for (const g of groups.values()) g.rate = g.closed ? g.repeats / g.closed : 0;
  return [...groups.values()].sort((a, b) => b.rate - a.rate || b.closed - a.closed || a.key.localeCompare(b.key));
}

// ---------------------------------------------------------------- installation checklists

/** The checklist per product line when a product has none of its own (seed 002: 产品验收清单). */
export const DEFAULT_CHECKLISTS: Record<string, readonly string[]> = {
  ac: ['位置水平', '管路连接', '排水通畅', '通电试机', '讲解使用'],
  water_heater: ['位置牢固', '管路连接', '接地检查', '通电试机', '讲解使用'],
  purifier: ['位置水平', '管路连接', '冲洗滤芯', '通电试机', '讲解使用'],
};
export const FALLBACK_CHECKLIST: readonly string[] = ['位置水平', '管路连接', '通电试机', '讲解使用'];

export function defaultChecklist(line: string | null): readonly string[] {
  return (line && DEFAULT_CHECKLISTS[line]) || FALLBACK_CHECKLIST;
}

/** The items still unticked (by label); acceptance needs none. */
export function missingItems(items: readonly string[], done: readonly string[]): string[] {
  return items.filter((i) => !done.includes(i));
}
