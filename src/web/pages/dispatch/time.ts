// Wall-clock times in the field calendar's time zone (China time), whatever the browser's own zone is.
const fmt = new Map<string, Intl.DateTimeFormat>();
function parts(tz: string, t: number): Record<string, string> {
  let f = fmt.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    fmt.set(tz, f);
  }
  return Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
}

/** `YYYY-MM-DD` of an instant in `tz`. */
export function zonedDate(tz: string, iso: string | number): string {
  const p = parts(tz, typeof iso === 'number' ? iso : Date.parse(iso));
  return `${p.year}-${p.month}-${p.day}`;
}

/** `HH:mm` of an instant in `tz`. */
export function zonedTime(tz: string, iso: string | number): string {
  const p = parts(tz, typeof iso === 'number' ? iso : Date.parse(iso));
  return `${p.hour}:${p.minute}`;
}

/** The instant of `date` `HH:mm` in `tz`, as an ISO string. */
export function zonedInstant(tz: string, date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const offset = (t: number) => {
    const p = parts(tz, t);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - Math.floor(t / 60_000) * 60_000;
  };
  let t = wall - offset(wall);
  t = wall - offset(t);
  return new Date(t).toISOString();
}

/** `date` plus `n` days (plain dates). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week of `date`. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(date, wd === 0 ? -6 : 1 - wd);
}

export const FIELD_TZ = 'Asia/Shanghai';
