// Spare parts reports (SPEC §9: turnover ≥ 80 %): consumption per part, per engineer or per month, and stock
// turnover — consumed quantity and cost over the time-weighted average on-hand of the period — with exports to CSV
// and XLSX. Days are China days (Asia/Shanghai, no daylight saving); `to` is inclusive.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { ConsumptionQuery, ConsumptionReport, PeriodQuery, TurnoverReport } from '../../../shared/parts.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { averageOnHand, turnover } from '../../domain/stock.js';
import { requireAccess } from '../../http/access.js';
import { Invalid } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { TicketCore } from '../tickets/core.js';

const DAY = 86_400_000;
const CHINA = 8 * 3600_000;
const chinaDay = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 10);
const dayStart = (d: string) => Date.parse(`${d}T00:00:00+08:00`);

type Period = { from: string; to: string; fromMs: number; toMs: number };
export type Table = { headers: string[]; rows: (string | number | null)[][] };

export class PartsReports {
  constructor(
    private readonly ctx: AppContext,
    private readonly core: TicketCore,
  ) {}

  private period(q: z.infer<typeof PeriodQuery>): Period {
    const to = q.to ?? chinaDay(this.ctx.clock.now());
    const from = q.from ?? chinaDay(dayStart(to) - 29 * DAY);
    const fromMs = dayStart(from);
    const toMs = dayStart(to) + DAY;
    if (fromMs >= toMs) throw Invalid({ to: 'field.report_period' });
    return { from, to, fromMs, toMs };
  }

  async consumption(actor: Actor, q: z.infer<typeof ConsumptionQuery>, lang: Language): Promise<z.infer<typeof ConsumptionReport>> {
    requireAccess(actor, 'parts.report');
    const p = this.period(q);
    const rows = await this.ctx.db.read
      .selectFrom('stock_moves as m')
      .innerJoin('parts as p', 'p.id', 'm.part_id')
      .leftJoin('stock_locations as l', 'l.id', 'm.from_location_id')
      .select(['m.qty', 'm.unit_cost', 'm.created_at', 'm.created_by', 'l.owner_id', 'p.code', 'p.name_zh', 'p.name_en'])
      .where('m.kind', '=', 'consume')
      .where('m.created_at', '>=', p.fromMs)
      .where('m.created_at', '<', p.toMs)
      .execute();
    const groups = new Map<string, { key: string; label: string; qty: number; cost: number; moves: number }>();
    for (const r of rows) {
      let key: string;
      let label: string;
      if (q.by === 'part') {
        key = r.code;
        label = `${r.code} ${lang === 'en' && r.name_en ? r.name_en : r.name_zh}`;
      } else if (q.by === 'engineer') {
        // Parts used from a van are that engineer's; from a warehouse, whoever recorded them.
        const userId = r.owner_id ?? r.created_by;
        key = String(userId);
        label = (await this.core.userRef(userId))!.name;
      } else {
        key = chinaDay(r.created_at).slice(0, 7);
        label = key;
      }
      const g = groups.get(key) ?? { key, label, qty: 0, cost: 0, moves: 0 };
      g.qty += r.qty;
      g.cost += r.qty * r.unit_cost;
      g.moves += 1;
      groups.set(key, g);
    }
    const list = [...groups.values()].sort((a, b) => (q.by === 'month' ? a.key.localeCompare(b.key) : b.cost - a.cost || a.key.localeCompare(b.key)));
    return { from: p.from, to: p.to, by: q.by, rows: list, total: { qty: list.reduce((n, g) => n + g.qty, 0), cost: list.reduce((n, g) => n + g.cost, 0) } };
  }

  async turnover(actor: Actor, q: z.infer<typeof PeriodQuery>, lang: Language): Promise<z.infer<typeof TurnoverReport>> {
    requireAccess(actor, 'parts.report');
    const p = this.period(q);
    const db = this.ctx.db.read;
    // On-hand leaves `from` and arrives at `to`; reservations do not move it. Summed over locations, a transfer is 0.
    const net = sql<number>`CASE WHEN kind IN ('reserve', 'release') THEN 0 ELSE (CASE WHEN to_location_id IS NULL THEN 0 ELSE qty END) - (CASE WHEN from_location_id IS NULL THEN 0 ELSE qty END) END`;
    const starts = await db.selectFrom('stock_moves').select(['part_id', sql<number>`SUM(${net})`.as('n')]).where('created_at', '<', p.fromMs).groupBy('part_id').execute();
    const inPeriod = await db
      .selectFrom('stock_moves')
      .select(['part_id', 'kind', 'qty', 'unit_cost', 'created_at', net.as('net')])
      .where('created_at', '>=', p.fromMs)
      .where('created_at', '<', p.toMs)
      .where('kind', 'not in', ['reserve', 'release'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const parts = await db.selectFrom('parts').select(['id', 'code', 'name_zh', 'name_en']).orderBy('code').execute();
    const rows = parts
      .map((part) => {
        const start = Number(starts.find((s) => s.part_id === part.id)?.n ?? 0);
        const mine = inPeriod.filter((m) => m.part_id === part.id);
        const consumed = mine.filter((m) => m.kind === 'consume');
        const consumedQty = consumed.reduce((n, m) => n + m.qty, 0);
        const consumedCost = consumed.reduce((n, m) => n + m.qty * m.unit_cost, 0);
        const avg = averageOnHand(start, mine.map((m) => ({ at: m.created_at, delta: Number(m.net) })), p.fromMs, p.toMs);
        return { partId: part.id, code: part.code, name: lang === 'en' && part.name_en ? part.name_en : part.name_zh, consumedQty, consumedCost, averageOnHand: Math.round(avg * 100) / 100, turnover: turnover(consumedQty, avg) };
      })
      .filter((r) => r.consumedQty > 0 || r.averageOnHand > 0);
    const consumedQty = rows.reduce((n, r) => n + r.consumedQty, 0);
    const avg = rows.reduce((n, r) => n + r.averageOnHand, 0);
    return { from: p.from, to: p.to, rows, total: { consumedQty, consumedCost: rows.reduce((n, r) => n + r.consumedCost, 0), averageOnHand: Math.round(avg * 100) / 100, turnover: turnover(consumedQty, avg) } };
  }

  consumptionTable(r: z.infer<typeof ConsumptionReport>, lang: Language): Table {
    return {
      headers: [t(lang, `report.parts.by_${r.by}`), t(lang, 'report.parts.qty'), t(lang, 'report.parts.cost_yuan'), t(lang, 'report.parts.moves')],
      rows: r.rows.map((g) => [g.label, g.qty, g.cost / 100, g.moves]),
    };
  }

  turnoverTable(r: z.infer<typeof TurnoverReport>, lang: Language): Table {
    return {
      headers: [t(lang, 'report.parts.code'), t(lang, 'report.parts.name'), t(lang, 'report.parts.consumed_qty'), t(lang, 'report.parts.cost_yuan'), t(lang, 'report.parts.average_on_hand'), t(lang, 'report.parts.turnover')],
      rows: r.rows.map((x) => [x.code, x.name, x.consumedQty, x.consumedCost / 100, x.averageOnHand, x.turnover]),
    };
  }
}

/** RFC 4180 CSV with a BOM, so Excel opens the Chinese text as UTF-8. */
export function toCsv(table: Table): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${[table.headers, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export async function toXlsx(table: Table, sheet: string): Promise<Buffer> {
  // Loaded on the first export only: every worker thread builds the services, and exceljs is large.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(table.headers).font = { bold: true };
  for (const r of table.rows) ws.addRow(r);
  ws.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
