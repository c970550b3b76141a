// Typed database schema for Kysely. Timestamps are UTC epoch milliseconds; booleans are 0/1 integers on both dialects.
import type { Generated } from 'kysely';

export interface DepartmentsTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  manager_id: number | null;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  department_id: number | null;
  customer_id: number | null;
  skills: string; // JSON array
  email: string | null;
  phone: string | null;
  active: number;
  created_at: number;
  /** JSON: the user's notification channels per kind and digest time; NULL = the role's defaults. */
  notify_prefs: string | null;
  /** 1: the identity a customer's one-ticket link sessions act as (migration 0016); it never signs in. */
  link_identity: Generated<number>;
  /** The service provider (服务商) the person works for (migration 0028); null for the company's own staff. */
  provider_id: Generated<number | null>;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  /** A link session sees and acts on this one ticket only (migration 0016); null: an ordinary session. */
  ticket_id: number | null;
}

/** One-time sign-in codes of the customer portal (migration 0016); only a keyed hash of the code is kept. */
export interface LoginCodesTable {
  id: Generated<number>;
  /** `email:<address>` or `phone:<digits>`. */
  target: string;
  code_hash: string;
  user_id: number | null;
  created_at: number;
  expires_at: number;
  attempts: Generated<number>;
  used_at: number | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  /** null = never expires */
  expires_at: number | null;
}

export interface CustomersTable {
  id: Generated<number>;
  kind: string;
  name: string;
  company: string | null;
  phone: string | null;
  phone_digits: string | null;
  email: string | null;
  email_lower: string | null;
  address: string | null;
  tier: string;
  special_needs: number;
  special_needs_note: string | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  /** The language of the messages we send them (migration 0017). */
  locale: Generated<string>;
  /** JSON array of message channels they chose; NULL = the default (modules/messages). */
  message_channels: Generated<string | null>;
  /** 1 = no non-essential messages (domain/messages/events.ts says which are essential). */
  messages_opt_out: Generated<number>;
  /** Their WeChat Official Account openid once bound; template messages go there. */
  wechat_openid: Generated<string | null>;
}

export interface ContactsTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  phone: string | null;
  phone_digits: string | null;
  email: string | null;
  title: string | null;
}

export interface ProductsTable {
  id: Generated<number>;
  model: string;
  name: string;
  line: string;
  warranty_months: number;
  needs_installation: Generated<number>;
  /** Call-out charge in fen. */
  callout_fee: Generated<number>;
  /** JSON: { faultClassCode: fen } — labour charge per fault class. */
  labour_fees: Generated<string>;
  return_days: Generated<number>;
  created_at: number | null;
  updated_at: number | null;
  version: Generated<number>;
}

export interface FaultClassesTable {
  code: string;
  name_zh: string;
  name_en: string;
  position: number;
}

export interface UnitsTable {
  id: Generated<number>;
  customer_id: number;
  product_model: string;
  serial_number: string | null;
  purchase_date: string | null;
  install_date: string | null;
  warranty_end: string | null;
  created_at: number;
  proof_attachment_id: number | null;
  proof_ref: string | null;
  acceptance_date: string | null;
  extended_months: Generated<number>;
  warranty_start: string | null;
  warranty_basis: Generated<string>;
  replaces_id: number | null;
  replaced_by_id: number | null;
  replaced_at: number | null;
  notes: string | null;
  updated_at: number | null;
  version: Generated<number>;
}

export interface CategoriesTable {
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  sort: number;
  active: number;
}

export interface TicketsTable {
  id: Generated<number>;
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
  situation: string | null;
  /** When the customer would like to be contacted (migration 0016). */
  preferred_contact: string | null;
  demand: string | null;
  first_judgement: string | null;
  category: string | null;
  service_type: string | null;
  fault_class: string | null;
  department_id: number | null;
  assignee_id: number | null;
  created_by: number | null;
  version: number;
  // SLA (migration 0002)
  sla_policy_id: number | null;
  first_response_due_at: number | null;
  start_handling_due_at: number | null;
  first_solution_due_at: number | null;
  resolve_due_at: number | null;
  next_update_due_at: number | null;
  follow_up_due_at: number | null;
  sla_warn_at: string | null;
  sla_uncovered_years: string | null;
  first_responded_at: number | null;
  handling_started_at: number | null;
  first_solution_at: number | null;
  resolved_at: number | null;
  last_update_at: number | null;
  followed_up_at: number | null;
  paused_at: number | null;
  sla_pauses: Generated<string>;
  sla_warned: Generated<number>;
  sla_breached: Generated<number>;
  next_due_at: number | null;
  sla_check_at: number | null;
  escalate_at: number | null;
  escalation_level: Generated<number>;
  escalated_to: number | null;
  escalated_at: number | null;
  escalation_ack_due_at: number | null;
  escalation_acked_at: number | null;
  improvement_due_at: number | null;
  solution: string | null;
  solution_by: number | null;
  review_stage: string | null;
  reviewed_by: number | null;
  routing_rule_id: number | null;
  // Classification (migration 0012)
  late_registration: Generated<number>;
  impact: string | null;
  urgency: string | null;
  derived_priority: string | null;
  priority_overridden: Generated<number>;
}

/** A ticket's categories after the primary one (tickets.category), migration 0012. */
export interface TicketCategoriesTable {
  ticket_id: number;
  category: string;
  position: number;
  /** Reopenings so far (customer rejections and staff reopening a closed ticket); the second starts a second review. */
  reopen_count: Generated<number>;
}

export interface CalendarsTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  time_zone: string;
  week_hours: string;
  workday_hours: string | null;
  covered_years: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface CalendarDaysTable {
  calendar_id: number;
  date: string;
  kind: string;
  note: string | null;
  created_at: number;
}

export interface SlaPoliciesTable {
  id: Generated<number>;
  name: string;
  priority: string | null;
  customer_tier: string | null;
  product_line: string | null;
  service_type: string | null;
  calendar_id: number;
  first_response_amount: number | null;
  first_response_unit: string;
  start_handling_amount: number | null;
  start_handling_unit: string;
  first_solution_amount: number | null;
  first_solution_unit: string;
  resolve_amount: number | null;
  resolve_unit: string;
  update_interval_amount: number | null;
  update_interval_unit: string;
  follow_up_amount: number | null;
  follow_up_unit: string;
  warn_percent: number;
  escalate_after_minutes: number;
  manager_ack_minutes: number;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

/** Policies whose open tickets' deadlines must be recomputed (migration 0009), emptied by SlaAdminService.recomputePending. */
export interface SlaRecomputeTable {
  policy_id: number;
}

export interface UserLoadTable {
  user_id: number;
  open_assigned: number;
}

export interface RoutingRulesTable {
  id: Generated<number>;
  name: string;
  sort: number;
  category_prefix: string | null;
  product_line: string | null;
  customer_tier: string | null;
  channel: string | null;
  department_id: number;
  strategy: string;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface RoutingCursorsTable {
  department_id: number;
  last_user_id: number;
}

export interface SubtasksTable {
  id: Generated<number>;
  ticket_id: number;
  department_id: number;
  owner_id: number | null;
  title: string;
  due_at: number | null;
  status: string;
  note: string | null;
  created_by: number | null;
  created_at: number;
  done_at: number | null;
  version: number;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  ticket_id: number | null;
  kind: string;
  data: string;
  created_at: number;
  read_at: number | null;
  dedupe_key: string | null;
}

export interface WebhooksTable {
  id: Generated<number>;
  name: string;
  url: string;
  kind: string;
  secret: string | null;
  events: string;
  active: number;
  created_at: number;
  updated_at: number;
  /** A department's group robot; NULL = company-wide. */
  department_id: number | null;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  target: string;
  dedupe_key: string;
  payload: string;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  locked_until: number | null;
  delivered_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: number;
  at: number;
  actor_id: number | null;
  kind: string;
  data: string; // JSON: { changes?, note?, commentId?, attachmentId?, internal? }
}

export interface CommentsTable {
  id: Generated<number>;
  ticket_id: number;
  author_id: number | null;
  body: string;
  internal: number;
  created_at: number;
}

export interface AttachmentsTable {
  id: Generated<number>;
  ticket_id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  internal: number;
  uploaded_by: number | null;
  created_at: number;
  /** The upload's Idempotency-Key (migration 0037): a retry finds this row instead of attaching the file again. */
  idempotency_key: Generated<string | null>;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  ticket_id: number;
  created_at: number;
}

export interface NumberCountersTable {
  month: string;
  value: number;
}

/** SQLite only: contentless FTS5 index of ticket search tokens (rowid = ticket id). */
export interface TicketFtsTable {
  rowid: number;
  tokens: string;
}

/** PostgreSQL only: search tokens with a GIN index. */
export interface TicketSearchTable {
  ticket_id: number;
  tokens: string[];
}

// Returns and exchanges, take-back repair, loaners (issue 16, migration 0031).
export interface RmasTable {
  id: Generated<number>;
  ticket_id: number;
  customer_id: number;
  kind: string;
  status: string;
  reason: string | null;
  chk_appearance: number | null;
  chk_accessories: number | null;
  chk_proof: number | null;
  chk_damage: number | null;
  checklist_note: string | null;
  window_override_reason: string | null;
  decision_reason: string | null;
  decided_by: number | null;
  decided_at: number | null;
  in_carrier: string | null;
  in_tracking: string | null;
  in_shipped_at: number | null;
  received_at: number | null;
  received_by: number | null;
  received_location_id: number | null;
  refund_fen: number | null;
  outcome_note: string | null;
  outcome_at: number | null;
  outcome_by: number | null;
  out_carrier: string | null;
  out_tracking: string | null;
  shipped_out_at: number | null;
  completed_at: number | null;
  cancelled_at: number | null;
  cancel_reason: string | null;
  created_by: number;
  created_at: number;
  updated_at: number;
  version: number;
  idempotency_key: string | null;
}
export interface RmaItemsTable {
  id: Generated<number>;
  rma_id: number;
  unit_id: number | null;
  order_number: string | null;
  product_model: string;
  serial_number: string | null;
  qty: number;
  purchase_date: string | null;
  replacement_unit_id: number | null;
}
export interface UnitStockMovesTable {
  id: Generated<number>;
  rma_id: number | null;
  kind: string;
  location_id: number;
  product_model: string;
  serial_number: string | null;
  unit_id: number | null;
  qty: number;
  created_by: number;
  created_at: number;
}
export interface TakeBacksTable {
  id: Generated<number>;
  ticket_id: number;
  unit_id: number | null;
  status: string;
  collected_at: number;
  collected_by: number;
  at_workshop_at: number | null;
  at_workshop_by: number | null;
  repaired_at: number | null;
  repaired_by: number | null;
  returned_at: number | null;
  returned_by: number | null;
  note: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  created_by: number;
  idempotency_key: string | null;
}
export interface LoanersTable {
  id: Generated<number>;
  serial_number: string;
  product_model: string;
  state: string;
  note: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}
export interface LoansTable {
  id: Generated<number>;
  loaner_id: number;
  ticket_id: number;
  customer_id: number;
  visit_id: number | null;
  take_back_id: number | null;
  lent_at: number;
  lent_by: number;
  due_date: string;
  returned_at: number | null;
  returned_by: number | null;
  return_note: string | null;
  idempotency_key: string | null;
}
export interface DB {
  departments: DepartmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_codes: LoginCodesTable;
  api_tokens: ApiTokensTable;
  customers: CustomersTable;
  contacts: ContactsTable;
  products: ProductsTable;
  units: UnitsTable;
  fault_classes: FaultClassesTable;
  categories: CategoriesTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_categories: TicketCategoriesTable;
  comments: CommentsTable;
  attachments: AttachmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  number_counters: NumberCountersTable;
  ticket_fts: TicketFtsTable;
  ticket_search: TicketSearchTable;
  calendars: CalendarsTable;
  calendar_days: CalendarDaysTable;
  sla_policies: SlaPoliciesTable;
  sla_recompute: SlaRecomputeTable;
  user_load: UserLoadTable;
  routing_rules: RoutingRulesTable;
  routing_cursors: RoutingCursorsTable;
  subtasks: SubtasksTable;
  notifications: NotificationsTable;
  webhooks: WebhooksTable;
  outbox: OutboxTable;
  settings: SettingsTable;
  customer_messages: CustomerMessagesTable;
  message_templates: MessageTemplatesTable;
  second_reviews: SecondReviewsTable;
  kb_articles: KbArticlesTable;
  kb_revisions: KbRevisionsTable;
  kb_votes: KbVotesTable;
  kb_passages: KbPassagesTable;
  kb_events: KbEventsTable;
  survey_forms: SurveyFormsTable;
  surveys: SurveysTable;
  survey_follow_ups: SurveyFollowUpsTable;
  parts: PartsTable;
  part_products: PartProductsTable;
  stock_locations: StockLocationsTable;
  part_stock: PartStockTable;
  stock_moves: StockMovesTable;
  settlement_reviews: SettlementReviewsTable;
  visits: VisitsTable;
  engineer_profiles: EngineerProfilesTable;
  visit_step_keys: VisitStepKeysTable;
  installation_checklists: InstallationChecklistsTable;
  installation_acceptances: InstallationAcceptancesTable;
  inspection_plans: InspectionPlansTable;
  inspection_occurrences: InspectionOccurrencesTable;
  care_contacts: CareContactsTable;
  ticket_links: TicketLinksTable;
  rmas: RmasTable;
  rma_items: RmaItemsTable;
  unit_stock_moves: UnitStockMovesTable;
  take_backs: TakeBacksTable;
  loaners: LoanersTable;
  loans: LoansTable;
  visit_reports: VisitReportsTable;
  visit_attachments: VisitAttachmentsTable;
  visit_charges: VisitChargesTable;
  service_providers: ServiceProvidersTable;
}

/** Admin-edited settings, one row per key (modules/settings). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: number | null;
}

/** A second review (二次复核) of a ticket: requested, then recorded with its finding (modules/tickets/second-review.ts). */
export interface SecondReviewsTable {
  id: Generated<number>;
  ticket_id: number;
  reason: string;
  requested_at: number;
  first_reviewer_id: number | null;
  solution_by: number | null;
  reviewer_id: number | null;
  reviewed_at: number | null;
  verdict: string | null;
  finding: string | null;
  next_steps: string | null;
}

/** A knowledge-base article as it is now (modules/kb). `tags` is a JSON array. */
export interface KbArticlesTable {
  id: Generated<number>;
  title: string;
  summary: string;
  body: string;
  plain_text: string;
  category: string;
  tags: string;
  product_line: string | null;
  visibility: string;
  status: string;
  version: number;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  source_ticket_id: number | null;
  public_reviewed: Generated<number>;
  created_by: number | null;
  created_at: number;
  updated_by: number | null;
  updated_at: number;
  published_at: number | null;
}

/** Every saved state of an article (revision 1, 2, …). */
export interface KbRevisionsTable {
  id: Generated<number>;
  article_id: number;
  revision: number;
  title: string;
  summary: string;
  body: string;
  category: string;
  tags: string;
  product_line: string | null;
  visibility: string;
  status: string;
  author_id: number | null;
  created_at: number;
  note: string | null;
}

/** One "was this helpful" per article and voter (`u:<user id>` or `c:<client id>`). */
export interface KbVotesTable {
  article_id: number;
  voter: string;
  helpful: number;
  at: number;
}

/** An article cut into passages for the assistant. */
export interface KbPassagesTable {
  id: Generated<number>;
  article_id: number;
  position: number;
  heading: string | null;
  text: string;
}

/** Deflections and the assistant's counted steps; `dedupe` (unique) makes a retry count once. */
export interface KbEventsTable {
  id: Generated<number>;
  kind: string;
  source: string | null;
  article_id: number | null;
  conversation: string | null;
  query: string | null;
  at: number;
  dedupe: string | null;
}

/** A message to a customer (modules/messages): rendered when its event happened, delivered through the outbox. */
export interface CustomerMessagesTable {
  id: Generated<number>;
  dedupe_key: string;
  customer_id: number | null;
  ticket_id: number | null;
  event: string;
  channel: string;
  target: string;
  locale: string;
  subject: string;
  body: string;
  variables: string;
  sensitive: number;
  expires_at: number | null;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** An admin's version of a message template; without a row the built-in default applies. */
export interface MessageTemplatesTable {
  event: string;
  channel: string;
  locale: string;
  subject: string;
  body: string;
  updated_at: number;
  updated_by: number | null;
}

/** A version of the satisfaction survey's form (modules/surveys): wording and extra questions as JSON. */
export interface SurveyFormsTable {
  version: number;
  wording: string;
  questions: string;
  created_at: number;
  created_by: number | null;
}

/** A ticket's satisfaction survey: sent, then answered once. */
export interface SurveysTable {
  id: Generated<number>;
  ticket_id: number;
  form_version: number;
  source: string;
  sent_at: number;
  sent_by: number | null;
  answered_at: number | null;
  answered_via: string | null;
  answered_by: number | null;
  language: string | null;
  score: number | null;
  nps: number | null;
  comment: string | null;
  answers: string | null;
  department_id: number | null;
}

/** The follow-up task (回访) a low survey answer opens, with its own deadline on the business calendar. */
export interface SurveyFollowUpsTable {
  id: Generated<number>;
  survey_id: number;
  ticket_id: number;
  reasons: string;
  opened_at: number;
  due_at: number;
  warn_at: number;
  warned: number;
  breached: number;
  check_at: number | null;
  second_review_id: number | null;
  closed_at: number | null;
  closed_by: number | null;
  outcome: string | null;
  finding: string | null;
}

/** Spare parts (modules/parts, migration 0020). Money in integer fen. */
export interface PartsTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string | null;
  uom: string;
  unit_cost: number;
  list_price: number;
  low_stock_threshold: number;
  active: number;
  search_text: string;
  created_at: number;
  updated_at: number;
}

export interface PartProductsTable {
  part_id: number;
  product_model: string;
}

/** A warehouse, or an engineer's van (owner_id). */
export interface StockLocationsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  owner_id: number | null;
  active: number;
  created_at: number;
}

export interface PartStockTable {
  part_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  threshold: number | null;
  low_alerted: number;
  updated_at: number;
}

/** The append-only stock ledger (domain/stock.ts LedgerEntry plus who, when, why and for what). */
export interface StockMovesTable {
  id: Generated<number>;
  part_id: number;
  kind: string;
  qty: number;
  from_location_id: number | null;
  to_location_id: number | null;
  reserved_delta: number;
  unit_cost: number;
  ticket_id: number | null;
  visit_id: number | null;
  reason: string | null;
  created_by: number;
  created_at: number;
  idempotency_key: string | null;
}
/** An on-site visit (上门服务, migration 0024): one engineer, one time window, the engineer's steps as timestamps. */
export interface VisitsTable {
  id: Generated<number>;
  ticket_id: number;
  unit_id: number | null;
  engineer_id: number;
  kind: string;
  status: string;
  window_start: number;
  window_end: number;
  address: string;
  area: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  parts: string;
  loaner_needed: number;
  note: string | null;
  accepted_at: number | null;
  departed_at: number | null;
  arrived_at: number | null;
  work_done_at: number | null;
  signed_at: number | null;
  charged_at: number | null;
  left_at: number | null;
  cancelled_at: number | null;
  cancel_reason: string | null;
  created_at: number;
  created_by: number | null;
  updated_at: number;
  version: number;
}

/** What the dispatcher ranks an engineer by (migration 0024): service area and product lines. */
export interface EngineerProfilesTable {
  user_id: number;
  area: string | null;
  product_lines: string;
  updated_at: number;
  /** JSON string[]: the districts served besides the home area `area` (migration 0028). */
  areas: Generated<string>;
}

/** An outside organisation that takes visits with its own engineers (服务商 / 网点, migration 0028). */
export interface ServiceProvidersTable {
  id: Generated<number>;
  name: string;
  contact_name: string | null;
  contact_phone: string | null;
  areas: string;
  product_lines: string;
  note: string | null;
  active: number;
  created_at: number;
  updated_at: number;
  version: Generated<number>;
}

/** The Idempotency-Key of each recorded step (migration 0037): a replayed press answers the visit as it is. */
export interface VisitStepKeysTable {
  user_id: number;
  key: string;
  visit_id: number;
  step: string;
  created_at: number;
}

// Installation acceptance, inspections, care reminders, repeat-repair links (migration 0034).
export interface InstallationChecklistsTable {
  product_model: string;
  items: string;
  updated_at: number;
  updated_by: number | null;
}
export interface InstallationAcceptancesTable {
  visit_id: number;
  items: string;
  done: Generated<string>;
  signer_name: string | null;
  signature: string | null;
  accepted_on: string | null;
  accepted_at: number | null;
  accepted_by: number | null;
  updated_at: number;
  version: Generated<number>;
}
export interface InspectionPlansTable {
  id: Generated<number>;
  title: string;
  customer_id: number;
  unit_id: number | null;
  interval_months: number;
  mode: string;
  engineer_ids: string;
  lead_days: number;
  remind_days: number;
  first_date: string;
  active: Generated<number>;
  created_at: number;
  created_by: number;
  updated_at: number;
  version: Generated<number>;
}
export interface InspectionOccurrencesTable {
  id: Generated<number>;
  plan_id: number;
  seq: number;
  cycle_date: string;
  due_date: string;
  move_reason: string | null;
  ticket_id: number | null;
  subtask_id: number | null;
  reminded: Generated<number>;
  overdue_notified: Generated<number>;
  completed_at: number | null;
  completed_by: number | null;
  note: string | null;
  check_on: string | null;
  claimed_until: number | null;
}
export interface CareContactsTable {
  id: Generated<number>;
  unit_id: number;
  customer_id: number;
  rule: string;
  due_date: string;
  message_key: string;
  created_at: number;
  contacted_at: number | null;
  contacted_by: number | null;
  note: string | null;
}
export interface TicketLinksTable {
  id: Generated<number>;
  ticket_id: number;
  linked_ticket_id: number;
  kind: string;
  fault_class: string;
  created_at: number;
}

/** A visit's service report (migration 0025): one row per visit, saved with a version. */
export interface VisitReportsTable {
  visit_id: number;
  diagnosis: string;
  cause: string;
  fault_class: string | null;
  work_done: string;
  updated_at: number;
  updated_by: number | null;
  version: number;
}

/** A ticket attachment that is a visit's photo or the customer's signature (migration 0025). */
export interface VisitAttachmentsTable {
  attachment_id: number;
  visit_id: number;
  kind: string;
}

/** A visit's quote (accepted by the customer before the work) and what was collected (migration 0025). Fen. */
export interface VisitChargesTable {
  visit_id: number;
  warranty_status: string;
  lines: string;
  total: number;
  cost: number;
  quoted_at: number;
  quoted_by: number | null;
  accepted_at: number | null;
  accepted_name: string | null;
  paid_method: string | null;
  paid_ref: string | null;
  paid_amount: number | null;
  receipt_number: string | null;
  charged_at: number | null;
  version: number;
}

/** The settlement reviewer's decision on a finished visit's charges and parts (migration 0041). */
export interface SettlementReviewsTable {
  visit_id: number;
  state: 'approved' | 'rejected';
  note: string | null;
  fingerprint: string;
  reviewed_by: number;
  reviewed_at: number;
}
