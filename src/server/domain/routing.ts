// Routing decisions (任务分配): which department a ticket goes to by rule, and who in it by strategy. Pure.

export const ROUTING_STRATEGIES = ['none', 'round_robin', 'least_loaded', 'skill'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

export interface RoutingRule {
  id: number;
  name: string;
  sort: number;
  /** Matches the category itself and every category below it (`product` matches `product.hardware_damage`). */
  categoryPrefix: string | null;
  productLine: string | null;
  customerTier: string | null;
  channel: string | null;
  departmentId: number;
  strategy: RoutingStrategy;
}

export interface RoutableTicket {
  category: string | null;
  productLine: string | null;
  customerTier: string | null;
  channel: string;
  /** Free text the skill match looks in: title, description, product name, category names. */
  text: string;
}

export interface Candidate {
  id: number;
  name: string;
  openAssigned: number;
  skills: string[];
}

function categoryMatches(prefix: string | null, category: string | null): boolean {
  if (prefix === null) return true;
  return category !== null && (category === prefix || category.startsWith(prefix + '.'));
}

/** The first matching rule by `sort` (then id); a rule with a criterion set matches only tickets that have it. */
export function chooseRule(rules: readonly RoutingRule[], t: RoutableTicket): RoutingRule | null {
  const ordered = [...rules].sort((a, b) => a.sort - b.sort || a.id - b.id);
  for (const r of ordered) {
    if (!categoryMatches(r.categoryPrefix, t.category)) continue;
    if (r.productLine !== null && r.productLine !== t.productLine) continue;
    if (r.customerTier !== null && r.customerTier !== t.customerTier) continue;
    if (r.channel !== null && r.channel !== t.channel) continue;
    return r;
  }
  return null;
}

export interface AssigneeChoice {
  candidate: Candidate;
  /** For the timeline: the strategy actually used (skill falls back to least-loaded when nobody matches). */
  strategy: Exclude<RoutingStrategy, 'none'>;
  matchedSkills?: string[];
}

const byLoad = (a: Candidate, b: Candidate) => a.openAssigned - b.openAssigned || a.id - b.id;

/**
 * Who in the department gets the ticket. Round-robin takes the next id after the last one assigned;
 * least-loaded the fewest open assigned tickets (ties: lowest id); skill the most skills found in the
 * ticket's text (ties: least loaded), or least-loaded when no skill matches.
 */
export function chooseAssignee(
  strategy: RoutingStrategy,
  candidates: readonly Candidate[],
  lastAssignedId: number | null,
  ticketText: string,
): AssigneeChoice | null {
  if (strategy === 'none' || candidates.length === 0) return null;
  const sorted = [...candidates].sort((a, b) => a.id - b.id);
  if (strategy === 'round_robin') {
    const next = sorted.find((c) => lastAssignedId === null || c.id > lastAssignedId) ?? sorted[0];
    return { candidate: next, strategy };
  }
  if (strategy === 'skill') {
    const text = ticketText.toLowerCase();
    let best: { c: Candidate; matched: string[] } | null = null;
    for (const c of sorted) {
      const matched = c.skills.filter((s) => s.trim() && text.includes(s.trim().toLowerCase()));
      if (matched.length === 0) continue;
      if (!best || matched.length > best.matched.length || (matched.length === best.matched.length && byLoad(c, best.c) < 0)) best = { c, matched };
    }
    if (best) return { candidate: best.c, strategy: 'skill', matchedSkills: best.matched };
  }
  return { candidate: [...sorted].sort(byLoad)[0], strategy: 'least_loaded' };
}
