import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { careDue, defaultChecklist, firstRepairOf, missingItems, rates, REPEAT_WINDOW_MS, usageWindow, type RepairFacts } from './care.js';
import { addDays, addMonths } from './warranty.js';

const day = fc.integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2032, 0, 1) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const DAY = 86_400_000;

describe('care rules', () => {
  it('the 2-year rule fires from the second anniversary of use, for 30 days', () => {
    const u = { inUseSince: '2024-12-06', warrantyEnd: null };
    expect(careDue('usage_2y', u, '2026-12-05')).toBeNull();
    expect(careDue('usage_2y', u, '2026-12-06')).toBe('2026-12-06');
    expect(careDue('usage_2y', u, '2027-01-05')).toBe('2026-12-06');
    expect(careDue('usage_2y', u, '2027-01-06')).toBeNull();
    expect(careDue('usage_2y', { inUseSince: null, warrantyEnd: null }, '2026-12-06')).toBeNull();
  });

  it('the warranty rule fires 30 days before the last covered day, until it', () => {
    const u = { inUseSince: null, warrantyEnd: '2027-01-05' };
    expect(careDue('warranty_ending', u, '2026-12-05')).toBeNull();
    expect(careDue('warranty_ending', u, '2026-12-06')).toBe('2026-12-06');
    expect(careDue('warranty_ending', u, '2027-01-05')).toBe('2026-12-06');
    expect(careDue('warranty_ending', u, '2027-01-06')).toBeNull();
  });

  it("the sweeper's query window holds exactly the start dates whose 2-year rule is due", () => {
    fc.assert(
      fc.property(day, day, (since, today) => {
        const w = usageWindow(today);
        const inWindow = since >= w.from && since <= w.to;
        const due = careDue('usage_2y', { inUseSince: since, warrantyEnd: null }, today) !== null;
        // Month-end clamping can put a due start a day outside; the window never misses one that is due otherwise.
        if (due) expect(since >= addDays(w.from, -3) && since <= w.to).toBe(true);
        if (inWindow && !due) expect(addMonths(since, 24) > today || addDays(addMonths(since, 24), 30) < today).toBe(true);
      }),
    );
  });
});

describe('repeat repairs', () => {
  const first: RepairFacts = { id: 1, unitId: 7, faultClasses: ['hardware'], createdAt: 0, closedAt: 10 * DAY };
  const repair = (over: Partial<RepairFacts>): RepairFacts => ({ id: 2, unitId: 7, faultClasses: ['hardware'], createdAt: 20 * DAY, closedAt: null, ...over });

  it('links a repair of the same unit and fault class opened within 30 days of the closed one', () => {
    expect(firstRepairOf(repair({}), [first])?.id).toBe(1);
    expect(firstRepairOf(repair({ createdAt: 10 * DAY + REPEAT_WINDOW_MS }), [first])?.id).toBe(1);
    expect(firstRepairOf(repair({ createdAt: 10 * DAY + REPEAT_WINDOW_MS + 1 }), [first])).toBeNull();
    expect(firstRepairOf(repair({ unitId: 8 }), [first])).toBeNull();
    expect(firstRepairOf(repair({ faultClasses: ['usage'] }), [first])).toBeNull();
    expect(firstRepairOf(repair({ createdAt: 5 * DAY }), [first])).toBeNull(); // opened before the first closed
    expect(firstRepairOf(repair({}), [{ ...first, closedAt: null }])).toBeNull();
  });

  it("counts a visit report's fault class as much as the ticket's: any class in common", () => {
    expect(firstRepairOf(repair({ faultClasses: ['usage', 'hardware'] }), [first])?.id).toBe(1);
    expect(firstRepairOf(repair({ faultClasses: ['software'] }), [{ ...first, faultClasses: ['hardware', 'software'] }])?.id).toBe(1);
  });

  it('picks the latest closed repair when several qualify', () => {
    expect(firstRepairOf(repair({}), [first, { ...first, id: 3, closedAt: 15 * DAY }])?.id).toBe(3);
  });

  it('rates are repeats over closed repairs per group, and the groups add up to the whole', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ model: fc.constantFrom('A', 'B', 'C'), repeated: fc.boolean() }), { maxLength: 60 }), (rows) => {
        const groups = rates(rows, (r) => ({ key: r.model, label: r.model }), (r) => r.repeated);
        expect(groups.reduce((n, g) => n + g.closed, 0)).toBe(rows.length);
        expect(groups.reduce((n, g) => n + g.repeats, 0)).toBe(rows.filter((r) => r.repeated).length);
        for (const g of groups) expect(g.rate).toBeCloseTo(rows.filter((r) => r.model === g.key && r.repeated).length / rows.filter((r) => r.model === g.key).length);
      }),
    );
  });
});

describe('installation checklists', () => {
  it("uses the product line's defaults and says which items are missing", () => {
    expect(defaultChecklist('ac')).toContain('通电试机');
    expect(defaultChecklist('unknown')).toEqual(['位置水平', '管路连接', '通电试机', '讲解使用']);
    expect(missingItems(['位置水平', '通电试机'], ['通电试机'])).toEqual(['位置水平']);
  });
});
