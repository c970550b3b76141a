import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, storedWarranty, underWarrantyOf, warrantyEnd, warrantyStatus, type WarrantyFacts } from './warranty.js';

const day = fc.integer({ min: Date.UTC(2015, 0, 1) / 86_400_000, max: Date.UTC(2035, 0, 1) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const facts = fc.record<WarrantyFacts>({
  warrantyMonths: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  needsInstallation: fc.boolean(),
  purchaseDate: fc.option(day, { nil: null }),
  hasProofOfPurchase: fc.boolean(),
  acceptanceDate: fc.option(day, { nil: null }),
  extendedMonths: fc.integer({ min: 0, max: 60 }),
});
const base: WarrantyFacts = { warrantyMonths: 12, needsInstallation: false, purchaseDate: '2025-03-10', hasProofOfPurchase: true, acceptanceDate: null, extendedMonths: 0 };

describe('warrantyStatus', () => {
  it('covers 12 months from a proven purchase: the last day is the day before the anniversary', () => {
    expect(warrantyStatus(base, '2026-03-09')).toEqual({ status: 'in', start: '2025-03-10', end: '2026-03-09', basis: 'purchase', reason: 'purchase' });
    expect(warrantyStatus(base, '2026-03-10').status).toBe('out');
  });

  it('starts at installation acceptance where the product needs installation (seed 002), not at the purchase', () => {
    const installed = { ...base, needsInstallation: true, acceptanceDate: '2025-05-02' };
    expect(warrantyStatus(installed, '2026-04-30')).toMatchObject({ status: 'in', start: '2025-05-02', end: '2026-05-01', basis: 'installation_acceptance', reason: 'accepted' });
    // A product sold without installation ignores an acceptance date someone typed.
    expect(warrantyStatus({ ...installed, needsInstallation: false }, '2026-04-30')).toMatchObject({ basis: 'purchase', status: 'out' });
    // Not accepted yet: the proven purchase covers it meanwhile, and says so.
    expect(warrantyStatus({ ...installed, acceptanceDate: null }, '2025-06-01')).toMatchObject({ basis: 'purchase', reason: 'not_yet_accepted', status: 'in' });
  });

  it('adds the extended warranty months', () => {
    expect(warrantyStatus({ ...base, extendedMonths: 24 }, '2028-03-09')).toMatchObject({ status: 'in', end: '2028-03-09' });
    expect(warrantyStatus({ ...base, extendedMonths: 24 }, '2028-03-10').status).toBe('out');
  });

  it('is unknown without proof and without acceptance (proof needed), and without a warranty term', () => {
    expect(warrantyStatus({ ...base, hasProofOfPurchase: false }, '2025-04-01')).toEqual({ status: 'unknown', start: '2025-03-10', end: null, basis: 'none', reason: 'proof_missing' });
    expect(warrantyStatus({ ...base, purchaseDate: null }, '2025-04-01')).toMatchObject({ status: 'unknown', reason: 'no_purchase' });
    expect(warrantyStatus({ ...base, needsInstallation: true, hasProofOfPurchase: false }, '2025-04-01')).toMatchObject({ status: 'unknown', reason: 'proof_missing' });
    expect(warrantyStatus({ ...base, warrantyMonths: null }, '2025-04-01')).toMatchObject({ status: 'unknown', reason: 'product_unknown', end: null });
  });

  it('properties: unknown exactly when nothing starts it; in ⇔ today ≤ end; the start is acceptance or purchase as the rule says', () => {
    fc.assert(
      fc.property(facts, day, (f, today) => {
        const w = warrantyStatus(f, today);
        const accepted = f.needsInstallation && f.acceptanceDate !== null;
        const proven = f.purchaseDate !== null && f.hasProofOfPurchase;
        const startable = f.warrantyMonths !== null && (accepted || proven);
        expect(w.status === 'unknown').toBe(!startable);
        expect(w.end === null).toBe(!startable);
        if (!startable) return;
        expect(w.start).toBe(accepted ? f.acceptanceDate : f.purchaseDate);
        expect(w.basis).toBe(accepted ? 'installation_acceptance' : 'purchase');
        expect(w.end).toBe(warrantyEnd(w.start!, f.warrantyMonths! + f.extendedMonths));
        expect(w.status).toBe(today <= w.end! ? 'in' : 'out');
        expect(underWarrantyOf(w.status)).toBe(today <= w.end!);
      }),
      { numRuns: 2000 },
    );
  });

  it('properties: more extended months never end sooner; a later day is never back in warranty', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 36 }), day, day, (f, more, d1, d2) => {
        const a = warrantyStatus(f, d1);
        const b = warrantyStatus({ ...f, extendedMonths: f.extendedMonths + more }, d1);
        if (a.end && b.end) expect(b.end >= a.end).toBe(true);
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        if (warrantyStatus(f, early).status === 'out') expect(warrantyStatus(f, late).status).toBe('out');
      }),
      { numRuns: 1000 },
    );
  });

  it('stores start, end and basis independent of the day', () => {
    expect(storedWarranty(base)).toEqual({ warranty_start: '2025-03-10', warranty_end: '2026-03-09', warranty_basis: 'purchase' });
    expect(storedWarranty({ ...base, hasProofOfPurchase: false })).toEqual({ warranty_start: null, warranty_end: null, warranty_basis: 'none' });
  });
});

describe('date arithmetic', () => {
  it('addMonths clamps to the month end; addDays crosses months and leap days', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
});
