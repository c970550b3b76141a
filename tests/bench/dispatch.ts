// dispatch-board and free-slots (issue 16): 50 engineers, 2,000 visits in one week (about 6 a working day each, one
// to two hours, in three areas). The board (engineers × 7 days with every visit) must answer under 100 ms p95; the
// free-slot search for all 50 engineers over the week under 50 ms.
import { buildApp } from '../../src/server/app.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { datesFrom, localDate, localMidnight } from '../../src/server/domain/schedule.js';
import { chinaMainlandCalendar } from '../../src/server/domain/sla/calendar.js';
import { actorOf } from '../../src/server/modules/users/service.js';
import { ensureBaseData } from '../../src/server/seed/base.js';
import { hashPassword } from '../../src/server/modules/auth/password.js';
import { createRng } from '../../src/server/seed/demo-content.js';
import { apiGet, tokenFor } from './api.js';
import { ADMIN_PASSWORD, cleanup, dataDir, measure, setupConfig, type RunOptions, type ScenarioResult } from './scenarios.js';
import { startServer } from './servers.js';

const ENGINEERS = 50;
const VISITS = 2000;
const AREAS = ['浦东新区', '徐汇区', '闵行区'];
const MIN = 60_000;

/** The Monday of a working week two weeks ahead (so every slot is in the future when measured). */
function benchWeek(now: number): string[] {
  const cal = chinaMainlandCalendar();
  let d = datesFrom(localDate(cal.timeZone, now + 14 * 86_400_000), 1)[0];
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = datesFrom(d, 2)[1];
  return datesFrom(d, 7);
}

/** The scenarios' data in `dir`: 50 engineers with profiles and 2,000 visits in the week returned. */
export async function seedDispatchData(dir: string): Promise<{ week: string[]; visits: number }> {
  const config = setupConfig(dir);
  const db = openDatabase({ dataDir: dir });
  await migrate(db);
  await ensureBaseData(db, config);
  const { app, services } = await buildApp({ config, db, logger: false, serveWeb: false });
  const admin = actorOf(await services.auth.userRow((await db.read.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id));
  const dept = await db.read.selectFrom('departments').select('id').where('code', '=', 'tech_support').executeTakeFirstOrThrow();
  const now = Date.now();
  const hash = await hashPassword(ADMIN_PASSWORD);
  const cal = chinaMainlandCalendar();
  const week = benchWeek(now);
  const rng = createRng(20261206);
  const customer = await db.write((trx) =>
    trx
      .insertInto('customers')
      .values({ kind: 'person', name: '基准客户', company: null, phone: '13900000000', phone_digits: '13900000000', email: null, email_lower: null, address: '上海市浦东新区世纪大道100号', tier: 'normal', special_needs: 0, special_needs_note: null, notes: null, created_at: now, updated_at: now, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const tickets: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = await services.tickets.create(admin, { title: `基准上门 ${i}`, description: '空调不制冷，需要上门检查', customerId: customer.id, priority: 'P3', channel: 'phone' } as never, undefined);
    tickets.push((await db.read.selectFrom('tickets').select('id').where('number', '=', t.number).executeTakeFirstOrThrow()).id);
  }
  let visits = 0;
  await db.write(async (trx) => {
    for (let e = 0; e < ENGINEERS; e++) {
      const u = await trx
        .insertInto('users')
        .values({ username: `bench_eng_${e}`, display_name: `工程师${String(e).padStart(2, '0')}`, password_hash: hash, role: 'engineer', department_id: dept.id, customer_id: null, skills: '[]', email: null, phone: null, active: 1, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('engineer_profiles').values({ user_id: u.id, area: AREAS[e % 3], product_lines: JSON.stringify(['ac']), updated_at: now }).execute();
      // 40 visits each over the seven days (weekends too: the board shows them): one-hour windows from 08:00 with
      // 30 minutes between, six a day, so each working day keeps its late afternoon free.
      for (let k = 0; k < VISITS / ENGINEERS; k++) {
        const day = week[k % week.length];
        const slot = Math.floor(k / week.length);
        const start = localMidnight(cal.timeZone, day) + 8 * 60 * MIN + slot * 90 * MIN;
        await trx
          .insertInto('visits')
          .values({ ticket_id: tickets[Math.floor(rng() * tickets.length)], unit_id: null, engineer_id: u.id, kind: 'repair', status: 'booked', window_start: start, window_end: start + 60 * MIN, address: `上海市${AREAS[k % 3]}某路${k}号`, area: AREAS[k % 3], contact_name: '基准客户', contact_phone: '13900000000', parts: '[]', loaner_needed: 0, note: null, created_at: now, created_by: admin.id, updated_at: now, version: 1 })
          .execute();
        visits++;
      }
    }
  });
  await app.close();
  await db.close();
  return { week, visits };
}

export async function dispatchScenarios(opts: RunOptions, which: { board: boolean; freeSlots: boolean }): Promise<ScenarioResult[]> {
  const dir = dataDir('dispatch');
  try {
    const { week, visits } = await seedDispatchData(dir);
    opts.log(`  ${ENGINEERS} engineers, ${visits} visits in the week of ${week[0]}`);

    const server = await startServer({ kind: 'app', dataDir: dir, adminPassword: ADMIN_PASSWORD, countResponses: false });
    const out: ScenarioResult[] = [];
    try {
      const token = await tokenFor(server.url, 'admin', ADMIN_PASSWORD);
      const headers = { authorization: `Bearer ${token}` };
      if (which.board) {
        const path = `/api/dispatch/board?from=${week[0]}&days=7`;
        const board = (await apiGet(server.url, token, path)) as { engineers: unknown[]; visits: unknown[] };
        // One dispatcher opening the board: the latency of one page, not a crowd's.
        const m = await measure(server, { url: server.url, path, method: 'GET', connections: 1, headers }, opts);
        out.push({
          name: 'dispatch-board',
          title: `Dispatch board: ${ENGINEERS} engineers × 7 days, ${VISITS.toLocaleString('en-US')} visits`,
          connections: 1,
          request: `GET ${path} as admin`,
          load: m.load,
          eventLoopUtilization: m.eventLoopUtilization,
          cpu: m.cpu,
          cpuCheckMs: m.cpuCheckMs,
          profile: m.profile,
          checks: [
            { what: 'p95 under 100 ms (issue 16)', ok: m.load.latencyMs.p95 < 100, detail: `p95 ${m.load.latencyMs.p95.toFixed(1)} ms` },
            { what: 'every engineer and visit on the board', ok: board.engineers.length === ENGINEERS && board.visits.length === visits, detail: `${board.engineers.length} engineers, ${board.visits.length} visits` },
            { what: 'no errors', ok: m.load.non2xx + m.load.errors + m.load.timeouts === 0, detail: `${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts` },
          ],
          probes: [],
          notes: [],
        });
      }
      if (which.freeSlots) {
        const path = `/api/dispatch/free-slots?from=${week[0]}&days=7&durationMinutes=60&limit=200`;
        const free = (await apiGet(server.url, token, path)) as { engineers: { slots: unknown[] }[] };
        const m = await measure(server, { url: server.url, path, method: 'GET', connections: 1, headers }, opts);
        out.push({
          name: 'free-slots',
          title: `Free slots of ${ENGINEERS} engineers over a week (${VISITS.toLocaleString('en-US')} visits booked)`,
          connections: 1,
          request: `GET ${path} as admin`,
          load: m.load,
          eventLoopUtilization: m.eventLoopUtilization,
          cpu: m.cpu,
          cpuCheckMs: m.cpuCheckMs,
          profile: m.profile,
          checks: [
            { what: 'p95 under 50 ms (issue 16)', ok: m.load.latencyMs.p95 < 50, detail: `p95 ${m.load.latencyMs.p95.toFixed(1)} ms` },
            { what: 'slots for every engineer', ok: free.engineers.length === ENGINEERS && free.engineers.every((e) => e.slots.length > 0), detail: `${free.engineers.reduce((s, e) => s + e.slots.length, 0)} slots` },
            { what: 'no errors', ok: m.load.non2xx + m.load.errors + m.load.timeouts === 0, detail: `${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts` },
          ],
          probes: [],
          notes: [],
        });
      }
    } finally {
      await server.stop();
    }
    return out;
  } finally {
    cleanup(dir, opts);
  }
}
