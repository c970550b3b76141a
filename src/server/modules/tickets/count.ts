// The queue's total: how many tickets a filter finds, counted up to a cap so it stays cheap however many match.
import type { z } from 'zod';
import type { TicketCount, TicketCountQuery } from '../../../shared/schemas.js';
import type { Database } from '../../db/connect.js';
import { readSql } from '../../db/fast.js';
import type { AccessSettings, Actor } from '../../domain/access.js';
import { queryTokens } from '../../domain/search.js';
import { ticketCountSql, type ListFilters } from './repo.js';

/** Past this many the queue shows "1,000+": counting further would read every matching row for a number nobody needs. */
export const QUEUE_COUNT_CAP = 1000;

type CountQuery = z.infer<typeof TicketCountQuery>;

/** The queue's filter as the SQL builders take it, from the query string both the page and its total accept. */
export function queueFilters(actor: Actor, query: CountQuery): Omit<ListFilters, 'sort' | 'limit' | 'after' | 'tokens'> {
  return {
    status: query.status,
    open: query.open === undefined ? undefined : query.open === 'true',
    priority: query.priority,
    category: query.category,
    lateRegistration: query.lateRegistration === undefined ? undefined : query.lateRegistration === 'true',
    departmentId: query.departmentId,
    assigneeId: query.assigneeId === 'me' ? actor.id : query.assigneeId === 'none' ? null : query.assigneeId,
    customerId: query.customerId,
    channel: query.channel,
    createdFrom: query.createdFrom ? Date.parse(query.createdFrom) : undefined,
    createdTo: query.createdTo ? Date.parse(query.createdTo) : undefined,
  };
}

/**
 * The tickets the actor may see that match the queue filter, exactly up to `cap`; above it `{count: cap, capped: true}`.
 * The same conditions as the queue page (ticketListSql), so the total and the pages never disagree; `access`: the
 * settings visibility depends on (SettingsService.access).
 */
export async function countTickets(db: Database, actor: Actor, query: CountQuery, access: AccessSettings, cap = QUEUE_COUNT_CAP): Promise<TicketCount> {
  const tokens = query.q ? queryTokens(query.q) : undefined;
  if (tokens && tokens.length === 0) return { count: 0, capped: false }; // the queue finds nothing for such a query either
  const { text, params } = ticketCountSql(
    db.dialect,
    actor,
    {
      ...queueFilters(actor, query),
      tokens,
    },
    cap,
    access,
  );
  const [row] = await readSql<{ n: number | string }>(db, text, params);
  const n = Number(row?.n ?? 0);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}
