// Stock moves: one request = one ledger row and the balance changes domain/stock.ts allows, in one transaction.
// Concurrency: the touched stock rows are locked (PostgreSQL: SELECT … FOR UPDATE in location order; SQLite: the
// single writer of a group-commit batch), and every UPDATE is also guarded by its own condition, so two requests for
// the last unit cannot both succeed. A retry with the same Idempotency-Key answers the move it made before.
import { sql, type Kysely } from 'kysely';
import type { Move, MoveBody, MovesQuery, StockRow } from '../../../shared/parts.js';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { canMoveStock, type Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoString as iso } from '../../domain/iso.js';
import { EMPTY, lowStockCrossing, planMove, type Balance, type MoveRequest, type StockError } from '../../domain/stock.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import type { NotifyService } from '../notify/service.js';
import type { TicketCore } from '../tickets/core.js';
import { effectiveThreshold, type LocationRow, type PartRow, type PartsCatalog } from './catalog.js';

type Ref = { ticketId: number | null; visitId: number | null };

export class StockMoves {
  constructor(
    private readonly ctx: AppContext,
    private readonly core: TicketCore,
    private readonly catalog: PartsCatalog,
    private readonly notify: NotifyService,
  ) {}

  /** The body as a domain move (what a reference holds reserved is filled in once its rows are locked). */
  private request(b: MoveBody): MoveRequest {
    const need = (v: number | null | undefined, field: string): number => {
      if (v === undefined || v === null) throw Invalid({ [field]: 'field.required' });
      return v;
    };
    const needsRef = b.kind === 'reserve' || b.kind === 'release' || b.kind === 'consume' || (b.kind === 'return' && !b.fromLocationId);
    if (needsRef && !b.ticketNumber && !b.visitId) throw Invalid({ ticketNumber: 'field.stock_reference_required' });
    if (b.kind === 'adjust') {
      if (!b.reason) throw Invalid({ reason: 'field.adjust_reason_required' });
      return { kind: 'adjust', counted: need(b.countedQty, 'countedQty'), at: need(b.toLocationId ?? b.fromLocationId, 'toLocationId') };
    }
    const qty = need(b.qty, 'qty');
    switch (b.kind) {
      case 'receive':
        return { kind: 'receive', qty, to: need(b.toLocationId, 'toLocationId') };
      case 'transfer':
        return { kind: 'transfer', qty, from: need(b.fromLocationId, 'fromLocationId'), to: need(b.toLocationId, 'toLocationId') };
      case 'return':
        return { kind: 'return', qty, from: b.fromLocationId ?? null, to: need(b.toLocationId, 'toLocationId') };
      case 'reserve':
        return { kind: 'reserve', qty, from: need(b.fromLocationId, 'fromLocationId') };
      case 'release':
        return { kind: 'release', qty, from: need(b.fromLocationId, 'fromLocationId'), reservedForRef: 0 };
      case 'consume':
        return { kind: 'consume', qty, from: need(b.fromLocationId, 'fromLocationId'), reservedForRef: 0 };
    }
  }

  private refusal(e: StockError, part: PartRow, locs: Map<number, LocationRow>): AppError {
    const location = 'location' in e ? (locs.get(e.location)?.name ?? '') : '';
    const partName = `${part.code} ${part.name_zh}`;
    switch (e.code) {
      case 'insufficient_stock': {
        const params = { part: partName, location, available: e.available, requested: e.requested };
        return new AppError(409, 'insufficient_stock', 'error.insufficient_stock', params, { qty: { key: 'field.insufficient_stock', params } });
      }
      case 'insufficient_reserved':
        return Conflict('conflict', 'error.insufficient_reserved', { part: partName, location, reserved: e.reserved, requested: e.requested });
      case 'below_reserved':
        return Conflict('conflict', 'error.count_below_reserved', { part: partName, location, reserved: e.reserved, counted: e.counted });
      case 'no_change':
        return Invalid({ countedQty: 'field.count_unchanged' });
      case 'same_location':
        return Invalid({ toLocationId: 'field.same_location' });
      case 'invalid_quantity':
        return Invalid({ qty: { key: 'field.too_small', params: { min: 1 } } });
    }
  }

  async move(actor: Actor, body: MoveBody, idempotencyKey: string | undefined): Promise<{ move: Move; balances: StockRow[]; created: boolean }> {
    requireAccess(actor, 'parts.read');
    const notified = new Set<number>();
    const run = () => this.ctx.db.write((trx) => this.apply(trx, actor, body, idempotencyKey, notified));
    let result: { id: number; created: boolean };
    try {
      result = await run();
    } catch (e) {
      // PostgreSQL: a concurrent retry with the same key committed first and ours rolled back whole: answer with theirs.
      if (idempotencyKey && isUniqueViolation(e)) result = await run();
      else throw e;
    }
    if (notified.size > 0) this.notify.publish([...notified]);
    const db = this.ctx.db.read;
    const row = await db.selectFrom('stock_moves').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    const part = await this.catalog.part(db, row.part_id);
    const locIds = [row.from_location_id, row.to_location_id].filter((x): x is number => x !== null);
    const stock = (await this.catalog.stockOf(db, { partIds: [row.part_id] })).filter((s) => locIds.includes(s.location_id));
    return { move: (await this.dtos(db, [row]))[0]!, balances: await Promise.all(stock.map((s) => this.catalog.stockRowDto(part, s))), created: result.created };
  }

  /**
   * One move inside a caller's transaction (a visit's booking reserves, its report consumes). `authorized`: the caller
   * has already decided the actor may move this stock (the visit's engineer using what was reserved for the visit).
   */
  applyIn(trx: Kysely<DB>, actor: Actor, body: MoveBody, key: string | undefined, notified: Set<number>, opts: { authorized?: boolean } = {}): Promise<{ id: number; created: boolean }> {
    return this.apply(trx, actor, body, key, notified, opts.authorized ?? false);
  }

  private async apply(trx: Kysely<DB>, actor: Actor, body: MoveBody, key: string | undefined, notified: Set<number>, authorized = false): Promise<{ id: number; created: boolean }> {
    const now = this.ctx.clock.now();
    if (key) {
      const prior = await trx.selectFrom('stock_moves').select('id').where('created_by', '=', actor.id).where('idempotency_key', '=', key).executeTakeFirst();
      if (prior) return { id: prior.id, created: false };
    }
    const part = await this.catalog.part(trx, body.partId);
    const ref = await this.reference(trx, body);
    let req = this.request(body);
    const locIds = [...new Set(locationsOf(req))].sort((a, b) => a - b);
    const locs = new Map<number, LocationRow>();
    for (const id of locIds) {
      const l = await this.catalog.location(trx, id);
      if (l.active !== 1) throw Conflict('conflict', 'error.location_inactive', { location: l.name });
      locs.set(id, l);
    }
    if (!authorized && !canMoveStock(actor, req.kind, [...locs.values()].map((l) => ({ kind: l.kind as 'warehouse' | 'van', ownerId: l.owner_id })))) throw Forbidden('error.stock_move_forbidden');
    if (part.active !== 1 && (req.kind === 'receive' || req.kind === 'reserve')) throw Conflict('conflict', 'error.part_inactive', { part: part.code });

    // Rows for every location the move names, then locked in one order (no deadlock between two transfers).
    await trx
      .insertInto('part_stock')
      .values(locIds.map((l) => ({ part_id: part.id, location_id: l, on_hand: 0, reserved: 0, threshold: null, low_alerted: 0, updated_at: now })))
      .onConflict((oc) => oc.columns(['part_id', 'location_id']).doNothing())
      .execute();
    let lock = trx.selectFrom('part_stock').selectAll().where('part_id', '=', part.id).where('location_id', 'in', locIds).orderBy('location_id');
    if (this.ctx.db.dialect === 'postgres') lock = lock.forUpdate();
    const rows = new Map((await lock.execute()).map((r) => [r.location_id, r]));
    if (req.kind === 'release' || req.kind === 'consume') req = { ...req, reservedForRef: await this.reservedFor(trx, part.id, req.from, ref) };

    const plan = planMove((l) => {
      const r = rows.get(l);
      return r ? { onHand: r.on_hand, reserved: r.reserved } : EMPTY;
    }, req);
    if (!plan.ok) throw this.refusal(plan.error, part, locs);

    for (const [loc, after] of plan.balances) {
      const before = rows.get(loc)!;
      const dOn = after.onHand - before.on_hand;
      const dRes = after.reserved - before.reserved;
      // Guarded by the row's own condition too: whatever the isolation, the update cannot take stock that is not there.
      const res = await trx
        .updateTable('part_stock')
        .set({ on_hand: sql`on_hand + ${dOn}`, reserved: sql`reserved + ${dRes}`, updated_at: now })
        .where('part_id', '=', part.id)
        .where('location_id', '=', loc)
        .where(sql<boolean>`on_hand + ${dOn} >= reserved + ${dRes} AND reserved + ${dRes} >= 0`)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) {
        throw this.refusal({ code: 'insufficient_stock', location: loc, available: before.on_hand - before.reserved, requested: 'qty' in req ? req.qty : 0 }, part, locs);
      }
    }
    const e = plan.entry;
    const { id } = await trx
      .insertInto('stock_moves')
      .values({
        part_id: part.id,
        kind: e.kind,
        qty: e.qty,
        from_location_id: e.from,
        to_location_id: e.to,
        reserved_delta: e.reservedDelta,
        unit_cost: part.unit_cost,
        ticket_id: ref.ticketId,
        visit_id: ref.visitId,
        reason: body.reason ?? null,
        created_by: actor.id,
        created_at: now,
        idempotency_key: key ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [loc, after] of plan.balances) await this.checkLow(trx, part, locs.get(loc)!, rows.get(loc)!, after, id, notified);
    return { id, created: true };
  }

  private async reference(trx: Kysely<DB>, body: MoveBody): Promise<Ref> {
    let ticketId: number | null = null;
    if (body.ticketNumber) {
      const t = await trx.selectFrom('tickets').select('id').where('number', '=', body.ticketNumber).executeTakeFirst();
      if (!t) throw NotFound('error.ticket_not_found', { number: body.ticketNumber });
      ticketId = t.id;
    }
    return { ticketId, visitId: body.visitId ?? null };
  }

  /** What a reference still holds reserved at a location: its reservations less releases and consumption from them. */
  private async reservedFor(trx: Kysely<DB>, partId: number, loc: number, ref: Ref): Promise<number> {
    let q = trx
      .selectFrom('stock_moves')
      .select((eb) => eb.fn.sum<number>('reserved_delta').as('held'))
      .where('part_id', '=', partId)
      .where('from_location_id', '=', loc);
    // A visit's reservation is the visit's; without a visit, the ticket's.
    q = ref.visitId !== null ? q.where('visit_id', '=', ref.visitId) : q.where('ticket_id', '=', ref.ticketId!);
    const r = await q.executeTakeFirst();
    return Math.max(0, Number(r?.held ?? 0));
  }

  /** A low-stock alert once per crossing: when available falls below the threshold; the flag clears when it is back. */
  private async checkLow(trx: Kysely<DB>, part: PartRow, loc: LocationRow, before: { threshold: number | null; low_alerted: number }, after: Balance, moveId: number, notified: Set<number>) {
    const threshold = effectiveThreshold(part, loc, before.threshold);
    const available = after.onHand - after.reserved;
    const crossing = lowStockCrossing(available, threshold, before.low_alerted === 1);
    if (!crossing) return;
    await trx.updateTable('part_stock').set({ low_alerted: crossing === 'alert' ? 1 : 0 }).where('part_id', '=', part.id).where('location_id', '=', loc.id).execute();
    if (crossing === 'clear') return;
    const managers = await trx.selectFrom('users').select('id').where('role', '=', 'manager').where('active', '=', 1).execute();
    const userIds = [...managers.map((m) => m.id), ...(loc.owner_id !== null ? [loc.owner_id] : [])];
    const fresh = await this.notify.enqueue(trx, {
      userIds,
      kind: 'low_stock',
      dedupeKey: `low_stock:${part.id}:${loc.id}:${moveId}`,
      data: { partId: part.id, partCode: part.code, partName: part.name_zh, partNameEn: part.name_en, locationId: loc.id, locationName: loc.name, available, threshold },
    });
    for (const u of fresh) notified.add(u);
  }

  // ------------------------------------------------------------ reading

  async dtos(db: Kysely<DB>, rows: { id: number; part_id: number; kind: string; qty: number; from_location_id: number | null; to_location_id: number | null; reserved_delta: number; unit_cost: number; ticket_id: number | null; visit_id: number | null; reason: string | null; created_by: number; created_at: number }[]): Promise<Move[]> {
    const locIds = [...new Set(rows.flatMap((r) => [r.from_location_id, r.to_location_id]).filter((x): x is number => x !== null))];
    const locs = locIds.length ? await db.selectFrom('stock_locations').select(['id', 'code', 'name', 'kind']).where('id', 'in', locIds).execute() : [];
    const ticketIds = [...new Set(rows.map((r) => r.ticket_id).filter((x): x is number => x !== null))];
    const tickets = ticketIds.length ? await db.selectFrom('tickets').select(['id', 'number']).where('id', 'in', ticketIds).execute() : [];
    const partIds = [...new Set(rows.map((r) => r.part_id))];
    const parts = partIds.length ? await db.selectFrom('parts').select(['id', 'code']).where('id', 'in', partIds).execute() : [];
    const place = (id: number | null) => {
      const l = id === null ? undefined : locs.find((x) => x.id === id);
      return l ? { id: l.id, code: l.code, name: l.name, kind: l.kind as 'warehouse' | 'van' } : null;
    };
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        partId: r.part_id,
        partCode: parts.find((p) => p.id === r.part_id)?.code ?? '',
        kind: r.kind as Move['kind'],
        qty: r.qty,
        from: place(r.from_location_id),
        to: place(r.to_location_id),
        reservedDelta: r.reserved_delta,
        unitCost: r.unit_cost,
        ticketNumber: tickets.find((t) => t.id === r.ticket_id)?.number ?? null,
        visitId: r.visit_id,
        reason: r.reason,
        createdBy: await this.core.userRef(r.created_by),
        createdAt: iso(r.created_at),
      })),
    );
  }

  async list(actor: Actor, q: z.infer<typeof MovesQuery>): Promise<{ items: Move[]; nextCursor: string | null }> {
    requireAccess(actor, 'parts.read');
    const db = this.ctx.db.read;
    let query = db.selectFrom('stock_moves').selectAll();
    if (q.partId !== undefined) query = query.where('part_id', '=', q.partId);
    if (q.locationId !== undefined) query = query.where((eb) => eb.or([eb('from_location_id', '=', q.locationId!), eb('to_location_id', '=', q.locationId!)]));
    if (q.ticketNumber) {
      const t = await db.selectFrom('tickets').select('id').where('number', '=', q.ticketNumber).executeTakeFirst();
      query = query.where('ticket_id', '=', t?.id ?? -1);
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_format' });
      query = query.where('id', '<', c[0] as number);
    }
    const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
    const more = rows.length > q.limit;
    const pageRows = rows.slice(0, q.limit);
    return { items: await this.dtos(db, pageRows), nextCursor: more ? encodeCursor([pageRows[pageRows.length - 1]!.id]) : null };
  }
}

function locationsOf(m: MoveRequest): number[] {
  switch (m.kind) {
    case 'receive':
      return [m.to];
    case 'transfer':
      return [m.from, m.to];
    case 'return':
      return m.from === null ? [m.to] : [m.from, m.to];
    case 'adjust':
      return [m.at];
    default:
      return [m.from];
  }
}
