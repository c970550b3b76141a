// Who may see and do what. Pure rules on plain values; services call them through requireAccess() on every read and write.
import type { Role } from '../../shared/enums.js';

export interface Actor {
  id: number;
  username: string;
  name: string;
  role: Role;
  departmentId: number | null;
  customerId: number | null;
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
  admin: ['admin'],
};

export function can(actor: Actor, permission: Permission): boolean {
  return GRANTS[permission].includes(actor.role);
}

/** Roles that see every ticket; the others see their department's, their own and the not yet routed ones. */
export function seesAllTickets(role: Role): boolean {
  return role === 'admin' || role === 'director' || role === 'qa';
}

export interface TicketScope {
  departmentId: number | null;
  assigneeId: number | null;
  createdBy: number | null;
  customerId: number;
  /** Departments with a sub-task on the ticket (协作部门): their people work on it too. */
  collaboratingDepartments?: readonly number[];
}

export function canSeeTicket(actor: Actor, t: TicketScope): boolean {
  if (actor.role === 'customer') return actor.customerId !== null && t.customerId === actor.customerId;
  if (seesAllTickets(actor.role)) return true;
  return (
    t.departmentId === null ||
    (actor.departmentId !== null && t.departmentId === actor.departmentId) ||
    t.assigneeId === actor.id ||
    t.createdBy === actor.id ||
    (actor.departmentId !== null && (t.collaboratingDepartments ?? []).includes(actor.departmentId))
  );
}

export function canSeeCustomer(actor: Actor, customerId: number): boolean {
  if (actor.role === 'customer') return actor.customerId === customerId;
  return can(actor, 'customer.read');
}
