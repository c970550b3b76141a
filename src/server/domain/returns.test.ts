import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  approvalRefusal,
  CHECKLIST_ITEMS,
  earliestWindow,
  eligibility,
  loanerStateChange,
  loanOverdue,
  outcomeRefusal,
  RMA_ACTIONS,
  RMA_KINDS,
  RMA_STATUSES,
  returnWindow,
  rmaIsOpen,
  rmaNext,
  takeBackNext,
  type Checklist,
  type RmaStatus,
} from './returns.js';

const allYes: Checklist = { appearanceIntact: true, accessoriesComplete: true, proofOfPurchase: true, noManMadeDamage: true };

describe('return window', () => {
  it('counts the days from the purchase date and says the last day and what is left', () => {
    expect(returnWindow('2026-11-01', 7, '2026-11-08')).toEqual({ purchaseDate: '2026-11-01', days: 7, lastDay: '2026-11-08', daysLeft: 0, within: true });
    expect(returnWindow('2026-11-01', 7, '2026-11-09')).toMatchObject({ daysLeft: -1, within: false });
    expect(returnWindow('2026-10-31', 15, '2026-11-03')).toMatchObject({ lastDay: '2026-11-15', daysLeft: 12, within: true });
    // Across a month and a leap day.
    expect(returnWindow('2028-02-25', 7, '2028-03-01')).toMatchObject({ lastDay: '2028-03-03', within: true });
  });

  it('is unknown without a purchase date or a window on the product', () => {
    expect(returnWindow(null, 7, '2026-11-08').within).toBeNull();
    expect(returnWindow('2026-11-01', null, '2026-11-08')).toMatchObject({ lastDay: null, within: null });
  });

  it('takes the window that ends first among several items', () => {
    const a = returnWindow('2026-11-01', 7, '2026-11-05');
    const b = returnWindow('2026-10-20', 15, '2026-11-05');
    const c = returnWindow(null, 7, '2026-11-05');
    expect(earliestWindow([a, b, c])).toBe(b);
    expect(earliestWindow([c]).within).toBeNull();
    expect(earliestWindow([]).within).toBeNull();
  });
});

describe('eligibility and approval', () => {
  const inside = returnWindow('2026-11-01', 7, '2026-11-03');
  const passed = returnWindow('2026-10-01', 7, '2026-11-03');

  it('is eligible with every item yes inside the window', () => {
    expect(eligibility('return', allYes, inside)).toEqual({ complete: true, failed: [], missing: [], windowPassed: false, eligible: true });
  });

  it('names the failed and the missing items', () => {
    const e = eligibility('exchange', { ...allYes, accessoriesComplete: false, proofOfPurchase: null }, inside);
    expect(e).toMatchObject({ complete: false, failed: ['accessoriesComplete'], missing: ['proofOfPurchase'], eligible: false });
  });

  it('a passed window makes returns and exchanges ineligible, not repairs', () => {
    expect(eligibility('return', allYes, passed)).toMatchObject({ windowPassed: true, eligible: false });
    expect(eligibility('exchange', allYes, passed).eligible).toBe(false);
    expect(eligibility('repair', allYes, passed)).toMatchObject({ windowPassed: false, eligible: true });
  });

  it('approval needs the whole checklist, and a reason for an exception; rejection always a reason', () => {
    const ok = eligibility('return', allYes, inside);
    expect(approvalRefusal('approve', ok, null)).toBeNull();
    expect(approvalRefusal('reject', ok, '  ')).toBe('reason_required');
    expect(approvalRefusal('reject', ok, '外观有划痕')).toBeNull();
    const missing = eligibility('return', { ...allYes, noManMadeDamage: null }, inside);
    expect(approvalRefusal('approve', missing, '就这样吧')).toBe('checklist_incomplete');
    const late = eligibility('return', allYes, passed);
    expect(approvalRefusal('approve', late, '')).toBe('reason_required');
    expect(approvalRefusal('approve', late, '物流延误，客户第 5 天已申请')).toBeNull();
    const failed = eligibility('exchange', { ...allYes, appearanceIntact: false }, inside);
    expect(approvalRefusal('approve', failed, undefined)).toBe('reason_required');
  });

  it('lists the four checklist items', () => {
    expect(CHECKLIST_ITEMS).toEqual(['appearanceIntact', 'accessoriesComplete', 'proofOfPurchase', 'noManMadeDamage']);
  });
});

describe('RMA status flow', () => {
  const run = (kind: (typeof RMA_KINDS)[number], actions: (typeof RMA_ACTIONS)[number][]) => {
    let s: RmaStatus = 'requested';
    const seen: RmaStatus[] = [s];
    for (const a of actions) {
      const n = rmaNext(kind, s, a);
      if (n === null) throw new Error(`${a} refused in ${s}`);
      s = n;
      seen.push(s);
    }
    return seen;
  };

  it('a return ends with the refund', () => {
    expect(run('return', ['approve', 'ship_in', 'receive', 'outcome'])).toEqual(['requested', 'approved', 'in_transit', 'received', 'completed']);
  });

  it('an exchange and a repair go back to the customer after the outcome', () => {
    expect(run('exchange', ['approve', 'receive', 'outcome', 'ship_out', 'complete']).at(-1)).toBe('completed');
    expect(run('repair', ['approve', 'ship_in', 'receive', 'outcome', 'ship_out', 'complete'])).toContain('resolved');
  });

  it('refuses an outcome before approval and before the goods are received', () => {
    expect(rmaNext('exchange', 'requested', 'outcome')).toBeNull();
    expect(rmaNext('exchange', 'approved', 'outcome')).toBeNull();
    expect(rmaNext('exchange', 'in_transit', 'outcome')).toBeNull();
    expect(rmaNext('return', 'requested', 'receive')).toBeNull();
    expect(rmaNext('return', 'approved', 'approve')).toBeNull();
  });

  it('ends nowhere after completed, rejected or cancelled', () => {
    for (const kind of RMA_KINDS) {
      for (const s of ['completed', 'rejected', 'cancelled'] as const) {
        expect(actionsFor(kind, s)).toEqual([]);
        expect(rmaIsOpen(s)).toBe(false);
      }
    }
    expect(RMA_STATUSES.filter(rmaIsOpen)).toHaveLength(6);
  });

  it('a return is never shipped back', () => {
    expect(actionsFor('return', 'received')).toEqual(['outcome']);
    expect(actionsFor('return', 'requested')).toEqual(['approve', 'reject', 'cancel']);
  });

  it('checks what each outcome carries', () => {
    expect(outcomeRefusal('return', { refundFen: 259900 })).toBeNull();
    expect(outcomeRefusal('return', { refundFen: 0 })).toBeNull();
    expect(outcomeRefusal('return', {})).toBe('refund_required');
    expect(outcomeRefusal('return', { refundFen: 1, replacements: 1 })).toBe('replacement_not_allowed');
    expect(outcomeRefusal('exchange', { replacements: 1 })).toBeNull();
    expect(outcomeRefusal('exchange', {})).toBe('replacement_required');
    expect(outcomeRefusal('exchange', { refundFen: 100, replacements: 1 })).toBe('refund_not_allowed');
    expect(outcomeRefusal('repair', {})).toBeNull();
    expect(outcomeRefusal('repair', { replacements: 1 })).toBe('replacement_not_allowed');
  });
});

describe('take-back journey and loaners', () => {
  it('moves one step forward at a time', () => {
    expect(takeBackNext('collected', 'at_workshop')).toBe(true);
    expect(takeBackNext('collected', 'repaired')).toBe(false);
    expect(takeBackNext('repaired', 'returned')).toBe(true);
    expect(takeBackNext('returned', 'collected')).toBe(false);
    expect(takeBackNext('at_workshop', 'at_workshop')).toBe(false);
  });

  it('lends and takes back only through loans; staff repair and retire', () => {
    expect(loanerStateChange('available', 'lent')).toBe(false);
    expect(loanerStateChange('lent', 'available')).toBe(false);
    expect(loanerStateChange('available', 'in_repair')).toBe(true);
    expect(loanerStateChange('in_repair', 'available')).toBe(true);
    expect(loanerStateChange('retired', 'available')).toBe(false);
  });

  it('a loan is overdue from the day after its due date until returned', () => {
    expect(loanOverdue('2026-11-20', false, '2026-11-20')).toBe(false);
    expect(loanOverdue('2026-11-20', false, '2026-11-21')).toBe(true);
    expect(loanOverdue('2026-11-20', true, '2026-12-21')).toBe(false);
  });
});
