// The customer portal's own server side: who is using it (session), sign-in with a one-time code, one-ticket link
// sessions, the customer's units with their warranty and service history. Everything a customer reads of a ticket still
// goes through the tickets module and the customer view (domain/customer-view.ts).
import type { PortalSession } from '../../../shared/portal.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';

export class PortalService {
  constructor(private readonly ctx: AppContext) {}

  /** The portal's view of the caller; null when nobody is signed in. */
  async session(actor: Actor | null, csrfToken: string | null): Promise<PortalSession | null> {
    if (!actor) return null;
    if (actor.role !== 'customer') return { kind: 'staff', name: actor.name, customerName: null, ticketNumber: null, csrfToken: csrfToken ?? '' };
    const customer = await this.ctx.db.read.selectFrom('customers').select('name').where('id', '=', actor.customerId ?? -1).executeTakeFirst();
    return { kind: 'account', name: actor.name, customerName: customer?.name ?? null, ticketNumber: null, csrfToken: csrfToken ?? '' };
  }
}
