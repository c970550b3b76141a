// Completing an on-site visit (issue 16, SPEC §10, seed 002): the service report, parts used, photos, the customer's
// signature, the quote shown before the work and what was collected, and the customer-safe view of the quote.
import { z } from 'zod';
import { WarrantyInfo } from './products.js';
import { id, isoDateTime, text } from './fields.js';
import { Visit, VisitPart } from './visits.js';

const fen = z.number().int().min(0).max(100_000_000);
const faultCode = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, { message: 'fault_class_code' });

export const PAYMENT_METHODS = ['cash', 'transfer', 'qr'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The largest signature PNG accepted (a drawn signature at 2× is ~30–80 KB). */
export const SIGNATURE_MAX_BYTES = 256 * 1024;

export const VisitReportBody = z.object({
  diagnosis: text(2000),
  cause: text(2000),
  faultClass: faultCode.nullable(),
  workDone: text(4000),
  /** The version read (0 before the first save): a stale one is refused unless it saves the same text again. */
  version: z.number().int().min(0),
});
export type VisitReportBody = z.infer<typeof VisitReportBody>;

export const PartsUsedBody = z.object({
  partId: id,
  qty: z.number().int().min(1).max(1000),
  /** Where it was taken from; the visit's reservation of the part, else the engineer's van, when absent. */
  locationId: id.optional(),
});

export const ChargeLine = z.object({
  kind: z.enum(['callout', 'labour', 'part']),
  code: z.string().nullable(),
  name: z.string(),
  qty: z.number(),
  unitPrice: z.number(),
  amount: z.number(),
  cost: z.number(),
});
export type ChargeLine = z.infer<typeof ChargeLine>;

export const Quote = z.object({
  warrantyStatus: z.enum(['in', 'out', 'unknown']),
  chargeable: z.boolean(),
  lines: z.array(ChargeLine),
  total: z.number(),
  cost: z.number(),
  quotedAt: isoDateTime,
  acceptedAt: isoDateTime.nullable(),
  acceptedName: z.string().nullable(),
});
export type Quote = z.infer<typeof Quote>;

export const Payment = z.object({
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  amount: z.number(),
  receiptNumber: z.string(),
  chargedAt: isoDateTime,
});
export type Payment = z.infer<typeof Payment>;

export const QuoteAcceptBody = z.object({ name: text(80).optional().describe("The customer's name as they accept") });
export const PaymentBody = z.object({
  method: z.enum(PAYMENT_METHODS),
  reference: text(100).optional().describe('Transfer or QR payment reference (required for those)'),
  amount: fen.describe('Fen collected; at most the quote'),
});

export const UsedPart = VisitPart.extend({ unitCost: z.number(), listPrice: z.number(), cost: z.number() });

export const VisitAttachmentRef = z.object({ attachmentId: z.number(), filename: z.string(), createdAt: isoDateTime });

export const VisitReport = z.object({
  visit: Visit,
  ticket: z.object({ number: z.string(), title: z.string(), description: z.string() }),
  customer: z.object({ name: z.string(), phone: z.string().nullable(), address: z.string() }),
  unit: z.object({ id: z.number(), serialNumber: z.string().nullable(), productModel: z.string(), productName: z.string().nullable() }).nullable(),
  warranty: WarrantyInfo.nullable(),
  /** The product's fault classes (those its fee standard prices; every class when it prices none). */
  faultClasses: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
  report: z.object({ diagnosis: z.string(), cause: z.string(), faultClass: z.string().nullable(), workDone: z.string(), updatedAt: isoDateTime.nullable(), version: z.number() }),
  partsUsed: z.array(UsedPart),
  photos: z.array(VisitAttachmentRef),
  signature: VisitAttachmentRef.nullable(),
  quote: Quote.nullable(),
  payment: Payment.nullable(),
});
export type VisitReport = z.infer<typeof VisitReport>;

/** What the customer sees of a visit's quote on the portal: prices and totals, no costs, no staff names. */
export const PortalQuote = z.object({
  visitId: z.number(),
  windowStart: isoDateTime,
  windowEnd: isoDateTime,
  warrantyStatus: z.enum(['in', 'out', 'unknown']),
  chargeable: z.boolean(),
  lines: z.array(ChargeLine.omit({ cost: true })),
  total: z.number(),
  acceptedAt: isoDateTime.nullable(),
  payment: Payment.pick({ method: true, amount: true, receiptNumber: true, chargedAt: true }).nullable(),
});
export const PortalQuotes = z.object({ items: z.array(PortalQuote) });
