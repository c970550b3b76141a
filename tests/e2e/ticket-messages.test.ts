// End-to-end: the 客户消息 card on a ticket's page at 1440×900. Messages really go out, by e-mail to a local SMTP
// server: the registration is delivered, the staff reply meets a busy mail server and waits for its retry, and the
// assignment's courtesy message is skipped because the customer opted out. Staff open the ticket and the card lists
// all three — event, channel, the masked address, state and reason —, never the address in full.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startSmtpStub, type SmtpStub } from '../api/message-stubs.js';
import { seriousAxeViolations } from './axe.js';
import { HAS_CHROMIUM } from './browser.js';
import { apiSession, consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, OUT, screenshots } from './helpers.js';

const EMAIL = 'chen.xiaoming@example.com';
const shot = screenshots('ticket-messages');

describe('customer messages card on the ticket page', () => {
  // The mail server first: the app reads its address when it starts, and it closes after the app.
  let smtp: SmtpStub;
  beforeAll(async () => {
    if (HAS_CHROMIUM) smtp = await startSmtpStub();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const env = e2eEnvironment({ demo: false, serverEnv: () => ({ AFTERCARE_SMTP_URL: smtp.url }) });

  e2eTest('lists what the customer was sent, is waiting to be sent and was not sent, with the state and reason', async () => {
    const { server, browser } = env;
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const admin = await apiSession(browser, server, 'admin');
    try {
      await consoleSignIn(page, server, 'admin');

      // The data through the API, as the admin.
      const call = admin.call;
      const customer = await call('post', '/api/customers', { name: '陈晓明', phone: '13700001234', email: EMAIL });
      const ticket = await call('post', '/api/tickets', { title: '烤箱温度上不去', description: '设置 200 度，实测只有 120 度左右', customerId: customer.id, priority: 'P3' });
      const number = ticket.number as string;
      await server.sweeper.runOnce();
      await expect.poll(() => smtp.mails.filter((m) => m.subject === `已受理您的服务请求 ${number}`).length).toBe(1);

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
      await shot(page, '01-page');
      await card.screenshot({ path: `${OUT}/ticket-messages-02-card.png` });
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await admin.close();
    }
  });
});
