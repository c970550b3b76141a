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

/** The reports (满意度 …): the leads and QA, as the server's report.read (domain/access.ts); not the front line. */
const REPORT_READERS: ReadonlySet<Role> = new Set(['supervisor', 'manager', 'director', 'qa', 'admin']);
export function canReadReports(role: Role): boolean {
  return REPORT_READERS.has(role);
}

/** Who closes a follow-up call (回访) with its finding (modules/surveys/follow-ups.ts CLOSERS); QA only reads. */
const FOLLOW_UP_CLOSERS: ReadonlySet<Role> = new Set(['supervisor', 'manager', 'director', 'admin']);
export function canCloseFollowUps(role: Role): boolean {
  return FOLLOW_UP_CLOSERS.has(role);
}
