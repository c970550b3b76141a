import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSecondReviewer, secondReviewReason, secondReviewRecipients, solutionReviewers, type ReviewerPool } from './review.js';

const pool: ReviewerPool = { reviewBy: 'service_desk', deskSupervisors: [10, 11], leadSupervisors: [20], leadManager: 30, directors: [40], author: 5 };

describe('who reviews a solution', () => {
  it("goes to the service desk's supervisors, or to the lead department's supervisors and manager", () => {
    expect(solutionReviewers(pool)).toEqual([10, 11]);
    expect(solutionReviewers({ ...pool, reviewBy: 'lead_department' })).toEqual([20, 30]);
  });

  it('never goes to the author; falls back to the manager, then the directors', () => {
    expect(solutionReviewers({ ...pool, author: 10 })).toEqual([11]);
    expect(solutionReviewers({ ...pool, deskSupervisors: [10], author: 10 })).toEqual([30]);
    expect(solutionReviewers({ ...pool, deskSupervisors: [10], leadManager: 10, author: 10 })).toEqual([40]);
    expect(solutionReviewers({ ...pool, reviewBy: 'lead_department', leadSupervisors: [], leadManager: null })).toEqual([40]);
    expect(solutionReviewers({ ...pool, deskSupervisors: [], leadManager: null, directors: [5], author: 5 })).toEqual([]);
  });

  it('never lists the author, whoever they are (property)', () => {
    const ids = fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 4 });
    fc.assert(
      fc.property(fc.constantFrom('service_desk' as const, 'lead_department' as const), ids, ids, fc.option(fc.integer({ min: 1, max: 8 })), ids, fc.integer({ min: 1, max: 8 }), (reviewBy, desk, lead, manager, directors, author) => {
        const out = solutionReviewers({ reviewBy, deskSupervisors: desk, leadSupervisors: lead, leadManager: manager, directors, author });
        expect(out).not.toContain(author);
        // Someone other than the author is always found when there is one anywhere in the chain.
        const anyone = [...(reviewBy === 'service_desk' ? desk : lead), manager, ...directors].some((x) => x !== null && x !== author);
        if (anyone) expect(out.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('second review (二次复核)', () => {
  it('starts for an unsatisfied complaint and for any second reopening, not for a first unsatisfied repair', () => {
    expect(secondReviewReason({ serviceType: 'complaint', customerRejected: true, reopenCount: 1 })).toBe('complaint_rejected');
    expect(secondReviewReason({ serviceType: 'repair', customerRejected: true, reopenCount: 1 })).toBeNull();
    expect(secondReviewReason({ serviceType: 'repair', customerRejected: true, reopenCount: 2 })).toBe('reopened_again');
    expect(secondReviewReason({ serviceType: null, customerRejected: false, reopenCount: 2 })).toBe('reopened_again');
    expect(secondReviewReason({ serviceType: 'complaint', customerRejected: false, reopenCount: 1 })).toBeNull();
  });

  it('is done by a reviewer role (QA included) other than the first reviewer and the author', () => {
    const who = { actorId: 7, firstReviewerId: 8, solutionBy: 9 };
    for (const role of ['qa', 'supervisor', 'manager', 'director', 'admin'] as const) expect(checkSecondReviewer({ ...who, role })).toEqual({ ok: true });
    for (const role of ['agent', 'engineer', 'dispatcher', 'customer'] as const) expect(checkSecondReviewer({ ...who, role })).toEqual({ ok: false, reason: 'forbidden' });
    expect(checkSecondReviewer({ ...who, role: 'manager', firstReviewerId: 7 })).toEqual({ ok: false, reason: 'same_reviewer' });
    expect(checkSecondReviewer({ ...who, role: 'supervisor', solutionBy: 7 })).toEqual({ ok: false, reason: 'own_solution' });
  });

  it('tells the eligible reviewers, never the excluded, and the directors when nobody else is left', () => {
    expect(secondReviewRecipients({ deskSupervisors: [1, 2], leadManager: 3, qa: [4], directors: [5], exclude: [2, 3] })).toEqual([1, 4]);
    expect(secondReviewRecipients({ deskSupervisors: [2], leadManager: 3, qa: [], directors: [5], exclude: [2, 3] })).toEqual([5]);
  });
});
