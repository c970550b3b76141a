// Take-back repair (拉修, issue 16): a customer's unit taken to the workshop and brought back — collected → at
// workshop → repaired → returned, each step with its time and who, on the ticket's timeline and the unit's history.
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import { TAKE_BACK_STEPS, type TakeBack, type TakeBackCreateBody, type TakeBackStep, type TakeBackStepBody } from '../../../shared/returns.js';
import type { AppContext } from '../../context.js';
import type { DB, TakeBacksTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { takeBackNext } from '../../domain/returns.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';
import { createOnce, visibleTicketOf } from './shared.js';

type Row = Selectable<TakeBacksTable> & { number: string; ticket_status: string; product_model: string | null; serial_number: string | null };

const STEP_AT: Record<TakeBackStep, ['collected_at' | 'at_workshop_at' | 'repaired_at' | 'returned_at', 'collected_by' | 'at_workshop_by' | 'repaired_by' | 'returned_by']> = {
  collected: ['collected_at', 'collected_by'],
  at_workshop: ['at_workshop_at', 'at_workshop_by'],
  repaired: ['repaired_at', 'repaired_by'],
  returned: ['returned_at', 'returned_by'],
};

export function selectTakeBacks(db: Kysely<DB>) {
  return db
    .selectFrom('take_backs')
    .innerJoin('tickets', 'tickets.id', 'take_backs.ticket_id')
    .leftJoin('units', 'units.id', 'take_backs.unit_id')
    .selectAll('take_backs')
    .select(['tickets.number', 'tickets.status as ticket_status', 'units.product_model', 'units.serial_number']);
}

export class TakeBacks {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  private async dto(r: Row): Promise<z.infer<typeof TakeBack>> {
    const steps = await Promise.all(
      TAKE_BACK_STEPS.map(async (step) => {
        const [at, by] = STEP_AT[step];
        return { step, at: r[at] === null ? null : iso(r[at]!), by: await this.tickets.core.userRef(r[by]) };
      }),
    );
    return { id: r.id, ticketNumber: r.number, unitId: r.unit_id, productModel: r.product_model, serialNumber: r.serial_number, status: r.status as TakeBackStep, steps, note: r.note, createdAt: iso(r.created_at), version: r.version };
  }

  async forTicket(actor: Actor, number: string) {
    requireAccess(actor, 'ticket.internal');
    const ticket = await this.tickets.findVisible(this.ctx.db.read, actor, number);
    const rows = (await selectTakeBacks(this.ctx.db.read).where('take_backs.ticket_id', '=', ticket.id).orderBy('take_backs.id').execute()) as Row[];
    return Promise.all(rows.map((r) => this.dto(r)));
  }

  private async get(id: number) {
    const r = (await selectTakeBacks(this.ctx.db.read).where('take_backs.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!r) throw NotFound('error.take_back_not_found');
    return this.dto(r);
  }

  /** Collected from the customer: the ticket's unit unless another of the customer's units is named. */
  async create(actor: Actor, number: string, body: z.infer<typeof TakeBackCreateBody>, key: string | undefined) {
    requireAccess(actor, 'returns.write');
    const run = () =>
      this.tickets.tx(async (trx) => {
        if (key) {
          const prior = await trx.selectFrom('take_backs').select('id').where('created_by', '=', actor.id).where('idempotency_key', '=', key).executeTakeFirst();
          if (prior) return { id: prior.id, created: false };
        }
        const ticket = await this.tickets.findVisible(trx, actor, number);
        if (ticket.is_open !== 1) throw Conflict('invalid_transition', 'error.wrong_status', { status: ticket.status });
        const unitId = body.unitId ?? ticket.unit_id;
        if (unitId === null) throw Invalid({ unitId: 'field.take_back_unit' });
        const unit = await trx.selectFrom('units').select(['id', 'customer_id', 'serial_number']).where('id', '=', unitId).executeTakeFirst();
        if (!unit || unit.customer_id !== ticket.customer_id) throw Invalid({ unitId: 'field.rma_unit_not_customers' });
        const now = this.ctx.clock.now();
        const created = await trx
          .insertInto('take_backs')
          .values({ ticket_id: ticket.id, unit_id: unit.id, status: 'collected', collected_at: now, collected_by: actor.id, note: body.note?.trim() || null, created_at: now, updated_at: now, version: 1, created_by: actor.id, idempotency_key: key ?? null })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendEvent(trx, ticket.id, now, actor.id, 'take_back_step', { internal: true, note: body.note?.trim() || null, details: { takeBackId: created.id, step: 'collected', serial: unit.serial_number } });
        return { id: created.id, created: true };
      });
    const res = await createOnce(run, key);
    return { takeBack: await this.get(res.id), created: res.created };
  }

  async step(actor: Actor, id: number, body: z.infer<typeof TakeBackStepBody>, lang: Language) {
    requireAccess(actor, 'returns.write');
    await this.tickets.tx(async (trx) => {
      const row = await trx.selectFrom('take_backs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw NotFound('error.take_back_not_found');
      await visibleTicketOf(this.tickets, trx, actor, row.ticket_id, 'error.take_back_not_found');
      if (row.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      if (!takeBackNext(row.status as TakeBackStep, body.step)) throw Conflict('invalid_transition', 'error.take_back_wrong_step', { status: t(lang, `takeBack.step.${row.status}`), step: t(lang, `takeBack.step.${body.step}`) });
      const now = this.ctx.clock.now();
      const [at, by] = STEP_AT[body.step];
      await trx.updateTable('take_backs').set({ status: body.step, [at]: now, [by]: actor.id, updated_at: now, version: row.version + 1 }).where('id', '=', id).execute();
      await appendEvent(trx, row.ticket_id, now, actor.id, 'take_back_step', { internal: true, note: body.note?.trim() || null, details: { takeBackId: id, step: body.step } });
    });
    return this.get(id);
  }

  /** The unit's page: one entry per step of each take-back. */
  async history(db: Kysely<DB>, unitIds: number[]) {
    const rows = (await selectTakeBacks(db).where('take_backs.unit_id', 'in', unitIds).execute()) as Row[];
    const out = [];
    for (const r of rows) {
      for (const step of TAKE_BACK_STEPS) {
        const v = r[STEP_AT[step][0]];
        if (v === null) continue;
        const who = await this.tickets.core.userRef(r[STEP_AT[step][1]], db);
        out.push({ kind: `take_back_${step}`, at: iso(v), unitId: r.unit_id!, serialNumber: r.serial_number, title: who?.name ?? '', ticket: { number: r.number, status: r.ticket_status } });
      }
    }
    return out;
  }
}
