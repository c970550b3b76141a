// End-to-end: the admin's 客户消息 page at 1440×900. A template saved with a misspelt variable is refused on its field
// and keeps what was typed; fixed, previewed with sample values, saved, then restored to the default; the channel
// settings take an Aliyun key whose secret is never shown again.
import { describe, expect } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots } from './helpers.js';

const shot = screenshots('customer-messages', true);

describe('customer messages admin page', () => {
  const env = e2eEnvironment({ demo: false });

  e2eTest('edits, previews and restores a template; saves channel keys without showing the secret', async () => {
    const { server, browser } = env;
    const admin = server.users.find((u) => u.role === 'admin')!;
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await consoleSignIn(page, server, admin.username);
      await page.goto(`${server.url}/admin/customer-messages`);
      await page.getByTestId('tpl-event-staff_reply').click();
      const body = page.getByTestId('tpl-body');
      await expect.poll(() => body.inputValue()).toContain('{{reply}}');
      await shot(page, '01-template');
      expect(await seriousAxeViolations(page)).toEqual([]);

      const typed = '{{customerName}}，您好：{{replly}}\n查看：{{link}}';
      await body.fill(typed);
      await page.getByTestId('tpl-save').click();
      await expect.poll(() => page.getByText('模板中有此消息没有的变量：replly').count()).toBe(1);
      expect(await body.inputValue()).toBe(typed);
      await shot(page, '02-unknown-variable');

      await body.fill('{{customerName}}，您好：{{reply}}\n查看：{{link}}');
      await page.getByTestId('tpl-preview').click();
      await expect.poll(() => page.getByTestId('tpl-preview-box').textContent()).toContain('王女士，您好：请先检查进水管接口是否拧紧。');
      await page.getByTestId('tpl-save').click();
      await expect.poll(() => page.getByTestId('tpl-event-staff_reply').textContent()).toContain('已修改');
      await shot(page, '03-saved-preview');
      await page.getByTestId('tpl-reset').click();
      await expect.poll(() => body.inputValue()).toContain('关于您的服务请求');

      await page.getByRole('tab', { name: '发送渠道' }).click();
      await page.getByTestId('ch-sms-provider').click();
      await page.getByTitle('阿里云短信').click();
      await page.getByLabel('AccessKey ID').fill('LTAI5tExample');
      await page.getByLabel('AccessKey Secret').fill('secret-never-shown-again');
      await page.getByLabel('短信签名').fill('售后服务');
      await page.getByLabel(/^已受理$/).fill('SMS_100001');
      await page.getByTestId('channels-save').click();
      await expect.poll(() => page.getByText('已保存（不会显示）').count()).toBe(1);
      expect(await page.getByLabel('AccessKey Secret').inputValue()).toBe('');
      expect(await page.content()).not.toContain('secret-never-shown-again');
      await shot(page, '04-channels');
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
