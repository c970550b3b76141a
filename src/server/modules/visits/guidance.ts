// Phone guidance instead of a visit (SPEC §4, seed 002 一.2(1)): the engineer talked the customer through it, and
// must call back 2 hours later to make sure it holds. The check-back is a sub-task (modules/subtasks) owned by the
// engineer, due in 2 h: it shows with its deadline on the ticket and keeps the solution from being submitted until done.
import type { Language, Role } from '../../../shared/enums.js';
import type { AppContext } from '../../context.js';
import { writesTickets, type Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { Forbidden, Invalid } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { SubtasksService } from '../subtasks/service.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';

export const CHECK_BACK_MS = 2 * 3_600_000;

export class PhoneGuidance {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly subtasks: SubtasksService,
  ) {}

  async record(actor: Actor, number: string, note: string, lang: Language): Promise<{ subtaskId: number; dueAt: string }> {
    if (!writesTickets(actor)) throw Forbidden();
    const ticket = await this.tickets.findVisible(this.ctx.db.read, actor, number);
    // The one who guided calls back; without a department of their own the ticket's department owns the task.
    const departmentId = actor.departmentId ?? ticket.department_id;
    if (departmentId === null) throw Invalid({ note: 'field.guidance_department' });
    const due = this.ctx.clock.now() + CHECK_BACK_MS;
    const sub = await this.subtasks.create(actor, number, { departmentId, ownerId: actor.departmentId !== null ? actor.id : null, title: t(lang, 'visit.guidance_title'), dueAt: iso(due) });
    await this.ctx.db.write((trx) => appendEvent(trx, ticket.id, this.ctx.clock.now(), actor.id, 'phone_guidance', { internal: true, note, details: { subtaskId: sub.id, dueAt: iso(due) } }));
    return { subtaskId: sub.id, dueAt: iso(due) };
  }
}
