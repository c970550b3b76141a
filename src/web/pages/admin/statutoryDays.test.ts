import { describe, expect, it } from 'vitest';
import { statutoryDay } from './statutoryDays.js';

describe('statutoryDay', () => {
  it('marks the 2025 Spring Festival and National Day holidays and their 调休 make-up days (State Council notice)', () => {
    for (const d of ['2025-01-28', '2025-01-31', '2025-02-04', '2025-10-01', '2025-10-08']) expect(statutoryDay(d)?.kind).toBe('holiday');
    for (const d of ['2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11']) expect(statutoryDay(d)?.kind).toBe('workday');
    expect(statutoryDay('2025-01-29')).toMatchObject({ nameZh: '春节', nameEn: 'Spring Festival' });
    expect(statutoryDay('2025-10-11')).toMatchObject({ kind: 'workday', nameZh: '国庆节' });
  });

  it('leaves ordinary days alone, weekends included, and years without data', () => {
    expect(statutoryDay('2025-03-12')).toBeNull(); // a Wednesday
    expect(statutoryDay('2025-03-15')).toBeNull(); // a Saturday
    expect(statutoryDay('2199-10-01')).toBeNull();
  });
});
