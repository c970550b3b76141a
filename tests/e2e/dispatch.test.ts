// End-to-end: on-site visits (issue 16). The service desk's supervisor books a visit from a ticket's page at 1440×900
// (预约上门, with the ranked engineers and their free slots): a booking on top of one of the engineer's visits is
// refused in the dialog, a free slot is booked. On the dispatch board the visit is dragged (@dnd-kit) to another
// engineer and rescheduled with a reason. The engineer's phone page at 390×844 shows the demo's late arrival and steps
// through a visit with the big buttons.
//
// Needs /usr/bin/chromium (override with CHROMIUM_PATH). Without it the test is skipped locally and fails in CI.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import zh from '../../src/web/app/locales/zh-CN.json';
import { apiSessions, consoleSignIn, consoleWindow, e2eEnvironment, e2eTest, PHONE, screenshots, watchPage } from './helpers.js';

const TZ = 'Asia/Shanghai';
const shot = screenshots('dispatch');

const localDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.parse(iso));
const localTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(iso));

describe('on-site visits and the dispatch board', () => {
  const env = e2eEnvironment();

  /** Chooses an option of an antd Select by its label; tries again if a re-render closed the list first. */
  async function pickOption(page: Page, testId: string, label: string) {
    for (let attempt = 0; attempt < 4; attempt++) {
      await page.getByTestId(testId).click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${label}$`) }).first();
      await option.scrollIntoViewIfNeeded().catch(() => undefined);
      await option.click({ timeout: 5_000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      const shown = await page.getByTestId(testId).evaluate((el) => (el.closest('.ant-select') ?? el).textContent ?? '');
      if (shown.includes(label)) return;
      await page.keyboard.press('Escape');
    }
    throw new Error(`could not choose ${label} in ${testId}`);
  }

  async function drag(page: Page, from: string, to: string) {
    const a = (await page.getByTestId(from).boundingBox())!;
    const b = (await page.getByTestId(to).boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + 10);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(a.x + a.width / 2 + ((b.x + b.width / 2 - a.x - a.width / 2) * i) / 12, a.y + 10 + ((b.y + 20 - a.y - 10) * i) / 12);
    await page.mouse.up();
  }

  e2eTest('books from the ticket, refuses a conflict, drags to reschedule with a reason, and steps through a visit on the phone', async () => {
    const { server, browser } = env;
    const [supervisor, engineer] = await apiSessions(browser, server, 'supervisor', 'engineer');
    const customers = await supervisor.call('get', '/api/customers?limit=1');
    const created = await engineer.call('post', '/api/tickets', {
      title: `E2E 上门：空调不制冷 ${Date.now().toString(36)}`,
      description: '空调开机半小时仍不制冷，需要上门检查。',
      channel: 'phone',
      priority: 'P3',
      customerId: customers.items[0].id,
      productModel: 'KFR-35GW/BP3DN8Y',
      departmentId: engineer.user.departmentId,
      assigneeId: engineer.user.id,
    });
    const number = created.number as string;
    const zhao = ((await supervisor.call('get', `/api/dispatch/board?from=${localDate(new Date().toISOString())}&days=1`)).engineers as { id: number; name: string }[]).find((e) => e.name === '赵工')!;

    // 王工's free two-hour slots from tomorrow on: the first is taken through the API (the visit in the way), the
    // dialog is then asked for the same window and must refuse it.
    const tomorrow = localDate(new Date(Date.now() + 86_400_000).toISOString());
    const free = await supervisor.call('get', `/api/dispatch/free-slots?from=${tomorrow}&days=7&durationMinutes=120&engineerIds=${engineer.user.id}`);
    const slots = free.engineers[0].slots as { start: string; end: string }[];
    expect(slots.length).toBeGreaterThan(4);
    const taken = slots[0];
    const other = await engineer.call('post', '/api/tickets', { title: 'E2E 上门：冰箱异响', description: '冰箱夜间异响', channel: 'phone', priority: 'P3', customerId: customers.items[0].id, departmentId: engineer.user.departmentId });
    const inTheWay = await supervisor.call('post', `/api/tickets/${other.number}/visits`, { engineerId: engineer.user.id, windowStart: taken.start, windowEnd: taken.end, address: '上海市浦东新区张杨路500号', area: '浦东新区' });

    const { ctx: context, page } = await consoleWindow(browser, server, 'supervisor');
    const { pageErrors } = watchPage(page);
    await page.goto(`${server.url}/tickets/${number}`);
    await page.getByTestId('visits-card').waitFor();
    await page.getByTestId('book-visit').click();
    const suggestions = page.getByTestId('visit-suggestions');
    await suggestions.waitFor();
    // 王工 (空调, 浦东) is ranked with his reasons.
    await expect.poll(() => page.getByTestId(`suggestion-${engineer.user.id}`).textContent()).toContain('擅长该产品线（ac）');
    await page.getByTestId('visit-address').fill('上海市浦东新区世纪大道100号 3号楼1201');
    await page.getByTestId('visit-area').fill('浦东新区');
    await page.getByTestId(`suggestion-pick-${engineer.user.id}`).click();
    // The window of the visit in the way.
    await page.getByTestId('visit-date').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(localDate(taken.start));
    await page.keyboard.press('Enter');
    await pickOption(page, 'visit-start', localTime(taken.start));
    await shot(page, '01-booking-dialog');
    await page.getByTestId('visit-book-submit').click();
    const refusal = page.getByTestId('visit-refusal');
    await expect.poll(() => refusal.textContent()).toContain('时间冲突，未保存');
    await expect.poll(() => refusal.textContent()).toContain(`预约 #${inTheWay.id}`);
    await shot(page, '02-conflict-refused');
    // A free slot of his instead (the second one: the first is the visit in the way now).
    const slotTag = page.getByTestId(`suggestion-${engineer.user.id}`).locator('.ant-tag-checkable').first();
    const slotText = (await slotTag.textContent())!.trim();
    await slotTag.click();
    await page.getByTestId('visit-book-submit').click();
    await expect.poll(() => page.getByTestId('visits-card').locator('[data-testid^="ticket-visit-"]').count()).toBe(1);
    const booked = (await supervisor.call('get', `/api/tickets/${number}/visits`)).items[0];
    expect(`${localDate(booked.windowStart).slice(5)} ${localTime(booked.windowStart)}`).toBe(slotText);
    expect(booked.engineer.id).toBe(engineer.user.id);
    await page.getByTestId('visits-card').scrollIntoViewIfNeeded();
    await shot(page, '03-booked');

    // ---- the dispatch board: drag the visit to 赵工 on the same day, give the reason
    const day = localDate(booked.windowStart);
    await page.goto(`${server.url}/dispatch`);
    await page.getByTestId('board-grid').waitFor();
    while (!(await page.getByTestId(`board-visit-${booked.id}`).count())) await page.getByTestId('board-next').click();
    await shot(page, '04-board');
    await drag(page, `board-visit-${booked.id}`, `board-cell-${zhao.id}|${day}`);
    await page.getByTestId('reschedule-reason').waitFor();
    expect(await page.getByTestId('reschedule-to-date').textContent()).toBe(day);
    await page.getByTestId('reschedule-submit').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').first().textContent()).toBe('必填');
    await page.getByTestId('reschedule-reason').fill('王工临时被抽调支援，改派赵工');
    await shot(page, '05-reschedule-dialog');
    await page.getByTestId('reschedule-submit').click();
    await expect.poll(async () => (await supervisor.call('get', `/api/visits/${booked.id}`)).engineer.id).toBe(zhao.id);
    await expect.poll(() => page.getByTestId(`board-cell-${zhao.id}|${day}`).locator(`[data-testid="board-visit-${booked.id}"]`).count()).toBe(1);
    await shot(page, '06-board-moved');
    const events = (await supervisor.call('get', `/api/tickets/${number}/events?limit=50`)).items as { kind: string; note: string | null }[];
    expect(events.find((e) => e.kind === 'visit_rescheduled')?.note).toBe('王工临时被抽调支援，改派赵工');
    expect(pageErrors).toEqual([]);
    await context.close();

    // ---- the engineer's phone: the demo's late arrival, then a visit stepped through
    const phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: TZ });
    const mobile = await phone.newPage();
    mobile.setDefaultTimeout(20_000);
    mobile.on('pageerror', (e) => pageErrors.push(e.message));
    await consoleSignIn(mobile, server, 'engineer');
    const demo = await engineer.call('get', '/api/dispatch/board?from=' + localDate(new Date(Date.now() - 8 * 86_400_000).toISOString()) + '&days=9');
    const late = (demo.visits as { id: number; late: boolean; windowStart: string }[]).find((v) => v.late);
    expect(late, 'the demo has a late arrival').toBeTruthy();
    await mobile.goto(`${server.url}/field?date=${localDate(late!.windowStart)}`);
    await mobile.getByTestId(`field-late-${late!.id}`).waitFor();
    await shot(mobile, '07-phone-late', true);

    await mobile.goto(`${server.url}/field?date=${localDate(inTheWay.windowStart)}`);
    const card = mobile.getByTestId(`field-visit-${inTheWay.id}`);
    await card.waitFor();
    expect(await mobile.getByTestId(`field-call-${inTheWay.id}`).getAttribute('href')).toMatch(/^tel:\d+/);
    expect(await mobile.getByTestId(`field-nav-${inTheWay.id}`).getAttribute('href')).toContain(encodeURIComponent('张杨路500号'));
    await shot(mobile, '08-phone-day');
    for (const step of ['accepted', 'departed', 'arrived', 'work_done']) {
      const button = mobile.getByTestId(`field-step-${inTheWay.id}-${step}`);
      await button.click();
      await expect.poll(() => mobile.getByTestId(`field-times-${inTheWay.id}`).textContent()).toContain(zh.visits.status[step as 'accepted']);
    }
    // Signature and charges may be passed over; leaving ends it.
    await mobile.getByTestId(`field-step-${inTheWay.id}-left`).click();
    await expect.poll(() => card.textContent()).toContain('本次上门已完成');
    await shot(mobile, '09-phone-done', true);
    // The page shows each press at once and sends it through its outbox: the server has it a moment later.
    await expect.poll(async () => (await engineer.call('get', `/api/visits/${inTheWay.id}`)).status).toBe('left');
    const done = await engineer.call('get', `/api/visits/${inTheWay.id}`);
    expect(Object.values(done.steps).filter(Boolean)).toHaveLength(5);
    expect(pageErrors).toEqual([]);
    await phone.close();
    await Promise.all([supervisor.close(), engineer.close()]);
  }, 240_000);
});
