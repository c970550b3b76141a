// Message templates as admins edit them: the effective text of each event, channel and language (an admin's row in
// message_templates, else the built-in default), the check of a text before it is saved (unknown variables, stray
// braces, named by field), previews with sample values, and going back to the default. Cached per process for 10 s.
import type { Kysely } from 'kysely';
import { LANGUAGES, type Language } from '../../../shared/enums.js';
import { MESSAGE_CHANNELS, MESSAGE_EVENTS, MESSAGE_VARIABLES, type MessageChannel, type MessageEvent, type MessageTemplate, type MessageTemplateBody } from '../../../shared/messages.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { checkTemplate, defaultTemplate, isEssential, renderTemplate, sampleVariables, type TemplateText } from '../../domain/messages/templates.js';
import { Invalid, type FieldErrors } from '../../http/errors.js';

const TTL_MS = 10_000;
const keyOf = (event: string, channel: string, locale: string) => `${event}|${channel}|${locale}`;

export class MessageTemplates {
  private cache: { at: number; rows: Map<string, TemplateText> } | null = null;

  constructor(private readonly ctx: AppContext) {}

  private async overrides(db: Kysely<DB>): Promise<Map<string, TemplateText>> {
    const now = performance.now();
    if (this.cache && now - this.cache.at <= TTL_MS && now >= this.cache.at) return this.cache.rows;
    const rows = await db.selectFrom('message_templates').select(['event', 'channel', 'locale', 'subject', 'body']).execute();
    this.cache = { at: now, rows: new Map(rows.map((r) => [keyOf(r.event, r.channel, r.locale), { subject: r.subject, body: r.body }])) };
    return this.cache.rows;
  }

  invalidate() {
    this.cache = null;
  }

  /** The text used for a message (`db`: the caller's transaction, if any). */
  async effective(event: MessageEvent, channel: MessageChannel, locale: Language, db: Kysely<DB> = this.ctx.db.read): Promise<TemplateText> {
    return (await this.overrides(db)).get(keyOf(event, channel, locale)) ?? defaultTemplate(event, channel, locale);
  }

  async list(): Promise<MessageTemplate[]> {
    const rows = await this.overrides(this.ctx.db.read);
    const out: MessageTemplate[] = [];
    for (const event of MESSAGE_EVENTS) {
      for (const channel of MESSAGE_CHANNELS) {
        for (const locale of LANGUAGES) {
          const own = rows.get(keyOf(event, channel, locale));
          const text = own ?? defaultTemplate(event, channel, locale);
          out.push({ event, channel, locale, ...text, customized: own !== undefined, variables: [...MESSAGE_VARIABLES[event]], essential: isEssential(event) });
        }
      }
    }
    return out;
  }

  /** Refuses a text with variables the event does not have, or with stray braces; the error names the field. */
  check(event: MessageEvent, body: MessageTemplateBody) {
    const fields: FieldErrors = {};
    for (const field of ['subject', 'body'] as const) {
      const problem = checkTemplate(event, body[field]);
      if (problem?.kind === 'unknown_variables') fields[field] = { key: 'field.template_unknown_variables', params: { names: problem.names.join(', '), allowed: MESSAGE_VARIABLES[event].join(', ') } };
      else if (problem?.kind === 'syntax') fields[field] = 'field.template_syntax';
    }
    if (Object.keys(fields).length > 0) throw Invalid(fields);
  }

  async save(actorId: number, event: MessageEvent, channel: MessageChannel, locale: Language, body: MessageTemplateBody): Promise<MessageTemplate> {
    this.check(event, body);
    if (channel === 'email' && body.subject.trim() === '') throw Invalid({ subject: 'field.required' });
    const now = this.ctx.clock.now();
    const values = { subject: body.subject, body: body.body, updated_at: now, updated_by: actorId };
    await this.ctx.db.write((trx) =>
      trx
        .insertInto('message_templates')
        .values({ event, channel, locale, ...values })
        .onConflict((oc) => oc.columns(['event', 'channel', 'locale']).doUpdateSet(values))
        .execute(),
    );
    this.invalidate();
    return { event, channel, locale, subject: body.subject, body: body.body, customized: true, variables: [...MESSAGE_VARIABLES[event]], essential: isEssential(event) };
  }

  /** Back to the built-in text. */
  async reset(event: MessageEvent, channel: MessageChannel, locale: Language): Promise<MessageTemplate> {
    await this.ctx.db.write((trx) => trx.deleteFrom('message_templates').where('event', '=', event).where('channel', '=', channel).where('locale', '=', locale).execute());
    this.invalidate();
    return { event, channel, locale, ...defaultTemplate(event, channel, locale), customized: false, variables: [...MESSAGE_VARIABLES[event]], essential: isEssential(event) };
  }

  /** A text as a customer would read it, with sample values; checked like a save. */
  preview(event: MessageEvent, locale: Language, body: MessageTemplateBody): TemplateText {
    this.check(event, body);
    const vars = sampleVariables(locale);
    return { subject: renderTemplate(body.subject, vars), body: renderTemplate(body.body, vars) };
  }
}
