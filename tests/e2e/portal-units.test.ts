// End-to-end: a replaced unit in the customer portal (issue 16) at 390×844. Staff replace one of the demo customer's
// units (换新) with a reason meant for staff; the customer's 我的产品 shows the new unit with the replacement line and
// the old serial's tickets in its history, the old unit pointing to the new one — and not the staff's reason.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { apiSession, e2eEnvironment, e2eTest, expectFitsWidth, expectNoRawKeys, PHONE, portalSignIn, screenshots } from './helpers.js';

const shot = screenshots('portal-units');

describe('a replaced unit in the portal', () => {
  const env = e2eEnvironment();

  e2eTest("shows the replacement's merged history on the phone, without staff text", async () => {
    const { server, browser } = env;
    const base = server.url;
    const customer = await apiSession(browser, server, 'customer');
    const engineer = await apiSession(browser, server, 'engineer');
    const customerId = customer.user.customerId!;
    // A unit of the demo customer with a ticket on it, then replaced.
    const units = (await engineer.call('get', `/api/units?customerId=${customerId}&limit=50`)).items as { id: number; serialNumber: string; productModel: string; replacedById: number | null }[];
    const old = units.find((u) => u.replacedById === null && u.serialNumber)!;
    expect(old, 'a demo unit of the customer').toBeTruthy();
    const ticket = await customer.call('post', '/api/tickets', { customerId, title: '换新前：不制冷', description: '开机后不制冷', productModel: old.productModel, serialNumber: old.serialNumber });
    await engineer.call('post', `/api/units/${old.id}/replace`, { serialNumber: `${old.serialNumber}-R`, reason: '内部：整机批次问题' });

    const ctx = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, locale: 'zh-CN', bypassCSP: true });
    const page = await ctx.newPage();
    await portalSignIn(page, base);
    await page.goto(`${base}/portal/units`);
    const card = page.getByTestId('unit-card').filter({ hasText: `${old.serialNumber}-R` }).first();
    await card.waitFor({ state: 'visible' });
    expect(await card.getByTestId('unit-replaces').textContent()).toContain(`替换了序列号 ${old.serialNumber} 的原机`);
    expect(await card.textContent()).toContain(ticket.number);
    expect(await card.textContent()).toContain(`原机 ${old.serialNumber}`);
    const oldCard = page.getByTestId('unit-card').filter({ has: page.getByTestId('unit-replaced-by') }).first();
    expect(await oldCard.getByTestId('unit-replaced-by').textContent()).toContain(`已换新为序列号 ${old.serialNumber}-R`);
    expect(await page.locator('body').innerText()).not.toContain('批次问题');
    await card.scrollIntoViewIfNeeded();
    await expectFitsWidth(page, 'units page');
    await expectNoRawKeys(page, 'units page');
    await shot(page, '01-replaced-390');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await customer.close();
    await engineer.close();
    await ctx.close();
  }, 150_000);
});
