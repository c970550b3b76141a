// The derived priority (SPEC §3): fixed examples from the SPEC and seed 001, and monotonicity as properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_TIERS, IMPACTS, URGENCIES, type Priority } from '../../shared/enums.js';
import { derivePriority, isLateRegistration, raisePriority, REGISTRATION_LIMIT_MS, type PriorityFacts } from './priority.js';

const rank = (p: Priority) => Number(p.slice(1)); // P1 = 1 is the most urgent
const facts = fc.record({
  impact: fc.constantFrom(...IMPACTS),
  urgency: fc.constantFrom(...URGENCIES),
  customerTier: fc.constantFrom(...CUSTOMER_TIERS),
  specialNeeds: fc.boolean(),
});
// Index 0 is the most severe in IMPACTS and URGENCIES; tiers go normal < core < vip.
const more = <T>(list: readonly T[], v: T, towardsStart: boolean) => fc.constantFrom(...list.filter((x) => (towardsStart ? list.indexOf(x) <= list.indexOf(v) : list.indexOf(x) >= list.indexOf(v))));

describe('derivePriority', () => {
  const p = (f: Partial<PriorityFacts>) => derivePriority({ impact: 'minor', urgency: 'can_wait', customerTier: 'normal', specialNeeds: false, ...f }).priority;

  it('follows the SPEC examples', () => {
    // P1: core business or safety affected (a server down, a medical device failing).
    expect(p({ impact: 'core', urgency: 'stopped' })).toBe('P1');
    expect(p({ impact: 'core', urgency: 'degraded' })).toBe('P1');
    // P2: part of the function or the experience (a non-core function, an ordinary service complaint).
    expect(p({ impact: 'partial', urgency: 'degraded' })).toBe('P2');
    expect(p({ impact: 'partial', urgency: 'stopped' })).toBe('P2');
    // P3: a minor problem, a question, a suggestion.
    expect(p({ impact: 'minor', urgency: 'can_wait' })).toBe('P3');
    expect(p({ impact: 'minor', urgency: 'stopped' })).toBe('P3');
    // Something that can wait drops one level.
    expect(p({ impact: 'core', urgency: 'can_wait' })).toBe('P2');
    expect(p({ impact: 'partial', urgency: 'can_wait' })).toBe('P3');
  });

  it('makes a VIP or core customer with a major loss P1', () => {
    expect(p({ impact: 'partial', urgency: 'stopped', customerTier: 'vip' })).toBe('P1');
    expect(p({ impact: 'partial', urgency: 'stopped', customerTier: 'core' })).toBe('P1');
    expect(derivePriority({ impact: 'partial', urgency: 'stopped', customerTier: 'vip', specialNeeds: false }).raisedBy).toEqual(['major_loss']);
    // No major loss: a VIP's question stays a question.
    expect(p({ impact: 'minor', urgency: 'stopped', customerTier: 'vip' })).toBe('P3');
    expect(p({ impact: 'partial', urgency: 'degraded', customerTier: 'vip' })).toBe('P2');
  });

  it('serves special-needs customers first: one level up', () => {
    expect(p({ impact: 'minor', specialNeeds: true })).toBe('P2');
    expect(p({ impact: 'partial', urgency: 'degraded', specialNeeds: true })).toBe('P1');
    expect(p({ impact: 'core', urgency: 'stopped', specialNeeds: true })).toBe('P1');
    expect(derivePriority({ impact: 'minor', urgency: 'can_wait', customerTier: 'normal', specialNeeds: true }).raisedBy).toEqual(['special_needs']);
  });

  it('never lowers the priority when impact, urgency or customer value grow', () => {
    fc.assert(
      fc.property(
        facts.chain((f) =>
          fc.tuple(
            fc.constant(f),
            fc.record({
              impact: more(IMPACTS, f.impact, true),
              urgency: more(URGENCIES, f.urgency, true),
              customerTier: more(CUSTOMER_TIERS, f.customerTier, false),
              specialNeeds: f.specialNeeds ? fc.constant(true) : fc.boolean(),
            }),
          ),
        ),
        ([lower, higher]) => {
          expect(rank(derivePriority(higher).priority)).toBeLessThanOrEqual(rank(derivePriority(lower).priority));
        },
      ),
    );
  });

  it('is P1 whenever core business is stopped, and never above P3 for a normal customer\'s minor problem', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const { priority } = derivePriority(f);
        if (f.impact === 'core' && f.urgency === 'stopped') expect(priority).toBe('P1');
        if (f.impact === 'minor' && !f.specialNeeds) expect(priority).toBe('P3');
      }),
    );
  });

  it('raises one level at most to P1', () => {
    expect(raisePriority('P3')).toBe('P2');
    expect(raisePriority('P2')).toBe('P1');
    expect(raisePriority('P1')).toBe('P1');
  });
});

describe('late registration (seed 001: within 2 hours of first contact)', () => {
  it('is late only past the limit', () => {
    const reported = Date.UTC(2026, 10, 23, 1, 0);
    expect(REGISTRATION_LIMIT_MS).toBe(7_200_000);
    expect(isLateRegistration(reported, reported + REGISTRATION_LIMIT_MS)).toBe(false);
    expect(isLateRegistration(reported, reported + REGISTRATION_LIMIT_MS + 1)).toBe(true);
    expect(isLateRegistration(reported, reported)).toBe(false);
  });
});
