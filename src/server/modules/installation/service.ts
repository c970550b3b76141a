// Installation acceptance (安装验收, SPEC §10, seed 002): an installation visit carries the product's checklist, the
// engineer ticks it on the phone, the customer signs off, and that day becomes the unit's acceptance date — which
// starts its warranty (domain/warranty.ts) — in the unit's history and the ticket's timeline.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Acceptance, AcceptanceBody, ChecklistTickBody, InstallationChecklist, InstallationChecklistBody } from '../../../shared/care.js';
import type { UnitHistoryEntry } from '../../../shared/products.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { defaultChecklist, missingItems } from '../../domain/care.js';
import { isoOrNull } from '../../domain/iso.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { chinaToday, unitStoredWarranty } from '../products/facts.js';
import type { UnitsService } from '../products/units.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';
import { seesVisit } from '../visits/providers.js';

/** The steps at which the checklist can be ticked and signed: the engineer is on site. */
const ON_SITE = new Set(['arrived', 'work_done']);

interface VisitFacts {
  id: number;
  ticket_id: number;
  unit_id: number | null;
  engineer_id: number;
  kind: string;
  status: string;
  number: string;
  product_model: string | null;
}

const list = (s: string | null | undefined): string[] => {
  try {
    const v = JSON.parse(s ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export class InstallationService {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    units: UnitsService,
  ) {
    units.addHistorySource((db, ids) => this.history(db, ids));
  }

  // ------------------------------------------------------------ checklists per product (managers edit)

  private async itemsFor(db: Kysely<DB>, model: string | null): Promise<{ items: string[]; custom: boolean }> {
    if (model) {
      const own = await db.selectFrom('installation_checklists').select('items').where('product_model', '=', model).executeTakeFirst();
      if (own) return { items: list(own.items), custom: true };
    }
    const line = model ? (await db.selectFrom('products').select('line').where('model', '=', model).executeTakeFirst())?.line : null;
    return { items: [...defaultChecklist(line ?? null)], custom: false };
  }

  async checklist(actor: Actor, model: string): Promise<InstallationChecklist> {
    requireAccess(actor, 'unit.read');
    const db = this.ctx.db.read;
    if (!(await db.selectFrom('products').select('id').where('model', '=', model).executeTakeFirst())) throw NotFound('error.product_not_found');
    return { productModel: model, ...(await this.itemsFor(db, model)) };
  }

  /** Managers and admins (like the catalog); an empty body is refused, `DELETE` goes back to the line's defaults. */
  async saveChecklist(actor: Actor, model: string, body: z.infer<typeof InstallationChecklistBody> | null): Promise<InstallationChecklist> {
    requireAccess(actor, 'product.write');
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      if (!(await trx.selectFrom('products').select('id').where('model', '=', model).executeTakeFirst())) throw NotFound('error.product_not_found');
      await trx.deleteFrom('installation_checklists').where('product_model', '=', model).execute();
      if (body) {
        const items = [...new Set(body.items)];
        if (items.length !== body.items.length) throw Invalid({ items: 'field.checklist_duplicate' });
        await trx.insertInto('installation_checklists').values({ product_model: model, items: JSON.stringify(items), updated_at: now, updated_by: actor.id }).execute();
      }
    });
    return this.checklist(actor, model);
  }

  // ------------------------------------------------------------ a visit's checklist and sign-off

  private async visit(db: Kysely<DB>, actor: Actor, id: number): Promise<VisitFacts> {
    if (!can(actor, 'ticket.internal') && !isProviderActor(actor)) throw Forbidden();
    const v = await db
      .selectFrom('visits')
      .innerJoin('tickets', 'tickets.id', 'visits.ticket_id')
      .innerJoin('users', 'users.id', 'visits.engineer_id')
      .select(['visits.id', 'visits.ticket_id', 'visits.unit_id', 'visits.engineer_id', 'visits.kind', 'visits.status', 'tickets.number', 'tickets.product_model', 'users.provider_id'])
      .where('visits.id', '=', id)
      .executeTakeFirst();
    // An engineer: their own visits; a provider's people: their provider's (modules/visits/providers.ts).
    if (!v || !seesVisit(actor, v)) throw NotFound('error.visit_not_found');
    if (v.kind !== 'installation') throw Conflict('conflict', 'error.visit_not_installation');
    return v;
  }

  async get(actor: Actor, visitId: number): Promise<Acceptance> {
    const db = this.ctx.db.read;
    const v = await this.visit(db, actor, visitId);
    return this.view(db, v);
  }

  private async view(db: Kysely<DB>, v: VisitFacts): Promise<Acceptance> {
    const row = await db.selectFrom('installation_acceptances').selectAll().where('visit_id', '=', v.id).executeTakeFirst();
    const items = row ? list(row.items) : (await this.itemsFor(db, v.product_model)).items;
    const done = list(row?.done);
    const unit = v.unit_id ? await db.selectFrom('units').select(['warranty_start', 'warranty_end']).where('id', '=', v.unit_id).executeTakeFirst() : undefined;
    const accepted = !!row?.accepted_at;
    return {
      visitId: v.id,
      ticketNumber: v.number,
      unitId: v.unit_id,
      productModel: v.product_model,
      items: items.map((label) => ({ label, done: done.includes(label) })),
      accepted,
      acceptedOn: row?.accepted_on ?? null,
      acceptedAt: isoOrNull(row?.accepted_at ?? null),
      signerName: row?.signer_name ?? null,
      signatureKind: accepted ? (row?.signature ? 'drawn' : 'typed') : null,
      warrantyStart: accepted ? (unit?.warranty_start ?? null) : null,
      warrantyEnd: accepted ? (unit?.warranty_end ?? null) : null,
      version: row?.version ?? 0,
    };
  }

  private requireEngineerOnSite(actor: Actor, v: VisitFacts) {
    if (v.engineer_id !== actor.id) throw Forbidden('error.visit_not_yours');
    if (!ON_SITE.has(v.status)) throw Conflict('invalid_transition', 'error.acceptance_not_on_site');
  }

  /** The engineer's ticks (the whole set each time: a repeated request changes nothing). Version 0 = not started yet. */
  async tick(actor: Actor, visitId: number, body: z.infer<typeof ChecklistTickBody>): Promise<Acceptance> {
    const now = this.ctx.clock.now();
    return this.ctx.db.write(async (trx) => {
      const v = await this.visit(trx, actor, visitId);
      this.requireEngineerOnSite(actor, v);
      const row = await trx.selectFrom('installation_acceptances').selectAll().where('visit_id', '=', visitId).executeTakeFirst();
      if ((row?.version ?? 0) !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: row?.version ?? 0 });
      if (row?.accepted_at) throw Conflict('conflict', 'error.acceptance_done');
      const items = row ? list(row.items) : (await this.itemsFor(trx, v.product_model)).items;
      const unknown = body.done.filter((d) => !items.includes(d));
      if (unknown.length) throw Invalid({ done: 'field.checklist_unknown_item' });
      const done = JSON.stringify(items.filter((i) => body.done.includes(i)));
      if (row) await trx.updateTable('installation_acceptances').set({ done, updated_at: now, version: row.version + 1 }).where('visit_id', '=', visitId).execute();
      else await trx.insertInto('installation_acceptances').values({ visit_id: visitId, items: JSON.stringify(items), done, updated_at: now, version: 1 }).execute();
      return this.view(trx, v);
    });
  }

  /**
   * The customer's sign-off: every item ticked, the engineer on site. The unit's acceptance date becomes today (China)
   * and its warranty is derived again from it; the ticket's timeline records it. A repeated sign-off (a retry after a
   * lost answer) answers the recorded one.
   */
  async accept(actor: Actor, visitId: number, body: z.infer<typeof AcceptanceBody>): Promise<Acceptance> {
    const now = this.ctx.clock.now();
    const today = chinaToday(now);
    return this.tickets.tx(async (trx) => {
      const v = await this.visit(trx, actor, visitId);
      const row = await trx.selectFrom('installation_acceptances').selectAll().where('visit_id', '=', visitId).executeTakeFirst();
      if (row?.accepted_at) {
        if (row.signer_name === body.signerName && v.engineer_id === actor.id) return this.view(trx, v);
        throw Conflict('conflict', 'error.acceptance_done');
      }
      this.requireEngineerOnSite(actor, v);
      if ((row?.version ?? 0) !== body.version) throw Conflict('stale_version', 'error.stale_version', { current: row?.version ?? 0 });
      if (!v.unit_id) throw Conflict('conflict', 'error.acceptance_no_unit');
      const items = row ? list(row.items) : (await this.itemsFor(trx, v.product_model)).items;
      const missing = missingItems(items, list(row?.done));
      if (missing.length) throw Invalid({ items: { key: 'field.checklist_incomplete', params: { items: missing.join('、') } } });
      const unit = await trx.selectFrom('units').selectAll().where('id', '=', v.unit_id).executeTakeFirstOrThrow();
      const product = await trx.selectFrom('products').select(['warranty_months', 'needs_installation']).where('model', '=', unit.product_model).executeTakeFirst();
      const facts = { ...unit, acceptance_date: today };
      const warranty = unitStoredWarranty(facts, product);
      await trx
        .updateTable('units')
        .set({ acceptance_date: today, install_date: unit.install_date ?? today, ...warranty, updated_at: now, version: unit.version + 1 })
        .where('id', '=', unit.id)
        .execute();
      const values = { signer_name: body.signerName, signature: body.signature ?? null, accepted_on: today, accepted_at: now, accepted_by: actor.id, updated_at: now };
      if (row) await trx.updateTable('installation_acceptances').set({ ...values, version: row.version + 1 }).where('visit_id', '=', visitId).execute();
      else await trx.insertInto('installation_acceptances').values({ visit_id: visitId, items: JSON.stringify(items), done: '[]', ...values, version: 1 }).execute();
      await appendEvent(trx, v.ticket_id, now, actor.id, 'installation_accepted', {
        internal: true,
        note: body.signerName,
        details: { visitId, unitId: unit.id, acceptedOn: today, signerName: body.signerName, signature: body.signature ? 'drawn' : 'typed', items, warrantyStart: warranty.warranty_start, warrantyEnd: warranty.warranty_end },
      });
      return this.view(trx, v);
    });
  }

  /** The unit's page: each accepted installation, with its ticket. */
  private async history(db: Kysely<DB>, unitIds: number[]): Promise<UnitHistoryEntry[]> {
    const rows = await db
      .selectFrom('installation_acceptances')
      .innerJoin('visits', 'visits.id', 'installation_acceptances.visit_id')
      .innerJoin('tickets', 'tickets.id', 'visits.ticket_id')
      .innerJoin('units', 'units.id', 'visits.unit_id')
      .select(['installation_acceptances.accepted_at', 'installation_acceptances.accepted_on', 'installation_acceptances.signer_name', 'visits.unit_id', 'units.serial_number', 'tickets.number', 'tickets.status'])
      .where('visits.unit_id', 'in', unitIds)
      .where('installation_acceptances.accepted_at', 'is not', null)
      .execute();
    return rows.map((r) => ({
      kind: 'installation_accepted',
      at: new Date(r.accepted_at!).toISOString(),
      unitId: r.unit_id!,
      serialNumber: r.serial_number,
      title: `${r.accepted_on} ${r.signer_name ?? ''}`.trim(),
      ticket: { number: r.number, status: r.status },
    }));
  }
}
