import { describe, expect, it } from 'vitest';
import { minutesToHHmm, normalizeDate, parseDayLines, yearRanges } from './calendarImport.js';

describe('calendar bulk import', () => {
  it('reads the documented format, Chinese kind words and notes', () => {
    const r = parseDayLines('2027-01-01 holiday 元旦\n2027-02-06 workday 春节调休\n\n# 注释\n2027/2/10 休 春节 初四\n2027-02-20,班');
    expect(r.errors).toEqual([]);
    expect(r.days).toEqual([
      { date: '2027-01-01', kind: 'holiday', note: '元旦' },
      { date: '2027-02-06', kind: 'workday', note: '春节调休' },
      { date: '2027-02-10', kind: 'holiday', note: '春节 初四' },
      { date: '2027-02-20', kind: 'workday', note: null },
    ]);
    expect(r.years).toEqual([2027]);
  });
  it('reports bad dates, unknown kinds and duplicates with their line numbers', () => {
    const r = parseDayLines('2027-02-30 holiday\n2027-03-01 vacation\n2027-01-01 holiday\n2027-01-01 workday');
    expect(r.days).toHaveLength(1);
    expect(r.errors.map((e) => [e.line, e.reason])).toEqual([
      [1, 'date'],
      [2, 'kind'],
      [4, 'duplicate'],
    ]);
  });
  it('normalizes dates and formats minutes', () => {
    expect(normalizeDate('2028-2-29')).toBe('2028-02-29');
    expect(normalizeDate('2027-2-29')).toBeNull();
    expect(minutesToHHmm(540)).toBe('09:00');
    expect(minutesToHHmm(1440)).toBe('24:00');
  });
  it('collapses consecutive years', () => {
    expect(yearRanges([2026, 2004, 2005, 2028, 2006])).toEqual(['2004–2006', '2026', '2028']);
    expect(yearRanges([])).toEqual([]);
  });
});
