// Messages to customers (issue 15): the one object other modules call. Writing happens inside the caller's
// transaction (compose.ts: sign-in codes, invitations, ticket events); delivery through the outbox's channel
// `message` (senders.ts: e-mail, SMS, WeChat) with the outbox's retries and back-off; a settled message updates its
// row and, on a ticket, the staff-only timeline. Also each customer's choices, the unsubscribe link, templates and the
// channel settings (admin).
import type { Kysely, Selectable } from 'kysely';
import type { Language } from '../../../shared/enums.js';
import {
  ESSENTIAL_MESSAGE_EVENTS,
  type CustomerMessage,
  type MessageChannel,
  type MessageChannelSettings,
  type MessageChannelSettingsBody,
  type MessageEvent,
  type MessagePreferences,
  type MessagePreferencesBody,
  type MessageTemplate,
  type MessageTemplateBody,
} from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import type { DB, OutboxTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { isEssential, type TemplateText } from '../../domain/messages/templates.js';
import { requireAccess } from '../../http/access.js';
import { Forbidden, Invalid, NotFound } from '../../http/errors.js';
import type { LinksService } from '../links/service.js';
import type { Settlement } from '../notify/delivery.js';
import type { NotifyService } from '../notify/service.js';
import type { Outcome } from '../notify/types.js';
import { appendEvent } from '../tickets/repo.js';
import { ChannelSettingsStore } from './channel-settings.js';
import { asLanguage, maskTarget, MessageComposer, OUTBOX_CHANNEL, parseChannels, type MessageRecipient, type TicketRef } from './compose.js';
import { MessageSenders } from './senders.js';
import { MessageTemplates } from './templates.js';

export { OUTBOX_CHANNEL, type MessageRecipient, type TicketRef } from './compose.js';

/** How long a sign-in code message may still go out (the portal's codes live as long; a later send is useless). */
export const LOGIN_CODE_MINUTES = 10;

export interface LoginCodeInput {
  channel: 'sms' | 'email';
  target: string;
  code: string;
  locale: Language;
  /** Minutes the code is valid (shown in the text; the message is not sent after that). */
  minutes?: number;
  customerId?: number | null;
  /** One request of the portal; without it every call is its own message. */
  dedupeKey?: string;
}

export interface TicketMessageInput {
  event: MessageEvent;
  /** One logical event of the ticket (e.g. `reply:<commentId>`). */
  key: string;
  ticket: TicketRef & { customer_id: number };
  /** The customer row when the caller has it (ticket creation); read in the transaction otherwise. */
  customer?: MessageRecipient;
  variables?: Record<string, string>;
  actorId?: number | null;
}

const RECIPIENT_COLUMNS = ['id', 'name', 'email', 'phone', 'locale', 'message_channels', 'messages_opt_out', 'wechat_openid'] as const;

export class MessagesService {
  readonly templates: MessageTemplates;
  readonly channelSettings: ChannelSettingsStore;
  readonly senders: MessageSenders;
  private readonly composer: MessageComposer;

  constructor(
    private readonly ctx: AppContext,
    private readonly links: LinksService,
    private readonly notify: NotifyService,
  ) {
    this.templates = new MessageTemplates(ctx);
    this.channelSettings = new ChannelSettingsStore(ctx);
    this.senders = new MessageSenders(ctx, notify.outbox, this.channelSettings);
    this.composer = new MessageComposer(ctx, links, notify.outbox, this.channelSettings, this.templates);
    notify.outbox.registerChannel(OUTBOX_CHANNEL, {
      send: (row, now) => this.deliver(row, now),
      settled: (trx, row, s, attempts, now) => this.settled(trx, row, s, attempts, now),
    });
  }

  /** Drops the cached templates and channel settings (an admin's edit on this node, or the other thread's). */
  invalidate() {
    this.templates.invalidate();
    this.channelSettings.invalidate();
  }

  // ---------------------------------------------------------------- writing (inside the caller's transaction)

  /**
   * A one-time sign-in code, always sent (no opt-out). The code is in the message's text and variables only until it
   * is delivered or given up (then both are blanked), and it is never sent once expired: nothing keeps a usable code
   * in the clear, and the outbox row itself carries only the message's id. Returns the message id and whether the
   * channel can send now (false: no SMTP / no SMS provider — the portal should say so).
   */
  async sendLoginCode(trx: Kysely<DB>, input: LoginCodeInput): Promise<{ messageId: number | null; deliverable: boolean }> {
    const minutes = input.minutes ?? LOGIN_CODE_MINUTES;
    const ready = this.composer.ready(await this.channelSettings.get(trx))[input.channel];
    const target = input.target.trim();
    if (input.channel === 'email' ? !target.includes('@') : !/\d{5,}/.test(target.replace(/\D/g, ''))) throw Invalid({ target: input.channel === 'email' ? 'field.email_format' : 'field.phone_format' });
    const now = this.ctx.clock.now();
    const [id] = await this.composer.write(trx, {
      event: 'login_code',
      key: input.dedupeKey ? `login_code:${input.dedupeKey}` : `login_code:${now}:${crypto.randomUUID()}`,
      recipient: null,
      ticket: null,
      locale: input.locale,
      variables: { code: input.code, minutes: String(minutes) },
      targets: [{ channel: input.channel, target }],
      sensitive: true,
      expiresAt: now + minutes * 60_000,
    });
    // Who asked for it is recorded without the code: the customer's messages list shows it was sent.
    if (id !== undefined && input.customerId) await trx.updateTable('customer_messages').set({ customer_id: input.customerId }).where('id', '=', id).execute();
    return { messageId: id ?? null, deliverable: ready };
  }

  /**
   * The portal invitation staff send a customer (always sent). To `target` on `channel` when given — a portal account's
   * own phone or e-mail, which it signs in with and which need not be the customer record's —, else the customer
   * record's address on `channel`, else the customer's channels.
   */
  async sendInvitation(trx: Kysely<DB>, input: { customerId: number; link?: string; channel?: MessageChannel; target?: string; key?: string; actorId?: number | null }): Promise<number[]> {
    const c = await trx.selectFrom('customers').select(RECIPIENT_COLUMNS).where('id', '=', input.customerId).executeTakeFirst();
    if (!c) throw NotFound('error.customer_not_found');
    const ready = this.composer.ready(await this.channelSettings.get(trx));
    let targets = this.composer.targetsFor(c, ready);
    if (input.channel) {
      const own = input.target?.trim();
      const target = !ready[input.channel] ? null : own !== undefined ? own || null : this.composer.address(c, input.channel);
      targets = target ? [{ channel: input.channel, target }] : [];
    }
    const link = input.link ?? `${this.ctx.config.publicUrl}/portal/`;
    return this.composer.write(trx, {
      event: 'invitation',
      key: input.key ?? `invitation:${c.id}:${this.ctx.clock.now()}`,
      recipient: c,
      ticket: null,
      locale: asLanguage(c.locale),
      variables: { customerName: c.name, link },
      targets,
      actorId: input.actorId ?? null,
    });
  }

  /**
   * A message about one of the customer's units, not a ticket (care reminders, issue 16): their channels, their
   * language; a customer who opted out gets it recorded as skipped, unless the event is essential. `key` makes it once.
   */
  async unitEvent(trx: Kysely<DB>, input: { customerId: number; event: MessageEvent; key: string; variables: Record<string, string> }): Promise<number[]> {
    const c = await trx.selectFrom('customers').select(RECIPIENT_COLUMNS).where('id', '=', input.customerId).executeTakeFirst();
    if (!c) return [];
    const targets = this.composer.targetsFor(c, this.composer.ready(await this.channelSettings.get(trx)));
    const skipped = c.messages_opt_out === 1 && !isEssential(input.event);
    return this.composer.write(trx, { event: input.event, key: input.key, recipient: c, ticket: null, locale: asLanguage(c.locale), variables: { customerName: c.name, ...input.variables }, targets, skipped });
  }

  /** A ticket event for its customer (the tickets module calls it inside the change's transaction). */
  async ticketEvent(trx: Kysely<DB>, input: TicketMessageInput): Promise<number[]> {
    const customer = input.customer ?? (await trx.selectFrom('customers').select(RECIPIENT_COLUMNS).where('id', '=', input.ticket.customer_id).executeTakeFirst());
    if (!customer) return [];
    const variables = { ...input.variables };
    if (input.event === 'ticket_closed' && variables.surveyLink === undefined) variables.surveyLink = await this.links.url('survey', input.ticket.id, undefined, trx);
    return this.composer.forTicket(trx, { event: input.event, key: input.key, ticket: input.ticket, customer, variables, actorId: input.actorId });
  }

  // ---------------------------------------------------------------- delivery (the outbox calls these)

  private async deliver(row: Selectable<OutboxTable>, now: number): Promise<Outcome> {
    const m = await this.ctx.db.read.selectFrom('customer_messages').selectAll().where('id', '=', Number(row.target)).executeTakeFirst();
    if (!m) return { ok: false, error: 'message deleted', permanent: true };
    if (m.status !== 'queued') return { ok: false, error: `message already ${m.status}`, permanent: true };
    if (m.expires_at !== null && m.expires_at <= now) return { ok: false, error: 'expired before it could be sent', permanent: true };
    return this.senders.send(m);
  }

  private async settled(trx: Kysely<DB>, row: Selectable<OutboxTable>, s: Settlement, attempts: number, now: number) {
    const id = Number(row.target);
    const final = s.state !== 'retry';
    const m = await trx.selectFrom('customer_messages').select(['ticket_id', 'event', 'channel', 'target', 'sensitive']).where('id', '=', id).executeTakeFirst();
    if (!m) return;
    await trx
      .updateTable('customer_messages')
      .set({
        status: s.state === 'retry' ? 'queued' : s.state,
        attempts,
        last_error: s.state === 'sent' ? null : s.error,
        sent_at: s.state === 'sent' ? now : null,
        // A sign-in code is of no use to anyone once sent or given up: the text and the variables go.
        ...(final && m.sensitive === 1 ? { body: '', variables: '{}' } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (final && m.ticket_id !== null) {
      await appendEvent(trx, m.ticket_id, now, null, s.state === 'sent' ? 'customer_message_sent' : 'customer_message_failed', {
        internal: true,
        details: { messageId: id, event: m.event, channel: m.channel, target: maskTarget(m.channel, m.target), attempts, error: s.state === 'failed' ? s.error : null },
      });
    }
  }

  // ---------------------------------------------------------------- the customer's choices

  private async recipient(actor: Actor, customerId: number): Promise<MessageRecipient> {
    if (actor.role === 'customer') {
      if (actor.customerId !== customerId) throw NotFound('error.customer_not_found');
    } else requireAccess(actor, 'customer.read');
    const c = await this.ctx.db.read.selectFrom('customers').select(RECIPIENT_COLUMNS).where('id', '=', customerId).executeTakeFirst();
    if (!c) throw NotFound('error.customer_not_found');
    return c;
  }

  private async preferencesOf(c: MessageRecipient): Promise<MessagePreferences> {
    const ready = this.composer.ready(await this.channelSettings.get());
    const chosen = parseChannels(c.message_channels);
    return {
      locale: asLanguage(c.locale),
      channels: chosen ?? this.composer.targetsFor({ ...c, message_channels: null }, ready).map((t) => t.channel),
      defaulted: chosen === null,
      optOut: c.messages_opt_out === 1,
      reachable: {
        email: c.email?.includes('@') ? maskTarget('email', c.email) : null,
        sms: this.composer.address(c, 'sms') ? maskTarget('sms', c.phone!) : null,
        wechat: c.wechat_openid !== null && c.wechat_openid !== '',
      },
      essential: [...ESSENTIAL_MESSAGE_EVENTS],
    };
  }

  /** The customer record of a signed-in customer; anyone else has none (403). */
  ownCustomerId(actor: Actor): number {
    if (actor.role !== 'customer' || actor.customerId === null) throw Forbidden();
    return actor.customerId;
  }

  async preferences(actor: Actor, customerId: number): Promise<MessagePreferences> {
    return this.preferencesOf(await this.recipient(actor, customerId));
  }

  /** The customer themselves, or staff who edit customers (on the phone, at the customer's request). */
  async setPreferences(actor: Actor, customerId: number, body: MessagePreferencesBody): Promise<MessagePreferences> {
    const c = await this.recipient(actor, customerId);
    if (actor.role !== 'customer') requireAccess(actor, 'customer.write');
    const set: { locale?: string; message_channels?: string | null; messages_opt_out?: number } = {};
    if (body.locale !== undefined) set.locale = body.locale;
    if (body.channels !== undefined) {
      if (body.channels !== null && body.channels.length === 0) throw Invalid({ channels: 'field.message_channels_empty' });
      set.message_channels = body.channels === null ? null : JSON.stringify([...new Set(body.channels)]);
    }
    if (body.optOut !== undefined) set.messages_opt_out = body.optOut ? 1 : 0;
    if (Object.keys(set).length > 0) await this.ctx.db.write((trx) => trx.updateTable('customers').set(set).where('id', '=', customerId).execute());
    return this.preferencesOf({ ...c, ...set } as MessageRecipient);
  }

  // ---------------------------------------------------------------- unsubscribe (signed link, no sign-in)

  private async unsubscribeTarget(token: string): Promise<MessageRecipient> {
    const check = await this.links.check(token, 'unsubscribe');
    if (!check.ok) throw Forbidden('error.link_invalid');
    const c = await this.ctx.db.read.selectFrom('customers').select(RECIPIENT_COLUMNS).where('id', '=', check.claims.subject).executeTakeFirst();
    if (!c) throw Forbidden('error.link_invalid');
    return c;
  }

  /** What the unsubscribe page shows: only the name and the current choice. */
  async unsubscribeView(token: string): Promise<{ customerName: string; optOut: boolean; essential: MessageEvent[] }> {
    const c = await this.unsubscribeTarget(token);
    return { customerName: c.name, optOut: c.messages_opt_out === 1, essential: [...ESSENTIAL_MESSAGE_EVENTS] };
  }

  async unsubscribe(token: string, optOut: boolean): Promise<{ customerName: string; optOut: boolean; essential: MessageEvent[] }> {
    const c = await this.unsubscribeTarget(token);
    await this.ctx.db.write((trx) => trx.updateTable('customers').set({ messages_opt_out: optOut ? 1 : 0 }).where('id', '=', c.id).execute());
    return { customerName: c.name, optOut, essential: [...ESSENTIAL_MESSAGE_EVENTS] };
  }

  // ---------------------------------------------------------------- what staff see

  /** The messages sent to a ticket's customer, newest first (staff who may see the ticket). */
  async forTicket(actor: Actor, ticketId: number): Promise<CustomerMessage[]> {
    if (actor.role === 'customer') throw Forbidden();
    const rows = await this.ctx.db.read.selectFrom('customer_messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id', 'desc').limit(200).execute();
    return rows.map((m) => ({
      id: m.id,
      event: m.event as MessageEvent,
      channel: m.channel as MessageChannel,
      target: maskTarget(m.channel, m.target),
      locale: asLanguage(m.locale),
      subject: m.subject,
      status: m.status as CustomerMessage['status'],
      attempts: m.attempts,
      lastError: m.last_error,
      createdAt: iso(m.created_at),
      sentAt: m.sent_at === null ? null : iso(m.sent_at),
    }));
  }

  // ---------------------------------------------------------------- admin

  listTemplates(actor: Actor): Promise<MessageTemplate[]> {
    requireAccess(actor, 'admin');
    return this.templates.list();
  }

  async saveTemplate(actor: Actor, event: MessageEvent, channel: MessageChannel, locale: Language, body: MessageTemplateBody): Promise<MessageTemplate> {
    requireAccess(actor, 'admin');
    const t = await this.templates.save(actor.id, event, channel, locale, body);
    this.ctx.cacheChanged?.('messages');
    return t;
  }

  async resetTemplate(actor: Actor, event: MessageEvent, channel: MessageChannel, locale: Language): Promise<MessageTemplate> {
    requireAccess(actor, 'admin');
    const t = await this.templates.reset(event, channel, locale);
    this.ctx.cacheChanged?.('messages');
    return t;
  }

  previewTemplate(actor: Actor, event: MessageEvent, locale: Language, body: MessageTemplateBody): TemplateText {
    requireAccess(actor, 'admin');
    return this.templates.preview(event, locale, body);
  }

  async channelSettingsView(actor: Actor): Promise<MessageChannelSettings> {
    requireAccess(actor, 'admin');
    const mail = this.notify.outbox.settings();
    return this.channelSettings.view(await this.channelSettings.get(), this.notify.outbox.mailEnabled(), mail.from);
  }

  async updateChannelSettings(actor: Actor, body: MessageChannelSettingsBody): Promise<MessageChannelSettings> {
    requireAccess(actor, 'admin');
    const next = await this.channelSettings.update(actor.id, body);
    this.ctx.cacheChanged?.('messages');
    return this.channelSettings.view(next, this.notify.outbox.mailEnabled(), this.notify.outbox.settings().from);
  }
}
