// Routing: rules (admin-edited) pick the department, a strategy picks the person; workload counters per user.
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/connect.js';
import { fastQuery } from '../../db/fast.js';
import type { DB } from '../../db/schema.js';
import { chooseAssignee, chooseRule, type AssigneeChoice, type RoutableTicket, type RoutingRule, type RoutingStrategy } from '../../domain/routing.js';

/** Roles that receive work from routing; managers and supervisors assign, they are not in the rotation. */
const ROUTABLE_ROLES = ['agent', 'engineer', 'dispatcher'];

export interface RoutingDecision {
  rule: RoutingRule;
  departmentId: number;
  assignee: AssigneeChoice | null;
}

export class RoutingService {
  private cache: { at: number; rules: RoutingRule[] } | null = null;

  constructor(private readonly ctx: AppContext) {}

  invalidate() {
    this.cache = null;
    this.membersCache.clear();
    this.ctx.cacheChanged?.('routing');
  }

  /** `db`: the caller's transaction, if any — a transaction never waits for a second pooled connection. */
  async rules(db: Kysely<DB> = this.ctx.db.read): Promise<RoutingRule[]> {
    const now = performance.now();
    if (this.cache && now - this.cache.at >= 0 && now - this.cache.at < 10_000) return this.cache.rules;
    const rows = await db.selectFrom('routing_rules').selectAll().where('active', '=', 1).execute();
    const rules = rows.map((r) => ({
      id: r.id,
      name: r.name,
      sort: r.sort,
      categoryPrefix: r.category_prefix,
      productLine: r.product_line,
      customerTier: r.customer_tier,
      channel: r.channel,
      departmentId: r.department_id,
      strategy: r.strategy as RoutingStrategy,
    }));
    this.cache = { at: now, rules };
    return rules;
  }

  /** Inside the creating transaction: the rule, department and (by the rule's strategy) the assignee. */
  async route(trx: Kysely<DB>, ticket: RoutableTicket): Promise<RoutingDecision | null> {
    const rule = chooseRule(await this.rules(trx), ticket);
    if (!rule) return null;
    if (rule.strategy === 'none') return { rule, departmentId: rule.departmentId, assignee: null };
    const people = await this.members(trx, rule.departmentId);
    // Workloads change with every assignment: read them fresh, inside this transaction.
    const load = new Map<number, number>();
    if (rule.strategy !== 'round_robin' && people.length > 0) {
      const rows = await fastQuery<{ user_id: number; open_assigned: number }>(
        this.ctx.db,
        trx,
        `SELECT user_id, open_assigned FROM user_load WHERE user_id IN (${people.map(() => '?').join(', ')})`,
        people.map((p) => p.id),
      );
      for (const r of rows) load.set(r.user_id, Number(r.open_assigned));
    }
    const candidates = people.map((p) => ({ ...p, openAssigned: load.get(p.id) ?? 0 }));
    let last: number | null = null;
    if (rule.strategy === 'round_robin') {
      const [row] = await fastQuery<{ last_user_id: number }>(this.ctx.db, trx, 'SELECT last_user_id FROM routing_cursors WHERE department_id = ?', [rule.departmentId]);
      last = row?.last_user_id ?? null;
    }
    const assignee = chooseAssignee(rule.strategy, candidates, last, ticket.text);
    if (assignee && rule.strategy === 'round_robin') {
      await fastQuery(
        this.ctx.db,
        trx,
        'INSERT INTO routing_cursors (department_id, last_user_id) VALUES (?, ?) ON CONFLICT (department_id) DO UPDATE SET last_user_id = excluded.last_user_id',
        [rule.departmentId, assignee.candidate.id],
      );
    }
    return { rule, departmentId: rule.departmentId, assignee };
  }

  private membersCache = new Map<number, { at: number; people: { id: number; name: string; skills: string[] }[] }>();

  /** Who in a department takes routed work (cached for 10 s: the directory changes rarely). */
  private async members(trx: Kysely<DB>, departmentId: number) {
    const now = performance.now();
    const cached = this.membersCache.get(departmentId);
    if (cached && now - cached.at < 10_000) return cached.people;
    const users = await trx
      .selectFrom('users')
      .select(['id', 'display_name', 'skills'])
      .where('department_id', '=', departmentId)
      .where('active', '=', 1)
      .where('role', 'in', ROUTABLE_ROLES)
      .execute();
    const people = users.map((u) => ({ id: u.id, name: u.display_name, skills: parseSkills(u.skills) }));
    this.membersCache.set(departmentId, { at: now, people });
    return people;
  }

  /** Keeps each user's count of open assigned tickets, which least-loaded routing reads. */
  async adjustLoad(trx: Kysely<DB>, before: { assigneeId: number | null; open: boolean }, after: { assigneeId: number | null; open: boolean }) {
    const b = before.open ? before.assigneeId : null;
    const a = after.open ? after.assigneeId : null;
    if (a === b) return;
    if (b !== null) await bump(this.ctx.db, trx, b, -1);
    if (a !== null) await bump(this.ctx.db, trx, a, 1);
  }
}

async function bump(db: Database, trx: Kysely<DB>, userId: number, delta: number) {
  await fastQuery(
    db,
    trx,
    'INSERT INTO user_load (user_id, open_assigned) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET open_assigned = CASE WHEN user_load.open_assigned + ? < 0 THEN 0 ELSE user_load.open_assigned + ? END',
    [userId, Math.max(0, delta), delta, delta],
  );
}

function parseSkills(s: string): string[] {
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
