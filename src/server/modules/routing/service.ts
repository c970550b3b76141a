// Routing: rules (admin-edited) pick the department, a strategy picks the person; workload counters per user.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
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
    const users = await trx
      .selectFrom('users')
      .leftJoin('user_load', 'user_load.user_id', 'users.id')
      .select(['users.id', 'users.display_name', 'users.skills', 'user_load.open_assigned'])
      .where('users.department_id', '=', rule.departmentId)
      .where('users.active', '=', 1)
      .where('users.role', 'in', ROUTABLE_ROLES)
      .execute();
    const candidates = users.map((u) => ({ id: u.id, name: u.display_name, openAssigned: u.open_assigned ?? 0, skills: parseSkills(u.skills) }));
    let last: number | null = null;
    if (rule.strategy === 'round_robin') {
      last = (await trx.selectFrom('routing_cursors').select('last_user_id').where('department_id', '=', rule.departmentId).executeTakeFirst())?.last_user_id ?? null;
    }
    const assignee = chooseAssignee(rule.strategy, candidates, last, ticket.text);
    if (assignee && rule.strategy === 'round_robin') {
      await trx
        .insertInto('routing_cursors')
        .values({ department_id: rule.departmentId, last_user_id: assignee.candidate.id })
        .onConflict((oc) => oc.column('department_id').doUpdateSet({ last_user_id: assignee.candidate.id }))
        .execute();
    }
    return { rule, departmentId: rule.departmentId, assignee };
  }

  /** Keeps each user's count of open assigned tickets, which least-loaded routing reads. */
  async adjustLoad(trx: Kysely<DB>, before: { assigneeId: number | null; open: boolean }, after: { assigneeId: number | null; open: boolean }) {
    const b = before.open ? before.assigneeId : null;
    const a = after.open ? after.assigneeId : null;
    if (a === b) return;
    if (b !== null) await bump(trx, b, -1);
    if (a !== null) await bump(trx, a, 1);
  }
}

async function bump(trx: Kysely<DB>, userId: number, delta: number) {
  await trx
    .insertInto('user_load')
    .values({ user_id: userId, open_assigned: Math.max(0, delta) })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ open_assigned: sql`CASE WHEN user_load.open_assigned + ${delta} < 0 THEN 0 ELSE user_load.open_assigned + ${delta} END` }))
    .execute();
}

function parseSkills(s: string): string[] {
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
