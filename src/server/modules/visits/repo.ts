// Visits as rows and as the API shows them, and the queries the board, the free slots and the bookings share.
import { sql, type Kysely, type Selectable } from 'kysely';
import { VISIT_STEPS, type BoardVisit, type Visit, type VisitStep } from '../../../shared/visits.js';
import type { Database } from '../../db/connect.js';
import { readSql } from '../../db/fast.js';
import type { DB, VisitsTable } from '../../db/schema.js';
import { can, type Actor } from '../../domain/access.js';
import { maskPhone } from '../../domain/contact.js';
import { isoString as iso } from '../../domain/iso.js';
import { isLateArrival, type BookedVisit } from '../../domain/schedule.js';

export type VisitRow = Selectable<VisitsTable>;
/** A visit row with what the board shows of its ticket and engineer. */
export type VisitListRow = VisitRow & {
  number: string;
  title: string;
  product_model: string | null;
  customer_name: string;
  engineer_name: string;
  /** The engineer's service provider (modules/providers); null for the company's own. */
  provider_id: number | null;
  provider_name: string | null;
};

export const STEP_COLUMN: Record<VisitStep, 'accepted_at' | 'departed_at' | 'arrived_at' | 'work_done_at' | 'signed_at' | 'charged_at' | 'left_at'> = {
  accepted: 'accepted_at',
  departed: 'departed_at',
  arrived: 'arrived_at',
  work_done: 'work_done_at',
  signed: 'signed_at',
  charged: 'charged_at',
  left: 'left_at',
};

export function selectVisits(db: Kysely<DB>) {
  return db
    .selectFrom('visits')
    .innerJoin('tickets', 'tickets.id', 'visits.ticket_id')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .innerJoin('users', 'users.id', 'visits.engineer_id')
    .leftJoin('service_providers', 'service_providers.id', 'users.provider_id')
    .selectAll('visits')
    .select(['tickets.number', 'tickets.title', 'tickets.product_model', 'customers.name as customer_name', 'users.display_name as engineer_name', 'users.provider_id', 'service_providers.name as provider_name']);
}

export function toVisit(r: VisitListRow, actor: Actor, now: number): Visit {
  const steps = {} as Visit['steps'];
  for (const s of VISIT_STEPS) {
    const v = r[STEP_COLUMN[s]];
    steps[s] = v === null ? null : iso(v);
  }
  return {
    ...cardOf(r, now),
    unitId: r.unit_id,
    productModel: r.product_model,
    contactName: r.contact_name,
    contactPhone: can(actor, 'contact.unmasked') ? r.contact_phone : maskPhone(r.contact_phone),
    parts: JSON.parse(r.parts) as string[],
    // From the stock ledger: parts.ts withParts fills them in.
    reserved: [],
    used: [],
    loanerNeeded: r.loaner_needed === 1,
    note: r.note,
    steps,
    cancelReason: r.cancel_reason,
    createdAt: iso(r.created_at),
  };
}

type BoardRow = {
  id: number;
  number: string;
  title: string;
  customer_name: string;
  engineer_id: number;
  engineer_name: string;
  kind: string;
  status: string;
  window_start: number;
  window_end: number;
  address: string;
  area: string | null;
  arrived_at: number | null;
  version: number;
  provider_id: number | null;
  provider_name: string | null;
};

/**
 * The board's visits overlapping [from, to), not cancelled, by start. Raw SQL through readSql and straight into the
 * board's shape: at 2,000 visits, Kysely's row objects and the full Visit were most of the board's time.
 */
export async function boardVisits(db: Database, from: number, to: number, scope: { engineerId?: number; providerId?: number }, now: number): Promise<BoardVisit[]> {
  // One engineer's row, one service provider's engineers (visits/providers.ts engineerScope), or everyone's.
  const only = scope.engineerId !== undefined ? ' AND v.engineer_id = ?' : scope.providerId !== undefined ? ' AND u.provider_id = ?' : '';
  const text =
    'SELECT v.id, t.number, t.title, c.name AS customer_name, v.engineer_id, u.display_name AS engineer_name, v.kind, v.status, ' +
    'v.window_start, v.window_end, v.address, v.area, v.arrived_at, v.version, u.provider_id, p.name AS provider_name ' +
    'FROM visits v JOIN tickets t ON t.id = v.ticket_id JOIN customers c ON c.id = t.customer_id JOIN users u ON u.id = v.engineer_id ' +
    'LEFT JOIN service_providers p ON p.id = u.provider_id ' +
    `WHERE v.window_start < ? AND v.window_end > ? AND v.cancelled_at IS NULL${only} ` +
    'ORDER BY v.window_start, v.id';
  const rows = await readSql<BoardRow>(db, text, only ? [to, from, scope.engineerId ?? scope.providerId] : [to, from]);
  return rows.map((r) => cardOf(r, now));
}

/** The board's rows leave cancelled visits out; a full visit row says when it was cancelled. */
type CardRow = BoardRow & { cancelled_at?: number | null };

/** What the board's card shows of a visit; the full Visit adds the rest. */
function cardOf(r: CardRow, now: number): BoardVisit {
  // Late once past the window's end without an arrival, too: the dispatcher sees it before the engineer reports.
  const late = r.arrived_at !== null ? isLateArrival({ start: r.window_start, end: r.window_end }, r.arrived_at) : !r.cancelled_at && now > r.window_end;
  return {
    id: r.id,
    ticketNumber: r.number,
    ticketTitle: r.title,
    customerName: r.customer_name,
    engineer: { id: r.engineer_id, name: r.engineer_name },
    provider: r.provider_id !== null ? { id: r.provider_id, name: r.provider_name ?? `#${r.provider_id}` } : null,
    kind: r.kind as BoardVisit['kind'],
    status: r.status as BoardVisit['status'],
    windowStart: iso(r.window_start),
    windowEnd: iso(r.window_end),
    address: r.address,
    area: r.area,
    late,
    version: r.version,
  };
}

/** The visits that still hold their engineer's time: everything not cancelled (a finished visit did take the time). */
export async function bookedOf(db: Kysely<DB>, engineerIds: readonly number[], from: number, to: number, except?: number): Promise<Map<number, BookedVisit[]>> {
  const out = new Map<number, BookedVisit[]>(engineerIds.map((id) => [id, []]));
  if (engineerIds.length === 0) return out;
  let q = db
    .selectFrom('visits')
    .select(['id', 'engineer_id', 'window_start', 'window_end', 'area'])
    .where('engineer_id', 'in', [...engineerIds])
    .where('window_start', '<', to)
    .where('window_end', '>', from)
    .where('cancelled_at', 'is', null);
  if (except !== undefined) q = q.where('id', '<>', except);
  for (const r of await q.execute()) out.get(r.engineer_id)?.push({ id: r.id, start: r.window_start, end: r.window_end, area: r.area });
  return out;
}

/**
 * bookedOf for reads outside a transaction (free slots, suggestions): the same visits through readSql, whose rows cost
 * far less than Kysely's when a week of 50 engineers is 2,000 of them.
 */
export async function bookedForReading(db: Database, engineerIds: readonly number[], from: number, to: number): Promise<Map<number, BookedVisit[]>> {
  const out = new Map<number, BookedVisit[]>(engineerIds.map((id) => [id, []]));
  if (engineerIds.length === 0) return out;
  const text = `SELECT id, engineer_id, window_start, window_end, area FROM visits WHERE engineer_id IN (${engineerIds.map(() => '?').join(', ')}) AND window_start < ? AND window_end > ? AND cancelled_at IS NULL`;
  const rows = await readSql<{ id: number; engineer_id: number; window_start: number; window_end: number; area: string | null }>(db, text, [...engineerIds, to, from]);
  for (const r of rows) out.get(r.engineer_id)?.push({ id: r.id, start: r.window_start, end: r.window_end, area: r.area });
  return out;
}

export interface EngineerRow {
  id: number;
  name: string;
  skills: string[];
  area: string | null;
  areas: string[];
  productLines: string[];
  provider: { id: number; name: string; areas: string[]; productLines: string[] } | null;
}

/**
 * Active engineers with their profile (home area, areas, product lines), by name: the company's first, then the
 * service providers' (external; an inactive provider's are left out). `ids`: only these; `providerId`: only one
 * provider's people.
 */
export async function engineers(db: Kysely<DB>, ids?: readonly number[], providerId?: number): Promise<EngineerRow[]> {
  let q = db
    .selectFrom('users')
    .leftJoin('engineer_profiles', 'engineer_profiles.user_id', 'users.id')
    .leftJoin('service_providers', 'service_providers.id', 'users.provider_id')
    .select(['users.id', 'users.display_name', 'users.skills', 'users.provider_id', 'engineer_profiles.area', 'engineer_profiles.areas', 'engineer_profiles.product_lines'])
    .select(['service_providers.name as provider_name', 'service_providers.areas as provider_areas', 'service_providers.product_lines as provider_lines', 'service_providers.active as provider_active'])
    .where('users.role', '=', 'engineer')
    .where('users.active', '=', 1);
  if (ids) q = q.where('users.id', 'in', ids.length > 0 ? [...ids] : [-1]);
  if (providerId !== undefined) q = q.where('users.provider_id', '=', providerId);
  const rows = await q.orderBy(sql`CASE WHEN users.provider_id IS NULL THEN 0 ELSE 1 END`).orderBy('users.display_name').orderBy('users.id').execute();
  return rows
    .filter((r) => r.provider_id === null || r.provider_active === 1)
    .map((r) => ({
      id: r.id,
      name: r.display_name,
      skills: parseList(r.skills),
      area: r.area ?? null,
      areas: parseList(r.areas ?? '[]'),
      productLines: parseList(r.product_lines ?? '[]'),
      provider: r.provider_id === null ? null : { id: r.provider_id, name: r.provider_name ?? '', areas: parseList(r.provider_areas ?? '[]'), productLines: parseList(r.provider_lines ?? '[]') },
    }));
}

/** What the board and the profile endpoint show of an engineer. */
export function boardEngineer(e: EngineerRow) {
  return { id: e.id, name: e.name, area: e.area, areas: e.areas, productLines: e.productLines, provider: e.provider ? { id: e.provider.id, name: e.provider.name } : null };
}

export function parseList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
