// End-to-end: a customer who signs in to the staff console is sent to the portal, at every path, and is never offered a
// staff control (no menu, no queue, no intake, no settings). Phone size first, as a customer would arrive.
import { describe, expect } from 'vitest';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, expectFitsWidth, PHONE, screenshots } from './helpers.js';

const shot = screenshots('customer-console', true);

describe('customer in the staff console', () => {
  const env = e2eEnvironment();

  e2eTest('shows the portal page and no staff control, at phone and desktop size', async () => {
    const { server, browser } = env;
    for (const viewport of [PHONE, DESKTOP]) {
      const context = await browser.newContext({ viewport, hasTouch: viewport.width < 500, locale: 'zh-CN' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await consoleSignIn(page, server, 'customer');
      await page.getByTestId('customer-welcome').waitFor();
      expect(await page.getByTestId('customer-welcome').textContent()).toContain('客户自助门户');
      // Staff pages typed in directly show the same page, with no staff control anywhere.
      for (const url of ['/tickets', '/intake', '/customers', '/admin/users', `/tickets/202601001`]) {
        await page.goto(`${server.url}${url}`);
        await page.getByTestId('customer-welcome').waitFor();
        for (const staff of ['nav-menu', 'nav-settings', 'queue-count', 'queue-sort', 'intake-form', 'current-user-box']) expect(await page.getByTestId(staff).count(), `${url}: ${staff}`).toBe(0);
      }
      await expectFitsWidth(page);
      await shot(page, String(viewport.width));
      // Its button opens the portal, signed in with the same session.
      await page.getByTestId('open-portal').click();
      await page.waitForURL(/\/portal\/$/);
      await page.locator('h1', { hasText: '您好' }).waitFor();
      await page.goto(`${server.url}/tickets`);
      await page.getByTestId('customer-welcome').waitFor();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-form').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
