// The returns contract (issue 16): RMAs (退换货) on a ticket with their items, checklist, approval, tracking numbers in
// both directions and outcome; take-back repairs (拉修); the loaner pool (周转机) and its loans. The portal reads a
// separate, customer-safe view of an RMA.
import { z } from 'zod';
import { Cursor, id, isoDate, isoDateTime, Limit, page, text, ticketNumber, UserRef } from './fields.js';
import { CHECKLIST_ITEMS, LOANER_STATES, RMA_KINDS, RMA_STATUSES, TAKE_BACK_STEPS } from './returns-vocab.js';

export * from './returns-vocab.js';

const fen = z.number().int().min(0).max(100_000_000);
const carrier = text(40, 1);
const tracking = z.string().trim().min(4).max(40).regex(/^[A-Za-z0-9-]+$/, { message: 'tracking_format' });

export const RmaItemBody = z.object({
  unitId: id.optional().describe("One of the ticket customer's units"),
  orderNumber: text(60, 1).optional().describe('An order line, when there is no unit: order number, product model and quantity'),
  productModel: text(100, 1).optional(),
  qty: z.number().int().min(1).max(999).default(1),
  purchaseDate: isoDate.optional().describe('An order line: the purchase date the return window counts from'),
});
export const RmaCreateBody = z.object({
  kind: z.enum(RMA_KINDS),
  items: z.array(RmaItemBody).min(1).max(20),
  reason: text(1000).optional().describe('What the customer reports'),
  windowOverrideReason: text(500).optional().describe('Required when a return or exchange is past the return window'),
});
export type RmaCreateBody = z.infer<typeof RmaCreateBody>;

export const ChecklistValues = z.object(Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, z.boolean().nullable()])) as Record<(typeof CHECKLIST_ITEMS)[number], z.ZodNullable<z.ZodBoolean>>);
export const RmaChecklistBody = ChecklistValues.partial().extend({ note: text(500).nullable().optional(), version: z.number().int() });
export const RmaDecisionBody = z.object({ decision: z.enum(['approve', 'reject']), reason: text(500).optional(), version: z.number().int() });
export const RmaShipmentBody = z.object({ direction: z.enum(['in', 'out']), carrier, trackingNumber: tracking, version: z.number().int() });
export const RmaReceiveBody = z.object({ locationId: id.optional().describe('Default: the returns location (RETURNS)'), note: text(500).optional(), version: z.number().int() });
export const RmaOutcomeBody = z.object({
  refundFen: fen.optional().describe('A return: the refund in fen'),
  replacements: z
    .array(z.object({ itemId: id, serialNumber: text(100, 1), productModel: text(100, 1).optional() }))
    .max(20)
    .optional()
    .describe("An exchange: the new unit's serial for each faulty unit"),
  issueLocationId: id.optional().describe('An exchange: the warehouse the new unit leaves (default: the first active warehouse)'),
  note: text(1000).optional(),
  version: z.number().int(),
});
export const RmaCancelBody = z.object({ reason: text(500, 1), version: z.number().int() });
export const RmaCompleteBody = z.object({ version: z.number().int() });

export const ReturnWindowView = z.object({
  purchaseDate: isoDate.nullable(),
  days: z.number().nullable(),
  lastDay: isoDate.nullable(),
  daysLeft: z.number().nullable(),
  within: z.boolean().nullable(),
});

export const RmaItem = z.object({
  id: z.number(),
  unitId: z.number().nullable(),
  orderNumber: z.string().nullable(),
  productModel: z.string(),
  serialNumber: z.string().nullable(),
  qty: z.number(),
  purchaseDate: isoDate.nullable(),
  window: ReturnWindowView,
  replacement: z.object({ unitId: z.number(), serialNumber: z.string().nullable() }).nullable(),
});

const Shipment = z.object({ carrier: z.string(), trackingNumber: z.string(), at: isoDateTime.nullable() }).nullable();

export const Rma = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  ticketTitle: z.string(),
  customer: z.object({ id: z.number(), name: z.string() }),
  kind: z.enum(RMA_KINDS),
  status: z.enum(RMA_STATUSES),
  reason: z.string().nullable(),
  items: z.array(RmaItem),
  checklist: ChecklistValues,
  checklistNote: z.string().nullable(),
  window: ReturnWindowView,
  windowOverrideReason: z.string().nullable(),
  eligibility: z.object({ complete: z.boolean(), eligible: z.boolean(), failed: z.array(z.string()), missing: z.array(z.string()), windowPassed: z.boolean() }),
  decision: z.object({ by: UserRef.nullable(), at: isoDateTime, reason: z.string().nullable() }).nullable(),
  inbound: Shipment,
  outbound: Shipment,
  received: z.object({ at: isoDateTime, by: UserRef.nullable(), location: z.object({ id: z.number(), code: z.string(), name: z.string() }).nullable() }).nullable(),
  outcome: z.object({ at: isoDateTime, by: UserRef.nullable(), refundFen: z.number().nullable(), note: z.string().nullable() }).nullable(),
  times: z.record(z.string(), isoDateTime),
  /** What the caller may do now (the server checks again). */
  actions: z.array(z.string()),
  canApprove: z.boolean(),
  cancelReason: z.string().nullable(),
  createdBy: UserRef.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number(),
});
export type Rma = z.infer<typeof Rma>;
export const RmaList = z.object({ items: z.array(Rma) });
export const RmasQuery = z.object({ status: z.enum([...RMA_STATUSES, 'open']).optional(), kind: z.enum(RMA_KINDS).optional(), cursor: Cursor.optional(), limit: Limit });
export const RmaPage = page(Rma);
export const RmaIdParams = z.object({ id });

/** What the customer reads of an RMA in the portal: no staff text, no checklist, no staff names. */
export const PortalRma = z.object({
  id: z.number(),
  kind: z.enum(RMA_KINDS),
  status: z.enum(RMA_STATUSES),
  items: z.array(z.object({ productModel: z.string(), serialNumber: z.string().nullable(), orderNumber: z.string().nullable(), qty: z.number(), replacementSerial: z.string().nullable() })),
  inbound: z.object({ carrier: z.string(), trackingNumber: z.string() }).nullable(),
  outbound: z.object({ carrier: z.string(), trackingNumber: z.string() }).nullable(),
  refundFen: z.number().nullable(),
  /** Told to the customer when the request is turned down. */
  rejectionReason: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export const PortalRmaList = z.object({ items: z.array(PortalRma) });

// ------------------------------------------------------------ take-back repair

export const TakeBackCreateBody = z.object({ unitId: id.optional(), note: text(1000).optional() });
export const TakeBackStepBody = z.object({ step: z.enum(TAKE_BACK_STEPS), note: text(500).optional(), version: z.number().int() });
export const TakeBack = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  unitId: z.number().nullable(),
  productModel: z.string().nullable(),
  serialNumber: z.string().nullable(),
  status: z.enum(TAKE_BACK_STEPS),
  steps: z.array(z.object({ step: z.enum(TAKE_BACK_STEPS), at: isoDateTime.nullable(), by: UserRef.nullable() })),
  note: z.string().nullable(),
  createdAt: isoDateTime,
  version: z.number(),
});
export const TakeBackList = z.object({ items: z.array(TakeBack) });

// ------------------------------------------------------------ loaners

export const LoanerBody = z.object({ serialNumber: text(100, 1), productModel: text(100, 1), note: text(500).optional() });
export const LoanerStateBody = z.object({ state: z.enum(LOANER_STATES), version: z.number().int() });
export const LendBody = z.object({
  loanerId: id,
  dueDate: isoDate,
  visitId: id.optional().describe('The visit that asked for a loaner (loanerNeeded)'),
  takeBackId: id.optional().describe('The take-back repair the loaner stands in for'),
});
export const LoanReturnBody = z.object({ note: text(500).optional() });
export const Loan = z.object({
  id: z.number(),
  loanerId: z.number(),
  loanerSerial: z.string(),
  productModel: z.string(),
  ticketNumber: z.string(),
  customer: z.object({ id: z.number(), name: z.string() }),
  visitId: z.number().nullable(),
  takeBackId: z.number().nullable(),
  lentAt: isoDateTime,
  lentBy: UserRef.nullable(),
  dueDate: isoDate,
  returnedAt: isoDateTime.nullable(),
  returnedBy: UserRef.nullable(),
  returnNote: z.string().nullable(),
  overdue: z.boolean(),
});
export type Loan = z.infer<typeof Loan>;
export const Loaner = z.object({
  id: z.number(),
  serialNumber: z.string(),
  productModel: z.string(),
  state: z.enum(LOANER_STATES),
  note: z.string().nullable(),
  /** The open loan while lent. */
  loan: Loan.nullable(),
  version: z.number(),
});
export type Loaner = z.infer<typeof Loaner>;
export const LoanersQuery = z.object({ state: z.enum(LOANER_STATES).optional() });
export const LoanerList = z.object({ items: z.array(Loaner) });
export const LoansQuery = z.object({ overdue: z.enum(['true', 'false']).optional(), open: z.enum(['true', 'false']).optional(), ticketNumber: ticketNumber.optional() });
export const LoanList = z.object({ items: z.array(Loan) });
