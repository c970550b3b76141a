// Outbox delivery: claims due e-mail and webhook rows, sends them outside any transaction with a time limit, and
// records each outcome (delivered, or the next attempt with back-off; failed for good after the last attempt).
import { performance } from 'node:perf_hooks';
import type { Selectable } from 'kysely';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { OutboxTable } from '../../db/schema.js';
import { afterFailure, buildWebhookRequest, judgeWebhookResponse, renderMail, truncateError, type NotifyEvent, type WebhookKind } from '../../domain/notify/index.js';
import { createWebhookFetch, literalRefusal, WebhookAddressRefused } from './egress.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { errorText, parseJson, type FetchLike, type MailTransport, type NotifyOptions, type OutboxPayload, type Outcome } from './types.js';

/** What became of one attempt, as recorded: delivered, tried again later, or given up. */
export type Settlement = { state: 'sent' } | { state: 'retry'; error: string; nextAttemptAt: number } | { state: 'failed'; error: string };

/**
 * Another module's outbox channel (modules/messages: messages to customers). `send` runs outside any transaction;
 * `settled` runs inside the transaction that records the outcome, so the module's own record moves with the outbox row.
 */
export interface OutboxChannel {
  send(row: Selectable<OutboxTable>, now: number): Promise<Outcome>;
  settled?(trx: Kysely<DB>, row: Selectable<OutboxTable>, settlement: Settlement, attempts: number, now: number): Promise<void>;
}

export interface MailSettings {
  smtpUrl: string | null;
  from: string;
  publicUrl: string;
}

type MailConfig = { smtpUrl?: string | null; mailFrom?: string | null; publicUrl?: string | null };

/** SMTP and link settings: from the config once it has them, until then from the environment. */
export function mailSettings(config?: Config): MailSettings {
  const c = (config ?? {}) as Config & MailConfig;
  const env = process.env;
  // Once config.ts carries these keys (even as undefined) the environment is no longer read here.
  const pick = (key: keyof MailConfig, envName: string) => ('smtpUrl' in c ? c[key] : env[envName]) ?? '';
  const smtpUrl = pick('smtpUrl', 'AFTERCARE_SMTP_URL');
  const from = pick('mailFrom', 'AFTERCARE_MAIL_FROM');
  const publicUrl = pick('publicUrl', 'AFTERCARE_PUBLIC_URL');
  return {
    smtpUrl: smtpUrl.trim() || null,
    from: from.trim() || 'Aftercare <aftercare@localhost>',
    publicUrl: (publicUrl.trim() || 'http://localhost:3000').replace(/\/+$/, ''),
  };
}

/** A claimed outbox row stays locked this long; sends stop well before it runs out. */
const LOCK_MS = 60_000;
/** Rows not yet sent this long after the claim are released, not sent, so the lock never expires mid-send. */
const SAFE_SEND_WINDOW_MS = 40_000;
const SEND_CONCURRENCY = 8;

export class OutboxDelivery {
  private transport: MailTransport | null;
  private ownTransport = false;
  private fetchImpl: FetchLike;
  private closeFetch: (() => Promise<void>) | null = null;
  private readonly sendTimeoutMs: number;
  private readonly channels = new Map<string, OutboxChannel>();

  constructor(
    private readonly ctx: AppContext,
    opts: NotifyOptions = {},
  ) {
    this.transport = opts.transport ?? null;
    // Tests hand in a fetch; the real one connects only to addresses a webhook may reach (egress.ts).
    if (opts.fetch) this.fetchImpl = opts.fetch;
    else {
      const own = createWebhookFetch(this.allowPrivate());
      this.fetchImpl = own.fetch;
      this.closeFetch = own.close;
    }
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 10_000;
  }

  /** Replace the senders (tests; or a custom mail gateway). `null` falls back to SMTP from the settings. */
  setTransport(transport: MailTransport | null, fetchImpl?: FetchLike) {
    if (this.ownTransport) this.transport?.close?.();
    this.ownTransport = false;
    this.transport = transport;
    if (fetchImpl) this.fetchImpl = fetchImpl;
  }

  settings() {
    return mailSettings(this.ctx.config);
  }

  /** Adds an outbox channel another module delivers (its rows share the claiming, retries and back-off). */
  registerChannel(name: string, channel: OutboxChannel) {
    if (name === 'email' || name === 'webhook') throw new Error(`outbox channel ${name} is built in`);
    this.channels.set(name, channel);
  }

  /** The SMTP transport (shared by staff mail and messages to customers), or null when mail is not configured. */
  mailer(): { transport: MailTransport; from: string; publicUrl: string } | null {
    const transport = this.mailTransport();
    if (!transport) return null;
    const { from, publicUrl } = this.settings();
    return { transport, from, publicUrl };
  }

  /** The time limit of one send, for other modules' channels. */
  get timeoutMs(): number {
    return this.sendTimeoutMs;
  }

  private allowPrivate(): boolean {
    return this.ctx.config?.webhookAllowPrivate === true;
  }

  /** E-mail goes out when a transport was given or SMTP is configured. */
  mailEnabled(): boolean {
    return this.transport !== null || this.settings().smtpUrl !== null;
  }

  private mailTransport(): MailTransport | null {
    if (this.transport) return this.transport;
    const { smtpUrl } = this.settings();
    if (!smtpUrl) return null;
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }) as unknown as MailTransport;
    this.ownTransport = true;
    return this.transport;
  }

  /** Closes the SMTP connection and the webhook connections this service opened itself. */
  close() {
    // Idle keep-alive connections to webhook endpoints.
    void this.closeFetch?.().catch(() => {});
    this.closeFetch = null;
    if (this.ownTransport) {
      this.transport?.close?.();
      this.transport = null;
      this.ownTransport = false;
    }
  }

  /** Claims due rows for this node: on PostgreSQL with FOR UPDATE SKIP LOCKED, so no two nodes take the same row. */
  private claim(now: number, lockUntil: number, limit: number): Promise<Selectable<OutboxTable>[]> {
    return this.ctx.db.write(async (trx) => {
      let q = trx
        .selectFrom('outbox')
        .select('id')
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit);
      if (this.ctx.db.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return trx.updateTable('outbox').set({ locked_until: lockUntil }).where('id', 'in', ids).returningAll().execute();
    });
  }

  /**
   * Sends due outbox rows: claims them in a short transaction, sends outside any transaction, then records each
   * outcome (delivered, or the next attempt with back-off; failed for good after MAX_DELIVERY_ATTEMPTS). Never throws.
   */
  async deliverDue(now = this.ctx.clock.now(), limit = 50): Promise<{ delivered: number; failed: number }> {
    const lockUntil = now + LOCK_MS;
    let rows: Selectable<OutboxTable>[];
    try {
      rows = await this.claim(now, lockUntil, limit);
    } catch (e) {
      this.ctx.log.error({ err: e }, 'notify: claiming outbox rows failed');
      return { delivered: 0, failed: 0 };
    }
    if (rows.length === 0) return { delivered: 0, failed: 0 };

    const started = performance.now();
    const outcomes = new Map<number, Outcome | 'released'>();
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++];
        if (performance.now() - started > SAFE_SEND_WINDOW_MS) {
          outcomes.set(row.id, 'released');
          continue;
        }
        outcomes.set(row.id, await this.attempt(row, now));
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, rows.length) }, worker));

    let delivered = 0;
    let failed = 0;
    try {
      await this.ctx.db.write(async (trx) => {
        for (const row of rows) {
          const o = outcomes.get(row.id) ?? 'released';
          // Only while the claim is still ours (a row whose lock ran out may have been claimed again).
          const mine = trx.updateTable('outbox').where('id', '=', row.id).where('locked_until', '=', lockUntil).where('delivered_at', 'is', null);
          if (o === 'released') {
            await mine.set({ locked_until: null }).execute();
            continue;
          }
          const attempts = row.attempts + 1;
          let settlement: Settlement;
          let res;
          if (o.ok) {
            settlement = { state: 'sent' };
            res = await mine.set({ delivered_at: now, attempts, locked_until: null, last_error: null }).executeTakeFirst();
          } else {
            const plan = o.permanent ? ({ failed: true } as const) : afterFailure(attempts, now);
            settlement = plan.failed ? { state: 'failed', error: o.error } : { state: 'retry', error: o.error, nextAttemptAt: plan.nextAttemptAt };
            res = await mine
              .set(plan.failed ? { attempts, failed_at: now, locked_until: null, last_error: o.error } : { attempts, next_attempt_at: plan.nextAttemptAt, locked_until: null, last_error: o.error })
              .executeTakeFirst();
          }
          const channel = this.channels.get(row.channel);
          if (channel?.settled && Number(res.numUpdatedRows) === 1) await channel.settled(trx, row, settlement, attempts, now);
        }
      });
      for (const o of outcomes.values()) {
        if (o === 'released') continue;
        if (o.ok) delivered++;
        else failed++;
      }
    } catch (e) {
      // The rows stay locked until LOCK_MS passes, then go out again (at least once).
      this.ctx.log.error({ err: e }, 'notify: recording outbox outcomes failed');
    }
    return { delivered, failed };
  }

  private async attempt(row: Selectable<OutboxTable>, now: number): Promise<Outcome> {
    try {
      const other = this.channels.get(row.channel);
      if (other) return await other.send(row, now);
      const payload = parseJson<OutboxPayload | null>(row.payload, null);
      if (!payload?.event) return { ok: false, error: 'unreadable payload', permanent: true };
      if (row.channel === 'email') return await this.sendEmail(row.target, payload.event);
      if (row.channel === 'webhook') return await this.sendWebhook(row, payload.event, now);
      return { ok: false, error: `unknown channel ${row.channel}`, permanent: true };
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
  }

  private async sendEmail(to: string, event: NotifyEvent): Promise<Outcome> {
    const transport = this.mailTransport();
    if (!transport) return { ok: false, error: 'SMTP is not configured (AFTERCARE_SMTP_URL)' };
    const settings = this.settings();
    const { subject, text } = renderMail(event, settings.publicUrl);
    await withTimeout(transport.sendMail({ from: settings.from, to, subject, text, headers: { 'x-aftercare-event': event.kind } }), Math.round(this.sendTimeoutMs * 1.5), 'SMTP');
    return { ok: true };
  }

  private async sendWebhook(row: Selectable<OutboxTable>, event: NotifyEvent, now: number): Promise<Outcome> {
    const hook = await this.ctx.db.read.selectFrom('webhooks').selectAll().where('id', '=', Number(row.target)).executeTakeFirst();
    if (!hook) return { ok: false, error: 'webhook deleted', permanent: true };
    if (hook.active !== 1 && event.kind !== 'test') return { ok: false, error: 'webhook disabled', permanent: true };
    const req = buildWebhookRequest(
      { kind: hook.kind as WebhookKind, url: hook.url, secret: hook.secret },
      { deliveryId: String(row.id), event, publicUrl: this.settings().publicUrl, now },
    );
    // Checked again at every send: the setting may have changed, and a URL saved before this check existed is not
    // trusted. A name's addresses are checked as the connection resolves them (egress.ts).
    const refused = literalRefusal(req.url, this.allowPrivate());
    if (refused) return { ok: false, error: truncateError(refused.message), permanent: true };
    let res;
    try {
      res = await this.fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.sendTimeoutMs) });
    } catch (e) {
      if (e instanceof WebhookAddressRefused) return { ok: false, error: truncateError(e.message), permanent: true };
      throw e;
    }
    const text = await withTimeout(res.text(), this.sendTimeoutMs, 'webhook answer').catch(() => '');
    const verdict = judgeWebhookResponse(hook.kind as WebhookKind, res.status, text, res.headers?.get('location') ?? null);
    return verdict.ok ? { ok: true } : { ok: false, error: truncateError(verdict.error) };
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
