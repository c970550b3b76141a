// End-to-end: the 客户消息 card on a ticket's page at 1440×900. Messages really go out, by e-mail to a local SMTP
// server: the registration is delivered, the staff reply meets a busy mail server and waits for its retry, and the
// assignment's courtesy message is skipped because the customer opted out. Staff open the ticket and the card lists
// all three — event, channel, the masked address, state and reason —, never the address in full.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser } from 'playwright-core';
import { startTestServer } from '../../src/server/testing.js';
import { startSmtpStub, type SmtpStub } from '../api/message-stubs.js';
import { seriousAxeViolations } from './axe.js';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');
const EMAIL = 'chen.xiaoming@example.com';

describe('customer messages card on the ticket page', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let smtp: SmtpStub | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    smtp = await startSmtpStub();
    server = await startTestServer({ demo: false, env: { AFTERCARE_SMTP_URL: smtp.url } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('lists what the customer was sent, is waiting to be sent and was not sent, with the state and reason', async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser || !smtp) throw new Error('setup failed');
    const admin = server.users.find((u) => u.role === 'admin')!;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill(admin.username);
      await page.getByTestId('login-password').fill(admin.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/tickets/);

      // The data through the API, as the signed-in admin (the page's cookie and CSRF token).
      const me = await (await context.request.get(`${server.url}/api/me`)).json();
      const headers = { 'x-csrf-token': String(me.csrfToken ?? ''), 'content-type': 'application/json' };
      const call = async (method: 'get' | 'post' | 'patch' | 'put', url: string, data?: unknown) => {
        const res = await (context.request as APIRequestContext)[method](`${server!.url}${url}`, { headers, data });
        const text = await res.text();
        expect(res.status(), `${method.toUpperCase()} ${url}: ${text}`).toBeLessThan(300);
        return JSON.parse(text) as Record<string, any>;
      };
      const customer = await call('post', '/api/customers', { name: '陈晓明', phone: '13700001234', email: EMAIL });
      const ticket = await call('post', '/api/tickets', { title: '烤箱温度上不去', description: '设置 200 度，实测只有 120 度左右', customerId: customer.id, priority: 'P3' });
      const number = ticket.number as string;
      await server.sweeper.runOnce();
      await expect.poll(() => smtp!.mails.filter((m) => m.subject === `已受理您的服务请求 ${number}`).length).toBe(1);

      smtp.refuseNext(1);
      await call('post', `/api/tickets/${number}/comments`, { body: '请先检查烤箱门密封条是否老化漏热。', internal: false });
      await server.sweeper.runOnce();

      const departments = (await call('get', '/api/departments')).items as { id: number; code: string }[];
      const tech = departments.find((d) => d.code === 'tech_support')!;
      const engineer = await call('post', '/api/users', { username: 'e2e.engineer', displayName: '刘工', password: 'Oven-Repair-2026!', role: 'engineer', departmentId: tech.id });
      await call('put', `/api/customers/${customer.id}/message-preferences`, { optOut: true });
      await call('patch', `/api/tickets/${number}`, { departmentId: tech.id, assigneeId: engineer.id, version: ticket.version });

      await page.goto(`${server.url}/tickets/${number}`);
      const card = page.getByTestId('ticket-messages');
      const rows = card.getByTestId('ticket-message');
      // count() does not wait, and expect.poll gives up after 1 s: wait for the first row (the page and the card's
      // query take longer than that here), then count.
      await rows.first().waitFor();
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
      expect(await card.getByTestId('ticket-messages-error').count()).toBe(0);
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['skipped', 'queued', 'sent']);
      const texts = await rows.allInnerTexts();
      expect(texts[0]).toContain('已分派');
      expect(texts[0]).toContain('未发送');
      expect(texts[0]).toContain('客户已退订非必要消息');
      expect(texts[1]).toContain('客服回复');
      expect(texts[1]).toContain('待发送');
      expect(texts[1]).toMatch(/已尝试 1 次，稍后重试：.*(451|busy)/);
      expect(texts[2]).toContain('已受理');
      expect(texts[2]).toContain('已发送');
      for (const text of texts) expect(text).toContain('邮件 · c***@example.com');
      expect(await card.textContent()).not.toContain(EMAIL);

      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(OUT, 'ticket-messages-01-page.png') });
      await card.screenshot({ path: path.join(OUT, 'ticket-messages-02-card.png') });
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
