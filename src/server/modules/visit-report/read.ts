// A visit's service report as one document: the visit and its steps, ticket, customer, unit and warranty, the report,
// the parts used with their cost and list price, photos, signature, quote and payment. The engineer's phone, the
// printable report and the receipt read it. Staff only; an engineer only their own visits.
import type { VisitReport } from '../../../shared/visit-report.js';
import type { AppContext } from '../../context.js';
import { can, type Actor } from '../../domain/access.js';
import { maskPhone } from '../../domain/contact.js';
import { isoString as iso } from '../../domain/iso.js';
import type { VisitsService } from '../visits/service.js';
import { paymentDto, quoteDto, type VisitCharges } from './charges.js';

export class VisitReportReader {
  constructor(
    private readonly ctx: AppContext,
    private readonly visits: VisitsService,
    private readonly charges: VisitCharges,
  ) {}

  async read(actor: Actor, id: number): Promise<VisitReport> {
    const visit = await this.visits.get(actor, id);
    const db = this.ctx.db.read;
    const row = await db
      .selectFrom('visits')
      .innerJoin('tickets', 'tickets.id', 'visits.ticket_id')
      .innerJoin('customers', 'customers.id', 'tickets.customer_id')
      .select(['visits.ticket_id', 'visits.unit_id', 'tickets.number', 'tickets.title', 'tickets.description', 'customers.name', 'customers.phone'])
      .where('visits.id', '=', id)
      .executeTakeFirstOrThrow();
    const { unit, product, warranty, fees } = await this.charges.basis(db, row);
    const allClasses = await db.selectFrom('fault_classes').selectAll().orderBy('position').execute();
    const priced = Object.keys(fees?.labourFees ?? {});
    const faultClasses = allClasses.filter((c) => priced.length === 0 || priced.includes(c.code)).map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en }));
    const report = await db.selectFrom('visit_reports').selectAll().where('visit_id', '=', id).executeTakeFirst();
    const moves = await db
      .selectFrom('stock_moves')
      .innerJoin('parts', 'parts.id', 'stock_moves.part_id')
      .select(['stock_moves.part_id', 'stock_moves.qty', 'stock_moves.unit_cost', 'stock_moves.from_location_id', 'parts.list_price'])
      .where('stock_moves.visit_id', '=', id)
      .where('stock_moves.kind', '=', 'consume')
      .execute();
    const partsUsed = visit.used.map((u) => {
      const mine = moves.filter((m) => m.part_id === u.partId && m.from_location_id === u.location.id);
      const cost = mine.reduce((s, m) => s + m.qty * m.unit_cost, 0);
      return { ...u, unitCost: u.qty > 0 ? Math.round(cost / u.qty) : 0, listPrice: mine[0]?.list_price ?? 0, cost };
    });
    const files = await db
      .selectFrom('visit_attachments')
      .innerJoin('attachments', 'attachments.id', 'visit_attachments.attachment_id')
      .select(['visit_attachments.kind', 'attachments.id', 'attachments.filename', 'attachments.created_at'])
      .where('visit_attachments.visit_id', '=', id)
      .orderBy('attachments.id')
      .execute();
    const ref = (f: (typeof files)[number]) => ({ attachmentId: f.id, filename: f.filename, createdAt: iso(f.created_at) });
    const sig = files.find((f) => f.kind === 'signature');
    const charge = await db.selectFrom('visit_charges').selectAll().where('visit_id', '=', id).executeTakeFirst();
    return {
      visit,
      ticket: { number: row.number, title: row.title, description: row.description },
      customer: { name: row.name, phone: can(actor, 'contact.unmasked') ? row.phone : maskPhone(row.phone), address: visit.address },
      unit: unit ? { id: unit.id, serialNumber: unit.serial_number, productModel: unit.product_model, productName: product?.name ?? null } : null,
      warranty,
      faultClasses,
      report: { diagnosis: report?.diagnosis ?? '', cause: report?.cause ?? '', faultClass: report?.fault_class ?? null, workDone: report?.work_done ?? '', updatedAt: report ? iso(report.updated_at) : null, version: report?.version ?? 0 },
      partsUsed,
      photos: files.filter((f) => f.kind === 'photo').map(ref),
      signature: sig ? ref(sig) : null,
      quote: charge ? quoteDto(charge) : null,
      payment: charge ? paymentDto(charge) : null,
    };
  }
}
