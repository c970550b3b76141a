// Writing messages to customers inside the transaction of what they are about: which channels reach the customer
// (their choice, else the default; only channels that are configured), the template in their language, the variables,
// the unsubscribe line of non-essential messages; then one customer_messages row and one outbox row per channel, and a
// staff-only timeline entry on the ticket. Deduplicated per event and channel, so a retried change sends nothing twice.
// No network IO.
import type { Kysely } from 'kysely';
import { LANGUAGES, type Language } from '../../../shared/enums.js';
import { MESSAGE_CHANNELS, type MessageChannel, type MessageEvent } from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { maskEmail, maskPhone } from '../../domain/contact.js';
import { isEssential, renderTemplate, templateVariables, unsubscribeFooter } from '../../domain/messages/templates.js';
import type { LinksService } from '../links/service.js';
import type { OutboxDelivery } from '../notify/delivery.js';
import { appendEvent } from '../tickets/repo.js';
import type { ChannelSettingsStore, StoredChannels } from './channel-settings.js';
import type { MessageTemplates } from './templates.js';

/** The outbox channel of messages to customers; the row's target is the customer_messages id. */
export const OUTBOX_CHANNEL = 'message';

/** What compose needs of a customer (a row read by the caller has these columns). */
export interface MessageRecipient {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string;
  message_channels: string | null;
  messages_opt_out: number;
  wechat_openid: string | null;
}

export interface TicketRef {
  id: number;
  number: string;
  title: string;
}

export interface Draft {
  event: MessageEvent;
  /** One logical event (e.g. `reply:<commentId>`); with the channel it is the message's dedupe key. */
  key: string;
  recipient: MessageRecipient | null;
  ticket: TicketRef | null;
  locale: Language;
  variables: Record<string, string>;
  /** Where to send; for a customer, computed from their choices. */
  targets: { channel: MessageChannel; target: string }[];
  sensitive?: boolean;
  expiresAt?: number | null;
  actorId?: number | null;
  /** Recorded for staff but never sent (the customer opted out of this kind). */
  skipped?: boolean;
}

export const asLanguage = (v: string | null | undefined): Language => (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : 'zh-CN';

export function parseChannels(text: string | null): MessageChannel[] | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? MESSAGE_CHANNELS.filter((c) => v.includes(c)) : null;
  } catch {
    return null;
  }
}

export class MessageComposer {
  constructor(
    private readonly ctx: AppContext,
    private readonly links: LinksService,
    private readonly outbox: OutboxDelivery,
    private readonly channelSettings: ChannelSettingsStore,
    private readonly templates: MessageTemplates,
  ) {}

  /** Which channels can send at all right now (SMTP set, a provider chosen, WeChat on). */
  ready(s: StoredChannels): Record<MessageChannel, boolean> {
    return {
      email: s.email.enabled && this.outbox.mailEnabled(),
      sms: s.sms.provider !== 'none',
      wechat: s.wechat.enabled && s.wechat.appId !== '' && s.wechat.secret !== '',
    };
  }

  /** Where a customer's address on a channel is, or null. */
  address(c: MessageRecipient, channel: MessageChannel): string | null {
    if (channel === 'email') return c.email?.includes('@') ? c.email.trim() : null;
    if (channel === 'sms') return c.phone && /\d{5,}/.test(c.phone.replace(/\D/g, '')) ? c.phone.trim() : null;
    return c.wechat_openid || null;
  }

  /**
   * The channels a customer's messages go on: those they chose that can reach them; with no choice, or none of their
   * choices reachable, the first of WeChat (when bound), e-mail, SMS that can — an essential message must get through.
   */
  targetsFor(c: MessageRecipient, ready: Record<MessageChannel, boolean>): { channel: MessageChannel; target: string }[] {
    const reachable = (ch: MessageChannel) => (ready[ch] ? this.address(c, ch) : null);
    const chosen = parseChannels(c.message_channels);
    const out: { channel: MessageChannel; target: string }[] = [];
    for (const ch of chosen ?? []) {
      const target = reachable(ch);
      if (target) out.push({ channel: ch, target });
    }
    if (out.length > 0) return out;
    for (const ch of ['wechat', 'email', 'sms'] as const) {
      const target = reachable(ch);
      if (target) return [{ channel: ch, target }];
    }
    return [];
  }

  /**
   * A ticket event for its customer: nothing when no channel reaches them. A non-essential kind for a customer who
   * opted out is written as `skipped` (no outbox row): staff see what the customer was not told, and why.
   * Cheap when nothing is configured (the ticket create path calls it): the settings are cached.
   */
  async forTicket(trx: Kysely<DB>, input: { event: MessageEvent; key: string; ticket: TicketRef; customer: MessageRecipient; variables?: Record<string, string>; actorId?: number | null }): Promise<number[]> {
    const { customer, event } = input;
    const ready = this.ready(await this.channelSettings.get(trx));
    const targets = this.targetsFor(customer, ready);
    if (targets.length === 0) return [];
    const variables: Record<string, string> = {
      customerName: customer.name,
      number: input.ticket.number,
      title: input.ticket.title,
      link: await this.links.url('ticket', input.ticket.id, undefined, trx),
      ...input.variables,
    };
    const skipped = customer.messages_opt_out === 1 && !isEssential(event);
    return this.write(trx, { event, key: input.key, recipient: customer, ticket: input.ticket, locale: asLanguage(customer.locale), variables, targets, actorId: input.actorId ?? null, skipped });
  }

  /** Writes the messages of a draft (one per target); returns the ids of the new ones that will be sent. */
  async write(trx: Kysely<DB>, d: Draft): Promise<number[]> {
    const now = this.ctx.clock.now();
    const essential = isEssential(d.event);
    const unsubscribe = !essential && !d.skipped && d.recipient ? await this.links.url('unsubscribe', d.recipient.id, undefined, trx) : null;
    const ids: number[] = [];
    for (const { channel, target } of d.targets) {
      const t = await this.templates.effective(d.event, channel, d.locale, trx);
      let body = renderTemplate(t.body, d.variables);
      if (unsubscribe) body += unsubscribeFooter(channel, d.locale, unsubscribe);
      const variables = { ...d.variables, ...(unsubscribe ? { unsubscribeLink: unsubscribe } : {}), __order: templateVariables(t.body).join(',') };
      const inserted = await trx
        .insertInto('customer_messages')
        .values({
          dedupe_key: `${d.key}:${channel}`,
          customer_id: d.recipient?.id ?? null,
          ticket_id: d.ticket?.id ?? null,
          event: d.event,
          channel,
          target,
          locale: d.locale,
          subject: renderTemplate(t.subject, d.variables),
          body,
          variables: JSON.stringify(variables),
          sensitive: d.sensitive ? 1 : 0,
          expires_at: d.expiresAt ?? null,
          status: d.skipped ? 'skipped' : 'queued',
          attempts: 0,
          last_error: null,
          created_at: now,
          sent_at: null,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue; // this event was written before: a retry sends nothing twice
      if (d.skipped) continue; // on the staff's list only: no delivery, no timeline entry
      const id = Number(inserted.id);
      ids.push(id);
      await trx
        .insertInto('outbox')
        .values({ channel: OUTBOX_CHANNEL, target: String(id), dedupe_key: `message:${id}`, payload: '{}', created_at: now, next_attempt_at: now, attempts: 0 })
        .execute();
      if (d.ticket) {
        await appendEvent(trx, d.ticket.id, now, d.actorId ?? null, 'customer_message', {
          internal: true,
          details: { messageId: id, event: d.event, channel, target: maskTarget(channel, target), locale: d.locale },
        });
      }
    }
    return ids;
  }
}

/** An address as staff lists show it. */
export function maskTarget(channel: string, target: string): string {
  if (channel === 'email') return maskEmail(target) ?? '';
  if (channel === 'sms') return maskPhone(target) ?? '';
  return `${target.slice(0, 4)}…`;
}
