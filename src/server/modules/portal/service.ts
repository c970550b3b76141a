// The customer portal's own server side: who is using it, sign-in (signin.ts), the customer's units with their
// warranty and service history. What a customer reads of a ticket itself still goes through the tickets module and
// the customer view (domain/customer-view.ts); what this module answers is built field by field here.
import type { PortalSession, PortalUnit } from '../../../shared/portal.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { isoOrNull, isoString } from '../../domain/iso.js';
import { unitWarranty } from '../products/facts.js';
import { Forbidden } from '../../http/errors.js';
import type { LinksService } from '../links/service.js';
import { CustomerAccountsService } from './accounts.js';
import { PortalSignIn } from './signin.js';

const PORTAL_WARRANTY = { in: 'in_warranty', out: 'expired', unknown: 'unknown' } as const;

export class PortalService {
  readonly signin: PortalSignIn;
  /** Staff manage customers' portal accounts (accounts.ts). */
  readonly accounts: CustomerAccountsService;

  constructor(
    private readonly ctx: AppContext,
    links: LinksService,
  ) {
    this.signin = new PortalSignIn(ctx, links);
    this.accounts = new CustomerAccountsService(ctx, this.signin);
  }

  /** The portal's view of the caller; null when nobody is signed in. */
  async session(actor: Actor | null, csrfToken: string | null): Promise<PortalSession | null> {
    if (!actor) return null;
    if (actor.role !== 'customer') return { kind: 'staff', name: actor.name, customerId: null, customerName: null, ticketNumber: null, csrfToken: csrfToken ?? '' };
    const customer = await this.ctx.db.read.selectFrom('customers').select('name').where('id', '=', actor.customerId ?? -1).executeTakeFirst();
    let ticketNumber: string | null = null;
    if (actor.ticketId !== undefined) {
      ticketNumber = (await this.ctx.db.read.selectFrom('tickets').select('number').where('id', '=', actor.ticketId).executeTakeFirst())?.number ?? null;
    }
    return { kind: actor.ticketId !== undefined ? 'link' : 'account', name: actor.name, customerId: actor.customerId, customerName: customer?.name ?? null, ticketNumber, csrfToken: csrfToken ?? '' };
  }

  /** The session just opened (sign-in, link): the same shape as `session`. */
  async sessionOf(userId: number, ticketNumber: string | null, csrfToken: string): Promise<PortalSession> {
    const u = await this.ctx.db.read
      .selectFrom('users')
      .leftJoin('customers', 'customers.id', 'users.customer_id')
      .select(['users.display_name', 'users.customer_id', 'customers.name as customer_name'])
      .where('users.id', '=', userId)
      .executeTakeFirstOrThrow();
    return { kind: ticketNumber ? 'link' : 'account', name: u.display_name, customerId: u.customer_id, customerName: u.customer_name, ticketNumber, csrfToken };
  }

  /** The signed-in customer's units, each with its warranty status and the tickets about it (newest first). */
  async units(actor: Actor): Promise<{ items: PortalUnit[] }> {
    if (actor.role !== 'customer' || actor.customerId === null || actor.ticketId !== undefined) throw Forbidden();
    const db = this.ctx.db.read;
    const units = await db
      .selectFrom('units')
      .leftJoin('products', 'products.model', 'units.product_model')
      .select([
        'units.id',
        'units.product_model',
        'units.serial_number',
        'units.purchase_date',
        'units.install_date',
        'units.acceptance_date',
        'units.proof_attachment_id',
        'units.proof_ref',
        'units.extended_months',
        'products.name as product_name',
        'products.warranty_months',
        'products.needs_installation',
        'units.replaces_id',
        'units.replaced_by_id',
        'units.replaced_at',
      ])
      .where('units.customer_id', '=', actor.customerId)
      .orderBy('units.id', 'desc')
      .limit(200)
      .execute();
    const tickets = units.length
      ? await db
          .selectFrom('tickets')
          .select(['unit_id', 'number', 'title', 'status', 'created_at', 'closed_at'])
          .where('customer_id', '=', actor.customerId)
          .where('unit_id', 'in', units.map((u) => u.id))
          .orderBy('id', 'desc')
          .limit(2000)
          .execute()
      : [];
    const now = this.ctx.clock.now();
    // A replacement's history is the old unit's too (SPEC §9): follow replaces_id, but only through this customer's
    // own units, so a unit that changed hands never shows the former owner's serials or tickets.
    const own = new Map(units.map((u) => [u.id, u]));
    const lineage = (u: (typeof units)[number]) => {
      const chain = [u];
      for (let prev = u.replaces_id === null ? undefined : own.get(u.replaces_id); prev && !chain.includes(prev) && chain.length < 50; prev = prev.replaces_id === null ? undefined : own.get(prev.replaces_id)) chain.push(prev);
      return chain;
    };
    const replacement = (other: (typeof units)[number] | undefined, at: number | null) => (other && at !== null ? { serialNumber: other.serial_number, at: isoString(at) } : null);
    return {
      items: units.map((u) => {
        const chain = lineage(u);
        const ids = new Set(chain.map((c) => c.id));
        const serialOf = new Map(chain.map((c) => [c.id, c.serial_number]));
        // Installed units are covered from their acceptance, others from the proven purchase (SPEC §9, issue 16).
        const w = unitWarranty(u, u, now);
        return {
          id: u.id,
          productModel: u.product_model,
          productName: u.product_name ?? null,
          serialNumber: u.serial_number,
          purchaseDate: u.purchase_date,
          installDate: u.install_date,
          acceptanceDate: u.acceptance_date,
          warrantyEnd: w.end,
          warranty: PORTAL_WARRANTY[w.status],
          warrantyDetail: w,
          tickets: tickets
            .filter((t) => t.unit_id !== null && ids.has(t.unit_id))
            .slice(0, 20)
            .map((t) => ({ number: t.number, title: t.title, status: t.status, createdAt: isoString(t.created_at), closedAt: isoOrNull(t.closed_at), serialNumber: serialOf.get(t.unit_id!) ?? null })),
          replaces: chain.slice(1).flatMap((old) => replacement(old, old.replaced_at) ?? []),
          replacedBy: u.replaced_by_id === null ? null : replacement(own.get(u.replaced_by_id), u.replaced_at),
        };
      }),
    };
  }
}
