// Sign-in, sessions (cookie + CSRF token) and API tokens. Only hashes of session ids and tokens are stored.
import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { AppError } from '../../http/errors.js';
import { actorOf, type UserRow } from '../users/service.js';
import { DUMMY_HASH, randomSecret, sha256, verifyPassword } from './password.js';

export const SESSION_COOKIE = 'aftercare_sid';
const SESSION_TTL_MS = 7 * 24 * 3600_000;
// Resolving identity is on every request's path; a short cache keeps it off the database. A logout on another
// node takes effect within this window.
const CACHE_TTL_MS = 5_000;

export interface SessionIdentity {
  actor: Actor;
  csrfToken: string;
  sessionHash: string;
}

export class AuthService {
  private sessionCache = new Map<string, { at: number; value: SessionIdentity | null }>();
  private tokenCache = new Map<string, { at: number; value: Actor | null }>();

  constructor(private readonly ctx: AppContext) {}

  async login(username: string, password: string): Promise<{ user: UserRow; sessionId: string; csrfToken: string }> {
    const user = await this.ctx.db.read.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok || user.active !== 1) throw new AppError(401, 'unauthenticated', 'error.bad_credentials');
    const sessionId = randomSecret();
    const csrfToken = randomSecret(24);
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      await trx.deleteFrom('sessions').where('expires_at', '<', now).execute();
      await trx
        .insertInto('sessions')
        .values({ id_hash: sha256(sessionId), user_id: user.id, csrf_token: csrfToken, created_at: now, expires_at: now + SESSION_TTL_MS })
        .execute();
    });
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
      .select(['sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.id_hash', '=', hash)
      .executeTakeFirst();
    const value = row && row.expires_at > now && row.active === 1 ? { actor: actorOf(row), csrfToken: row.csrf_token, sessionHash: hash } : null;
    this.remember(this.sessionCache, hash, { at: now, value });
    return value;
  }

  async resolveToken(token: string): Promise<Actor | null> {
    if (token.length > 200) return null;
    const hash = sha256(token);
    const now = this.ctx.clock.now();
    const cached = this.tokenCache.get(hash);
    if (cached && now - cached.at < CACHE_TTL_MS) return cached.value;
    const row = await this.ctx.db.read
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .where('api_tokens.token_hash', '=', hash)
      .executeTakeFirst();
    const value = row && row.active === 1 ? actorOf(row) : null;
    this.remember(this.tokenCache, hash, { at: now, value });
    return value;
  }

  async createToken(actor: Actor, name: string): Promise<{ id: number; name: string; token: string }> {
    const token = 'act_' + randomSecret();
    const row = await this.ctx.db.write((trx) =>
      trx
        .insertInto('api_tokens')
        .values({ user_id: actor.id, name, token_hash: sha256(token), created_at: this.ctx.clock.now(), last_used_at: null })
        .returning(['id'])
        .executeTakeFirstOrThrow(),
    );
    return { id: row.id, name, token };
  }

  async userRow(id: number): Promise<UserRow> {
    return this.ctx.db.read.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  private remember<V>(cache: Map<string, V>, key: string, value: V) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, value);
  }
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
