// End-to-end: returns and loaners (issue 16). An agent opens an exchange on a ticket from the RMA panel and fills in the
// checklist; the supervisor approves it; the agent records the customer's tracking number, receives the goods, records
// the new serial and ships it back; the new unit's page shows both serials and the RMA; the portal shows the state and
// tracking numbers to the customer; a loaner is added, lent on the ticket and returned on the loaners page; the
// returns list filters by state. Screenshots at 1440×900 (console) and 390×844 (portal).
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSessions, consoleWindow, e2eEnvironment, e2eTest, expectFitsWidth, expectNoRawKeys, PHONE, portalSignIn, screenshots, watchPage } from './helpers.js';

const shot = screenshots('returns');

/** No console text key (returns.…, units.…, nav.…) left untranslated on the screen. */
async function noRawKeys(page: Page, what: string) {
  expect(await page.locator('body').innerText(), `${what}: raw i18n key`).not.toMatch(/\b(returns|units|nav|timeline)\.[a-z][A-Za-z.]*\b/);
}

describe('returns, exchanges and loaners in the console', () => {
  const env = e2eEnvironment();

  e2eTest('an exchange from request to the new serial on the unit page; a loaner lent and returned', async () => {
    const { server, browser } = env;
    const tag = Date.now().toString(36).toUpperCase();
    const oldSerial = `RMA-OLD-${tag}`;
    const newSerial = `RMA-NEW-${tag}`;
    const [agentApi, customer] = await apiSessions(browser, server, 'agent', 'customer');
    const customerId = customer.user.customerId;
    const products = (await agentApi.call('get', '/api/products?limit=5')).items as { model: string }[];
    const model = products[0]!.model;
    const bought = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const unit = await agentApi.call('post', '/api/units', { customerId, productModel: model, serialNumber: oldSerial, purchaseDate: bought, proofRef: 'JD-E2E' });
    const ticket = await agentApi.call('post', '/api/tickets', { title: 'E2E 新机漏水要求换货', description: '收货第二天底部漏水，客户要求换新', customerId, productModel: model, serialNumber: oldSerial, priority: 'P3' });

    // The agent opens the exchange from the ticket's RMA panel: the ticket's unit is ticked already.
    const { page } = await consoleWindow(browser, server, 'agent');
    // The one refusal on purpose: the exchange onto a serial already on file.
    const watch = watchPage(page, (status, url) => (status === 401 && url.endsWith('/api/me')) || (status === 400 && url.includes('/outcome')));
    await page.goto(`${server.url}/tickets/${ticket.number}`);
    const card = page.getByTestId('returns-card');
    await card.scrollIntoViewIfNeeded();
    await page.getByTestId('rma-new').click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('rma-units').locator('input[type=checkbox]:checked').count()).toBe(1);
    await dialog.getByTestId('rma-reason').fill('收货第二天底部漏水');
    await shot(page, 'create-dialog');
    await page.getByTestId('rma-create-submit').click();
    await expect.poll(() => card.getByTestId('rma-status').first().innerText()).toBe('待审核');
    const rmaId = Number((await card.locator('.ac-rma').first().getAttribute('data-testid'))!.replace('rma-', ''));
    expect(rmaId).toBeGreaterThan(0);
    expect(await card.getByTestId('rma-window').innerText()).toContain('退货期内');

    // The checklist: every item yes, saved.
    for (const item of ['appearanceIntact', 'accessoriesComplete', 'proofOfPurchase', 'noManMadeDamage']) await card.getByTestId(`check-${item}`).getByText('是', { exact: true }).click();
    await card.getByTestId('rma-checklist-save').click();
    await expect.poll(() => card.getByTestId('rma-checklist').innerText()).toContain('符合退换条件');
    // An agent is not offered the decision.
    expect(await card.getByTestId('rma-approve').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'checklist');

    // The supervisor approves.
    const sup = await consoleWindow(browser, server, 'supervisor');
    await sup.page.goto(`${server.url}/tickets/${ticket.number}`);
    const supCard = sup.page.getByTestId('returns-card');
    await supCard.getByTestId('rma-approve').click();
    await expect.poll(() => supCard.getByTestId('rma-status').first().innerText()).toBe('已批准');
    await supCard.scrollIntoViewIfNeeded();
    await shot(sup.page, 'approved');
    await sup.ctx.close();

    // Tracking in, receipt, the new serial, tracking out, done.
    await page.reload();
    await card.getByTestId('rma-carrier-in').fill('顺丰速运');
    await card.getByTestId('rma-tracking-in').fill('SF1234509876');
    await card.getByTestId('rma-ship-in-save').click();
    await expect.poll(() => card.getByTestId('rma-inbound').innerText()).toBe('顺丰速运 SF1234509876');
    await card.getByTestId('rma-receive').click();
    await expect.poll(() => card.getByTestId('rma-status').first().innerText()).toBe('已收货');
    // A serial already on file is refused at its field, and what was typed stays.
    await card.getByTestId('rma-new-serial-0').fill(oldSerial);
    await card.getByTestId('rma-outcome-save').click();
    await expect.poll(() => card.getByTestId('rma-outcome').innerText()).toContain('该型号下已有相同序列号的设备');
    expect(await card.getByTestId('rma-new-serial-0').inputValue()).toBe(oldSerial);
    await shot(page, 'serial-refused');
    await card.getByTestId('rma-new-serial-0').fill(newSerial);
    await card.getByTestId('rma-outcome-save').click();
    await expect.poll(() => card.getByTestId('rma-status').first().innerText()).toBe('已处理待寄回');
    await card.getByTestId('rma-carrier-out').fill('京东物流');
    await card.getByTestId('rma-tracking-out').fill('JDVA00012345');
    await card.getByTestId('rma-ship-out-save').click();
    await expect.poll(() => card.getByTestId('rma-outbound').innerText()).toBe('京东物流 JDVA00012345');
    await card.getByTestId('rma-complete').click();
    await expect.poll(() => card.getByTestId('rma-status').first().innerText()).toBe('已办结');
    expect(await card.innerText()).toContain(`换新 → ${newSerial}`);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'completed');
    await noRawKeys(page, 'ticket page');

    // The new unit's page: both serials and the RMA, the old unit's history carried over.
    const newUnit = (await agentApi.call('get', `/api/units/lookup?serial=${encodeURIComponent(newSerial)}`)).items[0];
    expect(newUnit.replacesId).toBe(unit.id);
    await page.goto(`${server.url}/units/${newUnit.id}`);
    const history = page.getByTestId('unit-history');
    await expect.poll(() => history.innerText()).toContain(`RMA-${rmaId}`);
    const text = await history.innerText();
    expect(text).toContain(oldSerial);
    expect(text).toContain(newSerial);
    expect(text).toContain('换新自');
    expect(text).toContain(ticket.number);
    await shot(page, 'unit-history', true);

    // The returns list: completed ones under 已办结, not under 进行中.
    await page.getByTestId('nav-returns').click();
    await page.waitForURL(/\/returns/);
    await expect.poll(() => page.getByTestId('returns-table').innerText()).not.toContain(`RMA-${rmaId}`);
    await page.getByTestId('returns-filter').getByText('已办结').click();
    await expect.poll(() => page.getByTestId('returns-table').innerText()).toContain(`RMA-${rmaId}`);
    expect(page.url()).toContain('status=completed');
    await shot(page, 'list');

    // A loaner: the dispatcher adds it, the agent lends it on the ticket and takes it back on the loaners page.
    const disp = await consoleWindow(browser, server, 'dispatcher');
    await disp.page.goto(`${server.url}/loaners`);
    await disp.page.getByTestId('loaner-serial').fill(`ZZJ-E2E-${tag}`);
    await disp.page.getByTestId('loaner-model').fill(model);
    await disp.page.getByTestId('loaner-add-submit').click();
    await expect.poll(() => disp.page.getByTestId('loaners-table').innerText()).toContain(`ZZJ-E2E-${tag}`);
    await disp.ctx.close();
    await page.goto(`${server.url}/tickets/${ticket.number}`);
    await page.getByTestId('loan-new').click();
    await page.getByTestId('loan-loaner').click();
    await page.locator('.ant-select-item-option').filter({ hasText: `ZZJ-E2E-${tag}` }).click();
    await page.getByTestId('loan-submit').click();
    await expect.poll(() => card.innerText()).toContain(`ZZJ-E2E-${tag}`);
    expect(await card.innerText()).toContain('已借出');
    await page.goto(`${server.url}/loaners`);
    await expect.poll(() => page.getByTestId('loaners-table').innerText()).toContain(ticket.number);
    await shot(page, 'loaners-lent');
    await page.getByTestId(`loaner-return-ZZJ-E2E-${tag}`).click();
    await expect.poll(() => page.getByTestId(`loaner-return-ZZJ-E2E-${tag}`).count()).toBe(0);
    const row = page.getByTestId('loaners-table').locator('tr').filter({ hasText: `ZZJ-E2E-${tag}` });
    expect(await row.innerText()).toContain('可借');
    await shot(page, 'loaners');
    await noRawKeys(page, 'loaners page');
    expect(watch.pageErrors).toEqual([]);
    expect(watch.failedResponses).toEqual([]);

    // The customer follows it in the portal: state and both tracking numbers, nothing internal.
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const phone = await ctx.newPage();
    await portalSignIn(phone, server.url);
    await phone.goto(`${server.url}/portal/tickets/${ticket.number}`);
    const rmaCard = phone.getByTestId('portal-rmas');
    await expect.poll(() => rmaCard.innerText().catch(() => '')).toContain('已办结');
    const portalText = await rmaCard.innerText();
    expect(portalText).toContain('SF1234509876');
    expect(portalText).toContain('JDVA00012345');
    expect(portalText).toContain(newSerial);
    await rmaCard.scrollIntoViewIfNeeded();
    await expectNoRawKeys(phone, 'portal ticket');
    await expectFitsWidth(phone, 'portal ticket');
    await shot(phone, 'portal');
    await ctx.close();
  }, 240_000);
});
