import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, monthBounds, reviewState, settle, settleAll, type ReviewState, type SettlementVisit } from './settlement.js';

const visit = fc.record({
  visitId: fc.integer({ min: 1, max: 10_000 }),
  engineerId: fc.integer({ min: 1, max: 5 }),
  providerId: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  charged: fc.integer({ min: 0, max: 1_000_000 }),
  collected: fc.integer({ min: 0, max: 1_000_000 }),
  labour: fc.integer({ min: 0, max: 100_000 }),
  partsCost: fc.integer({ min: 0, max: 100_000 }),
  partsBilled: fc.integer({ min: 0, max: 100_000 }),
  fingerprint: fc.constant('c1|'),
  state: fc.constantFrom<ReviewState>('pending', 'approved', 'rejected'),
});

describe('settlement', () => {
  it('sums approved visits only, and the groups add up to the whole, by engineer and by provider', () => {
    fc.assert(
      fc.property(fc.array(visit, { maxLength: 60 }), (visits) => {
        const approved = visits.filter((v) => v.state === 'approved');
        const sum = (f: (v: SettlementVisit) => number) => approved.reduce((s, v) => s + f(v), 0);
        for (const by of ['engineer', 'provider'] as const) {
          const groups = [...settle(visits, by).values()];
          const total = (k: 'visits' | 'approved' | 'pending' | 'rejected' | 'charged' | 'collected' | 'difference' | 'partsCost') => groups.reduce((s, g) => s + g[k], 0);
          expect(total('visits')).toBe(visits.length);
          expect(total('approved') + total('pending') + total('rejected')).toBe(visits.length);
          expect(total('charged')).toBe(sum((v) => v.charged));
          expect(total('collected')).toBe(sum((v) => v.collected));
          expect(total('difference')).toBe(sum((v) => v.collected - v.charged));
          expect(total('partsCost')).toBe(sum((v) => v.partsCost));
        }
        expect(settleAll(visits)).toMatchObject({ visits: visits.length, approved: approved.length, charged: sum((v) => v.charged) });
      }),
    );
  });

  it('groups by the visit’s provider, company engineers under null', () => {
    const base = { charged: 100, collected: 100, labour: 80, partsCost: 30, partsBilled: 20, fingerprint: 'c1|', state: 'approved' as const };
    const totals = settle(
      [
        { ...base, visitId: 1, engineerId: 1, providerId: null },
        { ...base, visitId: 2, engineerId: 2, providerId: 7 },
        { ...base, visitId: 3, engineerId: 3, providerId: 7, state: 'pending' },
      ],
      'provider',
    );
    expect(totals.get(null)).toMatchObject({ visits: 1, approved: 1, charged: 100 });
    expect(totals.get(7)).toMatchObject({ visits: 2, approved: 1, pending: 1, charged: 100, labour: 80, partsCost: 30 });
  });

  it('holds a decision only for what was reviewed', () => {
    const f = fingerprint(2, [{ partId: 5, qty: 1 }]);
    expect(reviewState(null, f)).toBe('pending');
    expect(reviewState({ state: 'approved', fingerprint: f }, f)).toBe('approved');
    expect(reviewState({ state: 'rejected', fingerprint: f }, f)).toBe('rejected');
    expect(reviewState({ state: 'approved', fingerprint: f }, fingerprint(3, [{ partId: 5, qty: 1 }]))).toBe('pending');
    expect(reviewState({ state: 'approved', fingerprint: f }, fingerprint(2, [{ partId: 5, qty: 2 }]))).toBe('pending');
  });

  it('fingerprints parts regardless of order and of moves that cancel out', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ partId: fc.integer({ min: 1, max: 9 }), qty: fc.integer({ min: 1, max: 5 }) }), { maxLength: 12 }), fc.integer({ min: 0, max: 9 }), (parts, version) => {
        const reversed = [...parts].reverse();
        expect(fingerprint(version, reversed)).toBe(fingerprint(version, parts));
        expect(fingerprint(version, [...parts, { partId: 99, qty: 3 }, { partId: 99, qty: -3 }])).toBe(fingerprint(version, parts));
      }),
    );
  });

  it('bounds a month, across the year end', () => {
    expect(monthBounds('2026-12')).toEqual({ first: '2026-12-01', next: '2027-01-01' });
    expect(monthBounds('2026-02')).toEqual({ first: '2026-02-01', next: '2026-03-01' });
    expect(() => monthBounds('2026-13')).toThrow();
    expect(() => monthBounds('2026-1')).toThrow();
  });
});
