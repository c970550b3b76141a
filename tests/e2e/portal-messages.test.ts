// End-to-end at phone size (390×844): the unsubscribe link at the end of an optional message opens the portal's page,
// which opts the customer out without signing in (and back in); a bad link says so. A signed-in customer changes
// their message language and channels on 消息设置.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../../src/server/testing.js';
import { seriousAxeViolations } from './axe.js';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(OUT, `portal-messages-${name}.png`), fullPage: true });
}

describe('portal: unsubscribe link and message settings', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('opts out through the signed link, and a customer sets language and channels', async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser) throw new Error('setup failed');
    const db = server.services.ctx.db;
    const demoCustomer = server.users.find((u) => u.role === 'customer')!;
    const user = await db.read.selectFrom('users').select('customer_id').where('username', '=', demoCustomer.username).executeTakeFirstOrThrow();
    const customerId = user.customer_id!;
    const token = await server.services.links.token('unsubscribe', customerId);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${server.url}/portal/unsubscribe/${token}`);
      await expect.poll(() => page.getByTestId('unsubscribe-card').textContent()).toContain('您目前会收到全部服务消息。');
      await shot(page, '01-unsubscribe');
      expect(await seriousAxeViolations(page, 'main')).toEqual([]);
      await page.getByTestId('unsubscribe-optout').click();
      await expect.poll(() => page.getByTestId('unsubscribe-done').textContent()).toContain('已退订');
      const row = await db.read.selectFrom('customers').select('messages_opt_out').where('id', '=', customerId).executeTakeFirstOrThrow();
      expect(row.messages_opt_out).toBe(1);
      await shot(page, '02-unsubscribed');
      await page.getByTestId('unsubscribe-optin').click();
      await expect.poll(() => page.getByTestId('unsubscribe-done').textContent()).toContain('已恢复');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      await page.goto(`${server.url}/portal/unsubscribe/${token.slice(0, -3)}abc`);
      await expect.poll(() => page.getByTestId('unsubscribe-invalid').count()).toBe(1);

      // A signed-in customer (demo sign-in on the console's page; the portal's own sign-in comes with the portal).
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill(demoCustomer.username);
      await page.getByTestId('login-password').fill(demoCustomer.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => !u.pathname.endsWith('/login'));
      await page.goto(`${server.url}/portal/messages`);
      await page.getByTestId('prefs-default').uncheck();
      await page.getByTestId('prefs-locale').selectOption('en');
      await page.getByTestId('prefs-channel-sms').check();
      await shot(page, '03-settings');
      expect(await seriousAxeViolations(page, 'main')).toEqual([]);
      await page.getByTestId('prefs-save').click();
      await expect.poll(() => page.getByTestId('prefs-saved').count()).toBe(1);
      const saved = await db.read.selectFrom('customers').select(['locale', 'message_channels']).where('id', '=', customerId).executeTakeFirstOrThrow();
      expect(saved.locale).toBe('en');
      expect(JSON.parse(saved.message_channels!)).toContain('sms');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.skipIf(!HAS_CHROMIUM && !IN_CI)("shows staff the customer's message choices on the customer page (1440×900), and an agent changes them", async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser) throw new Error('setup failed');
    const db = server.services.ctx.db;
    const agent = server.users.find((u) => u.role === 'agent')!;
    const c = await db.read.selectFrom('customers').select(['id']).where('email', 'is not', null).where('phone', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill(agent.username);
      await page.getByTestId('login-password').fill(agent.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/tickets/);
      await page.goto(`${server.url}/customers/${c.id}`);
      const card = page.getByTestId('customer-messages');
      await expect.poll(() => card.textContent()).toContain('默认方式');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await card.getByText('只接收必要消息').scrollIntoViewIfNeeded();
      await card.getByRole('switch').click();
      await page.getByTestId('customer-messages-save').click();
      await expect.poll(async () => (await db.read.selectFrom('customers').select('messages_opt_out').where('id', '=', c.id).executeTakeFirstOrThrow()).messages_opt_out).toBe(1);
      await expect.poll(() => card.textContent()).toContain('已退订非必要消息');
      await page.screenshot({ path: path.join(OUT, 'portal-messages-04-customer-card.png') });
    } finally {
      await context.close();
    }
  });
});
