// End-to-end: accessibility and the queue's fit, against the real server with demo data.
// axe-core (WCAG rules) runs on the sign-in page, the queue, a ticket, the intake form, the knowledge base (list and article), three admin pages and the satisfaction report, and must
// find no critical or serious violation; then the queue, searched for 漏水 at 1440×900 beside the side menu, must fit
// without a horizontal scroll bar, mark the search word in its rows and show the total.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from './axe.js';
import { consoleSignIn, DESKTOP, e2eEnvironment, e2eTest, screenshots } from './helpers.js';

const shot = screenshots('a11y');

/** Waits for what shows a page is drawn (the live notification stream keeps the network busy, so not 'networkidle'). */
async function settle(page: Page, ready: string) {
  await page.locator(ready).first().waitFor({ timeout: 90_000 });
  await page.waitForTimeout(1000); // Ant Design's enter animations and the requests the page makes next
}

const ROWS = '[data-testid="ticket-table"] tbody tr[data-row-key]';

describe('accessibility and the queue at 1440 px', () => {
  const env = e2eEnvironment();

  e2eTest('axe finds no critical or serious violation on the main pages', async () => {
    const { server, browser } = env;
    const base = server.url;
    const found: Record<string, Awaited<ReturnType<typeof seriousAxeViolations>>> = {};
    for (const who of ['agent', 'admin'] as const) {
      // The app's CSP allows no inline script, and axe is injected as one: the test's own tool, not the app's code.
      const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', bypassCSP: true });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await page.goto(`${base}/login`);
        await page.getByTestId('login-username').waitFor({ timeout: 90_000 });
        if (who === 'agent') found['/login'] = await seriousAxeViolations(page);
        await consoleSignIn(page, server, who);
        await page.getByTestId('current-user').waitFor({ timeout: 90_000 });
        const paths: [string, string][] =
          who === 'agent'
            ? [
                ['/tickets?view=all', ROWS],
                [`/tickets/${await firstTicket(page, base)}`, '[data-testid="ticket-number"]'],
                ['/intake', '[data-testid="intake-phone"]'],
                [`/kb?q=${encodeURIComponent('空调漏水')}`, '[data-testid="kb-row-title"]'],
                ['/kb/1', '[data-testid="kb-article-body"]'],
              ]
            : [
                ['/admin/sla-policies', '[data-testid="page-title"]'],
                ['/admin/users', '.ant-table-tbody tr[data-row-key]'],
                ['/admin/survey', '[data-testid="survey-form"]'],
                ['/reports/satisfaction', '[data-testid="trend-chart"] canvas'],
              ];
        for (const [p, ready] of paths) {
          await page.goto(`${base}${p}`);
          await settle(page, ready);
          found[p] = await seriousAxeViolations(page);
        }
      } finally {
        await context.close();
      }
    }
    const bad = Object.entries(found).filter(([, v]) => v.length > 0);
    expect(Object.keys(found)).toHaveLength(10);
    expect(bad, JSON.stringify(Object.fromEntries(bad), null, 2)).toEqual([]);
  }, 600_000);

  e2eTest('the queue fits 1440×900, marks the search word and shows the total', async () => {
    const { server, browser } = env;
    const base = server.url;
    for (const lang of ['zh-CN', 'en']) {
      const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
      await context.addInitScript((l) => localStorage.setItem('aftercare.language', l), lang);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await consoleSignIn(page, server, 'agent');
        await page.getByTestId('current-user').waitFor({ timeout: 90_000 });
        await page.goto(`${base}/tickets?view=all&q=${encodeURIComponent('漏水')}`);
        await page.getByTestId('queue-total').waitFor({ timeout: 90_000 });
        await settle(page, ROWS);
        // No horizontal scroll: neither the page nor the table's own scroll container is wider than it shows.
        const widths = await page.evaluate(() => {
          const scroller = document.querySelector('[data-testid="ticket-table"] .ant-table-content, [data-testid="ticket-table"] .ant-table-body');
          return {
            page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
            table: scroller ? [scroller.scrollWidth, scroller.clientWidth] : null,
          };
        });
        expect(widths.page[0], `${lang}: page width`).toBeLessThanOrEqual(widths.page[1]);
        expect(widths.table, `${lang}: table scroller`).not.toBeNull();
        expect(widths.table![0], `${lang}: table width`).toBeLessThanOrEqual(widths.table![1]);
        // The word is marked in the rows (every demo ticket found by 漏水 has it in its title or excerpt).
        const marks = await page.locator('[data-testid="ticket-table"] mark.ac-hit').allTextContents();
        expect(marks.length, `${lang}: marked words`).toBeGreaterThan(0);
        expect(new Set(marks)).toEqual(new Set(['漏水']));
        const total = (await page.getByTestId('queue-total').textContent()) ?? '';
        const count = await (await page.request.get(`${base}/api/tickets/count?q=${encodeURIComponent('漏水')}`)).json();
        expect(count.count).toBeGreaterThan(0);
        expect(total).toContain(count.count.toLocaleString('en'));
        await shot(page, `queue-search-${lang}`);
      } finally {
        await context.close();
      }
    }
  }, 600_000);
});

async function firstTicket(page: Page, base: string): Promise<string> {
  const list = (await (await page.request.get(`${base}/api/tickets?limit=20`)).json()) as { items: { number: string }[] };
  if (!list.items[0]) throw new Error('the demo data has no ticket');
  return list.items[0].number;
}
