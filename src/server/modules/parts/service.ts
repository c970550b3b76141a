// Spare parts (issue 16, SPEC §9): one facade over the catalog and locations (catalog.ts), the stock moves and their
// ledger (stock.ts) and the reports (reports.ts), plus the stock views: per part, per location, the engineer's own
// van, and what is below its threshold.
import type { z } from 'zod';
import type { Location, StockRow, ThresholdBody } from '../../../shared/parts.js';
import type { AppContext } from '../../context.js';
import { can, type Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Forbidden } from '../../http/errors.js';
import type { NotifyService } from '../notify/service.js';
import type { TicketsService } from '../tickets/service.js';
import { PartsCatalog, type LocationRow, type StockJoinRow } from './catalog.js';
import { PartsReports } from './reports.js';
import { StockMoves } from './stock.js';

export class PartsService {
  readonly catalog: PartsCatalog;
  readonly moves: StockMoves;
  readonly reports: PartsReports;

  constructor(
    private readonly ctx: AppContext,
    tickets: TicketsService,
    notify: NotifyService,
  ) {
    this.catalog = new PartsCatalog(ctx, tickets.core);
    this.moves = new StockMoves(ctx, tickets.core, this.catalog, notify);
    this.reports = new PartsReports(ctx, tickets.core);
  }

  private async rows(stock: (StockJoinRow & { loc: LocationRow })[]): Promise<StockRow[]> {
    const db = this.ctx.db.read;
    const ids = [...new Set(stock.map((s) => s.part_id))];
    const parts = ids.length ? await db.selectFrom('parts').selectAll().where('id', 'in', ids).execute() : [];
    const out = await Promise.all(stock.map((s) => this.catalog.stockRowDto(parts.find((p) => p.id === s.part_id)!, s)));
    return out.sort((a, b) => a.partCode.localeCompare(b.partCode) || a.location.code.localeCompare(b.location.code));
  }

  async byPart(actor: Actor, partId: number): Promise<StockRow[]> {
    requireAccess(actor, 'parts.read');
    await this.catalog.part(this.ctx.db.read, partId);
    const rows = await this.rows(await this.catalog.stockOf(this.ctx.db.read, { partIds: [partId] }));
    // Warehouses first, as the locations list orders them.
    return rows.sort((a, b) => (a.location.kind === b.location.kind ? a.location.code.localeCompare(b.location.code) : a.location.kind === 'warehouse' ? -1 : 1));
  }

  async byLocation(actor: Actor, locationId: number): Promise<StockRow[]> {
    requireAccess(actor, 'parts.read');
    await this.catalog.location(this.ctx.db.read, locationId);
    return this.rows(await this.catalog.stockOf(this.ctx.db.read, { locationId }));
  }

  /** The engineer's own van(s) and what is in them. */
  async mine(actor: Actor): Promise<{ locations: Location[]; items: StockRow[] }> {
    requireAccess(actor, 'parts.read');
    const db = this.ctx.db.read;
    const vans = await db.selectFrom('stock_locations').selectAll().where('owner_id', '=', actor.id).where('active', '=', 1).orderBy('code').execute();
    const items: StockRow[] = [];
    for (const v of vans) items.push(...(await this.rows(await this.catalog.stockOf(db, { locationId: v.id }))));
    return { locations: await Promise.all(vans.map((v) => this.catalog.locationDto(v))), items };
  }

  /** Every part and location whose available stock is below its threshold. */
  async alerts(actor: Actor): Promise<StockRow[]> {
    requireAccess(actor, 'parts.read');
    const db = this.ctx.db.read;
    const active = await db.selectFrom('parts').select('id').where('active', '=', 1).execute();
    const rows = await this.rows(await this.catalog.stockOf(db, { partIds: active.map((p) => p.id) }));
    return rows.filter((r) => r.low);
  }

  /** A location's own threshold for a part (null = the part's, in a warehouse). */
  async setThreshold(actor: Actor, partId: number, locationId: number, body: z.infer<typeof ThresholdBody>): Promise<StockRow> {
    if (!can(actor, 'parts.manage')) throw Forbidden();
    await this.ctx.db.write(async (trx) => {
      await this.catalog.part(trx, partId);
      await this.catalog.location(trx, locationId);
      await trx
        .insertInto('part_stock')
        .values({ part_id: partId, location_id: locationId, on_hand: 0, reserved: 0, threshold: body.threshold, low_alerted: 0, updated_at: this.ctx.clock.now() })
        .onConflict((oc) => oc.columns(['part_id', 'location_id']).doUpdateSet({ threshold: body.threshold }))
        .execute();
    });
    const rows = await this.byPart(actor, partId);
    return rows.find((r) => r.location.id === locationId)!;
  }
}
