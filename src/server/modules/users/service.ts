// Users and departments: the directory that assignment, routing and authorization rely on.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language, Role } from '../../../shared/enums.js';
import type { Department, User, UserCreateBody, UserPatchBody, UsersQuery } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { escapeLike, like } from '../../db/fragments.js';
import type { Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Invalid, NotFound } from '../../http/errors.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { hashPassword } from '../auth/password.js';
import { endCredentials } from '../auth/credentials.js';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: string;
  department_id: number | null;
  customer_id: number | null;
  skills: string;
  email: string | null;
  phone: string | null;
  active: number;
  provider_id?: number | null;
}

export function actorOf(row: UserRow): Actor {
  return {
    id: row.id,
    username: row.username,
    name: row.display_name,
    role: row.role as Role,
    departmentId: row.department_id,
    customerId: row.customer_id,
    providerId: row.provider_id ?? null,
  };
}

/** The roles a service provider's people may have (modules/providers). */
export const PROVIDER_ROLES: readonly Role[] = ['engineer', 'dispatcher'];

export class UsersService {
  private departmentCache: { at: number; rows: { id: number; code: string; name_zh: string; name_en: string; manager_id: number | null }[] } | null = null;

  /** Called after a user or a department's head changes on this node, so the directory caches elsewhere refresh at once. */
  private readonly listeners: (() => void)[] = [];
  /** Called after a user's sessions and tokens were ended (password reset, deactivation): AuthService.forgetUser. */
  private readonly credentialListeners: ((userId: number, keepSession: string | null) => void)[] = [];

  constructor(private readonly ctx: AppContext) {}

  onDirectoryChange(listener: () => void) {
    this.listeners.push(listener);
  }

  onCredentialsEnded(listener: (userId: number, keepSession: string | null) => void) {
    this.credentialListeners.push(listener);
  }

  /** After another module ended a person's sessions and tokens in its own transaction (modules/providers). */
  credentialsEnded(userIds: readonly number[]) {
    for (const id of userIds) for (const l of this.credentialListeners) l(id, null);
    this.directoryChanged();
  }

  /** After a user or a department's head changed (here, or on the other thread: services.ts applyCacheChange). */
  directoryChanged() {
    this.departmentCache = null;
    for (const l of this.listeners) l();
    this.ctx.cacheChanged?.('directory');
  }

  /** `db`: the caller's transaction, if any — a transaction never waits for a second pooled connection. */
  async departments(db: Kysely<DB> = this.ctx.db.read) {
    const now = performance.now();
    if (!this.departmentCache || now - this.departmentCache.at > 10_000 || now < this.departmentCache.at) {
      const rows = await db.selectFrom('departments').select(['id', 'code', 'name_zh', 'name_en', 'manager_id']).orderBy('id').execute();
      this.departmentCache = { at: now, rows };
    }
    return this.departmentCache.rows;
  }

  async departmentName(id: number | null, lang: Language): Promise<string | null> {
    if (id === null) return null;
    const d = (await this.departments()).find((x) => x.id === id);
    return d ? (lang === 'en' ? d.name_en : d.name_zh) : null;
  }

  async toDto(row: UserRow, lang: Language): Promise<User> {
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role as Role,
      departmentId: row.department_id,
      departmentName: await this.departmentName(row.department_id, lang),
      customerId: row.customer_id,
      skills: safeJsonArray(row.skills),
      email: row.email,
      phone: row.phone,
      active: row.active === 1,
      providerId: row.provider_id ?? null,
      providerName: row.provider_id ? ((await this.ctx.db.read.selectFrom('service_providers').select('name').where('id', '=', row.provider_id).executeTakeFirst())?.name ?? null) : null,
    };
  }

  async listDepartments(actor: Actor, lang: Language): Promise<Department[]> {
    requireAccess(actor, 'directory.read');
    return (await this.departments()).map((d) => ({
      id: d.id,
      code: d.code,
      name: lang === 'en' ? d.name_en : d.name_zh,
      nameZh: d.name_zh,
      nameEn: d.name_en,
      managerId: d.manager_id,
    }));
  }

  /** The head of a department: first escalation level and reviewer of its solutions. */
  async setDepartmentManager(actor: Actor, id: number, managerId: number | null, lang: Language): Promise<Department> {
    requireAccess(actor, 'admin');
    if (managerId !== null) {
      const u = await this.ctx.db.read.selectFrom('users').select(['id', 'active', 'role']).where('id', '=', managerId).executeTakeFirst();
      if (!u || u.active !== 1 || u.role === 'customer') throw Invalid({ managerId: 'field.assignee_unknown' });
    }
    const res = await this.ctx.db.write((trx) => trx.updateTable('departments').set({ manager_id: managerId }).where('id', '=', id).executeTakeFirst());
    if (Number(res.numUpdatedRows) !== 1) throw NotFound();
    this.directoryChanged();
    return (await this.listDepartments(actor, lang)).find((d) => d.id === id)!;
  }

  async list(actor: Actor, query: z.infer<typeof UsersQuery>, lang: Language): Promise<User[]> {
    requireAccess(actor, 'directory.read');
    // The company's own staff: a provider's people are listed by the providers module (and never take a ticket).
    let q = this.ctx.db.read.selectFrom('users').selectAll().where('role', '!=', 'customer').where('provider_id', 'is', null);
    if (query.includeInactive !== 'true') q = q.where('active', '=', 1);
    if (query.departmentId) q = q.where('department_id', '=', query.departmentId);
    if (query.role) q = q.where('role', '=', query.role);
    if (query.q) {
      const pattern = `%${escapeLike(query.q)}%`;
      q = q.where((eb) => eb.or([like('display_name', pattern), like('username', pattern)]));
    }
    const rows = await q.orderBy('id').limit(500).execute();
    return Promise.all(rows.map((r) => this.toDto(r, lang)));
  }

  async create(actor: Actor, body: z.infer<typeof UserCreateBody>, lang: Language): Promise<User> {
    requireAccess(actor, 'admin');
    if (body.departmentId && !(await this.departments()).some((d) => d.id === body.departmentId)) {
      throw Invalid({ departmentId: 'field.department_unknown' });
    }
    const problem = passwordProblem(body.password);
    if (problem) throw Invalid({ password: `field.${problem}` });
    const row = await this.insertAccount({ ...body, departmentId: body.departmentId ?? null, customerId: body.customerId ?? null, providerId: null, skills: body.skills ?? [] });
    return this.toDto(row, lang);
  }

  /**
   * Inserts a person (password policy already checked by the caller): users here, a provider's people
   * (modules/providers). A taken user name is the form's error, not a 500.
   */
  async insertAccount(a: { username: string; displayName: string; password: string; role: Role; departmentId: number | null; customerId: number | null; providerId: number | null; skills: string[]; email?: string | null; phone?: string | null }): Promise<UserRow> {
    const passwordHash = await hashPassword(a.password);
    try {
      const row = await this.ctx.db.write((trx) =>
        trx
          .insertInto('users')
          .values({
            username: a.username,
            display_name: a.displayName,
            password_hash: passwordHash,
            role: a.role,
            department_id: a.departmentId,
            customer_id: a.customerId,
            provider_id: a.providerId,
            skills: JSON.stringify(a.skills),
            email: a.email ?? null,
            phone: a.phone ?? null,
            active: 1,
            created_at: this.ctx.clock.now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      this.directoryChanged();
      return row;
    } catch (e) {
      if (isUniqueViolation(e)) throw Invalid({ username: 'field.username_taken' });
      throw e;
    }
  }

  /** `sessionHash`: the caller's session, which stays signed in when an admin resets their own password. */
  async update(actor: Actor, id: number, body: z.infer<typeof UserPatchBody>, lang: Language, sessionHash: string | null = null): Promise<User> {
    requireAccess(actor, 'admin');
    // An admin locking themself out could leave the desk without anyone able to manage it.
    if (id === actor.id) {
      if (body.active === false) throw Invalid({ active: 'field.self_deactivate' });
      if (body.role !== undefined && body.role !== 'admin') throw Invalid({ role: 'field.self_demote' });
    }
    if (body.departmentId && !(await this.departments()).some((d) => d.id === body.departmentId)) {
      throw Invalid({ departmentId: 'field.department_unknown' });
    }
    const problem = body.password === undefined ? null : passwordProblem(body.password);
    if (problem) throw Invalid({ password: `field.${problem}` });
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
    // A reset password or a deactivation ends every session and revokes every API token of the person (but the
    // admin's own current session when they reset their own password), so neither a leaked token nor a
    // reactivation brings old access back.
    const endsCredentials = passwordHash !== undefined || body.active === false;
    const keepSession = id === actor.id ? sessionHash : null;
    const row = await this.ctx.db.write(async (trx) => {
      const current = await trx.selectFrom('users').select(['role', 'provider_id']).where('id', '=', id).executeTakeFirst();
      if (!current) return undefined;
      if (current.role === 'customer' && body.role !== undefined) throw Invalid({ role: 'field.role_customer' });
      // A provider's people are engineers or dispatchers of no department of ours (modules/providers).
      if (current.provider_id !== null && body.role !== undefined && !PROVIDER_ROLES.includes(body.role)) throw Invalid({ role: 'field.provider_role' });
      if (current.provider_id !== null && body.departmentId) throw Invalid({ departmentId: 'field.provider_department' });
      const patch: Partial<Pick<UserRow, 'display_name' | 'role' | 'department_id' | 'skills' | 'active'>> & { password_hash?: string } = {};
      if (body.displayName !== undefined) patch.display_name = body.displayName;
      if (body.role !== undefined) patch.role = body.role;
      if (body.departmentId !== undefined) patch.department_id = body.departmentId;
      if (body.skills !== undefined) patch.skills = JSON.stringify(body.skills);
      if (body.active !== undefined) patch.active = body.active ? 1 : 0;
      if (passwordHash !== undefined) patch.password_hash = passwordHash;
      if (Object.keys(patch).length > 0) await trx.updateTable('users').set(patch).where('id', '=', id).execute();
      if (endsCredentials) await endCredentials(trx, id, keepSession);
      return trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    });
    if (!row) throw NotFound();
    if (endsCredentials) for (const l of this.credentialListeners) l(id, keepSession);
    this.directoryChanged();
    return this.toDto(row, lang);
  }
}

export function safeJsonArray(value: string): string[] {
  try {
    const v = JSON.parse(value);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
