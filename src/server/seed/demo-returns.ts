// Demo returns (issue 16): one exchange in progress (checked, approved, the customer's parcel on its way), one
// take-back repair at the workshop, and two loaners — one lent on the take-back's ticket. Written as rows with their
// timeline entries, like the demo visits: no customer is messaged about demo history.
import type { Database } from '../db/connect.js';
import { appendEvent } from '../modules/tickets/repo.js';

const HOUR = 3_600_000;

export async function seedDemoReturns(db: Database, now: number): Promise<void> {
  const users = await db.read.selectFrom('users').select(['id', 'username']).where('username', 'in', ['agent', 'supervisor', 'engineer']).execute();
  const id = (u: string) => users.find((x) => x.username === u)?.id ?? users[0]!.id;
  // Open tickets on units of their customer, newest first: the first for the RMA, the second for the take-back.
  const tickets = await db.read
    .selectFrom('tickets')
    .innerJoin('units', 'units.id', 'tickets.unit_id')
    .select(['tickets.id', 'tickets.customer_id', 'tickets.unit_id', 'units.product_model', 'units.serial_number', 'units.purchase_date'])
    .where('tickets.is_open', '=', 1)
    .whereRef('units.customer_id', '=', 'tickets.customer_id')
    .where('units.replaced_by_id', 'is', null)
    .orderBy('tickets.id', 'desc')
    .limit(2)
    .execute();
  if (tickets.length < 2) return;
  const [rmaTicket, tbTicket] = tickets as [(typeof tickets)[0], (typeof tickets)[0]];
  await db.write(async (trx) => {
    const opened = now - 30 * HOUR;
    const approved = now - 26 * HOUR;
    const shipped = now - 5 * HOUR;
    const rma = await trx
      .insertInto('rmas')
      .values({
        ticket_id: rmaTicket.id,
        customer_id: rmaTicket.customer_id,
        kind: 'exchange',
        status: 'in_transit',
        reason: '到货一周内出现同一故障两次，客户要求换新',
        chk_appearance: 1,
        chk_accessories: 1,
        chk_proof: 1,
        chk_damage: 1,
        checklist_note: '照片核对外观无划痕，配件齐全',
        // The demo unit may have been bought long ago: the exchange is accepted as an exception.
        window_override_reason: '同一故障反复出现，经理同意超期换新',
        decision_reason: '同一故障反复出现，按三包换新',
        decided_by: id('supervisor'),
        decided_at: approved,
        in_carrier: '顺丰速运',
        in_tracking: 'SF1400238815',
        in_shipped_at: shipped,
        created_by: id('agent'),
        created_at: opened,
        updated_at: shipped,
        version: 4,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('rma_items').values({ rma_id: rma.id, unit_id: rmaTicket.unit_id, order_number: null, product_model: rmaTicket.product_model, serial_number: rmaTicket.serial_number, qty: 1, purchase_date: rmaTicket.purchase_date }).execute();
    const base = { rmaId: rma.id, kind: 'exchange' };
    await appendEvent(trx, rmaTicket.id, opened, id('agent'), 'rma_created', { internal: true, note: '到货一周内出现同一故障两次，客户要求换新', details: { ...base, items: [rmaTicket.serial_number] } });
    await appendEvent(trx, rmaTicket.id, opened + HOUR, id('agent'), 'rma_checklist', { internal: true, note: '照片核对外观无划痕，配件齐全', details: { rmaId: rma.id, changes: [] } });
    await appendEvent(trx, rmaTicket.id, approved, id('supervisor'), 'rma_approve', { internal: true, note: '同一故障反复出现，按三包换新', details: { ...base, from: 'requested', to: 'approved' } });
    await appendEvent(trx, rmaTicket.id, shipped, id('agent'), 'rma_ship_in', { internal: true, details: { ...base, from: 'approved', to: 'in_transit', direction: 'in', carrier: '顺丰速运', trackingNumber: 'SF1400238815' } });

    const collected = now - 50 * HOUR;
    const atWorkshop = now - 28 * HOUR;
    const tb = await trx
      .insertInto('take_backs')
      .values({ ticket_id: tbTicket.id, unit_id: tbTicket.unit_id, status: 'at_workshop', collected_at: collected, collected_by: id('engineer'), at_workshop_at: atWorkshop, at_workshop_by: id('engineer'), note: '现场无法修复，拉回维修站更换电脑板', created_at: collected, updated_at: atWorkshop, version: 2, created_by: id('engineer') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(trx, tbTicket.id, collected, id('engineer'), 'take_back_step', { internal: true, note: '现场无法修复，拉回维修站更换电脑板', details: { takeBackId: tb.id, step: 'collected', serial: tbTicket.serial_number } });
    await appendEvent(trx, tbTicket.id, atWorkshop, id('engineer'), 'take_back_step', { internal: true, details: { takeBackId: tb.id, step: 'at_workshop' } });

    const pool = await trx
      .insertInto('loaners')
      .values([
        { serial_number: 'ZZJ-2026-001', product_model: tbTicket.product_model, state: 'lent', note: '周转机，外壳贴有“周转”标签', created_at: now - 90 * 24 * HOUR, updated_at: collected, version: 2 },
        { serial_number: 'ZZJ-2026-002', product_model: rmaTicket.product_model, state: 'available', note: null, created_at: now - 90 * 24 * HOUR, updated_at: now - 90 * 24 * HOUR, version: 1 },
      ])
      .returning('id')
      .execute();
    const due = new Date(now + 8 * 3_600_000 + 7 * 24 * HOUR).toISOString().slice(0, 10);
    const loan = await trx
      .insertInto('loans')
      .values({ loaner_id: pool[0]!.id, ticket_id: tbTicket.id, customer_id: tbTicket.customer_id, visit_id: null, take_back_id: tb.id, lent_at: collected, lent_by: id('engineer'), due_date: due })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(trx, tbTicket.id, collected, id('engineer'), 'loaner_lent', { internal: true, details: { loanId: loan.id, loanerId: pool[0]!.id, serial: 'ZZJ-2026-001', dueDate: due, visitId: null, takeBackId: tb.id } });
  });
}
