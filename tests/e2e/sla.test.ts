// End-to-end: a service promise running out, seen live in the console.
// An engineer has a P1 ticket whose 4-hour "start handling" clock (clock hours, 24×7) is nearly used up (reported
// 3 h 50 min ago). The queue, sorted by deadline, shows its countdown amber. Then the server's clock moves past the deadline
// and the SLA sweeper runs: without reloading, the bell count goes up (Server-Sent Events) and the countdown turns red.
//
// The server runs on a ManualClock; the browser's clock is set to the same instant (Playwright clock emulation), so
// the countdown the browser computes matches the server's deadlines. The browser clock is NOT moved forward with the
// server's: the red must come from the live notification and the refreshed ticket data.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots, watchPage } from './helpers.js';

/** Wednesday 25 Nov 2026, 17:00 in Shanghai: a working day, an hour before closing (working hours 9–12, 13:30–18). */
const T0 = Date.parse('2026-11-25T09:00:00.000Z');
/** 3 h 50 min before T0 (13:10): P1's 4-hour "start handling" target is in clock hours, due 17:10. */
const REPORTED_AT = '2026-11-25T05:10:00.000Z';
/** Saturday 28 Nov 2026, 23:00 in Shanghai: a P1 outage reported on a weekend night (seed 004). */
const SATURDAY_23 = Date.parse('2026-11-28T15:00:00.000Z');
const MINUTE = 60_000;

const shot = screenshots('sla');

describe('service promises on the clock', () => {
  const env = e2eEnvironment({ clockAt: T0 });

  e2eTest('engineer: amber countdown → server clock passes the deadline → bell rings and the countdown turns red, live', async () => {
    const { server, browser, clock } = env;
    const sweeper = server.services.sweeper;
    const base = server.url;

    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    // The browser's clock starts at the server's instant and runs on in real time.
    await page.clock.install({ time: T0 });
    const { pageErrors, failedResponses } = watchPage(page);
    page.setDefaultTimeout(20_000);

    try {
      // ---- log in
      await consoleSignIn(page, server, 'engineer');

      // ---- a P1 ticket of mine, reported 3 h 50 min ago (through the API, with the browser's session)
      const me = (await (await page.request.get(`${base}/api/me`)).json()) as { user: { id: number; departmentId: number | null }; csrfToken: string };
      const headers = { 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' };
      const created = await page.request.post(`${base}/api/tickets`, {
        headers,
        data: {
          title: `E2E 冷库压缩机停机 ${Date.now().toString(36)}`,
          description: '客户来电：冷库压缩机报高压故障停机，库温正在上升。',
          channel: 'phone',
          priority: 'P1',
          reportedAt: REPORTED_AT,
          customer: { name: '冷链测试客户', phone: '13900001234' },
          departmentId: me.user.departmentId,
          assigneeId: me.user.id,
        },
      });
      expect(created.status(), await created.text()).toBe(201);
      const ticket = (await created.json()) as { number: string; sla: { clocks: { clock: string; dueAt: string; state: string }[] } | null };
      const number = ticket.number;
      const startHandling = ticket.sla?.clocks.find((c) => c.clock === 'startHandling');
      expect(startHandling, 'the P1 policy has a start-handling clock').toBeTruthy();
      expect(Date.parse(startHandling!.dueAt)).toBe(T0 + 10 * MINUTE);
      // Answer the customer, so the (already missed) 30-minute first-response clock stops running.
      const reply = await page.request.post(`${base}/api/tickets/${number}/comments`, { headers, data: { body: '您好，工程师已收到，正在安排。', internal: false } });
      expect(reply.status(), await reply.text()).toBe(201);

      // ---- the queue: my tickets, nearest deadline first (the view's default sort); this one's countdown is amber.
      // Narrowed to this ticket by its number: the demo engineer may have more open tickets than one page holds.
      await page.goto(`${base}/tickets?view=mine&q=${number}`);
      const countdown = page.getByTestId(`countdown-${number}`);
      await countdown.waitFor({ state: 'visible' });
      await expect.poll(() => countdown.getAttribute('data-clock')).toBe('startHandling');
      await expect.poll(() => countdown.getAttribute('data-state')).toBe('warning');
      await expect.poll(() => countdown.textContent()).toMatch(/剩余\s*\d+分\d+秒/);
      await expect.poll(() => page.getByTestId('queue-sort').textContent()).toContain('按截止时间');
      const bellCount = page.getByTestId('bell-count');
      // The notification stream is connected before the server's clock moves.
      await expect.poll(() => bellCount.getAttribute('data-live')).toBe('true');
      const before = Number(await bellCount.getAttribute('data-count'));
      await shot(page, '01-queue-amber');

      // ---- the server's clock passes the deadline; the sweeper notices
      clock.advance(20 * MINUTE);
      await sweeper.runOnce();

      // ---- without a reload: the bell counts the breach, a toast pops up, and the countdown turns red.
      // (With demo data the sweeper finds many overdue tickets at once: a burst of toasts collapses into "more…".)
      await expect.poll(async () => Number(await bellCount.getAttribute('data-count')), { timeout: 15_000 }).toBeGreaterThan(before);
      await page.locator('.ant-notification-notice').first().waitFor({ state: 'visible' });
      await expect.poll(() => countdown.getAttribute('data-state'), { timeout: 15_000 }).toBe('breached');
      await expect.poll(() => countdown.textContent()).toContain('已超时');
      await page.waitForTimeout(400); // let the toasts finish sliding in
      await shot(page, '02-queue-breached');

      // ---- the bell lists the breach; opening it leads to the ticket, where the clock is red too
      await page.getByTestId('bell').click();
      const item = page.locator(`[data-testid^="notification-"][data-kind="sla_breach"]`, { hasText: number }).first();
      await item.waitFor({ state: 'visible' });
      await page.waitForTimeout(400); // the popover's opening animation
      await shot(page, '03-bell');
      await item.click();
      await page.waitForURL(new RegExp(`/tickets/${number}$`));
      await expect.poll(() => page.getByTestId('clock-startHandling').getAttribute('data-state')).toBe('breached');
      await page.locator('[data-testid="timeline-sla_breach"]').first().waitFor({ state: 'visible' });
      await shot(page, '04-ticket', true);

      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    } catch (err) {
      await shot(page, 'failure', true).catch(() => {});
      if (failedResponses.length) console.error(`[e2e] failed HTTP responses:\n  ${failedResponses.join('\n  ')}`);
      if (pageErrors.length) console.error(`[e2e] page errors:\n  ${pageErrors.join('\n  ')}`);
      throw err;
    } finally {
      await context.close();
    }
  });

  e2eTest('agent: a P1 registered on Saturday night is due 30 minutes later, "（自然时）" on the card', async () => {
    const { server, browser, clock } = env;
    const base = server.url;
    // The server's clock: Saturday 23:05, five minutes after the customer called.
    clock.set(SATURDAY_23 + 5 * MINUTE);
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await page.clock.install({ time: SATURDAY_23 + 5 * MINUTE });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(20_000);
    try {
      await consoleSignIn(page, server, 'agent');
      const me = (await (await page.request.get(`${base}/api/me`)).json()) as { csrfToken: string };
      const created = await page.request.post(`${base}/api/tickets`, {
        headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
        data: {
          title: `E2E 机房服务器宕机 ${Date.now().toString(36)}`,
          description: '客户周六深夜来电：核心业务服务器宕机，全部业务中断。',
          channel: 'phone',
          priority: 'P1',
          reportedAt: new Date(SATURDAY_23).toISOString(),
          customer: { name: '周末值班客户', phone: '13900005678' },
        },
      });
      expect(created.status(), await created.text()).toBe(201);
      const { number } = (await created.json()) as { number: string };

      await page.goto(`${base}/tickets/${number}`);
      const card = page.getByTestId('sla-card');
      await card.waitFor({ state: 'visible' });
      // Due at 23:30 the same night, not on Monday morning; the card says the target is in clock time.
      await expect.poll(() => page.getByTestId('clock-due-firstResponse').textContent()).toContain('2026-11-28 23:30');
      await expect.poll(() => page.getByTestId('clock-target-firstResponse').textContent()).toContain('30 分钟（自然时）');
      await expect.poll(() => page.getByTestId('clock-target-startHandling').textContent()).toContain('4 小时（自然时）');
      await expect.poll(() => page.getByTestId('clock-due-startHandling').textContent()).toContain('2026-11-29 03:00');
      await expect.poll(() => page.getByTestId('clock-firstResponse').getAttribute('data-state')).toBe('ok');
      await expect.poll(() => page.getByTestId('clock-firstResponse').textContent()).toMatch(/剩余\s*2[45]分/);
      await card.scrollIntoViewIfNeeded();
      await shot(page, '05-p1-saturday-night', true);

      // The policy page shows (and edits) the unit of every target.
      await page.context().clearCookies();
      await consoleSignIn(page, server, 'admin');
      await page.goto(`${base}/admin/sla-policies`);
      await page.getByTestId('policy-table').waitFor({ state: 'visible' });
      await expect.poll(() => page.locator('[data-testid$="-target-firstResponse"]').first().textContent()).toContain('30 分钟（自然时）');
      await expect.poll(() => page.getByText('3 个工作日').count()).toBeGreaterThan(0);
      await shot(page, '06-policies');
      await page.locator('[data-testid^="policy-edit-"]').first().click();
      await page.getByTestId('policy-firstResponse-amount').waitFor({ state: 'visible' });
      await page.waitForTimeout(400);
      await shot(page, '07-policy-drawer');
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    } catch (err) {
      await shot(page, 'failure-saturday', true).catch(() => {});
      if (pageErrors.length) console.error(`[e2e] page errors:\n  ${pageErrors.join('\n  ')}`);
      throw err;
    } finally {
      await context.close();
    }
  });
});
