// Completing an on-site visit (issue 16, SPEC §10, seed 002): the engineer's service report, the parts used (consumed
// through the parts module), photos and the customer's signature (ticket attachments linked to the visit). Only the
// visit's engineer writes; staff read (an engineer only their own visits). Every change lands in the ticket's timeline
// as a staff-only entry. The quote and the payment are in charges.ts; the report as a whole is read by read.ts.
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import { SIGNATURE_MAX_BYTES, type PartsUsedBody, type VisitReportBody } from '../../../shared/visit-report.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { AttachmentsService } from '../attachments/service.js';
import type { StockMoves } from '../parts/stock.js';
import { appendEvent } from '../tickets/repo.js';
import type { TicketsService } from '../tickets/service.js';
import { heldBy, vanOf } from '../visits/parts.js';
import type { VisitRow } from '../visits/repo.js';
import type { VisitsService } from '../visits/service.js';

type Upload = { filename: string; stream: Readable; truncated: () => boolean };
const REPORT_FIELDS = ['diagnosis', 'cause', 'faultClass', 'workDone'] as const;

export class VisitWork {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly visits: VisitsService,
    private readonly moves: StockMoves,
    private readonly attachments: AttachmentsService,
  ) {}

  /** The visit, if the actor is its engineer (others: 403 when they may see it, 404 when not), and on site. */
  async ownVisit(db: Kysely<DB>, actor: Actor, id: number): Promise<VisitRow & { number: string }> {
    const row = await db.selectFrom('visits').innerJoin('tickets', 'tickets.id', 'visits.ticket_id').selectAll('visits').select('tickets.number').where('visits.id', '=', id).executeTakeFirst();
    if (!row || (actor.role === 'engineer' && row.engineer_id !== actor.id) || actor.role === 'customer') throw NotFound('error.visit_not_found');
    if (row.engineer_id !== actor.id) throw Forbidden('error.visit_not_yours');
    return row;
  }

  /** Work is recorded from arrival on, until the engineer has left; never on a cancelled visit. */
  requireOnSite(row: VisitRow, lang: Language) {
    if (row.cancelled_at !== null || row.arrived_at === null || row.left_at !== null) {
      throw Conflict('invalid_transition', 'error.visit_not_on_site', { status: t(lang, `visit.${row.status === 'booked' || row.status === 'cancelled' ? 'status' : 'step'}.${row.status}`) });
    }
  }

  /**
   * Saves the report. The version read must be the current one (0 before the first save); a retry of a save that
   * already went through (same text, old version) answers the saved report instead of a conflict.
   */
  async saveReport(actor: Actor, id: number, body: VisitReportBody, lang: Language): Promise<void> {
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx) => {
      const visit = await this.ownVisit(trx, actor, id);
      this.requireOnSite(visit, lang);
      if (body.faultClass !== null) {
        const known = await trx.selectFrom('fault_classes').select('code').where('code', '=', body.faultClass).executeTakeFirst();
        if (!known) throw Invalid({ faultClass: 'field.report_fault_class_unknown' });
      }
      const current = await trx.selectFrom('visit_reports').selectAll().where('visit_id', '=', id).executeTakeFirst();
      const before = { diagnosis: current?.diagnosis ?? '', cause: current?.cause ?? '', faultClass: current?.fault_class ?? null, workDone: current?.work_done ?? '' };
      const changed = REPORT_FIELDS.filter((f) => (before[f] ?? '') !== (body[f] ?? ''));
      const version = current?.version ?? 0;
      if (body.version !== version) {
        if (changed.length === 0) return; // the same save again
        throw Conflict('stale_version', 'error.stale_version', { current: version });
      }
      if (changed.length === 0) return;
      const values = { diagnosis: body.diagnosis, cause: body.cause, fault_class: body.faultClass, work_done: body.workDone, updated_at: now, updated_by: actor.id };
      if (current) {
        const res = await trx.updateTable('visit_reports').set({ ...values, version: version + 1 }).where('visit_id', '=', id).where('version', '=', version).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: version });
      } else await trx.insertInto('visit_reports').values({ visit_id: id, ...values, version: 1 }).execute();
      await appendEvent(trx, visit.ticket_id, now, actor.id, 'visit_report_saved', { internal: true, details: { visitId: id, fields: changed, faultClass: body.faultClass } });
    });
  }

  /**
   * Parts used on site: consumed through the parts module, from the visit's reservation first (at the location it is
   * reserved, else the engineer's van), the rest from free stock there. A retry with the same Idempotency-Key answers
   * the first move; more than reserved + free is refused by the stock rules (409 naming the part).
   */
  async useParts(actor: Actor, id: number, body: z.infer<typeof PartsUsedBody>, key: string | undefined, lang: Language): Promise<void> {
    const now = this.ctx.clock.now();
    await this.tickets.tx(async (trx, notified) => {
      const visit = await this.ownVisit(trx, actor, id);
      this.requireOnSite(visit, lang);
      const held = ((await heldBy(trx, [id])).get(id) ?? []).filter((h) => h.partId === body.partId);
      const van = await vanOf(trx, actor.id);
      const from = body.locationId ?? held[0]?.locationId ?? van;
      if (from === null) throw Invalid({ locationId: 'field.visit_no_van' });
      // The engineer may take from their own van, or from where the visit's own reservation of the part is.
      if (from !== van && !held.some((h) => h.locationId === from)) throw Forbidden('error.stock_move_forbidden');
      const ticket = { ticketNumber: visit.number };
      const move = await this.moves.applyIn(trx, actor, { kind: 'consume', partId: body.partId, qty: body.qty, fromLocationId: from, visitId: id, ...ticket }, key, notified, { authorized: true });
      if (!move.created) return;
      const part = await trx.selectFrom('parts').select(['code', 'unit_cost']).where('id', '=', body.partId).executeTakeFirstOrThrow();
      await appendEvent(trx, visit.ticket_id, now, actor.id, 'visit_part_used', { internal: true, details: { visitId: id, partId: body.partId, partCode: part.code, qty: body.qty, unitCost: part.unit_cost, locationId: from, moveId: move.id } });
    });
  }

  /** A photo of the job (the phone's camera): an image attachment of the ticket, staff-only, linked to the visit. */
  async addPhoto(actor: Actor, id: number, file: Upload, lang: Language, key?: string) {
    const visit = await this.ownVisit(this.ctx.db.read, actor, id);
    // A replay (the phone's outbox, a retry after a lost answer) gets the photo it made, even after the engineer left.
    const prior = await this.replayed(actor, visit.number, file, key);
    if (prior) return prior;
    this.requireOnSite(visit, lang);
    return (await this.attachments.upload(actor, visit.number, file, true, key, {
      check: (type) => (type.startsWith('image/') ? null : new AppError(415, 'unsupported_media_type', 'error.visit_photo_type', {}, { file: 'error.visit_photo_type' })),
      link: async (trx, attachmentId) => {
        await trx.insertInto('visit_attachments').values({ attachment_id: attachmentId, visit_id: id, kind: 'photo' }).execute();
        await appendEvent(trx, visit.ticket_id, this.ctx.clock.now(), actor.id, 'visit_photo_added', { internal: true, details: { visitId: id, attachmentId } });
      },
    })).attachment;
  }

  /**
   * The customer's signature (a PNG drawn on the engineer's phone, at most SIGNATURE_MAX_BYTES): stored as a
   * staff-only attachment linked to the visit, and it records the 'signed' step (after the work is done, once).
   */
  async sign(actor: Actor, id: number, file: Upload, lang: Language, opts: { key?: string; at?: string } = {}) {
    const visit = await this.ownVisit(this.ctx.db.read, actor, id);
    const prior = await this.replayed(actor, visit.number, file, opts.key);
    if (prior) return prior;
    if (visit.signed_at !== null) throw Conflict('conflict', 'error.visit_already_signed');
    const engineer = actor.name;
    const pressed = opts.at === undefined ? undefined : Date.parse(opts.at);
    return (await this.attachments.upload(actor, visit.number, { ...file, filename: `signature-visit-${id}.png` }, true, opts.key, {
      check: (type, size) => {
        if (type !== 'image/png') return new AppError(415, 'unsupported_media_type', 'error.signature_type', {}, { file: 'error.signature_type' });
        if (size > SIGNATURE_MAX_BYTES) return new AppError(413, 'payload_too_large', 'error.signature_too_large', { max: SIGNATURE_MAX_BYTES / 1024 }, { file: { key: 'error.signature_too_large', params: { max: SIGNATURE_MAX_BYTES / 1024 } } });
        return null;
      },
      link: async (trx, attachmentId) => {
        const row = await this.visits.lockedRow(trx, id);
        if (row.signed_at !== null) throw Conflict('conflict', 'error.visit_already_signed');
        await trx.insertInto('visit_attachments').values({ attachment_id: attachmentId, visit_id: id, kind: 'signature' }).execute();
        // The step is recorded in this transaction: a signature without its step (or the other way) never stays.
        await this.visits.stepIn(trx, actor, row, 'signed', lang, new Set(), engineer, pressed);
      },
    })).attachment;
  }

  /** The file an upload with this Idempotency-Key already made (its new bytes are drained and dropped). */
  private async replayed(actor: Actor, number: string, file: Upload, key: string | undefined) {
    if (!key) return undefined;
    const prior = await this.attachments.replay(actor, number, key);
    if (prior) file.stream.resume();
    return prior;
  }
}

/** The fault classes the visit reports of these tickets name (the repeat-repair check counts them as the ticket's). */
export async function visitFaultClasses(db: Kysely<DB>, ticketIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (ticketIds.length === 0) return out;
  const rows = await db
    .selectFrom('visit_reports')
    .innerJoin('visits', 'visits.id', 'visit_reports.visit_id')
    .select(['visits.ticket_id', 'visit_reports.fault_class'])
    .where('visits.ticket_id', 'in', ticketIds)
    .where('visit_reports.fault_class', 'is not', null)
    .execute();
  for (const r of rows) out.set(r.ticket_id, [...(out.get(r.ticket_id) ?? []), r.fault_class!]);
  return out;
}
