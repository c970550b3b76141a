// The dispatch board (engineers × days), free slots of many engineers, and the ranked engineer suggestions for a
// ticket's visit. Read-only; the writes are in service.ts.
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { Board, BoardQuery, EngineerProfileBody, FreeSlotsQuery, SuggestQuery } from '../../../shared/visits.js';
import type { AppContext } from '../../context.js';
import { isProviderActor, type Actor } from '../../domain/access.js';
import { rankEngineers } from '../../domain/dispatch.js';
import { isoString as iso } from '../../domain/iso.js';
import { datesFrom, fieldHoursOn, freeSlots, localMidnight, type TimeWindow } from '../../domain/schedule.js';
import { Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { SlaService } from '../sla/service.js';
import type { TicketsService } from '../tickets/service.js';
import type { FieldConfig } from './field.js';
import { vanStock } from './parts.js';
import { engineerScope } from './providers.js';
import { boardEngineer, boardVisits, bookedForReading, engineers, type EngineerRow } from './repo.js';
import { VisitsService } from './service.js';

/**
 * A ranking candidate: an external engineer also covers their provider's areas and product lines (a provider's
 * registration names what the shop is authorised for; its engineers need no profile of their own to be found).
 */
function candidate(p: EngineerRow) {
  const lines = p.provider ? [...new Set([...p.productLines, ...p.provider.productLines])] : p.productLines;
  const areas = p.provider ? [...new Set([...p.areas, ...p.provider.areas])] : p.areas;
  return { id: p.id, name: p.name, skills: p.skills, area: p.area, areas, productLines: lines, provider: p.provider?.name ?? null, row: p };
}

const slotDto = (s: TimeWindow) => ({ start: iso(s.start), end: iso(s.end) });

export class DispatchBoard {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly sla: SlaService,
    private readonly field: FieldConfig,
  ) {}

  private async range(from: string, days: number) {
    const cal = await this.field.calendar();
    const dates = datesFrom(from, days);
    const start = localMidnight(cal.timeZone, dates[0]);
    const end = localMidnight(cal.timeZone, datesFrom(dates[dates.length - 1], 2)[1]);
    return { cal, dates, start, end };
  }

  /** Engineers × days with their visits (cancelled ones left out). An engineer sees their own row only. */
  async board(actor: Actor, q: z.infer<typeof BoardQuery>): Promise<Board> {
    VisitsService.requireReader(actor);
    const { cal, dates, start, end } = await this.range(q.from, q.days);
    const scope = engineerScope(actor);
    const people = await engineers(this.ctx.db.read, scope.ids, scope.providerId);
    const visits = await boardVisits(this.ctx.db, start, end, { engineerId: scope.ids?.[0], providerId: scope.providerId }, this.ctx.clock.now());
    const days = dates.map((date) => {
      const dayStart = localMidnight(cal.timeZone, date);
      const hours = fieldHoursOn(cal, date);
      return { date, working: hours !== null, start: iso(hours?.start ?? dayStart), end: iso(hours?.end ?? dayStart) };
    });
    const rule = await this.field.gapRule();
    return { days, timeZone: cal.timeZone, engineers: people.map(boardEngineer), visits, minGapMinutes: rule.minGapMinutes };
  }

  async freeSlots(actor: Actor, q: z.infer<typeof FreeSlotsQuery>) {
    VisitsService.requireReader(actor);
    const { cal, dates, start, end } = await this.range(q.from, q.days);
    const ids = q.engineerIds?.split(',').map(Number);
    const scope = engineerScope(actor);
    const people = await engineers(this.ctx.db.read, scope.ids ?? ids, scope.providerId);
    const rule = await this.field.gapRule();
    const booked = await bookedForReading(this.ctx.db, people.map((p) => p.id), start - 86_400_000, end + 86_400_000);
    const base = { calendar: cal, dates, durationMinutes: q.durationMinutes, rule, area: q.area ?? null, notBefore: this.ctx.clock.now(), limit: q.limit };
    return { engineers: people.map((p) => ({ engineer: { id: p.id, name: p.name }, slots: freeSlots(booked.get(p.id) ?? [], base).map(slotDto) })) };
  }

  /**
   * Engineers ranked for a ticket's visit, each with the reasons (in the caller's language) and the requested window
   * or first free slot. With the parts to bring (`partRefs`), each engineer's van stock of them counts too.
   */
  async suggest(actor: Actor, number: string, q: z.infer<typeof SuggestQuery>, lang: Language) {
    if (!VisitsService.canBook(actor)) throw Forbidden();
    const ticket = await this.tickets.findVisible(this.ctx.db.read, actor, number);
    if ((q.windowStart === undefined) !== (q.windowEnd === undefined)) throw Invalid({ windowEnd: 'field.visit_window_order' });
    const window = q.windowStart && q.windowEnd ? { start: Date.parse(q.windowStart), end: Date.parse(q.windowEnd) } : null;
    if (window && !(window.end > window.start)) throw Invalid({ windowEnd: 'field.visit_window_order' });
    const { cal, dates, start, end } = await this.range(q.from, q.days);
    const product = await this.sla.product(ticket.product_model);
    const productName = ticket.product_model ? ((await this.ctx.db.read.selectFrom('products').select('name').where('model', '=', ticket.product_model).executeTakeFirst())?.name ?? null) : null;
    const people = await engineers(this.ctx.db.read, undefined, engineerScope(actor).providerId);
    const rule = await this.field.gapRule();
    const lo = Math.min(start, window?.start ?? start) - 86_400_000;
    const hi = Math.max(end, window?.end ?? end) + 86_400_000;
    const booked = await bookedForReading(this.ctx.db, people.map((p) => p.id), lo, hi);
    const area = q.area?.trim() || null;
    const slotQuery = { calendar: cal, dates, durationMinutes: q.durationMinutes, rule, area, notBefore: this.ctx.clock.now(), limit: 20 };
    const needs = await this.partNeeds(q.partRefs);
    const vans = await vanStock(this.ctx.db.read, people.map((p) => p.id), needs.map((n) => n.partId));
    const candidates = people.map((p) => ({ ...candidate(p), booked: booked.get(p.id) ?? [], free: freeSlots(booked.get(p.id) ?? [], slotQuery), van: vans.get(p.id) ?? null }));
    const ranked = rankEngineers(candidates, { productLine: product?.line ?? null, productName, area, window, parts: needs }, rule);
    const byId = new Map(candidates.map((c) => [c.id, c]));
    return {
      productLine: product?.line ?? null,
      items: ranked.map((s) => {
        const c = byId.get(s.engineerId)!;
        return {
          engineer: boardEngineer(c.row),
          score: s.score,
          reasons: s.reasons.map((r) => ({ code: r.code, text: t(lang, `visit.reason.${r.code}`, r.params), weight: r.weight })),
          slot: s.slot ? slotDto(s.slot) : null,
          freeSlots: c.free.slice(0, 8).map(slotDto),
        };
      }),
    };
  }

  /** `12:2,15:1` as the parts to bring (codes and quantities); an unknown part id is refused. */
  private async partNeeds(refs: string | undefined): Promise<{ partId: number; code: string; qty: number }[]> {
    if (!refs) return [];
    const wanted = new Map<number, number>();
    for (const pair of refs.split(',')) {
      const [id, qty] = pair.split(':').map(Number);
      wanted.set(id, (wanted.get(id) ?? 0) + qty);
    }
    const parts = await this.ctx.db.read.selectFrom('parts').select(['id', 'code']).where('id', 'in', [...wanted.keys()]).execute();
    if (parts.length !== wanted.size) throw Invalid({ partRefs: 'field.invalid_format' });
    return parts.map((p) => ({ partId: p.id, code: p.code, qty: wanted.get(p.id)! }));
  }

  /** An engineer's service area and product lines (what the ranking reads): dispatchers, supervisors and admins. */
  async saveProfile(actor: Actor, userId: number, body: z.infer<typeof EngineerProfileBody>) {
    // The company's ranking data: its dispatchers, supervisors, managers and admins (not a provider's people).
    if ((!VisitsService.canBook(actor) && actor.role !== 'admin' && actor.role !== 'manager') || isProviderActor(actor)) throw Forbidden();
    const u = await this.ctx.db.read.selectFrom('users').select(['role']).where('id', '=', userId).executeTakeFirst();
    if (!u) throw NotFound();
    if (u.role !== 'engineer') throw Invalid({ userId: 'field.visit_engineer' });
    const now = this.ctx.clock.now();
    const values = { area: body.area?.trim() || null, areas: JSON.stringify([...new Set(body.areas)]), product_lines: JSON.stringify([...new Set(body.productLines)]), updated_at: now };
    await this.ctx.db.write((trx) =>
      trx
        .insertInto('engineer_profiles')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute(),
    );
    const [e] = await engineers(this.ctx.db.read, [userId]);
    if (!e) throw NotFound(); // inactive: saved, but not on the board
    return boardEngineer(e);
  }
}
