// End-to-end: products and units (issue 16). A manager adds a model that needs installation to the catalog; a unit of
// the demo customer is registered, accepted after installation; its page shows the warranty prominently (1440×900 and
// 390×844); a ticket on its serial shows the same status, and typing the serial at intake fills the model and shows
// it; a small XLSX is imported with a per-row report; the QR label prints on its own.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import ExcelJS from 'exceljs';
import { describe, expect } from 'vitest';
import { apiSessions, consoleSignIn, consoleWindow, e2eEnvironment, e2eTest, PHONE, screenshots } from './helpers.js';

const shot = screenshots('units');

describe('products and units in the console', () => {
  const env = e2eEnvironment();

  e2eTest('creates a product and a unit, shows warranty on the unit page, a ticket and intake, imports XLSX and prints a label', async () => {
    const { server, browser } = env;
    const tag = Date.now().toString(36).toUpperCase();
    const model = `E2E-AC-${tag}`;
    const serial = `SNE2E${tag}`;

    // A manager adds the model in the console.
    const { ctx, page } = await consoleWindow(browser, server, 'manager');
    await page.getByTestId('nav-products').click();
    await page.waitForURL(/\/products$/);
    await page.getByTestId('new-product').click();
    await page.getByTestId('product-model').fill(model);
    await page.getByTestId('product-line').fill('ac');
    await page.getByTestId('product-name').fill('E2E 变频挂壁式空调');
    await page.getByTestId('product-warranty').fill('12');
    await page.getByTestId('product-needs-installation').check();
    await page.getByTestId('product-callout').fill('50');
    await page.getByTestId('product-labour-hardware').fill('150');
    await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByTestId('product-table').innerText()).toContain(model);
    expect(await page.getByTestId('product-table').innerText()).toMatch(/¥50\.00/);
    await shot(page, 'products');

    // The demo customer's unit, bought a year and a half ago, installed and accepted this month.
    const [agent, customer] = await apiSessions(browser, server, 'agent', 'customer');
    const unit = await agent.call('post', '/api/units', { customerId: customer.user.customerId, productModel: model, serialNumber: serial, purchaseDate: '2024-06-01', proofRef: 'INV-E2E', installDate: '2026-11-20', acceptanceDate: '2026-11-22' });
    expect(unit.warranty).toMatchObject({ status: 'in', basis: 'installation_acceptance' });

    await page.goto(`${server.url}/units/${unit.id}`);
    const banner = page.getByTestId('unit-warranty');
    await expect.poll(() => banner.getAttribute('data-status')).toBe('in');
    expect(await banner.innerText()).toContain('在保');
    expect(await banner.innerText()).toContain('安装验收');
    expect(await page.getByTestId('unit-label').locator('svg').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('label-link').innerText()).toContain(`serial=${serial}`);
    await shot(page, 'unit-1440');

    // A ticket on the serial shows the same status where the work is decided.
    const ticket = await agent.call('post', '/api/tickets', { title: 'E2E 空调不制冷', description: '开机半小时仍不制冷，外机不转', customerId: customer.user.customerId, productModel: model, serialNumber: serial, priority: 'P3' });
    await page.goto(`${server.url}/tickets/${ticket.number}`);
    await expect.poll(() => page.getByTestId('ticket-warranty').getAttribute('data-status')).toBe('in');
    await shot(page, 'ticket');
    await page.goto(`${server.url}/units/${unit.id}`);
    await expect.poll(() => page.getByTestId('unit-history').innerText()).toContain(ticket.number);

    // Intake: typing the serial fills the model and shows the status.
    await page.goto(`${server.url}/intake`);
    await page.getByTestId('intake-serial').fill(serial);
    await expect.poll(() => page.getByTestId('intake-warranty').getAttribute('data-status'), { timeout: 10_000 }).toBe('in');
    await expect.poll(() => page.getByTestId('intake-product-model').inputValue()).toBe(model);
    await page.getByTestId('intake-unit').scrollIntoViewIfNeeded();
    await shot(page, 'intake');

    // Import a small XLSX: one good row, one with an unknown model, reported by its sheet row.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('设备');
    ws.addRow(['型号', '序列号', '客户电话', '客户姓名', '购买日期', '购买凭证']);
    ws.addRow([model, `${serial}-X1`, '13800138000', '陈静', new Date(Date.UTC(2026, 0, 5)), 'INV-X1']);
    ws.addRow(['NO-SUCH-MODEL', `${serial}-X2`, '13800138000', '陈静', new Date(Date.UTC(2026, 0, 5)), '']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    await page.goto(`${server.url}/units`);
    await page.locator('input[type=file]').setInputFiles({ name: 'units.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: data });
    const report = page.getByTestId('import-report');
    await expect.poll(() => report.innerText().catch(() => ''), { timeout: 15_000 }).toContain('新增 1 台');
    expect(await report.innerText()).toContain('NO-SUCH-MODEL');
    expect(await report.innerText()).toMatch(/\b3\b/);
    await page.getByTestId('unit-search').fill(`${serial}-X1`);
    await page.getByTestId('unit-search').press('Enter');
    await expect.poll(() => page.getByTestId('unit-table').innerText()).toContain(`${serial}-X1`);
    await shot(page, 'units-import');

    // The label: the print button prints, and in print only the label is visible.
    await page.goto(`${server.url}/units/${unit.id}`);
    await page.getByTestId('unit-label').waitFor();
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByTestId('print-label').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('unit-warranty').evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
    expect(await page.getByTestId('unit-label').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    await shot(page, 'label-print');
    await page.emulateMedia({ media: 'screen' });
    await ctx.close();

    // The unit's page on a phone.
    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    await consoleSignIn(mobile, server, 'agent');
    await mobile.goto(`${server.url}/units/${unit.id}`);
    await expect.poll(() => mobile.getByTestId('unit-warranty').getAttribute('data-status')).toBe('in');
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(mobile, 'unit-390', true);
    await phone.close();
    await agent.close();
    await customer.close();
  });
});
