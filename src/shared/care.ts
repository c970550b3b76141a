// Installation acceptance (安装验收), inspection plans (巡检), care reminders (主动关怀) and the 30-day repeat-repair
// measure (issue 16, SPEC §9–§10, seeds 000 / 002 / 003): the API contract.
import { z } from 'zod';
import { id, isoDate, isoDateTime, text, UserRef } from './fields.js';

// ---------------------------------------------------------------- installation acceptance

/** A checklist item as the engineer ticks it; `label` is the text (a product's own list or the line's defaults). */
export const ChecklistItem = z.object({ label: z.string(), done: z.boolean() });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const InstallationChecklist = z.object({
  productModel: z.string(),
  /** Whether the product has its own list (else the product line's defaults apply). */
  custom: z.boolean(),
  items: z.array(z.string()),
});
export type InstallationChecklist = z.infer<typeof InstallationChecklist>;
export const InstallationChecklistBody = z.object({ items: z.array(text(60, 1)).min(1).max(30) }).strict();

export const Acceptance = z.object({
  visitId: z.number(),
  ticketNumber: z.string(),
  unitId: z.number().nullable(),
  productModel: z.string().nullable(),
  items: z.array(ChecklistItem),
  /** Set once the customer signed off. */
  accepted: z.boolean(),
  acceptedOn: isoDate.nullable(),
  acceptedAt: isoDateTime.nullable(),
  signerName: z.string().nullable(),
  /** How the customer signed: their typed name and a confirmation, or a drawn signature (an image data URL). */
  signatureKind: z.enum(['typed', 'drawn']).nullable(),
  warrantyStart: isoDate.nullable(),
  warrantyEnd: isoDate.nullable(),
  version: z.number(),
});
export type Acceptance = z.infer<typeof Acceptance>;

export const ChecklistTickBody = z.object({ done: z.array(text(60, 1)).max(30), version: z.number().int() }).strict();
export const AcceptanceBody = z
  .object({
    signerName: text(60, 1),
    /** The customer confirmed the installation is complete and working. */
    confirmed: z.literal(true),
    /** A drawn signature (PNG data URL), when the phone page has the signature pad. */
    signature: z.string().max(200_000).regex(/^data:image\/png;base64,/).optional(),
    version: z.number().int(),
  })
  .strict();

// ---------------------------------------------------------------- inspection plans

export const INSPECTION_MODES = ['remote', 'phone', 'on_site'] as const;
export type InspectionMode = (typeof INSPECTION_MODES)[number];
/** scheduled: not yet within the lead time; due: its ticket exists, not done; overdue: past its date; done. */
export const OCCURRENCE_STATES = ['scheduled', 'due', 'overdue', 'done'] as const;
export type OccurrenceState = (typeof OCCURRENCE_STATES)[number];

export const InspectionOccurrence = z.object({
  id: z.number(),
  planId: z.number(),
  seq: z.number(),
  /** The date on the plan's cycle; never changes. */
  cycleDate: isoDate,
  /** The date it is due: the cycle date unless someone moved this one. */
  dueDate: isoDate,
  moved: z.boolean(),
  moveReason: z.string().nullable(),
  state: z.enum(OCCURRENCE_STATES),
  ticketNumber: z.string().nullable(),
  completedAt: isoDateTime.nullable(),
  completedBy: UserRef.nullable(),
  note: z.string().nullable(),
});
export type InspectionOccurrence = z.infer<typeof InspectionOccurrence>;

export const InspectionPlan = z.object({
  id: z.number(),
  title: z.string(),
  customer: z.object({ id: z.number(), name: z.string() }),
  unit: z.object({ id: z.number(), productModel: z.string(), serialNumber: z.string().nullable() }).nullable(),
  intervalMonths: z.number(),
  mode: z.enum(INSPECTION_MODES),
  engineers: z.array(UserRef),
  leadDays: z.number(),
  remindDays: z.number(),
  firstDate: isoDate,
  active: z.boolean(),
  /** The first occurrence not done yet. */
  next: InspectionOccurrence.nullable(),
  version: z.number(),
});
export type InspectionPlan = z.infer<typeof InspectionPlan>;
export const InspectionPlanDetail = InspectionPlan.extend({ occurrences: z.array(InspectionOccurrence) });
export type InspectionPlanDetail = z.infer<typeof InspectionPlanDetail>;
export const InspectionPlanList = z.object({ items: z.array(InspectionPlan) });
export const InspectionPlansQuery = z.object({ state: z.enum(['all', 'due', 'overdue']).default('all') });

const planFields = {
  title: text(100, 1),
  customerId: id,
  unitId: id.nullable().optional(),
  intervalMonths: z.number().int().min(1).max(60),
  mode: z.enum(INSPECTION_MODES),
  engineerIds: z.array(id).min(1).max(10),
  leadDays: z.number().int().min(0).max(90),
  remindDays: z.number().int().min(0).max(90),
  firstDate: isoDate,
  active: z.boolean().optional(),
};
export const InspectionPlanBody = z.object(planFields).strict();
export type InspectionPlanBody = z.infer<typeof InspectionPlanBody>;
export const InspectionPlanPatch = z.object({ ...planFields, version: z.number().int() }).partial({ title: true, customerId: true, unitId: true, intervalMonths: true, mode: true, engineerIds: true, leadDays: true, remindDays: true, firstDate: true }).strict();
export const OccurrenceMoveBody = z.object({ dueDate: isoDate, reason: text(300, 1) }).strict();
export const OccurrenceCompleteBody = z.object({ note: text(1000).optional() }).strict();

// ---------------------------------------------------------------- care reminders

export const CARE_RULES = ['usage_2y', 'warranty_ending'] as const;
export type CareRule = (typeof CARE_RULES)[number];

export const CareContact = z.object({
  id: z.number(),
  rule: z.enum(CARE_RULES),
  dueDate: isoDate,
  customer: z.object({ id: z.number(), name: z.string(), phone: z.string().nullable() }),
  unit: z.object({ id: z.number(), productModel: z.string(), productName: z.string().nullable(), serialNumber: z.string().nullable(), warrantyEnd: isoDate.nullable() }),
  /** What became of the customer message: queued / sent / failed / skipped (opted out), none: no channel reaches them. */
  messageStatus: z.string(),
  createdAt: isoDateTime,
  contactedAt: isoDateTime.nullable(),
  contactedBy: UserRef.nullable(),
  note: z.string().nullable(),
});
export type CareContact = z.infer<typeof CareContact>;
export const CareContactList = z.object({ items: z.array(CareContact) });
export const CareContactsQuery = z.object({ state: z.enum(['open', 'all']).default('open') });
export const CareContactDoneBody = z.object({ note: text(500).optional() }).strict();

// ---------------------------------------------------------------- repeat repairs

export const TicketLink = z.object({
  kind: z.literal('repeat_repair'),
  /** `first`: the other ticket is the earlier repair this one repeats; `repeat`: the other ticket repeats this one. */
  role: z.enum(['first', 'repeat']),
  ticket: z.object({ number: z.string(), title: z.string(), status: z.string() }),
  faultClass: z.string(),
  createdAt: isoDateTime,
});
export const TicketLinkList = z.object({ items: z.array(TicketLink) });

export const RepeatRepairQuery = z.object({ from: isoDate, to: isoDate });
export const RepeatRepairRow = z.object({
  number: z.string(),
  title: z.string(),
  productModel: z.string().nullable(),
  engineer: UserRef.nullable(),
  closedAt: isoDateTime,
  /** The China month it closed in: YYYY-MM. */
  month: z.string(),
  faultClasses: z.array(z.string()),
  repeat: z.object({ number: z.string(), createdAt: isoDateTime }).nullable(),
});
export type RepeatRepairRow = z.infer<typeof RepeatRepairRow>;
export const RepeatRepairGroup = z.object({ key: z.string(), label: z.string(), closed: z.number(), repeats: z.number(), rate: z.number() });
export type RepeatRepairGroup = z.infer<typeof RepeatRepairGroup>;
export const RepeatRepairReport = z.object({
  from: isoDate,
  to: isoDate,
  /** Seed 000: 维修后30天内,同一问题复报率≤5%. */
  target: z.number(),
  total: RepeatRepairGroup,
  byModel: z.array(RepeatRepairGroup),
  byEngineer: z.array(RepeatRepairGroup),
  byMonth: z.array(RepeatRepairGroup),
  rows: z.array(RepeatRepairRow),
});
export type RepeatRepairReport = z.infer<typeof RepeatRepairReport>;
