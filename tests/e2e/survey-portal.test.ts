// End-to-end: a customer answers the satisfaction survey by its signed link on a phone (390×844), without signing in.
// The admin has added two questions; a ticket of the demo customer is closed, and the link its survey got is opened:
// the form in Chinese, accessible (axe: no critical or serious violation). Sending it half filled names what is
// missing and keeps what was typed; sent, it thanks the customer (and, for a low score, says a supervisor will call).
// Opening the link again shows the answer on file; a second tab that still shows the form is told it was answered.
// An expired link and a damaged one each say so, in English too.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from './axe.js';
import { apiSessions, e2eEnvironment, e2eTest, expectFitsWidth, PHONE, screenshots, solvedForCustomer } from './helpers.js';

const COMMENT = '上门比约定晚了两个小时，也没有提前打电话';
const ON_PHONE = { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: 'Asia/Shanghai', bypassCSP: true };
const shot = screenshots('survey-portal', true);
/** The survey's own content (the portal's <main>): the shell around it (header, language switch) is the portal's to check. */
const seriousViolations = async (page: Page) => (await seriousAxeViolations(page, '#pt-main')).map((v) => `${v.id}: ${v.nodes.join(', ')}`);

describe('satisfaction survey by link on a phone', () => {
  const env = e2eEnvironment();

  e2eTest('answers by link without signing in; keeps input on errors; one answer; expired and damaged links say so', async () => {
    const { server, browser } = env;
    const [admin, engineer, supervisor, customer] = await apiSessions(browser, server, 'admin', 'engineer', 'supervisor', 'customer');
    await admin.call('put', '/api/admin/survey-form', {
      questions: [
        { id: 'punctual', type: 'choice', required: true, label: { 'zh-CN': '工程师是否准时上门？', en: 'Did the engineer arrive on time?' }, options: [{ value: 'yes', label: { 'zh-CN': '准时', en: 'On time' } }, { value: 'no', label: { 'zh-CN': '迟到', en: 'Late' } }] },
        { id: 'idea', type: 'text', label: { 'zh-CN': '您希望我们改进什么？', en: 'What should we improve?' } },
      ],
    });
    const created = await solvedForCustomer({ engineer, supervisor, customer }, { title: 'E2E 满意度：空调上门安装', description: '新购空调预约上门安装。' }, '已完成安装并试机');
    const number = created.number;
    await customer.call('post', `/api/tickets/${number}/confirmation`, { satisfied: true });
    const link = (await supervisor.call('get', `/api/tickets/${number}/survey`)).survey.link as string;
    const surveyPath = new URL(link).pathname;
    expect(surveyPath).toMatch(/^\/portal\/survey\//);

    const context = await browser.newContext({ ...ON_PHONE, locale: 'zh-CN' });
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
      await expectFitsWidth(page);
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
      await expectFitsWidth(page);
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
      const expired = await server.services.links.token('survey', created.id, -60_000);
      await page.goto(`${server.url}/portal/survey/${expired}`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('评价链接已过期');
      await shot(page, '04-expired');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(`${server.url}/portal/survey/${expired.slice(0, -3)}abc`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('评价链接无效');
      expect(pageErrors).toEqual([]);

      const en = await browser.newContext({ ...ON_PHONE, locale: 'en-US' });
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
  }, 300_000);
});
