// The queue's total (GET /api/tickets/count): exact up to the cap, "cap+" past it, the same filter and visibility as
// the queue's pages, on every dialect and through a read worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const TEXTS = [
  ['冰箱漏水', '厨房的冰箱底部漏水，地上一摊水。'],
  ['空调不制冷', '客厅空调开了两小时还是不制冷。'],
  ['洗衣机异响', '滚筒洗衣机脱水时有异响。'],
];

/** Every page of the queue for `url`, to count what the total must say. */
async function allRows(t: TestApp, client: keyof TestApp['as'], url: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const r = await t.as[client].get(`${url}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.statusCode).toBe(200);
    n += r.json().items.length;
    cursor = r.json().nextCursor;
  } while (cursor);
  return n;
}

describe.each(TEST_DIALECTS)('queue total on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    for (let i = 0; i < 24; i++) {
      const [title, description] = TEXTS[i % TEXTS.length];
      const r = await t.as.agent.post('/api/tickets', {
        title: `${title} ${i}`,
        description,
        priority: (['P1', 'P2', 'P3'] as const)[i % 3],
        category: i % 2 ? 'product.functional_fault' : 'logistics.late_delivery',
        customer: i % 4 === 0 ? { name: '张伟', phone: '13812345678' } : { name: `客户${i}`, phone: `1391234${String(1000 + i)}` },
      });
      expect(r.statusCode).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const FILTERS = ['', 'q=%E6%BC%8F%E6%B0%B4', 'priority=P1', 'category=product', 'open=true&assigneeId=none', 'q=%E6%BC%8F%E6%B0%B4&priority=P2', 'q=zzzz', 'q=%EF%BC%8C'];

  it('is exact below the cap and agrees with the queue for every filter and role', async () => {
    for (const client of ['admin', 'agent', 'engineer', 'customer'] as const) {
      for (const f of FILTERS) {
        const r = await t.as[client].get(`/api/tickets/count${f ? `?${f}` : ''}`);
        expect(r.statusCode, `${client} ${f}`).toBe(200);
        const expected = await allRows(t, client, `/api/tickets${f ? `?${f}` : ''}`);
        expect(r.json(), `${client} ${f}`).toEqual({ count: expected, capped: false });
      }
    }
    // Concrete figures, so a count that always agreed with a broken queue would still fail.
    expect((await t.as.admin.get('/api/tickets/count')).json()).toEqual({ count: 24, capped: false });
    expect((await t.as.admin.get('/api/tickets/count?q=%E6%BC%8F%E6%B0%B4')).json()).toEqual({ count: 8, capped: false });
    expect((await t.as.customer.get('/api/tickets/count')).json()).toEqual({ count: 6, capped: false });
  });

  it('says "cap+" past the cap and counts exactly at it', async () => {
    const cap = t.services.ticketCountCap;
    try {
      t.services.ticketCountCap = 5;
      expect((await t.as.admin.get('/api/tickets/count')).json()).toEqual({ count: 5, capped: true });
      expect((await t.as.admin.get('/api/tickets/count?q=%E6%BC%8F%E6%B0%B4')).json()).toEqual({ count: 5, capped: true });
      t.services.ticketCountCap = 8;
      expect((await t.as.admin.get('/api/tickets/count?q=%E6%BC%8F%E6%B0%B4')).json()).toEqual({ count: 8, capped: false });
      t.services.ticketCountCap = 7;
      expect((await t.as.admin.get('/api/tickets/count?q=%E6%BC%8F%E6%B0%B4')).json()).toEqual({ count: 7, capped: true });
    } finally {
      t.services.ticketCountCap = cap;
    }
    expect(cap).toBe(1000);
  });

  it('refuses a bad filter with a translated message', async () => {
    const r = await t.as.admin.get('/api/tickets/count?priority=P9', { 'accept-language': 'en' });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json().error.fields)).toMatch(/priority/);
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets/count' })).statusCode).toBe(401);
  });
});

describe('queue total through a read worker (SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect: 'sqlite', readWorkers: 1 });
    await t.services.readers!.ready();
    for (let i = 0; i < 9; i++) {
      const [title, description] = TEXTS[i % TEXTS.length];
      expect((await t.as.agent.post('/api/tickets', { title: `${title} ${i}`, description, customer: { name: `客户${i}`, phone: `1371234${String(1000 + i)}` } })).statusCode).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers in the worker what the server thread answers, cap included', async () => {
    for (const url of ['/api/tickets/count', '/api/tickets/count?q=%E6%BC%8F%E6%B0%B4', '/api/tickets/count?priority=P1']) {
      const before = t.services.readers!.answered;
      const viaWorker = await t.as.agent.get(url);
      expect(t.services.readers!.answered, url).toBe(before + 1);
      const pool = t.services.readers;
      t.services.readers = null;
      const local = await t.as.agent.get(url).finally(() => (t.services.readers = pool));
      expect(viaWorker.statusCode).toBe(200);
      expect(viaWorker.headers['content-type']).toMatch(/^application\/json/);
      expect(viaWorker.json()).toEqual(local.json());
    }
    expect((await t.as.agent.get('/api/tickets/count?q=%E6%BC%8F%E6%B0%B4')).json()).toEqual({ count: 3, capped: false });
    t.services.ticketCountCap = 2;
    try {
      expect((await t.as.agent.get('/api/tickets/count?q=%E6%BC%8F%E6%B0%B4')).json()).toEqual({ count: 2, capped: true });
    } finally {
      t.services.ticketCountCap = 1000;
    }
  });
});
