// Ticket numbers (问题编号): year + month + a per-month serial of at least three digits, e.g. 202405001. Pure.

const MONTH_FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' });

/** The numbering month of an instant, in China time (the service desk's working calendar). */
export function numberingMonth(epochMs: number): string {
  const parts = MONTH_FORMAT.formatToParts(new Date(epochMs));
  const y = parts.find((p) => p.type === 'year')!.value;
  const m = parts.find((p) => p.type === 'month')!.value;
  return `${y}${m}`;
}

/** Serial 1 → `YYYYMM001`; past 999 the serial simply grows (`YYYYMM1000`). */
export function formatTicketNumber(month: string, serial: number): string {
  if (!/^\d{6}$/.test(month)) throw new RangeError(`bad month ${month}`);
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`bad serial ${serial}`);
  return month + String(serial).padStart(3, '0');
}
