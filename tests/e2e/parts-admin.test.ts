// End-to-end: keeping the spare parts catalog (issue 16) at 1440×900. On the demo data the manager adds a part — first
// with a code already taken, which the dialog refuses with the server's translated reason while keeping everything
// typed —, sees its prices (typed in yuan) on its page and in fen on the wire, edits it, gives a van its own low-stock
// threshold for it, then adds a van for an engineer (a malformed code refused at its field), and takes it out of use.
// An engineer sees none of the keeping buttons.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from './axe.js';
import { apiSession, chooseOption, consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots, watchPage } from './helpers.js';

const shot = screenshots('parts-admin');

describe('keeping the spare parts catalog in the console', () => {
  const env = e2eEnvironment();

  const field = (page: Page, testId: string) => page.getByTestId(testId).inputValue();

  e2eTest('adds and edits a part (yuan in, fen on the wire), sets a van threshold, adds and retires a van; refusals keep the input', async () => {
    const { server, browser } = env;
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
    const page = await ctx.newPage();
    // Refusals are part of the story: the 409 of a taken code and the 400 of a malformed one.
    const problems = watchPage(page, (s, u) => (s === 401 && u.endsWith('/api/me')) || ((s === 409 || s === 400) && /\/api\/(parts|stock-locations)/.test(u)));
    await consoleSignIn(page, server, 'manager');
    await page.getByTestId('nav-parts').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('备件');

    // ---- a new part, first with a code that is taken
    await page.getByTestId('parts-new').click();
    await page.getByTestId('part-form').waitFor({ state: 'visible' });
    await page.getByTestId('part-code').fill('AC-CAP-35');
    await page.getByTestId('part-name-zh').fill('空调四通阀线圈');
    await page.getByTestId('part-name-en').fill('Four-way valve coil');
    await chooseOption(page, 'part-models', 'KFR-35GW/BP3DN8Y');
    await page.getByTestId('part-cost').fill('12.5');
    await page.getByTestId('part-price').fill('38');
    await page.getByTestId('part-threshold').fill('3');
    await page.getByTestId('part-form-save').click();
    const error = page.getByTestId('part-form-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('备件编码 AC-CAP-35 已存在');
    expect(await field(page, 'part-name-zh')).toBe('空调四通阀线圈');
    expect(await field(page, 'part-name-en')).toBe('Four-way valve coil');
    expect(await field(page, 'part-cost')).toBe('12.50');
    expect(await field(page, 'part-price')).toBe('38.00');
    expect(await page.getByTestId('part-models').textContent()).toContain('KFR-35GW/BP3DN8Y');
    await shot(page, '01-code-taken');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByTestId('part-code').fill('AC-4WV-COIL');
    await page.getByTestId('part-form-save').click();
    await page.waitForURL(/\/parts\/\d+$/);
    const partId = Number(/\/parts\/(\d+)$/.exec(page.url())![1]);
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('AC-4WV-COIL 空调四通阀线圈');
    const details = page.locator('.ant-descriptions');
    await expect.poll(() => details.textContent()).toContain('¥12.50');
    expect(await details.textContent()).toContain('¥38.00');
    expect(await details.textContent()).toContain('KFR-35GW/BP3DN8Y');
    // The wire carries fen.
    const api = await apiSession(browser, server, 'manager');
    expect(await api.call('get', `/api/parts/${partId}`)).toMatchObject({ unitCost: 1250, listPrice: 3800, lowStockThreshold: 3, productModels: ['KFR-35GW/BP3DN8Y'], active: true });

    // ---- edit: a new list price
    await page.getByTestId('part-edit').click();
    await page.getByTestId('part-form').waitFor({ state: 'visible' });
    expect(await field(page, 'part-code')).toBe('AC-4WV-COIL');
    await page.getByTestId('part-price').fill('40.8');
    await page.getByTestId('part-form-save').click();
    await page.getByTestId('part-form').waitFor({ state: 'detached' });
    await expect.poll(() => details.textContent()).toContain('¥40.80');
    expect((await api.call('get', `/api/parts/${partId}`)).listPrice).toBe(4080);

    // ---- a van's own threshold for the part: a new row in the stock table
    await page.getByTestId('threshold-add').click();
    await page.getByTestId('threshold-form').waitFor({ state: 'visible' });
    await chooseOption(page, 'threshold-location', '王工车载库');
    await page.getByTestId('threshold-value').fill('2');
    await page.getByTestId('threshold-form-save').click();
    await page.getByTestId('threshold-form').waitFor({ state: 'detached' });
    const vanRow = page.locator('[data-testid="part-stock"] tr', { hasText: '王工车载库' });
    await vanRow.waitFor({ state: 'visible' });
    // Nothing in the van and a threshold of 2: low.
    await expect.poll(() => vanRow.locator('td').nth(2).textContent()).toContain('2');
    expect(await vanRow.getByTestId('low-stock-tag').count()).toBe(1);
    await shot(page, '02-part-with-threshold');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // ---- locations: a van for 赵工, a malformed code first
    await page.goto(`${server.url}/parts`);
    await page.getByTestId('parts-locations').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('库位管理');
    await page.locator('[data-testid="locations-table"] tr', { hasText: '上海中心仓' }).waitFor({ state: 'visible' });
    await page.getByTestId('location-new').click();
    await page.getByTestId('location-form').waitFor({ state: 'visible' });
    await page.getByTestId('location-kind').getByText('车载库').click();
    await page.getByTestId('location-code').fill('赵工-2');
    await page.getByTestId('location-name').fill('赵工二号车');
    await chooseOption(page, 'location-owner', '赵工');
    await page.getByTestId('location-form-save').click();
    // The server's reason, translated, at the code field; the rest as typed.
    await page.locator('.ant-form-item-explain-error', { hasText: '编码只能使用字母' }).waitFor({ state: 'visible' });
    expect(await field(page, 'location-name')).toBe('赵工二号车');
    expect(await page.getByTestId('location-owner').textContent()).toContain('赵工');
    await shot(page, '03-location-code-refused');
    await page.getByTestId('location-code').fill('VAN-ZHAO-2');
    await page.getByTestId('location-form-save').click();
    await page.getByTestId('location-form').waitFor({ state: 'detached' });
    const newVan = page.locator('[data-testid="locations-table"] tr', { hasText: 'VAN-ZHAO-2' });
    await newVan.waitFor({ state: 'visible' });
    expect(await newVan.textContent()).toMatch(/赵工二号车.*车载库.*赵工.*在用/);

    // Out of use (it holds nothing): greyed, still listed, gone from the move form's choices.
    await page.getByTestId('location-edit-VAN-ZHAO-2').click();
    await page.getByTestId('location-form').waitFor({ state: 'visible' });
    await page.getByTestId('location-active').click();
    await page.getByTestId('location-form-save').click();
    await page.getByTestId('location-form').waitFor({ state: 'detached' });
    await expect.poll(() => newVan.textContent()).toContain('已停用');
    expect(await newVan.getAttribute('class')).toContain('ac-row-inactive');
    // No text left as its key.
    expect(await page.locator('body').innerText()).not.toMatch(/\bparts\.[a-z][A-Za-z.]*/);
    await shot(page, '04-locations');
    expect(await seriousAxeViolations(page)).toEqual([]);
    const everyday = (await api.call('get', '/api/stock-locations')).items as { code: string }[];
    expect(everyday.map((l) => l.code)).not.toContain('VAN-ZHAO-2');
    await api.close();
    expect(problems.pageErrors).toEqual([]);
    expect(problems.failedResponses).toEqual([]);
    await ctx.close();

    // ---- an engineer reads the catalog but keeps nothing
    const ectx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
    const engineer = await ectx.newPage();
    await consoleSignIn(engineer, server, 'engineer');
    await engineer.goto(`${server.url}/parts/${partId}`);
    await expect.poll(() => engineer.getByTestId('page-title').textContent()).toBe('AC-4WV-COIL 空调四通阀线圈');
    expect(await engineer.getByTestId('part-edit').count()).toBe(0);
    expect(await engineer.getByTestId('threshold-add').count()).toBe(0);
    await engineer.goto(`${server.url}/parts`);
    await engineer.locator('[data-testid="parts-table"] tr', { hasText: 'AC-4WV-COIL' }).waitFor({ state: 'visible' });
    expect(await engineer.getByTestId('parts-new').count()).toBe(0);
    expect(await engineer.getByTestId('parts-locations').count()).toBe(0);
    await ectx.close();
  }, 180_000);
});
