// Messages to customers (issue 15): the events they hear about, the channels, templates, each customer's choices and
// the channel settings an admin edits. Shared by the server (validation, OpenAPI) and the console.
import { z } from 'zod';
import { LANGUAGES } from './enums.js';
import { MESSAGE_CHANNELS, MESSAGE_EVENTS, MESSAGE_STATUSES, SMS_PROVIDERS } from './message-vocab.js';

export * from './message-vocab.js';

export const MessageEventEnum = z.enum(MESSAGE_EVENTS);
export const MessageChannelEnum = z.enum(MESSAGE_CHANNELS);
const LocaleEnum = z.enum(LANGUAGES);

// ---------------------------------------------------------------- templates (admin)

export const MessageTemplate = z.object({
  event: MessageEventEnum,
  channel: MessageChannelEnum,
  locale: LocaleEnum,
  /** E-mail subject; for SMS unused, for WeChat the first line. */
  subject: z.string(),
  body: z.string(),
  /** False while the built-in text applies. */
  customized: z.boolean(),
  variables: z.array(z.string()),
  essential: z.boolean(),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;
export const MessageTemplateList = z.object({ items: z.array(MessageTemplate) });

export const MessageTemplateParams = z.object({ event: MessageEventEnum, channel: MessageChannelEnum, locale: LocaleEnum });
export const MessageTemplateBody = z
  .object({
    subject: z.string().max(300),
    body: z.string().min(1).max(4000),
  })
  .strict();
export type MessageTemplateBody = z.infer<typeof MessageTemplateBody>;
export const MessageTemplatePreviewBody = MessageTemplateBody.extend({ subject: z.string().max(300).default('') });
export const MessageTemplatePreview = z.object({ subject: z.string(), body: z.string() });

// ---------------------------------------------------------------- a customer's choices

export const MessagePreferences = z.object({
  locale: LocaleEnum,
  /** The channels chosen; `defaulted` says whether these are the default choice. */
  channels: z.array(MessageChannelEnum),
  defaulted: z.boolean(),
  optOut: z.boolean(),
  /** Where each channel would go (masked); null = nowhere (no address, not bound). */
  reachable: z.object({ email: z.string().nullable(), sms: z.string().nullable(), wechat: z.boolean() }),
  essential: z.array(MessageEventEnum),
});
export type MessagePreferences = z.infer<typeof MessagePreferences>;
export const MessagePreferencesBody = z
  .object({
    locale: LocaleEnum.optional(),
    /** null = back to the default. */
    channels: z.array(MessageChannelEnum).max(MESSAGE_CHANNELS.length).nullable().optional(),
    optOut: z.boolean().optional(),
  })
  .strict();
export type MessagePreferencesBody = z.infer<typeof MessagePreferencesBody>;

// ---------------------------------------------------------------- sent messages (staff)

export const CustomerMessage = z.object({
  id: z.number().int(),
  event: MessageEventEnum,
  channel: MessageChannelEnum,
  /** Masked address. */
  target: z.string(),
  locale: LocaleEnum,
  subject: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type CustomerMessage = z.infer<typeof CustomerMessage>;
export const CustomerMessageList = z.object({ items: z.array(CustomerMessage) });

// ---------------------------------------------------------------- unsubscribe (signed link, no sign-in)

export const UnsubscribeParams = z.object({ token: z.string().min(10).max(400) });
export const UnsubscribeView = z.object({ customerName: z.string(), optOut: z.boolean(), essential: z.array(MessageEventEnum) });
export const UnsubscribeBody = z.object({ optOut: z.boolean().default(true) }).strict();

// ---------------------------------------------------------------- channel settings (admin)

/** Secrets are never sent back: `set` says whether one is stored. */
const Secret = z.object({ set: z.boolean() });
export const MessageChannelSettings = z.object({
  email: z.object({ enabled: z.boolean(), smtpConfigured: z.boolean(), from: z.string() }),
  sms: z.object({
    provider: z.enum(SMS_PROVIDERS),
    endpoint: z.string(),
    accessKeyId: z.string(),
    secret: Secret,
    signName: z.string(),
    /** Tencent: SmsSdkAppId; Aliyun: unused. */
    appId: z.string(),
    region: z.string(),
    /** The provider's approved template per event (Aliyun TemplateCode, Tencent TemplateId). */
    templateCodes: z.partialRecord(MessageEventEnum, z.string()),
  }),
  wechat: z.object({
    enabled: z.boolean(),
    apiBase: z.string(),
    appId: z.string(),
    secret: Secret,
    templateIds: z.partialRecord(MessageEventEnum, z.string()),
  }),
});
export type MessageChannelSettings = z.infer<typeof MessageChannelSettings>;

const Text = (max: number) => z.string().trim().max(max);
const Url = z.string().trim().url().max(500).regex(/^https?:\/\//);
export const MessageChannelSettingsBody = z
  .object({
    email: z.object({ enabled: z.boolean() }).strict().optional(),
    sms: z
      .object({
        provider: z.enum(SMS_PROVIDERS).optional(),
        endpoint: z.union([Url, z.literal('')]).optional(),
        accessKeyId: Text(200).optional(),
        /** Empty or absent keeps the stored secret. */
        secret: Text(500).optional(),
        signName: Text(100).optional(),
        appId: Text(100).optional(),
        region: Text(50).optional(),
        templateCodes: z.partialRecord(MessageEventEnum, Text(100)).optional(),
      })
      .strict()
      .optional(),
    wechat: z
      .object({
        enabled: z.boolean().optional(),
        apiBase: z.union([Url, z.literal('')]).optional(),
        appId: Text(100).optional(),
        secret: Text(500).optional(),
        templateIds: z.partialRecord(MessageEventEnum, Text(100)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type MessageChannelSettingsBody = z.infer<typeof MessageChannelSettingsBody>;
