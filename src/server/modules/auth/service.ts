// Sign-in, sessions (cookie + CSRF token), API tokens (list, expiry, revocation) and a user's own password change.
// Only hashes of session ids and tokens are stored.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { ApiToken, PasswordChangeBody, TokenCreateBody } from '../../../shared/schemas.js';
import { demoPasswordAllowed } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { isoOrNull, isoString } from '../../domain/iso.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { AppError, Invalid, NotFound } from '../../http/errors.js';
import { actorOf, type UserRow } from '../users/service.js';
import { endCredentials } from './credentials.js';
import { DEMO_PASSWORD, DUMMY_HASH, hashPassword, randomSecret, sha256, verifyPassword } from './password.js';

export { endCredentials };

export const SESSION_COOKIE = 'aftercare_sid';
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
// Resolving identity is on every request's path; a short cache keeps it off the database. A logout or revocation
// on another node takes effect within this window; on this node at once (forgetUser, revokeToken).
const CACHE_TTL_MS = 5_000;
// A token's last use is written at most this often: a write per request would cost more than the request.
const LAST_USED_GRANULARITY_MS = 60_000;
const DAY_MS = 24 * 3600_000;

export interface SessionIdentity {
  actor: Actor;
  csrfToken: string;
  sessionHash: string;
}

interface CachedToken {
  at: number;
  value: { actor: Actor; id: number; expiresAt: number | null; lastUsedAt: number | null } | null;
}

export class AuthService {
  private sessionCache = new Map<string, { at: number; value: SessionIdentity | null }>();
  private tokenCache = new Map<string, CachedToken>();

  constructor(private readonly ctx: AppContext) {}

  async login(username: string, password: string): Promise<{ user: UserRow; sessionId: string; csrfToken: string }> {
    const user = await this.ctx.db.read.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    // The demo users' password is published: it opens nothing unless demo mode runs on loopback (config.ts).
    const demoRefused = password === DEMO_PASSWORD && !demoPasswordAllowed(this.ctx.config);
    if (!user || !ok || user.active !== 1 || demoRefused) throw new AppError(401, 'unauthenticated', 'error.bad_credentials');
    const now = this.ctx.clock.now();
    const { sessionId, csrfToken } = await this.ctx.db.write((trx) => insertSession(trx, user.id, now));
    return { user, sessionId, csrfToken };
  }

  async logout(sessionHash: string): Promise<void> {
    this.sessionCache.delete(sessionHash);
    await this.ctx.db.write((trx) => trx.deleteFrom('sessions').where('id_hash', '=', sessionHash).execute());
  }

  async resolveSession(sessionId: string): Promise<SessionIdentity | null> {
    const hash = sha256(sessionId);
    const now = this.ctx.clock.now();
    const cached = this.sessionCache.get(hash);
    if (cached && now - cached.at < CACHE_TTL_MS) return cached.value;
    const row = await this.ctx.db.read
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token', 'sessions.expires_at', 'sessions.ticket_id'])
      .where('sessions.id_hash', '=', hash)
      .executeTakeFirst();
    const value =
      row && row.expires_at > now && row.active === 1
        ? { actor: row.ticket_id === null ? actorOf(row) : { ...actorOf(row), ticketId: row.ticket_id }, csrfToken: row.csrf_token, sessionHash: hash }
        : null;
    this.remember(this.sessionCache, hash, { at: now, value });
    return value;
  }

  async resolveToken(token: string): Promise<Actor | null> {
    if (token.length > 200) return null;
    const hash = sha256(token);
    const now = this.ctx.clock.now();
    let cached = this.tokenCache.get(hash);
    if (!cached || now - cached.at >= CACHE_TTL_MS) {
      const row = await this.ctx.db.read
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .selectAll('users')
        .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.last_used_at'])
        .where('api_tokens.token_hash', '=', hash)
        .executeTakeFirst();
      const value = row && row.active === 1 ? { actor: actorOf(row), id: row.token_id, expiresAt: row.expires_at, lastUsedAt: row.last_used_at } : null;
      cached = { at: now, value };
      this.remember(this.tokenCache, hash, cached);
    }
    const v = cached.value;
    // Checked on every call, not only when the row is read: a cached token ends at its expiry, not up to 5 s later.
    if (!v || (v.expiresAt !== null && v.expiresAt <= now)) return null;
    if (v.lastUsedAt === null || now - v.lastUsedAt >= LAST_USED_GRANULARITY_MS) {
      v.lastUsedAt = now;
      await this.ctx.db
        .write((trx) => trx.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', v.id).execute())
        .catch((e: unknown) => this.ctx.log.warn({ err: e }, 'could not record an API token use'));
    }
    return v.actor;
  }

  async createToken(actor: Actor, body: z.infer<typeof TokenCreateBody>): Promise<{ id: number; name: string; token: string; createdAt: string; expiresAt: string | null }> {
    const now = this.ctx.clock.now();
    let expiresAt: number | null = null;
    if (body.expiresInDays !== undefined) expiresAt = now + body.expiresInDays * DAY_MS;
    if (body.expiresAt !== undefined) {
      expiresAt = Date.parse(body.expiresAt);
      if (expiresAt <= now) throw Invalid({ expiresAt: 'field.expiry_past' });
      if (expiresAt > now + 3650 * DAY_MS) throw Invalid({ expiresAt: 'field.expiry_too_far' });
    }
    const token = 'act_' + randomSecret();
    const row = await this.ctx.db.write((trx) =>
      trx
        .insertInto('api_tokens')
        .values({ user_id: actor.id, name: body.name, token_hash: sha256(token), created_at: now, last_used_at: null, expires_at: expiresAt })
        .returning(['id'])
        .executeTakeFirstOrThrow(),
    );
    return { id: row.id, name: body.name, token, createdAt: isoString(now), expiresAt: isoOrNull(expiresAt) };
  }

  /** The caller's own tokens, newest first; never their secrets (only hashes are stored anyway). */
  async listTokens(actor: Actor): Promise<ApiToken[]> {
    const now = this.ctx.clock.now();
    const rows = await this.ctx.db.read
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at'])
      .where('user_id', '=', actor.id)
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: isoString(r.created_at),
      lastUsedAt: isoOrNull(r.last_used_at),
      expiresAt: isoOrNull(r.expires_at),
      expired: r.expires_at !== null && r.expires_at <= now,
    }));
  }

  /** Revokes (deletes) a token: the caller's own, or anyone's for an admin. Someone else's answers 404 like a missing one. */
  async revokeToken(actor: Actor, id: number): Promise<void> {
    const row = await this.ctx.db.write(async (trx) => {
      const found = await trx.selectFrom('api_tokens').select(['id', 'user_id', 'token_hash']).where('id', '=', id).executeTakeFirst();
      if (!found || (found.user_id !== actor.id && actor.role !== 'admin')) return undefined;
      await trx.deleteFrom('api_tokens').where('id', '=', id).execute();
      return found;
    });
    if (!row) throw NotFound();
    this.tokenCache.delete(row.token_hash);
  }

  /**
   * The signed-in user changes their own password: the current one is required. Every other session of theirs
   * ends and every API token of theirs is revoked, in the same transaction; the session that made the change
   * stays signed in (it has just proved the password). Through a Bearer token there is no such session.
   */
  async changePassword(actor: Actor, sessionHash: string | null, body: z.infer<typeof PasswordChangeBody>): Promise<void> {
    const user = await this.userRow(actor.id);
    if (!(await verifyPassword(body.currentPassword, user.password_hash))) throw Invalid({ currentPassword: 'field.password_wrong' });
    const problem = passwordProblem(body.newPassword);
    if (problem) throw Invalid({ newPassword: `field.${problem}` });
    if (body.newPassword === body.currentPassword) throw Invalid({ newPassword: 'field.password_same' });
    const hash = await hashPassword(body.newPassword);
    await this.ctx.db.write(async (trx) => {
      await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', actor.id).execute();
      await endCredentials(trx, actor.id, sessionHash);
    });
    this.forgetUser(actor.id, sessionHash);
  }

  /** Drops this node's cached sessions and tokens of a user (all but `keepSession`) after their credentials changed. */
  forgetUser(userId: number, keepSession: string | null = null) {
    for (const [hash, c] of this.sessionCache) if (c.value?.actor.id === userId && hash !== keepSession) this.sessionCache.delete(hash);
    for (const [hash, c] of this.tokenCache) if (c.value?.actor.id === userId) this.tokenCache.delete(hash);
  }

  async userRow(id: number): Promise<UserRow & { password_hash: string }> {
    return this.ctx.db.read.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  private remember<V>(cache: Map<string, V>, key: string, value: V) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, value);
  }
}


/**
 * A new session for a user (inside the caller's transaction), its id and CSRF token; only the id's hash is stored.
 * `ticketId`: a link session, which sees and acts on that one ticket only; `expiresAt` caps it (the link's own expiry).
 */
export async function insertSession(trx: Kysely<DB>, userId: number, now: number, opts: { ticketId?: number; expiresAt?: number } = {}): Promise<{ sessionId: string; csrfToken: string; expiresAt: number }> {
  const sessionId = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = Math.min(now + SESSION_TTL_MS, opts.expiresAt ?? Infinity);
  await trx.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await trx
    .insertInto('sessions')
    .values({ id_hash: sha256(sessionId), user_id: userId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt, ticket_id: opts.ticketId ?? null })
    .execute();
  return { sessionId, csrfToken, expiresAt };
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
