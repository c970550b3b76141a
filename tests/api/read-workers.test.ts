// The queue and search answered by a read worker (readers/pool.ts) are exactly what the server thread answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadPool } from '../../src/server/readers/pool.js';
import { createTestApp, type TestApp } from '../../src/server/testing.js';

const TEXTS = [
  ['空调室内机漏水', '客厅空调KFR-35GW开机后室内机漏水，滴到地板上。'],
  ['冰箱不制冷', '冰箱冷藏室不制冷，压缩机一直响，有异响。'],
  ['洗衣机漏水', '滚筒洗衣机脱水时底部漏水。'],
  ['热水器显示E4故障', '燃气热水器显示E4故障码，洗澡时突然变冷水。'],
];

describe('read workers (SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect: 'sqlite', readWorkers: 1 });
    await t.services.readers!.ready();
    for (let i = 0; i < 12; i++) {
      const [title, description] = TEXTS[i % TEXTS.length];
      const r = await t.as.agent.post('/api/tickets', {
        title: `${title} ${i}`,
        description,
        priority: (['P1', 'P2', 'P3'] as const)[i % 3],
        category: i % 2 ? 'product.functional_fault' : undefined,
        customer: { name: `客户${i}`, phone: `1381234${String(1000 + i)}` },
      });
      expect(r.statusCode).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** The same request answered in-process, by turning the pool off for one call. */
  async function inProcess(client: keyof TestApp['as'], url: string, headers?: Record<string, string>) {
    const pool = t.services.readers;
    t.services.readers = null;
    try {
      return await t.as[client].get(url, headers);
    } finally {
      t.services.readers = pool;
    }
  }

  const QUERIES = [
    '/api/tickets',
    '/api/tickets?q=%E6%BC%8F%E6%B0%B4',
    '/api/tickets?open=true&sort=due&limit=5',
    '/api/tickets?priority=P1&priority=P2',
    '/api/tickets?category=product',
    '/api/tickets?limit=3&sort=priority',
  ];

  it('answers every filter, search and sort exactly as the server thread does, for each role', async () => {
    for (const client of ['admin', 'agent', 'engineer', 'manager', 'customer'] as const) {
      for (const url of QUERIES) {
        const before = t.services.readers!.answered;
        const viaWorker = await t.as[client].get(url);
        expect(t.services.readers!.answered, `${client} ${url} went to the worker`).toBe(before + 1);
        const local = await inProcess(client, url);
        expect(viaWorker.statusCode).toBe(local.statusCode);
        expect(viaWorker.headers['content-type']).toMatch(/^application\/json/);
        expect(viaWorker.json(), `${client} ${url}`).toEqual(local.json());
      }
    }
  });

  it('pages with the cursor the worker hands out', async () => {
    const seen: string[] = [];
    let url = '/api/tickets?limit=5';
    for (;;) {
      const page = (await t.as.admin.get(url)).json();
      seen.push(...page.items.map((x: { number: string }) => x.number));
      if (!page.nextCursor) break;
      url = `/api/tickets?limit=5&cursor=${encodeURIComponent(page.nextCursor)}`;
    }
    expect(seen.length).toBe(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('shows the clocks as of the caller\'s clock, not the worker\'s', async () => {
    const url = '/api/tickets?sort=due&limit=50';
    const early = (await t.as.admin.get(url)).json();
    t.clock.advance(30 * 24 * 3600_000);
    try {
      const late = (await t.as.admin.get(url)).json();
      expect(late).toEqual((await inProcess('admin', url)).json());
      const states = (p: { items: { sla: { clocks: { state: string }[] } | null }[] }) => p.items.flatMap((i) => i.sla?.clocks.map((c) => c.state) ?? []);
      expect(states(early)).not.toContain('breached');
      expect(states(late)).toContain('breached');
    } finally {
      t.clock.advance(-30 * 24 * 3600_000);
    }
  });

  it('turns a worker\'s validation error into the same translated 400', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const before = t.services.readers!.answered;
      const res = await t.as.admin.get('/api/tickets?cursor=bm90LWEtY3Vyc29y', { 'accept-language': lang });
      expect(t.services.readers!.answered).toBe(before + 1);
      const local = await inProcess('admin', '/api/tickets?cursor=bm90LWEtY3Vyc29y', { 'accept-language': lang });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(local.json());
      expect(res.json().error.fields.cursor).toBeTruthy();
    }
  });

  it('sees a ticket as soon as its create is acknowledged', async () => {
    const r = await t.as.agent.post('/api/tickets', { title: '烤箱不加热', description: '烤箱通电后不加热。', customer: { name: '王芳', phone: '13700001111' } });
    const page = (await t.as.admin.get('/api/tickets?q=%E7%83%A4%E7%AE%B1')).json();
    expect(page.items.map((x: { number: string }) => x.number)).toEqual([r.json().number]);
  });

  it('over HTTP, hands each page\'s buffer back to the worker once written, and the reused buffers hold the right pages', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const pool = t.services.readers!;
    const before = pool.recycled;
    const urls = ['/api/tickets?limit=3', '/api/tickets?q=%E6%BC%8F%E6%B0%B4', '/api/tickets?priority=P1'];
    for (let round = 0; round < 4; round++) {
      for (const url of urls) {
        const res = await fetch(base + url, { headers: { authorization: `Bearer ${t.as.agent.token}` } });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual((await inProcess('agent', url)).json());
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.recycled - before).toBe(12);
  });

  it('answers in the server thread while a crashed worker restarts, then uses the new worker', async () => {
    const pool = t.services.readers!;
    // A call in the worker's hands when it dies is answered in the server thread instead.
    const lostBefore = pool.lost;
    pool.stallOne(10_000);
    const inHand = t.as.admin.get('/api/tickets?limit=4');
    await new Promise((r) => setTimeout(r, 200));
    await pool.crashOne();
    const rescued = await inHand;
    expect(pool.lost).toBe(lostBefore + 1);
    expect(rescued.statusCode).toBe(200);
    expect(rescued.json().items).toHaveLength(4);
    const res = await t.as.admin.get('/api/tickets?limit=2');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(2);
    await pool.ready();
    const before = pool.answered;
    expect((await t.as.admin.get('/api/tickets?limit=2')).statusCode).toBe(200);
    expect(pool.answered).toBe(before + 1);
  }, 30_000);

  it('retries a worker that cannot start after a growing pause, answering in the server thread meanwhile', async () => {
    const starts: number[] = [];
    const pool = new ReadPool({ file: '/nonexistent/aftercare.db', config: t.services.ctx.config }, 1, (e) => {
      if (String(e).includes('could not start')) starts.push(Date.now());
    });
    const began = Date.now();
    try {
      // A worker loads every module before it fails to open the database: on a busy machine that alone can take
      // seconds, so the test waits for failures to happen rather than for a fixed time.
      while (starts.length < 3 && Date.now() - began < 45_000) await new Promise((r) => setTimeout(r, 100));
      expect(pool.call({ method: 'tickets.list', actor: { id: 1, role: 'admin' } as never, query: {} as never }, Date.now())).toBeNull();
      expect(starts.length).toBeGreaterThanOrEqual(2);
      // Pauses of 0.5 s, 1 s, 2 s … between failed starts: each gap is at least its pause (start-up time comes on top,
      // so gaps are not compared with each other), and a tight loop would have failed many more times.
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(500 * 2 ** (i - 1) - 20);
      const elapsed = Date.now() - began;
      expect(starts.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(elapsed / 500)));
    } finally {
      await pool.close();
    }
    const after = starts.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(starts.length).toBe(after);
  }, 60_000);
});
