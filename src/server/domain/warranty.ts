// Warranty dates and a unit's warranty status. Pure.
import type { WARRANTY_BASES, WARRANTY_REASONS, WARRANTY_STATUSES } from '../../shared/products.js';

/** `2025-01-31` + 1 month → `2025-02-28`: the end of a warranty never overflows into the next month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isUnderWarranty(warrantyEnd: string | null, today: string): boolean | null {
  return warrantyEnd ? warrantyEnd >= today : null;
}

export type WarrantyStatusCode = (typeof WARRANTY_STATUSES)[number];
export type WarrantyBasis = (typeof WARRANTY_BASES)[number];
/**
 * Why the status is what it is: `accepted` (installation accepted, SPEC §9 / seed 002), `purchase` (proof of purchase),
 * `not_yet_accepted` (needs installation, not accepted yet: the proven purchase covers it meanwhile), `proof_missing`
 * (a purchase date without proof), `no_purchase` (nothing known), `product_unknown` (no warranty term: not in the catalog).
 */
export type WarrantyReason = (typeof WARRANTY_REASONS)[number];

export interface WarrantyFacts {
  /** The product's warranty term; null when the model is not in the catalog. */
  warrantyMonths: number | null;
  needsInstallation: boolean;
  purchaseDate: string | null;
  /** An attachment or a recorded invoice / order number backs the purchase date. */
  hasProofOfPurchase: boolean;
  acceptanceDate: string | null;
  extendedMonths: number;
}

export interface WarrantyStatus {
  status: WarrantyStatusCode;
  /** First covered day; with `unknown` the date claimed (purchase without proof), so staff see what proof would give. */
  start: string | null;
  /** Last covered day (inclusive): 12 months from 2025-03-10 cover up to 2026-03-09. */
  end: string | null;
  basis: WarrantyBasis;
  reason: WarrantyReason;
}

/** The last day a warranty of `months` starting on `start` covers. */
export function warrantyEnd(start: string, months: number): string {
  return addDays(addMonths(start, months), -1);
}

/**
 * A unit's warranty on `today` (YYYY-MM-DD): it starts at installation acceptance where the product needs installation,
 * else at the purchase date on the proof of purchase; an extended warranty adds its months. Without either it is
 * unknown: staff must ask for the proof before charging or not.
 */
export function warrantyStatus(f: WarrantyFacts, today: string): WarrantyStatus {
  const months = f.warrantyMonths === null ? null : f.warrantyMonths + Math.max(0, f.extendedMonths);
  const claimed = f.needsInstallation && f.acceptanceDate ? f.acceptanceDate : f.purchaseDate;
  if (months === null) return { status: 'unknown', start: claimed, end: null, basis: 'none', reason: 'product_unknown' };
  const covered = (start: string, basis: WarrantyBasis, reason: WarrantyReason): WarrantyStatus => {
    const end = warrantyEnd(start, months);
    return { status: today <= end ? 'in' : 'out', start, end, basis, reason };
  };
  if (f.needsInstallation && f.acceptanceDate) return covered(f.acceptanceDate, 'installation_acceptance', 'accepted');
  if (f.purchaseDate && f.hasProofOfPurchase) return covered(f.purchaseDate, 'purchase', f.needsInstallation ? 'not_yet_accepted' : 'purchase');
  return { status: 'unknown', start: f.purchaseDate, end: null, basis: 'none', reason: f.purchaseDate ? 'proof_missing' : 'no_purchase' };
}

/** What is stored on the unit (for queries: "in warranty on day X" is `warranty_end >= X`); the status itself depends on the day. */
export function storedWarranty(f: WarrantyFacts): { warranty_start: string | null; warranty_end: string | null; warranty_basis: WarrantyBasis } {
  const w = warrantyStatus(f, '0000-01-01');
  return { warranty_start: w.basis === 'none' ? null : w.start, warranty_end: w.end, warranty_basis: w.basis };
}

/** The old yes / no / unknown answer, derived from the status (API compatibility). */
export function underWarrantyOf(status: WarrantyStatusCode): boolean | null {
  return status === 'unknown' ? null : status === 'in';
}
