// Service providers (服务商 / 网点, issue 16) and their people. A provider is an outside organisation — an authorised
// repair shop, an installer — taking visits with its own engineers; its people are users with `provider_id` set (an
// engineer or a dispatcher who assigns among the provider's engineers). What they may see is decided in
// domain/access.ts (providerId on the Actor); this module keeps the registry. Managers and admins edit it.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ProviderPerson, ProviderPersonBody, ProviderPersonPatchBody, ServiceProvider, ServiceProviderBody, ServiceProviderPatchBody } from '../../../shared/providers.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Invalid, NotFound } from '../../http/errors.js';
import { endCredentials } from '../auth/credentials.js';
import { hashPassword } from '../auth/password.js';
import type { UsersService } from '../users/service.js';
import { parseList } from '../visits/repo.js';

type ProviderRow = { id: number; name: string; contact_name: string | null; contact_phone: string | null; areas: string; product_lines: string; note: string | null; active: number; version: number };

const unique = (xs: readonly string[] | undefined) => JSON.stringify([...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))]);

export class ProvidersService {
  constructor(
    private readonly ctx: AppContext,
    private readonly users: UsersService,
  ) {}

  private toDto(r: ProviderRow, people: number): ServiceProvider {
    return {
      id: r.id,
      name: r.name,
      contactName: r.contact_name,
      contactPhone: r.contact_phone,
      areas: parseList(r.areas),
      productLines: parseList(r.product_lines),
      note: r.note,
      active: r.active === 1,
      people,
      version: r.version,
    };
  }

  private async peopleCounts(db: Kysely<DB>): Promise<Map<number, number>> {
    const rows = await db
      .selectFrom('users')
      .select(['provider_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('provider_id', 'is not', null)
      .where('active', '=', 1)
      .groupBy('provider_id')
      .execute();
    return new Map(rows.map((r) => [r.provider_id as number, Number(r.n)]));
  }

  async list(actor: Actor): Promise<ServiceProvider[]> {
    requireAccess(actor, 'network.manage');
    const rows = (await this.ctx.db.read.selectFrom('service_providers').selectAll().orderBy('active', 'desc').orderBy('name').execute()) as ProviderRow[];
    const counts = await this.peopleCounts(this.ctx.db.read);
    return rows.map((r) => this.toDto(r, counts.get(r.id) ?? 0));
  }

  async get(actor: Actor, id: number, db: Kysely<DB> = this.ctx.db.read): Promise<ServiceProvider> {
    requireAccess(actor, 'network.manage');
    const r = (await db.selectFrom('service_providers').selectAll().where('id', '=', id).executeTakeFirst()) as ProviderRow | undefined;
    if (!r) throw NotFound('error.provider_not_found');
    return this.toDto(r, (await this.peopleCounts(db)).get(id) ?? 0);
  }

  async create(actor: Actor, body: z.infer<typeof ServiceProviderBody>): Promise<ServiceProvider> {
    requireAccess(actor, 'network.manage');
    const now = this.ctx.clock.now();
    try {
      const row = await this.ctx.db.write((trx) =>
        trx
          .insertInto('service_providers')
          .values({
            name: body.name,
            contact_name: body.contactName?.trim() || null,
            contact_phone: body.contactPhone?.trim() || null,
            areas: unique(body.areas),
            product_lines: unique(body.productLines),
            note: body.note?.trim() || null,
            active: body.active ? 1 : 0,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      return this.get(actor, row.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw Invalid({ name: 'field.provider_name_taken' });
      throw e;
    }
  }

  /**
   * Deactivating a provider deactivates its people and ends their sessions and tokens at once (what they could see
   * goes with the contract); reactivating it leaves the people to be reactivated one by one.
   */
  async update(actor: Actor, id: number, body: z.infer<typeof ServiceProviderPatchBody>): Promise<ServiceProvider> {
    requireAccess(actor, 'network.manage');
    const now = this.ctx.clock.now();
    let ended: number[] = [];
    try {
      await this.ctx.db.write(async (trx) => {
        const current = await trx.selectFrom('service_providers').select(['id', 'version', 'active']).where('id', '=', id).executeTakeFirst();
        if (!current) throw NotFound('error.provider_not_found');
        if (current.version !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: current.version });
        const set: Record<string, unknown> = { updated_at: now, version: current.version + 1 };
        if (body.name !== undefined) set.name = body.name;
        if (body.contactName !== undefined) set.contact_name = body.contactName?.trim() || null;
        if (body.contactPhone !== undefined) set.contact_phone = body.contactPhone?.trim() || null;
        if (body.areas !== undefined) set.areas = unique(body.areas);
        if (body.productLines !== undefined) set.product_lines = unique(body.productLines);
        if (body.note !== undefined) set.note = body.note?.trim() || null;
        if (body.active !== undefined) set.active = body.active ? 1 : 0;
        await trx.updateTable('service_providers').set(set).where('id', '=', id).execute();
        if (body.active === false && current.active === 1) {
          const people = await trx.selectFrom('users').select('id').where('provider_id', '=', id).where('active', '=', 1).execute();
          ended = people.map((p) => p.id);
          if (ended.length > 0) await trx.updateTable('users').set({ active: 0 }).where('id', 'in', ended).execute();
          for (const u of ended) await endCredentials(trx, u, null);
        }
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw Invalid({ name: 'field.provider_name_taken' });
      throw e;
    }
    if (ended.length > 0) this.users.credentialsEnded(ended);
    return this.get(actor, id);
  }

  // ------------------------------------------------------------ people

  private personDto(r: { id: number; username: string; display_name: string; role: string; phone: string | null; active: number }): ProviderPerson {
    return { id: r.id, username: r.username, displayName: r.display_name, role: r.role as ProviderPerson['role'], phone: r.phone, active: r.active === 1 };
  }

  private selectPeople(db: Kysely<DB>, providerId: number) {
    return db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'phone', 'active']).where('provider_id', '=', providerId);
  }

  async people(actor: Actor, providerId: number): Promise<ProviderPerson[]> {
    await this.get(actor, providerId);
    const rows = await this.selectPeople(this.ctx.db.read, providerId).orderBy('active', 'desc').orderBy('display_name').execute();
    return rows.map((r) => this.personDto(r));
  }

  async addPerson(actor: Actor, providerId: number, body: z.infer<typeof ProviderPersonBody>): Promise<ProviderPerson> {
    const provider = await this.get(actor, providerId);
    if (!provider.active) throw Invalid({ role: 'field.provider_inactive' });
    const problem = passwordProblem(body.password);
    if (problem) throw Invalid({ password: `field.${problem}` });
    const row = await this.users.insertAccount({ ...body, departmentId: null, customerId: null, providerId, skills: [] });
    return this.personDto(row);
  }

  async updatePerson(actor: Actor, providerId: number, userId: number, body: z.infer<typeof ProviderPersonPatchBody>): Promise<ProviderPerson> {
    const provider = await this.get(actor, providerId);
    if (body.active === true && !provider.active) throw Invalid({ active: 'field.provider_inactive' });
    const problem = body.password === undefined ? null : passwordProblem(body.password);
    if (problem) throw Invalid({ password: `field.${problem}` });
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
    const ends = passwordHash !== undefined || body.active === false;
    const row = await this.ctx.db.write(async (trx) => {
      const current = await this.selectPeople(trx, providerId).where('id', '=', userId).executeTakeFirst();
      if (!current) return undefined;
      const set: Record<string, unknown> = {};
      if (body.displayName !== undefined) set.display_name = body.displayName;
      if (body.role !== undefined) set.role = body.role;
      if (body.active !== undefined) set.active = body.active ? 1 : 0;
      if (passwordHash !== undefined) set.password_hash = passwordHash;
      if (Object.keys(set).length > 0) await trx.updateTable('users').set(set).where('id', '=', userId).execute();
      if (ends) await endCredentials(trx, userId, null);
      return this.selectPeople(trx, providerId).where('id', '=', userId).executeTakeFirstOrThrow();
    });
    if (!row) throw NotFound();
    if (ends) this.users.credentialsEnded([userId]);
    else this.users.directoryChanged();
    return this.personDto(row);
  }
}
