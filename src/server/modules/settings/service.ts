// Small admin-edited settings (table `settings`, key → JSON value): which department is the service desk (its
// supervisors see and assign every ticket, seed 001) and who reviews solutions. Read on every ticket access, so
// cached per process for 10 s; an edit clears this node's cache (and the write worker's) at once, other nodes' and
// the read workers' within 10 s.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ReviewBy } from '../../../shared/enums.js';
import type { Settings, SettingsPatchBody } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { AccessSettings, Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Invalid } from '../../http/errors.js';

/** The seeded department that is the service desk until an admin names another. */
export const DEFAULT_SERVICE_DESK_CODE = 'customer_service';
const TTL_MS = 10_000;

export class SettingsService {
  private cache: { at: number; value: Settings } | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** `db`: the caller's transaction, if any (a transaction never waits for a second pooled connection). */
  async get(db: Kysely<DB> = this.ctx.db.read): Promise<Settings> {
    const now = performance.now();
    if (this.cache && now - this.cache.at <= TTL_MS && now >= this.cache.at) return this.cache.value;
    const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
    const stored = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    let desk = stored.get('serviceDeskDepartmentId') as number | null | undefined;
    if (desk === undefined) {
      desk = (await db.selectFrom('departments').select('id').where('code', '=', DEFAULT_SERVICE_DESK_CODE).executeTakeFirst())?.id ?? null;
    }
    const reviewBy = (stored.get('reviewBy') as ReviewBy | undefined) ?? 'service_desk';
    const value: Settings = { serviceDeskDepartmentId: desk, reviewBy };
    this.cache = { at: now, value };
    return value;
  }

  async access(db?: Kysely<DB>): Promise<AccessSettings> {
    return { serviceDeskDepartmentId: (await this.get(db)).serviceDeskDepartmentId };
  }

  invalidate() {
    this.cache = null;
  }

  async update(actor: Actor, body: z.infer<typeof SettingsPatchBody>): Promise<Settings> {
    requireAccess(actor, 'admin');
    if (body.serviceDeskDepartmentId) {
      const d = await this.ctx.db.read.selectFrom('departments').select('id').where('id', '=', body.serviceDeskDepartmentId).executeTakeFirst();
      if (!d) throw Invalid({ serviceDeskDepartmentId: 'field.department_unknown' });
    }
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      for (const [key, value] of Object.entries(body)) {
        if (value === undefined) continue;
        await trx
          .insertInto('settings')
          .values({ key, value: JSON.stringify(value), updated_at: now, updated_by: actor.id })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now, updated_by: actor.id }))
          .execute();
      }
    });
    this.invalidate();
    this.ctx.cacheChanged?.('settings');
    return this.get();
  }
}
