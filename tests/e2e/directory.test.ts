// End-to-end: the administrator's settings pages for people and categories, against the real server with demo data.
// Scenario: the admin adds a person (department, skill), is refused a second person with the same user name without
// losing what was typed, then adds a subcategory and deactivates it; the new person can sign in.
import { describe, expect } from 'vitest';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots } from './helpers.js';

const UNIQUE = Date.now().toString(36);

const shot = screenshots('directory', true);

describe('settings: people and categories', () => {
  const env = e2eEnvironment();

  e2eTest('admin: adds a person and a category, and they appear', async () => {
    const { server, browser } = env;
    const base = server.url;
    const admin = server.users.find((u) => u.role === 'admin')!;
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(20_000);

    try {
      await consoleSignIn(page, server, admin.username);

      // ---- a new person, found through the settings menu
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('nav-users').click();
      await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('人员与部门');
      const username = `e2e_${UNIQUE}`;
      const fillPerson = async () => {
        await page.getByTestId('user-new').click();
        await page.getByTestId('user-username').fill(username);
        await page.getByTestId('user-display-name').fill('测试专员');
        await page.getByTestId('user-password').fill('e2e-password-1');
      };
      await fillPerson();
      // antd's dropdown slides in; a click during the animation can miss the option (seen once under CI load), so try
      // until the choice shows.
      for (let attempt = 0; attempt < 3; attempt++) {
        await page.getByTestId('user-department').click();
        const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '客服部' });
        await option.waitFor({ state: 'visible' });
        await page.waitForTimeout(300);
        await option.click();
        if ((await page.getByTestId('user-department').textContent()) === '客服部') break;
        await page.keyboard.press('Escape');
      }
      await expect.poll(() => page.getByTestId('user-department').textContent()).toBe('客服部');
      await page.getByTestId('user-skills').click();
      await page.keyboard.type('空调');
      await page.keyboard.press('Enter');
      await page.getByTestId('user-save').click();
      const row = page.locator('[data-testid="user-table"] tr', { hasText: username });
      await row.waitFor({ state: 'visible' });
      await expect.poll(() => row.textContent()).toMatch(/测试专员.*客服.*客服部.*空调/);
      await shot(page, '01-person-added');

      // ---- the same user name again: the server's refusal shows on the field and nothing typed is lost
      await fillPerson();
      await page.getByTestId('user-save').click();
      await page.getByText('用户名已被占用').waitFor({ state: 'visible' });
      expect(await page.getByTestId('user-display-name').inputValue()).toBe('测试专员');
      expect(await page.getByTestId('user-password').inputValue()).toBe('e2e-password-1');
      await shot(page, '02-person-refused');
      await page.getByRole('button', { name: /取\s*消/ }).click();

      // Outside the browser: signing in there would replace the admin's session cookie.
      const signIn = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'e2e-password-1' }) });
      expect(signIn.status).toBe(200);

      // ---- a subcategory under 其他, then deactivated: it stays in the tree, greyed
      await page.getByTestId('nav-categories').click();
      await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('问题分类');
      await page.getByTestId('cat-add-other').click();
      await page.getByTestId('cat-code').fill(`e2e_${UNIQUE}`);
      await page.getByTestId('cat-name-zh').fill('端到端测试分类');
      await page.getByTestId('cat-name-en').fill('End-to-end category');
      await page.getByTestId('cat-save').click();
      const code = `other.e2e_${UNIQUE}`;
      const catRow = page.locator(`[data-testid="cat-table"] tr[data-row-key="${code}"]`);
      await catRow.waitFor({ state: 'visible' });
      await expect.poll(() => catRow.textContent()).toContain('End-to-end category');
      await page.getByTestId(`cat-active-${code}`).click();
      await expect.poll(() => catRow.getAttribute('class')).toContain('ac-row-inactive');
      await shot(page, '03-category-added');

      // ---- the same pages in English
      await page.getByTestId('lang-en').click();
      await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('Categories');
      await expect.poll(() => page.getByTestId('nav-users').textContent()).toBe('People & departments');
      await shot(page, '04-categories-english');

      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    } catch (err) {
      await shot(page, 'failure').catch(() => {});
      if (pageErrors.length) console.error(`[e2e] page errors:\n  ${pageErrors.join('\n  ')}`);
      throw err;
    } finally {
      await context.close();
    }
  });
});
