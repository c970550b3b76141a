// The one access check every service method opens with (as Immich does): requireAccess(actor, permission).
import { can, type Actor, type Permission } from '../domain/access.js';
import { Forbidden } from './errors.js';

export function requireAccess(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw Forbidden();
}
