// Customers' units (客户设备): list and search, the unit's page (warranty, service history, proof candidates, label
// link), register, edit, replace. The stored warranty (start, end, basis) is derived again on every change.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { UnitCreateBody, UnitDetail, UnitHistoryEntry, UnitPatchBody, UnitRecord, UnitReplaceBody, UnitsQuery } from '../../../shared/products.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { escapeLike, like } from '../../db/fragments.js';
import { can, type Actor } from '../../domain/access.js';
import { maskPhone, phoneDigits } from '../../domain/contact.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoOrNull, isoString as iso } from '../../domain/iso.js';
import { underWarrantyOf } from '../../domain/warranty.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { chinaToday, unitStoredWarranty, unitWarranty } from './facts.js';

const UNIT_COLUMNS = [
  'units.id',
  'units.customer_id',
  'units.product_model',
  'units.serial_number',
  'units.purchase_date',
  'units.proof_attachment_id',
  'units.proof_ref',
  'units.install_date',
  'units.acceptance_date',
  'units.extended_months',
  'units.warranty_end',
  'units.replaces_id',
  'units.replaced_by_id',
  'units.replaced_at',
  'units.notes',
  'units.created_at',
  'units.version',
  'products.name as product_name',
  'products.line as product_line',
  'products.warranty_months',
  'products.needs_installation',
  'customers.name as customer_name',
  'customers.phone as customer_phone',
] as const;

export interface UnitRow {
  id: number;
  customer_id: number;
  product_model: string;
  serial_number: string | null;
  purchase_date: string | null;
  proof_attachment_id: number | null;
  proof_ref: string | null;
  install_date: string | null;
  acceptance_date: string | null;
  extended_months: number;
  warranty_end: string | null;
  replaces_id: number | null;
  replaced_by_id: number | null;
  replaced_at: number | null;
  notes: string | null;
  created_at: number;
  version: number;
  product_name: string | null;
  product_line: string | null;
  warranty_months: number | null;
  needs_installation: number | null;
  customer_name: string;
  customer_phone: string | null;
}

/**
 * More of a unit's history from another module (visits, parts, returns: issue 16 builds them later). A source answers
 * for a set of unit ids (the unit and the units it replaced) and returns entries in any order.
 */
export type UnitHistorySource = (db: Kysely<DB>, unitIds: number[]) => Promise<UnitHistoryEntry[]>;

type UnitFields = Partial<z.infer<typeof UnitCreateBody>>;

export class UnitsService {
  private readonly historySources: UnitHistorySource[] = [];

  constructor(private readonly ctx: AppContext) {}

  /** Adds a kind of history entry to every unit's page. */
  addHistorySource(source: UnitHistorySource): void {
    this.historySources.push(source);
  }

  private select(db: Kysely<DB>) {
    return db
      .selectFrom('units')
      .innerJoin('customers', 'customers.id', 'units.customer_id')
      .leftJoin('products', 'products.model', 'units.product_model')
      .select(UNIT_COLUMNS);
  }

  toRecord(r: UnitRow, actor: Actor): UnitRecord {
    const warranty = unitWarranty(r, r, this.ctx.clock.now());
    return {
      id: r.id,
      customer: { id: r.customer_id, name: r.customer_name, phone: can(actor, 'contact.unmasked') ? r.customer_phone : maskPhone(r.customer_phone) },
      productModel: r.product_model,
      productName: r.product_name,
      productLine: r.product_line,
      needsInstallation: r.needs_installation === 1,
      serialNumber: r.serial_number,
      purchaseDate: r.purchase_date,
      proofAttachmentId: r.proof_attachment_id,
      proofRef: r.proof_ref,
      installDate: r.install_date,
      acceptanceDate: r.acceptance_date,
      extendedMonths: r.extended_months,
      warrantyEnd: warranty.end,
      warranty,
      underWarranty: underWarrantyOf(warranty.status),
      replacesId: r.replaces_id,
      replacedById: r.replaced_by_id,
      replacedAt: isoOrNull(r.replaced_at),
      notes: r.notes,
      createdAt: iso(r.created_at),
      version: r.version,
    };
  }

  async list(actor: Actor, query: z.infer<typeof UnitsQuery>): Promise<{ items: UnitRecord[]; nextCursor: string | null }> {
    requireAccess(actor, 'unit.read');
    let q = this.select(this.ctx.db.read);
    if (query.model) q = q.where('units.product_model', '=', query.model);
    if (query.customerId) q = q.where('units.customer_id', '=', query.customerId);
    if (query.warranty) {
      // The stored end answers "in warranty today" for the whole table (units_warranty_end).
      const today = chinaToday(this.ctx.clock.now());
      q = query.warranty === 'unknown' ? q.where('units.warranty_end', 'is', null) : q.where('units.warranty_end', query.warranty === 'in' ? '>=' : '<', today);
    }
    if (query.q) {
      const text = query.q;
      const pattern = `%${escapeLike(text)}%`;
      const digits = phoneDigits(text);
      q = q.where((eb) => {
        const ors = [like('units.serial_number', pattern), like('units.product_model', pattern), like('customers.name', pattern), like('customers.company', pattern), like('products.name', pattern)];
        if (digits && /^\d{3,}$/.test(digits)) ors.push(like('customers.phone_digits', `%${escapeLike(digits)}%`));
        return eb.or(ors);
      });
    }
    if (query.cursor) {
      const c = decodeCursor(query.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      q = q.where('units.id', '<', c[0] as number);
    }
    const rows = (await q.orderBy('units.id', 'desc').limit(query.limit + 1).execute()) as UnitRow[];
    const pageRows = rows.slice(0, query.limit);
    return { items: pageRows.map((r) => this.toRecord(r, actor)), nextCursor: rows.length > query.limit ? encodeCursor([pageRows[pageRows.length - 1].id]) : null };
  }

  /** For a ticket or intake: the unit with this serial (of this model when given), current units first. */
  async lookup(actor: Actor, serial: string, model?: string): Promise<{ items: UnitRecord[] }> {
    requireAccess(actor, 'unit.read');
    let q = this.select(this.ctx.db.read).where('units.serial_number', '=', serial);
    if (model) q = q.where('units.product_model', '=', model);
    const rows = (await q.orderBy('units.id', 'desc').limit(10).execute()) as UnitRow[];
    return { items: rows.map((r) => this.toRecord(r, actor)) };
  }

  private async row(db: Kysely<DB>, id: number): Promise<UnitRow> {
    const row = (await this.select(db).where('units.id', '=', id).executeTakeFirst()) as UnitRow | undefined;
    if (!row) throw NotFound('error.unit_not_found');
    return row;
  }

  /** The unit and the units it replaced, newest first (their history is the unit's). */
  private async lineage(db: Kysely<DB>, row: UnitRow): Promise<{ id: number; serial: string | null; replacesId: number | null; replacedAt: number | null; createdAt: number }[]> {
    const chain = [{ id: row.id, serial: row.serial_number, replacesId: row.replaces_id, replacedAt: row.replaced_at, createdAt: row.created_at }];
    const seen = new Set([row.id]);
    let next = row.replaces_id;
    while (next !== null && !seen.has(next) && chain.length < 50) {
      seen.add(next);
      const prev = await db.selectFrom('units').select(['id', 'serial_number', 'replaces_id', 'replaced_at', 'created_at']).where('id', '=', next).executeTakeFirst();
      if (!prev) break;
      chain.push({ id: prev.id, serial: prev.serial_number, replacesId: prev.replaces_id, replacedAt: prev.replaced_at, createdAt: prev.created_at });
      next = prev.replaces_id;
    }
    return chain;
  }

  async get(actor: Actor, id: number): Promise<UnitDetail> {
    requireAccess(actor, 'unit.read');
    const db = this.ctx.db.read;
    const row = await this.row(db, id);
    const chain = await this.lineage(db, row);
    const ids = chain.map((c) => c.id);
    const serialOf = new Map(chain.map((c) => [c.id, c.serial]));
    const tickets = await db
      .selectFrom('tickets')
      .select(['id', 'unit_id', 'number', 'title', 'status', 'created_at'])
      .where('unit_id', 'in', ids)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
    const history: UnitHistoryEntry[] = [];
    for (const c of chain) history.push({ kind: 'registered', at: iso(c.createdAt), unitId: c.id, serialNumber: c.serial, title: c.serial ?? '' });
    for (const c of chain) {
      if (c.replacesId === null) continue;
      const old = chain.find((o) => o.id === c.replacesId);
      if (old) history.push({ kind: 'replacement', at: iso(old.replacedAt ?? c.createdAt), unitId: c.id, serialNumber: c.serial, title: `${old.serial ?? ''} → ${c.serial ?? ''}`, relatedUnitId: old.id });
    }
    if (row.replaced_by_id !== null) {
      const newer = await db.selectFrom('units').select(['id', 'serial_number']).where('id', '=', row.replaced_by_id).executeTakeFirst();
      history.push({ kind: 'replaced', at: iso(row.replaced_at ?? row.created_at), unitId: row.id, serialNumber: row.serial_number, title: `${row.serial_number ?? ''} → ${newer?.serial_number ?? ''}`, relatedUnitId: row.replaced_by_id });
    }
    for (const t of tickets) history.push({ kind: 'ticket', at: iso(t.created_at), unitId: t.unit_id!, serialNumber: serialOf.get(t.unit_id!) ?? null, title: t.title, ticket: { number: t.number, status: t.status } });
    for (const source of this.historySources) history.push(...(await source(db, ids)));
    history.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const files = tickets.length
      ? await db
          .selectFrom('attachments')
          .innerJoin('tickets', 'tickets.id', 'attachments.ticket_id')
          .select(['attachments.id', 'attachments.filename', 'tickets.number'])
          .where('attachments.ticket_id', 'in', tickets.map((t) => t.id))
          .orderBy('attachments.id', 'desc')
          .limit(50)
          .execute()
      : [];
    const params = new URLSearchParams({ model: row.product_model, ...(row.serial_number ? { serial: row.serial_number } : {}) });
    return {
      ...this.toRecord(row, actor),
      history,
      proofCandidates: files.map((f) => ({ id: f.id, filename: f.filename, ticketNumber: f.number })),
      labelLink: `${this.ctx.config.publicUrl}/portal/new?${params.toString()}`,
    };
  }

  /** The proof must be a file on one of the owner's tickets: a unit cannot borrow another customer's invoice. */
  private async checkProof(trx: Kysely<DB>, attachmentId: number | null | undefined, customerId: number) {
    if (attachmentId === null || attachmentId === undefined) return;
    const found = await trx.selectFrom('attachments').innerJoin('tickets', 'tickets.id', 'attachments.ticket_id').select('tickets.customer_id').where('attachments.id', '=', attachmentId).executeTakeFirst();
    if (!found || found.customer_id !== customerId) throw Invalid({ proofAttachmentId: 'field.proof_unknown' });
  }

  private async checkCustomer(trx: Kysely<DB>, customerId: number) {
    if (!(await trx.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst())) throw Invalid({ customerId: 'field.customer_unknown' });
  }

  private async checkSerialFree(trx: Kysely<DB>, model: string, serial: string, except?: number) {
    let q = trx.selectFrom('units').select('id').where('product_model', '=', model).where('serial_number', '=', serial);
    if (except !== undefined) q = q.where('id', '<>', except);
    if (await q.executeTakeFirst()) throw Invalid({ serialNumber: 'field.serial_taken' });
  }

  private async productFacts(trx: Kysely<DB>, model: string) {
    return (await trx.selectFrom('products').select(['warranty_months', 'needs_installation']).where('model', '=', model).executeTakeFirst()) ?? null;
  }

  private static checkDates(f: UnitFields) {
    if (f.purchaseDate && f.acceptanceDate && f.acceptanceDate < f.purchaseDate) throw Invalid({ acceptanceDate: 'field.acceptance_before_purchase' });
    if (f.installDate && f.acceptanceDate && f.acceptanceDate < f.installDate) throw Invalid({ acceptanceDate: 'field.acceptance_before_install' });
  }

  /** Inside a write: inserts a unit (serial free, customer known, proof the owner's) with its derived warranty. */
  async insert(trx: Kysely<DB>, f: z.infer<typeof UnitCreateBody> & { replacesId?: number }, now: number): Promise<number> {
    UnitsService.checkDates(f);
    await this.checkCustomer(trx, f.customerId);
    await this.checkSerialFree(trx, f.productModel, f.serialNumber);
    await this.checkProof(trx, f.proofAttachmentId, f.customerId);
    const facts = { purchase_date: f.purchaseDate ?? null, proof_attachment_id: f.proofAttachmentId ?? null, proof_ref: f.proofRef || null, acceptance_date: f.acceptanceDate ?? null, extended_months: f.extendedMonths ?? 0 };
    const row = await trx
      .insertInto('units')
      .values({
        customer_id: f.customerId,
        product_model: f.productModel,
        serial_number: f.serialNumber,
        install_date: f.installDate ?? null,
        notes: f.notes ?? null,
        ...facts,
        ...unitStoredWarranty(facts, await this.productFacts(trx, f.productModel)),
        replaces_id: f.replacesId ?? null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async create(actor: Actor, body: z.infer<typeof UnitCreateBody>): Promise<UnitDetail> {
    requireAccess(actor, 'unit.write');
    const now = this.ctx.clock.now();
    const id = await this.ctx.db.write((trx) => this.insert(trx, body, now));
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, body: z.infer<typeof UnitPatchBody>, expectedVersion: number | undefined): Promise<UnitDetail> {
    requireAccess(actor, 'unit.write');
    const version = expectedVersion ?? body.version;
    if (version === undefined) throw Invalid({ version: 'field.version_required' });
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const cur = await trx.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
      if (!cur) throw NotFound('error.unit_not_found');
      if (cur.version !== version) throw Conflict('stale_version', 'error.stale_version', { current: cur.version });
      const pick = <K extends keyof UnitFields, V>(k: K, current: V): V => (body[k] !== undefined ? (body[k] as V) : current);
      const next = {
        customer_id: pick('customerId', cur.customer_id),
        product_model: pick('productModel', cur.product_model),
        serial_number: pick('serialNumber', cur.serial_number),
        purchase_date: pick('purchaseDate', cur.purchase_date),
        proof_attachment_id: pick('proofAttachmentId', cur.proof_attachment_id),
        proof_ref: pick('proofRef', cur.proof_ref) || null,
        install_date: pick('installDate', cur.install_date),
        acceptance_date: pick('acceptanceDate', cur.acceptance_date),
        extended_months: pick('extendedMonths', cur.extended_months),
        notes: pick('notes', cur.notes),
      };
      UnitsService.checkDates({ purchaseDate: next.purchase_date, installDate: next.install_date, acceptanceDate: next.acceptance_date });
      if (next.customer_id !== cur.customer_id) await this.checkCustomer(trx, next.customer_id);
      if (next.serial_number && (next.serial_number !== cur.serial_number || next.product_model !== cur.product_model)) await this.checkSerialFree(trx, next.product_model, next.serial_number, id);
      if (next.proof_attachment_id !== cur.proof_attachment_id || next.customer_id !== cur.customer_id) await this.checkProof(trx, next.proof_attachment_id, next.customer_id);
      const res = await trx
        .updateTable('units')
        .set({ ...next, ...unitStoredWarranty(next, await this.productFacts(trx, next.product_model)), updated_at: now, version: cur.version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: cur.version });
    });
    return this.get(actor, id);
  }

  /**
   * A faulty unit exchanged for a new one: the new unit (same owner, same model unless given) records the serial it
   * replaces, the old one the serial that replaced it, and the new unit's history includes the old one's.
   */
  async replace(actor: Actor, id: number, body: z.infer<typeof UnitReplaceBody>): Promise<UnitDetail> {
    requireAccess(actor, 'unit.write');
    const now = this.ctx.clock.now();
    const newId = await this.ctx.db.write((trx) => this.replaceIn(trx, id, body, now));
    return this.get(actor, newId);
  }

  /** The replacement inside a caller's write (an RMA's exchange): the new unit's id. */
  async replaceIn(trx: Kysely<DB>, id: number, body: z.infer<typeof UnitReplaceBody>, now: number): Promise<number> {
    const old = await trx.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
    if (!old) throw NotFound('error.unit_not_found');
    if (old.replaced_by_id !== null) throw Conflict('conflict', 'error.unit_already_replaced');
    const created = await this.insert(trx, { ...body, customerId: old.customer_id, productModel: body.productModel ?? old.product_model, notes: body.notes ?? body.reason ?? null, replacesId: old.id }, now);
    await trx.updateTable('units').set({ replaced_by_id: created, replaced_at: now, updated_at: now, version: old.version + 1 }).where('id', '=', old.id).execute();
    return created;
  }
}
