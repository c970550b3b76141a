// Importing units from CSV or XLSX: every row checked, the good ones written in one transaction, a report per row
// (row number as the spreadsheet shows it, field, translated reason). A row already on file for the same customer is
// skipped, so running a corrected file again never duplicates what the first run wrote.
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { UnitImportResult } from '../../../shared/products.js';
import type { Language } from '../../../shared/enums.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import { phoneDigits } from '../../domain/contact.js';
import { requireAccess } from '../../http/access.js';
import { AppError } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { UnitsService } from './units.js';

export const IMPORT_MAX_ROWS = 5000;

type Field = 'model' | 'serial' | 'phone' | 'customer' | 'purchaseDate' | 'proofRef' | 'installDate' | 'acceptanceDate' | 'extendedMonths';

/** Column headings understood, in both languages (case and surrounding spaces ignored). */
const HEADINGS: Record<Field, string[]> = {
  model: ['model', 'product_model', 'product model', '型号', '产品型号'],
  serial: ['serial', 'serial_number', 'serial number', 'sn', '序列号', '机身编号', '序列号/sn'],
  phone: ['phone', 'customer_phone', 'customer phone', '电话', '手机', '客户电话'],
  customer: ['customer', 'customer_name', 'customer name', 'name', '客户', '客户姓名', '客户名称'],
  purchaseDate: ['purchase_date', 'purchase date', '购买日期'],
  proofRef: ['proof', 'proof_ref', 'invoice', 'invoice number', '购买凭证', '凭证号', '发票号'],
  installDate: ['install_date', 'install date', '安装日期'],
  acceptanceDate: ['acceptance_date', 'acceptance date', '验收日期'],
  extendedMonths: ['extended_months', 'extended months', 'extended warranty months', '延保月数', '延保'],
};

export type Cell = string | number | Date | null;
export interface SheetRow {
  row: number;
  cells: Cell[];
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); a UTF-8 BOM is dropped. */
export function parseCsv(text: string): SheetRow[] {
  const src = text.replace(/^\uFEFF/, '');
  const rows: SheetRow[] = [];
  let field = '';
  let cells: Cell[] = [];
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  const endRow = () => {
    cells.push(field);
    if (cells.some((c) => String(c).trim() !== '')) rows.push({ row: rowStart, cells });
    cells = [];
    field = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') cells.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowStart = line;
    } else field += c;
  }
  if (field !== '' || cells.length) endRow();
  return rows;
}

export async function parseXlsx(data: Buffer): Promise<SheetRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError(400, 'validation_failed', 'error.import_unreadable', {}, { file: 'error.import_unreadable' });
  }
  const ws = wb.worksheets[0];
  const rows: SheetRow[] = [];
  ws?.eachRow({ includeEmpty: false }, (r, n) => {
    const cells: Cell[] = [];
    r.eachCell({ includeEmpty: true }, (cell, col) => {
      const v = cell.value as unknown;
      let out: Cell = null;
      if (v instanceof Date || typeof v === 'number' || typeof v === 'string') out = v;
      else if (v && typeof v === 'object') {
        const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
        if (o.richText) out = o.richText.map((p) => p.text).join('');
        else if (o.result instanceof Date || typeof o.result === 'number' || typeof o.result === 'string') out = o.result;
        else if (typeof o.text === 'string') out = o.text;
      }
      cells[col - 1] = out;
    });
    rows.push({ row: n, cells: Array.from(cells, (c) => c ?? null) });
  });
  return rows;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2025-03-10, 2025/3/10, 2025.3.10, a spreadsheet date or an Excel day number → YYYY-MM-DD; null when empty; false when not a date. */
export function toDate(v: Cell): string | null | false {
  if (v === null || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? false : v.toISOString().slice(0, 10);
  if (typeof v === 'number') {
    // Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was: day 25569 is 1970-01-01.
    if (v < 20000 || v > 80000) return false;
    return new Date(Math.round((v - 25569) * 86_400_000)).toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v.trim());
  if (!m) return false;
  const iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? false : iso;
}

const str = (v: Cell): string => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v)).trim();

interface GoodRow {
  row: number;
  model: string;
  serial: string;
  phone: string;
  digits: string | null;
  customer: string;
  purchaseDate: string | null;
  proofRef: string | null;
  installDate: string | null;
  acceptanceDate: string | null;
  extendedMonths: number;
}

export class UnitImport {
  constructor(
    private readonly ctx: AppContext,
    private readonly units: UnitsService,
  ) {}

  async run(actor: Actor, lang: Language, file: { filename: string; data: Buffer }): Promise<UnitImportResult> {
    requireAccess(actor, 'unit.write');
    const isXlsx = /\.xlsx$/i.test(file.filename) || file.data.subarray(0, 2).toString('latin1') === 'PK';
    const sheet = isXlsx ? await parseXlsx(file.data) : parseCsv(file.data.toString('utf8'));
    const [head, ...body] = sheet;
    const columns = new Map<Field, number>();
    (head?.cells ?? []).forEach((c, i) => {
      const name = str(c).toLowerCase();
      for (const [field, names] of Object.entries(HEADINGS) as [Field, string[]][]) if (names.includes(name) && !columns.has(field)) columns.set(field, i);
    });
    const missing = (['model', 'serial', 'phone'] as Field[]).filter((f) => !columns.has(f));
    if (missing.length) {
      const params = { columns: missing.map((f) => HEADINGS[f][0]).join(', ') };
      throw new AppError(400, 'validation_failed', 'error.import_columns', params, { file: { key: 'error.import_columns', params } });
    }
    if (body.length > IMPORT_MAX_ROWS) throw new AppError(400, 'validation_failed', 'error.import_too_many', { max: IMPORT_MAX_ROWS }, { file: { key: 'error.import_too_many', params: { max: IMPORT_MAX_ROWS } } });

    const errors: UnitImportResult['errors'] = [];
    const fail = (row: number, field: Field | null, key: string, params: Record<string, string | number> = {}) => errors.push({ row, field, message: t(lang, key, params) });
    const models = new Map((await this.ctx.db.read.selectFrom('products').select(['model']).execute()).map((p) => [p.model, true]));
    const seen = new Map<string, number>();
    const good: GoodRow[] = [];
    for (const r of body) {
      const get = (f: Field) => (columns.has(f) ? (r.cells[columns.get(f)!] ?? null) : null);
      const before = errors.length;
      const model = str(get('model'));
      const serial = str(get('serial'));
      const phone = str(get('phone'));
      if (!model) fail(r.row, 'model', 'import.required', { field: t(lang, 'import.field.model') });
      else if (!models.has(model)) fail(r.row, 'model', 'import.model_unknown', { model });
      if (!serial) fail(r.row, 'serial', 'import.required', { field: t(lang, 'import.field.serial') });
      else if (serial.length > 100) fail(r.row, 'serial', 'import.too_long', { field: t(lang, 'import.field.serial') });
      const digits = phoneDigits(phone);
      if (!phone) fail(r.row, 'phone', 'import.required', { field: t(lang, 'import.field.phone') });
      else if (!digits || digits.length < 5) fail(r.row, 'phone', 'import.phone_invalid', { value: phone });
      const dates: Partial<Record<Field, string | null>> = {};
      for (const f of ['purchaseDate', 'installDate', 'acceptanceDate'] as const) {
        const d = toDate(get(f));
        if (d === false) fail(r.row, f, 'import.date_invalid', { field: t(lang, `import.field.${f}`), value: str(get(f)) });
        else dates[f] = d;
      }
      const monthsText = str(get('extendedMonths'));
      const months = monthsText === '' ? 0 : Number(monthsText);
      if (!Number.isInteger(months) || months < 0 || months > 120) fail(r.row, 'extendedMonths', 'import.months_invalid', { value: monthsText });
      if (dates.acceptanceDate && dates.purchaseDate && dates.acceptanceDate < dates.purchaseDate) fail(r.row, 'acceptanceDate', 'import.acceptance_before_purchase');
      else if (dates.acceptanceDate && dates.installDate && dates.acceptanceDate < dates.installDate) fail(r.row, 'acceptanceDate', 'import.acceptance_before_install');
      const key = `${model}\u0000${serial}`;
      if (model && serial && seen.has(key)) fail(r.row, 'serial', 'import.duplicate_in_file', { other: seen.get(key)! });
      else if (model && serial) seen.set(key, r.row);
      if (errors.length > before) continue;
      good.push({ row: r.row, model, serial, phone, digits, customer: str(get('customer')), purchaseDate: dates.purchaseDate ?? null, proofRef: str(get('proofRef')) || null, installDate: dates.installDate ?? null, acceptanceDate: dates.acceptanceDate ?? null, extendedMonths: months });
    }

    const now = this.ctx.clock.now();
    const outcome = await this.ctx.db.write(async (trx) => {
      let created = 0;
      let skipped = 0;
      const late: typeof errors = [];
      for (const g of good) {
        const customerId = await this.customerFor(trx, g, now);
        if (customerId === null) {
          late.push({ row: g.row, field: 'customer', message: t(lang, 'import.customer_unknown', { phone: g.phone }) });
          continue;
        }
        const existing = await trx.selectFrom('units').select(['id', 'customer_id']).where('product_model', '=', g.model).where('serial_number', '=', g.serial).executeTakeFirst();
        if (existing) {
          if (existing.customer_id === customerId) skipped++;
          else late.push({ row: g.row, field: 'serial', message: t(lang, 'import.serial_taken', { serial: g.serial }) });
          continue;
        }
        await this.units.insert(trx, { customerId, productModel: g.model, serialNumber: g.serial, purchaseDate: g.purchaseDate, proofRef: g.proofRef, installDate: g.installDate, acceptanceDate: g.acceptanceDate, extendedMonths: g.extendedMonths }, now);
        created++;
      }
      return { created, skipped, late };
    });
    const all = [...errors, ...outcome.late].sort((a, b) => a.row - b.row);
    return { created: outcome.created, skipped: outcome.skipped, errors: all };
  }

  /** The customer with this phone; a new one when the row names them and nobody has the phone yet. */
  private async customerFor(trx: Kysely<DB>, g: GoodRow, now: number): Promise<number | null> {
    const found = await trx.selectFrom('customers').select('id').where('phone_digits', '=', g.digits).orderBy('id').executeTakeFirst();
    if (found) return found.id;
    if (!g.customer) return null;
    const row = await trx
      .insertInto('customers')
      .values({ kind: 'person', name: g.customer.slice(0, 100), company: null, phone: g.phone, phone_digits: g.digits, email: null, email_lower: null, address: null, tier: 'normal', special_needs: 0, special_needs_note: null, notes: null, created_at: now, updated_at: now, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
}
