// The signed-in user's notification settings: channels per kind (in-app, e-mail, robot; none = off) and the digest
// time. Stored on the user row (users.notify_prefs), read by every enqueue in the same statement as the address.
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { defaultPrefs, DIGEST_ROLES, kindsFor, resolvePrefs, storePrefs } from '../../domain/notify/index.js';
import { NotFound } from '../../http/errors.js';
import type { NotifyPrefsBody, NotifyPrefsView } from './schemas.js';

export class NotifyPreferences {
  constructor(
    private readonly ctx: AppContext,
    private readonly mailEnabled: () => boolean,
  ) {}

  async get(actor: Actor): Promise<NotifyPrefsView> {
    const user = await this.ctx.db.read.selectFrom('users').select(['id', 'role', 'email', 'department_id', 'notify_prefs']).where('id', '=', actor.id).executeTakeFirst();
    if (!user) throw NotFound();
    const prefs = resolvePrefs(user.role, user.notify_prefs);
    const defaults = defaultPrefs(user.role);
    const hooks = await this.ctx.db.read.selectFrom('webhooks').select(['id', 'name', 'department_id']).where('active', '=', 1).orderBy('id').execute();
    const robots = hooks
      .filter((h) => h.department_id === null || (user.department_id !== null && h.department_id === user.department_id))
      .map((h) => ({ id: h.id, name: h.name, scope: h.department_id === null ? ('company' as const) : ('department' as const) }));
    const email = user.email?.trim() || null;
    return {
      kinds: kindsFor(user.role).map((kind) => ({ kind, channels: prefs.kinds[kind], defaults: defaults.kinds[kind] })),
      email: email && email.includes('@') ? email : null,
      mailEnabled: this.mailEnabled(),
      robots,
      digest: { available: DIGEST_ROLES.includes(actor.role), time: prefs.digestTime, defaultTime: defaults.digestTime },
    };
  }

  /** Replaces the choices for the kinds given; kinds left out keep what they were. */
  async set(actor: Actor, body: NotifyPrefsBody): Promise<NotifyPrefsView> {
    await this.ctx.db.write(async (trx) => {
      const user = await trx.selectFrom('users').select(['role', 'notify_prefs']).where('id', '=', actor.id).executeTakeFirst();
      if (!user) throw NotFound();
      const current = resolvePrefs(user.role, user.notify_prefs);
      const kinds: Record<string, readonly string[]> = { ...current.kinds };
      for (const [k, v] of Object.entries(body.kinds)) if (v) kinds[k] = v;
      await trx
        .updateTable('users')
        .set({ notify_prefs: storePrefs(user.role, { kinds, digestTime: body.digestTime }, current) })
        .where('id', '=', actor.id)
        .execute();
    });
    return this.get(actor);
  }
}
