// Loaner units (周转机, issue 16): a pool of units lent to customers while theirs is repaired. A loan belongs to a
// ticket (from a visit that asked for a loaner, or a take-back repair) and ends with the unit's return; overdue loans
// are listed. Lending is concurrency-safe: the loaner's state moves available → lent with a conditional UPDATE, and a
// partial unique index allows one open loan per loaner, so two racing lends cannot both win on either database.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { LendBody, Loan, Loaner, LoanerBody, LoanersQuery, LoanerStateBody, LoansQuery, LoanerState } from '../../../shared/returns.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { loanerStateChange, loanOverdue } from '../../domain/returns.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { chinaToday } from '../products/facts.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';
import { createOnce, visibleTicketOf } from './shared.js';

function selectLoans(db: Kysely<DB>) {
  return db
    .selectFrom('loans')
    .innerJoin('loaners', 'loaners.id', 'loans.loaner_id')
    .innerJoin('tickets', 'tickets.id', 'loans.ticket_id')
    .innerJoin('customers', 'customers.id', 'loans.customer_id')
    .selectAll('loans')
    .select(['loaners.serial_number', 'loaners.product_model', 'tickets.number', 'customers.name as customer_name']);
}
type LoanRow = Awaited<ReturnType<ReturnType<typeof selectLoans>['executeTakeFirstOrThrow']>>;

export class Loaners {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  private async loanDto(r: LoanRow, today: string): Promise<Loan> {
    return {
      id: r.id,
      loanerId: r.loaner_id,
      loanerSerial: r.serial_number,
      productModel: r.product_model,
      ticketNumber: r.number,
      customer: { id: r.customer_id, name: r.customer_name },
      visitId: r.visit_id,
      takeBackId: r.take_back_id,
      lentAt: iso(r.lent_at),
      lentBy: await this.tickets.core.userRef(r.lent_by),
      dueDate: r.due_date,
      returnedAt: r.returned_at === null ? null : iso(r.returned_at),
      returnedBy: await this.tickets.core.userRef(r.returned_by),
      returnNote: r.return_note,
      overdue: loanOverdue(r.due_date, r.returned_at !== null, today),
    };
  }

  async list(actor: Actor, q: z.infer<typeof LoanersQuery>): Promise<Loaner[]> {
    requireAccess(actor, 'ticket.internal');
    const db = this.ctx.db.read;
    let query = db.selectFrom('loaners').selectAll();
    if (q.state) query = query.where('state', '=', q.state);
    const rows = await query.orderBy('product_model').orderBy('serial_number').execute();
    const open = rows.length ? ((await selectLoans(db).where('loans.returned_at', 'is', null).where('loans.loaner_id', 'in', rows.map((r) => r.id)).execute()) as LoanRow[]) : [];
    const today = chinaToday(this.ctx.clock.now());
    return Promise.all(
      rows.map(async (r) => {
        const loan = open.find((l) => l.loaner_id === r.id);
        return { id: r.id, serialNumber: r.serial_number, productModel: r.product_model, state: r.state as LoanerState, note: r.note, loan: loan ? await this.loanDto(loan, today) : null, version: r.version };
      }),
    );
  }

  private async one(actor: Actor, id: number): Promise<Loaner> {
    const found = (await this.list(actor, {})).find((l) => l.id === id);
    if (!found) throw NotFound('error.loaner_not_found');
    return found;
  }

  async loans(actor: Actor, q: z.infer<typeof LoansQuery>): Promise<Loan[]> {
    requireAccess(actor, 'ticket.internal');
    const db = this.ctx.db.read;
    const today = chinaToday(this.ctx.clock.now());
    let query = selectLoans(db);
    if (q.ticketNumber) {
      const ticket = await this.tickets.findVisible(db, actor, q.ticketNumber);
      query = query.where('loans.ticket_id', '=', ticket.id);
    }
    if (q.open === 'true' || q.overdue === 'true') query = query.where('loans.returned_at', 'is', null);
    if (q.open === 'false') query = query.where('loans.returned_at', 'is not', null);
    if (q.overdue === 'true') query = query.where('loans.due_date', '<', today);
    const rows = (await query.orderBy('loans.id', 'desc').limit(500).execute()) as LoanRow[];
    return Promise.all(rows.map((r) => this.loanDto(r, today)));
  }

  async add(actor: Actor, body: z.infer<typeof LoanerBody>): Promise<Loaner> {
    requireAccess(actor, 'loaners.manage');
    const now = this.ctx.clock.now();
    let id: number;
    try {
      id = await this.ctx.db.write(async (trx) => {
        if (await trx.selectFrom('loaners').select('id').where('serial_number', '=', body.serialNumber).executeTakeFirst()) throw Invalid({ serialNumber: 'field.loaner_serial_taken' });
        return (await trx.insertInto('loaners').values({ serial_number: body.serialNumber, product_model: body.productModel, state: 'available', note: body.note?.trim() || null, created_at: now, updated_at: now, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw Invalid({ serialNumber: 'field.loaner_serial_taken' });
      throw e;
    }
    return this.one(actor, id);
  }

  /** Staff send an available loaner to repair, back to the pool, or retire it; lending and returns go through loans. */
  async setState(actor: Actor, id: number, body: z.infer<typeof LoanerStateBody>): Promise<Loaner> {
    requireAccess(actor, 'loaners.manage');
    await this.ctx.db.write(async (trx) => {
      const row = await trx.selectFrom('loaners').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw NotFound('error.loaner_not_found');
      if (row.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      if (!loanerStateChange(row.state as LoanerState, body.state)) throw Conflict('invalid_transition', 'error.loaner_state', { from: row.state, to: body.state });
      await trx.updateTable('loaners').set({ state: body.state, updated_at: this.ctx.clock.now(), version: row.version + 1 }).where('id', '=', id).where('version', '=', body.version).execute();
    });
    return this.one(actor, id);
  }

  /** Lends an available loaner on a ticket; a retry with the same key answers the same loan. */
  async lend(actor: Actor, number: string, body: z.infer<typeof LendBody>, key: string | undefined): Promise<{ loan: Loan; created: boolean }> {
    requireAccess(actor, 'returns.write');
    const today = chinaToday(this.ctx.clock.now());
    if (body.dueDate < today) throw Invalid({ dueDate: 'field.loan_due_past' });
    const run = () =>
      this.tickets.tx(async (trx) => {
        if (key) {
          const prior = await trx.selectFrom('loans').select('id').where('lent_by', '=', actor.id).where('idempotency_key', '=', key).executeTakeFirst();
          if (prior) return { id: prior.id, created: false };
        }
        const ticket = await this.tickets.findVisible(trx, actor, number);
        if (ticket.is_open !== 1) throw Conflict('invalid_transition', 'error.wrong_status', { status: ticket.status });
        if (body.visitId !== undefined && !(await trx.selectFrom('visits').select('id').where('id', '=', body.visitId).where('ticket_id', '=', ticket.id).executeTakeFirst())) throw Invalid({ visitId: 'field.loan_visit' });
        if (body.takeBackId !== undefined && !(await trx.selectFrom('take_backs').select('id').where('id', '=', body.takeBackId).where('ticket_id', '=', ticket.id).executeTakeFirst())) throw Invalid({ takeBackId: 'field.loan_take_back' });
        const loaner = await trx.selectFrom('loaners').select(['id', 'serial_number', 'state']).where('id', '=', body.loanerId).executeTakeFirst();
        if (!loaner) throw Invalid({ loanerId: 'field.loaner_unknown' });
        const now = this.ctx.clock.now();
        // The conditional update is the lock: of two racing lends only one finds the loaner still available.
        const took = await trx.updateTable('loaners').set({ state: 'lent', updated_at: now, version: (eb) => eb('version', '+', 1) }).where('id', '=', loaner.id).where('state', '=', 'available').executeTakeFirst();
        if (Number(took.numUpdatedRows) !== 1) throw Conflict('conflict', 'error.loaner_not_available', { serial: loaner.serial_number });
        const created = await trx
          .insertInto('loans')
          .values({ loaner_id: loaner.id, ticket_id: ticket.id, customer_id: ticket.customer_id, visit_id: body.visitId ?? null, take_back_id: body.takeBackId ?? null, lent_at: now, lent_by: actor.id, due_date: body.dueDate, idempotency_key: key ?? null })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendEvent(trx, ticket.id, now, actor.id, 'loaner_lent', { internal: true, details: { loanId: created.id, loanerId: loaner.id, serial: loaner.serial_number, dueDate: body.dueDate, visitId: body.visitId ?? null, takeBackId: body.takeBackId ?? null } });
        return { id: created.id, created: true };
      });
    // PostgreSQL: the same key committed first (answered with it), or the one-open-loan index refused a second loan.
    const res = await createOnce(run, key, () => Conflict('conflict', 'error.loaner_not_available', { serial: String(body.loanerId) }));
    return { loan: await this.loan(res.id), created: res.created };
  }

  private async loan(id: number): Promise<Loan> {
    const r = (await selectLoans(this.ctx.db.read).where('loans.id', '=', id).executeTakeFirst()) as LoanRow | undefined;
    if (!r) throw NotFound('error.loan_not_found');
    return this.loanDto(r, chinaToday(this.ctx.clock.now()));
  }

  async giveBack(actor: Actor, loanId: number, note: string | undefined): Promise<Loan> {
    requireAccess(actor, 'returns.write');
    await this.tickets.tx(async (trx) => {
      const loan = await trx.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirst();
      if (!loan) throw NotFound('error.loan_not_found');
      await visibleTicketOf(this.tickets, trx, actor, loan.ticket_id, 'error.loan_not_found');
      const now = this.ctx.clock.now();
      const done = await trx.updateTable('loans').set({ returned_at: now, returned_by: actor.id, return_note: note?.trim() || null }).where('id', '=', loanId).where('returned_at', 'is', null).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw Conflict('conflict', 'error.loan_returned');
      await trx.updateTable('loaners').set({ state: 'available', updated_at: now, version: (eb) => eb('version', '+', 1) }).where('id', '=', loan.loaner_id).execute();
      const serial = (await trx.selectFrom('loaners').select('serial_number').where('id', '=', loan.loaner_id).executeTakeFirstOrThrow()).serial_number;
      await appendEvent(trx, loan.ticket_id, now, actor.id, 'loaner_returned', { internal: true, note: note?.trim() || null, details: { loanId, loanerId: loan.loaner_id, serial, overdue: loanOverdue(loan.due_date, false, chinaToday(now)) } });
    });
    return this.loan(loanId);
  }
}
