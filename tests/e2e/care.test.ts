// End-to-end: installation acceptance, inspection plans and the repeat-repair report (issue 16). The engineer ticks the
// demo installation visit's checklist on the phone (390×844), the customer signs on the pad, and the unit's page shows
// its warranty starting that day. An inspection plan's ticket appears ahead of time when the clock reaches its lead
// day; moving the next date keeps the cycle. The repeat-repair report's figures agree with its listed rows.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSessions, consoleSignIn, consoleWindow, e2eEnvironment, e2eTest, expectFitsWidth, PHONE, screenshots, watchPage } from './helpers.js';

const shot = screenshots('care');
const DAY = 86_400_000;
const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const T0 = Date.now();

/** No untranslated key of these pages on screen. */
async function expectNoRawKeys(page: Page, what: string) {
  expect(await page.locator('body').innerText(), `${what}: raw i18n key`).not.toMatch(/\b(care|nav|fieldPage|visits|units)\.[a-z][A-Za-z.]*\b/);
}
const clean = (w: ReturnType<typeof watchPage>) => {
  expect(w.pageErrors).toEqual([]);
  expect(w.failedResponses).toEqual([]);
};

describe('installation acceptance, inspections and repeat repairs', () => {
  const env = e2eEnvironment({ clockAt: T0 });

  e2eTest('an installation ticked and signed on the phone starts the warranty that day on the unit page', async () => {
    const { server, browser } = env;
    const [engineer] = await apiSessions(browser, server, 'engineer');
    const mine = (await engineer.call('get', '/api/visits/mine')).items as { id: number; kind: string; unitId: number }[];
    const visit = mine.find((v) => v.kind === 'installation');
    expect(visit, 'the demo installation visit today').toBeTruthy();
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', hasTouch: true });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    const problems = watchPage(page);
    await consoleSignIn(page, server, 'engineer');
    await page.goto(`${server.url}/field`);
    const card = page.getByTestId(`acceptance-${visit!.id}`);
    await card.waitFor();
    const items = card.locator('[data-testid^="acceptance-item-"]');
    const n = await items.count();
    expect(n).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < n; i++) {
      await items.nth(i).click();
      await expect.poll(() => items.nth(i).evaluate((el) => !!el.closest('.ant-checkbox-wrapper')?.classList.contains('ant-checkbox-wrapper-checked'))).toBe(true);
    }
    await page.getByTestId(`acceptance-signer-${visit!.id}`).fill('张伟');
    const pad = card.getByTestId('signature-pad').locator('canvas');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + 60);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 30 + i * 25, box.y + 60 + (i % 2 ? 30 : -20));
    await page.mouse.up();
    await page.getByTestId(`acceptance-confirm-${visit!.id}`).click();
    await shot(page, 'phone-acceptance', true);
    await expectFitsWidth(page, 'field page with the acceptance');
    await page.getByTestId(`acceptance-sign-${visit!.id}`).click();
    const today = chinaDay(T0);
    await expect.poll(() => page.getByTestId(`acceptance-done-${visit!.id}`).textContent()).toContain(today);
    await shot(page, 'phone-accepted', true);
    await expectNoRawKeys(page, 'field page');
    clean(problems);
    await ctx.close();

    const { ctx: desk, page: console } = await consoleWindow(browser, server, 'manager');
    await console.goto(`${server.url}/units/${visit!.unitId}`);
    await console.getByTestId('unit-warranty').first().waitFor();
    await expect.poll(() => console.locator('body').textContent()).toContain(today);
    const unit = await (await apiSessions(browser, server, 'manager'))[0].call('get', `/api/units/${visit!.unitId}`);
    expect(unit).toMatchObject({ acceptanceDate: today, warranty: { basis: 'installation_acceptance', start: today } });
    await console.getByTestId('history-installation_accepted').first().waitFor();
    await shot(console, 'unit-page');
    await desk.close();
  });

  e2eTest('a plan creates its ticket ahead of time as the clock reaches its lead day; moving a date keeps the cycle', async () => {
    const { server, browser, clock } = env;
    const [dispatcher] = await apiSessions(browser, server, 'dispatcher');
    const units = (await dispatcher.call('get', '/api/units?limit=5')).items as { id: number; customer: { id: number } }[];
    const engineers = (await dispatcher.call('get', '/api/users?role=engineer')).items as { id: number }[];
    const first = chinaDay(T0 + 10 * DAY);
    const plan = await dispatcher.call('post', '/api/inspection-plans', { title: 'E2E 电梯式巡检', customerId: units[4].customer.id, unitId: units[4].id, intervalMonths: 2, mode: 'on_site', engineerIds: [engineers[0].id], leadDays: 7, remindDays: 3, firstDate: first });
    const { ctx, page } = await consoleWindow(browser, server, 'dispatcher');
    const problems = watchPage(page);
    await page.goto(`${server.url}/inspections`);
    await expect.poll(() => page.getByTestId(`plan-next-${plan.id}`).textContent()).toBe(first);
    expect(plan.next.ticketNumber).toBeNull();
    // Four days later the lead time (7 days) has begun: the sweeper files the ticket.
    clock.set(T0 + 4 * DAY);
    await server.sweeper.runOnce();
    await page.reload();
    const filed = (await dispatcher.call('get', `/api/inspection-plans/${plan.id}`)).next.ticketNumber as string;
    expect(filed).toMatch(/^\d{9,}$/);
    const row = page.getByTestId('plans-table').locator('tr', { has: page.getByTestId(`plan-${plan.id}`) });
    await expect.poll(() => row.textContent()).toContain(filed);
    await expect.poll(() => row.textContent()).toContain('待巡检');
    await shot(page, 'plans');
    // Move the next occurrence by five days: its cycle date stays, and so does everything else.
    await page.getByTestId(`plan-${plan.id}`).click();
    const drawer = page.getByTestId('plan-drawer');
    await drawer.getByTestId('occ-move-1').click();
    const detail = await dispatcher.call('get', `/api/inspection-plans/${plan.id}`);
    const next = detail.occurrences[1] as { cycleDate: string; dueDate: string };
    const movedTo = new Date(Date.parse(`${next.cycleDate}T00:00:00Z`) + 5 * DAY).toISOString().slice(0, 10);
    await page.getByTestId('move-date').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(movedTo);
    await page.keyboard.press('Enter');
    await page.getByTestId('move-reason').fill('客户出差，改到下周');
    await page.getByTestId('move-ok').click();
    await expect.poll(() => drawer.getByTestId('occ-due-1').textContent()).toContain(movedTo);
    await expect.poll(() => drawer.getByTestId('occ-due-0').textContent()).toContain(first);
    const after = await dispatcher.call('get', `/api/inspection-plans/${plan.id}`);
    expect(after.occurrences.map((o: { cycleDate: string }) => o.cycleDate)).toEqual(detail.occurrences.map((o: { cycleDate: string }) => o.cycleDate));
    await shot(page, 'plan-moved');
    await page.keyboard.press('Escape');
    // The plan form, as a dispatcher opens it.
    await page.getByTestId('plan-new').click();
    await page.getByTestId('plan-title').waitFor();
    await shot(page, 'plan-form');
    await page.keyboard.press('Escape');
    await expectNoRawKeys(page, 'inspections page');
    clean(problems);
    await ctx.close();
    clock.set(T0);
  });

  e2eTest('the repeat-repair report: figures from the listed rows, the 5 % target line', async () => {
    const { server, browser } = env;
    const [manager] = await apiSessions(browser, server, 'manager');
    const to = chinaDay(T0);
    const from = chinaDay(T0 - 89 * DAY);
    const report = await manager.call('get', `/api/reports/repeat-repairs?from=${from}&to=${to}`);
    const rows = report.rows as { repeat: unknown }[];
    const repeats = rows.filter((r) => r.repeat !== null).length;
    expect(repeats).toBeGreaterThan(0);
    expect(report.total).toMatchObject({ closed: rows.length, repeats });
    const { ctx, page } = await consoleWindow(browser, server, 'manager');
    const problems = watchPage(page);
    await page.goto(`${server.url}/reports/repeat-repairs?from=${from}&to=${to}`);
    await expect.poll(() => page.getByTestId('repeat-closed').textContent()).toContain(String(rows.length));
    expect(await page.getByTestId('repeat-repeats').textContent()).toContain(String(repeats));
    expect(await page.getByTestId('repeat-rate').textContent()).toContain(`${(Math.round((repeats / rows.length) * 1000) / 10).toFixed(1)}%`);
    await page.getByTestId('repeat-target-line').waitFor();
    expect(await page.getByTestId('repeat-month-bars').textContent()).toContain('5.0%');
    await shot(page, 'repeat-report', true);
    // The care contacts the sweeper listed, and a product's installation checklist in its dialog (managers).
    await server.sweeper.runOnce();
    await page.goto(`${server.url}/care`);
    await page.getByTestId('care-table').waitFor();
    await shot(page, 'care-contacts');
    await expectNoRawKeys(page, 'care contacts');
    const installed = ((await manager.call('get', '/api/products?limit=100')).items as { model: string; needsInstallation: boolean }[]).find((p) => p.needsInstallation)!;
    await page.goto(`${server.url}/products?q=${encodeURIComponent(installed.model)}`);
    await page.getByTestId(`edit-product-${installed.model}`).click();
    await expect.poll(() => page.getByTestId('installation-checklist').textContent()).toContain('通电试机');
    await shot(page, 'product-checklist');
    await expectNoRawKeys(page, 'repeat-repair report');
    clean(problems);
    await ctx.close();
  });
});
