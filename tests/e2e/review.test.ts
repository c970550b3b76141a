// End-to-end: a customer rejects a complaint's solution, and another reviewer records the second review (二次复核).
// An engineer solves a complaint, the service desk's supervisor approves it, and the demo customer — through the API
// with their own account, as the portal will — says they are not satisfied. The ticket reopens one priority up with a
// pending second review. QA (neither the solution's author nor its approver) opens the ticket in the console, sees
// 二次复核 · 待复核, records the finding through the action's form, and the card shows who found what; the customer's
// own view of the ticket carries none of it.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import { apiSessions, consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots, solvedForCustomer, watchPage } from './helpers.js';

const FINDING = '复核通话录音：首次方案只更换了冰箱门封条，没有检查客户反映的制冷问题，判断草率';
const shot = screenshots('review');

describe('second review in the console', () => {
  const env = e2eEnvironment();

  e2eTest('customer rejects a complaint’s solution → QA records the second review in the console', async () => {
    const { server, browser } = env;
    const [engineer, supervisor, customer] = await apiSessions(browser, server, 'engineer', 'supervisor', 'customer');
    expect(customer.user.customerId).not.toBeNull();

    // ---- a complaint of the demo customer, solved by the engineer, approved by the service desk's supervisor
    const { number } = await solvedForCustomer(
      { engineer, supervisor, customer },
      { title: 'E2E 投诉：冰箱维修后仍不制冷', description: '客户投诉：上周上门维修冰箱后冷藏室仍然不冷，工程师态度敷衍。', serviceType: 'complaint' },
      '已上门更换冰箱门封条，并向客户致歉',
    );

    // ---- the customer is not satisfied (their own account, through the API: the portal's call)
    const rejected = await customer.call('post', `/api/tickets/${number}/confirmation`, { satisfied: false, customerWords: '冰箱还是不冷，门封条根本不是问题' });
    expect(rejected).toMatchObject({ status: 'reopened', priority: 'P2' });
    expect(rejected.secondReview).toBeUndefined();

    // ---- QA opens the ticket in the console: 二次复核 · 待复核, and the action is offered
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const { pageErrors, failedResponses, explain } = watchPage(page);
    page.setDefaultTimeout(20_000);
    try {
      await consoleSignIn(page, server, 'qa');
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
      throw explain(err);
    } finally {
      await context.close();
      await Promise.all([engineer.close(), supervisor.close(), customer.close()]);
    }
  });
});
