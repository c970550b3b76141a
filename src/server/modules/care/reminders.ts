// Care reminders (主动关怀, SPEC §10, seed 003: 家电使用满2年提醒免费检修): rules over customers' units produce a
// customer message (through modules/messages: their channels, a customer-safe template, opt-outs respected) and a row on
// the staff's list of care contacts to follow up. Once per unit and rule: the row's unique key (unit, rule) and the
// message's dedupe key are written in one transaction, so a retry or a second sweeper adds nothing.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { CARE_RULES, type CareContact, type CareContactDoneBody, type CareContactsQuery, type CareRule } from '../../../shared/care.js';
import type { MessageEvent } from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { careDue, usageWindow, WARRANTY_NOTICE_DAYS } from '../../domain/care.js';
import { maskPhone } from '../../domain/contact.js';
import { isoOrNull, isoString as iso } from '../../domain/iso.js';
import { addDays } from '../../domain/warranty.js';
import { Conflict, Forbidden, NotFound } from '../../http/errors.js';
import type { MessagesService } from '../messages/service.js';
import { chinaToday } from '../products/facts.js';

const EVENT_OF: Record<CareRule, MessageEvent> = { usage_2y: 'care_check_due', warranty_ending: 'warranty_ending' };

interface Candidate {
  id: number;
  customer_id: number;
  product_model: string;
  serial_number: string | null;
  acceptance_date: string | null;
  install_date: string | null;
  purchase_date: string | null;
  warranty_end: string | null;
  product_name: string | null;
}

export class CareReminders {
  constructor(
    private readonly ctx: AppContext,
    private readonly messages: MessagesService,
  ) {}

  private candidates(db: Kysely<DB>, rule: CareRule, today: string) {
    let q = db
      .selectFrom('units')
      .leftJoin('products', 'products.model', 'units.product_model')
      .leftJoin('care_contacts', (j) => j.onRef('care_contacts.unit_id', '=', 'units.id').on('care_contacts.rule', '=', rule))
      .select(['units.id', 'units.customer_id', 'units.product_model', 'units.serial_number', 'units.acceptance_date', 'units.install_date', 'units.purchase_date', 'units.warranty_end', 'products.name as product_name'])
      .where('care_contacts.id', 'is', null)
      .where('units.replaced_by_id', 'is', null);
    if (rule === 'warranty_ending') q = q.where('units.warranty_end', '>=', today).where('units.warranty_end', '<=', addDays(today, WARRANTY_NOTICE_DAYS));
    else {
      const w = usageWindow(today);
      q = q.where((eb) => eb.or(['acceptance_date', 'install_date', 'purchase_date'].map((c) => eb.and([eb(`units.${c}` as 'units.purchase_date', '>=', w.from), eb(`units.${c}` as 'units.purchase_date', '<=', w.to)]))));
    }
    return q.orderBy('units.id').limit(500).execute() as Promise<Candidate[]>;
  }

  /** One pass: every due (unit, rule) gets its contact row and its message, once. Returns how many were added. */
  async sweep(now: number): Promise<number> {
    const today = chinaToday(now);
    let added = 0;
    for (const rule of CARE_RULES) {
      for (const u of await this.candidates(this.ctx.db.read, rule, today)) {
        const due = careDue(rule, { inUseSince: u.acceptance_date ?? u.install_date ?? u.purchase_date, warrantyEnd: u.warranty_end }, today);
        if (due === null) continue;
        const key = `care:${rule}:${u.id}`;
        const inserted = await this.ctx.db.write(async (trx) => {
          const row = await trx
            .insertInto('care_contacts')
            .values({ unit_id: u.id, customer_id: u.customer_id, rule, due_date: due, message_key: key, created_at: now })
            .onConflict((oc) => oc.columns(['unit_id', 'rule']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!row) return false;
          const params = new URLSearchParams({ model: u.product_model, ...(u.serial_number ? { serial: u.serial_number } : {}) });
          await this.messages.unitEvent(trx, {
            customerId: u.customer_id,
            event: EVENT_OF[rule],
            key,
            variables: { productName: u.product_name ?? u.product_model, serialNumber: u.serial_number ?? '—', warrantyEnd: u.warranty_end ?? '', link: `${this.ctx.config.publicUrl}/portal/new?${params.toString()}` },
          });
          return true;
        });
        if (inserted) added++;
      }
    }
    return added;
  }

  /** The staff's list: open contacts (not yet followed up) first by due date, or all. */
  async list(actor: Actor, query: z.infer<typeof CareContactsQuery>): Promise<CareContact[]> {
    // The company's customer list: not for a service provider's people, who see only tickets dispatched to them.
    if (!can(actor, 'ticket.internal') || isProviderActor(actor)) throw Forbidden();
    const db = this.ctx.db.read;
    let q = db
      .selectFrom('care_contacts')
      .innerJoin('units', 'units.id', 'care_contacts.unit_id')
      .innerJoin('customers', 'customers.id', 'care_contacts.customer_id')
      .leftJoin('products', 'products.model', 'units.product_model')
      .leftJoin('users', 'users.id', 'care_contacts.contacted_by')
      .select([
        'care_contacts.id',
        'care_contacts.rule',
        'care_contacts.due_date',
        'care_contacts.message_key',
        'care_contacts.created_at',
        'care_contacts.contacted_at',
        'care_contacts.contacted_by',
        'care_contacts.note',
        'customers.id as customer_id',
        'customers.name as customer_name',
        'customers.phone as customer_phone',
        'units.id as unit_id',
        'units.product_model',
        'units.serial_number',
        'units.warranty_end',
        'products.name as product_name',
        'users.display_name as contacted_by_name',
      ]);
    if (query.state === 'open') q = q.where('care_contacts.contacted_at', 'is', null);
    const rows = await q.orderBy('care_contacts.due_date').orderBy('care_contacts.id').limit(500).execute();
    const keys = rows.map((r) => r.message_key);
    const statuses = new Map<string, string>();
    if (keys.length) {
      for (const m of await db.selectFrom('customer_messages').select(['dedupe_key', 'status']).where('dedupe_key', 'in', keys.flatMap((k) => ['email', 'sms', 'wechat'].map((c) => `${k}:${c}`))).execute()) {
        const key = m.dedupe_key.slice(0, m.dedupe_key.lastIndexOf(':'));
        if (!statuses.has(key) || m.status === 'sent') statuses.set(key, m.status);
      }
    }
    const unmasked = can(actor, 'contact.unmasked');
    return rows.map((r) => ({
      id: r.id,
      rule: r.rule as CareRule,
      dueDate: r.due_date,
      customer: { id: r.customer_id, name: r.customer_name, phone: unmasked ? r.customer_phone : maskPhone(r.customer_phone) },
      unit: { id: r.unit_id, productModel: r.product_model, productName: r.product_name ?? null, serialNumber: r.serial_number, warrantyEnd: r.warranty_end },
      messageStatus: statuses.get(r.message_key) ?? 'none',
      createdAt: iso(r.created_at),
      contactedAt: isoOrNull(r.contacted_at),
      contactedBy: r.contacted_by !== null ? { id: r.contacted_by, name: r.contacted_by_name ?? '' } : null,
      note: r.note,
    }));
  }

  /** Staff record that they followed the customer up (a call, an appointment made). */
  async done(actor: Actor, id: number, body: z.infer<typeof CareContactDoneBody>): Promise<CareContact> {
    if (!can(actor, 'ticket.update')) throw Forbidden();
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const row = await trx.selectFrom('care_contacts').select(['id', 'contacted_at']).where('id', '=', id).executeTakeFirst();
      if (!row) throw NotFound('error.care_contact_not_found');
      if (row.contacted_at !== null) throw Conflict('conflict', 'error.care_contact_done');
      await trx.updateTable('care_contacts').set({ contacted_at: now, contacted_by: actor.id, note: body.note || null }).where('id', '=', id).execute();
    });
    return (await this.list(actor, { state: 'all' })).find((c) => c.id === id)!;
  }
}
