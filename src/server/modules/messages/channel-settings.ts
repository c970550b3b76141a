// The admin's settings of the customer channels (settings table, key `messageChannels`): whether e-mail to customers is
// on (SMTP itself comes from the environment, as for staff mail), the SMS provider and its credentials, WeChat's appid
// and secret, and the provider-side template of each event. Secrets are stored but never answered: a GET says only
// whether one is set. Cached 10 s per process like the other settings; an edit clears this node's cache at once.
import type { Kysely } from 'kysely';
import type { MessageChannelSettings, MessageChannelSettingsBody, MessageEvent, SmsProvider } from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { ALIYUN_DEFAULT_ENDPOINT, TENCENT_DEFAULT_ENDPOINT } from '../../domain/messages/sms.js';
import { WECHAT_DEFAULT_API } from '../../domain/messages/wechat.js';
import { Invalid, type FieldErrors } from '../../http/errors.js';

const KEY = 'messageChannels';
const TTL_MS = 10_000;

export interface StoredChannels {
  email: { enabled: boolean };
  sms: { provider: SmsProvider; endpoint: string; accessKeyId: string; secret: string; signName: string; appId: string; region: string; templateCodes: Partial<Record<MessageEvent, string>> };
  wechat: { enabled: boolean; apiBase: string; appId: string; secret: string; templateIds: Partial<Record<MessageEvent, string>> };
}

export const DEFAULT_CHANNELS: StoredChannels = {
  email: { enabled: true },
  sms: { provider: 'none', endpoint: '', accessKeyId: '', secret: '', signName: '', appId: '', region: '', templateCodes: {} },
  wechat: { enabled: false, apiBase: '', appId: '', secret: '', templateIds: {} },
};

export class ChannelSettingsStore {
  private cache: { at: number; value: StoredChannels } | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** `db`: the caller's transaction, if any (a transaction never waits for a second pooled connection). */
  async get(db: Kysely<DB> = this.ctx.db.read): Promise<StoredChannels> {
    const now = performance.now();
    if (this.cache && now - this.cache.at <= TTL_MS && now >= this.cache.at) return this.cache.value;
    const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    const stored = row ? (JSON.parse(row.value) as Partial<StoredChannels>) : {};
    const value: StoredChannels = {
      email: { ...DEFAULT_CHANNELS.email, ...stored.email },
      sms: { ...DEFAULT_CHANNELS.sms, ...stored.sms },
      wechat: { ...DEFAULT_CHANNELS.wechat, ...stored.wechat },
    };
    this.cache = { at: now, value };
    return value;
  }

  invalidate() {
    this.cache = null;
  }

  /** What a GET answers: everything but the secrets. */
  view(s: StoredChannels, smtpConfigured: boolean, from: string): MessageChannelSettings {
    const { secret: smsSecret, ...sms } = s.sms;
    const { secret: wxSecret, ...wechat } = s.wechat;
    return {
      email: { enabled: s.email.enabled, smtpConfigured, from },
      sms: { ...sms, secret: { set: smsSecret !== '' } },
      wechat: { ...wechat, secret: { set: wxSecret !== '' } },
    };
  }

  /** Applies an admin's edit: an empty or absent secret keeps the stored one. Refuses a provider left without what it needs. */
  async update(actorId: number, body: MessageChannelSettingsBody): Promise<StoredChannels> {
    const current = await this.get();
    const { secret: smsSecret, templateCodes, ...smsRest } = body.sms ?? {};
    const { secret: wxSecret, templateIds, ...wxRest } = body.wechat ?? {};
    const next: StoredChannels = {
      email: { ...current.email, ...body.email },
      sms: { ...current.sms, ...smsRest, secret: smsSecret ? smsSecret : current.sms.secret, templateCodes: templateCodes ? dropEmpty(templateCodes) : current.sms.templateCodes },
      wechat: { ...current.wechat, ...wxRest, secret: wxSecret ? wxSecret : current.wechat.secret, templateIds: templateIds ? dropEmpty(templateIds) : current.wechat.templateIds },
    };
    const fields: FieldErrors = {};
    const sms = next.sms;
    if (sms.provider === 'generic' && !sms.endpoint) fields['sms.endpoint'] = 'field.required';
    if (sms.provider === 'aliyun' || sms.provider === 'tencent') {
      if (!sms.accessKeyId) fields['sms.accessKeyId'] = 'field.required';
      if (!sms.secret) fields['sms.secret'] = 'field.required';
      if (!sms.signName) fields['sms.signName'] = 'field.required';
    }
    if (sms.provider === 'tencent' && !sms.appId) fields['sms.appId'] = 'field.required';
    if (next.wechat.enabled) {
      if (!next.wechat.appId) fields['wechat.appId'] = 'field.required';
      if (!next.wechat.secret) fields['wechat.secret'] = 'field.required';
    }
    if (Object.keys(fields).length > 0) throw Invalid(fields);
    const now = this.ctx.clock.now();
    const value = JSON.stringify(next);
    await this.ctx.db.write((trx) =>
      trx
        .insertInto('settings')
        .values({ key: KEY, value, updated_at: now, updated_by: actorId })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now, updated_by: actorId }))
        .execute(),
    );
    this.invalidate();
    return next;
  }
}

function dropEmpty<T extends Record<string, string | undefined>>(m: T): T {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v)) as T;
}

/** The endpoint a provider is reached at: the admin's, else the provider's public one. */
export function smsEndpoint(s: StoredChannels['sms']): string {
  if (s.endpoint) return s.endpoint;
  if (s.provider === 'aliyun') return ALIYUN_DEFAULT_ENDPOINT;
  if (s.provider === 'tencent') return TENCENT_DEFAULT_ENDPOINT;
  return '';
}

export function wechatApi(s: StoredChannels['wechat']): string {
  return s.apiBase || WECHAT_DEFAULT_API;
}
