// End-to-end at phone size (390×844): the unsubscribe link at the end of an optional message opens the portal's page,
// which opts the customer out without signing in (and back in); a bad link says so. A signed-in customer changes
// their message language and channels on 消息设置.
import { describe, expect } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, PHONE, portalSignIn, screenshots } from './helpers.js';

const shot = screenshots('portal-messages', true);

describe('portal: unsubscribe link and message settings', () => {
  const env = e2eEnvironment();

  e2eTest('opts out through the signed link, and a customer sets language and channels', async () => {
    const { server, browser } = env;
    const db = server.services.ctx.db;
    const demoCustomer = server.users.find((u) => u.role === 'customer')!;
    const user = await db.read.selectFrom('users').select('customer_id').where('username', '=', demoCustomer.username).executeTakeFirstOrThrow();
    const customerId = user.customer_id!;
    const token = await server.services.links.token('unsubscribe', customerId);

    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true, bypassCSP: true });
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

      // The customer signed in to the portal (a one-time code).
      await portalSignIn(page, server.url);
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

  e2eTest("shows staff the customer's message choices on the customer page (1440×900), and an agent changes them", async () => {
    const { server, browser } = env;
    const db = server.services.ctx.db;
    const c = await db.read.selectFrom('customers').select(['id']).where('email', 'is not', null).where('phone', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await consoleSignIn(page, server, 'agent');
      await page.goto(`${server.url}/customers/${c.id}`);
      const card = page.getByTestId('customer-messages');
      await expect.poll(() => card.textContent()).toContain('默认方式');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await card.getByText('只接收必要消息').scrollIntoViewIfNeeded();
      await card.getByRole('switch').click();
      await page.getByTestId('customer-messages-save').click();
      await expect.poll(async () => (await db.read.selectFrom('customers').select('messages_opt_out').where('id', '=', c.id).executeTakeFirstOrThrow()).messages_opt_out).toBe(1);
      await expect.poll(() => card.textContent()).toContain('已退订非必要消息');
      await shot(page, '04-customer-card', false);
    } finally {
      await context.close();
    }
  });
});
