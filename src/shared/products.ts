// Products and units (issue 16; SPEC §9; seed 002): the catalog with its fee standard, the customers' units
// (客户设备) with proof of purchase, installation acceptance, extended warranty and replacement, a unit's warranty status
// and service history, and the import report.
import { z } from 'zod';
import { Cursor, id, isoDate, Limit, longText, text } from './fields.js';

export const WARRANTY_STATUSES = ['in', 'out', 'unknown'] as const;
export const WARRANTY_BASES = ['installation_acceptance', 'purchase', 'none'] as const;
export const WARRANTY_REASONS = ['accepted', 'purchase', 'not_yet_accepted', 'proof_missing', 'no_purchase', 'product_unknown'] as const;

/** A unit's warranty on the day asked: start and end are inclusive days (YYYY-MM-DD). */
export const WarrantyInfo = z.object({
  status: z.enum(WARRANTY_STATUSES),
  start: z.string().nullable(),
  end: z.string().nullable(),
  basis: z.enum(WARRANTY_BASES),
  reason: z.enum(WARRANTY_REASONS),
});
export type WarrantyInfo = z.infer<typeof WarrantyInfo>;

/** Money in fen (分): integers only, never floating yuan. */
const fen = z.number().int().min(0).max(100_000_000);
const faultCode = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, { message: 'fault_class_code' });

export const FaultClass = z.object({ code: faultCode, nameZh: text(40, 1), nameEn: text(60, 1) });
export type FaultClass = z.infer<typeof FaultClass>;
export const FaultClassList = z.object({ items: z.array(FaultClass) });
export const FaultClassesBody = z.object({ items: z.array(FaultClass).min(1).max(20) });

/** A part that fits a model: filled by the spare-parts module once it exists (issue 16, 备件); empty until then. */
export const CompatiblePart = z.object({ code: z.string(), name: z.string() });

export const Product = z.object({
  id: z.number(),
  model: z.string(),
  name: z.string(),
  line: z.string(),
  warrantyMonths: z.number(),
  needsInstallation: z.boolean(),
  calloutFee: z.number(),
  /** Labour charge per fault class code (fen); a class without an entry has no standard price. */
  labourFees: z.record(z.string(), z.number()),
  returnDays: z.number(),
  unitCount: z.number(),
  version: z.number(),
});
export type Product = z.infer<typeof Product>;
export const ProductDetail = Product.extend({ compatibleParts: z.array(CompatiblePart) });
export type ProductDetail = z.infer<typeof ProductDetail>;

export const ProductCreateBody = z.object({
  model: text(100, 1),
  name: text(200, 1),
  line: text(40, 1),
  warrantyMonths: z.number().int().min(0).max(240),
  needsInstallation: z.boolean().default(false),
  calloutFee: fen.default(0),
  labourFees: z.record(faultCode, fen).default({}),
  returnDays: z.number().int().min(0).max(365).default(7),
});
export const ProductPatchBody = z.object({
  model: text(100, 1).optional(),
  name: text(200, 1).optional(),
  line: text(40, 1).optional(),
  warrantyMonths: z.number().int().min(0).max(240).optional(),
  needsInstallation: z.boolean().optional(),
  calloutFee: fen.optional(),
  labourFees: z.record(faultCode, fen).optional(),
  returnDays: z.number().int().min(0).max(365).optional(),
  version: z.number().int().optional(),
});
export const ProductsQuery = z.object({ q: text(100).optional(), line: text(40).optional(), limit: Limit, cursor: Cursor.optional() });

export const UnitCustomer = z.object({ id: z.number(), name: z.string(), phone: z.string().nullable() });

/** A unit as staff see it. */
export const UnitRecord = z.object({
  id: z.number(),
  customer: UnitCustomer,
  productModel: z.string(),
  productName: z.string().nullable(),
  productLine: z.string().nullable(),
  needsInstallation: z.boolean(),
  serialNumber: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  proofAttachmentId: z.number().nullable(),
  proofRef: z.string().nullable(),
  installDate: z.string().nullable(),
  acceptanceDate: z.string().nullable(),
  extendedMonths: z.number(),
  warrantyEnd: z.string().nullable(),
  warranty: WarrantyInfo,
  /** Derived from `warranty.status` (kept for older clients): null = unknown. */
  underWarranty: z.boolean().nullable(),
  replacesId: z.number().nullable(),
  replacedById: z.number().nullable(),
  replacedAt: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type UnitRecord = z.infer<typeof UnitRecord>;

/**
 * One line of a unit's service history. Kinds today: `registered`, `ticket`, `replaced` (this unit was replaced by
 * another), `replacement` (this unit replaced another); visits, parts and returns add their own kinds (modules register
 * a history source), so clients show an unknown kind by its `title`.
 */
export const UnitHistoryEntry = z.object({
  kind: z.string(),
  at: z.string(),
  /** The unit the entry is about: an earlier unit's entries carry over to its replacement. */
  unitId: z.number(),
  serialNumber: z.string().nullable(),
  title: z.string(),
  ticket: z.object({ number: z.string(), status: z.string() }).optional(),
  relatedUnitId: z.number().optional(),
});
export type UnitHistoryEntry = z.infer<typeof UnitHistoryEntry>;

export const UnitDetail = UnitRecord.extend({
  history: z.array(UnitHistoryEntry),
  /** Files on the unit's (and its predecessors') tickets that can serve as proof of purchase. */
  proofCandidates: z.array(z.object({ id: z.number(), filename: z.string(), ticketNumber: z.string() })),
  /** Where the label's QR code leads: the portal's new-request form with model and serial filled in. */
  labelLink: z.string(),
});
export type UnitDetail = z.infer<typeof UnitDetail>;

const unitFields = {
  productModel: text(100, 1),
  serialNumber: text(100, 1),
  purchaseDate: isoDate.nullable().optional(),
  proofAttachmentId: id.nullable().optional(),
  proofRef: text(100).nullable().optional(),
  installDate: isoDate.nullable().optional(),
  acceptanceDate: isoDate.nullable().optional(),
  extendedMonths: z.number().int().min(0).max(120).optional(),
  notes: longText(2000).nullable().optional(),
};
export const UnitCreateBody = z.object({ customerId: id, ...unitFields });
export const UnitPatchBody = z.object({
  customerId: id.optional(),
  ...unitFields,
  productModel: unitFields.productModel.optional(),
  serialNumber: unitFields.serialNumber.optional(),
  version: z.number().int().optional(),
});
/** The new unit that replaces a faulty one (same customer; same model unless given). */
export const UnitReplaceBody = z.object({ ...unitFields, productModel: unitFields.productModel.optional(), reason: text(500).optional() });
export const UnitsQuery = z.object({
  q: text(100).optional(),
  model: text(100).optional(),
  customerId: id.optional(),
  warranty: z.enum(WARRANTY_STATUSES).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export const UnitLookupQuery = z.object({ serial: text(100, 1), model: text(100).optional() });

export const UnitImportError = z.object({ row: z.number(), field: z.string().nullable(), message: z.string() });
export const UnitImportResult = z.object({ created: z.number(), skipped: z.number(), errors: z.array(UnitImportError) });
export type UnitImportResult = z.infer<typeof UnitImportResult>;
