// Live pushes: open Server-Sent Event streams per user on this node, fed after each commit, and fanned out to every
// node through PostgreSQL LISTEN/NOTIFY.
import crypto from 'node:crypto';
import pg from 'pg';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { AppError } from '../../http/errors.js';
import { notificationItem, unreadCount } from './inbox.js';
import { parseJson, type NotifyOptions, type StreamSink } from './types.js';

/** PostgreSQL channel every node LISTENs on for live pushes. */
export const LIVE_CHANNEL = 'aftercare_live';
const MAX_STREAMS_TOTAL = 10_000;
/** Notifications replayed to a reconnecting EventSource at most. */
const REPLAY_LIMIT = 50;
const PAGE = 100;

interface LiveStream {
  userId: number;
  lastId: number;
  sink: StreamSink;
  timer: NodeJS.Timeout | null;
  closed: boolean;
}

export class LiveHub {
  readonly nodeId: string;
  private readonly maxStreamsPerUser: number;
  private readonly pingIntervalMs: number;

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
    this.maxStreamsPerUser = opts.maxStreamsPerUser ?? 8;
    this.pingIntervalMs = opts.pingIntervalMs ?? 25_000;
  }

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
      const frame = `id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(notificationItem(row))}\n\n`;
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
    const unread = await unreadCount(this.ctx.db, actor.id);
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

}
