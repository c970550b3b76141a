// Demo on-site visits (issue 16): the engineers' service areas and product lines, and visits on open tickets of their
// lines over this week and next — the past ones stepped through, one of them a late arrival. Written as rows (with
// their timeline entries), not through the service: no customer is messaged about demo history.
import type { Database } from '../db/connect.js';
import { datesFrom, fieldHoursOn, localDate, localMidnight } from '../domain/schedule.js';
import { chinaMainlandCalendar } from '../domain/sla/calendar.js';
import { appendEvent } from '../modules/tickets/repo.js';

const PROFILES: Record<string, { area: string; lines: string[] }> = {
  engineer: { area: '浦东新区', lines: ['ac', 'fridge'] },
  engineer2: { area: '徐汇区', lines: ['robot', 'purifier'] },
  engineer3: { area: '闵行区', lines: ['washer', 'water_heater', 'purifier'] },
};
const SLOTS: [number, number][] = [
  [9 * 60 + 30, 11 * 60 + 30],
  [14 * 60, 16 * 60],
];
const MIN = 60_000;

export async function seedDemoVisits(db: Database, now: number): Promise<number> {
  const cal = chinaMainlandCalendar();
  const tz = cal.timeZone;
  const engineers = await db.read.selectFrom('users').select(['id', 'username', 'display_name']).where('role', '=', 'engineer').execute();
  const supervisor = await db.read.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirst();
  const today = localDate(tz, now);
  // From the Monday of this week to the Sunday of the next, working days only.
  const wd = new Date(`${today}T00:00:00Z`).getUTCDay();
  const days = datesFrom(addDays(today, wd === 0 ? -6 : 1 - wd), 14).filter((d) => fieldHoursOn(cal, d) !== null);
  // The late arrival is on the last working day before today, whatever weekday today is.
  let lateDay = addDays(today, -1);
  while (fieldHoursOn(cal, lateDay) === null) lateDay = addDays(lateDay, -1);
  let count = 0;
  await db.write(async (trx) => {
    for (const e of engineers) {
      const p = PROFILES[e.username];
      if (!p) continue;
      await trx.insertInto('engineer_profiles').values({ user_id: e.id, area: p.area, product_lines: JSON.stringify(p.lines), updated_at: now }).execute();
      const tickets = await trx
        .selectFrom('tickets')
        .innerJoin('products', 'products.model', 'tickets.product_model')
        .innerJoin('customers', 'customers.id', 'tickets.customer_id')
        .select(['tickets.id', 'tickets.unit_id', 'customers.name', 'customers.phone', 'customers.address'])
        .where('tickets.is_open', '=', 1)
        .where('products.line', 'in', p.lines)
        .orderBy('tickets.id', 'desc')
        .limit(days.length + 1)
        .execute();
      for (let i = 0; i < tickets.length && i < days.length + 1; i++) {
        const tk = tickets[i];
        const lateOne = i === 0 && e.username === 'engineer';
        const date = lateOne ? lateDay : days[(i * 3 + e.id) % days.length];
        const [s, en] = lateOne ? SLOTS[1] : SLOTS[(i + e.id) % SLOTS.length];
        const start = localMidnight(tz, date) + s * MIN;
        const end = localMidnight(tz, date) + en * MIN;
        const clash = await trx.selectFrom('visits').select('id').where('engineer_id', '=', e.id).where('window_start', '<', end + 30 * MIN).where('window_end', '>', start - 30 * MIN).executeTakeFirst();
        if (clash) continue;
        const past = end < now;
        // Engineer 王工's first visit arrived 25 minutes after its window: the late arrival.
        const late = lateOne;
        const arrived = late ? end + 25 * MIN : start - 8 * MIN;
        const steps = past
          ? { accepted_at: start - 20 * 60 * MIN, departed_at: arrived - 40 * MIN, arrived_at: arrived, work_done_at: arrived + 70 * MIN, left_at: arrived + 80 * MIN }
          : start - now < 2 * 24 * 60 * MIN
            ? { accepted_at: Math.min(now, start - 20 * 60 * MIN) }
            : {};
        const status = past ? 'left' : 'accepted_at' in steps ? 'accepted' : 'booked';
        const booked = Math.min(now, start) - 2 * 24 * 60 * MIN;
        const row = await trx
          .insertInto('visits')
          .values({
            ticket_id: tk.id,
            unit_id: tk.unit_id,
            engineer_id: e.id,
            kind: 'repair',
            status,
            window_start: start,
            window_end: end,
            address: tk.address ?? '上海市浦东新区世纪大道100号',
            area: p.area,
            contact_name: tk.name,
            contact_phone: tk.phone,
            parts: JSON.stringify(i % 3 === 0 ? ['主板', '密封圈'] : []),
            loaner_needed: i % 5 === 4 ? 1 : 0,
            note: null,
            ...steps,
            created_at: booked,
            created_by: supervisor?.id ?? null,
            updated_at: booked,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendEvent(trx, tk.id, booked, supervisor?.id ?? null, 'visit_booked', {
          internal: true,
          details: { visitId: row.id, engineerId: e.id, engineerName: e.display_name, kind: 'repair', windowStart: new Date(start).toISOString(), windowEnd: new Date(end).toISOString(), area: p.area },
        });
        if (late) await appendEvent(trx, tk.id, arrived, e.id, 'visit_step', { internal: true, details: { visitId: row.id, step: 'arrived', late: true, windowEnd: new Date(end).toISOString() } });
        count++;
      }
    }
  });
  return count;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
