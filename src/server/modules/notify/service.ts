// Notifications: one facade over the module's parts — in-app rows and outbox rows written inside the caller's
// transaction (here), the user's inbox (inbox.ts), live pushes over SSE (live.ts), webhook administration
// (webhooks.ts) and the outbox delivery with retries (delivery.ts).
import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB, NotificationsTable } from '../../db/schema.js';
import { fastQuery } from '../../db/fast.js';
import type { Actor } from '../../domain/access.js';
import { resolvePrefs, type NotifyEvent } from '../../domain/notify/index.js';
import { OutboxDelivery } from './delivery.js';
import { DailyDigest } from './digest.js';
import { Inbox, notificationItem, type ListQuery, type MarkTarget } from './inbox.js';
import { LiveHub } from './live.js';
import { NotifyPreferences } from './preferences.js';
import type { NotificationItem, NotifyPrefsBody, NotifyPrefsView, Webhook, WebhookCreateBody, WebhookPatchBody } from './schemas.js';
import { webhookEvents, type FetchLike, type MailTransport, type NotificationInput, type NotifyOptions, type OutboxPayload, type StoredNotificationData, type StreamSink } from './types.js';
import { WebhookAdmin } from './webhooks.js';

export { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/notify/index.js';
export { mailSettings, type MailSettings, type OutboxChannel, type Settlement } from './delivery.js';
export { LIVE_CHANNEL } from './live.js';
export type { FetchLike, FetchResponseLike, MailMessage, MailTransport, NotificationInput, NotifyOptions, StreamSink } from './types.js';

interface RecipientRow {
  id: number;
  email: string | null;
  role: string;
  department_id: number | null;
  display_name: string;
  notify_prefs: string | null;
}

export class NotifyService {
  readonly nodeId: string;
  private readonly live: LiveHub;
  private readonly delivery: OutboxDelivery;
  private readonly inbox: Inbox;
  private readonly hooks: WebhookAdmin;
  private readonly prefs: NotifyPreferences;
  private readonly digest: DailyDigest;

  constructor(
    private readonly ctx: AppContext,
    opts: NotifyOptions = {},
  ) {
    this.live = new LiveHub(ctx, opts);
    this.nodeId = this.live.nodeId;
    this.delivery = new OutboxDelivery(ctx, opts);
    this.inbox = new Inbox(ctx);
    this.hooks = new WebhookAdmin(ctx);
    this.prefs = new NotifyPreferences(ctx, () => this.delivery.mailEnabled());
    this.digest = new DailyDigest(ctx, (trx, input) => this.enqueue(trx, input), (ids) => this.publish(ids));
  }

  /** Replace the senders (tests; or a custom mail gateway). `null` falls back to SMTP from the settings. */
  setTransport(transport: MailTransport | null, fetchImpl?: FetchLike) {
    this.delivery.setTransport(transport, fetchImpl);
  }

  /** The outbox, for modules that deliver through it (modules/messages registers its channel here). */
  get outbox(): OutboxDelivery {
    return this.delivery;
  }

  // ---------------------------------------------------------------- writing (inside the caller's transaction)

  /**
   * Records one logical event for the given users, on the channels each chose for this kind (their role's defaults
   * until they choose): an in-app notification, an e-mail outbox row (when mail is configured and they have an
   * address), and their department's group robots. Company-wide robots get every event of the kinds they subscribe
   * to, whoever the recipients. No network IO: it runs inside the caller's write transaction. Returns the users who
   * got a new in-app notification; call publish() with them once the transaction has committed.
   */
  async enqueue(trx: Kysely<DB>, input: NotificationInput): Promise<number[]> {
    const now = this.ctx.clock.now();
    const key = input.dedupeKey;
    const kind = input.kind;
    const wanted = [...new Set(input.userIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
    // Statements with their SQL built once (db/fast.ts): this runs inside every assigning ticket create.
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
    const users = wanted.length
      ? await fastQuery<RecipientRow>(
          this.ctx.db,
          trx,
          `SELECT id, email, role, department_id, display_name, notify_prefs FROM users WHERE id IN (${marks(wanted.length)}) AND active = 1 ORDER BY id`,
          wanted,
        )
      : [];
    const inApp: RecipientRow[] = [];
    const byMail: RecipientRow[] = [];
    const byRobot: RecipientRow[] = [];
    for (const u of users) {
      const channels = resolvePrefs(u.role, u.notify_prefs).kinds[kind] ?? [];
      if (channels.includes('in_app')) inApp.push(u);
      if (channels.includes('email')) byMail.push(u);
      if (channels.includes('robot')) byRobot.push(u);
    }
    const ticket = input.ticket ? { ...input.ticket, dueAt: input.ticket.dueAt ?? null } : null;
    const data = input.data ?? {};
    let fresh: RecipientRow[] = [];
    if (inApp.length > 0) {
      const stored = JSON.stringify({ dedupeKey: key, ticket, data } satisfies StoredNotificationData);
      // Unique (user_id, dedupe_key): a repeated event inserts nothing, also when two nodes race on it.
      const rows = inApp.map(() => '(?, ?, ?, ?, ?, NULL, ?)').join(', ');
      const inserted = await fastQuery<{ user_id: number }>(
        this.ctx.db,
        trx,
        `INSERT INTO notifications (user_id, ticket_id, kind, data, created_at, read_at, dedupe_key) VALUES ${rows} ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
        inApp.flatMap((u) => [u.id, ticket?.id ?? null, kind, stored, now, key]),
      );
      const insertedIds = new Set(inserted.map((r) => Number(r.user_id)));
      fresh = inApp.filter((u) => insertedIds.has(u.id));
    }

    const event: NotifyEvent = { kind, occurredAt: now, ticket, data };
    const outbox: { channel: string; target: string; dedupe_key: string; payload: string; created_at: number; next_attempt_at: number; attempts: number }[] = [];
    if (byMail.length > 0 && this.delivery.mailEnabled()) {
      for (const u of byMail) {
        const email = u.email?.trim();
        if (!email || !email.includes('@')) continue;
        outbox.push({ channel: 'email', target: email, dedupe_key: `${key}:email:${u.id}`, payload: JSON.stringify({ event, userId: u.id } satisfies OutboxPayload), created_at: now, next_attempt_at: now, attempts: 0 });
      }
    }
    const hooks = await this.hooks.activeHooks(trx);
    for (const h of hooks) {
      const events = webhookEvents(h.events);
      if (!events.includes('*') && !events.includes(kind)) continue;
      let payload: OutboxPayload = { event };
      if (h.department_id !== null) {
        // A department's robot carries what its people chose to have sent to their group: one message per event,
        // naming them, however many of them chose it.
        const members = byRobot.filter((u) => u.department_id === h.department_id);
        if (members.length === 0) continue;
        payload = { event: { ...event, data: { ...data, recipients: members.map((u) => u.display_name) } } };
      }
      outbox.push({ channel: 'webhook', target: String(h.id), dedupe_key: `${key}:webhook:${h.id}`, payload: JSON.stringify(payload), created_at: now, next_attempt_at: now, attempts: 0 });
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

  /** After the caller's transaction committed: pushes the users' new notifications live (this node and, on PostgreSQL, every node). */
  publish(userIds: number[]): void {
    this.live.publish(userIds);
  }

  /** On PostgreSQL: LISTEN for pushes published by other nodes. Idempotent. */
  start(): Promise<void> {
    return this.live.start();
  }

  async stop(): Promise<void> {
    await this.live.stop();
    this.delivery.close();
  }

  openStream(actor: Actor, sink: StreamSink, lastEventId?: number | null): Promise<() => void> {
    return this.live.openStream(actor, sink, lastEventId);
  }

  closeAllStreams() {
    this.live.closeAllStreams();
  }

  streamsOpen(userId?: number): number {
    return this.live.streamsOpen(userId);
  }

  // ---------------------------------------------------------------- in-app API

  toItem(row: Selectable<NotificationsTable>): NotificationItem {
    return notificationItem(row);
  }

  list(actor: Actor, q: ListQuery) {
    return this.inbox.list(actor, q);
  }

  /** The bell: latest entries grouped by ticket. */
  groups(actor: Actor, limit: number) {
    return this.inbox.groups(actor, limit);
  }

  markRead(actor: Actor, target: MarkTarget) {
    return this.inbox.markRead(actor, target);
  }

  // ---------------------------------------------------------------- the user's settings, the daily digest

  preferences(actor: Actor): Promise<NotifyPrefsView> {
    return this.prefs.get(actor);
  }

  setPreferences(actor: Actor, body: NotifyPrefsBody): Promise<NotifyPrefsView> {
    return this.prefs.set(actor, body);
  }

  /** Sends the daily digests due at `now` (the sweeper calls it every pass); once a day per user on any number of nodes. */
  runDigests(now = this.ctx.clock.now()): Promise<number> {
    return this.digest.run(now);
  }

  // ---------------------------------------------------------------- webhooks (admin)

  listWebhooks(actor: Actor): Promise<Webhook[]> {
    return this.hooks.listWebhooks(actor);
  }

  forgetWebhooks() {
    this.hooks.forgetWebhooks();
  }

  createWebhook(actor: Actor, body: WebhookCreateBody): Promise<Webhook> {
    return this.hooks.createWebhook(actor, body);
  }

  updateWebhook(actor: Actor, id: number, body: WebhookPatchBody): Promise<Webhook> {
    return this.hooks.updateWebhook(actor, id, body);
  }

  deleteWebhook(actor: Actor, id: number): Promise<void> {
    return this.hooks.deleteWebhook(actor, id);
  }

  testWebhook(actor: Actor, id: number): Promise<{ outboxId: number }> {
    return this.hooks.testWebhook(actor, id);
  }

  // ---------------------------------------------------------------- outbox delivery

  /** Sends due outbox rows (e-mail, webhooks); never throws. */
  deliverDue(now = this.ctx.clock.now(), limit = 50): Promise<{ delivered: number; failed: number }> {
    return this.delivery.deliverDue(now, limit);
  }
}
