// The goods an RMA moves, by serial (a documented unit-stock rule, not the spare-parts ledger: finished goods are
// identified by serial and never counted against part stock). Returned goods are received into the returns location
// (a warehouse with code RETURNS, made on first use); an exchange unit is issued from a warehouse. Both are rows of
// the append-only unit_stock_moves; what the returns location holds is what came in there and has not gone out.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { Invalid } from '../../http/errors.js';
import type { AppContext } from '../../context.js';

export const RETURNS_LOCATION = { code: 'RETURNS', name: '退货仓' } as const;

interface Place {
  id: number;
  code: string;
  name: string;
}

export class RmaGoods {
  constructor(private readonly ctx: AppContext) {}

  /** The returns location, made the first time goods come back (the code is unique, so two first receipts make one). */
  async returnsLocation(trx: Kysely<DB>, now: number): Promise<Place> {
    await trx
      .insertInto('stock_locations')
      .values({ code: RETURNS_LOCATION.code, name: RETURNS_LOCATION.name, kind: 'warehouse', owner_id: null, active: 1, created_at: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    return trx.selectFrom('stock_locations').select(['id', 'code', 'name']).where('code', '=', RETURNS_LOCATION.code).executeTakeFirstOrThrow();
  }

  /** Where received goods go: the named warehouse, else the returns location. */
  async receiveInto(trx: Kysely<DB>, locationId: number | undefined, now: number): Promise<Place> {
    if (locationId === undefined) return this.returnsLocation(trx, now);
    return this.warehouse(trx, locationId, 'locationId');
  }

  /** Where an exchange unit leaves from: the named warehouse, else the first active one that is not the returns location. */
  async issueFrom(trx: Kysely<DB>, locationId: number | undefined): Promise<Place> {
    if (locationId !== undefined) return this.warehouse(trx, locationId, 'issueLocationId');
    const first = await trx
      .selectFrom('stock_locations')
      .select(['id', 'code', 'name'])
      .where('kind', '=', 'warehouse')
      .where('active', '=', 1)
      .where('code', '<>', RETURNS_LOCATION.code)
      .orderBy('code')
      .executeTakeFirst();
    if (!first) throw Invalid({ issueLocationId: 'field.rma_issue_location' });
    return first;
  }

  private async warehouse(trx: Kysely<DB>, id: number, field: string): Promise<Place> {
    const l = await trx.selectFrom('stock_locations').select(['id', 'code', 'name', 'kind', 'active']).where('id', '=', id).executeTakeFirst();
    if (!l || l.kind !== 'warehouse' || l.active !== 1) throw Invalid({ [field]: 'field.rma_location_warehouse' });
    return l;
  }

  async received(trx: Kysely<DB>, rmaId: number, locationId: number, items: { unit_id: number | null; product_model: string; serial_number: string | null; qty: number }[], by: number, now: number) {
    await trx
      .insertInto('unit_stock_moves')
      .values(items.map((i) => ({ rma_id: rmaId, kind: 'received', location_id: locationId, product_model: i.product_model, serial_number: i.serial_number, unit_id: i.unit_id, qty: i.qty, created_by: by, created_at: now })))
      .execute();
  }

  async issued(trx: Kysely<DB>, rmaId: number, locationId: number, unit: { product_model: string; serial_number: string; unit_id: number }, by: number, now: number) {
    await trx.insertInto('unit_stock_moves').values({ rma_id: rmaId, kind: 'issued', location_id: locationId, product_model: unit.product_model, serial_number: unit.serial_number, unit_id: unit.unit_id, qty: 1, created_by: by, created_at: now }).execute();
  }

  /** The goods ledger of one RMA, for its page. */
  async ofRma(rmaId: number) {
    return this.ctx.db.read
      .selectFrom('unit_stock_moves')
      .innerJoin('stock_locations', 'stock_locations.id', 'unit_stock_moves.location_id')
      .select(['unit_stock_moves.id', 'unit_stock_moves.kind', 'unit_stock_moves.product_model', 'unit_stock_moves.serial_number', 'unit_stock_moves.qty', 'unit_stock_moves.created_at', 'stock_locations.name as location'])
      .where('rma_id', '=', rmaId)
      .orderBy('unit_stock_moves.id')
      .execute();
  }
}
