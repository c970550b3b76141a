// Demo installation acceptance, inspection plans and a repeat repair (issue 16): an installation visit of 王工's today,
// already arrived, so the phone page shows its checklist and sign-off; two inspection plans — one whose ticket comes
// within its lead time, one already past its date —; and a repair filed again on a unit whose same fault was closed
// less than 30 days ago (the sweeper links them and the report counts it). The sweeper of `npm start` creates the
// plans' tickets and the care contacts on its first pass.
import type { Actor } from '../domain/access.js';
import { localMidnight } from '../domain/schedule.js';
import { addDays } from '../domain/warranty.js';
import { chinaToday } from '../modules/products/facts.js';
import { appendEvent } from '../modules/tickets/repo.js';
import type { Services } from '../services.js';

const MIN = 60_000;

export async function seedDemoCare(s: Services, now: number, actors: { manager: Actor; agent: Actor; engineer: Actor; engineer2: Actor }): Promise<void> {
  const db = s.ctx.db;
  const today = chinaToday(now);
  // The installation visit: an open installation ticket with its unit, today 17:00–18:00, the engineer on site.
  const inst = await db.read
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['tickets.id', 'tickets.unit_id', 'customers.name', 'customers.phone', 'customers.address'])
    .where('tickets.service_type', '=', 'installation')
    .where('tickets.is_open', '=', 1)
    .where('tickets.unit_id', 'is not', null)
    .orderBy('tickets.id', 'desc')
    .executeTakeFirst();
  if (inst) {
    const start = localMidnight('Asia/Shanghai', today) + 17 * 60 * MIN;
    const arrived = Math.min(now, start - 5 * MIN);
    await db.write(async (trx) => {
      const row = await trx
        .insertInto('visits')
        .values({
          ticket_id: inst.id,
          unit_id: inst.unit_id,
          engineer_id: actors.engineer.id,
          kind: 'installation',
          status: 'arrived',
          window_start: start,
          window_end: start + 60 * MIN,
          address: inst.address ?? '上海市浦东新区世纪大道100号',
          area: '浦东新区',
          contact_name: inst.name,
          contact_phone: inst.phone,
          parts: '[]',
          loaner_needed: 0,
          note: null,
          accepted_at: arrived - 120 * MIN,
          departed_at: arrived - 40 * MIN,
          arrived_at: arrived,
          created_at: arrived - 24 * 60 * MIN,
          created_by: actors.manager.id,
          updated_at: arrived,
          version: 4,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendEvent(trx, inst.id, arrived - 24 * 60 * MIN, actors.manager.id, 'visit_booked', {
        internal: true,
        details: { visitId: row.id, engineerId: actors.engineer.id, engineerName: actors.engineer.name, kind: 'installation', windowStart: new Date(start).toISOString(), windowEnd: new Date(start + 60 * MIN).toISOString(), area: '浦东新区' },
      });
    });
  }
  // Two plans on customers' units: one due within its lead time, one past its date.
  const units = await db.read.selectFrom('units').select(['id', 'customer_id', 'product_model']).where('replaced_by_id', 'is', null).orderBy('id').limit(2).execute();
  const plans = [
    { title: '空调半年远程巡检', mode: 'remote' as const, firstDate: addDays(today, 5), engineerIds: [actors.engineer.id] },
    { title: '净水器季度电话巡检', mode: 'phone' as const, firstDate: addDays(today, -3), engineerIds: [actors.engineer.id, actors.engineer2.id] },
  ];
  for (const [i, u] of units.entries()) {
    const p = plans[i];
    await s.inspections.create(actors.manager, { ...p, customerId: u.customer_id, unitId: u.id, intervalMonths: p.mode === 'phone' ? 3 : 6, leadDays: 7, remindDays: 3 });
  }
  // A repeat repair: a closed repair of the last 30 days, filed again with the same fault class on the same unit.
  const first = await db.read
    .selectFrom('tickets')
    .innerJoin('units', 'units.id', 'tickets.unit_id')
    .select(['tickets.customer_id', 'tickets.product_model', 'tickets.fault_class', 'tickets.title', 'units.serial_number'])
    .where('tickets.service_type', '=', 'repair')
    .where('tickets.status', '=', 'closed')
    .where('tickets.fault_class', 'is not', null)
    .where('tickets.closed_at', '>=', now - 25 * 24 * 60 * MIN)
    .orderBy('tickets.closed_at', 'desc')
    .executeTakeFirst();
  if (first?.serial_number) {
    await s.tickets.create(
      actors.agent,
      {
        title: `${first.title}（再次报修）`,
        description: '上次维修后不到一个月，同样的问题又出现了。',
        channel: 'phone',
        customerId: first.customer_id,
        productModel: first.product_model,
        serialNumber: first.serial_number,
        serviceType: 'repair',
        faultClass: first.fault_class as 'hardware',
        priority: 'P2',
      },
      'demo-repeat-repair',
    );
    await s.repeatRepairs.sweep(now);
  }
}
