// What the returns services share: a record's ticket checked against the actor inside the write, and the retry of a
// create whose Idempotency-Key a racing twin committed first.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { NotFound } from '../../http/errors.js';
import type { TicketsService } from '../tickets/service.js';
import type { TicketWithCustomer } from '../tickets/repo.js';

/** The ticket a record belongs to, if the actor may see it; otherwise the record is "not found" (ids leak nothing). */
export async function visibleTicketOf(tickets: TicketsService, trx: Kysely<DB>, actor: Actor, ticketId: number, notFoundKey: string): Promise<TicketWithCustomer> {
  const number = (await trx.selectFrom('tickets').select('number').where('id', '=', ticketId).executeTakeFirstOrThrow()).number;
  return tickets.findVisible(trx, actor, number).catch(() => {
    throw NotFound(notFoundKey);
  });
}

/**
 * Runs a create; on PostgreSQL a racing retry with the same key may commit first and ours roll back whole on the
 * unique key: running again answers with theirs. `onConflict` answers a unique violation without a key.
 */
export async function createOnce<T>(run: () => Promise<T>, key: string | undefined, onConflict?: () => Error): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    if (key) return run();
    throw onConflict ? onConflict() : e;
  }
}
