// Admin side of routing: the rules that send a ticket to a department and the strategy that picks the person.
import type { z } from 'zod';
import type { RoutingRuleCreateBody, RoutingRulePatchBody, RoutingRuleView } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { isProviderActor, type Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import type { RoutingService } from './service.js';

type Row = {
  id: number;
  name: string;
  sort: number;
  category_prefix: string | null;
  product_line: string | null;
  customer_tier: string | null;
  channel: string | null;
  department_id: number;
  strategy: string;
  active: number;
  version: number;
};

const view = (r: Row): RoutingRuleView => ({
  id: r.id,
  name: r.name,
  sort: r.sort,
  categoryPrefix: r.category_prefix,
  productLine: r.product_line,
  customerTier: r.customer_tier as RoutingRuleView['customerTier'],
  channel: r.channel as RoutingRuleView['channel'],
  departmentId: r.department_id,
  strategy: r.strategy as RoutingRuleView['strategy'],
  active: r.active === 1,
  version: r.version,
});

type Body = Partial<z.infer<typeof RoutingRulePatchBody>>;

function columns(b: Body): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (b.name !== undefined) out.name = b.name;
  if (b.sort !== undefined) out.sort = b.sort;
  if (b.categoryPrefix !== undefined) out.category_prefix = b.categoryPrefix;
  if (b.productLine !== undefined) out.product_line = b.productLine;
  if (b.customerTier !== undefined) out.customer_tier = b.customerTier;
  if (b.channel !== undefined) out.channel = b.channel;
  if (b.departmentId !== undefined) out.department_id = b.departmentId;
  if (b.strategy !== undefined) out.strategy = b.strategy;
  if (b.active !== undefined) out.active = b.active ? 1 : 0;
  return out;
}

export class RoutingAdminService {
  constructor(
    private readonly ctx: AppContext,
    private readonly routing: RoutingService,
  ) {}

  async list(actor: Actor): Promise<RoutingRuleView[]> {
    // A provider's dispatcher holds only what PROVIDER_PERMISSIONS grants: 'admin' refuses them here.
    if (!['admin', 'director', 'manager', 'supervisor', 'dispatcher'].includes(actor.role) || isProviderActor(actor)) requireAccess(actor, 'admin');
    return (await this.ctx.db.read.selectFrom('routing_rules').selectAll().orderBy('sort').orderBy('id').execute()).map(view);
  }

  private async check(b: Body) {
    if (b.departmentId !== undefined) {
      const d = await this.ctx.db.read.selectFrom('departments').select('id').where('id', '=', b.departmentId).executeTakeFirst();
      if (!d) throw Invalid({ departmentId: 'field.department_unknown' });
    }
    if (b.categoryPrefix) {
      const c = await this.ctx.db.read.selectFrom('categories').select('code').where('code', '=', b.categoryPrefix).executeTakeFirst();
      if (!c) throw Invalid({ categoryPrefix: 'field.category_unknown' });
    }
  }

  async create(actor: Actor, body: z.infer<typeof RoutingRuleCreateBody>): Promise<RoutingRuleView> {
    requireAccess(actor, 'admin');
    await this.check(body);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write((trx) =>
      trx
        .insertInto('routing_rules')
        .values({
          name: body.name,
          sort: body.sort ?? 100,
          category_prefix: body.categoryPrefix ?? null,
          product_line: body.productLine ?? null,
          customer_tier: body.customerTier ?? null,
          channel: body.channel ?? null,
          department_id: body.departmentId,
          strategy: body.strategy,
          active: body.active === false ? 0 : 1,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    this.routing.invalidate();
    return view(row);
  }

  async update(actor: Actor, id: number, body: z.infer<typeof RoutingRulePatchBody>): Promise<RoutingRuleView> {
    requireAccess(actor, 'admin');
    if (body.version === undefined) throw Invalid({ version: 'field.version_required' });
    await this.check(body);
    const row = await this.ctx.db.write(async (trx) => {
      const current = await trx.selectFrom('routing_rules').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw NotFound();
      if (current.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      await trx.updateTable('routing_rules').set({ ...columns(body), updated_at: this.ctx.clock.now(), version: current.version + 1 }).where('id', '=', id).execute();
      return trx.selectFrom('routing_rules').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    this.routing.invalidate();
    return view(row);
  }
}
