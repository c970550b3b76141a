// Row shapes that several modules read: a ticket's row and its clock columns. They live here, beside the table types,
// so that the SLA service and the tickets repository both import them instead of each other (an import circle).
import type { Selectable } from 'kysely';
import type { TicketsTable } from './schema.js';

/** The clock columns of a ticket row (migration 0002). */
export type SlaRowFields = Pick<
  Selectable<TicketsTable>,
  | 'sla_policy_id'
  | 'first_response_due_at'
  | 'start_handling_due_at'
  | 'first_solution_due_at'
  | 'resolve_due_at'
  | 'next_update_due_at'
  | 'follow_up_due_at'
  | 'sla_warn_at'
  | 'sla_uncovered_years'
  | 'first_responded_at'
  | 'handling_started_at'
  | 'first_solution_at'
  | 'resolved_at'
  | 'last_update_at'
  | 'followed_up_at'
  | 'paused_at'
  | 'sla_pauses'
  | 'sla_warned'
  | 'sla_breached'
  | 'next_due_at'
  | 'sla_check_at'
  | 'escalate_at'
  | 'escalation_level'
  | 'escalated_to'
  | 'escalated_at'
  | 'escalation_ack_due_at'
  | 'escalation_acked_at'
>;

export type DueColumn = 'first_response_due_at' | 'start_handling_due_at' | 'first_solution_due_at' | 'resolve_due_at' | 'next_update_due_at' | 'follow_up_due_at';

/** A ticket as read from its table. */
export interface TicketRow extends SlaRowFields {
  id: number;
  number: string;
  title: string;
  description: string;
  status: string;
  is_open: number;
  priority: string;
  channel: string;
  reported_at: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  customer_id: number;
  unit_id: number | null;
  product_model: string | null;
  serial_number: string | null;
  purchase_date: string | null;
  occurred_at: number | null;
  occurred_place: string | null;
  preferred_contact: string | null;
  situation: string | null;
  demand: string | null;
  first_judgement: string | null;
  category: string | null;
  service_type: string | null;
  fault_class: string | null;
  department_id: number | null;
  assignee_id: number | null;
  created_by: number | null;
  version: number;
  improvement_due_at: number | null;
  solution: string | null;
  solution_by: number | null;
  review_stage: string | null;
  reviewed_by: number | null;
  routing_rule_id: number | null;
  /** 1 when registered more than 2 h after first contact (domain/priority.ts isLateRegistration). */
  late_registration: number;
  impact: string | null;
  urgency: string | null;
  /** What derivePriority answered at the last derivation; null for tickets filed without impact and urgency. */
  derived_priority: string | null;
  priority_overridden: number;
  reopen_count: number;
}
