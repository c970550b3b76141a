// The signed-in user's in-app notifications: the list (newest first, cursor-paged) and marking them read.
import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/connect.js';
import type { NotificationsTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoOrNull as iso } from '../../domain/iso.js';
import { Invalid } from '../../http/errors.js';
import type { NotificationItem } from './schemas.js';
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

export class Inbox {
  constructor(private readonly ctx: AppContext) {}

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
      items: page.map((r) => notificationItem(r)),
      nextCursor: rows.length > q.limit ? encodeCursor([page[page.length - 1].id]) : null,
      unread: await unreadCount(this.ctx.db, actor.id),
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
    return { updated, unread: await unreadCount(this.ctx.db, actor.id) };
  }
}
