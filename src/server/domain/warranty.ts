// Warranty dates. Pure.

/** `2025-01-31` + 1 month → `2025-02-28`: the end of a warranty never overflows into the next month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function isUnderWarranty(warrantyEnd: string | null, today: string): boolean | null {
  return warrantyEnd ? warrantyEnd >= today : null;
}
