// The 30-day repeat repair (seed 000: 维修后30天内,同一问题复报率≤5%; SPEC §9): a repair ticket on the same unit with a
// fault class in common with a repair closed no more than 30 days before it is linked to that first repair (a
// ticket_links row, a timeline entry on both) and counted against it. The rate per product model, engineer and month is
// repeats ÷ closed repairs, over rows the report lists, so anyone can recompute it.
//
// A ticket's fault classes are its own (tickets.fault_class) and whatever other modules add (a visit report's fault
// class: services.ts adds visit-report's `visitFaultClasses` through `addFaultClassSource`); any class in common is
// "the same problem".
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { RepeatRepairQuery, RepeatRepairReport, RepeatRepairRow } from '../../../shared/care.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { can, type Actor } from '../../domain/access.js';
import { firstRepairOf, rates, REPEAT_TARGET, REPEAT_WINDOW_MS, type RepairFacts } from '../../domain/care.js';
import { isoString as iso } from '../../domain/iso.js';
import { requireAccess } from '../../http/access.js';
import { Forbidden, Invalid } from '../../http/errors.js';
import { addDays } from '../../domain/warranty.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent, visibleTo } from '../tickets/repo.js';

/** More fault classes per ticket id, from another module (e.g. the visit reports' fault class). */
export type FaultClassSource = (db: Kysely<DB>, ticketIds: number[]) => Promise<Map<number, string[]>>;

const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY = 86_400_000;
/** How far back the sweeper looks for repairs not linked yet (a fault class may be set after the ticket was opened). */
const SCAN_DAYS = 60;

const chinaMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS;
const chinaMonth = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 7);

export class RepeatRepairs {
  private readonly sources: FaultClassSource[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  addFaultClassSource(source: FaultClassSource): void {
    this.sources.push(source);
  }

  private async facts(db: Kysely<DB>, rows: { id: number; unit_id: number | null; fault_class: string | null; created_at: number; closed_at: number | null }[]): Promise<RepairFacts[]> {
    const extra = new Map<number, string[]>();
    for (const source of this.sources) for (const [id, classes] of await source(db, rows.map((r) => r.id))) extra.set(id, [...(extra.get(id) ?? []), ...classes]);
    return rows.map((r) => ({ id: r.id, unitId: r.unit_id!, faultClasses: [...new Set([...(r.fault_class ? [r.fault_class] : []), ...(extra.get(r.id) ?? [])])], createdAt: r.created_at, closedAt: r.closed_at }));
  }

  private repairs(db: Kysely<DB>) {
    return db.selectFrom('tickets').select(['id', 'unit_id', 'fault_class', 'created_at', 'closed_at', 'number']).where('service_type', '=', 'repair').where('unit_id', 'is not', null);
  }

  /** One pass: recent repairs not linked yet are matched against the unit's closed repairs. Returns the links added. */
  async sweep(now: number): Promise<number> {
    const db = this.ctx.db.read;
    const candidates = await this.repairs(db)
      .where('created_at', '>=', now - SCAN_DAYS * DAY)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('ticket_links').select('ticket_links.id').whereRef('ticket_links.ticket_id', '=', 'tickets.id').where('ticket_links.kind', '=', 'repeat_repair'))))
      .limit(2000)
      .execute();
    if (candidates.length === 0) return 0;
    const earliest = Math.min(...candidates.map((c) => c.created_at)) - REPEAT_WINDOW_MS;
    const closed = await this.repairs(db)
      .where('unit_id', 'in', [...new Set(candidates.map((c) => c.unit_id!))])
      .where('closed_at', 'is not', null)
      .where('closed_at', '>=', earliest)
      .where('status', '=', 'closed')
      .execute();
    if (closed.length === 0) return 0;
    const [cand, prior] = [await this.facts(db, candidates), await this.facts(db, closed)];
    let added = 0;
    for (const c of cand) {
      const first = firstRepairOf(c, prior);
      if (!first) continue;
      const faultClass = first.faultClasses.find((f) => c.faultClasses.includes(f))!;
      const linked = await this.tickets.tx(async (trx) => {
        const row = await trx
          .insertInto('ticket_links')
          .values({ ticket_id: c.id, linked_ticket_id: first.id, kind: 'repeat_repair', fault_class: faultClass, created_at: now })
          .onConflict((oc) => oc.columns(['ticket_id', 'kind']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return false;
        const numbers = new Map((await trx.selectFrom('tickets').select(['id', 'number']).where('id', 'in', [c.id, first.id]).execute()).map((t) => [t.id, t.number]));
        await appendEvent(trx, c.id, now, null, 'ticket_linked', { internal: true, details: { kind: 'repeat_repair', role: 'first', number: numbers.get(first.id), faultClass } });
        await appendEvent(trx, first.id, now, null, 'ticket_linked', { internal: true, details: { kind: 'repeat_repair', role: 'repeat', number: numbers.get(c.id), faultClass } });
        return true;
      });
      if (linked) added++;
    }
    return added;
  }

  /** A ticket's links both ways: the repair it repeats, and the repairs that repeated it. */
  async links(actor: Actor, number: string) {
    if (!can(actor, 'ticket.internal')) throw Forbidden();
    const db = this.ctx.db.read;
    const t = await this.tickets.findVisible(db, actor, number);
    // Only the linked tickets the caller may see: their number and title say what the other ticket is about.
    const access = await this.tickets.core.settings.access(db);
    const sel = (other: 'ticket_links.ticket_id' | 'ticket_links.linked_ticket_id') =>
      visibleTo(db.selectFrom('ticket_links').innerJoin('tickets', 'tickets.id', other).select(['ticket_links.fault_class', 'ticket_links.created_at', 'tickets.number', 'tickets.title', 'tickets.status']), actor, access);
    const firsts = await sel('ticket_links.linked_ticket_id').where('ticket_links.ticket_id', '=', t.id).execute();
    const repeats = await sel('ticket_links.ticket_id').where('ticket_links.linked_ticket_id', '=', t.id).orderBy('ticket_links.created_at').execute();
    const view = (role: 'first' | 'repeat') => (r: (typeof firsts)[number]) => ({ kind: 'repeat_repair' as const, role, ticket: { number: r.number, title: r.title, status: r.status }, faultClass: r.fault_class, createdAt: iso(r.created_at) });
    return [...firsts.map(view('first')), ...repeats.map(view('repeat'))];
  }

  /** Closed repairs in [from, to] (China days) with their repeat if any, and the rates per model, engineer and month. */
  async report(actor: Actor, query: z.infer<typeof RepeatRepairQuery>): Promise<RepeatRepairReport> {
    requireAccess(actor, 'report.read');
    if (query.to < query.from) throw Invalid({ to: 'field.range_order' });
    if (chinaMidnight(query.to) - chinaMidnight(query.from) > 400 * DAY) throw Invalid({ to: 'field.range_too_long' });
    const db = this.ctx.db.read;
    const closed = await db
      .selectFrom('tickets')
      .select(['id', 'number', 'title', 'product_model', 'assignee_id', 'fault_class', 'closed_at'])
      .where('service_type', '=', 'repair')
      .where('status', '=', 'closed')
      .where('closed_at', '>=', chinaMidnight(query.from))
      .where('closed_at', '<', chinaMidnight(addDays(query.to, 1)))
      .orderBy('closed_at')
      .limit(20_000)
      .execute();
    const ids = closed.map((c) => c.id);
    const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
    const repeats = new Map<number, { number: string; createdAt: number }>();
    const visitEngineer = new Map<number, number>();
    const extra = new Map<number, string[]>();
    for (const part of chunks(ids)) {
      for (const r of await db.selectFrom('ticket_links').innerJoin('tickets', 'tickets.id', 'ticket_links.ticket_id').select(['ticket_links.linked_ticket_id', 'tickets.number', 'tickets.created_at']).where('ticket_links.kind', '=', 'repeat_repair').where('ticket_links.linked_ticket_id', 'in', part).orderBy('tickets.created_at').execute()) {
        if (!repeats.has(r.linked_ticket_id)) repeats.set(r.linked_ticket_id, { number: r.number, createdAt: r.created_at });
      }
      // Whose fix it was: the engineer of the ticket's last visit that was not cancelled, else the assignee.
      for (const v of await db.selectFrom('visits').select(['ticket_id', 'engineer_id']).where('ticket_id', 'in', part).where('cancelled_at', 'is', null).orderBy('window_start').execute()) visitEngineer.set(v.ticket_id, v.engineer_id);
      for (const source of this.sources) for (const [id, classes] of await source(db, part)) extra.set(id, [...(extra.get(id) ?? []), ...classes]);
    }
    const engineerIds = [...new Set(closed.map((c) => visitEngineer.get(c.id) ?? c.assignee_id).filter((x): x is number => x !== null))];
    const names = new Map(engineerIds.length ? (await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', engineerIds).execute()).map((u) => [u.id, u.display_name]) : []);
    const rows: RepeatRepairRow[] = closed.map((c) => {
      const eng = visitEngineer.get(c.id) ?? c.assignee_id;
      const rep = repeats.get(c.id);
      return {
        number: c.number,
        title: c.title,
        productModel: c.product_model,
        engineer: eng !== null ? { id: eng, name: names.get(eng) ?? '' } : null,
        closedAt: iso(c.closed_at!),
        month: chinaMonth(c.closed_at!),
        faultClasses: [...new Set([...(c.fault_class ? [c.fault_class] : []), ...(extra.get(c.id) ?? [])])],
        repeat: rep ? { number: rep.number, createdAt: iso(rep.createdAt) } : null,
      };
    });
    const repeated = (r: RepeatRepairRow) => r.repeat !== null;
    return {
      from: query.from,
      to: query.to,
      target: REPEAT_TARGET,
      total: rates(rows, () => ({ key: 'all', label: '' }), repeated)[0] ?? { key: 'all', label: '', closed: 0, repeats: 0, rate: 0 },
      byModel: rates(rows, (r) => ({ key: r.productModel ?? '', label: r.productModel ?? '' }), repeated),
      byEngineer: rates(rows, (r) => ({ key: String(r.engineer?.id ?? ''), label: r.engineer?.name ?? '' }), repeated),
      byMonth: rates(rows, (r) => ({ key: r.month, label: r.month }), repeated).sort((a, b) => a.key.localeCompare(b.key)),
      rows,
    };
  }
}
