// Which engineer for a visit (issue 16): a ranking with its reasons, for the dispatcher to choose from. Pure.
import { checkVisit, type BookedVisit, type GapRule, type TimeWindow } from './schedule.js';

export interface EngineerCandidate {
  id: number;
  name: string;
  /** Product lines the engineer is qualified for (engineer_profiles). */
  productLines: readonly string[];
  /** Free-text skills (users.skills), matched against the product's name. */
  skills: readonly string[];
  /** Home area. */
  area: string | null;
  /** Other districts served (the engineer's profile, and their provider's areas for an external engineer). */
  areas?: readonly string[];
  /** A service provider's engineer (外部服务商): named in the reasons so the dispatcher sees it is outside work. */
  provider?: string | null;
  booked: readonly BookedVisit[];
  free: readonly TimeWindow[];
  /**
   * What the engineer's van has available of each needed part (by part code); null when the engineer has no van.
   * A part missing from the map is not in the van.
   */
  van: ReadonlyMap<string, number> | null;
}

/** A part to bring: its code and how many. */
export interface PartNeed {
  code: string;
  qty: number;
}

export interface VisitNeed {
  productLine: string | null;
  productName: string | null;
  area: string | null;
  /** The window the dispatcher asked for, if any. */
  window: TimeWindow | null;
  /** The parts to bring (none: van stock does not count). */
  parts: readonly PartNeed[];
}

/** A reason in the ranking: a message key (server/http/messages-visits.ts) and its parameters. */
export interface Reason {
  code:
    | 'product_line'
    | 'skill'
    | 'no_product_line'
    | 'same_area'
    | 'other_area'
    | 'window_free'
    | 'window_overlap'
    | 'window_short_gap'
    | 'free_slots'
    | 'no_free_slots'
    | 'parts_in_van'
    | 'parts_missing'
    | 'no_van'
    | 'external';
  params?: Record<string, string | number>;
  /** + counts for the engineer, − against, 0 informs. */
  weight: number;
}

export interface Suggestion {
  engineerId: number;
  score: number;
  reasons: Reason[];
  /** The requested window if it is free, else the first free slot in the range. */
  slot: TimeWindow | null;
}

export function rankEngineers(candidates: readonly EngineerCandidate[], need: VisitNeed, rule: GapRule): Suggestion[] {
  const out = candidates.map((c) => suggest(c, need, rule));
  return out.sort((a, b) => b.score - a.score || a.engineerId - b.engineerId);
}

function suggest(c: EngineerCandidate, need: VisitNeed, rule: GapRule): Suggestion {
  const reasons: Reason[] = [];
  if (need.productLine && c.productLines.includes(need.productLine)) reasons.push({ code: 'product_line', params: { line: need.productLine }, weight: 40 });
  else if (need.productName && c.skills.some((s) => s.trim() && need.productName!.includes(s.trim()))) {
    reasons.push({ code: 'skill', params: { skill: c.skills.find((s) => s.trim() && need.productName!.includes(s.trim()))!.trim() }, weight: 25 });
  } else if (need.productLine) reasons.push({ code: 'no_product_line', params: { line: need.productLine }, weight: -20 });

  const served = [...(c.area ? [c.area] : []), ...(c.areas ?? [])];
  if (need.area && served.length > 0) {
    if (served.includes(need.area)) reasons.push({ code: 'same_area', params: { area: need.area }, weight: 20 });
    else reasons.push({ code: 'other_area', params: { area: served.join('、') }, weight: -5 });
  }

  let slot: TimeWindow | null = null;
  if (need.window) {
    const issues = checkVisit({ ...need.window, area: need.area }, c.booked, rule);
    const overlap = issues.find((i) => i.kind === 'overlap');
    const gap = issues.find((i) => i.kind === 'short_gap');
    if (overlap) reasons.push({ code: 'window_overlap', params: { visitId: overlap.visitId }, weight: -60 });
    else if (gap && gap.kind === 'short_gap') reasons.push({ code: 'window_short_gap', params: { minutes: gap.gapMinutes, needed: gap.neededMinutes }, weight: -15 });
    else {
      reasons.push({ code: 'window_free', weight: 30 });
      slot = need.window;
    }
  }
  if (c.free.length > 0) {
    reasons.push({ code: 'free_slots', params: { count: c.free.length }, weight: Math.min(15, c.free.length) });
    slot ??= c.free[0];
  } else reasons.push({ code: 'no_free_slots', weight: -30 });

  if (need.parts.length > 0) reasons.push(...vanReasons(c.van, need.parts));
  // Informs, no weight: whether outside work suits the job is the dispatcher's call (cost, the customer's contract).
  if (c.provider) reasons.push({ code: 'external', params: { provider: c.provider }, weight: 0 });
  const score = reasons.reduce((s, r) => s + r.weight, 0);
  return { engineerId: c.id, score, reasons, slot };
}

/**
 * What the van holds of the parts to bring, as reasons: "车载库有 AC-CAP-35 ×2" for what it covers, "缺 AC-FAN-01 ×1"
 * for the rest (`list` is the part codes with quantities, joined). All of it in the van counts most; a part short
 * counts against, since someone must fetch it first.
 */
export function vanReasons(van: ReadonlyMap<string, number> | null, parts: readonly PartNeed[]): Reason[] {
  if (van === null) return [{ code: 'no_van', weight: -10 }];
  const have: string[] = [];
  const missing: string[] = [];
  for (const p of parts) {
    const available = Math.max(0, van.get(p.code) ?? 0);
    const covered = Math.min(available, p.qty);
    if (covered > 0) have.push(`${p.code} ×${covered}`);
    if (covered < p.qty) missing.push(`${p.code} ×${p.qty - covered}`);
  }
  const out: Reason[] = [];
  if (have.length > 0) out.push({ code: 'parts_in_van', params: { list: have.join('、') }, weight: missing.length === 0 ? 15 : 5 });
  if (missing.length > 0) out.push({ code: 'parts_missing', params: { list: missing.join('、') }, weight: -10 });
  return out;
}
