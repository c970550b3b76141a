// The daily digest for managers (their department) and directors (every department): the last day's SLA breaches
// and escalations, and what is open now, once a day at each one's local time (default 08:30 China time).
//
// Once a day on any number of nodes and across restarts: the entry's key is "daily_digest:<local day>", and the
// notifications (dedupe_key, user_id) and outbox (dedupe_key) keys are unique — a second node or a restarted one
// inserts nothing. A day missed entirely (the server was down) is not sent afterwards.
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { chinaDay, chinaInstant, DIGEST_ROLES, minuteOf, resolvePrefs } from '../../domain/notify/index.js';
import { NO_DEADLINE } from '../../domain/sla/ticket-clocks.js';
import type { NotificationInput } from './types.js';

const DAY = 24 * 3600_000;

export interface DigestFigures {
  day: string;
  department: string | null;
  from: string;
  to: string;
  breaches: number;
  breachedTickets: number;
  escalations: number;
  escalatedTickets: number;
  open: number;
  openByPriority: Record<string, number>;
  overdue: number;
  top: { number: string; title: string; priority: string; dueAt: string }[];
}

export class DailyDigest {
  /** user id → the local day this node has handled for them already. */
  private readonly handled = new Map<number, string>();

  constructor(
    private readonly ctx: AppContext,
    private readonly enqueue: (trx: Kysely<DB>, input: NotificationInput) => Promise<number[]>,
    private readonly publish: (userIds: number[]) => void,
  ) {}

  /** Sends the digests due at `now` that were not sent today; returns how many users got one. */
  async run(now = this.ctx.clock.now()): Promise<number> {
    const { day, minute } = chinaDay(now);
    const users = await this.ctx.db.read
      .selectFrom('users')
      .select(['id', 'role', 'department_id', 'notify_prefs'])
      .where('role', 'in', [...DIGEST_ROLES])
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
    let sent = 0;
    for (const u of users) {
      if (this.handled.get(u.id) === day) continue;
      const prefs = resolvePrefs(u.role, u.notify_prefs);
      if (prefs.kinds.daily_digest.length === 0) continue;
      if (minute < minuteOf(prefs.digestTime)) continue;
      // A manager without a department has nothing of their own to summarise.
      if (u.role === 'manager' && u.department_id === null) continue;
      const to = chinaInstant(day, prefs.digestTime);
      const figures = await this.figures(u.role === 'director' ? null : u.department_id, to - DAY, to, now, day);
      const ids = await this.ctx.db.write((trx) => this.enqueue(trx, { userIds: [u.id], kind: 'daily_digest', data: { ...figures }, dedupeKey: `daily_digest:${day}` }));
      this.handled.set(u.id, day);
      if (ids.length) {
        sent++;
        this.publish(ids);
      }
    }
    return sent;
  }

  /** A department's figures (null = all departments): breaches and escalations in [from, to), open tickets now. */
  async figures(departmentId: number | null, from: number, to: number, now: number, day: string): Promise<DigestFigures> {
    const db = this.ctx.db.read;
    const dept = departmentId === null ? sql`` : sql` AND t.department_id = ${departmentId}`;
    // The kinds are literals so the partial index ticket_events_digest (migration 0011) can answer the range.
    const events = await sql<{ kind: string; n: number | string; tickets: number | string }>`
      SELECT e.kind AS kind, count(*) AS n, count(DISTINCT e.ticket_id) AS tickets
      FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.kind IN ('sla_breach', 'escalated') AND e.at >= ${from} AND e.at < ${to}${dept}
      GROUP BY e.kind`.execute(db);
    const ev = (kind: string) => events.rows.find((r) => r.kind === kind);
    const open = await sql<{ priority: string; n: number | string }>`
      SELECT t.priority AS priority, count(*) AS n FROM tickets t WHERE t.is_open = 1${dept} GROUP BY t.priority`.execute(db);
    const overdue = await sql<{ n: number | string }>`
      SELECT count(*) AS n FROM tickets t WHERE t.is_open = 1 AND t.next_due_at < ${now}${dept}`.execute(db);
    const top = await sql<{ number: string; title: string; priority: string; next_due_at: number | string }>`
      SELECT t.number AS number, t.title AS title, t.priority AS priority, t.next_due_at AS next_due_at
      FROM tickets t WHERE t.is_open = 1 AND t.next_due_at < ${now}${dept}
      ORDER BY t.next_due_at, t.id LIMIT 5`.execute(db);
    let name: string | null = null;
    if (departmentId !== null) {
      const d = await db.selectFrom('departments').select(['name_zh', 'name_en']).where('id', '=', departmentId).executeTakeFirst();
      name = d ? d.name_zh : null;
    }
    const openByPriority: Record<string, number> = {};
    for (const r of open.rows) openByPriority[r.priority] = Number(r.n);
    return {
      day,
      department: name,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      breaches: Number(ev('sla_breach')?.n ?? 0),
      breachedTickets: Number(ev('sla_breach')?.tickets ?? 0),
      escalations: Number(ev('escalated')?.n ?? 0),
      escalatedTickets: Number(ev('escalated')?.tickets ?? 0),
      open: Object.values(openByPriority).reduce((a, b) => a + b, 0),
      openByPriority,
      overdue: Number(overdue.rows[0]?.n ?? 0),
      top: top.rows
        .filter((r) => Number(r.next_due_at) < NO_DEADLINE)
        .map((r) => ({ number: r.number, title: r.title, priority: r.priority, dueAt: new Date(Number(r.next_due_at)).toISOString() })),
    };
  }
}
