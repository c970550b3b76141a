// The signed-in user's in-app notifications: the list (newest first, cursor-paged) and marking them read.
import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/connect.js';
import type { NotificationsTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoOrNull as iso } from '../../domain/iso.js';
import { Invalid } from '../../http/errors.js';
import type { NotificationGroup, NotificationItem } from './schemas.js';
import { parseJson, type StoredNotificationData } from './types.js';

export function notificationItem(row: Selectable<NotificationsTable>): NotificationItem {
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

export async function unreadCount(db: Database, userId: number): Promise<number> {
  const r = await db.read
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** How many of the user's latest entries the bell groups. */
const BELL_WINDOW = 100;
const GROUP_ITEMS = 5;

export interface ListQuery {
  unread?: boolean;
  kind?: string;
  /** Ticket number. */
  ticket?: string;
  limit: number;
  cursor?: string;
}

export type MarkTarget = number[] | 'all' | { ticketId: number };

export class Inbox {
  constructor(private readonly ctx: AppContext) {}

  /** The actor's own notifications, newest first, optionally only unread ones, of one kind, or about one ticket. */
  async list(actor: Actor, q: ListQuery): Promise<{ items: NotificationItem[]; nextCursor: string | null; unread: number }> {
    let query = this.ctx.db.read.selectFrom('notifications').selectAll().where('user_id', '=', actor.id);
    if (q.unread) query = query.where('read_at', 'is', null);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.ticket) {
      const number = q.ticket;
      query = query.where('ticket_id', 'in', (eb) => eb.selectFrom('tickets').select('id').where('number', '=', number));
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      query = query.where('id', '<', c[0] as number);
    }
    const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => notificationItem(r)),
      nextCursor: rows.length > q.limit ? encodeCursor([page[page.length - 1].id]) : null,
      unread: await unreadCount(this.ctx.db, actor.id),
    };
  }

  /**
   * The bell: the user's latest entries grouped by ticket, newest group first (an entry without a ticket is a group
   * of its own). Each group carries its newest entries, how many there are and how many are unread.
   */
  async groups(actor: Actor, limit: number): Promise<{ groups: NotificationGroup[]; unread: number }> {
    const rows = await this.ctx.db.read.selectFrom('notifications').selectAll().where('user_id', '=', actor.id).orderBy('id', 'desc').limit(BELL_WINDOW).execute();
    const groups = new Map<string, NotificationGroup>();
    for (const row of rows) {
      const key = row.ticket_id !== null ? `t:${row.ticket_id}` : `n:${row.id}`;
      let g = groups.get(key);
      if (!g) {
        if (groups.size >= limit) continue;
        const item = notificationItem(row);
        groups.set(key, (g = { key, ticket: item.ticket, items: [], count: 0, unread: 0, latestAt: item.createdAt }));
      }
      g.count++;
      if (row.read_at === null) g.unread++;
      if (g.items.length < GROUP_ITEMS) g.items.push(notificationItem(row));
    }
    return { groups: [...groups.values()], unread: await unreadCount(this.ctx.db, actor.id) };
  }

  /** Marks the actor's own notifications read: some ids (others' are ignored), all, or all about one ticket. */
  async markRead(actor: Actor, target: MarkTarget): Promise<{ updated: number; unread: number }> {
    const now = this.ctx.clock.now();
    const updated =
      Array.isArray(target) && target.length === 0
        ? 0
        : await this.ctx.db.write(async (trx) => {
            let q = trx.updateTable('notifications').set({ read_at: now }).where('user_id', '=', actor.id).where('read_at', 'is', null);
            if (Array.isArray(target)) q = q.where('id', 'in', [...new Set(target)]);
            else if (target !== 'all') q = q.where('ticket_id', '=', target.ticketId);
            const r = await q.executeTakeFirst();
            return Number(r.numUpdatedRows);
          });
    return { updated, unread: await unreadCount(this.ctx.db, actor.id) };
  }
}
