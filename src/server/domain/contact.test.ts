import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, phoneDigits } from './contact.js';
import { formatTicketNumber, numberingMonth } from './numbering.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { addMonths, isUnderWarranty } from './warranty.js';

describe('contact details', () => {
  it('masks mobile numbers as 138****5678 and e-mail to the first letter', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('****45');
    expect(maskEmail('zhang.wei@example.com')).toBe('z***@example.com');
    expect(maskPhone(null)).toBeNull();
  });
  it('normalises phone numbers for lookup', () => {
    expect(phoneDigits('+86 (138) 1234-5678')).toBe('13812345678');
    expect(phoneDigits('0571-8888 6666')).toBe('057188886666');
    expect(phoneDigits('')).toBeNull();
  });
});

describe('ticket numbers', () => {
  it('use the China month and at least three serial digits', () => {
    expect(numberingMonth(Date.parse('2026-05-31T16:30:00Z'))).toBe('202606'); // 00:30 on 1 June in Beijing
    expect(formatTicketNumber('202405', 1)).toBe('202405001');
    expect(formatTicketNumber('202405', 1234)).toBe('2024051234');
    expect(() => formatTicketNumber('2024-5', 1)).toThrow();
  });
});

describe('cursors and warranty dates', () => {
  it('round-trip cursors and refuse forged ones', () => {
    expect(decodeCursor(encodeCursor([5, 7]), ['n', 'n'])).toEqual([5, 7]);
    expect(decodeCursor(encodeCursor(['P1', 5, 7]), ['s', 'n', 'n'])).toEqual(['P1', 5, 7]);
    expect(decodeCursor(encodeCursor(['x', 7]), ['n', 'n'])).toBeNull();
    expect(decodeCursor('!!!', ['n'])).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'), ['n'])).toBeNull();
  });
  it('end warranties on the same day months later, clamped to the month end', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-06-15', 24)).toBe('2027-06-15');
    expect(isUnderWarranty('2026-01-01', '2025-12-31')).toBe(true);
    expect(isUnderWarranty('2026-01-01', '2026-01-02')).toBe(false);
    expect(isUnderWarranty(null, '2026-01-02')).toBeNull();
  });
});
