// Who sees the 设置 (settings) pages: administrators edit them; department managers and the after-sales director may
// look (read-only). Webhooks hold delivery secrets and are for administrators only.
import type { Role } from '../../shared/enums.js';

export const ADMIN_PAGES = ['users', 'categories', 'sla-policies', 'calendars', 'routing', 'webhooks', 'customer-messages', 'survey'] as const;
export type AdminPage = (typeof ADMIN_PAGES)[number];

const READERS: ReadonlySet<Role> = new Set(['manager', 'director']);

export function adminPages(role: Role): AdminPage[] {
  if (role === 'admin') return [...ADMIN_PAGES];
  // Webhooks and customer channels hold delivery secrets, and the survey form is the admin's alone (its API too).
  if (READERS.has(role)) return ADMIN_PAGES.filter((p) => p !== 'webhooks' && p !== 'customer-messages' && p !== 'survey');
  return [];
}

export function canViewAdminPage(role: Role, page: AdminPage): boolean {
  return adminPages(role).includes(page);
}

export function canEditSettings(role: Role): boolean {
  return role === 'admin';
}
