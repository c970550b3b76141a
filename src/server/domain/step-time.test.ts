// When a visit step counts as done: the pressed time within bounds against a wrong phone clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, stepTime } from './step-time.js';

const MIN = 60_000;
const now = Date.parse('2026-11-23T06:00:00Z');
const booked = now - 24 * 60 * MIN;

describe('stepTime', () => {
  it('takes the pressed time of a press made offline', () => {
    expect(stepTime(now - 90 * MIN, now, booked, null)).toEqual({ ok: true, at: now - 90 * MIN });
  });
  it('is now without a pressed time, never before the previous step', () => {
    expect(stepTime(undefined, now, booked, null)).toEqual({ ok: true, at: now });
    expect(stepTime(undefined, now, booked, now - MIN)).toEqual({ ok: true, at: now });
  });
  it('refuses a time beyond the skew in the future and before the booking; brings one inside the skew to now', () => {
    expect(stepTime(now + CLOCK_SKEW_MS + 1, now, booked, null)).toEqual({ ok: false, reason: 'future' });
    expect(stepTime(now + CLOCK_SKEW_MS, now, booked, null)).toEqual({ ok: true, at: now });
    expect(stepTime(booked - CLOCK_SKEW_MS - 1, now, booked, null)).toEqual({ ok: false, reason: 'before_booking' });
    expect(stepTime(booked - MIN, now, booked, null)).toEqual({ ok: true, at: booked });
  });
  it('never records a step before the one recorded before it', () => {
    expect(stepTime(now - 30 * MIN, now, booked, now - 20 * MIN)).toEqual({ ok: true, at: now - 20 * MIN });
  });
  it('an accepted time always lies between the booking (or previous step) and now', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }), fc.option(fc.integer({ min: 0, max: 86_400_000 - 1 }), { nil: null }), (offset, prevOffset) => {
        const previous = prevOffset === null ? null : booked + prevOffset;
        const r = stepTime(now + offset, now, booked, previous);
        if (!r.ok) return offset > CLOCK_SKEW_MS || now + offset < booked - CLOCK_SKEW_MS;
        return r.at >= booked && r.at <= now && r.at >= (previous ?? booked);
      }),
    );
  });
});
