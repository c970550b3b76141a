// Settlement (收费与结算, issue 16): a reviewer approves each finished visit's charges and parts, and the month's
// settlement sums the visits per engineer and per service provider. Pure rules on plain values.

/** A finished visit as settlement sees it. Money in fen. */
export interface SettlementVisit {
  visitId: number;
  engineerId: number;
  providerId: number | null;
  /** What the customer was to pay (the quote's total; 0 on warranty work or without a quote). */
  charged: number;
  /** What the engineer recorded as collected. */
  collected: number;
  /** Call-out and labour lines of the quote, what the engineer's or provider's work earned. */
  labour: number;
  /** Parts used, at cost (recorded on warranty jobs too). */
  partsCost: number;
  /** Parts billed to the customer at list price. */
  partsBilled: number;
  /** The fingerprint of what was reviewed: charges' and parts' state (see fingerprint). */
  fingerprint: string;
}

export type ReviewState = 'pending' | 'approved' | 'rejected';

export interface StoredReview {
  state: 'approved' | 'rejected';
  fingerprint: string;
}

/**
 * A visit's review state: a decision holds only for what was reviewed. When the charges or parts change afterwards
 * (the engineer corrects a rejected payment, a part is returned) the visit is up for review again.
 */
export function reviewState(review: StoredReview | null, fingerprint: string): ReviewState {
  if (!review || review.fingerprint !== fingerprint) return 'pending';
  return review.state;
}

/** What a review decides on: the charges row's version and the parts used (id × qty), order-free. */
export function fingerprint(chargesVersion: number | null, parts: readonly { partId: number; qty: number }[]): string {
  const byPart = new Map<number, number>();
  for (const p of parts) byPart.set(p.partId, (byPart.get(p.partId) ?? 0) + p.qty);
  const list = [...byPart].filter(([, q]) => q !== 0).sort((a, b) => a[0] - b[0]);
  return `c${chargesVersion ?? 0}|${list.map(([id, q]) => `${id}x${q}`).join(',')}`;
}

export interface SettlementTotals {
  visits: number;
  approved: number;
  pending: number;
  rejected: number;
  charged: number;
  collected: number;
  /** Collected minus charged over the approved visits: money the engineer still owes (negative) or over-collected. */
  difference: number;
  labour: number;
  partsCost: number;
  partsBilled: number;
}

const zero = (): SettlementTotals => ({ visits: 0, approved: 0, pending: 0, rejected: 0, charged: 0, collected: 0, difference: 0, labour: 0, partsCost: 0, partsBilled: 0 });

/**
 * The month's settlement per engineer or per provider. Only approved visits count toward the money; pending and
 * rejected ones are counted so the reviewer sees what is still open before the month is paid out.
 */
export function settle(visits: readonly (SettlementVisit & { state: ReviewState })[], by: 'engineer' | 'provider'): Map<number | null, SettlementTotals> {
  const out = new Map<number | null, SettlementTotals>();
  for (const v of visits) {
    const key = by === 'engineer' ? v.engineerId : v.providerId;
    let t = out.get(key);
    if (!t) out.set(key, (t = zero()));
    t.visits++;
    t[v.state]++;
    if (v.state !== 'approved') continue;
    t.charged += v.charged;
    t.collected += v.collected;
    t.difference += v.collected - v.charged;
    t.labour += v.labour;
    t.partsCost += v.partsCost;
    t.partsBilled += v.partsBilled;
  }
  return out;
}

/** The whole month's totals (every group together). */
export function settleAll(visits: readonly (SettlementVisit & { state: ReviewState })[]): SettlementTotals {
  return settle(visits.map((v) => ({ ...v, engineerId: 0 })), 'engineer').get(0) ?? zero();
}

/** The calendar month `YYYY-MM` → its first day and the next month's, as dates. */
export function monthBounds(month: string): { first: string; next: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) throw new Error(`not a month: ${month}`);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return { first: `${month}-01`, next: `${next}-01` };
}
