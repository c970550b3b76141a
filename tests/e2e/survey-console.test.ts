// End-to-end: satisfaction in the console (issue 15). A ticket of the demo customer is solved, approved and closed by
// the customer; the survey goes out on closing and the customer answers it by its signed link, unhappy (2 of 5, NPS 4).
// The service desk's supervisor opens the ticket at 1440×900: the 满意度 card shows the score, NPS, comment and the
// follow-up call (回访) with its deadline; closing it asks for a finding, then shows it. The admin adds a question on
// the survey page and saves it as a new version.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');
const COMMENT = '等了三天才有人上门，师傅还迟到了两个小时';
const FINDING = '已致电客户道歉，说明延误原因；已安排主管回访复查';

interface Server {
  url: string;
  close(): Promise<void>;
  users: { username: string; password: string; role: string }[];
}

async function shot(page: Page, name: string, fullPage = false) {
  await page.screenshot({ path: path.join(OUT, `survey-console-${name}.png`), fullPage });
}

describe('satisfaction survey in the console', () => {
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

  async function session(username: string) {
    const user = server!.users.find((u) => u.username === username);
    expect(user, `demo login "${username}"`).toBeTruthy();
    const ctx = await browser!.newContext();
    const login = await ctx.request.post(`${server!.url}/api/auth/login`, { data: { username, password: user!.password } });
    expect(login.status(), await login.text()).toBe(200);
    const body = (await login.json()) as { user: { id: number; departmentId: number | null; customerId: number | null }; csrfToken: string };
    const headers = { 'x-csrf-token': body.csrfToken, 'content-type': 'application/json' };
    const call = async (method: 'get' | 'post' | 'patch' | 'put', url: string, data?: unknown) => {
      const res = await (ctx.request as APIRequestContext)[method](`${server!.url}${url}`, { headers, data });
      const text = await res.text();
      expect(res.status(), `${method.toUpperCase()} ${url}: ${text}`).toBeLessThan(300);
      return JSON.parse(text) as Record<string, any>;
    };
    return { user: body.user, call, close: () => ctx.close() };
  }

  async function signIn(page: Page, username: string) {
    const u = server!.users.find((x) => x.username === username)!;
    await page.goto(`${server!.url}/login`);
    await page.getByTestId('login-username').fill(u.username);
    await page.getByTestId('login-password').fill(u.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/tickets/);
  }

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('shows the answer and the follow-up on the ticket, closes the follow-up with a finding, and edits the form', async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser) throw new Error('setup failed');
    const engineer = await session('engineer');
    const supervisor = await session('supervisor');
    const customer = await session('customer');

    const created = await engineer.call('post', '/api/tickets', {
      title: `E2E 满意度：洗衣机上门维修 ${Date.now().toString(36)}`,
      description: '洗衣机脱水时异响，预约上门维修。',
      channel: 'phone',
      priority: 'P3',
      customerId: customer.user.customerId,
      departmentId: engineer.user.departmentId,
      assigneeId: engineer.user.id,
    });
    const number = created.number as string;
    await engineer.call('post', `/api/tickets/${number}/transitions`, { to: 'in_progress' });
    await engineer.call('post', `/api/tickets/${number}/solution`, { solution: '更换减震器，试机正常' });
    await supervisor.call('post', `/api/tickets/${number}/review`, { approve: true });
    expect((await customer.call('post', `/api/tickets/${number}/confirmation`, { satisfied: true })).status).toBe('closed');

    // ---- the survey went out on closing; the customer answers by its link, without signing in
    const { survey } = await supervisor.call('get', `/api/tickets/${number}/survey`);
    const token = (survey.link as string).split('/').pop()!;
    const anon = await browser.newContext();
    const answered = await anon.request.post(`${server.url}/api/public/surveys/${token}`, { data: { score: 2, nps: 4, comment: COMMENT } });
    expect(answered.status(), await answered.text()).toBe(200);
    await anon.close();

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
      await signIn(page, 'supervisor');
      await page.goto(`${server.url}/tickets/${number}`);
      const card = page.getByTestId('survey-card');
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => page.getByTestId('survey-status').textContent()).toBe('已评价');
      await expect.poll(() => page.getByTestId('survey-score').textContent()).toContain('2 / 5 分');
      await expect.poll(() => page.getByTestId('survey-nps').textContent()).toContain('贬损者');
      await expect.poll(() => page.getByTestId('survey-comment').textContent()).toBe(COMMENT);
      await expect.poll(() => page.getByTestId('follow-up-state').textContent()).toBe('进行中');
      await expect.poll(() => card.textContent()).toContain('满意度 1–2 分');
      // The timeline has the answer and the follow-up's opening.
      await expect.poll(() => page.getByText('满意度 2/5，推荐意愿 4/10').count()).toBeGreaterThan(0);
      await card.scrollIntoViewIfNeeded();
      await shot(page, '01-answered');

      // ---- closing the follow-up: the finding is required, what was chosen stays
      await page.getByTestId('follow-up-outcome').click();
      await page.getByTitle('已解决客户关切').click();
      await page.getByTestId('follow-up-close').click();
      await expect.poll(() => card.locator('.ant-form-item-explain-error').first().textContent()).toBe('必填');
      await page.getByTestId('follow-up-finding-input').fill(FINDING);
      await shot(page, '02-form');
      await page.getByTestId('follow-up-close').click();
      await expect.poll(() => page.getByTestId('follow-up-state').textContent()).toBe('按时完成');
      await expect.poll(() => page.getByTestId('follow-up-finding').textContent()).toBe(FINDING);
      expect(await page.getByTestId('follow-up-form').count()).toBe(0);
      // The timeline names the entries (no raw kinds).
      await expect.poll(() => page.getByText('满意度回访完成').count()).toBeGreaterThan(0);
      expect(await page.getByText('survey_follow_up_closed').count()).toBe(0);
      await card.scrollIntoViewIfNeeded();
      await shot(page, '03-closed');
      const after = await supervisor.call('get', `/api/tickets/${number}/survey`);
      expect(after.survey.followUp).toMatchObject({ outcome: 'resolved', finding: FINDING, state: 'met' });
      expect(pageErrors).toEqual([]);
      expect(failedResponses).toEqual([]);

      // ---- the admin adds a question to the survey: a new version
      await page.context().clearCookies();
      await signIn(page, 'admin');
      await page.goto(`${server.url}/admin/survey`);
      await expect.poll(() => page.getByTestId('survey-form-version').textContent()).toContain('第 1 版');
      await page.getByTestId('wording-intro-zh-CN').fill('感谢您抽出一分钟评价本次服务');
      await page.getByTestId('survey-add-question').click();
      await page.getByTestId('question-0-id').fill('punctual');
      await page.getByTestId('question-0-add-option').click();
      await page.getByTestId('question-0-add-option').click();
      await page.getByTestId('survey-save').click();
      // Empty labels are refused in the form, naming each field; nothing is lost.
      await expect.poll(() => page.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(0);
      await page.getByTestId('question-0-label-zh-CN').fill('工程师是否准时上门');
      await page.getByTestId('question-0-label-en').fill('Did the engineer arrive on time');
      const q = page.getByTestId('survey-question-0');
      const inputs = q.locator('input[aria-label^="选项 "]');
      await inputs.nth(0).fill('准时');
      await inputs.nth(1).fill('On time');
      await inputs.nth(2).fill('迟到');
      await inputs.nth(3).fill('Late');
      await page.getByTestId('survey-save').click();
      await expect.poll(() => page.getByTestId('survey-form-version').textContent()).toContain('第 2 版');
      await shot(page, '04-admin-form', true);
      const form = await (await session('admin')).call('get', '/api/admin/survey-form');
      expect(form).toMatchObject({ version: 2, wording: { intro: { 'zh-CN': '感谢您抽出一分钟评价本次服务' } }, questions: [{ id: 'punctual', type: 'choice', options: [{ value: 'o1' }, { value: 'o2' }] }] });
      expect(pageErrors).toEqual([]);
    } catch (err) {
      await shot(page, 'failure', true).catch(() => {});
      throw new Error(`${err instanceof Error ? err.message : String(err)}\npage errors: ${pageErrors.join(' | ')}\nfailed responses: ${failedResponses.join(' | ')}`, { cause: err });
    } finally {
      await context.close();
      await Promise.all([engineer.close(), supervisor.close(), customer.close()]);
    }
  });
});
