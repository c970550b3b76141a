// The customer portal's contract (issue 15): who is using it, one-time code sign-in, one-ticket links, the customer's
// units, and staff managing customer accounts.
import { z } from 'zod';

/** Who is using the portal. `link`: a visitor on a signed one-ticket link, who sees and acts on that ticket only. */
export const PortalSession = z.object({
  kind: z.enum(['account', 'link', 'staff']),
  /** The person's display name. */
  name: z.string(),
  /** The customer (person or company) they act for; null for staff. */
  customerName: z.string().nullable(),
  /** The one ticket a link session opens; null otherwise. */
  ticketNumber: z.string().nullable(),
  csrfToken: z.string(),
});
export type PortalSession = z.infer<typeof PortalSession>;

export const PortalSessionResponse = z.object({ session: PortalSession.nullable() });
