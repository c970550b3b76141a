// On-site visits (上门服务, issue 16, SPEC §10, seed 002) and the dispatch board: the API contract.
import { z } from 'zod';
import { id, isoDate, isoDateTime, text, UserRef } from './fields.js';

export const VISIT_KINDS = ['repair', 'installation', 'inspection'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/**
 * The engineer's steps, in order (seed 002). `signed` and `charged` may be skipped (no signature wanted, a warranty
 * job with nothing to collect); the signature pad, the charges and the service report are later pieces of issue 16.
 */
export const VISIT_STEPS = ['accepted', 'departed', 'arrived', 'work_done', 'signed', 'charged', 'left'] as const;
export type VisitStep = (typeof VISIT_STEPS)[number];
export const OPTIONAL_VISIT_STEPS: readonly VisitStep[] = ['signed', 'charged'];

/** `booked` until the first step; then the last step recorded; `cancelled` ends it. */
export const VISIT_STATUSES = ['booked', ...VISIT_STEPS, 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

const area = text(40);
const reason = text(500, 1);

export const VisitSteps = z.object(Object.fromEntries(VISIT_STEPS.map((s) => [s, isoDateTime.nullable()])) as Record<VisitStep, z.ZodNullable<typeof isoDateTime>>);

/** A part to bring, reserved for the visit at a location (default: the engineer's van). */
export const VisitPartRefBody = z.object({
  partId: id,
  qty: z.number().int().min(1).max(1000),
  locationId: id.optional().describe("Where it is reserved; the engineer's van when absent"),
});
export type VisitPartRefBody = z.infer<typeof VisitPartRefBody>;

/** A part the visit holds reserved, or has used, at a location. */
export const VisitPart = z.object({
  partId: z.number(),
  partCode: z.string(),
  partNameZh: z.string(),
  partNameEn: z.string().nullable(),
  qty: z.number(),
  location: z.object({ id: z.number(), code: z.string(), name: z.string(), kind: z.enum(['warehouse', 'van']) }),
});
export type VisitPart = z.infer<typeof VisitPart>;

export const Visit = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  ticketTitle: z.string(),
  customerName: z.string(),
  unitId: z.number().nullable(),
  productModel: z.string().nullable(),
  engineer: UserRef,
  /** The service provider (服务商) whose engineer it is; null for the company's own engineers. */
  provider: z.object({ id: z.number(), name: z.string() }).nullable(),
  kind: z.enum(VISIT_KINDS),
  status: z.enum(VISIT_STATUSES),
  windowStart: isoDateTime,
  windowEnd: isoDateTime,
  address: z.string(),
  area: z.string().nullable(),
  contactName: z.string().nullable(),
  /** Masked for those who may not call the customer (QA). */
  contactPhone: z.string().nullable(),
  parts: z.array(z.string()),
  /** Parts still reserved for the visit (stock ledger), per location. */
  reserved: z.array(VisitPart),
  /** Parts used on the visit (consumed from stock). */
  used: z.array(VisitPart),
  loanerNeeded: z.boolean(),
  note: z.string().nullable(),
  steps: VisitSteps,
  /** Arrived after the window ended (or the window is over and nobody arrived yet). */
  late: z.boolean(),
  cancelReason: z.string().nullable(),
  createdAt: isoDateTime,
  version: z.number(),
});
export type Visit = z.infer<typeof Visit>;

const windowFields = {
  windowStart: isoDateTime,
  windowEnd: isoDateTime,
  /** Book although the travel gap to a neighbouring visit is short (never for an overlap); needs `forceReason`. */
  force: z.boolean().default(false),
  forceReason: text(500).optional(),
};

export const VisitBookBody = z.object({
  engineerId: id,
  kind: z.enum(VISIT_KINDS).default('repair'),
  ...windowFields,
  address: text(300, 1),
  area: area.optional(),
  contactName: text(80).optional(),
  contactPhone: text(40).optional(),
  parts: z.array(text(120, 1)).max(30).default([]),
  /** Parts to bring, reserved through the parts module with the visit's id. */
  partRefs: z.array(VisitPartRefBody).max(20).default([]),
  loanerNeeded: z.boolean().default(false),
  note: text(1000).optional(),
});

export const VisitRescheduleBody = z.object({
  engineerId: id.optional(),
  ...windowFields,
  reason,
  version: z.number().int(),
});

export const VisitCancelBody = z.object({ reason, version: z.number().int() });
/**
 * `at`: when the engineer pressed the button (a phone that was offline sends it later); absent = now. Refused more
 * than 5 minutes in the future or before the visit was booked; never recorded before the previous step.
 */
export const VisitStepBody = z.object({ step: z.enum(VISIT_STEPS), version: z.number().int(), at: isoDateTime.optional() });
export const VisitIdParams = z.object({ id });
/** When the customer signed (the field page's outbox sends it later when the phone was offline); bounded like a step's `at`. */
export const SignatureQuery = z.object({ at: isoDateTime.optional() });

export const VisitList = z.object({ items: z.array(Visit) });

export const MyVisitsQuery = z.object({ date: isoDate.optional() });

export const BoardQuery = z.object({
  from: isoDate,
  days: z.coerce.number().int().min(1).max(14).default(7),
});

export const BoardEngineer = z.object({
  id: z.number(),
  name: z.string(),
  /** Home area (where the engineer starts from). */
  area: z.string().nullable(),
  /** Other districts served. */
  areas: z.array(z.string()),
  productLines: z.array(z.string()),
  /** A service provider's engineer (external): the provider; null for the company's own. */
  provider: z.object({ id: z.number(), name: z.string() }).nullable(),
});

/**
 * A visit as the dispatch board shows it: what a card, the drag and the reschedule dialog need. The board carries a
 * week of every engineer's visits (2,000 at 50 engineers), so the full Visit (steps, contact, parts, note) would
 * double the answer; a click that needs more asks for the visit itself.
 */
export const BoardVisit = Visit.pick({
  id: true,
  ticketNumber: true,
  ticketTitle: true,
  customerName: true,
  engineer: true,
  provider: true,
  kind: true,
  status: true,
  windowStart: true,
  windowEnd: true,
  address: true,
  area: true,
  late: true,
  version: true,
});
export type BoardVisit = z.infer<typeof BoardVisit>;

export const Board = z.object({
  /** Local dates (the field calendar's time zone) with whether each is a working day. */
  days: z.array(z.object({ date: isoDate, working: z.boolean(), start: isoDateTime, end: isoDateTime })),
  timeZone: z.string(),
  engineers: z.array(BoardEngineer),
  visits: z.array(BoardVisit),
  minGapMinutes: z.number(),
});
export type Board = z.infer<typeof Board>;

export const FreeSlotsQuery = z.object({
  from: isoDate,
  days: z.coerce.number().int().min(1).max(14).default(7),
  durationMinutes: z.coerce.number().int().min(15).max(600).default(120),
  /** Comma-separated user ids; all active engineers when absent. */
  engineerIds: z.string().regex(/^\d+(,\d+)*$/).optional(),
  area: area.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(40),
});

export const Slot = z.object({ start: isoDateTime, end: isoDateTime });
export const FreeSlots = z.object({ engineers: z.array(z.object({ engineer: UserRef, slots: z.array(Slot) })) });

export const SuggestQuery = z.object({
  from: isoDate,
  days: z.coerce.number().int().min(1).max(14).default(7),
  durationMinutes: z.coerce.number().int().min(15).max(600).default(120),
  windowStart: isoDateTime.optional(),
  windowEnd: isoDateTime.optional(),
  area: area.optional(),
  parts: z.coerce.boolean().default(false),
  /** The parts to bring as `partId:qty,partId:qty`: each engineer's van stock of them counts in the ranking. */
  partRefs: z.string().regex(/^\d+:\d+(,\d+:\d+)*$/).optional(),
});

export const Suggestion = z.object({
  engineer: BoardEngineer,
  score: z.number(),
  reasons: z.array(z.object({ code: z.string(), text: z.string(), weight: z.number() })),
  slot: Slot.nullable(),
  freeSlots: z.array(Slot),
});
export const Suggestions = z.object({ productLine: z.string().nullable(), items: z.array(Suggestion) });

export const EngineerProfileBody = z.object({ area: area.nullable(), areas: z.array(text(40, 1)).max(30).default([]), productLines: z.array(text(40, 1)).max(20) });

export const PhoneGuidanceBody = z.object({ note: text(1000, 1) });
export const PhoneGuidanceResult = z.object({ subtaskId: z.number(), dueAt: isoDateTime });
