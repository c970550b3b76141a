import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentProblem, quoteVisit, receiptNumber, type PartUse } from './charges.js';

const fees = { calloutFee: 5000, labourFees: { electrical: 8000, refrigerant: 15000 } };
const cap: PartUse = { partId: 1, code: 'AC-CAP-35', name: '压缩机电容 35μF', qty: 2, listPrice: 4500, unitCost: 2000 };
const fan: PartUse = { partId: 2, code: 'AC-FAN-01', name: '外机风扇电机', qty: 1, listPrice: 32000, unitCost: 18000 };

describe('quoteVisit', () => {
  it('out of warranty: call-out + labour of the fault class + parts at list price', () => {
    const q = quoteVisit({ warranty: 'out', fees, faultClass: 'electrical', parts: [cap, fan] });
    expect(q.total).toBe(5000 + 8000 + 2 * 4500 + 32000);
    expect(q.cost).toBe(2 * 2000 + 18000);
    expect(q.lines.map((l) => [l.kind, l.code, l.amount])).toEqual([
      ['callout', null, 5000],
      ['labour', 'electrical', 8000],
      ['part', 'AC-CAP-35', 9000],
      ['part', 'AC-FAN-01', 32000],
    ]);
  });

  it('in warranty: nothing to pay, the parts cost still counted and the standard prices still shown', () => {
    const q = quoteVisit({ warranty: 'in', fees, faultClass: 'electrical', parts: [cap] });
    expect(q.total).toBe(0);
    expect(q.cost).toBe(4000);
    expect(q.lines.find((l) => l.kind === 'part')!.unitPrice).toBe(4500);
  });

  it('unknown warranty is charged like out of warranty', () => {
    expect(quoteVisit({ warranty: 'unknown', fees, faultClass: null, parts: [] }).total).toBe(5000);
  });

  it('a fault class without a price is charged 0 and flagged', () => {
    const q = quoteVisit({ warranty: 'out', fees, faultClass: 'noise', parts: [] });
    expect(q.unpricedFaultClass).toBe(true);
    expect(q.total).toBe(5000);
  });

  it('the same part used twice is one line', () => {
    const q = quoteVisit({ warranty: 'out', fees: null, faultClass: null, parts: [cap, { ...cap, qty: 1 }] });
    expect(q.lines.filter((l) => l.kind === 'part')).toEqual([expect.objectContaining({ qty: 3, amount: 13500, cost: 6000 })]);
  });

  const part = fc.record({ partId: fc.integer({ min: 1, max: 5 }), code: fc.constantFrom('A', 'B', 'C'), name: fc.string(), qty: fc.integer({ min: 0, max: 20 }), listPrice: fc.integer({ min: 0, max: 1_000_000 }), unitCost: fc.integer({ min: 0, max: 1_000_000 }) });
  const input = fc.record({
    warranty: fc.constantFrom('in' as const, 'out' as const, 'unknown' as const),
    fees: fc.option(fc.record({ calloutFee: fc.integer({ min: 0, max: 100_000 }), labourFees: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 100_000 })) }), { nil: null }),
    faultClass: fc.option(fc.constantFrom('a', 'b', 'c', 'z'), { nil: null }),
    parts: fc.array(part, { maxLength: 8 }),
  });

  it('property: the total is the sum of the lines; in warranty it is 0; the cost never depends on the warranty', () => {
    fc.assert(
      fc.property(input, (i) => {
        const q = quoteVisit(i);
        expect(q.total).toBe(q.lines.reduce((s, l) => s + l.amount, 0));
        if (i.warranty === 'in') expect(q.total).toBe(0);
        expect(q.cost).toBe(quoteVisit({ ...i, warranty: 'in' }).cost);
        expect(q.cost).toBe(i.parts.reduce((s, p) => s + p.qty * p.unitCost, 0));
      }),
    );
  });

  it('property: out of warranty, the total is call-out + labour + Σ list price × qty, and using one more part never lowers it', () => {
    fc.assert(
      fc.property(input, part, (i, extra) => {
        const q = quoteVisit({ ...i, warranty: 'out' });
        const labour = i.faultClass ? (i.fees?.labourFees[i.faultClass] ?? 0) : 0;
        expect(q.total).toBe((i.fees?.calloutFee ?? 0) + labour + i.parts.reduce((s, p) => s + p.qty * p.listPrice, 0));
        expect(quoteVisit({ ...i, warranty: 'out', parts: [...i.parts, extra] }).total).toBeGreaterThanOrEqual(q.total);
      }),
    );
  });
});

describe('paymentProblem and receiptNumber', () => {
  it('refuses negative or fractional amounts, a QR or transfer without reference, and more than the quote', () => {
    expect(paymentProblem({ method: 'cash', amount: 100, reference: null }, { total: 100 })).toBeNull();
    expect(paymentProblem({ method: 'cash', amount: 50, reference: null }, { total: 100 })).toBeNull();
    expect(paymentProblem({ method: 'cash', amount: -1, reference: null }, { total: 100 })).toBe('amount');
    expect(paymentProblem({ method: 'cash', amount: 1.5, reference: null }, { total: 100 })).toBe('amount');
    expect(paymentProblem({ method: 'qr', amount: 100, reference: ' ' }, { total: 100 })).toBe('reference');
    expect(paymentProblem({ method: 'transfer', amount: 101, reference: 'x' }, { total: 100 })).toBe('over_quote');
  });
  it('numbers receipts by China month and visit', () => {
    expect(receiptNumber(Date.parse('2026-11-30T17:00:00Z'), 42)).toBe('SJ2612-000042');
  });
});
