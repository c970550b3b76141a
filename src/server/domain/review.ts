// Who reviews a solution and who may do a second review (二次复核), and when one is due. Pure rules on plain values
// (SPEC §5, §8; seed 001: the 客服主管 reviews every solution; seed 000 §二(四)3: an unsatisfied service gets a
// second review). Nobody reviews their own solution.
import type { ReviewBy, Role, SecondReviewReason } from '../../shared/enums.js';

/** QA may record a second review (it is a quality finding), though QA edits nothing else on a ticket. */
export const SECOND_REVIEWER_ROLES: readonly Role[] = ['qa', 'supervisor', 'manager', 'director', 'admin'];

export interface ReviewerPool {
  reviewBy: ReviewBy;
  /** Active supervisors of the service desk department. */
  deskSupervisors: readonly number[];
  /** Active supervisors of the ticket's (lead) department. */
  leadSupervisors: readonly number[];
  /** The lead department's manager, if any. */
  leadManager: number | null;
  /** Active directors. */
  directors: readonly number[];
  /** Who wrote the solution: never its reviewer. */
  author: number | null;
}

/**
 * Who is asked to review a solution: the service desk's supervisors (or, with `reviewBy = lead_department`, the
 * ticket's department's supervisors and manager), never the author. If that leaves nobody, the department's manager,
 * then the directors — still never the author. May be empty only when the author is the only one left.
 */
export function solutionReviewers(p: ReviewerPool): number[] {
  const notAuthor = (ids: readonly (number | null)[]) => [...new Set(ids.filter((id): id is number => id !== null && id !== p.author))];
  const first = p.reviewBy === 'service_desk' ? notAuthor(p.deskSupervisors) : notAuthor([...p.leadSupervisors, p.leadManager]);
  if (first.length > 0) return first;
  const manager = notAuthor([p.leadManager]);
  if (manager.length > 0) return manager;
  return notAuthor(p.directors);
}

/**
 * Whether a reopening starts a second review: a complaint the customer was not satisfied with, or any ticket now
 * reopened for the second time (or more). `reopenCount` counts this reopening.
 */
export function secondReviewReason(input: { serviceType: string | null; customerRejected: boolean; reopenCount: number }): SecondReviewReason | null {
  if (input.customerRejected && input.serviceType === 'complaint') return 'complaint_rejected';
  if (input.reopenCount >= 2) return 'reopened_again';
  return null;
}

export type SecondReviewCheck = { ok: true } | { ok: false; reason: 'forbidden' | 'same_reviewer' | 'own_solution' };

/** A second pair of eyes: a reviewer role, not the one who approved the rejected solution, not its author. */
export function checkSecondReviewer(input: { role: Role; actorId: number; firstReviewerId: number | null; solutionBy: number | null }): SecondReviewCheck {
  if (!SECOND_REVIEWER_ROLES.includes(input.role)) return { ok: false, reason: 'forbidden' };
  if (input.firstReviewerId !== null && input.firstReviewerId === input.actorId) return { ok: false, reason: 'same_reviewer' };
  if (input.solutionBy !== null && input.solutionBy === input.actorId) return { ok: false, reason: 'own_solution' };
  return { ok: true };
}

/** Who is told a second review is waiting: the service desk's supervisors, the department's manager and QA, but not the excluded. */
export function secondReviewRecipients(input: { deskSupervisors: readonly number[]; leadManager: number | null; qa: readonly number[]; directors: readonly number[]; exclude: readonly (number | null)[] }): number[] {
  const out = new Set<number>();
  for (const id of [...input.deskSupervisors, input.leadManager, ...input.qa]) if (id !== null && !input.exclude.includes(id)) out.add(id);
  if (out.size === 0) for (const id of input.directors) if (!input.exclude.includes(id)) out.add(id);
  return [...out];
}
