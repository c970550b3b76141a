// End-to-end: settlement review (结算审核, issue 16). Through the API the demo engineer finishes an out-of-warranty (6 years)
// visit — a part used from the van, the quote accepted, the money collected, left. The manager opens 结算审核 from the
// menu at 1440×900, finds the visit with what was charged, collected and used, rejects it (the reason is required and
// kept), approves it, reads the month per engineer and downloads it as Excel; the ticket's timeline has both decisions.
// An agent has no menu entry.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect } from 'vitest';
import { apiSessions, consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, expectNoRawKeys, screenshots, watchPage } from './helpers.js';

const shot = screenshots('settlement');
const MODEL = 'KFR-35GW/BP3DN8Y';

describe('settlement review', () => {
  const env = e2eEnvironment();

  e2eTest('reviews a finished visit’s charges and parts, and exports the month per engineer', async () => {
    const { server, browser } = env;
    const [agent, supervisor, engineer, manager] = await apiSessions(browser, server, 'agent', 'supervisor', 'engineer', 'manager');
    // ---- an out-of-warranty unit, a ticket on it, a visit finished with a part, a quote and the money
    const serial = `SN-E2E-${Date.now().toString(36)}`;
    const customer = await agent.call('post', '/api/customers', { name: '结算测试客户', phone: `1380000${String(Date.now()).slice(-4)}` });
    await agent.call('post', '/api/units', { customerId: customer.id, productModel: MODEL, serialNumber: serial, purchaseDate: '2016-05-01', proofRef: 'INV-E2E-1' });
    const ticket = await agent.call('post', '/api/tickets', { title: '空调不制冷（结算测试）', description: '压缩机不启动', channel: 'phone', priority: 'P3', customerId: customer.id, productModel: MODEL, serialNumber: serial });
    const number = ticket.number as string;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const free = await supervisor.call('get', `/api/dispatch/free-slots?from=${today}&engineerIds=${engineer.user.id}&days=7&durationMinutes=60&limit=1`);
    const slot = free.engineers[0].slots[0];
    const visit = await supervisor.call('post', `/api/tickets/${number}/visits`, { engineerId: engineer.user.id, windowStart: slot.start, windowEnd: slot.end, address: '上海市浦东新区世纪大道100号', area: '浦东新区' });
    const step = async (s: string) => {
      const v = await engineer.call('get', `/api/visits/${visit.id}`);
      await engineer.call('post', `/api/visits/${visit.id}/steps`, { step: s, version: v.version });
    };
    for (const s of ['accepted', 'departed', 'arrived']) await step(s);
    const part = (await engineer.call('get', `/api/parts?q=AC-CAP-35`)).items.find((p: { code: string }) => p.code === 'AC-CAP-35');
    await engineer.call('post', `/api/visits/${visit.id}/parts-used`, { partId: part.id, qty: 1 }, { 'idempotency-key': `e2e-settle-${serial}` });
    await engineer.call('put', `/api/visits/${visit.id}/report`, { diagnosis: '启动电容失效', cause: '电容老化', faultClass: 'hardware', workDone: '更换启动电容', version: 0 });
    const quoted = await engineer.call('post', `/api/visits/${visit.id}/quote`, {});
    const total = quoted.quote.total as number;
    expect(quoted.quote.chargeable).toBe(true);
    await engineer.call('post', `/api/visits/${visit.id}/quote/accept`, { name: '结算测试客户' });
    await step('work_done');
    await engineer.call('post', `/api/visits/${visit.id}/payment`, { method: 'cash', amount: total });
    await step('left');

    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    const { pageErrors, failedResponses, explain } = watchPage(page);
    page.setDefaultTimeout(20_000);
    try {
      await consoleSignIn(page, server, 'manager');
      await page.getByTestId('nav-settlements').click();
      await page.waitForURL(/\/settlements$/);
      const row = page.getByTestId(`settlement-row-${visit.id}`);
      await row.waitFor();
      const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
      expect(await row.textContent()).toContain(number);
      expect(await row.getByTestId('settlement-collected').textContent()).toContain(yuan(total));
      expect(await row.getByTestId('settlement-parts').textContent()).toContain('AC-CAP-35 ×1');
      expect(await row.getByTestId('settlement-state-tag').textContent()).toBe('待审核');
      await expectNoRawKeys(page, 'settlement page');
      await shot(page, '01-review');

      // ---- reject: the reason is required, then recorded
      await row.getByTestId('settlement-reject').click();
      await page.getByTestId('settlement-reject-ok').click();
      await expect.poll(() => page.locator('.ant-modal .ant-form-item-explain-error').first().textContent()).toBe('请写明驳回原因');
      await page.getByTestId('settlement-reject-note').fill('实收与收据不符，请核对');
      await shot(page, '02-reject');
      await page.getByTestId('settlement-reject-ok').click();
      await expect.poll(() => row.getByTestId('settlement-state-tag').textContent()).toBe('已驳回');

      // ---- approve
      await row.getByTestId('settlement-approve').click();
      await expect.poll(() => row.getByTestId('settlement-state-tag').textContent()).toBe('已审核');
      const events = (await manager.call('get', `/api/tickets/${number}/events?limit=200`)).items as { kind: string; internal: boolean; note?: string }[];
      const reviewed = events.filter((e) => e.kind === 'settlement_reviewed');
      expect(reviewed).toHaveLength(2);
      expect(reviewed.every((e) => e.internal)).toBe(true);

      // ---- the month per engineer, and its Excel file
      await page.getByRole('tab', { name: '月度结算' }).click();
      const monthly = page.getByTestId('settlement-monthly');
      const mine = monthly.locator('tr', { hasText: '王工' }).first();
      await mine.waitFor();
      const figures = await manager.call('get', `/api/settlements/monthly?month=${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7)}&by=engineer`);
      await expect.poll(() => page.getByTestId('settlement-total-collected').textContent()).toBe(yuan(figures.total.collected));
      expect(figures.rows.find((r: { id: number }) => r.id === engineer.user.id).collected).toBeGreaterThanOrEqual(total);
      await shot(page, '03-monthly');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('settlement-export-xlsx').click()]);
      expect(download.suggestedFilename()).toMatch(/^settlement-\d{4}-\d{2}-engineer\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync((await download.path())!) as never);
      const ws = wb.worksheets[0]!;
      expect(ws.getRow(1).getCell(1).value).toBe('按工程师');
      expect(ws.getRow(ws.rowCount).getCell(7).value).toBe(figures.total.collected / 100);
      expect(pageErrors).toEqual([]);
      expect(failedResponses).toEqual([]);

      // ---- the front line has no entry
      await page.context().clearCookies();
      await consoleSignIn(page, server, 'agent');
      expect(await page.getByTestId('nav-settlements').count()).toBe(0);
    } catch (err) {
      await shot(page, 'failure', true).catch(() => {});
      throw explain(err);
    } finally {
      await context.close();
      await Promise.all([agent, supervisor, engineer, manager].map((s) => s.close()));
    }
  });
});
