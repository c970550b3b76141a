// End-to-end: a customer answers the satisfaction survey by its signed link on a phone (390×844), without signing in.
// The admin has added two questions; a ticket of the demo customer is closed, and the link its survey got is opened:
// the form in Chinese, accessible (axe: no critical or serious violation). Sending it half filled names what is
// missing and keeps what was typed; sent, it thanks the customer (and, for a low score, says a supervisor will call).
// Opening the link again shows the answer on file; a second tab that still shows the form is told it was answered.
// An expired link and a damaged one each say so, in English too.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const COMMENT = '上门比约定晚了两个小时，也没有提前打电话';
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: 'Asia/Shanghai', bypassCSP: true };

interface Server {
  url: string;
  close(): Promise<void>;
  users: { username: string; password: string; role: string }[];
  services: { links: { token(purpose: 'survey', subject: number, lifetimeMs?: number): Promise<string> } };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(OUT, `survey-portal-${name}.png`), fullPage: true });
}

/** The survey's own content (the portal's <main>): the shell around it (header, language switch) is the portal's to check. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: object, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run({ include: [['#pt-main']] }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** No horizontal scrolling on the phone. */
async function fitsWidth(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, 'page scrolls sideways').toBeLessThanOrEqual(client);
}

describe('satisfaction survey by link on a phone', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    const { startTestServer } = await import('../../src/server/testing.js');
    server = (await startTestServer({ demo: true })) as unknown as Server;
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
    const call = async (method: 'get' | 'post' | 'put', url: string, data?: unknown) => {
      const res = await (ctx.request as APIRequestContext)[method](`${server!.url}${url}`, { headers, data });
      const text = await res.text();
      expect(res.status(), `${method.toUpperCase()} ${url}: ${text}`).toBeLessThan(300);
      return JSON.parse(text) as Record<string, any>;
    };
    return { user: body.user, call, close: () => ctx.close() };
  }

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('answers by link without signing in; keeps input on errors; one answer; expired and damaged links say so', { timeout: 300_000 }, async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser) throw new Error('setup failed');
    const admin = await session('admin');
    const engineer = await session('engineer');
    const supervisor = await session('supervisor');
    const customer = await session('customer');
    await admin.call('put', '/api/admin/survey-form', {
      questions: [
        { id: 'punctual', type: 'choice', required: true, label: { 'zh-CN': '工程师是否准时上门？', en: 'Did the engineer arrive on time?' }, options: [{ value: 'yes', label: { 'zh-CN': '准时', en: 'On time' } }, { value: 'no', label: { 'zh-CN': '迟到', en: 'Late' } }] },
        { id: 'idea', type: 'text', label: { 'zh-CN': '您希望我们改进什么？', en: 'What should we improve?' } },
      ],
    });
    const created = await engineer.call('post', '/api/tickets', {
      title: `E2E 满意度：空调上门安装 ${Date.now().toString(36)}`,
      description: '新购空调预约上门安装。',
      channel: 'phone',
      priority: 'P3',
      customerId: customer.user.customerId,
      departmentId: engineer.user.departmentId,
      assigneeId: engineer.user.id,
    });
    const number = created.number as string;
    await engineer.call('post', `/api/tickets/${number}/transitions`, { to: 'in_progress' });
    await engineer.call('post', `/api/tickets/${number}/solution`, { solution: '已完成安装并试机' });
    await supervisor.call('post', `/api/tickets/${number}/review`, { approve: true });
    await customer.call('post', `/api/tickets/${number}/confirmation`, { satisfied: true });
    const link = (await supervisor.call('get', `/api/tickets/${number}/survey`)).survey.link as string;
    const surveyPath = new URL(link).pathname;
    expect(surveyPath).toMatch(/^\/portal\/survey\//);

    const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    const other = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(20_000);
    try {
      // ---- the link opens the form, no sign-in
      await page.goto(`${server.url}${surveyPath}`);
      await page.getByTestId('survey-form').waitFor({ timeout: 60_000 });
      await expect.poll(() => page.locator('h1').textContent()).toBe('服务满意度评价');
      await expect.poll(() => page.getByTestId('survey-ticket').textContent()).toContain(number);
      expect(await page.getByText('工程师是否准时上门？').count()).toBe(1);
      await fitsWidth(page);
      await shot(page, '01-form');
      expect(await seriousViolations(page)).toEqual([]);
      // A second tab opens the same form now (answered later from the first).
      await other.goto(`${server.url}${surveyPath}`);
      await other.getByTestId('survey-form').waitFor({ timeout: 60_000 });

      // ---- half filled: what is missing is named, what was typed stays
      await page.getByTestId('survey-comment').fill(COMMENT);
      await page.getByTestId('survey-score').getByText('不满意', { exact: true }).click();
      await page.getByTestId('survey-submit').click();
      await expect.poll(() => page.getByTestId('survey-error').textContent()).toContain('还有问题没有回答');
      await expect.poll(() => page.getByTestId('survey-nps').locator('[role="alert"]').textContent()).toBe('请选择一项');
      await expect.poll(() => page.getByTestId('survey-q-punctual').locator('[role="alert"]').textContent()).toBe('请选择一项');
      expect(await page.getByTestId('survey-comment').inputValue()).toBe(COMMENT);
      expect(await page.locator('input[name="score"][value="2"]').isChecked()).toBe(true);
      await shot(page, '02-missing');
      expect(await seriousViolations(page)).toEqual([]);

      // ---- completed and sent
      await page.getByTestId('survey-nps').locator('label').filter({ hasText: /^5$/ }).click();
      await page.getByText('迟到', { exact: true }).click();
      await page.getByLabel('您希望我们改进什么？').fill('希望提前电话确认上门时间');
      await page.getByTestId('survey-submit').click();
      await expect.poll(() => page.getByTestId('survey-thanks').textContent()).toContain('服务主管会尽快与您联系');
      await expect.poll(() => page.getByTestId('survey-answer-score').textContent()).toContain('2 分（不满意）');
      await fitsWidth(page);
      await shot(page, '03-thanks');
      const staff = (await supervisor.call('get', `/api/tickets/${number}/survey`)).survey;
      expect(staff.answer).toMatchObject({ score: 2, nps: 5, comment: COMMENT, answers: { punctual: 'no', idea: '希望提前电话确认上门时间' } });
      expect(staff.followUp).toMatchObject({ state: 'ok', reasons: ['low_score', 'detractor'] });

      // ---- the link again: the answer on file; the stale tab is told it was answered and shown it
      await page.reload();
      await page.getByTestId('survey-answered').waitFor();
      await other.getByTestId('survey-score').getByText('非常满意', { exact: true }).click();
      await other.getByTestId('survey-nps').locator('label').filter({ hasText: /^10$/ }).click();
      await other.getByText('准时', { exact: true }).click();
      await other.getByTestId('survey-submit').click();
      await expect.poll(() => other.getByTestId('survey-answered').textContent()).toContain('此服务单已经评价过');
      await expect.poll(() => other.getByTestId('survey-answer-score').textContent()).toContain('2 分');

      // ---- an expired link and a damaged one, in Chinese and in English
      const expired = await server.services.links.token('survey', created.id as number, -60_000);
      await page.goto(`${server.url}/portal/survey/${expired}`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('评价链接已过期');
      await shot(page, '04-expired');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(`${server.url}/portal/survey/${expired.slice(0, -3)}abc`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('评价链接无效');
      expect(pageErrors).toEqual([]);

      const en = await browser.newContext({ ...PHONE, locale: 'en-US' });
      const enPage = await en.newPage();
      await enPage.goto(`${server.url}/portal/survey/${expired}`);
      await expect.poll(() => enPage.locator('h1').textContent()).toBe('This rating link has expired');
      await enPage.goto(`${server.url}${surveyPath}`);
      await expect.poll(() => enPage.getByTestId('survey-answer-score').textContent()).toContain('2 (Dissatisfied)');
      await shot(enPage, '05-answered-en');
      await en.close();
    } catch (err) {
      await shot(page, 'failure').catch(() => {});
      throw new Error(`${err instanceof Error ? err.message : String(err)}\npage errors: ${pageErrors.join(' | ')}`, { cause: err });
    } finally {
      await context.close();
      await Promise.all([admin.close(), engineer.close(), supervisor.close(), customer.close()]);
    }
  });
});
