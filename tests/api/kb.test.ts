// The knowledge base on both databases: ranked search with marked snippets in Chinese and English, what customers and
// anonymous callers may see, Markdown sanitising, revisions and their diff, helpful votes and deflections counted once,
// articles made from tickets, suggestions beside a ticket, and the public endpoints' rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { KB_ARTICLES } from './kb-fixtures.js';

type Seg = { text: string; hit?: true };
const marked = (segs: Seg[]) => segs.filter((s) => s.hit).map((s) => s.text.toLowerCase());

describe.each(TEST_DIALECTS)('knowledge base on %s', (dialect) => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const anon = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: method as 'GET', url, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    await t.db.write((trx) => trx.insertInto('products').values({ model: 'KFR-35GW/BP3DN8Y', name: '变频挂壁式空调 1.5匹', line: 'ac', warranty_months: 72 }).execute());
    for (const a of KB_ARTICLES) {
      const { key, ...body } = a;
      const r = await t.as.admin.post('/api/kb/articles', body);
      expect(r.statusCode, r.body).toBe(201);
      ids[key] = r.json().id;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const search = async (q: string, client = t.as.admin) => {
    const r = await client.get(`/api/kb/articles?q=${encodeURIComponent(q)}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: { id: number; title: string; snippet: Seg[]; score: number }[]; tokens: string[] };
  };

  it('ranks Chinese matches with the title first and marks the words in the snippet', async () => {
    const res = await search('空调漏水怎么办');
    expect(res.tokens).toEqual(['空调', '漏水']);
    // Staff: the three about air-conditioner leaks (both words in the title) before the others.
    expect(res.items.slice(0, 3).map((i) => i.id).sort()).toEqual([ids.leak, ids.internal, ids.draft].sort());
    expect((await search('空调漏水怎么办', t.as.customer)).items[0].id).toBe(ids.leak);
    expect(res.items.map((i) => i.id)).not.toContain(ids.washerE4);
    expect(marked(res.items[0].snippet)).toContain('漏水');
    // Articles holding both words first (best first), then those holding one.
    const both = res.items.filter((i) => [ids.leak, ids.internal, ids.draft].includes(i.id)).map((i) => i.score);
    expect([...both].sort((a, b) => b - a)).toEqual(both);
    expect(res.items.length).toBeGreaterThan(3);
    // Paging through the two groups loses and repeats nothing.
    const paged: number[] = [];
    for (let cursor: string | null = '0'; cursor !== null; ) {
      const page: { items: { id: number }[]; nextCursor: string | null } = (await t.as.admin.get(`/api/kb/articles?q=${encodeURIComponent('空调漏水')}&limit=2&cursor=${cursor}`)).json();
      paged.push(...page.items.map((i: { id: number }) => i.id));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(res.items.map((i) => i.id));

    const warranty = await search('保修期多久');
    expect(warranty.items[0].id).toBe(ids.warranty);
    expect(marked(warranty.items[0].snippet)).toEqual(expect.arrayContaining(['保修']));
    // A single character finds words holding it (a prefix query on SQLite).
    expect((await search('霜')).items.map((i) => i.id)).toEqual([ids.leak]);
  });

  it('ranks English by whole words, case-insensitively', async () => {
    const res = await search('How do I RESET the filter?');
    expect(res.tokens).toEqual(['reset', 'filter']);
    expect(res.items[0].id).toBe(ids.filterEn);
    expect(marked(res.items[0].snippet)).toEqual(expect.arrayContaining(['reset', 'filter']));
    expect((await search('cartridge')).items.map((i) => i.id)).toEqual([ids.filterEn]);
    expect((await search('zzzunknownword')).items).toEqual([]);
  });

  it('shows customers and anonymous callers only published public articles, without staff fields', async () => {
    for (const call of [(u: string) => t.as.customer.get(u), (u: string) => anon('GET', u)]) {
      const r = await call(`/api/kb/articles?q=${encodeURIComponent('漏水')}&visibility=internal&status=draft`);
      expect(r.statusCode).toBe(200);
      expect(r.json().items.map((i: { id: number }) => i.id)).toEqual([ids.leak]);
      expect(r.body).not.toMatch(/INTERNAL-KB-SECRET|DRAFT-KB-SECRET/);
      const list = await call('/api/kb/articles?limit=50');
      expect(list.json().items).toHaveLength(5);
      expect((await call(`/api/kb/articles/${ids.internal}`)).statusCode).toBe(404);
      expect((await call(`/api/kb/articles/${ids.draft}`)).statusCode).toBe(404);
      const one = await call(`/api/kb/articles/${ids.leak}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ body: null, createdBy: null, updatedBy: null, sourceTicket: null });
      expect(one.json().html).toContain('<strong>排水管</strong>');
      const sug = await call(`/api/kb/suggest?q=${encodeURIComponent('空调一直在滴水，漏水很严重')}`);
      expect(sug.json().items.map((i: { id: number }) => i.id)).toEqual([ids.leak]);
    }
    const staff = await t.as.agent.get(`/api/kb/articles/${ids.internal}`);
    expect(staff.statusCode).toBe(200);
    expect(staff.json().body).toContain('INTERNAL-KB-SECRET');
    expect(staff.json().createdBy).toMatchObject({ id: t.as.admin.userId });
    // Writing needs staff; customers and anonymous callers cannot.
    const { key: _k, ...leak } = KB_ARTICLES[0];
    expect((await t.as.customer.post('/api/kb/articles', leak)).statusCode).toBe(403);
    expect((await anon('POST', '/api/kb/articles', leak)).statusCode).toBe(401);
  });

  it('renders Markdown without raw HTML, scripts or javascript: links', async () => {
    const r = await t.as.admin.post('/api/kb/preview', { body: '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n[ok](https://example.com)' });
    expect(r.statusCode).toBe(200);
    const html: string = r.json().html;
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">ok</a>');
  });

  it('refuses bad input with translated field messages', async () => {
    const r = await t.as.admin.post('/api/kb/articles', { title: '', body: 'x', category: 'nope', visibility: 'public', status: 'published', productLine: 'Bad Line' }, { 'accept-language': 'en' });
    expect(r.statusCode).toBe(400);
    expect(Object.keys(r.json().error.fields).sort()).toEqual(['category', 'productLine', 'title']);
    expect(r.json().error.fields.productLine).toMatch(/lower-case/);
    const zh = await t.as.admin.post('/api/kb/articles', { title: '', body: 'x', category: 'faq', visibility: 'public', status: 'published' });
    expect(zh.json().error.fields.title).toBe('必填');
  });

  it('lets agents write drafts and internal articles; only editors publish to customers', async () => {
    const body = { title: '冰箱结霜处理', body: '冷冻室结霜严重时，请检查门封条。', category: 'faq', visibility: 'public', status: 'published' };
    const r = await t.as.agent.post('/api/kb/articles', body, { 'accept-language': 'en' });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toMatch(/supervisors/);
    const draft = await t.as.agent.post('/api/kb/articles', { ...body, status: 'draft' });
    expect(draft.statusCode).toBe(201);
    const internal = await t.as.agent.post('/api/kb/articles', { ...body, visibility: 'internal' });
    expect(internal.statusCode).toBe(201);
    expect((await t.as.agent.patch(`/api/kb/articles/${draft.json().id}`, { status: 'published', version: 1 })).statusCode).toBe(403);
    expect((await t.as.supervisor.patch(`/api/kb/articles/${draft.json().id}`, { status: 'published', version: 1 })).statusCode).toBe(200);
    expect((await t.as.qa.post('/api/kb/articles', { ...body, status: 'draft' })).statusCode).toBe(403);
  });

  it('keeps every revision and diffs two of them; a stale version is refused', async () => {
    const id = ids.warranty;
    const r1 = await t.as.admin.patch(`/api/kb/articles/${id}`, { body: KB_ARTICLES[1].body.replace('空调整机保修 6 年', '空调整机保修 6 年，压缩机保修 10 年'), note: '补充压缩机', version: 1 });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json().version).toBe(2);
    const r2 = await t.as.admin.patch(`/api/kb/articles/${id}`, { title: '保修期多久', tags: ['保修'], version: 2 });
    expect(r2.json().version).toBe(3);
    const stale = await t.as.admin.patch(`/api/kb/articles/${id}`, { title: 'x', version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    // The same content again makes no revision.
    expect((await t.as.admin.patch(`/api/kb/articles/${id}`, { title: '保修期多久', version: 3 })).json().version).toBe(3);

    const revs = await t.as.admin.get(`/api/kb/articles/${id}/revisions`);
    expect(revs.json().items.map((x: { revision: number }) => x.revision)).toEqual([3, 2, 1]);
    expect(revs.json().items[1].note).toBe('补充压缩机');
    const diff = (await t.as.admin.get(`/api/kb/articles/${id}/diff?from=1&to=3`)).json();
    expect(diff.fields).toEqual([{ field: 'tags', before: ['保修', '三包'], after: ['保修'] }]);
    const ins = diff.body.filter((p: { op: string }) => p.op === 'insert').map((p: { text: string }) => p.text).join('');
    const del = diff.body.filter((p: { op: string }) => p.op === 'delete').map((p: { text: string }) => p.text).join('');
    expect(ins).toContain('压缩机保修 10 年');
    expect(del).not.toContain('压缩机');
    expect(diff.title.some((p: { op: string }) => p.op === 'delete')).toBe(true);
    const old = await t.as.admin.get(`/api/kb/articles/${id}/revisions/1`);
    expect(old.json().title).toBe(KB_ARTICLES[1].title);
    expect((await t.as.admin.get(`/api/kb/articles/${id}/revisions/9`)).statusCode).toBe(404);
    // Customers get no history.
    expect((await t.as.customer.get(`/api/kb/articles/${id}/revisions`)).statusCode).toBe(403);
    // Search follows the new text at once.
    expect((await search('压缩机')).items.map((i) => i.id)).toEqual([id]);
  });

  it('counts one helpful vote per person or browser; a retry changes nothing, a changed mind moves it', async () => {
    const id = ids.leak;
    const vote = (helpful: boolean, clientId = 'browser-aaaa-1111') => anon('POST', `/api/kb/articles/${id}/feedback`, { helpful, clientId });
    expect((await vote(true)).json()).toEqual({ helpfulYes: 1, helpfulNo: 0, myVote: 'yes' });
    expect((await vote(true)).json()).toEqual({ helpfulYes: 1, helpfulNo: 0, myVote: 'yes' });
    await Promise.all([vote(true, 'browser-bbbb-2222'), vote(true, 'browser-bbbb-2222')]);
    expect((await vote(false)).json()).toEqual({ helpfulYes: 1, helpfulNo: 1, myVote: 'no' });
    expect((await t.as.customer.post(`/api/kb/articles/${id}/feedback`, { helpful: true })).json()).toEqual({ helpfulYes: 2, helpfulNo: 1, myVote: 'yes' });
    expect((await t.as.customer.post(`/api/kb/articles/${id}/feedback`, { helpful: true })).json().helpfulYes).toBe(2);
    const noId = await anon('POST', `/api/kb/articles/${id}/feedback`, { helpful: true });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error.fields.clientId).toBe('必填');
    expect((await anon('POST', `/api/kb/articles/${ids.internal}/feedback`, { helpful: true, clientId: 'browser-aaaa-1111' })).statusCode).toBe(404);
    expect((await anon('GET', `/api/kb/articles/${id}?clientId=browser-aaaa-1111`)).json().myVote).toBe('no');
  });

  it('counts "this solved it" once per browser, article and place, and reports it', async () => {
    const d = (clientId: string, source = 'suggestion') => anon('POST', '/api/kb/deflections', { articleId: ids.leak, source, clientId, query: '空调漏水' });
    expect((await d('browser-cccc-3333')).json()).toEqual({ recorded: true });
    expect((await d('browser-cccc-3333')).json()).toEqual({ recorded: false });
    expect((await d('browser-dddd-4444')).json()).toEqual({ recorded: true });
    expect((await d('browser-dddd-4444', 'article')).json()).toEqual({ recorded: true });
    expect((await anon('POST', '/api/kb/deflections', { articleId: ids.draft, source: 'suggestion', clientId: 'browser-dddd-4444' })).statusCode).toBe(404);
    const stats = (await t.as.supervisor.get('/api/kb/stats')).json();
    expect(stats.deflections).toEqual({ suggestion: 2, assistant: 0, article: 1, total: 3 });
    expect(stats.topArticles[0]).toMatchObject({ id: ids.leak, deflections: 3 });
    expect(stats.articles.internal).toBeGreaterThanOrEqual(1);
    expect((await t.as.customer.get('/api/kb/stats')).statusCode).toBe(403);
  });

  it('suggests articles beside a ticket and makes an internal draft from an answered one, without staff-only text', async () => {
    const created = await t.as.agent.post('/api/tickets', {
      title: '卧室空调漏水',
      description: '客户反映卧室挂机漏水，水滴到床头柜上。',
      serviceType: 'consultation',
      customerId: t.customers.own,
      productModel: 'KFR-35GW/BP3DN8Y',
    });
    expect(created.statusCode, created.body).toBe(201);
    const number = created.json().number;
    const sug = await t.as.agent.get(`/api/kb/suggest?ticket=${number}`);
    expect(sug.statusCode).toBe(200);
    const sugIds = sug.json().items.map((i: { id: number }) => i.id);
    expect(sugIds[0]).toBe(ids.leak);
    expect(sugIds).toContain(ids.internal); // staff see published internal articles too
    expect(sugIds).not.toContain(ids.draft);
    expect(sug.json().items[0].url).toMatch(new RegExp(`/portal/kb/${ids.leak}$`));
    expect((await t.as.customer.get(`/api/kb/suggest?ticket=${number}`)).statusCode).toBe(403);

    // Unanswered: nothing to make an article from.
    expect((await t.as.agent.post('/api/kb/articles/from-ticket', { number })).statusCode).toBe(409);
    await t.as.agent.post(`/api/tickets/${number}/comments`, { body: 'STAFF-ONLY-NOTE 客户家里有狗，上门注意', internal: true });
    await t.as.agent.post(`/api/tickets/${number}/comments`, { body: '请先清洗过滤网并检查排水管是否弯折，一般即可解决。', internal: false });
    const draft = await t.as.agent.post('/api/kb/articles/from-ticket', { number });
    expect(draft.statusCode, draft.body).toBe(201);
    const a = draft.json();
    expect(a).toMatchObject({ visibility: 'internal', status: 'draft', title: '卧室空调漏水', productLine: 'ac', sourceTicket: number, needsPublicReview: true });
    expect(a.body).toContain('水滴到床头柜上');
    expect(a.body).toContain('检查排水管是否弯折');
    expect(a.body).not.toContain('STAFF-ONLY-NOTE');
    // A retry gives the same draft.
    const again = await t.as.agent.post('/api/kb/articles/from-ticket', { number });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(a.id);
    // The ticket's timeline records it for staff only.
    const events = (await t.as.agent.get(`/api/tickets/${number}/events`)).json().items;
    expect(events.some((e: { kind: string }) => e.kind === 'kb_article_created')).toBe(true);
    const own = (await t.as.customer.get(`/api/tickets/${number}/events`)).json().items;
    expect(own.some((e: { kind: string }) => e.kind === 'kb_article_created')).toBe(false);
    // Public only when an editor chooses it.
    const pub = await t.as.supervisor.patch(`/api/kb/articles/${a.id}`, { visibility: 'public', status: 'published', version: 1 });
    expect(pub.statusCode).toBe(400);
    expect(pub.json().error.fields).toHaveProperty('reviewedForPublic');
    const ok = await t.as.supervisor.patch(`/api/kb/articles/${a.id}`, { visibility: 'public', status: 'published', reviewedForPublic: true, version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().needsPublicReview).toBe(false);
    // Hidden again and back: the choice was made once.
    const back = await t.as.supervisor.patch(`/api/kb/articles/${a.id}`, { visibility: 'internal', version: 2 });
    expect((await t.as.supervisor.patch(`/api/kb/articles/${a.id}`, { visibility: 'public', version: back.json().version })).statusCode).toBe(200);
  });

  it('limits anonymous callers per address, not staff', async () => {
    const limited = await createTestApp({ dialect, config: { publicRateLimit: 3 } });
    try {
      const hit = () => limited.app.inject({ method: 'GET', url: '/api/kb/articles?q=x', remoteAddress: '203.0.113.9' });
      for (let i = 0; i < 3; i++) expect((await hit()).statusCode).toBe(200);
      const over = await hit();
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('rate_limited');
      expect(over.headers['retry-after']).toBeDefined();
      for (let i = 0; i < 5; i++) expect((await limited.as.agent.get('/api/kb/articles?q=x')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('knowledge-base search in a read worker (SQLite)', () => {
  it('answers exactly what the server thread answers, for staff, customers and anonymous callers', async () => {
    const t = await createTestApp({ dialect: 'sqlite', readWorkers: 1 });
    try {
      for (const a of KB_ARTICLES) {
        const { key: _key, ...body } = a;
        expect((await t.as.admin.post('/api/kb/articles', body)).statusCode).toBe(201);
      }
      await t.services.readers!.ready();
      const before = t.services.readers!.answered;
      for (const q of ['空调漏水怎么办', '保修期多久', 'reset filter', '']) {
        const url = `/api/kb/articles?q=${encodeURIComponent(q)}&limit=3`;
        for (const [client, actor] of [
          [t.as.admin, await t.services.auth.userRow(t.as.admin.userId)],
          [t.as.customer, await t.services.auth.userRow(t.as.customer.userId)],
        ] as const) {
          const res = await client.get(url);
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/application\/json/);
          const { actorOf } = await import('../../src/server/modules/users/service.js');
          expect(res.json()).toEqual(JSON.parse(JSON.stringify(await t.services.kbSearch.search(actorOf(actor), { q: q || undefined, limit: 3 }))));
        }
        const anon = await t.app.inject({ method: 'GET', url });
        expect(anon.json()).toEqual(JSON.parse(JSON.stringify(await t.services.kbSearch.search(null, { q: q || undefined, limit: 3 }))));
      }
      expect(t.services.readers!.answered - before).toBe(12);
    } finally {
      await t.close();
    }
  });
});
