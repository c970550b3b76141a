// End-to-end: a customer who signs in to the staff console is sent to the portal, at every path, and is never offered a
// staff control (no menu, no queue, no intake, no settings). Phone size first, as a customer would arrive.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');

if (!HAS_CHROMIUM) console.warn(`[e2e] ${IN_CI ? 'FAILING' : 'SKIPPED'}: Chromium not found at ${CHROMIUM}.`);

describe('customer in the staff console', () => {
  let server: Awaited<ReturnType<typeof import('../../src/server/testing.js').startTestServer>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    const { startTestServer } = await import('../../src/server/testing.js');
    server = await startTestServer({ demo: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('shows the portal page and no staff control, at phone and desktop size', async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required in CI but was not found at ${CHROMIUM}`);
    const customer = server!.users.find((u) => u.role === 'customer')!;
    for (const viewport of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
      const context = await browser!.newContext({ viewport, hasTouch: viewport.width < 500, locale: 'zh-CN' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server!.url}/login?next=%2Ftickets`);
      await page.getByTestId('login-username').fill(customer.username);
      await page.getByTestId('login-password').fill(customer.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('customer-welcome').waitFor();
      expect(await page.getByTestId('customer-welcome').textContent()).toContain('客户自助门户');
      // Staff pages typed in directly show the same page, with no staff control anywhere.
      for (const url of ['/tickets', '/intake', '/customers', '/admin/users', `/tickets/202601001`]) {
        await page.goto(`${server!.url}${url}`);
        await page.getByTestId('customer-welcome').waitFor();
        for (const staff of ['nav-menu', 'nav-settings', 'queue-count', 'queue-sort', 'intake-form', 'current-user-box']) expect(await page.getByTestId(staff).count(), `${url}: ${staff}`).toBe(0);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(OUT, `customer-console-${viewport.width}.png`), fullPage: true });
      // Its button opens the portal, signed in with the same session.
      await page.getByTestId('open-portal').click();
      await page.waitForURL(/\/portal\/$/);
      await page.locator('h1', { hasText: '您好' }).waitFor();
      await page.goto(`${server!.url}/tickets`);
      await page.getByTestId('customer-welcome').waitFor();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-form').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
