// Generates a large, realistic ticket base fast: rows written straight into the app's own schema with better-sqlite3
// in big transactions (customers, units, tickets, their search index and 'created' events), as the app would have them.
import BetterSqlite3 from 'better-sqlite3';
import { OPEN_STATUSES, type TicketStatus } from '../../src/shared/enums.js';
import { formatTicketNumber, numberingMonth } from '../../src/server/domain/numbering.js';
import { joinTokens } from '../../src/server/domain/search.js';
import { isOpen } from '../../src/server/domain/workflow.js';
import { ticketSearchTokens } from '../../src/server/domain/search.js';
import { DEPARTMENTS } from '../../src/server/seed/base.js';
import { chance, createRng, DEMO_PRODUCTS, generateCustomers, generateTicketContent, int, pick, weighted } from '../../src/server/seed/demo-content.js';
import type { TicketHistory } from './sla-history.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface DatasetOptions {
  tickets: number;
  customers: number;
  days: number;
  seed: number;
  now: number;
  /** Share of tickets still open regardless of age (1 = all open); default: falling with age, see openProbability. */
  openShare?: number;
  /** Write the search index (default true); a benchmark that never searches can skip it. */
  searchIndex?: boolean;
  /** Stored SLA state per ticket (sla-history.ts): called once with the staff, then per ticket inside the transaction. */
  clocks?: (staff: Staff) => (t: GeneratedTicket) => TicketHistory;
}

/** A ticket as written, with what the SLA policy choice needs. */
export interface GeneratedTicket {
  id: number;
  number: string;
  title: string;
  description: string;
  priority: string;
  demand: string | null;
  status: TicketStatus;
  reportedAt: number;
  createdAt: number;
  closedAt: number | null;
  departmentId: number;
  assigneeId: number | null;
  createdBy: number;
  customerTier: string;
  productModel: string;
  serviceType: string | null;
}

export interface Staff {
  /** Department code → agents (customer service) or engineers, six each. */
  byDepartment: Map<string, number[]>;
  /** Department id → its manager (also stored as departments.manager_id). */
  managers: Map<number, number>;
  directors: number[];
  names: Map<number, string>;
}

export interface DatasetSummary {
  tickets: number;
  open: number;
  customers: number;
  byDepartment: { id: number; code: string; tickets: number; open: number }[];
  /** Tickets whose title or description contains the word, per word counted. */
  wordCounts: Record<string, number>;
  /** Rows written by the clocks hook: timeline entries and notifications of past sweeper passes. */
  slaEvents: number;
  notifications: number;
  elapsedMs: number;
  fileBytes: number;
}

/** Where a category's tickets go; product problems spread over tech support, production and quality. */
function departmentFor(rng: () => number, category: string): string {
  const top = category.split('.')[0];
  if (top === 'product') return weighted(rng, [['tech_support', 60], ['production', 25], ['quality', 15]] as const);
  if (top === 'logistics') return 'logistics';
  return 'customer_service';
}

/** The share of tickets still open falls with age: most of the last fortnight, about a fifth of older ones (≈ 30 % overall on 90 days). */
function openProbability(ageDays: number): number {
  return ageDays < 14 ? 0.75 : 0.217;
}

const OPEN_WEIGHTS: readonly (readonly [TicketStatus, number])[] = [
  ['new', 15], ['assigned', 20], ['in_progress', 30], ['waiting_customer', 12], ['pending_review', 8], ['pending_confirmation', 10], ['reopened', 5],
];

/**
 * Staff who cannot sign in ('!' password hash): six agents (customer service) or engineers per department, a manager per
 * department (departments.manager_id: escalations and stakeholder notifications go to them) and one after-sales
 * director; every one with an e-mail address, as notifications are mailed to it when mail is configured.
 */
export function seedStaff(db: BetterSqlite3.Database, createdAt: number): Staff {
  const departments = db.prepare('SELECT id, code FROM departments ORDER BY id').all() as { id: number; code: string }[];
  if (departments.length !== DEPARTMENTS.length) throw new Error('base data missing: run migrate + ensureBaseData first');
  const staff: Staff = { byDepartment: new Map(), managers: new Map(), directors: [], names: new Map() };
  db.transaction(() => {
    const insertUser = db.prepare(
      `INSERT INTO users (username, display_name, password_hash, role, department_id, customer_id, skills, email, phone, active, created_at)
       VALUES (?, ?, '!', ?, ?, NULL, '[]', ?, NULL, 1, ?)`,
    );
    const add = (username: string, name: string, role: string, departmentId: number | null) => {
      const id = Number(insertUser.run(username, name, role, departmentId, `${username}@aftercare.example`, createdAt).lastInsertRowid);
      staff.names.set(id, name);
      return id;
    };
    const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
    for (const d of departments) {
      const ids: number[] = [];
      for (let k = 0; k < 6; k++) {
        const role = d.code === 'customer_service' ? 'agent' : 'engineer';
        ids.push(add(`bench_${d.code}_${k}`, `${surnames[(d.id * 3 + k) % surnames.length]}${role === 'agent' ? '客服' : '工'}${k + 1}`, role, d.id));
      }
      staff.byDepartment.set(d.code, ids);
    }
    for (const d of departments) {
      const id = add(`bench_${d.code}_mgr`, `${surnames[(d.id * 7) % surnames.length]}经理`, 'manager', d.id);
      db.prepare('UPDATE departments SET manager_id = ? WHERE id = ?').run(id, d.id);
      staff.managers.set(d.id, id);
    }
    staff.directors.push(add('bench_director', '售后总监', 'director', null));
  })();
  return staff;
}

export function generateDataset(file: string, opts: DatasetOptions, words: string[]): DatasetSummary {
  const t0 = performance.now();
  const rng = createRng(opts.seed);
  const db = new BetterSqlite3(file);
  // Re-creatable data: no fsync per transaction while generating (the server reopens with synchronous=FULL).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = ON');
  // Room for the indexes being filled in random order (the notification keys): 256 MiB of page cache.
  db.pragma('cache_size = -262144');

  const departments = db.prepare('SELECT id, code FROM departments').all() as { id: number; code: string }[];
  if (departments.length !== DEPARTMENTS.length) throw new Error('base data missing: run migrate + ensureBaseData first');
  const deptId = new Map(departments.map((d) => [d.code, d.id]));
  const since = opts.now - opts.days * DAY;

  // Products and staff (seedStaff).
  db.transaction(() => {
    const insertProduct = db.prepare('INSERT OR IGNORE INTO products (model, name, line, warranty_months) VALUES (?, ?, ?, ?)');
    for (const p of DEMO_PRODUCTS) insertProduct.run(p.model, p.name, p.line, p.warrantyMonths);
  })();
  const staffOf = seedStaff(db, since - 30 * DAY);
  const staff = staffOf.byDepartment;
  const agents = staff.get('customer_service')!;
  const clocksOf = opts.clocks?.(staffOf) ?? null;

  // Customers with their units, as seedDemo writes them.
  const generated = generateCustomers(opts.customers, rng, { today: new Date(opts.now).toISOString().slice(0, 10) });
  const customers: { id: number; name: string; company: string | null; phone: string; tier: string; units: { id: number; model: string; serial: string; purchase: string }[] }[] = [];
  db.transaction(() => {
    const insertCustomer = db.prepare(
      `INSERT INTO customers (kind, name, company, phone, phone_digits, email, email_lower, address, tier, special_needs, special_needs_note, notes, created_at, updated_at, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    const insertUnit = db.prepare(
      'INSERT INTO units (customer_id, product_model, serial_number, purchase_date, install_date, warranty_end, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)',
    );
    const at = since - 30 * DAY;
    for (const c of generated) {
      const r = insertCustomer.run(
        c.kind, c.name, c.company, c.phone, c.phone.replace(/\D/g, ''), c.email, c.email?.toLowerCase() ?? null, c.address,
        c.tier, c.specialNeeds ? 1 : 0, c.specialNeedsNote, c.notes, at, at,
      );
      const id = Number(r.lastInsertRowid);
      const units = c.units.map((u) => ({
        id: Number(insertUnit.run(id, u.productModel, u.serialNumber, u.purchaseDate, u.installDate, at).lastInsertRowid),
        model: u.productModel,
        serial: u.serialNumber,
        purchase: u.purchaseDate,
      }));
      customers.push({ id, name: c.name, company: c.company, phone: c.phone, tier: c.tier, units });
    }
  })();

  const insertTicket = db.prepare(
    `INSERT INTO tickets (number, title, description, status, is_open, priority, channel, reported_at, created_at, updated_at, closed_at,
       customer_id, unit_id, product_model, serial_number, purchase_date, occurred_at, occurred_place, situation, demand, first_judgement,
       category, service_type, fault_class, department_id, assignee_id, created_by, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFts = db.prepare('INSERT INTO ticket_fts (rowid, tokens) VALUES (?, ?)');
  const insertEvent = db.prepare("INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES (?, ?, ?, 'created', ?)");
  const insertAnyEvent = db.prepare('INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES (?, ?, ?, ?, ?)');
  // Migration 0003 stores the notification's de-duplication key in its own column (with a unique index).
  const keyColumn = (db.prepare('SELECT count(*) AS n FROM pragma_table_info(?) WHERE name = ?').get('notifications', 'dedupe_key') as { n: number }).n > 0;
  const insertNotification = keyColumn
    ? db.prepare('INSERT INTO notifications (user_id, ticket_id, kind, data, created_at, read_at, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?)')
    : db.prepare('INSERT INTO notifications (user_id, ticket_id, kind, data, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?)');
  const updates = new Map<string, BetterSqlite3.Statement>();
  let slaEvents = 0;
  let notifications = 0;
  const products = new Map(DEMO_PRODUCTS.map((p) => [p.model, p]));
  const counters = new Map<string, number>();
  const perDept = new Map(departments.map((d) => [d.id, { id: d.id, code: d.code, tickets: 0, open: 0 }]));
  const wordCounts: Record<string, number> = Object.fromEntries(words.map((w) => [w, 0]));
  let open = 0;

  // Creation times over the period in China office hours (08:00–20:00, UTC+8), sorted: the app assigns ids in creation
  // order, so id order and created_at order agree as they would in real use.
  const times = new Float64Array(opts.tickets);
  for (let i = 0; i < opts.tickets; i++) {
    const day = Math.floor(rng() * (opts.days - 1));
    // UTC midnight is 08:00 in China.
    times[i] = Math.min(opts.now - 60_000, Math.ceil(since / DAY) * DAY + day * DAY + int(rng, 0, 12 * 60 - 1) * 60_000 + int(rng, 0, 59_999));
  }
  times.sort();

  const BATCH = 10_000;
  for (let start = 0; start < opts.tickets; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(opts.tickets, start + BATCH); i++) {
        const createdAt = times[i];
        const ageDays = (opts.now - createdAt) / DAY;
        const customer = pick(rng, customers);
        const unit = pick(rng, customer.units);
        const product = products.get(unit.model) ?? DEMO_PRODUCTS[0];
        const content = generateTicketContent(rng, product);
        const dept = deptId.get(departmentFor(rng, content.category))!;
        const status: TicketStatus = chance(rng, opts.openShare ?? openProbability(ageDays))
          ? weighted(rng, OPEN_WEIGHTS)
          : chance(rng, 0.9) ? 'closed' : 'cancelled';
        const openNow = isOpen(status);
        const assignee = status === 'new' || status === 'cancelled' ? null : pick(rng, staff.get(departments.find((d) => d.id === dept)!.code)!);
        const month = numberingMonth(createdAt);
        const serial = (counters.get(month) ?? 0) + 1;
        counters.set(month, serial);
        const number = formatTicketNumber(month, serial);
        const closedAt = openNow ? null : Math.min(opts.now - 30_000, createdAt + int(rng, 2, 96) * HOUR);
        const updatedAt = closedAt ?? Math.min(opts.now - 30_000, createdAt + (status === 'new' ? 0 : int(rng, 1, 48) * HOUR));
        const createdBy = pick(rng, agents);
        const values = {
          number,
          title: content.title,
          description: content.description,
          product_model: unit.model,
          serial_number: unit.serial,
        };
        const reportedAt = createdAt - int(rng, 0, 90) * 60_000;
        const r = insertTicket.run(
          number, content.title, content.description, status, openNow ? 1 : 0, content.priority, content.channel,
          reportedAt, createdAt, updatedAt, closedAt,
          customer.id, unit.id, unit.model, unit.serial, unit.purchase, createdAt - int(rng, 0, 72) * HOUR,
          content.occurredPlace, content.situation, content.demand, content.firstJudgement,
          content.category, content.serviceType, content.faultClass, dept, assignee, createdBy,
          status === 'new' ? 1 : int(rng, 2, 6),
        );
        const id = Number(r.lastInsertRowid);
        // The app's own token recipe, so the generated index is exactly what the app writes.
        if (opts.searchIndex !== false) insertFts.run(id, joinTokens(ticketSearchTokens('sqlite', values, customer)));
        insertEvent.run(
          id,
          createdAt,
          createdBy,
          JSON.stringify({
            changes: [
              { field: 'status', before: null, after: 'new' },
              { field: 'priority', before: null, after: content.priority },
              { field: 'departmentId', before: null, after: dept },
            ],
          }),
        );
        if (clocksOf) {
          const h = clocksOf({
            id, number, title: content.title, description: content.description, priority: content.priority, demand: content.demand,
            status, reportedAt, createdAt, closedAt, departmentId: dept, assigneeId: assignee, createdBy,
            customerTier: customer.tier, productModel: unit.model, serviceType: content.serviceType,
          });
          const keys = Object.keys(h.columns);
          const key = keys.join(',');
          let update = updates.get(key);
          if (!update) updates.set(key, (update = db.prepare(`UPDATE tickets SET ${keys.map((k) => `"${k}" = ?`).join(', ')} WHERE id = ?`)));
          update.run(...keys.map((k) => h.columns[k]), id);
          for (const e of h.events) insertAnyEvent.run(id, e.at, e.actorId, e.kind, e.data);
          // Read within two days, as people do.
          for (const n of h.notifications) {
            const readAt = n.at < opts.now - 2 * DAY ? n.at + HOUR : null;
            if (keyColumn) insertNotification.run(n.userId, id, n.kind, n.data, n.at, readAt, n.dedupeKey);
            else insertNotification.run(n.userId, id, n.kind, n.data, n.at, readAt);
          }
          slaEvents += h.events.length;
          notifications += h.notifications.length;
        }
        const d = perDept.get(dept)!;
        d.tickets++;
        if (openNow) {
          d.open++;
          open++;
        }
        for (const w of words) if (content.title.includes(w) || content.description.includes(w)) wordCounts[w]++;
      }
    })();
  }
  db.transaction(() => {
    const upsert = db.prepare('INSERT INTO number_counters (month, value) VALUES (?, ?) ON CONFLICT (month) DO UPDATE SET value = excluded.value');
    for (const [month, value] of counters) upsert.run(month, value);
    // The workload counters least-loaded routing reads (RoutingService.adjustLoad keeps them in the app).
    db.exec('INSERT INTO user_load (user_id, open_assigned) SELECT assignee_id, count(*) FROM tickets WHERE is_open = 1 AND assignee_id IS NOT NULL GROUP BY assignee_id');
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return {
    tickets: opts.tickets,
    open,
    customers: customers.length,
    byDepartment: [...perDept.values()],
    wordCounts,
    slaEvents,
    notifications,
    elapsedMs: performance.now() - t0,
    fileBytes: pageCount * pageSize,
  };
}
