// What the end-to-end tests share: one demo server and one Chromium per file, the screenshot folder, signing in (the
// console's form, the portal's one-time code, an API session), a photo to upload, and watching a page for errors.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import type { ManualClock } from '../../src/server/context.js';
import type { startTestServer } from '../../src/server/testing.js';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from './browser.js';

/** Where every e2e test writes its screenshots. */
export const OUT = path.resolve('test-results');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };
/** The demo customer's portal account (seed/demo.ts). */
export const CUSTOMER_EMAIL = 'customer@aftercare.example';

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/**
 * A server (demo data unless `demo: false`; on a ManualClock at `clockAt` if given: `env.clock`; `serverEnv`: settings
 * as the environment would give them, read when it starts) and Chromium for the tests of one file, started before them
 * and closed after (after the file's own `afterAll`s registered later, before those registered earlier). Read `env.server` / `env.browser` inside a test: they are
 * set once `beforeAll` has run.
 */
export function e2eEnvironment(opts: { demo?: boolean; clockAt?: number; serverEnv?: () => Record<string, string> } = {}): { server: TestServer; browser: Browser; clock: ManualClock } {
  const env = {} as { server: TestServer; browser: Browser; clock: ManualClock };
  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    mkdirSync(OUT, { recursive: true });
    // Imported here so that a machine without Chromium does not load the server at all.
    const { startTestServer } = await import('../../src/server/testing.js');
    if (opts.clockAt !== undefined) env.clock = new (await import('../../src/server/context.js')).ManualClock(opts.clockAt);
    env.server = await startTestServer({ demo: opts.demo !== false, clock: env.clock, env: opts.serverEnv?.() });
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** A browser test: skipped where there is no Chromium, except in CI, where its absence fails the test. */
export function e2eTest(name: string, fn: () => Promise<void>, timeout = 120_000) {
  it.skipIf(!HAS_CHROMIUM && !IN_CI)(name, { timeout }, async () => {
    if (!HAS_CHROMIUM) throw new Error(`Chromium is required for the e2e test in CI but was not found at ${CHROMIUM}`);
    await fn();
  });
}

/** A screenshot function for one test file: `prefix-name.png` in OUT. */
export function screenshots(prefix: string, fullPageByDefault = false) {
  return (page: Page, name: string, fullPage = fullPageByDefault) => page.screenshot({ path: path.join(OUT, `${prefix}-${name}.png`), fullPage });
}

function demoUser(server: TestServer, username: string) {
  const user = server.users.find((u) => u.username === username);
  expect(user, `demo login "${username}"`).toBeTruthy();
  return user!;
}

/** Signs a staff member in through the console's login form; the page ends on the queue. */
export async function consoleSignIn(page: Page, server: TestServer, username: string, password = demoUser(server, username).password) {
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/tickets/);
}

/** A new console window (1440×900, Chinese) with a staff member signed in. */
export async function consoleWindow(browser: Browser, server: TestServer, username: string) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await consoleSignIn(page, server, username);
  return { ctx, page };
}

/** Signs the demo customer in to the portal with a one-time code, read off the screen (demo mode shows it). */
export async function portalSignIn(page: Page, base: string, target = CUSTOMER_EMAIL) {
  await page.goto(`${base}/portal/`);
  await page.getByTestId('home-sign-in').click();
  await page.getByTestId('signin-target').fill(target);
  await page.getByTestId('signin-send').click();
  const code = (await page.getByTestId('demo-code').locator('.pt-code').textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  await page.getByTestId('signin-code').fill(code);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL(/\/portal\/tickets$/);
  await page.getByTestId('ticket-list').waitFor();
}

export type ApiCall = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', url: string, data?: unknown, headers?: Record<string, string>) => Promise<Record<string, any>>;

/** A signed-in API session of a demo user (cookie + CSRF token), as the console or the portal has; a call that fails fails the test. */
export async function apiSession(browser: Browser, server: TestServer, username: string) {
  const user = demoUser(server, username);
  const ctx = await browser.newContext();
  const login = await ctx.request.post(`${server.url}/api/auth/login`, { data: { username, password: user.password } });
  expect(login.status(), await login.text()).toBe(200);
  const body = (await login.json()) as { user: { id: number; departmentId: number | null; customerId: number | null }; csrfToken: string };
  const call: ApiCall = async (method, url, data, headers = {}) => {
    const res = await (ctx.request as APIRequestContext)[method](`${server.url}${url}`, { headers: { 'x-csrf-token': body.csrfToken, 'content-type': 'application/json', ...headers }, data });
    const text = await res.text();
    expect(res.status(), `${username}: ${method.toUpperCase()} ${url}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as Record<string, any>;
  };
  return { user: body.user, call, close: () => ctx.close() };
}

export type ApiSession = Awaited<ReturnType<typeof apiSession>>;

/** Several demo users' API sessions at once, in the order named. */
export function apiSessions(browser: Browser, server: TestServer, ...usernames: string[]): Promise<ApiSession[]> {
  return Promise.all(usernames.map((u) => apiSession(browser, server, u)));
}

/**
 * A ticket of the demo customer that the engineer registers (P3, by phone, assigned to themselves) and solves, and the
 * service desk's supervisor approves: it awaits the customer's confirmation. The title gets a unique ending.
 */
export async function solvedForCustomer(
  { engineer, supervisor, customer }: { engineer: ApiSession; supervisor: ApiSession; customer: ApiSession },
  ticket: { title: string; description: string; serviceType?: string },
  solution: string,
): Promise<{ id: number; number: string }> {
  const created = await engineer.call('post', '/api/tickets', {
    ...ticket,
    title: `${ticket.title} ${Date.now().toString(36)}`,
    channel: 'phone',
    priority: 'P3',
    customerId: customer.user.customerId,
    departmentId: engineer.user.departmentId,
    assigneeId: engineer.user.id,
  });
  const number = created.number as string;
  await engineer.call('post', `/api/tickets/${number}/transitions`, { to: 'in_progress' });
  await engineer.call('post', `/api/tickets/${number}/solution`, { solution });
  expect((await supervisor.call('post', `/api/tickets/${number}/review`, { approve: true })).status).toBe('pending_confirmation');
  return { id: created.id as number, number };
}

/** What went wrong on a page while the test drove it: script errors and, for `failures`, 4xx/5xx answers. */
export function watchPage(page: Page, allow: (status: number, url: string) => boolean = (s, u) => s === 401 && u.endsWith('/api/me')) {
  const pageErrors: string[] = [];
  const failedResponses: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400 && !allow(r.status(), r.url())) failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return {
    pageErrors,
    failedResponses,
    /** The error to throw from a failed test: the assertion's message with what the page said. */
    explain: (err: unknown) =>
      new Error(`${err instanceof Error ? err.message : String(err)}\npage errors: ${pageErrors.join(' | ')}\nfailed responses: ${failedResponses.join(' | ')}`, { cause: err }),
  };
}

/** No horizontal scrolling (on the phone). */
export async function expectFitsWidth(page: Page, what = 'page') {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** The portal's text namespaces: one of them followed by `.key` on the screen is a text left untranslated. */
const PORTAL_KEY = /\b(shell|signin|tickets|ticket|request|units|photos|link|survey|assist|kb|messages)\.[a-z][A-Za-z.]*\b/;

/** No raw i18n key on a portal page. */
export async function expectNoRawKeys(page: Page, what = 'page') {
  expect(await page.locator('body').innerText(), `${what}: raw i18n key`).not.toMatch(PORTAL_KEY);
}

export { png } from '../png.js';

/**
 * Picks an option of an antd Select by its text. The dropdown slides in, and a click during the animation can miss, so
 * it tries until the choice shows in the select (a multiple select keeps its dropdown open: Escape closes it).
 */
export async function chooseOption(page: Page, testId: string, text: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByTestId(testId).click();
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text });
    await option.first().waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    await option.first().click();
    if ((await page.getByTestId(testId).textContent())?.includes(text)) {
      await page.keyboard.press('Escape');
      return;
    }
    await page.keyboard.press('Escape');
  }
  await expect.poll(() => page.getByTestId(testId).textContent()).toContain(text);
}
