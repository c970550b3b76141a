// A visit's charges (issue 16, seed 002): the quote from the product's fee standard and the unit's warranty
// (domain/charges.ts), shown to the customer before the work and accepted on the engineer's phone; then what was
// collected (cash, transfer, QR payment with its reference) with a receipt number, which records the 'charged' step.
// The customer reads their own quotes on the portal, without costs or staff names.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { PaymentBody, Payment, PortalQuote, Quote, QuoteAcceptBody } from '../../../shared/visit-report.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { paymentProblem, quoteVisit, receiptNumber, type ChargeLine, type PartUse, type Quote as DomainQuote } from '../../domain/charges.js';
import { isoString as iso } from '../../domain/iso.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { unitWarranty } from '../products/facts.js';
import { appendEvent } from '../tickets/repo.js';
import type { TicketsService } from '../tickets/service.js';
import { heldBy, usedBy } from '../visits/parts.js';
import type { VisitsService } from '../visits/service.js';
import type { VisitWork } from './service.js';

type ChargeRow = Awaited<ReturnType<typeof chargeRow>>;

async function chargeRow(db: Kysely<DB>, visitId: number) {
  return db.selectFrom('visit_charges').selectAll().where('visit_id', '=', visitId).executeTakeFirst();
}

export function quoteDto(r: NonNullable<ChargeRow>): Quote {
  const lines = JSON.parse(r.lines) as ChargeLine[];
  return { warrantyStatus: r.warranty_status as Quote['warrantyStatus'], chargeable: r.warranty_status !== 'in', lines, total: r.total, cost: r.cost, quotedAt: iso(r.quoted_at), acceptedAt: r.accepted_at === null ? null : iso(r.accepted_at), acceptedName: r.accepted_name };
}

export function paymentDto(r: NonNullable<ChargeRow>): Payment | null {
  if (r.charged_at === null || r.receipt_number === null) return null;
  return { method: r.paid_method as Payment['method'], reference: r.paid_ref, amount: r.paid_amount ?? 0, receiptNumber: r.receipt_number, chargedAt: iso(r.charged_at) };
}

export class VisitCharges {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly visits: VisitsService,
    private readonly work: VisitWork,
  ) {}

  /** The unit's warranty today and the product's fee standard (none when the ticket names no catalog model). */
  async basis(db: Kysely<DB>, visit: { unit_id: number | null; ticket_id: number }) {
    const ticket = await db.selectFrom('tickets').select(['product_model']).where('id', '=', visit.ticket_id).executeTakeFirstOrThrow();
    const unit = visit.unit_id === null ? undefined : await db.selectFrom('units').selectAll().where('id', '=', visit.unit_id).executeTakeFirst();
    const model = unit?.product_model ?? ticket.product_model;
    const product = model ? await db.selectFrom('products').selectAll().where('model', '=', model).executeTakeFirst() : undefined;
    const warranty = unit ? unitWarranty(unit, product, this.ctx.clock.now()) : null;
    const fees = product ? { calloutFee: product.callout_fee, labourFees: JSON.parse(product.labour_fees) as Record<string, number> } : null;
    return { unit, product, warranty, fees };
  }

  /** The parts the quote prices: those used so far and those still reserved for the visit. */
  private async plannedParts(db: Kysely<DB>, visitId: number): Promise<PartUse[]> {
    const items = [...((await usedBy(db, [visitId])).get(visitId) ?? []), ...((await heldBy(db, [visitId])).get(visitId) ?? [])];
    if (items.length === 0) return [];
    const parts = await db.selectFrom('parts').select(['id', 'code', 'name_zh', 'list_price', 'unit_cost']).where('id', 'in', [...new Set(items.map((i) => i.partId))]).execute();
    return items.map((i) => {
      const p = parts.find((x) => x.id === i.partId)!;
      return { partId: p.id, code: p.code, name: p.name_zh, qty: i.qty, listPrice: p.list_price, unitCost: p.unit_cost };
    });
  }

  private async compute(db: Kysely<DB>, visit: { id: number; unit_id: number | null; ticket_id: number }): Promise<DomainQuote & { warrantyStatus: 'in' | 'out' | 'unknown' }> {
    const { warranty, fees } = await this.basis(db, visit);
    const report = await db.selectFrom('visit_reports').select('fault_class').where('visit_id', '=', visit.id).executeTakeFirst();
    const warrantyStatus = warranty?.status ?? 'unknown';
    return { ...quoteVisit({ warranty: warrantyStatus, fees, faultClass: report?.fault_class ?? null, parts: await this.plannedParts(db, visit.id) }), warrantyStatus };
  }

  /**
   * Prices the visit now (before the work: the fault class from the report, the parts reserved and used) for the
   * customer to see and accept. Quoting again replaces the quote; the customer must accept the new one. Not after payment.
   */
  async quote(actor: Actor, id: number, lang: Language): Promise<void> {
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx) => {
      const visit = await this.work.ownVisit(trx, actor, id);
      this.work.requireOnSite(visit, lang);
      const current = await chargeRow(trx, id);
      if (current?.charged_at) throw Conflict('conflict', 'error.visit_already_charged', { receipt: current.receipt_number ?? '' });
      const q = await this.compute(trx, visit);
      const values = { warranty_status: q.warrantyStatus, lines: JSON.stringify(q.lines), total: q.total, cost: q.cost, quoted_at: now, quoted_by: actor.id, accepted_at: null, accepted_name: null };
      if (current) await trx.updateTable('visit_charges').set({ ...values, version: current.version + 1 }).where('visit_id', '=', id).execute();
      else await trx.insertInto('visit_charges').values({ visit_id: id, ...values, version: 1 }).execute();
      await appendEvent(trx, visit.ticket_id, now, actor.id, 'visit_quoted', { internal: true, details: { visitId: id, total: q.total, cost: q.cost, warranty: q.warrantyStatus, lines: q.lines.length, unpricedFaultClass: q.unpricedFaultClass } });
    });
  }

  /** The customer accepted the quote shown on the engineer's phone (their name as they gave it). */
  async accept(actor: Actor, id: number, body: z.infer<typeof QuoteAcceptBody>): Promise<void> {
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx) => {
      const visit = await this.work.ownVisit(trx, actor, id);
      const current = await chargeRow(trx, id);
      if (!current) throw Conflict('conflict', 'error.visit_no_quote');
      if (current.accepted_at !== null) return; // accepted already: a retry
      await trx.updateTable('visit_charges').set({ accepted_at: now, accepted_name: body.name?.trim() || null, version: current.version + 1 }).where('visit_id', '=', id).execute();
      await appendEvent(trx, visit.ticket_id, now, actor.id, 'visit_quote_accepted', { internal: true, details: { visitId: id, total: current.total, name: body.name?.trim() || null } });
    });
  }

  /**
   * What was collected, against the accepted quote, which must still price the job as done (else: quote again and
   * have it accepted). Records the 'charged' step and a receipt number. The same payment again answers the first.
   */
  async charge(actor: Actor, id: number, body: z.infer<typeof PaymentBody>, lang: Language): Promise<void> {
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx, notified) => {
      const visit = await this.work.ownVisit(trx, actor, id);
      const current = await chargeRow(trx, id);
      if (!current || current.accepted_at === null) throw Conflict('conflict', 'error.visit_no_quote');
      if (current.charged_at !== null) {
        const same = current.paid_method === body.method && current.paid_amount === body.amount && (current.paid_ref ?? '') === (body.reference?.trim() ?? '');
        if (same) return;
        throw Conflict('conflict', 'error.visit_already_charged', { receipt: current.receipt_number ?? '' });
      }
      const fresh = await this.compute(trx, visit);
      if (fresh.total !== current.total) throw Conflict('conflict', 'error.visit_quote_changed', { quoted: current.total / 100, now: fresh.total / 100 });
      const problem = paymentProblem({ method: body.method, amount: body.amount, reference: body.reference ?? null }, current);
      if (problem === 'amount' || problem === 'over_quote') throw Invalid({ amount: problem === 'amount' ? 'field.payment_amount' : { key: 'field.payment_over_quote', params: { total: (current.total / 100).toFixed(2) } } });
      if (problem === 'reference') throw Invalid({ reference: 'field.payment_reference' });
      const receipt = receiptNumber(now, id);
      const row = await this.visits.lockedRow(trx, id);
      await this.visits.stepIn(trx, actor, row, 'charged', lang, notified, actor.name);
      await trx
        .updateTable('visit_charges')
        .set({ lines: JSON.stringify(fresh.lines), cost: fresh.cost, paid_method: body.method, paid_ref: body.reference?.trim() || null, paid_amount: body.amount, receipt_number: receipt, charged_at: now, version: current.version + 1 })
        .where('visit_id', '=', id)
        .execute();
      await appendEvent(trx, visit.ticket_id, now, actor.id, 'visit_charged', { internal: true, details: { visitId: id, method: body.method, amount: body.amount, total: current.total, receipt } });
    });
  }

  /** The customer's own quotes on a ticket (portal): prices and totals only. Another customer's ticket is not found. */
  async forCustomer(actor: Actor, number: string): Promise<z.infer<typeof PortalQuote>[]> {
    if (actor.role !== 'customer') throw NotFound('error.ticket_not_found', { number });
    const ticketId = await this.tickets.visibleTicketId(actor, number);
    const rows = await this.ctx.db.read
      .selectFrom('visit_charges')
      .innerJoin('visits', 'visits.id', 'visit_charges.visit_id')
      .selectAll('visit_charges')
      .select(['visits.window_start', 'visits.window_end'])
      .where('visits.ticket_id', '=', ticketId)
      .where('visits.cancelled_at', 'is', null)
      .orderBy('visits.window_start')
      .execute();
    return rows.map((r) => {
      const q = quoteDto(r);
      const p = paymentDto(r);
      return {
        visitId: r.visit_id,
        windowStart: iso(r.window_start),
        windowEnd: iso(r.window_end),
        warrantyStatus: q.warrantyStatus,
        chargeable: q.chargeable,
        lines: q.lines.map(({ cost: _cost, ...l }) => l),
        total: q.total,
        acceptedAt: q.acceptedAt,
        payment: p && { method: p.method, amount: p.amount, receiptNumber: p.receiptNumber, chargedAt: p.chargedAt },
      };
    });
  }
}
