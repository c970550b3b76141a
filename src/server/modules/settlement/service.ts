// Settlement (收费与结算, issue 16): the month's finished visits with their charges and parts for the settlement
// reviewer (审核结算), the decision on each (held only for the charges and parts it saw), and the month's settlement
// per engineer and per service provider. Reads the visits, visit-report (visit_charges) and parts (stock_moves)
// tables; writes only its own settlement_reviews and the ticket's timeline.
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { MonthlySettlement, MonthlySettlementQuery, SettlementDecisionBody, SettlementItem, SettlementQuery } from '../../../shared/settlement.js';
import type { AppContext } from '../../context.js';
import { readSql } from '../../db/fast.js';
import { can, type Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { localMidnight } from '../../domain/schedule.js';
import { fingerprint, monthBounds, reviewState, settle, settleAll, type SettlementVisit } from '../../domain/settlement.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import { appendEvent } from '../tickets/repo.js';
import type { FieldConfig } from '../visits/field.js';

type VisitRow = {
  visit_id: number;
  ticket_id: number;
  number: string;
  title: string;
  customer_name: string;
  engineer_id: number;
  engineer_name: string;
  provider_id: number | null;
  provider_name: string | null;
  left_at: number;
  warranty_status: string | null;
  total: number | null;
  paid_amount: number | null;
  paid_method: string | null;
  receipt_number: string | null;
  lines: string | null;
  charges_version: number | null;
};
type PartRow = { visit_id: number; part_id: number; code: string; name_zh: string; name_en: string | null; qty: number | string; cost: number | string };
type ReviewRow = { visit_id: number; state: 'approved' | 'rejected'; note: string | null; fingerprint: string; reviewed_by: number; reviewer_name: string; reviewed_at: number };

const VISITS_SQL =
  'SELECT v.id AS visit_id, v.ticket_id, t.number, t.title, c.name AS customer_name, v.engineer_id, u.display_name AS engineer_name, ' +
  'u.provider_id, sp.name AS provider_name, v.left_at, vc.warranty_status, vc.total, vc.paid_amount, vc.paid_method, vc.receipt_number, vc.lines, ' +
  'vc.version AS charges_version ' +
  'FROM visits v JOIN tickets t ON t.id = v.ticket_id JOIN customers c ON c.id = t.customer_id JOIN users u ON u.id = v.engineer_id ' +
  'LEFT JOIN service_providers sp ON sp.id = u.provider_id LEFT JOIN visit_charges vc ON vc.visit_id = v.id ' +
  'WHERE v.left_at >= ? AND v.left_at < ? AND v.cancelled_at IS NULL';

/** A job's parts: what was consumed on it, less what came back unused from it (a return with the visit, no source). */
const PARTS_SQL = (n: number) =>
  'SELECT m.visit_id, m.part_id, p.code, p.name_zh, p.name_en, ' +
  "SUM(CASE WHEN m.kind = 'consume' THEN m.qty ELSE -m.qty END) AS qty, SUM(CASE WHEN m.kind = 'consume' THEN m.qty ELSE -m.qty END * m.unit_cost) AS cost " +
  'FROM stock_moves m JOIN parts p ON p.id = m.part_id ' +
  `WHERE m.visit_id IN (${Array.from({ length: n }, () => '?').join(', ')}) AND (m.kind = 'consume' OR (m.kind = 'return' AND m.from_location_id IS NULL)) ` +
  'GROUP BY m.visit_id, m.part_id, p.code, p.name_zh, p.name_en';

const REVIEWS_SQL = (n: number) =>
  'SELECT r.visit_id, r.state, r.note, r.fingerprint, r.reviewed_by, u.display_name AS reviewer_name, r.reviewed_at ' +
  `FROM settlement_reviews r JOIN users u ON u.id = r.reviewed_by WHERE r.visit_id IN (${Array.from({ length: n }, () => '?').join(', ')})`;

type Line = { kind: string; amount: number };

export class SettlementService {
  constructor(
    private readonly ctx: AppContext,
    private readonly field: FieldConfig,
  ) {}

  static requireReviewer(actor: Actor) {
    if (!can(actor, 'settlement.review')) throw Forbidden();
  }

  private async range(month: string) {
    const { timeZone } = await this.field.calendar();
    const { first, next } = monthBounds(month);
    return { from: localMidnight(timeZone, first), to: localMidnight(timeZone, next) };
  }

  /** The month's finished visits (the engineer recorded leaving), newest first, with the state of their review. */
  private async items(month: string, lang: Language, only: { visitId?: number } = {}): Promise<SettlementItem[]> {
    const { from, to } = await this.range(month);
    const rows = only.visitId
      ? await readSql<VisitRow>(this.ctx.db, `${VISITS_SQL} AND v.id = ?`, [from, to, only.visitId])
      : await readSql<VisitRow>(this.ctx.db, `${VISITS_SQL} ORDER BY v.left_at DESC, v.id DESC`, [from, to]);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.visit_id);
    const parts = await readSql<PartRow>(this.ctx.db, PARTS_SQL(ids.length), ids);
    const reviews = new Map((await readSql<ReviewRow>(this.ctx.db, REVIEWS_SQL(ids.length), ids)).map((r) => [r.visit_id, r]));
    const partsOf = new Map<number, PartRow[]>();
    for (const p of parts) if (Number(p.qty) !== 0) partsOf.set(p.visit_id, [...(partsOf.get(p.visit_id) ?? []), p]);
    return rows.map((r) => {
      const used = (partsOf.get(r.visit_id) ?? []).map((p) => ({ partId: p.part_id, code: p.code, name: lang === 'en' && p.name_en ? p.name_en : p.name_zh, qty: Number(p.qty), cost: Number(p.cost) }));
      const lines = r.lines ? (JSON.parse(r.lines) as Line[]) : [];
      const sum = (kinds: string[]) => lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.amount, 0);
      const print = fingerprint(r.charges_version, used);
      const review = reviews.get(r.visit_id) ?? null;
      return {
        visitId: r.visit_id,
        ticketNumber: r.number,
        ticketTitle: r.title,
        customerName: r.customer_name,
        engineer: { id: r.engineer_id, name: r.engineer_name },
        provider: r.provider_id !== null && r.provider_name !== null ? { id: r.provider_id, name: r.provider_name } : null,
        finishedAt: iso(r.left_at),
        warrantyStatus: (r.warranty_status as SettlementItem['warrantyStatus']) ?? null,
        charged: r.total ?? 0,
        collected: r.paid_amount ?? 0,
        paymentMethod: r.paid_method,
        receiptNumber: r.receipt_number,
        labour: sum(['callout', 'labour']),
        partsBilled: sum(['part']),
        partsCost: used.reduce((s, p) => s + p.cost, 0),
        parts: used,
        state: reviewState(review, print),
        review: review ? { state: review.state, note: review.note, by: { id: review.reviewed_by, name: review.reviewer_name }, at: iso(review.reviewed_at), stale: review.fingerprint !== print } : null,
        fingerprint: print,
      };
    });
  }

  async list(actor: Actor, q: z.infer<typeof SettlementQuery>, lang: Language) {
    SettlementService.requireReviewer(actor);
    const items = (await this.items(q.month, lang)).filter(
      (i) => (!q.state || i.state === q.state) && (!q.engineerId || i.engineer.id === q.engineerId) && (!q.providerId || i.provider?.id === q.providerId),
    );
    return { month: q.month, items };
  }

  /**
   * Approves or rejects a visit's charges and parts as listed (the fingerprint): a decision on something that changed
   * meanwhile is refused, and the same decision again changes nothing (a retry). Lands in the ticket's timeline.
   */
  async decide(actor: Actor, visitId: number, body: z.infer<typeof SettlementDecisionBody>, lang: Language) {
    SettlementService.requireReviewer(actor);
    if (body.decision === 'rejected' && !body.note?.trim()) throw Invalid({ note: 'field.settlement_reason' });
    const visit = await this.ctx.db.read.selectFrom('visits').select(['id', 'ticket_id', 'left_at', 'cancelled_at']).where('id', '=', visitId).executeTakeFirst();
    if (!visit) throw NotFound();
    if (visit.left_at === null || visit.cancelled_at !== null) throw Conflict('invalid_transition', 'error.settlement_not_finished');
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: (await this.field.calendar()).timeZone, year: 'numeric', month: '2-digit' }).format(visit.left_at);
    const [item] = await this.items(month, lang, { visitId });
    if (!item) throw NotFound();
    if (item.fingerprint !== body.fingerprint) throw Conflict('stale_version', 'error.settlement_changed');
    if (item.review && !item.review.stale && item.review.state === body.decision && (item.review.note ?? '') === (body.note?.trim() ?? '')) return item;
    const now = this.ctx.clock.now();
    const values = { state: body.decision, note: body.note?.trim() || null, fingerprint: body.fingerprint, reviewed_by: actor.id, reviewed_at: now };
    await this.ctx.db.write(async (trx) => {
      await trx
        .insertInto('settlement_reviews')
        .values({ visit_id: visitId, ...values })
        .onConflict((oc) => oc.column('visit_id').doUpdateSet(values))
        .execute();
      await appendEvent(trx, visit.ticket_id, now, actor.id, 'settlement_reviewed', {
        internal: true,
        note: values.note ?? undefined,
        details: { visitId, decision: body.decision, charged: item.charged, collected: item.collected, partsCost: item.partsCost },
      });
    });
    const [after] = await this.items(month, lang, { visitId });
    return after!;
  }

  /** The month per engineer or per provider (the company's own engineers under one row). */
  async monthly(actor: Actor, q: z.infer<typeof MonthlySettlementQuery>, lang: Language): Promise<MonthlySettlement> {
    SettlementService.requireReviewer(actor);
    const items = await this.items(q.month, lang);
    const visits: (SettlementVisit & { state: SettlementItem['state'] })[] = items.map((i) => ({
      visitId: i.visitId,
      engineerId: i.engineer.id,
      providerId: i.provider?.id ?? null,
      charged: i.charged,
      collected: i.collected,
      labour: i.labour,
      partsCost: i.partsCost,
      partsBilled: i.partsBilled,
      fingerprint: i.fingerprint,
      state: i.state,
    }));
    const names = new Map<number | null, string>();
    for (const i of items) {
      if (q.by === 'engineer') names.set(i.engineer.id, i.engineer.name);
      else names.set(i.provider?.id ?? null, i.provider?.name ?? t(lang, 'settlement.own_staff'));
    }
    const groups = settle(visits, q.by);
    const rows = [...groups].map(([id, totals]) => ({ id, name: names.get(id) ?? '', ...totals })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    return { month: q.month, by: q.by, rows, total: settleAll(visits) };
  }
}
