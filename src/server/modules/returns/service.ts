// Returns (issue 16): one facade over RMAs (rmas.ts, goods.ts), take-back repairs (take-backs.ts) and loaners
// (loaners.ts). It adds the RMAs and take-backs to every unit's service history (UnitsService.addHistorySource).
import type { Kysely } from 'kysely';
import type { UnitHistoryEntry } from '../../../shared/products.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { UnitsService } from '../products/units.js';
import type { TicketsService } from '../tickets/service.js';
import { Loaners } from './loaners.js';
import { RmaService } from './rmas.js';
import { TakeBacks } from './take-backs.js';

export class ReturnsService {
  readonly rmas: RmaService;
  readonly takeBacks: TakeBacks;
  readonly loaners: Loaners;

  constructor(ctx: AppContext, tickets: TicketsService, units: UnitsService) {
    this.rmas = new RmaService(ctx, tickets, units);
    this.takeBacks = new TakeBacks(ctx, tickets);
    this.loaners = new Loaners(ctx, tickets);
    units.addHistorySource((db, ids) => rmaHistory(db, ids));
    units.addHistorySource((db, ids) => this.takeBacks.history(db, ids));
  }
}

/**
 * A unit's RMAs: on the faulty unit (the request) and on its replacement (what it was exchanged from), with the
 * ticket; `title` reads "RMA-12" (the kind names its type: rma_return, rma_exchange, rma_repair, rma_exchanged).
 */
async function rmaHistory(db: Kysely<DB>, unitIds: number[]): Promise<UnitHistoryEntry[]> {
  const rows = await db
    .selectFrom('rma_items')
    .innerJoin('rmas', 'rmas.id', 'rma_items.rma_id')
    .innerJoin('tickets', 'tickets.id', 'rmas.ticket_id')
    .leftJoin('units as old', 'old.id', 'rma_items.unit_id')
    .leftJoin('units as repl', 'repl.id', 'rma_items.replacement_unit_id')
    .select(['rmas.id', 'rmas.kind', 'rmas.status', 'rmas.created_at', 'rmas.outcome_at', 'tickets.number', 'tickets.status as ticket_status', 'rma_items.unit_id', 'rma_items.replacement_unit_id', 'old.serial_number as old_serial', 'repl.serial_number as new_serial'])
    .where((eb) => eb.or([eb('rma_items.unit_id', 'in', unitIds), eb('rma_items.replacement_unit_id', 'in', unitIds)]))
    .execute();
  const out: UnitHistoryEntry[] = [];
  for (const r of rows) {
    const ticket = { number: r.number, status: r.ticket_status };
    if (r.unit_id !== null && unitIds.includes(r.unit_id)) {
      out.push({ kind: `rma_${r.kind}`, at: new Date(Number(r.created_at)).toISOString(), unitId: r.unit_id, serialNumber: r.old_serial, title: `RMA-${r.id}`, ticket, ...(r.replacement_unit_id !== null ? { relatedUnitId: r.replacement_unit_id } : {}) });
    }
    if (r.replacement_unit_id !== null && unitIds.includes(r.replacement_unit_id) && r.outcome_at !== null) {
      out.push({ kind: 'rma_exchanged', at: new Date(Number(r.outcome_at)).toISOString(), unitId: r.replacement_unit_id, serialNumber: r.new_serial, title: `RMA-${r.id} · ${r.old_serial ?? ''} → ${r.new_serial ?? ''}`, ticket, ...(r.unit_id !== null ? { relatedUnitId: r.unit_id } : {}) });
    }
  }
  return out;
}
