// Classification on a PATCH (SPEC §3, seed 001): the ticket's categories (primary first), the priority derived from
// impact × urgency × customer (or overridden by staff with a reason), late registration when reportedAt moves, and
// routing again when the primary category changes on an unassigned ticket.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CustomerTier, Impact, Priority, Urgency } from '../../../shared/enums.js';
import type { TicketPatchBody } from '../../../shared/schemas.js';
import type { DB } from '../../db/schema.js';
import { derivePriority, isLateRegistration } from '../../domain/priority.js';
import { Invalid } from '../../http/errors.js';
import type { RoutingDecision } from '../routing/service.js';
import type { TicketCore } from './core.js';
import type { EventData, TicketWithCustomer } from './repo.js';

type PatchBody = z.infer<typeof TicketPatchBody>;
type Change = { field: string; before: unknown; after: unknown };

export interface Classification {
  /** Ticket columns to set. */
  set: Record<string, unknown>;
  /** Entries for the `updated` event. */
  changes: Change[];
  /** Further timeline entries (a priority override: staff only). */
  events: { kind: string; data: EventData }[];
  /** The categories after the primary, when they change (rewritten after the ticket's update). */
  extras: string[] | null;
}

/** The categories after the primary one, in order, read in the transaction. */
export async function extraCategoriesOf(trx: Kysely<DB>, ticketId: number): Promise<string[]> {
  const rows = await trx.selectFrom('ticket_categories').select('category').where('ticket_id', '=', ticketId).orderBy('position').execute();
  return rows.map((r) => r.category);
}

export async function writeExtraCategories(trx: Kysely<DB>, ticketId: number, extras: string[]) {
  await trx.deleteFrom('ticket_categories').where('ticket_id', '=', ticketId).execute();
  if (extras.length > 0) await trx.insertInto('ticket_categories').values(extras.map((category, i) => ({ ticket_id: ticketId, category, position: i + 1 }))).execute();
}

/** What a PATCH changes in the ticket's classification; throws a translated 400 for an override without a reason. */
export async function classifyPatch(trx: Kysely<DB>, row: TicketWithCustomer, body: PatchBody, now: number): Promise<Classification> {
  const out: Classification = { set: {}, changes: [], events: [], extras: null };

  // Categories: `categories` replaces the list; `category` alone replaces the primary and keeps the others.
  if (body.categories !== undefined || body.category !== undefined) {
    const extrasBefore = await extraCategoriesOf(trx, row.id);
    const before = row.category === null ? extrasBefore : [row.category, ...extrasBefore];
    let after: string[];
    if (body.categories !== undefined) after = body.categories;
    else if (body.category === null) after = extrasBefore; // the next one becomes the primary
    else after = [body.category!, ...extrasBefore.filter((c) => c !== body.category)];
    const primary = after[0] ?? null;
    if (primary !== row.category) {
      out.set.category = primary;
      out.changes.push({ field: 'category', before: row.category, after: primary });
    }
    if (after.join('\n') !== before.join('\n')) {
      if (body.categories !== undefined) out.changes.push({ field: 'categories', before, after });
      out.extras = after.slice(1);
    }
  }

  // Priority: derived whenever impact and urgency are known; another one needs a reason (staff only, in the timeline).
  // Only an edit that touches them derives again (the customer's tier may have changed since, which an unrelated edit
  // must not act on).
  if (body.impact !== undefined || body.urgency !== undefined || body.priority !== undefined) classifyPriority(row, body, out);

  // Late registration follows reportedAt (registration itself, createdAt, never moves).
  if (body.reportedAt !== undefined) {
    const late = isLateRegistration(Date.parse(body.reportedAt), row.created_at) ? 1 : 0;
    if (late !== row.late_registration) {
      out.set.late_registration = late;
      out.changes.push({ field: 'lateRegistration', before: row.late_registration === 1, after: late === 1 });
    }
  }
  void now;
  return out;
}

function classifyPriority(row: TicketWithCustomer, body: PatchBody, out: Classification) {
  const impact = (body.impact ?? row.impact) as Impact | null;
  const urgency = (body.urgency ?? row.urgency) as Urgency | null;
  if ((body.impact !== undefined || body.urgency !== undefined) && (impact === null || urgency === null)) {
    throw Invalid({ [impact === null ? 'impact' : 'urgency']: 'field.impact_urgency_together' });
  }
  const derived: Priority | null =
    impact && urgency ? derivePriority({ impact, urgency, customerTier: row.c_tier as CustomerTier, specialNeeds: row.c_special_needs === 1 }).priority : null;
  const answersChanged = impact !== row.impact || urgency !== row.urgency;
  // New answers derive a new priority unless staff chose one in the same edit.
  const chosen = (body.priority ?? (answersChanged && derived ? derived : row.priority)) as Priority;
  const overridden = derived !== null && chosen !== derived;
  // A new override situation needs a reason; saving the same override again does not.
  if (overridden && (chosen !== row.priority || derived !== row.derived_priority || row.priority_overridden !== 1)) {
    if (!body.priorityOverrideReason) throw Invalid({ priorityOverrideReason: 'field.override_reason_required' });
    out.events.push({ kind: 'priority_overridden', data: { internal: true, details: { derivedPriority: derived, chosenPriority: chosen, reason: body.priorityOverrideReason } } });
  }
  if (impact !== row.impact) (out.set.impact = impact), out.changes.push({ field: 'impact', before: row.impact, after: impact });
  if (urgency !== row.urgency) (out.set.urgency = urgency), out.changes.push({ field: 'urgency', before: row.urgency, after: urgency });
  if (derived !== row.derived_priority) (out.set.derived_priority = derived), out.changes.push({ field: 'derivedPriority', before: row.derived_priority, after: derived });
  if (chosen !== row.priority) (out.set.priority = chosen), out.changes.push({ field: 'priority', before: row.priority, after: chosen });
  if ((overridden ? 1 : 0) !== row.priority_overridden) out.set.priority_overridden = overridden ? 1 : 0;
}

/**
 * Routing again after the primary category changed (SPEC §5): only while nobody is assigned and the edit does not
 * place the ticket by hand. Null when no rule matches (the ticket stays where it is).
 */
export async function rerouteAfterCategoryChange(core: TicketCore, trx: Kysely<DB>, row: TicketWithCustomer, category: string): Promise<RoutingDecision | null> {
  const product = await core.sla.product(row.product_model, trx);
  return core.routing.route(trx, {
    category,
    productLine: product?.line ?? null,
    customerTier: row.c_tier,
    channel: row.channel,
    text: `${row.title} ${row.description} ${row.product_model ?? ''}`,
  });
}

/** The `routed` entry of a re-route: the new category and the rule, department and person it chose. */
export function reroutedEvent(decision: RoutingDecision, category: string, departmentBefore: number | null): { kind: string; data: EventData } {
  const changes: Change[] = [{ field: 'departmentId', before: departmentBefore, after: decision.departmentId }];
  if (decision.assignee) changes.push({ field: 'assignee', before: null, after: decision.assignee.candidate.name });
  return {
    kind: 'routed',
    data: {
      changes,
      details: {
        reason: 'category_changed',
        category,
        ruleId: decision.rule.id,
        rule: decision.rule.name,
        departmentId: decision.departmentId,
        strategy: decision.assignee?.strategy ?? 'none',
        assignee: decision.assignee?.candidate.name ?? null,
        openAssigned: decision.assignee?.candidate.openAssigned ?? null,
        matchedSkills: decision.assignee?.matchedSkills ?? null,
      },
    },
  };
}
