// Who may see and do what. Pure rules on plain values; services call them through requireAccess() on every read and write.
import type { Role } from '../../shared/enums.js';

export interface Actor {
  id: number;
  username: string;
  name: string;
  role: Role;
  departmentId: number | null;
  customerId: number | null;
  /**
   * A customer's link session (a signed one-ticket link, issue 15): this ticket id is all it sees and acts on; its
   * routes are limited too (http/auth.ts LINK_SESSION_ROUTES). Absent on every other session and token.
   */
  ticketId?: number;
  /**
   * The service provider (服务商, migration 0028) the person works for; null or absent for the company's own staff.
   * Provider people see only the tickets a visit of their provider is on, and hold only PROVIDER_PERMISSIONS
   * whatever their role says.
   */
  providerId?: number | null;
}

export type Permission =
  | 'ticket.create'
  | 'ticket.update'
  | 'ticket.comment'
  | 'ticket.internal' // read and write internal notes and internal attachments
  | 'customer.read'
  | 'customer.write'
  | 'contact.unmasked' // see full phone numbers / e-mail on detail pages
  | 'directory.read' // users, departments
  | 'kb.internal' // read internal and draft knowledge-base articles
  | 'kb.write' // write articles (drafts, internal ones)
  | 'kb.publish' // put an article in front of customers (public and published)
  | 'parts.read' // the parts catalog, stock levels, the ledger
  | 'parts.manage' // catalog and locations, receiving, stock counts (adjust), thresholds
  | 'stock.dispatch' // transfer, reserve, release, consume, return at any location
  | 'parts.report' // consumption and turnover reports
  | 'unit.read' // the product catalog and customers' units
  | 'unit.write' // register, edit, replace and import units
  | 'product.write' // the catalog and its fee standard
  | 'settlement.review' // approve finished visits' charges and parts, the month's settlement and its export
  | 'report.read' // the reports (satisfaction …): the leads and QA, not the front line
  | 'returns.write' // open RMAs, the checklist, tracking numbers, receipt, outcome; take-back repairs; lend loaners
  | 'returns.approve' // approve or reject an RMA
  | 'loaners.manage' // the loaner pool: add units, send one to repair, retire one
  | 'network.manage' // service providers and their people, engineer profiles, the field-service settings
  | 'admin';

const STAFF_WRITERS: readonly Role[] = ['agent', 'supervisor', 'engineer', 'dispatcher', 'manager', 'director', 'admin'];
const STAFF: readonly Role[] = [...STAFF_WRITERS, 'qa'];

const GRANTS: Record<Permission, readonly Role[]> = {
  'ticket.create': [...STAFF_WRITERS, 'customer'],
  'ticket.update': STAFF_WRITERS,
  'ticket.comment': [...STAFF_WRITERS, 'customer'],
  'ticket.internal': STAFF,
  'customer.read': [...STAFF, 'customer'],
  'customer.write': ['agent', 'supervisor', 'dispatcher', 'manager', 'director', 'admin'],
  // QA scores conversations; they need no way to call the customer.
  'contact.unmasked': STAFF_WRITERS,
  'directory.read': STAFF,
  'kb.internal': STAFF,
  'kb.write': STAFF_WRITERS,
  // What customers read is the team's voice: the people who review solutions decide it (seed 001).
  'kb.publish': ['supervisor', 'manager', 'director', 'admin'],
  // Spare parts (issue 16). What enters or leaves the books (receiving, counts, the catalog's prices) is management's;
  // moving stock for the work (to a van, for a visit) is the dispatchers' and their supervisors'; an engineer moves
  // only what touches their own van (canMoveStock).
  'parts.read': STAFF,
  'parts.manage': ['manager', 'director', 'admin'],
  'stock.dispatch': ['dispatcher', 'supervisor', 'manager', 'director', 'admin'],
  'parts.report': ['supervisor', 'dispatcher', 'manager', 'director', 'qa', 'admin'],
  'unit.read': STAFF,
  // Engineers record installation acceptance and replacements on site (seed 002).
  'unit.write': STAFF_WRITERS,
  // Prices customers pay out of warranty: the managers who answer for them.
  'product.write': ['manager', 'admin'],
  'report.read': ['supervisor', 'manager', 'director', 'qa', 'admin'],
  // Returns and exchanges (issue 16): the front line opens and works them, engineers take units back and lend loaners
  // on site; money and goods leave only after a lead approved — the supervisors who already review solutions (seed 001).
  'returns.write': STAFF_WRITERS,
  'returns.approve': ['supervisor', 'manager', 'director', 'admin'],
  'loaners.manage': ['dispatcher', 'supervisor', 'manager', 'director', 'admin'],
  // Who works for the company in the field, and on which terms: the managers who answer for it.
  'network.manage': ['manager', 'admin'],
  // Settlement pays engineers and providers out of what customers paid: management decides, not the dispatch desk.
  'settlement.review': ['manager', 'director', 'admin'],
  admin: ['admin'],
};

/** A stock location as the access rules see it. */
export interface StockPlace {
  kind: 'warehouse' | 'van';
  ownerId: number | null;
}

/**
 * Who may make a stock move: receive and adjust need parts.manage; the other moves stock.dispatch, or an engineer
 * when the move touches their own van and no one else's (taking parts into it, using them, returning them).
 */
export function canMoveStock(actor: Actor, kind: string, places: readonly StockPlace[]): boolean {
  if (kind === 'receive' || kind === 'adjust') return can(actor, 'parts.manage');
  if (can(actor, 'stock.dispatch')) return true;
  if (actor.role !== 'engineer') return false;
  const vans = places.filter((p) => p.kind === 'van');
  return vans.length > 0 && vans.every((p) => p.ownerId === actor.id);
}

/**
 * What a provider's people may do at most (their role narrows it further): comment on the tickets dispatched to their
 * provider and call the customer. Not 'ticket.internal': many modules read it as "one of our staff" and list
 * company-wide registers behind it (loaners, care contacts, inspection plans …), so a provider's people get it nowhere
 * and the few places they do work — their visits, writing a note, a site photo — name them explicitly
 * (isProviderActor). No catalog, directory, customers, stock or reports.
 */
const PROVIDER_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['ticket.comment', 'contact.unmasked']);

export function isProviderActor(actor: Pick<Actor, 'providerId'>): actor is Pick<Actor, 'providerId'> & { providerId: number } {
  return actor.providerId !== undefined && actor.providerId !== null;
}

/**
 * Staff who drive a ticket's workflow (solutions, confirmations, sub-tasks, surveys, phone guidance): the company's own
 * writers. A provider's people record their visit's steps and notes, nothing of the ticket's course.
 */
export function writesTickets(actor: Pick<Actor, 'role' | 'providerId'>): boolean {
  return STAFF_WRITERS.includes(actor.role) && !isProviderActor(actor);
}

export function can(actor: Actor, permission: Permission): boolean {
  if (isProviderActor(actor) && !PROVIDER_PERMISSIONS.has(permission)) return false;
  return GRANTS[permission].includes(actor.role);
}

/** The admin settings the access rules depend on (modules/settings; cached per process for 10 s). */
export interface AccessSettings {
  /** The service desk (客服部 by default): its supervisors assign every ticket and review solutions (seed 001). */
  serviceDeskDepartmentId: number | null;
}

/** A supervisor of the service desk department: the 客服主管 of seed 001, who assigns every ticket. */
export function isServiceDeskSupervisor(actor: Pick<Actor, 'role' | 'departmentId'>, settings: AccessSettings): boolean {
  return actor.role === 'supervisor' && actor.departmentId !== null && actor.departmentId === settings.serviceDeskDepartmentId;
}

/**
 * Who sees every ticket: admin, director, QA, and the service desk's supervisors (whichever department a ticket is
 * routed to); the others see their department's, their own and the not yet routed ones.
 */
export function seesAllTickets(actor: Pick<Actor, 'role' | 'departmentId' | 'providerId'>, settings: AccessSettings): boolean {
  if (isProviderActor(actor)) return false;
  return actor.role === 'admin' || actor.role === 'director' || actor.role === 'qa' || isServiceDeskSupervisor(actor, settings);
}

export interface TicketScope {
  /** The ticket's id (a link session sees only its own ticket). */
  id?: number;
  departmentId: number | null;
  assigneeId: number | null;
  createdBy: number | null;
  customerId: number;
  /** Departments with a sub-task on the ticket (协作部门): their people work on it too. */
  collaboratingDepartments?: readonly number[];
  /** Providers with a visit on the ticket that is not cancelled: their people see it (and nothing else). */
  dispatchedProviders?: readonly number[];
}

export function canSeeTicket(actor: Actor, t: TicketScope, settings: AccessSettings): boolean {
  if (actor.role === 'customer') return actor.customerId !== null && t.customerId === actor.customerId && (actor.ticketId === undefined || t.id === actor.ticketId);
  // Before anything else: a provider's people have no department and must not fall into "not yet routed".
  if (isProviderActor(actor)) return (t.dispatchedProviders ?? []).includes(actor.providerId);
  if (seesAllTickets(actor, settings)) return true;
  return (
    t.departmentId === null ||
    (actor.departmentId !== null && t.departmentId === actor.departmentId) ||
    t.assigneeId === actor.id ||
    t.createdBy === actor.id ||
    (actor.departmentId !== null && (t.collaboratingDepartments ?? []).includes(actor.departmentId))
  );
}

export function canSeeCustomer(actor: Actor, customerId: number): boolean {
  // A link session opens one ticket, not the customer's record.
  if (actor.role === 'customer') return actor.customerId === customerId && actor.ticketId === undefined;
  return can(actor, 'customer.read');
}
