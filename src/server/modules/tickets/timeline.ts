// The timeline: comments (replies and internal notes), the events of a ticket, and attachments' entries.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Comment, CommentBody, TicketEvent } from '../../../shared/schemas.js';
import type { DB } from '../../db/schema.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { customerComments, customerEvents, type CustomerLens } from '../../domain/customer-view.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoString as iso } from '../../domain/iso.js';
import { afterProgressUpdate, type TicketSlaInput } from '../../domain/sla/ticket-clocks.js';
import { requireAccess } from '../../http/access.js';
import { Forbidden, Invalid } from '../../http/errors.js';
import { slaInputOf } from '../sla/service.js';
import type { TicketCore } from './core.js';
import { appendEvent, type EventData } from './repo.js';

export class TicketTimeline {
  constructor(private readonly core: TicketCore) {}

  async addComment(actor: Actor, number: string, body: z.infer<typeof CommentBody>): Promise<Comment> {
    requireAccess(actor, 'ticket.comment');
    // The company answers its customers; a provider's people write notes for the staff (domain/access.ts), which they
    // do not read back: internal entries may be about anything, the provider included.
    if (!body.internal && isProviderActor(actor)) throw Forbidden('error.provider_reply');
    if (body.internal && !isProviderActor(actor)) requireAccess(actor, 'ticket.internal');
    const now = this.core.ctx.clock.now();
    const created = await this.core.tx(async (trx, notified) => {
      const row = await this.core.findVisible(trx, actor, number);
      const c = await trx
        .insertInto('comments')
        .values({ ticket_id: row.id, author_id: actor.id, body: body.body, internal: body.internal ? 1 : 0, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const event = { kind: body.internal ? 'internal_note' : 'comment', data: { commentId: c.id, internal: body.internal, note: body.body.length > 500 ? body.body.slice(0, 500) + '…' : body.body } };
      // A reply the customer sees answers them and counts as a progress update; notes and the customer's own words do not.
      const staffReply = !body.internal && actor.role !== 'customer';
      let sla: TicketSlaInput | undefined;
      if (staffReply) {
        const input = slaInputOf(row);
        sla = afterProgressUpdate({ ...input, firstRespondedAt: input.firstRespondedAt ?? now }, now);
      }
      await this.core.applyChange(
        trx,
        actor.id,
        row,
        { set: staffReply ? { first_responded_at: row.first_responded_at ?? now } : {}, sla, events: [event], keepVersion: true },
        notified,
      );
      // The customer is told of a staff reply (its words: they see them anyway), never of an internal note.
      if (staffReply) await this.core.tellCustomer(trx, row, 'staff_reply', `c${c.id}`, actor.id, { reply: body.body });
      return c.id;
    });
    return { id: created, ticketNumber: number, author: { id: actor.id, name: actor.name }, body: body.body, internal: body.internal, createdAt: iso(now) };
  }

  async comments(actor: Actor, number: string): Promise<Comment[]> {
    const row = await this.core.findVisible(this.core.ctx.db.read, actor, number);
    let q = this.core.ctx.db.read.selectFrom('comments').selectAll().where('ticket_id', '=', row.id);
    if (!can(actor, 'ticket.internal')) q = q.where('internal', '=', 0);
    const rows = await q.orderBy('id').limit(1000).execute();
    const list = await Promise.all(
      rows.map(async (c) => ({
        id: c.id,
        ticketNumber: number,
        author: await this.core.userRef(c.author_id),
        body: c.body,
        internal: c.internal === 1,
        createdAt: iso(c.created_at),
      })),
    );
    return actor.role === 'customer' ? customerComments(list, await this.lens(actor, row.assignee_id)) : list;
  }

  /** What the customer view needs to know of the ticket: who is looking, and who works it. */
  private async lens(actor: Actor, assigneeId: number | null): Promise<CustomerLens> {
    return { userId: actor.id, assignee: await this.core.userRef(assigneeId), customerUserIds: await this.core.customerUserIds(actor.customerId) };
  }

  async events(actor: Actor, number: string, limit: number, cursor: string | undefined): Promise<{ items: TicketEvent[]; nextCursor: string | null }> {
    const row = await this.core.findVisible(this.core.ctx.db.read, actor, number);
    let q = this.core.ctx.db.read.selectFrom('ticket_events').selectAll().where('ticket_id', '=', row.id);
    if (cursor) {
      const c = decodeCursor(cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      q = q.where('id', '>', c[0] as number);
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute();
    const internalOk = can(actor, 'ticket.internal');
    const items: TicketEvent[] = [];
    for (const e of rows.slice(0, limit)) {
      const data = JSON.parse(e.data) as EventData;
      if (data.internal && !internalOk) continue;
      items.push({
        id: e.id,
        kind: e.kind as TicketEvent['kind'],
        at: iso(e.at),
        actor: await this.core.userRef(e.actor_id),
        changes: data.changes ?? [],
        note: data.note ?? null,
        commentId: data.commentId ?? null,
        attachmentId: data.attachmentId ?? null,
        internal: data.internal ?? false,
        details: data.details ?? null,
      });
    }
    const nextCursor = rows.length > limit ? encodeCursor([rows[limit - 1].id]) : null;
    // A customer's page may come out shorter than the limit (internal entries left out); the cursor still moves on.
    return { items: actor.role === 'customer' ? customerEvents(items, await this.lens(actor, row.assignee_id)) : items, nextCursor };
  }

  /** Timeline entry for an attachment, written in the attachment's own transaction. */
  async recordAttachment(trx: Kysely<DB>, ticketId: number, actorId: number, attachmentId: number, filename: string, internal: boolean, now: number) {
    await trx.updateTable('tickets').set({ updated_at: now }).where('id', '=', ticketId).execute();
    await appendEvent(trx, ticketId, now, actorId, 'attachment', { attachmentId, internal, note: filename });
  }
}
