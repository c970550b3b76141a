// China's statutory holidays (放假) and 调休 make-up working days as the month view of a "china" calendar shows
// them: the same `chinese-days` data the server's working calendar uses (src/server/domain/sla/calendar.ts), so an
// admin sees which days the SLA clocks already skip before entering anything.
import chineseDays from 'chinese-days';

export interface StatutoryDay {
  kind: 'holiday' | 'workday';
  /** The festival, e.g. 春节 / Spring Festival. */
  nameZh: string;
  nameEn: string;
}

const WEEKDAY_NAMES = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

/** The statutory day at `date` (YYYY-MM-DD), or null for an ordinary day and for years the package does not cover. */
export function statutoryDay(date: string): StatutoryDay | null {
  const detail = chineseDays.getDayDetail(date);
  // The package names a listed day "Spring Festival,春节,4" and any other day after its weekday.
  if (WEEKDAY_NAMES.has(detail.name)) return null;
  const [nameEn, nameZh] = detail.name.split(',');
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (!detail.work) return { kind: 'holiday', nameZh: nameZh ?? nameEn, nameEn };
  // A listed working day is a make-up day only on a weekend; a weekday is simply a working day.
  return weekday === 0 || weekday === 6 ? { kind: 'workday', nameZh: nameZh ?? nameEn, nameEn } : null;
}
