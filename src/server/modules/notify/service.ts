// Notifications: in-app rows and outbox rows written inside the caller's transaction, live pushes over SSE (fanned out
// to every node through PostgreSQL LISTEN/NOTIFY), webhook administration, and the outbox delivery with retries.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely, type Selectable } from 'kysely';
import nodemailer from 'nodemailer';
import pg from 'pg';
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { DB, NotificationsTable, OutboxTable, WebhooksTable } from '../../db/schema.js';
import { fastQuery } from '../../db/fast.js';
import type { Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import {
  afterFailure,
  buildWebhookRequest,
  judgeWebhookResponse,
  renderMail,
  truncateError,
  type NotificationKind,
  type NotifyEvent,
  type TicketSummary,
  type WebhookKind,
} from '../../domain/notify/index.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Invalid, NotFound } from '../../http/errors.js';
import type { NotificationItem, Webhook, WebhookCreateBody, WebhookPatchBody } from './schemas.js';
import { isoOrNull as iso } from '../../domain/iso.js';

export { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/notify/index.js';

export interface NotificationInput {
  userIds: number[];
  kind: NotificationKind;
  ticket?: TicketSummary;
  data?: Record<string, unknown>;
  /** One logical event: enqueueing the same key again adds no row and sends nothing twice. */
  dedupeKey: string;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

export interface MailTransport {
  sendMail(msg: MailMessage): Promise<unknown>;
  close?(): void;
}

export interface FetchResponseLike {
  status: number;
  text(): Promise<string>;
}
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<FetchResponseLike>;

export interface NotifyOptions {
  /** Mail sender; by default nodemailer over AFTERCARE_SMTP_URL. */
  transport?: MailTransport | null;
  fetch?: FetchLike;
  /** Identifies this process in LISTEN/NOTIFY messages, so it ignores its own. */
  nodeId?: string;
  maxStreamsPerUser?: number;
  pingIntervalMs?: number;
  /** Time limit of one e-mail or webhook attempt. */
  sendTimeoutMs?: number;
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

/** PostgreSQL channel every node LISTENs on for live pushes. */
export const LIVE_CHANNEL = 'aftercare_live';
/** A claimed outbox row stays locked this long; sends stop well before it runs out. */
const LOCK_MS = 60_000;
/** Rows not yet sent this long after the claim are released, not sent, so the lock never expires mid-send. */
const SAFE_SEND_WINDOW_MS = 40_000;
const SEND_CONCURRENCY = 8;
const MAX_STREAMS_TOTAL = 10_000;
/** Notifications replayed to a reconnecting EventSource at most. */
const REPLAY_LIMIT = 50;
const PAGE = 100;

interface OutboxPayload {
  event: NotifyEvent;
  userId?: number;
}

type Outcome = { ok: true } | { ok: false; error: string; permanent?: boolean };

interface StoredNotificationData {
  dedupeKey?: string;
  ticket?: TicketSummary | null;
  data?: Record<string, unknown>;
}

export interface StreamSink {
  /** Called once the stream is accepted, before the first write (send the response head here). */
  open(): void;
  write(chunk: string): void;
  end(): void;
}

interface LiveStream {
  userId: number;
  lastId: number;
  sink: StreamSink;
  timer: NodeJS.Timeout | null;
  closed: boolean;
}

const errorText = (e: unknown) => truncateError(e instanceof Error ? e.message || e.name : String(e));

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function webhookEvents(text: string): string[] {
  const v = parseJson<unknown>(text, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export class NotifyService {
  readonly nodeId: string;
  private transport: MailTransport | null;
  private ownTransport = false;
  private fetchImpl: FetchLike;
  private readonly maxStreamsPerUser: number;
  private readonly pingIntervalMs: number;
  private readonly sendTimeoutMs: number;

  private readonly streams = new Map<number, Set<LiveStream>>();
  private streamCount = 0;
  private readonly flushing = new Map<number, Promise<void>>();
  private readonly dirty = new Set<number>();

  private listener: pg.Client | null = null;
  private listenerStarting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = 1000;
  private running = false;

  constructor(
    private readonly ctx: AppContext,
    opts: NotifyOptions = {},
  ) {
    this.nodeId = opts.nodeId ?? crypto.randomUUID();
    this.transport = opts.transport ?? null;
    this.fetchImpl = opts.fetch ?? ((url, init) => fetch(url, init));
    this.maxStreamsPerUser = opts.maxStreamsPerUser ?? 8;
    this.pingIntervalMs = opts.pingIntervalMs ?? 25_000;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 10_000;
  }

  /** Replace the senders (tests; or a custom mail gateway). `null` falls back to SMTP from the settings. */
  setTransport(transport: MailTransport | null, fetchImpl?: FetchLike) {
    if (this.ownTransport) this.transport?.close?.();
    this.ownTransport = false;
    this.transport = transport;
    if (fetchImpl) this.fetchImpl = fetchImpl;
  }

  private settings() {
    return mailSettings(this.ctx.config);
  }

  /** E-mail goes out when a transport was given or SMTP is configured. */
  private mailEnabled(): boolean {
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

  // ---------------------------------------------------------------- writing (inside the caller's transaction)

  /**
   * Records one logical event for the given users: an in-app notification per active user, an e-mail outbox row per
   * user with an address (when mail is configured) and a webhook outbox row per subscribed active webhook. No network
   * IO: it runs inside the caller's write transaction. Returns the users who got a new in-app notification; call
   * publish() with them once the transaction has committed.
   */
  async enqueue(trx: Kysely<DB>, input: NotificationInput): Promise<number[]> {
    const now = this.ctx.clock.now();
    const key = input.dedupeKey;
    const wanted = [...new Set(input.userIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
    // Statements with their SQL built once (db/fast.ts): this runs inside every assigning ticket create.
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
    const users = wanted.length
      ? await fastQuery<{ id: number; email: string | null }>(this.ctx.db, trx, `SELECT id, email FROM users WHERE id IN (${marks(wanted.length)}) AND active = 1 ORDER BY id`, wanted)
      : [];
    const ticket = input.ticket ? { ...input.ticket, dueAt: input.ticket.dueAt ?? null } : null;
    const data = input.data ?? {};
    let fresh = users;
    if (users.length > 0) {
      const stored = JSON.stringify({ dedupeKey: key, ticket, data } satisfies StoredNotificationData);
      // Unique (user_id, dedupe_key): a repeated event inserts nothing, also when two nodes race on it.
      const rows = users.map(() => '(?, ?, ?, ?, ?, NULL, ?)').join(', ');
      const inserted = await fastQuery<{ user_id: number }>(
        this.ctx.db,
        trx,
        `INSERT INTO notifications (user_id, ticket_id, kind, data, created_at, read_at, dedupe_key) VALUES ${rows} ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
        users.flatMap((u) => [u.id, ticket?.id ?? null, input.kind, stored, now, key]),
      );
      const insertedIds = new Set(inserted.map((r) => Number(r.user_id)));
      fresh = users.filter((u) => insertedIds.has(u.id));
    }

    const event: NotifyEvent = { kind: input.kind, occurredAt: now, ticket, data };
    const outbox: { channel: string; target: string; dedupe_key: string; payload: string; created_at: number; next_attempt_at: number; attempts: number }[] = [];
    if (this.mailEnabled()) {
      for (const u of users) {
        const email = u.email?.trim();
        if (!email || !email.includes('@')) continue;
        outbox.push({ channel: 'email', target: email, dedupe_key: `${key}:email:${u.id}`, payload: JSON.stringify({ event, userId: u.id } satisfies OutboxPayload), created_at: now, next_attempt_at: now, attempts: 0 });
      }
    }
    const hooks = await this.activeHooks(trx);
    for (const h of hooks) {
      const events = webhookEvents(h.events);
      if (!events.includes('*') && !events.includes(input.kind)) continue;
      outbox.push({ channel: 'webhook', target: String(h.id), dedupe_key: `${key}:webhook:${h.id}`, payload: JSON.stringify({ event } satisfies OutboxPayload), created_at: now, next_attempt_at: now, attempts: 0 });
    }
    if (outbox.length > 0) {
      await trx
        .insertInto('outbox')
        .values(outbox)
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    }
    return fresh.map((u) => u.id);
  }

  // ---------------------------------------------------------------- live pushes

  /**
   * After the caller's transaction committed: pushes the users' new notifications to their open streams on this node
   * and, on PostgreSQL, tells every other node to do the same. Never throws.
   */
  publish(userIds: number[]): void {
    const ids = [...new Set(userIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
    if (ids.length === 0) return;
    for (const id of ids) this.pushUser(id);
    const pool = this.ctx.db.dialect === 'postgres' ? this.ctx.db.pgPool : undefined;
    if (!pool) return;
    // NOTIFY payloads must stay under 8000 bytes.
    for (let i = 0; i < ids.length; i += 500) {
      const payload = JSON.stringify({ n: this.nodeId, u: ids.slice(i, i + 500) });
      pool.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, payload]).catch((e: unknown) => this.ctx.log.warn({ err: e }, 'notify: pg_notify failed'));
    }
  }

  /** On PostgreSQL: LISTEN for pushes published by other nodes (reconnecting on error). Idempotent. */
  async start(): Promise<void> {
    this.running = true;
    if (this.ctx.db.dialect !== 'postgres' || this.listener) return;
    await (this.listenerStarting ??= this.connectListener().finally(() => (this.listenerStarting = null)));
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.listenerStarting?.catch(() => {});
    const client = this.listener;
    this.listener = null;
    if (client) await client.end().catch(() => {});
    this.closeAllStreams();
    if (this.ownTransport) {
      this.transport?.close?.();
      this.transport = null;
      this.ownTransport = false;
    }
  }

  private databaseUrl(): string | undefined {
    return this.ctx.config.databaseUrl ?? (this.ctx.db.pgPool as unknown as { options?: { connectionString?: string } } | undefined)?.options?.connectionString;
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl() });
    let gone = false;
    const lost = (e?: unknown) => {
      if (gone) return;
      gone = true;
      if (e) this.ctx.log.warn({ err: e }, 'notify: LISTEN connection lost');
      if (this.listener === client) this.listener = null;
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === LIVE_CHANNEL && msg.payload) this.onLiveMessage(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (e) {
      lost(e);
      return;
    }
    if (!this.running) {
      gone = true;
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.reconnectDelay = 1000;
    // Whatever was published while we were not listening: catch every local stream up.
    for (const userId of this.streams.keys()) this.pushUser(userId);
  }

  private scheduleReconnect() {
    if (!this.running || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running && !this.listener) void this.start().catch(() => {});
    }, delay);
    this.reconnectTimer.unref();
  }

  private onLiveMessage(payload: string) {
    const msg = parseJson<{ n?: unknown; u?: unknown } | null>(payload, null);
    if (!msg || msg.n === this.nodeId || !Array.isArray(msg.u)) return;
    for (const id of msg.u) if (typeof id === 'number' && Number.isSafeInteger(id)) this.pushUser(id);
  }

  /** Sends the user's notifications newer than each stream's last one; coalesces bursts into one query at a time. */
  private pushUser(userId: number) {
    if (!this.streams.has(userId)) return;
    if (this.flushing.has(userId)) {
      this.dirty.add(userId);
      return;
    }
    const run = async () => {
      do {
        this.dirty.delete(userId);
        await this.flushUser(userId);
      } while (this.dirty.has(userId) && this.streams.has(userId));
    };
    const p = run()
      .catch((e: unknown) => this.ctx.log.warn({ err: e }, 'notify: live push failed'))
      .finally(() => this.flushing.delete(userId));
    this.flushing.set(userId, p);
  }

  private async flushUser(userId: number) {
    const set = this.streams.get(userId);
    if (!set || set.size === 0) return;
    const from = Math.min(...[...set].map((s) => s.lastId));
    const rows = await this.ctx.db.read.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('id', '>', from).orderBy('id').limit(PAGE).execute();
    for (const row of rows) {
      const frame = `id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(this.toItem(row))}\n\n`;
      for (const s of set) {
        if (s.closed || row.id <= s.lastId) continue;
        s.lastId = row.id;
        this.write(s, frame);
      }
    }
    if (rows.length === PAGE) this.dirty.add(userId);
  }

  private write(s: LiveStream, chunk: string) {
    try {
      s.sink.write(chunk);
    } catch {
      this.closeStream(s);
    }
  }

  /**
   * Opens a live stream for the actor. Refused (429) beyond the per-user cap. `lastEventId` (EventSource's
   * Last-Event-ID on reconnect) replays what the user missed, up to REPLAY_LIMIT notifications. Returns the close function.
   */
  async openStream(actor: Actor, sink: StreamSink, lastEventId?: number | null): Promise<() => void> {
    const tooMany = () => (this.streams.get(actor.id)?.size ?? 0) >= this.maxStreamsPerUser || this.streamCount >= MAX_STREAMS_TOTAL;
    if (tooMany()) throw new AppError(429, 'rate_limited', 'error.rate_limited');
    const newest = await this.ctx.db.read
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', actor.id)
      .orderBy('id', 'desc')
      .limit(REPLAY_LIMIT)
      .execute();
    const max = newest[0]?.id ?? 0;
    let lastId = max;
    if (lastEventId !== null && lastEventId !== undefined && Number.isSafeInteger(lastEventId) && lastEventId >= 0 && lastEventId < max) {
      const floor = newest.length === REPLAY_LIMIT ? newest[REPLAY_LIMIT - 1].id - 1 : 0;
      lastId = Math.max(lastEventId, floor);
    }
    const unread = await this.unreadCount(actor.id);
    if (tooMany()) throw new AppError(429, 'rate_limited', 'error.rate_limited');

    const stream: LiveStream = { userId: actor.id, lastId, sink, timer: null, closed: false };
    sink.open();
    let set = this.streams.get(actor.id);
    if (!set) this.streams.set(actor.id, (set = new Set()));
    set.add(stream);
    this.streamCount++;
    this.write(stream, `retry: 5000\nevent: ready\ndata: ${JSON.stringify({ unread })}\n\n`);
    stream.timer = setInterval(() => this.write(stream, `event: ping\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`), this.pingIntervalMs);
    stream.timer.unref();
    // Anything committed since the query above (or missed before a reconnect).
    this.pushUser(actor.id);
    return () => this.closeStream(stream);
  }

  private closeStream(s: LiveStream) {
    if (s.closed) return;
    s.closed = true;
    if (s.timer) clearInterval(s.timer);
    const set = this.streams.get(s.userId);
    if (set?.delete(s)) this.streamCount--;
    if (set && set.size === 0) this.streams.delete(s.userId);
    try {
      s.sink.end();
    } catch {
      /* already gone */
    }
  }

  /** Ends every open stream (shutdown: a server cannot close while streams hold connections open). */
  closeAllStreams() {
    for (const set of [...this.streams.values()]) for (const s of [...set]) this.closeStream(s);
  }

  /** Open streams on this node (all users, or one). */
  streamsOpen(userId?: number): number {
    return userId === undefined ? this.streamCount : (this.streams.get(userId)?.size ?? 0);
  }

  // ---------------------------------------------------------------- in-app API

  toItem(row: Selectable<NotificationsTable>): NotificationItem {
    const stored = parseJson<StoredNotificationData>(row.data, {});
    const t = stored.ticket ?? null;
    return {
      id: row.id,
      kind: row.kind,
      ticket: t ? { id: t.id, number: t.number, title: t.title, priority: t.priority, demand: t.demand ?? null, status: t.status, dueAt: iso(t.dueAt) } : null,
      data: stored.data ?? {},
      createdAt: new Date(row.created_at).toISOString(),
      readAt: iso(row.read_at),
    };
  }

  private async unreadCount(userId: number): Promise<number> {
    const r = await this.ctx.db.read
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** The actor's own notifications, newest first. */
  async list(actor: Actor, q: { unread?: boolean; limit: number; cursor?: string }): Promise<{ items: NotificationItem[]; nextCursor: string | null; unread: number }> {
    let query = this.ctx.db.read.selectFrom('notifications').selectAll().where('user_id', '=', actor.id);
    if (q.unread) query = query.where('read_at', 'is', null);
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      query = query.where('id', '<', c[0] as number);
    }
    const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => this.toItem(r)),
      nextCursor: rows.length > q.limit ? encodeCursor([page[page.length - 1].id]) : null,
      unread: await this.unreadCount(actor.id),
    };
  }

  /** Marks the actor's own notifications read (others' ids are ignored). */
  async markRead(actor: Actor, ids: number[] | 'all'): Promise<{ updated: number; unread: number }> {
    const now = this.ctx.clock.now();
    const updated =
      ids !== 'all' && ids.length === 0
        ? 0
        : await this.ctx.db.write(async (trx) => {
            let q = trx.updateTable('notifications').set({ read_at: now }).where('user_id', '=', actor.id).where('read_at', 'is', null);
            if (ids !== 'all') q = q.where('id', 'in', [...new Set(ids)]);
            const r = await q.executeTakeFirst();
            return Number(r.numUpdatedRows);
          });
    return { updated, unread: await this.unreadCount(actor.id) };
  }

  // ---------------------------------------------------------------- webhooks (admin)

  private webhookDto(row: Selectable<WebhooksTable>): Webhook {
    return {
      id: row.id,
      name: row.name,
      url: row.url,
      kind: row.kind as WebhookKind,
      events: webhookEvents(row.events),
      active: row.active === 1,
      hasSecret: row.secret !== null && row.secret !== '',
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async listWebhooks(actor: Actor): Promise<Webhook[]> {
    requireAccess(actor, 'admin');
    const rows = await this.ctx.db.read.selectFrom('webhooks').selectAll().orderBy('id').execute();
    return rows.map((r) => this.webhookDto(r));
  }

  private hooksCache: { at: number; rows: { id: number; events: string }[] } | null = null;

  /** Forget the cached webhook list (after changing the table other than through this service). */
  forgetWebhooks() {
    this.hooksCache = null;
    this.ctx.cacheChanged?.('webhooks');
  }

  /** Active webhooks, cached for 10 s (edits on this node clear it at once; other nodes see them within 10 s). */
  private async activeHooks(trx: Kysely<DB>): Promise<{ id: number; events: string }[]> {
    const now = performance.now();
    if (this.hooksCache && now - this.hooksCache.at < 10_000) return this.hooksCache.rows;
    const rows = await trx.selectFrom('webhooks').select(['id', 'events']).where('active', '=', 1).execute();
    this.hooksCache = { at: now, rows };
    return rows;
  }

  async createWebhook(actor: Actor, body: WebhookCreateBody): Promise<Webhook> {
    requireAccess(actor, 'admin');
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write((trx) =>
      trx
        .insertInto('webhooks')
        .values({ name: body.name, url: body.url, kind: body.kind, secret: body.secret ?? null, events: JSON.stringify(body.events), active: body.active ? 1 : 0, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    // After the commit: a create in the same batch may have filled the cache from the table as it was.
    this.forgetWebhooks();
    return this.webhookDto(row);
  }

  async updateWebhook(actor: Actor, id: number, body: WebhookPatchBody): Promise<Webhook> {
    requireAccess(actor, 'admin');
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write(async (trx) => {
      const set: Partial<Record<keyof WebhooksTable, unknown>> = { updated_at: now };
      if (body.name !== undefined) set.name = body.name;
      if (body.url !== undefined) set.url = body.url;
      if (body.kind !== undefined) set.kind = body.kind;
      if (body.secret !== undefined) set.secret = body.secret;
      if (body.events !== undefined) set.events = JSON.stringify(body.events);
      if (body.active !== undefined) set.active = body.active ? 1 : 0;
      return trx
        .updateTable('webhooks')
        .set(set as never)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    });
    this.forgetWebhooks();
    if (!row) throw NotFound();
    return this.webhookDto(row);
  }

  /** Deletes the webhook; its undelivered messages are marked failed in the same transaction. */
  async deleteWebhook(actor: Actor, id: number): Promise<void> {
    requireAccess(actor, 'admin');
    const now = this.ctx.clock.now();
    const deleted = await this.ctx.db.write(async (trx) => {
      const r = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await trx
        .updateTable('outbox')
        .set({ failed_at: now, locked_until: null, last_error: 'webhook deleted' })
        .where('channel', '=', 'webhook')
        .where('target', '=', String(id))
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute();
      return true;
    });
    this.forgetWebhooks();
    if (!deleted) throw NotFound();
  }

  /** Queues a test message to the webhook (also when it is inactive); the next delivery run sends it. */
  async testWebhook(actor: Actor, id: number): Promise<{ outboxId: number }> {
    requireAccess(actor, 'admin');
    const now = this.ctx.clock.now();
    const event: NotifyEvent = {
      kind: 'test',
      occurredAt: now,
      ticket: null,
      data: { message: '这是一条来自 Aftercare 售后服务管理系统的测试消息 / A test message from Aftercare', by: actor.name },
    };
    const row = await this.ctx.db.write(async (trx) => {
      const hook = await trx.selectFrom('webhooks').select('id').where('id', '=', id).executeTakeFirst();
      if (!hook) return null;
      return trx
        .insertInto('outbox')
        .values({ channel: 'webhook', target: String(id), dedupe_key: `test:${id}:${now}:${crypto.randomUUID()}`, payload: JSON.stringify({ event } satisfies OutboxPayload), created_at: now, next_attempt_at: now, attempts: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
    });
    if (!row) throw NotFound();
    return { outboxId: row.id };
  }

  // ---------------------------------------------------------------- outbox delivery

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
          } else if (o.ok) {
            await mine.set({ delivered_at: now, attempts: row.attempts + 1, locked_until: null, last_error: null }).execute();
          } else {
            const attempts = row.attempts + 1;
            const plan = o.permanent ? ({ failed: true } as const) : afterFailure(attempts, now);
            await mine
              .set(plan.failed ? { attempts, failed_at: now, locked_until: null, last_error: o.error } : { attempts, next_attempt_at: plan.nextAttemptAt, locked_until: null, last_error: o.error })
              .execute();
          }
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
    const res = await this.fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.sendTimeoutMs) });
    const text = await withTimeout(res.text(), this.sendTimeoutMs, 'webhook answer').catch(() => '');
    const verdict = judgeWebhookResponse(hook.kind as WebhookKind, res.status, text);
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
