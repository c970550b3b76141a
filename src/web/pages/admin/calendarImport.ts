// The bulk import of holidays and make-up working days: one day per line, as an admin copies it from the State
// Council's notice — "2027-01-01 holiday 元旦", "2027-02-06 workday 春节调休" (休 / 班 work too).
export type DayKind = 'holiday' | 'workday';

export interface ParsedDay {
  date: string;
  kind: DayKind;
  note: string | null;
}

export interface ParseResult {
  days: ParsedDay[];
  errors: { line: number; text: string; reason: 'date' | 'kind' | 'duplicate' }[];
  years: number[];
}

const KINDS: Record<string, DayKind> = {
  holiday: 'holiday',
  休: 'holiday',
  假: 'holiday',
  放假: 'holiday',
  休息: 'holiday',
  workday: 'workday',
  班: 'workday',
  上班: 'workday',
  调休: 'workday',
  补班: 'workday',
};

/** "2027-1-1", "2027/01/01" or "2027.01.01" → "2027-01-01" when it is a real date, else null. */
export function normalizeDate(s: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function parseDayLines(text: string): ParseResult {
  const days: ParsedDay[] = [];
  const errors: ParseResult['errors'] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [first = '', second = '', ...rest] = line.split(/[\s,，\t]+/);
    const date = normalizeDate(first);
    if (!date) {
      errors.push({ line: i + 1, text: line, reason: 'date' });
      return;
    }
    const kind = KINDS[second.toLowerCase()];
    if (!kind) {
      errors.push({ line: i + 1, text: line, reason: 'kind' });
      return;
    }
    if (seen.has(date)) {
      errors.push({ line: i + 1, text: line, reason: 'duplicate' });
      return;
    }
    seen.add(date);
    const note = rest.join(' ').trim();
    days.push({ date, kind, note: note ? note.slice(0, 100) : null });
  });
  const years = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))].sort();
  return { days, errors, years };
}

/** Minutes after midnight ↔ "HH:mm" (1440 is the end of the day, "24:00"). */
export function minutesToHHmm(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** [2004, 2005, …, 2026, 2028] → ["2004–2026", "2028"]. */
export function yearRanges(years: readonly number[]): string[] {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out;
}
