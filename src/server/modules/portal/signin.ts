// Portal sign-in with a one-time code, and the one-ticket link session (issue 15). Codes: six digits, 10 minutes,
// single use, stored as an HMAC keyed from the installation's link secret; the answer to "send me a code" is the same
// whether or not an account exists (nothing is sent when none does), and a wrong, expired, used or unknown code all get
// the same field message. Rate limits per target and per address are the routes' (routes.ts).
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Language } from '../../../shared/enums.js';
import type { CodeRequested } from '../../../shared/portal.js';
import { demoPasswordAllowed } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS, codeHash, codeMatches, newCode, signInTarget, type SignInTarget } from '../../domain/portal-signin.js';
import type { Actor } from '../../domain/access.js';
import { AppError, Invalid } from '../../http/errors.js';
import { insertSession } from '../auth/service.js';
import type { LinksService } from '../links/service.js';
import type { PortalMessages } from './messages.js';

export interface OpenedSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
  userId: number;
}

export class PortalSignIn {
  private codeKey: Buffer | null = null;
  /** The customer-messages module (services.ts sets it); null: codes are made but not delivered (logged). */
  messages: PortalMessages | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly links: LinksService,
  ) {}

  /** The target a request names, or a translated field error. */
  target(input: string): SignInTarget {
    const t = signInTarget(input);
    if (!t) throw Invalid({ target: 'field.signin_target' });
    return t;
  }

  /**
   * Makes a code for the target and, when an active customer account signs in with it, sends it. The answer is the
   * same either way (`demoCode` too, in demo mode on loopback, where the code is shown instead of only sent).
   */
  async requestCode(input: string, locale: Language): Promise<CodeRequested> {
    const target = this.target(input);
    const key = await this.key();
    const code = newCode();
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const account = await this.accountFor(trx, target);
      const row = await trx
        .insertInto('login_codes')
        .values({ target: target.key, code_hash: codeHash(key, target.key, code), user_id: account?.id ?? null, created_at: now, expires_at: now + CODE_TTL_MS, used_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Old rows are of no use after their expiry; a few per sign-in are dropped here rather than by a job.
      await trx.deleteFrom('login_codes').where('expires_at', '<', now - CODE_TTL_MS).execute();
      if (!account) return;
      if (!this.messages) {
        this.ctx.log.warn({ channel: target.channel }, 'portal sign-in code not delivered: the customer-messages module is not available');
        return;
      }
      await this.messages.sendLoginCode(trx, {
        channel: target.channel,
        target: target.address,
        code,
        locale,
        minutes: CODE_TTL_MS / 60_000,
        customerId: account.customer_id,
        dedupeKey: `portal:${row.id}`,
      });
    });
    return { channel: target.channel, expiresInMinutes: CODE_TTL_MS / 60_000, demoCode: demoPasswordAllowed(this.ctx.config) ? code : null };
  }

  /** Checks a code; on success the code is spent and a session opened for its account. */
  async signIn(input: string, code: string): Promise<OpenedSession> {
    const target = this.target(input);
    const key = await this.key();
    const now = this.ctx.clock.now();
    // Decided inside the transaction, thrown after it: a wrong code's attempt must be counted, not rolled back.
    const outcome = await this.ctx.db.write(async (trx) => {
      const live = await trx
        .selectFrom('login_codes')
        .select(['id', 'code_hash', 'user_id'])
        .where('target', '=', target.key)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .where('attempts', '<', CODE_MAX_ATTEMPTS)
        .orderBy('id', 'desc')
        .limit(5)
        .execute();
      const hit = live.find((c) => codeMatches(key, target.key, code, c.code_hash));
      if (!hit) {
        if (live.length > 0) await trx.updateTable('login_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', 'in', live.map((c) => c.id)).execute();
        return null;
      }
      // Single use, also against a second request racing this one: only one UPDATE finds used_at still empty.
      const spent = await trx.updateTable('login_codes').set({ used_at: now }).where('id', '=', hit.id).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1 || hit.user_id === null) return null;
      const user = await trx.selectFrom('users').select(['id', 'active', 'role', 'link_identity']).where('id', '=', hit.user_id).executeTakeFirst();
      if (!user || user.active !== 1 || user.role !== 'customer' || user.link_identity === 1) return null;
      return { ...(await insertSession(trx, user.id, now)), userId: user.id };
    });
    if (!outcome) throw Invalid({ code: 'field.signin_code_wrong' });
    return outcome;
  }

  /**
   * Opens a link session for the ticket a signed link names: it acts as the customer's link identity (one per customer,
   * made on first use) and sees that ticket only, until the link itself expires or a week has passed.
   */
  async openLink(token: string): Promise<OpenedSession & { ticketNumber: string }> {
    const check = await this.links.check(token, 'ticket');
    if (!check.ok) throw new AppError(check.reason === 'expired' ? 410 : 404, 'not_found', check.reason === 'expired' ? 'error.ticket_link_expired' : 'error.ticket_link_invalid');
    const now = this.ctx.clock.now();
    return this.ctx.db.write(async (trx) => {
      const ticket = await trx.selectFrom('tickets').select(['id', 'number', 'customer_id']).where('id', '=', check.claims.subject).executeTakeFirst();
      if (!ticket) throw new AppError(404, 'not_found', 'error.ticket_link_invalid');
      const userId = await this.linkIdentity(trx, ticket.customer_id, now);
      const opened = await insertSession(trx, userId, now, { ticketId: ticket.id, expiresAt: check.claims.expiresAt });
      return { ...opened, userId, ticketNumber: ticket.number };
    });
  }

  /** Whether the caller already sees the linked ticket with their own account (then the link changes nothing). */
  async accountSeesLink(actor: Actor | null, token: string): Promise<string | null> {
    if (!actor || actor.role !== 'customer' || actor.ticketId !== undefined) return null;
    const check = await this.links.check(token, 'ticket');
    if (!check.ok) return null;
    const t = await this.ctx.db.read.selectFrom('tickets').select(['number', 'customer_id']).where('id', '=', check.claims.subject).executeTakeFirst();
    return t && t.customer_id === actor.customerId ? t.number : null;
  }

  private async accountFor(trx: Kysely<DB>, target: SignInTarget) {
    return trx
      .selectFrom('users')
      .select(['id', 'customer_id'])
      .where(target.channel === 'email' ? 'email' : 'phone', '=', target.address)
      .where('role', '=', 'customer')
      .where('active', '=', 1)
      .where('link_identity', '=', 0)
      .orderBy('id')
      .executeTakeFirst();
  }

  /** The customer's link identity: a `users` row that never signs in, named like the customer, made once. */
  private async linkIdentity(trx: Kysely<DB>, customerId: number, now: number): Promise<number> {
    const username = `link.${customerId}`;
    const found = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    if (found) return found.id;
    const customer = await trx.selectFrom('customers').select('name').where('id', '=', customerId).executeTakeFirstOrThrow();
    // A race with another node (PostgreSQL) keeps the first row: the insert does nothing and the row is read back.
    await trx
      .insertInto('users')
      .values({
        username,
        display_name: customer.name,
        // Not a scrypt hash: verifyPassword refuses it, so this identity can never sign in with a password.
        password_hash: '!link-identity',
        role: 'customer',
        department_id: null,
        customer_id: customerId,
        skills: '[]',
        email: null,
        phone: null,
        active: 1,
        created_at: now,
        link_identity: 1,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
    return (await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  }

  private async key(): Promise<Buffer> {
    if (!this.codeKey) this.codeKey = crypto.createHmac('sha256', await this.links.load()).update('portal sign-in codes').digest();
    return this.codeKey;
  }
}
