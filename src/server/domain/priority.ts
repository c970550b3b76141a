// Priority is derived, not picked (SPEC §3, seed 001 §二(二)): impact × urgency × customer value. Pure: the server
// stores what this answers, and the intake form imports the same function to propose it as the agent answers.
import type { CustomerTier, Impact, Priority, Urgency } from '../../shared/enums.js';

export interface PriorityFacts {
  impact: Impact;
  urgency: Urgency;
  customerTier: CustomerTier;
  /** Elderly or disabled customers (customers.special_needs): served first. */
  specialNeeds: boolean;
}

export interface DerivedPriority {
  priority: Priority;
  /** Which rules raised it above the impact × urgency matrix, for the timeline and the form's explanation. */
  raisedBy: ('major_loss' | 'special_needs')[];
}

/**
 * Impact × urgency. Core business or safety affected is P1 unless it can wait (then P2); part of the function or the
 * experience is P2 unless it can wait (then P3); a minor problem, question or suggestion is P3.
 */
const MATRIX: Record<Impact, Record<Urgency, Priority>> = {
  core: { stopped: 'P1', degraded: 'P1', can_wait: 'P2' },
  partial: { stopped: 'P2', degraded: 'P2', can_wait: 'P3' },
  minor: { stopped: 'P3', degraded: 'P3', can_wait: 'P3' },
};

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };
const BY_RANK: Priority[] = ['P1', 'P1', 'P2', 'P3'];

/** The more urgent of two priorities. */
export function higherPriority(a: Priority, b: Priority): Priority {
  return RANK[a] <= RANK[b] ? a : b;
}

/** One level up, P1 stays P1 (also used when a dissatisfied customer reopens a ticket). */
export function raisePriority(p: Priority): Priority {
  return BY_RANK[RANK[p] - 1];
}

/**
 * The priority a ticket should have.
 * - A VIP or core customer with a major loss is P1: "major loss" = more than a minor problem and their work has
 *   stopped now (seed 001: "客户为VIP客户且问题导致重大损失").
 * - Special-needs customers (elderly, disabled) are served first: their priority is raised one level (P3 → P2,
 *   P2 → P1), so their clocks are shorter and the "priority" sort puts them ahead. Raising, not a separate marker,
 *   keeps one ordering everywhere (queue sort, SLA policy, reports) and keeps the function monotone.
 */
export function derivePriority(f: PriorityFacts): DerivedPriority {
  let priority = MATRIX[f.impact][f.urgency];
  const raisedBy: DerivedPriority['raisedBy'] = [];
  if ((f.customerTier === 'vip' || f.customerTier === 'core') && f.impact !== 'minor' && f.urgency === 'stopped' && priority !== 'P1') {
    priority = 'P1';
    raisedBy.push('major_loss');
  }
  if (f.specialNeeds && priority !== 'P1') {
    priority = raisePriority(priority);
    raisedBy.push('special_needs');
  }
  return { priority, raisedBy };
}

/** Registration within 2 hours of first contact (seed 001 §二(一): "需在2小时内完成…初始登记"). */
export const REGISTRATION_LIMIT_MS = 2 * 60 * 60_000;

/** Whether a ticket was registered later than the limit after the customer first reached us. */
export function isLateRegistration(reportedAt: number, createdAt: number): boolean {
  return createdAt - reportedAt > REGISTRATION_LIMIT_MS;
}
