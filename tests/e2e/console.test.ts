// End-to-end: the web console against the real server with demo data, driven by headless Chromium.
// Scenario: an agent registers a ticket from a phone call, finds it in the queue by a Chinese word from its
// description, adds an internal note, starts work on it, and switches the UI to English.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
// Set E2E_BASE_URL to run against an already running server (demo data, demo password) instead of starting one.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

const OUT = path.resolve('test-results');
const SEARCH_WORD = '琥珀'; // 2 Chinese characters; rare enough not to be in the demo data
const UNIQUE = `${Date.now().toString(36)}`;

if (!HAS_CHROMIUM) {
  const why = `Chromium not found at ${CHROMIUM} (install Debian's chromium package or set CHROMIUM_PATH)`;
  if (IN_CI) console.error(`[e2e] ${why} — failing because CI is set.`);
  else console.warn(`[e2e] SKIPPED: ${why}.`);
}

interface Server {
  url: string;
  close(): Promise<void>;
  users: { username: string; password: string; role: string }[];
}

async function startServer(): Promise<Server> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    const password = process.env.E2E_PASSWORD ?? 'demo12345';
    return { url: external.replace(/\/$/, ''), close: async () => {}, users: [{ username: 'agent', password, role: 'agent' }] };
  }
  const { startTestServer } = await import('../../src/server/testing.js');
  return startTestServer({ demo: true });
}

async function shot(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: path.join(OUT, `console-${name}.png`), fullPage });
}

describe('web console', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.skipIf(!HAS_CHROMIUM && !IN_CI)('agent: phone intake → queue search → internal note → in progress → English', async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    if (!server || !browser) throw new Error('setup failed');
    const base = server.url;
    const agent = server.users.find((u) => u.username === 'agent');
    expect(agent, 'demo login "agent"').toBeTruthy();

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const failedResponses: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // 401 from /api/me before logging in is expected; anything else failing helps explain a failure.
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/me'))) failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.setDefaultTimeout(20_000);

    try {
      // ---- log in
      await page.goto(`${base}/`);
      await page.getByTestId('login-username').fill(agent!.username);
      await page.getByTestId('login-password').fill(agent!.password);
      await shot(page, '01-login');
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/tickets/);
      await expect.poll(() => page.getByTestId('current-user').isVisible()).toBe(true);

      // ---- pick a demo customer with a phone number and at least one product (via the API, with the browser's session)
      const list = (await (await page.request.get(`${base}/api/customers?limit=50`)).json()) as { items: { id: number }[] };
      let caller: { id: number; name: string; phone: string; units: { productModel: string }[] } | undefined;
      for (const c of list.items) {
        const detail = (await (await page.request.get(`${base}/api/customers/${c.id}`)).json()) as {
          id: number;
          name: string;
          phone: string | null;
          units: { productModel: string }[];
        };
        if (detail.phone && /^\d{7,}$/.test(detail.phone.replace(/\D/g, '')) && detail.units.length > 0) {
          caller = { ...detail, phone: detail.phone };
          break;
        }
      }
      expect(caller, 'a demo customer with a phone number and a product').toBeTruthy();

      // ---- phone intake: the lookup card appears for the caller's number
      await page.getByRole('link', { name: '电话登记' }).first().click();
      await page.waitForURL(/\/intake/);
      await page.getByTestId('intake-phone').fill(caller!.phone);
      const card = page.getByTestId(`lookup-customer-${caller!.id}`);
      await card.waitFor({ state: 'visible' });
      await expect.poll(() => card.textContent()).toContain(caller!.name);
      // clicking a product fills the product fields
      await card.locator('[data-testid^="unit-"]').first().click();
      await expect.poll(() => page.getByTestId('intake-product-model').inputValue()).toBe(caller!.units[0]!.productModel);

      const title = `E2E 热水器${SEARCH_WORD}色面板发黄 ${UNIQUE}`;
      await page.getByTestId('intake-title').fill(title);
      await page.getByTestId('intake-description').fill(`客户说：${SEARCH_WORD}色的面板用了半年就发黄了，按键也有点松。（${UNIQUE}）`);
      // The priority is derived from the two questions the agent answers (SPEC §3).
      await page.getByTestId('impact-minor').click();
      await page.getByTestId('urgency-can_wait').click();
      await shot(page, '02-intake', false); // the intake page's action bar is sticky: a full-page capture would misplace it
      await page.getByTestId('intake-submit').click();
      await page.waitForURL(/\/tickets\/\d{9,14}$/);
      const number = new URL(page.url()).pathname.split('/').pop()!;
      await expect.poll(() => page.getByTestId('ticket-number').textContent()).toBe(number);

      // ---- queue: search by a 2-character Chinese word from the description
      await page.getByRole('link', { name: '工单', exact: true }).first().click();
      await page.waitForURL(/\/tickets(\?|$)/);
      await page.getByTestId('view-open').click();
      const search = page.getByTestId('queue-search');
      await search.fill(SEARCH_WORD);
      await search.press('Enter');
      await page.waitForURL(new RegExp(`q=${encodeURIComponent(SEARCH_WORD)}`));
      const row = page.locator(`[data-testid="ticket-table"] tr[data-row-key="${number}"]`);
      await row.waitFor({ state: 'visible' });
      await shot(page, '03-queue-search');

      // ---- open it, add an internal note
      await page.getByTestId(`ticket-link-${number}`).click();
      await page.waitForURL(new RegExp(`/tickets/${number}$`));
      const internalSwitch = page.getByTestId('internal-switch');
      if ((await internalSwitch.getAttribute('aria-checked')) !== 'true') await internalSwitch.click();
      await expect.poll(() => internalSwitch.getAttribute('aria-checked')).toBe('true');
      const note = `内部备注：已电话回访，客户同意上门检查 ${UNIQUE}`;
      await page.getByTestId('note-input').fill(note);
      await page.getByTestId('submit-note').click();
      const noteEntry = page.locator('[data-testid="timeline-internal_note"]', { hasText: note });
      await noteEntry.waitFor({ state: 'visible' });
      expect(await noteEntry.getAttribute('data-internal')).toBe('true');
      await expect.poll(() => noteEntry.getByTestId('internal-tag').textContent()).toContain('内部');
      await expect.poll(() => page.getByTestId('note-input').inputValue()).toBe('');

      // ---- move it to in_progress (assign to myself first if the workflow needs it)
      const status = page.getByTestId('ticket-status');
      const toInProgress = page.getByTestId('transition-in_progress');
      if (!(await toInProgress.isVisible())) {
        const before = await page.getByTestId('assignment-card').textContent();
        await page.getByTestId('assign-me').click();
        await expect.poll(async () => (await page.getByTestId('assignment-card').textContent()) !== before).toBe(true);
        await page.waitForLoadState('networkidle');
        if (!(await toInProgress.isVisible()) && (await page.getByTestId('transition-assigned').isVisible())) {
          await page.getByTestId('transition-assigned').click();
          await page.getByTestId('transition-confirm').click();
          await expect.poll(() => status.getAttribute('data-status')).toBe('assigned');
        }
      }
      await toInProgress.click();
      await page.getByTestId('transition-note').fill('开始处理');
      await page.getByTestId('transition-confirm').click();
      await expect.poll(() => status.getAttribute('data-status')).toBe('in_progress');
      await expect.poll(() => status.textContent()).toBe('处理中');
      await shot(page, '04-ticket-in-progress');

      // ---- switch the UI to English
      await page.getByTestId('lang-en').click();
      await expect.poll(() => status.textContent()).toBe('In progress');
      await expect.poll(() => page.getByTestId('internal-switch').textContent()).toContain('Internal note');
      await expect.poll(() => page.evaluate(() => localStorage.getItem('aftercare.language'))).toBe('en');
      await shot(page, '05-ticket-english');

      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    } catch (err) {
      await shot(page, 'failure').catch(() => {});
      if (failedResponses.length) console.error(`[e2e] failed HTTP responses:\n  ${failedResponses.join('\n  ')}`);
      if (pageErrors.length) console.error(`[e2e] page errors:\n  ${pageErrors.join('\n  ')}`);
      throw err;
    } finally {
      await context.close();
    }
  });
});
