// Where a call runs: in a worker thread when one is ready (readers/ for the queue, writers/ for creation, SQLite
// only), else on this thread — also when the worker dies with the call in hand. Routes call this and send what it
// answers; they know nothing of threads.
import type { z } from 'zod';
import type { KbSearchPage, KbSearchQuery, Ticket, TicketCount, TicketCountQuery, TicketCreateBody, TicketsQuery } from '../shared/schemas.js';
import type { AppContext } from './context.js';
import type { Actor } from './domain/access.js';
import { AppError } from './http/errors.js';
import { pageJsonBytes } from './http/json.js';
import { countTickets } from './modules/tickets/count.js';
import type { KbSearch } from './modules/kb/search.js';
import type { TicketsService } from './modules/tickets/service.js';
import type { ReadPool } from './readers/pool.js';
import { WorkerLost } from './threads.js';
import type { WritePool } from './writers/pool.js';

/**
 * A created (or found again) ticket as the route sends it: the worker's JSON text, sent as is (no re-parse, no
 * second serialization), or the ticket object made on this thread, which Fastify serializes by the route's schema.
 */
export type CreateAnswer =
  | { json: string; ticket?: undefined; number: string; version: number; created: boolean }
  | { json?: undefined; ticket: Ticket; number: string; version: number; created: boolean };

/** Something that says when a response is done with (Node's ServerResponse). */
export interface ResponseEnd {
  once(event: 'close', listener: () => void): unknown;
}

/** What the dispatcher needs of the services (buildApp sets the pools once they are started, so they are read per call). */
export interface DispatchTargets {
  ctx: AppContext;
  tickets: TicketsService;
  kbSearch: KbSearch;
  readers: ReadPool | null;
  writers: WritePool | null;
  /** Where the queue's total stops counting (tickets/count.ts). */
  ticketCountCap: number;
}

export class Dispatcher {
  constructor(private readonly s: DispatchTargets) {}

  /**
   * A queue page as UTF-8 JSON bytes (http/json.ts says why not JSON.stringify). A worker's bytes are in a buffer it
   * fills again: it is handed back once `response` is done with it (written, or the client gone).
   */
  ticketPage(actor: Actor, query: z.infer<typeof TicketsQuery>, response: ResponseEnd): Promise<Buffer> {
    const readers = this.s.readers;
    const fromWorker = readers?.call({ method: 'tickets.list', actor, query }, this.s.ctx.clock.now());
    if (!fromWorker) return this.ticketPageHere(actor, query);
    return fromWorker.then(
      (bytes) => {
        response.once('close', () => readers!.recycle(bytes));
        return bytes;
      },
      (e: unknown) => {
        if (e instanceof WorkerLost) return this.ticketPageHere(actor, query); // the worker died with it: answer here
        throw e;
      },
    );
  }

  private async ticketPageHere(actor: Actor, query: z.infer<typeof TicketsQuery>): Promise<Buffer> {
    return pageJsonBytes(await this.s.tickets.list(actor, query));
  }

  /** The queue's total (tickets/count.ts): a read worker's JSON bytes when one is ready, else the count made here. */
  ticketCount(actor: Actor, query: z.infer<typeof TicketCountQuery>): Promise<Buffer | TicketCount> {
    const cap = this.s.ticketCountCap;
    const fromWorker = this.s.readers?.call({ method: 'tickets.count', actor, query, cap }, this.s.ctx.clock.now());
    const here = async () => countTickets(this.s.ctx.db, actor, query, await this.s.tickets.core.settings.access(), cap);
    if (!fromWorker) return here();
    return fromWorker.catch((e: unknown) => {
      if (e instanceof WorkerLost) return here(); // the worker died with it: answer here
      throw e;
    });
  }

  /**
   * A knowledge-base search page: a read worker's JSON bytes when one is ready (ranking, snippets and JSON off the
   * server thread, as for the queue), else answered here.
   */
  kbSearch(actor: Actor | null, query: KbSearchQuery): Promise<Buffer | KbSearchPage> {
    const fromWorker = this.s.readers?.call({ method: 'kb.search', actor, query }, this.s.ctx.clock.now());
    const here = () => this.s.kbSearch.search(actor, query);
    if (!fromWorker) return here();
    return fromWorker.catch((e: unknown) => {
      if (e instanceof WorkerLost) return here(); // the worker died with it: answer here
      throw e;
    });
  }

  /** Registers a ticket in the write worker when it is ready, which answers with the ticket's JSON; else here. */
  createTicket(actor: Actor, body: z.infer<typeof TicketCreateBody>, idempotencyKey: string | undefined): Promise<CreateAnswer> {
    const fromWorker = this.s.writers?.call({ method: 'tickets.create', actor, body, idempotencyKey }, this.s.ctx.clock.now());
    if (!fromWorker) return this.s.tickets.create(actor, body, idempotencyKey);
    return fromWorker.catch((e: unknown) => {
      if (!(e instanceof WorkerLost)) throw e;
      // The worker died with it, maybe after its COMMIT: only a keyed create can safely run again.
      if (!idempotencyKey) throw new AppError(503, 'unavailable', 'error.write_interrupted');
      return this.s.tickets.create(actor, body, idempotencyKey);
    });
  }
}
