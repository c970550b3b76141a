// A unit row and its product as the warranty rule's facts; the day in China (warranty days are calendar days there).
import { storedWarranty, warrantyStatus, type WarrantyFacts, type WarrantyStatus } from '../../domain/warranty.js';

const CHINA_OFFSET_MS = 8 * 3600_000;

export function chinaToday(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export interface UnitWarrantyFields {
  purchase_date: string | null;
  proof_attachment_id: number | null;
  proof_ref: string | null;
  acceptance_date: string | null;
  extended_months: number;
}
export interface ProductWarrantyFields {
  warranty_months: number | null;
  needs_installation: number | null;
}

export function factsOf(u: UnitWarrantyFields, p: ProductWarrantyFields | null | undefined): WarrantyFacts {
  return {
    warrantyMonths: p?.warranty_months ?? null,
    needsInstallation: p?.needs_installation === 1,
    purchaseDate: u.purchase_date,
    hasProofOfPurchase: u.proof_attachment_id !== null || !!u.proof_ref,
    acceptanceDate: u.acceptance_date,
    extendedMonths: u.extended_months ?? 0,
  };
}

export function unitWarranty(u: UnitWarrantyFields, p: ProductWarrantyFields | null | undefined, now: number): WarrantyStatus {
  return warrantyStatus(factsOf(u, p), chinaToday(now));
}

export function unitStoredWarranty(u: UnitWarrantyFields, p: ProductWarrantyFields | null | undefined) {
  return storedWarranty(factsOf(u, p));
}
