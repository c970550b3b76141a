// Which visits a person may see and whom they may dispatch to, with the service network (modules/providers) in mind:
// an engineer sees their own visits; a provider's dispatcher their provider's engineers' visits and may (re)assign
// only among them; the company's staff see every visit of the tickets they see. Kept apart from service.ts so the
// visit rules and the network rules change independently.
import type { SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isProviderActor, type Actor } from '../../domain/access.js';
import { Forbidden } from '../../http/errors.js';

/** Restricts a selectVisits() query (visits ⋈ users as the engineer) to what the actor may see. */
export function scopeVisits<O>(q: SelectQueryBuilder<DB, 'visits' | 'users' | any, O>, actor: Actor): SelectQueryBuilder<DB, 'visits' | 'users' | any, O> {
  if (actor.role === 'engineer') return q.where('visits.engineer_id', '=', actor.id);
  if (isProviderActor(actor)) return q.where('users.provider_id', '=', actor.providerId);
  return q;
}

/** The same rule for one visit row (with its engineer's provider). */
export function seesVisit(actor: Actor, row: { engineer_id: number; provider_id: number | null }): boolean {
  if (actor.role === 'engineer') return row.engineer_id === actor.id;
  if (isProviderActor(actor)) return row.provider_id === actor.providerId;
  return true;
}

/** Engineers the actor may list on the board and in suggestions: [ids] or a provider, or everyone (undefined). */
export function engineerScope(actor: Actor): { ids?: number[]; providerId?: number } {
  if (actor.role === 'engineer') return { ids: [actor.id] };
  if (isProviderActor(actor)) return { providerId: actor.providerId };
  return {};
}

/** A provider's dispatcher books and moves visits among their own provider's engineers only. */
export function requireAssignable(actor: Actor, engineer: { providerId: number | null }) {
  if (isProviderActor(actor) && engineer.providerId !== actor.providerId) throw Forbidden('error.provider_visit_engineer');
}

/** Cancelling gives the job back: the company's dispatcher decides that, not the provider. */
export function requireCanceller(actor: Actor) {
  if (isProviderActor(actor)) throw Forbidden('error.provider_cancel');
}
