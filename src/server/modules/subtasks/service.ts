// Cross-department work (跨部门协作): a lead department owns the ticket, collaborating departments each get a
// sub-task with its own owner and deadline. Open sub-tasks block the solution unless the lead overrides.
import type { z } from 'zod';
import type { Role } from '../../../shared/enums.js';
import type { Subtask, SubtaskCreateBody, SubtaskPatchBody } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { writesTickets, type Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import type { TicketsService } from '../tickets/service.js';
import { isoOrNull as iso } from '../../domain/iso.js';

type Row = {
  id: number;
  ticket_id: number;
  department_id: number;
  owner_id: number | null;
  title: string;
  due_at: number | null;
  status: string;
  note: string | null;
  created_at: number;
  done_at: number | null;
  version: number;
};


export class SubtasksService {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  private async toDto(r: Row, number: string): Promise<Subtask> {
    const owner = r.owner_id ? await this.ctx.db.read.selectFrom('users').select(['id', 'display_name']).where('id', '=', r.owner_id).executeTakeFirst() : null;
    return {
      id: r.id,
      ticketNumber: number,
      departmentId: r.department_id,
      owner: owner ? { id: owner.id, name: owner.display_name } : null,
      title: r.title,
      dueAt: iso(r.due_at),
      status: r.status as Subtask['status'],
      note: r.note,
      createdAt: new Date(r.created_at).toISOString(),
      doneAt: iso(r.done_at),
      overdue: r.status === 'open' && r.due_at !== null && r.due_at < this.ctx.clock.now(),
      version: r.version,
    };
  }

  async list(actor: Actor, number: string): Promise<Subtask[]> {
    // Sub-tasks are the departments' internal work (domain/customer-view.ts): a customer has none to read.
    requireAccess(actor, 'ticket.internal');
    const ticket = await this.tickets.findVisible(this.ctx.db.read, actor, number);
    const rows = await this.ctx.db.read.selectFrom('subtasks').selectAll().where('ticket_id', '=', ticket.id).orderBy('id').execute();
    return Promise.all(rows.map((r) => this.toDto(r, number)));
  }

  async create(actor: Actor, number: string, body: z.infer<typeof SubtaskCreateBody>): Promise<Subtask> {
    if (!writesTickets(actor)) throw Forbidden();
    const dept = await this.ctx.db.read.selectFrom('departments').select(['id', 'manager_id']).where('id', '=', body.departmentId).executeTakeFirst();
    if (!dept) throw Invalid({ departmentId: 'field.department_unknown' });
    if (body.ownerId) {
      const owner = await this.ctx.db.read.selectFrom('users').select(['department_id', 'active']).where('id', '=', body.ownerId).executeTakeFirst();
      if (!owner || owner.active !== 1) throw Invalid({ ownerId: 'field.assignee_unknown' });
      if (owner.department_id !== body.departmentId) throw Invalid({ ownerId: 'field.assignee_department' });
    }
    const now = this.ctx.clock.now();
    const row = await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.tickets.findVisible(trx, actor, number);
      if (ticket.is_open !== 1) throw Conflict('invalid_transition', 'error.wrong_status', { status: ticket.status });
      const created = await trx
        .insertInto('subtasks')
        .values({
          ticket_id: ticket.id,
          department_id: body.departmentId,
          owner_id: body.ownerId ?? null,
          title: body.title,
          due_at: body.dueAt ? Date.parse(body.dueAt) : null,
          status: 'open',
          note: null,
          created_by: actor.id,
          created_at: now,
          done_at: null,
          version: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const recipients = [body.ownerId ?? null, dept.manager_id].filter((x): x is number => x !== null);
      await this.tickets.applyChange(
        trx,
        actor.id,
        ticket,
        {
          set: {},
          keepVersion: true,
          events: [{ kind: 'subtask_created', data: { note: body.title, details: { subtaskId: created.id, departmentId: body.departmentId, ownerId: body.ownerId ?? null, dueAt: body.dueAt ?? null } } }],
          notify: [{ userIds: recipients, kind: 'subtask_assigned', data: { subtaskId: created.id, title: body.title, dueAt: body.dueAt ?? null }, dedupeKey: `subtask_assigned:${created.id}` }],
        },
        notified,
      );
      return created;
    });
    return this.toDto(row, number);
  }

  async update(actor: Actor, id: number, body: z.infer<typeof SubtaskPatchBody>): Promise<Subtask> {
    if (!writesTickets(actor)) throw Forbidden();
    const found = await this.ctx.db.read
      .selectFrom('subtasks')
      .innerJoin('tickets', 'tickets.id', 'subtasks.ticket_id')
      .select(['subtasks.id', 'tickets.number', 'subtasks.department_id'])
      .where('subtasks.id', '=', id)
      .executeTakeFirst();
    if (!found) throw NotFound();
    if (body.ownerId) {
      const owner = await this.ctx.db.read.selectFrom('users').select(['department_id', 'active']).where('id', '=', body.ownerId).executeTakeFirst();
      if (!owner || owner.active !== 1) throw Invalid({ ownerId: 'field.assignee_unknown' });
      if (owner.department_id !== found.department_id) throw Invalid({ ownerId: 'field.assignee_department' });
    }
    const now = this.ctx.clock.now();
    const row = await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.tickets.findVisible(trx, actor, found.number);
      const current = await trx.selectFrom('subtasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      if (current.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      const set: Record<string, unknown> = { version: current.version + 1 };
      const changes: { field: string; before: unknown; after: unknown }[] = [];
      if (body.status !== undefined && body.status !== current.status) {
        set.status = body.status;
        set.done_at = body.status === 'open' ? null : now;
        changes.push({ field: 'status', before: current.status, after: body.status });
      }
      if (body.ownerId !== undefined && body.ownerId !== current.owner_id) {
        set.owner_id = body.ownerId;
        changes.push({ field: 'ownerId', before: current.owner_id, after: body.ownerId });
      }
      if (body.dueAt !== undefined) {
        const due = body.dueAt === null ? null : Date.parse(body.dueAt);
        if (due !== current.due_at) {
          set.due_at = due;
          changes.push({ field: 'dueAt', before: iso(current.due_at), after: body.dueAt });
        }
      }
      if (body.note !== undefined) set.note = body.note;
      await trx.updateTable('subtasks').set(set).where('id', '=', id).execute();
      await this.tickets.applyChange(
        trx,
        actor.id,
        ticket,
        { set: {}, keepVersion: true, events: [{ kind: 'subtask_updated', data: { changes, note: current.title, details: { subtaskId: id } } }] },
        notified,
      );
      return trx.selectFrom('subtasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    return this.toDto(row, found.number);
  }
}
