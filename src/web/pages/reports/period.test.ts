import { describe, expect, it } from 'vitest';
import { chinaDays, periodOf } from './period.js';

// Vitest runs with the machine's time zone; the expectations below are in instants, so they hold in any.
const NOW = Date.parse('2026-12-05T14:30:00.000Z');

describe('satisfaction period', () => {
  it('ends the presets now and starts them 7 / 30 days back or at the start of the month', () => {
    expect(periodOf('7d', NOW)).toEqual({ from: '2026-11-28T14:30:00.000Z', to: '2026-12-05T14:30:00.000Z' });
    expect(periodOf('30d', NOW)).toEqual({ from: '2026-11-05T14:30:00.000Z', to: '2026-12-05T14:30:00.000Z' });
    const month = periodOf('month', NOW)!;
    expect(new Date(month.from).getDate()).toBe(1);
    expect(new Date(month.from).getHours()).toBe(0);
    expect(month.to).toBe('2026-12-05T14:30:00.000Z');
  });

  it('runs a custom range from its first midnight to the midnight after its last day, and refuses a missing or backward one', () => {
    const p = periodOf('custom', NOW, { start: '2026-11-01', end: '2026-11-30' })!;
    expect(Date.parse(p.to) - Date.parse(p.from)).toBe(30 * 86_400_000);
    expect(new Date(p.from).getDate()).toBe(1);
    expect(periodOf('custom', NOW, { start: '2026-11-02', end: '2026-11-01' })).toBeNull();
    expect(periodOf('custom', NOW)).toBeNull();
  });

  it('lists every China day of a period, first and last included', () => {
    // 2026-11-29 23:30 → 2026-12-01 00:30 in Beijing.
    expect(chinaDays({ from: '2026-11-29T15:30:00.000Z', to: '2026-11-30T16:30:00.000Z' })).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
    expect(chinaDays({ from: '2026-11-29T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' })).toEqual(['2026-11-30']);
  });
});
