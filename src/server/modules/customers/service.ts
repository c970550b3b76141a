// Customers (person or company), their contacts and products (units); caller lookup for the phone-intake form.
import { customerSelf } from '../../domain/customer-view.js';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Customer, CustomerCreateBody, CustomerDetail, CustomerPatchBody, CustomersQuery, InlineCustomer, Unit } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { escapeLike, like } from '../../db/fragments.js';
import { fastInsert, fastQuery } from '../../db/fast.js';
import { can, canSeeCustomer, type Actor } from '../../domain/access.js';
import { maskEmail, maskPhone, phoneDigits } from '../../domain/contact.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { underWarrantyOf } from '../../domain/warranty.js';
import { unitStoredWarranty, unitWarranty, type ProductWarrantyFields, type UnitWarrantyFields } from '../products/facts.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { isoString as iso } from '../../domain/iso.js';

type CustomerRow = {
  id: number;
  kind: string;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  tier: string;
  special_needs: number;
  special_needs_note: string | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
  version: number;
};
type ContactRow = { id: number; customer_id: number; name: string; phone: string | null; email: string | null; title: string | null };
type UnitRow = UnitWarrantyFields & {
  id: number;
  customer_id: number;
  product_model: string;
  serial_number: string | null;
  install_date: string | null;
  warranty_end: string | null;
};
type ProductFacts = ProductWarrantyFields & { name: string };


export class CustomersService {
  constructor(private readonly ctx: AppContext) {}

  toDto(row: CustomerRow, contacts: ContactRow[], masked: boolean): Customer {
    const mp = masked ? maskPhone : (v: string | null) => v;
    const me = masked ? maskEmail : (v: string | null) => v;
    return {
      id: row.id,
      kind: row.kind as Customer['kind'],
      name: row.name,
      company: row.company,
      phone: mp(row.phone),
      email: me(row.email),
      address: masked ? null : row.address,
      tier: row.tier as Customer['tier'],
      specialNeeds: row.special_needs === 1,
      specialNeedsNote: row.special_needs_note,
      notes: row.notes,
      contacts: contacts.map((c) => ({ id: c.id, name: c.name, phone: mp(c.phone), email: me(c.email), title: c.title })),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      version: row.version,
    };
  }

  unitDto(u: UnitRow, products: Map<string, ProductFacts>): Unit {
    const product = products.get(u.product_model);
    const warranty = unitWarranty(u, product, this.ctx.clock.now());
    return {
      id: u.id,
      customerId: u.customer_id,
      productModel: u.product_model,
      productName: product?.name ?? null,
      serialNumber: u.serial_number,
      purchaseDate: u.purchase_date,
      installDate: u.install_date,
      warrantyEnd: u.warranty_end,
      underWarranty: underWarrantyOf(warranty.status),
      warranty,
    };
  }

  private async contactsOf(db: Kysely<DB>, ids: number[]): Promise<Map<number, ContactRow[]>> {
    const out = new Map<number, ContactRow[]>();
    if (ids.length === 0) return out;
    const rows = await db.selectFrom('contacts').selectAll().where('customer_id', 'in', ids).orderBy('id').execute();
    for (const r of rows) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), r]);
    return out;
  }

  private async unitsOf(ids: number[]): Promise<Map<number, Unit[]>> {
    const out = new Map<number, Unit[]>();
    if (ids.length === 0) return out;
    const rows = await this.ctx.db.read.selectFrom('units').selectAll().where('customer_id', 'in', ids).orderBy('id').execute();
    const models = [...new Set(rows.map((r) => r.product_model))];
    const products = models.length ? await this.ctx.db.read.selectFrom('products').select(['model', 'name', 'warranty_months', 'needs_installation']).where('model', 'in', models).execute() : [];
    const byModel = new Map(products.map((p) => [p.model, p]));
    for (const r of rows) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), this.unitDto(r, byModel)]);
    return out;
  }

  async list(actor: Actor, query: z.infer<typeof CustomersQuery>): Promise<{ items: Customer[]; nextCursor: string | null }> {
    requireAccess(actor, 'customer.read');
    let q = this.ctx.db.read.selectFrom('customers').selectAll();
    if (actor.role === 'customer') q = q.where('id', '=', actor.customerId ?? -1);
    if (query.tier) q = q.where('tier', '=', query.tier);
    if (query.q) {
      const text = query.q;
      const digits = text.replace(/[\s\-()+]/g, '');
      const pattern = `%${escapeLike(text)}%`;
      q = q.where((eb) => {
        const ors = [like('name', pattern), like('company', pattern), like('email_lower', `%${escapeLike(text.toLowerCase())}%`)];
        if (/^\d{3,}$/.test(digits)) ors.push(like('phone_digits', `%${escapeLike(digits)}%`));
        return eb.or(ors);
      });
    }
    if (query.cursor) {
      const c = decodeCursor(query.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      q = q.where('id', '<', c[0] as number);
    }
    const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
    const more = rows.length > query.limit;
    const pageRows = rows.slice(0, query.limit);
    const contacts = await this.contactsOf(this.ctx.db.read, pageRows.map((r) => r.id));
    const open = await this.openCounts(pageRows.map((r) => r.id));
    return {
      items: pageRows.map((r) => this.forActor(actor, { ...this.toDto(r, contacts.get(r.id) ?? [], true), openTickets: open.get(r.id) ?? 0 })),
      nextCursor: more ? encodeCursor([pageRows[pageRows.length - 1].id]) : null,
    };
  }

  private async openCounts(ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.ctx.db.read
      .selectFrom('tickets')
      .select(['customer_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('customer_id', 'in', ids)
      .where('is_open', '=', 1)
      .groupBy('customer_id')
      .execute();
    return new Map(rows.map((r) => [r.customer_id, Number(r.n)]));
  }

  async get(actor: Actor, id: number): Promise<CustomerDetail> {
    requireAccess(actor, 'customer.read');
    if (!canSeeCustomer(actor, id)) throw NotFound('error.customer_not_found');
    const row = await this.ctx.db.read.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw NotFound('error.customer_not_found');
    const contacts = await this.contactsOf(this.ctx.db.read, [id]);
    const units = await this.unitsOf([id]);
    const masked = !(can(actor, 'contact.unmasked') || actor.role === 'customer');
    const open = await this.openCounts([id]);
    return this.forActor(actor, { ...this.toDto(row, contacts.get(id) ?? [], masked), openTickets: open.get(id) ?? 0, units: units.get(id) ?? [] });
  }

  /** A customer reading their own record gets the customer view of it (no staff notes about them). */
  private forActor<C extends Customer>(actor: Actor, c: C): C {
    return actor.role === 'customer' ? customerSelf(c) : c;
  }

  /** Customers whose phone (or a contact's phone) or e-mail matches exactly; the caller typed it, so nothing is masked. */
  async lookup(actor: Actor, query: { phone?: string; email?: string }): Promise<{ customer: Customer; units: Unit[] }[]> {
    requireAccess(actor, 'customer.write');
    const digits = phoneDigits(query.phone);
    const mail = query.email?.trim().toLowerCase() || null;
    if (!digits && !mail) return [];
    const db = this.ctx.db.read;
    const ids = new Set<number>();
    if (digits && digits.length >= 3) {
      for (const r of await db.selectFrom('customers').select('id').where('phone_digits', '=', digits).limit(20).execute()) ids.add(r.id);
      for (const r of await db.selectFrom('contacts').select('customer_id').where('phone_digits', '=', digits).limit(20).execute()) ids.add(r.customer_id);
    }
    if (mail) for (const r of await db.selectFrom('customers').select('id').where('email_lower', '=', mail).limit(20).execute()) ids.add(r.id);
    if (ids.size === 0) return [];
    const list = [...ids];
    const rows = await db.selectFrom('customers').selectAll().where('id', 'in', list).execute();
    const contacts = await this.contactsOf(db, list);
    const units = await this.unitsOf(list);
    return rows.map((r) => ({ customer: this.toDto(r, contacts.get(r.id) ?? [], false), units: units.get(r.id) ?? [] }));
  }

  async create(actor: Actor, body: z.infer<typeof CustomerCreateBody>): Promise<CustomerDetail> {
    requireAccess(actor, 'customer.write');
    const now = this.ctx.clock.now();
    const id = await this.ctx.db.write(async (trx) => {
      const row = await trx
        .insertInto('customers')
        .values({
          kind: body.kind,
          name: body.name,
          company: body.company ?? null,
          phone: body.phone ?? null,
          phone_digits: phoneDigits(body.phone),
          email: body.email ?? null,
          email_lower: body.email?.toLowerCase() ?? null,
          address: body.address ?? null,
          tier: body.tier,
          special_needs: body.specialNeeds ? 1 : 0,
          special_needs_note: body.specialNeedsNote ?? null,
          notes: body.notes ?? null,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.replaceContacts(trx, row.id, body.contacts ?? []);
      return row.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, body: z.infer<typeof CustomerPatchBody>, expectedVersion: number | undefined): Promise<CustomerDetail> {
    requireAccess(actor, 'customer.write');
    const version = expectedVersion ?? body.version;
    if (version === undefined) throw Invalid({ version: 'field.version_required' });
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const current = await trx.selectFrom('customers').select(['id', 'version']).where('id', '=', id).executeTakeFirst();
      if (!current) throw NotFound('error.customer_not_found');
      if (current.version !== version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      const set: Record<string, unknown> = { updated_at: now, version: current.version + 1 };
      if (body.kind !== undefined) set.kind = body.kind;
      if (body.name !== undefined) set.name = body.name;
      if (body.company !== undefined) set.company = body.company;
      if (body.phone !== undefined) {
        set.phone = body.phone;
        set.phone_digits = phoneDigits(body.phone);
      }
      if (body.email !== undefined) {
        set.email = body.email;
        set.email_lower = body.email?.toLowerCase() ?? null;
      }
      if (body.address !== undefined) set.address = body.address;
      if (body.tier !== undefined) set.tier = body.tier;
      if (body.specialNeeds !== undefined) set.special_needs = body.specialNeeds ? 1 : 0;
      if (body.specialNeedsNote !== undefined) set.special_needs_note = body.specialNeedsNote;
      if (body.notes !== undefined) set.notes = body.notes;
      const res = await trx.updateTable('customers').set(set).where('id', '=', id).where('version', '=', version).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      if (body.contacts !== undefined) await this.replaceContacts(trx, id, body.contacts);
    });
    return this.get(actor, id);
  }

  private async replaceContacts(trx: Kysely<DB>, customerId: number, contacts: z.infer<typeof CustomerCreateBody>['contacts'] & {}) {
    await trx.deleteFrom('contacts').where('customer_id', '=', customerId).execute();
    if (contacts.length === 0) return;
    await trx
      .insertInto('contacts')
      .values(
        contacts.map((c) => ({
          customer_id: customerId,
          name: c.name,
          phone: c.phone ?? null,
          phone_digits: phoneDigits(c.phone),
          email: c.email ?? null,
          title: c.title ?? null,
        })),
      )
      .execute();
  }

  /** Inside a ticket's creating transaction: the known customer with this phone / e-mail, or a new one. */
  async findOrCreateInline(trx: Kysely<DB>, inline: z.infer<typeof InlineCustomer>, now: number): Promise<CustomerRow & { isNew?: boolean }> {
    const digits = phoneDigits(inline.phone);
    if (digits) {
      const [found] = await fastQuery<CustomerRow>(this.ctx.db, trx, 'SELECT * FROM customers WHERE phone_digits = ? ORDER BY id LIMIT 1', [digits]);
      if (found) return found;
    } else if (inline.email) {
      const [found] = await fastQuery<CustomerRow>(this.ctx.db, trx, 'SELECT * FROM customers WHERE email_lower = ? ORDER BY id LIMIT 1', [inline.email.toLowerCase()]);
      if (found) return found;
    }
    const values = {
        kind: inline.company ? 'company' : 'person',
        name: inline.name,
        company: inline.company ?? null,
        phone: inline.phone ?? null,
        phone_digits: digits,
        email: inline.email ?? null,
        email_lower: inline.email?.toLowerCase() ?? null,
        address: inline.address ?? null,
        tier: 'normal',
        special_needs: 0,
        special_needs_note: null,
        notes: null,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    const row = await fastInsert<{ id: number }>(this.ctx.db, trx, 'customers', values, 'id');
    return { ...values, id: row!.id, isNew: true };
  }

  /**
   * The unit with this serial number, registered on first mention. A serial is unique per model, so a serial already on
   * file for the model is that unit even under another customer (staff move it on the unit's page if it changed hands).
   * A unit registered here has no proof of purchase yet: its warranty is unknown until staff record one.
   */
  async ensureUnit(
    trx: Kysely<DB>,
    customer: { id: number; isNew?: boolean },
    model: string | null | undefined,
    serial: string | null | undefined,
    purchaseDate: string | null | undefined,
    now: number,
  ): Promise<number | null> {
    if (!serial) return null;
    // A customer created in this request has no units yet.
    if (!customer.isNew) {
      const [found] = await fastQuery<{ id: number }>(this.ctx.db, trx, 'SELECT id FROM units WHERE customer_id = ? AND serial_number = ?', [customer.id, serial]);
      if (found) return found.id;
    }
    if (!model) return null;
    const facts = { purchase_date: purchaseDate ?? null, proof_attachment_id: null, proof_ref: null, acceptance_date: null, extended_months: 0 };
    const row = await fastInsert<{ id: number }>(
      this.ctx.db,
      trx,
      'units',
      {
        customer_id: customer.id,
        product_model: model,
        serial_number: serial,
        purchase_date: purchaseDate ?? null,
        install_date: null,
        ...unitStoredWarranty(facts, null),
        created_at: now,
        updated_at: now,
      },
      'id',
      // Insert first and look up only when the serial is already on file: most serials at intake are new, and on the
      // write worker, where every create queues behind the one before, a lookup first cost routed creation ~15 %.
      ['product_model', 'serial_number'],
    );
    if (row) return row.id;
    const [known] = await fastQuery<{ id: number }>(this.ctx.db, trx, 'SELECT id FROM units WHERE product_model = ? AND serial_number = ?', [model, serial]);
    return known?.id ?? null;
  }
}
