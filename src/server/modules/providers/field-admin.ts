// The field-service admin pages' server side: engineers' profiles (home area, areas served, product lines — what the
// dispatcher's ranking reads) for the company's and the providers' engineers, and the travel-gap setting
// (`settings` row `fieldService`, read by visits/field.ts).
import type { z } from 'zod';
import type { EngineerProfile, FieldSettings, FieldSettingsBody } from '../../../shared/providers.js';
import type { AppContext } from '../../context.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Forbidden, Invalid, type FieldErrors } from '../../http/errors.js';
import { FIELD_SETTING_KEY, type FieldConfig } from '../visits/field.js';
import { parseList } from '../visits/repo.js';
import { VisitsService } from '../visits/service.js';

export class FieldAdmin {
  constructor(
    private readonly ctx: AppContext,
    private readonly field: FieldConfig,
  ) {}

  /** Every engineer (inactive ones too) with their profile: managers, admins, and the dispatchers who rank by it. */
  async profiles(actor: Actor): Promise<EngineerProfile[]> {
    if (isProviderActor(actor) || !(can(actor, 'network.manage') || VisitsService.canBook(actor))) throw Forbidden();
    const rows = await this.ctx.db.read
      .selectFrom('users')
      .leftJoin('engineer_profiles', 'engineer_profiles.user_id', 'users.id')
      .leftJoin('service_providers', 'service_providers.id', 'users.provider_id')
      .select(['users.id', 'users.display_name', 'users.username', 'users.active', 'users.provider_id', 'service_providers.name as provider_name'])
      .select(['engineer_profiles.area', 'engineer_profiles.areas', 'engineer_profiles.product_lines'])
      .where('users.role', '=', 'engineer')
      .orderBy('users.active', 'desc')
      .orderBy('users.provider_id')
      .orderBy('users.display_name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.display_name,
      username: r.username,
      active: r.active === 1,
      area: r.area ?? null,
      areas: parseList(r.areas ?? '[]'),
      productLines: parseList(r.product_lines ?? '[]'),
      provider: r.provider_id === null ? null : { id: r.provider_id, name: r.provider_name ?? '' },
    }));
  }

  async settings(actor: Actor): Promise<FieldSettings> {
    if (isProviderActor(actor) || !(can(actor, 'network.manage') || VisitsService.canBook(actor))) throw Forbidden();
    const rule = await this.field.gapRule();
    const areaGaps = Object.entries(rule.areaGaps ?? {}).map(([pair, minutes]) => {
      const [from, to] = pair.split('|');
      return { from, to: to ?? '', minutes };
    });
    return { minGapMinutes: rule.minGapMinutes, areaGaps };
  }

  /** Each pair once (either order), two different areas; stored as `{minGapMinutes, areaGaps: {"a|b": n}}`. */
  async saveSettings(actor: Actor, body: z.infer<typeof FieldSettingsBody>): Promise<FieldSettings> {
    requireAccess(actor, 'network.manage');
    const fields: FieldErrors = {};
    const seen = new Set<string>();
    const areaGaps: Record<string, number> = {};
    body.areaGaps.forEach((g, i) => {
      if (g.from === g.to) fields[`areaGaps.${i}.to`] = 'field.area_pair_same';
      const key = [g.from, g.to].sort().join('|');
      if (seen.has(key)) fields[`areaGaps.${i}.to`] = 'field.area_pair_repeated';
      seen.add(key);
      areaGaps[`${g.from}|${g.to}`] = g.minutes;
    });
    if (Object.keys(fields).length > 0) throw Invalid(fields);
    const value = JSON.stringify({ minGapMinutes: body.minGapMinutes, areaGaps });
    const now = this.ctx.clock.now();
    await this.ctx.db.write((trx) =>
      trx
        .insertInto('settings')
        .values({ key: FIELD_SETTING_KEY, value, updated_at: now, updated_by: actor.id })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now, updated_by: actor.id }))
        .execute(),
    );
    this.field.forget();
    return this.settings(actor);
  }
}
