// The queue: filtered, searched and cursor-paged lists of tickets (GET /api/tickets; read workers run the same list).
import type { z } from 'zod';
import type { TicketListItem, TicketsQuery } from '../../../shared/schemas.js';
import { readSql } from '../../db/fast.js';
import type { Actor } from '../../domain/access.js';
import { customerTicket } from '../../domain/customer-view.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { queryTokens } from '../../domain/search.js';
import { Invalid } from '../../http/errors.js';
import type { TicketCore } from './core.js';
import { queueFilters } from './count.js';
import { selectTicketWithCustomer, SORTS, ticketListSql, visibleTo, type TicketListRow, type TicketWithCustomer } from './repo.js';
import type { TicketViews } from './views.js';

type ListQuery = z.infer<typeof TicketsQuery>;

export class TicketQueue {
  constructor(
    private readonly core: TicketCore,
    private readonly views: TicketViews,
  ) {}

  async list(actor: Actor, query: ListQuery): Promise<{ items: TicketListItem[]; nextCursor: string | null }> {
    const sort = SORTS[query.sort];
    const tokens = query.q ? queryTokens(query.q) : undefined;
    if (tokens && tokens.length === 0) return { items: [], nextCursor: null };
    let after: (string | number)[] | undefined;
    if (query.cursor) {
      after = decodeCursor(query.cursor, sort.byPriority ? ['s', 'n', 'n'] : ['n', 'n']) ?? undefined;
      if (!after) throw Invalid({ cursor: 'field.invalid_cursor' });
    }
    const access = await this.core.settings.access();
    const { text, params } = ticketListSql(this.core.ctx.db.dialect, actor, {
      ...queueFilters(actor, query),
      tokens,
      sort: query.sort,
      after,
      limit: query.limit + 1,
    }, { access });
    const rows = await readSql<TicketListRow>(this.core.ctx.db, text, params);
    const more = rows.length > query.limit;
    const pageRows = rows.slice(0, query.limit);
    const page = await this.views.pageContext();
    let items = pageRows.map((r) => this.views.toListItem(r, page));
    if (actor.role === 'customer') items = items.map((t) => customerTicket(t, { userId: actor.id, assignee: t.assignee }));
    let nextCursor: string | null = null;
    if (more) {
      const last = pageRows[pageRows.length - 1];
      nextCursor = encodeCursor(sort.byPriority ? [last.priority, last[sort.column] as number, last.id] : [last[sort.column] as number, last.id]);
    }
    return { items, nextCursor };
  }

  /** Open tickets of some customers that the actor may see (phone intake). */
  async openTicketsOf(actor: Actor, customerIds: number[]): Promise<Map<number, TicketListItem[]>> {
    const out = new Map<number, TicketListItem[]>();
    if (customerIds.length === 0) return out;
    const rows = (await visibleTo(selectTicketWithCustomer(this.core.ctx.db.read), actor, await this.core.settings.access())
      .where('tickets.customer_id', 'in', customerIds)
      .where('tickets.is_open', '=', 1)
      .orderBy('tickets.created_at', 'desc')
      .limit(100)
      .execute()) as TicketWithCustomer[];
    const page = await this.views.pageContext();
    for (const r of rows) {
      const item = this.views.toListItem(r, page);
      item.customer.phone = r.c_phone;
      out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), item]);
    }
    return out;
  }
}
