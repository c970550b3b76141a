// Ticket numbers (问题编号): year + month + a per-month serial of at least three digits, e.g. 202405001. Pure.

// China has kept UTC+8 all year since 1991: plain arithmetic, no Intl call on every ticket create.
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The numbering month of an instant, in China time (the service desk's working calendar). */
export function numberingMonth(epochMs: number): string {
  const d = new Date(epochMs + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Serial 1 → `YYYYMM001`; past 999 the serial simply grows (`YYYYMM1000`). */
export function formatTicketNumber(month: string, serial: number): string {
  if (!/^\d{6}$/.test(month)) throw new RangeError(`bad month ${month}`);
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`bad serial ${serial}`);
  return month + String(serial).padStart(3, '0');
}
