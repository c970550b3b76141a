// End-to-end, console (1440×900): the knowledge base. An agent opens a customer's leak ticket, sees the demo article on
// air-conditioner leaks suggested beside it, inserts it into the reply in one click and sends it; the customer's reply
// carries the article's title and portal link. Then the KB list searched in Chinese (words marked), an article's
// revisions compared, and the editor's preview.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import { consoleWindow, e2eEnvironment, e2eTest, screenshots } from './helpers.js';

const shot = screenshots('kb');

describe('knowledge base in the console', () => {
  const env = e2eEnvironment();

  e2eTest('an agent inserts a suggested article into a reply; staff search, compare revisions and preview', async () => {
    const { server, browser } = env;
    const { ctx, page } = await consoleWindow(browser, server, 'agent');
    const api = async (method: 'get' | 'post', url: string, data?: unknown) => {
      const csrf = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { csrfToken: string }).csrfToken);
      const res = await ctx.request[method](`${server.url}${url}`, { headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' }, data });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return (await res.json()) as Record<string, any>;
    };
    const customers = await api('get', '/api/customers?limit=1');
    const ticket = await api('post', '/api/tickets', {
      title: '卧室空调室内机漏水',
      description: '客户来电：卧室挂机开制冷后室内机一直滴水，水滴到床头柜上。',
      channel: 'phone',
      customerId: customers.items[0].id,
      serviceType: 'repair',
    });

    await page.goto(`${server.url}/tickets/${ticket.number}`);
    const card = page.getByTestId('kb-suggestions');
    await expect.poll(async () => card.getByTestId('kb-suggestion').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = card.getByTestId('kb-suggestion').first();
    expect(await first.textContent()).toContain('空调室内机漏水怎么办');
    await shot(page, 'ticket-suggestions');
    await first.getByTestId('kb-insert').click();
    const box = page.getByTestId('note-input');
    await expect.poll(async () => box.inputValue()).toContain('《空调室内机漏水怎么办》');
    const inserted = await box.inputValue();
    expect(inserted).toMatch(/\/portal\/kb\/\d+/);
    await shot(page, 'ticket-inserted');
    await page.getByTestId('submit-note').click();
    await expect.poll(async () => (await api('get', `/api/tickets/${ticket.number}/comments`)).items.map((c: { body: string; internal: boolean }) => `${c.internal}|${c.body}`).join('\n'), { timeout: 10_000 }).toContain(
      'false|您好，这篇文章或许能帮到您：\n《空调室内机漏水怎么办》',
    );

    // The list, searched in Chinese: the leak article first, its words marked.
    await page.goto(`${server.url}/kb?q=${encodeURIComponent('空调漏水')}`);
    const rows = page.getByTestId('kb-row-title');
    await expect.poll(async () => rows.count(), { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="kb-table"] mark.ac-hit').count()).toBeGreaterThan(0);
    await shot(page, 'list-search');

    // Revisions of the demo leak article (two were seeded) and their difference.
    await rows.filter({ hasText: '空调室内机漏水怎么办' }).first().click();
    await page.waitForSelector('[data-testid="kb-article-body"]');
    const checks = page.locator('.ant-table-selection-column input[type="checkbox"]');
    await expect.poll(async () => checks.count()).toBeGreaterThanOrEqual(2);
    await checks.nth(0).check();
    await checks.nth(1).check();
    await page.getByTestId('kb-compare').click();
    await page.waitForSelector('[data-testid="kb-diff"] ins');
    expect(await page.locator('[data-testid="kb-diff"] ins').first().textContent()).toContain('清洗一次过滤网');
    await shot(page, 'article-diff');
    await page.keyboard.press('Escape');

    // The editor's preview is the server's rendering.
    await page.getByTestId('kb-edit').click();
    await page.waitForSelector('[data-testid="kb-body"]');
    await page.getByTestId('kb-preview-tab').click();
    await page.waitForSelector('[data-testid="kb-preview"] h2');
    await shot(page, 'editor-preview');
    await ctx.close();
  });
});
