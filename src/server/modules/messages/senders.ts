// Sending one message to a customer on its channel: e-mail over the outbox's SMTP transport with the ticket's thread
// headers, SMS through the chosen provider's signed request, WeChat template messages with an access_token kept in
// the settings table (every node uses the same token: WeChat ends the previous token when a new one is fetched).
// Network IO only; what to send was decided and stored when the event happened.
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { MessageEvent } from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import type { CustomerMessagesTable } from '../../db/schema.js';
import { messageIdDomain, threadHeaders } from '../../domain/messages/mail-thread.js';
import { aliyunSendSms, genericSendSms, judgeAliyun, judgeGeneric, judgeTencent, tencentSendSms, type SmsRequest } from '../../domain/messages/sms.js';
import { wechatSendUrl, wechatTemplateBody, wechatTokenRejected, wechatTokenUrl } from '../../domain/messages/wechat.js';
import { truncateError } from '../../domain/notify/index.js';
import type { OutboxDelivery } from '../notify/delivery.js';
import type { FetchLike, Outcome } from '../notify/types.js';
import { smsEndpoint, wechatApi, type ChannelSettingsStore } from './channel-settings.js';

type MessageRow = Selectable<CustomerMessagesTable>;
const TOKEN_KEY = 'wechatAccessToken';

export class MessageSenders {
  fetchImpl: FetchLike = (url, init) => fetch(url, init);

  constructor(
    private readonly ctx: AppContext,
    private readonly outbox: OutboxDelivery,
    private readonly channels: ChannelSettingsStore,
  ) {}

  async send(m: MessageRow): Promise<Outcome> {
    if (m.channel === 'email') return this.email(m);
    if (m.channel === 'sms') return this.sms(m);
    if (m.channel === 'wechat') return this.wechat(m);
    return { ok: false, error: `unknown channel ${m.channel}`, permanent: true };
  }

  // ---------------------------------------------------------------- e-mail

  private async email(m: MessageRow): Promise<Outcome> {
    const mailer = this.outbox.mailer();
    if (!mailer) return { ok: false, error: 'SMTP is not configured (AFTERCARE_SMTP_URL)' };
    // The first e-mail about a ticket opens its thread; the others answer it.
    const first =
      m.ticket_id === null
        ? true
        : (await this.ctx.db.read
            .selectFrom('customer_messages')
            .select('id')
            .where('ticket_id', '=', m.ticket_id)
            .where('channel', '=', 'email')
            .where('id', '<', m.id)
            .limit(1)
            .executeTakeFirst()) === undefined;
    const thread = threadHeaders({ messageId: m.id, ticketId: m.ticket_id, first, domain: messageIdDomain(mailer.from, mailer.publicUrl) });
    await withTimeout(
      mailer.transport.sendMail({ from: mailer.from, to: m.target, subject: m.subject, text: m.body, headers: { 'x-aftercare-event': m.event }, ...thread }),
      Math.round(this.outbox.timeoutMs * 1.5),
      'SMTP',
    );
    return { ok: true };
  }

  // ---------------------------------------------------------------- SMS

  private async sms(m: MessageRow): Promise<Outcome> {
    const s = (await this.channels.get()).sms;
    if (s.provider === 'none') return { ok: false, error: 'no SMS provider is configured' };
    const variables = JSON.parse(m.variables) as Record<string, string>;
    const templateCode = s.templateCodes[m.event as MessageEvent] ?? '';
    if (s.provider !== 'generic' && !templateCode) return { ok: false, error: `no ${s.provider} template code for ${m.event}` };
    const creds = { endpoint: smsEndpoint(s), accessKeyId: s.accessKeyId, secret: s.secret, signName: s.signName, appId: s.appId, region: s.region };
    // Tencent numbers a template's parameters: ours go in the order the text uses them.
    const orderedValues = orderedFrom(variables);
    const message = { phone: m.target, text: m.body, event: m.event, templateCode, variables: publicVariables(variables), orderedValues };
    const now = this.ctx.clock.now();
    let req: SmsRequest;
    if (s.provider === 'aliyun') req = aliyunSendSms(creds, message, now, crypto.randomUUID());
    else if (s.provider === 'tencent') req = tencentSendSms(creds, message, now);
    else req = genericSendSms(creds, message, now);
    const res = await this.fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.outbox.timeoutMs) });
    const text = await withTimeout(res.text(), this.outbox.timeoutMs, 'SMS answer').catch(() => '');
    const verdict = s.provider === 'aliyun' ? judgeAliyun(res.status, text) : s.provider === 'tencent' ? judgeTencent(res.status, text) : judgeGeneric(res.status, text);
    return verdict.ok ? { ok: true } : { ok: false, error: truncateError(verdict.error), permanent: verdict.permanent };
  }

  // ---------------------------------------------------------------- WeChat

  private async wechat(m: MessageRow): Promise<Outcome> {
    const w = (await this.channels.get()).wechat;
    if (!w.enabled || !w.appId || !w.secret) return { ok: false, error: 'WeChat is not configured' };
    const templateId = w.templateIds[m.event as MessageEvent];
    if (!templateId) return { ok: false, error: `no WeChat template id for ${m.event}` };
    const vars = publicVariables(JSON.parse(m.variables) as Record<string, string>);
    const body = wechatTemplateBody({
      openid: m.target,
      templateId,
      url: vars.link || vars.surveyLink || null,
      subject: m.subject,
      number: vars.number ?? '',
      summary: vars.title ?? vars.code ?? '',
      text: m.body,
    });
    for (let round = 0; round < 2; round++) {
      const token = await this.wechatToken(round > 0);
      if (typeof token !== 'string') return token;
      const res = await this.fetchImpl(wechatSendUrl(wechatApi(w), token), { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(this.outbox.timeoutMs) });
      const answer = parseJsonObject(await res.text().catch(() => ''));
      if (res.status === 200 && answer.errcode === 0) return { ok: true };
      if (wechatTokenRejected(answer.errcode as number | undefined) && round === 0) continue;
      // 43004: the user does not follow the account (any more) — sending again will not help.
      return { ok: false, error: truncateError(`WeChat ${answer.errcode ?? `HTTP ${res.status}`}: ${answer.errmsg ?? ''}`), permanent: answer.errcode === 43004 || answer.errcode === 40003 };
    }
    return { ok: false, error: 'WeChat refused a fresh access_token' };
  }

  /** The shared access_token, fetched again when it is about to expire or WeChat refused it. */
  private async wechatToken(refresh: boolean): Promise<string | Outcome> {
    const now = this.ctx.clock.now();
    const w = (await this.channels.get()).wechat;
    if (!refresh) {
      const row = await this.ctx.db.read.selectFrom('settings').select('value').where('key', '=', TOKEN_KEY).executeTakeFirst();
      const stored = row ? (JSON.parse(row.value) as { token: string; expiresAt: number; appId: string }) : null;
      if (stored && stored.appId === w.appId && stored.expiresAt - 5 * 60_000 > now) return stored.token;
    }
    const res = await this.fetchImpl(wechatTokenUrl(wechatApi(w), w.appId, w.secret), { method: 'GET', headers: {}, body: undefined as unknown as string, signal: AbortSignal.timeout(this.outbox.timeoutMs) });
    const answer = parseJsonObject(await res.text().catch(() => ''));
    if (typeof answer.access_token !== 'string') {
      return { ok: false, error: truncateError(`WeChat token ${answer.errcode ?? `HTTP ${res.status}`}: ${answer.errmsg ?? ''}`) };
    }
    const value = JSON.stringify({ token: answer.access_token, expiresAt: now + Number(answer.expires_in ?? 7200) * 1000, appId: w.appId });
    await this.ctx.db.write((trx) =>
      trx
        .insertInto('settings')
        .values({ key: TOKEN_KEY, value, updated_at: now, updated_by: null })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
        .execute(),
    );
    return answer.access_token;
  }
}

/** The stored variables without our bookkeeping entries (those start with "__"). */
function publicVariables(v: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('__')));
}

/** Tencent's ordered parameters: the names in `__order` (the template's variables in order of use). */
function orderedFrom(v: Record<string, string>): string[] {
  const order = (v.__order ?? '').split(',').filter(Boolean);
  return order.map((k) => v[k] ?? '');
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
