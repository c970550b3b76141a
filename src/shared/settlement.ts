// Settlement (收费与结算, issue 16): the reviewer's list of finished visits with their charges and parts, the decision
// on each, and the month's settlement per engineer and per service provider (exportable). Money in fen.
import { z } from 'zod';
import { id, text, UserRef } from './fields.js';

export const SETTLEMENT_STATES = ['pending', 'approved', 'rejected'] as const;
export type SettlementState = (typeof SETTLEMENT_STATES)[number];

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month_format' });

export const SettlementQuery = z.object({
  month,
  state: z.enum(SETTLEMENT_STATES).optional(),
  engineerId: id.optional(),
  providerId: id.optional(),
});

export const SettlementItem = z.object({
  visitId: z.number(),
  ticketNumber: z.string(),
  ticketTitle: z.string(),
  customerName: z.string(),
  engineer: UserRef,
  provider: z.object({ id: z.number(), name: z.string() }).nullable(),
  finishedAt: z.string(),
  warrantyStatus: z.enum(['in', 'out', 'unknown']).nullable(),
  /** What the customer was to pay (the accepted quote; 0 on warranty work or without a quote). */
  charged: z.number(),
  collected: z.number(),
  paymentMethod: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  labour: z.number(),
  partsBilled: z.number(),
  partsCost: z.number(),
  parts: z.array(z.object({ partId: z.number(), code: z.string(), name: z.string(), qty: z.number(), cost: z.number() })),
  state: z.enum(SETTLEMENT_STATES),
  /** The last decision, also when the visit changed since and is pending again. */
  review: z
    .object({ state: z.enum(['approved', 'rejected']), note: z.string().nullable(), by: UserRef, at: z.string(), stale: z.boolean() })
    .nullable(),
  /** What the decision must name to be taken (the charges and parts as listed here). */
  fingerprint: z.string(),
});
export type SettlementItem = z.infer<typeof SettlementItem>;

export const SettlementList = z.object({ month: z.string(), items: z.array(SettlementItem) });

export const SettlementDecisionBody = z.object({
  decision: z.enum(['approved', 'rejected']),
  /** Required for a rejection: what the engineer must correct. */
  note: text(500).optional(),
  /** The fingerprint listed with the visit: a decision on charges that changed meanwhile is refused. */
  fingerprint: z.string().max(2000),
});

export const SettlementTotals = z.object({
  visits: z.number(),
  approved: z.number(),
  pending: z.number(),
  rejected: z.number(),
  charged: z.number(),
  collected: z.number(),
  difference: z.number(),
  labour: z.number(),
  partsCost: z.number(),
  partsBilled: z.number(),
});

export const MonthlySettlementQuery = z.object({ month, by: z.enum(['engineer', 'provider']).default('engineer') });
export const MonthlySettlement = z.object({
  month: z.string(),
  by: z.enum(['engineer', 'provider']),
  rows: z.array(SettlementTotals.extend({ id: z.number().nullable(), name: z.string() })),
  total: SettlementTotals,
});
export type MonthlySettlement = z.infer<typeof MonthlySettlement>;

export const MonthlyExportQuery = MonthlySettlementQuery.extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') });
export const VisitIdParam = z.object({ visitId: id });
