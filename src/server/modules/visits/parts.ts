// A visit's parts, kept in the stock ledger (stock_moves.visit_id) and moved only through the parts module: reserved
// when the visit is booked (the engineer's van unless a warehouse is named), moved to the new engineer's van when the
// visit changes hands (if that van has them; else they stay where they are reserved), released when the visit is
// cancelled or the engineer leaves with some unused, consumed when the engineer records them as used.
import type { Kysely } from 'kysely';
import type { VisitPart, VisitPartRefBody } from '../../../shared/visits.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { Invalid } from '../../http/errors.js';
import type { StockMoves } from '../parts/stock.js';

type Db = Kysely<DB>;

export interface HeldPart {
  partId: number;
  locationId: number;
  qty: number;
}

/** The active van of an engineer (the first by code when there are several), or null. */
export async function vanOf(db: Db, engineerId: number): Promise<number | null> {
  const v = await db.selectFrom('stock_locations').select('id').where('owner_id', '=', engineerId).where('kind', '=', 'van').where('active', '=', 1).orderBy('code').executeTakeFirst();
  return v?.id ?? null;
}

/** What each visit still holds reserved, per part and location (reservations less releases and consumption from them). */
export async function heldBy(db: Db, visitIds: readonly number[]): Promise<Map<number, HeldPart[]>> {
  const out = new Map<number, HeldPart[]>();
  if (visitIds.length === 0) return out;
  const rows = await db
    .selectFrom('stock_moves')
    .select(['visit_id', 'part_id', 'from_location_id', (eb) => eb.fn.sum<number>('reserved_delta').as('held')])
    .where('visit_id', 'in', [...visitIds])
    .where('reserved_delta', '<>', 0)
    .groupBy(['visit_id', 'part_id', 'from_location_id'])
    .execute();
  for (const r of rows) {
    const held = Number(r.held);
    if (held <= 0 || r.visit_id === null || r.from_location_id === null) continue;
    const list = out.get(r.visit_id) ?? [];
    list.push({ partId: r.part_id, locationId: r.from_location_id, qty: held });
    out.set(r.visit_id, list);
  }
  return out;
}

/** What each visit has used (consumed), per part and location. */
export async function usedBy(db: Db, visitIds: readonly number[]): Promise<Map<number, HeldPart[]>> {
  const out = new Map<number, HeldPart[]>();
  if (visitIds.length === 0) return out;
  const rows = await db
    .selectFrom('stock_moves')
    .select(['visit_id', 'part_id', 'from_location_id', (eb) => eb.fn.sum<number>('qty').as('qty')])
    .where('visit_id', 'in', [...visitIds])
    .where('kind', '=', 'consume')
    .groupBy(['visit_id', 'part_id', 'from_location_id'])
    .execute();
  for (const r of rows) {
    if (r.visit_id === null || r.from_location_id === null) continue;
    const list = out.get(r.visit_id) ?? [];
    list.push({ partId: r.part_id, locationId: r.from_location_id, qty: Number(r.qty) });
    out.set(r.visit_id, list);
  }
  return out;
}

/** Held or used parts as the API shows them, with part and location names. */
export async function partDtos(db: Db, items: readonly HeldPart[]): Promise<VisitPart[]> {
  if (items.length === 0) return [];
  const parts = await db.selectFrom('parts').select(['id', 'code', 'name_zh', 'name_en']).where('id', 'in', [...new Set(items.map((i) => i.partId))]).execute();
  const locs = await db.selectFrom('stock_locations').select(['id', 'code', 'name', 'kind']).where('id', 'in', [...new Set(items.map((i) => i.locationId))]).execute();
  return items
    .map((i) => {
      const p = parts.find((x) => x.id === i.partId)!;
      const l = locs.find((x) => x.id === i.locationId)!;
      return { partId: p.id, partCode: p.code, partNameZh: p.name_zh, partNameEn: p.name_en, qty: i.qty, location: { id: l.id, code: l.code, name: l.name, kind: l.kind as 'warehouse' | 'van' } };
    })
    .sort((a, b) => a.partCode.localeCompare(b.partCode) || a.location.code.localeCompare(b.location.code));
}

/** Each engineer's van stock (available) of the given parts, by part code; null for an engineer without a van. */
export async function vanStock(db: Db, engineerIds: readonly number[], partIds: readonly number[]): Promise<Map<number, Map<string, number> | null>> {
  const out = new Map<number, Map<string, number> | null>(engineerIds.map((e) => [e, null]));
  if (engineerIds.length === 0) return out;
  const vans = await db.selectFrom('stock_locations').select(['id', 'owner_id']).where('kind', '=', 'van').where('active', '=', 1).where('owner_id', 'in', [...engineerIds]).execute();
  for (const v of vans) if (v.owner_id !== null && out.get(v.owner_id) === null) out.set(v.owner_id, new Map());
  if (vans.length === 0 || partIds.length === 0) return out;
  const rows = await db
    .selectFrom('part_stock')
    .innerJoin('parts', 'parts.id', 'part_stock.part_id')
    .select(['part_stock.location_id', 'parts.code', 'part_stock.on_hand', 'part_stock.reserved'])
    .where('part_stock.location_id', 'in', vans.map((v) => v.id))
    .where('part_stock.part_id', 'in', [...partIds])
    .execute();
  for (const r of rows) {
    const owner = vans.find((v) => v.id === r.location_id)!.owner_id!;
    const m = out.get(owner)!;
    m.set(r.code, (m.get(r.code) ?? 0) + r.on_hand - r.reserved);
  }
  return out;
}

export class VisitParts {
  constructor(private readonly moves: StockMoves) {}

  /** Reserves the parts to bring for a new visit; a part without a named location comes from the engineer's van. */
  async reserve(trx: Db, actor: Actor, visitId: number, engineerId: number, refs: readonly VisitPartRefBody[], notified: Set<number>): Promise<void> {
    if (refs.length === 0) return;
    const van = await vanOf(trx, engineerId);
    for (const [i, ref] of refs.entries()) {
      const from = ref.locationId ?? van;
      if (from === null) throw Invalid({ [`partRefs.${i}.locationId`]: 'field.visit_no_van' });
      await this.moves.applyIn(trx, actor, { kind: 'reserve', partId: ref.partId, qty: ref.qty, fromLocationId: from, visitId }, undefined, notified);
    }
  }

  /** Lets go of everything the visit still holds (cancelled, or left with parts unused). */
  async releaseAll(trx: Db, actor: Actor, visitId: number, notified: Set<number>, reason: string): Promise<HeldPart[]> {
    const held = (await heldBy(trx, [visitId])).get(visitId) ?? [];
    for (const h of held) {
      await this.moves.applyIn(trx, actor, { kind: 'release', partId: h.partId, qty: h.qty, fromLocationId: h.locationId, visitId, reason }, undefined, notified, { authorized: true });
    }
    return held;
  }

  /**
   * The visit changes hands: what it holds in the old engineer's van moves to the new engineer's van when that van
   * has it available; otherwise it stays reserved where it is (someone hands it over). Warehouse reservations stay.
   */
  async handOver(trx: Db, actor: Actor, visitId: number, fromEngineer: number, toEngineer: number, notified: Set<number>): Promise<{ moved: HeldPart[]; kept: HeldPart[] }> {
    const [oldVan, newVan] = [await vanOf(trx, fromEngineer), await vanOf(trx, toEngineer)];
    const held = ((await heldBy(trx, [visitId])).get(visitId) ?? []).filter((h) => h.locationId === oldVan);
    const moved: HeldPart[] = [];
    const kept: HeldPart[] = [];
    for (const h of held) {
      const stock = newVan === null ? undefined : await trx.selectFrom('part_stock').select(['on_hand', 'reserved']).where('part_id', '=', h.partId).where('location_id', '=', newVan).executeTakeFirst();
      if (newVan === null || !stock || stock.on_hand - stock.reserved < h.qty) {
        kept.push(h);
        continue;
      }
      await this.moves.applyIn(trx, actor, { kind: 'release', partId: h.partId, qty: h.qty, fromLocationId: h.locationId, visitId, reason: 'reassigned' }, undefined, notified, { authorized: true });
      await this.moves.applyIn(trx, actor, { kind: 'reserve', partId: h.partId, qty: h.qty, fromLocationId: newVan, visitId }, undefined, notified, { authorized: true });
      moved.push({ ...h, locationId: newVan });
    }
    return { moved, kept };
  }

}

/** Fills in what each visit holds reserved and has used (toVisit leaves both empty: they come from the ledger). */
export async function withParts<V extends { id: number; reserved: VisitPart[]; used: VisitPart[] }>(db: Db, visits: V[]): Promise<V[]> {
  const ids = visits.map((v) => v.id);
  const [held, used] = [await heldBy(db, ids), await usedBy(db, ids)];
  for (const v of visits) {
    v.reserved = await partDtos(db, held.get(v.id) ?? []);
    v.used = await partDtos(db, used.get(v.id) ?? []);
  }
  return visits;
}
