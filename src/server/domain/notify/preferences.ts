// Who gets which notification where: each user's choice per kind (in-app, e-mail, group robot, or none of them = off),
// falling back to their role's defaults for kinds they never chose. Pure.
import { NOTIFICATION_KINDS, NOTIFY_CHANNELS, type NotificationKind, type NotifyChannel, type Role } from '../../../shared/enums.js';

export { NOTIFY_CHANNELS, type NotifyChannel };

/** The daily digest goes out at this local (China) time unless the user picks another. */
export const DEFAULT_DIGEST_TIME = '08:30';
/** Roles that may have the daily digest: a manager gets their department's, a director everybody's. */
export const DIGEST_ROLES: readonly Role[] = ['manager', 'director'];

export interface NotifyPrefs {
  kinds: Record<NotificationKind, NotifyChannel[]>;
  /** "HH:MM", China time. */
  digestTime: string;
}

/** What users store: only the kinds they chose (the rest follow the role), and their digest time. */
export interface StoredPrefs {
  kinds?: Partial<Record<string, string[]>>;
  digestTime?: string;
}

const IN_APP: NotifyChannel[] = ['in_app'];
const BOTH: NotifyChannel[] = ['in_app', 'email'];

/**
 * Role defaults. Everyone sees every kind in-app; e-mail only for what needs attention away from the console:
 * front-line staff for work handed to them and their breaches, supervisors for breaches and reviews, managers and
 * directors for escalations (their department's breaches come in the digest instead), admins for missing holiday
 * data. Robots are off until a user chooses them: a group chat is shared, so nobody is put there by default.
 */
export function defaultPrefs(role: Role | string): NotifyPrefs {
  const kinds = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, IN_APP])) as Record<NotificationKind, NotifyChannel[]>;
  const email = (...ks: NotificationKind[]) => {
    for (const k of ks) kinds[k] = BOTH;
  };
  switch (role) {
    case 'agent':
    case 'engineer':
    case 'dispatcher':
      email('assigned', 'sla_breach', 'escalated', 'review_returned', 'customer_rejected', 'subtask_assigned', 'mentioned');
      break;
    case 'supervisor':
      email('sla_breach', 'escalated', 'escalation_overdue', 'review_requested', 'second_review_requested', 'customer_rejected');
      break;
    case 'manager':
    case 'director':
      email('escalated', 'escalation_overdue', 'customer_rejected', 'daily_digest');
      break;
    case 'admin':
      email('calendar_uncovered');
      break;
  }
  if (!DIGEST_ROLES.includes(role as Role)) kinds.daily_digest = [];
  return { kinds, digestTime: DEFAULT_DIGEST_TIME };
}

/** Kinds a role can receive at all (the settings page offers only these). */
export function kindsFor(role: Role | string): NotificationKind[] {
  return NOTIFICATION_KINDS.filter((k) => {
    if (k === 'daily_digest') return DIGEST_ROLES.includes(role as Role);
    if (k === 'calendar_uncovered') return role === 'admin';
    return true;
  });
}

export function isDigestTime(v: unknown): v is string {
  return typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v);
}

function cleanChannels(v: unknown): NotifyChannel[] | null {
  if (!Array.isArray(v)) return null;
  return NOTIFY_CHANNELS.filter((c) => v.includes(c));
}

const DEFAULTS = new Map<string, NotifyPrefs>();
const PARSED = new Map<string, NotifyPrefs>();

/** A user's effective choices from their role and the stored JSON (null or unreadable = the role's defaults). */
export function resolvePrefs(role: Role | string, stored: string | null | undefined): NotifyPrefs {
  let base = DEFAULTS.get(role);
  if (!base) DEFAULTS.set(role, (base = defaultPrefs(role)));
  if (!stored) return base;
  // The same few stored strings come back on every enqueue: parse each once.
  const cacheKey = `${role}\u0000${stored}`;
  const hit = PARSED.get(cacheKey);
  if (hit) return hit;
  let parsed: StoredPrefs;
  try {
    parsed = JSON.parse(stored) as StoredPrefs;
  } catch {
    return base;
  }
  const kinds = { ...base.kinds };
  for (const k of kindsFor(role)) {
    const chosen = cleanChannels(parsed?.kinds?.[k]);
    if (chosen) kinds[k] = chosen;
  }
  const prefs: NotifyPrefs = { kinds, digestTime: isDigestTime(parsed?.digestTime) ? parsed.digestTime : base.digestTime };
  if (PARSED.size > 5000) PARSED.clear();
  PARSED.set(cacheKey, prefs);
  return prefs;
}

/** The stored form of a user's choices: every offered kind as chosen, so later changes of the defaults leave them be. */
export function storePrefs(role: Role | string, prefs: { kinds: Partial<Record<string, readonly string[]>>; digestTime?: string }, current: NotifyPrefs): string {
  const kinds: Record<string, NotifyChannel[]> = {};
  for (const k of kindsFor(role)) kinds[k] = cleanChannels(prefs.kinds[k]) ?? current.kinds[k];
  return JSON.stringify({ kinds, digestTime: isDigestTime(prefs.digestTime) ? prefs.digestTime : current.digestTime } satisfies StoredPrefs);
}

/** Local (China, UTC+8 without daylight saving) calendar day and minute of the day of an instant. */
export function chinaDay(ms: number): { day: string; minute: number } {
  const local = new Date(ms + 8 * 3600_000);
  return { day: local.toISOString().slice(0, 10), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** The instant of "HH:MM" China time on the given local day (YYYY-MM-DD). */
export function chinaInstant(day: string, time: string): number {
  return Date.parse(`${day}T${time}:00.000+08:00`);
}

export function minuteOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}
