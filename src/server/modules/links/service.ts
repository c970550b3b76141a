// The installation's link secret and the links built with it (domain/signed-links.ts): the portal's "follow this
// ticket" link in every customer message, the survey link, the unsubscribe link. The secret is made once, on first
// use, and kept in the settings table (not in DATA_DIR): every node of a PostgreSQL cluster signs and checks alike.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { signLink, verifyLink, type LinkCheck, type LinkPurpose } from '../../domain/signed-links.js';

const KEY = 'link_secret';
const DAY = 86_400_000;
/** How long a link opens what it names unless the caller says otherwise. */
export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = { ticket: 180 * DAY, survey: 30 * DAY, unsubscribe: 365 * DAY };
/** Where each kind of link lands in the portal. */
const LINK_PATH: Record<LinkPurpose, string> = { ticket: '/portal/t/', survey: '/portal/survey/', unsubscribe: '/portal/unsubscribe/' };

export class LinksService {
  private secret: Buffer | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** Reads (or, the first time anywhere, creates) the secret; two nodes racing keep the first one written. */
  /**
   * `trx`: the caller's write transaction, when a link is built inside one (a message written with the ticket's
   * change): a second write there would wait for the transaction it is in.
   */
  async load(trx?: Kysely<DB>): Promise<Buffer> {
    if (this.secret) return this.secret;
    const fresh = crypto.randomBytes(32).toString('base64url');
    const now = this.ctx.clock.now();
    const insert = (db: Kysely<DB>) =>
      db
        .insertInto('settings')
        .values({ key: KEY, value: JSON.stringify(fresh), updated_at: now, updated_by: null })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    if (trx) await insert(trx);
    else await this.ctx.db.write(insert);
    const row = await (trx ?? this.ctx.db.read).selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirstOrThrow();
    this.secret = Buffer.from(JSON.parse(row.value) as string, 'base64url');
    return this.secret;
  }

  /** The bare token (for APIs that take one). */
  async token(purpose: LinkPurpose, subject: number, lifetimeMs = LINK_LIFETIME_MS[purpose], trx?: Kysely<DB>): Promise<string> {
    return signLink(await this.load(trx), { purpose, subject, expiresAt: this.ctx.clock.now() + lifetimeMs });
  }

  /** The absolute URL a customer opens (AFTERCARE_PUBLIC_URL + the portal's page for it). `trx`: see load(). */
  async url(purpose: LinkPurpose, subject: number, lifetimeMs?: number, trx?: Kysely<DB>): Promise<string> {
    return `${this.ctx.config.publicUrl}${LINK_PATH[purpose]}${await this.token(purpose, subject, lifetimeMs, trx)}`;
  }

  async check(token: string, purpose: LinkPurpose): Promise<LinkCheck> {
    return verifyLink(await this.load(), token, purpose, this.ctx.clock.now());
  }
}
