// Products and units (issue 16; SPEC §9; seed 002): the catalog with its fee standard, units with proof of purchase,
// installation acceptance and extended warranty, the warranty status everywhere a unit shows, replacement carrying the
// history over, and the CSV / XLSX import with its per-row report and no duplicates on a second run.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

function multipart(filename: string, content: Buffer) {
  const boundary = '----aftercare' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

// The test clock: 2026-11-23 in Beijing.
const TODAY = '2026-11-23';

describe.each(TEST_DIALECTS)('products and units on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = (client: string, filename: string, content: Buffer, lang = 'zh-CN') => {
    const m = multipart(filename, content);
    return t.app.inject({ method: 'POST', url: '/api/units/import', headers: { authorization: `Bearer ${t.as[client].token}`, 'content-type': m.contentType, 'accept-language': lang }, payload: m.payload });
  };
  const product = async (over: Record<string, unknown> = {}) => {
    const res = await t.as.manager.post('/api/products', { model: `T-${Math.random().toString(36).slice(2, 8)}`, name: '测试空调', line: 'ac', warrantyMonths: 12, ...over });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; model: string; version: number };
  };
  const unit = async (body: Record<string, unknown>, client = 'agent') => {
    const res = await t.as[client].post('/api/units', { customerId: t.customers.own, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('keeps a catalog with fee standard and return window; managers edit, others read; errors are translated', async () => {
    const p = await product({ needsInstallation: true, calloutFee: 5000, labourFees: { hardware: 15000, usage: 3000 }, returnDays: 15 });
    const got = (await t.as.agent.get(`/api/products/${p.id}`)).json();
    expect(got).toMatchObject({ needsInstallation: true, calloutFee: 5000, labourFees: { hardware: 15000, usage: 3000 }, returnDays: 15, compatibleParts: [] });
    expect((await t.as.agent.post('/api/products', { model: 'X-1', name: 'x', line: 'ac', warrantyMonths: 12 })).statusCode).toBe(403);
    const dup = await t.as.manager.post('/api/products', { model: p.model, name: 'x', line: 'ac', warrantyMonths: 12 }, { 'accept-language': 'en' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields.model).toBe('This model already exists');
    const badFee = await t.as.manager.post('/api/products', { model: 'X-2', name: 'x', line: 'ac', warrantyMonths: 12, labourFees: { welding: 100 } });
    expect(badFee.json().error.fields.labourFees).toBe('收费标准中有不存在的故障类别');
    // Amounts are whole fen.
    expect((await t.as.manager.post('/api/products', { model: 'X-3', name: 'x', line: 'ac', warrantyMonths: 12, calloutFee: 50.5 })).statusCode).toBe(400);
    const found = (await t.as.qa.get(`/api/products?q=${encodeURIComponent(p.model)}`)).json().items;
    expect(found.map((x: { id: number }) => x.id)).toEqual([p.id]);
  });

  it('edits the fault classes; a class still priced cannot be dropped; new classes can be priced', async () => {
    const list = (await t.as.agent.get('/api/fault-classes')).json().items;
    expect(list.map((c: { code: string }) => c.code)).toEqual(['hardware', 'software', 'usage']);
    const drop = await t.as.manager.request('PUT', '/api/fault-classes', { items: list.filter((c: { code: string }) => c.code !== 'hardware') });
    expect(drop.statusCode).toBe(400);
    expect(drop.json().error.fields.items).toMatch(/仍在使用/);
    const add = await t.as.admin.request('PUT', '/api/fault-classes', { items: [...list, { code: 'installation', nameZh: '安装问题', nameEn: 'Installation' }] });
    expect(add.statusCode, add.body).toBe(200);
    expect((await t.as.agent.request('PUT', '/api/fault-classes', { items: list })).statusCode).toBe(403);
    await product({ labourFees: { installation: 8000 } });
  });

  it('derives the warranty: proven purchase, installation acceptance, extension, unknown without proof', async () => {
    const plain = await product({ warrantyMonths: 12 });
    const installed = await product({ warrantyMonths: 12, needsInstallation: true });
    const proven = await unit({ productModel: plain.model, serialNumber: 'P-1', purchaseDate: '2026-01-10', proofRef: 'INV-001' });
    expect(proven.warranty).toEqual({ status: 'in', start: '2026-01-10', end: '2027-01-09', basis: 'purchase', reason: 'purchase' });
    expect(proven.underWarranty).toBe(true);
    const old = await unit({ productModel: plain.model, serialNumber: 'P-2', purchaseDate: '2024-01-10', proofRef: 'INV-002' });
    expect(old.warranty.status).toBe('out');
    const extended = await unit({ productModel: plain.model, serialNumber: 'P-3', purchaseDate: '2024-01-10', proofRef: 'INV-003', extendedMonths: 24 });
    expect(extended.warranty).toMatchObject({ status: 'in', end: '2027-01-09' });
    const noProof = await unit({ productModel: plain.model, serialNumber: 'P-4', purchaseDate: '2026-01-10' });
    expect(noProof.warranty).toMatchObject({ status: 'unknown', basis: 'none', reason: 'proof_missing', end: null });
    expect(noProof.underWarranty).toBeNull();
    // Needs installation: bought two years ago, accepted this spring → covered from the acceptance.
    const accepted = await unit({ productModel: installed.model, serialNumber: 'I-1', purchaseDate: '2024-10-01', installDate: '2026-03-01', acceptanceDate: '2026-03-05' });
    expect(accepted.warranty).toMatchObject({ status: 'in', start: '2026-03-05', basis: 'installation_acceptance', reason: 'accepted' });
    // Recording the proof later turns unknown into a status, and the stored end follows (the list filter reads it).
    const patched = await t.as.engineer.patch(`/api/units/${noProof.id}`, { proofRef: 'INV-004', version: noProof.version });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().warranty).toMatchObject({ status: 'in', end: '2027-01-09' });
    const stale = await t.as.engineer.patch(`/api/units/${noProof.id}`, { proofRef: null, version: noProof.version });
    expect(stale.statusCode).toBe(409);
    const inList = (await t.as.agent.get(`/api/units?model=${encodeURIComponent(plain.model)}&warranty=in`)).json().items.map((u: { serialNumber: string }) => u.serialNumber);
    expect(inList.sort()).toEqual(['P-1', 'P-3', 'P-4']);
    const outList = (await t.as.agent.get(`/api/units?model=${encodeURIComponent(plain.model)}&warranty=out`)).json().items.map((u: { serialNumber: string }) => u.serialNumber);
    expect(outList).toEqual(['P-2']);
    // The catalog's term changes: every unit of the model is derived again.
    const cur = (await t.as.manager.get(`/api/products/${plain.id}`)).json();
    expect((await t.as.manager.patch(`/api/products/${plain.id}`, { warrantyMonths: 36, version: cur.version })).statusCode).toBe(200);
    const outAfter = (await t.as.agent.get(`/api/units?model=${encodeURIComponent(plain.model)}&warranty=out`)).json().items;
    expect(outAfter).toEqual([]);
    // Bad dates are refused with a translated field message.
    const bad = await t.as.agent.post('/api/units', { customerId: t.customers.own, productModel: installed.model, serialNumber: 'I-2', purchaseDate: '2026-03-01', acceptanceDate: '2026-02-01' }, { 'accept-language': 'en' });
    expect(bad.json().error.fields.acceptanceDate).toBe('The acceptance date cannot be before the purchase date');
  });

  it('keeps a serial unique per model, and searches by serial, model, customer name and phone', async () => {
    const a = await product();
    const b = await product();
    await unit({ productModel: a.model, serialNumber: 'DUP-1' });
    const dup = await t.as.agent.post('/api/units', { customerId: t.customers.other, productModel: a.model, serialNumber: 'DUP-1' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields.serialNumber).toBe('该型号下已有相同序列号的设备');
    await unit({ productModel: b.model, serialNumber: 'DUP-1', customerId: t.customers.other });
    const serials = async (q: string) => (await t.as.agent.get(`/api/units?q=${encodeURIComponent(q)}&limit=200`)).json().items as { serialNumber: string; productModel: string; customer: { name: string; phone: string } }[];
    expect((await serials('DUP-1')).map((u) => u.productModel).sort()).toEqual([a.model, b.model].sort());
    expect((await serials(a.model)).map((u) => u.serialNumber)).toEqual(['DUP-1']);
    const byName = await serials('李娜');
    expect(byName.some((u) => u.productModel === b.model)).toBe(true);
    const byPhone = await serials('13987654321');
    expect(byPhone.some((u) => u.productModel === b.model)).toBe(true);
    // QA sees units, phones masked.
    const qa = (await t.as.qa.get(`/api/units?q=${encodeURIComponent(b.model)}`)).json().items[0];
    expect(qa.customer.phone).not.toBe('13987654321');
    expect((await t.as.customer.get('/api/units')).statusCode).toBe(403);
    const look = (await t.as.agent.get(`/api/units/lookup?serial=DUP-1&model=${encodeURIComponent(a.model)}`)).json().items;
    expect(look).toHaveLength(1);
    expect(look[0].warranty.status).toBe('unknown');
  });

  it('replaces a unit: both serials recorded, the new unit carries the old one’s tickets in its history', async () => {
    const p = await product();
    const old = await unit({ productModel: p.model, serialNumber: 'OLD-1', purchaseDate: '2026-02-01', proofRef: 'INV-9' });
    const ticket = await t.as.agent.post('/api/tickets', { title: '压缩机不启动', description: '开机后压缩机不工作', customerId: t.customers.own, productModel: p.model, serialNumber: 'OLD-1' });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const replaced = await t.as.engineer.post(`/api/units/${old.id}/replace`, { serialNumber: 'NEW-1', purchaseDate: '2026-02-01', proofRef: 'INV-9', reason: '压缩机损坏，整机换新' });
    expect(replaced.statusCode, replaced.body).toBe(201);
    const fresh = replaced.json();
    expect(fresh).toMatchObject({ serialNumber: 'NEW-1', replacesId: old.id, productModel: p.model });
    const kinds = fresh.history.map((h: { kind: string; ticket?: { number: string }; serialNumber: string }) => [h.kind, h.ticket?.number ?? null, h.serialNumber]);
    expect(kinds).toEqual(expect.arrayContaining([['ticket', ticket.json().number, 'OLD-1'], ['replacement', null, 'NEW-1']]));
    const after = (await t.as.agent.get(`/api/units/${old.id}`)).json();
    expect(after.replacedById).toBe(fresh.id);
    expect(after.history.some((h: { kind: string; title: string }) => h.kind === 'replaced' && h.title === 'OLD-1 → NEW-1')).toBe(true);
    expect((await t.as.engineer.post(`/api/units/${old.id}/replace`, { serialNumber: 'NEW-2' })).statusCode).toBe(409);
    expect((await t.as.qa.post(`/api/units/${fresh.id}/replace`, { serialNumber: 'NEW-3' })).statusCode).toBe(403);
    expect(fresh.labelLink).toMatch(/\/portal\/new\?model=.+&serial=NEW-1$/);
  });

  it("takes a file on the owner's ticket as proof of purchase, not another customer's", async () => {
    const p = await product();
    const own = (await t.as.agent.post('/api/tickets', { title: '发票上传', description: '客户上传发票照片', customerId: t.customers.own, productModel: p.model, serialNumber: 'PROOF-1' })).json().number;
    const other = (await t.as.agent.post('/api/tickets', { title: '发票上传', description: '另一客户的发票', customerId: t.customers.other })).json().number;
    const put = async (number: string) => {
      const m = multipart('发票.txt', Buffer.from('发票号 12345'));
      const res = await t.app.inject({ method: 'POST', url: `/api/tickets/${number}/attachments`, headers: { authorization: `Bearer ${t.as.agent.token}`, 'content-type': m.contentType }, payload: m.payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    const mine = await put(own);
    const theirs = await put(other);
    const u = (await t.as.agent.get(`/api/units/lookup?serial=PROOF-1&model=${encodeURIComponent(p.model)}`)).json().items[0];
    expect(u.warranty.status).toBe('unknown');
    const detail = (await t.as.agent.get(`/api/units/${u.id}`)).json();
    expect(detail.proofCandidates.map((c: { id: number }) => c.id)).toEqual([mine]);
    const refused = await t.as.agent.patch(`/api/units/${u.id}`, { proofAttachmentId: theirs, purchaseDate: '2026-06-01', version: u.version });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.proofAttachmentId).toBeTruthy();
    const ok = await t.as.agent.patch(`/api/units/${u.id}`, { proofAttachmentId: mine, purchaseDate: '2026-06-01', version: u.version });
    expect(ok.json().warranty).toMatchObject({ status: 'in', basis: 'purchase', start: '2026-06-01' });
  });

  it('links a ticket to the unit already on file for its model and serial, and shows the status in caller lookup', async () => {
    const p = await product();
    const u = await unit({ productModel: p.model, serialNumber: 'LINK-1', purchaseDate: '2026-05-01', proofRef: 'INV-L' });
    const before = (await t.db.read.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    // Another customer calls about the same serial: the ticket is on the same unit, no second unit appears.
    const res = await t.as.agent.post('/api/tickets', { title: '显示屏不亮', description: '开机后显示屏不亮', customerId: t.customers.other, productModel: p.model, serialNumber: 'LINK-1' });
    expect(res.statusCode, res.body).toBe(201);
    const after = (await t.db.read.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before));
    const detail = (await t.as.agent.get(`/api/units/${u.id}`)).json();
    expect(detail.history.some((h: { ticket?: { number: string } }) => h.ticket?.number === res.json().number)).toBe(true);
    const lookup = (await t.as.agent.get('/api/customers/lookup?phone=13812345678')).json().items[0];
    const mine = lookup.units.find((x: { serialNumber: string }) => x.serialNumber === 'LINK-1');
    expect(mine.warranty).toMatchObject({ status: 'in', basis: 'purchase', end: '2027-04-30' });
    expect(mine.underWarranty).toBe(true);
    expect(TODAY < mine.warranty.end).toBe(true);
  });

  it('registers a serial mentioned by several callers at once as one unit, and every ticket is created on it', async () => {
    const p = await product();
    const bodies = [0, 1, 2, 3, 4, 5].map((i) => ({
      title: '同一台机器多人报修',
      description: '家里几个人同时打电话报修同一台设备',
      customer: { name: `并发客户${i}`, phone: `1390000${String(1000 + i)}` },
      productModel: p.model,
      serialNumber: 'RACE-1',
    }));
    const created = await Promise.all(bodies.map((b) => t.as.agent.post('/api/tickets', b)));
    for (const res of created) expect(res.statusCode, res.body).toBe(201);
    const units = await t.db.read.selectFrom('units').select('id').where('product_model', '=', p.model).where('serial_number', '=', 'RACE-1').execute();
    expect(units).toHaveLength(1);
    const onUnit = await t.db.read.selectFrom('tickets').select('number').where('unit_id', '=', units[0]!.id).execute();
    expect(onUnit.map((r) => r.number).sort()).toEqual(created.map((r) => r.json().number).sort());
  });

  it('imports CSV with a per-row report in the caller’s language, and a second run of a fixed file adds no duplicate', async () => {
    const p = await product({ warrantyMonths: 24 });
    const csv = [
      '型号,序列号,客户电话,客户姓名,购买日期,购买凭证,延保月数',
      `${p.model},CSV-1,13812345678,,2026-01-05,INV-C1,`,
      `${p.model},CSV-2,13900001111,王芳,2026/2/3,INV-C2,12`,
      `NOPE-MODEL,CSV-3,13812345678,,2026-01-05,,`,
      `${p.model},CSV-4,13812345678,,2026-13-40,,`,
      `${p.model},CSV-1,13812345678,,2026-01-05,,`,
      `${p.model},CSV-5,13700000000,,2026-01-05,,`,
      `"${p.model}","CSV-6","138 1234 5678","","2026-01-05","INV, ""quoted""",abc`,
    ].join('\r\n');
    const first = await upload('agent', 'units.csv', Buffer.from('\uFEFF' + csv), 'en');
    expect(first.statusCode, first.body).toBe(200);
    const r1 = first.json();
    expect(r1.created).toBe(2);
    expect(r1.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [4, 'model'],
      [5, 'purchaseDate'],
      [6, 'serial'],
      [7, 'customer'],
      [8, 'extendedMonths'],
    ]);
    expect(r1.errors[0].message).toBe(`Model NOPE-MODEL is not in the product catalog; add the product first`);
    expect(r1.errors[2].message).toBe('Same model and serial number as row 2');
    // The fixed file again: what the first run wrote is skipped, the rest is added.
    const fixed = ['model,serial,phone,customer,purchase_date,proof,extended_months', `${p.model},CSV-1,13812345678,,2026-01-05,INV-C1,`, `${p.model},CSV-2,13900001111,王芳,2026-02-03,INV-C2,12`, `${p.model},CSV-4,13812345678,,2026-03-04,,`, `${p.model},CSV-5,13700000000,赵六,2026-01-05,,`].join('\n');
    const r2 = (await upload('agent', 'units.csv', Buffer.from(fixed))).json();
    expect(r2).toEqual({ created: 2, skipped: 2, errors: [] });
    const rows = await t.db.read.selectFrom('units').select('serial_number').where('product_model', '=', p.model).execute();
    expect(rows.map((r) => r.serial_number).sort()).toEqual(['CSV-1', 'CSV-2', 'CSV-4', 'CSV-5']);
    // One new customer for 王芳, not two.
    expect((await t.db.read.selectFrom('customers').select('id').where('phone_digits', '=', '13900001111').execute()).length).toBe(1);
    const two = (await t.as.agent.get('/api/units/lookup?serial=CSV-2')).json().items[0];
    expect(two.warranty).toMatchObject({ status: 'in', end: '2029-02-02' });
    // Missing columns and unreadable files say so; QA may not import.
    const noCols = await upload('agent', 'x.csv', Buffer.from('a,b\n1,2'), 'en');
    expect(noCols.statusCode).toBe(400);
    expect(noCols.json().error.message).toMatch(/model, serial, phone/);
    expect((await upload('qa', 'units.csv', Buffer.from(fixed))).statusCode).toBe(403);
  });

  it('imports XLSX (dates as spreadsheet dates), reporting bad rows by their sheet row number', async () => {
    const p = await product({ needsInstallation: true });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('设备');
    ws.addRow(['型号', '序列号', '客户电话', '购买日期', '购买凭证', '安装日期', '验收日期']);
    ws.addRow([p.model, 'X-1', '13812345678', new Date(Date.UTC(2026, 0, 5)), 'INV-X1', new Date(Date.UTC(2026, 0, 8)), new Date(Date.UTC(2026, 0, 9))]);
    ws.addRow([p.model, 'X-2', '13812345678', new Date(Date.UTC(2026, 0, 5)), '', '2026-01-08', '2026-01-07']);
    ws.addRow([p.model, '', '13812345678', '', '', '', '']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload('agent', '设备.xlsx', data);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.created).toBe(1);
    expect(r.errors).toEqual([
      { row: 3, field: 'acceptanceDate', message: '验收日期早于安装日期' },
      { row: 4, field: 'serial', message: '缺少序列号' },
    ]);
    const x1 = (await t.as.agent.get(`/api/units/lookup?serial=X-1&model=${encodeURIComponent(p.model)}`)).json().items[0];
    expect(x1.warranty).toMatchObject({ status: 'in', basis: 'installation_acceptance', start: '2026-01-09' });
    const junk = await upload('agent', 'broken.xlsx', Buffer.from('PK\u0003\u0004not really a zip'));
    expect(junk.statusCode).toBe(400);
  });
});

describe.each(TEST_DIALECTS)('upgrading to products and units (migration 0019) on %s', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await createTestApp({
      dialect,
      upgrade: {
        before: '0019_products_units',
        async setup(db) {
          await db.write(async (trx) => {
            const k = trx as unknown as import('kysely').Kysely<any>;
            const now = Date.parse('2026-01-01T00:00:00Z');
            const c = await k.insertInto('customers').values({ kind: 'person', name: '旧客户', phone: '13600000000', phone_digits: '13600000000', tier: 'normal', special_needs: 0, created_at: now, updated_at: now, version: 1 }).returning('id').executeTakeFirstOrThrow();
            await k.insertInto('products').values({ model: 'OLD-M', name: '旧型号', line: 'ac', warranty_months: 12 }).execute();
            const unit = (serial: string) => k.insertInto('units').values({ customer_id: c.id, product_model: 'OLD-M', serial_number: serial, purchase_date: '2026-01-01', warranty_end: '2027-01-01', created_at: now }).returning('id').executeTakeFirstOrThrow();
            const first = await unit('SAME');
            const second = await unit('SAME');
            const other = await unit('OTHER');
            const ticket = await k
              .insertInto('tickets')
              .values({ number: '202601001', title: '旧工单', description: '旧工单', status: 'new', priority: 'P3', channel: 'phone', customer_id: c.id, unit_id: second.id, reported_at: now, created_at: now, updated_at: now, is_open: 1, version: 1 })
              .returning('id')
              .executeTakeFirstOrThrow();
            ids = { first: first.id, second: second.id, other: other.id, ticket: ticket.id };
          });
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('merges a serial registered twice into the oldest unit (its tickets follow) and makes the old warranty unknown until proof is recorded', async () => {
    const units = await t.db.read.selectFrom('units').select(['id', 'serial_number', 'warranty_end', 'warranty_basis']).where('product_model', '=', 'OLD-M').orderBy('id').execute();
    expect(units.map((u) => [u.id, u.serial_number])).toEqual([
      [ids.first, 'SAME'],
      [ids.other, 'OTHER'],
    ]);
    expect(units.every((u) => u.warranty_end === null && u.warranty_basis === 'none')).toBe(true);
    const ticket = await t.db.read.selectFrom('tickets').select('unit_id').where('id', '=', ids.ticket).executeTakeFirstOrThrow();
    expect(ticket.unit_id).toBe(ids.first);
    const u = (await t.as.agent.get(`/api/units/${ids.first}`)).json();
    expect(u.warranty.reason).toBe('proof_missing');
    expect(u.history.some((h: { kind: string; ticket?: { number: string } }) => h.kind === 'ticket' && h.ticket?.number === '202601001')).toBe(true);
  });
});
