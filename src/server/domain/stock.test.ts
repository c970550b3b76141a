import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageOnHand, available, EMPTY, foldLedger, isSound, lowStockCrossing, planMove, turnover, type Balance, type LedgerEntry, type MoveRequest } from './stock.js';

const LOCS = [1, 2, 3];
const loc = fc.constantFrom(...LOCS);
const qty = fc.integer({ min: -2, max: 12 });

/** Any move a client could ask for, including bad quantities and same-location transfers. */
const move: fc.Arbitrary<MoveRequest> = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), qty, to: loc }),
  fc.record({ kind: fc.constant('transfer' as const), qty, from: loc, to: loc }),
  fc.record({ kind: fc.constant('return' as const), qty, from: fc.option(loc, { nil: null }), to: loc }),
  fc.record({ kind: fc.constant('reserve' as const), qty, from: loc }),
  fc.record({ kind: fc.constant('release' as const), qty, from: loc, reservedForRef: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }) }),
  fc.record({ kind: fc.constant('consume' as const), qty, from: loc, reservedForRef: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('adjust' as const), counted: fc.integer({ min: -1, max: 30 }), at: loc }),
);

/** Runs moves as the service does: accepted ones change the balances and append to the ledger. */
function run(moves: MoveRequest[]) {
  const balances = new Map<number, Balance>();
  const ledger: LedgerEntry[] = [];
  let refused = 0;
  for (const m of moves) {
    const r = planMove((l) => balances.get(l) ?? EMPTY, m);
    if (!r.ok) {
      refused++;
      continue;
    }
    for (const [l, b] of r.balances) balances.set(l, b);
    ledger.push(r.entry);
  }
  return { balances, ledger, refused };
}

describe('stock moves (property-based)', () => {
  it('no sequence of moves ever leaves on-hand, reserved or available below zero', () => {
    fc.assert(
      fc.property(fc.array(move, { maxLength: 80 }), (moves) => {
        const balances = new Map<number, Balance>();
        for (const m of moves) {
          const r = planMove((l) => balances.get(l) ?? EMPTY, m);
          if (!r.ok) continue;
          for (const [l, b] of r.balances) {
            if (!isSound(b)) return false;
            balances.set(l, b);
          }
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('the ledger folded from nothing equals the balances, location by location', () => {
    fc.assert(
      fc.property(fc.array(move, { maxLength: 80 }), (moves) => {
        const { balances, ledger } = run(moves);
        const folded = foldLedger(ledger);
        for (const l of LOCS) expect(folded.get(l) ?? EMPTY).toEqual(balances.get(l) ?? EMPTY);
      }),
      { numRuns: 2000 },
    );
  });

  it('a transfer or return between locations keeps the total on hand; only receive, return from outside, consume and adjust change it', () => {
    fc.assert(
      fc.property(fc.array(move, { maxLength: 60 }), (moves) => {
        const balances = new Map<number, Balance>();
        for (const m of moves) {
          const before = [...balances.values()].reduce((s, b) => s + b.onHand, 0);
          const r = planMove((l) => balances.get(l) ?? EMPTY, m);
          if (!r.ok) continue;
          for (const [l, b] of r.balances) balances.set(l, b);
          const after = [...balances.values()].reduce((s, b) => s + b.onHand, 0);
          const e = r.entry;
          const expected = e.kind === 'reserve' || e.kind === 'release' ? 0 : (e.to !== null ? e.qty : 0) - (e.from !== null ? e.qty : 0);
          if (after - before !== expected) return false;
        }
        return true;
      }),
    );
  });
});

describe('stock moves (examples)', () => {
  const at = (b: Record<number, Balance>) => (l: number) => b[l] ?? EMPTY;

  it('refuses a transfer of more than is available and says how much is', () => {
    const r = planMove(at({ 1: { onHand: 5, reserved: 3 } }), { kind: 'transfer', qty: 3, from: 1, to: 2 });
    expect(r).toEqual({ ok: false, error: { code: 'insufficient_stock', location: 1, available: 2, requested: 3 } });
  });

  it('consumes the reference reservation first, then free stock', () => {
    const r = planMove(at({ 1: { onHand: 4, reserved: 2 } }), { kind: 'consume', qty: 3, from: 1, reservedForRef: 2 });
    expect(r.ok && r.balances.get(1)).toEqual({ onHand: 1, reserved: 0 });
    // Someone else's reservation is not this reference's to use.
    const other = planMove(at({ 1: { onHand: 4, reserved: 2 } }), { kind: 'consume', qty: 3, from: 1, reservedForRef: 0 });
    expect(other).toEqual({ ok: false, error: { code: 'insufficient_stock', location: 1, available: 2, requested: 3 } });
  });

  it('an adjustment to the counted quantity records the difference, never below what is reserved', () => {
    const down = planMove(at({ 1: { onHand: 10, reserved: 2 } }), { kind: 'adjust', counted: 7, at: 1 });
    expect(down.ok && down.entry).toEqual({ kind: 'adjust', qty: 3, from: 1, to: null, reservedDelta: 0 });
    expect(planMove(at({ 1: { onHand: 10, reserved: 2 } }), { kind: 'adjust', counted: 1, at: 1 })).toEqual({ ok: false, error: { code: 'below_reserved', location: 1, reserved: 2, counted: 1 } });
    expect(planMove(at({ 1: { onHand: 10, reserved: 2 } }), { kind: 'adjust', counted: 10, at: 1 })).toEqual({ ok: false, error: { code: 'no_change' } });
  });

  it('release cannot release more than the reference holds', () => {
    expect(planMove(at({ 1: { onHand: 5, reserved: 5 } }), { kind: 'release', qty: 3, from: 1, reservedForRef: 2 })).toEqual({
      ok: false,
      error: { code: 'insufficient_reserved', location: 1, reserved: 2, requested: 3 },
    });
    expect(available({ onHand: 5, reserved: 5 })).toBe(0);
  });

  it('alerts once when available falls below the threshold and clears when it is back', () => {
    expect(lowStockCrossing(2, 3, false)).toBe('alert');
    expect(lowStockCrossing(1, 3, true)).toBeNull();
    expect(lowStockCrossing(3, 3, true)).toBe('clear');
    expect(lowStockCrossing(0, null, false)).toBeNull();
  });

  it('averages on-hand over time and turns consumption into turnover', () => {
    // 10 for the first half, 0 for the second → 5 on average.
    expect(averageOnHand(10, [{ at: 50, delta: -10 }], 0, 100)).toBe(5);
    expect(averageOnHand(4, [], 0, 100)).toBe(4);
    expect(turnover(10, 5)).toBe(2);
    expect(turnover(3, 0)).toBeNull();
  });
});
