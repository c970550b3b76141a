// An RMA as staff see it and as its customer sees it in the portal (customer-safe: no checklist, no staff text or
// names, the rejection reason only because it is the answer the customer was sent).
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { PortalRma, Rma } from '../../../shared/returns.js';
import type { DB, RmaItemsTable, RmasTable } from '../../db/schema.js';
import { can, type Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { actionsFor, earliestWindow, eligibility, returnWindow, type Checklist, type RmaKind, type RmaStatus, type ReturnWindow } from '../../domain/returns.js';
import type { TicketCore } from '../tickets/core.js';

export type RmaRow = Selectable<RmasTable>;
export type RmaItemRow = Selectable<RmaItemsTable>;
export type RmaListRow = RmaRow & { number: string; title: string; customer_name: string };

export function selectRmas(db: Kysely<DB>) {
  return db
    .selectFrom('rmas')
    .innerJoin('tickets', 'tickets.id', 'rmas.ticket_id')
    .innerJoin('customers', 'customers.id', 'rmas.customer_id')
    .selectAll('rmas')
    .select(['tickets.number', 'tickets.title', 'customers.name as customer_name']);
}

const bool = (v: number | null) => (v === null ? null : v === 1);

export function checklistOf(r: Pick<RmaRow, 'chk_appearance' | 'chk_accessories' | 'chk_proof' | 'chk_damage'>): Checklist {
  return { appearanceIntact: bool(r.chk_appearance), accessoriesComplete: bool(r.chk_accessories), proofOfPurchase: bool(r.chk_proof), noManMadeDamage: bool(r.chk_damage) };
}

export interface ItemFacts {
  rows: RmaItemRow[];
  /** products.return_days per model. */
  windowDays: Map<string, number>;
  /** Serial numbers of the replacement units. */
  replacementSerials: Map<number, string | null>;
}

export async function itemFacts(db: Kysely<DB>, rmaIds: number[]): Promise<Map<number, ItemFacts>> {
  const out = new Map<number, ItemFacts>();
  if (rmaIds.length === 0) return out;
  const rows = await db.selectFrom('rma_items').selectAll().where('rma_id', 'in', rmaIds).orderBy('id').execute();
  const models = [...new Set(rows.map((r) => r.product_model))];
  const products = models.length ? await db.selectFrom('products').select(['model', 'return_days']).where('model', 'in', models).execute() : [];
  const windowDays = new Map(products.map((p) => [p.model, p.return_days]));
  const replIds = rows.map((r) => r.replacement_unit_id).filter((x): x is number => x !== null);
  const repl = replIds.length ? await db.selectFrom('units').select(['id', 'serial_number']).where('id', 'in', replIds).execute() : [];
  const replacementSerials = new Map(repl.map((u) => [u.id, u.serial_number]));
  for (const id of rmaIds) out.set(id, { rows: rows.filter((r) => r.rma_id === id), windowDays, replacementSerials });
  return out;
}

export function itemWindow(item: Pick<RmaItemRow, 'purchase_date' | 'product_model'>, windowDays: Map<string, number>, today: string): ReturnWindow {
  return returnWindow(item.purchase_date, windowDays.get(item.product_model) ?? null, today);
}

type UserRefFn = TicketCore['userRef'];

export async function toRma(r: RmaListRow, facts: ItemFacts, actor: Actor, today: string, userRef: UserRefFn, location: { id: number; code: string; name: string } | null): Promise<Rma> {
  const kind = r.kind as RmaKind;
  const status = r.status as RmaStatus;
  const items = facts.rows.map((i) => ({
    id: i.id,
    unitId: i.unit_id,
    orderNumber: i.order_number,
    productModel: i.product_model,
    serialNumber: i.serial_number,
    qty: i.qty,
    purchaseDate: i.purchase_date,
    window: itemWindow(i, facts.windowDays, today),
    replacement: i.replacement_unit_id !== null ? { unitId: i.replacement_unit_id, serialNumber: facts.replacementSerials.get(i.replacement_unit_id) ?? null } : null,
  }));
  const window = earliestWindow(items.map((i) => i.window));
  const checklist = checklistOf(r);
  const e = eligibility(kind, checklist, window);
  const times: Record<string, string> = { requested: iso(r.created_at) };
  const stamp = (k: string, v: number | null) => {
    if (v !== null) times[k] = iso(v);
  };
  if (status === 'rejected') stamp('rejected', r.decided_at);
  else stamp('approved', r.decided_at);
  stamp('in_transit', r.in_shipped_at);
  stamp('received', r.received_at);
  stamp(kind === 'return' ? 'refunded' : 'resolved', r.outcome_at);
  stamp('shipped_back', r.shipped_out_at);
  stamp('completed', r.completed_at);
  stamp('cancelled', r.cancelled_at);
  const actions = can(actor, 'returns.write') ? actionsFor(kind, status).filter((a) => (a === 'approve' || a === 'reject' ? can(actor, 'returns.approve') : true)) : [];
  return {
    id: r.id,
    ticketNumber: r.number,
    ticketTitle: r.title,
    customer: { id: r.customer_id, name: r.customer_name },
    kind,
    status,
    reason: r.reason,
    items,
    checklist,
    checklistNote: r.checklist_note,
    window,
    windowOverrideReason: r.window_override_reason,
    eligibility: e,
    decision: r.decided_at !== null ? { by: await userRef(r.decided_by), at: iso(r.decided_at), reason: r.decision_reason } : null,
    inbound: r.in_tracking ? { carrier: r.in_carrier ?? '', trackingNumber: r.in_tracking, at: r.in_shipped_at !== null ? iso(r.in_shipped_at) : null } : null,
    outbound: r.out_tracking ? { carrier: r.out_carrier ?? '', trackingNumber: r.out_tracking, at: r.shipped_out_at !== null ? iso(r.shipped_out_at) : null } : null,
    received: r.received_at !== null ? { at: iso(r.received_at), by: await userRef(r.received_by), location } : null,
    outcome: r.outcome_at !== null ? { at: iso(r.outcome_at), by: await userRef(r.outcome_by), refundFen: r.refund_fen, note: r.outcome_note } : null,
    times,
    actions,
    canApprove: can(actor, 'returns.approve'),
    cancelReason: r.cancel_reason,
    createdBy: await userRef(r.created_by),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    version: r.version,
  };
}

export function toPortalRma(r: RmaRow, facts: ItemFacts): z.infer<typeof PortalRma> {
  return {
    id: r.id,
    kind: r.kind as RmaKind,
    status: r.status as RmaStatus,
    items: facts.rows.map((i) => ({
      productModel: i.product_model,
      serialNumber: i.serial_number,
      orderNumber: i.order_number,
      qty: i.qty,
      replacementSerial: i.replacement_unit_id !== null ? (facts.replacementSerials.get(i.replacement_unit_id) ?? null) : null,
    })),
    inbound: r.in_tracking ? { carrier: r.in_carrier ?? '', trackingNumber: r.in_tracking } : null,
    outbound: r.out_tracking ? { carrier: r.out_carrier ?? '', trackingNumber: r.out_tracking } : null,
    refundFen: r.status === 'completed' || r.status === 'resolved' ? r.refund_fen : null,
    rejectionReason: r.status === 'rejected' ? r.decision_reason : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
