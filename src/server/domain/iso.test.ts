import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOrNull, isoString } from './iso.js';

describe('isoString', () => {
  it('equals Date#toISOString for every instant from 1970 to 9999', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => isoString(ms) === new Date(ms).toISOString()), { numRuns: 20_000 });
  });

  it('gets the edges right: epoch, leap days, century years, the last representable four-digit year', () => {
    for (const s of ['1970-01-01T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '2100-03-01T00:00:00.000Z', '2024-02-29T12:00:00.005Z', '2026-12-31T16:00:00.050Z', '9999-12-31T23:59:59.999Z']) {
      expect(isoString(Date.parse(s))).toBe(s);
    }
  });

  it('falls back to Date for what it does not format itself, and rejects what is not a time', () => {
    expect(isoString(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(isoString(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoString(1.5)).toBe(new Date(1.5).toISOString());
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
    expect(() => isoString(8.64e15 + 1)).toThrow(RangeError);
    expect(isoOrNull(null)).toBeNull();
    expect(isoOrNull(undefined)).toBeNull();
    expect(isoOrNull(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
