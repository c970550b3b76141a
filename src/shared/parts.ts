// The spare parts contract (issue 16, SPEC §9): the catalog, stock locations (warehouses, engineers' vans), stock
// per part and location, the moves and their ledger, low-stock alerts and the consumption / turnover reports.
import { z } from 'zod';
import { Cursor, id, isoDate, isoDateTime, Limit, page, text, ticketNumber, UserRef } from './fields.js';

export const STOCK_MOVE_KINDS = ['receive', 'transfer', 'reserve', 'release', 'consume', 'return', 'adjust'] as const;
export type StockMoveKind = (typeof STOCK_MOVE_KINDS)[number];
export const LOCATION_KINDS = ['warehouse', 'van'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
/** Units of measure; labels in the locale files. */
export const UOMS = ['piece', 'set', 'meter', 'roll', 'kg', 'liter'] as const;
export type Uom = (typeof UOMS)[number];
export const CONSUMPTION_GROUPS = ['part', 'engineer', 'month'] as const;
export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;

const fen = z.number().int().min(0).max(100_000_000);
const qty = z.number().int().min(1).max(1_000_000);
const model = z.string().trim().min(1).max(100);

const PartFields = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, { message: 'part_code' }),
  nameZh: text(200, 1),
  nameEn: text(200).nullable().optional(),
  uom: z.enum(UOMS),
  unitCost: fen.describe('Unit cost in fen (分)'),
  listPrice: fen.describe('List price in fen (分), what an out-of-warranty customer pays'),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).describe('Alert when available stock in a warehouse falls below this'),
  active: z.boolean(),
  productModels: z.array(model).max(200).describe('Product models (products.model) the part fits'),
});
export const PartBody = PartFields.extend({
  lowStockThreshold: PartFields.shape.lowStockThreshold.default(0),
  active: PartFields.shape.active.default(true),
  productModels: PartFields.shape.productModels.default([]),
});
export type PartBody = z.infer<typeof PartBody>;
/** Only what is given changes (no defaults here: a missing field is left as it is). */
export const PartPatchBody = PartFields.partial();

export const StockLevel = z.object({ onHand: z.number(), reserved: z.number(), available: z.number() });

export const Part = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  uom: z.enum(UOMS),
  unitCost: z.number(),
  listPrice: z.number(),
  lowStockThreshold: z.number(),
  active: z.boolean(),
  productModels: z.array(z.string()),
  /** Summed over every location. */
  stock: StockLevel,
  /** Locations whose available stock is below their threshold. */
  lowAt: z.array(z.number()),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Part = z.infer<typeof Part>;

export const PartsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  productModel: model.optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  low: z.enum(['true', 'false']).optional().describe('Only parts below their threshold somewhere'),
  locationId: id.optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export const PartsPage = page(Part);

export const Location = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(LOCATION_KINDS),
  owner: UserRef.nullable(),
  active: z.boolean(),
});
export type Location = z.infer<typeof Location>;
export const LocationBody = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, { message: 'part_code' }),
  name: text(100, 1),
  kind: z.enum(LOCATION_KINDS),
  ownerId: id.nullable().optional().describe("A van's engineer"),
});
/** Only what is given changes. A location's kind stays what it was created as (a van's ledger is an engineer's). */
export const LocationPatchBody = LocationBody.omit({ kind: true })
  .extend({ active: z.boolean().describe('false: out of use (refused while it holds stock)') })
  .partial();
export const LocationsQuery = z.object({ active: z.enum(['true', 'all']).default('true').describe('all: the ones out of use too (managers keeping the list)') });
export const LocationsResult = z.object({ items: z.array(Location) });

/** A part's stock at one location. */
export const StockRow = StockLevel.extend({
  partId: z.number(),
  partCode: z.string(),
  partNameZh: z.string(),
  partNameEn: z.string().nullable(),
  uom: z.enum(UOMS),
  location: Location,
  /** The threshold that applies here: the location's own, else (in a warehouse) the part's. */
  threshold: z.number().nullable(),
  /** The location's own threshold for the part, null when it has none. */
  ownThreshold: z.number().nullable(),
  low: z.boolean(),
});
export type StockRow = z.infer<typeof StockRow>;
export const StockResult = z.object({ items: z.array(StockRow) });
export const ThresholdBody = z.object({ threshold: z.number().int().min(0).max(1_000_000).nullable() });

export const Move = z.object({
  id: z.number(),
  partId: z.number(),
  partCode: z.string(),
  kind: z.enum(STOCK_MOVE_KINDS),
  qty: z.number(),
  from: Location.pick({ id: true, code: true, name: true, kind: true }).nullable(),
  to: Location.pick({ id: true, code: true, name: true, kind: true }).nullable(),
  reservedDelta: z.number(),
  unitCost: z.number(),
  ticketNumber: z.string().nullable(),
  visitId: z.number().nullable(),
  reason: z.string().nullable(),
  createdBy: UserRef.nullable(),
  createdAt: isoDateTime,
});
export type Move = z.infer<typeof Move>;
export const MovesQuery = z.object({ partId: id.optional(), locationId: id.optional(), ticketNumber: ticketNumber.optional(), cursor: Cursor.optional(), limit: Limit });
export const MovesPage = page(Move);

export const MoveBody = z.object({
  kind: z.enum(STOCK_MOVE_KINDS),
  partId: id,
  qty: qty.optional().describe('Every kind but adjust'),
  countedQty: z.number().int().min(0).max(1_000_000).optional().describe('adjust: the quantity counted at the location'),
  fromLocationId: id.nullable().optional().describe('transfer, return from a van, reserve, release, consume'),
  toLocationId: id.nullable().optional().describe('receive, transfer, return; adjust: the counted location'),
  ticketNumber: ticketNumber.nullable().optional(),
  visitId: id.nullable().optional(),
  reason: text(500).nullable().optional().describe('Required for adjust'),
});
export type MoveBody = z.infer<typeof MoveBody>;
export const MoveResult = z.object({ move: Move, balances: z.array(StockRow) });

export const PeriodQuery = z.object({ from: isoDate.optional(), to: isoDate.optional(), format: z.enum(REPORT_FORMATS).default('json') });
export const ConsumptionQuery = PeriodQuery.extend({ by: z.enum(CONSUMPTION_GROUPS).default('part') });
export const ConsumptionReport = z.object({
  from: isoDate,
  to: isoDate,
  by: z.enum(CONSUMPTION_GROUPS),
  rows: z.array(z.object({ key: z.string(), label: z.string(), qty: z.number(), cost: z.number(), moves: z.number() })),
  total: z.object({ qty: z.number(), cost: z.number() }),
});
export const TurnoverReport = z.object({
  from: isoDate,
  to: isoDate,
  rows: z.array(
    z.object({ partId: z.number(), code: z.string(), name: z.string(), consumedQty: z.number(), consumedCost: z.number(), averageOnHand: z.number(), turnover: z.number().nullable() }),
  ),
  total: z.object({ consumedQty: z.number(), consumedCost: z.number(), averageOnHand: z.number(), turnover: z.number().nullable() }),
});
