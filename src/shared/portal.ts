// The customer portal's contract (issue 15): who is using it, one-time code sign-in, one-ticket links, the customer's
// units, and staff managing customer accounts.
import { z } from 'zod';
import { WarrantyInfo } from './products.js';

/** Who is using the portal. `link`: a visitor on a signed one-ticket link, who sees and acts on that ticket only. */
export const PortalSession = z.object({
  kind: z.enum(['account', 'link', 'staff']),
  /** The person's display name. */
  name: z.string(),
  /** The customer (person or company) they act for; null for staff. */
  customerId: z.number().int().nullable(),
  customerName: z.string().nullable(),
  /** The one ticket a link session opens; null otherwise. */
  ticketNumber: z.string().nullable(),
  csrfToken: z.string(),
});
export type PortalSession = z.infer<typeof PortalSession>;

export const PortalSessionResponse = z.object({ session: PortalSession.nullable() });

/** A phone number or an e-mail address, as typed. */
const signInTargetText = z.string().trim().min(1).max(200);

export const CodeRequestBody = z.object({ target: signInTargetText }).strict();
export type CodeRequestBody = z.infer<typeof CodeRequestBody>;

/** The same answer whether or not an account signs in with the target (no account enumeration). */
export const CodeRequested = z.object({
  channel: z.enum(['sms', 'email']),
  expiresInMinutes: z.number().int(),
  /** Demo mode on loopback only: the code itself, shown on screen. Always null otherwise. */
  demoCode: z.string().nullable(),
});
export type CodeRequested = z.infer<typeof CodeRequested>;

export const SignInBody = z.object({ target: signInTargetText, code: z.string().trim().regex(/^\d{6}$/, { message: 'signin_code_format' }) }).strict();
export type SignInBody = z.infer<typeof SignInBody>;

/** A signed one-ticket link (`/portal/t/:token`), exchanged for a session that sees that ticket only. */
export const LinkBody = z.object({ token: z.string().min(1).max(200) }).strict();
export type LinkBody = z.infer<typeof LinkBody>;
/** The session the link leaves the visitor with (their own account's, if it sees the ticket already) and the ticket it opens. */
export const LinkOpened = z.object({ session: PortalSession, ticketNumber: z.string() });
export type LinkOpened = z.infer<typeof LinkOpened>;

/** A ticket on a unit, as its owner sees it in the unit's service history. */
export const PortalUnitTicket = z.object({
  number: z.string(),
  title: z.string(),
  status: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** The serial the ticket was about: a replaced unit's tickets carry over to its replacement with the old serial. */
  serialNumber: z.string().nullable(),
});

/** A replacement (换新) as the customer sees it: the other unit's serial and the day (no staff notes or reasons). */
export const PortalReplacement = z.object({ serialNumber: z.string().nullable(), at: z.string() });

/** One of the customer's units: its warranty and service history (only what the customer may see). */
export const PortalUnit = z.object({
  id: z.number().int(),
  productModel: z.string(),
  productName: z.string().nullable(),
  serialNumber: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  installDate: z.string().nullable(),
  /** Installation acceptance (安装验收): starts the warranty of a product that needs installation. */
  acceptanceDate: z.string().nullable(),
  /** Last day covered; null when unknown (no proof of purchase, no acceptance). */
  warrantyEnd: z.string().nullable(),
  warranty: z.enum(['in_warranty', 'expired', 'unknown']),
  /** The warranty as the console shows it: status, start, end, basis and why. */
  warrantyDetail: WarrantyInfo,
  /** Newest first, at most 20: this unit's and those of the units it replaced (the customer's own tickets only). */
  tickets: z.array(PortalUnitTicket),
  /** The units this one replaced, newest first (only the customer's own). */
  replaces: z.array(PortalReplacement),
  /** The unit that replaced this one, when it is still the customer's. */
  replacedBy: PortalReplacement.nullable(),
});
export type PortalUnit = z.infer<typeof PortalUnit>;
export const PortalUnits = z.object({ items: z.array(PortalUnit) });

/** A customer's portal account, as staff see it on the customer's page. */
export const CustomerAccount = z.object({
  id: z.number().int(),
  displayName: z.string(),
  /** What the customer signs in with (masked for staff who may not see contact details). */
  phone: z.string().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type CustomerAccount = z.infer<typeof CustomerAccount>;
export const CustomerAccounts = z.object({ items: z.array(CustomerAccount) });

const accountPhone = z.string().trim().max(40).nullable().optional();
const accountEmail = z.string().trim().max(200).nullable().optional();

export const CustomerAccountCreateBody = z
  .object({
    /** Defaults to the customer's name. */
    displayName: z.string().trim().min(1).max(100).optional(),
    phone: accountPhone,
    email: accountEmail,
    /** Send the sign-in invitation at once (through the customer messages). */
    invite: z.boolean().optional(),
  })
  .strict();
export type CustomerAccountCreateBody = z.infer<typeof CustomerAccountCreateBody>;

export const CustomerAccountPatchBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    phone: accountPhone,
    email: accountEmail,
    /** false: disabled — every session of the account ends at once, and it can no longer sign in. */
    active: z.boolean().optional(),
  })
  .strict();
export type CustomerAccountPatchBody = z.infer<typeof CustomerAccountPatchBody>;

export const CustomerAccountParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647), accountId: z.coerce.number().int().positive().max(2_147_483_647) });

export const InvitationSent = z.object({ sent: z.boolean(), channel: z.enum(['sms', 'email']).nullable() });
