// The spare parts catalog (code, names, unit of measure, cost and list price in fen, the low-stock threshold, the
// product models it fits) and the stock locations (warehouses, engineers' vans). Stock levels shown with a part are
// summed over its locations; a location is low when its available stock is below its threshold.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { Location, LocationBody, LocationPatchBody, LocationsQuery, Part, PartBody, PartPatchBody, PartsQuery, StockRow, Uom } from '../../../shared/parts.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB, PartsTable, StockLocationsTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoString as iso } from '../../domain/iso.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import type { TicketCore } from '../tickets/core.js';

export type PartRow = Selectable<PartsTable>;
export type LocationRow = Selectable<StockLocationsTable>;
export interface StockJoinRow {
  part_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  threshold: number | null;
}

/** The threshold that applies at a location: its own, else the part's in a warehouse; vans alert only with their own. */
export function effectiveThreshold(part: Pick<PartRow, 'low_stock_threshold'>, loc: Pick<LocationRow, 'kind'>, own: number | null): number | null {
  if (own !== null) return own;
  return loc.kind === 'warehouse' && part.low_stock_threshold > 0 ? part.low_stock_threshold : null;
}

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class PartsCatalog {
  constructor(
    private readonly ctx: AppContext,
    private readonly core: TicketCore,
  ) {}

  // ------------------------------------------------------------ locations

  async locationDto(r: LocationRow): Promise<Location> {
    return { id: r.id, code: r.code, name: r.name, kind: r.kind as Location['kind'], owner: await this.core.userRef(r.owner_id), active: r.active === 1 };
  }

  /** Active locations, warehouses first; `all` adds the ones out of use (for the managers' list). */
  async locations(actor: Actor, q: Partial<z.infer<typeof LocationsQuery>> = {}): Promise<Location[]> {
    requireAccess(actor, 'parts.read');
    let query = this.ctx.db.read.selectFrom('stock_locations').selectAll();
    if (q.active !== 'all') query = query.where('active', '=', 1);
    const rows = await query.orderBy('active', 'desc').orderBy('kind', 'desc').orderBy('code').execute();
    return Promise.all(rows.map((r) => this.locationDto(r)));
  }

  async location(db: Kysely<DB>, locationId: number): Promise<LocationRow> {
    const r = await db.selectFrom('stock_locations').selectAll().where('id', '=', locationId).executeTakeFirst();
    if (!r) throw NotFound('error.location_not_found');
    return r;
  }

  /** A van has an active engineer, a warehouse nobody (checked inside the write: the engineer may just have left). */
  private async checkOwner(trx: Kysely<DB>, kind: string, ownerId: number | null) {
    if (kind === 'van' && ownerId === null) throw Invalid({ ownerId: 'field.van_owner_required' });
    if (kind === 'warehouse' && ownerId !== null) throw Invalid({ ownerId: 'field.warehouse_no_owner' });
    if (ownerId === null) return;
    const owner = await trx.selectFrom('users').select(['role', 'active']).where('id', '=', ownerId).executeTakeFirst();
    if (!owner || owner.active !== 1 || owner.role !== 'engineer') throw Invalid({ ownerId: 'field.van_owner_engineer' });
  }

  async createLocation(actor: Actor, body: z.infer<typeof LocationBody>): Promise<Location> {
    requireAccess(actor, 'parts.manage');
    const ownerId = body.ownerId ?? null;
    try {
      const row = await this.ctx.db.write(async (trx) => {
        await this.checkOwner(trx, body.kind, ownerId);
        return trx
          .insertInto('stock_locations')
          .values({ code: body.code, name: body.name, kind: body.kind, owner_id: ownerId, active: 1, created_at: this.ctx.clock.now() })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return this.locationDto(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw Conflict('conflict', 'error.location_code_taken', { code: body.code });
      throw e;
    }
  }

  /**
   * Renames a location, hands a van to another engineer, or takes a location out of use. Out of use only when it holds
   * nothing: stock totals and moves skip inactive locations, so stock left there would silently drop out of the books.
   */
  async updateLocation(actor: Actor, locationId: number, body: z.infer<typeof LocationPatchBody>): Promise<Location> {
    requireAccess(actor, 'parts.manage');
    try {
      const row = await this.ctx.db.write(async (trx) => {
        const cur = await this.location(trx, locationId);
        const ownerId = body.ownerId === undefined ? cur.owner_id : body.ownerId;
        if (ownerId !== cur.owner_id) await this.checkOwner(trx, cur.kind, ownerId);
        if (body.active === false && cur.active === 1) {
          const held = await trx.selectFrom('part_stock').select('part_id').where('location_id', '=', locationId).where('on_hand', '>', 0).executeTakeFirst();
          if (held) throw Conflict('conflict', 'error.location_holds_stock', { location: cur.name });
        }
        return trx
          .updateTable('stock_locations')
          .set({ code: body.code ?? cur.code, name: body.name ?? cur.name, owner_id: ownerId, active: body.active === undefined ? cur.active : body.active ? 1 : 0 })
          .where('id', '=', locationId)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return this.locationDto(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw Conflict('conflict', 'error.location_code_taken', { code: body.code ?? '' });
      throw e;
    }
  }

  // ------------------------------------------------------------ parts

  async part(db: Kysely<DB>, partId: number): Promise<PartRow> {
    const r = await db.selectFrom('parts').selectAll().where('id', '=', partId).executeTakeFirst();
    if (!r) throw NotFound('error.part_not_found');
    return r;
  }

  /** Stock rows of these parts at active locations, with each location. */
  async stockOf(db: Kysely<DB>, where: { partIds?: number[]; locationId?: number }): Promise<(StockJoinRow & { loc: LocationRow })[]> {
    if (where.partIds && where.partIds.length === 0) return [];
    let q = db
      .selectFrom('part_stock as s')
      .innerJoin('stock_locations as l', 'l.id', 's.location_id')
      .select(['s.part_id', 's.location_id', 's.on_hand', 's.reserved', 's.threshold', 'l.id', 'l.code', 'l.name', 'l.kind', 'l.owner_id', 'l.active', 'l.created_at'])
      .where('l.active', '=', 1);
    if (where.partIds) q = q.where('s.part_id', 'in', where.partIds);
    if (where.locationId !== undefined) q = q.where('s.location_id', '=', where.locationId);
    const rows = await q.orderBy('l.kind', 'desc').orderBy('l.code').execute();
    return rows.map((r) => ({
      part_id: r.part_id,
      location_id: r.location_id,
      on_hand: r.on_hand,
      reserved: r.reserved,
      threshold: r.threshold,
      loc: { id: r.id, code: r.code, name: r.name, kind: r.kind, owner_id: r.owner_id, active: r.active, created_at: r.created_at },
    }));
  }

  async stockRowDto(part: PartRow, s: StockJoinRow & { loc: LocationRow }): Promise<StockRow> {
    const threshold = effectiveThreshold(part, s.loc, s.threshold);
    const available = s.on_hand - s.reserved;
    return {
      partId: part.id,
      partCode: part.code,
      partNameZh: part.name_zh,
      partNameEn: part.name_en,
      uom: part.uom as Uom,
      location: await this.locationDto(s.loc),
      onHand: s.on_hand,
      reserved: s.reserved,
      available,
      threshold,
      ownThreshold: s.threshold,
      low: threshold !== null && available < threshold,
    };
  }

  private async dtos(db: Kysely<DB>, rows: PartRow[]): Promise<Part[]> {
    const ids = rows.map((r) => r.id);
    const models = ids.length ? await db.selectFrom('part_products').selectAll().where('part_id', 'in', ids).orderBy('product_model').execute() : [];
    const stock = await this.stockOf(db, { partIds: ids });
    return rows.map((r) => {
      const mine = stock.filter((s) => s.part_id === r.id);
      const onHand = mine.reduce((n, s) => n + s.on_hand, 0);
      const reserved = mine.reduce((n, s) => n + s.reserved, 0);
      const lowAt = mine.filter((s) => {
        const th = effectiveThreshold(r, s.loc, s.threshold);
        return th !== null && s.on_hand - s.reserved < th;
      });
      return {
        id: r.id,
        code: r.code,
        nameZh: r.name_zh,
        nameEn: r.name_en,
        uom: r.uom as Uom,
        unitCost: r.unit_cost,
        listPrice: r.list_price,
        lowStockThreshold: r.low_stock_threshold,
        active: r.active === 1,
        productModels: models.filter((m) => m.part_id === r.id).map((m) => m.product_model),
        stock: { onHand, reserved, available: onHand - reserved },
        lowAt: lowAt.map((s) => s.location_id),
        createdAt: iso(r.created_at),
        updatedAt: iso(r.updated_at),
      };
    });
  }

  async get(actor: Actor, partId: number): Promise<Part> {
    requireAccess(actor, 'parts.read');
    const db = this.ctx.db.read;
    return (await this.dtos(db, [await this.part(db, partId)]))[0]!;
  }

  async list(actor: Actor, q: z.infer<typeof PartsQuery>): Promise<{ items: Part[]; nextCursor: string | null }> {
    requireAccess(actor, 'parts.read');
    const db = this.ctx.db.read;
    let query = db.selectFrom('parts as p').selectAll('p');
    if (q.active !== 'all') query = query.where('p.active', '=', q.active === 'true' ? 1 : 0);
    if (q.q) query = query.where(sql<boolean>`p.search_text LIKE ${likePattern(q.q)} ESCAPE '\\'`);
    if (q.productModel) query = query.where((eb) => eb.exists(eb.selectFrom('part_products as pp').select('pp.part_id').whereRef('pp.part_id', '=', 'p.id').where('pp.product_model', '=', q.productModel!)));
    if (q.locationId !== undefined) query = query.where((eb) => eb.exists(eb.selectFrom('part_stock as s').select('s.part_id').whereRef('s.part_id', '=', 'p.id').where('s.location_id', '=', q.locationId!)));
    if (q.low === 'true') {
      // The same rule as effectiveThreshold, in SQL.
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('part_stock as s')
            .innerJoin('stock_locations as l', 'l.id', 's.location_id')
            .select('s.part_id')
            .whereRef('s.part_id', '=', 'p.id')
            .where('l.active', '=', 1)
            .where(sql<boolean>`s.on_hand - s.reserved < COALESCE(s.threshold, CASE WHEN l.kind = 'warehouse' AND p.low_stock_threshold > 0 THEN p.low_stock_threshold ELSE NULL END)`),
        ),
      );
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['s']);
      if (!c) throw Invalid({ cursor: 'field.invalid_format' });
      query = query.where('p.code', '>', c[0] as string);
    }
    const rows = await query.orderBy('p.code').limit(q.limit + 1).execute();
    const more = rows.length > q.limit;
    const pageRows = rows.slice(0, q.limit);
    return { items: await this.dtos(db, pageRows), nextCursor: more ? encodeCursor([pageRows[pageRows.length - 1]!.code]) : null };
  }

  private searchText(b: { code: string; nameZh: string; nameEn?: string | null; productModels: string[] }) {
    return [b.code, b.nameZh, b.nameEn ?? '', ...b.productModels].join(' ').toLowerCase();
  }

  /** Models the part fits must be products we know: a typo would otherwise hide the part from that product. */
  private async setModels(trx: Kysely<DB>, partId: number, models: string[]) {
    const wanted = [...new Set(models)];
    if (wanted.length > 0) {
      const known = new Set((await trx.selectFrom('products').select('model').where('model', 'in', wanted).execute()).map((r) => r.model));
      const unknown = wanted.filter((m) => !known.has(m));
      if (unknown.length > 0) throw Invalid({ productModels: { key: 'field.unknown_models', params: { models: unknown.join(', ') } } });
    }
    await trx.deleteFrom('part_products').where('part_id', '=', partId).execute();
    if (wanted.length > 0) await trx.insertInto('part_products').values(wanted.map((m) => ({ part_id: partId, product_model: m }))).execute();
  }

  async create(actor: Actor, body: PartBody): Promise<Part> {
    requireAccess(actor, 'parts.manage');
    const now = this.ctx.clock.now();
    try {
      const id = await this.ctx.db.write(async (trx) => {
        const { id } = await trx
          .insertInto('parts')
          .values({
            code: body.code,
            name_zh: body.nameZh,
            name_en: body.nameEn || null,
            uom: body.uom,
            unit_cost: body.unitCost,
            list_price: body.listPrice,
            low_stock_threshold: body.lowStockThreshold,
            active: body.active ? 1 : 0,
            search_text: this.searchText(body),
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.setModels(trx, id, body.productModels);
        return id;
      });
      return this.get(actor, id);
    } catch (e) {
      if (isUniqueViolation(e)) throw Conflict('conflict', 'error.part_code_taken', { code: body.code });
      throw e;
    }
  }

  async update(actor: Actor, partId: number, body: z.infer<typeof PartPatchBody>): Promise<Part> {
    requireAccess(actor, 'parts.manage');
    try {
      await this.ctx.db.write(async (trx) => {
        const cur = await this.part(trx, partId);
        const models = body.productModels ?? (await trx.selectFrom('part_products').select('product_model').where('part_id', '=', partId).execute()).map((r) => r.product_model);
        const next = {
          code: body.code ?? cur.code,
          nameZh: body.nameZh ?? cur.name_zh,
          nameEn: body.nameEn === undefined ? cur.name_en : body.nameEn || null,
          productModels: models,
        };
        await trx
          .updateTable('parts')
          .set({
            code: next.code,
            name_zh: next.nameZh,
            name_en: next.nameEn,
            uom: body.uom ?? cur.uom,
            unit_cost: body.unitCost ?? cur.unit_cost,
            list_price: body.listPrice ?? cur.list_price,
            low_stock_threshold: body.lowStockThreshold ?? cur.low_stock_threshold,
            active: body.active === undefined ? cur.active : body.active ? 1 : 0,
            search_text: this.searchText(next),
            updated_at: this.ctx.clock.now(),
          })
          .where('id', '=', partId)
          .execute();
        if (body.productModels) await this.setModels(trx, partId, body.productModels);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw Conflict('conflict', 'error.part_code_taken', { code: body.code ?? '' });
      throw e;
    }
    return this.get(actor, partId);
  }
}
