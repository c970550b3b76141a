// Customer accounts (issue 15): staff create, invite and disable the accounts customers sign in to the portal with.
// An account is a `users` row with role `customer`, the customer's id, and the phone number and/or e-mail address it
// signs in with (normalised: digits, lower case); it has no password (one-time codes only). Disabling ends its
// sessions at once, in the same transaction, like deactivating staff.
import type { Kysely } from 'kysely';
import type { CustomerAccount, CustomerAccountCreateBody, CustomerAccountPatchBody } from '../../../shared/portal.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { can, type Actor } from '../../domain/access.js';
import { maskEmail, maskPhone } from '../../domain/contact.js';
import { isoString } from '../../domain/iso.js';
import { signInTarget } from '../../domain/portal-signin.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Invalid, NotFound } from '../../http/errors.js';
import { endCredentials } from '../auth/credentials.js';
import { randomSecret } from '../auth/password.js';
import type { PortalSignIn } from './signin.js';

type AccountRow = { id: number; display_name: string; phone: string | null; email: string | null; active: number; created_at: number };

export class CustomerAccountsService {
  /** AuthService.forgetUser: this node's cached sessions of a disabled account go at once. */
  onCredentialsEnded: (userId: number) => void = () => {};

  constructor(
    private readonly ctx: AppContext,
    private readonly signin: PortalSignIn,
  ) {}

  async list(actor: Actor, customerId: number): Promise<{ items: CustomerAccount[] }> {
    requireAccess(actor, 'customer.read');
    if (actor.role === 'customer') throw NotFound('error.customer_not_found');
    const rows = await this.accounts(this.ctx.db.read, customerId).orderBy('id').execute();
    return { items: rows.map((r) => this.dto(actor, r)) };
  }

  async create(actor: Actor, customerId: number, body: CustomerAccountCreateBody): Promise<CustomerAccount> {
    requireAccess(actor, 'customer.write');
    const { phone, email } = this.targets(body.phone ?? null, body.email ?? null);
    if (!phone && !email) throw Invalid({ phone: 'field.account_target_required', email: 'field.account_target_required' });
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write(async (trx) => {
      const customer = await trx.selectFrom('customers').select(['id', 'name']).where('id', '=', customerId).executeTakeFirst();
      if (!customer) throw NotFound('error.customer_not_found');
      await this.requireFree(trx, phone, email, null);
      const inserted = await trx
        .insertInto('users')
        .values({
          // Never typed by anyone: customers sign in with their phone or e-mail and a code.
          username: `customer.${customerId}.${randomSecret(6)}`,
          display_name: body.displayName ?? customer.name,
          // Not a scrypt hash: no password opens a customer account.
          password_hash: '!portal-account',
          role: 'customer',
          department_id: null,
          customer_id: customerId,
          skills: '[]',
          email,
          phone,
          active: 1,
          created_at: now,
          link_identity: 0,
        })
        .returning(['id', 'display_name', 'phone', 'email', 'active', 'created_at'])
        .executeTakeFirstOrThrow();
      if (body.invite) await this.sendInvitation(trx, actor, customerId, inserted, now);
      return inserted;
    });
    return this.dto(actor, row);
  }

  async update(actor: Actor, customerId: number, accountId: number, body: CustomerAccountPatchBody): Promise<CustomerAccount> {
    requireAccess(actor, 'customer.write');
    const row = await this.ctx.db.write(async (trx) => {
      const current = await this.accounts(trx, customerId).where('id', '=', accountId).executeTakeFirst();
      if (!current) throw NotFound('error.account_not_found');
      const next = this.targets(body.phone === undefined ? current.phone : body.phone, body.email === undefined ? current.email : body.email);
      if (!next.phone && !next.email) throw Invalid({ phone: 'field.account_target_required', email: 'field.account_target_required' });
      await this.requireFree(trx, next.phone !== current.phone ? next.phone : null, next.email !== current.email ? next.email : null, accountId);
      const active = body.active === undefined ? current.active : body.active ? 1 : 0;
      await trx
        .updateTable('users')
        .set({ display_name: body.displayName ?? current.display_name, phone: next.phone, email: next.email, active })
        .where('id', '=', accountId)
        .execute();
      // Disabled, or what it signs in with changed: every session and token of it ends now.
      if (active === 0 || next.phone !== current.phone || next.email !== current.email) await endCredentials(trx, accountId);
      return { ...current, display_name: body.displayName ?? current.display_name, phone: next.phone, email: next.email, active };
    });
    if (row.active === 0 || body.phone !== undefined || body.email !== undefined) this.onCredentialsEnded(accountId);
    return this.dto(actor, row);
  }

  /** Sends the portal invitation through the customer messages to the account's own e-mail, else its own phone. */
  async invite(actor: Actor, customerId: number, accountId: number): Promise<{ sent: boolean; channel: 'sms' | 'email' | null }> {
    requireAccess(actor, 'customer.write');
    const now = this.ctx.clock.now();
    return this.ctx.db.write(async (trx) => {
      const account = await this.accounts(trx, customerId).where('id', '=', accountId).executeTakeFirst();
      if (!account || account.active !== 1) throw NotFound('error.account_not_found');
      return this.sendInvitation(trx, actor, customerId, account, now);
    });
  }

  private async sendInvitation(trx: Kysely<DB>, actor: Actor, customerId: number, account: AccountRow, now: number): Promise<{ sent: boolean; channel: 'sms' | 'email' | null }> {
    const channel = account.email ? 'email' : account.phone ? 'sms' : null;
    if (!channel) throw new AppError(409, 'conflict', 'error.account_no_target');
    const messages = this.signin.messages;
    if (!messages) throw new AppError(503, 'unavailable', 'error.messages_unavailable');
    // The address the account signs in with: the customer record's may be another person's or out of date.
    const target = channel === 'email' ? account.email! : account.phone!;
    const ids = await messages.sendInvitation(trx, { customerId, channel, target, link: `${this.ctx.config.publicUrl}/portal/signin`, key: `invitation:${account.id}:${now}`, actorId: actor.id });
    // Nothing written: that channel is not set up (no SMTP, no SMS provider); staff are told rather than assured.
    return { sent: ids.length > 0, channel };
  }

  private accounts(db: Kysely<DB>, customerId: number) {
    return db
      .selectFrom('users')
      .select(['id', 'display_name', 'phone', 'email', 'active', 'created_at'])
      .where('customer_id', '=', customerId)
      .where('role', '=', 'customer')
      .where('link_identity', '=', 0);
  }

  /** Normalised sign-in targets (digits, lower case), each checked. */
  private targets(phone: string | null, email: string | null): { phone: string | null; email: string | null } {
    const p = phone ? signInTarget(phone) : null;
    const e = email ? signInTarget(email) : null;
    const fields: Record<string, string> = {};
    if (phone && p?.channel !== 'sms') fields.phone = 'field.account_phone_format';
    if (email && e?.channel !== 'email') fields.email = 'field.account_email_format';
    if (Object.keys(fields).length) throw Invalid(fields);
    return { phone: p?.address ?? null, email: e?.address ?? null };
  }

  /** A phone number or e-mail address signs in one customer account only. */
  private async requireFree(trx: Kysely<DB>, phone: string | null, email: string | null, except: number | null) {
    const taken = async (column: 'phone' | 'email', value: string) => {
      let q = trx.selectFrom('users').select('id').where(column, '=', value).where('role', '=', 'customer').where('link_identity', '=', 0);
      if (except !== null) q = q.where('id', '!=', except);
      return (await q.executeTakeFirst()) !== undefined;
    };
    const fields: Record<string, string> = {};
    if (phone && (await taken('phone', phone))) fields.phone = 'field.account_phone_taken';
    if (email && (await taken('email', email))) fields.email = 'field.account_email_taken';
    if (Object.keys(fields).length) throw new AppError(409, 'conflict', 'error.validation_failed', {}, fields);
  }

  private dto(actor: Actor, r: AccountRow): CustomerAccount {
    const whole = can(actor, 'contact.unmasked');
    return {
      id: r.id,
      displayName: r.display_name,
      phone: whole ? r.phone : maskPhone(r.phone),
      email: whole ? r.email : maskEmail(r.email),
      active: r.active === 1,
      createdAt: isoString(r.created_at),
    };
  }
}
