// Returns and exchanges (退换货 / RMA) on a ticket, issue 16: open one for units or order lines, the eligibility
// checklist with the return window, a supervisor's decision, tracking numbers both ways, receipt into the returns
// location, the outcome (refund / exchanged unit through the units module / repaired), shipment back, completion.
// Every change is a timeline entry in the same transaction; approval, rejection, shipment and the outcome tell the
// customer. The rules are domain/returns.ts; the goods' ledger is goods.ts.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { PortalRma, Rma, RmaCancelBody, RmaChecklistBody, RmaCreateBody, RmaDecisionBody, RmaOutcomeBody, RmaReceiveBody, RmaShipmentBody, RmasQuery } from '../../../shared/returns.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { can, type Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { approvalRefusal, earliestWindow, eligibility, outcomeRefusal, rmaNext, windowApplies, type RmaAction, type RmaKind, type RmaStatus } from '../../domain/returns.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Conflict, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import { chinaToday } from '../products/facts.js';
import type { UnitsService } from '../products/units.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent, visibleTo, type TicketWithCustomer } from '../tickets/repo.js';
import { RmaGoods } from './goods.js';
import { createOnce, visibleTicketOf } from './shared.js';
import { checklistOf, itemFacts, itemWindow, selectRmas, toPortalRma, toRma, type RmaListRow, type RmaRow } from './views.js';

type Ctx = { trx: Kysely<DB>; row: RmaRow; ticket: TicketWithCustomer; next: RmaStatus; now: number };

export class RmaService {
  readonly goods: RmaGoods;

  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly units: UnitsService,
  ) {
    this.goods = new RmaGoods(ctx);
  }

  private today() {
    return chinaToday(this.ctx.clock.now());
  }

  private async dto(db: Kysely<DB>, rows: RmaListRow[], actor: Actor): Promise<Rma[]> {
    const facts = await itemFacts(db, rows.map((r) => r.id));
    const locIds = [...new Set(rows.map((r) => r.received_location_id).filter((x): x is number => x !== null))];
    const locs = locIds.length ? await db.selectFrom('stock_locations').select(['id', 'code', 'name']).where('id', 'in', locIds).execute() : [];
    const today = this.today();
    const userRef = (id: number | null) => this.tickets.core.userRef(id, db);
    return Promise.all(rows.map((r) => toRma(r, facts.get(r.id)!, actor, today, userRef, locs.find((l) => l.id === r.received_location_id) ?? null)));
  }

  /** Staff who may see the ticket read its RMAs; customers read the portal's view (portal()). */
  async get(actor: Actor, id: number): Promise<Rma> {
    requireAccess(actor, 'ticket.internal');
    const db = this.ctx.db.read;
    const row = (await selectRmas(db).where('rmas.id', '=', id).executeTakeFirst()) as RmaListRow | undefined;
    if (!row) throw NotFound('error.rma_not_found');
    await this.tickets.findVisible(db, actor, row.number).catch(() => {
      throw NotFound('error.rma_not_found');
    });
    return (await this.dto(db, [row], actor))[0]!;
  }

  async forTicket(actor: Actor, number: string): Promise<Rma[]> {
    requireAccess(actor, 'ticket.internal');
    const db = this.ctx.db.read;
    const ticket = await this.tickets.findVisible(db, actor, number);
    const rows = (await selectRmas(db).where('rmas.ticket_id', '=', ticket.id).orderBy('rmas.id').execute()) as RmaListRow[];
    return this.dto(db, rows, actor);
  }

  /** The returns list (/returns): newest first, filtered by state ('open' = not completed, rejected or cancelled). */
  async list(actor: Actor, q: z.infer<typeof RmasQuery>): Promise<{ items: Rma[]; nextCursor: string | null }> {
    requireAccess(actor, 'ticket.internal');
    const db = this.ctx.db.read;
    let query = visibleTo(selectRmas(db), actor, await this.tickets.core.settings.access());
    if (q.status === 'open') query = query.where('rmas.status', 'not in', ['completed', 'rejected', 'cancelled']);
    else if (q.status) query = query.where('rmas.status', '=', q.status);
    if (q.kind) query = query.where('rmas.kind', '=', q.kind);
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      query = query.where('rmas.id', '<', c[0] as number);
    }
    const rows = (await query.orderBy('rmas.id', 'desc').limit(q.limit + 1).execute()) as RmaListRow[];
    const pageRows = rows.slice(0, q.limit);
    return { items: await this.dto(db, pageRows, actor), nextCursor: rows.length > q.limit ? encodeCursor([pageRows[pageRows.length - 1]!.id]) : null };
  }

  /** The customer's own ticket's RMAs, customer-safe (a ticket of someone else's answers 404 like the ticket). */
  async portal(actor: Actor, number: string): Promise<z.infer<typeof PortalRma>[]> {
    const db = this.ctx.db.read;
    const ticket = await this.tickets.findVisible(db, actor, number);
    const rows = await db.selectFrom('rmas').selectAll().where('ticket_id', '=', ticket.id).orderBy('id').execute();
    const facts = await itemFacts(db, rows.map((r) => r.id));
    return rows.map((r) => toPortalRma(r, facts.get(r.id)!));
  }

  // ------------------------------------------------------------ opening one

  async create(actor: Actor, number: string, body: RmaCreateBody, key: string | undefined): Promise<{ rma: Rma; created: boolean }> {
    requireAccess(actor, 'returns.write');
    const res = await createOnce(() => this.tickets.tx((trx) => this.insert(trx, actor, number, body, key)), key);
    return { rma: await this.get(actor, res.id), created: res.created };
  }

  private async insert(trx: Kysely<DB>, actor: Actor, number: string, body: RmaCreateBody, key: string | undefined): Promise<{ id: number; created: boolean }> {
    const now = this.ctx.clock.now();
    if (key) {
      const prior = await trx.selectFrom('rmas').select('id').where('created_by', '=', actor.id).where('idempotency_key', '=', key).executeTakeFirst();
      if (prior) return { id: prior.id, created: false };
    }
    const ticket = await this.tickets.findVisible(trx, actor, number);
    if (ticket.is_open !== 1) throw Conflict('invalid_transition', 'error.wrong_status', { status: ticket.status });
    const items = await this.resolveItems(trx, ticket.customer_id, body.items);
    const products = await trx.selectFrom('products').select(['model', 'return_days']).where('model', 'in', [...new Set(items.map((i) => i.product_model))]).execute();
    const days = new Map(products.map((p) => [p.model, p.return_days]));
    const window = earliestWindow(items.map((i) => itemWindow(i, days, chinaToday(now))));
    if (windowApplies(body.kind) && window.within === false && !body.windowOverrideReason?.trim()) {
      throw Invalid({ windowOverrideReason: { key: 'field.rma_window_passed', params: { lastDay: window.lastDay ?? '', days: window.days ?? 0 } } });
    }
    const created = await trx
      .insertInto('rmas')
      .values({
        ticket_id: ticket.id,
        customer_id: ticket.customer_id,
        kind: body.kind,
        status: 'requested',
        reason: body.reason?.trim() || null,
        window_override_reason: body.windowOverrideReason?.trim() || null,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        version: 1,
        idempotency_key: key ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('rma_items').values(items.map((i) => ({ ...i, rma_id: created.id }))).execute();
    await appendEvent(trx, ticket.id, now, actor.id, 'rma_created', {
      internal: true,
      note: body.reason?.trim() || null,
      details: { rmaId: created.id, kind: body.kind, items: items.map((i) => i.serial_number ?? i.order_number ?? i.product_model), lastDay: window.lastDay, windowPassed: window.within === false, overrideReason: body.windowOverrideReason?.trim() || null },
    });
    return { id: created.id, created: true };
  }

  /** Units must be the ticket customer's and not in another open RMA; an order line names its product. */
  private async resolveItems(trx: Kysely<DB>, customerId: number, items: RmaCreateBody['items']) {
    const out: { unit_id: number | null; order_number: string | null; product_model: string; serial_number: string | null; qty: number; purchase_date: string | null }[] = [];
    const seen = new Set<number>();
    for (const [i, it] of items.entries()) {
      if (it.unitId !== undefined) {
        const u = await trx.selectFrom('units').select(['id', 'customer_id', 'product_model', 'serial_number', 'purchase_date', 'replaced_by_id']).where('id', '=', it.unitId).executeTakeFirst();
        if (!u || u.customer_id !== customerId) throw Invalid({ [`items.${i}.unitId`]: 'field.rma_unit_not_customers' });
        if (u.replaced_by_id !== null) throw Invalid({ [`items.${i}.unitId`]: 'field.rma_unit_replaced' });
        if (seen.has(u.id)) throw Invalid({ [`items.${i}.unitId`]: 'field.rma_unit_twice' });
        seen.add(u.id);
        const open = await trx
          .selectFrom('rma_items')
          .innerJoin('rmas', 'rmas.id', 'rma_items.rma_id')
          .select('rmas.id')
          .where('rma_items.unit_id', '=', u.id)
          .where('rmas.status', 'not in', ['completed', 'rejected', 'cancelled'])
          .executeTakeFirst();
        if (open) throw Conflict('conflict', 'error.rma_unit_open', { serial: u.serial_number ?? '', rmaId: open.id });
        out.push({ unit_id: u.id, order_number: null, product_model: u.product_model, serial_number: u.serial_number, qty: 1, purchase_date: u.purchase_date });
      } else {
        if (!it.orderNumber) throw Invalid({ [`items.${i}.orderNumber`]: 'field.rma_item_required' });
        if (!it.productModel) throw Invalid({ [`items.${i}.productModel`]: 'field.required' });
        out.push({ unit_id: null, order_number: it.orderNumber, product_model: it.productModel, serial_number: null, qty: it.qty, purchase_date: it.purchaseDate ?? null });
      }
    }
    return out;
  }

  // ------------------------------------------------------------ changes

  /**
   * One change of an RMA in one transaction: the row at the expected version, its ticket visible to the actor, the
   * action allowed in its status (409 naming the status otherwise); `fn` writes its part, then the status, the version
   * and the timeline entry.
   */
  private async change(actor: Actor, id: number, version: number, action: RmaAction, lang: Language, fn: (c: Ctx) => Promise<{ set?: Partial<RmaRow>; details?: Record<string, unknown>; note?: string | null }>): Promise<Rma> {
    requireAccess(actor, action === 'approve' || action === 'reject' ? 'returns.approve' : 'returns.write');
    await this.tickets.tx(async (trx) => {
      const row = await trx.selectFrom('rmas').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw NotFound('error.rma_not_found');
      const ticket = await visibleTicketOf(this.tickets, trx, actor, row.ticket_id, 'error.rma_not_found');
      if (row.version !== version) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      const next = rmaNext(row.kind as RmaKind, row.status as RmaStatus, action);
      if (next === null) throw Conflict('invalid_transition', 'error.rma_wrong_status', { status: t(lang, `rma.status.${row.status}`), action: t(lang, `rma.action.${action}`) });
      const now = this.ctx.clock.now();
      const r = await fn({ trx, row, ticket, next, now });
      const res = await trx
        .updateTable('rmas')
        .set({ ...r.set, status: next, updated_at: now, version: row.version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      await appendEvent(trx, ticket.id, now, actor.id, `rma_${action}`, { internal: true, note: r.note ?? null, details: { rmaId: id, kind: row.kind, from: row.status, to: next, ...r.details } });
    });
    return this.get(actor, id);
  }

  /** The checklist is filled in while the request waits for its decision; it is not a status change. */
  async checklist(actor: Actor, id: number, body: z.infer<typeof RmaChecklistBody>, lang: Language): Promise<Rma> {
    requireAccess(actor, 'returns.write');
    await this.tickets.tx(async (trx) => {
      const row = await trx.selectFrom('rmas').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw NotFound('error.rma_not_found');
      await visibleTicketOf(this.tickets, trx, actor, row.ticket_id, 'error.rma_not_found');
      if (row.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      if (row.status !== 'requested') throw Conflict('invalid_transition', 'error.rma_checklist_closed', { status: t(lang, `rma.status.${row.status}`) });
      const before = checklistOf(row);
      const val = (v: boolean | null | undefined, cur: number | null) => (v === undefined ? cur : v === null ? null : v ? 1 : 0);
      const set = {
        chk_appearance: val(body.appearanceIntact, row.chk_appearance),
        chk_accessories: val(body.accessoriesComplete, row.chk_accessories),
        chk_proof: val(body.proofOfPurchase, row.chk_proof),
        chk_damage: val(body.noManMadeDamage, row.chk_damage),
        checklist_note: body.note !== undefined ? body.note?.trim() || null : row.checklist_note,
      };
      const after = checklistOf(set);
      const now = this.ctx.clock.now();
      await trx.updateTable('rmas').set({ ...set, updated_at: now, version: row.version + 1 }).where('id', '=', id).execute();
      const changes = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== before[k]).map((k) => ({ field: k, before: before[k], after: after[k] }));
      await appendEvent(trx, row.ticket_id, now, actor.id, 'rma_checklist', { internal: true, note: set.checklist_note, details: { rmaId: id, changes } });
    });
    return this.get(actor, id);
  }

  async decide(actor: Actor, id: number, body: z.infer<typeof RmaDecisionBody>, lang: Language): Promise<Rma> {
    return this.change(actor, id, body.version, body.decision, lang, async ({ trx, row, ticket, now }) => {
      const facts = (await itemFacts(trx, [id])).get(id)!;
      const window = earliestWindow(facts.rows.map((i) => itemWindow(i, facts.windowDays, chinaToday(now))));
      const e = eligibility(row.kind as RmaKind, checklistOf(row), window);
      const refusal = approvalRefusal(body.decision, e, body.reason);
      if (refusal === 'checklist_incomplete') throw Conflict('conflict', 'error.rma_checklist_incomplete', { items: e.missing.map((m) => t(lang, `rma.check.${m}`)).join('、') });
      if (refusal === 'reason_required') throw Invalid({ reason: body.decision === 'reject' ? 'field.rma_reject_reason' : 'field.rma_exception_reason' });
      const reason = body.reason?.trim() || null;
      const locale = await this.customerLocale(trx, ticket.customer_id);
      const vars = { rmaKind: t(locale, `rma.kind.${row.kind}`), rmaId: String(id), ...(body.decision === 'reject' ? { reason: reason ?? '' } : {}) };
      await this.tickets.core.tellCustomer(trx, ticket, body.decision === 'approve' ? 'rma_approved' : 'rma_rejected', `rma:${id}`, actor.id, vars);
      return { set: { decided_by: actor.id, decided_at: now, decision_reason: reason }, note: reason, details: { eligible: e.eligible, failed: e.failed, windowPassed: e.windowPassed } };
    });
  }

  async cancel(actor: Actor, id: number, body: z.infer<typeof RmaCancelBody>, lang: Language): Promise<Rma> {
    return this.change(actor, id, body.version, 'cancel', lang, async ({ now }) => ({ set: { cancelled_at: now, cancel_reason: body.reason }, note: body.reason }));
  }

  /** Tracking numbers: the customer's parcel to us (after approval), ours back (after the outcome; the customer is told). */
  async shipment(actor: Actor, id: number, body: z.infer<typeof RmaShipmentBody>, lang: Language): Promise<Rma> {
    const action = body.direction === 'in' ? 'ship_in' : 'ship_out';
    return this.change(actor, id, body.version, action, lang, async ({ trx, row, ticket, now }) => {
      const details = { direction: body.direction, carrier: body.carrier, trackingNumber: body.trackingNumber };
      if (body.direction === 'in') return { set: { in_carrier: body.carrier, in_tracking: body.trackingNumber, in_shipped_at: now }, details };
      const locale = await this.customerLocale(trx, ticket.customer_id);
      await this.tickets.core.tellCustomer(trx, ticket, 'rma_shipped', `rma:${id}`, actor.id, { rmaKind: t(locale, `rma.kind.${row.kind}`), rmaId: String(id), carrier: body.carrier, trackingNumber: body.trackingNumber });
      return { set: { out_carrier: body.carrier, out_tracking: body.trackingNumber, shipped_out_at: now }, details };
    });
  }

  /** The goods arrive: into the returns location (goods.ts), one ledger row per item. */
  async receive(actor: Actor, id: number, body: z.infer<typeof RmaReceiveBody>, lang: Language): Promise<Rma> {
    return this.change(actor, id, body.version, 'receive', lang, async ({ trx, now }) => {
      const location = await this.goods.receiveInto(trx, body.locationId, now);
      const facts = (await itemFacts(trx, [id])).get(id)!;
      await this.goods.received(trx, id, location.id, facts.rows, actor.id, now);
      return { set: { received_at: now, received_by: actor.id, received_location_id: location.id }, note: body.note ?? null, details: { location: location.name } };
    });
  }

  /**
   * The outcome once the goods are in: a refund (return, then completed), the new units (exchange: recorded as
   * replacements through the units module, so the new serial carries the old one's history, and issued from a
   * warehouse in the goods ledger) or repaired. The customer is told.
   */
  async outcome(actor: Actor, id: number, body: z.infer<typeof RmaOutcomeBody>, lang: Language): Promise<Rma> {
    return this.change(actor, id, body.version, 'outcome', lang, async ({ trx, row, ticket, next, now }) => {
      const kind = row.kind as RmaKind;
      const refusal = outcomeRefusal(kind, { refundFen: body.refundFen, replacements: body.replacements?.length ?? 0 });
      if (refusal) throw Invalid({ [refusal.startsWith('refund') ? 'refundFen' : 'replacements']: `field.rma_${refusal}` });
      const facts = (await itemFacts(trx, [id])).get(id)!;
      const serials: string[] = [];
      if (kind === 'exchange') {
        const issueFrom = await this.goods.issueFrom(trx, body.issueLocationId);
        for (const [i, rep] of (body.replacements ?? []).entries()) {
          const item = facts.rows.find((x) => x.id === rep.itemId);
          if (!item) throw Invalid({ [`replacements.${i}.itemId`]: 'field.rma_item_unknown' });
          if (item.replacement_unit_id !== null) throw Invalid({ [`replacements.${i}.itemId`]: 'field.rma_item_exchanged' });
          const newUnit = await this.replacementUnit(trx, id, item, row.customer_id, rep, i, now);
          await trx.updateTable('rma_items').set({ replacement_unit_id: newUnit }).where('id', '=', item.id).execute();
          await this.goods.issued(trx, id, issueFrom.id, { product_model: rep.productModel ?? item.product_model, serial_number: rep.serialNumber, unit_id: newUnit }, actor.id, now);
          serials.push(`${item.serial_number ?? item.order_number ?? ''} → ${rep.serialNumber}`);
        }
        const missing = facts.rows.filter((x) => x.unit_id !== null && x.replacement_unit_id === null && !(body.replacements ?? []).some((r) => r.itemId === x.id));
        if (missing.length > 0) throw Invalid({ replacements: 'field.rma_replacement_required' });
      }
      const locale = await this.customerLocale(trx, ticket.customer_id);
      const outcome = kind === 'return' ? t(locale, 'rma.outcome.refund', { amount: yuan(body.refundFen ?? 0) }) : kind === 'exchange' ? t(locale, 'rma.outcome.exchange', { serials: (body.replacements ?? []).map((r) => r.serialNumber).join('、') }) : t(locale, 'rma.outcome.repaired');
      await this.tickets.core.tellCustomer(trx, ticket, 'rma_completed', `rma:${id}`, actor.id, { rmaKind: t(locale, `rma.kind.${kind}`), rmaId: String(id), outcome });
      return {
        set: { refund_fen: body.refundFen ?? null, outcome_note: body.note?.trim() || null, outcome_at: now, outcome_by: actor.id, ...(next === 'completed' ? { completed_at: now } : {}) },
        note: body.note?.trim() || null,
        details: { refundFen: body.refundFen ?? null, exchanged: serials },
      };
    });
  }

  /** An exchanged unit through the units module: a replacement of the faulty one, or a new unit for an order line. */
  private async replacementUnit(trx: Kysely<DB>, rmaId: number, item: { unit_id: number | null; product_model: string }, customerId: number, rep: { serialNumber: string; productModel?: string }, i: number, now: number): Promise<number> {
    // Its warranty starts on the day of the exchange (三包: a replaced product's term starts again), the RMA its proof.
    const today = chinaToday(now);
    const proofRef = `RMA-${rmaId}`;
    try {
      if (item.unit_id !== null) return await this.units.replaceIn(trx, item.unit_id, { serialNumber: rep.serialNumber, productModel: rep.productModel, purchaseDate: today, proofRef, reason: proofRef }, now);
      return await this.units.insert(trx, { customerId, productModel: rep.productModel ?? item.product_model, serialNumber: rep.serialNumber, purchaseDate: today, proofRef }, now);
    } catch (e) {
      // The units module names its own field; the form's field is this replacement's serial.
      if (e instanceof AppError && e.fields?.serialNumber) throw Invalid({ [`replacements.${i}.serialNumber`]: e.fields.serialNumber });
      throw e;
    }
  }

  /** The goods are back with the customer. */
  async complete(actor: Actor, id: number, version: number, lang: Language): Promise<Rma> {
    return this.change(actor, id, version, 'complete', lang, async ({ now }) => ({ set: { completed_at: now } }));
  }

  private async customerLocale(trx: Kysely<DB>, customerId: number): Promise<Language> {
    const l = (await trx.selectFrom('customers').select('locale').where('id', '=', customerId).executeTakeFirst())?.locale;
    return l === 'en' ? 'en' : 'zh-CN';
  }

  static canApprove(actor: Actor): boolean {
    return can(actor, 'returns.approve');
  }
}

/** ¥2,599.00 from fen. */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
