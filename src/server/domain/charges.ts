// What a visit costs the customer (issue 16, SPEC §10, seed 002). Pure. Out of warranty the product's fee standard
// applies: the call-out charge, the labour charge of the fault class and the parts at list price. In warranty the
// customer pays nothing, but every part's cost is still counted (the company's cost of the job). An `unknown` warranty
// (no proof of purchase) is charged like `out`: the engineer may only waive it once the proof is shown.
import type { PaymentMethod } from '../../shared/visit-report.js';

export type WarrantyForCharges = 'in' | 'out' | 'unknown';

export interface FeeStandard {
  /** Fen. */
  calloutFee: number;
  /** Fen per fault class code; a class without an entry has no standard price. */
  labourFees: Readonly<Record<string, number>>;
}

export interface PartUse {
  partId: number;
  code: string;
  name: string;
  qty: number;
  /** Fen: what an out-of-warranty customer pays per piece. */
  listPrice: number;
  /** Fen: what the piece costs the company. */
  unitCost: number;
}

export interface ChargeLine {
  kind: 'callout' | 'labour' | 'part';
  /** Fault class code or part code; null for the call-out. */
  code: string | null;
  /** The part's name; empty for call-out and labour (the reader names them in its language). */
  name: string;
  qty: number;
  /** Fen, the standard price (shown on warranty jobs too, where it is not charged). */
  unitPrice: number;
  /** Fen, what this line costs the customer. */
  amount: number;
  /** Fen, the company's cost of the line (parts only). */
  cost: number;
}

export interface Quote {
  chargeable: boolean;
  lines: ChargeLine[];
  /** Fen, what the customer pays. */
  total: number;
  /** Fen, parts at cost. */
  cost: number;
  /** The fault class has no labour price in the fee standard (charged 0; staff should fix the standard). */
  unpricedFaultClass: boolean;
}

export function quoteVisit(input: { warranty: WarrantyForCharges; fees: FeeStandard | null; faultClass: string | null; parts: readonly PartUse[] }): Quote {
  const chargeable = input.warranty !== 'in';
  const lines: ChargeLine[] = [];
  const fees = input.fees ?? { calloutFee: 0, labourFees: {} };
  const charge = (n: number) => (chargeable ? n : 0);
  lines.push({ kind: 'callout', code: null, name: '', qty: 1, unitPrice: fees.calloutFee, amount: charge(fees.calloutFee), cost: 0 });
  let unpricedFaultClass = false;
  if (input.faultClass) {
    const price = fees.labourFees[input.faultClass];
    if (price === undefined) unpricedFaultClass = true;
    lines.push({ kind: 'labour', code: input.faultClass, name: '', qty: 1, unitPrice: price ?? 0, amount: charge(price ?? 0), cost: 0 });
  }
  // One line per part however many times it was used (per price: a cost recorded at another price stays apart).
  const merged = new Map<string, PartUse>();
  for (const p of input.parts) {
    if (p.qty <= 0) continue;
    const key = `${p.partId}:${p.listPrice}:${p.unitCost}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, qty: prev.qty + p.qty } : { ...p });
  }
  for (const p of [...merged.values()].sort((a, b) => a.code.localeCompare(b.code) || a.partId - b.partId)) {
    lines.push({ kind: 'part', code: p.code, name: p.name, qty: p.qty, unitPrice: p.listPrice, amount: charge(p.listPrice * p.qty), cost: p.unitCost * p.qty });
  }
  return {
    chargeable,
    lines,
    total: lines.reduce((s, l) => s + l.amount, 0),
    cost: lines.reduce((s, l) => s + l.cost, 0),
    unpricedFaultClass,
  };
}

/** Why a payment cannot be recorded, or null: the amount must be whole fen, not negative, and a QR payment names its reference. */
export function paymentProblem(p: { method: PaymentMethod; amount: number; reference: string | null }, quote: { total: number }): 'amount' | 'reference' | 'over_quote' | null {
  if (!Number.isInteger(p.amount) || p.amount < 0) return 'amount';
  if ((p.method === 'qr' || p.method === 'transfer') && !p.reference?.trim()) return 'reference';
  // Less than the quote is a discount the engineer may give; more is never collected.
  if (p.amount > quote.total) return 'over_quote';
  return null;
}

/** `SJ2612-000123`: receipt numbers by month of collection (China time), from the visit id so they never collide. */
export function receiptNumber(collectedAt: number, visitId: number): string {
  const d = new Date(collectedAt + 8 * 3600_000);
  return `SJ${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(visitId).padStart(6, '0')}`;
}
