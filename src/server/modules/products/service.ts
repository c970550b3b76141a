// The product catalog (models, warranty terms, installation, fee standard, return window) and the fault classes its
// labour charges are priced by. Spare parts that fit a model come from the parts module through `compatibleParts`.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { FaultClass, FaultClassesBody, Product, ProductCreateBody, ProductDetail, ProductPatchBody, ProductsQuery } from '../../../shared/products.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { escapeLike, like } from '../../db/fragments.js';
import type { Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { unitStoredWarranty } from './facts.js';

type ProductRow = {
  id: number;
  model: string;
  name: string;
  line: string;
  warranty_months: number;
  needs_installation: number;
  callout_fee: number;
  labour_fees: string;
  return_days: number;
  version: number;
};

/** The spare parts that fit a model (issue 16, 备件: modules/parts keeps part_products). */
export type CompatiblePartsSource = (model: string) => Promise<{ code: string; name: string }[]>;

export class ProductsService {
  compatibleParts: CompatiblePartsSource = async (model) =>
    (
      await this.ctx.db.read
        .selectFrom('part_products')
        .innerJoin('parts', 'parts.id', 'part_products.part_id')
        .select(['parts.code', 'parts.name_zh'])
        .where('part_products.product_model', '=', model)
        .orderBy('parts.code')
        .execute()
    ).map((r) => ({ code: r.code, name: r.name_zh }));
  /** The catalog changed: caches that read it (SLA's product lines and warranty terms) start again. */
  onChanged: () => void = () => {};

  constructor(private readonly ctx: AppContext) {}

  private toDto(r: ProductRow, unitCount: number): Product {
    return {
      id: r.id,
      model: r.model,
      name: r.name,
      line: r.line,
      warrantyMonths: r.warranty_months,
      needsInstallation: r.needs_installation === 1,
      calloutFee: r.callout_fee,
      labourFees: JSON.parse(r.labour_fees || '{}') as Record<string, number>,
      returnDays: r.return_days,
      unitCount,
      version: r.version,
    };
  }

  private async unitCounts(models: string[]): Promise<Map<string, number>> {
    if (models.length === 0) return new Map();
    const rows = await this.ctx.db.read
      .selectFrom('units')
      .select(['product_model', (eb) => eb.fn.countAll<number>().as('n')])
      .where('product_model', 'in', models)
      .where('replaced_by_id', 'is', null)
      .groupBy('product_model')
      .execute();
    return new Map(rows.map((r) => [r.product_model, Number(r.n)]));
  }

  async list(actor: Actor, query: z.infer<typeof ProductsQuery>): Promise<{ items: Product[]; nextCursor: string | null }> {
    requireAccess(actor, 'unit.read');
    let q = this.ctx.db.read.selectFrom('products').selectAll();
    if (query.line) q = q.where('line', '=', query.line);
    if (query.q) {
      const pattern = `%${escapeLike(query.q)}%`;
      q = q.where((eb) => eb.or([like('model', pattern), like('name', pattern), like('line', pattern)]));
    }
    if (query.cursor) {
      const c = decodeCursor(query.cursor, ['n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_cursor' });
      q = q.where('id', '>', c[0] as number);
    }
    const rows = (await q.orderBy('id').limit(query.limit + 1).execute()) as ProductRow[];
    const pageRows = rows.slice(0, query.limit);
    const counts = await this.unitCounts(pageRows.map((r) => r.model));
    return {
      items: pageRows.map((r) => this.toDto(r, counts.get(r.model) ?? 0)),
      nextCursor: rows.length > query.limit ? encodeCursor([pageRows[pageRows.length - 1].id]) : null,
    };
  }

  async get(actor: Actor, id: number): Promise<ProductDetail> {
    requireAccess(actor, 'unit.read');
    const row = (await this.ctx.db.read.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst()) as ProductRow | undefined;
    if (!row) throw NotFound('error.product_not_found');
    const counts = await this.unitCounts([row.model]);
    return { ...this.toDto(row, counts.get(row.model) ?? 0), compatibleParts: await this.compatibleParts(row.model) };
  }

  private async checkFaultClasses(db: Kysely<DB>, fees: Record<string, number> | undefined) {
    if (!fees) return;
    const known = new Set((await db.selectFrom('fault_classes').select('code').execute()).map((r) => r.code));
    const unknown = Object.keys(fees).filter((c) => !known.has(c));
    if (unknown.length) throw Invalid({ labourFees: 'field.fault_class_unknown' });
  }

  async create(actor: Actor, body: z.infer<typeof ProductCreateBody>): Promise<ProductDetail> {
    requireAccess(actor, 'product.write');
    const now = this.ctx.clock.now();
    const id = await this.ctx.db.write(async (trx) => {
      if (await trx.selectFrom('products').select('id').where('model', '=', body.model).executeTakeFirst()) throw Invalid({ model: 'field.model_taken' });
      await this.checkFaultClasses(trx, body.labourFees);
      const row = await trx
        .insertInto('products')
        .values({
          model: body.model,
          name: body.name,
          line: body.line,
          warranty_months: body.warrantyMonths,
          needs_installation: body.needsInstallation ? 1 : 0,
          callout_fee: body.calloutFee,
          labour_fees: JSON.stringify(body.labourFees),
          return_days: body.returnDays,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    this.onChanged();
    return this.get(actor, id);
  }

  /** An edit of the warranty term or installation rule re-derives the stored warranty of every unit of the model. */
  async update(actor: Actor, id: number, body: z.infer<typeof ProductPatchBody>, expectedVersion: number | undefined): Promise<ProductDetail> {
    requireAccess(actor, 'product.write');
    const version = expectedVersion ?? body.version;
    if (version === undefined) throw Invalid({ version: 'field.version_required' });
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const current = (await trx.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst()) as ProductRow | undefined;
      if (!current) throw NotFound('error.product_not_found');
      if (current.version !== version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      if (body.model !== undefined && body.model !== current.model) {
        if (await trx.selectFrom('products').select('id').where('model', '=', body.model).executeTakeFirst()) throw Invalid({ model: 'field.model_taken' });
        // Spare parts name the model (part_products references it): the parts catalog changes it first.
        if (await trx.selectFrom('part_products').select('part_id').where('product_model', '=', current.model).executeTakeFirst()) throw Invalid({ model: 'field.model_has_parts' });
      }
      await this.checkFaultClasses(trx, body.labourFees);
      const set: Record<string, unknown> = { updated_at: now, version: current.version + 1 };
      if (body.model !== undefined) set.model = body.model;
      if (body.name !== undefined) set.name = body.name;
      if (body.line !== undefined) set.line = body.line;
      if (body.warrantyMonths !== undefined) set.warranty_months = body.warrantyMonths;
      if (body.needsInstallation !== undefined) set.needs_installation = body.needsInstallation ? 1 : 0;
      if (body.calloutFee !== undefined) set.callout_fee = body.calloutFee;
      if (body.labourFees !== undefined) set.labour_fees = JSON.stringify(body.labourFees);
      if (body.returnDays !== undefined) set.return_days = body.returnDays;
      const res = await trx.updateTable('products').set(set).where('id', '=', id).where('version', '=', version).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
      // Units name their product by model: a renamed model takes its units along.
      if (body.model !== undefined && body.model !== current.model) await trx.updateTable('units').set({ product_model: body.model }).where('product_model', '=', current.model).execute();
      const model = body.model ?? current.model;
      await this.rederiveUnits(trx, model, { warranty_months: body.warrantyMonths ?? current.warranty_months, needs_installation: (body.needsInstallation ?? current.needs_installation === 1) ? 1 : 0 });
    });
    this.onChanged();
    return this.get(actor, id);
  }

  private async rederiveUnits(trx: Kysely<DB>, model: string, product: { warranty_months: number; needs_installation: number }) {
    const units = await trx.selectFrom('units').select(['id', 'purchase_date', 'proof_attachment_id', 'proof_ref', 'acceptance_date', 'extended_months']).where('product_model', '=', model).execute();
    for (const u of units) await trx.updateTable('units').set(unitStoredWarranty(u, product)).where('id', '=', u.id).execute();
  }

  async faultClasses(actor: Actor): Promise<{ items: FaultClass[] }> {
    requireAccess(actor, 'unit.read');
    const rows = await this.ctx.db.read.selectFrom('fault_classes').selectAll().orderBy('position').execute();
    return { items: rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })) };
  }

  /** Replaces the list; a class still priced on a product cannot go (its charges would lose their name). */
  async setFaultClasses(actor: Actor, body: z.infer<typeof FaultClassesBody>): Promise<{ items: FaultClass[] }> {
    requireAccess(actor, 'product.write');
    const codes = body.items.map((i) => i.code);
    if (new Set(codes).size !== codes.length) throw Invalid({ items: 'field.fault_class_duplicate' });
    await this.ctx.db.write(async (trx) => {
      const priced = new Set<string>();
      for (const p of await trx.selectFrom('products').select('labour_fees').execute()) for (const c of Object.keys(JSON.parse(p.labour_fees || '{}'))) priced.add(c);
      const dropped = [...priced].filter((c) => !codes.includes(c));
      if (dropped.length) throw Invalid({ items: 'field.fault_class_in_use' });
      await trx.deleteFrom('fault_classes').execute();
      await trx.insertInto('fault_classes').values(body.items.map((i, n) => ({ code: i.code, name_zh: i.nameZh, name_en: i.nameEn, position: n + 1 }))).execute();
    });
    return this.faultClasses(actor);
  }
}
