// End-to-end: a customer rejects a complaint's solution, and another reviewer records the second review (二次复核).
// An engineer solves a complaint, the service desk's supervisor approves it, and the demo customer — through the API
// with their own account, as the portal will — says they are not satisfied. The ticket reopens one priority up with a
// pending second review. QA (neither the solution's author nor its approver) opens the ticket in the console, sees
// 二次复核 · 待复核, records the finding through the action's form, and the card shows who found what; the customer's
// own view of the ticket carries none of it.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');
const FINDING = '复核通话录音：首次方案只更换了冰箱门封条，没有检查客户反映的制冷问题，判断草率';

interface Server {
  url: string;
  close(): Promise<void>;
  users: { username: string; password: string; role: string }[];
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(OUT, `review-${name}.png`), fullPage });
}

describe('second review in the console', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    const { startTestServer } = await import('../../src/server/testing.js');
    server = (await startTestServer({ demo: true })) as Server;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A signed-in API session of a demo user (cookie + CSRF token), as the console or the portal has. */
  async function session(username: string) {
    const user = server!.users.find((u) => u.username === username);
    expect(user, `demo login "${username}"`).toBeTruthy();
    const ctx = await browser!.newContext();
    const login = await ctx.request.post(`${server!.url}/api/auth/login`, { data: { username, password: user!.password } });
    expect(login.status(), await login.text()).toBe(200);
    const body = (await login.json()) as { user: { id: number; departmentId: number | null; customerId: number | null }; csrfToken: string };
    const headers = { 'x-csrf-token': body.csrfToken, 'content-type': 'application/json' };
    const call = async (method: 'get' | 'post' | 'patch', url: string, data?: unknown) => {
      const res = await (ctx.request as APIRequestContext)[method](`${server!.url}${url}`, { headers, data });
      const text = await res.text();
      expect(res.status(), `${method.toUpperCase()} ${url}: ${text}`).toBeLessThan(300);
      return JSON.parse(text) as Record<string, any>;
    };
    return { user: body.user, call, close: () => ctx.close() };
  }

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('customer rejects a complaint’s solution → QA records the second review in the console', async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser) throw new Error('setup failed');
    const engineer = await session('engineer');
    const supervisor = await session('supervisor');
    const customer = await session('customer');
    expect(customer.user.customerId).not.toBeNull();

    // ---- a complaint of the demo customer, solved by the engineer, approved by the service desk's supervisor
    const created = await engineer.call('post', '/api/tickets', {
      title: `E2E 投诉：冰箱维修后仍不制冷 ${Date.now().toString(36)}`,
      description: '客户投诉：上周上门维修冰箱后冷藏室仍然不冷，工程师态度敷衍。',
      channel: 'phone',
      priority: 'P3',
      serviceType: 'complaint',
      customerId: customer.user.customerId,
      departmentId: engineer.user.departmentId,
      assigneeId: engineer.user.id,
    });
    const number = created.number as string;
    await engineer.call('post', `/api/tickets/${number}/transitions`, { to: 'in_progress' });
    await engineer.call('post', `/api/tickets/${number}/solution`, { solution: '已上门更换冰箱门封条，并向客户致歉' });
    const approved = await supervisor.call('post', `/api/tickets/${number}/review`, { approve: true });
    expect(approved.status).toBe('pending_confirmation');

    // ---- the customer is not satisfied (their own account, through the API: the portal's call)
    const rejected = await customer.call('post', `/api/tickets/${number}/confirmation`, { satisfied: false, customerWords: '冰箱还是不冷，门封条根本不是问题' });
    expect(rejected).toMatchObject({ status: 'reopened', priority: 'P2' });
    expect(rejected.secondReview).toBeUndefined();

    // ---- QA opens the ticket in the console: 二次复核 · 待复核, and the action is offered
    const qa = server.users.find((u) => u.username === 'qa')!;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const failedResponses: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/me'))) failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.setDefaultTimeout(20_000);
    try {
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill(qa.username);
      await page.getByTestId('login-password').fill(qa.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/tickets/);
      // QA registers nothing: no phone-intake entry in the menu, and the page itself sends them to the queue.
      await page.getByTestId('ticket-table').waitFor({ state: 'visible' });
      expect(await page.locator('a[href="/intake"]').count()).toBe(0);
      await page.goto(`${server.url}/intake`);
      await page.waitForURL(/\/tickets$/);
      await page.goto(`${server.url}/tickets/${number}`);
      const card = page.getByTestId('second-review-card');
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => page.getByTestId('second-review-status').textContent()).toBe('待复核');
      await expect.poll(() => card.textContent()).toContain('客户对投诉处理不满意');
      const action = page.getByTestId('action-second_review');
      await action.waitFor({ state: 'visible' });
      // QA reviews but does not work the ticket: no solution, status or edit controls.
      expect(await page.getByTestId('action-submit_solution').count()).toBe(0);
      for (const control of ['edit-ticket', 'reply-box', 'assign-me', 'assign-save']) expect(await page.getByTestId(control).count(), control).toBe(0);
      expect(await page.getByTestId('assignment-card').count()).toBe(1);
      await card.scrollIntoViewIfNeeded();
      await shot(page, '01-pending');

      // ---- the form: a finding is required
      await action.click();
      await page.getByTestId('second-review-failure').click();
      await page.getByTestId('action-ok').click();
      await expect.poll(() => page.locator('.ant-form-item-explain-error').first().textContent()).toContain('复核意见');
      await page.getByTestId('second-review-finding-input').fill(FINDING);
      await page.getByTestId('second-review-next').fill('工程师复训冰箱制冷故障排查；主管把关改进方案');
      await shot(page, '02-form');
      await page.getByTestId('action-ok').click();

      // ---- recorded: by whom, the verdict and the finding; the action is gone; the timeline has the entry
      await expect.poll(() => page.getByTestId('second-review-status').textContent()).toBe('已复核');
      await expect.poll(() => page.getByTestId('second-review-finding').textContent()).toBe(FINDING);
      await expect.poll(() => page.getByTestId('second-review-by').textContent()).toContain('钱质检');
      await expect.poll(() => card.textContent()).toContain('存在服务缺陷');
      expect(await page.getByTestId('action-second_review').count()).toBe(0);
      await expect.poll(() => page.getByText('二次复核结论').count()).toBeGreaterThan(0);
      await card.scrollIntoViewIfNeeded();
      await shot(page, '03-recorded');

      // ---- the customer's own view carries nothing of it
      const mine = await customer.call('get', `/api/tickets/${number}`);
      expect(JSON.stringify(mine)).not.toContain('复核');
      const events = await customer.call('get', `/api/tickets/${number}/events?limit=200`);
      expect(JSON.stringify(events)).not.toContain('复核');
      const staff = await supervisor.call('get', `/api/tickets/${number}`);
      expect(staff.secondReview).toMatchObject({ status: 'done', verdict: 'service_failure', finding: FINDING });

      expect(pageErrors).toEqual([]);
      expect(failedResponses).toEqual([]);
    } catch (err) {
      await shot(page, 'failure', true).catch(() => {});
      throw new Error(`${err instanceof Error ? err.message : String(err)}\npage errors: ${pageErrors.join(' | ')}\nfailed responses: ${failedResponses.join(' | ')}`, { cause: err });
    } finally {
      await context.close();
      await Promise.all([engineer.close(), supervisor.close(), customer.close()]);
    }
  });
});
