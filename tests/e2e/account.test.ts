// End-to-end: the signed-in user's own account page (账号与令牌), reached from their name in the header. Scenario:
// create an API token, see its secret once and use it as Bearer, revoke it (refused at once); a common password is
// refused on its field; a good one is taken, this browser stays signed in and a second browser's session ends.
import { describe, expect } from 'vitest';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots } from './helpers.js';

const shot = screenshots('account', true);

describe('account page: password and API tokens', () => {
  const env = e2eEnvironment({ demo: false });

  e2eTest('creates, uses and revokes a token; changes the password', async () => {
    const { server, browser } = env;
    const base = server.url;
    const admin = server.users.find((u) => u.role === 'admin')!;
    const signIn = async (password: string) => {
      const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await consoleSignIn(page, server, admin.username, password);
      return { context, page };
    };
    const me = (token: string) => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

    const { context, page } = await signIn(admin.password);
    const other = await signIn(admin.password);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.getByTestId('account-link').click();
      await page.waitForURL(/\/account$/);
      await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('账号与令牌');

      await page.getByTestId('token-new').click();
      await page.getByTestId('token-name').fill('CRM 同步');
      await page.getByTestId('token-create').click();
      const secret = (await page.getByTestId('token-secret').textContent())!.trim();
      expect(secret).toMatch(/^act_/);
      expect(await me(secret)).toBe(200);
      await expect.poll(() => page.getByTestId('token-table').textContent()).toContain('CRM 同步');
      await shot(page, '01-created');

      await page.locator('[data-testid^="token-revoke-"]').first().click();
      await page.getByTestId('token-revoke-ok').click();
      await expect.poll(() => page.getByTestId('token-table').textContent()).toContain('还没有 API 令牌');
      expect(await me(secret)).toBe(401);

      await page.getByTestId('current-password').fill(admin.password);
      await page.getByTestId('new-password').fill('qwertyuiop');
      await page.getByTestId('repeat-password').fill('qwertyuiop');
      await page.getByTestId('change-password').click();
      await expect.poll(() => page.getByText('这是常见密码，很容易被猜中，请换一个').count()).toBe(1);
      await shot(page, '02-common-password');

      await page.getByTestId('new-password').fill('teal-orchard-73');
      await page.getByTestId('repeat-password').fill('teal-orchard-73');
      await page.getByTestId('change-password').click();
      await expect.poll(() => page.getByText('密码已修改，其他登录和 API 令牌已失效').count()).toBe(1);
      // This browser stays signed in; the other one's session has ended.
      await page.reload();
      await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('账号与令牌');
      await other.page.reload();
      await other.page.waitForURL(/\/login/);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await other.context.close();
    }
  });
});
