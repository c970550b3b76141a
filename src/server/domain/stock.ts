// Spare-part stock arithmetic (issue 16, SPEC §9): balances per (part, location), the moves that change them, and
// the ledger they leave. Pure: the service reads the balances it needs, asks here whether a move is allowed and what
// it changes, and writes exactly those deltas together with the ledger row. Neither on-hand nor available
// (on-hand − reserved) may ever go below zero; every refusal is a typed error the API translates.

import type { StockMoveKind } from '../../shared/parts.js';

export type { StockMoveKind };

export interface Balance {
  onHand: number;
  reserved: number;
}

export const EMPTY: Balance = { onHand: 0, reserved: 0 };

export const available = (b: Balance): number => b.onHand - b.reserved;

/**
 * A move as asked for. Locations: `to` receives (receive, return, transfer, an adjustment up), `from` gives (transfer,
 * return from a van, consume, an adjustment down); reserve and release act at `from` (where the stock is held).
 * `reservedForRef` is how much the reference (ticket / visit) still holds reserved at `from`: consume uses it up
 * first, release may not release more. Adjust takes the counted quantity instead of a quantity.
 */
export type MoveRequest =
  | { kind: 'receive'; qty: number; to: number }
  | { kind: 'transfer'; qty: number; from: number; to: number }
  | { kind: 'return'; qty: number; from: number | null; to: number }
  | { kind: 'reserve'; qty: number; from: number }
  | { kind: 'release'; qty: number; from: number; reservedForRef: number | null }
  | { kind: 'consume'; qty: number; from: number; reservedForRef: number }
  | { kind: 'adjust'; counted: number; at: number };

/**
 * One ledger row as stored: on-hand leaves `from` and arrives at `to` by `qty` (reserve / release leave on-hand
 * alone), and `reservedDelta` changes the reserved quantity at `from` (reserve +, release −, consume − what it took
 * from a reservation).
 */
export interface LedgerEntry {
  kind: StockMoveKind;
  qty: number;
  from: number | null;
  to: number | null;
  reservedDelta: number;
}

export type StockError =
  | { code: 'invalid_quantity' }
  | { code: 'same_location' }
  | { code: 'insufficient_stock'; location: number; available: number; requested: number }
  | { code: 'insufficient_reserved'; location: number; reserved: number; requested: number }
  | { code: 'below_reserved'; location: number; reserved: number; counted: number }
  | { code: 'no_change' };

export type MoveResult = { ok: true; entry: LedgerEntry; balances: Map<number, Balance> } | { ok: false; error: StockError };

/** The largest quantity one move may carry: keeps sums of many moves far inside exact integers. */
export const MAX_MOVE_QTY = 1_000_000;

const validQty = (q: number, min = 1) => Number.isSafeInteger(q) && q >= min && q <= MAX_MOVE_QTY;

/** What a ledger row does to each location it names: deltas of on-hand and reserved. */
export function ledgerEffect(e: LedgerEntry): Map<number, Balance> {
  const out = new Map<number, Balance>();
  const add = (loc: number, onHand: number, reserved: number) => {
    const cur = out.get(loc) ?? { onHand: 0, reserved: 0 };
    out.set(loc, { onHand: cur.onHand + onHand, reserved: cur.reserved + reserved });
  };
  const movesOnHand = e.kind !== 'reserve' && e.kind !== 'release';
  if (e.from !== null) add(e.from, movesOnHand ? -e.qty : 0, e.reservedDelta);
  if (e.to !== null && movesOnHand) add(e.to, e.qty, 0);
  return out;
}

/** Balances after a ledger row; `balanceOf` gives the current balance of any location (EMPTY when it has none). */
export function applyEntry(balanceOf: (loc: number) => Balance, e: LedgerEntry): Map<number, Balance> {
  const after = new Map<number, Balance>();
  for (const [loc, d] of ledgerEffect(e)) {
    const b = balanceOf(loc);
    after.set(loc, { onHand: b.onHand + d.onHand, reserved: b.reserved + d.reserved });
  }
  return after;
}

/** Checks a move against the balances it touches and answers the ledger row and the new balances, or why not. */
export function planMove(balanceOf: (loc: number) => Balance, m: MoveRequest): MoveResult {
  const fail = (error: StockError): MoveResult => ({ ok: false, error });
  let entry: LedgerEntry;
  switch (m.kind) {
    case 'receive':
      if (!validQty(m.qty)) return fail({ code: 'invalid_quantity' });
      entry = { kind: 'receive', qty: m.qty, from: null, to: m.to, reservedDelta: 0 };
      break;
    case 'transfer':
    case 'return': {
      if (!validQty(m.qty)) return fail({ code: 'invalid_quantity' });
      if (m.from === m.to) return fail({ code: 'same_location' });
      if (m.from !== null) {
        const avail = available(balanceOf(m.from));
        if (avail < m.qty) return fail({ code: 'insufficient_stock', location: m.from, available: avail, requested: m.qty });
      }
      entry = { kind: m.kind, qty: m.qty, from: m.from, to: m.to, reservedDelta: 0 };
      break;
    }
    case 'reserve': {
      if (!validQty(m.qty)) return fail({ code: 'invalid_quantity' });
      const avail = available(balanceOf(m.from));
      if (avail < m.qty) return fail({ code: 'insufficient_stock', location: m.from, available: avail, requested: m.qty });
      entry = { kind: 'reserve', qty: m.qty, from: m.from, to: null, reservedDelta: m.qty };
      break;
    }
    case 'release': {
      if (!validQty(m.qty)) return fail({ code: 'invalid_quantity' });
      const held = Math.min(balanceOf(m.from).reserved, m.reservedForRef ?? Infinity);
      if (held < m.qty) return fail({ code: 'insufficient_reserved', location: m.from, reserved: Math.max(0, held), requested: m.qty });
      entry = { kind: 'release', qty: m.qty, from: m.from, to: null, reservedDelta: -m.qty };
      break;
    }
    case 'consume': {
      if (!validQty(m.qty)) return fail({ code: 'invalid_quantity' });
      const b = balanceOf(m.from);
      // The reference's own reservation is used first; the rest must come from what nobody has reserved.
      const fromReservation = Math.max(0, Math.min(m.qty, m.reservedForRef, b.reserved));
      const free = available(b);
      if (m.qty - fromReservation > free) return fail({ code: 'insufficient_stock', location: m.from, available: free + fromReservation, requested: m.qty });
      entry = { kind: 'consume', qty: m.qty, from: m.from, to: null, reservedDelta: -fromReservation };
      break;
    }
    case 'adjust': {
      if (!validQty(m.counted, 0)) return fail({ code: 'invalid_quantity' });
      const b = balanceOf(m.at);
      // A count below what is reserved would leave promised parts that are not there: release them first.
      if (m.counted < b.reserved) return fail({ code: 'below_reserved', location: m.at, reserved: b.reserved, counted: m.counted });
      const delta = m.counted - b.onHand;
      if (delta === 0) return fail({ code: 'no_change' });
      entry = delta > 0 ? { kind: 'adjust', qty: delta, from: null, to: m.at, reservedDelta: 0 } : { kind: 'adjust', qty: -delta, from: m.at, to: null, reservedDelta: 0 };
      break;
    }
  }
  return { ok: true, entry, balances: applyEntry(balanceOf, entry) };
}

/** A balance that obeys the rules: nothing negative, nothing reserved that is not on hand. */
export function isSound(b: Balance): boolean {
  return b.onHand >= 0 && b.reserved >= 0 && b.reserved <= b.onHand;
}

/** Balances per location from a ledger alone (what the stock rows must equal). */
export function foldLedger(entries: readonly LedgerEntry[]): Map<number, Balance> {
  const out = new Map<number, Balance>();
  for (const e of entries) {
    for (const [loc, d] of ledgerEffect(e)) {
      const cur = out.get(loc) ?? { onHand: 0, reserved: 0 };
      out.set(loc, { onHand: cur.onHand + d.onHand, reserved: cur.reserved + d.reserved });
    }
  }
  return out;
}

/** Whether available stock at or above `threshold` fell below it (an alert is due), rose back (the alert clears) or neither. */
export function lowStockCrossing(after: number, threshold: number | null, alerted: boolean): 'alert' | 'clear' | null {
  if (threshold === null || threshold <= 0) return alerted ? 'clear' : null;
  if (after < threshold && !alerted) return 'alert';
  if (after >= threshold && alerted) return 'clear';
  return null;
}

/**
 * Time-weighted average on-hand over [from, to): `start` is the on-hand at `from`, `changes` the on-hand deltas inside
 * the period in time order. Turnover = consumed / this average.
 */
export function averageOnHand(start: number, changes: readonly { at: number; delta: number }[], from: number, to: number): number {
  if (to <= from) return start;
  let level = start;
  let at = from;
  let area = 0;
  for (const c of changes) {
    const t = Math.min(Math.max(c.at, from), to);
    area += level * (t - at);
    at = t;
    level += c.delta;
  }
  area += level * (to - at);
  return area / (to - from);
}

/** Consumed quantity over the average on-hand; null when there was never any stock to turn over. */
export function turnover(consumed: number, averageOnHandQty: number): number | null {
  if (averageOnHandQty <= 0) return null;
  return Math.round((consumed / averageOnHandQty) * 100) / 100;
}
