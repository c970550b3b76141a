// The category tree (问题分类): seeded from SPEC §3, edited by admins; tickets reference a category by its code.
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { Category, CategoryCreateBody, CategoryPatchBody } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Invalid, NotFound } from '../../http/errors.js';

interface CategoryRow {
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  sort: number;
  active: number;
}

export class CategoriesService {
  private cache: { at: number; rows: CategoryRow[] } | null = null;

  constructor(private readonly ctx: AppContext) {}

  private async rows(): Promise<CategoryRow[]> {
    const now = performance.now();
    if (!this.cache || now - this.cache.at > 10_000) {
      const rows = await this.ctx.db.read.selectFrom('categories').selectAll().orderBy('sort').orderBy('code').execute();
      this.cache = { at: now, rows };
    }
    return this.cache.rows;
  }

  /** True when the code names an active category (used to validate tickets). */
  async isActive(code: string): Promise<boolean> {
    return (await this.rows()).some((r) => r.code === code && r.active === 1);
  }

  private toDto(r: CategoryRow, lang: Language): Category {
    return {
      code: r.code,
      parentCode: r.parent_code,
      name: lang === 'en' ? r.name_en : r.name_zh,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      sort: r.sort,
      active: r.active === 1,
    };
  }

  async list(actor: Actor, lang: Language): Promise<Category[]> {
    void actor; // every signed-in user (customers too, on the portal) may read the tree
    return (await this.rows()).map((r) => this.toDto(r, lang));
  }

  async create(actor: Actor, body: z.infer<typeof CategoryCreateBody>, lang: Language): Promise<Category> {
    requireAccess(actor, 'admin');
    if (body.parentCode && !(await this.rows()).some((r) => r.code === body.parentCode)) {
      throw Invalid({ parentCode: 'field.category_parent_unknown' });
    }
    const row: CategoryRow = {
      code: body.code,
      parent_code: body.parentCode ?? null,
      name_zh: body.nameZh,
      name_en: body.nameEn,
      sort: body.sort ?? 0,
      active: 1,
    };
    try {
      await this.ctx.db.write((trx) => trx.insertInto('categories').values(row).execute());
    } catch (e) {
      if (isUniqueViolation(e)) throw Invalid({ code: 'field.category_exists' });
      throw e;
    }
    this.invalidate();
    return this.toDto(row, lang);
  }

  /** After the table changed (here, or on the other thread: services.ts applyCacheChange). */
  invalidate() {
    this.cache = null;
    this.ctx.cacheChanged?.('categories');
  }

  async update(actor: Actor, code: string, body: z.infer<typeof CategoryPatchBody>, lang: Language): Promise<Category> {
    requireAccess(actor, 'admin');
    const row = await this.ctx.db.write(async (trx) => {
      const patch: Partial<CategoryRow> = {};
      if (body.nameZh !== undefined) patch.name_zh = body.nameZh;
      if (body.nameEn !== undefined) patch.name_en = body.nameEn;
      if (body.sort !== undefined) patch.sort = body.sort;
      if (body.active !== undefined) patch.active = body.active ? 1 : 0;
      if (Object.keys(patch).length > 0) await trx.updateTable('categories').set(patch).where('code', '=', code).execute();
      return trx.selectFrom('categories').selectAll().where('code', '=', code).executeTakeFirst();
    });
    if (!row) throw NotFound();
    this.invalidate();
    return this.toDto(row, lang);
  }
}
